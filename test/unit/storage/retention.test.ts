import { describe, expect, it } from 'vitest';
import { memoryLog, readAll, simpleBatch, T0 } from './helpers';

/** A log of `n` segments, each one batch of 2 records, batch i stamped T0 + i * 1000. */
function segmented(n: number, overrides: Record<string, string> = {}) {
  const size = simpleBatch(2, 's0').length;
  const fx = memoryLog({ 'segment.bytes': String(size), ...overrides });
  for (let i = 0; i < n; i++) fx.log.appendAsLeader(simpleBatch(2, `s${i}`, T0 + i * 1000), { leaderEpoch: 0 });
  return { ...fx, size };
}

describe('retention', () => {
  it('deletes whole segments whose newest record is older than retention.ms, and moves the log start', () => {
    const { log, storage } = segmented(6, { 'retention.ms': '10000' });
    expect(log.numberOfSegments).toBe(6);
    // At T0 + 12500: segments stamped T0, T0+1000, T0+2000 are more than 10 s old.
    const res = log.applyRetention(T0 + 12_500);
    expect(res.deleted.map((d) => [d.baseOffset, d.reason])).toEqual([
      [0, 'retention.ms'],
      [2, 'retention.ms'],
      [4, 'retention.ms'],
    ]);
    expect(res.logStartOffset).toBe(6);
    expect(log.logStartOffset).toBe(6);
    expect(storage.list('topic-0').filter((n) => n.endsWith('.log')).length).toBe(3);
    expect(readAll(log)[0].offset).toBe(6);
  });

  it('never deletes the active segment, however old', () => {
    const { log } = segmented(3, { 'retention.ms': '1' });
    const res = log.applyRetention(T0 + 1e9);
    expect(res.deleted.length).toBe(2);
    expect(log.numberOfSegments).toBe(1);
    expect(log.segments()[0].active).toBe(true);
    expect(readAll(log).map((r) => r.offset)).toEqual([4, 5]);
  });

  it('deletes the oldest segments while the log is larger than retention.bytes', () => {
    const { log, size } = segmented(6, { 'retention.bytes': '0' });
    log.updateConfig({ ...log.config, retentionBytes: size * 3 + 1 });
    const res = log.applyRetention(T0);
    // 6 segments = 6 * size; deleting 2 leaves 4 * size > limit, a third would leave 3 * size <= limit.
    expect(res.deleted.map((d) => [d.baseOffset, d.reason])).toEqual([
      [0, 'retention.bytes'],
      [2, 'retention.bytes'],
    ]);
    expect(log.sizeBytes).toBe(size * 4);
    expect(log.logStartOffset).toBe(4);
  });

  it('keeps everything with the defaults (7 days, no size limit) and with cleanup.policy=compact', () => {
    const a = segmented(4);
    expect(a.log.applyRetention(T0 + 60_000).deleted).toEqual([]);
    const b = segmented(4, { 'cleanup.policy': 'compact', 'retention.ms': '1' });
    expect(b.log.applyRetention(T0 + 1e9).deleted).toEqual([]);
  });

  it('deletes segments wholly below the log start offset whatever the policy', () => {
    const { log } = segmented(5, { 'cleanup.policy': 'compact' });
    log.deleteRecordsBefore(7);
    expect(log.segments()[0].baseOffset).toBe(6);
    log.updateConfig({ ...log.config });
    expect(log.applyRetention(T0).deleted).toEqual([]);
  });

  it('does not delete segments holding offsets at or above the high watermark', () => {
    const { log } = segmented(5, { 'retention.ms': '1' });
    const res = log.applyRetention(T0 + 1e9, { highWatermark: 4 });
    expect(res.deleted.map((d) => d.baseOffset)).toEqual([0, 2]);
  });
});
