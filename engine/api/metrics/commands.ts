/**
 * The metrics & history part of the contract: the snapshot section with rates and
 * counters (per broker and per topic, totals since the engine started, a counter of
 * storage events, the history journal's position), and the history journal itself
 * (clusterEvents: what happened in the last hour). Merged into the one contract by
 * contract.ts.
 *
 * What travels where (the IPC budget: ≤ 10 snapshots per second, ≤ 200 kB/s): only
 * current rates and small counters in the snapshot. The events themselves are asked for
 * when the journal's position moves (and in full, up to an hour, when a page opens), so
 * a page that opens late shows what happened before it did. Chart histories are kept by
 * the renderer from the snapshot stream; the storage events themselves (retention
 * deletions, cleaner runs) come with the topic commands that show them.
 */
import { z } from 'zod';
import type { BrokerState } from '../brokers/commands';

/** Events one clusterEvents answer carries at most (the newest when there are more). */
export const MAX_EVENTS_PER_ANSWER = 500;

export const metricsSchemas = {
  /**
   * What the cluster's history journal recorded: after a position an earlier answer
   * gave, or (after: null) the last hour's, newest MAX_EVENTS_PER_ANSWER at most.
   */
  clusterEvents: z.object({ after: z.number({ error: 'after must be a position (a number) or null.' }).int('after must be a whole number.').min(0, 'after is 0 or more.').nullable() }).strict(),
} satisfies Record<string, z.ZodType>;

export interface MetricsResults {
  clusterEvents: ClusterEventsResult;
}

/** Something that happened in the cluster, as the engine's history journal recorded it. */
export type ClusterEventView =
  | { kind: 'broker-state'; atMs: number; brokerId: number; from: BrokerState; to: BrokerState }
  | { kind: 'controller-change'; atMs: number; from: number | null; to: number | null }
  | { kind: 'topic-created' | 'topic-deleted'; atMs: number; topic: string }
  | { kind: 'leader-change'; atMs: number; topic: string; partition: number; from: number | null; to: number | null; leaderEpoch: number }
  | { kind: 'isr-change'; atMs: number; topic: string; partition: number; before: number[]; after: number[] }
  | { kind: 'truncated'; atMs: number; brokerId: number; topic: string; partition: number; fromOffset: number; toOffset: number }
  | { kind: 'segments-deleted'; atMs: number; brokerId: number; topic: string; partition: number; count: number; logStartOffset: number }
  | { kind: 'cleaned'; atMs: number; brokerId: number; topic: string; partition: number; recordsBefore: number; recordsAfter: number; keylessRemoved: number }
  | { kind: 'produce-refused'; atMs: number; topic: string; partition: number; errorName: string; message: string };

export interface ClusterEventsResult {
  /** The journal's position after these events: ask for `after: position` next. */
  position: number;
  /** Oldest first. */
  events: ClusterEventView[];
  /** Events left out: older than an hour, or beyond MAX_EVENTS_PER_ANSWER. */
  omitted: number;
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

/** The metrics part of every cluster snapshot. */
export interface MetricsSnapshot {
  brokerRates: BrokerRatesView[];
  /** Messages per second appended to each topic (by its leaders), user topics only. */
  topicMessagesPerS: Record<string, number>;
  /** Since the engine started (across broker restarts). */
  totals: { bytesIn: number; messagesIn: number; bytesOutToConsumers: number; bytesOutToFollowers: number };
  /** Grows with every retention deletion and cleaner run: views showing logs refresh when it moves. */
  storageSeq: number;
  /** The history journal's position: when it moves, clusterEvents has something new. */
  journalPosition: number;
}
