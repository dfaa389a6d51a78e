/**
 * A full disk (ENOSPC) in the middle of each kind of write the log makes: a batch, an
 * index entry, a checkpoint. What was written before the failure is never cut or
 * rewritten, the half-written bytes never become part of the log, and a reopen
 * (the broker's restart) serves exactly the batches appended before the failure.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../engine/storage/errors';
import { FsStorage } from '../../../engine/storage/fs-storage';
import { LogManager } from '../../../engine/storage/log-manager';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { isOutOfSpace, readWholeFile, StorageIOError, writeFileAtomic } from '../../../engine/storage/storage';
import { ManualClock } from '../../../engine/util/clock';
import { SeededRandom } from '../../../engine/util/random';
import { memoryLog, readAll, simpleBatch, T0, text } from './helpers';

function values(log: Parameters<typeof readAll>[0]): string[] {
  return readAll(log).map((r) => `${r.offset}:${text(r.value)}`);
}

describe('the in-memory disk with a space limit', () => {
  it('writes what fits, then throws ENOSPC; removing a file frees its bytes', () => {
    const s = new MemoryStorage();
    const h = s.open('a', { create: true });
    h.append(Buffer.alloc(100, 1));
    s.limitSpace(150);
    expect(s.diskSpace()).toEqual({ freeBytes: 50, totalBytes: 150 });
    let err: unknown;
    try {
      h.append(Buffer.alloc(80, 2));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StorageIOError);
    expect((err as StorageIOError).errno).toBe('ENOSPC');
    expect((err as StorageIOError).path).toBe('a');
    expect(isOutOfSpace(err)).toBe(true);
    expect(h.size()).toBe(150); // the short write landed, as on a real disk
    expect(s.diskSpace()?.freeBytes).toBe(0);
    // Overwriting inside the file needs no space.
    h.write(0, Buffer.alloc(10, 3));
    s.remove('a');
    expect(s.diskSpace()?.freeBytes).toBe(150);
    s.clearFaults();
    expect(s.diskSpace()).toBeNull();
  });
});

describe('ENOSPC in the log', () => {
  it('in the middle of a batch: earlier batches stay, the torn bytes never become records, a reopen serves exactly what was appended', () => {
    const fx = memoryLog();
    fx.log.appendAsLeader(simpleBatch(3, 'a'), { leaderEpoch: 0 });
    fx.log.appendAsLeader(simpleBatch(2, 'b'), { leaderEpoch: 0 });
    const before = fx.storage.snapshot('topic-0/00000000000000000000.log');
    fx.storage.limitSpace(fx.storage.bytesUsed + 30); // less than the next batch
    let err: unknown;
    try {
      fx.log.appendAsLeader(simpleBatch(4, 'c'), { leaderEpoch: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).errorName).toBe('KAFKA_STORAGE_ERROR');
    expect(fx.log.isOffline).toBe(true);
    expect(fx.log.logEndOffset).toBe(5); // the LEO never passed bytes that were not written
    // What was there before is untouched; the short write was cut off again.
    expect(fx.storage.snapshot('topic-0/00000000000000000000.log').equals(before)).toBe(true);
    // The broker restarts after space was freed: recovery, then the same five records.
    fx.storage.clearFaults();
    const log = fx.reopen({ recoveryPoint: 0 });
    expect(values(log)).toEqual(['0:a-v0', '1:a-v1', '2:a-v2', '3:b-v0', '4:b-v1']);
    expect(log.appendAsLeader(simpleBatch(1, 'd'), { leaderEpoch: 1 }).baseOffset).toBe(5);
  });

  it('as a follower, in the second of two replicated batches: the LEO stops after the first (what a fetch then acknowledges is on disk)', () => {
    const leader = memoryLog({}, 'leader-0');
    leader.log.appendAsLeader(simpleBatch(2, 'a'), { leaderEpoch: 0 });
    leader.log.appendAsLeader(simpleBatch(200, 'b'), { leaderEpoch: 0 });
    const fetched = leader.log.read(0, 1 << 20).batches;
    const firstSize = fetched.readInt32BE(8) + 12;
    const follower = memoryLog();
    follower.storage.limitSpace(follower.storage.bytesUsed + firstSize + 10);
    expect(() => follower.log.appendAsFollower(fetched)).toThrow(StorageError);
    expect(follower.log.logEndOffset).toBe(2);
    follower.storage.clearFaults();
    expect(values(follower.reopen({ recoveryPoint: 0 }))).toEqual(['0:a-v0', '1:a-v1']);
  });

  it('in an index entry written at a roll: no record is lost, the reopened log rebuilds its index', () => {
    const fx = memoryLog({ 'segment.bytes': '1200', 'index.interval.bytes': '1' });
    let n = 0;
    while (fx.log.numberOfSegments === 1) fx.log.appendAsLeader(simpleBatch(2, `r${n++}`), { leaderEpoch: 0 });
    const appended = values(fx.log);
    // Leave room for nothing: the next roll must write the old segment's indexes and a new segment.
    fx.storage.limitSpace(fx.storage.bytesUsed);
    let failed = false;
    for (let i = 0; i < 50 && !failed; i++) {
      try {
        fx.log.appendAsLeader(simpleBatch(2, `x${i}`), { leaderEpoch: 0 });
        appended.push(...values(fx.log).slice(appended.length));
      } catch (e) {
        expect((e as StorageError).errorName).toBe('KAFKA_STORAGE_ERROR');
        failed = true;
      }
    }
    expect(failed).toBe(true);
    fx.storage.clearFaults();
    const log = fx.reopen({ recoveryPoint: 0 });
    expect(values(log)).toEqual(appended);
  });

  it('in a checkpoint write: the previous checkpoint survives whole', () => {
    const s = new MemoryStorage();
    writeFileAtomic(s, 'recovery-point-offset-checkpoint', Buffer.from('0\n1\norders 0 42\n'));
    s.limitSpace(s.bytesUsed + 5);
    expect(() => writeFileAtomic(s, 'recovery-point-offset-checkpoint', Buffer.from('0\n2\norders 0 50\norders 1 7\n'))).toThrow(StorageIOError);
    expect(readWholeFile(s, 'recovery-point-offset-checkpoint').toString()).toBe('0\n1\norders 0 42\n');
  });

  it('in a broker checkpoint of the log manager: the logs and their records are untouched', () => {
    const s = new MemoryStorage();
    const clock = new ManualClock(T0);
    const mgr = LogManager.open(s, '', clock, { clusterId: 'c', nodeId: 1, random: new SeededRandom(1) });
    const log = mgr.getOrCreateLog('orders', 0);
    log.appendAsLeader(simpleBatch(3, 'a'), { leaderEpoch: 0 });
    s.limitSpace(s.bytesUsed);
    expect(() => mgr.writeHighWatermarks([{ topic: 'orders', partition: 0, highWatermark: 3 }])).toThrow();
    expect(values(log)).toEqual(['0:a-v0', '1:a-v1', '2:a-v2']);
  });
});

describe('real files', () => {
  it('report the errno and the path of a failed call', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-fs-'));
    try {
      const s = new FsStorage(dir);
      let err: unknown;
      try {
        s.open('missing/file.log');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StorageIOError);
      expect((err as StorageIOError).errno).toBe('ENOENT');
      expect((err as StorageIOError).path).toBe('missing/file.log');
      const space = s.diskSpace();
      expect(space).not.toBeNull();
      expect(space!.totalBytes).toBeGreaterThan(0);
      expect(space!.freeBytes).toBeLessThanOrEqual(space!.totalBytes);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
