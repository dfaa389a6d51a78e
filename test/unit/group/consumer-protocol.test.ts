/**
 * Consumer protocol golden bytes (derived by hand from ConsumerProtocolSubscription.json
 * and ConsumerProtocolAssignment.json) and the results of Kafka's RangeAssignor and
 * RoundRobinAssignor for the examples in their class comments and tests.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  groupByTopic,
  rangeAssign,
  roundRobinAssign,
  type TopicPartition,
} from '../../../engine/cluster/group/consumer-protocol';
import { GroupFormatError } from '../../../engine/cluster/group/versioned-format';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const tp = (s: string): TopicPartition => {
  const m = /^(\w+?)p(\d+)$/.exec(s)!;
  return { topic: m[1], partition: Number(m[2]) };
};
const asObject = (m: Map<string, TopicPartition[]>): Record<string, string[]> =>
  Object.fromEntries([...m].map(([k, v]) => [k, v.map((x) => `${x.topic}p${x.partition}`)]));

describe('Subscription', () => {
  it('v0: sorted topics and null user data', () => {
    const bytes = encodeSubscription({ version: 0, topics: ['b', 'a'] });
    expect(bytes).toEqual(hex('0000 00000002 0001 61 0001 62 ffffffff'));
    expect(decodeSubscription(bytes)).toEqual({ version: 0, topics: ['a', 'b'], userData: null, ownedPartitions: [], generationId: -1, rackId: null });
  });

  it('v3: owned partitions sorted, generation id and rack id', () => {
    const bytes = encodeSubscription({
      version: 3,
      topics: ['a'],
      userData: null,
      ownedPartitions: [{ topic: 'a', partitions: [1, 0] }],
      generationId: 7,
      rackId: 'r1',
    });
    expect(bytes).toEqual(hex('0003 00000001 0001 61 ffffffff 00000001 0001 61 00000002 00000000 00000001 00000007 0002 7231'));
    expect(decodeSubscription(bytes)).toEqual({
      version: 3,
      topics: ['a'],
      userData: null,
      ownedPartitions: [{ topic: 'a', partitions: [0, 1] }],
      generationId: 7,
      rackId: 'r1',
    });
  });

  it('v1 with user data; v2 adds only the generation', () => {
    expect(encodeSubscription({ version: 1, topics: ['t'], userData: hex('01') })).toEqual(hex('0001 00000001 0001 74 00000001 01 00000000'));
    expect(encodeSubscription({ version: 2, topics: ['t'] })).toEqual(hex('0002 00000001 0001 74 ffffffff 00000000 ffffffff'));
  });

  it('reads a later version with the v3 schema and ignores trailing bytes', () => {
    const v3 = encodeSubscription({ version: 3, topics: ['a'], generationId: 2, rackId: null });
    const v9 = Buffer.concat([hex('0009'), v3.subarray(2), hex('deadbeef')]);
    expect(decodeSubscription(v9)).toMatchObject({ version: 3, topics: ['a'], generationId: 2, rackId: null });
  });

  it('refuses a truncated subscription', () => {
    expect(() => decodeSubscription(hex('0001 00000001 0001 61 ffffffff'))).toThrow(GroupFormatError);
    expect(() => decodeSubscription(hex('ffff 00000000 ffffffff'))).toThrow(GroupFormatError);
  });
});

describe('Assignment', () => {
  it('v0 golden bytes', () => {
    const bytes = encodeAssignment({ version: 0, assignedPartitions: [{ topic: 'a', partitions: [0, 2] }] });
    expect(bytes).toEqual(hex('0000 00000001 0001 61 00000002 00000000 00000002 ffffffff'));
    expect(decodeAssignment(bytes)).toEqual({ version: 0, assignedPartitions: [{ topic: 'a', partitions: [0, 2] }], userData: null });
  });

  it('v3 has the same layout with user data', () => {
    const bytes = encodeAssignment({ version: 3, assignedPartitions: [], userData: hex('abcd') });
    expect(bytes).toEqual(hex('0003 00000000 00000002 abcd'));
    expect(decodeAssignment(bytes)).toEqual({ version: 3, assignedPartitions: [], userData: hex('abcd') });
  });

  it('groups partitions by topic in order', () => {
    expect(groupByTopic(['bp1', 'ap2', 'bp0', 'ap0'].map(tp))).toEqual([
      { topic: 'a', partitions: [0, 2] },
      { topic: 'b', partitions: [0, 1] },
    ]);
  });
});

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
