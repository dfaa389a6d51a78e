/**
 * Partition ownership: which requests a coordinator serves (NOT_COORDINATOR,
 * COORDINATOR_LOAD_IN_PROGRESS), rebuilding groups and offsets from the
 * `__consumer_offsets` records another coordinator wrote, and dropping them on unload.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../../../engine/cluster/group/consumer-protocol';
import { ErrorCode } from '../../../engine/protocol/errors';
import {
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
} from '../../../engine/cluster/group/offsets-topic-format';
import type { DeleteGroupsResponse, JoinGroupResponse, LeaveGroupResponse, OffsetCommitResponse, OffsetsLogRecord } from '../../../engine/cluster/group/types';
import { GROUP, P, Responses, groupOnPartition, heartbeat, joinNew, joinRequest, leaderAssignments, setup, stableGroup, subscription, sync, type Setup } from './harness';

let current: Setup | null = null;
function fresh(...args: Parameters<typeof setup>): Setup {
  current = setup(...args);
  return current;
}
afterEach(() => {
  current?.coord.checkInvariants();
  current = null;
});

function commitOne(s: Setup, req: { generationId: number; memberId: string }, offset: number): OffsetCommitResponse {
  const r = new Responses<OffsetCommitResponse>();
  s.coord.commitOffsets(
    { groupId: GROUP, groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: 2, commitTimestamp: -1, committedMetadata: 'm' }] }], ...req },
    r.cb,
  );
  return r.only;
}

describe('requests for groups this broker does not coordinate', () => {
  it('get NOT_COORDINATOR from every API', () => {
    const s = fresh({ load: false });
    const join = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest(), join.cb);
    expect(join.only.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(sync(s.coord, 'm', 1).only.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(heartbeat(s.coord, 'm', 1)).toBe(ErrorCode.NOT_COORDINATOR);
    const leave = new Responses<LeaveGroupResponse>();
    s.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: 'm', groupInstanceId: null }] }, leave.cb);
    expect(leave.only).toEqual({ errorCode: ErrorCode.NOT_COORDINATOR, members: [] });
    expect(commitOne(s, { generationId: -1, memberId: '' }, 1).topics[0].partitions[0].errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(s.coord.fetchOffsets({ groupId: GROUP, topics: null })).toEqual({ errorCode: ErrorCode.NOT_COORDINATOR, topics: [] });
    expect(s.coord.describeGroups([GROUP])[0]).toMatchObject({ errorCode: ErrorCode.NOT_COORDINATOR, groupState: '' });
    const del = new Responses<DeleteGroupsResponse>();
    s.coord.deleteGroups([GROUP], del.cb);
    expect(del.only.results).toEqual([{ groupId: GROUP, errorCode: ErrorCode.NOT_COORDINATOR }]);
    expect(s.coord.listGroups()).toEqual({ errorCode: 0, groups: [] });
  });

  it('while the partition loads: COORDINATOR_LOAD_IN_PROGRESS; heartbeats pass, SyncGroup says rejoin', () => {
    const s = fresh({ load: false });
    s.coord.beginLoadingPartition(P);
    const join = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest(), join.cb);
    expect(join.only.errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect(heartbeat(s.coord, 'm', 1)).toBe(0);
    expect(sync(s.coord, 'm', 1).only.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(s.coord.fetchOffsets({ groupId: GROUP, topics: null }).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect(s.coord.listGroups().errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect(s.coord.loadPartition(P, [])).toEqual({ loaded: true, groups: 0, offsets: 0, skippedRecords: 0 });
    expect(s.coord.fetchOffsets({ groupId: GROUP, topics: null }).errorCode).toBe(0);
    expect(s.coord.loadPartition(P, [])).toMatchObject({ loaded: false });
  });
});

describe('loading from the log', () => {
  it('a coordinator built from another one\'s log sees the same committed offsets and group state', () => {
    const a = fresh();
    const { memberIds, leaderId } = stableGroup(a, ['x', 'y']);
    commitOne(a, { generationId: 1, memberId: memberIds[0] }, 41);
    commitOne(a, { generationId: 1, memberId: memberIds[0] }, 42);

    // Broker 2 takes over the partition, its clock a little later.
    const describedBefore = a.coord.describeGroups([GROUP]);
    a.coord.unloadPartition(P);
    const b = setup({ log: a.log, seed: 99 });
    b.clock.advance(1_000);
    expect(b.coord.fetchOffsets({ groupId: GROUP, topics: null })).toEqual({
      errorCode: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 2, metadata: 'm', errorCode: 0 }] }],
    });
    const view = b.coord.groupSnapshots()[0];
    expect(view).toMatchObject({ groupId: GROUP, state: 'Stable', generationId: 1, protocolType: 'consumer', protocolName: 'range', leaderId });
    expect(view.members.map((m) => [m.memberId, m.clientId, decodeAssignment(m.assignment).assignedPartitions])).toEqual([
      [memberIds[0], 'x', [{ topic: 't', partitions: [0] }]],
      [memberIds[1], 'y', [{ topic: 't', partitions: [1] }]],
    ]);
    expect(b.coord.describeGroups([GROUP])).toEqual(describedBefore);
    expect(b.coord.describeGroups([GROUP])[0]).toMatchObject({ errorCode: 0, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });

    // The members carry on against the new coordinator: heartbeats and commits of generation 1 work.
    expect(heartbeat(b.coord, memberIds[0], 1)).toBe(0);
    expect(commitOne(b, { generationId: 1, memberId: memberIds[0] }, 50).topics[0].partitions[0].errorCode).toBe(0);
    // A member that no longer heartbeats is expired after its session timeout, as before the move.
    for (let t = 0; t < 10_000; t += 5_000) {
      heartbeat(b.coord, memberIds[0], 1);
      b.clock.advance(5_000);
    }
    expect(b.coord.groupState(GROUP)).toBe('PreparingRebalance');
    current = b;
  });

  it('latest record per key wins, tombstones delete, unusable records are skipped', () => {
    const other = groupOnPartition(P, 'other');
    const offsetValue = (offset: number) => encodeOffsetCommitValue({ version: 3, offset, leaderEpoch: -1, metadata: '', commitTimestamp: 1, expireTimestamp: -1 });
    const records: { key: Buffer; value: Buffer | null }[] = [
      { key: encodeOffsetCommitKey(GROUP, 't', 0), value: offsetValue(1) },
      { key: encodeOffsetCommitKey(GROUP, 't', 1), value: offsetValue(5) },
      { key: encodeOffsetCommitKey(GROUP, 't', 0), value: offsetValue(2) },
      { key: encodeOffsetCommitKey(GROUP, 't', 1), value: null },
      { key: encodeOffsetCommitKey(other, 'u', 0, 0), value: offsetValue(7) },
      // A group that existed, then was deleted.
      {
        key: encodeGroupMetadataKey(other),
        value: encodeGroupMetadataValue({ version: 3, protocolType: 'consumer', generation: 4, protocol: null, leader: null, currentStateTimestamp: 1, members: [] }),
      },
      { key: encodeGroupMetadataKey(other), value: null },
      // Skipped: unknown key version, a truncated value, a group of another partition.
      { key: Buffer.from([0, 9, 0, 0]), value: Buffer.from([1]) },
      { key: encodeOffsetCommitKey(GROUP, 't', 2), value: Buffer.from([0, 3, 0]) },
      { key: encodeOffsetCommitKey(groupOnPartition((P + 1) % 50, 'stray'), 't', 0), value: offsetValue(3) },
    ];
    const s = fresh({ load: false });
    const summary = s.coord.loadPartition(
      P,
      records.map((r, i): OffsetsLogRecord => ({ offset: 100 + i, ...r })),
    );
    expect(summary).toEqual({ loaded: true, groups: 2, offsets: 2, skippedRecords: 3 });
    expect(s.coord.fetchOffsets({ groupId: GROUP, topics: [{ name: 't', partitionIndexes: [0, 1, 2] }] }).topics[0].partitions.map((p) => p.committedOffset)).toEqual([2, -1, -1]);
    // The deleted group still has an offset: it comes back as an offsets-only Empty group.
    expect(s.coord.groupSnapshots().map((g) => [g.groupId, g.state, g.protocolType, g.generationId])).toEqual(
      [
        [GROUP, 'Empty', null, 0],
        [other, 'Empty', null, 0],
      ].sort((x, y) => ((x[0] as string) < (y[0] as string) ? -1 : 1)),
    );
  });

  it('reads GroupMetadataValue v0 (no rebalance timeout: the session timeout stands in) and flexible v4', () => {
    for (const version of [0, 4]) {
      const s = fresh({ load: false });
      const value = encodeGroupMetadataValue({
        version,
        protocolType: 'consumer',
        generation: 3,
        protocol: 'range',
        leader: 'm-1',
        currentStateTimestamp: -1,
        members: [
          {
            memberId: 'm-1',
            groupInstanceId: null,
            clientId: 'c',
            clientHost: '/h',
            rebalanceTimeout: 45_000,
            sessionTimeout: 12_000,
            subscription: encodeSubscription({ version: 0, topics: ['t'] }),
            assignment: encodeAssignment({ version: 0, assignedPartitions: [{ topic: 't', partitions: [0, 1] }] }),
          },
        ],
      });
      s.coord.loadPartition(P, [{ offset: 0, key: encodeGroupMetadataKey(GROUP), value }]);
      const view = s.coord.groupSnapshots()[0];
      expect(view).toMatchObject({ state: 'Stable', generationId: 3, leaderId: 'm-1' });
      expect(view.members[0]).toMatchObject({ sessionTimeoutMs: 12_000, rebalanceTimeoutMs: version === 0 ? 12_000 : 45_000 });
      expect(decodeSubscription(view.members[0].metadata!).topics).toEqual(['t']);
      expect(decodeAssignment(view.members[0].assignment).assignedPartitions).toEqual([{ topic: 't', partitions: [0, 1] }]);
    }
  });

  it('a load that fails leaves the partition unowned', () => {
    const s = fresh({ load: false });
    s.coord.beginLoadingPartition(P);
    const broken = (function* () {
      yield { offset: 0, key: encodeGroupMetadataKey(GROUP), value: null };
      throw new Error('disk gone');
    })();
    expect(() => s.coord.loadPartition(P, broken)).toThrow('disk gone');
    expect(s.coord.isPartitionLoaded(P)).toBe(false);
    expect(heartbeat(s.coord, 'm', 1)).toBe(ErrorCode.NOT_COORDINATOR);
  });

  it('a loaded group larger than group.max.size rebalances', () => {
    const a = fresh();
    stableGroup(a, ['x', 'y', 'z']);
    const b = setup({ log: a.log, config: { 'group.max.size': 2 } });
    expect(b.coord.groupState(GROUP)).toBe('PreparingRebalance');
    current = b;
  });
});

describe('unloading', () => {
  it('answers parked requests NOT_COORDINATOR, drops the groups and stops their timers', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['x', 'y']);
    // x rejoins (parked: y has not); a new member is parked too.
    const x = new Responses<JoinGroupResponse>();
    s.coord.joinGroup(joinRequest({ memberId: memberIds[0] }), x.cb);
    const z = joinNew(s.coord, 'z');
    expect(x.answered || z.join.answered).toBe(false);
    s.coord.unloadPartition(P);
    expect(x.only).toMatchObject({ errorCode: ErrorCode.NOT_COORDINATOR, memberId: memberIds[0] });
    expect(z.join.only.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(s.coord.groupSnapshots()).toEqual([]);
    expect(heartbeat(s.coord, memberIds[1], 1)).toBe(ErrorCode.NOT_COORDINATOR);
    const appends = s.log.appends;
    s.clock.advance(60 * 60_000);
    expect(s.log.appends).toBe(appends);
  });

  it('parked SyncGroups are answered NOT_COORDINATOR; a late acknowledgement changes nothing', () => {
    const s = fresh();
    const a = joinNew(s.coord, 'a');
    const b = joinNew(s.coord, 'b');
    s.clock.advance(6_000);
    const sb = sync(s.coord, b.memberId, 1);
    s.log.deferred = true;
    const sa = sync(s.coord, a.memberId, 1, leaderAssignments(a.join.only));
    s.coord.unloadPartition(P);
    expect(sa.only.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(sb.only.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    s.log.ackAll();
    expect(s.coord.groupSnapshots()).toEqual([]);
  });

  it('close() stops everything: later requests get COORDINATOR_NOT_AVAILABLE', () => {
    const s = fresh();
    stableGroup(s, ['a']);
    s.coord.close();
    expect(heartbeat(s.coord, 'm', 1)).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(s.coord.listGroups().errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(s.clock.nextDueMs()).toBeUndefined();
    current = null;
  });
});

describe('DescribeGroups, ListGroups and group snapshots', () => {
  it('describes members with metadata and assignment only when Stable; unknown groups are Dead', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    const [described] = s.coord.describeGroups([GROUP]);
    expect(described).toMatchObject({ errorCode: 0, groupId: GROUP, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(described.members).toHaveLength(1);
    expect(described.members[0]).toMatchObject({ memberId: memberIds[0], groupInstanceId: null, clientId: 'a', clientHost: '/127.0.0.1' });
    expect(described.members[0].memberAssignment.length).toBeGreaterThan(0);
    joinNew(s.coord, 'b');
    const [rebalancing] = s.coord.describeGroups([GROUP]);
    expect(rebalancing).toMatchObject({ groupState: 'PreparingRebalance', protocolData: '' });
    expect(rebalancing.members.every((m) => m.memberMetadata.length === 0 && m.memberAssignment.length === 0)).toBe(true);
    const unknown = groupOnPartition(P, 'unknown');
    expect(s.coord.describeGroups([unknown])).toEqual([{ errorCode: 0, groupId: unknown, groupState: 'Dead', protocolType: '', protocolData: '', members: [] }]);
  });

  it('lists groups, filtered by state and by type, both case-insensitively as Kafka does', () => {
    const s = fresh();
    stableGroup(s, ['a']);
    const offsetsOnly = groupOnPartition(P, 'offsets-only');
    s.coord.commitOffsets(
      { groupId: offsetsOnly, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }] }] },
      () => {},
    );
    expect(s.coord.listGroups().groups).toEqual([
      { groupId: GROUP, protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
      { groupId: offsetsOnly, protocolType: '', groupState: 'Empty', groupType: 'classic' },
    ]);
    expect(s.coord.listGroups({ states: ['Empty'] }).groups.map((g) => g.groupId)).toEqual([offsetsOnly]);
    expect(s.coord.listGroups({ states: ['stable', ' EMPTY '] }).groups.map((g) => g.groupId)).toEqual([GROUP, offsetsOnly]);
    expect(s.coord.listGroups({ states: ['Dead'] }).groups).toEqual([]);
    expect(s.coord.listGroups({ types: ['Classic'] }).groups.map((g) => g.groupId)).toEqual([GROUP, offsetsOnly]);
    expect(s.coord.listGroups({ types: ['consumer'] }).groups).toEqual([]);
    expect(s.coord.listGroups({ types: ['no-such-type'] }).groups).toEqual([]);
    expect(s.coord.listGroups({ states: ['Stable'], types: ['classic', 'share'] }).groups.map((g) => g.groupId)).toEqual([GROUP]);
  });

  it("snapshots carry every member's metadata (of the chosen protocol, else its first) and assignment, sorted by group id", () => {
    const s = fresh();
    const other = groupOnPartition(P, 'aaa');
    const a = joinNew(s.coord, 'a', {
      protocols: [
        { name: 'roundrobin', metadata: subscription(['first']) },
        { name: 'range', metadata: subscription(['t']) },
      ],
    });
    // No protocol chosen yet: the member's first protocol stands for it.
    expect(s.coord.groupSnapshot(GROUP)).toMatchObject({ state: 'PreparingRebalance', protocolName: null, generationId: 0, offsetsPartition: P });
    expect(decodeSubscription(s.coord.groupSnapshot(GROUP)!.members[0].metadata!).topics).toEqual(['first']);
    expect(s.coord.groupSnapshot(GROUP)!.members[0].assignment.length).toBe(0);
    const b = joinNew(s.coord, 'b');
    s.clock.advance(6_001);
    const leader = [a.join.only, b.join.only].find((r) => r.members.length > 0)!;
    for (const m of [a, b]) sync(s.coord, m.memberId, 1, m.memberId === leader.leader ? leaderAssignments(leader) : []);
    // Only "range" is supported by both: its metadata is what the snapshot shows now.
    const snapshot = s.coord.groupSnapshot(GROUP)!;
    expect(snapshot).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocolName: 'range', generationId: 1, leaderId: leader.leader });
    expect(snapshot.members.map((m) => [m.memberId, m.clientId, m.sessionTimeoutMs, m.rebalanceTimeoutMs])).toEqual([
      [a.memberId, 'a', 10_000, 30_000],
      [b.memberId, 'b', 10_000, 30_000],
    ]);
    expect(snapshot.members.map((m) => decodeSubscription(m.metadata!).topics)).toEqual([['t'], ['t']]);
    expect(snapshot.members.map((m) => decodeAssignment(m.assignment).assignedPartitions.length)).toEqual([1, 1]);

    s.coord.commitOffsets(
      { groupId: other, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 3, committedOffset: 7, committedLeaderEpoch: 2, commitTimestamp: -1, committedMetadata: 'm' }] }] },
      () => {},
    );
    expect(s.coord.groupSnapshots().map((g) => g.groupId)).toEqual([other, GROUP].sort());
    expect(s.coord.groupSnapshot(other)!.offsets).toEqual([
      { topic: 't', partition: 3, offset: 7, leaderEpoch: 2, metadata: 'm', commitTimestamp: s.clock.nowMs(), expireTimestamp: -1 },
    ]);
    expect(s.coord.groupSnapshot(groupOnPartition(P, 'unknown'))).toBeUndefined();
  });

  it('snapshots are copies: changing one changes nothing in the coordinator', () => {
    const s = fresh();
    stableGroup(s, ['a']);
    const before = s.coord.groupSnapshot(GROUP)!;
    const metadata = Buffer.from(before.members[0].metadata!);
    const assignment = Buffer.from(before.members[0].assignment);
    before.members[0].metadata!.fill(0);
    before.members[0].assignment.fill(0);
    const after = s.coord.groupSnapshot(GROUP)!;
    expect(after.members[0].metadata).toEqual(metadata);
    expect(after.members[0].assignment).toEqual(assignment);
  });
});
