import { describe, expect, it } from 'vitest';
import { LeaderEpochCache } from '../../../engine/storage/leader-epoch-cache';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { readWholeFile } from '../../../engine/storage/storage';
import { memoryLog, simpleBatch } from './helpers';

function cache(entries: [number, number][] = []) {
  const storage = new MemoryStorage();
  storage.mkdirp('p');
  const { cache: c } = LeaderEpochCache.load(storage, 'p');
  for (const [e, o] of entries) c.assign(e, o);
  return { storage, c };
}

describe('LeaderEpochCache', () => {
  it('writes Kafka\'s text checkpoint (version, count, "epoch offset" lines) crash-safely', () => {
    const { storage, c } = cache([
      [0, 0],
      [2, 100],
    ]);
    expect(readWholeFile(storage, 'p/leader-epoch-checkpoint').toString()).toBe('0\n2\n0 0\n2 100\n');
    storage.crash(); // the file was fsynced before its rename
    expect(LeaderEpochCache.load(storage, 'p').cache.entries()).toEqual(c.entries());
  });

  it('ignores repeats and drops entries a new assignment contradicts', () => {
    const { c } = cache([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    expect(c.assign(3, 35)).toBe(false); // same epoch, later offset: already known
    expect(c.assign(3, 25)).toBe(true); // same epoch, earlier start replaces it
    expect(c.entries()).toEqual([
      { epoch: 1, startOffset: 10 },
      { epoch: 2, startOffset: 20 },
      { epoch: 3, startOffset: 25 },
    ]);
    c.assign(2, 40); // a lower epoch at a higher offset: entries with epoch >= 2 go
    expect(c.entries()).toEqual([
      { epoch: 1, startOffset: 10 },
      { epoch: 2, startOffset: 40 },
    ]);
    expect(c.assign(-1, 50)).toBe(false);
  });

  it('answers endOffsetFor as KIP-101/279 describe', () => {
    const { c } = cache([
      [1, 10],
      [3, 30],
      [5, 50],
    ]);
    const leo = 70;
    expect(c.endOffsetFor(-1, leo)).toEqual({ epoch: -1, endOffset: -1 }); // undefined epoch
    expect(c.endOffsetFor(5, leo)).toEqual({ epoch: 5, endOffset: 70 }); // the latest epoch ends at the LEO
    expect(c.endOffsetFor(3, leo)).toEqual({ epoch: 3, endOffset: 50 }); // known epoch: next epoch's start
    expect(c.endOffsetFor(4, leo)).toEqual({ epoch: 3, endOffset: 50 }); // unknown: largest epoch below it
    expect(c.endOffsetFor(0, leo)).toEqual({ epoch: 0, endOffset: 10 }); // below all known epochs
    expect(c.endOffsetFor(9, leo)).toEqual({ epoch: -1, endOffset: -1 }); // above all
    expect(cache().c.endOffsetFor(1, leo)).toEqual({ epoch: -1, endOffset: -1 });
    expect(c.epochForOffset(35)).toBe(3);
    expect(c.epochForOffset(5)).toBeUndefined();
  });

  it('truncates from the end and from the start', () => {
    const { c } = cache([
      [1, 10],
      [3, 30],
      [5, 50],
    ]);
    c.truncateFromEnd(51);
    expect(c.latestEpoch()).toBe(5);
    c.truncateFromEnd(50);
    expect(c.entries().map((e) => e.epoch)).toEqual([1, 3]);
    c.truncateFromStart(35);
    expect(c.entries()).toEqual([{ epoch: 3, startOffset: 35 }]);
    c.truncateFromStart(5);
    expect(c.entries()).toEqual([{ epoch: 3, startOffset: 35 }]);
  });

  it('treats a corrupt checkpoint as untrusted; the log rebuilds it from its batches', () => {
    const fx = memoryLog();
    fx.log.appendAsLeader(simpleBatch(2), { leaderEpoch: 1 });
    fx.log.appendAsLeader(simpleBatch(2), { leaderEpoch: 4 });
    fx.log.close();
    const h = fx.storage.open('topic-0/leader-epoch-checkpoint');
    h.truncate(0);
    h.append(Buffer.from('0\n5\n1 0\n'));
    h.sync();
    h.close();
    const log = fx.reopen({ hadCleanShutdown: true });
    expect(log.openReport.problems.some((p) => p.includes('declares 5 entries'))).toBe(true);
    expect(log.leaderEpochCache.entries()).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 4, startOffset: 2 },
    ]);
  });
});
