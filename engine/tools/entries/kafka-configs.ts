/**
 * Process entry of `kafka-configs` (bundled by npm run build to
 * dist/engine/tools/entries/kafka-configs.js, which engine/tools/bin/kafka-configs.js loads).
 * Everything the command does lives in ../configs-command.ts; this file only wires it to the
 * real process (arguments, streams, Ctrl-C, exit code).
 */
import { runAsProcess } from '../cli/tool-io';
import { main } from '../configs-command';

runAsProcess(main);
