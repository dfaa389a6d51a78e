/**
 * LogManager: every partition log of one broker's data directory, and the
 * broker-level files Kafka keeps beside them.
 *
 * Data directory layout (Kafka's names and formats):
 *   meta.properties                     version=1, cluster.id, node.id, directory.id
 *   .kafka_cleanshutdown                present only after a clean close
 *   recovery-point-offset-checkpoint    "topic partition offset" per log: fsynced below it
 *   log-start-offset-checkpoint         "topic partition offset": each log's logStartOffset
 *   replication-offset-checkpoint       "topic partition offset": high watermarks (from the caller)
 *   cleaner-offset-checkpoint           "topic partition offset": where each compacted log is dirty
 *   <topic>-<partition>/                one PartitionLog each (log.ts)
 *   <topic>-<partition>.<uuid>-delete/  a deleted log whose files are being removed
 * Checkpoints use Kafka's text format (checkpoint-file.ts), written crash-safely.
 *
 * Opening: meta.properties is created or checked (a data directory of another
 * cluster or node is refused). If `.kafka_cleanshutdown` exists the previous
 * shutdown was clean: every log is opened trusting its segments. Otherwise each
 * log recovers from its checkpointed recovery point (0 when unknown). The marker
 * is removed once the logs are loaded, so a crash from then on is unclean.
 * Leftover `-delete` directories are removed.
 *
 * Periodic work is plain methods the owner calls with a clock time:
 * `runRetention`, `runCleaner` (async: zstd) / `runCleanerSync`, `flushDue`,
 * `checkpoint`. `close()` flushes and closes every log, writes the checkpoints
 * and then the clean-shutdown marker.
 *
 * Invariants: one PartitionLog per (topic, partition); the checkpoints name only
 * logs that exist; the clean-shutdown marker is written last and only when every
 * log closed cleanly. Not thread-safe.
 */
import { assert, InvariantError } from '../util/assert';
import type { Clock } from '../util/clock';
import { SystemRandom, type Random } from '../util/random';
import { parseIntField, readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
import { LogCleaner, type CleanResult, type CleanerOptions } from './cleaner';
import { StorageError, kafkaStorageError } from './errors';
import { PartitionLog, type DeletedSegment } from './log';
import { joinPath, readWholeFile, writeFileAtomic, type Storage } from './storage';
import { DEFAULT_TOPIC_CONFIG, isCompacted, type TopicConfig } from './topic-config';

export const META_PROPERTIES_FILE = 'meta.properties';
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint';
export const REPLICATION_OFFSET_CHECKPOINT_FILE = 'replication-offset-checkpoint';
export const CLEANER_OFFSET_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const LOG_DIR_NAME = /^(.+)-(\d+)$/;
const DELETE_DIR_NAME = /^(.+)-(\d+)\.([0-9a-f]{32})-delete$/;

export interface LogManagerOptions {
  clusterId: string;
  nodeId: number;
  /** Each topic's config (default: Kafka's defaults). */
  configFor?: (topic: string) => TopicConfig;
  /** For directory ids, deletion suffixes and segment jitter (default: non-deterministic). */
  random?: Random;
  cleaner?: CleanerOptions;
  /** Recorded in the clean-shutdown marker, as Kafka does. */
  brokerEpoch?: number;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface ManagedLog extends TopicPartition {
  log: PartitionLog;
}

export interface OfflineLog extends TopicPartition {
  error: StorageError;
}

export interface RetentionReport extends TopicPartition {
  deleted: DeletedSegment[];
  logStartOffset: number;
}

export interface CleanerReport extends TopicPartition {
  result: CleanResult;
}

export interface HighWatermark extends TopicPartition {
  highWatermark: number;
}

export function logDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

function key(topic: string, partition: number): string {
  return `${topic} ${partition}`;
}

export class LogManager {
  readonly dataDir: string;
  /** The previous shutdown was clean (recovery was skipped). */
  readonly hadCleanShutdown: boolean;
  readonly directoryId: string;
  private readonly storage: Storage;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly configFor: (topic: string) => TopicConfig;
  private readonly brokerEpoch: number;
  private readonly logs = new Map<string, ManagedLog>();
  private readonly offline = new Map<string, OfflineLog>();
  private readonly cleanerOffsets = new Map<string, number>();
  private readonly cleaner: LogCleaner;
  private closed = false;

  private constructor(storage: Storage, dataDir: string, clock: Clock, opts: LogManagerOptions, hadCleanShutdown: boolean, directoryId: string) {
    this.storage = storage;
    this.dataDir = dataDir;
    this.clock = clock;
    this.random = opts.random ?? new SystemRandom();
    this.configFor = opts.configFor ?? (() => ({ ...DEFAULT_TOPIC_CONFIG }));
    this.brokerEpoch = opts.brokerEpoch ?? -1;
    this.hadCleanShutdown = hadCleanShutdown;
    this.directoryId = directoryId;
    this.cleaner = new LogCleaner(clock, opts.cleaner);
  }

  static open(storage: Storage, dataDir: string, clock: Clock, opts: LogManagerOptions): LogManager {
    assert(opts.clusterId.length > 0, 'a cluster id is required');
    storage.mkdirp(dataDir);
    const random = opts.random ?? new SystemRandom();
    const directoryId = ensureMetaProperties(storage, dataDir, opts, random);
    const marker = joinPath(dataDir, CLEAN_SHUTDOWN_FILE);
    const hadCleanShutdown = storage.exists(marker);
    const mgr = new LogManager(storage, dataDir, clock, { ...opts, random }, hadCleanShutdown, directoryId);

    const recoveryPoints = readOffsets(storage, joinPath(dataDir, RECOVERY_POINT_CHECKPOINT_FILE));
    const startOffsets = readOffsets(storage, joinPath(dataDir, LOG_START_OFFSET_CHECKPOINT_FILE));
    const cleanerOffsets = readOffsets(storage, joinPath(dataDir, CLEANER_OFFSET_CHECKPOINT_FILE));
    for (const name of storage.list(dataDir)) {
      const path = joinPath(dataDir, name);
      if (!storage.isDirectory(path)) continue;
      if (DELETE_DIR_NAME.test(name)) {
        storage.removeDir(path);
        continue;
      }
      const m = LOG_DIR_NAME.exec(name);
      if (!m || !TOPIC_NAME.test(m[1])) continue;
      const topic = m[1];
      const partition = Number(m[2]);
      const k = key(topic, partition);
      try {
        const log = PartitionLog.open(storage, path, mgr.configFor(topic), clock, {
          hadCleanShutdown,
          recoveryPoint: hadCleanShutdown ? undefined : (recoveryPoints.get(k) ?? 0),
          logStartOffset: startOffsets.get(k),
          random,
        });
        mgr.logs.set(k, { topic, partition, log });
        const cleanerOffset = cleanerOffsets.get(k);
        if (cleanerOffset !== undefined) mgr.cleanerOffsets.set(k, cleanerOffset);
      } catch (e) {
        if (e instanceof InvariantError) throw e;
        const error = e instanceof StorageError ? e : kafkaStorageError(`opening ${name}`, e);
        mgr.offline.set(k, { topic, partition, error });
      }
    }
    storage.remove(marker);
    return mgr;
  }

  // ---- logs -----------------------------------------------------------------------

  getLog(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(key(topic, partition))?.log;
  }

  /** The log of (topic, partition), created empty if it does not exist. */
  getOrCreateLog(topic: string, partition: number, config?: TopicConfig): PartitionLog {
    this.checkOpen();
    assert(TOPIC_NAME.test(topic), () => `illegal topic name ${JSON.stringify(topic)}`);
    assert(Number.isInteger(partition) && partition >= 0, 'partition must be a non-negative integer');
    const k = key(topic, partition);
    const existing = this.logs.get(k);
    if (existing) return existing.log;
    const off = this.offline.get(k);
    if (off) throw off.error;
    const log = PartitionLog.open(this.storage, joinPath(this.dataDir, logDirName(topic, partition)), config ?? this.configFor(topic), this.clock, {
      random: this.random,
    });
    this.logs.set(k, { topic, partition, log });
    return log;
  }

  allLogs(): ManagedLog[] {
    return [...this.logs.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  offlineLogs(): OfflineLog[] {
    return [...this.offline.values()];
  }

  /** Applies a changed topic config to that topic's open logs. */
  updateTopicConfig(topic: string, config: TopicConfig): void {
    for (const m of this.logs.values()) if (m.topic === topic) m.log.updateConfig(config);
  }

  /**
   * Deletes a partition log as Kafka does: the directory is renamed
   * `<topic>-<partition>.<uuid>-delete` (atomic), then removed. A crash in
   * between leaves a `-delete` directory, removed at the next open.
   */
  deleteLog(topic: string, partition: number): boolean {
    this.checkOpen();
    const k = key(topic, partition);
    const m = this.logs.get(k);
    const wasOffline = this.offline.delete(k);
    if (!m && !wasOffline) return false;
    m?.log.closeAndDeleteFiles();
    this.logs.delete(k);
    this.cleanerOffsets.delete(k);
    const dir = joinPath(this.dataDir, logDirName(topic, partition));
    if (this.storage.exists(dir)) {
      const doomed = joinPath(this.dataDir, `${logDirName(topic, partition)}.${hex32(this.random)}-delete`);
      this.storage.rename(dir, doomed);
      this.storage.removeDir(doomed);
    }
    return true;
  }

  // ---- periodic work ------------------------------------------------------------------

  /** Applies retention to every log. `highWatermarkOf` protects unreplicated data. */
  runRetention(nowMs: number, highWatermarkOf?: (topic: string, partition: number) => number | undefined): RetentionReport[] {
    this.checkOpen();
    const out: RetentionReport[] = [];
    for (const m of this.allLogs()) {
      if (m.log.isOffline) continue;
      const hw = highWatermarkOf?.(m.topic, m.partition);
      const r = m.log.applyRetention(nowMs, hw === undefined ? {} : { highWatermark: hw });
      if (r.deleted.length > 0) out.push({ topic: m.topic, partition: m.partition, deleted: r.deleted, logStartOffset: r.logStartOffset });
    }
    return out;
  }

  /** Cleans every compacted log that is cleanable; updates and writes the cleaner checkpoint. */
  async runCleaner(nowMs: number, highWatermarkOf?: (topic: string, partition: number) => number | undefined): Promise<CleanerReport[]> {
    this.checkOpen();
    const out: CleanerReport[] = [];
    for (const m of this.cleanableLogs(nowMs, highWatermarkOf)) {
      const result = await this.cleaner.clean(m.log, this.cleanOptions(m, highWatermarkOf));
      if (this.logs.get(key(m.topic, m.partition))?.log !== m.log) continue; // deleted meanwhile
      this.recordCleaning(m, result, out);
    }
    if (out.length > 0 && !this.closed) this.writeCleanerCheckpoint();
    return out;
  }

  /**
   * Cleans one compacted log now, even below min.cleanable.dirty.ratio (a person asked
   * for it), and records the result as a periodic run would. Undefined when there is
   * no such log or it is not compacted.
   */
  async cleanLogNow(topic: string, partition: number, highWatermark?: number): Promise<CleanResult | undefined> {
    this.checkOpen();
    const m = this.logs.get(key(topic, partition));
    if (!m || m.log.isOffline || !isCompacted(m.log.config)) return undefined;
    this.applyTruncationMarks();
    const result = await this.cleaner.clean(m.log, { ...this.cleanOptions(m, () => highWatermark), force: true });
    if (this.closed || this.logs.get(key(topic, partition)) !== m) return result; // closed or deleted meanwhile
    this.recordCleaning(m, result, []);
    this.writeCleanerCheckpoint();
    return result;
  }

  /** As `runCleaner`, synchronously (deterministic simulator); throws AsyncCodecRequiredError on zstd data. */
  runCleanerSync(nowMs: number, highWatermarkOf?: (topic: string, partition: number) => number | undefined): CleanerReport[] {
    this.checkOpen();
    const out: CleanerReport[] = [];
    for (const m of this.cleanableLogs(nowMs, highWatermarkOf)) {
      this.recordCleaning(m, this.cleaner.cleanSync(m.log, this.cleanOptions(m, highWatermarkOf)), out);
    }
    if (out.length > 0) this.writeCleanerCheckpoint();
    return out;
  }

  private cleanableLogs(nowMs: number, highWatermarkOf?: (topic: string, partition: number) => number | undefined): ManagedLog[] {
    this.applyTruncationMarks();
    return this.allLogs().filter((m) => {
      if (m.log.isOffline || !isCompacted(m.log.config)) return false;
      return this.cleaner.cleanableInfo(m.log, nowMs, this.cleanOptions(m, highWatermarkOf)).cleanable;
    });
  }

  private cleanOptions(m: ManagedLog, highWatermarkOf?: (topic: string, partition: number) => number | undefined) {
    const hw = highWatermarkOf?.(m.topic, m.partition);
    return {
      firstDirtyOffset: this.cleanerOffsets.get(key(m.topic, m.partition)),
      ...(hw === undefined ? {} : { upperBoundOffset: hw }),
    };
  }

  private recordCleaning(m: ManagedLog, result: CleanResult, out: CleanerReport[]): void {
    this.cleanerOffsets.set(key(m.topic, m.partition), result.nextDirtyOffset);
    out.push({ topic: m.topic, partition: m.partition, result });
  }

  /** The cleaner offset checkpoint of a log (undefined: never cleaned). */
  cleanerOffset(topic: string, partition: number): number | undefined {
    return this.cleanerOffsets.get(key(topic, partition));
  }

  /** Honours flush.ms on every log; returns how many logs were flushed. */
  flushDue(nowMs: number): number {
    this.checkOpen();
    let n = 0;
    for (const m of this.logs.values()) if (m.log.flushIfDue(nowMs)) n++;
    return n;
  }

  /** Writes the recovery-point, log-start-offset and cleaner-offset checkpoints. */
  checkpoint(): void {
    this.checkOpen();
    this.writeCheckpoints();
  }

  private writeCheckpoints(): void {
    const live = this.allLogs().filter((m) => !m.log.isOffline);
    writeCheckpointFile(this.storage, joinPath(this.dataDir, RECOVERY_POINT_CHECKPOINT_FILE), live.map((m) => `${m.topic} ${m.partition} ${m.log.recoveryPoint}`));
    writeCheckpointFile(this.storage, joinPath(this.dataDir, LOG_START_OFFSET_CHECKPOINT_FILE), live.map((m) => `${m.topic} ${m.partition} ${m.log.logStartOffset}`));
    this.writeCleanerCheckpoint();
  }

  /** Lowers cleaner checkpoints above the point a log was truncated to (as Kafka's maybeTruncateCheckpoint). */
  private applyTruncationMarks(): void {
    for (const m of this.logs.values()) {
      const mark = m.log.takeTruncationMark();
      const k = key(m.topic, m.partition);
      const cp = this.cleanerOffsets.get(k);
      if (mark !== undefined && cp !== undefined && cp > mark) this.cleanerOffsets.set(k, mark);
    }
  }

  private writeCleanerCheckpoint(): void {
    this.applyTruncationMarks();
    const entries: string[] = [];
    for (const m of this.allLogs()) {
      const off = this.cleanerOffsets.get(key(m.topic, m.partition));
      if (off !== undefined) entries.push(`${m.topic} ${m.partition} ${off}`);
    }
    writeCheckpointFile(this.storage, joinPath(this.dataDir, CLEANER_OFFSET_CHECKPOINT_FILE), entries);
  }

  /** Writes replication-offset-checkpoint (high watermarks are replication's; it supplies them). */
  writeHighWatermarks(hws: Iterable<HighWatermark>): void {
    this.checkOpen();
    const entries: string[] = [];
    for (const h of hws) {
      assert(Number.isSafeInteger(h.highWatermark) && h.highWatermark >= 0, 'high watermark must be an offset');
      entries.push(`${h.topic} ${h.partition} ${h.highWatermark}`);
    }
    writeCheckpointFile(this.storage, joinPath(this.dataDir, REPLICATION_OFFSET_CHECKPOINT_FILE), entries);
  }

  /** The high watermarks last written (empty when none or unreadable). */
  readHighWatermarks(): HighWatermark[] {
    const out: HighWatermark[] = [];
    for (const [k, hw] of readOffsets(this.storage, joinPath(this.dataDir, REPLICATION_OFFSET_CHECKPOINT_FILE))) {
      const [topic, p] = k.split(' ');
      out.push({ topic, partition: Number(p), highWatermark: hw });
    }
    return out;
  }

  /** Clean shutdown: every log flushed and closed, checkpoints written, then the marker. */
  close(): void {
    if (this.closed) return;
    let allClean = this.offline.size === 0;
    for (const m of this.logs.values()) {
      if (m.log.isOffline) allClean = false;
      m.log.close();
      if (m.log.isOffline) allClean = false;
    }
    this.writeCheckpoints();
    if (allClean) {
      writeFileAtomic(
        this.storage,
        joinPath(this.dataDir, CLEAN_SHUTDOWN_FILE),
        Buffer.from(JSON.stringify({ version: 0, brokerEpoch: this.brokerEpoch }), 'utf8'),
      );
    }
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('KAFKA_STORAGE_ERROR', `The log manager of ${this.dataDir} is closed.`);
  }
}

/** Reads a "topic partition offset" checkpoint into a map; empty when missing or malformed. */
function readOffsets(storage: Storage, path: string): Map<string, number> {
  const out = new Map<string, number>();
  const read = readCheckpointFile(storage, path, 3);
  if (!Array.isArray(read)) return out;
  for (const [topic, p, o] of read) {
    const partition = parseIntField(p);
    const offset = parseIntField(o);
    if (partition === undefined || offset === undefined) continue;
    out.set(key(topic, partition), offset);
  }
  return out;
}

/** Creates meta.properties, or checks it names this cluster and node. Returns the directory id. */
function ensureMetaProperties(storage: Storage, dataDir: string, opts: LogManagerOptions, random: Random): string {
  const path = joinPath(dataDir, META_PROPERTIES_FILE);
  if (storage.exists(path)) {
    const props = parseProperties(readWholeFile(storage, path).toString('utf8'));
    if (props.get('cluster.id') !== undefined && props.get('cluster.id') !== opts.clusterId) {
      throw new StorageError(
        'KAFKA_STORAGE_ERROR',
        `The data directory ${dataDir} belongs to cluster ${props.get('cluster.id')}, not ${opts.clusterId}; use an empty directory for a new cluster.`,
      );
    }
    if (props.get('node.id') !== undefined && props.get('node.id') !== String(opts.nodeId)) {
      throw new StorageError(
        'KAFKA_STORAGE_ERROR',
        `The data directory ${dataDir} belongs to node ${props.get('node.id')}, not ${opts.nodeId}; each broker needs its own directory.`,
      );
    }
    const existing = props.get('directory.id');
    if (existing) return existing;
  }
  const directoryId = base64UrlId(random);
  const text = ['#', '#Written by Stream Workbench', `cluster.id=${opts.clusterId}`, `directory.id=${directoryId}`, `node.id=${opts.nodeId}`, 'version=1', ''].join('\n');
  writeFileAtomic(storage, path, Buffer.from(text, 'utf8'));
  return directoryId;
}

/** Java .properties, the subset Kafka writes: `key=value` lines, `#`/`!` comments. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const i = line.search(/[=:]/);
    if (i < 0) out.set(line, '');
    else out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

function hex32(random: Random): string {
  let s = '';
  for (let i = 0; i < 32; i++) s += random.int(16).toString(16);
  return s;
}

/** A Kafka Uuid in its printed form: 16 random bytes, base64url without padding. */
function base64UrlId(random: Random): string {
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) bytes[i] = random.int(256);
  return bytes.toString('base64url');
}
