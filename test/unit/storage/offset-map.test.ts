import { describe, expect, it } from 'vitest';
import { OffsetMap } from '../../../engine/storage/offset-map';

const key = (s: string) => Buffer.from(s);

describe('OffsetMap (the cleaner\'s key -> latest offset map)', () => {
  it('returns the latest offset put for a key, -1 for unknown keys', () => {
    const m = new OffsetMap(16);
    m.put(key('a'), 0, 1, 5);
    m.put(key('b'), 0, 1, 6);
    m.put(key('a'), 0, 1, 9);
    expect(m.get(key('a'), 0, 1)).toBe(9);
    expect(m.get(key('b'), 0, 1)).toBe(6);
    expect(m.get(key('c'), 0, 1)).toBe(-1);
    expect(m.size).toBe(2);
    expect(m.latestOffset).toBe(9);
  });

  it('reads keys in place from a larger buffer and tells apart keys that share bytes', () => {
    const m = new OffsetMap(16);
    const buf = Buffer.from('xxuser-1yyuser-10zz');
    m.put(buf, 2, 6, 1); // user-1
    m.put(buf, 10, 7, 2); // user-10
    expect(m.get(key('user-1'), 0, 6)).toBe(1);
    expect(m.get(key('user-10'), 0, 7)).toBe(2);
    expect(m.get(key('user-100'), 0, 8)).toBe(-1);
    m.put(key(''), 0, 0, 3); // the empty key is a key
    expect(m.get(Buffer.alloc(0), 0, 0)).toBe(3);
  });

  it('grows past its initial capacity without losing entries', () => {
    const m = new OffsetMap(16);
    for (let i = 0; i < 50_000; i++) m.put(key(`k${i}`), 0, `k${i}`.length, i);
    for (let i = 0; i < 50_000; i += 2) m.put(key(`k${i}`), 0, `k${i}`.length, 100_000 + i);
    expect(m.size).toBe(50_000);
    for (let i = 0; i < 50_000; i++) expect(m.get(key(`k${i}`), 0, `k${i}`.length)).toBe(i % 2 === 0 ? 100_000 + i : i);
    expect(m.get(key('k50000'), 0, 6)).toBe(-1);
  });
});
