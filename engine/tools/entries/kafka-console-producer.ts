/**
 * Process entry of `kafka-console-producer` (bundled by npm run build to
 * dist/engine/tools/entries/kafka-console-producer.js, which engine/tools/bin/kafka-console-producer.js loads).
 * Everything the command does lives in ../console-producer.ts; this file only wires it to the
 * real process (arguments, streams, Ctrl-C, exit code).
 */
import { runAsProcess } from '../cli/tool-io';
import { main } from '../console-producer';

runAsProcess(main);
