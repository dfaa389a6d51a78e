/**
 * The engine: a cluster of brokers behind the contract's commands.
 *
 * This first version is thin on purpose: brokers are registrations without their own
 * replication, each partition's data lives with its leader in a simple log
 * (cluster/thin-log.ts), and metadata is in SQLite (cluster/metadata-store.ts). What
 * the contract promises already holds: validation with Kafka's errors, durable
 * appends, reads by offset, a bounded snapshot stream.
 *
 * Data dir layout:
 *   metadata.db                     cluster metadata (SQLite)
 *   broker-<id>/<topic>-<partition>/  a partition's log on the broker that leads it
 *
 * Snapshots: any change marks the cluster dirty; a timer publishes at most one
 * snapshot per `snapshotIntervalMs` (100 ms → ≤ 10 per second) and only when dirty.
 *
 * Invariants: a command that throws changed nothing; the published snapshot seq
 * strictly increases.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type {
  BrokerView, ClusterSnapshot, CommandResults, EngineEvent, MessageView, ParsedArgs, PartitionView, TopicView, BytesView,
} from './api/contract';
import { MAX_SNAPSHOTS_PER_S } from './api/contract';
import type { EngineCommands } from './api/dispatch';
import { WorkbenchError } from './api/errors';
import { assignReplicas } from './cluster/assignment';
import { MetadataStore, type TopicMeta } from './cluster/metadata-store';
import { partitionForKey } from './cluster/partitioner';
import { ThinLog } from './cluster/thin-log';
import { assert } from './util/assert';
import { SystemClock, type Clock, type TimerHandle } from './util/clock';
import { SystemRandom, type Random } from './util/random';

export interface EngineOptions {
  dataDir: string;
  brokerCount?: number;
  /** Port of broker 1's listener; broker i listens on basePort + i - 1. */
  basePort?: number;
  clock?: Clock;
  random?: Random;
  onEvent?: (event: EngineEvent) => void;
  /** better_sqlite3.node built for the runtime, when it is not Node's (Electron). */
  sqliteNativeBinding?: string;
}

/** Kafka's default max.message.bytes. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
const SNAPSHOT_INTERVAL_MS = Math.ceil(1000 / MAX_SNAPSHOTS_PER_S);

interface BrokerInfo {
  id: number;
  host: string;
  port: number;
}

export class Engine implements EngineCommands {
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly meta: MetadataStore;
  private readonly brokers: BrokerInfo[];
  private readonly logs = new Map<string, ThinLog>();
  private readonly clusterIdValue: string;
  private topics = new Map<string, TopicMeta>();
  private snapshotSeq = 0;
  private dirty = true;
  private snapshotTimer: TimerHandle | null = null;
  private roundRobin = 0;
  private closed = false;

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? new SystemClock();
    this.random = options.random ?? new SystemRandom();
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.meta = new MetadataStore({ path: path.join(options.dataDir, 'metadata.db'), nativeBinding: options.sqliteNativeBinding });
    this.clusterIdValue = this.meta.clusterId(() => randomUUID().replace(/-/g, '').slice(0, 22));
    const count = options.brokerCount ?? 3;
    const basePort = options.basePort ?? 9092;
    this.brokers = Array.from({ length: count }, (_, i) => ({ id: i + 1, host: '127.0.0.1', port: basePort + i }));
    for (const t of this.meta.listTopics()) this.topics.set(t.name, t);
    if (options.onEvent) this.scheduleSnapshots();
  }

  // -------------------------------------------------------------------------
  // Commands

  getCluster(): ClusterSnapshot {
    return this.snapshot();
  }

  createTopic(args: ParsedArgs<'createTopic'>): TopicView {
    const { name, partitions, replicationFactor } = args;
    if (this.topics.has(name)) {
      throw new WorkbenchError('TOPIC_ALREADY_EXISTS', `Topic "${name}" already exists. Pick another name, or delete the existing topic first.`, 'name');
    }
    const collision = [...this.topics.keys()].find((t) => t !== name && t.replace(/\./g, '_') === name.replace(/\./g, '_'));
    if (collision) {
      throw new WorkbenchError(
        'INVALID_TOPIC_EXCEPTION',
        `Topic "${name}" collides with existing topic "${collision}": Kafka treats "." and "_" alike in metric names. Use one or the other.`,
        'name',
      );
    }
    if (replicationFactor > this.brokers.length) {
      throw new WorkbenchError(
        'INVALID_REPLICATION_FACTOR',
        `Replication factor ${replicationFactor} is larger than the ${this.brokers.length} brokers in the cluster. Use at most ${this.brokers.length}.`,
        'replicationFactor',
      );
    }
    const configs = args.configs ?? {};
    for (const [key, value] of Object.entries(configs)) {
      if (key !== 'max.message.bytes') {
        throw new WorkbenchError('INVALID_CONFIG', `Unknown topic config "${key}".`, 'configs');
      }
      if (!/^\d+$/.test(value) || Number(value) < 0 || Number(value) > 2_147_483_647) {
        throw new WorkbenchError('INVALID_CONFIG', `Invalid value ${value} for configuration max.message.bytes: must be a whole number of bytes between 0 and 2147483647.`, 'configs');
      }
    }
    const assignment = assignReplicas(this.brokers.map((b) => b.id), partitions, replicationFactor, this.random);
    const topic: TopicMeta = {
      name,
      topicId: randomUUID(),
      internal: false,
      configs: { ...configs },
      partitions: assignment.map((replicas, partition) => ({
        topic: name, partition, replicas, isr: [...replicas], leader: replicas[0], leaderEpoch: 0, partitionEpoch: 0,
      })),
    };
    if (args.validateOnly) return this.topicView(topic);
    this.meta.createTopic(topic, this.clock.nowMs());
    this.topics.set(name, topic);
    this.markDirty();
    return this.topicView(topic);
  }

  deleteTopic(args: ParsedArgs<'deleteTopic'>): { name: string } {
    const topic = this.requireTopic(args.name, 'name');
    this.meta.deleteTopic(topic.name);
    this.topics.delete(topic.name);
    for (const p of topic.partitions) {
      const key = `${topic.name}-${p.partition}`;
      const log = this.logs.get(key);
      if (log) {
        log.close();
        this.logs.delete(key);
      }
      for (const b of this.brokers) fs.rmSync(this.partitionDir(b.id, topic.name, p.partition), { recursive: true, force: true });
    }
    this.markDirty();
    return { name: topic.name };
  }

  produce(args: ParsedArgs<'produce'>): CommandResults['produce'] {
    const topic = this.requireTopic(args.topic, 'topic');
    const key = args.key == null ? null : Buffer.from(args.key, 'utf8');
    const value = args.value === null ? null : Buffer.from(args.value, 'utf8');
    const headers: [string, Buffer | null][] = (args.headers ?? []).map((h) => [h.key, h.value === null ? null : Buffer.from(h.value, 'utf8')]);
    const partition = this.choosePartition(topic, args.partition ?? null, key);
    const maxBytes = Number(topic.configs['max.message.bytes'] ?? DEFAULT_MAX_MESSAGE_BYTES);
    const size = (key?.length ?? 0) + (value?.length ?? 0) + headers.reduce((n, [k, v]) => n + Buffer.byteLength(k) + (v?.length ?? 0), 0);
    if (size > maxBytes) {
      throw new WorkbenchError(
        'MESSAGE_TOO_LARGE',
        `The message is ${size} bytes, over topic "${topic.name}"'s max.message.bytes of ${maxBytes}. Send a smaller value, or raise max.message.bytes on the topic.`,
        'value',
      );
    }
    const timestampMs = this.clock.nowMs();
    const offset = this.logFor(topic, partition).append({ timestampMs, key, value, headers });
    this.markDirty();
    return { topic: topic.name, partition, offset, timestampMs };
  }

  readMessages(args: ParsedArgs<'readMessages'>): CommandResults['readMessages'] {
    const topic = this.requireTopic(args.topic, 'topic');
    this.requirePartition(topic, args.partition);
    const log = this.logFor(topic, args.partition);
    if (args.fromOffset > log.logEndOffset) {
      throw new WorkbenchError(
        'OFFSET_OUT_OF_RANGE',
        `Offset ${args.fromOffset} is past the end of partition ${args.partition} (next offset ${log.logEndOffset}). Start at or before ${log.logEndOffset}.`,
        'fromOffset',
      );
    }
    const records: MessageView[] = log.read(args.fromOffset, args.maxRecords).map((r) => ({
      partition: args.partition,
      offset: r.offset,
      timestampMs: r.timestampMs,
      key: bytesView(r.key),
      value: bytesView(r.value),
      headers: r.headers.map(([k, v]) => ({ key: k, value: bytesView(v) })),
    }));
    const nextOffset = records.length > 0 ? records[records.length - 1].offset + 1 : args.fromOffset;
    return { records, logStartOffset: log.logStartOffset, highWatermark: log.logEndOffset, nextOffset };
  }

  // -------------------------------------------------------------------------
  // Lifecycle

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.snapshotTimer?.cancel();
    for (const log of this.logs.values()) log.close();
    this.logs.clear();
    this.meta.close();
  }

  // -------------------------------------------------------------------------
  // Internals

  private requireTopic(name: string, field: string): TopicMeta {
    const topic = this.topics.get(name);
    if (!topic) {
      throw new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${name}" does not exist. Create it first, or check the name.`, field);
    }
    return topic;
  }

  private requirePartition(topic: TopicMeta, partition: number): void {
    if (partition >= topic.partitions.length) {
      throw new WorkbenchError(
        'UNKNOWN_TOPIC_OR_PARTITION',
        `Topic "${topic.name}" has no partition ${partition}; its partitions are 0 to ${topic.partitions.length - 1}.`,
        'partition',
      );
    }
  }

  private choosePartition(topic: TopicMeta, requested: number | null, key: Buffer | null): number {
    if (requested !== null) {
      this.requirePartition(topic, requested);
      return requested;
    }
    if (key !== null) return partitionForKey(key, topic.partitions.length);
    this.roundRobin = (this.roundRobin + 1) % topic.partitions.length;
    return this.roundRobin;
  }

  private partitionDir(brokerId: number, topic: string, partition: number): string {
    return path.join(this.options.dataDir, `broker-${brokerId}`, `${topic}-${partition}`);
  }

  private logFor(topic: TopicMeta, partition: number): ThinLog {
    const key = `${topic.name}-${partition}`;
    let log = this.logs.get(key);
    if (!log) {
      const leader = topic.partitions[partition].leader;
      assert(leader !== null, 'every partition has a leader in the thin engine');
      log = ThinLog.open(this.partitionDir(leader, topic.name, partition));
      this.logs.set(key, log);
    }
    return log;
  }

  private topicView(topic: TopicMeta): TopicView {
    let sizeBytes = 0;
    const partitions: PartitionView[] = topic.partitions.map((p) => {
      const exists = this.topics.get(topic.name) === topic;
      const log = exists ? this.logFor(topic, p.partition) : null;
      sizeBytes += log?.sizeBytes ?? 0;
      const end = log?.logEndOffset ?? 0;
      return {
        partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr, leaderEpoch: p.leaderEpoch,
        logStartOffset: log?.logStartOffset ?? 0, highWatermark: end, logEndOffset: end,
      };
    });
    return { name: topic.name, internal: topic.internal, replicationFactor: topic.partitions[0]?.replicas.length ?? 0, configs: { ...topic.configs }, partitions, sizeBytes };
  }

  private snapshot(): ClusterSnapshot {
    const brokers: BrokerView[] = this.brokers.map((b) => ({
      id: b.id, host: b.host, port: b.port, state: 'up', listening: false,
      listenerError: 'The Kafka listener is not built yet in this version.',
      partitionsLed: [...this.topics.values()].reduce((n, t) => n + t.partitions.filter((p) => p.leader === b.id).length, 0),
    }));
    return {
      seq: ++this.snapshotSeq,
      clusterId: this.clusterIdValue,
      controllerId: this.brokers[0]?.id ?? null,
      brokers,
      topics: [...this.topics.values()].map((t) => this.topicView(t)),
    };
  }

  private markDirty(): void {
    this.dirty = true;
  }

  private scheduleSnapshots(): void {
    const tick = (): void => {
      if (this.closed) return;
      if (this.dirty) {
        this.dirty = false;
        this.options.onEvent?.({ type: 'snapshot', snapshot: this.snapshot() });
      }
      this.snapshotTimer = this.clock.setTimer(SNAPSHOT_INTERVAL_MS, tick);
    };
    tick();
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function bytesView(buf: Buffer | null): BytesView | null {
  if (buf === null) return null;
  try {
    return { sizeBytes: buf.length, text: utf8Decoder.decode(buf), base64: null };
  } catch {
    return { sizeBytes: buf.length, text: null, base64: buf.toString('base64') };
  }
}
