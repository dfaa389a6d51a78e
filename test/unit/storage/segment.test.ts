import { describe, expect, it } from 'vitest';
import { Codec } from '../../../engine/storage/compression';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { buildBatch, decodeRecords, readBatchHeader, recompressBatch, recompressBatchSync, setBaseOffset } from '../../../engine/storage/record-batch';
import { LogSegment, offsetFileStem, parseOffsetFileName, type SegmentSettings } from '../../../engine/storage/segment';
import { InvariantError } from '../../../engine/util/assert';
import { batchOf, memoryLog, rec, simpleBatch, T0 } from './helpers';

function segmentWith(batches: number, settings: SegmentSettings = { indexIntervalBytes: 100, maxIndexBytes: 4096 }) {
  const storage = new MemoryStorage();
  storage.mkdirp('p-0');
  const seg = LogSegment.create(storage, 'p-0', 1000, settings, T0);
  const positions: number[] = [];
  let offset = 1000;
  for (let i = 0; i < batches; i++) {
    const b = simpleBatch(3, `s${i}`, T0 + i);
    setBaseOffset(b, 0, offset);
    positions.push(seg.sizeBytes);
    seg.append(b);
    offset += 3;
  }
  return { storage, seg, positions, settings };
}

describe('segment file names', () => {
  it('uses 20-digit zero-padded base offsets, as Kafka does', () => {
    expect(offsetFileStem(0)).toBe('00000000000000000000');
    expect(offsetFileStem(1234)).toBe('00000000000000001234');
    expect(LogSegment.logFileName(1234)).toBe('00000000000000001234.log');
    expect(parseOffsetFileName('00000000000000001234.log', '.log')).toBe(1234);
    expect(parseOffsetFileName('00000000000000001234.log.swap', '.log')).toBeUndefined();
    expect(parseOffsetFileName('1234.log', '.log')).toBeUndefined();
  });
});

describe('LogSegment', () => {
  it('indexes a batch after every index.interval.bytes and finds any offset by lookup plus a short scan', () => {
    const { seg, positions } = segmentWith(20);
    expect(seg.offsetIndex.entries).toBeGreaterThan(3);
    expect(seg.offsetIndex.entries).toBeLessThan(20);
    for (let off = 1000; off < 1060; off++) {
      const loc = seg.findBatch(off)!;
      const i = Math.floor((off - 1000) / 3);
      expect([loc.position, loc.baseOffset, loc.lastOffset]).toEqual([positions[i], 1000 + i * 3, 1002 + i * 3]);
    }
    expect(seg.findBatch(1060)).toBeUndefined();
    expect(seg.nextOffset).toBe(1060);
    expect(seg.maxTimestampMs).toBe(T0 + 19);
    expect(seg.recordCount).toBe(60);
  });

  it('refuses an append whose offsets go backwards', () => {
    const { seg } = segmentWith(2);
    const b = simpleBatch(1);
    setBaseOffset(b, 0, 1001);
    expect(() => seg.append(b)).toThrow(InvariantError);
  });

  it('truncates to the batch holding an offset and recomputes its end and max timestamp', () => {
    const { seg, positions } = segmentWith(10);
    expect(seg.truncateTo(1013)).toBeGreaterThan(0); // batch [1012, 1014] goes whole
    expect(seg.sizeBytes).toBe(positions[4]);
    expect(seg.nextOffset).toBe(1012);
    expect(seg.maxTimestampMs).toBe(T0 + 3);
    expect(seg.truncateTo(5000)).toBe(0);
  });

  it('recovers: keeps every sound batch, cuts a torn tail, and rebuilds both indexes', () => {
    const { storage, seg, positions, settings } = segmentWith(10);
    const sound = seg.sizeBytes;
    seg.flush();
    seg.close();
    const h = storage.open('p-0/00000000000000001000.log');
    h.append(simpleBatch(3).subarray(0, 50));
    h.sync();
    const { segment, recovered } = LogSegment.open(storage, 'p-0', 1000, settings, T0, { recover: true });
    expect(recovered).toEqual({ truncatedBytes: 50, problem: expect.stringMatching(/too few|past the end/) });
    expect(segment.sizeBytes).toBe(sound);
    expect(segment.nextOffset).toBe(1030);
    expect(segment.findBatch(1016)!.position).toBe(positions[5]);
    expect(storage.size('p-0/00000000000000001000.index')).toBe(segment.offsetIndex.entries * 8);
  });

  it('opens in trust mode from its index files, without re-validating batches', () => {
    const { storage, seg, settings } = segmentWith(10);
    seg.onBecomeInactive();
    seg.close();
    const { segment, recovered, indexProblem } = LogSegment.open(storage, 'p-0', 1000, settings, T0, { recover: false });
    expect(recovered).toBeUndefined();
    expect(indexProblem).toBeUndefined();
    expect([segment.nextOffset, segment.maxTimestampMs, segment.offsetIndex.entries]).toEqual([1030, T0 + 9, seg.offsetIndex.entries]);
    expect(segment.recordCount).toBeUndefined(); // not counted without a scan
  });
});

describe('recompressing batches (topic compression.type)', () => {
  it('re-encodes with another codec keeping offsets, producer fields and records', async () => {
    const original = await buildBatch({ baseOffset: 9, records: [rec('a', 'x'.repeat(300)), rec('b', null)], producerId: 42, producerEpoch: 3, baseSequence: 7 });
    for (const codec of [Codec.GZIP, Codec.SNAPPY, Codec.LZ4, Codec.ZSTD] as const) {
      const re = await recompressBatch(original, codec);
      const h = readBatchHeader(re);
      expect(h).toMatchObject({ compression: codec, baseOffset: 9, lastOffsetDelta: 1, producerId: 42, producerEpoch: 3, baseSequence: 7, recordsCount: 2 });
      expect(re.length).toBeLessThan(original.length);
      expect(await decodeRecords(re)).toEqual(await decodeRecords(original));
      expect((await recompressBatch(re, Codec.NONE)).equals(original)).toBe(true);
    }
    expect(recompressBatchSync(original, Codec.NONE)).toBe(original);
  });
});

describe('batch header scans for state rebuilt from the log', () => {
  it('visits every batch header from an offset, across segments, and can stop early', () => {
    const { log } = memoryLog({ 'segment.bytes': '400' });
    for (let i = 0; i < 12; i++) log.appendAsLeader(batchOf([rec('k', 'v')], { producerId: 5, producerEpoch: 0, baseSequence: i }), { leaderEpoch: 0 });
    expect(log.numberOfSegments).toBeGreaterThan(1);
    const seqs: number[] = [];
    log.forEachBatchHeader(3, (h) => void seqs.push(h.baseSequence));
    expect(seqs).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const firstTwo: number[] = [];
    log.forEachBatchHeader(0, (h) => {
      firstTwo.push(h.baseOffset);
      return firstTwo.length < 2;
    });
    expect(firstTwo).toEqual([0, 1]);
  });
});
