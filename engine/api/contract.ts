/**
 * The contract: the only way a UI (or any host) reaches the engine.
 *
 * It is assembled here from one part per domain, each in its own folder with its
 * command names (names.ts, free of zod), argument schemas and result types
 * (commands.ts):
 *   brokers/   cluster & faults: the cluster snapshot, kill/stop/restart/cut/heal
 *   topics/    topics & configs: create, delete, configs, partition logs, compaction
 *   records/   records: produce, load generator, browse, filter, export, import
 *   groups/    groups & offsets: groups, lag history, offset resets, built-in consumers
 *   metrics/   metrics & history: rates and counters in every snapshot
 *   lessons/   guided lessons: the catalogue, the active lesson, predictions, hints
 *
 * - Commands: async, JSON-serialisable arguments and results. Each command's
 *   arguments have a zod schema; `dispatch.ts` validates every call against it
 *   before the engine sees it, so engine code can trust its inputs' shape.
 * - Events: one stream of `EngineEvent`s, pushed at a bounded rate (≤ 10 snapshots
 *   per second), never one event per message.
 * - Errors: `WorkbenchError` (errors.ts), a Kafka-style code plus a sentence.
 *
 * The renderer imports this file for its *types* only; electron/preload imports the
 * command name list (command-names.ts, bundled) to expose exactly one bridge method
 * per command.
 *
 * Invariant: every command name has a schema and a result type, and nothing else has
 * (checked at compile time below).
 */
import type { z } from 'zod';
import type { WorkbenchErrorData } from './errors';
import { COMMAND_NAMES, type CommandName } from './command-names';
import { brokersSchemas, type BrokersResults, type BrokerView } from './brokers/commands';
import { groupsSchemas, type GroupsResults, type GroupsSnapshot } from './groups/commands';
import { lessonsSchemas, type LessonsResults, type LessonsSnapshot } from './lessons/commands';
import { metricsSchemas, type MetricsResults, type MetricsSnapshot } from './metrics/commands';
import { recordsSchemas, type RecordsResults, type RecordsSnapshot } from './records/commands';
import { topicsSchemas, type TopicsResults, type TopicView } from './topics/commands';

export type * from './brokers/commands';
export type * from './groups/commands';
export type * from './lessons/commands';
export type * from './metrics/commands';
export type * from './records/commands';
export type * from './topics/commands';

export { COMMAND_NAMES, type CommandName };

export const commandSchemas = { ...brokersSchemas, ...topicsSchemas, ...recordsSchemas, ...groupsSchemas, ...metricsSchemas, ...lessonsSchemas } as const;

export type CommandArgs<K extends CommandName> = z.input<(typeof commandSchemas)[K]>;
export type ParsedArgs<K extends CommandName> = z.output<(typeof commandSchemas)[K]>;

export interface CommandResults extends BrokersResults, TopicsResults, RecordsResults, GroupsResults, MetricsResults, LessonsResults {}

// Compile-time check that the name list, the schemas and the results agree.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _schemasMatchNames: SameKeys<keyof typeof commandSchemas, CommandName> = true;
const _resultsMatchNames: SameKeys<keyof CommandResults, CommandName> = true;
void _schemasMatchNames;
void _resultsMatchNames;

// ---------------------------------------------------------------------------
// The snapshot: the cluster view, with one section per domain that has live figures

export interface ClusterSnapshot {
  /** Increases with every snapshot the engine publishes. */
  seq: number;
  clusterId: string;
  controllerId: number | null;
  brokers: BrokerView[];
  topics: TopicView[];
  /**
   * Why the cluster's metadata (metadata.db) cannot be written right now, with what to
   * do (a full disk: topics cannot be created, leaders cannot move); null while writes work.
   */
  metadataProblem: string | null;
  records: RecordsSnapshot;
  groups: GroupsSnapshot;
  metrics: MetricsSnapshot;
  lessons: LessonsSnapshot;
}

// ---------------------------------------------------------------------------
// Events

export type EngineEvent =
  | { type: 'snapshot'; snapshot: ClusterSnapshot }
  | { type: 'engine-crashed'; message: string }
  | { type: 'engine-restarted' };

/** The most snapshots per second any transport carries. */
export const MAX_SNAPSHOTS_PER_S = 10;

// ---------------------------------------------------------------------------
// The service as a UI sees it

export type WorkbenchApi = {
  [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandResults[K]>;
} & {
  /** Subscribes to the event stream; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
};

// ---------------------------------------------------------------------------
// Wire envelope shared by every transport (worker messages, IPC replies, WebSocket)

export type CallMessage = { kind: 'call'; id: number; method: string; args: unknown };
export type ResultMessage =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: WorkbenchErrorData };
export type EventMessage = { kind: 'event'; event: EngineEvent };
export type HostMessage = ResultMessage | EventMessage;
