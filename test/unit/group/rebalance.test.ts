/**
 * The classic rebalance protocol: JoinGroup (with KIP-394's MEMBER_ID_REQUIRED), the
 * initial delay, SyncGroup, heartbeats, session expiry, LeaveGroup, and the errors a
 * client gets when it is out of step.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../engine/protocol/errors';
import { decodeAssignment } from '../../../engine/cluster/group/consumer-protocol';
import type { GroupMetadataValue } from '../../../engine/cluster/group/offsets-topic-format';
import type { JoinGroupResponse, LeaveGroupResponse } from '../../../engine/cluster/group/types';
import {
  GROUP,
  P,
  Responses,
  assignmentFor,
  groupOnPartition,
  heartbeat,
  joinNew,
  joinRequest,
  leaderAssignments,
  rejoin,
  setup,
  stableGroup,
  subscription,
  sync,
  type Setup,
} from './harness';

let current: Setup | null = null;
function fresh(...args: Parameters<typeof setup>): Setup {
  current = setup(...args);
  return current;
}
afterEach(() => {
  current?.coord.checkInvariants();
  current = null;
});

describe('one member', () => {
  it('MEMBER_ID_REQUIRED, initial delay, leader of generation 1, sync, Stable, heartbeats', () => {
    const s = fresh();
    const first = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ clientId: 'c1' }), first.cb);
    expect(first.only.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.only.memberId).toMatch(/^c1-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const memberId = first.only.memberId;

    const join = rejoin(s.coord, memberId, { clientId: 'c1' });
    expect(join.answered).toBe(false);
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
    s.clock.advance(2_999);
    expect(join.answered).toBe(false); // the initial rebalance delay holds even though everyone joined
    s.clock.advance(1);
    expect(join.only).toMatchObject({ errorCode: 0, generationId: 1, protocolType: 'consumer', protocolName: 'range', leader: memberId, memberId });
    expect(join.only.members).toEqual([{ memberId, groupInstanceId: null, metadata: subscription(['t']) }]);
    expect(s.coord.groupState(GROUP)).toBe('CompletingRebalance');

    const appendsBefore = s.log.appends;
    const syncR = sync(s.coord, memberId, 1, leaderAssignments(join.only));
    expect(syncR.only.errorCode).toBe(0);
    expect(assignmentFor(syncR.only.assignment)).toEqual(['t-0']);
    expect(syncR.only).toMatchObject({ protocolType: 'consumer', protocolName: 'range' });
    expect(s.coord.groupState(GROUP)).toBe('Stable');

    // The group was persisted on sync: one GroupMetadataValue with the member and its assignment.
    expect(s.log.appends).toBe(appendsBefore + 1);
    const last = s.log.decoded(P).at(-1)!;
    expect(last.key).toEqual({ kind: 'group', version: 2, group: GROUP });
    const value = last.value as GroupMetadataValue;
    expect(value).toMatchObject({ version: 3, protocolType: 'consumer', generation: 1, protocol: 'range', leader: memberId });
    expect(value.members).toHaveLength(1);
    expect(value.members[0]).toMatchObject({ memberId, clientId: 'c1', clientHost: '/127.0.0.1', sessionTimeout: 10_000, rebalanceTimeout: 30_000 });
    expect(assignmentFor(value.members[0].assignment)).toEqual(['t-0']);

    // Heartbeats keep the member alive well past its session timeout.
    for (let i = 0; i < 10; i++) {
      s.clock.advance(3_000);
      expect(heartbeat(s.coord, memberId, 1)).toBe(0);
    }
    expect(s.coord.groupState(GROUP)).toBe('Stable');
  });

  it('a JoinGroup v0-v3 client (no MEMBER_ID_REQUIRED) is admitted at once; v0 has no rebalance timeout', () => {
    const s = fresh();
    const join = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ clientId: 'old', requireKnownMemberId: false, rebalanceTimeoutMs: -1 }), join.cb);
    expect(join.answered).toBe(false);
    s.clock.advance(3_000);
    expect(join.only).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(join.only.memberId).toMatch(/^old-/);
    expect(s.coord.groupSnapshots()[0].members[0]).toMatchObject({ sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000 });
  });

  it('a lost JoinGroup answer is repeated for the same metadata while the leader assigns', () => {
    const s = fresh();
    const { memberId, join } = joinNew(s.coord, 'c1');
    s.clock.advance(3_000);
    expect(join.only.generationId).toBe(1);
    const again = rejoin(s.coord, memberId);
    expect(again.only).toMatchObject({ errorCode: 0, generationId: 1, leader: memberId });
    expect(again.only.members).toHaveLength(1);
  });
});

describe('two and three members', () => {
  it('members joining during the initial delay extend it; one generation with a leader and a follower', () => {
    const s = fresh();
    const a = joinNew(s.coord, 'a');
    s.clock.advance(1_000);
    const b = joinNew(s.coord, 'b');
    s.clock.advance(2_000); // t=3000: the first delay ends, but a member arrived: wait another 3000
    expect(a.join.answered).toBe(false);
    s.clock.advance(2_999);
    expect(a.join.answered).toBe(false);
    s.clock.advance(1); // t=6000
    const ja = a.join.only;
    const jb = b.join.only;
    expect(ja).toMatchObject({ errorCode: 0, generationId: 1, leader: a.memberId, memberId: a.memberId });
    expect(jb).toMatchObject({ errorCode: 0, generationId: 1, leader: a.memberId, memberId: b.memberId, members: [] });
    expect(ja.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId]);

    // The follower's SyncGroup waits for the leader's.
    const sb = sync(s.coord, b.memberId, 1);
    expect(sb.answered).toBe(false);
    expect(heartbeat(s.coord, b.memberId, 1)).toBe(0); // heartbeats are fine while the leader assigns
    const sa = sync(s.coord, a.memberId, 1, leaderAssignments(ja));
    expect(assignmentFor(sa.only.assignment)).toEqual(['t-0']);
    expect(assignmentFor(sb.only.assignment)).toEqual(['t-1']);
    expect(s.coord.groupState(GROUP)).toBe('Stable');
  });

  it('the initial delay extends in steps but never runs past the rebalance timeout', () => {
    const s = fresh();
    const opts = { rebalanceTimeoutMs: 7_000 };
    // t=0: delay 3000, then at most 7000 - 3000 = 4000 more.
    const joins = [joinNew(s.coord, 'm0', opts)];
    s.clock.advance(2_500);
    joins.push(joinNew(s.coord, 'm1', opts)); // t=3000: extend by 3000 (1000 left)
    s.clock.advance(2_500);
    joins.push(joinNew(s.coord, 'm2', opts)); // t=6000: extend by min(3000, 1000) (none left)
    s.clock.advance(1_500);
    joins.push(joinNew(s.coord, 'm3', opts)); // t=6500: nothing left to extend by
    s.clock.advance(499);
    expect(joins.some((j) => j.join.answered)).toBe(false);
    s.clock.advance(1); // t=7000
    expect(joins.map((j) => j.join.only.generationId)).toEqual([1, 1, 1, 1]);
  });

  it('three members: one leader, two followers, everyone gets its share', () => {
    const s = fresh();
    const { memberIds, generationId, leaderId } = stableGroup(s, ['a', 'b', 'c']);
    expect(generationId).toBe(1);
    expect(leaderId).toBe(memberIds[0]);
    const view = s.coord.groupSnapshots()[0];
    expect(view.state).toBe('Stable');
    expect(view.members.map((m) => decodeAssignment(m.assignment).assignedPartitions)).toEqual([[{ topic: 't', partitions: [0] }], [{ topic: 't', partitions: [1] }], [{ topic: 't', partitions: [2] }]]);
    for (const id of memberIds) expect(heartbeat(s.coord, id, 1)).toBe(0);
  });

  it('a second member joining a Stable group triggers a rebalance: generation 2, both assigned', () => {
    const s = fresh();
    const { memberIds, leaderId } = stableGroup(s, ['a']);
    const b = joinNew(s.coord, 'b');
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
    expect(heartbeat(s.coord, memberIds[0], 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    // The rebalance completes as soon as the known member rejoins (no initial delay now).
    const a2 = rejoin(s.coord, memberIds[0]);
    expect(a2.only).toMatchObject({ errorCode: 0, generationId: 2, leader: leaderId });
    expect(b.join.only).toMatchObject({ errorCode: 0, generationId: 2, leader: leaderId, members: [] });
    expect(a2.only.members.map((m) => m.memberId)).toEqual([memberIds[0], b.memberId]);
    const sb = sync(s.coord, b.memberId, 2);
    const sa = sync(s.coord, memberIds[0], 2, leaderAssignments(a2.only));
    expect(assignmentFor(sa.only.assignment)).toEqual(['t-0']);
    expect(assignmentFor(sb.only.assignment)).toEqual(['t-1']);
    expect(heartbeat(s.coord, memberIds[0], 1)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(heartbeat(s.coord, memberIds[0], 2)).toBe(0);
  });

  it('a member that does not rejoin within the rebalance timeout is removed', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a', 'b']);
    const [a, b] = memberIds;
    const c = joinNew(s.coord, 'c');
    const a2 = rejoin(s.coord, a);
    // b keeps heartbeating (told to rejoin) but never does.
    for (let t = 0; t < 30_000; t += 5_000) {
      expect(heartbeat(s.coord, b, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      s.clock.advance(5_000);
    }
    expect(a2.only).toMatchObject({ errorCode: 0, generationId: 2 });
    expect(a2.only.members.map((m) => m.memberId)).toEqual([a, c.memberId]);
    expect(heartbeat(s.coord, b, 2)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('the leader rejoining a Stable group forces a rebalance; a follower with unchanged metadata does not', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a', 'b']);
    const follower = rejoin(s.coord, memberIds[1]);
    expect(follower.only).toMatchObject({ errorCode: 0, generationId: 1, members: [] });
    expect(s.coord.groupState(GROUP)).toBe('Stable');
    const leader = rejoin(s.coord, memberIds[0]);
    expect(leader.answered).toBe(false);
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
    rejoin(s.coord, memberIds[1]);
    expect(leader.only.generationId).toBe(2);
  });

  it('a follower with new metadata (subscription change) triggers a rebalance', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a', 'b']);
    const b = rejoin(s.coord, memberIds[1], { protocols: [{ name: 'range', metadata: subscription(['t', 'u']) }] });
    expect(b.answered).toBe(false);
    const a = rejoin(s.coord, memberIds[0]);
    expect(a.only.members.find((m) => m.memberId === memberIds[1])!.metadata).toEqual(subscription(['t', 'u']));
    expect(b.only.generationId).toBe(2);
  });

  it('members that never send SyncGroup are removed after the rebalance timeout', () => {
    const s = fresh();
    const a = joinNew(s.coord, 'a');
    const b = joinNew(s.coord, 'b');
    s.clock.advance(6_000);
    const ja = a.join.only;
    sync(s.coord, a.memberId, 1, leaderAssignments(ja));
    expect(s.coord.groupState(GROUP)).toBe('Stable');
    // b heartbeats but never syncs: after the rebalance timeout (30s) it is removed and the group rebalances.
    for (let t = 0; t < 30_000; t += 5_000) {
      expect(heartbeat(s.coord, a.memberId, 1)).toBe(0);
      expect(heartbeat(s.coord, b.memberId, 1)).toBe(0);
      expect(s.coord.groupState(GROUP)).toBe('Stable');
      s.clock.advance(5_000);
    }
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
    expect(heartbeat(s.coord, b.memberId, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(rejoin(s.coord, a.memberId).only).toMatchObject({ generationId: 2, leader: a.memberId });
  });
});

describe('sessions and leaving', () => {
  it('a member whose session expires is removed and the group rebalances', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a', 'b']);
    const [a, b] = memberIds;
    s.clock.advance(6_000);
    expect(heartbeat(s.coord, a, 1)).toBe(0);
    s.clock.advance(4_000); // b's session (10s since its sync) ends now
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
    expect(heartbeat(s.coord, a, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(heartbeat(s.coord, b, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const a2 = rejoin(s.coord, a);
    expect(a2.only).toMatchObject({ generationId: 2, leader: a });
    expect(a2.only.members.map((m) => m.memberId)).toEqual([a]);
  });

  it('the leader leaving hands leadership to the next member', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a', 'b']);
    const [a, b] = memberIds;
    const leave = new Responses<LeaveGroupResponse>();
    s.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: a, groupInstanceId: null }] }, leave.cb);
    expect(leave.only).toEqual({ errorCode: 0, members: [{ memberId: a, groupInstanceId: null, errorCode: 0 }] });
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
    const b2 = rejoin(s.coord, b);
    expect(b2.only).toMatchObject({ generationId: 2, leader: b });
  });

  it('the last member leaving empties the group, and the empty generation is persisted', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    const leave = new Responses<LeaveGroupResponse>();
    s.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: memberIds[0], groupInstanceId: null }] }, leave.cb);
    expect(leave.only.errorCode).toBe(0);
    expect(s.coord.groupState(GROUP)).toBe('Empty');
    const last = s.log.decoded(P).at(-1)!;
    expect(last.value).toMatchObject({ generation: 2, protocol: null, leader: null, members: [] });
    const unknown = new Responses<LeaveGroupResponse>();
    s.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: memberIds[0], groupInstanceId: null }] }, unknown.cb);
    expect(unknown.only.members[0].errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('a pending MEMBER_ID_REQUIRED id expires after the session timeout, and can leave', () => {
    const s = fresh();
    const first = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ clientId: 'slow' }), first.cb);
    const pendingId = first.only.memberId;
    s.clock.advance(10_000);
    const late = rejoin(s.coord, pendingId);
    expect(late.only.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    const second = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ clientId: 'quitter' }), second.cb);
    const leave = new Responses<LeaveGroupResponse>();
    s.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: second.only.memberId, groupInstanceId: null }] }, leave.cb);
    expect(leave.only.members[0].errorCode).toBe(0);
  });

  it('a new member whose first JoinGroup stays parked for 5 minutes is dropped', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    // b's long rebalance timeout keeps the join phase open while a never rejoins.
    const b = joinNew(s.coord, 'b', { rebalanceTimeoutMs: 600_000 });
    for (let t = 0; t < 295_000; t += 5_000) {
      expect(heartbeat(s.coord, memberIds[0], 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      s.clock.advance(5_000);
    }
    expect(b.join.answered).toBe(false);
    expect(heartbeat(s.coord, memberIds[0], 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    s.clock.advance(5_000);
    expect(b.join.only).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, memberId: '' });
    expect(s.coord.groupSnapshots()[0].members.map((m) => m.memberId)).toEqual([memberIds[0]]);
  });
});

describe('errors a client gets', () => {
  it('INVALID_SESSION_TIMEOUT outside [6000, 1800000]', () => {
    const s = fresh();
    const codes = [5_999, 6_000, 1_800_000, 1_800_001].map((sessionTimeoutMs) => {
      const r = new Responses<JoinGroupResponse>();
      s.coord.joinGroup(joinRequest({ sessionTimeoutMs }), r.cb);
      return r.only.errorCode;
    });
    expect(codes).toEqual([ErrorCode.INVALID_SESSION_TIMEOUT, ErrorCode.MEMBER_ID_REQUIRED, ErrorCode.MEMBER_ID_REQUIRED, ErrorCode.INVALID_SESSION_TIMEOUT]);
  });

  it('INCONSISTENT_GROUP_PROTOCOL for another protocol type or no common protocol', () => {
    const s = fresh();
    stableGroup(s, ['a']);
    const other = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ protocolType: 'connect', requireKnownMemberId: false }), other.cb);
    expect(other.only.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const noCommon = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ protocols: [{ name: 'roundrobin', metadata: subscription(['t']) }], requireKnownMemberId: false }), noCommon.cb);
    expect(noCommon.only.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const none = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ groupId: groupOnPartition(P, 'other'), protocols: [] }), none.cb);
    expect(none.only.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('chooses the protocol every member supports, by votes', () => {
    const s = fresh();
    const meta = subscription(['t']);
    const a = joinNew(s.coord, 'a', { protocols: [{ name: 'roundrobin', metadata: meta }, { name: 'range', metadata: meta }] });
    const b = joinNew(s.coord, 'b', { protocols: [{ name: 'range', metadata: meta }, { name: 'roundrobin', metadata: meta }] });
    const c = joinNew(s.coord, 'c', { protocols: [{ name: 'sticky', metadata: meta }, { name: 'range', metadata: meta }, { name: 'roundrobin', metadata: meta }] });
    s.clock.advance(9_000);
    // Candidates: range and roundrobin (sticky is c's only). Votes: a roundrobin, b range, c range.
    for (const j of [a, b, c]) expect(j.join.only.protocolName).toBe('range');
  });

  it('INVALID_GROUP_ID for an empty group id on membership APIs (but not on OffsetFetch)', () => {
    const s = fresh();
    const r = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ groupId: '' }), r.cb);
    expect(r.only.errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    // "" hashes to partition 0, which is not loaded here; once it is, "" is a valid OffsetFetch group.
    expect(s.coord.fetchOffsets({ groupId: '', topics: null }).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    s.coord.loadPartition(0, []);
    expect(s.coord.fetchOffsets({ groupId: '', topics: [{ name: 't', partitionIndexes: [0] }] })).toEqual({
      errorCode: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] }],
    });
  });

  it('UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION and REBALANCE_IN_PROGRESS on SyncGroup and Heartbeat', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    expect(heartbeat(s.coord, 'nobody', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(heartbeat(s.coord, memberIds[0], 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(sync(s.coord, 'nobody', 1).only.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(sync(s.coord, memberIds[0], 7).only.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    // A Stable group answers a repeated SyncGroup with the member's assignment.
    expect(assignmentFor(sync(s.coord, memberIds[0], 1).only.assignment)).toEqual(['t-0']);
    const b = joinNew(s.coord, 'b');
    expect(b.join.answered).toBe(false);
    expect(sync(s.coord, memberIds[0], 1).only.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const other = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ memberId: 'made-up' }), other.cb);
    expect(other.only.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('SyncGroup v5 checks the protocol type and name', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    const r = new Responses<{ errorCode: number }>();
    s.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: memberIds[0], groupInstanceId: null, protocolType: 'consumer', protocolName: 'roundrobin', assignments: [] }, r.cb);
    expect(r.only.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('INVALID_REQUEST for metadata beyond what the group record can hold', () => {
    const s = fresh({ config: { 'message.max.bytes': 1_000 } });
    const codes = [
      joinRequest({ protocols: [{ name: 'range', metadata: Buffer.alloc(1_001) }] }),
      joinRequest({ protocols: Array.from({ length: 65 }, (_, i) => ({ name: `p${i}`, metadata: Buffer.alloc(1) })) }),
      joinRequest({ clientId: 'x'.repeat(32_767) }),
      joinRequest({ rebalanceTimeoutMs: 2 ** 31 }),
    ].map((req) => {
      const r = new Responses<JoinGroupResponse>();
      s.coord.joinGroup(req, r.cb);
      return r.only.errorCode;
    });
    expect(codes).toEqual([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
  });

  it('an assignment too large for one record fails the SyncGroup as Kafka does (UNKNOWN_SERVER_ERROR)', () => {
    const s = fresh({ config: { 'message.max.bytes': 2_000 } });
    const a = joinNew(s.coord, 'a');
    s.clock.advance(3_000);
    const r = sync(s.coord, a.memberId, 1, [{ memberId: a.memberId, assignment: Buffer.alloc(2_000) }]);
    expect(r.only.errorCode).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
  });

  it('GROUP_MAX_SIZE_REACHED beyond group.max.size', () => {
    const s = fresh({ config: { 'group.max.size': 2 } });
    stableGroup(s, ['a', 'b']);
    const c = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ requireKnownMemberId: false }), c.cb);
    expect(c.only.errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
    expect(s.coord.groupState(GROUP)).toBe('Stable');
  });

  it('a failed group write (append error) fails the SyncGroups with the mapped error and rebalances', () => {
    const s = fresh();
    const a = joinNew(s.coord, 'a');
    const b = joinNew(s.coord, 'b');
    s.clock.advance(6_000);
    const sb = sync(s.coord, b.memberId, 1);
    s.log.failWith = ErrorCode.NOT_LEADER_OR_FOLLOWER;
    const sa = sync(s.coord, a.memberId, 1, leaderAssignments(a.join.only));
    expect(sa.only.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(sb.only.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
  });

  it('REQUEST_TIMED_OUT on the group write becomes REBALANCE_IN_PROGRESS; NOT_ENOUGH_REPLICAS becomes COORDINATOR_NOT_AVAILABLE', () => {
    for (const [appendError, expected] of [
      [ErrorCode.REQUEST_TIMED_OUT, ErrorCode.REBALANCE_IN_PROGRESS],
      [ErrorCode.NOT_ENOUGH_REPLICAS, ErrorCode.COORDINATOR_NOT_AVAILABLE],
    ]) {
      const s = fresh();
      const a = joinNew(s.coord, 'a');
      s.clock.advance(3_000);
      s.log.failWith = appendError;
      expect(sync(s.coord, a.memberId, 1, leaderAssignments(a.join.only)).only.errorCode).toBe(expected);
    }
  });
});

describe('acknowledgements arrive later', () => {
  it('SyncGroup answers wait for the group record to be committed', () => {
    const s = fresh();
    const a = joinNew(s.coord, 'a');
    s.clock.advance(3_000);
    s.log.deferred = true;
    const sa = sync(s.coord, a.memberId, 1, leaderAssignments(a.join.only));
    expect(sa.answered).toBe(false);
    expect(s.coord.groupState(GROUP)).toBe('CompletingRebalance');
    s.log.ackAll();
    expect(sa.only.errorCode).toBe(0);
    expect(s.coord.groupState(GROUP)).toBe('Stable');
  });

  it('a member joining while the group record is being written wins: the late ack changes nothing', () => {
    const s = fresh();
    const a = joinNew(s.coord, 'a');
    s.clock.advance(3_000);
    s.log.deferred = true;
    const sa = sync(s.coord, a.memberId, 1, leaderAssignments(a.join.only));
    s.log.deferred = false;
    const b = joinNew(s.coord, 'b');
    expect(sa.only.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
    s.log.ackAll();
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
    const a2 = rejoin(s.coord, a.memberId);
    expect(a2.only.generationId).toBe(2);
    expect(b.join.only.generationId).toBe(2);
  });
});

describe('callbacks may call straight back in', () => {
  it('a client that sends SyncGroup from inside its JoinGroup callback completes the rebalance', () => {
    const s = fresh();
    const first = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ clientId: 'eager' }), first.cb);
    const synced: number[] = [];
    s.coord.joinGroup(joinRequest({ clientId: 'eager', memberId: first.only.memberId }), (j) => {
      s.coord.syncGroup(
        { groupId: GROUP, generationId: j.generationId, memberId: j.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: leaderAssignments(j) },
        (r) => synced.push(r.errorCode),
      );
    });
    s.clock.advance(3_000);
    expect(synced).toEqual([0]);
    expect(s.coord.groupState(GROUP)).toBe('Stable');
    // The sync-expiry timer was satisfied: nothing happens after the rebalance timeout.
    s.clock.advance(9_000);
    expect(heartbeat(s.coord, first.only.memberId, 1)).toBe(0);
    s.clock.advance(9_000);
    expect(heartbeat(s.coord, first.only.memberId, 1)).toBe(0);
    s.clock.advance(9_000);
    expect(heartbeat(s.coord, first.only.memberId, 1)).toBe(0);
    s.clock.advance(9_000);
    expect(s.coord.groupState(GROUP)).toBe('Stable');
  });
});

describe('determinism', () => {
  it('the same seed gives the same member ids; another seed gives others', () => {
    const ids = (seed: number): string[] => {
      const s = setup({ seed });
      return stableGroup(s, ['a', 'b']).memberIds;
    };
    expect(ids(42)).toEqual(ids(42));
    expect(ids(42)).not.toEqual(ids(43));
  });
});
