/**
 * Command names of the groups & offsets part of the contract: consumer groups, their
 * lag history, offset resets and deletes, and the built-in consumers started from the
 * UI. Kept free of zod so the Electron preload can bundle it cheaply.
 */
export const GROUPS_COMMAND_NAMES = [
  'describeGroup',
  'groupLagHistory',
  'previewResetOffsets',
  'resetOffsets',
  'deleteGroup',
  'startConsumer',
  'updateConsumer',
  'stopConsumer',
] as const;
