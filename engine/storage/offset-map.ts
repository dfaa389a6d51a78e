/**
 * The cleaner's key -> latest offset map, in the manner of Kafka's
 * SkimpyOffsetMap: keys are not stored, only a digest of them.
 *
 * Layout: open addressing with linear probing over typed arrays (no per-key
 * objects, no strings, nothing for the garbage collector). Each slot holds a
 * 96-bit digest of the key (three independent 32-bit MurmurHash3-style hashes)
 * and the key's latest offset. Two keys are taken to be equal when their digests
 * are; with 96 bits the chance that any two of a run's keys collide is below
 * 1e-15 even at millions of keys (Kafka makes the same trade with MD5).
 *
 * Capacity doubles while the map is at most half full, so probes stay short.
 *
 * Invariants: `size` is the number of distinct digests stored; `get` returns the
 * offset last `put` for that key, or -1. Not thread-safe.
 */
import { assert } from '../util/assert';

const EMPTY = -1;
const SEEDS = [0x9747b28c, 0x2f1b0d73, 0x5bd1e995] as const;

export class OffsetMap {
  private capacity: number;
  private mask: number;
  private h1: Int32Array;
  private h2: Int32Array;
  private h3: Int32Array;
  private offsets: Float64Array;
  private count = 0;
  /** The largest offset put so far (-1 when empty). */
  latestOffset = -1;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.capacity = cap;
    this.mask = cap - 1;
    this.h1 = new Int32Array(cap);
    this.h2 = new Int32Array(cap);
    this.h3 = new Int32Array(cap);
    this.offsets = new Float64Array(cap).fill(EMPTY);
  }

  get size(): number {
    return this.count;
  }

  /** Records `offset` as the latest offset of the key `buf[start, start + length)`. */
  put(buf: Uint8Array, start: number, length: number, offset: number): void {
    assert(offset >= 0, 'offsets in the map are non-negative');
    if ((this.count + 1) * 2 > this.capacity) this.grow();
    const a = murmur(buf, start, length, SEEDS[0]);
    const b = murmur(buf, start, length, SEEDS[1]);
    const c = murmur(buf, start, length, SEEDS[2]);
    let slot = a & this.mask;
    // Linear probing; the table is at most half full, so an empty slot exists.
    for (let i = 0; i < this.capacity; i++, slot = (slot + 1) & this.mask) {
      if (this.offsets[slot] === EMPTY) {
        this.h1[slot] = a;
        this.h2[slot] = b;
        this.h3[slot] = c;
        this.offsets[slot] = offset;
        this.count++;
        break;
      }
      if (this.h1[slot] === a && this.h2[slot] === b && this.h3[slot] === c) {
        this.offsets[slot] = offset;
        break;
      }
    }
    if (offset > this.latestOffset) this.latestOffset = offset;
  }

  /** The latest offset of the key, or -1 when the map does not hold it. */
  get(buf: Uint8Array, start: number, length: number): number {
    const a = murmur(buf, start, length, SEEDS[0]);
    let slot = a & this.mask;
    let b = 0;
    let c = 0;
    let hashed = false;
    for (let i = 0; i < this.capacity; i++, slot = (slot + 1) & this.mask) {
      const off = this.offsets[slot];
      if (off === EMPTY) return -1;
      if (this.h1[slot] !== a) continue;
      if (!hashed) {
        b = murmur(buf, start, length, SEEDS[1]);
        c = murmur(buf, start, length, SEEDS[2]);
        hashed = true;
      }
      if (this.h2[slot] === b && this.h3[slot] === c) return off;
    }
    return -1;
  }

  private grow(): void {
    const old = { h1: this.h1, h2: this.h2, h3: this.h3, offsets: this.offsets, capacity: this.capacity };
    this.capacity *= 2;
    this.mask = this.capacity - 1;
    this.h1 = new Int32Array(this.capacity);
    this.h2 = new Int32Array(this.capacity);
    this.h3 = new Int32Array(this.capacity);
    this.offsets = new Float64Array(this.capacity).fill(EMPTY);
    for (let i = 0; i < old.capacity; i++) {
      if (old.offsets[i] === EMPTY) continue;
      let slot = old.h1[i] & this.mask;
      while (this.offsets[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.h1[slot] = old.h1[i];
      this.h2[slot] = old.h2[i];
      this.h3[slot] = old.h3[i];
      this.offsets[slot] = old.offsets[i];
    }
  }
}

/** MurmurHash3 (x86, 32-bit) of buf[start, start + length) with `seed`. */
function murmur(buf: Uint8Array, start: number, length: number, seed: number): number {
  let h = seed | 0;
  const end = start + length;
  const blocksEnd = start + (length & ~3);
  let i = start;
  for (; i < blocksEnd; i += 4) {
    let k = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rem = end - i;
  if (rem > 0) {
    let k = buf[i];
    if (rem > 1) k ^= buf[i + 1] << 8;
    if (rem > 2) k ^= buf[i + 2] << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
