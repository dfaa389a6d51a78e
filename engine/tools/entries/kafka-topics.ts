/**
 * Process entry of `kafka-topics` (bundled by npm run build to
 * dist/engine/tools/entries/kafka-topics.js, which engine/tools/bin/kafka-topics.js loads).
 * Everything the command does lives in ../topics-command.ts; this file only wires it to the
 * real process (arguments, streams, Ctrl-C, exit code).
 */
import { runAsProcess } from '../cli/tool-io';
import { main } from '../topics-command';

runAsProcess(main);
