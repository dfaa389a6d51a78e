/**
 * The cluster's recent history, kept in the engine: leader and ISR changes, brokers
 * going down and coming back, the controller moving, topics created and deleted,
 * followers truncating their logs, retention deleting segments, the cleaner removing
 * records, and writes the leaders refused. Lessons check against it ("the leader moved
 * after its broker was killed") and a page that opens late can be told what happened
 * before it did.
 *
 * Sources: the metadata image and the brokers' states are compared with what was
 * last seen every SAMPLE_INTERVAL_MS (a change is recorded once, however many times
 * the engine is marked dirty); truncations, refused writes and storage events are
 * recorded as the brokers report them.
 *
 * Bounds: at most MAX_EVENTS (+25% before a trim) events, none older than MAX_AGE_MS
 * (+1 minute before a trim); a topic with more
 * than MAX_PARTITIONS_DIFFED partitions is diffed on its first MAX_PARTITIONS_DIFFED.
 *
 * Invariant: events are stored in time order (atMs never decreases; a wall clock that
 * steps back is clamped to the last event's time).
 */
import type { StorageEvent } from '../cluster/broker-storage';
import type { MetadataImage } from '../cluster/metadata-image';
import { NO_LEADER } from '../cluster/metadata-image';
import type { BrokerStateName, BrokerStates, ClusterEvent, ClusterHistory } from '../ports';
import { assert } from '../util/assert';
import type { Clock } from '../util/clock';

export const SAMPLE_INTERVAL_MS = 100;
const MAX_EVENTS = 20_000;
const MAX_AGE_MS = 60 * 60 * 1000;
const TRIM_SLACK_MS = 60 * 1000;
const MAX_PARTITIONS_DIFFED = 2000;

export interface JournalSources extends BrokerStates {
  image(): MetadataImage | null;
}

export class ClusterJournal implements ClusterHistory {
  private readonly events: ClusterEvent[] = [];
  /** How many events were dropped from the front (so positions stay valid as the journal is trimmed). */
  private dropped = 0;
  private lastImage: MetadataImage | null = null;
  private lastBrokers = new Map<number, BrokerStateName>();
  private lastController: number | null | undefined = undefined;

  constructor(
    private readonly sources: JournalSources,
    private readonly clock: Clock,
  ) {}

  eventsSince(atMs: number): ClusterEvent[] {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid].atMs < atMs) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }

  get size(): number {
    return this.events.length;
  }

  /** How many events were ever recorded. */
  position(): number {
    return this.dropped + this.events.length;
  }

  eventsAfter(position: number): ClusterEvent[] {
    return this.events.slice(Math.max(0, position - this.dropped));
  }

  record(event: ClusterEvent): void {
    const last = this.events[this.events.length - 1];
    // Wall-clock time can step back (a clock adjustment): keep the journal ordered anyway.
    if (last && event.atMs < last.atMs) event = { ...event, atMs: last.atMs };
    this.events.push(event);
    assert(this.events.length < 2 || this.events[this.events.length - 2].atMs <= event.atMs, 'journal events are in time order');
    // Trimmed in bursts (a quarter over the count, or a minute past the age), so that
    // recording stays O(1) amortised even when events arrive by the thousand.
    const tooMany = this.events.length > MAX_EVENTS + MAX_EVENTS / 4;
    const tooOld = this.events[0].atMs < event.atMs - MAX_AGE_MS - TRIM_SLACK_MS;
    if (tooMany || tooOld) this.trim(event.atMs);
  }

  private trim(nowMs: number): void {
    const oldest = nowMs - MAX_AGE_MS;
    let drop = Math.max(0, this.events.length - MAX_EVENTS);
    let lo = drop;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid].atMs < oldest) lo = mid + 1;
      else hi = mid;
    }
    drop = lo;
    if (drop > 0) {
      this.events.splice(0, drop);
      this.dropped += drop;
    }
  }

  recordStorage(brokerId: number, event: StorageEvent): void {
    const atMs = this.clock.nowMs();
    if (event.type === 'retention') {
      if (event.deleted.length > 0) this.record({ kind: 'segments-deleted', atMs, brokerId, topic: event.topic, partition: event.partition, count: event.deleted.length, logStartOffset: event.logStartOffset });
      return;
    }
    const s = event.result.stats;
    if (event.result.cleaned && s) {
      this.record({ kind: 'cleaned', atMs, brokerId, topic: event.topic, partition: event.partition, recordsBefore: s.recordsBefore, recordsAfter: s.recordsAfter, keylessRemoved: s.keylessRemoved });
    }
  }

  /** Compares the cluster with what was last seen and records what changed. */
  sample(): void {
    const atMs = this.clock.nowMs();
    const controller = this.sources.controllerId();
    if (this.lastController !== undefined && controller !== this.lastController) this.record({ kind: 'controller-change', atMs, from: this.lastController, to: controller });
    this.lastController = controller;

    for (const b of this.sources.brokerStates()) {
      const before = this.lastBrokers.get(b.id);
      if (before !== undefined && before !== b.state) this.record({ kind: 'broker-state', atMs, brokerId: b.id, from: before, to: b.state });
      this.lastBrokers.set(b.id, b.state);
    }

    const image = this.sources.image();
    const previous = this.lastImage;
    if (!image || image === previous) return;
    this.lastImage = image;
    if (!previous) return; // the first image is the starting point, not a change
    for (const t of image.topics.values()) {
      const old = previous.topics.get(t.name);
      if (!old || old.topicId !== t.topicId) {
        if (!t.internal) this.record({ kind: 'topic-created', atMs, topic: t.name });
        continue;
      }
      const n = Math.min(t.partitions.length, MAX_PARTITIONS_DIFFED);
      for (let i = 0; i < n; i++) {
        const p = t.partitions[i];
        const q = old.partitions[i];
        if (!q || p === q) continue;
        if (p.leader !== q.leader) {
          this.record({ kind: 'leader-change', atMs, topic: t.name, partition: i, from: q.leader === NO_LEADER ? null : q.leader, to: p.leader === NO_LEADER ? null : p.leader, leaderEpoch: p.leaderEpoch });
        }
        if (!sameMembers(p.isr, q.isr)) this.record({ kind: 'isr-change', atMs, topic: t.name, partition: i, before: [...q.isr], after: [...p.isr] });
      }
    }
    for (const t of previous.topics.values()) {
      if (!image.topics.has(t.name) && !t.internal) this.record({ kind: 'topic-deleted', atMs, topic: t.name });
    }
  }
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
