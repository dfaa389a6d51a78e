/**
 * The records the coordinator appends to `__consumer_offsets`, and the group rebuilt from
 * them when a partition loads: what is written is what comes back.
 */
import { describe, expect, it } from 'vitest';
import { encodeSubscription } from '../../../engine/cluster/group/consumer-protocol';
import { GroupMetadata, MemberMetadata } from '../../../engine/cluster/group/group';
import {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsTopicKey,
  encodeGroupMetadataValue,
  type GroupMetadataValue,
} from '../../../engine/cluster/group/offsets-topic-format';
import { groupMetadataRecord, groupMetadataTombstone, loadGroup, offsetCommitRecord, offsetCommitTombstone } from '../../../engine/cluster/group/offsets-topic-records';
import { InvariantError } from '../../../engine/util/assert';

const NOW = 1_700_000_000_000;
const sub = (topics: string[]): Buffer => encodeSubscription({ version: 1, topics });

function stableLookingGroup(): GroupMetadata {
  const g = new GroupMetadata('g', 'Empty', NOW - 5_000);
  g.add(new MemberMetadata('m-a', null, 'client-a', '/127.0.0.1', 45_000, 12_000, 'consumer', [{ name: 'roundrobin', metadata: sub(['x']) }, { name: 'range', metadata: sub(['t']) }]), null);
  g.add(new MemberMetadata('m-b', 'instance-b', 'client-b', '/10.0.0.2', 30_000, 10_000, 'consumer', [{ name: 'range', metadata: sub(['t', 'u']) }]), null);
  g.generationId = 4;
  g.protocolName = 'range';
  g.leaderId = 'm-b';
  return g;
}

describe('writing', () => {
  it("a generation's record: GroupMetadataValue v3 with each member's metadata for the chosen protocol and its assignment", () => {
    const g = stableLookingGroup();
    const record = groupMetadataRecord(g, new Map([['m-a', Buffer.from('A')], ['m-b', Buffer.from('B')]]));
    expect(decodeOffsetsTopicKey(record.key)).toEqual({ kind: 'group', version: 2, group: 'g' });
    expect(decodeGroupMetadataValue(record.value!)).toEqual({
      version: 3,
      protocolType: 'consumer',
      generation: 4,
      protocol: 'range',
      leader: 'm-b',
      currentStateTimestamp: NOW - 5_000,
      members: [
        { memberId: 'm-a', groupInstanceId: null, clientId: 'client-a', clientHost: '/127.0.0.1', rebalanceTimeout: 45_000, sessionTimeout: 12_000, subscription: sub(['t']), assignment: Buffer.from('A') },
        { memberId: 'm-b', groupInstanceId: 'instance-b', clientId: 'client-b', clientHost: '/10.0.0.2', rebalanceTimeout: 30_000, sessionTimeout: 10_000, subscription: sub(['t', 'u']), assignment: Buffer.from('B') },
      ],
    } satisfies GroupMetadataValue);
  });

  it('an emptied group is written with no protocol type left as "" and no members', () => {
    const g = new GroupMetadata('g', 'Empty', NOW);
    g.generationId = 2;
    expect(decodeGroupMetadataValue(groupMetadataRecord(g, new Map()).value!)).toMatchObject({ protocolType: '', generation: 2, protocol: null, leader: null, members: [] });
  });

  it('refuses to write a member without an assignment', () => {
    expect(() => groupMetadataRecord(stableLookingGroup(), new Map([['m-a', Buffer.from('A')]]))).toThrow(InvariantError);
  });

  it('offset commits: OffsetCommitValue v3, or v1 when the commit carries its own expiry; tombstones', () => {
    const plain = offsetCommitRecord('g', 't', 3, { offset: 42, leaderEpoch: 7, metadata: 'm', commitTimestamp: NOW, expireTimestamp: -1 });
    expect(decodeOffsetsTopicKey(plain.key)).toEqual({ kind: 'offset', version: 1, group: 'g', topic: 't', partition: 3 });
    expect(decodeOffsetCommitValue(plain.value!)).toEqual({ version: 3, offset: 42, leaderEpoch: 7, metadata: 'm', commitTimestamp: NOW, expireTimestamp: -1 });
    const expiring = offsetCommitRecord('g', 't', 3, { offset: 42, leaderEpoch: -1, metadata: '', commitTimestamp: NOW, expireTimestamp: NOW + 60_000 });
    expect(decodeOffsetCommitValue(expiring.value!)).toEqual({ version: 1, offset: 42, leaderEpoch: -1, metadata: '', commitTimestamp: NOW, expireTimestamp: NOW + 60_000 });
    expect(offsetCommitTombstone('g', 't', 3)).toEqual({ key: plain.key, value: null });
    expect(groupMetadataTombstone('g')).toEqual({ key: groupMetadataRecord(stableLookingGroup(), new Map([['m-a', Buffer.from('A')], ['m-b', Buffer.from('B')]])).key, value: null });
  });
});

describe('loading', () => {
  it('a written generation loads back as the same Stable group, with its offsets', () => {
    const written = stableLookingGroup();
    const record = groupMetadataRecord(written, new Map([['m-a', Buffer.from('A')], ['m-b', Buffer.from('B')]]));
    const offset = { offset: 9, leaderEpoch: 1, metadata: '', commitTimestamp: NOW - 1_000, expireTimestamp: -1 };
    const g = loadGroup('g', { metadata: decodeGroupMetadataValue(record.value!), offsets: [{ topic: 't', partition: 0, value: offset }] }, NOW);
    expect([g.state, g.generationId, g.protocolType, g.protocolName, g.leaderId, g.currentStateTimestamp]).toEqual(['Stable', 4, 'consumer', 'range', 'm-b', NOW - 5_000]);
    expect(g.allMembers().map((m) => [m.memberId, m.groupInstanceId, m.clientId, m.clientHost, m.rebalanceTimeoutMs, m.sessionTimeoutMs, m.metadata('range'), m.assignment])).toEqual([
      ['m-a', null, 'client-a', '/127.0.0.1', 45_000, 12_000, sub(['t']), Buffer.from('A')],
      ['m-b', 'instance-b', 'client-b', '/10.0.0.2', 30_000, 10_000, sub(['t', 'u']), Buffer.from('B')],
    ]);
    expect(g.currentStaticMemberId('instance-b')).toBe('m-b');
    expect([...g.subscribedTopics!].sort()).toEqual(['t', 'u']);
    expect(g.offsets.all()).toEqual([{ topic: 't', partition: 0, value: offset }]);
  });

  it('offsets without a metadata record load as an Empty group of generation 0', () => {
    const g = loadGroup('g', { metadata: null, offsets: [{ topic: 't', partition: 1, value: { offset: 2, leaderEpoch: -1, metadata: '', commitTimestamp: NOW, expireTimestamp: -1 } }] }, NOW);
    expect([g.state, g.generationId, g.protocolType, g.size, g.offsets.size, g.currentStateTimestamp]).toEqual(['Empty', 0, null, 0, 1, NOW]);
  });

  it('skips repeated member ids and instance ids; a leader that is not a member gives way to the first member', () => {
    const member = (memberId: string, groupInstanceId: string | null) => ({
      memberId,
      groupInstanceId,
      clientId: 'c',
      clientHost: '/127.0.0.1',
      rebalanceTimeout: 30_000,
      sessionTimeout: 10_000,
      subscription: sub(['t']),
      assignment: Buffer.alloc(0),
    });
    const value = decodeGroupMetadataValue(
      encodeGroupMetadataValue({
        version: 3,
        protocolType: 'consumer',
        generation: 2,
        protocol: 'range',
        leader: 'gone',
        currentStateTimestamp: -1,
        members: [member('m-1', 'i-1'), member('m-1', null), member('m-2', 'i-1'), member('m-3', null)],
      }),
    );
    const g = loadGroup('g', { metadata: value, offsets: [] }, NOW);
    expect(g.allMembers().map((m) => m.memberId)).toEqual(['m-1', 'm-3']);
    expect([g.leaderId, g.currentStateTimestamp]).toEqual(['m-1', null]);
  });
});
