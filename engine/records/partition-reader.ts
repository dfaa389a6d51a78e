/**
 * PartitionReader: walks the committed records of one partition in offset order,
 * straight over the stored batch bytes, without allocating per record.
 *
 * Algorithm: read about `readBytes` of whole stored batches from the leader (starting
 * with the batch holding the next offset), then for each batch read its header fields
 * in place, decompress its records section once when it is compressed (zstd is async,
 * every other codec sync), and step a HeaderSkippingCursor through it. The "head" is the
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
 * Records are walked with storage's HeaderSkippingCursor (engine/storage/record-cursor.ts):
 * the batches were validated record by record when they were appended (and their CRC when
 * read back by recovery), so walking them only bounds-checks what it reads and does not
 * parse headers until something asks for them. Bytes that are malformed all the same
 * raise CORRUPT_MESSAGE naming the partition; nothing reads past a record.
 *
 * Invariants: headOffset strictly increases; headOffset is Infinity once exhausted.
 */
import { isUtf8 } from 'node:buffer';
import { WorkbenchError } from '../api/errors';
import type { BytesFull, BytesPreview } from '../api/contract';
import { FormatError, readInt64 } from '../storage/bytes';
import { Codec, decompress, decompressSync, isKnownCodec } from '../storage/compression';
import {
  ATTR_CODEC_MASK,
  ATTR_CONTROL,
  ATTR_LOG_APPEND_TIME,
  ATTR_TRANSACTIONAL,
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
import { HeaderSkippingCursor, type RecordHeader } from '../storage/record-cursor';
import type { LeaderIo } from '../ports/leader-io';

const EMPTY = Buffer.alloc(0);
/** nextBatch(): a batch was started or skipped; advance() goes on. */
const NEXT = 1;
export const DEFAULT_READ_BYTES = 4 << 20;

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
  readonly cursor = new HeaderSkippingCursor();

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
        try {
          this.cursor.next();
        } catch (err) {
          throw malformed(this, err);
        }
        this.left--;
        const offset = this.batchBase + this.cursor.offsetDelta;
        if (offset < this.fromOffset) continue;
        if (offset >= this.end) return this.finish();
        this.headOffset = offset;
        this.headTs = this.logAppendTime ? this.maxTimestamp : this.baseTimestamp + this.cursor.timestampDelta;
        return null;
      }
      const step = this.nextBatch();
      if (step !== NEXT) return step;
    }
  }

  /**
   * Starts the cursor on the next batch holding records to walk, or skips one batch
   * (NEXT: go on), or ends the walk (null), or reads or decompresses (a Promise that
   * resolves once the head has moved). Kept apart from the per-record path of
   * `advance()` so that the cursor's reads inline there.
   */
  private nextBatch(): Promise<void> | null | typeof NEXT {
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
    if (last < this.fromOffset) return NEXT;
    if (base >= this.end) return this.finish();
    const attributes = chunk.readInt16BE(pos + ATTRIBUTES_AT);
    const control = (attributes & ATTR_CONTROL) !== 0;
    if (control && this.opts.skipControl) return NEXT;
    const count = chunk.readInt32BE(pos + RECORDS_COUNT_AT);
    if (count <= 0) return NEXT;
    this.batchBase = base;
    this.batchLast = last;
    this.batchCount = count;
    this.batchSizeBytes = size;
    this.codec = attributes & ATTR_CODEC_MASK;
    this.control = control;
    this.transactional = (attributes & ATTR_TRANSACTIONAL) !== 0;
    this.logAppendTime = (attributes & ATTR_LOG_APPEND_TIME) !== 0;
    this.baseTimestamp = readInt64(chunk, pos + BASE_TIMESTAMP_AT);
    this.maxTimestamp = readInt64(chunk, pos + MAX_TIMESTAMP_AT);
    this.partitionLeaderEpoch = chunk.readInt32BE(pos + PARTITION_LEADER_EPOCH_AT);
    this.producerId = readInt64(chunk, pos + PRODUCER_ID_AT);
    this.producerEpoch = chunk.readInt16BE(pos + PRODUCER_EPOCH_AT);
    this.baseSequence = chunk.readInt32BE(pos + BASE_SEQUENCE_AT);
    const payload = chunk.subarray(pos + RECORDS_AT, pos + size);
    const codec = this.codec;
    if (codec === Codec.NONE) {
      this.startRecords(payload, count);
      return NEXT;
    }
    if (!isKnownCodec(codec)) throw corrupt(this, `a batch uses unknown compression codec ${codec}`);
    if (codec === Codec.ZSTD) {
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
      this.startRecords(decompressSync(codec, payload), count);
    } catch (err) {
      throw corrupt(this, `a batch does not decompress (${(err as Error).message})`);
    }
    return NEXT;
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

  /** The head record's headers, values as views (allocates; for display and export, not for matching). */
  headers(limit = Infinity): RecordHeader[] {
    try {
      return this.cursor.headerViews(limit);
    } catch (err) {
      throw malformed(this, err);
    }
  }

  /** Whether the head record has header `key` (with `value`, when given), compared as bytes. No allocation. */
  hasHeader(key: Buffer, value: Buffer | null): boolean {
    try {
      return this.cursor.hasHeader(key, value);
    } catch (err) {
      throw malformed(this, err);
    }
  }
}

function corrupt(r: PartitionReader, what: string): WorkbenchError {
  return new WorkbenchError('CORRUPT_MESSAGE', `Partition ${r.partition} of "${r.topic}" holds unreadable data: ${what}.`);
}

/** The cursor's FormatError as CORRUPT_MESSAGE naming the record; anything else as it is. */
function malformed(r: PartitionReader, err: unknown): unknown {
  if (!(err instanceof FormatError)) return err;
  return corrupt(r, `the batch at offset ${r.batchBase} holds a malformed record (${err.message})`);
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
