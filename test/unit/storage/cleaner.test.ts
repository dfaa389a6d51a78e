import { describe, expect, it } from 'vitest';
import { LogCleaner } from '../../../engine/storage/cleaner';
import { Codec, type CodecId } from '../../../engine/storage/compression';
import { buildBatch, readBatchHeader } from '../../../engine/storage/record-batch';
import { batchOf, memoryLog, readAll, rec, T0, text, type LogFixture } from './helpers';

/**
 * A compacted log: `rounds` rounds of one-record batches for keys k0..k(keys-1),
 * value "<key>@<round>", each round stamped T0 + round * 1000, segments of about
 * `perSegment` batches.
 */
function compacted(rounds: number, keys = 4, overrides: Record<string, string> = {}, perSegment = 4): LogFixture {
  const one = batchOf([rec('k0', 'k0@0')]).length;
  const fx = memoryLog({ 'cleanup.policy': 'compact', 'segment.bytes': String(one * perSegment), ...overrides });
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < keys; k++) fx.log.appendAsLeader(batchOf([rec(`k${k}`, `k${k}@${r}`, T0 + r * 1000)]), { leaderEpoch: 0 });
  }
  return fx;
}

function latestByKey(fx: LogFixture): Map<string, { offset: number; value: string | null }> {
  const out = new Map<string, { offset: number; value: string | null }>();
  for (const r of readAll(fx.log)) out.set(text(r.key)!, { offset: r.offset, value: text(r.value) });
  return out;
}

describe('log compaction', () => {
  it('keeps only the latest record per key in cleaned segments, at its original offset', () => {
    const fx = compacted(5);
    const before = latestByKey(fx);
    const activeBase = fx.log.segments().at(-1)!.baseOffset;
    const cleaner = new LogCleaner(fx.clock);
    const res = cleaner.cleanSync(fx.log);
    expect(res.cleaned).toBe(true);
    expect(res.nextDirtyOffset).toBe(activeBase);
    const after = readAll(fx.log);
    // The latest value of every key is still served, at the same offset.
    expect(latestByKey(fx)).toEqual(before);
    // Below the active segment no key repeats; offsets now have gaps.
    const cleanedPart = after.filter((r) => r.offset < activeBase);
    const keys = cleanedPart.map((r) => text(r.key));
    expect(new Set(keys).size).toBe(keys.length);
    const offsets = after.map((r) => r.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(offsets.length).toBeLessThan(fx.log.logEndOffset);
    for (const r of after) expect(text(r.value)).toBe(`${text(r.key)}@${Math.floor(r.offset / 4)}`);
    expect(fx.log.logEndOffset).toBe(20);
  });

  it('reports correct stats', () => {
    const fx = compacted(5);
    const activeBase = fx.log.segments().at(-1)!.baseOffset;
    const bytesBefore = fx.log.segments().slice(0, -1).reduce((n, s) => n + s.sizeBytes, 0);
    const res = new LogCleaner(fx.clock).cleanSync(fx.log);
    const s = res.stats!;
    const cleanedRecords = readAll(fx.log).filter((r) => r.offset < activeBase).length;
    expect(s.recordsBefore).toBe(activeBase);
    expect(s.recordsAfter).toBe(cleanedRecords);
    expect(s.bytesBefore).toBe(bytesBefore);
    expect(s.bytesAfter).toBe(fx.log.segments().slice(0, -1).reduce((n, x) => n + x.sizeBytes, 0));
    expect(s.bytesAfter).toBeLessThan(s.bytesBefore);
    expect(s.distinctKeys).toBe(4);
    expect(s.dirtyRatioBefore).toBe(1);
    expect(s.tombstonesRemoved).toBe(0);
    expect(s.batchesBefore).toBe(activeBase);
    expect(s.batchesAfter).toBe(cleanedRecords);
    expect(s.segmentsAfter).toBeLessThanOrEqual(s.segmentsBefore);
  });

  it('never touches the active segment', () => {
    const fx = compacted(5);
    const active = fx.log.segments().at(-1)!;
    const activePath = `topic-0/${String(active.baseOffset).padStart(20, '0')}.log`;
    const bytes = fx.storage.snapshot(activePath);
    new LogCleaner(fx.clock).cleanSync(fx.log);
    expect(fx.storage.snapshot(activePath).equals(bytes)).toBe(true);
    expect(fx.log.segments().at(-1)).toMatchObject({ baseOffset: active.baseOffset, sizeBytes: active.sizeBytes, active: true });
  });

  it('keeps tombstones until delete.retention.ms after the run that first cleaned them, then removes them', () => {
    const fx = compacted(2, 4, { 'delete.retention.ms': '60000' });
    fx.log.appendAsLeader(batchOf([rec('k1', null, T0 + 5000)]), { leaderEpoch: 0 }); // tombstone for k1 at offset 8
    fx.log.roll();
    fx.log.appendAsLeader(batchOf([rec('other', 'x', T0 + 6000)]), { leaderEpoch: 0 });
    const cleaner = new LogCleaner(fx.clock);
    const first = cleaner.cleanSync(fx.log);
    expect(first.stats!.tombstonesRemoved).toBe(0);
    const tomb = readAll(fx.log).find((r) => text(r.key) === 'k1')!;
    expect([tomb.offset, tomb.value]).toEqual([8, null]);
    // The batch now carries a delete horizon = clean time + delete.retention.ms.
    const stored = fx.log.read(8, 1000).batches;
    expect(readBatchHeader(stored)).toMatchObject({ hasDeleteHorizon: true, baseTimestamp: T0 + 60_000 });
    expect(readAll(fx.log).find((r) => r.offset === 8)!.timestampMs).toBe(T0 + 5000);

    fx.clock.advance(59_999);
    const early = cleaner.cleanSync(fx.log, { firstDirtyOffset: first.nextDirtyOffset, force: true });
    expect(early.cleaned).toBe(false); // nothing dirty: a forced run would not remove it anyway
    fx.log.roll();
    fx.log.appendAsLeader(batchOf([rec('k0', 'k0@late', fx.clock.nowMs())]), { leaderEpoch: 0 });
    fx.log.roll();
    const mid = cleaner.cleanSync(fx.log, { firstDirtyOffset: first.nextDirtyOffset, force: true });
    expect(mid.cleaned).toBe(true);
    expect(readAll(fx.log).some((r) => text(r.key) === 'k1')).toBe(true);

    fx.clock.advance(1);
    fx.log.appendAsLeader(batchOf([rec('k2', 'k2@late', fx.clock.nowMs())]), { leaderEpoch: 0 });
    fx.log.roll();
    const late = cleaner.cleanSync(fx.log, { firstDirtyOffset: mid.nextDirtyOffset, force: true });
    expect(late.stats!.tombstonesRemoved).toBe(1);
    expect(readAll(fx.log).some((r) => text(r.key) === 'k1')).toBe(false);
  });

  it('respects min.compaction.lag.ms: segments with recent records stay dirty', () => {
    const fx = compacted(5, 4, { 'min.compaction.lag.ms': '2500' });
    // Now = T0 + 4000 (last round); segments whose newest record is within 2.5 s are uncleanable.
    fx.clock.advance(4000);
    const cleaner = new LogCleaner(fx.clock);
    const info = cleaner.cleanableInfo(fx.log, fx.clock.nowMs());
    const segs = fx.log.segments();
    const firstTooNew = segs.find((s) => s.maxTimestampMs > fx.clock.nowMs() - 2500)!;
    expect(info.firstUncleanableOffset).toBe(firstTooNew.baseOffset);
    const res = cleaner.cleanSync(fx.log);
    expect(res.nextDirtyOffset).toBeLessThanOrEqual(firstTooNew.baseOffset);
    // Records at or after the uncleanable point all survive.
    const kept = readAll(fx.log).filter((r) => r.offset >= firstTooNew.baseOffset).length;
    expect(kept).toBe(fx.log.logEndOffset - firstTooNew.baseOffset);
  });

  it('cleans only above min.cleanable.dirty.ratio, or when max.compaction.lag.ms is exceeded', () => {
    const fx = compacted(5, 4, { 'min.cleanable.dirty.ratio': '0.9' });
    const cleaner = new LogCleaner(fx.clock);
    const first = cleaner.cleanSync(fx.log);
    expect(first.cleaned).toBe(true);
    // A little new dirty data: ratio well below 0.9.
    fx.log.appendAsLeader(batchOf([rec('k0', 'new', T0 + 9000)]), { leaderEpoch: 0 });
    fx.log.roll();
    const info = cleaner.cleanableInfo(fx.log, fx.clock.nowMs(), { firstDirtyOffset: first.nextDirtyOffset });
    expect(info.dirtyRatio).toBeGreaterThan(0);
    expect(info.dirtyRatio).toBeLessThan(0.9);
    expect(info.dirtyRatio).toBeCloseTo(info.dirtyBytes / (info.dirtyBytes + info.cleanBytes));
    expect(cleaner.cleanSync(fx.log, { firstDirtyOffset: first.nextDirtyOffset }).cleaned).toBe(false);
    // With max.compaction.lag.ms = 1 s and the dirty batch 10 s old, cleaning is due.
    fx.log.updateConfig({ ...fx.log.config, maxCompactionLagMs: 1000 });
    fx.clock.advance(20_000);
    expect(cleaner.cleanableInfo(fx.log, fx.clock.nowMs(), { firstDirtyOffset: first.nextDirtyOffset }).maxCompactionLagExceeded).toBe(true);
    expect(cleaner.cleanSync(fx.log, { firstDirtyOffset: first.nextDirtyOffset }).cleaned).toBe(true);
    expect(latestByKey(fx).get('k0')).toEqual({ offset: 20, value: 'new' });
  });

  it('drops keyless records that slipped into a compacted log', () => {
    const fx = compacted(2);
    fx.log.appendAsLeader(batchOf([rec(null, 'no key', T0)]), { leaderEpoch: 0, requireKeys: false });
    fx.log.roll();
    const res = new LogCleaner(fx.clock).cleanSync(fx.log);
    expect(res.stats!.keylessRemoved).toBe(1);
    expect(readAll(fx.log).every((r) => r.key !== null)).toBe(true);
  });

  it('merges small cleaned segments into groups that fit segment.bytes', () => {
    const fx = compacted(10, 2, {}, 2);
    const cleaner = new LogCleaner(fx.clock);
    // Groups are formed from segment sizes before cleaning: full segments do not merge yet,
    // but they shrink (here most become empty).
    const first = cleaner.cleanSync(fx.log);
    const afterFirst = fx.log.numberOfSegments;
    fx.log.appendAsLeader(batchOf([rec('k0', 'k0@new', T0 + 20_000)]), { leaderEpoch: 0 });
    fx.log.roll();
    const second = cleaner.cleanSync(fx.log, { firstDirtyOffset: first.nextDirtyOffset, force: true });
    expect(second.cleaned).toBe(true);
    expect(fx.log.numberOfSegments).toBeLessThan(afterFirst);
    expect(second.stats!.segmentsAfter).toBe(fx.log.numberOfSegments);
    for (const s of fx.log.segments()) expect(s.sizeBytes).toBeLessThanOrEqual(fx.log.config.segmentBytes);
    expect(latestByKey(fx).get('k1')?.value).toBe('k1@9');
    expect(latestByKey(fx).get('k0')?.value).toBe('k0@new');
  });

  it('re-encodes partly kept batches with the same codec, including zstd (async)', async () => {
    for (const codec of [Codec.GZIP, Codec.SNAPPY, Codec.LZ4, Codec.ZSTD] as CodecId[]) {
      const fx = memoryLog({ 'cleanup.policy': 'compact' });
      for (let r = 0; r < 3; r++) {
        const b = await buildBatch({ records: [rec('a', `a${r}`, T0), rec(`u${r}`, 'unique', T0), rec('b', `b${r}`, T0)], compression: codec });
        fx.log.appendAsLeader(b, { leaderEpoch: 0 });
      }
      fx.log.roll();
      const cleaner = new LogCleaner(fx.clock);
      if (codec === Codec.ZSTD) expect(() => cleaner.cleanSync(fx.log)).toThrow(/zstd/);
      const res = await cleaner.clean(fx.log);
      expect(res.cleaned).toBe(true);
      const stored = fx.log.read(0, 1 << 20).batches;
      expect(readBatchHeader(stored).compression).toBe(codec);
      // First batch [0..2]: only u0 survives, but the batch keeps its base and last offset.
      expect(readBatchHeader(stored)).toMatchObject({ baseOffset: 0, lastOffsetDelta: 2, recordsCount: 1 });
      const { decodeRecords } = await import('../../../engine/storage/record-batch');
      const all = await decodeRecords(stored);
      expect(all.map((r) => `${r.offset}:${text(r.key)}=${text(r.value)}`)).toEqual(['1:u0=unique', '4:u1=unique', '6:a=a2', '7:u2=unique', '8:b=b2']);
    }
  });

  it('abandons an async run when the log changes underneath it, leaving no .cleaned files', async () => {
    const fx = memoryLog({ 'cleanup.policy': 'compact', 'segment.bytes': '400' });
    for (let r = 0; r < 10; r++) {
      fx.log.appendAsLeader(await buildBatch({ records: [rec('a', `a${r}`, T0), rec('b', `b${r}`, T0)], compression: Codec.ZSTD }), { leaderEpoch: 0 });
    }
    const running = new LogCleaner(fx.clock).clean(fx.log);
    fx.log.truncateTo(4); // happens while the cleaner awaits zstd
    const res = await running;
    expect(res).toMatchObject({ cleaned: false, aborted: true });
    expect(fx.storage.allFiles().filter((f) => /\.(cleaned|swap|deleted)$/.test(f))).toEqual([]);
    const { decodeRecords } = await import('../../../engine/storage/record-batch');
    expect((await decodeRecords(fx.log.read(0, 1 << 20).batches)).map((r) => r.offset)).toEqual([0, 1, 2, 3]);
  });
});

describe('crash during the cleaner\'s swap', () => {
  it('recovers at every crash point to either the old or the new segments, never a mix', () => {
    // Reference outcome without a crash.
    const reference = compacted(6, 3, {}, 3);
    const original = readAll(reference.log).map((r) => `${r.offset}:${text(r.value)}`);
    new LogCleaner(reference.clock).cleanSync(reference.log);
    const cleanedView = readAll(reference.log).map((r) => `${r.offset}:${text(r.value)}`);
    expect(cleanedView).not.toEqual(original);

    let sawOld = false;
    let sawNew = false;
    let completedWithoutCrash = false;
    const swapActions = new Set<string>();
    for (let crashAfter = 0; crashAfter < 400 && !completedWithoutCrash; crashAfter++) {
      const fx = compacted(6, 3, {}, 3);
      fx.log.flush();
      fx.storage.crashAfterOps(crashAfter);
      try {
        new LogCleaner(fx.clock).cleanSync(fx.log);
        completedWithoutCrash = true;
      } catch {
        // The simulated crash.
      }
      fx.storage.crash();
      const log = fx.reopen();
      swapActions.add(log.openReport.swap.action);
      const view = readAll(log).map((r) => `${r.offset}:${text(r.value)}`);
      expect(log.logEndOffset).toBe(reference.log.logEndOffset);
      // Each group swaps atomically, so the view is old segments up to some point, new after.
      // Every served record must be one the original log had, and every key's latest value is intact.
      for (const v of view) expect(original).toContain(v);
      const latest = new Map(readAll(log).map((r) => [text(r.key), text(r.value)]));
      const expected = new Map(readAll(reference.log).map((r) => [text(r.key), text(r.value)]));
      expect(latest).toEqual(expected);
      expect(fx.storage.allFiles().filter((f) => /\.(cleaned|swap|deleted)$/.test(f))).toEqual([]);
      if (JSON.stringify(view) === JSON.stringify(original)) sawOld = true;
      if (JSON.stringify(view) === JSON.stringify(cleanedView)) sawNew = true;
      // The recovered log cleans fine.
      new LogCleaner(fx.clock).cleanSync(log);
      expect(readAll(log).map((r) => `${r.offset}:${text(r.value)}`)).toEqual(cleanedView);
    }
    expect(completedWithoutCrash).toBe(true);
    expect(sawOld).toBe(true);
    expect(sawNew).toBe(true);
    // Crash points fell both before the commit (rolled back) and after it (rolled forward).
    expect(swapActions).toContain('rolled-back');
    expect(swapActions).toContain('rolled-forward');
  });
});
