import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from '../../../engine/cluster/partitioner';
import { assignReplicas } from '../../../engine/cluster/assignment';
import { SeededRandom } from '../../../engine/util/random';

describe('murmur2 (Kafka default partitioner)', () => {
  // Reference values from Kafka's own partitioner tests (Utils.murmur2 of these ASCII strings).
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('murmur2(%j) = %d', (text, expected) => {
    expect(murmur2(Buffer.from(text, 'ascii'))).toBe(expected);
  });

  it('maps a key to a partition in range, the same one every time', () => {
    for (let n = 1; n < 20; n++) {
      const p = partitionForKey(Buffer.from('user-42'), n);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(n);
      expect(partitionForKey(Buffer.from('user-42'), n)).toBe(p);
    }
  });
});

describe('replica assignment', () => {
  it('spreads leaders evenly and never puts two replicas of a partition on one broker', () => {
    const a = assignReplicas([1, 2, 3], 6, 3, new SeededRandom(7));
    for (const r of a) expect(new Set(r).size).toBe(3);
    const leaders = a.map((r) => r[0]);
    for (const b of [1, 2, 3]) expect(leaders.filter((l) => l === b).length).toBe(2);
  });
});
