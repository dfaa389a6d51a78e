/**
 * A broker's disk as replication sees it (BrokerStorage), on top of the storage
 * layer's LogManager: one data directory per broker holding Kafka's partition
 * directories and checkpoint files.
 *
 * Topic identity: each partition directory holds Kafka's `partition.metadata`
 * ("version: 0", "topic_id: <id>"). A directory whose topic id differs from the
 * topic's current one belongs to a deleted topic of the same name and is replaced.
 *
 * Periodic work (retention, cleaning, flush) is reported through `onEvent` so the UI
 * can show segments disappearing and cleaner runs. Cleaning runs synchronously when
 * `syncCleaner` is set (the deterministic simulator), otherwise asynchronously (zstd
 * batches need it), one run at a time.
 *
 * Invariants: a topic's logs always use the topic's current configs; at most one
 * cleaner run at a time.
 */
import type { Clock } from '../util/clock';
import type { Random } from '../util/random';
import type { CleanResult } from '../storage/cleaner';
import type { DeletedSegment, PartitionLog } from '../storage/log';
import { LogManager } from '../storage/log-manager';
import { joinPath, readWholeFile, writeFileAtomic, type DiskSpace, type Storage } from '../storage/storage';
import type { BrokerStorage } from './broker';
import { PartitionLogReplica, effectiveTopicConfig } from './log-adapter';

export type StorageEvent =
  | { type: 'retention'; topic: string; partition: number; deleted: DeletedSegment[]; logStartOffset: number }
  | { type: 'cleaned'; topic: string; partition: number; result: CleanResult; manual?: boolean };

export interface LogManagerStorageOptions {
  storage: Storage;
  /** The broker's directory inside `storage` ('' for its root). */
  dataDir: string;
  brokerId: number;
  clusterId: string;
  clock: Clock;
  random: Random;
  /** The topic config defaults in effect on this broker now (static, then dynamic broker configs). */
  topicDefaults: () => Readonly<Record<string, string>>;
  /** The topic's current configs (from the broker's metadata image). */
  configsOf: (topic: string) => Readonly<Record<string, string>>;
  /** The partition's current high watermark on this broker, if it hosts it. */
  highWatermarkOf: (topic: string, partition: number) => number | undefined;
  syncCleaner: boolean;
  /** Called on a crash: drop unsynced bytes (fault-injecting storage) or close files without flushing. */
  onCrash: () => void;
  /** Called when the broker gives up after a disk error: close files without flushing, cut nothing. */
  onAbandon: () => void;
  onEvent?: (event: StorageEvent) => void;
}

const PARTITION_METADATA = 'partition.metadata';

export class LogManagerBrokerStorage implements BrokerStorage {
  readonly manager: LogManager;
  private readonly savedHighWatermarks = new Map<string, number>();
  private cleaning = false;
  private closed = false;
  private lastHighWatermarks = '';
  private lastLogCheckpoint = '';

  constructor(private readonly o: LogManagerStorageOptions) {
    this.manager = LogManager.open(o.storage, o.dataDir, o.clock, {
      clusterId: o.clusterId,
      nodeId: o.brokerId,
      random: o.random,
      configFor: (topic) => effectiveTopicConfig(o.topicDefaults(), o.configsOf(topic)),
    });
    for (const h of this.manager.readHighWatermarks()) this.savedHighWatermarks.set(`${h.topic}-${h.partition}`, h.highWatermark);
  }

  private dirOf(topic: string, partition: number): string {
    return joinPath(this.o.dataDir, `${topic}-${partition}`);
  }

  private topicIdOnDisk(topic: string, partition: number): string | null {
    const path = joinPath(this.dirOf(topic, partition), PARTITION_METADATA);
    if (!this.o.storage.exists(path)) return null;
    const m = /topic_id:\s*(\S+)/.exec(readWholeFile(this.o.storage, path).toString('utf8'));
    return m ? m[1] : null;
  }

  openLog(topic: string, partition: number, topicId: string, configs: Readonly<Record<string, string>>): { log: PartitionLogReplica; highWatermark: number } {
    const onDisk = this.topicIdOnDisk(topic, partition);
    if (onDisk !== null && onDisk !== topicId) {
      // A log of an earlier topic with the same name: it is not ours.
      this.manager.deleteLog(topic, partition);
      this.savedHighWatermarks.delete(`${topic}-${partition}`);
    }
    const log = this.manager.getOrCreateLog(topic, partition, effectiveTopicConfig(this.o.topicDefaults(), configs));
    if (onDisk !== topicId) {
      writeFileAtomic(this.o.storage, joinPath(this.dirOf(topic, partition), PARTITION_METADATA), Buffer.from(`version: 0\ntopic_id: ${topicId}\n`, 'utf8'));
    }
    return { log: new PartitionLogReplica(log), highWatermark: this.savedHighWatermarks.get(`${topic}-${partition}`) ?? 0 };
  }

  diskSpace(): DiskSpace | null {
    return this.o.storage.diskSpace();
  }

  /** The underlying log, for views (segments) and reads that need the storage layer. */
  log(topic: string, partition: number): PartitionLog | undefined {
    return this.manager.getLog(topic, partition);
  }

  removeStrayLogs(keep: (topic: string, partition: number) => boolean): void {
    if (this.closed) return;
    for (const m of this.manager.allLogs()) if (!keep(m.topic, m.partition)) this.deleteLog(m.topic, m.partition);
  }

  deleteLog(topic: string, partition: number): void {
    this.manager.deleteLog(topic, partition);
    this.savedHighWatermarks.delete(`${topic}-${partition}`);
  }

  updateConfigs(topic: string, configs: Readonly<Record<string, string>>): void {
    this.manager.updateTopicConfig(topic, effectiveTopicConfig(this.o.topicDefaults(), configs));
  }

  checkpointHighWatermarks(hws: { topic: string; partition: number; highWatermark: number }[]): void {
    if (this.closed) return;
    // Each checkpoint file is written with an fsync: skip the ones that would not change.
    const hwText = hws.map((h) => `${h.topic} ${h.partition} ${h.highWatermark}`).join('\n');
    if (hwText !== this.lastHighWatermarks) {
      this.manager.writeHighWatermarks(hws);
      this.lastHighWatermarks = hwText;
    }
    const logsText = this.manager.allLogs().map((m) => `${m.topic} ${m.partition} ${m.log.recoveryPoint} ${m.log.logStartOffset}`).join('\n');
    if (logsText !== this.lastLogCheckpoint) {
      this.manager.checkpoint();
      this.lastLogCheckpoint = logsText;
    }
  }

  runRetention(nowMs: number): void {
    if (this.closed) return;
    for (const r of this.manager.runRetention(nowMs, this.o.highWatermarkOf)) {
      this.o.onEvent?.({ type: 'retention', topic: r.topic, partition: r.partition, deleted: r.deleted, logStartOffset: r.logStartOffset });
    }
  }

  runCleaner(nowMs: number): void {
    if (this.closed || this.cleaning) return;
    if (this.o.syncCleaner) {
      for (const r of this.manager.runCleanerSync(nowMs, this.o.highWatermarkOf)) this.o.onEvent?.({ type: 'cleaned', topic: r.topic, partition: r.partition, result: r.result });
      return;
    }
    this.cleaning = true;
    this.manager.runCleaner(nowMs, this.o.highWatermarkOf).then(
      (reports) => {
        this.cleaning = false;
        for (const r of reports) this.o.onEvent?.({ type: 'cleaned', topic: r.topic, partition: r.partition, result: r.result });
      },
      () => {
        // A log taken offline mid-clean reports itself through its own errors.
        this.cleaning = false;
      },
    );
  }

  /**
   * The UI's "clean now": waits (bounded) for a periodic run to finish, then cleans
   * one partition's log even below min.cleanable.dirty.ratio and reports it like a
   * periodic run. Undefined when the log is not here or not compacted.
   */
  async cleanNow(topic: string, partition: number, waitMs = 10_000): Promise<CleanResult | undefined> {
    const deadline = this.o.clock.monotonicMs() + waitMs;
    while (this.cleaning && !this.closed && this.o.clock.monotonicMs() < deadline) {
      await new Promise<void>((resolve) => this.o.clock.setTimer(20, resolve));
    }
    if (this.closed || this.cleaning) return undefined;
    this.cleaning = true;
    try {
      const result = await this.manager.cleanLogNow(topic, partition, this.o.highWatermarkOf(topic, partition));
      if (result && !this.closed) this.o.onEvent?.({ type: 'cleaned', topic, partition, result, manual: true });
      return result;
    } finally {
      this.cleaning = false;
    }
  }

  flushDue(nowMs: number): void {
    if (!this.closed) this.manager.flushDue(nowMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.manager.close();
  }

  crash(): void {
    if (this.closed) return;
    this.closed = true;
    this.o.onCrash();
  }

  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    this.o.onAbandon();
  }
}
