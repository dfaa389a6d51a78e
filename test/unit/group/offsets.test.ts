/**
 * Committed offsets: OffsetCommit validation (generations, members, admin commits), what
 * is written to `__consumer_offsets`, OffsetFetch, admin resets, DeleteGroups and expiry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../engine/protocol/errors';
import type { OffsetCommitValue } from '../../../engine/cluster/group/offsets-topic-format';
import type { AlterOffsetsResponse, DeleteGroupsResponse, DeleteOffsetsResponse, OffsetCommitRequest, OffsetCommitResponse } from '../../../engine/cluster/group/types';
import { GROUP, P, Responses, groupOnPartition, heartbeat, joinNew, rejoin, setup, stableGroup, type Setup } from './harness';

let current: Setup | null = null;
function fresh(...args: Parameters<typeof setup>): Setup {
  current = setup(...args);
  return current;
}
afterEach(() => {
  current?.coord.checkInvariants();
  current = null;
});

function commit(s: Setup, overrides: Partial<OffsetCommitRequest>, offsets: Record<string, number> = { 't-0': 10 }): OffsetCommitResponse | undefined {
  const r = new Responses<OffsetCommitResponse>();
  const topics = new Map<string, OffsetCommitRequest['topics'][number]>();
  for (const [tp, offset] of Object.entries(offsets)) {
    const [topic, partition] = [tp.slice(0, tp.lastIndexOf('-')), Number(tp.slice(tp.lastIndexOf('-') + 1))];
    let t = topics.get(topic);
    if (!t) topics.set(topic, (t = { name: topic, partitions: [] }));
    t.partitions.push({ partitionIndex: partition, committedOffset: offset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null });
  }
  s.coord.commitOffsets({ groupId: GROUP, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [...topics.values()], ...overrides }, r.cb);
  return r.list[0];
}

const errors = (r: OffsetCommitResponse | undefined): number[] => r!.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));

function fetched(s: Setup, groupId = GROUP): Record<string, number> {
  const r = s.coord.fetchOffsets({ groupId, topics: null });
  expect(r.errorCode).toBe(0);
  return Object.fromEntries(r.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}-${p.partitionIndex}`, p.committedOffset])));
}

describe('OffsetCommit', () => {
  it('members of the current generation commit; the records are OffsetCommitValue v3 under OffsetCommitKey v1', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    s.clock.advance(1_000);
    const r = commit(s, { generationId: 1, memberId: memberIds[0] }, { 't-0': 42, 't-1': 7 });
    expect(r).toEqual({ topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 1, errorCode: 0 }] }] });
    expect(fetched(s)).toEqual({ 't-0': 42, 't-1': 7 });
    const records = s.log.decoded(P).filter((d) => d.key.kind === 'offset');
    expect(records.map((d) => d.key)).toEqual([
      { kind: 'offset', version: 1, group: GROUP, topic: 't', partition: 0 },
      { kind: 'offset', version: 1, group: GROUP, topic: 't', partition: 1 },
    ]);
    expect(records[0].value).toEqual({ version: 3, offset: 42, leaderEpoch: -1, metadata: '', commitTimestamp: s.clock.nowMs(), expireTimestamp: -1 } satisfies OffsetCommitValue);
  });

  it('a commit from an older generation is ILLEGAL_GENERATION and writes nothing', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    const appends = s.log.appends;
    expect(errors(commit(s, { generationId: 0, memberId: memberIds[0] }))).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(s.log.appends).toBe(appends);
    expect(fetched(s)).toEqual({});
    // A member generation for a group this coordinator does not know is from the past too.
    const other = groupOnPartition(P, 'gone');
    const r = new Responses<OffsetCommitResponse>();
    s.coord.commitOffsets({ groupId: other, generationId: 3, memberId: 'm', groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }] }] }, r.cb);
    expect(errors(r.only)).toEqual([ErrorCode.ILLEGAL_GENERATION]);
  });

  it('OffsetCommit v9 says GROUP_ID_NOT_FOUND to a member of some generation committing to a group that does not exist, and creates nothing', () => {
    const s = fresh();
    const appends = s.log.appends;
    const other = groupOnPartition(P, 'gone');
    const partition = { partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null };
    const r = new Responses<OffsetCommitResponse>();
    s.coord.commitOffsets({ groupId: other, generationId: 3, memberId: 'm', groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: 't', partitions: [partition] }], unknownGroupError: ErrorCode.GROUP_ID_NOT_FOUND }, r.cb);
    expect(errors(r.only)).toEqual([ErrorCode.GROUP_ID_NOT_FOUND]);
    expect(s.log.appends).toBe(appends);
    expect(s.coord.describeGroups([other])[0].groupState).toBe('Dead');
    // Outside group management (generation -1) the same version still creates the group.
    const simple = new Responses<OffsetCommitResponse>();
    s.coord.commitOffsets({ groupId: other, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: 't', partitions: [partition] }], unknownGroupError: ErrorCode.GROUP_ID_NOT_FOUND }, simple.cb);
    expect(errors(simple.only)).toEqual([ErrorCode.NONE]);
    expect(fetched(s, other)).toEqual({ 't-0': 1 });
  });

  it('unknown members, and non-members of an active group, get UNKNOWN_MEMBER_ID', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    expect(errors(commit(s, { generationId: 1, memberId: 'stranger' }))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(errors(commit(s, {}))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]); // generation -1, no member id
    expect(errors(commit(s, { generationId: 1, memberId: memberIds[0] }))).toEqual([0]);
  });

  it('commits from outside group management (generation -1, no member) are fine while the group is Empty, and create it', () => {
    const s = fresh();
    expect(s.coord.groupState(GROUP)).toBeUndefined();
    expect(errors(commit(s, {}, { 't-0': 5 }))).toEqual([0]);
    expect(s.coord.groupState(GROUP)).toBe('Empty');
    expect(fetched(s)).toEqual({ 't-0': 5 });
    expect(s.coord.groupSnapshots()[0]).toMatchObject({ state: 'Empty', protocolType: null, generationId: 0, members: [] });
  });

  it('a commit during PreparingRebalance is accepted; during CompletingRebalance it is REBALANCE_IN_PROGRESS', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    const b = joinNew(s.coord, 'b');
    expect(errors(commit(s, { generationId: 1, memberId: memberIds[0] }))).toEqual([0]);
    rejoin(s.coord, memberIds[0]);
    expect(b.join.only.generationId).toBe(2);
    expect(errors(commit(s, { generationId: 2, memberId: memberIds[0] }))).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]);
  });

  it('a commit keeps the member alive like a heartbeat', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    for (let i = 0; i < 5; i++) {
      s.clock.advance(9_000);
      expect(errors(commit(s, { generationId: 1, memberId: memberIds[0] }))).toEqual([0]);
    }
    expect(heartbeat(s.coord, memberIds[0], 1)).toBe(0);
  });

  it('OFFSET_METADATA_TOO_LARGE per partition; the others are committed', () => {
    const s = fresh({ config: { 'offset.metadata.max.bytes': 4 } });
    const r = new Responses<OffsetCommitResponse>();
    s.coord.commitOffsets(
      {
        groupId: GROUP,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1,
        topics: [
          {
            name: 't',
            partitions: [
              { partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: 3, commitTimestamp: -1, committedMetadata: 'fine' },
              { partitionIndex: 1, committedOffset: 2, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: 'too long' },
            ],
          },
        ],
      },
      r.cb,
    );
    expect(errors(r.only)).toEqual([0, ErrorCode.OFFSET_METADATA_TOO_LARGE]);
    const f = s.coord.fetchOffsets({ groupId: GROUP, topics: [{ name: 't', partitionIndexes: [0, 1] }] });
    expect(f.topics[0].partitions).toEqual([
      { partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: 3, metadata: 'fine', errorCode: 0 },
      { partitionIndex: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
    ]);
  });

  it('append errors reach the client as Kafka maps them; nothing is applied', () => {
    const cases: [number, number][] = [
      [ErrorCode.NOT_ENOUGH_REPLICAS, ErrorCode.COORDINATOR_NOT_AVAILABLE],
      [ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND, ErrorCode.COORDINATOR_NOT_AVAILABLE],
      [ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.NOT_COORDINATOR],
      [ErrorCode.KAFKA_STORAGE_ERROR, ErrorCode.NOT_COORDINATOR],
      [ErrorCode.MESSAGE_TOO_LARGE, ErrorCode.INVALID_COMMIT_OFFSET_SIZE],
      [ErrorCode.REQUEST_TIMED_OUT, ErrorCode.REQUEST_TIMED_OUT],
    ];
    for (const [appendError, expected] of cases) {
      const s = fresh();
      s.log.failWith = appendError;
      expect(errors(commit(s, {}))).toEqual([expected]);
      expect(fetched(s)).toEqual({});
    }
  });

  it('an offset is visible only once its append is acknowledged; requireStable reports the commit in flight', () => {
    const s = fresh();
    commit(s, {}, { 't-0': 1 });
    s.log.deferred = true;
    expect(commit(s, {}, { 't-0': 2 })).toBeUndefined();
    expect(fetched(s)).toEqual({ 't-0': 1 });
    const stable = s.coord.fetchOffsets({ groupId: GROUP, topics: [{ name: 't', partitionIndexes: [0] }], requireStable: true });
    expect(stable.topics[0].partitions[0]).toMatchObject({ committedOffset: -1, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT });
    s.log.ackAll();
    expect(fetched(s)).toEqual({ 't-0': 2 });
  });

  it('acknowledgements out of order cannot roll an offset back', () => {
    const s = fresh();
    const acks: ((code: number) => void)[] = [];
    // A log that holds every acknowledgement, released in reverse.
    s.log.append = (_p, _r, done) => void acks.push(done);
    commit(s, {}, { 't-0': 1 });
    commit(s, {}, { 't-0': 2 });
    acks[1](0);
    acks[0](0);
    expect(fetched(s)).toEqual({ 't-0': 2 });
  });

  it('OffsetCommit v2-v4 retention writes OffsetCommitValue v1 with an expire timestamp', () => {
    const s = fresh();
    commit(s, { retentionTimeMs: 60_000 });
    const last = s.log.decoded(P).at(-1)!;
    expect(last.value).toMatchObject({ version: 1, offset: 10, expireTimestamp: s.clock.nowMs() + 60_000 });
  });

  it('offsets that are not safe integers are refused with INVALID_REQUEST', () => {
    const s = fresh();
    expect(errors(commit(s, {}, { 't-0': 2 ** 60 }))).toEqual([ErrorCode.INVALID_REQUEST]);
  });
});

describe('OffsetFetch', () => {
  it('returns -1 for partitions without a commit, and for unknown groups', () => {
    const s = fresh();
    commit(s, {}, { 't-0': 3 });
    const r = s.coord.fetchOffsets({ groupId: GROUP, topics: [{ name: 't', partitionIndexes: [0, 1] }, { name: 'u', partitionIndexes: [0] }] });
    expect(r.topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)])).toEqual([
      ['t', [3, -1]],
      ['u', [-1]],
    ]);
    const unknown = s.coord.fetchOffsets({ groupId: groupOnPartition(P, 'nobody'), topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(unknown.topics[0].partitions[0].committedOffset).toBe(-1);
    expect(s.coord.fetchOffsets({ groupId: groupOnPartition(P, 'nobody'), topics: null })).toEqual({ errorCode: 0, topics: [] });
  });
});

describe('alterOffsets (an admin offset change, as the workbench resets offsets)', () => {
  it('resets the offsets of an Empty group', () => {
    const s = fresh();
    commit(s, {}, { 't-0': 100 });
    const r = new Responses<AlterOffsetsResponse>();
    s.coord.alterOffsets(GROUP, [{ topic: 't', partition: 0, offset: 0 }], r.cb);
    expect(r.only).toEqual({ errorCode: 0, partitions: [{ topic: 't', partition: 0, errorCode: 0 }] });
    expect(fetched(s)).toEqual({ 't-0': 0 });
  });

  it('works for a group that does not exist yet', () => {
    const s = fresh();
    const r = new Responses<AlterOffsetsResponse>();
    s.coord.alterOffsets(GROUP, [{ topic: 't', partition: 1, offset: 5 }], r.cb);
    expect(r.only.errorCode).toBe(0);
    expect(fetched(s)).toEqual({ 't-1': 5 });
  });

  it('is refused with UNKNOWN_MEMBER_ID for every partition while the group has members (the words: test/unit/consume)', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    commit(s, { generationId: 1, memberId: memberIds[0] }, { 't-0': 100 });
    const r = new Responses<AlterOffsetsResponse>();
    s.coord.alterOffsets(GROUP, [{ topic: 't', partition: 0, offset: 0 }, { topic: 'u', partition: 2, offset: 1 }], r.cb);
    expect(r.only).toEqual({
      errorCode: ErrorCode.UNKNOWN_MEMBER_ID,
      partitions: [
        { topic: 't', partition: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
        { topic: 'u', partition: 2, errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
      ],
    });
    expect(s.coord.groupSnapshot(GROUP)).toMatchObject({ state: 'Stable', members: [{ memberId: memberIds[0] }] });
    expect(fetched(s)).toEqual({ 't-0': 100 });
  });
});

describe('DeleteGroups', () => {
  it('NON_EMPTY_GROUP with members, GROUP_ID_NOT_FOUND when unknown, NOT_COORDINATOR elsewhere', () => {
    const s = fresh();
    stableGroup(s, ['a']);
    const r = new Responses<DeleteGroupsResponse>();
    s.coord.deleteGroups([GROUP, groupOnPartition(P, 'unknown'), 'elsewhere'], r.cb);
    expect(r.only.results).toEqual([
      { groupId: GROUP, errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: groupOnPartition(P, 'unknown'), errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
      { groupId: 'elsewhere', errorCode: ErrorCode.NOT_COORDINATOR },
    ]);
  });

  it('deletes an Empty group: tombstones for its offsets and metadata, gone from memory and from a reload', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    commit(s, { generationId: 1, memberId: memberIds[0] }, { 't-0': 9, 'u-2': 4 });
    s.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: memberIds[0], groupInstanceId: null }] }, () => {});
    expect(s.coord.groupState(GROUP)).toBe('Empty');
    const r = new Responses<DeleteGroupsResponse>();
    s.coord.deleteGroups([GROUP], r.cb);
    expect(r.only.results).toEqual([{ groupId: GROUP, errorCode: 0 }]);
    expect(s.coord.groupState(GROUP)).toBeUndefined();
    const tombstones = s.log.decoded(P).slice(-3);
    expect(tombstones).toEqual([
      { key: { kind: 'offset', version: 1, group: GROUP, topic: 't', partition: 0 }, value: null },
      { key: { kind: 'offset', version: 1, group: GROUP, topic: 'u', partition: 2 }, value: null },
      { key: { kind: 'group', version: 2, group: GROUP }, value: null },
    ]);
    expect(fetched(s)).toEqual({});
    const again = new Responses<DeleteGroupsResponse>();
    s.coord.deleteGroups([GROUP], again.cb);
    expect(again.only.results[0].errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);

    const other = setup({ log: s.log });
    expect(other.coord.groupState(GROUP)).toBeUndefined();
    expect(fetched(other)).toEqual({});
  });

  it('an offsets-only group (generation 0) gets no metadata tombstone', () => {
    const s = fresh();
    commit(s, {}, { 't-0': 1 });
    s.coord.deleteGroups([GROUP], () => {});
    expect(s.log.decoded(P).at(-1)).toEqual({ key: { kind: 'offset', version: 1, group: GROUP, topic: 't', partition: 0 }, value: null });
  });
});

describe('OffsetDelete', () => {
  const deleteOffsets = (s: Setup, partitions: string[], groupId = GROUP): DeleteOffsetsResponse => {
    const r = new Responses<DeleteOffsetsResponse>();
    const refs = partitions.map((tp) => ({ topic: tp.slice(0, tp.lastIndexOf('-')), partition: Number(tp.slice(tp.lastIndexOf('-') + 1)) }));
    s.coord.deleteOffsets(groupId, refs, r.cb);
    return r.only;
  };

  it('a Stable consumer group keeps the offsets of topics it subscribes to (GROUP_SUBSCRIBED_TO_TOPIC) and loses the others, with tombstones', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    commit(s, { generationId: 1, memberId: memberIds[0] }, { 't-0': 1, 'old-0': 2, 'old-1': 3 });
    const r = deleteOffsets(s, ['t-0', 'old-0', 'old-5']);
    expect(r).toEqual({
      errorCode: ErrorCode.NONE,
      partitions: [
        { topic: 't', partition: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC },
        { topic: 'old', partition: 0, errorCode: ErrorCode.NONE },
        { topic: 'old', partition: 5, errorCode: ErrorCode.NONE },
      ],
    });
    expect(fetched(s)).toEqual({ 't-0': 1, 'old-1': 3 });
    expect(s.coord.groupState(GROUP)).toBe('Stable');
    expect(s.log.decoded(P).at(-1)).toEqual({ key: { kind: 'offset', version: 1, group: GROUP, topic: 'old', partition: 0 }, value: null });
    // A coordinator that loads the partition afresh sees the deletion.
    expect(fetched(setup({ log: s.log }))).toEqual({ 't-0': 1, 'old-1': 3 });
  });

  it('an Empty group loses any offset; left with none it is dropped, its metadata tombstoned too', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    commit(s, { generationId: 1, memberId: memberIds[0] }, { 't-0': 9 });
    s.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: memberIds[0], groupInstanceId: null }] }, () => {});
    expect(deleteOffsets(s, ['t-0'])).toEqual({ errorCode: ErrorCode.NONE, partitions: [{ topic: 't', partition: 0, errorCode: ErrorCode.NONE }] });
    expect(s.coord.groupState(GROUP)).toBeUndefined();
    expect(s.log.decoded(P).slice(-2).map((d) => [d.key.kind, d.value])).toEqual([
      ['offset', null],
      ['group', null],
    ]);
    expect(deleteOffsets(s, ['t-0']).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('GROUP_ID_NOT_FOUND when unknown, NON_EMPTY_GROUP for a group with members that is not a consumer group, NOT_COORDINATOR elsewhere; nothing written', () => {
    const s = fresh();
    expect(deleteOffsets(s, ['t-0'])).toEqual({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, partitions: [] });
    commit(s, {}, { 't-0': 4 });
    joinNew(s.coord, 'a', { protocolType: 'connect' });
    expect(s.coord.groupState(GROUP)).not.toBe('Empty');
    const logged = s.log.decoded(P).length;
    expect(deleteOffsets(s, ['t-0'])).toEqual({ errorCode: ErrorCode.NON_EMPTY_GROUP, partitions: [] });
    expect(deleteOffsets(s, ['t-0'], 'elsewhere')).toEqual({ errorCode: ErrorCode.NOT_COORDINATOR, partitions: [] });
    expect(s.log.decoded(P).length).toBe(logged);
    expect(fetched(s)).toEqual({ 't-0': 4 });
  });
});

describe('offset expiry', () => {
  const RETENTION_MS = 10_080 * 60_000;
  const CHECK_MS = 600_000;

  it('offsets of an Empty consumer group expire a retention period after it became Empty', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    commit(s, { generationId: 1, memberId: memberIds[0] }, { 't-0': 9 });
    s.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: memberIds[0], groupInstanceId: null }] }, () => {});
    expect(s.coord.groupState(GROUP)).toBe('Empty');
    s.clock.advance(RETENTION_MS - CHECK_MS);
    expect(fetched(s)).toEqual({ 't-0': 9 });
    s.clock.advance(2 * CHECK_MS);
    expect(fetched(s)).toEqual({});
    // The group had nothing left and was dropped, with tombstones for the offset and its metadata.
    expect(s.coord.groupState(GROUP)).toBeUndefined();
    expect(s.log.decoded(P).slice(-2).map((d) => [d.key.kind, d.value])).toEqual([
      ['offset', null],
      ['group', null],
    ]);
  });

  it('a Stable consumer group keeps the offsets of topics it subscribes to, and loses the others', () => {
    const s = fresh();
    const { memberIds } = stableGroup(s, ['a']);
    commit(s, { generationId: 1, memberId: memberIds[0] }, { 't-0': 1, 'old-0': 2 });
    // Keep the member alive across the retention period.
    for (let elapsed = 0; elapsed <= RETENTION_MS + CHECK_MS; elapsed += 5_000) {
      s.clock.advance(5_000);
      heartbeat(s.coord, memberIds[0], 1);
    }
    expect(fetched(s)).toEqual({ 't-0': 1 });
    expect(s.coord.groupState(GROUP)).toBe('Stable');
  });

  it('an offsets-only group expires each offset a retention period after its commit', () => {
    const s = fresh();
    commit(s, {}, { 't-0': 1 });
    s.clock.advance(RETENTION_MS / 2);
    commit(s, {}, { 't-1': 2 });
    s.clock.advance(RETENTION_MS / 2 + CHECK_MS);
    expect(fetched(s)).toEqual({ 't-1': 2 });
    s.clock.advance(RETENTION_MS / 2);
    expect(fetched(s)).toEqual({});
    expect(s.coord.groupState(GROUP)).toBeUndefined();
  });

  it('an explicit retention (OffsetCommit v2-v4) expires at its own time', () => {
    const s = fresh();
    commit(s, { retentionTimeMs: 60_000 }, { 't-0': 1 });
    s.clock.advance(CHECK_MS);
    expect(fetched(s)).toEqual({});
  });
});

describe('deleted topics', () => {
  it('lose their committed offsets in every group, with tombstones', () => {
    const s = fresh();
    commit(s, {}, { 't-0': 1, 'gone-0': 2, 'gone-1': 3 });
    expect(s.coord.deleteOffsetsOfTopics(['gone'])).toBe(2);
    expect(fetched(s)).toEqual({ 't-0': 1 });
    expect(s.log.decoded(P).slice(-2)).toEqual([
      { key: { kind: 'offset', version: 1, group: GROUP, topic: 'gone', partition: 0 }, value: null },
      { key: { kind: 'offset', version: 1, group: GROUP, topic: 'gone', partition: 1 }, value: null },
    ]);
  });
});

describe('an offsets log that throws', () => {
  it('a storage error with a Kafka code is that append error; the commit is answered and nothing applied', () => {
    const s = fresh();
    s.log.append = () => {
      throw Object.assign(new Error('disk full'), { code: ErrorCode.KAFKA_STORAGE_ERROR });
    };
    expect(errors(commit(s, {}))).toEqual([ErrorCode.NOT_COORDINATOR]);
    expect(fetched(s)).toEqual({});
  });

  it('any other exception still answers the request, then surfaces', () => {
    const s = fresh();
    s.log.append = () => {
      throw new TypeError('bug');
    };
    const r = new Responses<OffsetCommitResponse>();
    expect(() =>
      s.coord.commitOffsets(
        { groupId: GROUP, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }] }] },
        r.cb,
      ),
    ).toThrow('bug');
    expect(errors(r.only)).toEqual([ErrorCode.UNKNOWN_SERVER_ERROR]);
  });
});
