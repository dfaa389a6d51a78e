/**
 * The workbench's picture of a group, built from a coordinator's plain snapshot: consumer
 * protocol bytes decoded for "consumer" groups only, unparseable or absent bytes shown as
 * null, offsets without the fields the views do not show.
 */
import { describe, expect, it } from 'vitest';
import { encodeAssignment, encodeSubscription } from '../../../engine/cluster/group/consumer-protocol';
import type { GroupMemberSnapshot, GroupSnapshot } from '../../../engine/cluster/group/types';
import { groupView } from '../../../engine/groups/group-view';

function member(overrides: Partial<GroupMemberSnapshot> = {}): GroupMemberSnapshot {
  return {
    memberId: 'm-1',
    groupInstanceId: null,
    clientId: 'c',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    metadata: encodeSubscription({ version: 1, topics: ['b', 'a'] }),
    assignment: encodeAssignment({ assignedPartitions: [{ topic: 'a', partitions: [0, 2] }] }),
    ...overrides,
  };
}

function snapshot(overrides: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return {
    groupId: 'g',
    offsetsPartition: 7,
    state: 'Stable',
    protocolType: 'consumer',
    protocolName: 'range',
    generationId: 3,
    leaderId: 'm-1',
    members: [member()],
    offsets: [{ topic: 'a', partition: 0, offset: 5, leaderEpoch: 1, metadata: 'x', commitTimestamp: 1_000, expireTimestamp: -1 }],
    ...overrides,
  };
}

describe('groupView', () => {
  it('decodes a consumer group: subscribed topics and assigned partitions per member', () => {
    expect(groupView(snapshot())).toEqual({
      groupId: 'g',
      offsetsPartition: 7,
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'range',
      generationId: 3,
      leaderId: 'm-1',
      members: [
        {
          memberId: 'm-1',
          groupInstanceId: null,
          clientId: 'c',
          clientHost: '/127.0.0.1',
          sessionTimeoutMs: 10_000,
          rebalanceTimeoutMs: 30_000,
          subscribedTopics: ['a', 'b'],
          assignment: [{ topic: 'a', partitions: [0, 2] }],
        },
      ],
      offsets: [{ topic: 'a', partition: 0, offset: 5, leaderEpoch: 1, metadata: 'x', commitTimestamp: 1_000 }],
    });
  });

  it('leaves the bytes of other protocol types undecoded', () => {
    const [m] = groupView(snapshot({ protocolType: 'connect' })).members;
    expect([m.subscribedTopics, m.assignment]).toEqual([null, null]);
  });

  it('shows null for bytes that do not parse, for no metadata, and for an empty assignment', () => {
    const broken = groupView(snapshot({ members: [member({ metadata: Buffer.from([0xff]), assignment: Buffer.from([0x00, 0x00, 0x7f]) })] })).members[0];
    expect([broken.subscribedTopics, broken.assignment]).toEqual([null, null]);
    const none = groupView(snapshot({ members: [member({ metadata: null, assignment: Buffer.alloc(0) })] })).members[0];
    expect([none.subscribedTopics, none.assignment]).toEqual([null, null]);
  });

  it('an offsets-only group (no protocol type) has no members and keeps its offsets', () => {
    const view = groupView(snapshot({ state: 'Empty', protocolType: null, protocolName: null, generationId: 0, leaderId: null, members: [] }));
    expect(view).toMatchObject({ state: 'Empty', protocolType: null, protocol: null, members: [] });
    expect(view.offsets).toHaveLength(1);
  });
});
