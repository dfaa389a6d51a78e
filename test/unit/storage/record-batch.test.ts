import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Codec, type CodecId } from '../../../engine/storage/compression';
import { RecordError } from '../../../engine/storage/errors';
import {
  BATCH_HEADER_BYTES,
  CRC_AT,
  RECORDS_AT,
  buildBatch,
  buildBatchSync,
  checkStoredBatch,
  computeBatchCrc,
  decodeRecords,
  decodeRecordsSync,
  isBatchCrcValid,
  readBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  splitBatches,
  validateBatch,
  validateBatchSync,
  TimestampType,
} from '../../../engine/storage/record-batch';
import { batchOf, rec, T0, text } from './helpers';

/** Bitwise CRC-32C (Castagnoli, reflected 0x82F63B78): an independent check of the library. */
function crc32cBitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function expectRecordError(fn: () => unknown, errorName: string, code: number): RecordError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RecordError);
    const err = e as RecordError;
    expect(err.errorName).toBe(errorName);
    expect(err.code).toBe(code);
    return err;
  }
  throw new Error(`expected ${errorName}`);
}

/** Re-stamps the CRC after a deliberate edit, so only the edit is wrong. */
function fixCrc(b: Buffer): Buffer {
  b.writeUInt32BE(computeBatchCrc(b, 0, b.length), CRC_AT);
  return b;
}

describe('RecordBatch v2 golden bytes', () => {
  // Hand-derived from Kafka's documented layout (DefaultRecordBatch / DefaultRecord):
  // one record, key "k", value "v", timestamp 1000, offset 0, no headers, no compression,
  // no producer id/epoch/sequence, partitionLeaderEpoch -1.
  const golden = Buffer.from(
    [
      '0000000000000000', // baseOffset 0
      '0000003a', // batchLength 58 = 70 - 12
      'ffffffff', // partitionLeaderEpoch -1
      '02', // magic 2
      '716a6189', // crc32c(attributes..end)
      '0000', // attributes: no codec, CreateTime, not transactional, not control
      '00000000', // lastOffsetDelta 0
      '00000000000003e8', // baseTimestamp 1000
      '00000000000003e8', // maxTimestamp 1000
      'ffffffffffffffff', // producerId -1
      'ffff', // producerEpoch -1
      'ffffffff', // baseSequence -1
      '00000001', // recordsCount 1
      // record: length 8 (zigzag 0x10), attributes 0, timestampDelta 0, offsetDelta 0,
      // keyLength 1 (zigzag 0x02) 'k', valueLength 1 'v', headersCount 0
      '10', '00', '00', '00', '02', '6b', '02', '76', '00',
    ].join(''),
    'hex',
  );

  it('encodes exactly the hand-derived bytes, field by field', () => {
    const built = buildBatchSync({ records: [rec('k', 'v', 1000)] });
    expect(built.length).toBe(70);
    const fields: [string, number, number][] = [
      ['baseOffset', 0, 8],
      ['batchLength', 8, 4],
      ['partitionLeaderEpoch', 12, 4],
      ['magic', 16, 1],
      ['crc', 17, 4],
      ['attributes', 21, 2],
      ['lastOffsetDelta', 23, 4],
      ['baseTimestamp', 27, 8],
      ['maxTimestamp', 35, 8],
      ['producerId', 43, 8],
      ['producerEpoch', 51, 2],
      ['baseSequence', 53, 4],
      ['recordsCount', 57, 4],
      ['records', 61, 9],
    ];
    for (const [name, at, len] of fields) {
      expect(`${name}=${built.subarray(at, at + len).toString('hex')}`).toBe(`${name}=${golden.subarray(at, at + len).toString('hex')}`);
    }
    expect(built.equals(golden)).toBe(true);
  });

  it('carries a CRC-32C over attributes..end that an independent implementation agrees with', () => {
    expect(crc32cBitwise(Buffer.from('123456789'))).toBe(0xe3069283); // the CRC-32C check value
    expect(crc32cBitwise(golden.subarray(21))).toBe(0x716a6189);
    expect(golden.readUInt32BE(CRC_AT)).toBe(computeBatchCrc(golden, 0, golden.length));
  });

  it('parses the golden header', () => {
    const h = readBatchHeader(golden);
    expect(h).toMatchObject({
      baseOffset: 0,
      batchLength: 58,
      sizeBytes: 70,
      partitionLeaderEpoch: -1,
      magic: 2,
      crc: 0x716a6189,
      compression: 0,
      timestampType: TimestampType.CREATE_TIME,
      isTransactional: false,
      isControl: false,
      hasDeleteHorizon: false,
      lastOffsetDelta: 0,
      baseTimestamp: 1000,
      maxTimestamp: 1000,
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      recordsCount: 1,
    });
    const [r] = decodeRecordsSync(golden);
    expect([r.offset, r.timestampMs, text(r.key), text(r.value), r.headers]).toEqual([0, 1000, 'k', 'v', []]);
  });

  it('is what kafkajs produces for the same batch, and kafkajs decodes ours', async () => {
    const require = createRequire(import.meta.url);
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0');
    const Long = require('kafkajs/src/utils/long');
    const Decoder = require('kafkajs/src/protocol/decoder');
    const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder');
    const theirs = await RecordBatch({
      firstOffset: Long.fromInt(0),
      firstTimestamp: 1000,
      maxTimestamp: 1000,
      lastOffsetDelta: 0,
      partitionLeaderEpoch: -1,
      producerId: Long.fromInt(-1),
      producerEpoch: -1,
      firstSequence: -1,
      records: [Record({ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('k'), value: Buffer.from('v'), headers: {} })],
    });
    expect(theirs.buffer.equals(golden)).toBe(true);

    const ours = buildBatchSync({ baseOffset: 40, records: [rec('a', '1', T0, [{ key: 'h', value: Buffer.from('x') }]), rec(null, null, T0 + 5)] });
    const decoded = await decodeBatch(new Decoder(ours));
    expect(decoded.records.map((r: { offset: string; key: Buffer | null; value: Buffer | null; timestamp: string }) => [r.offset, text(r.key), text(r.value), r.timestamp])).toEqual([
      ['40', 'a', '1', String(T0)],
      ['41', null, null, String(T0 + 5)],
    ]);
    expect(decoded.records[0].headers.h.toString()).toBe('x');
  });
});

describe('building and decoding', () => {
  const codecs: CodecId[] = [Codec.NONE, Codec.GZIP, Codec.SNAPPY, Codec.LZ4, Codec.ZSTD];
  for (const codec of codecs) {
    it(`round-trips records through codec ${codec} (keys, null values, headers, timestamps before the base)`, async () => {
      const records = [
        rec('key-1', 'value-1', T0 + 10, [
          { key: 'trace', value: Buffer.from('abc') },
          { key: 'empty', value: null },
        ]),
        rec('key-2', null, T0), // tombstone, earlier than the first record
        rec(null, 'keyless'.repeat(100), T0 + 20),
      ];
      const b = await buildBatch({ baseOffset: 100, records, compression: codec, producerId: 7, producerEpoch: 2, baseSequence: 11, partitionLeaderEpoch: 3 });
      const h = readBatchHeader(b);
      expect(h.compression).toBe(codec);
      expect([h.baseOffset, h.lastOffsetDelta, h.recordsCount, h.maxTimestamp, h.baseTimestamp]).toEqual([100, 2, 3, T0 + 20, T0 + 10]);
      expect([h.producerId, h.producerEpoch, h.baseSequence, h.partitionLeaderEpoch]).toEqual([7, 2, 11, 3]);
      const v = await validateBatch(b);
      expect(v).toMatchObject({ recordCount: 3, tombstoneCount: 1, keylessCount: 1, maxRecordTimestamp: T0 + 20 });
      const out = await decodeRecords(b);
      expect(out.map((r) => [r.offset, r.timestampMs, text(r.key), text(r.value)])).toEqual([
        [100, T0 + 10, 'key-1', 'value-1'],
        [101, T0, 'key-2', null],
        [102, T0 + 20, null, 'keyless'.repeat(100)],
      ]);
      expect(out[0].headers.map((x) => [x.key, text(x.value)])).toEqual([
        ['trace', 'abc'],
        ['empty', null],
      ]);
      if (codec !== Codec.ZSTD) expect(decodeRecordsSync(b)).toEqual(out);
    });
  }

  it('builds gapped batches (compaction) and LogAppendTime batches whose records read the batch time', () => {
    const b = buildBatchSync({ records: [{ ...rec('a', '1', 5), offsetDelta: 0 }, { ...rec('b', '2', 6), offsetDelta: 4 }], lastOffsetDelta: 9 });
    expect(readBatchHeader(b).lastOffset).toBe(9);
    expect(decodeRecordsSync(b).map((r) => r.offset)).toEqual([0, 4]);
    expect(() => validateBatchSync(b)).toThrow(RecordError); // a producer's batch must be dense
    expect(validateBatchSync(b, { requireSequentialOffsets: false }).recordCount).toBe(2);

    const lat = buildBatchSync({ records: [rec('a', '1', 5)], timestampType: TimestampType.LOG_APPEND_TIME, maxTimestampMs: 777 });
    expect(decodeRecordsSync(lat)[0].timestampMs).toBe(777);
  });

  it('splits concatenated batches into views', () => {
    const a = batchOf([rec('a', '1')]);
    const b = batchOf([rec('b', '2'), rec('c', '3')], { baseOffset: 1 });
    const parts = splitBatches(Buffer.concat([a, b]));
    expect(parts.map((p) => p.length)).toEqual([a.length, b.length]);
    expect(decodeRecordsSync(Buffer.concat([a, b])).map((r) => r.offset)).toEqual([0, 1, 2]);
  });
});

describe('validation refuses bad batches with Kafka error codes', () => {
  const good = () => batchOf([rec('a', '1'), rec('b', '2'), rec('c', '3')]);

  it('accepts a good batch', () => {
    expect(validateBatchSync(good()).recordCount).toBe(3);
  });

  it('bad CRC -> CORRUPT_MESSAGE (2)', () => {
    const b = good();
    b[b.length - 1] ^= 0xff;
    const err = expectRecordError(() => validateBatchSync(b), 'CORRUPT_MESSAGE', 2);
    expect(err.message).toMatch(/crc/);
  });

  it('wrong magic -> CORRUPT_MESSAGE (2)', () => {
    const b = good();
    b[16] = 1;
    expectRecordError(() => validateBatchSync(b), 'CORRUPT_MESSAGE', 2);
  });

  it('batchLength running past the end, too short, or leaving trailing bytes -> CORRUPT_MESSAGE (2)', () => {
    const b = good();
    expectRecordError(() => validateBatchSync(b.subarray(0, b.length - 1)), 'CORRUPT_MESSAGE', 2);
    expectRecordError(() => validateBatchSync(b.subarray(0, 8)), 'CORRUPT_MESSAGE', 2);
    expectRecordError(() => validateBatchSync(Buffer.concat([b, Buffer.alloc(3)])), 'CORRUPT_MESSAGE', 2);
    const small = Buffer.from(b);
    small.writeInt32BE(20, 8);
    expectRecordError(() => validateBatchSync(small), 'CORRUPT_MESSAGE', 2);
  });

  it('a records count that lies (too many or too few) -> INVALID_RECORD (87)', () => {
    const more = good();
    more.writeInt32BE(4, 57);
    more.writeInt32BE(3, 23);
    expectRecordError(() => validateBatchSync(fixCrc(more)), 'INVALID_RECORD', 87);
    const fewer = good();
    fewer.writeInt32BE(2, 57);
    fewer.writeInt32BE(1, 23);
    expectRecordError(() => validateBatchSync(fixCrc(fewer)), 'INVALID_RECORD', 87);
    const absurd = good();
    absurd.writeInt32BE(1_000_000, 57);
    absurd.writeInt32BE(999_999, 23);
    expectRecordError(() => validateBatchSync(fixCrc(absurd)), 'INVALID_RECORD', 87);
  });

  it('a record whose length disagrees with its fields -> INVALID_RECORD (87)', () => {
    const b = good();
    b[RECORDS_AT] += 2; // first record claims 1 more byte (zigzag +2)
    expectRecordError(() => validateBatchSync(fixCrc(b)), 'INVALID_RECORD', 87);
  });

  it('a compressed payload that does not decompress -> CORRUPT_MESSAGE (2)', async () => {
    for (const codec of [Codec.GZIP, Codec.SNAPPY, Codec.LZ4, Codec.ZSTD] as CodecId[]) {
      const b = await buildBatch({ records: [rec('a', 'x'.repeat(500))], compression: codec });
      const broken = Buffer.from(b);
      for (let i = RECORDS_AT; i < broken.length; i++) broken[i] = (i * 7) & 0xff;
      fixCrc(broken);
      await expect(validateBatch(broken)).rejects.toMatchObject({ errorName: 'CORRUPT_MESSAGE', code: 2 });
    }
  });

  it('an unknown codec -> UNSUPPORTED_COMPRESSION_TYPE (76)', () => {
    const b = good();
    b.writeInt16BE(5, 21);
    expectRecordError(() => validateBatchSync(fixCrc(b)), 'UNSUPPORTED_COMPRESSION_TYPE', 76);
  });

  it('keyless records when keys are required -> INVALID_RECORD with per-record errors (KIP-467)', () => {
    const b = batchOf([rec('a', '1'), rec(null, '2'), rec('c', '3'), rec(null, '4')]);
    expect(validateBatchSync(b).keylessCount).toBe(2);
    const err = expectRecordError(() => validateBatchSync(b, { requireKeys: true, topicPartition: 'users-0' }), 'INVALID_RECORD', 87);
    expect(err.recordErrors).toEqual([
      { batchIndex: 1, message: 'Compacted topic cannot accept message without key in topic partition users-0.' },
      { batchIndex: 3, message: 'Compacted topic cannot accept message without key in topic partition users-0.' },
    ]);
  });

  it('refuses empty and control batches from clients unless allowed', () => {
    const empty = buildBatchSync({ records: [] });
    expectRecordError(() => validateBatchSync(empty), 'INVALID_RECORD', 87);
    expect(validateBatchSync(empty, { allowEmpty: true }).recordCount).toBe(0);
    const control = buildBatchSync({ records: [rec('\u0000\u0000\u0000\u0000', '\u0000\u0000\u0000\u0000\u0000\u0000')], isControl: true });
    expectRecordError(() => validateBatchSync(control), 'INVALID_RECORD', 87);
    expect(validateBatchSync(control, { allowControl: true }).recordCount).toBe(1);
  });
});

describe('in-place header rewrites', () => {
  it('sets baseOffset and partitionLeaderEpoch without touching the CRC', () => {
    const b = batchOf([rec('a', '1'), rec('b', '2')]);
    const crc = b.readUInt32BE(CRC_AT);
    setBaseOffset(b, 0, 123_456_789_012);
    setPartitionLeaderEpoch(b, 0, 7);
    expect(b.readUInt32BE(CRC_AT)).toBe(crc);
    expect(isBatchCrcValid(b, 0, b.length)).toBe(true);
    const h = readBatchHeader(b);
    expect([h.baseOffset, h.lastOffset, h.partitionLeaderEpoch]).toEqual([123_456_789_012, 123_456_789_013, 7]);
  });

  it('stamps LogAppendTime (type bit + maxTimestamp) and recomputes the CRC', () => {
    const b = batchOf([rec('a', '1', 5), rec('b', '2', 6)]);
    setLogAppendTime(b, 0, 999_999);
    expect(checkStoredBatch(b, 0, b.length)).toBeNull();
    const h = readBatchHeader(b);
    expect([h.timestampType, h.maxTimestamp, h.attributes & 0x08]).toEqual([TimestampType.LOG_APPEND_TIME, 999_999, 0x08]);
    expect(decodeRecordsSync(b).map((r) => r.timestampMs)).toEqual([999_999, 999_999]);
    expect(b.length).toBeGreaterThan(BATCH_HEADER_BYTES);
  });
});
