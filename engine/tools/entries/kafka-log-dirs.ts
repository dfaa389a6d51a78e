/**
 * Process entry of `kafka-log-dirs` (bundled by npm run build to
 * dist/engine/tools/entries/kafka-log-dirs.js, which engine/tools/bin/kafka-log-dirs.js loads).
 * Everything the command does lives in ../log-dirs-command.ts; this file only wires it to the
 * real process (arguments, streams, Ctrl-C, exit code).
 */
import { runAsProcess } from '../cli/tool-io';
import { main } from '../log-dirs-command';

runAsProcess(main);
