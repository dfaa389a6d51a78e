import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { OffsetIndex } from '../../../engine/storage/offset-index';
import { TimeIndex } from '../../../engine/storage/time-index';
import { InvariantError } from '../../../engine/util/assert';

function offsetIndex(): OffsetIndex {
  // Segment base 1000; entries (1010, 0), (1020, 4100), (1030, 8200).
  const ix = new OffsetIndex(1000, 10 * 1024);
  ix.append(1010, 0);
  ix.append(1020, 4100);
  ix.append(1030, 8200);
  return ix;
}

describe('OffsetIndex', () => {
  it('returns the segment start when empty', () => {
    expect(new OffsetIndex(500, 1024).lookup(700)).toEqual({ offset: 500, position: 0 });
  });

  it('finds the largest entry <= target at every boundary', () => {
    const ix = offsetIndex();
    expect(ix.lookup(1000)).toEqual({ offset: 1000, position: 0 }); // before the first entry
    expect(ix.lookup(1010)).toEqual({ offset: 1010, position: 0 }); // first entry, exact
    expect(ix.lookup(1015)).toEqual({ offset: 1010, position: 0 }); // between entries
    expect(ix.lookup(1020)).toEqual({ offset: 1020, position: 4100 }); // exact hit
    expect(ix.lookup(1029)).toEqual({ offset: 1020, position: 4100 });
    expect(ix.lookup(1030)).toEqual({ offset: 1030, position: 8200 }); // last entry
    expect(ix.lookup(999_999)).toEqual({ offset: 1030, position: 8200 }); // past the last
  });

  it('refuses out-of-order entries and offsets beyond an int32 of the base', () => {
    const ix = offsetIndex();
    expect(() => ix.append(1030, 9000)).toThrow(InvariantError);
    expect(() => ix.append(1040, 8200)).toThrow(InvariantError);
    expect(ix.canAppendOffset(1000 + 0x7fffffff)).toBe(true);
    expect(ix.canAppendOffset(1000 + 0x80000000)).toBe(false);
    expect(ix.canAppendOffset(999)).toBe(false);
  });

  it('is full at segment.index.bytes / 8 entries', () => {
    const ix = new OffsetIndex(0, 24);
    ix.append(1, 10);
    ix.append(2, 20);
    expect(ix.isFull).toBe(false);
    ix.append(3, 30);
    expect(ix.isFull).toBe(true);
    expect(() => ix.append(4, 40)).toThrow(InvariantError);
  });

  it('truncates entries at an offset or a position', () => {
    const a = offsetIndex();
    a.truncateTo(1020);
    expect(a.entries).toBe(1);
    expect(a.lookup(5000)).toEqual({ offset: 1010, position: 0 });
    const b = offsetIndex();
    b.truncateToPosition(8200);
    expect(b.entries).toBe(2);
  });

  it('writes Kafka\'s 8-byte big-endian entries and parses them back', () => {
    const storage = new MemoryStorage();
    const ix = offsetIndex();
    ix.attach(storage, 'x.index', 0);
    ix.flush(true);
    const bytes = storage.snapshot('x.index');
    expect(bytes.toString('hex')).toBe('0000000a00000000' + '0000001400001004' + '0000001e00002008');
    const parsed = OffsetIndex.parse(bytes, 1000, 1024, 10_000);
    expect(parsed).toBeInstanceOf(OffsetIndex);
    expect((parsed as OffsetIndex).lookup(1025)).toEqual({ offset: 1020, position: 4100 });
    // Appends after a flush write only the new entries; truncation shrinks the file.
    ix.append(1040, 9000);
    ix.flush(false);
    expect(storage.size('x.index')).toBe(32);
    ix.truncateTo(1020);
    expect(storage.size('x.index')).toBe(8);
  });

  it('rejects index files that cannot be trusted', () => {
    const good = Buffer.from('0000000a00000000' + '0000001400001004', 'hex');
    expect(OffsetIndex.parse(good.subarray(0, 12), 1000, 1024, 10_000)).toMatch(/multiple of 8/);
    expect(OffsetIndex.parse(Buffer.from('000000140000100400000000a0000000', 'hex'), 1000, 1024, 10_000)).toMatch(/not above/);
    expect(OffsetIndex.parse(good, 1000, 1024, 4000)).toMatch(/past the log/);
  });
});

describe('TimeIndex', () => {
  function timeIndex(): TimeIndex {
    const ix = new TimeIndex(100, 1200);
    ix.maybeAppend(5000, 110);
    ix.maybeAppend(6000, 120);
    ix.maybeAppend(7000, 130);
    return ix;
  }

  it('appends only when the timestamp grows', () => {
    const ix = timeIndex();
    ix.maybeAppend(7000, 140);
    ix.maybeAppend(6500, 150);
    expect(ix.entries).toBe(3);
    ix.maybeAppend(7001, 150);
    expect(ix.lastEntry()).toEqual({ timestampMs: 7001, offset: 150 });
    expect(new TimeIndex(0, 1200).lastEntry()).toEqual({ timestampMs: -1, offset: 0 });
  });

  it('finds the largest entry <= target at every boundary', () => {
    const ix = timeIndex();
    expect(ix.lookup(4999)).toEqual({ timestampMs: -1, offset: 100 });
    expect(ix.lookup(5000)).toEqual({ timestampMs: 5000, offset: 110 });
    expect(ix.lookup(5500)).toEqual({ timestampMs: 5000, offset: 110 });
    expect(ix.lookup(7000)).toEqual({ timestampMs: 7000, offset: 130 });
    expect(ix.lookup(1e15)).toEqual({ timestampMs: 7000, offset: 130 });
  });

  it('truncates entries naming offsets at or above a cut', () => {
    const ix = timeIndex();
    ix.truncateTo(120);
    expect(ix.lastEntry()).toEqual({ timestampMs: 5000, offset: 110 });
  });

  it('writes Kafka\'s 12-byte entries and rejects inconsistent files', () => {
    const storage = new MemoryStorage();
    const ix = timeIndex();
    ix.attach(storage, 'x.timeindex', 0);
    ix.flush(true);
    const bytes = storage.snapshot('x.timeindex');
    expect(bytes.subarray(0, 12).toString('hex')).toBe('0000000000001388' + '0000000a');
    expect(TimeIndex.parse(bytes, 100, 1200, 131)).toBeInstanceOf(TimeIndex);
    expect(TimeIndex.parse(bytes, 100, 1200, 125)).toMatch(/past the segment's end/);
    expect(TimeIndex.parse(bytes.subarray(0, 20), 100, 1200, 131)).toMatch(/multiple of 12/);
    const swapped = Buffer.concat([bytes.subarray(12, 24), bytes.subarray(0, 12)]);
    expect(TimeIndex.parse(swapped, 100, 1200, 131)).toMatch(/not above/);
  });
});
