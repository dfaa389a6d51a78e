/**
 * The client-side assignors against the results of Kafka's RangeAssignor and
 * RoundRobinAssignor for the examples in their class comments and tests.
 */
import { describe, expect, it } from 'vitest';
import { rangeAssign, roundRobinAssign } from '../../../engine/client/assignors';
import type { TopicPartition } from '../../../engine/cluster/group/consumer-protocol';

const asObject = (m: Map<string, TopicPartition[]>): Record<string, string[]> =>
  Object.fromEntries([...m].map(([k, v]) => [k, v.map((x) => `${x.topic}p${x.partition}`)]));

describe('rangeAssign', () => {
  it("Kafka's example: two consumers, two topics of three partitions", () => {
    const result = rangeAssign({ t0: 3, t1: 3 }, [
      { memberId: 'C1', topics: ['t0', 't1'] },
      { memberId: 'C0', topics: ['t0', 't1'] },
    ]);
    expect(asObject(result)).toEqual({ C1: ['t0p2', 't1p2'], C0: ['t0p0', 't0p1', 't1p0', 't1p1'] });
  });

  it('splits each topic separately and gives members without subscribers nothing', () => {
    const result = rangeAssign(new Map([['t0', 5], ['t1', 2], ['gone', 0]]), [
      { memberId: 'a', topics: ['t0'] },
      { memberId: 'b', topics: ['t0', 't1'] },
      { memberId: 'c', topics: ['t0', 'unknown'] },
      { memberId: 'd', topics: [] },
    ]);
    expect(asObject(result)).toEqual({ a: ['t0p0', 't0p1'], b: ['t0p2', 't0p3', 't1p0', 't1p1'], c: ['t0p4'], d: [] });
  });

  it('orders static members by group.instance.id, before dynamic ones', () => {
    const result = rangeAssign({ t: 4 }, [
      { memberId: 'aaa', topics: ['t'] },
      { memberId: 'zzz', groupInstanceId: 'i2', topics: ['t'] },
      { memberId: 'yyy', groupInstanceId: 'i1', topics: ['t'] },
    ]);
    expect(asObject(result)).toEqual({ aaa: ['tp3'], zzz: ['tp2'], yyy: ['tp0', 'tp1'] });
  });

  it('more consumers than partitions leaves the last ones empty', () => {
    const result = rangeAssign({ t: 2 }, ['m1', 'm2', 'm3'].map((memberId) => ({ memberId, topics: ['t'] })));
    expect(asObject(result)).toEqual({ m1: ['tp0'], m2: ['tp1'], m3: [] });
  });
});

describe('roundRobinAssign', () => {
  it("Kafka's example: two consumers, two topics of three partitions", () => {
    const result = roundRobinAssign({ t0: 3, t1: 3 }, [
      { memberId: 'C0', topics: ['t0', 't1'] },
      { memberId: 'C1', topics: ['t1', 't0'] },
    ]);
    expect(asObject(result)).toEqual({ C0: ['t0p0', 't0p2', 't1p1'], C1: ['t0p1', 't1p0', 't1p2'] });
  });

  it("Kafka's example with differing subscriptions", () => {
    const result = roundRobinAssign({ t0: 1, t1: 2, t2: 3 }, [
      { memberId: 'C0', topics: ['t0'] },
      { memberId: 'C1', topics: ['t0', 't1'] },
      { memberId: 'C2', topics: ['t0', 't1', 't2'] },
    ]);
    expect(asObject(result)).toEqual({ C0: ['t0p0'], C1: ['t1p0'], C2: ['t1p1', 't2p0', 't2p1', 't2p2'] });
  });

  it('three consumers, two topics: one partition of each per consumer', () => {
    const result = roundRobinAssign({ t0: 3, t1: 3 }, ['C2', 'C0', 'C1'].map((memberId) => ({ memberId, topics: ['t0', 't1'] })));
    expect(asObject(result)).toEqual({ C2: ['t0p2', 't1p2'], C0: ['t0p0', 't1p0'], C1: ['t0p1', 't1p1'] });
  });

  it('skips topics without metadata and handles no members', () => {
    expect(asObject(roundRobinAssign({ t: 2 }, [{ memberId: 'a', topics: ['t', 'x'] }]))).toEqual({ a: ['tp0', 'tp1'] });
    expect(roundRobinAssign({ t: 2 }, []).size).toBe(0);
  });
});
