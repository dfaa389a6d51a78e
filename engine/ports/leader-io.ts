/**
 * The leader-I/O port: every read and write a service makes goes to the partition's
 * current leader, the same replica a Kafka consumer fetches from and a producer
 * appends to.
 *
 * - Lookups (`topic`, `requirePartition`) read the freshest metadata image and refuse
 *   with the shared sentences of refusals.ts.
 * - Reads return stored batch bytes below the high watermark (what a consumer may
 *   see), straight from the leader's log: never decoded here, and not counted as
 *   consumer traffic (the UI looking is not a consumer fetching).
 * - `offsetForTimestamp` is ListOffsets on the leader's log (first record with a
 *   timestamp ≥ T, control batches skipped).
 * - `append` hands a built batch to the leader's produce path with the acks asked for
 *   (validation, idempotence rules, replication, exactly as a client's Produce), and
 *   retries the retriable refusals (RETRIABLE_PRODUCE_ERRORS) for at most
 *   APPEND_RETRY_MS while leadership moves. Callers that must not wait (the load
 *   generator) use `leaderNow(…).append` directly.
 *
 * Leadership can move at any time (a broker is killed): every call resolves the leader
 * afresh, and waits (bounded by LEADER_WAIT_MS) while there is none.
 *
 * Invariant: nothing here returns bytes at or above the high watermark.
 */
import { WorkbenchError } from '../api/errors';
import type { PartitionState, TopicImage } from '../cluster/metadata-image';
import type { ProduceResult } from '../cluster/replica-manager';
import { ErrorCode } from '../protocol/errors';
import type { Clock } from '../util/clock';
import type { LeaderLookup, LeaderReplica } from './cluster';
import { RETRIABLE_PRODUCE_ERRORS, noLeader, requirePartition, requireTopic } from './refusals';

/** How long a call waits for a partition to have a leader again. */
const LEADER_WAIT_MS = 5000;
/** How long an append retries retriable errors (leadership moving, ISR too small for a moment). */
export const APPEND_RETRY_MS = 10_000;
/** How long the leader may take to answer one append (its replication timeout with acks=all). */
const APPEND_TIMEOUT_MS = 30_000;
const RETRY_DELAY_MS = 100;

export interface CommittedRange {
  logStartOffset: number;
  highWatermark: number;
}

export class LeaderIo {
  constructor(
    private readonly lookup: LeaderLookup,
    private readonly clock: Clock,
  ) {}

  /** The topic as the newest image has it; UNKNOWN_TOPIC_OR_PARTITION otherwise. */
  topic(name: string, field = 'topic'): TopicImage {
    return requireTopic(this.lookup.image(), name, field);
  }

  requirePartition(t: TopicImage, partition: number, field = 'partition'): PartitionState {
    return requirePartition(t, partition, field);
  }

  /** The leader's replica of a partition right now, or null while it has none. */
  leaderNow(topic: string, partition: number): LeaderReplica | null {
    return this.lookup.leaderReplica(topic, partition);
  }

  /**
   * The leader's replica, waiting up to LEADER_WAIT_MS while leadership moves; for
   * reads, also until a new leader knows its committed offset (KIP-207), so a reader
   * never sees the high watermark go back across a leader change.
   */
  async leader(topic: string, partition: number, forReading = false): Promise<LeaderReplica> {
    const deadline = this.clock.monotonicMs() + LEADER_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      const p = this.leaderNow(topic, partition);
      if (p && (!forReading || p.committedKnown)) return p;
      if (this.clock.monotonicMs() > deadline) throw noLeader(topic, partition);
      await this.sleep(Math.min(200, 20 * (attempt + 1)));
    }
  }

  /** Log start and high watermark of a partition, from its leader. */
  async range(topic: string, partition: number): Promise<CommittedRange> {
    const p = await this.leader(topic, partition, true);
    return { logStartOffset: p.logStartOffset, highWatermark: p.highWatermark };
  }

  /** The same, without waiting: null while the partition has no leader. */
  rangeNow(topic: string, partition: number): CommittedRange | null {
    const p = this.leaderNow(topic, partition);
    return p ? { logStartOffset: p.logStartOffset, highWatermark: p.highWatermark } : null;
  }

  /**
   * Stored batches from the one holding `fromOffset`, below the high watermark, about
   * `maxBytes` long (at least one batch). null when nothing committed is at or after
   * `fromOffset`. Throws OFFSET_OUT_OF_RANGE below the log start offset.
   */
  async read(topic: string, partition: number, fromOffset: number, maxBytes: number): Promise<Buffer | null> {
    for (let attempt = 0; ; attempt++) {
      const p = await this.leader(topic, partition, true);
      const hw = p.highWatermark;
      if (fromOffset >= hw) return null;
      if (fromOffset < p.logStartOffset) {
        throw new WorkbenchError(
          'OFFSET_OUT_OF_RANGE',
          `Offset ${fromOffset} of partition ${partition} of "${topic}" is gone: the log now starts at ${p.logStartOffset} (retention or compaction removed older records). Lay the view out again.`,
        );
      }
      try {
        return p.read(fromOffset, maxBytes, hw);
      } catch (err) {
        // The replica went away under us (broker killed, leadership moved): try the new leader once or twice.
        if (attempt >= 2) throw WorkbenchError.from(err);
        await this.sleep(50);
      }
    }
  }

  /**
   * ListOffsets on the leader: the first record at or after `timestampMs` (≥ 0), or
   * -3 for the record with the largest timestamp. undefined when there is none.
   */
  async offsetForTimestamp(topic: string, partition: number, timestampMs: number): Promise<{ offset: number; timestampMs: number } | undefined> {
    const p = await this.leader(topic, partition);
    return p.offsetForTimestamp(timestampMs);
  }

  /**
   * Appends one batch through the leader's produce path with `acks` (default all),
   * retrying the retriable refusals while leadership moves. Resolves to the leader's
   * last answer; the caller turns a refusal into its own error (produceRefusal).
   */
  async append(topic: string, partition: number, batch: Buffer, acks = -1): Promise<ProduceResult> {
    const deadline = this.clock.monotonicMs() + APPEND_RETRY_MS;
    for (;;) {
      const leader = this.leaderNow(topic, partition);
      const result = leader
        ? await new Promise<ProduceResult>((resolve) => leader.append(batch, acks, APPEND_TIMEOUT_MS, resolve))
        : noLeaderResult(topic, partition);
      if (result.errorCode === ErrorCode.NONE) return result;
      if (!RETRIABLE_PRODUCE_ERRORS.has(result.errorCode) || this.clock.monotonicMs() > deadline) return result;
      await this.sleep(RETRY_DELAY_MS);
    }
  }

  /** The topic's max.message.bytes as its leaders enforce it. */
  maxMessageBytes(topic: string): number {
    return this.lookup.maxMessageBytes(topic);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimer(ms, resolve));
  }
}

function noLeaderResult(topic: string, partition: number): ProduceResult {
  return { topic, partition, errorCode: ErrorCode.LEADER_NOT_AVAILABLE, errorMessage: null, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [] };
}

export { noLeader };
