/**
 * The metrics & history service (engine/api/metrics): rates and counters for every
 * snapshot (per broker and per topic, totals since the engine started), the recent
 * storage events (retention deletions, cleaner runs) that the topic views show, and the
 * cluster's history journal (clusterEvents), which the cluster view's feed shows: a
 * page that opens late still sees the failover of a minute ago, and a returning replica
 * cutting records only it had (nothing else on screen says that records were lost).
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
 * Bounds: those of RateTracker, StorageEventLog and the journal (an hour, MAX_EVENTS);
 * one clusterEvents answer carries at most MAX_EVENTS_PER_ANSWER events.
 */
import type { CleanerRunView, ClusterEventsResult, MetricsSnapshot, ParsedArgs, RetentionDeletionView } from '../api/contract';
import { MAX_EVENTS_PER_ANSWER } from '../api/metrics/commands';
import type { BrokerCounters, BrokerStates, ClusterEvent, ClusterHistory, ClusterState, ReplicaLogs, StorageHistory } from '../ports';
import { ClusterJournal, SAMPLE_INTERVAL_MS as JOURNAL_SAMPLE_MS } from './journal';
import type { Clock, TimerHandle } from '../util/clock';
import { RateTracker, SAMPLE_INTERVAL_MS } from './rates';
import { StorageEventLog } from './storage-events';

/** How far back a page that opens is told about (the journal's own horizon). */
const HISTORY_MS = 60 * 60 * 1000;

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
  readonly commands = {
    clusterEvents: (a: ParsedArgs<'clusterEvents'>) => this.clusterEvents(a),
  };
  private readonly events = new StorageEventLog();
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
    this.deps.changed();
  }

  /** The journal after a position (or the last hour's), newest MAX_EVENTS_PER_ANSWER at most. */
  clusterEvents(args: ParsedArgs<'clusterEvents'>): ClusterEventsResult {
    this.journal.sample();
    const all = args.after === null ? this.journal.eventsSince(this.deps.clock.nowMs() - HISTORY_MS) : this.journal.eventsAfter(args.after);
    const events = all.length > MAX_EVENTS_PER_ANSWER ? all.slice(all.length - MAX_EVENTS_PER_ANSWER) : all;
    const held = this.journal.position() - (args.after ?? this.journal.position() - all.length);
    return { position: this.journal.position(), events, omitted: Math.max(0, held - events.length) };
  }

  deletions(topic: string, partition: number): RetentionDeletionView[] {
    return this.events.deletions(topic, partition);
  }

  runs(topic: string, partition: number): CleanerRunView[] {
    return this.events.runs(topic, partition);
  }

  snapshot(): MetricsSnapshot {
    return { ...this.rates.view(), storageSeq: this.events.seq, journalPosition: this.journal.position() };
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
      const before = this.journal.position();
      this.journal.sample();
      // A page follows the journal by its position in the snapshot: publish when it moves.
      if (this.journal.position() !== before) this.deps.changed();
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
