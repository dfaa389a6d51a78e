/**
 * Short histories kept by the renderer from the snapshot stream, for the charts and
 * the replication timeline: the engine sends only current values and rates (the IPC
 * budget), and this module remembers the last minute or so of them. The event feed
 * ("What just happened") is the engine's history journal put in words: when a page
 * opens it asks for the last hour (so a failover of a minute ago is there), then for
 * what is new whenever the snapshot's journal position moves.
 *
 * Fed by one transient zustand subscription (`startHistory`, installed when the store
 * is created, before any chart subscribes), so a snapshot appends one sample to each
 * ring and nothing re-renders. Charts read the rings from their own transient
 * subscriptions and draw with uPlot.
 *
 * Bounds: every ring holds at most RING_CAPACITY samples; at most MAX_PARTITIONS
 * partitions are followed (the least recently updated is dropped); the event feed
 * holds at most MAX_EVENTS entries.
 */
import type { StoreApi } from 'zustand';
import type { BrokerRatesView, ClusterEventsResult, ClusterEventView, ClusterSnapshot, LoadStatus } from '../../../engine/api/contract';

export const RING_CAPACITY = 900;
const MAX_PARTITIONS = 256;
const MAX_EVENTS = 200;

/** A fixed-capacity ring; `toArray` returns oldest first. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.items = new Array(capacity);
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
    this.items.fill(undefined);
  }

  push(item: T): void {
    if (this.size < this.capacity) {
      this.items[(this.start + this.size) % this.capacity] = item;
      this.size++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  last(): T | undefined {
    return this.size === 0 ? undefined : this.items[(this.start + this.size - 1) % this.capacity];
  }

  toArray(): T[] {
    const out: T[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.items[(this.start + i) % this.capacity] as T;
    return out;
  }
}

export interface ClusterSample {
  /** Seconds (uPlot's time unit). */
  t: number;
  rates: BrokerRatesView[];
  load: Pick<LoadStatus, 'running' | 'recordsPerS' | 'bytesPerS' | 'readBack'> & { targetPerS: number };
}

export interface PartitionSample {
  t: number;
  leader: number | null;
  leaderEpoch: number;
  isr: number[];
  replicas: number[];
  highWatermark: number;
  logEndOffset: number;
  logStartOffset: number;
  replicaLogEndOffsets: Record<number, number | null>;
}

export type ClusterEventKind = 'leader' | 'isr-shrink' | 'isr-grow' | 'broker' | 'controller' | 'topic' | 'truncate';

export interface ClusterEvent {
  id: number;
  t: number;
  kind: ClusterEventKind;
  text: string;
  topic?: string;
  partition?: number;
}

const cluster = new Ring<ClusterSample>(RING_CAPACITY);
const partitions = new Map<string, Ring<PartitionSample>>();
const events = new Ring<ClusterEvent>(MAX_EVENTS);
let nextEventId = 1;
let eventsVersion = 0;
const eventListeners = new Set<() => void>();

export const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export function clusterHistory(): ClusterSample[] {
  return cluster.toArray();
}

export function partitionHistory(topic: string, partition: number): PartitionSample[] {
  return partitions.get(partitionKey(topic, partition))?.toArray() ?? [];
}

export function recentEvents(): ClusterEvent[] {
  return events.toArray().reverse();
}

/** For useSyncExternalStore: the event feed changes rarely, so its list may re-render. */
export function subscribeEvents(listener: () => void): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

export function eventsSnapshot(): number {
  return eventsVersion;
}

function emit(t: number, kind: ClusterEventKind, text: string, topic?: string, partition?: number): void {
  events.push({ id: nextEventId++, t, kind, text, ...(topic !== undefined ? { topic, partition } : {}) });
  eventsVersion++;
}

function list(ids: readonly number[]): string {
  return ids.length === 0 ? 'none' : ids.join(', ');
}

/** "broker 2" or "brokers 2, 3": who did something, unmistakably the subject of the sentence. */
function brokers(ids: readonly number[]): string {
  return `${ids.length === 1 ? 'broker' : 'brokers'} ${list(ids)}`;
}

type FeedLine = { kind: ClusterEventKind; text: string; topic?: string; partition?: number };

/**
 * One journal event in the feed's words (several lines for an ISR that lost some
 * brokers and gained others), or none for what the feed leaves out: the brokers' own
 * topics, and storage events the topic views show.
 */
export function eventLines(ev: ClusterEventView, snapshot: ClusterSnapshot | null): FeedLine[] {
  if ('topic' in ev && ev.topic.startsWith('__')) return [];
  switch (ev.kind) {
    case 'broker-state': {
      const failure = ev.to === 'failed' ? snapshot?.brokers.find((b) => b.id === ev.brokerId)?.failure : null;
      return [{ kind: 'broker', text: failure ? `${failure.reason} ${failure.nextStep}` : `Broker ${ev.brokerId}: ${ev.from} → ${ev.to}` }];
    }
    case 'controller-change':
      return [{ kind: 'controller', text: `Controller: ${ev.from ?? 'none'} → ${ev.to ?? 'none'}` }];
    case 'topic-created': {
      const t = snapshot?.topics.find((x) => x.name === ev.topic);
      return [{ kind: 'topic', text: `Topic ${ev.topic} created${t ? `: ${t.partitionCount} partitions, replication factor ${t.replicationFactor}` : ''}`, topic: ev.topic }];
    }
    case 'topic-deleted':
      return [{ kind: 'topic', text: `Topic ${ev.topic} deleted`, topic: ev.topic }];
    case 'leader-change':
      return [{ kind: 'leader', text: `${ev.topic}-${ev.partition}: leader ${ev.from ?? 'none'} → ${ev.to ?? 'none (offline)'}, epoch ${ev.leaderEpoch}`, topic: ev.topic, partition: ev.partition }];
    case 'isr-change': {
      const name = `${ev.topic}-${ev.partition}`;
      const gone = ev.before.filter((id) => !ev.after.includes(id));
      const joined = ev.after.filter((id) => !ev.before.includes(id));
      const out: FeedLine[] = [];
      if (gone.length > 0) out.push({ kind: 'isr-shrink', text: `${name}: ${brokers(gone)} left the ISR (ISR now ${list(ev.after)})`, topic: ev.topic, partition: ev.partition });
      if (joined.length > 0) out.push({ kind: 'isr-grow', text: `${name}: ${brokers(joined)} caught up and joined the ISR (ISR now ${list(ev.after)})`, topic: ev.topic, partition: ev.partition });
      return out;
    }
    case 'truncated': {
      // Records a returning replica cut because the leader it now follows never had them: lost for good.
      const n = ev.fromOffset - ev.toOffset;
      if (n <= 0) return [];
      return [{ kind: 'truncate', text: `${ev.topic}-${ev.partition}: broker ${ev.brokerId} cut ${n} ${n === 1 ? 'record' : 'records'} (offsets ${ev.toOffset}–${ev.fromOffset - 1}) from its log: the new leader never had them`, topic: ev.topic, partition: ev.partition }];
    }
    default:
      return [];
  }
}

/** Asks the engine for its journal after a position (null: the last hour). */
export type FetchClusterEvents = (after: number | null) => Promise<ClusterEventsResult>;

/**
 * Follows the engine's history journal: the whole last hour when the page first sees a
 * cluster (or a new one, after the engine restarted), then what is new each time the
 * snapshot's journal position moves. One request at a time; a move seen meanwhile is
 * fetched right after.
 */
class JournalFollower {
  private after: number | null = null;
  private clusterId: string | null = null;
  private busy = false;
  private again = false;

  constructor(
    private readonly fetch: FetchClusterEvents,
    private readonly latest: () => ClusterSnapshot | null,
  ) {}

  seen(snapshot: ClusterSnapshot): void {
    // A new cluster, or the same one after the engine restarted (its journal starts again at 0).
    const restarted = this.after !== null && snapshot.metrics.journalPosition < this.after;
    if (snapshot.clusterId !== this.clusterId || restarted) {
      this.clusterId = snapshot.clusterId;
      this.after = null;
      events.clear();
      eventsVersion++;
      for (const l of eventListeners) l();
    } else if (snapshot.metrics.journalPosition === this.after) {
      return;
    }
    void this.pull();
  }

  private async pull(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        const cluster = this.clusterId;
        const res = await this.fetch(this.after);
        if (cluster !== this.clusterId) continue;
        const snapshot = this.latest();
        for (const ev of res.events) for (const line of eventLines(ev, snapshot)) emit(ev.atMs / 1000, line.kind, line.text, line.topic, line.partition);
        this.after = res.position;
        if (res.events.length > 0) for (const l of eventListeners) l();
      } while (this.again);
    } catch {
      // Lost the connection or the engine: the next snapshot, once it is back, asks again.
    } finally {
      this.busy = false;
    }
  }
}

function record(snapshot: ClusterSnapshot, t: number): void {
  const load = snapshot.records.load;
  cluster.push({
    t,
    rates: snapshot.metrics.brokerRates,
    load: { running: load.running, recordsPerS: load.recordsPerS, bytesPerS: load.bytesPerS, readBack: load.readBack, targetPerS: load.running ? (load.settings?.ratePerS ?? 0) : 0 },
  });
  for (const topic of snapshot.topics) {
    for (const p of topic.partitions) {
      const key = partitionKey(topic.name, p.partition);
      let ring = partitions.get(key);
      if (ring) partitions.delete(key);
      else {
        ring = new Ring<PartitionSample>(RING_CAPACITY);
        if (partitions.size >= MAX_PARTITIONS) partitions.delete(partitions.keys().next().value!);
      }
      partitions.set(key, ring);
      ring.push({
        t,
        leader: p.leader,
        leaderEpoch: p.leaderEpoch,
        isr: p.isr,
        replicas: p.replicas,
        highWatermark: p.highWatermark,
        logEndOffset: p.logEndOffset,
        logStartOffset: p.logStartOffset,
        replicaLogEndOffsets: p.replicaLogEndOffsets,
      });
    }
  }
}

/** Installs the one subscription that feeds every history from the store's snapshots. */
export function startHistory<S extends { snapshot: ClusterSnapshot | null }>(store: Pick<StoreApi<S>, 'subscribe' | 'getState'>, fetchEvents: FetchClusterEvents): () => void {
  const journal = new JournalFollower(fetchEvents, () => store.getState().snapshot);
  return store.subscribe((state, prev) => {
    const next = state.snapshot;
    if (!next || next === prev.snapshot) return;
    record(next, Date.now() / 1000);
    journal.seen(next);
  });
}
