/**
 * Partition I/O for the browser and the jobs, through each partition's current leader:
 * the same replica the fetch path of a Kafka consumer reads and the produce path
 * appends to.
 *
 * - Reads return stored batch bytes below the high watermark (what a consumer may
 *   see), straight from the leader's log (`ReplicaLog.read`): never decoded here, and
 *   not counted as consumer traffic (the UI looking is not a consumer fetching).
 * - `offsetForTimestamp` is ListOffsets on the leader's log (first record with a
 *   timestamp ≥ T, control batches skipped).
 * - `append` hands a built batch to the leader's replica manager with acks=all, exactly
 *   as a client's Produce does (validation, idempotence rules, replication), retrying
 *   while leadership moves.
 *
 * Leadership can move at any time (a broker is killed): every call resolves the leader
 * afresh from the newest metadata image, and waits (bounded) while there is none.
 *
 * Invariant: nothing here returns bytes at or above the high watermark.
 */
import { WorkbenchError } from '../api/errors';
import { NO_LEADER, type TopicImage } from '../cluster/metadata-image';
import type { Partition } from '../cluster/partition';
import type { ProduceResult } from '../cluster/replica-manager';
import type { Engine } from '../engine';

/** How long a call waits for a partition to have a leader again. */
const LEADER_WAIT_MS = 5000;
/** How long an append retries retriable errors (leadership moving, ISR too small for a moment). */
const APPEND_RETRY_MS = 10_000;
const RETRIABLE_PRODUCE_ERRORS = new Set([3, 5, 6, 7, 19, 20]);

export interface CommittedRange {
  logStartOffset: number;
  highWatermark: number;
}

export class LeaderIo {
  constructor(private readonly engine: Engine) {}

  /** The topic as the newest image has it; UNKNOWN_TOPIC_OR_PARTITION otherwise. */
  topic(name: string, field = 'topic'): TopicImage {
    const t = this.engine.cluster.latestImage()?.topics.get(name);
    if (!t) throw new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${name}" does not exist. Create it first, or check the name.`, field);
    return t;
  }

  requirePartition(t: TopicImage, partition: number, field = 'partition'): void {
    if (partition >= t.partitions.length) {
      throw new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${t.name}" has no partition ${partition}; its partitions are 0 to ${t.partitions.length - 1}.`, field);
    }
  }

  /** The leader's replica of a partition right now, or null while it has none. */
  leaderNow(topic: string, partition: number): Partition | null {
    const p = this.engine.cluster.latestImage()?.topics.get(topic)?.partitions[partition];
    if (!p || p.leader === NO_LEADER) return null;
    const broker = this.engine.cluster.broker(p.leader);
    if (!broker.isUp || !broker.replicaManager) return null;
    const replica = broker.replicaManager.partition(topic, partition);
    return replica && replica.isLeader ? replica : null;
  }

  /** The leader's replica, waiting up to LEADER_WAIT_MS while leadership moves. */
  async leader(topic: string, partition: number): Promise<Partition> {
    const deadline = this.engine.clock.monotonicMs() + LEADER_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      const p = this.leaderNow(topic, partition);
      if (p) return p;
      if (this.engine.clock.monotonicMs() > deadline) throw noLeader(topic, partition);
      await this.sleep(Math.min(200, 20 * (attempt + 1)));
    }
  }

  /** Log start and high watermark of a partition, from its leader. */
  async range(topic: string, partition: number): Promise<CommittedRange> {
    const p = await this.leader(topic, partition);
    return { logStartOffset: p.log.logStartOffset, highWatermark: p.highWatermark };
  }

  /** The same, without waiting: null while the partition has no leader. */
  rangeNow(topic: string, partition: number): CommittedRange | null {
    const p = this.leaderNow(topic, partition);
    return p ? { logStartOffset: p.log.logStartOffset, highWatermark: p.highWatermark } : null;
  }

  /**
   * Stored batches from the one holding `fromOffset`, below the high watermark, about
   * `maxBytes` long (at least one batch). null when nothing committed is at or after
   * `fromOffset`. Throws OFFSET_OUT_OF_RANGE below the log start offset.
   */
  async read(topic: string, partition: number, fromOffset: number, maxBytes: number): Promise<Buffer | null> {
    for (let attempt = 0; ; attempt++) {
      const p = await this.leader(topic, partition);
      const hw = p.highWatermark;
      if (fromOffset >= hw) return null;
      if (fromOffset < p.log.logStartOffset) {
        throw new WorkbenchError(
          'OFFSET_OUT_OF_RANGE',
          `Offset ${fromOffset} of partition ${partition} of "${topic}" is gone: the log now starts at ${p.log.logStartOffset} (retention or compaction removed older records). Lay the view out again.`,
        );
      }
      try {
        return p.log.read(fromOffset, maxBytes, hw, true);
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
    return p.log.offsetForTimestamp(timestampMs);
  }

  /** Appends one batch through the leader's produce path (acks=all), retrying while leadership moves. */
  async append(topic: string, partition: number, batch: Buffer): Promise<ProduceResult> {
    const deadline = this.engine.clock.monotonicMs() + APPEND_RETRY_MS;
    for (;;) {
      const leader = this.leaderNow(topic, partition);
      let result: ProduceResult;
      if (!leader) {
        result = { topic, partition, errorCode: 5, errorMessage: null, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [] };
      } else {
        const rm = this.engine.cluster.broker(leader.brokerId).replicaManager!;
        result = await new Promise<ProduceResult>((resolve) => rm.appendRecords(-1, 30_000, [{ topic, partition, records: batch }], (r) => resolve(r[0])));
      }
      if (result.errorCode === 0) return result;
      if (!RETRIABLE_PRODUCE_ERRORS.has(result.errorCode) || this.engine.clock.monotonicMs() > deadline) return result;
      await this.sleep(100);
    }
  }

  /** The topic's max.message.bytes as its leader enforces it. */
  maxMessageBytes(topic: string): number {
    const t = this.engine.cluster.latestImage()?.topics.get(topic);
    const leaderId = t?.partitions.find((p) => p.leader !== NO_LEADER)?.leader;
    const broker = leaderId !== undefined ? this.engine.cluster.broker(leaderId) : this.engine.cluster.brokers.find((b) => b.isUp);
    return broker ? broker.topicConfig(topic).maxMessageBytes : 1_048_588;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.engine.clock.setTimer(ms, resolve));
  }
}

export function noLeader(topic: string, partition: number): WorkbenchError {
  return new WorkbenchError(
    'LEADER_NOT_AVAILABLE',
    `Partition ${partition} of "${topic}" has no leader right now: its in-sync replicas are down. Restart one of them and try again.`,
  );
}
