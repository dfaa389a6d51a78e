/**
 * The primitive types of Kafka's generated message classes, as the group coordinator's
 * own formats need them: the records of `__consumer_offsets` (key and value schemas) and
 * the consumer protocol's Subscription and Assignment.
 *
 * Format (big-endian throughout, as Kafka's `ByteBufferAccessor`):
 *   int16, int32, int64            two's complement
 *   string                         int16 byte length, then UTF-8 bytes
 *   nullable string                length -1 = null
 *   bytes                          int32 byte length, then the bytes; nullable: -1 = null
 *   array                          int32 element count; nullable: -1 = null
 *   compact string / bytes / array (flexible versions) unsigned varint of length + 1, 0 = null
 *   tagged fields                  (flexible versions) unsigned varint count, then per field
 *                                  uvarint tag, uvarint size, bytes
 *
 * int64 values are carried as JS numbers and must be safe integers (offsets and timestamps
 * here always are); reading a larger one fails rather than rounding silently.
 *
 * `KafkaReader` never reads past its buffer: every read checks the remaining length and
 * throws `GroupFormatError`, which callers turn into a skipped record or a Kafka error code.
 * Like Kafka's readers it ignores bytes that follow the last field it knows.
 */
import { assert } from '../../util/assert';

const TWO_32 = 4294967296;
/** Kafka's string length prefix is an int16. */
export const MAX_STRING_BYTES = 0x7fff;

/** Bytes that do not parse as the expected schema. Input error, never an engine bug. */
export class GroupFormatError extends Error {
  override name = 'GroupFormatError';
}

export class KafkaWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialBytes = 64) {
    this.buf = Buffer.alloc(initialBytes);
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int16(v: number): this {
    assert(Number.isInteger(v) && v >= -0x8000 && v <= 0x7fff, () => `int16 out of range: ${v}`);
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    assert(Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff, () => `int32 out of range: ${v}`);
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: number): this {
    assert(Number.isSafeInteger(v), () => `int64 value ${v} is not a safe integer`);
    this.ensure(8);
    const hi = Math.floor(v / TWO_32);
    this.buf.writeInt32BE(hi, this.pos);
    this.buf.writeUInt32BE(v - hi * TWO_32, this.pos + 4);
    this.pos += 8;
    return this;
  }

  uvarint(v: number): this {
    assert(Number.isInteger(v) && v >= 0 && v <= 0xffffffff, () => `unsigned varint out of range: ${v}`);
    this.ensure(5);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
    return this;
  }

  raw(bytes: Buffer): this {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.pos);
    this.pos += bytes.length;
    return this;
  }

  string(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    assert(bytes.length <= MAX_STRING_BYTES, () => `string of ${bytes.length} bytes exceeds Kafka's int16 length`);
    return this.int16(bytes.length).raw(bytes);
  }

  nullableString(s: string | null): this {
    return s === null ? this.int16(-1) : this.string(s);
  }

  compactString(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    assert(bytes.length <= MAX_STRING_BYTES, () => `string of ${bytes.length} bytes exceeds Kafka's int16 length`);
    return this.uvarint(bytes.length + 1).raw(bytes);
  }

  compactNullableString(s: string | null): this {
    return s === null ? this.uvarint(0) : this.compactString(s);
  }

  bytes(b: Buffer): this {
    return this.int32(b.length).raw(b);
  }

  nullableBytes(b: Buffer | null): this {
    return b === null ? this.int32(-1) : this.bytes(b);
  }

  compactBytes(b: Buffer): this {
    return this.uvarint(b.length + 1).raw(b);
  }

  /** An empty tagged-field section: this engine writes no tagged fields. */
  emptyTaggedFields(): this {
    return this.uvarint(0);
  }

  /** The bytes written so far (a copy, so the writer can be dropped). */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

export class KafkaReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(bytes: number, what: string): void {
    if (bytes < 0 || this.pos + bytes > this.buf.length) {
      throw new GroupFormatError(`${what} runs past the end of the buffer (at byte ${this.pos} of ${this.buf.length})`);
    }
  }

  int16(what = 'int16'): number {
    this.need(2, what);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(what = 'int32'): number {
    this.need(4, what);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  int64(what = 'int64'): number {
    this.need(8, what);
    const v = this.buf.readInt32BE(this.pos) * TWO_32 + this.buf.readUInt32BE(this.pos + 4);
    if (!Number.isSafeInteger(v)) throw new GroupFormatError(`${what} ${v} is beyond 2^53`);
    this.pos += 8;
    return v;
  }

  uvarint(what = 'varint'): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      this.need(1, what);
      const b = this.buf[this.pos++];
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) throw new GroupFormatError(`${what} exceeds 32 bits`);
        return value;
      }
    }
    throw new GroupFormatError(`${what} is longer than 5 bytes`);
  }

  private rawBytes(n: number, what: string): Buffer {
    this.need(n, what);
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  private utf8(n: number, what: string): string {
    this.need(n, what);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  string(what = 'string'): string {
    const s = this.nullableString(what);
    if (s === null) throw new GroupFormatError(`non-nullable ${what} was null`);
    return s;
  }

  nullableString(what = 'string'): string | null {
    const len = this.int16(`${what} length`);
    if (len === -1) return null;
    if (len < 0) throw new GroupFormatError(`${what} has negative length ${len}`);
    return this.utf8(len, what);
  }

  compactString(what = 'string'): string {
    const s = this.compactNullableString(what);
    if (s === null) throw new GroupFormatError(`non-nullable ${what} was null`);
    return s;
  }

  compactNullableString(what = 'string'): string | null {
    const lenPlusOne = this.uvarint(`${what} length`);
    if (lenPlusOne === 0) return null;
    if (lenPlusOne - 1 > MAX_STRING_BYTES) throw new GroupFormatError(`${what} is longer than ${MAX_STRING_BYTES} bytes`);
    return this.utf8(lenPlusOne - 1, what);
  }

  bytes(what = 'bytes'): Buffer {
    const b = this.nullableBytes(what);
    if (b === null) throw new GroupFormatError(`non-nullable ${what} was null`);
    return b;
  }

  nullableBytes(what = 'bytes'): Buffer | null {
    const len = this.int32(`${what} length`);
    if (len === -1) return null;
    if (len < 0) throw new GroupFormatError(`${what} has negative length ${len}`);
    return this.rawBytes(len, what);
  }

  compactBytes(what = 'bytes'): Buffer {
    const lenPlusOne = this.uvarint(`${what} length`);
    if (lenPlusOne === 0) throw new GroupFormatError(`non-nullable ${what} was null`);
    return this.rawBytes(lenPlusOne - 1, what);
  }

  /** Array length (int32, -1 = null); checks that `count` elements of at least `minElementBytes` can fit. */
  arrayLength(what: string, minElementBytes: number): number | null {
    const n = this.int32(`${what} count`);
    if (n === -1) return null;
    if (n < 0) throw new GroupFormatError(`${what} has negative count ${n}`);
    this.need(n * minElementBytes, what);
    return n;
  }

  compactArrayLength(what: string, minElementBytes: number): number | null {
    const nPlusOne = this.uvarint(`${what} count`);
    if (nPlusOne === 0) return null;
    const n = nPlusOne - 1;
    this.need(n * minElementBytes, what);
    return n;
  }

  /** Skips a tagged-field section (this engine knows no tags in these schemas). */
  skipTaggedFields(): void {
    const count = this.uvarint('tagged field count');
    for (let i = 0; i < count; i++) {
      this.uvarint('tag');
      const size = this.uvarint('tagged field size');
      this.need(size, 'tagged field');
      this.pos += size;
    }
  }
}
