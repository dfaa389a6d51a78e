/**
 * PartitionReader: walks the committed records of one partition in offset order,
 * straight over the stored batch bytes, without allocating per record.
 *
 * Algorithm: read about `readBytes` of whole stored batches from the leader (starting
 * with the batch holding the next offset), then for each batch read its header fields
 * in place, decompress its records section once when it is compressed (zstd is async,
 * every other codec sync), and step a LeanCursor through it. The "head" is the
 * current record: its offset, timestamp and the positions of its key, value and headers
 * inside `records` (`cursor`). `advance()` moves the head to the next record; it
 * returns null when that happened synchronously and a Promise when it had to read or
 * decompress asynchronously, so hot loops pay for a promise only once per chunk.
 *
 * Records below `fromOffset` (the first batch may start before it) and at or above
 * `end` are never heads. Control batches (transaction markers) are skipped when
 * `skipControl` is set; otherwise their records are heads with `control` true.
 *
 * Bounds: each advance does at most one read of `readBytes` (plus one batch, KIP-74);
 * offsets only grow, so a walk over [from, end) reads every stored byte at most once.
 *
 * Records are walked with LeanCursor: the batches were validated record by record when
 * they were appended (and their CRC when read back by recovery), so walking them only
 * bounds-checks what it reads and does not parse headers until something asks for them.
 *
 * Invariants: headOffset strictly increases; headOffset is Infinity once exhausted.
 */
import { isUtf8 } from 'node:buffer';
import { WorkbenchError } from '../api/errors';
import type { BytesFull, BytesPreview, CompressionCodecName } from '../api/contract';
import { readInt64 } from '../storage/bytes';
import { decompress, decompressSync, isKnownCodec, type CodecId } from '../storage/compression';
import {
  ATTRIBUTES_AT,
  BASE_SEQUENCE_AT,
  BASE_TIMESTAMP_AT,
  BATCH_HEADER_BYTES,
  BATCH_LENGTH_AT,
  LAST_OFFSET_DELTA_AT,
  LOG_OVERHEAD,
  MAX_TIMESTAMP_AT,
  PARTITION_LEADER_EPOCH_AT,
  PRODUCER_EPOCH_AT,
  PRODUCER_ID_AT,
  RECORDS_AT,
  RECORDS_COUNT_AT,
} from '../storage/record-batch';
import type { LeaderIo } from '../ports/leader-io';

const ZSTD = 4;
const EMPTY = Buffer.alloc(0);
export const DEFAULT_READ_BYTES = 4 << 20;
const CODEC_NAMES: CompressionCodecName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function codecName(codec: number): CompressionCodecName {
  return CODEC_NAMES[codec] ?? 'unknown';
}

export interface ReaderOptions {
  skipControl: boolean;
  readBytes?: number;
}

export class PartitionReader {
  private readOffset: number;
  private chunk: Buffer | null = null;
  private chunkPos = 0;
  private noMoreData = false;
  private left = 0;
  private readonly readBytes: number;

  // The current batch (header fields read in place).
  batchBase = 0;
  batchLast = -1;
  batchCount = 0;
  batchSizeBytes = 0;
  codec = 0;
  control = false;
  transactional = false;
  logAppendTime = false;
  baseTimestamp = 0;
  maxTimestamp = 0;
  partitionLeaderEpoch = -1;
  producerId = -1;
  producerEpoch = -1;
  baseSequence = -1;

  /** The current batch's (decompressed) records section; the cursor walks it. */
  records: Buffer = EMPTY;
  readonly cursor = new LeanCursor();

  /** Offset of the head record; Infinity when there is none left below `end`. */
  headOffset = Infinity;
  /** Timestamp of the head record (LogAppendTime batches: the batch's append time). */
  headTs = 0;

  constructor(
    private readonly io: LeaderIo,
    readonly topic: string,
    readonly partition: number,
    private fromOffset: number,
    readonly end: number,
    private readonly opts: ReaderOptions,
  ) {
    this.readOffset = fromOffset;
    this.readBytes = opts.readBytes ?? DEFAULT_READ_BYTES;
  }

  get exhausted(): boolean {
    return this.headOffset === Infinity;
  }

  /** Restarts the reader at `offset` (≥ the current head), dropping what it holds. */
  restartAt(offset: number): Promise<void> | null {
    this.fromOffset = offset;
    this.readOffset = offset;
    this.chunk = null;
    this.chunkPos = 0;
    this.left = 0;
    this.noMoreData = false;
    this.headOffset = 0;
    return this.advance();
  }

  /**
   * Moves the head to the first record at or after `offset` (≥ the current head):
   * within the current batch by stepping, beyond it by reading from there.
   */
  moveTo(offset: number): Promise<void> | null {
    if (offset <= this.headOffset) return null;
    if (offset > this.batchLast || this.left === 0) return this.restartAt(offset);
    this.fromOffset = offset;
    return this.advance();
  }

  /** Moves the head to the next record. null: done synchronously. */
  advance(): Promise<void> | null {
    // Each pass consumes a record or a batch, or reads a chunk: bounded by the bytes below `end`.
    for (;;) {
      if (this.left > 0) {
        this.cursor.next(this);
        this.left--;
        const offset = this.batchBase + this.cursor.offsetDelta;
        if (offset < this.fromOffset) continue;
        if (offset >= this.end) return this.finish();
        this.headOffset = offset;
        this.headTs = this.logAppendTime ? this.maxTimestamp : this.baseTimestamp + this.cursor.timestampDelta;
        return null;
      }
      const chunk = this.chunk;
      if (chunk === null || this.chunkPos >= chunk.length) {
        if (this.noMoreData || this.readOffset >= this.end) return this.finish();
        return this.readChunk().then(() => this.advance() ?? undefined);
      }
      const pos = this.chunkPos;
      if (pos + LOG_OVERHEAD > chunk.length) throw corrupt(this, 'a batch header is cut short');
      const size = chunk.readInt32BE(pos + BATCH_LENGTH_AT) + LOG_OVERHEAD;
      if (size < BATCH_HEADER_BYTES || pos + size > chunk.length) throw corrupt(this, `a batch of ${size} bytes does not fit the data read`);
      this.chunkPos = pos + size;
      const base = readInt64(chunk, pos);
      const last = base + chunk.readInt32BE(pos + LAST_OFFSET_DELTA_AT);
      this.readOffset = last + 1;
      if (last < this.fromOffset) continue;
      if (base >= this.end) return this.finish();
      const attributes = chunk.readInt16BE(pos + ATTRIBUTES_AT);
      const control = (attributes & 0x20) !== 0;
      if (control && this.opts.skipControl) continue;
      const count = chunk.readInt32BE(pos + RECORDS_COUNT_AT);
      if (count <= 0) continue;
      this.batchBase = base;
      this.batchLast = last;
      this.batchCount = count;
      this.batchSizeBytes = size;
      this.codec = attributes & 0x07;
      this.control = control;
      this.transactional = (attributes & 0x10) !== 0;
      this.logAppendTime = (attributes & 0x08) !== 0;
      this.baseTimestamp = readInt64(chunk, pos + BASE_TIMESTAMP_AT);
      this.maxTimestamp = readInt64(chunk, pos + MAX_TIMESTAMP_AT);
      this.partitionLeaderEpoch = chunk.readInt32BE(pos + PARTITION_LEADER_EPOCH_AT);
      this.producerId = readInt64(chunk, pos + PRODUCER_ID_AT);
      this.producerEpoch = chunk.readInt16BE(pos + PRODUCER_EPOCH_AT);
      this.baseSequence = chunk.readInt32BE(pos + BASE_SEQUENCE_AT);
      const payload = chunk.subarray(pos + RECORDS_AT, pos + size);
      if (this.codec === 0) {
        this.startRecords(payload, count);
        continue;
      }
      if (!isKnownCodec(this.codec)) throw corrupt(this, `a batch uses unknown compression codec ${this.codec}`);
      if (this.codec === ZSTD) {
        const codec = this.codec as CodecId;
        return decompress(codec, payload).then(
          (records) => {
            this.startRecords(records, count);
            return this.advance() ?? undefined;
          },
          (err: unknown) => {
            throw corrupt(this, `a batch does not decompress (${(err as Error).message})`);
          },
        );
      }
      try {
        this.startRecords(decompressSync(this.codec as CodecId, payload), count);
      } catch (err) {
        throw corrupt(this, `a batch does not decompress (${(err as Error).message})`);
      }
    }
  }

  private startRecords(records: Buffer, count: number): void {
    this.records = records;
    this.cursor.reset(records);
    this.left = count;
  }

  private async readChunk(): Promise<void> {
    const data = await this.io.read(this.topic, this.partition, this.readOffset, this.readBytes);
    if (data === null || data.length === 0) {
      this.noMoreData = true;
      this.chunk = null;
    } else {
      this.chunk = data;
      this.chunkPos = 0;
    }
  }

  private finish(): null {
    this.headOffset = Infinity;
    this.left = 0;
    return null;
  }

  // ---- the head record's fields ---------------------------------------------------

  get keyNull(): boolean {
    return this.cursor.keyLength < 0;
  }
  get valueNull(): boolean {
    return this.cursor.valueLength < 0;
  }
  get recordSizeBytes(): number {
    return this.cursor.recordEnd - this.cursor.recordStart;
  }

  /** For a control record: its marker type (key: int16 version, int16 type; 0 abort, 1 commit). */
  controlType(): 'COMMIT' | 'ABORT' | 'UNKNOWN' {
    const c = this.cursor;
    if (c.keyLength < 4) return 'UNKNOWN';
    const type = this.records.readInt16BE(c.keyStart + 2);
    return type === 1 ? 'COMMIT' : type === 0 ? 'ABORT' : 'UNKNOWN';
  }

  keyBytes(): Buffer | null {
    const c = this.cursor;
    return c.keyLength < 0 ? null : this.records.subarray(c.keyStart, c.keyStart + c.keyLength);
  }

  valueBytes(): Buffer | null {
    const c = this.cursor;
    return c.valueLength < 0 ? null : this.records.subarray(c.valueStart, c.valueStart + c.valueLength);
  }

  /** The head record's headers (allocates; for display and export, not for matching). */
  headers(limit = Infinity): { key: string; value: Buffer | null }[] {
    const c = this.cursor;
    const buf = this.records;
    const out: { key: string; value: Buffer | null }[] = [];
    let pos = c.headersStart;
    let v = readVarintAt(buf, pos);
    pos = varintEnd;
    const n = Math.min(v, limit);
    for (let h = 0; h < n; h++) {
      v = readVarintAt(buf, pos);
      pos = varintEnd;
      const key = buf.toString('utf8', pos, pos + v);
      pos += v;
      v = readVarintAt(buf, pos);
      pos = varintEnd;
      const value = v < 0 ? null : buf.subarray(pos, pos + v);
      if (v > 0) pos += v;
      out.push({ key, value });
    }
    return out;
  }
}

/**
 * Walks the records of a (decompressed) records section: record length, attributes,
 * timestamp and offset deltas, key and value positions, the headers' position and count;
 * the headers themselves are skipped (the record length says where the next record
 * starts). No allocation. Every position is checked against the record's own length, so
 * damaged bytes raise CORRUPT_MESSAGE instead of reading past the record.
 */
export class LeanCursor {
  private buf: Buffer = EMPTY;
  private pos = 0;
  private limit = 0;
  recordStart = 0;
  recordEnd = 0;
  timestampDelta = 0;
  offsetDelta = 0;
  keyStart = 0;
  /** -1 for a null key. */
  keyLength = -1;
  valueStart = 0;
  /** -1 for a null value (a tombstone). */
  valueLength = -1;
  /** Position of the headers count varint; the headers run to recordEnd. */
  headersStart = 0;
  headersCount = 0;

  reset(records: Buffer): this {
    this.buf = records;
    this.pos = 0;
    this.limit = records.length;
    return this;
  }

  next(owner: PartitionReader): void {
    const buf = this.buf;
    let p = this.pos;
    this.recordStart = p;
    const length = readVarintAt(buf, p);
    p = varintEnd;
    const end = p + length;
    if (length < 6 || end > this.limit) throw corrupt(owner, `a record of ${length} bytes runs past its batch`);
    p += 1; // attributes
    // timestampDelta: a zigzag varlong (exact below 2^53).
    let u = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      if (i >= 10 || p >= end) throw corrupt(owner, 'a record holds a malformed timestamp');
      const b = buf[p++];
      u += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
    }
    this.timestampDelta = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    this.offsetDelta = readVarintAt(buf, p);
    p = varintEnd;
    const keyLength = readVarintAt(buf, p);
    p = varintEnd;
    this.keyStart = p;
    this.keyLength = keyLength;
    if (keyLength > 0) p += keyLength;
    if (keyLength < -1 || p > end) throw corrupt(owner, 'a record key runs past the record');
    const valueLength = readVarintAt(buf, p);
    p = varintEnd;
    this.valueStart = p;
    this.valueLength = valueLength;
    if (valueLength > 0) p += valueLength;
    if (valueLength < -1 || p >= end) throw corrupt(owner, 'a record value runs past the record');
    this.headersStart = p;
    this.headersCount = readVarintAt(buf, p);
    if (this.headersCount < 0 || varintEnd > end) throw corrupt(owner, 'a record has a malformed header count');
    this.recordEnd = end;
    this.pos = end;
  }
}

function corrupt(r: PartitionReader, what: string): WorkbenchError {
  return new WorkbenchError('CORRUPT_MESSAGE', `Partition ${r.partition} of "${r.topic}" holds unreadable data: ${what}.`);
}

// ---- varints without allocation ---------------------------------------------------

/** Position after the varint that the last readVarintAt read. */
export let varintEnd = 0;

/** Reads a zigzag varint (as in records) at `pos`; sets `varintEnd`. */
export function readVarintAt(buf: Buffer, pos: number): number {
  let u = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    const b = buf[pos++];
    u |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) {
      varintEnd = pos;
      return (u >>> 1) ^ -(u & 1);
    }
    shift += 7;
  }
  throw new WorkbenchError('CORRUPT_MESSAGE', 'A record holds a malformed varint.');
}

// ---- previews -----------------------------------------------------------------------

/** Characters of text a list row carries. */
export const PREVIEW_CHARS = 240;
const PREVIEW_HEX_BYTES = 48;

export function previewOf(buf: Buffer | null): BytesPreview | null {
  if (buf === null) return null;
  if (isUtf8(buf)) {
    // At most 4 bytes per character: decode a little more than needed, then cut by characters.
    const slice = buf.length > PREVIEW_CHARS * 4 ? buf.subarray(0, PREVIEW_CHARS * 4) : buf;
    let text = slice.toString('utf8');
    let truncated = slice.length < buf.length;
    if (text.length > PREVIEW_CHARS) {
      text = text.slice(0, PREVIEW_CHARS);
      truncated = true;
    }
    if (truncated && text.endsWith('\uFFFD')) text = text.slice(0, -1);
    return { sizeBytes: buf.length, text, binary: false, truncated };
  }
  const n = Math.min(buf.length, PREVIEW_HEX_BYTES);
  return { sizeBytes: buf.length, text: buf.toString('hex', 0, n).replace(/(..)/g, '$1 ').trimEnd(), binary: true, truncated: n < buf.length };
}

/** Bytes carried in full by readRecord. */
export const FULL_BYTES_LIMIT = 2 * 1024 * 1024;

export function fullOf(buf: Buffer | null): BytesFull | null {
  if (buf === null) return null;
  const truncated = buf.length > FULL_BYTES_LIMIT;
  const part = truncated ? buf.subarray(0, FULL_BYTES_LIMIT) : buf;
  if (isUtf8(buf)) return { sizeBytes: buf.length, text: part.toString('utf8'), base64: null, truncated };
  return { sizeBytes: buf.length, text: null, base64: part.toString('base64'), truncated };
}
