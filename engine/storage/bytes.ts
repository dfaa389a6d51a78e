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
import { assert } from '../util/assert';

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

/** Encoded size of a zigzag varint (int32). */
export function sizeOfVarint(value: number): number {
  return sizeOfUnsignedVarint(((value << 1) ^ (value >> 31)) >>> 0);
}

export function sizeOfUnsignedVarint(u: number): number {
  let bytes = 1;
  while (u >= 0x80) {
    u = Math.floor(u / 128);
    bytes++;
  }
  return bytes;
}

/** Encoded size of a zigzag varlong (int64 carried as a safe integer). */
export function sizeOfVarlong(value: number): number {
  return sizeOfUnsignedVarint(zigzag64(value));
}

function zigzag64(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/** Writes a zigzag varint at `pos`; returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  assert(value >= -0x80000000 && value <= 0x7fffffff && Number.isInteger(value), () => `varint out of int32 range: ${value}`);
  let u = ((value << 1) ^ (value >> 31)) >>> 0;
  while (u >= 0x80) {
    buf[pos++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[pos++] = u;
  return pos;
}

/** Writes a zigzag varlong at `pos`; returns the position after it. */
export function writeVarlong(buf: Buffer, pos: number, value: number): number {
  assert(Number.isSafeInteger(value), () => `varlong value ${value} is not a safe integer`);
  let u = zigzag64(value);
  while (u >= 0x80) {
    buf[pos++] = (u % 128) | 0x80;
    u = Math.floor(u / 128);
  }
  buf[pos++] = u;
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
    if (this.pos >= this.end) throw new FormatError('premature end of data reading int8');
    return this.buf.readInt8(this.pos++);
  }

  /** Zigzag varint, at most 5 bytes. */
  readVarint(): number {
    const buf = this.buf;
    let u = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw new FormatError('premature end of data reading varint');
      const b = buf[this.pos++];
      u |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (u >>> 1) ^ -(u & 1);
      shift += 7;
    }
    throw new FormatError('varint longer than 5 bytes');
  }

  /** Zigzag varlong, at most 10 bytes; exact below 2^53. */
  readVarlong(): number {
    const buf = this.buf;
    let u = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new FormatError('premature end of data reading varlong');
      const b = buf[this.pos++];
      u += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      mul *= 128;
    }
    throw new FormatError('varlong longer than 10 bytes');
  }

  /** Skips `n` bytes (checked). */
  skip(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new FormatError(`premature end of data skipping ${n} bytes`);
    this.pos += n;
  }
}
