/**
 * The "observe" part of the contract: argument schemas, result types and the snapshot
 * section for watching the cluster work. Merged into the one contract by contract.ts.
 *
 * What travels where (the IPC budget: ≤ 10 snapshots per second, ≤ 200 kB/s):
 * - the snapshot section (`ObserveSnapshot`) holds only rates and small status
 *   records: per-broker and per-topic rates, cumulative byte counters, the load
 *   generator's status. Histories (charts, the replication timeline) are kept by the
 *   renderer from the snapshot stream.
 * - heavy, per-view data (a partition's segments, cleaner runs, every topic config
 *   with its documentation) come from commands the open view calls.
 *
 * This file cannot import contract.ts (contract.ts imports it), so the few shared
 * argument schemas are restated here.
 */
import { z } from 'zod';
import { topicNameError } from '../../cluster/topic-names';
import { CODEC_NAMES, type CodecName } from '../../storage/codec-table';

const topic = z.string({ error: 'Topic name must be text.' }).superRefine((name, ctx) => {
  const error = topicNameError(name);
  if (error) ctx.addIssue({ code: 'custom', message: error });
});
const partition = z.number({ error: 'Partition must be a number.' }).int('Partition must be a whole number.').min(0, 'Partition cannot be negative.');
const header = z.object({ key: z.string().max(32_768), value: z.string().nullable() }).strict();

/** acks as Kafka spells it: 0 (no answer), 1 (the leader wrote it), -1 (all in-sync replicas have it). */
const acks = z
  .number({ error: 'acks must be 0, 1 or -1 (all).' })
  .refine((v) => v === 0 || v === 1 || v === -1, 'acks must be 0, 1 or -1 (all).');

const compression = z.enum(CODEC_NAMES, { error: `Compression must be one of ${CODEC_NAMES.join(', ')}.` });

/** Config names look like Kafka's: dotted lower-case words. */
const configName = z.string().min(1).max(255);

export const observeSchemas = {
  /** Every topic config: current value, where it comes from, default, type, allowed values, description. */
  describeTopicConfigs: z.object({ topic }).strict(),

  /**
   * Changes topic configs through the controller (Kafka's IncrementalAlterConfigs):
   * `set` overrides values, `reset` removes overrides (back to the default).
   * With validateOnly nothing changes; an invalid value is refused with its reason,
   * on the field `config:<name>`.
   */
  alterTopicConfigs: z.object({
    topic,
    set: z.record(configName, z.string().max(10_000)).optional(),
    reset: z.array(configName).max(200).optional(),
    validateOnly: z.boolean().optional(),
  }).strict(),

  /** One partition's log on each of its replicas: segments, offsets, committed offsets of groups, recent retention deletions. */
  partitionLog: z.object({ topic, partition }).strict(),

  /** The cleaner's view of one partition (dirty ratio, sections) and its recent cleaner runs. */
  compactionStatus: z.object({ topic, partition }).strict(),

  /**
   * Writes `rounds` values for each of `keys` keys (key-0, key-1, …) to one partition,
   * round after round, so the partition holds many records per key; the last round
   * writes tombstones for every `tombstoneEvery`-th key (0: none).
   */
  writeDuplicateKeys: z.object({
    topic,
    partition,
    keys: z.number({ error: 'Keys must be a number.' }).int('Keys must be a whole number.').min(1, 'Write at least 1 key.').max(10_000, 'At most 10000 keys.'),
    rounds: z.number({ error: 'Rounds must be a number.' }).int('Rounds must be a whole number.').min(1, 'Write at least 1 round.').max(100, 'At most 100 rounds.'),
    tombstoneEvery: z.number().int().min(0).max(10_000).optional(),
  }).strict(),

  /**
   * Runs the log cleaner on every replica of a compacted partition now: rolls the
   * active segment (the cleaner never touches it) and cleans even below
   * min.cleanable.dirty.ratio.
   */
  cleanNow: z.object({ topic, partition }).strict(),

  /** The partition Kafka's default partitioner (murmur2 of the key) picks. */
  partitionForKey: z.object({ topic, key: z.string().max(1_048_576) }).strict(),

  /** The producer panel's send: one record with a chosen acks and codec, through the produce path. */
  produceAdvanced: z.object({
    topic,
    /** Omitted or null: by key (murmur2), or round robin without a key. */
    partition: partition.nullable().optional(),
    key: z.string().max(1_048_576).nullable().optional(),
    /** null produces a tombstone. */
    value: z.string().nullable(),
    /** 'json': the value must parse as JSON (refused on the field `value` otherwise). */
    valueFormat: z.enum(['text', 'json']).optional(),
    headers: z.array(header).max(1000).optional(),
    acks: acks.optional(),
    compression: compression.optional(),
  }).strict(),

  /** Starts (or re-targets) the engine's load generator; it produces through the same path as every producer. */
  startLoad: z.object({
    topic,
    ratePerS: z.number({ error: 'Rate must be a number.' }).int('Rate must be a whole number.').min(1, 'Rate must be at least 1 message per second.').max(1_000_000, 'At most 1000000 messages per second.'),
    /** 0: records without keys (spread round robin); otherwise keys key-0 … key-(n-1). */
    keySpace: z.number({ error: 'Key space must be a number.' }).int('Key space must be a whole number.').min(0, 'Key space cannot be negative.').max(1_000_000, 'At most 1000000 keys.'),
    valueBytes: z.number({ error: 'Value size must be a number.' }).int('Value size must be a whole number.').min(0, 'Value size cannot be negative.').max(100_000, 'Values of at most 100000 bytes.'),
    acks: acks.optional(),
    compression: compression.optional(),
    /** Also read the records back from the leaders as a consumer does (default true). */
    readBack: z.boolean().optional(),
  }).strict(),

  stopLoad: z.object({}).strict(),
} satisfies Record<string, z.ZodType>;

/** A codec by name, as producers name it (codec-table.ts). */
export type CompressionName = CodecName;

// ---------------------------------------------------------------------------
// Results

export type ConfigSourceName = 'topic' | 'broker' | 'default';

export interface TopicConfigEntry {
  name: string;
  /** The value in effect. */
  value: string;
  /** Kafka's default. */
  defaultValue: string;
  /** Set on the topic, set as a broker default when the cluster started, or Kafka's default. */
  source: ConfigSourceName;
  type: 'INT' | 'LONG' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'LIST';
  /** The values allowed, as a phrase ("at least 0", "one of delete, compact"). */
  allowed: string;
  doc: string;
  deprecated: boolean;
}

export interface TopicConfigsResult {
  topic: string;
  entries: TopicConfigEntry[];
}

export interface AlterTopicConfigsResult {
  topic: string;
  validateOnly: boolean;
  /** The configs set on the topic after the change (before it, with validateOnly). */
  configs: Record<string, string>;
}

export interface SegmentView {
  baseOffset: number;
  /** One past the last offset in the segment. */
  nextOffset: number;
  sizeBytes: number;
  /** null when unknown (segments loaded from disk are not counted). */
  recordCount: number | null;
  /** Timestamp of the first batch, -1 when empty. */
  firstTimestampMs: number;
  /** Largest timestamp in the segment (retention.ms counts from it), -1 when empty. */
  maxTimestampMs: number;
  createdMs: number;
  active: boolean;
}

export interface ReplicaLogView {
  brokerId: number;
  role: 'leader' | 'follower' | 'offline';
  inIsr: boolean;
  logStartOffset: number;
  highWatermark: number;
  logEndOffset: number;
  sizeBytes: number;
  /** The newest segments (at most a few hundred; `segmentsOmitted` older ones are not listed). */
  segments: SegmentView[];
  segmentsOmitted: number;
  /** Bytes this replica's log handed out as stored (fetches by consumers and followers). */
  bytesServedZeroCopy: number;
}

export interface CommittedOffsetMarker {
  groupId: string;
  offset: number;
  /** The group's state (Stable, Empty, …). */
  state: string;
}

export interface RetentionDeletionView {
  atMs: number;
  brokerId: number;
  /** retention.ms, retention.bytes or log-start-offset. */
  reason: string;
  baseOffset: number;
  nextOffset: number;
  sizeBytes: number;
}

export interface PartitionLogResult {
  topic: string;
  partition: number;
  leader: number | null;
  leaderEpoch: number;
  replicas: ReplicaLogView[];
  committed: CommittedOffsetMarker[];
  /** Recent segment deletions by retention on this partition's replicas, newest first. */
  deletions: RetentionDeletionView[];
  settings: { cleanupPolicy: string; segmentBytes: number; segmentMs: number; retentionMs: number; retentionBytes: number };
}

export interface CleanerStatsView {
  firstDirtyOffset: number;
  endOffset: number;
  dirtyRatioBefore: number;
  segmentsBefore: number;
  segmentsAfter: number;
  recordsBefore: number;
  recordsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  /** Distinct keys in the cleaned range: the records kept for them. */
  distinctKeys: number;
  tombstonesRemoved: number;
  keylessRemoved: number;
  durationMs: number;
}

export interface CleanerRunView {
  atMs: number;
  brokerId: number;
  cleaned: boolean;
  aborted: boolean;
  reason: string;
  /** Who asked: the periodic cleaner, or a person with "clean now". */
  trigger: 'periodic' | 'manual';
  stats: CleanerStatsView | null;
}

export interface CleanerSectionsView {
  brokerId: number;
  logStartOffset: number;
  /** Offsets below this are clean (compacted by earlier runs). */
  firstDirtyOffset: number;
  /** The cleaner does not go past this (active segment, high watermark, min.compaction.lag.ms). */
  firstUncleanableOffset: number;
  logEndOffset: number;
  cleanBytes: number;
  dirtyBytes: number;
  dirtyRatio: number;
  cleanable: boolean;
  reason: string;
}

export interface CompactionStatusResult {
  topic: string;
  partition: number;
  compacted: boolean;
  cleanupPolicy: string;
  minCleanableDirtyRatio: number;
  deleteRetentionMs: number;
  minCompactionLagMs: number;
  /** The leader's log first, then the followers' (each replica cleans its own log). */
  replicas: CleanerSectionsView[];
  /** Recent cleaner runs on this partition, newest first. */
  runs: CleanerRunView[];
}

export interface WriteDuplicateKeysResult {
  topic: string;
  partition: number;
  records: number;
  tombstones: number;
  firstOffset: number;
  lastOffset: number;
}

export interface CleanNowResult {
  topic: string;
  partition: number;
  runs: CleanerRunView[];
}

export interface PartitionForKeyResult {
  topic: string;
  key: string;
  partition: number;
  partitions: number;
  /** murmur2 of the key's UTF-8 bytes with the sign bit masked, as Kafka's partitioner uses it. */
  hash: number;
}

export interface ProduceAdvancedResult {
  topic: string;
  partition: number;
  /** null with acks=0: the producer is not told. */
  offset: number | null;
  timestampMs: number;
  acks: number;
  compression: CompressionName;
  /** Size of the record batch as sent (after compression). */
  batchBytes: number;
  chosenBy: 'explicit' | 'key' | 'round-robin';
}

export interface LoadSettings {
  topic: string;
  ratePerS: number;
  keySpace: number;
  valueBytes: number;
  acks: number;
  compression: CompressionName;
  readBack: boolean;
}

export interface LoadStatus {
  running: boolean;
  settings: LoadSettings | null;
  startedAtMs: number | null;
  /** Records handed to the produce path / acknowledged / refused since the start. */
  sentRecords: number;
  ackedRecords: number;
  failedRecords: number;
  lastError: string | null;
  /** Acknowledged (or, with acks=0, sent) records per second, over the last second. */
  recordsPerS: number;
  bytesPerS: number;
  /** The built-in reader: it fetches what was written from the leaders, as a consumer does. */
  readBack: { recordsPerS: number; bytesPerS: number; lagRecords: number } | null;
}

export interface ObserveResults {
  describeTopicConfigs: TopicConfigsResult;
  alterTopicConfigs: AlterTopicConfigsResult;
  partitionLog: PartitionLogResult;
  compactionStatus: CompactionStatusResult;
  writeDuplicateKeys: WriteDuplicateKeysResult;
  cleanNow: CleanNowResult;
  partitionForKey: PartitionForKeyResult;
  produceAdvanced: ProduceAdvancedResult;
  startLoad: LoadStatus;
  stopLoad: LoadStatus;
}

// ---------------------------------------------------------------------------
// Snapshot section

export interface BrokerRatesView {
  brokerId: number;
  /** Records and bytes appended by this broker as leader, per second. */
  messagesInPerS: number;
  bytesInPerS: number;
  /** Bytes fetched from it by consumers / by followers, per second. */
  bytesOutToConsumersPerS: number;
  bytesOutToFollowersPerS: number;
}

/** Observe's part of every cluster snapshot. */
export interface ObserveSnapshot {
  brokerRates: BrokerRatesView[];
  /** Messages per second appended to each topic (by its leaders), user topics only. */
  topicMessagesPerS: Record<string, number>;
  /** Since the engine started (across broker restarts). */
  totals: { bytesIn: number; messagesIn: number; bytesOutToConsumers: number; bytesOutToFollowers: number };
  load: LoadStatus;
  /** Grows with every retention deletion and cleaner run: views showing logs refresh when it moves. */
  storageSeq: number;
}
