/**
 * The groups & offsets part of the contract: argument schemas, result types and the
 * snapshot section for consumer groups (yours and the built-in consumers alike), their
 * lag history, offset resets, deletes, and the built-in consumers started from the UI.
 * Merged into the one contract by contract.ts.
 *
 * What travels where (bounded, never one event per message):
 * - Lag history lives in the engine (a ring buffer per group, one sample a second, an
 *   hour long); charts pull only the samples they have not seen (`groupLagHistory`).
 * - The snapshot section carries group summaries and built-in consumers, each list
 *   bounded; a group's members and partitions come from `describeGroup`.
 *
 * Offsets and timestamps are checked for range by the engine, so their errors carry
 * Kafka's codes (OFFSET_OUT_OF_RANGE, INVALID_TIMESTAMP).
 */
import { z } from 'zod';
import { groupIdSchema as groupId, offsetNumberSchema as offsetNumber, partitionSchema as partition, timestampNumberSchema as timestampNumber, topicNameSchema as topic } from '../common';

export const RESET_TARGETS = ['earliest', 'latest', 'offset', 'timestamp', 'shift'] as const;

const processingDelayMs = z.number({ error: 'Processing delay must be a number.' }).int('Processing delay must be a whole number of milliseconds.').min(0, 'Processing delay cannot be negative.').max(10_000, 'Processing delay is at most 10000 ms.');

export const groupsSchemas = {
  /** A group's members, assignments and per-partition committed offset, log end and lag. */
  describeGroup: z.object({ groupId }).strict(),

  /** A group's lag samples after `afterSeq` (all retained ones without it). */
  groupLagHistory: z.object({ groupId, afterSeq: z.number().int().min(0).optional() }).strict(),

  /** What a reset would do: old → new offset per partition. Changes nothing. */
  previewResetOffsets: z
    .object({
      groupId,
      /** One topic, or null for every topic the group has committed offsets for. */
      topic: topic.nullable(),
      /** Only this partition of `topic` (all partitions when omitted). */
      partition: partition.optional(),
      target: z.enum(RESET_TARGETS, { error: 'Reset to earliest, latest, offset, timestamp or shift.' }),
      offset: offsetNumber.optional(),
      timestampMs: timestampNumber.optional(),
      shiftBy: z.number({ error: 'Shift must be a number.' }).int('Shift must be a whole number.').optional(),
    })
    .strict(),

  /** Commits the given offsets for an inactive group (Kafka refuses while it has members). */
  resetOffsets: z
    .object({
      groupId,
      offsets: z.array(z.object({ topic, partition, offset: offsetNumber }).strict()).min(1, 'Give at least one offset.').max(100_000),
    })
    .strict(),

  /** Deletes an inactive group and its committed offsets. */
  deleteGroup: z.object({ groupId }).strict(),

  /** Starts a built-in consumer: a real group member over the Kafka protocol. */
  startConsumer: z
    .object({
      groupId,
      topic,
      /** Time spent "processing" each record; larger than the produce interval makes lag grow. */
      processingDelayMs,
      /** auto.offset.reset: where it begins while its group has no committed offset (earliest when absent). */
      autoOffsetReset: z.enum(['earliest', 'latest'], { error: 'Start at earliest or latest.' }).optional(),
    })
    .strict(),

  /** Changes a running built-in consumer's processing delay. */
  updateConsumer: z
    .object({
      consumerId: z.string().min(1).max(64),
      processingDelayMs,
    })
    .strict(),

  /** Stops a built-in consumer: it commits, leaves its group and disconnects. */
  stopConsumer: z.object({ consumerId: z.string().min(1).max(64) }).strict(),
} satisfies Record<string, z.ZodType>;

export type ResetTarget = (typeof RESET_TARGETS)[number];

// ---------------------------------------------------------------------------
// Results: consumer groups

export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupSummary {
  groupId: string;
  state: GroupStateName;
  protocolType: string | null;
  protocol: string | null;
  members: number;
  /** Sum over partitions with a committed offset; null when none has one. */
  totalLag: number | null;
  coordinator: number;
}

export interface GroupMemberDetail {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  subscribedTopics: string[] | null;
  assignment: { topic: string; partitions: number[] }[];
  /** The built-in consumer behind this member, when it is one. */
  builtinConsumerId: string | null;
}

export interface GroupPartitionDetail {
  topic: string;
  partition: number;
  committedOffset: number | null;
  logStartOffset: number;
  /** The high watermark: what a consumer can read up to. */
  logEndOffset: number;
  /** logEndOffset − committedOffset; null without a committed offset. */
  lag: number | null;
  memberId: string | null;
  clientId: string | null;
}

export interface GroupDetail {
  groupId: string;
  state: GroupStateName;
  protocolType: string | null;
  protocol: string | null;
  generationId: number;
  leaderId: string | null;
  coordinator: number;
  offsetsPartition: number;
  members: GroupMemberDetail[];
  partitions: GroupPartitionDetail[];
  totalLag: number | null;
}

export interface LagHistory {
  groupId: string;
  intervalMs: number;
  /** How many samples the engine keeps per group. */
  capacity: number;
  /** Sequence number of the newest sample (0: none yet). */
  lastSeq: number;
  /** Sequence number of samples[0]. */
  firstSeq: number;
  timesMs: number[];
  /** null where no partition had a committed offset. */
  totalLag: (number | null)[];
  partitions: { topic: string; partition: number; lag: (number | null)[] }[];
}

export interface ResetPreviewRow {
  topic: string;
  partition: number;
  currentOffset: number | null;
  newOffset: number;
  logStartOffset: number;
  logEndOffset: number;
}

export interface ResetPreview {
  groupId: string;
  state: GroupStateName;
  members: number;
  rows: ResetPreviewRow[];
  /** Why applying would be refused now (an active group), or null. */
  refusal: string | null;
}

export interface ResetOffsetsResult {
  groupId: string;
  partitions: { topic: string; partition: number; offset: number }[];
}

// ---------------------------------------------------------------------------
// Results: built-in consumers

export type BuiltinConsumerState = 'starting' | 'joining' | 'consuming' | 'stopping' | 'stopped' | 'failed';

export interface BuiltinConsumerView {
  id: string;
  clientId: string;
  groupId: string;
  topic: string;
  processingDelayMs: number;
  /** Where it began while its group had no committed offset. */
  autoOffsetReset: 'earliest' | 'latest';
  state: BuiltinConsumerState;
  memberId: string | null;
  assigned: number[];
  processed: number;
  error: string | null;
}

export interface GroupsResults {
  describeGroup: GroupDetail;
  groupLagHistory: LagHistory;
  previewResetOffsets: ResetPreview;
  resetOffsets: ResetOffsetsResult;
  deleteGroup: { groupId: string };
  startConsumer: BuiltinConsumerView;
  updateConsumer: BuiltinConsumerView;
  stopConsumer: BuiltinConsumerView;
}

// ---------------------------------------------------------------------------
// Snapshot section

/** The groups part of every cluster snapshot (each list bounded). */
export interface GroupsSnapshot {
  /** Every group the coordinators hold (at most 200, sorted by id). */
  groups: GroupSummary[];
  groupsOmitted: number;
  consumers: BuiltinConsumerView[];
  /** Grows with every lag sample round: charts pull new samples when it moves. */
  lagSeq: number;
}
