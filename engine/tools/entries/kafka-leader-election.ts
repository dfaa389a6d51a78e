/**
 * Process entry of `kafka-leader-election` (bundled by npm run build to
 * dist/engine/tools/entries/kafka-leader-election.js, which engine/tools/bin/kafka-leader-election.js loads).
 * Everything the command does lives in ../leader-election-command.ts; this file only wires it to the
 * real process (arguments, streams, Ctrl-C, exit code).
 */
import { runAsProcess } from '../cli/tool-io';
import { main } from '../leader-election-command';

runAsProcess(main);
