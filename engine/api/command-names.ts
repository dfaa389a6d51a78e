/**
 * The contract's command names, on their own so that the Electron preload can expose
 * exactly one bridge method per command without bundling the argument schemas.
 * contract.ts checks at compile time that its schemas cover exactly this list.
 */
export const COMMAND_NAMES = [
  'getCluster',
  'createTopic',
  'deleteTopic',
  'produce',
  'readMessages',
  'killBroker',
  'stopBroker',
  'restartBroker',
  'cutBroker',
  'healBroker',
  'restartEngine',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];
