/**
 * The legacy message formats (magic 0 and 1) and their conversion to and from
 * RecordBatch v2: golden bytes derived by hand from Kafka's documented layout, round
 * trips through every synchronous codec with keys, null values and offset gaps,
 * refusals with Kafka's error codes, and, when kafka-python is installed, bytes that
 * kafka-python's own legacy builder writes and reads.
 */
import { spawnSync } from 'node:child_process';
import * as zlib from 'node:zlib';
import { decompressFrameSync } from 'lz4-napi';
import { describe, expect, it } from 'vitest';
import {
  decodeMessageSet,
  downConvertFetchRecords,
  fetchMagicFor,
  peekRecordsMagic,
  produceMagicFor,
  upConvertProduceRecords,
  withLz4HeaderChecksum,
  xxh32,
  type LegacyMagic,
  type UpConvertOptions,
} from '../../../engine/protocol/legacy-records';
import { Codec, compressSync, decompressSync, type CodecId } from '../../../engine/storage/compression';
import { RecordError } from '../../../engine/storage/errors';
import {
  buildBatch,
  buildBatchSync,
  decodeRecordsSync,
  readBatchHeader,
  validateBatchSync,
  TimestampType,
  type RecordSpec,
} from '../../../engine/storage/record-batch';

const T0 = 1_700_000_000_000;
const CREATE_TIME: UpConvertOptions = { nowMs: T0 + 999, timestampType: TimestampType.CREATE_TIME };
const SYNC_CODECS: CodecId[] = [Codec.NONE, Codec.GZIP, Codec.SNAPPY, Codec.LZ4];
const CODEC_NAME: Record<number, string> = { 0: 'none', 1: 'gzip', 2: 'snappy', 3: 'lz4' };

// ---- independent helpers: none of these use the module under test -----------------------

/** Bitwise CRC-32 (IEEE, reflected 0xEDB88320), as zlib computes it. */
function crc32Bitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Hex, one field per line: the bytes, then two or more spaces and a comment. */
function hex(s: string): Buffer {
  const digits = s
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/)[0]!.replace(/ /g, ''))
    .join('');
  if (!/^([0-9a-f]{2})*$/.test(digits)) throw new Error(`not hex: ${digits}`);
  return Buffer.from(digits, 'hex');
}

function bytesField(b: Buffer | null): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(b === null ? -1 : b.length);
  return b === null ? len : Buffer.concat([len, b]);
}

/** One MessageSet entry built by hand from the documented layout, CRC by crc32Bitwise. */
function entry(offset: number, magic: number, attributes: number, timestampMs: number, key: Buffer | null, value: Buffer | null): Buffer {
  const ts = Buffer.alloc(8);
  ts.writeBigInt64BE(BigInt(timestampMs));
  const body = Buffer.concat([Buffer.from([magic & 0xff, attributes]), magic === 1 ? ts : Buffer.alloc(0), bytesField(key), bytesField(value)]);
  const prefix = Buffer.alloc(16);
  prefix.writeBigInt64BE(BigInt(offset), 0);
  prefix.writeInt32BE(body.length + 4, 8);
  prefix.writeUInt32BE(crc32Bitwise(body), 12);
  return Buffer.concat([prefix, body]);
}

function b(s: string | null): Buffer | null {
  return s === null ? null : Buffer.from(s);
}

function text(x: Buffer | null): string | null {
  return x === null ? null : x.toString();
}

interface RawEntry {
  offset: number;
  magic: number;
  attributes: number;
  timestampMs: number | null;
  key: Buffer | null;
  value: Buffer | null;
  bytes: number;
}

/** Walks the top-level entries of a message set without validating anything. */
function rawEntries(set: Buffer): RawEntry[] {
  const out: RawEntry[] = [];
  let pos = 0;
  while (pos + 12 <= set.length) {
    const size = set.readInt32BE(pos + 8);
    if (pos + 12 + size > set.length) break;
    const m = pos + 12;
    const magic = set.readInt8(m + 4);
    let p = m + (magic === 1 ? 14 : 6);
    const kl = set.readInt32BE(p);
    p += 4;
    const key = kl < 0 ? null : set.subarray(p, p + kl);
    p += Math.max(0, kl);
    const vl = set.readInt32BE(p);
    p += 4;
    out.push({
      offset: Number(set.readBigInt64BE(pos)),
      magic,
      attributes: set.readUInt8(m + 5),
      timestampMs: magic === 1 ? Number(set.readBigInt64BE(m + 6)) : null,
      key,
      value: vl < 0 ? null : set.subarray(p, p + vl),
      bytes: 12 + size,
    });
    pos += 12 + size;
  }
  return out;
}

function expectRecordError(fn: () => unknown, errorName: string, code: number): RecordError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RecordError);
    const err = e as RecordError;
    expect({ errorName: err.errorName, code: err.code, message: err.message }).toMatchObject({ errorName, code });
    return err;
  }
  throw new Error(`expected ${errorName}`);
}

/** Up-converts and checks the input was not touched, whatever happened. */
function upConvert(set: Buffer, opts: UpConvertOptions = CREATE_TIME): Buffer {
  const before = Buffer.from(set);
  try {
    return upConvertProduceRecords(set, opts);
  } finally {
    expect(set.equals(before)).toBe(true);
  }
}

/** Records with keys, a null key, a null value (tombstone), headers and varied timestamps. */
function sampleRecords(gaps: number[]): RecordSpec[] {
  const base: RecordSpec[] = [
    { key: b('key-1'), value: b('value-1'), timestampMs: T0 + 10, headers: [{ key: 'trace', value: Buffer.from('abc') }] },
    { key: b('key-2'), value: null, timestampMs: T0 },
    { key: null, value: b('keyless '.repeat(40)), timestampMs: T0 + 20 },
    { key: b('key-4'), value: b(''), timestampMs: T0 + 5 },
  ];
  return base.map((r, i) => ({ ...r, offsetDelta: gaps[i] }));
}

// ---- tests ----------------------------------------------------------------------------------

describe('which magic each API version speaks', () => {
  it('Produce v0-v1 carry magic 0, v2 magic 1, v3+ RecordBatch v2', () => {
    expect([0, 1, 2, 3, 4, 9].map(produceMagicFor)).toEqual([0, 0, 1, 2, 2, 2]);
  });

  it('Fetch v0-v1 read magic 0, v2-v3 magic 1, v4+ RecordBatch v2', () => {
    expect([0, 1, 2, 3, 4, 12].map(fetchMagicFor)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('peeks the magic at byte 16, which every format shares', () => {
    expect(peekRecordsMagic(entry(0, 0, 0, -1, null, b('x')))).toBe(0);
    expect(peekRecordsMagic(entry(0, 1, 0, T0, null, b('x')))).toBe(1);
    expect(peekRecordsMagic(buildBatchSync({ records: [{ key: null, value: b('x'), timestampMs: T0 }] }))).toBe(2);
    expect(peekRecordsMagic(Buffer.alloc(16))).toBeUndefined();
  });
});

describe('golden bytes', () => {
  // Offset 5, key "k", value "hi". The CRC is zlib.crc32 of magic..end of value.
  const goldenV0 = hex(`
    0000000000000005  offset 5
    00000011          message size 17 = crc 4 + magic 1 + attributes 1 + key 4+1 + value 4+2
    d0a1b23e          crc32(00 00 00000001 6b 00000002 6869)
    00                magic 0
    00                attributes: no codec
    00000001 6b       key "k"
    00000002 6869     value "hi"
  `);
  // Offset 7, no key, value "hi", CreateTime 1700000000000.
  const goldenV1 = hex(`
    0000000000000007  offset 7
    00000018          message size 24 = crc 4 + magic 1 + attributes 1 + timestamp 8 + key 4 + value 4+2
    dba4e6e2          crc32(01 00 0000018bcfe56800 ffffffff 00000002 6869)
    01                magic 1
    00                attributes: no codec, CreateTime
    0000018bcfe56800  timestamp 1700000000000
    ffffffff          key null
    00000002 6869     value "hi"
  `);

  it('the golden CRCs are plain CRC-32 (IEEE) of magic..end', () => {
    expect(crc32Bitwise(goldenV0.subarray(16))).toBe(goldenV0.readUInt32BE(12));
    expect(crc32Bitwise(goldenV1.subarray(16))).toBe(goldenV1.readUInt32BE(12));
  });

  it('down-converts a one-record batch to exactly the magic 0 golden bytes', () => {
    const batch = buildBatchSync({ baseOffset: 5, records: [{ key: b('k'), value: b('hi'), timestampMs: T0 }] });
    expect(downConvertFetchRecords(batch, 0).toString('hex')).toBe(goldenV0.toString('hex'));
  });

  it('down-converts a one-record batch to exactly the magic 1 golden bytes', () => {
    const batch = buildBatchSync({ baseOffset: 7, records: [{ key: null, value: b('hi'), timestampMs: T0 }] });
    expect(downConvertFetchRecords(batch, 1).toString('hex')).toBe(goldenV1.toString('hex'));
  });

  it('decodes and up-converts the golden messages (magic 0 has no timestamp: -1)', () => {
    expect(decodeMessageSet(goldenV0)).toEqual([
      { offset: 5, magic: 0, timestampMs: -1, timestampType: null, compression: 0, key: b('k'), value: b('hi') },
    ]);
    expect(decodeMessageSet(goldenV1)).toEqual([
      { offset: 7, magic: 1, timestampMs: T0, timestampType: TimestampType.CREATE_TIME, compression: 0, key: null, value: b('hi') },
    ]);
    const v0 = upConvert(goldenV0);
    expect(decodeRecordsSync(v0)).toEqual([{ offset: 0, timestampMs: -1, key: b('k'), value: b('hi'), headers: [] }]);
    const v1 = upConvert(goldenV1);
    expect(decodeRecordsSync(v1)).toEqual([{ offset: 0, timestampMs: T0, key: null, value: b('hi'), headers: [] }]);
    expect(readBatchHeader(v1)).toMatchObject({ compression: 0, timestampType: TimestampType.CREATE_TIME, maxTimestamp: T0, producerId: -1 });
  });
});

describe('round trips v2 -> magic 0/1 -> v2', () => {
  for (const magic of [0, 1] as LegacyMagic[]) {
    for (const codec of SYNC_CODECS) {
      it(`magic ${magic}, ${CODEC_NAME[codec]}: keys, null key and value, offset gaps, headers dropped`, () => {
        const records = sampleRecords([0, 1, 4, 7]);
        const stored = buildBatchSync({ baseOffset: 100, records, compression: codec, lastOffsetDelta: 9 });
        const set = downConvertFetchRecords(stored, magic);

        const top = rawEntries(set);
        expect(top.every((e) => e.magic === magic)).toBe(true);
        if (codec === Codec.NONE) {
          expect(top.map((e) => e.offset)).toEqual([100, 101, 104, 107]);
        } else {
          // One wrapper whose offset is the last record's; its codec is the batch's.
          expect(top.map((e) => [e.offset, e.attributes & 7, e.key])).toEqual([[107, codec, null]]);
          if (magic === 1) expect(top[0].timestampMs).toBe(T0 + 20); // the largest record timestamp
        }

        const read = decodeMessageSet(set);
        expect(read.map((r) => [r.offset, r.timestampMs, text(r.key), text(r.value), r.compression])).toEqual([
          [100, magic === 1 ? T0 + 10 : -1, 'key-1', 'value-1', codec],
          [101, magic === 1 ? T0 : -1, 'key-2', null, codec],
          [104, magic === 1 ? T0 + 20 : -1, null, 'keyless '.repeat(40), codec],
          [107, magic === 1 ? T0 + 5 : -1, 'key-4', '', codec],
        ]);

        // Up-converting a single wrapper (or the plain messages) gives one dense producer batch.
        const back = upConvert(set);
        const header = readBatchHeader(back);
        expect(header).toMatchObject({ compression: codec, recordsCount: 4, lastOffsetDelta: 3, producerId: -1, baseSequence: -1 });
        expect(validateBatchSync(back).recordCount).toBe(4);
        expect(decodeRecordsSync(back).map((r) => [r.offset, r.timestampMs, text(r.key), text(r.value), r.headers.length])).toEqual([
          [0, magic === 1 ? T0 + 10 : -1, 'key-1', 'value-1', 0],
          [1, magic === 1 ? T0 : -1, 'key-2', null, 0],
          [2, magic === 1 ? T0 + 20 : -1, null, 'keyless '.repeat(40), 0],
          [3, magic === 1 ? T0 + 5 : -1, 'key-4', '', 0],
        ]);
      });
    }
  }

  it('keeps absolute offsets across several batches and skips empty (fully compacted) ones', () => {
    const a = buildBatchSync({ baseOffset: 10, records: sampleRecords([0, 2, 3, 5]), compression: Codec.GZIP });
    const empty = buildBatchSync({ baseOffset: 16, records: [], lastOffsetDelta: 3 });
    const c = buildBatchSync({ baseOffset: 20, records: sampleRecords([0, 1, 2, 3]).slice(0, 2) });
    for (const magic of [0, 1] as LegacyMagic[]) {
      const set = downConvertFetchRecords(Buffer.concat([a, empty, c]), magic);
      expect(rawEntries(set).map((e) => e.offset)).toEqual([15, 20, 21]);
      expect(decodeMessageSet(set).map((r) => r.offset)).toEqual([10, 12, 13, 15, 20, 21]);
    }
  });

  it('writes absolute inner offsets for magic 0 and relative ones for magic 1', () => {
    const stored = buildBatchSync({ baseOffset: 50, records: sampleRecords([0, 3, 4, 9]), compression: Codec.GZIP });
    const innerOffsets = (magic: LegacyMagic) =>
      rawEntries(zlib.gunzipSync(rawEntries(downConvertFetchRecords(stored, magic))[0].value!)).map((e) => e.offset);
    expect(innerOffsets(0)).toEqual([50, 53, 54, 59]);
    expect(innerOffsets(1)).toEqual([0, 3, 4, 9]);
  });

  it('reads a magic 1 wrapper whose offset is 0 (as some producers write) with base 0', () => {
    const inner = Buffer.concat([entry(0, 1, 0, T0, null, b('a')), entry(1, 1, 0, T0, null, b('b'))]);
    const wrapper = entry(0, 1, Codec.GZIP, T0, null, zlib.gzipSync(inner));
    expect(decodeMessageSet(wrapper).map((r) => r.offset)).toEqual([0, 1]);
    expect(decodeRecordsSync(upConvert(wrapper)).map((r) => text(r.value))).toEqual(['a', 'b']);
  });
});

describe('lz4 and the broken magic 0 header checksum (KAFKA-3160)', () => {
  it('xxh32 matches the published test vectors', () => {
    expect(xxh32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxh32(Buffer.from('a'))).toBe(0x550d7456);
    expect(xxh32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxh32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });

  it('the standard header checksum is what the lz4 library writes', () => {
    const frame = compressSync(Codec.LZ4, Buffer.from('hello '.repeat(100)));
    expect(withLz4HeaderChecksum(frame, 'standard').equals(frame)).toBe(true);
  });

  it('magic 0 lz4 wrappers carry the broken checksum (xxh32 from the frame magic on), magic 1 the standard one', () => {
    const stored = buildBatchSync({ records: sampleRecords([0, 1, 2, 3]), compression: Codec.LZ4 });
    const v0 = rawEntries(downConvertFetchRecords(stored, 0))[0].value!;
    expect(v0[6]).toBe((xxh32(v0.subarray(0, 6)) >>> 8) & 0xff);
    expect(v0[6]).not.toBe((xxh32(v0.subarray(4, 6)) >>> 8) & 0xff);
    expect(() => decompressFrameSync(v0)).toThrow(); // a standard reader refuses it, as the bug report says
    const v1 = rawEntries(downConvertFetchRecords(stored, 1))[0].value!;
    expect(v1[6]).toBe((xxh32(v1.subarray(4, 6)) >>> 8) & 0xff);
  });

  it('reads magic 0 lz4 with either checksum (Kafka ignores it for magic 0) and refuses a broken one for magic 1', () => {
    const inner0 = entry(0, 0, 0, -1, b('k'), b('v'));
    const standard = compressSync(Codec.LZ4, inner0);
    const broken = withLz4HeaderChecksum(standard, 'kafka-3160');
    for (const payload of [standard, broken]) {
      expect(decodeMessageSet(entry(0, 0, Codec.LZ4, -1, null, payload)).map((r) => text(r.value))).toEqual(['v']);
    }
    const inner1 = entry(0, 1, 0, T0, b('k'), b('v'));
    const brokenV1 = withLz4HeaderChecksum(compressSync(Codec.LZ4, inner1), 'kafka-3160');
    expectRecordError(() => upConvert(entry(0, 1, Codec.LZ4, T0, null, brokenV1)), 'CORRUPT_MESSAGE', 2);
  });
});

describe('timestamps and LogAppendTime', () => {
  const lat = (codec: CodecId) =>
    buildBatchSync({
      baseOffset: 3,
      records: sampleRecords([0, 1, 2, 3]),
      compression: codec,
      timestampType: TimestampType.LOG_APPEND_TIME,
      maxTimestampMs: T0 + 777,
    });

  it('magic 1 keeps the LogAppendTime flag and gives every message the append time', () => {
    const plain = rawEntries(downConvertFetchRecords(lat(Codec.NONE), 1));
    expect(plain.map((e) => [e.attributes, e.timestampMs])).toEqual(Array(4).fill([8, T0 + 777]));
    const wrapped = downConvertFetchRecords(lat(Codec.SNAPPY), 1);
    expect(rawEntries(wrapped).map((e) => [e.attributes, e.timestampMs])).toEqual([[8 | Codec.SNAPPY, T0 + 777]]);
    const inner = rawEntries(decompressSync(Codec.SNAPPY, rawEntries(wrapped)[0].value!));
    expect(inner.map((e) => [e.attributes, e.timestampMs])).toEqual(Array(4).fill([8, T0 + 777]));
    expect(decodeMessageSet(wrapped).map((r) => [r.timestampMs, r.timestampType])).toEqual(Array(4).fill([T0 + 777, TimestampType.LOG_APPEND_TIME]));
  });

  it('magic 0 has no timestamp and no timestamp-type bit', () => {
    expect(rawEntries(downConvertFetchRecords(lat(Codec.NONE), 0)).map((e) => e.attributes)).toEqual([0, 0, 0, 0]);
    expect(rawEntries(downConvertFetchRecords(lat(Codec.GZIP), 0)).map((e) => e.attributes)).toEqual([Codec.GZIP]);
  });

  it('up-converts for a LogAppendTime topic: the batch is LogAppendTime with the broker time', () => {
    const set = Buffer.concat([entry(0, 1, 0, T0, null, b('a')), entry(1, 1, 0, T0 + 1, null, b('b'))]);
    const out = upConvert(set, { nowMs: T0 + 5000, timestampType: TimestampType.LOG_APPEND_TIME });
    expect(readBatchHeader(out)).toMatchObject({ timestampType: TimestampType.LOG_APPEND_TIME, maxTimestamp: T0 + 5000 });
    expect(decodeRecordsSync(out).map((r) => r.timestampMs)).toEqual([T0 + 5000, T0 + 5000]);
  });

  it('a producer may not claim LogAppendTime on a LogAppendTime topic (INVALID_RECORD, per record)', () => {
    const set = entry(0, 1, 8, T0, null, b('a'));
    const err = expectRecordError(() => upConvert(set, { nowMs: T0, timestampType: TimestampType.LOG_APPEND_TIME }), 'INVALID_RECORD', 87);
    expect(err.recordErrors).toEqual([{ batchIndex: 0, message: expect.stringContaining('LogAppendTime') }]);
    // On a CreateTime topic with a real timestamp Kafka accepts it and keeps the timestamp.
    expect(decodeRecordsSync(upConvert(set)).map((r) => r.timestampMs)).toEqual([T0]);
  });

  it('refuses a negative magic 1 timestamp other than -1', () => {
    const set = Buffer.concat([entry(0, 1, 0, T0, null, b('ok')), entry(1, 1, 0, -5, null, b('bad'))]);
    const err = expectRecordError(() => upConvert(set), 'INVALID_RECORD', 87);
    expect(err.recordErrors?.map((e) => e.batchIndex)).toEqual([1]);
    expect(decodeRecordsSync(upConvert(entry(0, 1, 0, -1, null, b('none'))))[0].timestampMs).toBe(-1);
  });
});

describe('down-conversion for old fetchers', () => {
  it('drops control batches and delivers the transactional data around them', () => {
    const txn = { producerId: 9, producerEpoch: 0, isTransactional: true };
    const data = buildBatchSync({ ...txn, baseOffset: 0, records: sampleRecords([0, 1, 2, 3]), baseSequence: 0 });
    // A COMMIT marker: key = version 0, type 1; value = version 0, coordinator epoch 0.
    const commit = { key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0]), timestampMs: T0 };
    const marker = buildBatchSync({ ...txn, baseOffset: 4, records: [commit], isControl: true });
    const after = buildBatchSync({ baseOffset: 5, records: [{ key: null, value: b('after'), timestampMs: T0 }] });
    expect(decodeMessageSet(downConvertFetchRecords(Buffer.concat([data, marker, after]), 1)).map((r) => r.offset)).toEqual([0, 1, 2, 3, 5]);
  });

  it('leaves out records before the fetch offset from uncompressed batches only', () => {
    const plain = buildBatchSync({ baseOffset: 0, records: sampleRecords([0, 1, 2, 3]) });
    const packed = buildBatchSync({ baseOffset: 4, records: sampleRecords([0, 1, 2, 3]), compression: Codec.GZIP });
    expect(decodeMessageSet(downConvertFetchRecords(plain, 1, { firstOffset: 2 })).map((r) => r.offset)).toEqual([2, 3]);
    expect(decodeMessageSet(downConvertFetchRecords(packed, 1, { firstOffset: 6 })).map((r) => r.offset)).toEqual([4, 5, 6, 7]);
  });

  it('cuts at maxBytes leaving a partial trailing message, but always sends the first message whole', () => {
    const stored = buildBatchSync({ baseOffset: 0, records: sampleRecords([0, 1, 2, 3]) });
    const full = downConvertFetchRecords(stored, 0);
    const sizes = rawEntries(full).map((e) => e.bytes);
    const cut = downConvertFetchRecords(stored, 0, { maxBytes: sizes[0] + sizes[1] + 5 });
    expect(cut.length).toBe(sizes[0] + sizes[1] + 5);
    expect(decodeMessageSet(cut, { allowPartialTail: true }).map((r) => r.offset)).toEqual([0, 1]);
    expectRecordError(() => decodeMessageSet(cut), 'CORRUPT_MESSAGE', 2);
    for (const maxBytes of [0, 1]) expect(downConvertFetchRecords(stored, 0, { maxBytes }).length).toBe(sizes[0]);
  });

  it('zstd: UNSUPPORTED_COMPRESSION_TYPE when it comes first, otherwise the result ends before it', async () => {
    const zstd = await buildBatch({ baseOffset: 1, records: [{ key: null, value: b('z'), timestampMs: T0 }], compression: Codec.ZSTD });
    const plain = buildBatchSync({ baseOffset: 0, records: [{ key: null, value: b('p'), timestampMs: T0 }] });
    expectRecordError(() => downConvertFetchRecords(zstd, 1), 'UNSUPPORTED_COMPRESSION_TYPE', 76);
    expect(decodeMessageSet(downConvertFetchRecords(Buffer.concat([plain, zstd, plain]), 1)).map((r) => r.offset)).toEqual([0]);
  });

  it('ignores a partial trailing batch and refuses a corrupt stored one', () => {
    const one = buildBatchSync({ baseOffset: 0, records: [{ key: null, value: b('a'), timestampMs: T0 }] });
    const two = buildBatchSync({ baseOffset: 1, records: [{ key: null, value: b('b'), timestampMs: T0 }] });
    const joined = Buffer.concat([one, two]);
    expect(decodeMessageSet(downConvertFetchRecords(joined.subarray(0, joined.length - 3), 0)).map((r) => r.offset)).toEqual([0]);
    expect(downConvertFetchRecords(Buffer.alloc(0), 0).length).toBe(0);
    const bad = Buffer.from(one);
    bad[bad.length - 1] ^= 0xff;
    expectRecordError(() => downConvertFetchRecords(bad, 0), 'CORRUPT_MESSAGE', 2);
  });
});

describe('up-conversion refuses bad produce data with Kafka error codes, changing nothing', () => {
  const good = Buffer.concat([entry(0, 1, 0, T0, b('k1'), b('v1')), entry(1, 1, 0, T0, b('k2'), b('v2'))]);

  it('accepts several plain messages as one dense batch', () => {
    expect(decodeRecordsSync(upConvert(good)).map((r) => [r.offset, text(r.key), text(r.value)])).toEqual([
      [0, 'k1', 'v1'],
      [1, 'k2', 'v2'],
    ]);
  });

  it('bad CRC -> CORRUPT_MESSAGE (2)', () => {
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 0x01;
    const err = expectRecordError(() => upConvert(bad), 'CORRUPT_MESSAGE', 2);
    expect(err.message).toMatch(/stored crc = \d+, computed crc = \d+/);
  });

  it('wrong magic (2, 3, -1) -> CORRUPT_MESSAGE (2)', () => {
    for (const magic of [2, 3, -1]) expectRecordError(() => upConvert(entry(0, magic, 0, T0, null, b('x'))), 'CORRUPT_MESSAGE', 2);
    expectRecordError(() => upConvert(buildBatchSync({ records: [{ key: null, value: b('x'), timestampMs: T0 }] })), 'CORRUPT_MESSAGE', 2);
  });

  it('a truncated message -> CORRUPT_MESSAGE (2)', () => {
    for (const cut of [1, 10, good.length / 2 - 12 + 3]) expectRecordError(() => upConvert(good.subarray(0, good.length - cut)), 'CORRUPT_MESSAGE', 2);
  });

  it('a message size running past the end, or below the minimum -> CORRUPT_MESSAGE (2)', () => {
    const past = Buffer.from(good);
    past.writeInt32BE(1000, 8);
    expectRecordError(() => upConvert(past), 'CORRUPT_MESSAGE', 2);
    const tiny = Buffer.from(good);
    tiny.writeInt32BE(5, 8);
    expectRecordError(() => upConvert(tiny), 'CORRUPT_MESSAGE', 2);
  });

  it('key or value lengths that disagree with the message size -> CORRUPT_MESSAGE (2), even with a valid CRC', () => {
    const m = entry(0, 0, 0, -1, b('key'), b('value'));
    const lying = Buffer.from(m);
    lying.writeInt32BE(200, 18); // key length
    lying.writeUInt32BE(crc32Bitwise(lying.subarray(16)), 12);
    expectRecordError(() => upConvert(lying), 'CORRUPT_MESSAGE', 2);
    const trailing = Buffer.concat([m, Buffer.from([0])]);
    trailing.writeInt32BE(m.length - 12 + 1, 8);
    trailing.writeUInt32BE(crc32Bitwise(trailing.subarray(16)), 12);
    expectRecordError(() => upConvert(trailing), 'CORRUPT_MESSAGE', 2);
  });

  it('an empty set, a compressed message that is not alone, mixed magics -> INVALID_RECORD (87)', () => {
    expectRecordError(() => upConvert(Buffer.alloc(0)), 'INVALID_RECORD', 87);
    const wrapper = entry(0, 1, Codec.GZIP, T0, null, zlib.gzipSync(entry(0, 1, 0, T0, null, b('x'))));
    expectRecordError(() => upConvert(Buffer.concat([wrapper, entry(1, 1, 0, T0, null, b('y'))])), 'INVALID_RECORD', 87);
    expectRecordError(() => upConvert(Buffer.concat([entry(0, 0, 0, -1, null, b('a')), entry(1, 1, 0, T0, null, b('b'))])), 'INVALID_RECORD', 87);
  });

  it('compressed wrappers: null value or no inner messages -> INVALID_RECORD; undecompressable -> CORRUPT_MESSAGE', () => {
    expectRecordError(() => upConvert(entry(0, 0, Codec.GZIP, -1, null, null)), 'INVALID_RECORD', 87);
    expectRecordError(() => upConvert(entry(0, 0, Codec.GZIP, -1, null, zlib.gzipSync(Buffer.alloc(0)))), 'INVALID_RECORD', 87);
    expectRecordError(() => upConvert(entry(0, 0, Codec.GZIP, -1, null, b('not gzip at all'))), 'CORRUPT_MESSAGE', 2);
    expectRecordError(() => upConvert(entry(0, 0, Codec.SNAPPY, -1, null, b('not snappy'))), 'CORRUPT_MESSAGE', 2);
  });

  it('inner messages: compressed or of another magic -> INVALID_RECORD with per-record errors; bad inner CRC -> CORRUPT_MESSAGE', () => {
    const nested = entry(0, 0, Codec.GZIP, -1, null, zlib.gzipSync(entry(0, 0, 0, -1, null, b('x'))));
    const inner = Buffer.concat([entry(0, 0, 0, -1, null, b('ok')), nested, entry(2, 1, 0, T0, null, b('v1'))]);
    const err = expectRecordError(() => upConvert(entry(0, 0, Codec.GZIP, -1, null, zlib.gzipSync(inner))), 'INVALID_RECORD', 87);
    expect(err.recordErrors?.map((e) => e.batchIndex)).toEqual([1, 2]);

    const damaged = entry(0, 0, 0, -1, null, b('ok'));
    damaged[damaged.length - 1] ^= 0x01;
    expectRecordError(() => upConvert(entry(0, 0, Codec.GZIP, -1, null, zlib.gzipSync(damaged))), 'CORRUPT_MESSAGE', 2);
  });

  it('a magic 1 wrapper offset below its last inner offset (and not 0) -> INVALID_RECORD (87)', () => {
    const inner = Buffer.concat([entry(0, 1, 0, T0, null, b('a')), entry(5, 1, 0, T0, null, b('b'))]);
    expectRecordError(() => upConvert(entry(3, 1, Codec.GZIP, T0, null, zlib.gzipSync(inner))), 'INVALID_RECORD', 87);
  });

  it('zstd and unknown codecs -> UNSUPPORTED_COMPRESSION_TYPE (76)', () => {
    for (const codec of [4, 5, 7]) expectRecordError(() => upConvert(entry(0, 1, codec, T0, null, b('x'))), 'UNSUPPORTED_COMPRESSION_TYPE', 76);
  });
});

// ---- kafka-python interop ---------------------------------------------------------------------

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import kafka; print(kafka.__version__)'], { encoding: 'utf8' });
const kafkaPython = probe.status === 0 ? probe.stdout.trim() : undefined;
if (kafkaPython === undefined) {
  const why = (probe.error?.message ?? probe.stderr ?? '').trim().split('\n').pop();
  console.log(`skipping kafka-python interop tests: ${PYTHON} -c "import kafka" failed (${why})`);
}

/** Runs a python script with `input` as JSON on stdin; its stdout is JSON. */
function python<T>(script: string, input: unknown): T {
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Which codecs kafka-python can use here (snappy and lz4 need optional modules). */
const PY_CODECS = `
import json, kafka.codec as c
print(json.dumps({'0': True, '1': c.has_gzip(), '2': c.has_snappy(), '3': c.has_lz4()}))
`;

/** Builds one message set per case with kafka-python's own LegacyRecordBatchBuilder. */
const PY_BUILD = `
import json, sys
from kafka.record.legacy_records import LegacyRecordBatchBuilder
out = []
for case in json.load(sys.stdin):
    builder = LegacyRecordBatchBuilder(magic=case['magic'], compression_type=case['codec'], batch_size=1 << 20)
    for r in case['records']:
        key = None if r['key'] is None else bytes.fromhex(r['key'])
        value = None if r['value'] is None else bytes.fromhex(r['value'])
        assert builder.append(r['offset'], timestamp=r['timestamp'], key=key, value=value) is not None
    out.append(bytes(builder.build()).hex())
print(json.dumps(out))
`;

/** Reads a message set with kafka-python's MemoryRecords / LegacyRecordBatch, checking wrapper CRCs. */
const PY_READ = `
import json, sys
from kafka.record.memory_records import MemoryRecords
records = MemoryRecords(bytes.fromhex(json.load(sys.stdin)))
batches = []
while True:
    batch = records.next_batch()
    if batch is None:
        break
    batches.append({
        'crc_ok': batch.validate_crc(),
        'compression': batch.compression_type,
        'records': [[r.offset, r.timestamp, r.timestamp_type,
                     None if r.key is None else r.key.hex(),
                     None if r.value is None else r.value.hex()] for r in batch],
    })
print(json.dumps(batches))
`;

function hexOrNull(x: Buffer | null): string | null {
  return x === null ? null : x.toString('hex');
}

describe.skipIf(kafkaPython === undefined)(`kafka-python ${kafkaPython ?? ''} interop`, () => {
  const available: Record<string, boolean> = kafkaPython === undefined ? {} : python<Record<string, boolean>>(PY_CODECS, null);
  const usable = SYNC_CODECS.filter((c) => available[String(c)]);
  const missing = SYNC_CODECS.filter((c) => !available[String(c)]);
  if (missing.length > 0) {
    console.log(`kafka-python interop skips codecs ${missing.map((c) => CODEC_NAME[c]).join(', ')}: their python modules are not installed`);
  }

  it(`up-converts what kafka-python's LegacyRecordBatchBuilder writes (magic 0 and 1; ${usable.map((c) => CODEC_NAME[c]).join(', ')})`, () => {
    const records = [
      { offset: 0, timestamp: T0 + 1, key: Buffer.from('alpha').toString('hex'), value: Buffer.from('one').toString('hex') },
      { offset: 1, timestamp: T0 + 2, key: null, value: Buffer.from('two').toString('hex') },
      { offset: 2, timestamp: T0 + 3, key: Buffer.from('gamma').toString('hex'), value: null },
    ];
    const cases = ([0, 1] as LegacyMagic[]).flatMap((magic) => usable.map((codec) => ({ magic, codec, records })));
    const sets = python<string[]>(PY_BUILD, cases);
    cases.forEach((c, i) => {
      const set = Buffer.from(sets[i], 'hex');
      const batch = upConvert(set);
      expect(readBatchHeader(batch).compression).toBe(c.codec);
      expect(decodeRecordsSync(batch).map((r) => [r.offset, r.timestampMs, hexOrNull(r.key), hexOrNull(r.value)])).toEqual(
        records.map((r, j) => [j, c.magic === 1 ? r.timestamp : -1, r.key, r.value]),
      );
    });
  });

  it(`kafka-python's LegacyRecordBatch reads our down-converted output, offset gaps and LogAppendTime included`, () => {
    const specs = sampleRecords([0, 1, 4, 7]).map((r) => ({ ...r, headers: [] }));
    for (const magic of [0, 1] as LegacyMagic[]) {
      for (const codec of usable) {
        for (const timestampType of [TimestampType.CREATE_TIME, TimestampType.LOG_APPEND_TIME]) {
          const latMs = T0 + 777;
          const common = { compression: codec, timestampType, maxTimestampMs: timestampType ? latMs : undefined };
          const stored = Buffer.concat([
            buildBatchSync({ ...common, baseOffset: 100, records: specs }),
            buildBatchSync({ ...common, baseOffset: 110, records: specs.slice(0, 1) }),
          ]);
          const set = downConvertFetchRecords(stored, magic);
          const batches = python<{ crc_ok: boolean; compression: number; records: unknown[][] }[]>(PY_READ, set.toString('hex'));
          expect(batches.every((x) => x.crc_ok && x.compression === codec)).toBe(true);
          const ts = (r: RecordSpec) => (magic === 0 ? null : timestampType ? latMs : r.timestampMs);
          const tsType = magic === 0 ? null : timestampType;
          const expected = [
            ...specs.map((r, j) => [100 + [0, 1, 4, 7][j], ts(r), tsType, hexOrNull(r.key), hexOrNull(r.value)]),
            [110, ts(specs[0]), tsType, hexOrNull(specs[0].key), hexOrNull(specs[0].value)],
          ];
          expect(batches.flatMap((x) => x.records)).toEqual(expected);
        }
      }
    }
  });

  it('kafka-python stops cleanly at the partial trailing message of a cut response', () => {
    const stored = buildBatchSync({ baseOffset: 0, records: sampleRecords([0, 1, 2, 3]) });
    const sizes = rawEntries(downConvertFetchRecords(stored, 1)).map((e) => e.bytes);
    const cut = downConvertFetchRecords(stored, 1, { maxBytes: sizes[0] + sizes[1] + 7 });
    const batches = python<{ records: unknown[][] }[]>(PY_READ, cut.toString('hex'));
    expect(batches.flatMap((x) => x.records).map((r) => r[0])).toEqual([0, 1]);
  });
});
