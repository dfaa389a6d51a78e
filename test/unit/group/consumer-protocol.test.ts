/**
 * Consumer protocol golden bytes (derived by hand from ConsumerProtocolSubscription.json
 * and ConsumerProtocolAssignment.json). The assignors' tests are in test/unit/client.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  groupByTopic,
  type TopicPartition,
} from '../../../engine/cluster/group/consumer-protocol';
import { GroupFormatError } from '../../../engine/cluster/group/versioned-format';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const tp = (s: string): TopicPartition => {
  const m = /^(\w+?)p(\d+)$/.exec(s)!;
  return { topic: m[1], partition: Number(m[2]) };
};

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
