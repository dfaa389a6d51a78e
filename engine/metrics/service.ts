/**
 * The metrics & history service (engine/api/metrics): rates and counters for every
 * snapshot (per broker and per topic, totals since the engine started), the recent
 * storage events (retention deletions, cleaner runs) that the topic views show, and the
 * last few truncations (a returning replica cutting records only it had), which the
 * cluster view's feed shows: nothing else on screen says that records were lost.
 *
 * Parts, one concept per file:
 *   rates.ts           per-broker and per-topic rates, sampled from cumulative counters
 *   storage-events.ts  recent retention deletions and cleaner runs per partition
 *   journal.ts         the cluster's recent history (leaders, ISRs, brokers, truncations, …)
 *
 * Timers: one rate sampler every SAMPLE_INTERVAL_MS on the engine's clock; it reports a
 * change only when a rate changed, so an idle cluster publishes nothing. Storage events
 * are recorded as the brokers report them.
 *
 * Bounds: those of RateTracker and StorageEventLog; at most MAX_TRUNCATIONS_SHOWN
 * truncations, each carried in the snapshot for TRUNCATION_SHOWN_MS (a page open then
 * sees it; an idle cluster's snapshot carries none).
 */
import type { CleanerRunView, MetricsSnapshot, RetentionDeletionView, TruncationView } from '../api/contract';
import type { BrokerCounters, BrokerStates, ClusterEvent, ClusterHistory, ClusterState, ReplicaLogs, StorageHistory } from '../ports';
import { ClusterJournal, SAMPLE_INTERVAL_MS as JOURNAL_SAMPLE_MS } from './journal';
import type { Clock, TimerHandle } from '../util/clock';
import { RateTracker, SAMPLE_INTERVAL_MS } from './rates';
import { StorageEventLog } from './storage-events';

/** Truncations kept for the snapshot, oldest dropped first. */
export const MAX_TRUNCATIONS_SHOWN = 10;
const TRUNCATION_SHOWN_MS = 60_000;

export interface MetricsDeps {
  cluster: ClusterState;
  counters: BrokerCounters;
  storage: Pick<ReplicaLogs, 'onStorageEvent'>;
  /** Brokers' states and the controller, for the history journal. */
  states: BrokerStates;
  clock: Clock;
  /** Something the snapshot shows changed. */
  changed: () => void;
}

export class MetricsService implements StorageHistory, ClusterHistory {
  readonly commands = {};
  private readonly events = new StorageEventLog();
  private readonly truncations: TruncationView[] = [];
  private truncationSeq = 0;
  private readonly journal: ClusterJournal;
  private journalSampler: TimerHandle | null = null;
  private readonly rates: RateTracker;
  private readonly unsubscribe: () => void;
  private sampler: TimerHandle | null = null;
  private closed = false;

  constructor(private readonly deps: MetricsDeps) {
    this.rates = new RateTracker(deps.cluster, deps.counters, deps.clock);
    this.journal = new ClusterJournal({ image: () => deps.cluster.image(), ...deps.states }, deps.clock);
    this.unsubscribe = deps.storage.onStorageEvent((brokerId, event) => {
      this.events.record(brokerId, deps.clock.nowMs(), event);
      this.journal.recordStorage(brokerId, event);
    });
    this.scheduleSampling();
    this.scheduleJournal();
  }

  eventsSince(atMs: number): ClusterEvent[] {
    this.journal.sample();
    return this.journal.eventsSince(atMs);
  }

  position(): number {
    this.journal.sample();
    return this.journal.position();
  }

  eventsAfter(position: number): ClusterEvent[] {
    this.journal.sample();
    return this.journal.eventsAfter(position);
  }

  /** An event the brokers reported (a truncation, a refused write): recorded after the cluster's own changes so far. */
  recordEvent(event: ClusterEvent): void {
    this.journal.sample();
    this.journal.record(event);
    if (event.kind === 'truncated' && event.fromOffset > event.toOffset) {
      const { atMs, brokerId, topic, partition, fromOffset, toOffset } = event;
      this.truncations.push({ seq: ++this.truncationSeq, atMs, brokerId, topic, partition, fromOffset, toOffset });
      if (this.truncations.length > MAX_TRUNCATIONS_SHOWN) this.truncations.shift();
      this.deps.changed();
    }
  }

  deletions(topic: string, partition: number): RetentionDeletionView[] {
    return this.events.deletions(topic, partition);
  }

  runs(topic: string, partition: number): CleanerRunView[] {
    return this.events.runs(topic, partition);
  }

  snapshot(): MetricsSnapshot {
    const since = this.deps.clock.nowMs() - TRUNCATION_SHOWN_MS;
    return { ...this.rates.view(), storageSeq: this.events.seq, truncations: this.truncations.filter((t) => t.atMs >= since) };
  }

  close(): void {
    this.closed = true;
    this.sampler?.cancel();
    this.journalSampler?.cancel();
    this.unsubscribe();
  }

  private scheduleJournal(): void {
    this.journalSampler = this.deps.clock.setTimer(JOURNAL_SAMPLE_MS, () => {
      if (this.closed) return;
      this.journal.sample();
      this.scheduleJournal();
    });
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
