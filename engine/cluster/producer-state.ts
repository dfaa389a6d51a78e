/**
 * Idempotent producer state for one partition, as Kafka keeps it: per producer id,
 * its current epoch and the metadata of its last five appended batches (first and
 * last sequence, first and last offset).
 *
 * Check before append (the leader) — for a batch with producerId ≥ 0:
 * - epoch older than the producer's current epoch → INVALID_PRODUCER_EPOCH;
 * - epoch newer → the producer restarted its sequence: the batch must start at 0;
 * - same epoch: a batch equal (first and last sequence) to one of the last five is
 *   a retry: acknowledge it with the original offsets and append nothing
 *   (DUPLICATE); otherwise its first sequence must follow the last one (modulo
 *   2^31), else OUT_OF_ORDER_SEQUENCE_NUMBER;
 * - a producer without state must start at sequence 0.
 * Followers update the same state from the batches they replicate, so a new leader
 * recognises retries of batches its predecessor acknowledged.
 *
 * Invariants: at most MAX_BATCHES_PER_PRODUCER entries per producer, ordered by
 * offset; offsets of entries only grow.
 */
import { ErrorCode } from '../protocol/errors';
import { assert } from '../util/assert';

export const MAX_BATCHES_PER_PRODUCER = 5;
const SEQUENCE_MODULUS = 2 ** 31;

export interface ProducerBatchHeader {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  /** Number of records in the batch (lastOffsetDelta + 1). */
  recordCount: number;
}

interface BatchEntry {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: BatchEntry[];
  lastTimestampMs: number;
}

export type ProducerCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; firstOffset: number; lastOffset: number }
  | { kind: 'error'; errorCode: number; message: string };

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerEntry>();

  get producerCount(): number {
    return this.producers.size;
  }

  check(h: ProducerBatchHeader): ProducerCheck {
    if (h.producerId < 0) return { kind: 'append' };
    const lastSeqOfBatch = (h.baseSequence + h.recordCount - 1) % SEQUENCE_MODULUS;
    const entry = this.producers.get(h.producerId);
    if (!entry) {
      if (h.baseSequence !== 0) {
        return { kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message: `Out of order sequence number for producer ${h.producerId}: found ${h.baseSequence}, expected 0 for a producer without state.` };
      }
      return { kind: 'append' };
    }
    if (h.producerEpoch < entry.epoch) {
      return { kind: 'error', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, message: `Producer ${h.producerId}'s epoch ${h.producerEpoch} is older than the current epoch ${entry.epoch}.` };
    }
    if (h.producerEpoch > entry.epoch) {
      if (h.baseSequence !== 0) {
        return { kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message: `Producer ${h.producerId} started epoch ${h.producerEpoch} at sequence ${h.baseSequence}; a new epoch starts at 0.` };
      }
      return { kind: 'append' };
    }
    const dup = entry.batches.find((b) => b.firstSeq === h.baseSequence && b.lastSeq === lastSeqOfBatch);
    if (dup) return { kind: 'duplicate', firstOffset: dup.firstOffset, lastOffset: dup.lastOffset };
    const last = entry.batches[entry.batches.length - 1];
    const expected = last ? (last.lastSeq + 1) % SEQUENCE_MODULUS : 0;
    if (h.baseSequence !== expected) {
      return { kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message: `Out of order sequence number for producer ${h.producerId} at epoch ${h.producerEpoch}: found ${h.baseSequence}, expected ${expected}.` };
    }
    return { kind: 'append' };
  }

  /** Records an appended batch (leader after check, follower unconditionally). */
  update(h: ProducerBatchHeader, firstOffset: number, lastOffset: number, timestampMs: number): void {
    if (h.producerId < 0) return;
    let entry = this.producers.get(h.producerId);
    if (!entry || h.producerEpoch > entry.epoch) {
      entry = { epoch: h.producerEpoch, batches: [], lastTimestampMs: timestampMs };
      this.producers.set(h.producerId, entry);
    }
    const prev = entry.batches[entry.batches.length - 1];
    assert(!prev || firstOffset > prev.lastOffset, 'producer batch offsets must grow');
    entry.batches.push({ firstSeq: h.baseSequence, lastSeq: (h.baseSequence + h.recordCount - 1) % SEQUENCE_MODULUS, firstOffset, lastOffset });
    if (entry.batches.length > MAX_BATCHES_PER_PRODUCER) entry.batches.shift();
    entry.lastTimestampMs = timestampMs;
  }

  /** Forgets batches at or after `offset` (the log was truncated there). */
  truncateTo(offset: number): void {
    for (const [pid, entry] of this.producers) {
      entry.batches = entry.batches.filter((b) => b.lastOffset < offset);
      if (entry.batches.length === 0) this.producers.delete(pid);
    }
  }

  /** Drops producers idle for longer than producer.id.expiration.ms. */
  expire(nowMs: number, expirationMs: number): void {
    for (const [pid, entry] of this.producers) if (nowMs - entry.lastTimestampMs > expirationMs) this.producers.delete(pid);
  }

  clear(): void {
    this.producers.clear();
  }
}
