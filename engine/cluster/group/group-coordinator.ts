/**
 * The classic group coordinator of one broker, as Kafka 3.x's GroupCoordinator behaves for
 * clients of the pre-KIP-848 protocol: group membership and the JoinGroup/SyncGroup
 * rebalance protocol, member sessions, and each generation's record in
 * `__consumer_offsets`. It is also the broker's one entry point for group requests: the
 * offset APIs, DeleteGroups and expiry go to the offset manager
 * (offset-metadata-manager.ts), and both share a CoordinatorRuntime (coordinator-runtime.ts:
 * the partitions owned and their groups, the order in which work runs and answers are
 * delivered, the appends).
 *
 * Ownership. The broker calls `loadPartition` when it becomes the leader of a partition
 * of `__consumer_offsets` (its groups and offsets are rebuilt from the log's latest
 * records: offsets-partition-reader.ts, offsets-topic-records.ts) and `unloadPartition`
 * when it stops (the groups are dropped; parked requests answered NOT_COORDINATOR).
 * Requests for a group on a partition not loaded here get NOT_COORDINATOR, and
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
 * Time comes from the injected Clock (timers only through the runtime's setTimer), member
 * ids from the injected Random. An answer is delivered through its callback either before
 * the call returns or from a later timer or log acknowledgement, always once the
 * coordinator's state is consistent again, so a callback may call straight back in.
 *
 * Invariants: every request is answered exactly once (asserted by the runtime); groups in
 * the runtime are never Dead; every timer belongs to a live group and is cancelled when its
 * group is dropped; a loaded group is Stable or Empty; each group satisfies group.ts's
 * invariants after every operation (checkInvariants).
 *
 * Deliberate differences from Kafka, all at the edges: a request superseded by the same
 * member's newer JoinGroup/SyncGroup is answered REBALANCE_IN_PROGRESS (Kafka drops it); a
 * member removed while parked in SyncGroup is answered UNKNOWN_MEMBER_ID (Kafka drops it);
 * MEMBER_ID_REQUIRED ids outstanding per group are capped at group.max.size; protocol
 * metadata is bounded (INVALID_REQUEST beyond it).
 */
import { assert } from '../../util/assert';
import type { Clock, TimerHandle } from '../../util/clock';
import type { Random } from '../../util/random';
import { ErrorCode } from '../../protocol/errors';
import { CoordinatorRuntime, fitsKafkaString } from './coordinator-runtime';
import { storeGroupError } from './errors';
import { GroupMetadata, MemberMetadata, type JoinCallback, type SyncCallback } from './group';
import { OffsetMetadataManager } from './offset-metadata-manager';
import { replayOffsetsPartition } from './offsets-partition-reader';
import { groupMetadataRecord, loadGroup } from './offsets-topic-records';
import {
  DEFAULT_GROUP_COORDINATOR_CONFIG,
  type AlterOffsetsEntry,
  type AlterOffsetsResponse,
  type DeleteGroupsResponse,
  type DeleteOffsetsResponse,
  type DescribedGroup,
  type GroupCoordinatorConfig,
  type GroupProtocol,
  type GroupSnapshot,
  type GroupStateName,
  type GroupType,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type ListGroupsFilter,
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

const EMPTY = Buffer.alloc(0);

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

function joinError(memberId: string, errorCode: number): JoinGroupResponse {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId, members: [] };
}

function syncError(errorCode: number): SyncGroupResponse {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}

export class GroupCoordinator {
  readonly brokerId: number;
  readonly config: Readonly<GroupCoordinatorConfig>;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly runtime: CoordinatorRuntime;
  private readonly offsets: OffsetMetadataManager;

  constructor(opts: GroupCoordinatorOptions) {
    this.brokerId = opts.brokerId;
    this.clock = opts.clock;
    this.random = opts.random;
    const config = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...(opts.config ?? {}) };
    for (const [name, value] of Object.entries(config)) {
      assert(Number.isSafeInteger(value) && value >= 0, () => `group coordinator config ${name} must be a non-negative integer, got ${value}`);
    }
    assert(config['group.min.session.timeout.ms'] <= config['group.max.session.timeout.ms'], 'group.min.session.timeout.ms must not exceed the max');
    assert(config['group.max.session.timeout.ms'] <= 0x7fffffff, 'session timeouts are int32');
    assert(config['offsets.topic.num.partitions'] > 0 && config['group.max.size'] > 0, 'offsets.topic.num.partitions and group.max.size must be positive');
    assert(config['offsets.retention.check.interval.ms'] > 0, 'offsets.retention.check.interval.ms must be positive');
    this.config = Object.freeze(config);
    this.runtime = new CoordinatorRuntime(this.config, opts.clock, opts.offsetsLog);
    this.offsets = new OffsetMetadataManager(this.runtime, {
      keepAlive: (group, member) => this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs),
    });
  }

  /** Stops the coordinator: cancels every timer; later requests get COORDINATOR_NOT_AVAILABLE. */
  close(): void {
    this.runtime.run(() => {
      this.runtime.deactivate();
      this.offsets.close();
      for (const partition of this.runtime.heldPartitions()) this.unloadPartition(partition);
    });
  }

  partitionFor(groupId: string): number {
    return this.runtime.partitionFor(groupId);
  }

  isPartitionLoaded(partition: number): boolean {
    return this.runtime.isOwned(partition);
  }

  // ======================================================================================
  // Partition ownership.

  /** Marks a partition as loading: its groups get COORDINATOR_LOAD_IN_PROGRESS until `loadPartition`. */
  beginLoadingPartition(partition: number): void {
    this.runtime.beginLoading(partition);
  }

  /** This broker now leads `partition`: rebuild its groups and offsets from the log's records, in order. */
  loadPartition(partition: number, records: Iterable<OffsetsLogRecord>): LoadSummary {
    this.runtime.checkPartition(partition);
    return this.runtime.run(() => {
      if (this.runtime.isOwned(partition)) return { loaded: false, groups: 0, offsets: 0, skippedRecords: 0 };
      let replayed: ReturnType<typeof replayOffsetsPartition>;
      try {
        replayed = replayOffsetsPartition(partition, this.config['offsets.topic.num.partitions'], records);
      } catch (e) {
        // Reading the log failed (or its records were out of order): the partition stays unowned.
        this.runtime.abortLoading(partition);
        throw e;
      }
      const now = this.clock.nowMs();
      const loaded = [...replayed.groups].map(([groupId, g]) => loadGroup(groupId, g, now));
      this.runtime.finishLoading(partition, loaded);
      for (const group of loaded) this.onGroupLoaded(group);
      return { loaded: true, groups: replayed.groups.size, offsets: replayed.offsetCount, skippedRecords: replayed.skippedRecords };
    });
  }

  /** This broker no longer leads `partition`: drop its groups, answering parked requests NOT_COORDINATOR. */
  unloadPartition(partition: number): void {
    this.runtime.checkPartition(partition);
    this.runtime.run(() => {
      for (const group of this.runtime.release(partition)) {
        this.onGroupUnloaded(group);
        this.runtime.dropGroup(group);
      }
    });
  }

  private onGroupLoaded(group: GroupMetadata): void {
    assert(group.is('Stable') || group.is('Empty'), 'a loaded group is Stable or Empty');
    if (group.size > this.config['group.max.size']) this.prepareRebalance(group);
    for (const member of group.allMembers()) this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
  }

  /** The group leaves this coordinator: Dead, and its parked requests are told to find the new one. */
  private onGroupUnloaded(group: GroupMetadata): void {
    group.transitionTo('Dead', this.clock.nowMs());
    for (const member of group.allMembers()) {
      group.takeJoinCallback(member)?.(joinError(member.memberId, ErrorCode.NOT_COORDINATOR));
      group.takeSyncCallback(member)?.(syncError(ErrorCode.NOT_COORDINATOR));
    }
  }

  // ======================================================================================
  // JoinGroup.

  joinGroup(req: JoinGroupRequest, respond: (r: JoinGroupResponse) => void): void {
    this.runtime.run(() => {
      const reply = this.runtime.responder(respond);
      const status = this.runtime.status(req.groupId, 'join');
      if (status !== ErrorCode.NONE) return reply(joinError(req.memberId, status));
      const sessionTimeoutMs = req.sessionTimeoutMs;
      if (sessionTimeoutMs < this.config['group.min.session.timeout.ms'] || sessionTimeoutMs > this.config['group.max.session.timeout.ms']) {
        return reply(joinError(req.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
      }
      if (!this.joinRequestWithinBounds(req)) return reply(joinError(req.memberId, ErrorCode.INVALID_REQUEST));
      const rebalanceTimeoutMs = req.rebalanceTimeoutMs < 0 ? sessionTimeoutMs : req.rebalanceTimeoutMs;
      const isUnknownMember = req.memberId === '';

      let group = this.runtime.group(req.groupId);
      if (group === undefined) {
        // A group is created by a new member's join; a known member id for an unknown group is stale.
        if (!isUnknownMember) return reply(joinError(req.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
        group = this.runtime.createGroup(req.groupId);
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
      const expiry = this.runtime.setTimer(req.sessionTimeoutMs, () => this.onExpirePendingMember(group, newMemberId));
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
    const error = group.validateMember(memberId, req.groupInstanceId);
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
    entry.timer = this.runtime.setTimer(delayMs, () => this.onJoinTimer(group, entry));
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
    entry.timer = this.runtime.setTimer(group.rebalanceTimeoutMs, () => this.onExpirePendingSync(group, entry));
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
    member.heartbeatTimer = this.runtime.setTimer(timeoutMs, () => this.onExpireHeartbeat(group, member, memberId));
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
    this.runtime.run(() => {
      const reply = this.runtime.responder(respond);
      const status = this.runtime.status(req.groupId, 'sync');
      // While loading, the rebalance in progress is lost: rejoining is what the member must do.
      if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return reply(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      if (status !== ErrorCode.NONE) return reply(syncError(status));
      const group = this.runtime.group(req.groupId);
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
    const memberError = group.validateMember(req.memberId, req.groupInstanceId);
    if (memberError !== ErrorCode.NONE) return memberError;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (req.protocolType !== null && req.protocolType !== group.protocolType) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
    if (req.protocolName !== null && req.protocolName !== group.protocolName) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
    return ErrorCode.NONE;
  }

  // ======================================================================================
  // Heartbeat and LeaveGroup.

  heartbeat(req: HeartbeatRequest, respond: (r: HeartbeatResponse) => void): void {
    this.runtime.run(() => {
      const reply = this.runtime.responder(respond);
      const status = this.runtime.status(req.groupId, 'heartbeat');
      // Still loading: the member cannot be checked yet, so it is not bothered.
      if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return reply({ errorCode: ErrorCode.NONE });
      if (status !== ErrorCode.NONE) return reply({ errorCode: status });
      const group = this.runtime.group(req.groupId);
      if (group === undefined) return reply({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
      if (group.is('Dead')) return reply({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
      const memberError = group.validateMember(req.memberId, req.groupInstanceId);
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
    this.runtime.run(() => {
      const reply = this.runtime.responder(respond);
      const status = this.runtime.status(req.groupId, 'leave');
      if (status !== ErrorCode.NONE) return reply({ errorCode: status, members: [] });
      const group = this.runtime.group(req.groupId);
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
        const error = group.validateMember(leaving.memberId, leaving.groupInstanceId);
        if (error !== ErrorCode.NONE) return result(leaving, error);
        this.removeMemberAndUpdateGroup(group, group.get(leaving.memberId));
        return result(leaving, ErrorCode.NONE);
      });
      reply({ errorCode: ErrorCode.NONE, members });
    });
  }

  // ======================================================================================
  // Offsets, group deletion and expiry: the offset manager's (offset-metadata-manager.ts).

  commitOffsets(req: OffsetCommitRequest, respond: (r: OffsetCommitResponse) => void): void {
    this.offsets.commitOffsets(req, respond);
  }

  fetchOffsets(req: OffsetFetchRequest): OffsetFetchResponse {
    return this.offsets.fetchOffsets(req);
  }

  alterOffsets(groupId: string, offsets: readonly AlterOffsetsEntry[], respond: (r: AlterOffsetsResponse) => void): void {
    this.offsets.alterOffsets(groupId, offsets, respond);
  }

  deleteGroups(groupIds: readonly string[], respond: (r: DeleteGroupsResponse) => void): void {
    this.offsets.deleteGroups(groupIds, respond);
  }

  deleteOffsets(groupId: string, partitions: readonly { topic: string; partition: number }[], respond: (r: DeleteOffsetsResponse) => void): void {
    this.offsets.deleteOffsets(groupId, partitions, respond);
  }

  expireOffsets(): number {
    return this.offsets.expireOffsets();
  }

  deleteOffsetsOfTopics(topics: readonly string[]): number {
    return this.offsets.deleteOffsetsOfTopics(topics);
  }

  // ======================================================================================
  // DescribeGroups, ListGroups, snapshots.

  describeGroups(groupIds: readonly string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      const status = this.runtime.status(groupId, 'describe');
      const blank = { groupId, protocolType: '', protocolData: '', members: [] };
      if (status !== ErrorCode.NONE) return { errorCode: status, groupState: '', ...blank };
      const group = this.runtime.group(groupId);
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

  /**
   * ListGroups: the groups this broker coordinates, optionally only those in the given
   * states and of the given types, both compared case-insensitively as Kafka does (a type
   * it does not know matches no group). Every group here is a classic group.
   */
  listGroups(filter: ListGroupsFilter = {}): ListGroupsResponse {
    if (!this.runtime.isActive) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const states = new Set((filter.states ?? []).map((s) => s.trim().toLowerCase()));
    const types = new Set((filter.types ?? []).map((t) => t.toLowerCase()));
    const groupType: GroupType = 'classic';
    const groups = this.runtime
      .allGroups()
      .filter((g) => (states.size === 0 || states.has(g.state.toLowerCase())) && (types.size === 0 || types.has(groupType)))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state, groupType }));
    return { errorCode: this.runtime.isAnyLoading ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE, groups };
  }

  /** Every group this broker coordinates, as plain data, sorted by group id. */
  groupSnapshots(): GroupSnapshot[] {
    return this.runtime
      .allGroups()
      .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0))
      .map((g) => this.snapshotOf(g));
  }

  /** One group as plain data (undefined when this broker does not hold it). */
  groupSnapshot(groupId: string): GroupSnapshot | undefined {
    const group = this.runtime.group(groupId);
    return group === undefined ? undefined : this.snapshotOf(group);
  }

  private snapshotOf(g: GroupMetadata): GroupSnapshot {
    const copy = (b: Buffer | undefined): Buffer | null => (b === undefined ? null : Buffer.from(b));
    return {
      groupId: g.groupId,
      offsetsPartition: this.runtime.partitionFor(g.groupId),
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
    return this.runtime.group(groupId)?.state;
  }

  /** Asserts every group's invariants (for tests and the simulator's checker). */
  checkInvariants(): void {
    this.runtime.checkInvariants();
  }

  // ======================================================================================
  // Member ids and the group's record.

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
    const partition = this.runtime.partitionFor(group.groupId);
    if (!this.runtime.isOwned(partition)) return callback(ErrorCode.NOT_COORDINATOR);
    const records = [groupMetadataRecord(group, assignment)];
    if (!this.runtime.fitsOneBatch(records)) return callback(storeGroupError(ErrorCode.MESSAGE_TOO_LARGE));
    this.runtime.append(partition, records, (error) => callback(storeGroupError(error)));
  }
}

function copyProtocols(protocols: readonly GroupProtocol[]): GroupProtocol[] {
  return protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
}
