/**
 * Process entry of `kafka-consumer-groups` (bundled by npm run build to
 * dist/engine/tools/entries/kafka-consumer-groups.js, which engine/tools/bin/kafka-consumer-groups.js loads).
 * Everything the command does lives in ../consumer-groups-command.ts; this file only wires it to the
 * real process (arguments, streams, Ctrl-C, exit code).
 */
import { runAsProcess } from '../cli/tool-io';
import { main } from '../consumer-groups-command';

runAsProcess(main);
