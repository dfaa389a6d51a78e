import { describe, expect, it } from 'vitest';
import { Codec } from '../../../engine/storage/compression';
import { StorageError } from '../../../engine/storage/errors';
import { LIST_OFFSETS } from '../../../engine/storage/log';
import {
  buildBatch,
  checkStoredBatch,
  decodeRecordsSync,
  readBatchHeader,
  setBaseOffset,
  setPartitionLeaderEpoch,
  TimestampType,
} from '../../../engine/storage/record-batch';
import { InvariantError } from '../../../engine/util/assert';
import { batchOf, memoryLog, readAll, rec, simpleBatch, T0, text } from './helpers';

function expectStorageError(fn: () => unknown, errorName: string, code: number): StorageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StorageError);
    expect((e as StorageError).errorName).toBe(errorName);
    expect((e as StorageError).code).toBe(code);
    return e as StorageError;
  }
  throw new Error(`expected ${errorName}`);
}

describe('appendAsLeader', () => {
  it('assigns consecutive offsets, stamps the leader epoch, and serves the stored bytes unchanged', () => {
    const { log } = memoryLog();
    const a = simpleBatch(3, 'a');
    const b = simpleBatch(2, 'b');
    expect(log.appendAsLeader(a, { leaderEpoch: 4 })).toMatchObject({ baseOffset: 0, lastOffset: 2, recordCount: 3, bytes: a.length, logAppendTimeMs: -1 });
    expect(log.appendAsLeader(b, { leaderEpoch: 5 })).toMatchObject({ baseOffset: 3, lastOffset: 4 });
    expect(log.logEndOffset).toBe(5);
    // The caller's buffers were rewritten in place and are exactly what is stored.
    expect(readBatchHeader(b)).toMatchObject({ baseOffset: 3, partitionLeaderEpoch: 5 });
    const r = log.read(0, 1 << 20);
    expect(r.batches.equals(Buffer.concat([a, b]))).toBe(true);
    expect(log.stats.bytesServedZeroCopy).toBe(a.length + b.length);
    expect(log.leaderEpochCache.entries()).toEqual([
      { epoch: 4, startOffset: 0 },
      { epoch: 5, startOffset: 3 },
    ]);
    expect(readAll(log).map((x) => `${x.offset}:${text(x.value)}`)).toEqual(['0:a-v0', '1:a-v1', '2:a-v2', '3:b-v0', '4:b-v1']);
  });

  it('stamps LogAppendTime from the clock and keeps the CRC valid', () => {
    const { log, clock } = memoryLog({ 'message.timestamp.type': 'LogAppendTime' });
    clock.advance(12_345);
    const b = batchOf([rec('a', '1', 5)]);
    const res = log.appendAsLeader(b, { leaderEpoch: 0 });
    expect(res.logAppendTimeMs).toBe(T0 + 12_345);
    const stored = log.read(0, 1000).batches;
    expect(checkStoredBatch(stored, 0, stored.length)).toBeNull();
    expect(readBatchHeader(stored)).toMatchObject({ timestampType: TimestampType.LOG_APPEND_TIME, maxTimestamp: T0 + 12_345 });
    expect(decodeRecordsSync(stored)[0].timestampMs).toBe(T0 + 12_345);
  });

  it('refuses a batch over max.message.bytes with MESSAGE_TOO_LARGE and appends nothing', () => {
    const { log, storage } = memoryLog({ 'max.message.bytes': '200' });
    log.appendAsLeader(simpleBatch(1), { leaderEpoch: 0 });
    const before = storage.snapshot('topic-0/00000000000000000000.log');
    const big = batchOf([rec('k', 'x'.repeat(300))]);
    const original = Buffer.from(big);
    expectStorageError(() => log.appendAsLeader(big, { leaderEpoch: 0 }), 'MESSAGE_TOO_LARGE', 10);
    expect(log.logEndOffset).toBe(1);
    expect(storage.snapshot('topic-0/00000000000000000000.log').equals(before)).toBe(true);
    expect(big.equals(original)).toBe(true); // not even the header was rewritten
    // The per-call limit overrides the topic's.
    expect(log.appendAsLeader(big, { leaderEpoch: 0, maxMessageBytes: 1000 }).baseOffset).toBe(1);
  });

  it('refuses a batch larger than segment.bytes with RECORD_LIST_TOO_LARGE', () => {
    const { log } = memoryLog({ 'segment.bytes': '100', 'max.message.bytes': '100000' });
    expectStorageError(() => log.appendAsLeader(batchOf([rec('k', 'x'.repeat(100))]), { leaderEpoch: 0 }), 'RECORD_LIST_TOO_LARGE', 18);
    expect(log.logEndOffset).toBe(0);
  });

  it('refuses keyless records on a compacted topic with per-record INVALID_RECORD errors', () => {
    const { log } = memoryLog({ 'cleanup.policy': 'compact' });
    const err = expectStorageError(() => log.appendAsLeader(batchOf([rec('a', '1'), rec(null, '2')]), { leaderEpoch: 0 }), 'INVALID_RECORD', 87);
    expect(err.recordErrors).toEqual([{ batchIndex: 1, message: 'Compacted topic cannot accept message without key in topic partition topic-0.' }]);
    expect(log.logEndOffset).toBe(0);
    // requireKeys can be forced either way by the caller.
    expect(log.appendAsLeader(batchOf([rec(null, '2')]), { leaderEpoch: 0, requireKeys: false }).baseOffset).toBe(0);
  });

  it('refuses corrupt batches (bad CRC, two batches, torn) with CORRUPT_MESSAGE and appends nothing', () => {
    const { log } = memoryLog();
    const bad = simpleBatch(2);
    bad[bad.length - 1] ^= 1;
    expectStorageError(() => log.appendAsLeader(bad, { leaderEpoch: 0 }), 'CORRUPT_MESSAGE', 2);
    expectStorageError(() => log.appendAsLeader(Buffer.concat([simpleBatch(1), simpleBatch(1)]), { leaderEpoch: 0 }), 'CORRUPT_MESSAGE', 2);
    expectStorageError(() => log.appendAsLeader(simpleBatch(2).subarray(0, 70), { leaderEpoch: 0 }), 'CORRUPT_MESSAGE', 2);
    expect(log.logEndOffset).toBe(0);
    expect(log.sizeBytes).toBe(0);
  });
});

describe('read', () => {
  function filled() {
    const fx = memoryLog({ 'segment.bytes': '2000', 'index.interval.bytes': '100' });
    for (let i = 0; i < 60; i++) fx.log.appendAsLeader(simpleBatch(2, `b${i}`, T0 + i), { leaderEpoch: 0 });
    return fx;
  }

  it('returns whole batches starting with the one holding the offset, within maxBytes', () => {
    const { log } = filled();
    const r = log.read(7, 300);
    expect(r.firstOffset).toBe(6); // offset 7 lives in the batch [6, 7]
    const recs = decodeRecordsSync(r.batches);
    expect(recs[0].offset).toBe(6);
    expect(r.bytesRead).toBeLessThanOrEqual(300);
    expect(r.nextOffset).toBe(recs[recs.length - 1].offset + 1);
    // Every offset in the log is readable and in order, across segments.
    expect(log.numberOfSegments).toBeGreaterThanOrEqual(3);
    expect(readAll(log, 500).map((x) => x.offset)).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });

  it('still returns the first batch when it is larger than maxBytes (KIP-74), unless told not to', () => {
    const { log } = filled();
    const r = log.read(0, 10);
    expect(r.bytesRead).toBeGreaterThan(10);
    expect(decodeRecordsSync(r.batches).map((x) => x.offset)).toEqual([0, 1]);
    expect(log.read(0, 10, { minOneBatch: false }).bytesRead).toBe(0);
  });

  it('stops before maxOffset (the high watermark)', () => {
    const { log } = filled();
    const r = log.read(0, 1 << 20, { maxOffset: 5 });
    expect(decodeRecordsSync(r.batches).map((x) => x.offset)).toEqual([0, 1, 2, 3]);
    expect(log.read(5, 1 << 20, { maxOffset: 5 }).bytesRead).toBe(0);
  });

  it('answers OFFSET_OUT_OF_RANGE below the log start or beyond the LEO, and empty at the LEO', () => {
    const { log } = filled();
    expect(log.read(120, 100).bytesRead).toBe(0);
    expectStorageError(() => log.read(121, 100), 'OFFSET_OUT_OF_RANGE', 1);
    log.deleteRecordsBefore(10);
    expectStorageError(() => log.read(9, 100), 'OFFSET_OUT_OF_RANGE', 1);
    expect(log.read(10, 100).firstOffset).toBe(10);
  });

  it('reports a failing disk read as KAFKA_STORAGE_ERROR', () => {
    const { log, storage } = filled();
    storage.failReads('topic-0/00000000000000000000.log');
    expectStorageError(() => log.read(0, 100), 'KAFKA_STORAGE_ERROR', 56);
    storage.clearFaults();
    expect(log.read(0, 100).bytesRead).toBeGreaterThan(0);
  });
});

describe('rolling segments', () => {
  it('rolls on segment.bytes, naming files by base offset, and fsyncs the old segment', () => {
    const { log, storage } = memoryLog({ 'segment.bytes': '500' });
    const one = simpleBatch(2).length;
    const perSegment = Math.floor(500 / one);
    for (let i = 0; i < perSegment * 3; i++) log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    const segs = log.segments();
    expect(segs.length).toBe(3);
    expect(segs.map((s) => s.baseOffset)).toEqual([0, perSegment * 2, perSegment * 4]);
    for (const s of segs) expect(s.sizeBytes).toBeLessThanOrEqual(500);
    expect(segs.map((s) => s.active)).toEqual([false, false, true]);
    const logs = storage.list('topic-0').filter((n) => n.endsWith('.log'));
    expect(logs).toEqual(segs.map((s) => `${String(s.baseOffset).padStart(20, '0')}.log`));
    // Rolled segments were fsynced: a crash loses nothing of them.
    expect(log.recoveryPoint).toBe(perSegment * 4);
  });

  it('rolls on segment.ms, measured between batch timestamps', () => {
    const { log, clock } = memoryLog({ 'segment.ms': '60000' });
    log.appendAsLeader(simpleBatch(1, 'a', clock.nowMs()), { leaderEpoch: 0 });
    clock.advance(59_000);
    log.appendAsLeader(simpleBatch(1, 'b', clock.nowMs()), { leaderEpoch: 0 });
    expect(log.numberOfSegments).toBe(1);
    clock.advance(2_000);
    log.appendAsLeader(simpleBatch(1, 'c', clock.nowMs()), { leaderEpoch: 0 });
    expect(log.segments().map((s) => s.baseOffset)).toEqual([0, 2]);
  });

  it('rolls on segment.ms by the clock when batches carry no timestamp', () => {
    const { log, clock } = memoryLog({ 'segment.ms': '1000' });
    log.appendAsLeader(simpleBatch(1, 'a', -1), { leaderEpoch: 0 });
    clock.advance(1001);
    log.appendAsLeader(simpleBatch(1, 'b', -1), { leaderEpoch: 0 });
    expect(log.numberOfSegments).toBe(2);
  });

  it('rolls when the offset index is full (segment.index.bytes)', () => {
    const { log } = memoryLog({ 'segment.index.bytes': '16', 'index.interval.bytes': '0' });
    for (let i = 0; i < 8; i++) log.appendAsLeader(simpleBatch(1), { leaderEpoch: 0 });
    // 16 bytes hold two offset-index entries but one 12-byte time-index entry; the first
    // batch of a segment is never indexed, so the second batch fills the time index.
    expect(log.segments().map((s) => s.baseOffset)).toEqual([0, 2, 4, 6]);
  });

  it('rolls on demand and keeps serving across the boundary', () => {
    const { log } = memoryLog();
    log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    log.roll();
    log.roll(); // rolling an empty active segment is a no-op
    log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    expect(log.segments().map((s) => [s.baseOffset, s.nextOffset])).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(readAll(log).length).toBe(4);
  });
});

describe('appendAsFollower', () => {
  it('keeps the leader\'s offsets (gaps included) and learns leader epochs from the batches', () => {
    const leader = memoryLog();
    leader.log.appendAsLeader(simpleBatch(2, 'a'), { leaderEpoch: 1 });
    leader.log.appendAsLeader(simpleBatch(2, 'b'), { leaderEpoch: 3 });
    const fetched = leader.log.read(0, 1 << 20).batches;
    const gapped = batchOf([rec('c', '1')], { baseOffset: 10, partitionLeaderEpoch: 4 });

    const follower = memoryLog({}, 'topic-1');
    const res = follower.log.appendAsFollower(Buffer.concat([fetched, gapped]));
    expect(res).toMatchObject({ firstOffset: 0, lastOffset: 10, batches: 3 });
    expect(follower.log.logEndOffset).toBe(11);
    expect(follower.log.read(0, 1 << 20).batches.equals(Buffer.concat([fetched, gapped]))).toBe(true);
    expect(follower.log.leaderEpochCache.entries()).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 3, startOffset: 2 },
      { epoch: 4, startOffset: 10 },
    ]);
    expect(readAll(follower.log).map((r) => r.offset)).toEqual([0, 1, 2, 3, 10]);
  });

  it('refuses batches that do not continue the log, and corrupt ones, writing nothing', () => {
    const { log } = memoryLog();
    log.appendAsFollower(batchOf([rec('a', '1'), rec('b', '2')]));
    expect(() => log.appendAsFollower(batchOf([rec('x', '1')], { baseOffset: 1 }))).toThrow(InvariantError);
    const corrupt = batchOf([rec('x', '1')], { baseOffset: 2 });
    corrupt[corrupt.length - 1] ^= 1;
    expectStorageError(() => log.appendAsFollower(Buffer.concat([batchOf([rec('y', '1')], { baseOffset: 2 }), corrupt])), 'CORRUPT_MESSAGE', 2);
    expect(log.logEndOffset).toBe(2);
  });
});

describe('offsets for timestamps (ListOffsets)', () => {
  it('finds the first record with timestamp >= target, inside batches, across segments and codecs', async () => {
    const { log } = memoryLog({ 'segment.bytes': '400', 'index.interval.bytes': '1' });
    const codecs = [Codec.NONE, Codec.GZIP, Codec.SNAPPY, Codec.LZ4, Codec.ZSTD] as const;
    let ts = T0;
    for (let i = 0; i < 20; i++) {
      // Timestamps inside a batch are not sorted: 3 records at ts+2, ts, ts+1.
      const b = await buildBatch({ records: [rec(`k${i}`, 'a', ts + 2), rec(`k${i}`, 'b', ts), rec(`k${i}`, 'c', ts + 1)], compression: codecs[i % 5] });
      log.appendAsLeader(b, { leaderEpoch: i < 10 ? 0 : 1 });
      ts += 10;
    }
    expect(log.numberOfSegments).toBeGreaterThan(2);
    expect(await log.offsetForTimestamp(T0)).toEqual({ timestampMs: T0 + 2, offset: 0, leaderEpoch: 0 });
    expect(await log.offsetForTimestamp(T0 + 51)).toEqual({ timestampMs: T0 + 52, offset: 15, leaderEpoch: 0 });
    expect(await log.offsetForTimestamp(T0 + 152)).toEqual({ timestampMs: T0 + 152, offset: 45, leaderEpoch: 1 });
    expect(await log.offsetForTimestamp(T0 + 10_000)).toBeUndefined();
    expect(await log.offsetForTimestamp(LIST_OFFSETS.EARLIEST)).toMatchObject({ offset: 0 });
    expect(await log.offsetForTimestamp(LIST_OFFSETS.LATEST)).toMatchObject({ offset: 60, leaderEpoch: 1 });
    expect(await log.offsetForTimestamp(LIST_OFFSETS.MAX_TIMESTAMP)).toEqual({ timestampMs: T0 + 192, offset: 57, leaderEpoch: 1 });
    // The sync flavour answers for non-zstd batches and refuses zstd ones.
    expect(log.offsetForTimestampSync(T0 + 12)).toMatchObject({ offset: 3 });
    expect(() => log.offsetForTimestampSync(T0 + 41)).toThrow(/zstd/);
  });

  it('honours the log start offset', () => {
    const { log } = memoryLog();
    log.appendAsLeader(batchOf([rec('a', '1', T0), rec('b', '2', T0 + 5)]), { leaderEpoch: 0 });
    log.deleteRecordsBefore(1);
    expect(log.offsetForTimestampSync(T0)).toMatchObject({ offset: 1, timestampMs: T0 + 5 });
  });
});

describe('truncation', () => {
  function epochs() {
    const fx = memoryLog({ 'segment.bytes': '300' });
    for (let i = 0; i < 12; i++) fx.log.appendAsLeader(simpleBatch(2), { leaderEpoch: Math.floor(i / 4) });
    return fx;
  }

  it('truncateTo drops everything at or after the offset, across segments, and trims the epoch cache', () => {
    const { log } = epochs();
    expect(log.leaderEpochCache.entries()).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 1, startOffset: 8 },
      { epoch: 2, startOffset: 16 },
    ]);
    const segmentsBefore = log.numberOfSegments;
    expect(log.truncateTo(9)).toBe(true);
    // Offset 9 sits in batch [8, 9]; truncation is batch-granular.
    expect(log.logEndOffset).toBe(8);
    expect(log.numberOfSegments).toBeLessThan(segmentsBefore);
    expect(log.leaderEpochCache.entries()).toEqual([{ epoch: 0, startOffset: 0 }]);
    expect(readAll(log).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(log.truncateTo(100)).toBe(false);
    // Appends continue at the new LEO.
    expect(log.appendAsLeader(simpleBatch(1), { leaderEpoch: 3 }).baseOffset).toBe(8);
    expect(log.leaderEpochCache.endOffsetFor(0, log.logEndOffset)).toEqual({ epoch: 0, endOffset: 8 });
  });

  it('truncation survives a crash (it is fsynced)', () => {
    const fx = epochs();
    fx.log.flush();
    fx.log.truncateTo(4);
    fx.storage.crash();
    const log = fx.reopen();
    expect(log.logEndOffset).toBe(4);
    expect(log.leaderEpochCache.entries()).toEqual([{ epoch: 0, startOffset: 0 }]);
  });

  it('truncateFullyAndStartAt empties the log and restarts offsets', () => {
    const { log } = epochs();
    log.truncateFullyAndStartAt(1000);
    expect([log.logStartOffset, log.logEndOffset, log.numberOfSegments]).toEqual([1000, 1000, 1]);
    expect(log.leaderEpochCache.entries()).toEqual([]);
    expect(log.appendAsLeader(simpleBatch(1), { leaderEpoch: 5 }).baseOffset).toBe(1000);
    expect(log.segments()[0].baseOffset).toBe(1000);
  });

  it('deleteRecordsBefore raises the log start and deletes whole segments below it', () => {
    const { log } = epochs();
    const segs = log.segments();
    const cut = segs[2].baseOffset + 1;
    expect(log.deleteRecordsBefore(cut)).toBe(cut);
    expect(log.logStartOffset).toBe(cut);
    expect(log.segments()[0].baseOffset).toBe(segs[2].baseOffset);
    expect(log.leaderEpochCache.earliestEntry()?.startOffset).toBe(cut);
    expectStorageError(() => log.deleteRecordsBefore(10_000), 'OFFSET_OUT_OF_RANGE', 1);
  });
});

describe('flush policy', () => {
  it('flush.messages fsyncs after that many records; by default nothing is fsynced before roll or close', () => {
    const fx = memoryLog({ 'flush.messages': '5' });
    for (let i = 0; i < 3; i++) fx.log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    expect(fx.log.recoveryPoint).toBe(6);
    fx.log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    expect(fx.log.recoveryPoint).toBe(6);

    const lazy = memoryLog({}, 'lazy-0');
    for (let i = 0; i < 10; i++) lazy.log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    expect(lazy.log.recoveryPoint).toBe(0);
    lazy.storage.crash();
    expect(lazy.reopen().logEndOffset).toBe(0);
  });

  it('flush.ms fsyncs when due', () => {
    const { log, clock } = memoryLog({ 'flush.ms': '1000' });
    log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    expect(log.flushIfDue(clock.nowMs() + 500)).toBe(false);
    expect(log.flushIfDue(clock.nowMs() + 1000)).toBe(true);
    expect(log.recoveryPoint).toBe(2);
    expect(log.flushIfDue(clock.nowMs() + 5000)).toBe(false); // nothing new to flush
  });

  it('close() is a clean shutdown: everything fsynced, a reopen trusts it', () => {
    const fx = memoryLog({ 'segment.bytes': '300' });
    for (let i = 0; i < 10; i++) fx.log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    fx.log.close();
    expect(() => fx.log.appendAsLeader(simpleBatch(1), { leaderEpoch: 0 })).toThrow(StorageError);
    fx.storage.crash();
    const log = fx.reopen({ hadCleanShutdown: true });
    expect(log.logEndOffset).toBe(20);
    expect(log.openReport.recoveredSegments).toBe(0);
    expect(readAll(log).length).toBe(20);
  });
});

describe('I/O failures', () => {
  it('a torn write takes the log offline with KAFKA_STORAGE_ERROR; reopening recovers the last good state', () => {
    const fx = memoryLog();
    fx.log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    fx.log.flush();
    fx.storage.tearNextWrite('topic-0/00000000000000000000.log', 10);
    expectStorageError(() => fx.log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 }), 'KAFKA_STORAGE_ERROR', 56);
    expect(fx.log.isOffline).toBe(true);
    expectStorageError(() => fx.log.read(0, 100), 'KAFKA_STORAGE_ERROR', 56);
    fx.storage.crash();
    const log = fx.reopen();
    expect(log.logEndOffset).toBe(2);
    expect(readAll(log).map((r) => r.offset)).toEqual([0, 1]);
  });
});

describe('segments() for the UI', () => {
  it('describes each segment', () => {
    const size = simpleBatch(2, 'x').length;
    const { log } = memoryLog({ 'segment.bytes': String(2 * size) });
    for (let i = 0; i < 4; i++) log.appendAsLeader(simpleBatch(2, 'x', T0 + i * 100), { leaderEpoch: 0 });
    const segs = log.segments();
    expect(segs[0]).toMatchObject({ baseOffset: 0, recordCount: 4, firstTimestampMs: T0, maxTimestampMs: T0 + 100, active: false });
    expect(segs[segs.length - 1].active).toBe(true);
    const total = segs.reduce((n, s) => n + s.sizeBytes, 0);
    expect(total).toBe(log.sizeBytes);
  });

  it('lets a caller reuse one batch buffer for many appends (stored bytes are copies)', () => {
    const { log } = memoryLog();
    const b = simpleBatch(3);
    log.appendAsLeader(b, { leaderEpoch: 0 });
    log.appendAsLeader(b, { leaderEpoch: 0 });
    setBaseOffset(b, 0, 0);
    setPartitionLeaderEpoch(b, 0, 9);
    expect(readAll(log).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
