/**
 * Short histories kept by the renderer from the snapshot stream, for the charts and
 * the replication timeline: the engine sends only current values and rates (the IPC
 * budget), and this module remembers the last minute or so of them.
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
import type { BrokerRatesView, ClusterSnapshot, LoadStatus } from '../../../engine/api/contract';

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

/** Compares two snapshots and records what a person would want to see happen. */
function diff(prev: ClusterSnapshot, next: ClusterSnapshot, t: number): void {
  if (prev.clusterId !== next.clusterId) return;
  for (const b of next.brokers) {
    const before = prev.brokers.find((x) => x.id === b.id);
    if (before && before.state !== b.state) {
      emit(t, 'broker', b.state === 'failed' && b.failure ? `${b.failure.reason} ${b.failure.nextStep}` : `Broker ${b.id}: ${before.state} → ${b.state}`);
    }
  }
  if (prev.controllerId !== next.controllerId) emit(t, 'controller', `Controller: ${prev.controllerId ?? 'none'} → ${next.controllerId ?? 'none'}`);
  const prevTopics = new Map(prev.topics.map((x) => [x.name, x]));
  for (const topic of next.topics) {
    if (topic.internal) continue;
    const before = prevTopics.get(topic.name);
    if (!before) {
      emit(t, 'topic', `Topic ${topic.name} created: ${topic.partitionCount} partitions, replication factor ${topic.replicationFactor}`, topic.name);
      continue;
    }
    for (const p of topic.partitions) {
      const q = before.partitions[p.partition];
      if (!q) continue;
      const name = `${topic.name}-${p.partition}`;
      if (q.leader !== p.leader) {
        emit(t, 'leader', `${name}: leader ${q.leader ?? 'none'} → ${p.leader ?? 'none (offline)'}, epoch ${p.leaderEpoch}`, topic.name, p.partition);
      }
      const gone = q.isr.filter((id) => !p.isr.includes(id));
      const joined = p.isr.filter((id) => !q.isr.includes(id));
      if (gone.length > 0) emit(t, 'isr-shrink', `${name}: ${brokers(gone)} left the ISR (ISR now ${list(p.isr)})`, topic.name, p.partition);
      if (joined.length > 0) emit(t, 'isr-grow', `${name}: ${brokers(joined)} caught up and joined the ISR (ISR now ${list(p.isr)})`, topic.name, p.partition);
    }
  }
  for (const topic of prev.topics) {
    if (!topic.internal && !next.topics.some((x) => x.name === topic.name)) emit(t, 'topic', `Topic ${topic.name} deleted`, topic.name);
  }
  // Records a returning replica cut because the leader it now follows never had them: lost for good.
  const seen = prev.metrics.truncations.reduce((n, x) => Math.max(n, x.seq), 0);
  for (const cut of next.metrics.truncations) {
    if (cut.seq <= seen || cut.topic.startsWith('__')) continue;
    const n = cut.fromOffset - cut.toOffset;
    emit(t, 'truncate', `${cut.topic}-${cut.partition}: broker ${cut.brokerId} cut ${n} ${n === 1 ? 'record' : 'records'} (offsets ${cut.toOffset}–${cut.fromOffset - 1}) from its log: the new leader never had them`, cut.topic, cut.partition);
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
export function startHistory<S extends { snapshot: ClusterSnapshot | null }>(store: Pick<StoreApi<S>, 'subscribe'>): () => void {
  return store.subscribe((state, prev) => {
    const next = state.snapshot;
    if (!next || next === prev.snapshot) return;
    const t = Date.now() / 1000;
    const before = eventsVersion;
    if (prev.snapshot) diff(prev.snapshot, next, t);
    record(next, t);
    if (eventsVersion !== before) for (const l of eventListeners) l();
  });
}
