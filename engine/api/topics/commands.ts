/**
 * The topics & configs part of the contract: argument schemas and result types for
 * creating and deleting topics, describing and altering their configs, a partition's
 * log as the log strip shows it, and compaction (the cleaner's sections, its runs,
 * duplicate keys, clean now). Merged into the one contract by contract.ts.
 *
 * What travels where: the topics themselves (partitions, leaders, ISR, offsets) go out
 * in every snapshot as `TopicView`s, built only when a snapshot is published; heavy,
 * per-view data (a partition's segments, cleaner runs, every topic config with its
 * documentation) come from commands the open view calls.
 */
import { z } from 'zod';
import { partitionSchema as partition, topicNameSchema as topic } from '../common';

/** Topic-level configs as Kafka spells them; values are validated by the engine. */
const topicConfigsSchema = z.record(z.string().min(1).max(255), z.string().max(10_000));

/** Config names look like Kafka's: dotted lower-case words. */
const configName = z.string().min(1).max(255);

export const topicsSchemas = {
  createTopic: z.object({
    name: topic,
    partitions: z.number({ error: 'Partitions must be a number.' }).int('Partitions must be a whole number.').min(1, 'A topic needs at least 1 partition.').max(10_000, 'At most 10000 partitions.'),
    replicationFactor: z.number({ error: 'Replication factor must be a number.' }).int('Replication factor must be a whole number.').min(1, 'Replication factor must be at least 1.').max(32_767),
    configs: topicConfigsSchema.optional(),
    /** Check everything, create nothing (Kafka's CreateTopics validateOnly). */
    validateOnly: z.boolean().optional(),
  }).strict(),

  deleteTopic: z.object({ name: topic }).strict(),

  /**
   * Grows a topic to `partitions` partitions (Kafka's CreatePartitions): more, never
   * fewer. Keyed records written afterwards may map to other partitions than before.
   */
  addPartitions: z.object({
    topic,
    partitions: z.number({ error: 'Partitions must be a number.' }).int('Partitions must be a whole number.').min(1, 'A topic needs at least 1 partition.').max(10_000, 'At most 10000 partitions.'),
  }).strict(),

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

} satisfies Record<string, z.ZodType>;

// ---------------------------------------------------------------------------
// Results

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
  /** A move in progress (KIP-455): replicas copying the log, and replicas that leave once they have. */
  addingReplicas: number[];
  removingReplicas: number[];
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

export interface TopicsResults {
  createTopic: TopicView;
  deleteTopic: { name: string };
  addPartitions: TopicView;
  describeTopicConfigs: TopicConfigsResult;
  alterTopicConfigs: AlterTopicConfigsResult;
  partitionLog: PartitionLogResult;
  compactionStatus: CompactionStatusResult;
  writeDuplicateKeys: WriteDuplicateKeysResult;
  cleanNow: CleanNowResult;
}
