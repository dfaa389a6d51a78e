import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsStorage } from '../../../engine/storage/fs-storage';
import { PartitionLog } from '../../../engine/storage/log';
import { ManualClock } from '../../../engine/util/clock';
import { SeededRandom } from '../../../engine/util/random';
import { batchOf, config, memoryLog, readAll, rec, simpleBatch, T0, text } from './helpers';

const seg0 = 'topic-0/00000000000000000000';

describe('recovery on MemoryStorage', () => {
  it('truncates a torn tail at the last whole batch and serves nothing beyond it', () => {
    for (let seed = 0; seed < 30; seed++) {
      const fx = memoryLog();
      fx.log.appendAsLeader(simpleBatch(3, 'a'), { leaderEpoch: 0 });
      fx.log.flush();
      for (let i = 0; i < 5; i++) fx.log.appendAsLeader(simpleBatch(3, `b${i}`), { leaderEpoch: 0 });
      fx.storage.crash(new SeededRandom(seed));
      const log = fx.reopen();
      expect(log.logEndOffset).toBeGreaterThanOrEqual(3);
      expect(log.logEndOffset % 3).toBe(0); // whole batches only
      const recs = readAll(log);
      expect(recs.map((r) => r.offset)).toEqual(Array.from({ length: log.logEndOffset }, (_, i) => i));
      for (const r of recs.slice(3)) expect(text(r.value)).toBe(`b${Math.floor((r.offset - 3) / 3)}-v${r.offset % 3}`);
      // The recovered state is durable: a second crash changes nothing.
      const leo = log.logEndOffset;
      fx.storage.crash(new SeededRandom(seed + 1000));
      expect(fx.reopen().logEndOffset).toBe(leo);
    }
  });

  it('truncates at a corrupt batch in the middle of the active segment', () => {
    const fx = memoryLog();
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const b = simpleBatch(2, `x${i}`);
      sizes.push(b.length);
      fx.log.appendAsLeader(b, { leaderEpoch: 0 });
    }
    fx.log.close();
    // Flip a byte inside the third batch's records.
    fx.storage.corrupt(`${seg0}.log`, sizes[0] + sizes[1] + 70, Buffer.from([0xee]));
    const log = fx.reopen({ recoveryPoint: 0 });
    expect(log.logEndOffset).toBe(4);
    expect(log.openReport.truncatedBytes).toBe(sizes[2] + sizes[3]);
    expect(log.openReport.problems[0]).toMatch(/CRC/);
    expect(readAll(log).length).toBe(4);
  });

  it('drops every segment after a corrupt one when recovering from an older recovery point', () => {
    const size = simpleBatch(2, 'x0').length;
    const fx = memoryLog({ 'segment.bytes': String(size * 2) });
    for (let i = 0; i < 8; i++) fx.log.appendAsLeader(simpleBatch(2, `x${i}`), { leaderEpoch: 0 });
    fx.log.close();
    const segs = fx.log.segments();
    expect(segs.length).toBe(4);
    const second = `topic-0/${String(segs[1].baseOffset).padStart(20, '0')}.log`;
    fx.storage.corrupt(second, size + 30, Buffer.from([0x00, 0x01, 0x02]));
    const log = fx.reopen({ recoveryPoint: segs[1].baseOffset });
    expect(log.logEndOffset).toBe(segs[1].baseOffset + 2);
    expect(log.numberOfSegments).toBe(2);
    expect(log.openReport.deletedSegments).toBe(2);
    expect(fx.storage.list('topic-0').filter((n) => n.endsWith('.log')).length).toBe(2);
  });

  it('rebuilds a missing offset or time index', () => {
    const fx = memoryLog({ 'segment.bytes': '1000', 'index.interval.bytes': '50' });
    for (let i = 0; i < 30; i++) fx.log.appendAsLeader(simpleBatch(1, `m${i}`, T0 + i), { leaderEpoch: 0 });
    fx.log.close();
    fx.storage.remove(`${seg0}.index`);
    fx.storage.remove(`${seg0}.timeindex`);
    const log = fx.reopen({ hadCleanShutdown: true });
    expect(log.stats.indexesRebuilt).toBe(1);
    expect(fx.storage.exists(`${seg0}.index`)).toBe(true);
    expect(fx.storage.size(`${seg0}.index`)).toBeGreaterThan(0);
    expect(readAll(log).map((r) => r.offset)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(log.read(5, 1).firstOffset).toBe(5);
    expect(log.offsetForTimestampSync(T0 + 7)).toMatchObject({ offset: 7 });
  });

  it('rebuilds an index that disagrees with its log (bad size, wrong positions, entries past the end)', () => {
    const cases: [string, (b: Buffer) => Buffer][] = [
      ['odd size', (b) => b.subarray(0, b.length - 3)],
      ['garbage', (b) => Buffer.alloc(b.length, 0x7f)],
      ['shifted positions', (b) => {
        const c = Buffer.from(b);
        for (let i = 4; i < c.length; i += 8) c.writeInt32BE(c.readInt32BE(i) + 5, i);
        return c;
      }],
    ];
    for (const [name, damage] of cases) {
      const fx = memoryLog({ 'segment.bytes': '2000', 'index.interval.bytes': '50' });
      for (let i = 0; i < 20; i++) fx.log.appendAsLeader(simpleBatch(1, `m${i}`), { leaderEpoch: 0 });
      fx.log.roll();
      fx.log.close();
      const damaged = damage(fx.storage.snapshot(`${seg0}.index`));
      const h = fx.storage.open(`${seg0}.index`);
      h.truncate(0);
      h.append(damaged);
      h.sync();
      const log = fx.reopen({ hadCleanShutdown: true });
      expect(log.stats.indexesRebuilt, name).toBe(1);
      for (const off of [0, 7, 19]) expect(log.read(off, 1).firstOffset, name).toBe(off);
    }
  });

  it('removes leftover temporary files and orphan indexes', () => {
    const fx = memoryLog();
    fx.log.appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    fx.log.close();
    fx.storage.open('topic-0/leader-epoch-checkpoint.tmp', { create: true }).append(Buffer.from('junk'));
    fx.storage.open('topic-0/00000000000000000099.index', { create: true }).append(Buffer.alloc(8));
    fx.storage.open('topic-0/00000000000000000050.log.cleaned', { create: true }).append(Buffer.from('half'));
    const log = fx.reopen({ hadCleanShutdown: true });
    expect(fx.storage.list('topic-0').sort()).toEqual([
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
      'leader-epoch-checkpoint',
    ]);
    expect(log.openReport.swap.action).toBe('rolled-back');
    expect(readAll(log).length).toBe(2);
  });
});

describe('recovery on real files (FsStorage)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-storage-test-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads back what it wrote after a clean reopen', () => {
    const storage = new FsStorage(path.join(root, 'clean'));
    const clock = new ManualClock(T0);
    const cfg = config({ 'segment.bytes': '1500' });
    let log = PartitionLog.open(storage, 'orders-0', cfg, clock);
    for (let i = 0; i < 40; i++) log.appendAsLeader(batchOf([rec(`k${i}`, `value ${i}`, T0 + i)]), { leaderEpoch: 1 });
    log.close();
    const files = fs.readdirSync(path.join(root, 'clean', 'orders-0'));
    expect(files).toContain('00000000000000000000.log');
    expect(files).toContain('00000000000000000000.index');
    expect(files).toContain('00000000000000000000.timeindex');
    expect(files).toContain('leader-epoch-checkpoint');
    log = PartitionLog.open(storage, 'orders-0', cfg, clock, { hadCleanShutdown: true });
    expect(log.logEndOffset).toBe(40);
    expect(log.numberOfSegments).toBeGreaterThan(1);
    expect(readAll(log).map((r) => text(r.value))).toEqual(Array.from({ length: 40 }, (_, i) => `value ${i}`));
    expect(log.leaderEpochCache.entries()).toEqual([{ epoch: 1, startOffset: 0 }]);
    log.close();
  });

  it('truncates a torn tail of a real segment file and rebuilds a deleted index', () => {
    const dir = path.join(root, 'torn');
    const storage = new FsStorage(dir);
    const clock = new ManualClock(T0);
    const cfg = config();
    let log = PartitionLog.open(storage, 'orders-0', cfg, clock);
    for (let i = 0; i < 10; i++) log.appendAsLeader(simpleBatch(5, `t${i}`), { leaderEpoch: 0 });
    log.close();
    const logFile = path.join(dir, 'orders-0', '00000000000000000000.log');
    const half = simpleBatch(5, 'torn');
    fs.appendFileSync(logFile, half.subarray(0, half.length - 7)); // a torn 11th batch
    fs.rmSync(path.join(dir, 'orders-0', '00000000000000000000.timeindex'));
    log = PartitionLog.open(storage, 'orders-0', cfg, clock, { recoveryPoint: 0 });
    expect(log.logEndOffset).toBe(50);
    expect(log.openReport.truncatedBytes).toBe(half.length - 7);
    expect(fs.statSync(logFile).size).toBe(log.sizeBytes);
    expect(fs.existsSync(path.join(dir, 'orders-0', '00000000000000000000.timeindex'))).toBe(true);
    expect(readAll(log).length).toBe(50);
    // Appends continue cleanly after the cut.
    expect(log.appendAsLeader(simpleBatch(1), { leaderEpoch: 0 }).baseOffset).toBe(50);
    log.close();
  });
});
