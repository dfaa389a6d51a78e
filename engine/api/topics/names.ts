/**
 * Command names of the topics & configs part of the contract: creating and deleting
 * topics, their configs, a partition's log segments, and compaction. Kept free of zod
 * so the Electron preload can bundle it cheaply.
 */
export const TOPICS_COMMAND_NAMES = [
  'createTopic',
  'deleteTopic',
  'addPartitions',
  'describeTopicConfigs',
  'alterTopicConfigs',
  'partitionLog',
  'compactionStatus',
  'writeDuplicateKeys',
  'cleanNow',
] as const;
