/**
 * Process entry of `kafka-broker-api-versions` (bundled by npm run build to
 * dist/engine/tools/entries/kafka-broker-api-versions.js, which
 * engine/tools/bin/kafka-broker-api-versions.js loads). Everything the command does lives in
 * ../broker-api-versions-command.ts; this file only wires it to the real process.
 */
import { runAsProcess } from '../cli/tool-io';
import { main } from '../broker-api-versions-command';

runAsProcess(main);
