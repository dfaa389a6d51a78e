/**
 * The engine side of the "consume" contract (engine/api/consume): the message
 * browser, consumer groups, lag history, built-in consumers, offset resets, export
 * and import. The Engine creates one and routes the consume commands to `commands`;
 * `snapshot()` fills the consume section of every published snapshot (keep it small:
 * it goes out up to 10 times a second).
 */
import type { ConsumeSnapshot } from '../api/contract';
import type { CONSUME_COMMAND_NAMES } from '../api/consume/names';
import type { EngineCommands } from '../api/dispatch';
import type { Engine } from '../engine';

export type ConsumeCommandName = (typeof CONSUME_COMMAND_NAMES)[number];
export type ConsumeHandlers = Pick<EngineCommands, ConsumeCommandName>;

export class ConsumeService {
  readonly commands: ConsumeHandlers = {};

  constructor(readonly engine: Engine) {}

  snapshot(): ConsumeSnapshot {
    return {};
  }

  close(): Promise<void> | void {}
}
