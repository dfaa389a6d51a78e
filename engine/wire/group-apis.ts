/**
 * The classic consumer-group APIs, translated to the broker's group coordinator
 * (cluster/group). Per-version rules (what a version lacks, how an old response
 * carries an error) live in cluster/group/wire-versions.ts; this file only maps fields.
 *
 * OffsetCommit refuses partitions the cluster does not have (UNKNOWN_TOPIC_OR_PARTITION),
 * which the coordinator leaves to the caller because the caller knows the metadata; so does
 * OffsetDelete, as Kafka's request handler does.
 */
import { ErrorCode } from '../protocol/errors';
import { isExactInt64 } from '../protocol/types';
import type { DeleteGroupsRequest, DeleteGroupsResponseInput } from '../protocol/apis/delete-groups';
import type { DescribeGroupsRequest, DescribeGroupsResponseInput } from '../protocol/apis/describe-groups';
import type { HeartbeatRequest, HeartbeatResponseInput } from '../protocol/apis/heartbeat';
import type { JoinGroupRequest, JoinGroupResponseInput } from '../protocol/apis/join-group';
import type { LeaveGroupRequest, LeaveGroupResponseInput } from '../protocol/apis/leave-group';
import type { ListGroupsRequest, ListGroupsResponseInput } from '../protocol/apis/list-groups';
import type { OffsetCommitRequest, OffsetCommitResponseInput } from '../protocol/apis/offset-commit';
import type { OffsetDeleteRequest, OffsetDeleteResponseInput } from '../protocol/apis/offset-delete';
import type { OffsetFetchRequest, OffsetFetchResponseInput } from '../protocol/apis/offset-fetch';
import type { SyncGroupRequest, SyncGroupResponseInput } from '../protocol/apis/sync-group';
import type { GroupCoordinator } from '../cluster/group/group-coordinator';
import {
  joinGroupRebalanceTimeoutMs, joinGroupRequiresKnownMemberId, joinGroupResponseProtocolName, joinGroupSupportsSkippingAssignment,
  leaveGroupTopLevelError, offsetCommitDefaults, offsetCommitUnknownGroupError,
} from '../cluster/group/wire-versions';
import type { OffsetFetchResponse as CoordinatorOffsetFetch } from '../cluster/group/types';
import { AUTHORIZED_OPERATIONS_OMITTED, authorizedOperations, type WireContext } from './context';

function coordinator(ctx: WireContext): GroupCoordinator | null {
  return ctx.broker.groups?.coordinator ?? null;
}

export function handleJoinGroup(ctx: WireContext, version: number, req: JoinGroupRequest, clientId: string, clientHost: string): Promise<JoinGroupResponseInput> {
  const c = coordinator(ctx);
  const shape = (r: { errorCode: number; generationId: number; protocolType: string | null; protocolName: string | null; leader: string; skipAssignment: boolean; memberId: string; members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[] }): JoinGroupResponseInput => ({
    throttleTimeMs: 0,
    errorCode: r.errorCode,
    generationId: r.generationId,
    protocolType: version >= 7 ? r.protocolType : null,
    protocolName: joinGroupResponseProtocolName(version, r.protocolName),
    leader: r.leader,
    skipAssignment: version >= 9 ? r.skipAssignment : false,
    memberId: r.memberId,
    members: r.members.map((m) => ({ memberId: m.memberId, groupInstanceId: version >= 5 ? m.groupInstanceId : null, metadata: m.metadata })),
  });
  if (!c) return Promise.resolve(shape({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId: req.memberId, members: [] }));
  return new Promise((resolve) => {
    c.joinGroup(
      {
        groupId: req.groupId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        clientId,
        clientHost: `/${clientHost}`,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: joinGroupRebalanceTimeoutMs(version, req.rebalanceTimeoutMs, req.sessionTimeoutMs),
        protocolType: req.protocolType,
        protocols: req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
        reason: req.reason,
        requireKnownMemberId: joinGroupRequiresKnownMemberId(version, req.groupInstanceId),
        supportSkippingAssignment: joinGroupSupportsSkippingAssignment(version),
      },
      (r) => resolve(shape(r)),
    );
  });
}

export function handleSyncGroup(ctx: WireContext, version: number, req: SyncGroupRequest): Promise<SyncGroupResponseInput> {
  const c = coordinator(ctx);
  const shape = (errorCode: number, protocolType: string | null, protocolName: string | null, assignment: Buffer): SyncGroupResponseInput => ({
    throttleTimeMs: 0,
    errorCode,
    protocolType: version >= 5 ? protocolType : null,
    protocolName: version >= 5 ? protocolName : null,
    assignment,
  });
  if (!c) return Promise.resolve(shape(ErrorCode.COORDINATOR_NOT_AVAILABLE, null, null, Buffer.alloc(0)));
  return new Promise((resolve) => {
    c.syncGroup(
      {
        groupId: req.groupId,
        generationId: req.generationId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        protocolType: version >= 5 ? req.protocolType : null,
        protocolName: version >= 5 ? req.protocolName : null,
        assignments: req.assignments.map((a) => ({ memberId: a.memberId, assignment: Buffer.from(a.assignment) })),
      },
      (r) => resolve(shape(r.errorCode, r.protocolType, r.protocolName, r.assignment)),
    );
  });
}

export function handleHeartbeat(ctx: WireContext, _version: number, req: HeartbeatRequest): Promise<HeartbeatResponseInput> {
  const c = coordinator(ctx);
  if (!c) return Promise.resolve({ throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
  return new Promise((resolve) => {
    c.heartbeat({ groupId: req.groupId, generationId: req.generationId, memberId: req.memberId, groupInstanceId: req.groupInstanceId }, (r) =>
      resolve({ throttleTimeMs: 0, errorCode: r.errorCode }),
    );
  });
}

export function handleLeaveGroup(ctx: WireContext, version: number, req: LeaveGroupRequest): Promise<LeaveGroupResponseInput> {
  const c = coordinator(ctx);
  if (!c) return Promise.resolve({ throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] });
  const members = version >= 3 ? req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, reason: m.reason })) : [{ memberId: req.memberId, groupInstanceId: null }];
  return new Promise((resolve) => {
    c.leaveGroup({ groupId: req.groupId, members }, (r) =>
      resolve({
        throttleTimeMs: 0,
        errorCode: leaveGroupTopLevelError(version, r),
        members: version >= 3 ? r.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: m.errorCode })) : [],
      }),
    );
  });
}

export function handleOffsetCommit(ctx: WireContext, version: number, req: OffsetCommitRequest): Promise<OffsetCommitResponseInput> {
  const c = coordinator(ctx);
  const image = ctx.broker.image;
  const unknown = (topic: string, partition: number) => image.topics.get(topic)?.partitions[partition] === undefined;
  const errorAll = (code: number): OffsetCommitResponseInput => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code })) })),
  });
  if (!c) return Promise.resolve(errorAll(ErrorCode.COORDINATOR_NOT_AVAILABLE));
  const d = offsetCommitDefaults(version, { generationId: req.generationIdOrMemberEpoch, memberId: req.memberId, retentionTimeMs: req.retentionTimeMs });
  // An offset or time beyond ±(2^53 - 1) cannot be stored exactly: refused per partition, nothing written.
  const unstorable = (p: { committedOffset: number; commitTimestamp: number }) =>
    !isExactInt64(p.committedOffset) || !isExactInt64(p.commitTimestamp) || !isExactInt64(req.retentionTimeMs);
  const known = req.topics.map((t) => ({ name: t.name, partitions: t.partitions.filter((p) => !unknown(t.name, p.partitionIndex) && !unstorable(p)) })).filter((t) => t.partitions.length > 0);
  return new Promise((resolve) => {
    const merge = (answered: Map<string, number>) =>
      resolve({
        throttleTimeMs: 0,
        topics: req.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: unknown(t.name, p.partitionIndex) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : unstorable(p) ? ErrorCode.INVALID_COMMIT_OFFSET_SIZE : (answered.get(`${t.name}-${p.partitionIndex}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
          })),
        })),
      });
    if (known.length === 0) return merge(new Map());
    c.commitOffsets(
      {
        groupId: req.groupId,
        generationId: d.generationId,
        memberId: d.memberId,
        groupInstanceId: version >= 7 ? req.groupInstanceId : null,
        retentionTimeMs: d.retentionTimeMs,
        unknownGroupError: offsetCommitUnknownGroupError(version),
        topics: known.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            committedOffset: p.committedOffset,
            committedLeaderEpoch: version >= 6 ? p.committedLeaderEpoch : -1,
            commitTimestamp: version === 1 ? p.commitTimestamp : -1,
            committedMetadata: p.committedMetadata,
          })),
        })),
      },
      (r) => {
        const m = new Map<string, number>();
        for (const t of r.topics) for (const p of t.partitions) m.set(`${t.name}-${p.partitionIndex}`, p.errorCode);
        merge(m);
      },
    );
  });
}

export function handleOffsetFetch(ctx: WireContext, version: number, req: OffsetFetchRequest): OffsetFetchResponseInput {
  const c = coordinator(ctx);
  const fetchOne = (groupId: string, topics: { name: string; partitionIndexes: number[] }[] | null): CoordinatorOffsetFetch => {
    if (!c) {
      return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, topics: (topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => ({ partitionIndex: p, committedOffset: -1, committedLeaderEpoch: -1, metadata: null, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE })) })) };
    }
    return c.fetchOffsets({ groupId, topics, requireStable: req.requireStable });
  };
  if (version >= 8) {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((g) => {
        const r = fetchOne(g.groupId, g.topics);
        return { groupId: g.groupId, errorCode: r.errorCode, topics: r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, committedOffset: p.committedOffset, committedLeaderEpoch: p.committedLeaderEpoch, metadata: p.metadata, errorCode: p.errorCode })) })) };
      }),
    };
  }
  const r = fetchOne(req.groupId, version >= 2 ? req.topics : (req.topics ?? []));
  // Before v2 a group-level error is carried by every partition.
  const groupError = r.errorCode;
  return {
    throttleTimeMs: 0,
    errorCode: version >= 2 ? groupError : 0,
    topics: r.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        committedOffset: p.committedOffset,
        committedLeaderEpoch: version >= 5 ? p.committedLeaderEpoch : -1,
        metadata: p.metadata,
        errorCode: version < 2 && groupError !== ErrorCode.NONE ? groupError : p.errorCode,
      })),
    })),
  };
}

export function handleDescribeGroups(ctx: WireContext, version: number, req: DescribeGroupsRequest): DescribeGroupsResponseInput {
  const c = coordinator(ctx);
  const groups = c
    ? c.describeGroups(req.groups)
    : req.groups.map((g) => ({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groupId: g, groupState: '', protocolType: '', protocolData: '', members: [] }));
  return {
    throttleTimeMs: 0,
    groups: groups.map((g) => ({
      errorCode: g.errorCode,
      groupId: g.groupId,
      groupState: g.groupState,
      protocolType: g.protocolType,
      protocolData: g.protocolData,
      members: g.members.map((m) => ({ memberId: m.memberId, groupInstanceId: version >= 4 ? m.groupInstanceId : null, clientId: m.clientId, clientHost: m.clientHost, memberMetadata: m.memberMetadata, memberAssignment: m.memberAssignment })),
      // Kafka fills it only when asked (v3+) and only for a group it could describe.
      authorizedOperations: version >= 3 && req.includeAuthorizedOperations && g.errorCode === ErrorCode.NONE ? authorizedOperations('GROUP') : AUTHORIZED_OPERATIONS_OMITTED,
    })),
  };
}

export function handleListGroups(ctx: WireContext, version: number, req: ListGroupsRequest): ListGroupsResponseInput {
  const c = coordinator(ctx);
  if (!c) return { throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
  const r = c.listGroups({ states: version >= 4 ? req.statesFilter : [], types: version >= 5 ? req.typesFilter : [] });
  return {
    throttleTimeMs: 0,
    errorCode: r.errorCode,
    groups: r.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: version >= 4 ? g.groupState : '', groupType: version >= 5 ? g.groupType : '' })),
  };
}

export function handleDeleteGroups(ctx: WireContext, _version: number, req: DeleteGroupsRequest): Promise<DeleteGroupsResponseInput> {
  const c = coordinator(ctx);
  if (!c) return Promise.resolve({ throttleTimeMs: 0, results: req.groupsNames.map((g) => ({ groupId: g, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE })) });
  return new Promise((resolve) => c.deleteGroups(req.groupsNames, (r) => resolve({ throttleTimeMs: 0, results: r.results })));
}

export function handleOffsetDelete(ctx: WireContext, _version: number, req: OffsetDeleteRequest): Promise<OffsetDeleteResponseInput> {
  const c = coordinator(ctx);
  if (!c) return Promise.resolve({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, throttleTimeMs: 0, topics: [] });
  const image = ctx.broker.image;
  const unknown = (topic: string, partition: number) => image.topics.get(topic)?.partitions[partition] === undefined;
  const known = req.topics.flatMap((t) => t.partitions.filter((p) => !unknown(t.name, p.partitionIndex)).map((p) => ({ topic: t.name, partition: p.partitionIndex })));
  return new Promise((resolve) =>
    c.deleteOffsets(req.groupId, known, (r) => {
      if (r.errorCode !== ErrorCode.NONE) return resolve({ errorCode: r.errorCode, throttleTimeMs: 0, topics: [] });
      const answered = new Map(r.partitions.map((p) => [`${p.partition}:${p.topic}`, p.errorCode]));
      resolve({
        errorCode: ErrorCode.NONE,
        throttleTimeMs: 0,
        topics: req.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: answered.get(`${p.partitionIndex}:${t.name}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          })),
        })),
      });
    }),
  );
}
