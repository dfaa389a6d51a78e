/**
 * The time index of one segment (`<baseOffset>.timeindex`): a sparse map from
 * timestamps to offsets, used by ListOffsets (offset for a timestamp) and by
 * time-based retention (the segment's largest timestamp).
 *
 * File format (Kafka's): 12-byte entries, big-endian,
 *   timestamp      int64   (ms)
 *   relativeOffset int32   (offset - segment base offset)
 * An entry (t, o) says: t is the largest timestamp among records at offsets <= o
 * in this segment. The segment adds an entry together with each offset-index
 * entry, but only when the largest timestamp seen has grown, and once more when
 * the segment stops being active.
 *
 * Invariants: timestamps strictly increase entry by entry; offsets never decrease;
 * lookups on an empty index return (-1, baseOffset).
 *
 * Timestamps are held in a Float64Array (exact for integers below 2^53).
 * Not thread-safe.
 */
import { assert } from '../util/assert';
import { readInt64, writeInt64 } from './bytes';
import { SparseIndex, floorIndex, growFloat64, growInt32 } from './sparse-index';

export interface TimestampOffset {
  timestampMs: number;
  offset: number;
}

export class TimeIndex extends SparseIndex {
  static readonly ENTRY_BYTES = 12;
  private ts: Float64Array = new Float64Array(16);
  private rel: Int32Array = new Int32Array(16);

  entryBytes(): number {
    return TimeIndex.ENTRY_BYTES;
  }

  protected grow(n: number): void {
    this.ts = growFloat64(this.ts, n);
    this.rel = growInt32(this.rel, n);
  }

  protected encodeEntry(i: number, buf: Buffer, at: number): void {
    writeInt64(buf, at, this.ts[i]);
    buf.writeInt32BE(this.rel[i], at + 8);
  }

  /** The last entry, or (-1, baseOffset) when empty. */
  lastEntry(): TimestampOffset {
    if (this.count === 0) return { timestampMs: -1, offset: this.baseOffset };
    return { timestampMs: this.ts[this.count - 1], offset: this.baseOffset + this.rel[this.count - 1] };
  }

  entry(i: number): TimestampOffset {
    assert(i >= 0 && i < this.count, 'time index entry out of range');
    return { timestampMs: this.ts[i], offset: this.baseOffset + this.rel[i] };
  }

  /**
   * Appends (t, o) when t is larger than the last entry's timestamp (or than -1,
   * "no timestamp", when empty); otherwise nothing. `force` ignores the full check (the final entry at roll, as Kafka).
   */
  maybeAppend(timestampMs: number, offset: number, force = false): void {
    const lastTs = this.count > 0 ? this.ts[this.count - 1] : -1;
    if (timestampMs <= lastTs) return;
    if (this.count > 0) {
      const last = this.baseOffset + this.rel[this.count - 1];
      assert(offset >= last, () => `time index offset ${offset} is below the last entry's ${last}`);
    }
    const r = offset - this.baseOffset;
    assert(r >= 0 && r <= 0x7fffffff, () => `offset ${offset} does not fit segment ${this.baseOffset}`);
    if (this.isFull && !force) return;
    if (this.isFull) this.grow(this.count + 1);
    else this.ensureRoom();
    this.ts[this.count] = timestampMs;
    this.rel[this.count] = r;
    this.count++;
    this.persistNewEntries();
  }

  /** Largest entry with timestamp <= target, or (-1, baseOffset). */
  lookup(targetTimestampMs: number): TimestampOffset {
    const i = floorIndex(this.ts, this.count, targetTimestampMs);
    if (i < 0) return { timestampMs: -1, offset: this.baseOffset };
    return { timestampMs: this.ts[i], offset: this.baseOffset + this.rel[i] };
  }

  /** Removes every entry with offset >= `offset`. */
  truncateTo(offset: number): void {
    let n = this.count;
    // Offsets never decrease, so walking back from the end finds the cut.
    while (n > 0 && this.baseOffset + this.rel[n - 1] >= offset) n--;
    this.truncateEntries(n);
  }

  /** Parses a time index file's bytes; a sentence when it cannot be trusted. */
  static parse(buf: Buffer, baseOffset: number, maxIndexBytes: number, nextOffset: number): TimeIndex | string {
    if (buf.length % TimeIndex.ENTRY_BYTES !== 0) {
      return `time index of ${buf.length} bytes is not a multiple of ${TimeIndex.ENTRY_BYTES}`;
    }
    const n = buf.length / TimeIndex.ENTRY_BYTES;
    const index = new TimeIndex(baseOffset, Math.max(maxIndexBytes, buf.length));
    index.grow(n);
    let lastTs = -1;
    let lastRel = 0;
    for (let i = 0; i < n; i++) {
      const t = readInt64(buf, i * 12);
      const r = buf.readInt32BE(i * 12 + 8);
      if (t <= lastTs) return `time index entry ${i} has timestamp ${t} not above ${lastTs}`;
      if (r < lastRel) return `time index entry ${i} has offset ${baseOffset + r} below the previous entry`;
      if (baseOffset + r >= nextOffset) return `time index entry ${i} names offset ${baseOffset + r}, past the segment's end ${nextOffset}`;
      index.ts[i] = t;
      index.rel[i] = r;
      lastTs = t;
      lastRel = r;
    }
    index.count = n;
    return index;
  }
}
