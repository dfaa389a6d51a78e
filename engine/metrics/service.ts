/**
 * The metrics & history service (engine/api/metrics): rates and counters for every
 * snapshot (per broker and per topic, totals since the engine started) and the recent
 * storage events (retention deletions, cleaner runs) that the topic views show.
 *
 * Parts, one concept per file:
 *   rates.ts           per-broker and per-topic rates, sampled from cumulative counters
 *   storage-events.ts  recent retention deletions and cleaner runs per partition
 *
 * Timers: one rate sampler every SAMPLE_INTERVAL_MS on the engine's clock; it reports a
 * change only when a rate changed, so an idle cluster publishes nothing. Storage events
 * are recorded as the brokers report them.
 *
 * Bounds: those of RateTracker and StorageEventLog.
 */
import type { CleanerRunView, MetricsSnapshot, RetentionDeletionView } from '../api/contract';
import type { BrokerCounters, ClusterState, ReplicaLogs, StorageHistory } from '../ports';
import type { Clock, TimerHandle } from '../util/clock';
import { RateTracker, SAMPLE_INTERVAL_MS } from './rates';
import { StorageEventLog } from './storage-events';

export interface MetricsDeps {
  cluster: ClusterState;
  counters: BrokerCounters;
  storage: Pick<ReplicaLogs, 'onStorageEvent'>;
  clock: Clock;
  /** Something the snapshot shows changed. */
  changed: () => void;
}

export class MetricsService implements StorageHistory {
  readonly commands = {};
  private readonly events = new StorageEventLog();
  private readonly rates: RateTracker;
  private readonly unsubscribe: () => void;
  private sampler: TimerHandle | null = null;
  private closed = false;

  constructor(private readonly deps: MetricsDeps) {
    this.rates = new RateTracker(deps.cluster, deps.counters, deps.clock);
    this.unsubscribe = deps.storage.onStorageEvent((brokerId, event) => this.events.record(brokerId, deps.clock.nowMs(), event));
    this.scheduleSampling();
  }

  deletions(topic: string, partition: number): RetentionDeletionView[] {
    return this.events.deletions(topic, partition);
  }

  runs(topic: string, partition: number): CleanerRunView[] {
    return this.events.runs(topic, partition);
  }

  snapshot(): MetricsSnapshot {
    return { ...this.rates.view(), storageSeq: this.events.seq };
  }

  close(): void {
    this.closed = true;
    this.sampler?.cancel();
    this.unsubscribe();
  }

  private scheduleSampling(): void {
    this.sampler = this.deps.clock.setTimer(SAMPLE_INTERVAL_MS, () => {
      if (this.closed) return;
      const before = new Set(this.rates.topicNames());
      if (this.rates.sample()) this.deps.changed();
      const after = new Set(this.rates.topicNames());
      for (const name of before) if (!after.has(name)) this.events.forgetTopic(name);
      this.scheduleSampling();
    });
  }
}
