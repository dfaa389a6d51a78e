/**
 * Builds one RecordBatch v2 in place, record by record, for the producer.
 *
 * Format: Kafka's RecordBatch v2 (see engine/storage/record-batch.ts for the byte
 * layout). The builder reserves the 61-byte batch header at the front of its buffer and
 * encodes each record straight after it (length varint, attributes, timestamp delta,
 * offset delta, key, value, headers), so an uncompressed batch is never copied: sealing
 * it only writes the header fields and the CRC-32C. A compressed batch is compressed
 * once when it is closed (records section → codec → new buffer behind a fresh header).
 *
 * Keys and values may be Buffers or strings; strings are written as UTF-8 directly into
 * the batch buffer (no intermediate Buffer per record).
 *
 * Lifecycle: open (append) → closed (no more appends; compressed if a codec is set) →
 * sealed (header fields stamped: producer id, epoch, base sequence; CRC computed).
 * Sealing may be repeated with other producer fields (an idempotent producer that got a
 * new producer id re-stamps queued batches); the records bytes never change after close.
 *
 * Invariants: offset deltas are 0..count-1 in append order; baseTimestamp is the first
 * record's timestamp and maxTimestamp the largest; the buffer never holds more than
 * `capacity` bytes, except that the first record of a batch always fits (the buffer is
 * sized for it), as Kafka lets a single record exceed batch.size.
 */
import { compress, compressSync, Codec, type CodecId } from '../storage/compression';
import { sizeOfVarint, sizeOfVarlong, writeInt64, writeVarint, writeVarlong } from '../storage/bytes';
import {
  ATTRIBUTES_AT,
  BASE_OFFSET_AT,
  BASE_SEQUENCE_AT,
  BASE_TIMESTAMP_AT,
  BATCH_HEADER_BYTES,
  BATCH_LENGTH_AT,
  CRC_AT,
  LAST_OFFSET_DELTA_AT,
  LOG_OVERHEAD,
  MAGIC_AT,
  MAGIC_V2,
  MAX_TIMESTAMP_AT,
  PARTITION_LEADER_EPOCH_AT,
  PRODUCER_EPOCH_AT,
  PRODUCER_ID_AT,
  RECORDS_AT,
  RECORDS_COUNT_AT,
  computeBatchCrc,
} from '../storage/record-batch';
import { assert } from '../util/assert';

export type Bytes = Buffer | string | null;

export interface HeaderEntry {
  key: string;
  value: Buffer | string | null;
}

function byteLength(b: Bytes): number {
  if (b === null) return -1;
  return typeof b === 'string' ? Buffer.byteLength(b, 'utf8') : b.length;
}

/** Copies a key, value or header value into `buf` at `pos`; returns the position after it. */
function putBytes(buf: Buffer, pos: number, b: Buffer | string): number {
  if (typeof b === 'string') return pos + buf.write(b, pos, 'utf8');
  buf.set(b, pos);
  return pos + b.length;
}

function headersSize(headers: readonly HeaderEntry[] | null): number {
  if (headers === null) return 1;
  let n = sizeOfVarint(headers.length);
  for (const h of headers) {
    const kl = Buffer.byteLength(h.key, 'utf8');
    const vl = byteLength(h.value);
    n += sizeOfVarint(kl) + kl + sizeOfVarint(vl) + Math.max(0, vl);
  }
  return n;
}

/** Upper bound of the encoded size of one record (with its length prefix), for sizing checks. */
export function recordSizeUpperBound(key: Bytes, value: Bytes, headers: readonly HeaderEntry[] | null): number {
  const kl = byteLength(key);
  const vl = byteLength(value);
  // length varint ≤ 5, attributes 1, timestamp delta ≤ 10, offset delta ≤ 5.
  return 21 + sizeOfVarint(kl) + Math.max(0, kl) + sizeOfVarint(vl) + Math.max(0, vl) + headersSize(headers);
}

export class BatchBuilder {
  private buf: Buffer;
  private pos = RECORDS_AT;
  count = 0;
  baseTimestamp = -1;
  maxTimestamp = -1;
  private closedBytes: Buffer | null = null;
  readonly compression: CodecId;

  /** `capacity`: batch.size; grows for a first record larger than it. */
  constructor(
    readonly capacity: number,
    compression: CodecId,
    firstRecordBytes = 0,
  ) {
    this.compression = compression;
    this.buf = Buffer.allocUnsafe(Math.max(capacity, BATCH_HEADER_BYTES + firstRecordBytes));
  }

  /** Bytes the buffer holds (the memory this batch accounts for). */
  get allocatedBytes(): number {
    return this.buf.length;
  }

  get sizeBytes(): number {
    return this.closedBytes?.length ?? this.pos;
  }

  get isClosed(): boolean {
    return this.closedBytes !== null;
  }

  /**
   * Appends one record; returns false (and writes nothing) when it does not fit and the
   * batch already holds records.
   */
  tryAppend(timestampMs: number, key: Bytes, value: Bytes, headers: readonly HeaderEntry[] | null): boolean {
    assert(this.closedBytes === null, 'append to a closed batch');
    if (this.count === 0) this.baseTimestamp = timestampMs;
    const keyLen = byteLength(key);
    const valueLen = byteLength(value);
    const tsDelta = timestampMs - this.baseTimestamp;
    const hSize = headersSize(headers);
    const tsSize = sizeOfVarlong(tsDelta);
    const body =
      1 + tsSize + sizeOfVarint(this.count) + sizeOfVarint(keyLen) + Math.max(0, keyLen) + sizeOfVarint(valueLen) + Math.max(0, valueLen) + hSize;
    const total = sizeOfVarint(body) + body;
    if (this.pos + total > this.buf.length) {
      if (this.count > 0) return false;
      const bigger = Buffer.allocUnsafe(this.pos + total);
      this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
    }
    const buf = this.buf;
    let p = writeVarint(buf, this.pos, body);
    buf[p++] = 0;
    p = writeVarlong(buf, p, tsDelta);
    p = writeVarint(buf, p, this.count);
    p = writeVarint(buf, p, keyLen);
    if (key !== null) p = putBytes(buf, p, key);
    p = writeVarint(buf, p, valueLen);
    if (value !== null) p = putBytes(buf, p, value);
    if (headers === null) {
      buf[p++] = 0;
    } else {
      p = writeVarint(buf, p, headers.length);
      for (const h of headers) {
        p = writeVarint(buf, p, Buffer.byteLength(h.key, 'utf8'));
        p += buf.write(h.key, p, 'utf8');
        p = writeVarint(buf, p, byteLength(h.value));
        if (h.value !== null) p = putBytes(buf, p, h.value);
      }
    }
    assert(p === this.pos + total, 'record size computed and written differ');
    this.pos = p;
    if (timestampMs > this.maxTimestamp) this.maxTimestamp = timestampMs;
    this.count++;
    return true;
  }

  /** Whether another record of `recordBytes` (upper bound) would fit. */
  hasRoomFor(recordBytes: number): boolean {
    return this.closedBytes === null && this.pos + recordBytes <= this.buf.length;
  }

  /** Closes the batch synchronously (every codec but zstd). */
  closeSync(): void {
    if (this.closedBytes !== null) return;
    if (this.compression === Codec.NONE) {
      this.closedBytes = this.buf.subarray(0, this.pos);
      return;
    }
    this.closedBytes = this.withHeaderRoom(compressSync(this.compression, this.buf.subarray(RECORDS_AT, this.pos)));
  }

  /** Closes the batch (zstd compresses asynchronously). */
  async close(): Promise<void> {
    if (this.closedBytes !== null) return;
    if (this.compression !== Codec.ZSTD) return this.closeSync();
    const payload = await compress(this.compression, this.buf.subarray(RECORDS_AT, this.pos));
    if (this.closedBytes === null) this.closedBytes = this.withHeaderRoom(payload);
  }

  private withHeaderRoom(payload: Buffer): Buffer {
    const out = Buffer.allocUnsafe(BATCH_HEADER_BYTES + payload.length);
    payload.copy(out, RECORDS_AT);
    // The uncompressed records are no longer needed; drop the reference early.
    this.buf = out;
    return out;
  }

  /** Stamps the header fields and CRC; returns the batch bytes. The batch must be closed. */
  seal(producerId: number, producerEpoch: number, baseSequence: number): Buffer {
    const b = this.closedBytes;
    assert(b !== null, 'seal() needs a closed batch');
    assert(this.count > 0, 'a batch holds at least one record');
    writeInt64(b, BASE_OFFSET_AT, 0);
    b.writeInt32BE(b.length - LOG_OVERHEAD, BATCH_LENGTH_AT);
    b.writeInt32BE(-1, PARTITION_LEADER_EPOCH_AT);
    b.writeInt8(MAGIC_V2, MAGIC_AT);
    b.writeInt16BE(this.compression, ATTRIBUTES_AT);
    b.writeInt32BE(this.count - 1, LAST_OFFSET_DELTA_AT);
    writeInt64(b, BASE_TIMESTAMP_AT, this.baseTimestamp);
    writeInt64(b, MAX_TIMESTAMP_AT, this.maxTimestamp);
    writeInt64(b, PRODUCER_ID_AT, producerId);
    b.writeInt16BE(producerEpoch, PRODUCER_EPOCH_AT);
    b.writeInt32BE(baseSequence, BASE_SEQUENCE_AT);
    b.writeInt32BE(this.count, RECORDS_COUNT_AT);
    b.writeUInt32BE(computeBatchCrc(b, 0, b.length), CRC_AT);
    return b;
  }
}
