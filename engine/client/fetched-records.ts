/**
 * Turns the `records` bytes of one partition in a Fetch answer into consumer records.
 *
 * Format: zero or more RecordBatch v2 batches back to back; the last may be cut short
 * (a broker fills a fetch up to its byte limit and may end mid-batch), and is then left
 * for the next fetch. Compressed batches are decompressed once, up front (zstd needs
 * an await, so preparing a fetch is async); records are then read lazily, one at a time,
 * by `nextRecord`, so a poll that takes 500 records of a 9000-record fetch decodes 500.
 * Control batches (transaction markers) are skipped. Older message formats (magic 0/1)
 * are refused with a clear error: the workbench and Kafka 3.x write magic 2.
 *
 * Invariants: records come out in offset order; a record below `fromOffset` is never
 * returned; `nextOffset` after the chunk is drained is one past the last offset of the
 * last complete batch (or `fromOffset` when there was none).
 */
import { decompress, isKnownCodec } from '../storage/compression';
import {
  BATCH_HEADER_BYTES,
  LOG_OVERHEAD,
  MAGIC_AT,
  RECORDS_AT,
  batchSizeAt,
  isBatchCrcValid,
  readBatchHeader,
  type BatchHeader,
} from '../storage/record-batch';
import { RecordCursor, type RecordHeader } from '../storage/record-cursor';
import { KafkaClientError } from './errors';

export interface ConsumerRecord {
  topic: string;
  partition: number;
  offset: number;
  timestampMs: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  leaderEpoch: number;
}

interface PreparedBatch {
  header: BatchHeader;
  /** The (decompressed) records section. */
  records: Buffer;
  start: number;
  end: number;
}

const NO_HEADERS: RecordHeader[] = [];
Object.freeze(NO_HEADERS);

export class FetchedChunk {
  private batchIndex = 0;
  private recordIndex = 0;
  private readonly cursor = new RecordCursor();
  private cursorReady = false;
  /** Offset after the last complete batch. */
  readonly nextFetchOffset: number;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly batches: PreparedBatch[],
    readonly sizeBytes: number,
    private fromOffset: number,
  ) {
    const last = batches[batches.length - 1];
    this.nextFetchOffset = last === undefined ? fromOffset : Math.max(fromOffset, last.header.lastOffset + 1);
  }

  /**
   * Prepares a fetch's bytes. `verifyCrc` checks each batch's CRC (Kafka's check.crcs,
   * on by default).
   */
  static async prepare(topic: string, partition: number, data: Buffer, fromOffset: number, verifyCrc = true): Promise<FetchedChunk> {
    const batches: PreparedBatch[] = [];
    let pos = 0;
    while (pos + LOG_OVERHEAD <= data.length) {
      const size = batchSizeAt(data, pos)!;
      if (pos + size > data.length) break; // a partial batch at the end
      if (size < BATCH_HEADER_BYTES) throw corrupt(topic, partition, `batch at byte ${pos} declares ${size} bytes, less than a header`);
      const magic = data.readInt8(pos + MAGIC_AT);
      if (magic !== 2) {
        throw new KafkaClientError(`${topic}-${partition} holds records in message format v${magic}; this client reads only format v2 (Kafka 0.11+).`, false);
      }
      if (verifyCrc && !isBatchCrcValid(data, pos, size)) throw corrupt(topic, partition, `batch at byte ${pos} fails its CRC check`);
      const header = readBatchHeader(data, pos);
      if (header.lastOffset >= fromOffset && !header.isControl && header.recordsCount > 0) {
        let records = data;
        let start = pos + RECORDS_AT;
        let end = pos + size;
        if (header.compression !== 0) {
          if (!isKnownCodec(header.compression)) throw corrupt(topic, partition, `unknown compression codec ${header.compression}`);
          try {
            records = await decompress(header.compression, data.subarray(start, end));
          } catch (e) {
            throw corrupt(topic, partition, `batch does not decompress: ${(e as Error).message}`);
          }
          start = 0;
          end = records.length;
        }
        batches.push({ header, records, start, end });
      } else {
        // Keep the batch's end offset so the fetch position moves past it.
        batches.push({ header, records: data, start: 0, end: 0 });
        batches[batches.length - 1]!.header.recordsCount = 0;
      }
      pos += size;
    }
    if (batches.length === 0 && data.length > 0 && pos === 0) {
      const size = batchSizeAt(data, 0);
      if (size !== undefined && size > data.length) {
        // KIP-74 brokers always return a whole first batch; an old broker may not.
        throw new KafkaClientError(
          `${topic}-${partition}: the record batch at offset ${fromOffset} (${size} bytes) is larger than the fetch size; raise max.partition.fetch.bytes.`,
          false,
        );
      }
    }
    return new FetchedChunk(topic, partition, batches, data.length, fromOffset);
  }

  get isDrained(): boolean {
    return this.batchIndex >= this.batches.length;
  }

  /** Skips everything below `offset` (used after a seek inside buffered data). */
  skipTo(offset: number): void {
    this.fromOffset = Math.max(this.fromOffset, offset);
  }

  /** The next record at or after fromOffset, or null when the chunk is drained. */
  nextRecord(): ConsumerRecord | null {
    for (;;) {
      const b = this.batches[this.batchIndex];
      if (b === undefined) return null;
      const h = b.header;
      if (this.recordIndex >= h.recordsCount || h.lastOffset < this.fromOffset) {
        this.batchIndex++;
        this.recordIndex = 0;
        this.cursorReady = false;
        continue;
      }
      if (!this.cursorReady) {
        this.cursor.reset(b.records, b.start, b.end);
        this.cursorReady = true;
      }
      const c = this.cursor;
      try {
        c.next();
      } catch (e) {
        throw corrupt(this.topic, this.partition, `record ${this.recordIndex} of the batch at offset ${h.baseOffset} is malformed: ${(e as Error).message}`);
      }
      this.recordIndex++;
      const offset = h.baseOffset + c.offsetDelta;
      if (offset < this.fromOffset) continue;
      const buf = c.buffer;
      const logAppend = h.timestampType === 1;
      return {
        topic: this.topic,
        partition: this.partition,
        offset,
        timestampMs: logAppend ? h.maxTimestamp : h.baseTimestamp + c.timestampDelta,
        timestampType: logAppend ? 'LogAppendTime' : 'CreateTime',
        key: c.keyLength < 0 ? null : buf.subarray(c.keyStart, c.keyStart + c.keyLength),
        value: c.valueLength < 0 ? null : buf.subarray(c.valueStart, c.valueStart + c.valueLength),
        headers: c.headersCount === 0 ? NO_HEADERS : c.headers(),
        leaderEpoch: h.partitionLeaderEpoch,
      };
    }
  }
}

function corrupt(topic: string, partition: number, detail: string): KafkaClientError {
  return new KafkaClientError(`Corrupt record data from ${topic}-${partition}: ${detail}.`, false);
}
