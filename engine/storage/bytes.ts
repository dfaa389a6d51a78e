/**
 * Byte-level helpers for Kafka's binary formats: big-endian int64 as JS numbers,
 * and the zigzag varints of the v2 record format (protobuf-style base-128, low
 * group first, zigzag so small negative numbers stay short).
 *
 * int64 values are carried as JS numbers: offsets, timestamps and producer ids
 * in this engine stay below 2^53, and writing asserts it. Reading a larger value
 * (a foreign producer id, say) returns the nearest double rather than failing.
 *
 * `ByteReader` walks a buffer with bounds checks and no allocation per value; it
 * throws `FormatError` (a plain Error the record layer turns into a Kafka error)
 * when a value runs past its end or a varint is longer than its type allows.
 */
import { assert, InvariantError } from '../util/assert';

const TWO_32 = 4294967296;

export class FormatError extends Error {
  override name = 'FormatError';
}

export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, pos: number, value: number): void {
  assert(Number.isSafeInteger(value), () => `int64 value ${value} is not a safe integer`);
  const hi = Math.floor(value / TWO_32);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * TWO_32, pos + 4);
}

// ---- zigzag varints ------------------------------------------------------------------
//
// The one implementation of the record format's varints (the protocol's VARINT and
// VARLONG primitives use it too; its unsigned varints of compact types are plain
// LEB128 without zigzag and live in protocol/types.ts).
//
// varint: an int32 v is zigzagged to the uint32 u = (v << 1) ^ (v >> 31), written as
// 1-5 groups of 7 bits. varlong: an int64 v (a safe integer here) is zigzagged to
// u = 2v for v >= 0 and 2|v| - 1 for v < 0, written as 1-10 groups. 2|v| - 1 needs 54
// bits for the most negative safe integers, beyond a double's exact range, so the
// varlong helpers never form u: they split v into its sign and a = v or |v| - 1
// (u = 2a + sign, a < 2^53), and take the first group's 6 value bits and the sign
// from there and the other groups from a / 64, which is exact.

/** Zigzag mapping of an int32 to the uint32 the varint encodes. */
export function zigzagEncode32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

/** Inverse of zigzagEncode32. */
export function zigzagDecode32(u: number): number {
  return (u >>> 1) ^ -(u & 1);
}

/** Encoded size of an unsigned varint of `u` (0 <= u < 2^53). */
export function sizeOfUnsignedVarint(u: number): number {
  if (u < 0x80) return 1;
  if (u < 0x4000) return 2;
  if (u < 0x200000) return 3;
  if (u < 0x10000000) return 4;
  let bytes = 5;
  for (let rest = Math.floor(u / 0x800000000); rest > 0; rest = Math.floor(rest / 128)) bytes++;
  return bytes;
}

/** Encoded size of a zigzag varint (int32). */
export function sizeOfVarint(value: number): number {
  const u = zigzagEncode32(value);
  return u < 0x80 ? 1 : u < 0x4000 ? 2 : u < 0x200000 ? 3 : u < 0x10000000 ? 4 : 5;
}

/** Encoded size of a zigzag varlong (int64 carried as a safe integer). */
export function sizeOfVarlong(value: number): number {
  if (value === (value | 0)) return sizeOfVarint(value);
  const a = value < 0 ? -value - 1 : value;
  return 1 + sizeOfUnsignedVarint(Math.floor(a / 64));
}

/** Writes a zigzag varint at `pos`; returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  if (value !== (value | 0)) throw new InvariantError(`varint out of int32 range: ${value}`);
  let u = zigzagEncode32(value);
  while (u >= 0x80) {
    buf[pos++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[pos++] = u;
  return pos;
}

/** Writes a zigzag varlong at `pos`; returns the position after it. Exact for every safe integer. */
export function writeVarlong(buf: Buffer, pos: number, value: number): number {
  // In int32 range the varlong's bytes are the varint's.
  if (value === (value | 0)) return writeVarint(buf, pos, value);
  assert(Number.isSafeInteger(value), () => `varlong value ${value} is not a safe integer`);
  const sign = value < 0 ? 1 : 0;
  const a = sign ? -value - 1 : value;
  let rest = Math.floor(a / 64);
  // |value| >= 2^31 here, so there is always a second group.
  buf[pos++] = (((a - rest * 64) << 1) | sign | 0x80);
  while (rest >= 0x80) {
    buf[pos++] = (rest % 128) | 0x80;
    rest = Math.floor(rest / 128);
  }
  buf[pos++] = rest;
  return pos;
}

/** A bounds-checked cursor over `buf[pos, end)`. Reused across values; no allocation. */
export class ByteReader {
  buf: Buffer;
  pos: number;
  end: number;

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  reset(buf: Buffer, pos: number, end: number): void {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  readInt8(): number {
    const pos = this.pos;
    if (pos >= this.end) throw truncated('int8');
    this.pos = pos + 1;
    return (this.buf[pos] << 24) >> 24;
  }

  /** Zigzag varint, at most 5 bytes (as Kafka: bits beyond 32 in the fifth byte are dropped). */
  readVarint(): number {
    return this.readVarintAt(this.pos);
  }

  /**
   * Zigzag varlong, at most 10 bytes; exact for every safe integer (see the varint
   * notes above), the nearest double beyond.
   */
  readVarlong(): number {
    return this.readVarlongAt(this.pos);
  }

  /** Skips `n` bytes (checked). */
  skip(n: number): void {
    this.skipAt(this.pos, n);
  }

  // The *At flavours start at an explicit position `pos` (checked against `end` as the
  // others are) and leave the reader after what they read: a hot loop keeps its
  // position in a local and takes `pos` back after each value. They are small (errors
  // are built out of line) so that such loops inline them whole.

  /** readVarint starting at `pos`. */
  readVarintAt(pos: number): number {
    const buf = this.buf;
    const end = this.end;
    let u = 0;
    let shift = 0;
    let b: number;
    do {
      if (pos >= end || shift > 28) throw varintError('varint', shift <= 28, 5);
      b = buf[pos++];
      u |= (b & 0x7f) << shift;
      shift += 7;
    } while (b >= 0x80);
    this.pos = pos;
    return zigzagDecode32(u);
  }

  /** readVarlong starting at `pos`. */
  readVarlongAt(pos: number): number {
    const buf = this.buf;
    const end = this.end;
    if (pos >= end) throw truncated('varlong');
    let b = buf[pos++];
    const sign = b & 1;
    // a: the value bits above the sign, 6 from the first group, 7 from each later one.
    let a = (b & 0x7f) >>> 1;
    for (let mul = 64; b >= 0x80; mul *= 128) {
      // The tenth group has mul 2^62: a group beyond it makes the varlong too long.
      if (pos >= end || mul > 2 ** 62) throw varintError('varlong', mul <= 2 ** 62, 10);
      b = buf[pos++];
      a += (b & 0x7f) * mul;
    }
    this.pos = pos;
    return sign ? -a - 1 : a;
  }

  /** skip starting at `pos`. */
  skipAt(pos: number, n: number): void {
    const to = pos + n;
    if (n < 0 || to > this.end) throw truncatedSkip(n);
    this.pos = to;
  }
}

function truncated(what: string): FormatError {
  return new FormatError(`premature end of data reading ${what}`);
}

function varintError(what: string, truncatedInput: boolean, maxBytes: number): FormatError {
  return truncatedInput ? truncated(what) : new FormatError(`${what} longer than ${maxBytes} bytes`);
}

function truncatedSkip(n: number): FormatError {
  return new FormatError(`premature end of data skipping ${n} bytes`);
}
