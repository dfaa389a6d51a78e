/**
 * The group coordinator's requests and responses: plain objects with the fields of Kafka's
 * classic group APIs (JoinGroup v0-9, SyncGroup v0-5, Heartbeat v0-4, LeaveGroup v0-5,
 * OffsetCommit v0-9, OffsetFetch v0-9, DescribeGroups v0-5, ListGroups v0-5,
 * DeleteGroups v0-2), independent of any wire version. The wire layer fills the fields a
 * version lacks with the defaults named below and drops response fields its version lacks.
 *
 * Version notes for the wire layer (Kafka's own behaviour, kept here so it is done once):
 *   JoinGroup   v0 has no rebalance timeout: pass rebalanceTimeoutMs = sessionTimeoutMs
 *               (or -1, which the coordinator treats the same way).
 *               requireKnownMemberId = version >= 4 && groupInstanceId === null (KIP-394).
 *               supportSkippingAssignment = version >= 9.
 *               Responses v0-6 carry protocolName "" where it is null here.
 *   SyncGroup   protocolType/protocolName are null before v5 (not checked then).
 *   LeaveGroup  v0-2 name one member: pass members = [{ memberId, groupInstanceId: null }];
 *               their top-level errorCode is the member's error when the top level is NONE.
 *   OffsetCommit v0: generationId -1, memberId ""; commitTimestamp only in v1 (else -1);
 *               retentionTimeMs only in v2-v4 (else -1); groupInstanceId v7+;
 *               unknownGroupError GROUP_ID_NOT_FOUND from v9 (else ILLEGAL_GENERATION).
 *               Unknown topics/partitions are the caller's to refuse (it knows the metadata).
 *   OffsetFetch topics null = all committed partitions (v2+); v8 batches groups: call once
 *               per group. Before v2 a group-level error goes into every partition.
 *               v9's memberId / memberEpoch concern consumer-protocol groups only; a
 *               classic group ignores them (Kafka's ClassicGroup.validateOffsetFetch).
 *   ListGroups  filters by state (v4+) and type (v5+), both case-insensitive; every
 *               group here is a classic group.
 */

import type { CommittedOffset } from './committed-offsets';

/** A JoinGroup protocol: an assignment strategy name and the member's metadata for it. */
export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  /** "" for a member joining for the first time. */
  memberId: string;
  groupInstanceId: string | null;
  /** The request header's client id. */
  clientId: string;
  /** The client's address as Kafka shows it (InetAddress.toString: "/127.0.0.1"). */
  clientHost: string;
  sessionTimeoutMs: number;
  /** -1 (JoinGroup v0) means: the session timeout. */
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  reason?: string | null;
  /** JoinGroup v4+ for dynamic members: a new member first gets MEMBER_ID_REQUIRED. */
  requireKnownMemberId: boolean;
  /** JoinGroup v9+: a static leader rejoining a stable group is told to skip assignment. */
  supportSkippingAssignment?: boolean;
}

export interface JoinGroupResponseMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResponse {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  /** Filled for the leader only. */
  members: JoinGroupResponseMember[];
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** v5+, else null (not checked). */
  protocolType: string | null;
  protocolName: string | null;
  /** The leader's assignment; empty from followers. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResponse {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  errorCode: number;
}

export interface LeaveGroupMember {
  /** "" to remove a static member by its group.instance.id (an admin operation). */
  memberId: string;
  groupInstanceId: string | null;
  reason?: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  members: LeaveGroupMember[];
}

export interface LeaveGroupResponse {
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface OffsetCommitRequestPartition {
  partitionIndex: number;
  committedOffset: number;
  /** v6+, else -1. */
  committedLeaderEpoch: number;
  /** v1 only, else -1 (= now). */
  commitTimestamp: number;
  committedMetadata: string | null;
}

export interface OffsetCommitRequest {
  groupId: string;
  /** -1 for a commit from outside group management (v0, admin tools, manual assignment). */
  generationId: number;
  /** "" outside group management. */
  memberId: string;
  groupInstanceId: string | null;
  /** v2-v4 only, else -1 (use the broker's retention). */
  retentionTimeMs: number;
  topics: { name: string; partitions: OffsetCommitRequestPartition[] }[];
  /**
   * The answer to a member of some generation (>= 0) committing to a group that does not
   * exist: ILLEGAL_GENERATION (the default, OffsetCommit v0-8) or GROUP_ID_NOT_FOUND (v9+).
   */
  unknownGroupError?: number;
}

export interface OffsetCommitResponse {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export interface OffsetFetchRequest {
  groupId: string;
  /** null = every partition the group has committed. */
  topics: { name: string; partitionIndexes: number[] }[] | null;
  requireStable?: boolean;
}

export interface OffsetFetchResponsePartition {
  partitionIndex: number;
  /** -1 when the group has no committed offset for the partition. */
  committedOffset: number;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchResponse {
  errorCode: number;
  topics: { name: string; partitions: OffsetFetchResponsePartition[] }[];
}

export interface DescribedGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Empty unless the group is Stable. */
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  /** The chosen protocol when Stable, else "". */
  protocolData: string;
  members: DescribedGroupMember[];
}

/** Kafka's group types (ListGroups v5+); this coordinator runs classic groups only. */
export type GroupType = 'classic' | 'consumer' | 'share';

export interface ListGroupsFilter {
  /** Kafka's state names ("Stable", "Empty", ...), compared case-insensitively; empty = all. */
  states?: readonly string[];
  /** Group types, compared case-insensitively; empty = all. */
  types?: readonly string[];
}

export interface ListGroupsResponse {
  errorCode: number;
  groups: { groupId: string; protocolType: string; groupState: string; groupType: GroupType }[];
}

export interface DeleteGroupsResponse {
  results: { groupId: string; errorCode: number }[];
}

/** OffsetDelete's answer: a group-level error, or each requested partition's (NONE once deleted). */
export interface DeleteOffsetsResponse {
  errorCode: number;
  partitions: { topic: string; partition: number; errorCode: number }[];
}

/** One partition of an admin offset change (Kafka's Admin.alterConsumerGroupOffsets). */
export interface AlterOffsetsEntry {
  topic: string;
  partition: number;
  offset: number;
  metadata?: string | null;
}

export interface AlterOffsetsResponse {
  /** NONE, or the first partition's error: UNKNOWN_MEMBER_ID while the group has members. */
  errorCode: number;
  partitions: { topic: string; partition: number; errorCode: number }[];
}

/** Where the coordinator persists: the broker's replicated `__consumer_offsets` partitions. */
export interface OffsetsLog {
  /**
   * Appends records (a null value is a tombstone) to partition `partition` with acks=all,
   * then calls `done(0)` once they are committed, or `done(code)` with a Kafka error code
   * (NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT, NOT_LEADER_OR_FOLLOWER, ...). `done` may be
   * called synchronously or later; exactly once.
   */
  append(partition: number, records: { key: Buffer; value: Buffer | null }[], done: (errorCode: number) => void): void;
}

/** One record of an `__consumer_offsets` partition, as read back when loading it. */
export interface OffsetsLogRecord {
  offset: number;
  key: Buffer;
  value: Buffer | null;
}

/** Kafka's broker settings that govern groups, under their Kafka names. */
export interface GroupCoordinatorConfig {
  'group.min.session.timeout.ms': number;
  'group.max.session.timeout.ms': number;
  'group.initial.rebalance.delay.ms': number;
  /** Kafka's default is unbounded; the workbench bounds it. */
  'group.max.size': number;
  'offsets.retention.minutes': number;
  'offsets.retention.check.interval.ms': number;
  'offset.metadata.max.bytes': number;
  'offsets.topic.num.partitions': number;
  /** The largest record batch the offsets topic accepts; bounds a group's metadata record. */
  'message.max.bytes': number;
}

export const DEFAULT_GROUP_COORDINATOR_CONFIG: Readonly<GroupCoordinatorConfig> = Object.freeze({
  'group.min.session.timeout.ms': 6_000,
  'group.max.session.timeout.ms': 1_800_000,
  'group.initial.rebalance.delay.ms': 3_000,
  'group.max.size': 1_000,
  'offsets.retention.minutes': 10_080,
  'offsets.retention.check.interval.ms': 600_000,
  'offset.metadata.max.bytes': 4_096,
  'offsets.topic.num.partitions': 50,
  'message.max.bytes': 1_048_588,
});

export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/**
 * Everything the coordinator holds about one group, as plain data for observers (the
 * workbench's views build their pictures from it). Copies: changing them changes nothing.
 * Unlike DescribeGroups, which shows member metadata only while the group is Stable (as
 * Kafka answers), it always carries the members' protocol metadata and assignment bytes,
 * their timeouts, and the group's committed offsets.
 */
export interface GroupSnapshot {
  groupId: string;
  /** The `__consumer_offsets` partition that holds it. */
  offsetsPartition: number;
  state: GroupStateName;
  protocolType: string | null;
  /** The protocol (assignment strategy) of the current generation; null while there is none. */
  protocolName: string | null;
  generationId: number;
  leaderId: string | null;
  /** In join order. */
  members: GroupMemberSnapshot[];
  /** Topics, then partitions, ascending. */
  offsets: CommittedOffsetSnapshot[];
}

export interface GroupMemberSnapshot {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  /**
   * The member's metadata for the group's protocol, or for its first protocol while none is
   * chosen (for protocol type "consumer": a Subscription); null when it has none.
   */
  metadata: Buffer | null;
  /** Its share of the leader's assignment (for "consumer": an Assignment); empty before the first. */
  assignment: Buffer;
}

export interface CommittedOffsetSnapshot extends CommittedOffset {
  topic: string;
  partition: number;
}
