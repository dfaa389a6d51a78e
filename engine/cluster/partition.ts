/**
 * One replica of one partition on one broker, and the replication rules Kafka
 * applies to it.
 *
 * As leader it tracks each follower's log end offset (LEO) from its fetches and:
 * - raises the high watermark (HW) to the smallest LEO over the ISR — the maximal
 *   ISR while an AlterPartition is in flight (KIP-497): the current ISR plus any
 *   replica being added, so the HW never counts on a replica the controller has not
 *   yet agreed to;
 * - proposes ISR expansion when a follower outside the ISR has caught up to the HW
 *   and to the start of the current leader epoch;
 * - proposes ISR shrink when a follower has not caught up within
 *   replica.lag.time.max.ms. A follower is "caught up" at a fetch if it asked for
 *   the leader's LEO at that moment, or if it asked for at least the LEO the leader
 *   had at its previous fetch (then it was caught up as of that previous fetch).
 * As follower its HW is min(leader's HW, own LEO).
 *
 * ISR changes go to the controller (AlterPartition); until the answer arrives the
 * leader keeps the old ISR for everything but the HW rule above.
 *
 * Invariants: HW never decreases while this replica leads one epoch and never
 * exceeds the LEO; the leader is in its ISR; leader epochs only grow.
 */
import { assert } from '../util/assert';
import type { ReplicaLog } from './replica-log';
import { NO_LEADER, type PartitionState } from './metadata-image';
import { ProducerStateManager } from './producer-state';

export interface FollowerState {
  /** -1 until the follower's first fetch in this leader epoch. */
  logEndOffset: number;
  /** The broker epoch the follower fetched with last (-1 unknown): which incarnation it is. */
  brokerEpoch: number;
  lastCaughtUpTimeMs: number;
  lastFetchTimeMs: number;
  lastFetchLeaderLogEndOffset: number;
}

export type Role = 'leader' | 'follower' | 'none';

export class Partition {
  role: Role = 'none';
  leaderId = NO_LEADER;
  leaderEpoch = -1;
  partitionEpoch = -1;
  replicas: readonly number[] = [];
  isr: readonly number[] = [];
  /** Target ISR of an AlterPartition in flight, or null. */
  pendingIsr: readonly number[] | null = null;
  highWatermark = 0;
  /** Follower: the leader's log end offset as its last fetch response gave it (-1: none yet). */
  leaderLogEndOffset = -1;
  /** LEO when this replica became leader of the current epoch. */
  leaderEpochStartOffset = 0;
  readonly followers = new Map<number, FollowerState>();
  readonly producers = new ProducerStateManager();
  /** The topic id the replica belongs to (a re-created topic gets a new one). */
  topicId = '';
  /** Bytes this replica handed to consumers' fetches while leading (as stored; followers' fetches not counted). */
  bytesToConsumers = 0;

  constructor(
    readonly brokerId: number,
    readonly topic: string,
    readonly partition: number,
    readonly log: ReplicaLog,
    initialHighWatermark: number,
  ) {
    this.highWatermark = Math.min(Math.max(initialHighWatermark, log.logStartOffset), log.logEndOffset);
  }

  get key(): string {
    return `${this.topic}-${this.partition}`;
  }

  get logEndOffset(): number {
    return this.log.logEndOffset;
  }

  get isLeader(): boolean {
    return this.role === 'leader';
  }

  /** The ISR the high watermark is computed over (KIP-497's maximal ISR). */
  get maximalIsr(): readonly number[] {
    if (!this.pendingIsr) return this.isr;
    return [...new Set([...this.isr, ...this.pendingIsr])];
  }

  // ------------------------------------------------------------------ transitions

  /** Becomes leader for `state.leaderEpoch`. Returns false if the state is stale. */
  makeLeader(state: PartitionState, nowMs: number): boolean {
    if (state.leaderEpoch < this.leaderEpoch) return false;
    const newEpoch = state.leaderEpoch > this.leaderEpoch || this.role !== 'leader';
    this.replicas = state.replicas;
    this.isr = state.isr;
    this.partitionEpoch = state.partitionEpoch;
    this.pendingIsr = null;
    this.leaderId = this.brokerId;
    if (newEpoch) {
      this.role = 'leader';
      this.leaderEpoch = state.leaderEpoch;
      this.leaderEpochStartOffset = this.log.logEndOffset;
      this.log.assignEpochStart(state.leaderEpoch, this.log.logEndOffset);
      this.followers.clear();
      for (const r of state.replicas) {
        if (r === this.brokerId) continue;
        this.followers.set(r, {
          logEndOffset: -1,
          brokerEpoch: -1,
          // ISR members get a full lag window to show up, as in Kafka.
          lastCaughtUpTimeMs: state.isr.includes(r) ? nowMs : 0,
          lastFetchTimeMs: 0,
          lastFetchLeaderLogEndOffset: -1,
        });
      }
    } else this.syncFollowers(state.replicas);
    this.maybeIncrementHighWatermark();
    return true;
  }

  /**
   * Keeps one follower entry per other replica: a reassignment adds replicas (tracked
   * from their first fetch, outside the ISR until they catch up) and removes them,
   * all within one leader epoch.
   */
  private syncFollowers(replicas: readonly number[]): void {
    if (this.role !== 'leader') return;
    for (const id of [...this.followers.keys()]) if (!replicas.includes(id)) this.followers.delete(id);
    for (const r of replicas) {
      if (r === this.brokerId || this.followers.has(r)) continue;
      this.followers.set(r, { logEndOffset: -1, brokerEpoch: -1, lastCaughtUpTimeMs: 0, lastFetchTimeMs: 0, lastFetchLeaderLogEndOffset: -1 });
    }
  }

  /** Becomes a follower of `state.leader`. Returns true when the leader or epoch changed (fetching must restart). */
  makeFollower(state: PartitionState): boolean {
    if (state.leaderEpoch < this.leaderEpoch) return false;
    const changed = state.leaderEpoch > this.leaderEpoch || this.leaderId !== state.leader || this.role !== 'follower';
    this.role = state.leader === NO_LEADER ? 'none' : 'follower';
    this.leaderId = state.leader;
    this.leaderEpoch = state.leaderEpoch;
    this.partitionEpoch = state.partitionEpoch;
    this.replicas = state.replicas;
    this.isr = state.isr;
    this.pendingIsr = null;
    this.followers.clear();
    return changed;
  }

  /** Adopts a newer ISR for the same leader epoch (from the image or an AlterPartition reply). */
  applyIsr(state: PartitionState): void {
    if (state.leaderEpoch !== this.leaderEpoch || state.partitionEpoch <= this.partitionEpoch) return;
    this.isr = state.isr;
    this.partitionEpoch = state.partitionEpoch;
    this.pendingIsr = null;
    this.replicas = state.replicas;
    this.syncFollowers(state.replicas);
    this.maybeIncrementHighWatermark();
  }

  // ------------------------------------------------------------------ leader side

  /**
   * Records a follower's fetch at `fetchOffset` (which acknowledges everything
   * before it). Returns whether the HW moved.
   */
  recordFollowerFetch(replicaId: number, replicaBrokerEpoch: number, fetchOffset: number, nowMs: number): boolean {
    assert(this.role === 'leader', 'only a leader tracks follower fetches');
    const f = this.followers.get(replicaId);
    if (!f) return false;
    if (replicaBrokerEpoch !== f.brokerEpoch) {
      // A new incarnation of the follower (it restarted): what it had before is unknown.
      f.brokerEpoch = replicaBrokerEpoch;
      f.lastFetchLeaderLogEndOffset = -1;
    }
    const leaderLeo = this.log.logEndOffset;
    if (fetchOffset >= leaderLeo) f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, nowMs);
    else if (f.lastFetchLeaderLogEndOffset >= 0 && fetchOffset >= f.lastFetchLeaderLogEndOffset) {
      f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, f.lastFetchTimeMs);
    }
    f.logEndOffset = Math.min(fetchOffset, leaderLeo);
    f.lastFetchLeaderLogEndOffset = leaderLeo;
    f.lastFetchTimeMs = nowMs;
    return this.maybeIncrementHighWatermark();
  }

  /** The ISR to propose if a follower outside it has caught up, else null. */
  isrToExpand(): number[] | null {
    if (this.role !== 'leader' || this.pendingIsr) return null;
    const joining = [...this.followers.entries()]
      .filter(([id, f]) => !this.isr.includes(id) && f.brokerEpoch >= 0 && f.logEndOffset >= this.highWatermark && f.logEndOffset >= this.leaderEpochStartOffset)
      .map(([id]) => id);
    if (joining.length === 0) return null;
    return this.replicas.filter((r) => this.isr.includes(r) || joining.includes(r));
  }

  /** The ISR to propose if some followers have lagged too long, else null. */
  isrToShrink(nowMs: number, maxLagMs: number): number[] | null {
    if (this.role !== 'leader' || this.pendingIsr) return null;
    const laggards = this.isr.filter((id) => {
      if (id === this.brokerId) return false;
      const f = this.followers.get(id);
      return !f || nowMs - f.lastCaughtUpTimeMs > maxLagMs;
    });
    if (laggards.length === 0) return null;
    return this.isr.filter((id) => !laggards.includes(id));
  }

  /** HW = min LEO over the maximal ISR (the leader counts with its own LEO); only rises. */
  maybeIncrementHighWatermark(): boolean {
    if (this.role !== 'leader') return false;
    let candidate = this.log.logEndOffset;
    for (const id of this.maximalIsr) {
      if (id === this.brokerId) continue;
      const f = this.followers.get(id);
      candidate = Math.min(candidate, f ? Math.max(f.logEndOffset, -1) : -1);
    }
    if (candidate > this.highWatermark) {
      this.highWatermark = candidate;
      assert(this.highWatermark <= this.log.logEndOffset, 'HW cannot pass the LEO');
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ follower side

  /** Follower: HW follows the leader's but never passes the own LEO. */
  updateFollowerHighWatermark(leaderHighWatermark: number): void {
    const next = Math.min(leaderHighWatermark, this.log.logEndOffset);
    if (next > this.highWatermark) this.highWatermark = next;
  }

  /** After a truncation below the HW (possible only on a follower). */
  truncateTo(offset: number): void {
    this.log.truncateTo(offset);
    this.producers.truncateTo(offset);
    if (this.highWatermark > this.log.logEndOffset) this.highWatermark = this.log.logEndOffset;
  }

  /** The view of this replica for snapshots. */
  describe(): { role: Role; leaderEpoch: number; highWatermark: number; logEndOffset: number; logStartOffset: number } {
    return { role: this.role, leaderEpoch: this.leaderEpoch, highWatermark: this.highWatermark, logEndOffset: this.log.logEndOffset, logStartOffset: this.log.logStartOffset };
  }
}
