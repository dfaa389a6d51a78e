/**
 * The contract's command names, on their own so that the Electron preload can expose
 * exactly one bridge method per command without bundling the argument schemas.
 * contract.ts checks at compile time that its schemas cover exactly this list. The
 * observe/ and consume/ parts of the contract keep their own lists beside their schemas.
 */
import { CONSUME_COMMAND_NAMES } from './consume/names';
import { OBSERVE_COMMAND_NAMES } from './observe/names';

export const CORE_COMMAND_NAMES = [
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

export const COMMAND_NAMES = [...CORE_COMMAND_NAMES, ...OBSERVE_COMMAND_NAMES, ...CONSUME_COMMAND_NAMES] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];
