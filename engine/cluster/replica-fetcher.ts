/**
 * Follower replication: one fetch loop per leader broker, covering every partition
 * this broker follows from that leader (like Kafka's replica fetcher threads).
 *
 * Each partition is first *truncating*, then *fetching*:
 * - Truncating (KIP-101 / KIP-279): ask the leader, with OffsetForLeaderEpoch, where
 *   the follower's latest epoch ends in the leader's log. If the leader knows that
 *   epoch, truncate to min(its end offset, own LEO); if it answers with an earlier
 *   epoch, truncate to min(the leader's end offset for it, own end offset for it).
 *   Without epoch information fall back to the high watermark. This removes exactly
 *   the records a deposed leader wrote that the new leader never had, and nothing
 *   that both logs share.
 * - Fetching: repeated Fetch requests from the own LEO (long-polled at the leader);
 *   appended batches keep the leader's offsets and epochs; the follower's HW follows
 *   the leader's. Out-of-range answers truncate to the leader's LEO or restart the
 *   log at the leader's log start.
 * A partition whose leader reports a newer epoch (FENCED_LEADER_EPOCH) waits for the
 * next metadata image to move it; a leader that does not know yet that it leads
 * (NOT_LEADER_OR_FOLLOWER, UNKNOWN_LEADER_EPOCH: its metadata lags ours) is asked
 * again after replica.fetch.backoff.ms.
 *
 * Invariants: at most one request in flight per leader; a partition is in at most
 * one fetcher; nothing is appended while a partition is truncating.
 */
import { ErrorCode } from '../protocol/errors';
import type { Clock, TimerHandle } from '../util/clock';
import type { ClusterConfig } from './config';
import type * as M from './messages';
import { brokerNode } from './messages';
import type { RpcEndpoint } from './network';
import type { Partition } from './partition';
import type { ReplicaManager, ValidatedBatch } from './replica-manager';

export type BatchHeaderScanner = (records: Buffer) => (ValidatedBatch & { baseOffset: number; lastOffset: number; partitionLeaderEpoch: number })[];

interface Fetching {
  p: Partition;
  state: 'truncating' | 'fetching' | 'waiting';
  leaderEpoch: number;
}

class LeaderFetcher {
  readonly partitions = new Map<string, Fetching>();
  private inFlight = false;
  private timer: TimerHandle | null = null;
  private closed = false;

  constructor(
    private readonly leaderId: number,
    private readonly mgr: ReplicaFetcherManager,
  ) {}

  add(p: Partition): void {
    this.partitions.set(p.key, { p, state: 'truncating', leaderEpoch: p.leaderEpoch });
    this.kick(0);
  }

  remove(key: string): void {
    this.partitions.delete(key);
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.partitions.clear();
  }

  kick(delayMs: number): void {
    if (this.closed || this.inFlight || this.timer) return;
    this.timer = this.mgr.clock.setTimer(delayMs, () => {
      this.timer = null;
      this.mgr.guard(() => this.run());
    });
  }

  private run(): void {
    if (this.closed || this.inFlight) return;
    const truncating = [...this.partitions.values()].filter((f) => f.state === 'truncating');
    if (truncating.length > 0) return this.truncate(truncating);
    const fetching = [...this.partitions.values()].filter((f) => f.state === 'fetching');
    if (fetching.length > 0) this.fetch(fetching);
  }

  private truncate(list: Fetching[]): void {
    const withoutEpochs = list.filter((f) => f.p.log.latestEpoch() < 0);
    for (const f of withoutEpochs) {
      f.p.truncateTo(Math.min(f.p.highWatermark, f.p.logEndOffset));
      f.state = 'fetching';
    }
    const ask = list.filter((f) => f.state === 'truncating');
    if (ask.length === 0) return this.kick(0);
    const req: M.OffsetForLeaderEpochRequest = {
      type: 'offset-for-leader-epoch',
      replicaId: this.mgr.brokerId,
      partitions: ask.map((f) => ({ topic: f.p.topic, partition: f.p.partition, currentLeaderEpoch: f.leaderEpoch, leaderEpoch: f.p.log.latestEpoch() })),
    };
    this.inFlight = true;
    this.mgr.rpc.request<M.OffsetForLeaderEpochResponse>(brokerNode(this.leaderId), req, this.mgr.config.interBrokerRequestTimeoutMs, (res) => this.mgr.guard(() => {
      this.inFlight = false;
      if (this.closed) return;
      if (!res.ok || res.value.errorCode !== ErrorCode.NONE) return this.kick(this.mgr.config.replicaFetchBackoffMs);
      let backoff = false;
      for (const r of res.value.partitions) {
        const f = this.partitions.get(`${r.topic}-${r.partition}`);
        if (!f || f.state !== 'truncating') continue;
        if (r.errorCode !== ErrorCode.NONE) {
          // FENCED: our epoch is old, the next metadata image moves us. Otherwise the
          // leader has not caught up with the metadata yet: ask again after a backoff.
          if (r.errorCode === ErrorCode.FENCED_LEADER_EPOCH) f.state = 'waiting';
          else backoff = true;
          continue;
        }
        const requested = f.p.log.latestEpoch();
        let target: number;
        if (r.endOffset < 0) target = f.p.highWatermark;
        else if (r.leaderEpoch === requested) target = r.endOffset;
        else {
          const own = f.p.log.endOffsetForEpoch(r.leaderEpoch);
          target = own.endOffset < 0 ? r.endOffset : Math.min(r.endOffset, own.endOffset);
        }
        target = Math.max(f.p.log.logStartOffset, Math.min(target, f.p.logEndOffset));
        if (target < f.p.logEndOffset) {
          const before = f.p.logEndOffset;
          f.p.truncateTo(target);
          this.mgr.onTruncated(f.p, before, target);
        }
        f.state = 'fetching';
      }
      this.kick(backoff ? this.mgr.config.replicaFetchBackoffMs : 0);
    }));
  }

  private fetch(list: Fetching[]): void {
    const cfg = this.mgr.config;
    const req: M.ReplicaFetchRequest = {
      type: 'replica-fetch',
      replicaId: this.mgr.brokerId,
      brokerEpoch: this.mgr.brokerEpoch(),
      maxWaitMs: cfg.replicaFetchWaitMaxMs,
      minBytes: 1,
      maxBytes: cfg.replicaFetchResponseMaxBytes,
      partitions: list.map((f) => ({
        topic: f.p.topic,
        partition: f.p.partition,
        fetchOffset: f.p.logEndOffset,
        lastFetchedEpoch: f.p.log.latestEpoch(),
        currentLeaderEpoch: f.leaderEpoch,
        logStartOffset: f.p.log.logStartOffset,
      })),
    };
    this.inFlight = true;
    const timeoutMs = cfg.replicaFetchWaitMaxMs + cfg.interBrokerRequestTimeoutMs;
    this.mgr.rpc.request<M.ReplicaFetchResponse>(brokerNode(this.leaderId), req, timeoutMs, (res) => this.mgr.guard(() => {
      this.inFlight = false;
      if (this.closed) return;
      if (!res.ok || res.value.errorCode !== ErrorCode.NONE) return this.kick(cfg.replicaFetchBackoffMs);
      let backoff = false;
      for (const r of res.value.partitions) {
        const f = this.partitions.get(`${r.topic}-${r.partition}`);
        if (!f || f.state !== 'fetching') continue;
        const sent = req.partitions.find((x) => x.topic === r.topic && x.partition === r.partition);
        if (!sent || sent.fetchOffset !== f.p.logEndOffset || f.p.leaderEpoch !== f.leaderEpoch) continue; // stale answer
        switch (r.errorCode) {
          case ErrorCode.NONE:
            f.p.leaderLogEndOffset = r.logEndOffset;
            if (r.records && r.records.length > 0) this.mgr.append(f.p, r.records, r.highWatermark);
            else f.p.updateFollowerHighWatermark(r.highWatermark);
            // The leader's log start moved (DeleteRecords): follow it, as Kafka does.
            if (r.logStartOffset > f.p.log.logStartOffset && r.logStartOffset <= f.p.logEndOffset) f.p.log.deleteRecordsBefore(r.logStartOffset);
            break;
          case ErrorCode.OFFSET_OUT_OF_RANGE:
            if (f.p.logEndOffset > r.logEndOffset && r.logEndOffset >= 0) {
              const before = f.p.logEndOffset;
              f.p.truncateTo(Math.max(r.logEndOffset, f.p.log.logStartOffset));
              this.mgr.onTruncated(f.p, before, f.p.logEndOffset);
            } else if (f.p.logEndOffset < r.logStartOffset) {
              // Behind the leader's log start: nothing of ours is cut, the log restarts there.
              const before = f.p.logEndOffset;
              f.p.log.truncateFullyAndStartAt(r.logStartOffset);
              f.p.producers.clear();
              this.mgr.onTruncated(f.p, before, before);
            }
            break;
          case ErrorCode.FENCED_LEADER_EPOCH:
            f.state = 'waiting';
            break;
          default:
            backoff = true;
        }
      }
      this.kick(backoff ? cfg.replicaFetchBackoffMs : 0);
    }));
  }
}

export class ReplicaFetcherManager {
  private readonly fetchers = new Map<number, LeaderFetcher>();
  private readonly leaderOf = new Map<string, number>();

  constructor(
    readonly brokerId: number,
    readonly brokerEpoch: () => number,
    readonly clock: Clock,
    readonly config: ClusterConfig,
    readonly rpc: RpcEndpoint,
    private readonly replicaManager: ReplicaManager,
    private readonly scanHeaders: BatchHeaderScanner,
    /** A follower cut its log from `fromOffset` (its LEO) back to `toOffset` (equal when it only restarted the log). */
    readonly onTruncated: (p: Partition, fromOffset: number, toOffset: number) => void,
    /** Runs a step that touches the disk; a disk failure stops the broker. */
    readonly guard: (fn: () => void) => void = (fn) => fn(),
  ) {}

  /** Follows `p` from `leaderId` (restarting with truncation), or stops following it (null). */
  setLeader(p: Partition, leaderId: number | null): void {
    const previous = this.leaderOf.get(p.key);
    if (previous !== undefined) {
      this.fetchers.get(previous)?.remove(p.key);
      this.leaderOf.delete(p.key);
    }
    if (leaderId === null || leaderId === this.brokerId) return;
    let fetcher = this.fetchers.get(leaderId);
    if (!fetcher) this.fetchers.set(leaderId, (fetcher = new LeaderFetcher(leaderId, this)));
    this.leaderOf.set(p.key, leaderId);
    fetcher.add(p);
  }

  append(p: Partition, records: Buffer, leaderHighWatermark: number): void {
    this.replicaManager.appendFromLeader(p, records, leaderHighWatermark, this.scanHeaders(records));
  }

  /** Partitions followed per leader, for tests and the UI. */
  following(): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const [key, leader] of this.leaderOf) out.set(leader, [...(out.get(leader) ?? []), key]);
    return out;
  }

  close(): void {
    for (const f of this.fetchers.values()) f.close();
    this.fetchers.clear();
    this.leaderOf.clear();
  }
}
