/**
 * Process entry of `kafka-console-consumer` (bundled by npm run build to
 * dist/engine/tools/entries/kafka-console-consumer.js, which engine/tools/bin/kafka-console-consumer.js loads).
 * Everything the command does lives in ../console-consumer.ts; this file only wires it to the
 * real process (arguments, streams, Ctrl-C, exit code).
 */
import { runAsProcess } from '../cli/tool-io';
import { main } from '../console-consumer';

runAsProcess(main);
