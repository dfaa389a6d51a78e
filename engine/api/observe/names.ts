/**
 * Command names of the "observe" part of the contract (watching the cluster work:
 * topic configs, partition logs, replication, compaction, the producer panel and
 * load generator). Kept free of zod so the Electron preload can bundle it cheaply.
 */
export const OBSERVE_COMMAND_NAMES = [
  'describeTopicConfigs',
  'alterTopicConfigs',
  'partitionLog',
  'compactionStatus',
  'writeDuplicateKeys',
  'cleanNow',
  'partitionForKey',
  'produceAdvanced',
  'startLoad',
  'stopLoad',
] as const;
