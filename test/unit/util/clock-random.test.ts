import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/util/clock';
import { SeededRandom } from '../../../engine/util/random';

describe('ManualClock', () => {
  it('fires timers in due order, same-instant timers in creation order, and skips cancelled ones', () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.setTimer(50, () => fired.push('b'));
    clock.setTimer(10, () => fired.push('a'));
    const c = clock.setTimer(10, () => fired.push('cancelled'));
    clock.setTimer(50, () => fired.push('c'));
    c.cancel();
    clock.advance(49);
    expect(fired).toEqual(['a']);
    expect(clock.nowMs()).toBe(1049);
    clock.advance(1);
    expect(fired).toEqual(['a', 'b', 'c']);
  });

  it('lets a timer schedule another timer that fires within the same advance', () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    clock.setTimer(5, () => {
      at.push(clock.nowMs());
      clock.setTimer(5, () => at.push(clock.nowMs()));
    });
    clock.advance(20);
    expect(at).toEqual([5, 10]);
  });
});

describe('SeededRandom', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const sa = Array.from({ length: 20 }, () => a.int(1000));
    const sb = Array.from({ length: 20 }, () => b.int(1000));
    const sc = Array.from({ length: 20 }, () => c.int(1000));
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const v of sa) expect(v >= 0 && v < 1000).toBe(true);
  });
});
