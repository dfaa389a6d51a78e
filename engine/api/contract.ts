/**
 * The contract: the only way a UI (or any host) reaches the engine.
 *
 * - Commands: async, JSON-serialisable arguments and results. Each command's
 *   arguments have a zod schema here; `dispatch.ts` validates every call against it
 *   before the engine sees it, so engine code can trust its inputs' shape.
 * - Events: one stream of `EngineEvent`s, pushed at a bounded rate (≤ 10 snapshots
 *   per second), never one event per message.
 * - Errors: `WorkbenchError` (errors.ts), a Kafka-style code plus a sentence.
 *
 * The renderer imports this file for its *types* only; electron/preload imports the
 * command name list (bundled) to expose exactly one bridge method per command.
 *
 * Invariant: every key of `commandSchemas` has a result type in `CommandResults`
 * and vice versa (checked at compile time below).
 */
import { z } from 'zod';
import type { WorkbenchErrorData } from './errors';
import { COMMAND_NAMES, type CommandName } from './command-names';
import { topicNameError } from '../cluster/topic-names';
import { consumeSchemas, type ConsumeResults, type ConsumeSnapshot } from './consume/commands';
import { observeSchemas, type ObserveResults, type ObserveSnapshot } from './observe/commands';

export type * from './consume/commands';
export type * from './observe/commands';

export { COMMAND_NAMES, type CommandName };

// ---------------------------------------------------------------------------
// Argument schemas

export const topicNameSchema = z.string({ error: 'Topic name must be text.' }).superRefine((name, ctx) => {
  const error = topicNameError(name);
  if (error) ctx.addIssue({ code: 'custom', message: error });
});

const brokerArgs = z.object({ brokerId: z.number({ error: 'Broker id must be a number.' }).int('Broker id must be a whole number.').min(1, 'Broker ids start at 1.').max(1000) }).strict();

const partitionSchema = z.number({ error: 'Partition must be a number.' }).int('Partition must be a whole number.').min(0, 'Partition cannot be negative.');
const offsetSchema = z.number({ error: 'Offset must be a number.' }).int('Offset must be a whole number.').min(0, 'Offset cannot be negative.').max(Number.MAX_SAFE_INTEGER);

/** Topic-level configs as Kafka spells them; values are validated by the engine. */
const topicConfigsSchema = z.record(z.string().min(1).max(255), z.string().max(10_000));

export const headerSchema = z.object({
  key: z.string().max(32_768),
  value: z.string().nullable(),
}).strict();

const coreSchemas = {
  /** The whole cluster as the UI shows it. */
  getCluster: z.object({}).strict(),

  createTopic: z.object({
    name: topicNameSchema,
    partitions: z.number({ error: 'Partitions must be a number.' }).int('Partitions must be a whole number.').min(1, 'A topic needs at least 1 partition.').max(10_000, 'At most 10000 partitions.'),
    replicationFactor: z.number({ error: 'Replication factor must be a number.' }).int('Replication factor must be a whole number.').min(1, 'Replication factor must be at least 1.').max(32_767),
    configs: topicConfigsSchema.optional(),
    /** Check everything, create nothing (Kafka's CreateTopics validateOnly). */
    validateOnly: z.boolean().optional(),
  }).strict(),

  deleteTopic: z.object({ name: topicNameSchema }).strict(),

  produce: z.object({
    topic: topicNameSchema,
    /** Omitted or null: the default partitioner picks (murmur2 of the key, or round robin). */
    partition: partitionSchema.nullable().optional(),
    key: z.string().nullable().optional(),
    /** null produces a tombstone. */
    value: z.string().nullable(),
    headers: z.array(headerSchema).max(1000).optional(),
  }).strict(),

  readMessages: z.object({
    topic: topicNameSchema,
    partition: partitionSchema,
    fromOffset: offsetSchema,
    maxRecords: z.number().int().min(1).max(5000),
  }).strict(),

  /** Crash a broker: it stops at once, unsynced bytes are lost, nothing is handed over. */
  killBroker: brokerArgs,
  /** Stop a broker cleanly: its partitions' leadership moves away first. */
  stopBroker: brokerArgs,
  /** Start a killed or stopped broker again (or crash-restart a running one). */
  restartBroker: brokerArgs,
  /** Cut a broker off from the other brokers and the controller quorum (clients still reach it). */
  cutBroker: brokerArgs,
  /** Reconnect a cut-off broker. */
  healBroker: brokerArgs,

  /** Host-level: start a fresh engine after a crash (handled by the host, not the engine). */
  restartEngine: z.object({}).strict(),
} as const;

export const commandSchemas = { ...coreSchemas, ...observeSchemas, ...consumeSchemas } as const;

export type CommandArgs<K extends CommandName> = z.input<(typeof commandSchemas)[K]>;
export type ParsedArgs<K extends CommandName> = z.output<(typeof commandSchemas)[K]>;

// ---------------------------------------------------------------------------
// Results and views

/** `failed`: the broker stopped on its own after a disk error (see BrokerView.failure). */
export type BrokerState = 'starting' | 'up' | 'stopping' | 'stopped' | 'killed' | 'failed' | 'cut';

/** Why a broker stopped on its own. */
export interface BrokerFailureView {
  atMs: number;
  /** The platform's error code (ENOSPC, EIO, EROFS, …), when known. */
  errno: string | null;
  /** The file it failed on, as an absolute path, when known. */
  path: string | null;
  /** What happened, in a sentence: the error and the file. */
  reason: string;
  /** What to do next ("Free space on …, then restart broker 3."). */
  nextStep: string;
}

/** Free space where a broker keeps its logs, and the free-space guard's threshold. */
export interface BrokerDiskView {
  /** The broker's data directory (absolute). */
  dataDir: string;
  freeBytes: number;
  totalBytes: number;
  /** Below this the broker refuses client writes (reads and replication go on). */
  minFreeBytes: number;
  low: boolean;
}

export interface BrokerView {
  id: number;
  state: BrokerState;
  host: string;
  port: number;
  /** Whether its Kafka listener is accepting connections, and if not why. */
  listening: boolean;
  listenerError: string | null;
  partitionsLed: number;
  /** Set while the broker is `failed` (cleared when it starts again). */
  failure: BrokerFailureView | null;
  /** Null while the broker is down or where free space cannot be read. */
  disk: BrokerDiskView | null;
}

export interface PartitionView {
  partition: number;
  /** null while the partition has no leader (offline). */
  leader: number | null;
  replicas: number[];
  isr: number[];
  leaderEpoch: number;
  /** From the leader's replica (or the best replica that is up, while offline). */
  logStartOffset: number;
  highWatermark: number;
  logEndOffset: number;
  /** Each replica's log end offset as its own broker has it; null when that broker is down. */
  replicaLogEndOffsets: Record<number, number | null>;
}

export interface TopicView {
  name: string;
  internal: boolean;
  replicationFactor: number;
  /** Only the configs set on the topic (defaults are not repeated here). */
  configs: Record<string, string>;
  partitionCount: number;
  /**
   * Every partition of a user topic. Internal topics (__consumer_offsets has 50
   * partitions) are summarised to keep snapshots small: their list is empty and
   * partitionCount, sizeBytes, underReplicated and offline describe them.
   */
  partitions: PartitionView[];
  /** Bytes on the leaders' disks. */
  sizeBytes: number;
  /** Partitions whose ISR is smaller than their replica list. */
  underReplicated: number;
  /** Partitions without a leader. */
  offline: number;
}

export interface ClusterSnapshot {
  /** Increases with every snapshot the engine publishes. */
  seq: number;
  clusterId: string;
  controllerId: number | null;
  brokers: BrokerView[];
  topics: TopicView[];
  observe: ObserveSnapshot;
  consume: ConsumeSnapshot;
}

export interface BytesView {
  sizeBytes: number;
  /** The bytes as UTF-8 text when they are valid UTF-8. */
  text: string | null;
  /** The bytes as base64 when they are not valid UTF-8. */
  base64: string | null;
}

export interface MessageView {
  partition: number;
  offset: number;
  timestampMs: number;
  key: BytesView | null;
  value: BytesView | null;
  headers: { key: string; value: BytesView | null }[];
}

export interface ProduceResult {
  topic: string;
  partition: number;
  offset: number;
  timestampMs: number;
}

export interface ReadMessagesResult {
  records: MessageView[];
  logStartOffset: number;
  highWatermark: number;
  /** Where the next read should start. */
  nextOffset: number;
}

export interface CommandResults extends ObserveResults, ConsumeResults {
  getCluster: ClusterSnapshot;
  createTopic: TopicView;
  deleteTopic: { name: string };
  produce: ProduceResult;
  readMessages: ReadMessagesResult;
  killBroker: BrokerView;
  stopBroker: BrokerView;
  restartBroker: BrokerView;
  cutBroker: BrokerView;
  healBroker: BrokerView;
  restartEngine: { restarted: true };
}

// Compile-time check that the name list, the schemas and the results agree.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _schemasMatchNames: SameKeys<keyof typeof commandSchemas, CommandName> = true;
const _resultsMatchNames: SameKeys<keyof CommandResults, CommandName> = true;
void _schemasMatchNames;
void _resultsMatchNames;

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
