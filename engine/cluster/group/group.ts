/**
 * One classic consumer group's state, as Kafka's GroupMetadata and MemberMetadata hold it:
 * members and their protocols, the static-member mapping, the generation, the chosen
 * protocol and leader, the members awaiting a JoinGroup or SyncGroup answer, the timers
 * that run out on them, and the group's committed offsets. The coordinator
 * (group-coordinator.ts) drives the rebalance protocol and the offset manager
 * (offset-metadata-manager.ts) the offsets; this file only keeps the state consistent.
 *
 * State machine (transitionTo asserts each step):
 *
 *   Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance
 *     ▲                 │        ▲                                    │
 *     │   everyone left │        └──member joins / leaves / fails─────┤
 *     └─────────────────┘        └──────────────────────────── Stable ◀┘ leader's SyncGroup
 *                                                                         stored
 *   any state ──partition unloaded / group deleted / expired──▶ Dead (final)
 *
 *   Empty:               no members; lingers while it has offsets.
 *   PreparingRebalance:  JoinGroups are parked until every known member rejoined (or the
 *                        rebalance timeout passes); heartbeats answer REBALANCE_IN_PROGRESS.
 *   CompletingRebalance: the new generation is out; SyncGroups wait for the leader's
 *                        assignment; commits answer REBALANCE_IN_PROGRESS.
 *   Stable:              heartbeats and commits from the current generation are accepted.
 *   Dead:                the group is gone from this coordinator.
 *
 * Protocol choice: the candidates are the protocols every member supports; each member
 * votes for its most preferred candidate; the most votes win, ties going to the protocol
 * voted for first (members in join order). Kafka breaks ties by hash-map order.
 *
 * Invariants (asserted): the awaiting-join count equals the members with a join callback;
 * the per-protocol support counts equal what the members list; a static member's
 * group.instance.id maps to its member id and back; the leader, when set, is a member;
 * all members share the group's protocol type.
 */
import { assert } from '../../util/assert';
import type { TimerHandle } from '../../util/clock';
import { ErrorCode } from '../../protocol/errors';
import { CommittedOffsets } from './committed-offsets';
import { CONSUMER_PROTOCOL_TYPE, decodeSubscribedTopics } from './consumer-protocol';
import type { GroupProtocol, GroupStateName, JoinGroupResponse, JoinGroupResponseMember, SyncGroupResponse } from './types';

export type JoinCallback = (response: JoinGroupResponse) => void;
export type SyncCallback = (response: SyncGroupResponse) => void;

const EMPTY = Buffer.alloc(0);

const VALID_PREVIOUS_STATES: Record<GroupStateName, readonly GroupStateName[]> = {
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
  Empty: ['PreparingRebalance'],
};

export class MemberMetadata {
  assignment: Buffer = EMPTY;
  awaitingJoin: JoinCallback | null = null;
  awaitingSync: SyncCallback | null = null;
  /** Joined but not yet through its first rebalance: it cannot heartbeat yet. */
  isNew = false;
  /** The session (or new-member join) deadline. */
  heartbeatTimer: TimerHandle | null = null;

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public supportedProtocols: GroupProtocol[],
  ) {}

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  /** Whether a session deadline passing now leaves the member alive: only while it waits on us. */
  get hasSatisfiedHeartbeat(): boolean {
    return !this.isNew && (this.awaitingJoin !== null || this.awaitingSync !== null);
  }

  metadata(protocol: string): Buffer {
    const p = this.supportedProtocols.find((x) => x.name === protocol);
    assert(p !== undefined, () => `member ${this.memberId} does not support protocol ${protocol}`);
    return p.metadata;
  }

  /** Same protocols, in the same order, with the same metadata bytes. */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.supportedProtocols.length) return false;
    return protocols.every((p, i) => p.name === this.supportedProtocols[i].name && p.metadata.equals(this.supportedProtocols[i].metadata));
  }

  vote(candidates: ReadonlySet<string>): string {
    const p = this.supportedProtocols.find((x) => candidates.has(x.name));
    assert(p !== undefined, () => `member ${this.memberId} supports none of the candidate protocols`);
    return p.name;
  }
}

export class GroupMetadata {
  state: GroupStateName;
  /** Wall-clock time of the last state change (null when loaded from an old record without one). */
  currentStateTimestamp: number | null;
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  leaderId: string | null = null;
  /** Set when a member joins a brand-new group during its initial delay (extends the delay). */
  newMemberAdded = false;
  /** Topics the consumer members subscribe to (null when unknown); drives offset expiry. */
  subscribedTopics: Set<string> | null = null;
  readonly offsets = new CommittedOffsets();

  /** Member id → member, in join order (the order leader election and responses use). */
  private readonly members = new Map<string, MemberMetadata>();
  /** group.instance.id → member id. */
  private readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, not yet joined; each has an expiry timer. */
  readonly pendingMembers = new Map<string, TimerHandle | null>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  private readonly pendingSyncMembers = new Set<string>();
  private numMembersAwaitingJoin = 0;
  private readonly supportedProtocols = new Map<string, number>();

  /** The pending rebalance completion (DelayedJoin / InitialDelayedJoin), if any. */
  joinTimer: { timer: TimerHandle; initial: boolean; delayMs: number; remainingMs: number } | null = null;
  /** The pending sync deadline (DelayedSync) of a generation, if any. */
  syncTimer: { timer: TimerHandle; generationId: number } | null = null;

  constructor(
    readonly groupId: string,
    initialState: GroupStateName,
    nowMs: number,
  ) {
    this.state = initialState;
    this.currentStateTimestamp = nowMs;
  }

  // -- membership ------------------------------------------------------------------------

  get size(): number {
    return this.members.size;
  }

  get numAwaiting(): number {
    return this.numMembersAwaitingJoin;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): MemberMetadata {
    const m = this.members.get(memberId);
    assert(m !== undefined, () => `no member ${memberId} in group ${this.groupId}`);
    return m;
  }

  allMembers(): MemberMetadata[] {
    return [...this.members.values()];
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  is(state: GroupStateName): boolean {
    return this.state === state;
  }

  get isConsumerGroup(): boolean {
    return this.protocolType === CONSUMER_PROTOCOL_TYPE;
  }

  /**
   * Kafka's validateCurrentMember: NONE when `memberId` is a member and `groupInstanceId`,
   * if given, maps to it; FENCED_INSTANCE_ID when the instance maps to another member id;
   * UNKNOWN_MEMBER_ID when the instance or the member is unknown.
   */
  validateMember(memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = this.staticMembers.get(groupInstanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    }
    return this.members.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  currentStaticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  get staticMemberCount(): number {
    return this.staticMembers.size;
  }

  add(member: MemberMetadata, callback: JoinCallback | null): void {
    if (member.groupInstanceId !== null) {
      assert(!this.staticMembers.has(member.groupInstanceId), () => `static member ${member.groupInstanceId} is already in group ${this.groupId}`);
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    assert(!this.members.has(member.memberId), () => `member ${member.memberId} is already in group ${this.groupId}`);
    if (this.members.size === 0) this.protocolType = member.protocolType;
    assert(this.protocolType === member.protocolType, 'all members share the protocol type');
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    this.incSupportedProtocols(member);
    member.awaitingJoin = callback;
    if (callback !== null) this.numMembersAwaitingJoin++;
    this.pendingMembers.delete(member.memberId);
  }

  /** Drops a member (or a pending member id). Its callbacks are the caller's to answer first. */
  remove(memberId: string): MemberMetadata | undefined {
    const member = this.members.get(memberId);
    if (member !== undefined) {
      this.members.delete(memberId);
      this.decSupportedProtocols(member);
      if (member.awaitingJoin !== null) this.numMembersAwaitingJoin--;
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
    this.pendingMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
    return member;
  }

  updateMember(member: MemberMetadata, protocols: GroupProtocol[], rebalanceTimeoutMs: number, sessionTimeoutMs: number, callback: JoinCallback | null): void {
    assert(this.members.get(member.memberId) === member, 'updating a member of this group');
    this.decSupportedProtocols(member);
    member.supportedProtocols = protocols;
    this.incSupportedProtocols(member);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    if (callback !== null && member.awaitingJoin === null) this.numMembersAwaitingJoin++;
    else if (callback === null && member.awaitingJoin !== null) this.numMembersAwaitingJoin--;
    member.awaitingJoin = callback;
  }

  /** Takes the member's join callback (clearing it), to be answered by the caller. */
  takeJoinCallback(member: MemberMetadata): JoinCallback | null {
    const cb = member.awaitingJoin;
    if (cb !== null) {
      member.awaitingJoin = null;
      this.numMembersAwaitingJoin--;
      assert(this.numMembersAwaitingJoin >= 0, 'awaiting-join count went negative');
    }
    return cb;
  }

  /** Takes the member's sync callback (clearing it), to be answered by the caller. */
  takeSyncCallback(member: MemberMetadata): SyncCallback | null {
    const cb = member.awaitingSync;
    member.awaitingSync = null;
    return cb;
  }

  /**
   * Static members only: the member keeps everything but gets a new member id. The old
   * id's parked requests are the caller's to answer (FENCED_INSTANCE_ID) before this.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): MemberMetadata {
    const member = this.members.get(oldMemberId);
    assert(member !== undefined && member.groupInstanceId === groupInstanceId, () => `cannot replace unknown static member ${oldMemberId}`);
    assert(member.awaitingJoin === null && member.awaitingSync === null, 'parked requests of a replaced member are answered first');
    assert(!this.members.has(newMemberId), 'the new member id is fresh');
    // Keep the join order: rebuild the map with the new id in the old one's place.
    const entries = [...this.members.entries()].map(([id, m]): [string, MemberMetadata] => (id === oldMemberId ? [newMemberId, m] : [id, m]));
    this.members.clear();
    for (const [id, m] of entries) this.members.set(id, m);
    member.memberId = newMemberId;
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId);
  }

  addPendingMember(memberId: string, expiry: TimerHandle | null): void {
    assert(!this.members.has(memberId), 'a pending member is not yet a member');
    this.pendingMembers.set(memberId, expiry);
  }

  get numPending(): number {
    return this.pendingMembers.size;
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.numMembersAwaitingJoin && this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): MemberMetadata[] {
    return this.allMembers().filter((m) => m.awaitingJoin === null);
  }

  /**
   * Keeps the leader if it rejoined, else elects the first member that did. False when no
   * member rejoined (or there is no leader because the group has no members).
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.get(this.leaderId).awaitingJoin !== null) return true;
    const joined = this.allMembers().find((m) => m.awaitingJoin !== null);
    if (joined === undefined) return false;
    this.leaderId = joined.memberId;
    return true;
  }

  addPendingSyncMember(memberId: string): void {
    assert(this.members.has(memberId), 'a pending sync belongs to a member');
    this.pendingSyncMembers.add(memberId);
  }

  removePendingSyncMember(memberId: string): void {
    assert(this.members.has(memberId), 'a pending sync belongs to a member');
    this.pendingSyncMembers.delete(memberId);
  }

  hasReceivedSyncFromAllMembers(): boolean {
    return this.pendingSyncMembers.size === 0;
  }

  allPendingSyncMembers(): string[] {
    return [...this.pendingSyncMembers];
  }

  clearPendingSyncMembers(): void {
    this.pendingSyncMembers.clear();
  }

  /** The largest rebalance timeout of the members (0 with none). */
  get rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /**
   * Cancels every timer the group holds (member sessions, pending member ids, the join and
   * sync deadlines) and forgets the pending syncs: a group leaving the coordinator keeps none.
   */
  cancelTimers(): void {
    for (const member of this.members.values()) {
      member.heartbeatTimer?.cancel();
      member.heartbeatTimer = null;
    }
    for (const [id, timer] of this.pendingMembers) {
      timer?.cancel();
      this.pendingMembers.set(id, null);
    }
    this.joinTimer?.timer.cancel();
    this.joinTimer = null;
    this.syncTimer?.timer.cancel();
    this.syncTimer = null;
    this.clearPendingSyncMembers();
  }

  // -- protocols -------------------------------------------------------------------------

  private incSupportedProtocols(member: MemberMetadata): void {
    for (const p of member.supportedProtocols) this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) + 1);
  }

  private decSupportedProtocols(member: MemberMetadata): void {
    for (const p of member.supportedProtocols) {
      const n = (this.supportedProtocols.get(p.name) ?? 0) - 1;
      assert(n >= 0, 'protocol support count went negative');
      if (n === 0) this.supportedProtocols.delete(p.name);
      else this.supportedProtocols.set(p.name, n);
    }
  }

  private candidateProtocols(): Set<string> {
    const out = new Set<string>();
    for (const [name, n] of this.supportedProtocols) if (n === this.members.size) out.add(name);
    return out;
  }

  /** Whether a member with these protocols may join: same type and one protocol all support. */
  supportsProtocols(memberProtocolType: string, memberProtocols: readonly string[]): boolean {
    if (this.is('Empty')) return memberProtocolType.length > 0 && memberProtocols.length > 0;
    return this.protocolType === memberProtocolType && memberProtocols.some((p) => this.supportedProtocols.get(p) === this.members.size);
  }

  selectProtocol(): string {
    assert(this.members.size > 0, 'cannot select a protocol for an empty group');
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const p = m.vote(candidates);
      votes.set(p, (votes.get(p) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestVotes = 0;
    for (const [p, n] of votes) {
      if (n > bestVotes) {
        best = p;
        bestVotes = n;
      }
    }
    assert(best !== null, 'some protocol got a vote');
    return best;
  }

  // -- generations -----------------------------------------------------------------------

  get canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this.state);
  }

  transitionTo(target: GroupStateName, nowMs: number): void {
    assert(VALID_PREVIOUS_STATES[target].includes(this.state), () => `group ${this.groupId} cannot move from ${this.state} to ${target}`);
    this.state = target;
    this.currentStateTimestamp = nowMs;
  }

  initNextGeneration(nowMs: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('CompletingRebalance', nowMs);
    } else {
      this.protocolName = null;
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('Empty', nowMs);
    }
    this.clearPendingSyncMembers();
  }

  /** What the leader's JoinGroup response lists: every member with its chosen-protocol metadata. */
  currentMemberMetadata(): JoinGroupResponseMember[] {
    assert(!this.is('Dead') && !this.is('PreparingRebalance'), () => `no member metadata for a group in state ${this.state}`);
    assert(this.protocolName !== null, 'a group with members has a protocol');
    const protocol = this.protocolName;
    return this.allMembers().map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata(protocol) }));
  }

  /**
   * The topics consumer members subscribe to, read from each subscription's v0 prefix (the
   * topic list every version starts with). Null when the group is not a consumer group or
   * a subscription does not parse, as Kafka does.
   */
  computeSubscribedTopics(): Set<string> | null {
    if (!this.isConsumerGroup) return null;
    if (this.members.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const topics = new Set<string>();
    try {
      for (const m of this.members.values()) {
        for (const topic of decodeSubscribedTopics(m.metadata(this.protocolName))) topics.add(topic);
      }
    } catch {
      return null;
    }
    return topics;
  }

  /** Has offsets, or commits in flight (an Empty group without either can be dropped). */
  get hasOffsets(): boolean {
    return this.offsets.size > 0 || this.offsets.hasAnyPending;
  }

  /** Checks the cross-field invariants; cheap enough to run after every operation in tests. */
  checkInvariants(): void {
    let awaiting = 0;
    const counts = new Map<string, number>();
    for (const [id, m] of this.members) {
      assert(m.memberId === id, 'member map key is its id');
      assert(m.protocolType === this.protocolType, 'members share the protocol type');
      if (m.awaitingJoin !== null) awaiting++;
      if (m.groupInstanceId !== null) assert(this.staticMembers.get(m.groupInstanceId) === id, 'static mapping points at the member');
      for (const p of m.supportedProtocols) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
    }
    assert(awaiting === this.numMembersAwaitingJoin, 'awaiting-join count matches the members');
    assert(counts.size === this.supportedProtocols.size && [...counts].every(([p, n]) => this.supportedProtocols.get(p) === n), 'protocol counts match');
    for (const [, id] of this.staticMembers) assert(this.members.has(id), 'static mapping points at a member');
    if (this.leaderId !== null) assert(this.members.has(this.leaderId), 'the leader is a member');
    else assert(this.members.size === 0 || this.is('Dead'), 'a group with members has a leader');
    for (const id of this.pendingSyncMembers) assert(this.members.has(id), 'pending syncs belong to members');
  }
}
