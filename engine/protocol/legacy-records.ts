/**
 * The legacy message formats (magic 0 and magic 1) and their conversion to and from
 * RecordBatch v2, the only format the broker stores (engine/storage/record-batch.ts).
 *
 * Old clients speak the "MessageSet": Produce v0-v2 carry it and Fetch v0-v3 can only
 * read it. As Kafka's broker does, produce data is up-converted on the way in (Kafka's
 * LogValidator) and stored batches are down-converted on the way out
 * (RecordsUtil.downConvert). Down-conversion here is the one place the broker
 * re-encodes records on fetch: every newer client gets the stored bytes as they are.
 *
 * Layout (big-endian):
 *   MessageSet => [Offset int64, MessageSize int32, Message]   MessageSize = bytes of Message
 *   Message v0 => Crc uint32, Magic int8 = 0, Attributes int8, Key bytes, Value bytes
 *   Message v1 => Crc uint32, Magic int8 = 1, Attributes int8, Timestamp int64, Key bytes, Value bytes
 *   bytes      => Length int32 (-1 = null), then Length bytes
 * Crc is plain CRC-32 (IEEE, zlib's) of everything after it: Magic to the end of Value.
 * Attributes: bits 0-2 codec (0 none, 1 gzip, 2 snappy, 3 lz4; zstd cannot appear in
 * these formats); bit 3, magic 1 only, the timestamp type (1 = LogAppendTime). Magic
 * sits at byte 16 of an entry in every format, so one peek tells the formats apart.
 *
 * Compression: a compressed "wrapper" message holds, as its value, a whole inner
 * MessageSet compressed with the codec its attributes name; inner messages are never
 * compressed themselves and have the wrapper's magic. With magic 0 inner offsets are
 * absolute. With magic 1 they are relative (0..n-1, gaps after compaction) and the
 * wrapper's offset is the absolute offset of the last inner message, so
 * absolute = wrapper offset - last inner offset + inner offset (a wrapper offset of 0
 * means base 0: some producers write 0). A magic 1 wrapper marked LogAppendTime gives
 * its own timestamp to every inner message.
 *
 * Codec quirks: snappy is xerial-framed (compression.ts reads and writes it). lz4 with
 * magic 0 carries Kafka's historical broken frame-descriptor checksum (KAFKA-3160: the
 * xxHash32 was taken over the frame magic as well as the descriptor). Kafka ignores
 * that byte when it reads magic 0 and writes the broken value on purpose for magic 0
 * readers; both are done here. Magic 1 lz4 is a standard frame.
 *
 * Up-conversion (produce): every message, inner messages included, is validated
 * (framing, magic, CRC, lengths, codec) and the records become ONE RecordBatch v2 with
 * offsets 0..n-1 (the log assigns the real ones), no producer id, no headers, and the
 * producer's codec (Kafka keeps it with compression.type=producer). A magic 1 record
 * keeps its timestamp (or its LogAppendTime wrapper's); magic 0 records have none (-1).
 * For a LogAppendTime topic the batch is marked LogAppendTime with maxTimestamp = now.
 * The message.timestamp.* range checks and the compacted-topic key rule are left to the
 * ordinary v2 append path, which sees the converted batch.
 * Refusals are RecordErrors with Kafka's codes: CORRUPT_MESSAGE for framing, magic, CRC
 * and decompression; INVALID_RECORD for what Kafka's LogValidator refuses (an empty set,
 * a compressed message that is not alone, mixed magics, a null wrapper value, compressed
 * or mismatched inner messages, producer-set LogAppendTime); UNSUPPORTED_COMPRESSION_TYPE
 * for codec ids 4-7. Where Kafka is lenient and this code is not: a partial trailing
 * message is refused (Kafka silently trims it) and so is a message whose fields do not
 * fill its declared size. Kafka answers a producer-set LogAppendTime with
 * INVALID_TIMESTAMP, a code the storage errors do not carry; this reports INVALID_RECORD.
 *
 * Down-conversion (fetch): whole stored batches become a MessageSet of the client's
 * magic. An uncompressed batch becomes one message per record at its absolute offset;
 * a compressed batch becomes one wrapper message re-compressed with the same codec
 * (inner offsets absolute for magic 0, relative to the first record for magic 1).
 * Offset gaps survive. Control batches are dropped, as are headers (these formats have
 * none). Magic 1 keeps timestamps and the LogAppendTime flag. A zstd batch cannot be
 * down-converted: it is UNSUPPORTED_COMPRESSION_TYPE when it comes first and otherwise
 * ends the result, so the client fetches again from that offset and then gets the error
 * (Kafka does the same). A partial trailing batch is ignored, as Kafka's log reader does.
 *
 * Everything here is pure and synchronous: input buffers are never written, so refused
 * input changes nothing. Every loop is bounded by the bytes it consumes.
 */
import { crc32 } from '@node-rs/crc32';
import { assert } from '../util/assert';
import { readInt64, writeInt64 } from '../storage/bytes';
import { RecordError, type RecordErrorDetail } from '../storage/errors';
import { Codec, CodecError, CODEC_NAMES, LZ4_FRAME_MAGIC, compressSync, decompressSync, type CodecId } from '../storage/compression';
import {
  BATCH_HEADER_BYTES,
  BATCH_LENGTH_AT,
  LOG_OVERHEAD,
  MAGIC_AT,
  NO_TIMESTAMP,
  TimestampType,
  buildBatchSync,
  checkStoredBatch,
  decodeRecordsSync,
  readBatchHeader,
  type RecordSpec,
  type TimestampTypeId,
} from '../storage/record-batch';

// ---- which magic for which API version ---------------------------------------------

export type LegacyMagic = 0 | 1;
export type RecordsMagic = 0 | 1 | 2;

/**
 * The magic a Produce request of `version` carries: v0-v1 magic 0, v2 magic 1, v3+ magic 2
 * (Kafka's ProduceRequest.requiredMagicForVersion). Like Kafka, the broker does not hold
 * old versions to it: `upConvertProduceRecords` accepts magic 0 and magic 1 alike.
 */
export function produceMagicFor(version: number): RecordsMagic {
  assert(Number.isInteger(version) && version >= 0, () => `invalid Produce version ${version}`);
  if (version <= 1) return 0;
  return version === 2 ? 1 : 2;
}

/** The newest magic a Fetch client of `version` can read: v0-v1 magic 0, v2-v3 magic 1, v4+ magic 2. */
export function fetchMagicFor(version: number): RecordsMagic {
  assert(Number.isInteger(version) && version >= 0, () => `invalid Fetch version ${version}`);
  if (version <= 1) return 0;
  return version <= 3 ? 1 : 2;
}

/**
 * The magic byte of the first entry of `records` (byte 16 in every format), or undefined
 * when there are fewer than 17 bytes. Lets the broker route a v0-v2 produce request that
 * carries a RecordBatch v2, which Kafka accepts too, to the ordinary append path.
 */
export function peekRecordsMagic(records: Buffer): number | undefined {
  return records.length > MAGIC_AT ? records.readInt8(MAGIC_AT) : undefined;
}

// ---- layout -----------------------------------------------------------------------------

const ENTRY_OVERHEAD = 12; // offset int64 + message size int32
const SIZE_AT = 8;
// Positions inside a message (after its entry's 12-byte prefix).
const MSG_MAGIC_AT = 4;
const MSG_ATTRIBUTES_AT = 5;
const MSG_TIMESTAMP_AT = 6;
const MSG_KEY_AT_V0 = 6;
const MSG_KEY_AT_V1 = 14;

/** Smallest message of each magic: crc, magic, attributes, [timestamp], key length, value length. */
export const MESSAGE_OVERHEAD_V0 = 14;
export const MESSAGE_OVERHEAD_V1 = 22;

const ATTR_CODEC_MASK = 0x07;
const ATTR_LOG_APPEND_TIME = 0x08;

function messageOverhead(magic: LegacyMagic): number {
  return magic === 0 ? MESSAGE_OVERHEAD_V0 : MESSAGE_OVERHEAD_V1;
}

function corrupt(message: string): RecordError {
  return new RecordError('CORRUPT_MESSAGE', message);
}

function invalid(message: string, recordErrors?: RecordErrorDetail[]): RecordError {
  return new RecordError('INVALID_RECORD', message, recordErrors ? { recordErrors } : {});
}

// ---- reading messages ----------------------------------------------------------------------

/** One message as it sits in its buffer; key and value are views. */
interface MessageView {
  offset: number;
  /** Bytes of the whole entry, prefix included. */
  entryBytes: number;
  magic: LegacyMagic;
  /** Raw codec bits, 0-7. */
  codec: number;
  /** Magic 1 timestamp-type bit. Always false for magic 0, which has no timestamp type. */
  logAppendTime: boolean;
  /** -1 for magic 0. May be unsafe (beyond 2^53) when a producer sent garbage. */
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
}

/**
 * Reads the entry at `pos` of `buf[.., end)`: checks its size, magic, CRC and lengths.
 * Returns undefined when the entry does not fit in the bytes left (a partial message);
 * throws CORRUPT_MESSAGE for anything malformed. `where` names the set in messages.
 */
function readMessageAt(buf: Buffer, pos: number, end: number, where: string): MessageView | undefined {
  if (end - pos < ENTRY_OVERHEAD) return undefined;
  const offset = readInt64(buf, pos);
  const size = buf.readInt32BE(pos + SIZE_AT);
  const at = `message at byte ${pos} of the ${where}`;
  if (size < MESSAGE_OVERHEAD_V0) {
    throw corrupt(`${at} declares ${size} bytes, less than the minimum message overhead (${MESSAGE_OVERHEAD_V0})`);
  }
  if (size > end - pos - ENTRY_OVERHEAD) return undefined;
  const m = pos + ENTRY_OVERHEAD;
  const msgEnd = m + size;
  const magic = buf.readInt8(m + MSG_MAGIC_AT);
  if (magic !== 0 && magic !== 1) {
    throw corrupt(`${at} has magic ${magic}; a message set holds magic 0 or 1 messages (magic 2 comes as a RecordBatch, Produce v3+)`);
  }
  if (size < messageOverhead(magic)) {
    throw corrupt(`${at} declares ${size} bytes, less than the magic ${magic} overhead (${messageOverhead(magic)})`);
  }
  const storedCrc = buf.readUInt32BE(m);
  const computedCrc = crc32(buf.subarray(m + MSG_MAGIC_AT, msgEnd)) >>> 0;
  if (storedCrc !== computedCrc) {
    throw corrupt(`${at} is corrupt (stored crc = ${storedCrc}, computed crc = ${computedCrc}); the client sent damaged data`);
  }
  const attributes = buf.readUInt8(m + MSG_ATTRIBUTES_AT);
  let p = m + (magic === 0 ? MSG_KEY_AT_V0 : MSG_KEY_AT_V1);
  const keyLength = buf.readInt32BE(p);
  p += 4;
  if (keyLength < -1 || p + Math.max(0, keyLength) + 4 > msgEnd) {
    throw corrupt(`${at} has a key length of ${keyLength}, which does not fit in its ${size} bytes`);
  }
  const key = keyLength < 0 ? null : buf.subarray(p, p + keyLength);
  p += Math.max(0, keyLength);
  const valueLength = buf.readInt32BE(p);
  p += 4;
  if (valueLength < -1 || p + Math.max(0, valueLength) !== msgEnd) {
    throw corrupt(`${at} has a value length of ${valueLength}, which does not end at its declared size of ${size} bytes`);
  }
  const value = valueLength < 0 ? null : buf.subarray(p, msgEnd);
  return {
    offset,
    entryBytes: ENTRY_OVERHEAD + size,
    magic,
    codec: attributes & ATTR_CODEC_MASK,
    logAppendTime: magic === 1 && (attributes & ATTR_LOG_APPEND_TIME) !== 0,
    timestampMs: magic === 0 ? NO_TIMESTAMP : readInt64(buf, m + MSG_TIMESTAMP_AT),
    key,
    value,
  };
}

/** Reads every entry of a message set. A partial trailing entry is refused unless `allowPartialTail`. */
function readMessages(buf: Buffer, where: string, allowPartialTail: boolean): MessageView[] {
  const out: MessageView[] = [];
  const maxEntries = Math.floor(buf.length / (ENTRY_OVERHEAD + MESSAGE_OVERHEAD_V0));
  let pos = 0;
  while (pos < buf.length) {
    assert(out.length <= maxEntries, 'legacy message reader did not advance');
    const msg = readMessageAt(buf, pos, buf.length, where);
    if (msg === undefined) {
      if (allowPartialTail) break;
      throw corrupt(`the ${where} ends inside a message: ${buf.length - pos} bytes at byte ${pos} are not a whole message`);
    }
    out.push(msg);
    pos += msg.entryBytes;
  }
  return out;
}

/** The inner messages of a compressed wrapper, with absolute offsets and effective timestamps. */
function expandWrapper(wrapper: MessageView, where: string): MessageView[] {
  assert(wrapper.codec !== Codec.NONE, 'expandWrapper needs a compressed message');
  if (wrapper.codec > Codec.LZ4) {
    const name = wrapper.codec === Codec.ZSTD ? 'zstd, which magic 0 and 1 cannot carry' : `unknown codec id ${wrapper.codec}`;
    throw new RecordError('UNSUPPORTED_COMPRESSION_TYPE', `a magic ${wrapper.magic} message at offset ${wrapper.offset} uses ${name}`);
  }
  if (wrapper.value === null) {
    throw invalid(`the compressed message at offset ${wrapper.offset} has a null value (magic ${wrapper.magic}); it must hold a compressed message set`);
  }
  const codec = wrapper.codec as CodecId;
  let innerSet: Buffer;
  try {
    const payload = codec === Codec.LZ4 && wrapper.magic === 0 ? withLz4HeaderChecksum(wrapper.value, 'standard') : wrapper.value;
    innerSet = decompressSync(codec, payload);
  } catch (e) {
    if (e instanceof CodecError) {
      throw corrupt(`the ${CODEC_NAMES[codec]} message at offset ${wrapper.offset} does not decompress: ${e.message}`);
    }
    throw e;
  }
  const inner = readMessages(innerSet, `compressed message set at offset ${wrapper.offset} of the ${where}`, false);
  if (inner.length === 0) throw invalid(`the compressed message at offset ${wrapper.offset} holds no messages`);
  let base = 0;
  if (wrapper.magic === 1) {
    const lastInner = inner[inner.length - 1].offset;
    if (wrapper.offset !== 0) {
      if (wrapper.offset < lastInner) {
        throw invalid(`the compressed magic 1 message's offset ${wrapper.offset} is below its last inner offset ${lastInner} and is not 0`);
      }
      base = wrapper.offset - lastInner;
    }
  }
  return inner.map((m) => ({
    ...m,
    offset: wrapper.magic === 1 ? base + m.offset : m.offset,
    timestampMs: wrapper.logAppendTime ? wrapper.timestampMs : m.timestampMs,
    logAppendTime: wrapper.logAppendTime,
  }));
}

/** Why an inner message of `wrapper` is refused (Kafka's LogValidator), or null. */
function innerMessageProblem(inner: MessageView, wrapper: MessageView): string | null {
  if (inner.magic !== wrapper.magic) return `inner message has magic ${inner.magic} but its wrapper has magic ${wrapper.magic}`;
  if (inner.codec !== Codec.NONE) return 'inner message of a compressed message is itself compressed';
  return null;
}

// ---- decoding (the reader's view) -------------------------------------------------------------

export interface LegacyRecord {
  /** Absolute offset. */
  offset: number;
  magic: LegacyMagic;
  /** -1 for magic 0; the wrapper's time for records of a LogAppendTime wrapper. */
  timestampMs: number;
  /** null for magic 0, which has no timestamp type. */
  timestampType: TimestampTypeId | null;
  /** Codec of the wrapper the record came in; NONE for a plain message. */
  compression: CodecId;
  key: Buffer | null;
  value: Buffer | null;
}

export interface DecodeMessageSetOptions {
  /** Ignore a partial message at the end, as a consumer does with a fetch response (default false). */
  allowPartialTail?: boolean;
}

/**
 * Decodes a message set as a client reads it, wrappers expanded, with the same checks as
 * up-conversion (throws RecordError). Keys and values are copies.
 */
export function decodeMessageSet(messageSet: Buffer, opts: DecodeMessageSetOptions = {}): LegacyRecord[] {
  const where = 'message set';
  const out: LegacyRecord[] = [];
  for (const outer of readMessages(messageSet, where, opts.allowPartialTail ?? false)) {
    const records = outer.codec === Codec.NONE ? [outer] : expandWrapper(outer, where);
    for (const r of records) {
      if (r !== outer) {
        const problem = innerMessageProblem(r, outer);
        if (problem !== null) throw invalid(`record at offset ${r.offset}: ${problem}`);
      }
      out.push({
        offset: r.offset,
        magic: r.magic,
        timestampMs: r.timestampMs,
        timestampType: r.magic === 0 ? null : r.logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
        compression: outer.codec as CodecId,
        key: r.key === null ? null : Buffer.from(r.key),
        value: r.value === null ? null : Buffer.from(r.value),
      });
    }
  }
  return out;
}

// ---- up-conversion (produce) -----------------------------------------------------------------

export interface UpConvertOptions {
  /** The broker's clock: the append time for a LogAppendTime topic. */
  nowMs: number;
  /** The topic's message.timestamp.type. */
  timestampType: TimestampTypeId;
}

/**
 * Validates the message set of a Produce v0-v2 partition and returns the same records as
 * one RecordBatch v2 (see the file comment). Throws RecordError; the input is not touched.
 */
export function upConvertProduceRecords(messageSet: Buffer, opts: UpConvertOptions): Buffer {
  assert(Number.isSafeInteger(opts.nowMs), () => `nowMs ${opts.nowMs} is not a safe integer`);
  const where = 'produce message set';
  const messages = readMessages(messageSet, where, false);
  if (messages.length === 0) throw invalid('the produce request carries an empty message set for this partition');
  const first = messages[0];
  const compressedCount = messages.filter((m) => m.codec !== Codec.NONE).length;
  if (compressedCount > 0 && messages.length > 1) {
    throw invalid(`a compressed message must be the only message of its set; this set has ${messages.length} messages`);
  }
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].magic !== first.magic) {
      throw invalid(`message ${i} has magic ${messages[i].magic} but the first message has magic ${first.magic}; a set must not mix them`);
    }
  }
  const wrapper = compressedCount > 0 ? first : undefined;
  const records = wrapper ? expandWrapper(wrapper, where) : messages;

  const recordErrors: RecordErrorDetail[] = [];
  const specs: RecordSpec[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const problem = (wrapper ? innerMessageProblem(r, wrapper) : null) ?? timestampProblem(r, opts.timestampType);
    if (problem !== null) {
      recordErrors.push({ batchIndex: i, message: problem });
      continue;
    }
    specs.push({ key: r.key, value: r.value, timestampMs: r.timestampMs, headers: [] });
  }
  if (recordErrors.length > 0) {
    throw invalid(`${recordErrors.length} of ${records.length} messages were refused: ${recordErrors[0].message}`, recordErrors);
  }
  const logAppendTime = opts.timestampType === TimestampType.LOG_APPEND_TIME;
  return buildBatchSync({
    records: specs,
    compression: wrapper ? (wrapper.codec as CodecId) : Codec.NONE,
    timestampType: opts.timestampType,
    ...(logAppendTime ? { maxTimestampMs: opts.nowMs } : {}),
  });
}

/** Why a record's timestamp is refused on produce, or null (Kafka's LogValidator.validateTimestamp and builder). */
function timestampProblem(r: MessageView, topicTimestampType: TimestampTypeId): string | null {
  if (r.magic === 0) return null;
  const ts = r.timestampMs;
  if (ts !== NO_TIMESTAMP && (ts < 0 || !Number.isSafeInteger(ts))) {
    return `timestamp ${ts} is invalid: it must be -1 (none) or milliseconds since the epoch`;
  }
  // Kafka range-checks a real timestamp on a CreateTime topic (the caller's job, on the
  // converted batch) and refuses a producer-claimed LogAppendTime in every other case.
  if (r.logAppendTime && !(topicTimestampType === TimestampType.CREATE_TIME && ts !== NO_TIMESTAMP)) {
    return 'the producer set the timestamp type to LogAppendTime, which only the broker may set';
  }
  return null;
}

// ---- down-conversion (fetch) ----------------------------------------------------------------------

export interface DownConvertOptions {
  /**
   * The fetch offset. Records of uncompressed batches below it are left out, as Kafka
   * does (some librdkafka versions rely on it); compressed batches go whole. Default: keep all.
   */
  firstOffset?: number;
  /**
   * Cut the result at this many bytes, possibly inside a message, as Kafka's lazy
   * down-conversion does when the converted data outgrows the size it committed to
   * (clients ignore a partial trailing message). The first message always goes whole.
   * Pass the stored size to keep Kafka's behaviour. Default: no limit.
   */
  maxBytes?: number;
}

/**
 * Converts stored RecordBatch v2 bytes (whole batches, as the log returns them) into a
 * MessageSet of `toMagic` for a Fetch v0-v3 client (see the file comment).
 */
export function downConvertFetchRecords(batches: Buffer, toMagic: LegacyMagic, opts: DownConvertOptions = {}): Buffer {
  assert(toMagic === 0 || toMagic === 1, () => `cannot down-convert to magic ${toMagic}`);
  const firstOffset = opts.firstOffset ?? -Infinity;
  const maxBytes = opts.maxBytes ?? Infinity;
  const out = new MessageSetWriter(batches.length + 64);
  const logAppendTimeBit = toMagic === 1 ? ATTR_LOG_APPEND_TIME : 0;
  let pos = 0;
  // Stop converting once the limit is reached, but never before the first message.
  while (pos < batches.length && (out.sizeBytes === 0 || out.sizeBytes < maxBytes)) {
    const size = pos + LOG_OVERHEAD <= batches.length ? batches.readInt32BE(pos + BATCH_LENGTH_AT) + LOG_OVERHEAD : undefined;
    if (size === undefined || (size >= BATCH_HEADER_BYTES && pos + size > batches.length)) break; // partial trailing batch
    const problem = checkStoredBatch(batches, pos, batches.length);
    if (problem !== null) throw corrupt(`stored batch at byte ${pos} cannot be down-converted: ${problem}`);
    const header = readBatchHeader(batches, pos);
    const batch = batches.subarray(pos, pos + header.sizeBytes);
    pos += header.sizeBytes;
    if (header.isControl) continue;
    if (header.compression === Codec.ZSTD) {
      if (out.sizeBytes > 0) break;
      throw new RecordError(
        'UNSUPPORTED_COMPRESSION_TYPE',
        `the batch at offset ${header.baseOffset} is zstd-compressed, which Fetch v0-v3 clients cannot read; ` +
          'upgrade the client to one that uses Fetch v10 or later',
      );
    }
    const logAppendTime = header.timestampType === TimestampType.LOG_APPEND_TIME;
    // decodeRecordsSync gives LogAppendTime records the batch's maxTimestamp.
    const records = decodeRecordsSync(batch);
    if (header.compression === Codec.NONE) {
      for (const r of records) {
        if (r.offset < firstOffset) continue;
        out.message(r.offset, toMagic, logAppendTime ? logAppendTimeBit : 0, r.timestampMs, r.key, r.value);
      }
    } else if (records.length > 0) {
      writeWrapper(out, toMagic, header.compression as CodecId, logAppendTime, header.maxTimestamp, records);
    }
  }
  const bytes = out.bytes();
  const limit = Math.max(maxBytes, out.firstEntryBytes);
  return bytes.length > limit ? bytes.subarray(0, limit) : bytes;
}

/** One compressed batch as one wrapper message (Kafka's MemoryRecordsBuilder for magic 0/1). */
function writeWrapper(
  out: MessageSetWriter,
  magic: LegacyMagic,
  codec: CodecId,
  logAppendTime: boolean,
  logAppendTimeMs: number,
  records: { offset: number; timestampMs: number; key: Buffer | null; value: Buffer | null }[],
): void {
  const timestampBit = logAppendTime && magic === 1 ? ATTR_LOG_APPEND_TIME : 0;
  const baseOffset = records[0].offset;
  const inner = new MessageSetWriter(64 * records.length);
  let maxTimestampMs = NO_TIMESTAMP;
  for (const r of records) {
    inner.message(magic === 1 ? r.offset - baseOffset : r.offset, magic, timestampBit, r.timestampMs, r.key, r.value);
    if (r.timestampMs > maxTimestampMs) maxTimestampMs = r.timestampMs;
  }
  let payload = compressSync(codec, inner.bytes());
  if (codec === Codec.LZ4 && magic === 0) payload = withLz4HeaderChecksum(payload, 'kafka-3160');
  const lastOffset = records[records.length - 1].offset;
  out.message(lastOffset, magic, codec | timestampBit, logAppendTime ? logAppendTimeMs : maxTimestampMs, null, payload);
}

/** Writes messages into one growable buffer (amortised doubling). */
class MessageSetWriter {
  private buf: Buffer;
  private len = 0;
  /** Size of the first entry written, 0 before any. */
  firstEntryBytes = 0;

  constructor(initialBytes: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialBytes));
  }

  get sizeBytes(): number {
    return this.len;
  }

  message(offset: number, magic: LegacyMagic, attributes: number, timestampMs: number, key: Buffer | null, value: Buffer | null): void {
    const size = messageOverhead(magic) + (key?.length ?? 0) + (value?.length ?? 0);
    assert(size <= 0x7fffffff, () => `message of ${size} bytes does not fit a MessageSize`);
    this.reserve(ENTRY_OVERHEAD + size);
    const buf = this.buf;
    const start = this.len;
    writeInt64(buf, start, offset);
    buf.writeInt32BE(size, start + SIZE_AT);
    const m = start + ENTRY_OVERHEAD;
    buf.writeInt8(magic, m + MSG_MAGIC_AT);
    buf.writeUInt8(attributes, m + MSG_ATTRIBUTES_AT);
    let p = m + MSG_KEY_AT_V0;
    if (magic === 1) {
      writeInt64(buf, p, timestampMs);
      p += 8;
    }
    p = writeBytes(buf, p, key);
    p = writeBytes(buf, p, value);
    assert(p === m + size, 'legacy message size mismatch');
    buf.writeUInt32BE(crc32(buf.subarray(m + MSG_MAGIC_AT, p)) >>> 0, m);
    this.len = p;
    if (this.firstEntryBytes === 0) this.firstEntryBytes = p - start;
  }

  /** The encoded set (a view; valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  private reserve(bytes: number): void {
    if (this.len + bytes <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < this.len + bytes) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}

function writeBytes(buf: Buffer, pos: number, data: Buffer | null): number {
  if (data === null) {
    buf.writeInt32BE(-1, pos);
    return pos + 4;
  }
  buf.writeInt32BE(data.length, pos);
  return pos + 4 + data.copy(buf, pos + 4);
}

// ---- lz4 frame-descriptor checksum (KAFKA-3160) ---------------------------------------------

/** FLG bit 3: an 8-byte content size follows the BD byte. */
const LZ4_FLG_CONTENT_SIZE = 0x08;

/**
 * A copy of an lz4 frame with its header checksum (HC) byte set: 'standard' is the
 * second byte of xxHash32 over the descriptor (FLG, BD, [content size]); 'kafka-3160' is
 * what Kafka's magic 0 writer produces, the same hash taken from the frame magic on.
 * Throws CodecError when the frame header is not there.
 */
export function withLz4HeaderChecksum(frame: Buffer, kind: 'standard' | 'kafka-3160'): Buffer {
  if (frame.length < 7 || frame.readUInt32LE(0) !== LZ4_FRAME_MAGIC) {
    throw new CodecError('lz4 payload does not start with the LZ4 frame magic 0x184D2204');
  }
  const hcAt = 6 + (frame[4] & LZ4_FLG_CONTENT_SIZE ? 8 : 0);
  if (hcAt >= frame.length) throw new CodecError('lz4 frame header is truncated');
  const copy = Buffer.from(frame);
  copy[hcAt] = (xxh32(copy.subarray(kind === 'standard' ? 4 : 0, hcAt)) >>> 8) & 0xff;
  return copy;
}

const XXH_P1 = 0x9e3779b1;
const XXH_P2 = 0x85ebca77;
const XXH_P3 = 0xc2b2ae3d;
const XXH_P4 = 0x27d4eb2f;
const XXH_P5 = 0x165667b1;

function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function xxhRound(acc: number, lane: number): number {
  return Math.imul(rotl32((acc + Math.imul(lane, XXH_P2)) | 0, 13), XXH_P1);
}

function readU32LE(data: Uint8Array, p: number): number {
  return data[p] | (data[p + 1] << 8) | (data[p + 2] << 16) | (data[p + 3] << 24);
}

/** xxHash32 (the LZ4 frame format's checksum), as an unsigned 32-bit number. */
export function xxh32(data: Uint8Array, seed = 0): number {
  const len = data.length;
  let p = 0;
  let h: number;
  if (len >= 16) {
    let v1 = (seed + XXH_P1 + XXH_P2) | 0;
    let v2 = (seed + XXH_P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - XXH_P1) | 0;
    for (; p <= len - 16; p += 16) {
      v1 = xxhRound(v1, readU32LE(data, p));
      v2 = xxhRound(v2, readU32LE(data, p + 4));
      v3 = xxhRound(v3, readU32LE(data, p + 8));
      v4 = xxhRound(v4, readU32LE(data, p + 12));
    }
    h = (rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18)) | 0;
  } else {
    h = (seed + XXH_P5) | 0;
  }
  h = (h + len) | 0;
  for (; p + 4 <= len; p += 4) h = Math.imul(rotl32((h + Math.imul(readU32LE(data, p), XXH_P3)) | 0, 17), XXH_P4);
  for (; p < len; p++) h = Math.imul(rotl32((h + Math.imul(data[p], XXH_P5)) | 0, 11), XXH_P1);
  h = Math.imul(h ^ (h >>> 15), XXH_P2);
  h = Math.imul(h ^ (h >>> 13), XXH_P3);
  return (h ^ (h >>> 16)) >>> 0;
}
