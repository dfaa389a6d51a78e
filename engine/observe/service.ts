/**
 * The engine side of the "observe" contract (engine/api/observe): watching the
 * cluster work — topic configs, partition log strips, replication, compaction, the
 * producer panel and the load generator. The Engine creates one and routes the
 * observe commands to `commands`; `snapshot()` fills the observe section of every
 * published snapshot (keep it small: it goes out up to 10 times a second).
 */
import type { ObserveSnapshot } from '../api/contract';
import type { EngineCommands } from '../api/dispatch';
import type { OBSERVE_COMMAND_NAMES } from '../api/observe/names';
import type { Engine } from '../engine';

export type ObserveCommandName = (typeof OBSERVE_COMMAND_NAMES)[number];
export type ObserveHandlers = Pick<EngineCommands, ObserveCommandName>;

export class ObserveService {
  readonly commands: ObserveHandlers = {};

  constructor(readonly engine: Engine) {}

  snapshot(): ObserveSnapshot {
    return {};
  }

  close(): void {}
}
