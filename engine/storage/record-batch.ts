/**
 * RecordBatch v2 (magic 2): Kafka's on-wire and on-disk unit of records.
 *
 * Layout (big-endian; offsets in bytes from the start of the batch):
 *    0 baseOffset            int64
 *    8 batchLength           int32   bytes after this field (total size - 12)
 *   12 partitionLeaderEpoch  int32   \ outside the CRC: the broker stamps these
 *   16 magic                 int8    / (and baseOffset) without re-CRC
 *   17 crc                   uint32  CRC-32C of bytes [21, end)
 *   21 attributes            int16   bits 0-2 codec (0 none, 1 gzip, 2 snappy,
 *                                     3 lz4, 4 zstd), bit 3 timestamp type
 *                                     (1 = LogAppendTime), bit 4 transactional,
 *                                     bit 5 control, bit 6 delete horizon set
 *   23 lastOffsetDelta       int32
 *   27 baseTimestamp         int64   the delete horizon when bit 6 is set
 *   35 maxTimestamp          int64
 *   43 producerId            int64
 *   51 producerEpoch         int16
 *   53 baseSequence          int32
 *   57 recordsCount          int32
 *   61 records               compressed as one block when codec != 0
 *
 * Record: length varint (bytes after it), attributes int8, timestampDelta
 * varlong, offsetDelta varint, keyLength varint (-1 = null), key, valueLength
 * varint (-1 = null, a tombstone), value, headersCount varint, then per header
 * keyLength varint, key (UTF-8, never null), valueLength varint, value. Varints are
 * zigzag (bytes.ts). A record's offset is baseOffset + offsetDelta, its timestamp
 * baseTimestamp + timestampDelta, or maxTimestamp for LogAppendTime batches.
 * Records are walked by the cursors of record-cursor.ts.
 *
 * What this file provides:
 *   - header access without touching records (`readBatchHeader`, accessors);
 *   - validation of a client's batch (`validateBatch`/`validateBatchSync`) that
 *     raises `RecordError` with Kafka's codes: CORRUPT_MESSAGE for framing, magic,
 *     CRC and decompression failures; INVALID_RECORD for record-level problems
 *     (per-record errors as in KIP-467); UNSUPPORTED_COMPRESSION_TYPE for codecs
 *     5-7;
 *   - building batches (`buildBatch`/`buildBatchSync`), re-encoding one with the
 *     topic's codec (`recompressBatch`), and decoding them for display and
 *     compaction (`decodeRecords`/`decodeRecordsSync`);
 *   - the in-place header rewrites the log does when it assigns offsets.
 * The async flavours exist only because zstd is async (see compression.ts).
 *
 * Invariants: a batch we build or rewrite always has a valid CRC; a validated
 * batch's declared record count equals its actual records and its bytes end
 * exactly at batchLength.
 */
import { crc32c } from '@node-rs/crc32';
import { assert } from '../util/assert';
import {
  FormatError,
  readInt64,
  sizeOfVarint,
  sizeOfVarlong,
  writeInt64,
  writeVarint,
  writeVarlong,
} from './bytes';
import {
  Codec,
  CodecError,
  codecStep,
  isKnownCodec,
  runAsync,
  runSync,
  type CodecId,
  type CodecTask,
} from './compression';
import { RecordError, type RecordErrorDetail } from './errors';
import { MIN_RECORD_BYTES, RecordCursor, type RecordHeader } from './record-cursor';

// ---- layout -------------------------------------------------------------------

export const LOG_OVERHEAD = 12;
export const BATCH_HEADER_BYTES = 61;
export const MAGIC_V2 = 2;

export const BASE_OFFSET_AT = 0;
export const BATCH_LENGTH_AT = 8;
export const PARTITION_LEADER_EPOCH_AT = 12;
export const MAGIC_AT = 16;
export const CRC_AT = 17;
export const ATTRIBUTES_AT = 21;
export const LAST_OFFSET_DELTA_AT = 23;
export const BASE_TIMESTAMP_AT = 27;
export const MAX_TIMESTAMP_AT = 35;
export const PRODUCER_ID_AT = 43;
export const PRODUCER_EPOCH_AT = 51;
export const BASE_SEQUENCE_AT = 53;
export const RECORDS_COUNT_AT = 57;
export const RECORDS_AT = 61;

/** Bits of the attributes field (see the layout above). */
export const ATTR_CODEC_MASK = 0x07;
export const ATTR_LOG_APPEND_TIME = 0x08;
export const ATTR_TRANSACTIONAL = 0x10;
export const ATTR_CONTROL = 0x20;
export const ATTR_DELETE_HORIZON = 0x40;

export const TimestampType = { CREATE_TIME: 0, LOG_APPEND_TIME: 1 } as const;
export type TimestampTypeId = (typeof TimestampType)[keyof typeof TimestampType];

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
export const NO_TIMESTAMP = -1;

export interface BatchHeader {
  baseOffset: number;
  batchLength: number;
  /** batchLength + 12: the whole batch. */
  sizeBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  /** Raw codec bits (0-7); 5-7 are unknown codecs. */
  compression: number;
  timestampType: TimestampTypeId;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizon: boolean;
  lastOffsetDelta: number;
  lastOffset: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

// ---- header access --------------------------------------------------------------

/** Total size of the batch at `pos`, or undefined when its 12-byte prefix is not in `buf`. */
export function batchSizeAt(buf: Buffer, pos: number): number | undefined {
  if (pos + LOG_OVERHEAD > buf.length) return undefined;
  return buf.readInt32BE(pos + BATCH_LENGTH_AT) + LOG_OVERHEAD;
}

export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  if (pos + BATCH_HEADER_BYTES > buf.length) {
    throw new RecordError('CORRUPT_MESSAGE', `record batch header needs ${BATCH_HEADER_BYTES} bytes, only ${buf.length - pos} available`);
  }
  const attributes = buf.readInt16BE(pos + ATTRIBUTES_AT);
  const baseOffset = readInt64(buf, pos + BASE_OFFSET_AT);
  const batchLength = buf.readInt32BE(pos + BATCH_LENGTH_AT);
  const lastOffsetDelta = buf.readInt32BE(pos + LAST_OFFSET_DELTA_AT);
  return {
    baseOffset,
    batchLength,
    sizeBytes: batchLength + LOG_OVERHEAD,
    partitionLeaderEpoch: buf.readInt32BE(pos + PARTITION_LEADER_EPOCH_AT),
    magic: buf.readInt8(pos + MAGIC_AT),
    crc: buf.readUInt32BE(pos + CRC_AT),
    attributes,
    compression: attributes & ATTR_CODEC_MASK,
    timestampType: attributes & ATTR_LOG_APPEND_TIME ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
    isTransactional: (attributes & ATTR_TRANSACTIONAL) !== 0,
    isControl: (attributes & ATTR_CONTROL) !== 0,
    hasDeleteHorizon: (attributes & ATTR_DELETE_HORIZON) !== 0,
    lastOffsetDelta,
    lastOffset: baseOffset + lastOffsetDelta,
    baseTimestamp: readInt64(buf, pos + BASE_TIMESTAMP_AT),
    maxTimestamp: readInt64(buf, pos + MAX_TIMESTAMP_AT),
    producerId: readInt64(buf, pos + PRODUCER_ID_AT),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH_AT),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE_AT),
    recordsCount: buf.readInt32BE(pos + RECORDS_COUNT_AT),
  };
}

export function batchBaseOffset(buf: Buffer, pos: number): number {
  return readInt64(buf, pos + BASE_OFFSET_AT);
}
export function batchLastOffset(buf: Buffer, pos: number): number {
  return readInt64(buf, pos + BASE_OFFSET_AT) + buf.readInt32BE(pos + LAST_OFFSET_DELTA_AT);
}
export function batchMaxTimestamp(buf: Buffer, pos: number): number {
  return readInt64(buf, pos + MAX_TIMESTAMP_AT);
}
export function batchRecordsCount(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + RECORDS_COUNT_AT);
}
export function batchPartitionLeaderEpoch(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + PARTITION_LEADER_EPOCH_AT);
}
export function batchCodec(buf: Buffer, pos: number): number {
  return buf.readInt16BE(pos + ATTRIBUTES_AT) & ATTR_CODEC_MASK;
}
export function batchIsControl(buf: Buffer, pos: number): boolean {
  return (buf.readInt16BE(pos + ATTRIBUTES_AT) & ATTR_CONTROL) !== 0;
}

/** CRC-32C over attributes..end of the batch of `sizeBytes` at `pos`. */
export function computeBatchCrc(buf: Buffer, pos: number, sizeBytes: number): number {
  return crc32c(buf.subarray(pos + ATTRIBUTES_AT, pos + sizeBytes)) >>> 0;
}

export function isBatchCrcValid(buf: Buffer, pos: number, sizeBytes: number): boolean {
  return buf.readUInt32BE(pos + CRC_AT) === computeBatchCrc(buf, pos, sizeBytes);
}

/**
 * Checks what recovery and follower appends check of a stored batch: that it fits
 * in [pos, end), has magic 2, a sane header and a valid CRC. Returns a sentence
 * describing the first problem, or null when the batch is sound.
 */
export function checkStoredBatch(buf: Buffer, pos: number, end: number): string | null {
  if (pos + LOG_OVERHEAD > end) return `${end - pos} trailing bytes are too few for a batch header`;
  const size = buf.readInt32BE(pos + BATCH_LENGTH_AT) + LOG_OVERHEAD;
  if (size < BATCH_HEADER_BYTES) return `batch size ${size} is smaller than the ${BATCH_HEADER_BYTES}-byte header`;
  if (pos + size > end) return `batch of ${size} bytes runs ${pos + size - end} bytes past the end of the data`;
  const magic = buf.readInt8(pos + MAGIC_AT);
  if (magic !== MAGIC_V2) return `batch has magic ${magic}; only magic ${MAGIC_V2} is supported`;
  if (!isBatchCrcValid(buf, pos, size)) return `batch CRC mismatch (stored ${buf.readUInt32BE(pos + CRC_AT)}, computed ${computeBatchCrc(buf, pos, size)})`;
  if (buf.readInt32BE(pos + LAST_OFFSET_DELTA_AT) < 0) return 'batch has a negative lastOffsetDelta';
  if (buf.readInt32BE(pos + RECORDS_COUNT_AT) < 0) return 'batch has a negative record count';
  return null;
}

// ---- in-place rewrites ------------------------------------------------------------

/** Sets baseOffset (outside the CRC). */
export function setBaseOffset(buf: Buffer, pos: number, baseOffset: number): void {
  writeInt64(buf, pos + BASE_OFFSET_AT, baseOffset);
}

/** Sets partitionLeaderEpoch (outside the CRC). */
export function setPartitionLeaderEpoch(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + PARTITION_LEADER_EPOCH_AT);
}

/**
 * Marks the batch LogAppendTime with `timestampMs` as its maxTimestamp. Both are
 * inside the CRC, so the CRC is recomputed.
 */
export function setLogAppendTime(buf: Buffer, pos: number, timestampMs: number): void {
  const size = buf.readInt32BE(pos + BATCH_LENGTH_AT) + LOG_OVERHEAD;
  const attributes = buf.readInt16BE(pos + ATTRIBUTES_AT);
  buf.writeInt16BE(attributes | ATTR_LOG_APPEND_TIME, pos + ATTRIBUTES_AT);
  writeInt64(buf, pos + MAX_TIMESTAMP_AT, timestampMs);
  buf.writeUInt32BE(computeBatchCrc(buf, pos, size), pos + CRC_AT);
}

// ---- validation -------------------------------------------------------------------

export interface ValidateOptions {
  /** Refuse keyless records (compacted topics); per-record INVALID_RECORD errors. */
  requireKeys?: boolean;
  /** Require offset deltas 0..n-1 and lastOffsetDelta = n-1, as a producer writes them (default true). */
  requireSequentialOffsets?: boolean;
  /** Accept control batches (default false: clients may not produce them). */
  allowControl?: boolean;
  /** Accept a batch with zero records (default false). */
  allowEmpty?: boolean;
  /** Named in error messages, e.g. "orders-0". */
  topicPartition?: string;
}

export interface ValidatedBatch {
  header: BatchHeader;
  recordCount: number;
  sizeBytes: number;
  /** Size of the records section after decompression. */
  uncompressedRecordsBytes: number;
  /** Largest record timestamp (CreateTime), -1 when there are no records. */
  maxRecordTimestamp: number;
  tombstoneCount: number;
  keylessCount: number;
}

function corrupt(message: string): RecordError {
  return new RecordError('CORRUPT_MESSAGE', message);
}
function invalid(message: string, recordErrors?: RecordErrorDetail[]): RecordError {
  return new RecordError('INVALID_RECORD', message, recordErrors ? { recordErrors } : {});
}

/** Framing, magic, CRC and codec checks shared by validation and decoding. */
function checkFraming(buf: Buffer): BatchHeader {
  if (buf.length < LOG_OVERHEAD) throw corrupt(`record batch of ${buf.length} bytes is shorter than its 12-byte length prefix`);
  const size = buf.readInt32BE(BATCH_LENGTH_AT) + LOG_OVERHEAD;
  if (size < BATCH_HEADER_BYTES) throw corrupt(`record batch length ${size} is smaller than the ${BATCH_HEADER_BYTES}-byte header`);
  if (size > buf.length) throw corrupt(`record batch length ${size} runs past the end of the ${buf.length} bytes received`);
  if (size < buf.length) throw corrupt(`record batch length ${size} leaves ${buf.length - size} unexplained trailing bytes`);
  const magic = buf.readInt8(MAGIC_AT);
  if (magic !== MAGIC_V2) throw corrupt(`record batch has magic ${magic}; this broker stores only magic ${MAGIC_V2}`);
  const stored = buf.readUInt32BE(CRC_AT);
  const computed = computeBatchCrc(buf, 0, size);
  if (stored !== computed) throw corrupt(`record batch is corrupt (stored crc = ${stored}, computed crc = ${computed})`);
  const header = readBatchHeader(buf, 0);
  if (!isKnownCodec(header.compression)) {
    throw new RecordError('UNSUPPORTED_COMPRESSION_TYPE', `record batch uses unknown compression codec id ${header.compression}`);
  }
  if (header.recordsCount < 0) throw invalid(`record batch declares a negative record count ${header.recordsCount}`);
  if (header.lastOffsetDelta < 0) throw invalid(`record batch has a negative lastOffsetDelta ${header.lastOffsetDelta}`);
  return header;
}

function* recordsOf(buf: Buffer, header: BatchHeader): CodecTask<Buffer> {
  const payload = buf.subarray(RECORDS_AT, header.sizeBytes);
  try {
    return yield* codecStep('decompress', header.compression as CodecId, payload);
  } catch (e) {
    if (e instanceof CodecError) throw corrupt(`record batch payload does not decompress: ${e.message}`);
    throw e;
  }
}

function* validateTask(buf: Buffer, opts: ValidateOptions): CodecTask<ValidatedBatch> {
  const header = checkFraming(buf);
  const sequential = opts.requireSequentialOffsets ?? true;
  const count = header.recordsCount;
  if (count === 0 && !opts.allowEmpty) throw invalid('record batch contains no records');
  if (header.isControl && !opts.allowControl) throw invalid('clients may not produce control batches');
  if (sequential && count > 0 && header.lastOffsetDelta !== count - 1) {
    throw invalid(`record batch declares lastOffsetDelta ${header.lastOffsetDelta} for ${count} records`);
  }
  const records = yield* recordsOf(buf, header);
  if (count > records.length / MIN_RECORD_BYTES) {
    throw invalid(`record batch declares ${count} records but its ${records.length} bytes of records cannot hold them`);
  }
  const cursor = new RecordCursor().reset(records);
  const recordErrors: RecordErrorDetail[] = [];
  const where = opts.topicPartition ? ` in topic partition ${opts.topicPartition}` : '';
  let maxRecordTimestamp = NO_TIMESTAMP;
  let tombstones = 0;
  let keyless = 0;
  for (let i = 0; i < count; i++) {
    try {
      cursor.next();
    } catch (e) {
      if (e instanceof FormatError) throw invalid(`record ${i} of ${count} is malformed: ${e.message}`);
      throw e;
    }
    if (sequential && cursor.offsetDelta !== i) {
      recordErrors.push({ batchIndex: i, message: `record has offset delta ${cursor.offsetDelta}, expected ${i}` });
    }
    if (cursor.offsetDelta < 0 || cursor.offsetDelta > header.lastOffsetDelta) {
      recordErrors.push({ batchIndex: i, message: `record offset delta ${cursor.offsetDelta} is outside the batch` });
    }
    if (cursor.keyLength < 0) {
      keyless++;
      if (opts.requireKeys) {
        recordErrors.push({ batchIndex: i, message: `Compacted topic cannot accept message without key${where}.` });
      }
    }
    if (cursor.valueLength < 0) tombstones++;
    const ts = header.baseTimestamp + cursor.timestampDelta;
    if (ts > maxRecordTimestamp) maxRecordTimestamp = ts;
  }
  if (cursor.position !== records.length) {
    throw invalid(`record batch declares ${count} records but ${records.length - cursor.position} bytes of records remain after them`);
  }
  if (recordErrors.length > 0) {
    throw invalid(`${recordErrors.length} of ${count} records were refused: ${recordErrors[0].message}`, recordErrors);
  }
  return {
    header,
    recordCount: count,
    sizeBytes: header.sizeBytes,
    uncompressedRecordsBytes: records.length,
    maxRecordTimestamp,
    tombstoneCount: tombstones,
    keylessCount: keyless,
  };
}

/** Validates one client batch (exactly one batch in `buf`). zstd needs the async flavour. */
export function validateBatchSync(buf: Buffer, opts: ValidateOptions = {}): ValidatedBatch {
  return runSync(validateTask(buf, opts));
}

export function validateBatch(buf: Buffer, opts: ValidateOptions = {}): Promise<ValidatedBatch> {
  return runAsync(validateTask(buf, opts));
}

/**
 * Checks keys of an uncompressed batch cheaply (the append path's recheck of
 * `requireKeys`). Returns the per-record errors; [] when every record has a key.
 * For compressed batches it returns undefined: the caller must have validated.
 */
export function keylessRecordErrors(buf: Buffer, pos: number, topicPartition?: string): RecordErrorDetail[] | undefined {
  const size = buf.readInt32BE(pos + BATCH_LENGTH_AT) + LOG_OVERHEAD;
  if (batchCodec(buf, pos) !== Codec.NONE) return undefined;
  const count = batchRecordsCount(buf, pos);
  const cursor = new RecordCursor().reset(buf, pos + RECORDS_AT, pos + size);
  const errors: RecordErrorDetail[] = [];
  const where = topicPartition ? ` in topic partition ${topicPartition}` : '';
  for (let i = 0; i < count; i++) {
    try {
      cursor.next();
    } catch (e) {
      if (e instanceof FormatError) throw invalid(`record ${i} of ${count} is malformed: ${e.message}`);
      throw e;
    }
    if (cursor.keyLength < 0) errors.push({ batchIndex: i, message: `Compacted topic cannot accept message without key${where}.` });
  }
  return errors;
}

// ---- building -------------------------------------------------------------------------

export interface RecordSpec {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  timestampMs: number;
  /** Defaults to the record's index; set for batches with offset gaps (compaction). */
  offsetDelta?: number;
}

export interface BuildBatchSpec {
  baseOffset?: number;
  records: RecordSpec[];
  compression?: CodecId;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  partitionLeaderEpoch?: number;
  timestampType?: TimestampTypeId;
  isTransactional?: boolean;
  isControl?: boolean;
  /** Sets the delete-horizon flag; baseTimestamp then holds this value. */
  deleteHorizonMs?: number;
  /** Defaults to the last record's offset delta (records.length - 1). */
  lastOffsetDelta?: number;
  /** For LogAppendTime: the broker's append time. Defaults to the largest record timestamp. */
  maxTimestampMs?: number;
}

/**
 * Accumulates encoded records in one growable buffer (amortised doubling, no
 * per-record buffers). Used by the builder and by the cleaner.
 */
export class RecordsEncoder {
  private buf: Buffer;
  private len = 0;
  count = 0;

  constructor(initialBytes = 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialBytes));
  }

  get sizeBytes(): number {
    return this.len;
  }

  private reserve(bytes: number): void {
    if (this.len + bytes <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < this.len + bytes) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Encodes one record; `headers` may be a parsed list or already-encoded bytes (count + headers). */
  add(offsetDelta: number, timestampDelta: number, key: Buffer | null, value: Buffer | null, headers: RecordHeader[] | Buffer): void {
    let headersBytes: number;
    let encodedHeaders: Buffer | undefined;
    if (Buffer.isBuffer(headers)) {
      encodedHeaders = headers;
      headersBytes = headers.length;
    } else {
      headersBytes = sizeOfVarint(headers.length);
      for (const h of headers) {
        const kl = Buffer.byteLength(h.key, 'utf8');
        headersBytes += sizeOfVarint(kl) + kl + sizeOfVarint(h.value === null ? -1 : h.value.length) + (h.value?.length ?? 0);
      }
    }
    const keyLen = key === null ? -1 : key.length;
    const valueLen = value === null ? -1 : value.length;
    const body =
      1 +
      sizeOfVarlong(timestampDelta) +
      sizeOfVarint(offsetDelta) +
      sizeOfVarint(keyLen) +
      Math.max(0, keyLen) +
      sizeOfVarint(valueLen) +
      Math.max(0, valueLen) +
      headersBytes;
    this.reserve(sizeOfVarint(body) + body);
    const buf = this.buf;
    let p = writeVarint(buf, this.len, body);
    const bodyStart = p;
    buf[p++] = 0; // record attributes: unused
    p = writeVarlong(buf, p, timestampDelta);
    p = writeVarint(buf, p, offsetDelta);
    p = writeVarint(buf, p, keyLen);
    if (key !== null) p += key.copy(buf, p);
    p = writeVarint(buf, p, valueLen);
    if (value !== null) p += value.copy(buf, p);
    if (encodedHeaders) {
      p += encodedHeaders.copy(buf, p);
    } else {
      const hs = headers as RecordHeader[];
      p = writeVarint(buf, p, hs.length);
      for (const h of hs) {
        const kl = Buffer.byteLength(h.key, 'utf8');
        p = writeVarint(buf, p, kl);
        p += buf.write(h.key, p, 'utf8');
        p = writeVarint(buf, p, h.value === null ? -1 : h.value.length);
        if (h.value !== null) p += h.value.copy(buf, p);
      }
    }
    assert(p - bodyStart === body, 'record encoder size mismatch');
    this.len = p;
    this.count++;
  }

  /** Copies one already-encoded record verbatim (its deltas must suit the new batch). */
  addRaw(encoded: Buffer): void {
    this.reserve(encoded.length);
    encoded.copy(this.buf, this.len);
    this.len += encoded.length;
    this.count++;
  }

  /** The encoded records (a view; valid until the next add). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

export interface BatchFields {
  baseOffset: number;
  partitionLeaderEpoch: number;
  compression: CodecId;
  timestampType: TimestampTypeId;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizon: boolean;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/** Writes header + (compressed) records into a new batch and stamps its CRC. */
export function* assembleBatchTask(fields: BatchFields, records: Buffer): CodecTask<Buffer> {
  const payload = yield* codecStep('compress', fields.compression, records);
  const size = BATCH_HEADER_BYTES + payload.length;
  const buf = Buffer.allocUnsafe(size);
  writeInt64(buf, BASE_OFFSET_AT, fields.baseOffset);
  buf.writeInt32BE(size - LOG_OVERHEAD, BATCH_LENGTH_AT);
  buf.writeInt32BE(fields.partitionLeaderEpoch, PARTITION_LEADER_EPOCH_AT);
  buf.writeInt8(MAGIC_V2, MAGIC_AT);
  let attributes = fields.compression;
  if (fields.timestampType === TimestampType.LOG_APPEND_TIME) attributes |= ATTR_LOG_APPEND_TIME;
  if (fields.isTransactional) attributes |= ATTR_TRANSACTIONAL;
  if (fields.isControl) attributes |= ATTR_CONTROL;
  if (fields.hasDeleteHorizon) attributes |= ATTR_DELETE_HORIZON;
  buf.writeInt16BE(attributes, ATTRIBUTES_AT);
  buf.writeInt32BE(fields.lastOffsetDelta, LAST_OFFSET_DELTA_AT);
  writeInt64(buf, BASE_TIMESTAMP_AT, fields.baseTimestamp);
  writeInt64(buf, MAX_TIMESTAMP_AT, fields.maxTimestamp);
  writeInt64(buf, PRODUCER_ID_AT, fields.producerId);
  buf.writeInt16BE(fields.producerEpoch, PRODUCER_EPOCH_AT);
  buf.writeInt32BE(fields.baseSequence, BASE_SEQUENCE_AT);
  buf.writeInt32BE(fields.recordsCount, RECORDS_COUNT_AT);
  payload.copy(buf, RECORDS_AT);
  buf.writeUInt32BE(computeBatchCrc(buf, 0, size), CRC_AT);
  return buf;
}

function* buildTask(spec: BuildBatchSpec): CodecTask<Buffer> {
  const records = spec.records;
  const timestampType = spec.timestampType ?? TimestampType.CREATE_TIME;
  let maxRecordTs = NO_TIMESTAMP;
  let lastDelta = -1;
  for (let i = 0; i < records.length; i++) {
    if (records[i].timestampMs > maxRecordTs) maxRecordTs = records[i].timestampMs;
    const d = records[i].offsetDelta ?? i;
    assert(d > lastDelta, 'record offset deltas must increase');
    lastDelta = d;
  }
  const firstTs = records.length > 0 ? records[0].timestampMs : NO_TIMESTAMP;
  const baseTimestamp = spec.deleteHorizonMs ?? firstTs;
  let estimate = 0;
  for (const r of records) estimate += 24 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  const enc = new RecordsEncoder(estimate);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    enc.add(r.offsetDelta ?? i, r.timestampMs - baseTimestamp, r.key, r.value, r.headers ?? []);
  }
  const lastOffsetDelta = spec.lastOffsetDelta ?? Math.max(0, lastDelta);
  assert(lastOffsetDelta >= lastDelta, 'lastOffsetDelta is below the last record');
  return yield* assembleBatchTask(
    {
      baseOffset: spec.baseOffset ?? 0,
      partitionLeaderEpoch: spec.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH,
      compression: spec.compression ?? Codec.NONE,
      timestampType,
      isTransactional: spec.isTransactional ?? false,
      isControl: spec.isControl ?? false,
      hasDeleteHorizon: spec.deleteHorizonMs !== undefined,
      lastOffsetDelta,
      baseTimestamp,
      maxTimestamp: spec.maxTimestampMs ?? maxRecordTs,
      producerId: spec.producerId ?? NO_PRODUCER_ID,
      producerEpoch: spec.producerEpoch ?? NO_PRODUCER_EPOCH,
      baseSequence: spec.baseSequence ?? NO_SEQUENCE,
      recordsCount: records.length,
    },
    enc.bytes(),
  );
}

export function buildBatchSync(spec: BuildBatchSpec): Buffer {
  return runSync(buildTask(spec));
}

export function buildBatch(spec: BuildBatchSpec): Promise<Buffer> {
  return runAsync(buildTask(spec));
}

/**
 * Re-encodes a validated batch with another codec (a topic whose compression.type
 * is not "producer"), keeping every header fact: offsets, producer id/epoch/
 * sequence, timestamps, flags. The records section itself is codec-independent,
 * so records are copied, not re-encoded.
 */
function* recompressTask(batch: Buffer, codec: CodecId): CodecTask<Buffer> {
  const h = checkFraming(batch);
  if (h.compression === codec) return batch;
  const records = yield* recordsOf(batch, h);
  return yield* assembleBatchTask(
    {
      baseOffset: h.baseOffset,
      partitionLeaderEpoch: h.partitionLeaderEpoch,
      compression: codec,
      timestampType: h.timestampType,
      isTransactional: h.isTransactional,
      isControl: h.isControl,
      hasDeleteHorizon: h.hasDeleteHorizon,
      lastOffsetDelta: h.lastOffsetDelta,
      baseTimestamp: h.baseTimestamp,
      maxTimestamp: h.maxTimestamp,
      producerId: h.producerId,
      producerEpoch: h.producerEpoch,
      baseSequence: h.baseSequence,
      recordsCount: h.recordsCount,
    },
    records,
  );
}

export function recompressBatchSync(batch: Buffer, codec: CodecId): Buffer {
  return runSync(recompressTask(batch, codec));
}

export function recompressBatch(batch: Buffer, codec: CodecId): Promise<Buffer> {
  return runAsync(recompressTask(batch, codec));
}

// ---- decoding -------------------------------------------------------------------------

export interface DecodedRecord {
  offset: number;
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Decompresses a stored batch's records section (a generator step; see compression.ts). */
export function* batchRecordsTask(batch: Buffer, pos = 0): CodecTask<Buffer> {
  const size = batch.readInt32BE(pos + BATCH_LENGTH_AT) + LOG_OVERHEAD;
  const codec = batchCodec(batch, pos);
  if (!isKnownCodec(codec)) throw new RecordError('UNSUPPORTED_COMPRESSION_TYPE', `record batch uses unknown compression codec id ${codec}`);
  const payload = batch.subarray(pos + RECORDS_AT, pos + size);
  try {
    return yield* codecStep('decompress', codec, payload);
  } catch (e) {
    if (e instanceof CodecError) throw corrupt(`record batch payload does not decompress: ${e.message}`);
    throw e;
  }
}

/** Decodes every batch in `buf` (one or more concatenated batches). */
export function* decodeTask(buf: Buffer): CodecTask<DecodedRecord[]> {
  const out: DecodedRecord[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const problem = checkStoredBatch(buf, pos, buf.length);
    if (problem !== null) throw corrupt(problem);
    const header = readBatchHeader(buf, pos);
    const records = yield* batchRecordsTask(buf, pos);
    const cursor = new RecordCursor().reset(records);
    for (let i = 0; i < header.recordsCount; i++) {
      try {
        cursor.next();
      } catch (e) {
        if (e instanceof FormatError) throw invalid(`record ${i} at offset ~${header.baseOffset + i} is malformed: ${e.message}`);
        throw e;
      }
      const key = cursor.key();
      const value = cursor.value();
      out.push({
        offset: header.baseOffset + cursor.offsetDelta,
        timestampMs: header.timestampType === TimestampType.LOG_APPEND_TIME ? header.maxTimestamp : header.baseTimestamp + cursor.timestampDelta,
        key: key === null ? null : Buffer.from(key),
        value: value === null ? null : Buffer.from(value),
        headers: cursor.headers(),
      });
    }
    pos += header.sizeBytes;
  }
  return out;
}

export function decodeRecordsSync(batches: Buffer): DecodedRecord[] {
  return runSync(decodeTask(batches));
}

export function decodeRecords(batches: Buffer): Promise<DecodedRecord[]> {
  return runAsync(decodeTask(batches));
}

/** Splits concatenated batches into views of each batch (no copies). Throws on bad framing. */
export function splitBatches(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const size = batchSizeAt(buf, pos);
    if (size === undefined || size < BATCH_HEADER_BYTES || pos + size > buf.length) {
      throw corrupt(`bad batch framing at byte ${pos} of ${buf.length}`);
    }
    out.push(buf.subarray(pos, pos + size));
    pos += size;
  }
  return out;
}

