/**
 * The metrics & history part of the contract: the snapshot section with rates and
 * counters (per broker and per topic, totals since the engine started, a counter of
 * storage events) and the last few follower truncations. Merged into the one contract
 * by contract.ts.
 *
 * What travels where (the IPC budget: ≤ 10 snapshots per second, ≤ 200 kB/s): only
 * current rates and small counters. Histories (charts, the replication timeline) are
 * kept by the renderer from the snapshot stream; the storage events themselves
 * (retention deletions, cleaner runs) come with the topic commands that show them.
 */
import type { z } from 'zod';

export const metricsSchemas = {} satisfies Record<string, z.ZodType>;

export type MetricsResults = Record<never, never>;

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

/**
 * A replica that cut records from the end of its log when it began following a new
 * leader (epoch truncation): records only it had, which the cluster no longer has.
 */
export interface TruncationView {
  /** Increases with every truncation the engine reports (the feed shows each once). */
  seq: number;
  atMs: number;
  brokerId: number;
  topic: string;
  partition: number;
  /** Its log end offset before, and after the cut: fromOffset − toOffset records are gone. */
  fromOffset: number;
  toOffset: number;
}

/** The metrics part of every cluster snapshot. */
export interface MetricsSnapshot {
  brokerRates: BrokerRatesView[];
  /** Messages per second appended to each topic (by its leaders), user topics only. */
  topicMessagesPerS: Record<string, number>;
  /** Since the engine started (across broker restarts). */
  totals: { bytesIn: number; messagesIn: number; bytesOutToConsumers: number; bytesOutToFollowers: number };
  /** Grows with every retention deletion and cleaner run: views showing logs refresh when it moves. */
  storageSeq: number;
  /** The last few truncations that cut records, from the last minute (at most 10, oldest first). */
  truncations: TruncationView[];
}
