/**
 * Process entry of `kafka-reassign-partitions` (bundled by npm run build to
 * dist/engine/tools/entries/kafka-reassign-partitions.js, which engine/tools/bin/kafka-reassign-partitions.js loads).
 * Everything the command does lives in ../reassign-partitions-command.ts; this file only wires it to the
 * real process (arguments, streams, Ctrl-C, exit code).
 */
import { runAsProcess } from '../cli/tool-io';
import { main } from '../reassign-partitions-command';

runAsProcess(main);
