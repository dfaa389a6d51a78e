/**
 * Static membership (group.instance.id, KIP-345) in the classic protocol: a restarted
 * static member takes over its old member id's place without a rebalance, and the old id
 * is fenced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../engine/protocol/errors';
import type { GroupMetadataValue } from '../../../engine/cluster/group/offsets-topic-format';
import type { JoinGroupResponse, LeaveGroupResponse, OffsetCommitResponse } from '../../../engine/cluster/group/types';
import { GROUP, P, Responses, assignmentFor, heartbeat, joinRequest, leaderAssignments, setup, subscription, sync, type Setup } from './harness';

let current: Setup | null = null;
afterEach(() => {
  current?.coord.checkInvariants();
  current = null;
});

function joinStatic(s: Setup, instanceId: string, overrides: Partial<Parameters<typeof joinRequest>[0]> = {}): Responses<JoinGroupResponse> {
  const r = new Responses<JoinGroupResponse>();
  // The wire layer never asks static members for MEMBER_ID_REQUIRED.
  s.coord.joinGroup(joinRequest({ clientId: `client-${instanceId}`, groupInstanceId: instanceId, requireKnownMemberId: false, ...overrides }), r.cb);
  return r;
}

/** Two static members, Stable in generation 1. */
function staticGroup(): { s: Setup; a: string; b: string } {
  const s = setup();
  current = s;
  const ja = joinStatic(s, 'i-a');
  const jb = joinStatic(s, 'i-b');
  s.clock.advance(6_000);
  const a = ja.only.memberId;
  const b = jb.only.memberId;
  expect(a).toMatch(/^i-a-/);
  expect(ja.only.members.map((m) => [m.memberId, m.groupInstanceId])).toEqual([
    [a, 'i-a'],
    [b, 'i-b'],
  ]);
  sync(s.coord, b, 1, [], 'i-b');
  sync(s.coord, a, 1, leaderAssignments(ja.only), 'i-a');
  expect(s.coord.groupState(GROUP)).toBe('Stable');
  return { s, a, b };
}

describe('static members', () => {
  it('a restarted follower rejoins without a rebalance: new member id, same generation, same assignment', () => {
    const { s, a, b } = staticGroup();
    const appends = s.log.appends;
    const again = joinStatic(s, 'i-b');
    const r = again.only;
    expect(r.errorCode).toBe(0);
    expect(r.memberId).not.toBe(b);
    expect(r).toMatchObject({ generationId: 1, leader: a, members: [], skipAssignment: false, protocolName: 'range' });
    expect(s.coord.groupState(GROUP)).toBe('Stable');
    // The new id was persisted.
    expect(s.log.appends).toBe(appends + 1);
    const value = s.log.decoded(P).at(-1)!.value as GroupMetadataValue;
    expect(value.members.map((m) => [m.memberId, m.groupInstanceId])).toEqual([
      [a, 'i-a'],
      [r.memberId, 'i-b'],
    ]);
    // The new id syncs into its old assignment; the old id is fenced.
    expect(assignmentFor(sync(s.coord, r.memberId, 1, [], 'i-b').only.assignment)).toEqual(['t-1']);
    expect(heartbeat(s.coord, r.memberId, 1, 'i-b')).toBe(0);
    expect(heartbeat(s.coord, b, 1, 'i-b')).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(heartbeat(s.coord, a, 1, 'i-a')).toBe(0);
    const commit = new Responses<OffsetCommitResponse>();
    s.coord.commitOffsets(
      { groupId: GROUP, generationId: 1, memberId: b, groupInstanceId: 'i-b', retentionTimeMs: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 1, committedOffset: 1, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }] }] },
      commit.cb,
    );
    expect(commit.only.topics[0].partitions[0].errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });

  it('a restarted leader before JoinGroup v9 is not told it leads (the old leader id is named)', () => {
    const { s, a } = staticGroup();
    const r = joinStatic(s, 'i-a').only;
    expect(r.memberId).not.toBe(a);
    expect(r).toMatchObject({ errorCode: 0, generationId: 1, leader: a, members: [], skipAssignment: false });
    expect(s.coord.groupSnapshots()[0].leaderId).toBe(r.memberId);
  });

  it('a restarted leader on JoinGroup v9 learns it leads but must skip the assignment', () => {
    const { s, b } = staticGroup();
    const r = joinStatic(s, 'i-a', { supportSkippingAssignment: true }).only;
    expect(r).toMatchObject({ errorCode: 0, generationId: 1, leader: r.memberId, skipAssignment: true });
    expect(r.members.map((m) => m.memberId)).toEqual([r.memberId, b]);
    expect(s.coord.groupState(GROUP)).toBe('Stable');
  });

  it('a restart whose protocols would change the group choice rebalances', () => {
    const s = setup();
    current = s;
    const meta = subscription(['t']);
    const range = { name: 'range', metadata: meta };
    const roundrobin = { name: 'roundrobin', metadata: meta };
    const first = joinStatic(s, 'i-a', { protocols: [range, roundrobin] });
    s.clock.advance(3_000);
    expect(first.only.protocolName).toBe('range');
    sync(s.coord, first.only.memberId, 1, leaderAssignments(first.only), 'i-a');
    // Now preferring roundrobin: the vote changes, so a new generation starts (at once: everyone has joined).
    const again = joinStatic(s, 'i-a', { protocols: [roundrobin, range] });
    expect(again.only).toMatchObject({ errorCode: 0, generationId: 2, protocolName: 'roundrobin', leader: again.only.memberId });
    // A protocol set the group cannot agree on is refused outright.
    const other = joinStatic(s, 'i-x', { protocols: [{ name: 'sticky', metadata: meta }] });
    expect(other.only.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('a failed write puts the old member id back', () => {
    const { s, b } = staticGroup();
    s.log.failWith = ErrorCode.NOT_ENOUGH_REPLICAS;
    const r = joinStatic(s, 'i-b').only;
    expect(r).toMatchObject({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId: '', generationId: 1 });
    s.log.failWith = null;
    expect(heartbeat(s.coord, b, 1, 'i-b')).toBe(0);
  });

  it('a static member that does not rejoin is not dropped at the end of the join phase, but must sync', () => {
    const { s, a, b } = staticGroup();
    // The leader rejoins (forcing a rebalance); b does not, but keeps heartbeating.
    const ja = joinStatic(s, 'i-a', { memberId: a });
    expect(ja.answered).toBe(false);
    for (let t = 0; t < 30_000; t += 5_000) {
      expect(heartbeat(s.coord, b, 1, 'i-b')).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      s.clock.advance(5_000);
    }
    expect(ja.only).toMatchObject({ errorCode: 0, generationId: 2 });
    expect(ja.only.members.map((m) => m.memberId)).toEqual([a, b]);
    expect(heartbeat(s.coord, b, 2, 'i-b')).toBe(0);
  });

  it('a static member whose session ends is removed', () => {
    const { s, a, b } = staticGroup();
    for (let t = 0; t < 10_000; t += 5_000) {
      heartbeat(s.coord, a, 1, 'i-a');
      s.clock.advance(5_000);
    }
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
    expect(heartbeat(s.coord, b, 1, 'i-b')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('LeaveGroup by group.instance.id alone removes the member (an admin operation)', () => {
    const { s } = staticGroup();
    const r = new Responses<LeaveGroupResponse>();
    s.coord.leaveGroup(
      {
        groupId: GROUP,
        members: [
          { memberId: '', groupInstanceId: 'i-b' },
          { memberId: '', groupInstanceId: 'i-zzz' },
        ],
      },
      r.cb,
    );
    expect(r.only.members).toEqual([
      { memberId: '', groupInstanceId: 'i-b', errorCode: 0 },
      { memberId: '', groupInstanceId: 'i-zzz', errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
    ]);
    expect(s.coord.groupState(GROUP)).toBe('PreparingRebalance');
  });

  it('a join with a known member id but the wrong instance id is fenced', () => {
    const { s, a } = staticGroup();
    const r = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ memberId: a, groupInstanceId: 'i-b', requireKnownMemberId: false }), r.cb);
    expect(r.only.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });
});
