/**
 * Command names of the "consume" part of the contract (message browser, consumer
 * groups, lag history, built-in consumers, offset resets, export and import). Kept
 * free of zod so the Electron preload can bundle it cheaply.
 */
export const CONSUME_COMMAND_NAMES = [
  // message browser
  'browseRows',
  'browseSeek',
  'readRecord',
  // engine-side jobs: filter, export, import
  'filterStart',
  'filterPage',
  'exportStart',
  'importStart',
  'importChunk',
  'cancelJob',
  // consumer groups
  'describeGroup',
  'groupLagHistory',
  'previewResetOffsets',
  'resetOffsets',
  'deleteGroup',
  // built-in consumers
  'startConsumer',
  'updateConsumer',
  'stopConsumer',
] as const;
