import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { StorageIOError, writeFileAtomic, readWholeFile } from '../../../engine/storage/storage';
import { SeededRandom } from '../../../engine/util/random';

describe('MemoryStorage crash model', () => {
  it('keeps synced bytes and drops unsynced ones on crash', () => {
    const s = new MemoryStorage();
    s.mkdirp('d');
    const h = s.open('d/f', { create: true });
    h.append(Buffer.from('durable'));
    h.sync();
    h.append(Buffer.from('-lost'));
    expect(s.snapshot('d/f').toString()).toBe('durable-lost');
    s.crash();
    expect(s.snapshot('d/f').toString()).toBe('durable');
    expect(() => h.append(Buffer.from('x'))).toThrow(StorageIOError); // the old handle died
  });

  it('keeps a random prefix of the unsynced tail when given a Random (torn write)', () => {
    const lengths = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const s = new MemoryStorage();
      const h = s.open('f', { create: true });
      h.append(Buffer.from('abc'));
      h.sync();
      h.append(Buffer.from('0123456789'));
      s.crash(new SeededRandom(seed));
      const got = s.snapshot('f').toString();
      expect('abc0123456789'.startsWith(got)).toBe(true);
      expect(got.length).toBeGreaterThanOrEqual(3);
      lengths.add(got.length);
    }
    expect(lengths.size).toBeGreaterThan(3);
  });

  it('reverts in-place changes to the synced prefix (writes and truncations) on crash', () => {
    const s = new MemoryStorage();
    const h = s.open('f', { create: true });
    h.append(Buffer.from('hello world'));
    h.sync();
    h.write(0, Buffer.from('HELLO'));
    h.truncate(5);
    s.crash(new SeededRandom(1));
    expect(s.snapshot('f').toString()).toBe('hello world');
  });

  it('makes directory operations durable immediately', () => {
    const s = new MemoryStorage();
    s.mkdirp('a/b');
    s.open('a/b/new', { create: true }).append(Buffer.from('unsynced'));
    const h = s.open('a/b/old', { create: true });
    h.append(Buffer.from('x'));
    h.sync();
    s.rename('a/b/old', 'a/b/renamed');
    s.crash();
    expect(s.list('a/b')).toEqual(['new', 'renamed']);
    expect(s.size('a/b/new')).toBe(0);
    expect(s.snapshot('a/b/renamed').toString()).toBe('x');
  });

  it('writes files atomically through tmp + fsync + rename', () => {
    const s = new MemoryStorage();
    writeFileAtomic(s, 'cp', Buffer.from('v1'));
    writeFileAtomic(s, 'cp', Buffer.from('v2'));
    s.crash();
    expect(readWholeFile(s, 'cp').toString()).toBe('v2');
    expect(s.exists('cp.tmp')).toBe(false);
  });

  it('injects torn writes, read failures and crash points', () => {
    const s = new MemoryStorage();
    const h = s.open('f', { create: true });
    s.tearNextWrite('f', 3);
    expect(() => h.append(Buffer.from('abcdef'))).toThrow(/torn write/);
    expect(s.snapshot('f').toString()).toBe('abc');
    s.failReads('f');
    expect(() => h.read(0, 3)).toThrow(StorageIOError);
    s.clearFaults();
    expect(h.read(0, 3).toString()).toBe('abc');
    s.crashAfterOps(1);
    s.mkdirp('x'); // the one allowed operation
    expect(() => s.mkdirp('y')).toThrow(/simulated crash/);
    expect(s.isDown).toBe(true);
    expect(() => s.list('')).toThrow(StorageIOError);
    s.crash();
    expect(s.list('')).toEqual(['f', 'x']);
  });

  it('renames and removes directories recursively', () => {
    const s = new MemoryStorage();
    s.mkdirp('t-0/sub');
    s.open('t-0/a', { create: true });
    s.open('t-0/sub/b', { create: true });
    s.rename('t-0', 't-0.deadbeef-delete');
    expect(s.allFiles()).toEqual(['t-0.deadbeef-delete/a', 't-0.deadbeef-delete/sub/b']);
    s.removeDir('t-0.deadbeef-delete');
    expect(s.allFiles()).toEqual([]);
    expect(s.list('')).toEqual([]);
  });
});
