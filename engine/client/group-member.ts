/**
 * Membership of a consumer group with Kafka's classic (eager) rebalance protocol.
 *
 * Protocol:
 *   1. FindCoordinator(group) → coordinator broker.
 *   2. JoinGroup with an empty member id; the coordinator answers MEMBER_ID_REQUIRED and
 *      a member id (KIP-394); the member joins again with it. JoinGroup blocks until the
 *      group's rebalance completes and returns the generation, the chosen assignor
 *      (protocol name) and, to the leader only, every member's Subscription.
 *   3. The leader computes the assignment with the chosen assignor (range or round robin,
 *      assignors.ts) over current topic metadata; every
 *      member sends SyncGroup (the leader with the assignment) and receives its own share.
 *   4. Heartbeats every heartbeatIntervalMs. REBALANCE_IN_PROGRESS means rejoin;
 *      ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID mean the member was removed (rejoin, with a
 *      new member id for the latter); coordinator errors mean rediscover.
 *   5. Before each rejoin the owner revokes its partitions (eager protocol): the consumer
 *      commits and forgets them. LeaveGroup on close.
 *
 * The owner (consumer.ts) supplies hooks: onRevoke (before a rejoin) and onAssign (after
 * SyncGroup). One join runs at a time: concurrent `ensureActive` calls share it.
 *
 * Invariants: `assignment` is only non-empty while state is 'stable'; generation and
 * member id sent in heartbeats and commits are those of the last successful SyncGroup.
 */
import { ApiKey, ErrorCode, errorName } from '../protocol';
import {
  CONSUMER_PROTOCOL_TYPE,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  groupByTopic,
} from '../cluster/group/consumer-protocol';
import { RANGE_ASSIGNOR_NAME, ROUND_ROBIN_ASSIGNOR_NAME, rangeAssign, roundRobinAssign } from './assignors';
import type { TimerHandle } from '../util/clock';
import type { Cluster } from './cluster';
import { ClientClosedError, KafkaClientError, KafkaProtocolError, isCoordinatorError } from './errors';
import type { TopicPartition } from './offsets';
import { every, sleep } from './timers';

export type AssignorName = 'range' | 'roundrobin';

export interface GroupConfig {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  assignors: readonly AssignorName[];
}

export interface GroupHooks {
  /** Before a (re)join: the partitions held so far are given up. */
  onRevoke(partitions: TopicPartition[]): Promise<void>;
  /** After SyncGroup: the member's new partitions. */
  onAssign(partitions: TopicPartition[]): Promise<void>;
  /** Something the member cannot recover from on its own. */
  onFatal(err: Error): void;
}

const ASSIGNOR_WIRE_NAME: Record<AssignorName, string> = { range: RANGE_ASSIGNOR_NAME, roundrobin: ROUND_ROBIN_ASSIGNOR_NAME };

export class GroupMember {
  memberId = '';
  generationId = -1;
  protocolName: string | null = null;
  leaderId = '';
  state: 'unjoined' | 'joining' | 'stable' | 'closed' = 'unjoined';
  assignment: TopicPartition[] = [];
  private topics: string[] = [];
  private joining: Promise<void> | null = null;
  private rejoinNeeded = true;
  private heartbeatTimer: TimerHandle | null = null;
  private lastHeartbeatOkMs = 0;
  private heartbeatInFlight = false;
  /** Partition counts the leader assigned from (a change means a rebalance, as in Kafka). */
  private assignedCounts: Map<string, number> | null = null;
  /** Join/sync/heartbeat requests sent, in order (for tests and diagnostics). */
  readonly log: string[] = [];

  constructor(
    private readonly cluster: Cluster,
    readonly config: GroupConfig,
    private readonly hooks: GroupHooks,
  ) {}

  get isStable(): boolean {
    return this.state === 'stable' && !this.rejoinNeeded;
  }

  subscribe(topics: readonly string[]): void {
    const next = [...new Set(topics)].sort();
    if (next.join('\u0000') !== this.topics.join('\u0000')) {
      this.topics = next;
      this.rejoinNeeded = true;
    }
  }

  requestRejoin(): void {
    this.rejoinNeeded = true;
  }

  /** Joins (or rejoins) if needed; resolves once the member is stable. */
  ensureActive(): Promise<void> {
    if (this.state === 'closed') return Promise.reject(new ClientClosedError('The consumer'));
    if (!this.rejoinNeeded && this.state === 'stable') return Promise.resolve();
    if (this.joining === null) {
      this.joining = this.joinLoop().finally(() => {
        this.joining = null;
      });
    }
    return this.joining;
  }

  private async joinLoop(): Promise<void> {
    for (let attempt = 0; this.state !== 'closed'; attempt++) {
      this.rejoinNeeded = false;
      if (this.assignment.length > 0 || this.state === 'stable') {
        const revoked = this.assignment;
        this.assignment = [];
        this.state = 'joining';
        await this.hooks.onRevoke(revoked);
      }
      this.state = 'joining';
      // Whatever asked for a rejoin before this point is served by this join.
      this.rejoinNeeded = false;
      try {
        await this.joinAndSync();
        if (this.rejoinNeeded) continue;
        this.state = 'stable';
        this.startHeartbeats();
        await this.hooks.onAssign(this.assignment);
        return;
      } catch (err) {
        if ((this.state as GroupMember['state']) === 'closed') throw new ClientClosedError('The consumer');
        if (!(err instanceof KafkaClientError) || !err.retriable) {
          if (!(err instanceof RejoinSignal)) throw err;
        }
        this.rejoinNeeded = true;
        await sleep(this.cluster.clock, Math.min(this.cluster.retryBackoffMs * Math.min(attempt + 1, 10), 1000));
      }
    }
    throw new ClientClosedError('The consumer');
  }

  private async joinAndSync(): Promise<void> {
    const groupId = this.config.groupId;
    const coordinator = await this.cluster.coordinatorFor(groupId);
    const subscription = encodeSubscription({ topics: this.topics, version: 0 });
    const protocols = this.config.assignors.map((a) => ({ name: ASSIGNOR_WIRE_NAME[a], metadata: subscription }));
    let join;
    for (let i = 0; ; i++) {
      this.log.push(`JoinGroup memberId=${this.memberId}`);
      const res = await this.cluster.sendToCoordinator(
        coordinator,
        ApiKey.JoinGroup,
        {
          groupId,
          sessionTimeoutMs: this.config.sessionTimeoutMs,
          rebalanceTimeoutMs: this.config.rebalanceTimeoutMs,
          memberId: this.memberId,
          groupInstanceId: null,
          protocolType: CONSUMER_PROTOCOL_TYPE,
          protocols,
          reason: null,
        },
        { timeoutMs: this.config.rebalanceTimeoutMs + 5000 },
      );
      if (res.errorCode === ErrorCode.MEMBER_ID_REQUIRED && i < 3) {
        this.memberId = res.memberId;
        continue;
      }
      this.checkGroupError(res.errorCode, 'JoinGroup');
      join = res;
      break;
    }
    this.memberId = join.memberId;
    this.generationId = join.generationId;
    this.protocolName = join.protocolName;
    this.leaderId = join.leader;
    let assignments: { memberId: string; assignment: Buffer }[] = [];
    this.assignedCounts = null;
    if (join.leader === join.memberId) assignments = await this.computeAssignment(join.protocolName, join.members);
    this.log.push(`SyncGroup generation=${join.generationId} leader=${join.leader === join.memberId}`);
    const sync = await this.cluster.sendToCoordinator(coordinator, ApiKey.SyncGroup, {
      groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: null,
      protocolType: CONSUMER_PROTOCOL_TYPE,
      protocolName: this.protocolName,
      assignments,
    });
    this.checkGroupError(sync.errorCode, 'SyncGroup');
    const assignment = sync.assignment.length === 0 ? { assignedPartitions: [] } : decodeAssignment(Buffer.from(sync.assignment));
    this.assignment = assignment.assignedPartitions.flatMap((tp) => tp.partitions.map((partition) => ({ topic: tp.topic, partition })));
  }

  private async computeAssignment(protocolName: string | null, members: readonly { memberId: string; groupInstanceId: string | null; metadata: Buffer }[]) {
    const subs = members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, topics: decodeSubscription(Buffer.from(m.metadata)).topics }));
    const allTopics = [...new Set(subs.flatMap((s) => s.topics))];
    if (allTopics.length > 0) {
      try {
        await this.cluster.refreshMetadata({ topics: allTopics, allowAutoTopicCreation: false });
      } catch {
        // assign what metadata knows; the next metadata change triggers a rebalance
      }
    }
    const counts = new Map<string, number>();
    for (const t of allTopics) {
      const parts = this.cluster.partitionsOf(t);
      if (parts !== undefined) counts.set(t, parts.length);
    }
    this.assignedCounts = counts;
    const result = protocolName === ROUND_ROBIN_ASSIGNOR_NAME ? roundRobinAssign(counts, subs) : rangeAssign(counts, subs);
    this.log.push(`assign ${protocolName ?? 'range'} members=${subs.length}`);
    return [...result].map(([memberId, tps]) => ({ memberId, assignment: encodeAssignment({ assignedPartitions: groupByTopic(tps), version: 0 }) }));
  }

  private checkGroupError(code: number, what: string): void {
    if (code === ErrorCode.NONE) return;
    if (isCoordinatorError(code)) {
      this.cluster.invalidateCoordinator(this.config.groupId);
      throw new KafkaProtocolError(code, null, `${what} for group ${this.config.groupId}`);
    }
    if (code === ErrorCode.UNKNOWN_MEMBER_ID) {
      this.memberId = '';
      this.generationId = -1;
      throw new RejoinSignal(code);
    }
    if (code === ErrorCode.ILLEGAL_GENERATION || code === ErrorCode.REBALANCE_IN_PROGRESS || code === ErrorCode.FENCED_INSTANCE_ID) {
      throw new RejoinSignal(code);
    }
    throw new KafkaProtocolError(code, null, `${what} for group ${this.config.groupId}`);
  }

  /**
   * Called on every metadata refresh: the leader starts a rebalance when a subscribed
   * topic's partition count changed since it computed the assignment.
   */
  onMetadata(): void {
    if (this.state !== 'stable' || this.assignedCounts === null || this.joining !== null) return;
    for (const [topic, count] of this.assignedCounts) {
      const now = this.cluster.partitionsOf(topic)?.length;
      if (now !== undefined && now !== count) {
        this.log.push(`partitions of ${topic} changed ${count} -> ${now}`);
        this.triggerRejoin();
        return;
      }
    }
  }

  // ---- heartbeats ---------------------------------------------------------------------

  private startHeartbeats(): void {
    this.stopHeartbeats();
    this.lastHeartbeatOkMs = this.cluster.clock.monotonicMs();
    this.heartbeatTimer = every(this.cluster.clock, this.config.heartbeatIntervalMs, () => void this.heartbeat());
  }

  private stopHeartbeats(): void {
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = null;
  }

  private async heartbeat(): Promise<void> {
    if (this.state !== 'stable' || this.heartbeatInFlight || this.joining !== null) return;
    this.heartbeatInFlight = true;
    const generation = this.generationId;
    try {
      const coordinator = await this.cluster.coordinatorFor(this.config.groupId);
      const res = await this.cluster.sendToCoordinator(coordinator, ApiKey.Heartbeat, {
        groupId: this.config.groupId,
        generationId: generation,
        memberId: this.memberId,
        groupInstanceId: null,
      });
      if (generation !== this.generationId || this.state !== 'stable') return;
      if (res.errorCode === ErrorCode.NONE) {
        this.lastHeartbeatOkMs = this.cluster.clock.monotonicMs();
        return;
      }
      if (isCoordinatorError(res.errorCode)) {
        this.cluster.invalidateCoordinator(this.config.groupId);
        return;
      }
      if (res.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) this.memberId = '';
      this.log.push(`Heartbeat error ${errorName(res.errorCode)}`);
      this.triggerRejoin();
    } catch {
      if (this.cluster.clock.monotonicMs() - this.lastHeartbeatOkMs > this.config.sessionTimeoutMs) this.triggerRejoin();
    } finally {
      this.heartbeatInFlight = false;
    }
  }

  /** Starts a rejoin in the background (heartbeat said so). */
  private triggerRejoin(): void {
    this.rejoinNeeded = true;
    this.stopHeartbeats();
    this.ensureActive().catch((err: Error) => {
      if (this.state !== 'closed') this.hooks.onFatal(err);
    });
  }

  /** Leaves the group (LeaveGroup) and stops heartbeats. */
  async leave(): Promise<void> {
    const wasMember = this.memberId !== '' && this.state !== 'closed';
    this.state = 'closed';
    this.stopHeartbeats();
    if (!wasMember) return;
    try {
      const coordinator = await this.cluster.coordinatorFor(this.config.groupId, { timeoutMs: 5000 });
      this.log.push('LeaveGroup');
      const conn = await this.cluster.coordinatorConnection(coordinator);
      const version = conn.versionFor(ApiKey.LeaveGroup) ?? 0;
      await conn.request(
        ApiKey.LeaveGroup,
        version >= 3
          ? { groupId: this.config.groupId, members: [{ memberId: this.memberId, groupInstanceId: null, reason: version >= 5 ? 'the consumer is being closed' : null }] }
          : { groupId: this.config.groupId, memberId: this.memberId },
        { timeoutMs: 5000 },
      );
    } catch {
      // The session timeout removes the member anyway.
    }
  }
}

/** A group error after which the member simply joins again. */
class RejoinSignal extends KafkaClientError {
  constructor(code: number) {
    super(`group needs a rejoin (${new KafkaProtocolError(code).errorName})`, true);
  }
}
