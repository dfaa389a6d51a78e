/**
 * The classic group coordinator of one broker, as Kafka 3.x's GroupCoordinator behaves for
 * clients of the pre-KIP-848 protocol: it runs the JoinGroup/SyncGroup rebalance protocol,
 * watches member sessions, stores committed offsets, and persists all of it in the
 * `__consumer_offsets` partitions this broker leads.
 *
 * Ownership. A group lives on partition abs(hash(groupId)) mod offsets.topic.num.partitions
 * (offsets-topic-format.ts). The broker calls `loadPartition` when it becomes that
 * partition's leader (groups and offsets are rebuilt from the log) and `unloadPartition`
 * when it stops (groups are dropped; parked requests answered NOT_COORDINATOR). Requests
 * for a group on a partition not loaded here get NOT_COORDINATOR, and
 * COORDINATOR_LOAD_IN_PROGRESS between `beginLoadingPartition` and `loadPartition`.
 *
 * The rebalance (see group.ts for the states):
 *   1. A JoinGroup from a new member, a member with new metadata, or the leader moves the
 *      group to PreparingRebalance. JoinGroups are parked (their answer comes later).
 *   2. The join phase ends when every known member has rejoined and no MEMBER_ID_REQUIRED
 *      id is outstanding, or when the rebalance timeout (largest of the members') passes;
 *      dynamic members that did not rejoin are removed. A group that was Empty waits
 *      group.initial.rebalance.delay.ms instead, extended by the same delay (up to the
 *      rebalance timeout) while brand-new groups keep gaining members (InitialDelayedJoin).
 *   3. A new generation: generation + 1, a protocol all members support (by votes), the
 *      old leader if it rejoined, else the first member that did. The leader's JoinGroup
 *      answer lists every member's metadata; followers get an empty list.
 *   4. SyncGroups are parked until the leader's SyncGroup brings the assignment; the group
 *      (GroupMetadataValue) is appended to the log and, once committed, everyone gets its
 *      share and the group is Stable. Members that send no SyncGroup within the rebalance
 *      timeout are removed and a new rebalance starts.
 *   Sessions: each heartbeat (and commit, and sync) restarts the member's session timer;
 *   when it runs out the member is removed and the group rebalances. A member parked in
 *   JoinGroup/SyncGroup cannot time out, except a new member whose first join takes more
 *   than 5 minutes.
 *
 * Time comes from the injected Clock (timers only through clock.setTimer), member ids
 * from the injected Random. Nothing here is asynchronous by itself: an answer is delivered
 * through its callback either before the call returns or from a later timer or log
 * acknowledgement. Callbacks are queued and run only once the coordinator's state is
 * consistent again, so a callback may call straight back into the coordinator.
 *
 * Invariants: every request is answered exactly once (asserted); groups in the map are never
 * Dead; every timer belongs to a live group and is cancelled when its group is dropped; the
 * outbox of answers is bounded.
 *
 * Deliberate differences from Kafka, all at the edges: a request superseded by the same
 * member's newer JoinGroup/SyncGroup is answered REBALANCE_IN_PROGRESS (Kafka drops it); a
 * member removed while parked in SyncGroup is answered UNKNOWN_MEMBER_ID (Kafka drops it);
 * MEMBER_ID_REQUIRED ids outstanding per group are capped at group.max.size; protocol
 * metadata is bounded (INVALID_REQUEST beyond it); offsets that are not safe integers are
 * refused with INVALID_REQUEST.
 */
import { assert } from '../../util/assert';
import type { Clock, TimerHandle } from '../../util/clock';
import type { Random } from '../../util/random';
import type { CommittedOffset } from './committed-offsets';
import { ErrorCode } from '../../protocol/errors';
import { MAX_STRING_BYTES } from '../../protocol/types';
import { commitOffsetsError, storeGroupError } from './errors';
import { GroupMetadata, MemberMetadata, type JoinCallback, type SyncCallback } from './group';
import { replayOffsetsPartition } from './offsets-partition-reader';
import {
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
  GROUP_METADATA_VALUE_VERSION,
  OFFSET_COMMIT_VALUE_VERSION,
  OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY,
  partitionForGroup,
  type GroupMetadataValue,
} from './offsets-topic-format';
import {
  DEFAULT_GROUP_COORDINATOR_CONFIG,
  type AlterOffsetsEntry,
  type AlterOffsetsResponse,
  type DeleteGroupsResponse,
  type DescribedGroup,
  type GroupCoordinatorConfig,
  type GroupProtocol,
  type GroupStateName,
  type GroupSnapshot,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type ListGroupsResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
  type OffsetsLog,
  type OffsetsLogRecord,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from './types';

/** How long a new member's first JoinGroup may stay parked (Kafka's NewMemberJoinTimeoutMs). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;
/** Bound on the assignment strategies one member may offer. */
export const MAX_PROTOCOLS_PER_MEMBER = 64;
/** Bound on answers queued at once (every parked request of every group fits many times over). */
const MAX_OUTBOX = 1_000_000;
/** RecordBatch v2 header, and a record's worst-case framing, around the keys and values. */
const BATCH_OVERHEAD_BYTES = 61;
const RECORD_OVERHEAD_BYTES = 21;

const EMPTY = Buffer.alloc(0);

type Api = 'join' | 'sync' | 'heartbeat' | 'leave' | 'commit' | 'fetch' | 'describe' | 'delete';

export interface GroupCoordinatorOptions {
  brokerId: number;
  clock: Clock;
  random: Random;
  config?: Partial<GroupCoordinatorConfig>;
  offsetsLog: OffsetsLog;
}

export interface LoadSummary {
  /** False when the partition was already loaded (nothing was done). */
  loaded: boolean;
  groups: number;
  offsets: number;
  /** Records skipped: unknown key versions, unparseable bytes, groups of other partitions. */
  skippedRecords: number;
}

interface CommitEntry {
  topic: string;
  partition: number;
  /** null when the entry is refused before the append (its error in `error`). */
  value: CommittedOffset | null;
  error: number;
}

function joinError(memberId: string, errorCode: number): JoinGroupResponse {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId, members: [] };
}

function syncError(errorCode: number): SyncGroupResponse {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}

function fitsKafkaString(s: string): boolean {
  return Buffer.byteLength(s, 'utf8') <= MAX_STRING_BYTES;
}

export class GroupCoordinator {
  readonly brokerId: number;
  readonly config: Readonly<GroupCoordinatorConfig>;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly offsetsLog: OffsetsLog;

  private readonly groups = new Map<string, GroupMetadata>();
  private readonly ownedPartitions = new Set<number>();
  private readonly loadingPartitions = new Set<number>();
  private active = true;
  private cleanupTimer: TimerHandle | null = null;
  /** Increases with every offset append: orders acknowledgements (committed-offsets.ts). */
  private nextAppendOrder = 0;

  private readonly outbox: (() => void)[] = [];
  private depth = 0;

  constructor(opts: GroupCoordinatorOptions) {
    this.brokerId = opts.brokerId;
    this.clock = opts.clock;
    this.random = opts.random;
    this.offsetsLog = opts.offsetsLog;
    const config = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...(opts.config ?? {}) };
    for (const [name, value] of Object.entries(config)) {
      assert(Number.isSafeInteger(value) && value >= 0, () => `group coordinator config ${name} must be a non-negative integer, got ${value}`);
    }
    assert(config['group.min.session.timeout.ms'] <= config['group.max.session.timeout.ms'], 'group.min.session.timeout.ms must not exceed the max');
    assert(config['group.max.session.timeout.ms'] <= 0x7fffffff, 'session timeouts are int32');
    assert(config['offsets.topic.num.partitions'] > 0 && config['group.max.size'] > 0, 'offsets.topic.num.partitions and group.max.size must be positive');
    assert(config['offsets.retention.check.interval.ms'] > 0, 'offsets.retention.check.interval.ms must be positive');
    this.config = Object.freeze(config);
    this.scheduleOffsetsCleanup();
  }

  /** Stops the coordinator: cancels every timer; later requests get COORDINATOR_NOT_AVAILABLE. */
  close(): void {
    this.run(() => {
      this.active = false;
      this.cleanupTimer?.cancel();
      this.cleanupTimer = null;
      for (const partition of [...this.ownedPartitions, ...this.loadingPartitions]) this.unloadPartition(partition);
    });
  }

  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.config['offsets.topic.num.partitions']);
  }

  isPartitionLoaded(partition: number): boolean {
    return this.ownedPartitions.has(partition);
  }

  // ======================================================================================
  // Partition ownership.

  /** Marks a partition as loading: its groups get COORDINATOR_LOAD_IN_PROGRESS until `loadPartition`. */
  beginLoadingPartition(partition: number): void {
    this.checkPartition(partition);
    if (!this.ownedPartitions.has(partition)) this.loadingPartitions.add(partition);
  }

  /** This broker now leads `partition`: rebuild its groups and offsets from the log's records, in order. */
  loadPartition(partition: number, records: Iterable<OffsetsLogRecord>): LoadSummary {
    this.checkPartition(partition);
    return this.run(() => {
      if (this.ownedPartitions.has(partition)) return { loaded: false, groups: 0, offsets: 0, skippedRecords: 0 };
      let replayed: ReturnType<typeof replayOffsetsPartition>;
      try {
        replayed = replayOffsetsPartition(partition, this.config['offsets.topic.num.partitions'], records);
      } catch (e) {
        // Reading the log failed (or its records were out of order): the partition stays unowned.
        this.loadingPartitions.delete(partition);
        throw e;
      }
      const now = this.clock.nowMs();
      const loaded: GroupMetadata[] = [];
      for (const [groupId, g] of replayed.groups) {
        assert(!this.groups.has(groupId), () => `group ${groupId} is already loaded`);
        const group = g.metadata === null ? new GroupMetadata(groupId, 'Empty', now) : this.groupFromRecord(groupId, g.metadata, now);
        for (const o of g.offsets) group.offsets.load(o.topic, o.partition, o.value);
        this.groups.set(groupId, group);
        loaded.push(group);
      }
      this.loadingPartitions.delete(partition);
      this.ownedPartitions.add(partition);
      for (const group of loaded) this.onGroupLoaded(group);
      return { loaded: true, groups: replayed.groups.size, offsets: replayed.offsetCount, skippedRecords: replayed.skippedRecords };
    });
  }

  /** This broker no longer leads `partition`: drop its groups, answering parked requests NOT_COORDINATOR. */
  unloadPartition(partition: number): void {
    this.checkPartition(partition);
    this.run(() => {
      this.ownedPartitions.delete(partition);
      this.loadingPartitions.delete(partition);
      for (const group of [...this.groups.values()]) {
        if (this.partitionFor(group.groupId) !== partition) continue;
        this.onGroupUnloaded(group);
        this.groups.delete(group.groupId);
      }
    });
  }

  private checkPartition(partition: number): void {
    assert(
      Number.isInteger(partition) && partition >= 0 && partition < this.config['offsets.topic.num.partitions'],
      () => `no __consumer_offsets partition ${partition}`,
    );
  }

  private groupFromRecord(groupId: string, v: GroupMetadataValue, now: number): GroupMetadata {
    const group = new GroupMetadata(groupId, v.members.length > 0 ? 'Stable' : 'Empty', now);
    group.generationId = v.generation;
    group.protocolType = v.protocolType === '' ? null : v.protocolType;
    group.protocolName = v.protocol;
    group.currentStateTimestamp = v.currentStateTimestamp === -1 ? null : v.currentStateTimestamp;
    const protocol = v.protocol ?? '';
    for (const m of v.members) {
      if (group.has(m.memberId) || (m.groupInstanceId !== null && group.currentStaticMemberId(m.groupInstanceId) !== undefined)) continue;
      const member = new MemberMetadata(
        m.memberId,
        m.groupInstanceId,
        m.clientId,
        m.clientHost,
        v.version === 0 ? m.sessionTimeout : m.rebalanceTimeout,
        m.sessionTimeout,
        v.protocolType,
        [{ name: protocol, metadata: m.subscription }],
      );
      member.assignment = m.assignment;
      group.add(member, null);
    }
    if (v.leader !== null && group.has(v.leader)) group.leaderId = v.leader;
    if (group.size > 0) group.protocolName = protocol;
    group.subscribedTopics = group.computeSubscribedTopics();
    group.checkInvariants();
    return group;
  }

  private onGroupLoaded(group: GroupMetadata): void {
    assert(group.is('Stable') || group.is('Empty'), 'a loaded group is Stable or Empty');
    if (group.size > this.config['group.max.size']) this.prepareRebalance(group);
    for (const member of group.allMembers()) this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
  }

  private onGroupUnloaded(group: GroupMetadata): void {
    group.transitionTo('Dead', this.clock.nowMs());
    for (const member of group.allMembers()) {
      group.takeJoinCallback(member)?.(joinError(member.memberId, ErrorCode.NOT_COORDINATOR));
      group.takeSyncCallback(member)?.(syncError(ErrorCode.NOT_COORDINATOR));
    }
    this.cancelGroupTimers(group);
  }

  private cancelGroupTimers(group: GroupMetadata): void {
    for (const member of group.allMembers()) {
      member.heartbeatTimer?.cancel();
      member.heartbeatTimer = null;
    }
    for (const [id, timer] of group.pendingMembers) {
      timer?.cancel();
      group.pendingMembers.set(id, null);
    }
    group.joinTimer?.timer.cancel();
    group.joinTimer = null;
    group.syncTimer?.timer.cancel();
    group.syncTimer = null;
    group.clearPendingSyncMembers();
  }

  // ======================================================================================
  // JoinGroup.

  joinGroup(req: JoinGroupRequest, respond: (r: JoinGroupResponse) => void): void {
    this.run(() => {
      const reply = this.responder(respond);
      const status = this.validateGroupStatus(req.groupId, 'join');
      if (status !== ErrorCode.NONE) return reply(joinError(req.memberId, status));
      const sessionTimeoutMs = req.sessionTimeoutMs;
      if (sessionTimeoutMs < this.config['group.min.session.timeout.ms'] || sessionTimeoutMs > this.config['group.max.session.timeout.ms']) {
        return reply(joinError(req.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
      }
      if (!this.joinRequestWithinBounds(req)) return reply(joinError(req.memberId, ErrorCode.INVALID_REQUEST));
      const rebalanceTimeoutMs = req.rebalanceTimeoutMs < 0 ? sessionTimeoutMs : req.rebalanceTimeoutMs;
      const isUnknownMember = req.memberId === '';

      let group = this.groups.get(req.groupId);
      if (group === undefined) {
        // A group is created by a new member's join; a known member id for an unknown group is stale.
        if (!isUnknownMember) return reply(joinError(req.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
        group = this.createGroup(req.groupId);
      }

      if (!this.acceptJoiningMember(group, req.memberId)) {
        this.dropMemberOverCapacity(group, req.memberId);
        reply(joinError('', ErrorCode.GROUP_MAX_SIZE_REACHED));
      } else if (isUnknownMember) {
        this.doNewMemberJoinGroup(group, req, rebalanceTimeoutMs, reply);
      } else {
        this.doCurrentMemberJoinGroup(group, req, rebalanceTimeoutMs, reply);
      }
      if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
    });
  }

  private joinRequestWithinBounds(req: JoinGroupRequest): boolean {
    if (req.protocols.length > MAX_PROTOCOLS_PER_MEMBER) return false;
    const maxBytes = this.config['message.max.bytes'];
    if (req.protocols.some((p) => p.metadata.length > maxBytes || !fitsKafkaString(p.name))) return false;
    // Timeouts are int32 in the group's record.
    if (!Number.isInteger(req.sessionTimeoutMs) || !Number.isInteger(req.rebalanceTimeoutMs) || req.rebalanceTimeoutMs > 0x7fffffff) return false;
    // Everything else that goes into the record must fit Kafka's strings; a member id is the
    // client id (or instance id) plus a 37-character suffix.
    const suffix = '-'.repeat(37);
    return (
      fitsKafkaString(req.clientId + suffix) &&
      (req.groupInstanceId === null || fitsKafkaString(req.groupInstanceId + suffix)) &&
      fitsKafkaString(req.clientHost) &&
      fitsKafkaString(req.protocolType) &&
      fitsKafkaString(req.memberId)
    );
  }

  /** Whether the group has room for this member (Kafka's acceptJoiningMember). */
  private acceptJoiningMember(group: GroupMetadata, memberId: string): boolean {
    const max = this.config['group.max.size'];
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        return (group.has(memberId) && group.get(memberId).awaitingJoin !== null) || group.numAwaiting < max;
      case 'CompletingRebalance':
      case 'Stable':
        return group.has(memberId) || group.size < max;
    }
  }

  private dropMemberOverCapacity(group: GroupMetadata, memberId: string): void {
    if (group.has(memberId)) {
      const member = group.get(memberId);
      group.takeSyncCallback(member)?.(syncError(ErrorCode.GROUP_MAX_SIZE_REACHED));
      member.heartbeatTimer?.cancel();
      member.heartbeatTimer = null;
    }
    group.pendingMembers.get(memberId)?.cancel();
    group.remove(memberId);
  }

  private doNewMemberJoinGroup(group: GroupMetadata, req: JoinGroupRequest, rebalanceTimeoutMs: number, reply: JoinCallback): void {
    if (group.is('Dead')) return reply(joinError('', ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(req.protocolType, req.protocols.map((p) => p.name))) {
      return reply(joinError('', ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const newMemberId = this.generateMemberId(group, req.groupInstanceId ?? req.clientId);
    if (req.groupInstanceId !== null) {
      const oldMemberId = group.currentStaticMemberId(req.groupInstanceId);
      if (oldMemberId !== undefined) this.updateStaticMemberAndRebalance(group, oldMemberId, newMemberId, req, rebalanceTimeoutMs, reply);
      else this.addMemberAndRebalance(group, newMemberId, req, rebalanceTimeoutMs, reply);
    } else if (req.requireKnownMemberId) {
      // KIP-394: hand out the id and ask the member to join again with it, so that a client
      // that loses the answer does not leave a ghost member behind.
      if (group.numPending >= this.config['group.max.size']) return reply(joinError('', ErrorCode.GROUP_MAX_SIZE_REACHED));
      const expiry = this.clock.setTimer(req.sessionTimeoutMs, () => this.run(() => this.onExpirePendingMember(group, newMemberId)));
      group.addPendingMember(newMemberId, expiry);
      reply(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    } else {
      this.addMemberAndRebalance(group, newMemberId, req, rebalanceTimeoutMs, reply);
    }
  }

  private doCurrentMemberJoinGroup(group: GroupMetadata, req: JoinGroupRequest, rebalanceTimeoutMs: number, reply: JoinCallback): void {
    const memberId = req.memberId;
    if (group.is('Dead')) return reply(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(req.protocolType, req.protocols.map((p) => p.name))) {
      return reply(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (group.isPendingMember(memberId)) {
      // Pending ids are only handed to dynamic members; Kafka fails such a request outright.
      if (req.groupInstanceId !== null) return reply(joinError(memberId, ErrorCode.UNKNOWN_SERVER_ERROR));
      return this.addMemberAndRebalance(group, memberId, req, rebalanceTimeoutMs, reply);
    }
    const error = this.validateCurrentMember(group, memberId, req.groupInstanceId);
    if (error !== ErrorCode.NONE) return reply(joinError(memberId, error));
    const member = group.get(memberId);
    const protocols = copyProtocols(req.protocols);
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, protocols, rebalanceTimeoutMs, req.sessionTimeoutMs, reply);
      case 'CompletingRebalance':
        // Same metadata: the member probably lost our answer; give it the current generation again.
        if (member.matches(protocols)) return reply(this.joinResult(group, member, group.isLeader(memberId)));
        return this.updateMemberAndRebalance(group, member, protocols, rebalanceTimeoutMs, req.sessionTimeoutMs, reply);
      case 'Stable':
        // The leader rejoining forces a rebalance (it saw metadata change the others cannot see).
        if (group.isLeader(memberId) || !member.matches(protocols)) {
          return this.updateMemberAndRebalance(group, member, protocols, rebalanceTimeoutMs, req.sessionTimeoutMs, reply);
        }
        return reply(this.joinResult(group, member, false));
      case 'Empty':
      case 'Dead':
        return reply(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  /** The current generation's JoinGroup answer for `member` (with the member list for the leader). */
  private joinResult(group: GroupMetadata, member: MemberMetadata, withMembers: boolean): JoinGroupResponse {
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId: member.memberId,
      members: withMembers ? group.currentMemberMetadata() : [],
    };
  }

  private addMemberAndRebalance(group: GroupMetadata, memberId: string, req: JoinGroupRequest, rebalanceTimeoutMs: number, callback: JoinCallback): void {
    const member = new MemberMetadata(
      memberId,
      req.groupInstanceId,
      req.clientId,
      req.clientHost,
      rebalanceTimeoutMs,
      req.sessionTimeoutMs,
      req.protocolType,
      copyProtocols(req.protocols),
    );
    member.isNew = true;
    // A brand-new group keeps extending its initial delay while members keep arriving.
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.pendingMembers.get(memberId)?.cancel();
    group.add(member, callback);
    // A parked new member cannot heartbeat; if its client gave up, drop it after a while.
    this.scheduleHeartbeatExpiration(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.maybePrepareRebalance(group);
  }

  private updateMemberAndRebalance(
    group: GroupMetadata,
    member: MemberMetadata,
    protocols: GroupProtocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    callback: JoinCallback,
  ): void {
    this.supersedeParkedJoin(group, member);
    group.updateMember(member, protocols, rebalanceTimeoutMs, sessionTimeoutMs, callback);
    this.maybePrepareRebalance(group);
  }

  /** A member's newer JoinGroup replaces its parked one; the old one is told to rejoin. */
  private supersedeParkedJoin(group: GroupMetadata, member: MemberMetadata): void {
    group.takeJoinCallback(member)?.(joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
  }

  /**
   * A known static member (group.instance.id) joins with no member id, e.g. after a restart:
   * it takes over the old member id's place. Unchanged protocols in a Stable group need no
   * rebalance: the group is persisted with the new id and the member keeps its assignment.
   */
  private updateStaticMemberAndRebalance(
    group: GroupMetadata,
    oldMemberId: string,
    newMemberId: string,
    req: JoinGroupRequest,
    rebalanceTimeoutMs: number,
    reply: JoinCallback,
  ): void {
    const groupInstanceId = req.groupInstanceId;
    assert(groupInstanceId !== null, 'a static member has an instance id');
    const currentLeader = group.leaderId;
    const old = group.get(oldMemberId);
    // Fence whoever still uses the old id: its parked requests end now.
    group.takeJoinCallback(old)?.(joinError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID));
    group.takeSyncCallback(old)?.(syncError(ErrorCode.FENCED_INSTANCE_ID));
    const member = group.replaceStaticMember(groupInstanceId, oldMemberId, newMemberId);
    this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
    const oldProtocols = member.supportedProtocols;
    const oldRebalanceTimeoutMs = member.rebalanceTimeoutMs;
    const oldSessionTimeoutMs = member.sessionTimeoutMs;
    group.updateMember(member, copyProtocols(req.protocols), rebalanceTimeoutMs, req.sessionTimeoutMs, reply);

    switch (group.state) {
      case 'Stable': {
        if (group.protocolName !== group.selectProtocol()) return this.maybePrepareRebalance(group);
        const generationId = group.generationId;
        const assignment = new Map(group.allMembers().map((m) => [m.memberId, m.assignment]));
        // Still this member's join, in the generation it joined? (A rebalance may have started
        // meanwhile; then the rebalance answers the parked join.)
        const stillOurs = (): boolean =>
          group.is('Stable') && group.generationId === generationId && group.has(newMemberId) && group.get(newMemberId) === member && member.awaitingJoin === reply;
        this.storeGroup(group, assignment, (error) => {
          if (!stillOurs()) return;
          if (error !== ErrorCode.NONE) {
            // Not persisted: put the old member id back, as if this join never happened.
            group.updateMember(member, oldProtocols, oldRebalanceTimeoutMs, oldSessionTimeoutMs, null);
            const restored = group.replaceStaticMember(groupInstanceId, newMemberId, oldMemberId);
            this.scheduleHeartbeatExpiration(group, restored, restored.sessionTimeoutMs);
            reply({ ...joinError('', error), generationId: group.generationId, protocolType: group.protocolType, protocolName: group.protocolName, leader: currentLeader ?? '' });
            return;
          }
          group.takeJoinCallback(member);
          if (req.supportSkippingAssignment === true) {
            // v9+: the leader learns it leads, but must not run the assignor (the group is Stable).
            const isLeader = group.isLeader(newMemberId);
            reply({ ...this.joinResult(group, member, isLeader), skipAssignment: isLeader });
          } else {
            // Before v9: name the old leader id, so a returning leader does not think it leads
            // and compute an assignment a Stable group would ignore.
            reply({ ...this.joinResult(group, member, false), leader: currentLeader ?? '' });
          }
        });
        return;
      }
      case 'CompletingRebalance':
        // The leader may already be assigning to the old id: start over.
        return this.prepareRebalance(group);
      case 'PreparingRebalance':
        return;
      case 'Empty':
      case 'Dead':
        assert(false, () => `static member ${groupInstanceId} rejoined group ${group.groupId} in state ${group.state}`);
    }
  }

  private onExpirePendingMember(group: GroupMetadata, memberId: string): void {
    if (group.is('Dead') || group.has(memberId) || !group.isPendingMember(memberId)) return;
    this.removePendingMemberAndUpdateGroup(group, memberId);
  }

  // ======================================================================================
  // Rebalance machinery.

  private maybePrepareRebalance(group: GroupMetadata): void {
    if (group.canRebalance) this.prepareRebalance(group);
  }

  private prepareRebalance(group: GroupMetadata): void {
    // Members waiting for an assignment must rejoin instead.
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    this.removeSyncExpiration(group);
    const wasEmpty = group.is('Empty');
    group.transitionTo('PreparingRebalance', this.clock.nowMs());
    if (wasEmpty) {
      const delayMs = this.config['group.initial.rebalance.delay.ms'];
      this.scheduleJoinCompletion(group, true, delayMs, Math.max(group.rebalanceTimeoutMs - delayMs, 0));
    } else {
      this.scheduleJoinCompletion(group, false, group.rebalanceTimeoutMs, 0);
    }
  }

  /**
   * Kafka's DelayedJoin (initial = false: completes early once everyone joined) and
   * InitialDelayedJoin (initial = true: always waits, see onJoinTimer).
   */
  private scheduleJoinCompletion(group: GroupMetadata, initial: boolean, delayMs: number, remainingMs: number): void {
    assert(group.joinTimer === null, 'one join completion at a time');
    if (!initial && group.hasAllMembersJoined()) return this.onCompleteJoin(group);
    const entry = { timer: { cancel: () => {} } as TimerHandle, initial, delayMs, remainingMs };
    entry.timer = this.clock.setTimer(delayMs, () => this.run(() => this.onJoinTimer(group, entry)));
    group.joinTimer = entry;
  }

  private onJoinTimer(group: GroupMetadata, entry: NonNullable<GroupMetadata['joinTimer']>): void {
    if (group.joinTimer !== entry) return;
    group.joinTimer = null;
    if (entry.initial && group.newMemberAdded && entry.remainingMs !== 0) {
      group.newMemberAdded = false;
      const delayMs = Math.min(this.config['group.initial.rebalance.delay.ms'], entry.remainingMs);
      const remainingMs = Math.max(entry.remainingMs - entry.delayMs, 0);
      return this.scheduleJoinCompletion(group, true, delayMs, remainingMs);
    }
    this.onCompleteJoin(group);
  }

  /** Completes the join phase early if every member has rejoined (not during an initial delay). */
  private tryCompleteJoin(group: GroupMetadata): void {
    const entry = group.joinTimer;
    if (entry === null || entry.initial || !group.hasAllMembersJoined()) return;
    entry.timer.cancel();
    group.joinTimer = null;
    this.onCompleteJoin(group);
  }

  private onCompleteJoin(group: GroupMetadata): void {
    assert(group.is('PreparingRebalance') || group.is('Dead'), () => `join completes in PreparingRebalance, not ${group.state}`);
    // Dynamic members that did not rejoin in time are gone; static ones keep their place.
    for (const member of group.notYetRejoinedMembers()) {
      if (member.isStatic) continue;
      group.takeSyncCallback(member)?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      member.heartbeatTimer?.cancel();
      member.heartbeatTimer = null;
      group.remove(member.memberId);
    }
    if (group.is('Dead')) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members remain and none rejoined: wait another round for them (or for
      // their sessions to end).
      return this.scheduleJoinCompletion(group, false, group.rebalanceTimeoutMs, 0);
    }
    group.initNextGeneration(this.clock.nowMs());
    if (group.is('Empty')) {
      // Everyone left: persist the empty generation (a failure only means an older generation
      // reappears after a coordinator move, and its members will time out).
      this.storeGroup(group, new Map(), () => {});
      return;
    }
    for (const member of group.allMembers()) {
      group.takeJoinCallback(member)?.(this.joinResult(group, member, group.isLeader(member.memberId)));
      this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
      member.isNew = false;
      group.addPendingSyncMember(member.memberId);
    }
    this.schedulePendingSync(group);
    group.checkInvariants();
  }

  /** Kafka's DelayedSync: members that send no SyncGroup within the rebalance timeout are removed. */
  private schedulePendingSync(group: GroupMetadata): void {
    group.syncTimer?.timer.cancel();
    const entry = { timer: { cancel: () => {} } as TimerHandle, generationId: group.generationId };
    entry.timer = this.clock.setTimer(group.rebalanceTimeoutMs, () => this.run(() => this.onExpirePendingSync(group, entry)));
    group.syncTimer = entry;
  }

  private maybeCompleteSyncExpiration(group: GroupMetadata): void {
    const entry = group.syncTimer;
    if (entry === null) return;
    const done =
      entry.generationId !== group.generationId ||
      group.is('Dead') ||
      group.is('Empty') ||
      group.is('PreparingRebalance') ||
      group.hasReceivedSyncFromAllMembers();
    if (!done) return;
    entry.timer.cancel();
    group.syncTimer = null;
  }

  private removePendingSyncMember(group: GroupMetadata, memberId: string): void {
    group.removePendingSyncMember(memberId);
    this.maybeCompleteSyncExpiration(group);
  }

  private removeSyncExpiration(group: GroupMetadata): void {
    group.clearPendingSyncMembers();
    this.maybeCompleteSyncExpiration(group);
  }

  private onExpirePendingSync(group: GroupMetadata, entry: NonNullable<GroupMetadata['syncTimer']>): void {
    if (group.syncTimer !== entry) return;
    group.syncTimer = null;
    if (entry.generationId !== group.generationId || !(group.is('CompletingRebalance') || group.is('Stable'))) return;
    if (group.hasReceivedSyncFromAllMembers()) return;
    for (const memberId of group.allPendingSyncMembers()) {
      const member = group.get(memberId);
      group.takeJoinCallback(member)?.(joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
      group.takeSyncCallback(member)?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      member.heartbeatTimer?.cancel();
      member.heartbeatTimer = null;
      group.remove(memberId);
    }
    this.prepareRebalance(group);
  }

  private resetAndPropagateAssignmentError(group: GroupMetadata, error: number): void {
    assert(group.is('CompletingRebalance'), 'assignments are propagated while completing a rebalance');
    for (const member of group.allMembers()) member.assignment = EMPTY;
    this.propagateAssignment(group, error);
  }

  private setAndPropagateAssignment(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>): void {
    assert(group.is('CompletingRebalance'), 'assignments are propagated while completing a rebalance');
    for (const member of group.allMembers()) {
      const a = assignment.get(member.memberId);
      assert(a !== undefined, () => `no assignment for member ${member.memberId}`);
      member.assignment = a;
    }
    this.propagateAssignment(group, ErrorCode.NONE);
  }

  private propagateAssignment(group: GroupMetadata, error: number): void {
    const ok = error === ErrorCode.NONE;
    for (const member of group.allMembers()) {
      const cb = group.takeSyncCallback(member);
      if (cb === null) continue;
      cb({ errorCode: error, protocolType: ok ? group.protocolType : null, protocolName: ok ? group.protocolName : null, assignment: member.assignment });
      // A session that ran out while the member waited for its assignment starts afresh now.
      this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
    }
  }

  // -- sessions --------------------------------------------------------------------------

  private scheduleHeartbeatExpiration(group: GroupMetadata, member: MemberMetadata, timeoutMs: number): void {
    member.heartbeatTimer?.cancel();
    const memberId = member.memberId;
    member.heartbeatTimer = this.clock.setTimer(timeoutMs, () => this.run(() => this.onExpireHeartbeat(group, member, memberId)));
  }

  private onExpireHeartbeat(group: GroupMetadata, member: MemberMetadata, memberId: string): void {
    if (group.is('Dead') || !group.has(memberId) || group.get(memberId) !== member) return;
    member.heartbeatTimer = null;
    if (!member.hasSatisfiedHeartbeat) this.removeMemberAndUpdateGroup(group, member);
  }

  private removeMemberAndUpdateGroup(group: GroupMetadata, member: MemberMetadata): void {
    // A parked JoinGroup of a member being removed is told to start over.
    group.takeJoinCallback(member)?.(joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
    group.takeSyncCallback(member)?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    member.heartbeatTimer?.cancel();
    member.heartbeatTimer = null;
    group.remove(member.memberId);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        return this.maybePrepareRebalance(group);
      case 'PreparingRebalance':
        return this.tryCompleteJoin(group);
      default:
        return;
    }
  }

  private removePendingMemberAndUpdateGroup(group: GroupMetadata, memberId: string): void {
    group.pendingMembers.get(memberId)?.cancel();
    group.remove(memberId);
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
  }

  // ======================================================================================
  // SyncGroup.

  syncGroup(req: SyncGroupRequest, respond: (r: SyncGroupResponse) => void): void {
    this.run(() => {
      const reply = this.responder(respond);
      const status = this.validateGroupStatus(req.groupId, 'sync');
      // While loading, the rebalance in progress is lost: rejoining is what the member must do.
      if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return reply(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      if (status !== ErrorCode.NONE) return reply(syncError(status));
      const group = this.groups.get(req.groupId);
      if (group === undefined) return reply(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      this.doSyncGroup(group, req, reply);
    });
  }

  private doSyncGroup(group: GroupMetadata, req: SyncGroupRequest, reply: SyncCallback): void {
    const error = this.validateSyncGroup(group, req);
    if (error !== ErrorCode.NONE) return reply(syncError(error));
    const member = group.get(req.memberId);
    switch (group.state) {
      case 'Empty':
        return reply(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return reply(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'CompletingRebalance': {
        group.takeSyncCallback(member)?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        member.awaitingSync = reply;
        this.removePendingSyncMember(group, member.memberId);
        if (!group.isLeader(member.memberId)) return;
        // The leader's assignment; members it left out get an empty one.
        const assignment = new Map<string, Buffer>();
        for (const m of group.allMembers()) assignment.set(m.memberId, EMPTY);
        for (const a of req.assignments) if (assignment.has(a.memberId)) assignment.set(a.memberId, Buffer.from(a.assignment));
        const generationId = group.generationId;
        this.storeGroup(group, assignment, (storeError) => {
          // The group may have moved on (a member joined or left) while the record was written.
          if (!group.is('CompletingRebalance') || group.generationId !== generationId) return;
          if (storeError !== ErrorCode.NONE) {
            this.resetAndPropagateAssignmentError(group, storeError);
            this.maybePrepareRebalance(group);
          } else {
            this.setAndPropagateAssignment(group, assignment);
            group.transitionTo('Stable', this.clock.nowMs());
          }
        });
        return;
      }
      case 'Stable':
        this.removePendingSyncMember(group, member.memberId);
        reply({ errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment });
        return this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
      case 'Dead':
        assert(false, 'a Dead group was validated');
    }
  }

  private validateSyncGroup(group: GroupMetadata, req: SyncGroupRequest): number {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const memberError = this.validateCurrentMember(group, req.memberId, req.groupInstanceId);
    if (memberError !== ErrorCode.NONE) return memberError;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (req.protocolType !== null && req.protocolType !== group.protocolType) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
    if (req.protocolName !== null && req.protocolName !== group.protocolName) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
    return ErrorCode.NONE;
  }

  // ======================================================================================
  // Heartbeat and LeaveGroup.

  heartbeat(req: HeartbeatRequest, respond: (r: HeartbeatResponse) => void): void {
    this.run(() => {
      const reply = this.responder(respond);
      const status = this.validateGroupStatus(req.groupId, 'heartbeat');
      // Still loading: the member cannot be checked yet, so it is not bothered.
      if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return reply({ errorCode: ErrorCode.NONE });
      if (status !== ErrorCode.NONE) return reply({ errorCode: status });
      const group = this.groups.get(req.groupId);
      if (group === undefined) return reply({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
      if (group.is('Dead')) return reply({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
      const memberError = this.validateCurrentMember(group, req.memberId, req.groupInstanceId);
      if (memberError !== ErrorCode.NONE) return reply({ errorCode: memberError });
      if (req.generationId !== group.generationId) return reply({ errorCode: ErrorCode.ILLEGAL_GENERATION });
      const member = group.get(req.memberId);
      switch (group.state) {
        case 'Empty':
          return reply({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
        case 'CompletingRebalance':
        case 'Stable':
          this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
          return reply({ errorCode: ErrorCode.NONE });
        case 'PreparingRebalance':
          this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
          return reply({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
        case 'Dead':
          assert(false, 'a Dead group was checked');
      }
    });
  }

  leaveGroup(req: LeaveGroupRequest, respond: (r: LeaveGroupResponse) => void): void {
    this.run(() => {
      const reply = this.responder(respond);
      const status = this.validateGroupStatus(req.groupId, 'leave');
      if (status !== ErrorCode.NONE) return reply({ errorCode: status, members: [] });
      const group = this.groups.get(req.groupId);
      const result = (m: LeaveGroupRequest['members'][number], errorCode: number) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode });
      if (group === undefined) return reply({ errorCode: ErrorCode.NONE, members: req.members.map((m) => result(m, ErrorCode.UNKNOWN_MEMBER_ID)) });
      if (group.is('Dead')) return reply({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] });
      const members = req.members.map((leaving) => {
        if (leaving.memberId === '') {
          // Removing a static member by instance id alone (an admin operation).
          const currentId = leaving.groupInstanceId === null ? undefined : group.currentStaticMemberId(leaving.groupInstanceId);
          if (currentId === undefined) return result(leaving, ErrorCode.UNKNOWN_MEMBER_ID);
          this.removeMemberAndUpdateGroup(group, group.get(currentId));
          return result(leaving, ErrorCode.NONE);
        }
        if (group.isPendingMember(leaving.memberId)) {
          this.removePendingMemberAndUpdateGroup(group, leaving.memberId);
          return result(leaving, ErrorCode.NONE);
        }
        const error = this.validateCurrentMember(group, leaving.memberId, leaving.groupInstanceId);
        if (error !== ErrorCode.NONE) return result(leaving, error);
        this.removeMemberAndUpdateGroup(group, group.get(leaving.memberId));
        return result(leaving, ErrorCode.NONE);
      });
      reply({ errorCode: ErrorCode.NONE, members });
    });
  }

  /**
   * Checks that `groupInstanceId`, if given, maps to `memberId` (else FENCED_INSTANCE_ID, or
   * UNKNOWN_MEMBER_ID when the instance is unknown) and that `memberId` is a member.
   */
  private validateCurrentMember(group: GroupMetadata, memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = group.currentStaticMemberId(groupInstanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    }
    return group.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  // ======================================================================================
  // Offsets.

  commitOffsets(req: OffsetCommitRequest, respond: (r: OffsetCommitResponse) => void): void {
    this.run(() => {
      const reply = this.responder(respond);
      const now = this.clock.nowMs();
      const entries = this.commitEntries(req, now);
      const answer = (errorFor: (e: CommitEntry) => number): void => reply(commitResponse(entries, errorFor));
      const status = this.validateGroupStatus(req.groupId, 'commit');
      if (status !== ErrorCode.NONE) return answer(() => status);
      let group = this.groups.get(req.groupId);
      if (group === undefined) {
        // Outside group management (generation -1) a commit creates the group; a member of
        // some generation committing to a group that does not exist is from the past.
        if (req.generationId >= 0) return answer(() => ErrorCode.ILLEGAL_GENERATION);
        group = this.createGroup(req.groupId);
      }
      const error = this.validateOffsetCommit(group, req);
      if (error !== ErrorCode.NONE) return answer(() => error);
      switch (group.state) {
        case 'Empty':
          return this.storeOffsets(group, entries, answer);
        case 'Stable':
        case 'PreparingRebalance': {
          // A commit is proof of life; the rebalance itself is announced by heartbeats.
          const member = group.get(req.memberId);
          this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
          return this.storeOffsets(group, entries, answer);
        }
        case 'CompletingRebalance':
          // The member has the new generation but no assignment yet: it must not commit.
          return answer(() => ErrorCode.REBALANCE_IN_PROGRESS);
        case 'Dead':
          assert(false, 'a Dead group was validated');
      }
    });
  }

  private commitEntries(req: OffsetCommitRequest, now: number): CommitEntry[] {
    const expireTimestamp = req.retentionTimeMs === -1 ? -1 : now + req.retentionTimeMs;
    const maxMetadata = this.config['offset.metadata.max.bytes'];
    const entries: CommitEntry[] = [];
    for (const topic of req.topics) {
      for (const p of topic.partitions) {
        const entry: CommitEntry = { topic: topic.name, partition: p.partitionIndex, value: null, error: ErrorCode.NONE };
        const metadata = p.committedMetadata ?? '';
        const commitTimestamp = p.commitTimestamp === -1 ? now : p.commitTimestamp;
        const sane =
          fitsKafkaString(topic.name) &&
          fitsKafkaString(metadata) &&
          Number.isInteger(p.partitionIndex) &&
          p.partitionIndex >= 0 &&
          p.partitionIndex <= 0x7fffffff &&
          [p.committedOffset, commitTimestamp, expireTimestamp].every(Number.isSafeInteger) &&
          Number.isInteger(p.committedLeaderEpoch) &&
          p.committedLeaderEpoch >= -1 &&
          p.committedLeaderEpoch <= 0x7fffffff;
        // Kafka measures metadata in UTF-16 units (String.length), as JS does.
        if (p.committedMetadata !== null && p.committedMetadata.length > maxMetadata) entry.error = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        else if (!sane) entry.error = ErrorCode.INVALID_REQUEST;
        else entry.value = { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata, commitTimestamp, expireTimestamp };
        entries.push(entry);
      }
    }
    return entries;
  }

  /** Kafka's validateOffsetCommit. */
  private validateOffsetCommit(group: GroupMetadata, req: OffsetCommitRequest): number {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    // Generation -1: an admin tool or a consumer outside group management; fine while no one is in the group.
    if (req.generationId < 0 && group.is('Empty')) return ErrorCode.NONE;
    if (req.generationId >= 0 || req.memberId !== '' || req.groupInstanceId !== null) {
      const memberError = this.validateCurrentMember(group, req.memberId, req.groupInstanceId);
      if (memberError !== ErrorCode.NONE) return memberError;
      return req.generationId === group.generationId ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
    }
    // Not a member, and the group has members: only they may commit.
    return group.is('Empty') ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  private storeOffsets(group: GroupMetadata, entries: CommitEntry[], answer: (errorFor: (e: CommitEntry) => number) => void): void {
    const valid = new Map<string, CommitEntry>();
    for (const e of entries) if (e.value !== null) valid.set(`${e.partition}:${e.topic}`, e);
    if (valid.size === 0) return answer((e) => e.error);
    const partition = this.partitionFor(group.groupId);
    if (!this.ownedPartitions.has(partition)) return answer((e) => (e.value === null ? e.error : ErrorCode.NOT_COORDINATOR));
    const records = [...valid.values()].map((e) => {
      const v = e.value!;
      return {
        key: encodeOffsetCommitKey(group.groupId, e.topic, e.partition),
        value: encodeOffsetCommitValue({ version: v.expireTimestamp === -1 ? OFFSET_COMMIT_VALUE_VERSION : OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY, ...v }),
      };
    });
    if (batchBytes(records) > this.config['message.max.bytes']) {
      const tooLarge = commitOffsetsError(ErrorCode.RECORD_LIST_TOO_LARGE);
      return answer((e) => (e.value === null ? e.error : tooLarge));
    }
    const order = this.nextAppendOrder++;
    for (const e of valid.values()) group.offsets.prepare(e.topic, e.partition, order);
    this.append(partition, records, (appendError) => {
      const error = commitOffsetsError(appendError);
      const apply = error === ErrorCode.NONE && !group.is('Dead');
      for (const e of valid.values()) group.offsets.complete(e.topic, e.partition, apply ? e.value : null, order);
      answer((e) => (e.value === null ? e.error : error));
    });
  }

  /** OffsetFetch: committed offsets of a group (-1 where none). Answers at once. */
  fetchOffsets(req: OffsetFetchRequest): OffsetFetchResponse {
    const status = this.validateGroupStatus(req.groupId, 'fetch');
    if (status !== ErrorCode.NONE) return { errorCode: status, topics: [] };
    const group = this.groups.get(req.groupId);
    const none = (partitionIndex: number, errorCode: number = ErrorCode.NONE) => ({ partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode });
    if (group === undefined || group.is('Dead')) {
      return { errorCode: ErrorCode.NONE, topics: (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => none(p)) })) };
    }
    const present = (o: CommittedOffset, partitionIndex: number) => ({
      partitionIndex,
      committedOffset: o.offset,
      committedLeaderEpoch: o.leaderEpoch,
      metadata: o.metadata,
      errorCode: ErrorCode.NONE,
    });
    if (req.topics === null) {
      const byTopic = new Map<string, ReturnType<typeof present>[]>();
      for (const { topic, partition, value } of group.offsets.all()) {
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        list.push(present(value, partition));
      }
      return { errorCode: ErrorCode.NONE, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) => {
          if (req.requireStable === true && group.offsets.hasPending(t.name, p)) return none(p, ErrorCode.UNSTABLE_OFFSET_COMMIT);
          const o = group.offsets.get(t.name, p);
          return o === undefined ? none(p) : present(o, p);
        }),
      })),
    };
  }

  /**
   * An admin's offset change, as Kafka's Admin.alterConsumerGroupOffsets sends it (and
   * `kafka-consumer-groups --reset-offsets` with it): an OffsetCommit on behalf of no
   * member (generation -1), which Kafka accepts only while the group is Empty (or
   * unknown). A group with members answers UNKNOWN_MEMBER_ID. The answer carries every
   * partition's error and the first of them (NONE when all were stored).
   */
  alterOffsets(groupId: string, offsets: readonly AlterOffsetsEntry[], respond: (r: AlterOffsetsResponse) => void): void {
    const topics = new Map<string, OffsetCommitRequest['topics'][number]>();
    for (const o of offsets) {
      let t = topics.get(o.topic);
      if (!t) topics.set(o.topic, (t = { name: o.topic, partitions: [] }));
      t.partitions.push({ partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: o.metadata ?? null });
    }
    const req: OffsetCommitRequest = { groupId, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [...topics.values()] };
    this.commitOffsets(req, (r) => {
      const partitions = r.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode })));
      const errorCode = partitions.find((p) => p.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE;
      respond({ errorCode, partitions });
    });
  }

  // ======================================================================================
  // Describe, list, delete.

  describeGroups(groupIds: readonly string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      const status = this.validateGroupStatus(groupId, 'describe');
      const blank = { groupId, protocolType: '', protocolData: '', members: [] };
      if (status !== ErrorCode.NONE) return { errorCode: status, groupState: '', ...blank };
      const group = this.groups.get(groupId);
      if (group === undefined) return { errorCode: ErrorCode.NONE, groupState: 'Dead', ...blank };
      const stable = group.is('Stable');
      assert(!stable || group.protocolName !== null, 'a Stable group has a protocol');
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        groupState: group.state,
        protocolType: group.protocolType ?? '',
        protocolData: stable ? group.protocolName! : '',
        members: group.allMembers().map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: stable ? m.metadata(group.protocolName!) : EMPTY,
          memberAssignment: stable ? m.assignment : EMPTY,
        })),
      };
    });
  }

  /** ListGroups: the groups this broker coordinates, optionally only those in the given states. */
  listGroups(statesFilter?: readonly string[] | null): ListGroupsResponse {
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const states = new Set(statesFilter ?? []);
    const groups = [...this.groups.values()]
      .filter((g) => states.size === 0 || states.has(g.state))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state }));
    return { errorCode: this.loadingPartitions.size > 0 ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE, groups };
  }

  /**
   * DeleteGroups: an Empty group is deleted with its offsets (tombstones appended); a group
   * with members is NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND. Answers once the
   * tombstones are acknowledged (an append error is reported, mapped as for commits; the
   * group is gone from memory either way, as in Kafka).
   */
  deleteGroups(groupIds: readonly string[], respond: (r: DeleteGroupsResponse) => void): void {
    this.run(() => {
      const reply = this.responder(respond);
      const results = new Map<string, number>();
      const eligible: GroupMetadata[] = [];
      for (const groupId of groupIds) {
        if (results.has(groupId)) continue;
        const status = this.validateGroupStatus(groupId, 'delete');
        const group = this.groups.get(groupId);
        if (status !== ErrorCode.NONE) results.set(groupId, status);
        else if (group === undefined || group.is('Dead')) results.set(groupId, ErrorCode.GROUP_ID_NOT_FOUND);
        else if (group.is('Empty')) {
          group.transitionTo('Dead', this.clock.nowMs());
          eligible.push(group);
          results.set(groupId, ErrorCode.NONE);
        } else results.set(groupId, ErrorCode.NON_EMPTY_GROUP);
      }
      const finish = (): void => reply({ results: [...results].map(([groupId, errorCode]) => ({ groupId, errorCode })) });
      let outstanding = eligible.length;
      if (outstanding === 0) return finish();
      this.cleanupGroups(
        eligible,
        (g) => g.offsets.remove(g.offsets.all()),
        (groupId, appendError) => {
          results.set(groupId, commitOffsetsError(appendError));
          if (--outstanding === 0) finish();
        },
      );
    });
  }

  // ======================================================================================
  // Offset expiry and group cleanup.

  private scheduleOffsetsCleanup(): void {
    this.cleanupTimer = this.clock.setTimer(this.config['offsets.retention.check.interval.ms'], () =>
      this.run(() => {
        this.expireOffsets();
        if (this.active) this.scheduleOffsetsCleanup();
      }),
    );
  }

  /**
   * Removes expired offsets (tombstones appended) and drops Empty groups left without any;
   * runs every offsets.retention.check.interval.ms. Returns how many offsets expired.
   *   - Empty group with a protocol type: every offset, once the group has been Empty for the
   *     retention period (or, for an old record without that time, since the commit);
   *   - Stable consumer group: offsets of topics no member subscribes to, retention after commit;
   *   - no protocol type (offsets-only group): retention after each commit.
   * A commit that asked for its own retention (OffsetCommit v2-v4) expires at that time.
   */
  expireOffsets(): number {
    return this.run(() => {
      const now = this.clock.nowMs();
      const retentionMs = this.config['offsets.retention.minutes'] * 60_000;
      return this.cleanupGroups([...this.groups.values()], (g) => this.removeExpiredOffsets(g, now, retentionMs));
    });
  }

  private removeExpiredOffsets(group: GroupMetadata, now: number, retentionMs: number): { topic: string; partition: number }[] {
    const expired = (base: (o: CommittedOffset) => number, subscribed: ReadonlySet<string> = new Set()) =>
      group.offsets
        .all()
        .filter(
          ({ topic, partition, value }) =>
            !subscribed.has(topic) &&
            !group.offsets.hasPending(topic, partition) &&
            (value.expireTimestamp === -1 ? now - base(value) >= retentionMs : now >= value.expireTimestamp),
        );
    let candidates: { topic: string; partition: number }[] = [];
    if (group.protocolType !== null && group.is('Empty')) {
      candidates = expired((o) => group.currentStateTimestamp ?? o.commitTimestamp);
    } else if (group.isConsumerGroup && group.subscribedTopics !== null && group.is('Stable')) {
      candidates = expired((o) => o.commitTimestamp, group.subscribedTopics);
    } else if (group.protocolType === null) {
      candidates = expired((o) => o.commitTimestamp);
    }
    return group.offsets.remove(candidates);
  }

  /**
   * Kafka's cleanupGroupMetadata: removes offsets chosen by `selector`, turns Empty groups
   * without offsets Dead and drops them, and appends the tombstones (offsets, and the group's
   * metadata if it ever had a generation). `onAppended` hears each group's append result.
   */
  private cleanupGroups(
    groups: readonly GroupMetadata[],
    selector: (g: GroupMetadata) => { topic: string; partition: number }[],
    onAppended?: (groupId: string, errorCode: number) => void,
  ): number {
    let removedCount = 0;
    for (const group of groups) {
      const removed = selector(group);
      removedCount += removed.length;
      if (group.is('Empty') && !group.hasOffsets) group.transitionTo('Dead', this.clock.nowMs());
      const partition = this.partitionFor(group.groupId);
      const tombstones: { key: Buffer; value: null }[] = removed.map((r) => ({ key: encodeOffsetCommitKey(group.groupId, r.topic, r.partition), value: null }));
      if (group.is('Dead') && this.groups.get(group.groupId) === group) {
        this.cancelGroupTimers(group);
        this.groups.delete(group.groupId);
        // Generation 0 never wrote metadata (an offsets-only group): nothing to delete.
        if (group.generationId > 0) tombstones.push({ key: encodeGroupMetadataKey(group.groupId), value: null });
      }
      if (!this.ownedPartitions.has(partition)) {
        onAppended?.(group.groupId, ErrorCode.NOT_LEADER_OR_FOLLOWER);
      } else if (tombstones.length === 0) {
        onAppended?.(group.groupId, ErrorCode.NONE);
      } else {
        // Kafka appends these without waiting for replicas: a lost tombstone is written again next time.
        this.append(partition, tombstones, (error) => onAppended?.(group.groupId, error));
      }
    }
    return removedCount;
  }

  /**
   * Topics were deleted: their committed offsets go too, in every group (Kafka's
   * handleDeletedPartitions), with tombstones. Returns how many offsets were removed.
   */
  deleteOffsetsOfTopics(topics: readonly string[]): number {
    const deleted = new Set(topics);
    return this.run(() =>
      this.cleanupGroups([...this.groups.values()], (g) => g.offsets.remove(g.offsets.all().filter((o) => deleted.has(o.topic)))),
    );
  }

  // ======================================================================================
  // Observability.

  /** Every group this broker coordinates, as plain data, sorted by group id. */
  groupSnapshots(): GroupSnapshot[] {
    return [...this.groups.values()]
      .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0))
      .map((g) => this.snapshotOf(g));
  }

  /** One group as plain data (undefined when this broker does not hold it). */
  groupSnapshot(groupId: string): GroupSnapshot | undefined {
    const group = this.groups.get(groupId);
    return group === undefined ? undefined : this.snapshotOf(group);
  }

  private snapshotOf(g: GroupMetadata): GroupSnapshot {
    const copy = (b: Buffer | undefined): Buffer | null => (b === undefined ? null : Buffer.from(b));
    return {
      groupId: g.groupId,
      offsetsPartition: this.partitionFor(g.groupId),
      state: g.state,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      generationId: g.generationId,
      leaderId: g.leaderId,
      members: g.allMembers().map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        metadata: copy((g.protocolName !== null ? m.supportedProtocols.find((p) => p.name === g.protocolName) : m.supportedProtocols[0])?.metadata),
        assignment: Buffer.from(m.assignment),
      })),
      offsets: g.offsets.all().map(({ topic, partition, value }) => ({ topic, partition, ...value })),
    };
  }

  /** State of one group (undefined when this broker does not hold it). */
  groupState(groupId: string): GroupStateName | undefined {
    return this.groups.get(groupId)?.state;
  }

  /** Asserts every group's invariants (for tests and the simulator's checker). */
  checkInvariants(): void {
    for (const [id, g] of this.groups) {
      assert(g.groupId === id && !g.is('Dead'), 'the map holds live groups under their ids');
      assert(this.ownedPartitions.has(this.partitionFor(id)), 'groups belong to loaded partitions');
      g.checkInvariants();
    }
  }

  // ======================================================================================
  // Plumbing.

  private validateGroupStatus(groupId: string, api: Api): number {
    // OffsetCommit/OffsetFetch/DescribeGroups/DeleteGroups accept "" (as Kafka does, for
    // compatibility); the membership APIs need a real group id.
    const allowsEmptyId = api === 'commit' || api === 'fetch' || api === 'describe' || api === 'delete';
    if (typeof groupId !== 'string' || (!allowsEmptyId && groupId === '') || !fitsKafkaString(groupId)) return ErrorCode.INVALID_GROUP_ID;
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const partition = this.partitionFor(groupId);
    if (this.loadingPartitions.has(partition)) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    if (!this.ownedPartitions.has(partition)) return ErrorCode.NOT_COORDINATOR;
    return ErrorCode.NONE;
  }

  private createGroup(groupId: string): GroupMetadata {
    assert(!this.groups.has(groupId), () => `group ${groupId} exists`);
    const group = new GroupMetadata(groupId, 'Empty', this.clock.nowMs());
    this.groups.set(groupId, group);
    return group;
  }

  /** `${prefix}-${a random UUID}`, as Kafka builds member ids (prefix: client id or instance id). */
  private generateMemberId(group: GroupMetadata, prefix: string): string {
    for (let attempt = 0; attempt < 8; attempt++) {
      const hex = (n: number): string => {
        let s = '';
        for (let i = 0; i < n; i++) s += this.random.int(16).toString(16);
        return s;
      };
      const variant = (8 + this.random.int(4)).toString(16);
      const id = `${prefix}-${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
      if (!group.has(id) && !group.isPendingMember(id)) return id;
    }
    assert(false, 'member id generation keeps colliding: the Random is broken');
  }

  /**
   * Persists the group's metadata record. `assignment` holds every member's assignment.
   * The callback hears NONE or the client-facing error (storeGroupError).
   */
  private storeGroup(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>, callback: (errorCode: number) => void): void {
    const partition = this.partitionFor(group.groupId);
    if (!this.ownedPartitions.has(partition)) return callback(ErrorCode.NOT_COORDINATOR);
    const protocol = group.protocolName;
    assert(group.size === 0 || protocol !== null, 'a group with members has a protocol');
    const value = encodeGroupMetadataValue({
      version: GROUP_METADATA_VALUE_VERSION,
      protocolType: group.protocolType ?? '',
      generation: group.generationId,
      protocol,
      leader: group.leaderId,
      currentStateTimestamp: group.currentStateTimestamp ?? -1,
      members: group.allMembers().map((m) => {
        const a = assignment.get(m.memberId);
        assert(a !== undefined, () => `storing member ${m.memberId} of ${group.groupId} without an assignment`);
        return {
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          rebalanceTimeout: m.rebalanceTimeoutMs,
          sessionTimeout: m.sessionTimeoutMs,
          subscription: m.metadata(protocol!),
          assignment: a,
        };
      }),
    });
    const records = [{ key: encodeGroupMetadataKey(group.groupId), value }];
    if (batchBytes(records) > this.config['message.max.bytes']) return callback(storeGroupError(ErrorCode.MESSAGE_TOO_LARGE));
    this.append(partition, records, (error) => callback(storeGroupError(error)));
  }

  /**
   * Appends through the offsets log. A log that throws instead of answering still leaves the
   * coordinator consistent: an error carrying a Kafka `code` (a storage error) counts as that
   * append error; anything else (a bug) fails the append with UNKNOWN_SERVER_ERROR and is rethrown.
   */
  private append(partition: number, records: { key: Buffer; value: Buffer | null }[], done: (errorCode: number) => void): void {
    let acknowledged = false;
    const acknowledge = (errorCode: number): void => {
      assert(!acknowledged, 'an append is acknowledged once');
      acknowledged = true;
      this.run(() => done(errorCode));
    };
    try {
      this.offsetsLog.append(partition, records, acknowledge);
    } catch (e) {
      if (acknowledged) throw e;
      const code = (e as { code?: unknown } | null)?.code;
      if (typeof code === 'number' && Number.isInteger(code) && code !== ErrorCode.NONE) return acknowledge(code);
      acknowledge(ErrorCode.UNKNOWN_SERVER_ERROR);
      throw e;
    }
  }

  /** Wraps a response callback: answered at most once, delivered once the state is consistent. */
  private responder<T>(respond: (r: T) => void): (r: T) => void {
    let answered = false;
    return (r: T) => {
      assert(!answered, 'a request is answered exactly once');
      answered = true;
      assert(this.outbox.length < MAX_OUTBOX, 'the outbox of answers is bounded');
      this.outbox.push(() => respond(r));
    };
  }

  /** Runs `fn`; the outermost call then delivers the queued answers (which may call back in). */
  private run<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      if (this.depth === 0) this.flush();
    }
  }

  private flush(): void {
    this.depth++;
    try {
      while (this.outbox.length > 0) this.outbox.shift()!();
    } finally {
      this.depth--;
    }
  }
}

function copyProtocols(protocols: readonly GroupProtocol[]): GroupProtocol[] {
  return protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
}

function commitResponse(entries: readonly CommitEntry[], errorFor: (e: CommitEntry) => number): OffsetCommitResponse {
  const topics: OffsetCommitResponse['topics'] = [];
  const byName = new Map<string, OffsetCommitResponse['topics'][number]>();
  for (const e of entries) {
    let t = byName.get(e.topic);
    if (!t) {
      t = { name: e.topic, partitions: [] };
      byName.set(e.topic, t);
      topics.push(t);
    }
    t.partitions.push({ partitionIndex: e.partition, errorCode: errorFor(e) });
  }
  return { topics };
}

function batchBytes(records: readonly { key: Buffer; value: Buffer | null }[]): number {
  let n = BATCH_OVERHEAD_BYTES;
  for (const r of records) n += RECORD_OVERHEAD_BYTES + r.key.length + (r.value?.length ?? 0);
  return n;
}
