/**
 * Kafka wire primitives: a bounds-checked `Reader` over one Buffer and a chunked `Writer`.
 *
 * Format (all big-endian, as in Kafka's protocol guide):
 *   BOOLEAN 1 byte (0 = false, anything else reads as true) · INT8/16/32/64 · UINT16/32 ·
 *   FLOAT64 (IEEE 754) · UUID 16 bytes · VARINT/VARLONG zig-zag LEB128 (the record
 *   format's varints: coded by engine/storage/bytes.ts, the one implementation) ·
 *   unsigned varint (LEB128, at most 5 bytes, fits in 32 bits).
 *   STRING int16 length + UTF-8; NULLABLE_STRING length -1 = null;
 *   COMPACT_(NULLABLE_)STRING unsigned varint (length + 1), 0 = null;
 *   BYTES/NULLABLE_BYTES int32 length; COMPACT_(NULLABLE_)BYTES unsigned varint (length + 1).
 *   ARRAY int32 count (-1 = null); COMPACT_ARRAY unsigned varint (count + 1), 0 = null.
 *   RECORDS = NULLABLE_BYTES (COMPACT_NULLABLE_BYTES in flexible versions).
 *   TAGGED_FIELDS unsigned varint count, then per field: uvarint tag, uvarint size, value.
 * The codec (codec.ts) composes these; this file knows nothing of schemas.
 *
 * int64 is a JS `number` everywhere in this library, read in its full range: a value
 * within ±(2^53 - 1) decodes exactly; one beyond decodes to the nearest double, which is
 * never a safe integer, so `isExactInt64(v)` tells a handler the value was not held
 * exactly and must get Kafka's error for it (a fetch offset OFFSET_OUT_OF_RANGE, …)
 * instead of being used. Nothing about such a value closes a connection. Encoding
 * accepts any integral number in [-2^63, 2^63), so an answer that carries such a value
 * back still encodes. The hot path stays two int32 reads and a multiply-add.
 *
 * UUIDs are canonical lowercase strings "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
 * Kafka's zero UUID (no topic id) is ZERO_UUID.
 *
 * Invariants:
 *  - A Reader never reads outside [pos, end): every read checks the bytes remaining
 *    first and throws ProtocolDecodeError("truncated ...") instead.
 *  - Lengths read from the wire are checked against the bytes remaining before
 *    anything is allocated (see Reader.length helpers).
 *  - Bytes/records read from the wire are subarrays of the input: no copy. The input
 *    Buffer must therefore not be reused by its owner while decoded messages live.
 *  - A Writer never copies a blob handed to `blob()`: it becomes its own output chunk,
 *    so stored record batches go to the socket as they are (writev).
 *  - Strings are at most 0x7fff UTF-8 bytes, as Kafka enforces on both sides.
 */
import { ByteReader, FormatError, writeVarint, writeVarlong } from '../storage/bytes';
import { assert } from '../util/assert';

/**
 * What decode and encode errors share: the field path where the problem is and what was
 * being coded, both folded into `message` as they are added on the way out.
 */
abstract class FieldPathError extends Error {
  /** Field path inside the message, outermost first: ["topicData", "[0]", "name"]. */
  readonly path: string[] = [];
  private context = '';

  constructor(readonly reason: string) {
    super(reason);
  }

  /** Prefixes a path segment (a field name, or "[i]" for an array element). */
  addPath(segment: string): this {
    this.path.unshift(segment);
    this.refresh();
    return this;
  }

  /** Names what was being coded, e.g. "Produce v9 request". */
  setContext(context: string): this {
    if (this.context === '') this.context = context;
    this.refresh();
    return this;
  }

  /** Text after the reason (the decode error's byte offset). */
  protected suffix(): string {
    return '';
  }

  protected refresh(): void {
    const where = formatPath(this.path);
    this.message = (this.context ? `${this.context}: ` : '') + (where ? `field ${where}: ` : '') + this.reason + this.suffix();
  }
}

/** A request or response that cannot be decoded: truncated, lying about a length, malformed. */
export class ProtocolDecodeError extends FieldPathError {
  override name = 'ProtocolDecodeError';

  constructor(
    reason: string,
    /** Offset (in the decoded buffer) where the problem was found. */
    readonly offset: number,
  ) {
    super(reason);
    this.refresh();
  }

  protected override suffix(): string {
    return ` (at byte ${this.offset})`;
  }
}

/**
 * A message that cannot be encoded at the requested version: a non-default value in a
 * field the version lacks (Kafka's UnsupportedVersionException), null in a non-nullable
 * field, a number out of its type's range, a string over 0x7fff bytes.
 */
export class ProtocolEncodeError extends FieldPathError {
  override name = 'ProtocolEncodeError';

  constructor(reason: string) {
    super(reason);
    this.refresh();
  }
}

function formatPath(path: readonly string[]): string {
  let out = '';
  for (const segment of path) {
    if (segment.startsWith('[')) out += segment;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
export const EMPTY_BUFFER: Buffer = Buffer.alloc(0);
/** Kafka refuses strings longer than this on both write and read. */
export const MAX_STRING_BYTES = 0x7fff;

const TWO_POW_32 = 4294967296;
/** The least number above every int64: 2^63. */
const TWO_POW_63 = 9223372036854775808;
/** The largest double below 2^63 (2^63 - 1024). */
const MAX_INT64_DOUBLE = 9223372036854774784;
const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Sequential reader over buf[pos, end). `end` may be narrowed temporarily (tagged fields). */
export class Reader {
  pos: number;
  end: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    assert(start >= 0 && start <= end && end <= buf.length, () => `Reader bounds [${start}, ${end}) outside buffer of ${buf.length}`);
    this.pos = start;
    this.end = end;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  fail(reason: string): never {
    throw new ProtocolDecodeError(reason, this.pos);
  }

  /** Fails pointing at `offset` (the start of the length prefix that lied). */
  failAt(offset: number, reason: string): never {
    throw new ProtocolDecodeError(reason, offset);
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) {
      this.fail(`truncated: ${what} needs ${n} byte${n === 1 ? '' : 's'}, ${this.end - this.pos} remain`);
    }
  }

  bool(): boolean {
    this.need(1, 'boolean');
    return this.buf[this.pos++] !== 0;
  }

  int8(): number {
    this.need(1, 'int8');
    return (this.buf[this.pos++]! << 24) >> 24;
  }

  int16(): number {
    this.need(2, 'int16');
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return ((b[p]! << 24) | (b[p + 1]! << 16)) >> 16;
  }

  uint16(): number {
    this.need(2, 'uint16');
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  int32(): number {
    this.need(4, 'int32');
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  }

  uint32(): number {
    return this.int32() >>> 0;
  }

  /** int64 as a number: exact within ±(2^53 - 1), else the nearest double (see isExactInt64). */
  int64(): number {
    this.need(8, 'int64');
    const b = this.buf;
    const p = this.pos;
    const hi = (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    const lo = ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0;
    this.pos = p + 8;
    // hi * 2^32 is exact; the one addition rounds to the nearest double. Values just
    // below 2^63 round up to 2^63, outside int64: they read as the largest double below.
    const value = hi * TWO_POW_32 + lo;
    return value === TWO_POW_63 ? MAX_INT64_DOUBLE : value;
  }

  float64(): number {
    this.need(8, 'float64');
    const value = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return value;
  }

  uuid(): string {
    this.need(16, 'uuid');
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 16;
    let s = '';
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
      s += HEX[b[p + i]!];
    }
    return s;
  }

  /** Unsigned LEB128 varint of at most 5 bytes, value in [0, 2^32). */
  uvarint(): number {
    const b = this.buf;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) this.fail('truncated: unsigned varint runs past the end');
      const byte = b[this.pos++]!;
      if (i === 4 && byte > 0x0f) this.fail('unsigned varint does not fit in 32 bits');
      result |= (byte & 0x7f) << (7 * i);
      if ((byte & 0x80) === 0) return result >>> 0;
    }
    return this.fail('unsigned varint longer than 5 bytes');
  }

  /** Zig-zag varint (int32), decoded by storage's record-format reader (one implementation). */
  varint(): number {
    const r = new ByteReader(this.buf, this.pos, this.end);
    let value = 0;
    try {
      value = r.readVarint();
    } catch (e) {
      this.failOnFormat(e);
    }
    this.pos = r.pos;
    return value;
  }

  /** Zig-zag varlong (int64), checked to be a safe integer. */
  varlong(): number {
    const r = new ByteReader(this.buf, this.pos, this.end);
    let value = 0;
    try {
      value = r.readVarlong();
    } catch (e) {
      this.failOnFormat(e);
    }
    if (!Number.isSafeInteger(value)) this.fail('varlong is beyond ±(2^53 - 1)');
    this.pos = r.pos;
    return value;
  }

  /** Storage's FormatError becomes a ProtocolDecodeError here; anything else passes. */
  private failOnFormat(e: unknown): never {
    if (e instanceof FormatError) this.fail(e.message);
    throw e;
  }

  /** UTF-8 string of `length` bytes; the caller has checked the length is sane. */
  utf8(length: number): string {
    this.need(length, 'string');
    const s = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return s;
  }

  /** A view of the next `length` bytes (no copy). */
  view(length: number): Buffer {
    this.need(length, 'bytes');
    const v = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return v;
  }

  skip(length: number): void {
    this.need(length, 'skipped field');
    this.pos += length;
  }

  // ---- Length prefixes, each checked against what remains before any allocation. ----

  /** STRING / NULLABLE_STRING length (int16) or COMPACT form (uvarint - 1). -1 = null. */
  stringLength(compact: boolean): number {
    const at = this.pos;
    const length = compact ? this.uvarint() - 1 : this.int16();
    if (length < -1) this.failAt(at, `string length ${length} is negative`);
    if (length > MAX_STRING_BYTES) this.failAt(at, `string length ${length} exceeds ${MAX_STRING_BYTES}`);
    if (length > this.remaining()) this.failAt(at, `truncated: string of ${length} bytes, ${this.remaining()} remain`);
    return length;
  }

  /** BYTES / NULLABLE_BYTES length (int32) or COMPACT form (uvarint - 1). -1 = null. */
  bytesLength(compact: boolean): number {
    const at = this.pos;
    const length = compact ? this.uvarint() - 1 : this.int32();
    if (length < -1) this.failAt(at, `bytes length ${length} is negative`);
    if (length > this.remaining()) this.failAt(at, `truncated: bytes of ${length} bytes, ${this.remaining()} remain`);
    return length;
  }

  /**
   * ARRAY count (int32) or COMPACT form (uvarint - 1). -1 = null. Fails before any
   * allocation if `count * minElementBytes` exceeds the bytes remaining.
   */
  arrayLength(compact: boolean, minElementBytes: number): number {
    assert(minElementBytes >= 1, 'array elements occupy at least one byte');
    const at = this.pos;
    const count = compact ? this.uvarint() - 1 : this.int32();
    if (count < -1) this.failAt(at, `array length ${count} is negative`);
    if (count * minElementBytes > this.remaining()) {
      this.failAt(
        at,
        `array claims ${count} elements of at least ${minElementBytes} byte${minElementBytes === 1 ? '' : 's'}, ` +
          `but only ${this.remaining()} bytes remain`,
      );
    }
    return count;
  }
}

const MIN_SCRATCH_BYTES = 256;
const MAX_SCRATCH_GROWTH_BYTES = 1 << 20;

/**
 * Appends bytes into scratch buffers and hands them out as a list of chunks. Blobs
 * (record batches) are not copied: they become chunks of their own between scratch
 * regions. When a scratch buffer fills, the written part becomes a chunk and a larger
 * one is allocated (doubling, capped at 1 MiB), so nothing written is ever moved.
 */
export class Writer {
  private readonly chunks: Buffer[] = [];
  private buf: Buffer;
  /** Start of the bytes of `buf` not yet handed out as a chunk. */
  private start = 0;
  private pos = 0;
  private flushedBytes = 0;

  constructor(initialBytes = MIN_SCRATCH_BYTES) {
    this.buf = Buffer.allocUnsafe(Math.max(initialBytes, 16));
  }

  /** Bytes written so far, blobs included. */
  get length(): number {
    return this.flushedBytes + (this.pos - this.start);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flushRegion();
    const size = Math.max(n, Math.min(this.buf.length * 2, MAX_SCRATCH_GROWTH_BYTES), MIN_SCRATCH_BYTES);
    this.buf = Buffer.allocUnsafe(size);
    this.start = 0;
    this.pos = 0;
  }

  private flushRegion(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos));
      this.flushedBytes += this.pos - this.start;
      this.start = this.pos;
    }
  }

  int8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }

  int16(v: number): void {
    this.ensure(2);
    const b = this.buf;
    b[this.pos] = (v >>> 8) & 0xff;
    b[this.pos + 1] = v & 0xff;
    this.pos += 2;
  }

  int32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = (v >>> 24) & 0xff;
    b[p + 1] = (v >>> 16) & 0xff;
    b[p + 2] = (v >>> 8) & 0xff;
    b[p + 3] = v & 0xff;
    this.pos = p + 4;
  }

  /** `v` must be an integer in [-2^63, 2^63) (checked by the caller's type check, isInt64). */
  int64(v: number): void {
    const hi = Math.floor(v / TWO_POW_32);
    const lo = v - hi * TWO_POW_32;
    this.int32(hi | 0);
    this.int32(lo >>> 0);
  }

  float64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  /** `s` must be a canonical UUID string (checked by the caller's type check). */
  uuid(s: string): void {
    this.ensure(16);
    const hex = s.replace(/-/g, '');
    this.buf.write(hex, this.pos, 16, 'hex');
    this.pos += 16;
  }

  uvarint(v: number): void {
    this.ensure(5);
    const b = this.buf;
    let x = v >>> 0;
    while (x >= 0x80) {
      b[this.pos++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    b[this.pos++] = x;
  }

  varint(v: number): void {
    this.ensure(5);
    this.pos = writeVarint(this.buf, this.pos, v);
  }

  varlong(v: number): void {
    this.ensure(10);
    this.pos = writeVarlong(this.buf, this.pos, v);
  }

  /** Writes `byteLength` bytes of `s` as UTF-8; the caller wrote the length prefix. */
  utf8(s: string, byteLength: number): void {
    this.ensure(byteLength);
    const written = this.buf.write(s, this.pos, byteLength, 'utf8');
    assert(written === byteLength, () => `utf8 wrote ${written} of ${byteLength} bytes`);
    this.pos += byteLength;
  }

  /** Copies small byte strings into the scratch buffer. */
  copy(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Appends `bytes` as a chunk of its own, without copying. */
  blob(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.flushRegion();
    this.chunks.push(bytes);
    this.flushedBytes += bytes.length;
  }

  /** Reserves 4 bytes for an int32 to be patched later (frame sizes). */
  reserveInt32(): { buf: Buffer; offset: number } {
    this.ensure(4);
    const slot = { buf: this.buf, offset: this.pos };
    this.pos += 4;
    return slot;
  }

  /** The chunks written, in order. The Writer must not be used afterwards. */
  finish(): Buffer[] {
    this.flushRegion();
    return this.chunks;
  }
}

export function patchInt32(slot: { buf: Buffer; offset: number }, value: number): void {
  slot.buf.writeInt32BE(value, slot.offset);
}

/** Whether `v` is an integral number an int64 can carry (a double in [-2^63, 2^63)). */
export function isInt64(v: number): boolean {
  return Number.isInteger(v) && v >= -TWO_POW_63 && v < TWO_POW_63;
}

/**
 * Whether a decoded int64 was held exactly: false for a wire value beyond ±(2^53 - 1),
 * which the Reader gives as the nearest double. Handlers answer Kafka's error for it.
 */
export function isExactInt64(v: number): boolean {
  return Number.isSafeInteger(v);
}

export function isCanonicalUuid(s: string): boolean {
  return UUID_PATTERN.test(s);
}

/** Sum of chunk lengths. */
export function chunksLength(chunks: readonly Buffer[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}

/** One Buffer holding all chunks (copies; for tests and small messages). */
export function concatChunks(chunks: readonly Buffer[]): Buffer {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks as Buffer[]);
}
