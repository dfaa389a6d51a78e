/**
 * The offset index of one segment (`<baseOffset>.index`): a sparse map from
 * offsets to byte positions in the segment's `.log` file.
 *
 * File format (Kafka's): 8-byte entries, big-endian,
 *   relativeOffset int32   (offset - segment base offset)
 *   position       int32   (byte position of a batch in the .log file)
 * An entry (o, p) says: the batch starting at byte p has last offset o. The
 * segment adds one after every `index.interval.bytes` of appended log, so any
 * offset is found by a lookup (largest entry <= target) and a short forward scan
 * of batch headers from that position.
 *
 * Invariants: offsets and positions strictly increase entry by entry; every
 * relative offset fits an int32 (the segment rolls before it would not); lookups
 * on an empty index return (baseOffset, 0), the segment's first batch.
 *
 * Entries live in memory (Int32Arrays) and are mirrored into the file as they are
 * added (sparse-index.ts).
 * Not thread-safe.
 */
import { assert } from '../util/assert';
import { SparseIndex, floorIndex, growInt32 } from './sparse-index';

export interface OffsetPosition {
  offset: number;
  position: number;
}

const INT32_MAX = 0x7fffffff;

export class OffsetIndex extends SparseIndex {
  static readonly ENTRY_BYTES = 8;
  private rel: Int32Array = new Int32Array(16);
  private pos: Int32Array = new Int32Array(16);

  entryBytes(): number {
    return OffsetIndex.ENTRY_BYTES;
  }

  protected grow(n: number): void {
    this.rel = growInt32(this.rel, n);
    this.pos = growInt32(this.pos, n);
  }

  protected encodeEntry(i: number, buf: Buffer, at: number): void {
    buf.writeInt32BE(this.rel[i], at);
    buf.writeInt32BE(this.pos[i], at + 4);
  }

  /** True when `offset` can be stored relative to this segment's base. */
  canAppendOffset(offset: number): boolean {
    const r = offset - this.baseOffset;
    return r >= 0 && r <= INT32_MAX;
  }

  /** Offset of the last entry, or the base offset when empty. */
  lastOffset(): number {
    return this.count === 0 ? this.baseOffset : this.baseOffset + this.rel[this.count - 1];
  }

  lastPosition(): number {
    return this.count === 0 ? 0 : this.pos[this.count - 1];
  }

  entry(i: number): OffsetPosition {
    assert(i >= 0 && i < this.count, 'offset index entry out of range');
    return { offset: this.baseOffset + this.rel[i], position: this.pos[i] };
  }

  append(offset: number, position: number): void {
    assert(this.canAppendOffset(offset), () => `offset ${offset} does not fit segment ${this.baseOffset}`);
    const r = offset - this.baseOffset;
    assert(position >= 0 && position <= INT32_MAX, () => `position ${position} does not fit an int32`);
    if (this.count > 0) {
      assert(r > this.rel[this.count - 1], () => `offset index append ${offset} is not above the last entry ${this.lastOffset()}`);
      assert(position > this.pos[this.count - 1], () => `offset index position ${position} is not above the last entry`);
    }
    this.ensureRoom();
    this.rel[this.count] = r;
    this.pos[this.count] = position;
    this.count++;
    this.persistNewEntries();
  }

  /** Largest entry with offset <= target, or (baseOffset, 0). */
  lookup(targetOffset: number): OffsetPosition {
    const i = floorIndex(this.rel, this.count, targetOffset - this.baseOffset);
    if (i < 0) return { offset: this.baseOffset, position: 0 };
    return { offset: this.baseOffset + this.rel[i], position: this.pos[i] };
  }

  /** Removes every entry with offset >= `offset`. */
  truncateTo(offset: number): void {
    const i = floorIndex(this.rel, this.count, offset - this.baseOffset - 1);
    this.truncateEntries(i + 1);
  }

  /** Removes every entry whose position is >= `position` (after the log was cut there). */
  truncateToPosition(position: number): void {
    let n = this.count;
    // Walks back over at most `count` entries.
    while (n > 0 && this.pos[n - 1] >= position) n--;
    this.truncateEntries(n);
  }

  /**
   * Parses an index file's bytes. Returns the index, or a sentence saying why the
   * file cannot be trusted (then the segment rebuilds it from the log).
   */
  static parse(buf: Buffer, baseOffset: number, maxIndexBytes: number, logSizeBytes: number): OffsetIndex | string {
    if (buf.length % OffsetIndex.ENTRY_BYTES !== 0) {
      return `offset index of ${buf.length} bytes is not a multiple of ${OffsetIndex.ENTRY_BYTES}`;
    }
    const n = buf.length / OffsetIndex.ENTRY_BYTES;
    const index = new OffsetIndex(baseOffset, Math.max(maxIndexBytes, buf.length));
    index.grow(n);
    let lastRel = -1;
    let lastPos = -1;
    for (let i = 0; i < n; i++) {
      const r = buf.readInt32BE(i * 8);
      const p = buf.readInt32BE(i * 8 + 4);
      if (r <= lastRel || r < 0) return `offset index entry ${i} has relative offset ${r} not above ${lastRel}`;
      if (p <= lastPos || p < 0) return `offset index entry ${i} has position ${p} not above ${lastPos}`;
      if (p >= logSizeBytes) return `offset index entry ${i} points at byte ${p}, past the log's ${logSizeBytes} bytes`;
      index.rel[i] = r;
      index.pos[i] = p;
      lastRel = r;
      lastPos = p;
    }
    index.count = n;
    return index;
  }
}
