/**
 * PartitionLog: the durable log of one partition replica, in Kafka's on-disk
 * format, in a directory named `<topic>-<partition>/`.
 *
 * Contents of the directory:
 *   <20-digit base>.log / .index / .timeindex   segments (segment.ts), oldest first
 *   leader-epoch-checkpoint                     leader-epoch-cache.ts
 *   *.cleaned / *.swap / *.deleted              only while the cleaner swaps (segment-swap.ts)
 *
 * Offsets. logStartOffset <= every offset served; logEndOffset (LEO) is one past
 * the last appended offset. Offsets in the log strictly increase but may have
 * gaps (compaction, follower logs copied from a compacted leader).
 *
 * Writes. `appendAsLeader` takes one client batch (already validated by
 * validateBatch), re-checks its framing and CRC, refuses it whole when it is too
 * large or has keyless records on a compacted topic, then assigns offsets and the
 * leader epoch by rewriting the header in place (and, for LogAppendTime topics,
 * the max timestamp + CRC) and appends it with one write. `appendAsFollower`
 * keeps the leader's offsets. Either may first roll the active segment (size,
 * age, index full, relative offset overflow); a roll fsyncs the old segment.
 *
 * Reads. `read` returns stored batch bytes, whole batches, starting with the
 * batch that holds the requested offset: never decoded, never re-encoded (the
 * closest Node gets to Kafka's sendfile), and counted in
 * `stats.bytesServedZeroCopy`. The first batch is returned even when larger than
 * maxBytes (KIP-74).
 *
 * Durability and recovery. Bytes are durable up to `recoveryPoint` (everything
 * below it was fsynced: at roll, by flush.messages / flush.ms, by flush(), at
 * close). `open` completes or rolls back an interrupted cleaner swap, then
 * re-validates batch by batch (framing, magic, CRC) every segment from the one
 * holding the recovery point (or just the active segment when none is given, or
 * nothing after a clean shutdown), truncates at the first bad batch, drops any
 * later segment, and rebuilds indexes that are missing or disagree with the log.
 * A record that did not survive recovery is never served.
 *
 * Retention (`applyRetention`) deletes whole non-active segments by age
 * (retention.ms against the segment's largest timestamp), by size
 * (retention.bytes), and below logStartOffset. Compaction lives in cleaner.ts
 * and swaps segments through `replaceSegments`; ListOffsets by timestamp in
 * timestamp-search.ts.
 *
 * Errors. Bad input raises StorageError/RecordError and changes nothing. An I/O
 * failure during a write raises KAFKA_STORAGE_ERROR and takes the log offline
 * (every later call fails) since its on-disk state is then uncertain; the owner
 * reopens it, which runs recovery.
 *
 * Invariants (asserted): segments are sorted by base offset and each base is >=
 * the previous segment's next offset; the last segment is the active one;
 * LEO == active segment's nextOffset; logStartOffset <= LEO;
 * recoveryPoint <= LEO. Not thread-safe: one owner calls it.
 */
import { assert, InvariantError } from '../util/assert';
import type { Clock } from '../util/clock';
import type { Random } from '../util/random';
import { isKnownCodec } from './compression';
import { RecordError, StorageError, kafkaStorageError } from './errors';
import { LeaderEpochCache } from './leader-epoch-cache';
import {
  batchBaseOffset,
  batchCodec,
  batchLastOffset,
  batchMaxTimestamp,
  batchPartitionLeaderEpoch,
  batchRecordsCount,
  batchSizeAt,
  checkStoredBatch,
  keylessRecordErrors,
  LAST_OFFSET_DELTA_AT,
  readBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  type BatchHeader,
} from './record-batch';
import { runAsync, runSync, type CodecTask } from './compression';
import { INDEX_SUFFIX, LOG_SUFFIX, LogSegment, TIME_INDEX_SUFFIX, offsetFileStem, parseOffsetFileName, type SegmentSettings } from './segment';
import { resolveInterruptedSwap, swapInCleanedSegment, type SwapRecovery } from './segment-swap';
import { baseName, joinPath, type Storage } from './storage';
import { firstOffsetAtOrAfterTask, maxTimestampTask, type TimestampAndOffset } from './timestamp-search';
import { isCompacted, isDeleteRetained, maxSegmentMs, type TimestampTypeName, type TopicConfig } from './topic-config';
import { FormatError } from './bytes';

export interface PartitionLogOpenOptions {
  /** Offset below which everything is known durable (recovery-point-offset-checkpoint). */
  recoveryPoint?: number;
  /** The broker shut down cleanly: trust every segment (indexes are still sanity-checked). */
  hadCleanShutdown?: boolean;
  /** From log-start-offset-checkpoint; the first segment's base offset when absent or lower. */
  logStartOffset?: number;
  /** Draws segment.jitter.ms; without it jitter is 0. */
  random?: Random;
}

export interface AppendAsLeaderOptions {
  leaderEpoch: number;
  /** Refuse keyless records (default: the topic is compacted). */
  requireKeys?: boolean;
  /** Default: the topic's max.message.bytes. */
  maxMessageBytes?: number;
  /** Default: the topic's message.timestamp.type. */
  timestampType?: TimestampTypeName;
}

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** The broker time stamped on a LogAppendTime batch, -1 for CreateTime. */
  logAppendTimeMs: number;
  recordCount: number;
  bytes: number;
  logStartOffset: number;
}

export interface FollowerAppendResult {
  firstOffset: number;
  lastOffset: number;
  batches: number;
  bytes: number;
}

export interface ReadOptions {
  /** Exclusive: only batches whose last offset is below it (e.g. the high watermark). */
  maxOffset?: number;
  /** Return the first batch even when it is larger than maxBytes (KIP-74; default true). */
  minOneBatch?: boolean;
}

export interface ReadResult {
  /** Whole stored batches, concatenated, exactly as on disk. */
  batches: Buffer;
  /** Base offset of the first batch returned (may be below the requested offset), or the requested offset when empty. */
  firstOffset: number;
  /** One past the last offset returned, or the requested offset when empty. */
  nextOffset: number;
  bytesRead: number;
}

export interface SegmentInfo {
  baseOffset: number;
  nextOffset: number;
  sizeBytes: number;
  /** Known for segments appended or recovered since open; undefined otherwise. */
  recordCount: number | undefined;
  /** maxTimestamp of the first batch (-1 when none). */
  firstTimestampMs: number;
  /** Largest batch timestamp (-1 when none). */
  maxTimestampMs: number;
  createdMs: number;
  active: boolean;
}

export type DeletionReason = 'retention.ms' | 'retention.bytes' | 'log-start-offset';

export interface DeletedSegment extends SegmentInfo {
  reason: DeletionReason;
}

export interface RetentionResult {
  deleted: DeletedSegment[];
  logStartOffset: number;
}

export type { TimestampAndOffset };

/** ListOffsets special timestamps. */
export const LIST_OFFSETS = { LATEST: -1, EARLIEST: -2, MAX_TIMESTAMP: -3 } as const;

export interface LogStats {
  batchesAppended: number;
  recordsAppended: number;
  bytesAppended: number;
  reads: number;
  bytesServedZeroCopy: number;
  flushes: number;
  rolls: number;
  /** Bytes cut from torn or corrupt tails by recovery at open. */
  recoveryTruncatedBytes: number;
  /** Segments whose indexes were rebuilt at open. */
  indexesRebuilt: number;
}

export interface OpenReport {
  swap: SwapRecovery;
  recoveredSegments: number;
  truncatedBytes: number;
  deletedSegments: number;
  problems: string[];
}

export class PartitionLog {
  readonly dir: string;
  readonly name: string;
  private readonly storage: Storage;
  private readonly clock: Clock;
  private readonly random: Random | undefined;
  private cfg: TopicConfig;
  private readonly settings: SegmentSettings;
  private segs: LogSegment[];
  private startOffset: number;
  private recoveryPt: number;
  private unflushedMessages = 0;
  private lastFlushMs: number;
  private offline: StorageError | undefined;
  private closed = false;
  /** Bumped whenever a non-active segment is removed, cut or replaced (the cleaner checks it). */
  private version = 0;
  /** Lowest offset the log was truncated to since the owner last asked (cleaner checkpoint upkeep). */
  private truncationMark: number | undefined;
  readonly leaderEpochCache: LeaderEpochCache;
  readonly stats: LogStats = {
    batchesAppended: 0,
    recordsAppended: 0,
    bytesAppended: 0,
    reads: 0,
    bytesServedZeroCopy: 0,
    flushes: 0,
    rolls: 0,
    recoveryTruncatedBytes: 0,
    indexesRebuilt: 0,
  };
  /** What `open` found and did. */
  readonly openReport: OpenReport;

  private constructor(
    storage: Storage,
    dir: string,
    config: TopicConfig,
    clock: Clock,
    random: Random | undefined,
    segs: LogSegment[],
    settings: SegmentSettings,
    epochCache: LeaderEpochCache,
    logStartOffset: number,
    report: OpenReport,
  ) {
    this.storage = storage;
    this.dir = dir;
    this.name = baseName(dir);
    this.cfg = config;
    this.clock = clock;
    this.random = random;
    this.segs = segs;
    this.settings = settings;
    this.leaderEpochCache = epochCache;
    this.startOffset = logStartOffset;
    this.recoveryPt = this.logEndOffset;
    this.lastFlushMs = clock.nowMs();
    this.openReport = report;
    this.checkInvariants();
  }

  // ---- opening ------------------------------------------------------------------

  static open(storage: Storage, dir: string, config: TopicConfig, clock: Clock, opts: PartitionLogOpenOptions = {}): PartitionLog {
    storage.mkdirp(dir);
    const swap = resolveInterruptedSwap(storage, dir);
    const names = storage.list(dir);
    const bases: number[] = [];
    for (const n of names) {
      const base = parseOffsetFileName(n, LOG_SUFFIX);
      if (base !== undefined) bases.push(base);
      else if (n.endsWith('.tmp')) storage.remove(joinPath(dir, n));
    }
    bases.sort((a, b) => a - b);
    const baseSet = new Set(bases);
    for (const n of names) {
      const ix = parseOffsetFileName(n, INDEX_SUFFIX) ?? parseOffsetFileName(n, TIME_INDEX_SUFFIX);
      if (ix !== undefined && !baseSet.has(ix)) storage.remove(joinPath(dir, n));
    }

    const settings: SegmentSettings = { indexIntervalBytes: config.indexIntervalBytes, maxIndexBytes: config.segmentIndexBytes };
    const nowMs = clock.nowMs();
    const loaded = LeaderEpochCache.load(storage, dir);
    const epochCache = loaded.cache;
    const problems: string[] = [];
    if (loaded.problem) problems.push(loaded.problem);
    const rebuildEpochs = loaded.problem !== undefined || (loaded.missing && bases.length > 0);

    let recoverFrom: number;
    if (opts.hadCleanShutdown) recoverFrom = bases.length;
    else if (opts.recoveryPoint !== undefined) {
      const rp = opts.recoveryPoint;
      let i = bases.length - 1;
      while (i > 0 && bases[i] > rp) i--;
      recoverFrom = Math.max(0, i);
    } else recoverFrom = Math.max(0, bases.length - 1);

    const onBatch = (base: number, _last: number, epoch: number) => {
      if (epoch < 0) return;
      const latest = epochCache.latestEpoch();
      if (latest === undefined || epoch > latest) epochCache.assign(epoch, base);
    };

    // Epochs learnt from batches are checkpointed once, at the end (see withDeferredFlush).
    const loadedSegs = epochCache.withDeferredFlush(() => {
      if (rebuildEpochs) epochCache.clear();
      const result = loadSegments(storage, dir, bases, settings, nowMs, recoverFrom, (recover) => ({
        recover,
        onBatch: recover || rebuildEpochs ? onBatch : undefined,
        rollJitterMs: drawJitter(config, opts.random),
      }));
      if (result.segs.length === 0) {
        const base = Math.max(0, opts.logStartOffset ?? 0);
        result.segs.push(LogSegment.create(storage, dir, base, settings, nowMs, { rollJitterMs: drawJitter(config, opts.random) }));
      }
      const segs = result.segs;
      // Recovered bytes are now validated: make them (and their truncation) durable.
      for (let i = Math.min(recoverFrom, segs.length - 1); i < segs.length; i++) segs[i].flush();
      const leo = segs[segs.length - 1].nextOffset;
      epochCache.truncateFromEnd(leo);
      epochCache.truncateFromStart(Math.min(leo, Math.max(opts.logStartOffset ?? 0, segs[0].baseOffset)));
      // Write the checkpoint even when empty, so the next open knows it need not rebuild it.
      if (loaded.missing) epochCache.flush();
      return result;
    });
    const { segs, recoveredSegments, truncatedBytes, deletedSegments, indexesRebuilt } = loadedSegs;
    problems.push(...loadedSegs.problems);
    const leo = segs[segs.length - 1].nextOffset;
    const logStartOffset = Math.min(leo, Math.max(opts.logStartOffset ?? 0, segs[0].baseOffset));
    const report: OpenReport = { swap, recoveredSegments, truncatedBytes, deletedSegments, problems };
    const log = new PartitionLog(storage, dir, config, clock, opts.random, segs, settings, epochCache, logStartOffset, report);
    log.stats.recoveryTruncatedBytes = truncatedBytes;
    log.stats.indexesRebuilt = indexesRebuilt;
    return log;
  }

  // ---- facts ---------------------------------------------------------------------

  get config(): Readonly<TopicConfig> {
    return this.cfg;
  }

  /** Applies a new topic config (index interval now; segment sizes at the next roll). */
  updateConfig(config: TopicConfig): void {
    this.cfg = config;
    this.settings.indexIntervalBytes = config.indexIntervalBytes;
    this.settings.maxIndexBytes = config.segmentIndexBytes;
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  /** Everything below this offset is fsynced; a broker checkpoints it. */
  get recoveryPoint(): number {
    return this.recoveryPt;
  }

  get sizeBytes(): number {
    let total = 0;
    for (const s of this.segs) total += s.sizeBytes;
    return total;
  }

  get isOffline(): boolean {
    return this.offline !== undefined;
  }

  /** Closed, or offline after an I/O failure: no more writes. */
  get isClosedOrOffline(): boolean {
    return this.closed || this.offline !== undefined;
  }

  get numberOfSegments(): number {
    return this.segs.length;
  }

  private get active(): LogSegment {
    return this.segs[this.segs.length - 1];
  }

  segments(): SegmentInfo[] {
    return this.segs.map((s, i) => segmentInfo(s, i === this.segs.length - 1));
  }

  // ---- writes ------------------------------------------------------------------------

  appendAsLeader(batch: Buffer, opts: AppendAsLeaderOptions): AppendResult {
    this.checkWritable();
    const problem = checkStoredBatch(batch, 0, batch.length);
    if (problem !== null) throw new RecordError('CORRUPT_MESSAGE', `refused batch: ${problem}`);
    const size = batchSizeAt(batch, 0)!;
    if (size !== batch.length) {
      throw new RecordError('CORRUPT_MESSAGE', `refused batch: expected exactly one batch of ${size} bytes, got ${batch.length} bytes`);
    }
    const codec = batchCodec(batch, 0);
    if (!isKnownCodec(codec)) throw new RecordError('UNSUPPORTED_COMPRESSION_TYPE', `refused batch: unknown compression codec id ${codec}`);
    const count = batchRecordsCount(batch, 0);
    if (count === 0) throw new RecordError('INVALID_RECORD', 'refused batch: it contains no records');
    const maxMessageBytes = opts.maxMessageBytes ?? this.cfg.maxMessageBytes;
    if (size > maxMessageBytes) {
      throw new StorageError(
        'MESSAGE_TOO_LARGE',
        `The batch of ${size} bytes is larger than max.message.bytes (${maxMessageBytes}) of ${this.name}; raise max.message.bytes or send smaller batches.`,
      );
    }
    if (size > this.cfg.segmentBytes) {
      throw new StorageError(
        'RECORD_LIST_TOO_LARGE',
        `The batch of ${size} bytes is larger than segment.bytes (${this.cfg.segmentBytes}) of ${this.name}.`,
      );
    }
    if (opts.requireKeys ?? isCompacted(this.cfg)) {
      let errors;
      try {
        errors = keylessRecordErrors(batch, 0, this.name);
      } catch (e) {
        if (e instanceof FormatError) throw new RecordError('INVALID_RECORD', `refused batch: ${e.message}`);
        throw e;
      }
      if (errors && errors.length > 0) {
        throw new RecordError('INVALID_RECORD', `${errors.length} of ${count} records have no key, which a compacted topic requires.`, {
          recordErrors: errors,
        });
      }
    }
    assert(Number.isInteger(opts.leaderEpoch), 'leaderEpoch must be an integer');

    // Accepted: assign offsets and stamp the header in place.
    const baseOffset = this.logEndOffset;
    const lastOffset = baseOffset + batch.readInt32BE(LAST_OFFSET_DELTA_AT);
    setBaseOffset(batch, 0, baseOffset);
    setPartitionLeaderEpoch(batch, 0, opts.leaderEpoch);
    let logAppendTimeMs = -1;
    const tsType = opts.timestampType ?? this.cfg.messageTimestampType;
    if (tsType === 'LogAppendTime') {
      logAppendTimeMs = this.clock.nowMs();
      setLogAppendTime(batch, 0, logAppendTimeMs);
    }
    this.writeBatch(batch, baseOffset, lastOffset, batchMaxTimestamp(batch, 0));
    if (opts.leaderEpoch >= 0) {
      const latest = this.leaderEpochCache.latestEpoch();
      if (latest === undefined || opts.leaderEpoch > latest) this.guardWrite('leader epoch checkpoint', () => this.leaderEpochCache.assign(opts.leaderEpoch, baseOffset));
    }
    this.afterAppend(count, size);
    return { baseOffset, lastOffset, logAppendTimeMs, recordCount: count, bytes: size, logStartOffset: this.startOffset };
  }

  /**
   * Appends batches copied from the leader, keeping their offsets. They must
   * start at or after the LEO and increase (gaps are fine: the leader's log may be
   * compacted). A batch with bad framing or CRC refuses the whole call.
   */
  appendAsFollower(data: Buffer): FollowerAppendResult {
    this.checkWritable();
    let pos = 0;
    let prevLast = this.logEndOffset - 1;
    let first = -1;
    let batches = 0;
    // Validate everything before writing anything.
    while (pos < data.length) {
      const problem = checkStoredBatch(data, pos, data.length);
      if (problem !== null) throw new RecordError('CORRUPT_MESSAGE', `refused replicated batch at byte ${pos}: ${problem}`);
      const base = batchBaseOffset(data, pos);
      const last = batchLastOffset(data, pos);
      assert(base > prevLast, () => `replicated batch ${base}..${last} does not continue the log of ${this.name} (LEO ${prevLast + 1})`);
      if (!isKnownCodec(batchCodec(data, pos))) throw new RecordError('UNSUPPORTED_COMPRESSION_TYPE', 'replicated batch uses an unknown codec');
      if (first < 0) first = base;
      prevLast = last;
      pos += batchSizeAt(data, pos)!;
      batches++;
    }
    if (batches === 0) return { firstOffset: this.logEndOffset, lastOffset: this.logEndOffset - 1, batches: 0, bytes: 0 };
    pos = 0;
    let records = 0;
    while (pos < data.length) {
      const size = batchSizeAt(data, pos)!;
      const batch = data.subarray(pos, pos + size);
      const base = batchBaseOffset(batch, 0);
      this.writeBatch(batch, base, batchLastOffset(batch, 0), batchMaxTimestamp(batch, 0));
      const epoch = batchPartitionLeaderEpoch(batch, 0);
      if (epoch >= 0) {
        const latest = this.leaderEpochCache.latestEpoch();
        if (latest === undefined || epoch > latest) this.guardWrite('leader epoch checkpoint', () => this.leaderEpochCache.assign(epoch, base));
      }
      records += batchRecordsCount(batch, 0);
      pos += size;
    }
    this.afterAppend(records, data.length);
    return { firstOffset: first, lastOffset: prevLast, batches, bytes: data.length };
  }

  /** Rolls if needed, then appends one offset-assigned batch with one write. */
  private writeBatch(batch: Buffer, baseOffset: number, lastOffset: number, maxTimestampMs: number): void {
    const nowMs = this.clock.nowMs();
    const roll = this.active.shouldRoll({
      batchBytes: batch.length,
      maxTimestampMs,
      lastOffset,
      nowMs,
      segmentBytes: this.cfg.segmentBytes,
      maxSegmentMs: maxSegmentMs(this.cfg),
    });
    if (roll || !this.active.canAppendOffset(baseOffset)) this.rollAt(baseOffset);
    const seg = this.active;
    this.guardWrite('append', () => {
      try {
        seg.append(batch);
      } catch (e) {
        // Best effort: cut the partial bytes so a reopen does not even see them.
        try {
          seg.restoreSize();
        } catch {
          // The log goes offline below either way.
        }
        throw e;
      }
    });
    this.stats.batchesAppended++;
  }

  private afterAppend(records: number, bytes: number): void {
    this.stats.recordsAppended += records;
    this.stats.bytesAppended += bytes;
    this.unflushedMessages += records;
    if (this.unflushedMessages >= this.cfg.flushMessages) this.flush();
    this.checkTailInvariants();
  }

  /** Starts a new active segment at the LEO (fsyncing the old one). */
  roll(): void {
    this.checkWritable();
    this.rollAt(this.logEndOffset);
  }

  private rollAt(nextBase: number): void {
    const old = this.active;
    const base = Math.max(nextBase, old.nextOffset);
    if (old.isEmpty && old.baseOffset === base) return;
    this.guardWrite('roll', () => {
      old.onBecomeInactive();
      const seg = LogSegment.create(this.storage, this.dir, base, this.settings, this.clock.nowMs(), {
        rollJitterMs: drawJitter(this.cfg, this.random),
      });
      this.segs.push(seg);
    });
    // Every segment before the new one is now fsynced.
    this.recoveryPt = Math.max(this.recoveryPt, old.nextOffset);
    this.stats.rolls++;
  }

  // ---- reads ------------------------------------------------------------------------

  read(fromOffset: number, maxBytes: number, opts: ReadOptions = {}): ReadResult {
    this.checkReadable();
    assert(Number.isSafeInteger(fromOffset) && maxBytes >= 0, 'read: bad arguments');
    if (fromOffset < this.startOffset || fromOffset > this.logEndOffset) {
      throw new StorageError(
        'OFFSET_OUT_OF_RANGE',
        `Offset ${fromOffset} is out of range for ${this.name}: the log holds offsets ${this.startOffset} to ${this.logEndOffset - 1}.`,
      );
    }
    this.stats.reads++;
    const empty: ReadResult = { batches: Buffer.alloc(0), firstOffset: fromOffset, nextOffset: fromOffset, bytesRead: 0 };
    if (fromOffset === this.logEndOffset) return empty;
    if (opts.maxOffset !== undefined && fromOffset >= opts.maxOffset) return empty;
    const minOne = opts.minOneBatch ?? true;
    let i = this.segmentIndexFor(fromOffset);
    for (; i < this.segs.length; i++) {
      const seg = this.segs[i];
      const got = this.guardRead('read', () => seg.readBatches(fromOffset, maxBytes, opts.maxOffset, minOne));
      if (!got) continue;
      const data = got.data;
      if (data.length === 0) return empty;
      this.stats.bytesServedZeroCopy += data.length;
      return { batches: data, firstOffset: got.first.baseOffset, nextOffset: lastOffsetIn(data) + 1, bytesRead: data.length };
    }
    return empty;
  }

  /** Index of the segment with the largest base offset <= offset (0 when below all). */
  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segs.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segs[mid].baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * Visits the header of every batch from the one holding `fromOffset` to the end
   * (headers only; nothing is decoded). For state rebuilt from the log, such as
   * idempotent-producer state. Return false from `visit` to stop.
   */
  forEachBatchHeader(fromOffset: number, visit: (header: BatchHeader) => boolean | void): void {
    this.checkReadable();
    let stop = false;
    for (let i = this.segmentIndexFor(Math.max(fromOffset, this.startOffset)); i < this.segs.length && !stop; i++) {
      const seg = this.segs[i];
      this.guardRead('scan batch headers', () => {
        const loc = seg.findBatch(fromOffset);
        if (!loc) return;
        seg.scanHeaders(loc.position, (buf, at) => {
          if (visit(readBatchHeader(buf, at)) === false) {
            stop = true;
            return false;
          }
        });
      });
    }
  }

  // ---- truncation and deletion -----------------------------------------------------

  /**
   * Drops every batch whose last offset is >= `offset` (replication's divergence
   * truncation). The truncation is fsynced. Returns true when anything was removed.
   */
  truncateTo(offset: number): boolean {
    this.checkWritable();
    assert(Number.isSafeInteger(offset) && offset >= 0, 'truncateTo: bad offset');
    if (offset >= this.logEndOffset) return false;
    if (offset < this.startOffset) {
      this.truncateFullyAndStartAt(offset);
      return true;
    }
    this.guardWrite('truncate', () => {
      while (this.segs.length > 1 && this.active.baseOffset > offset) {
        const seg = this.segs.pop()!;
        seg.deleteFiles();
      }
      const seg = this.active;
      seg.truncateTo(offset);
      seg.flush();
    });
    this.version++;
    this.noteTruncation(this.logEndOffset);
    this.recoveryPt = Math.min(this.recoveryPt, this.logEndOffset);
    this.unflushedMessages = 0;
    this.guardWrite('leader epoch checkpoint', () => this.leaderEpochCache.truncateFromEnd(this.logEndOffset));
    this.checkInvariants();
    return true;
  }

  /** Empties the log and restarts it at `offset` (a replica far behind, or below logStartOffset). */
  truncateFullyAndStartAt(offset: number): void {
    this.checkWritable();
    assert(Number.isSafeInteger(offset) && offset >= 0, 'truncateFullyAndStartAt: bad offset');
    this.guardWrite('truncate fully', () => {
      for (let i = this.segs.length - 1; i >= 0; i--) this.segs[i].deleteFiles();
      this.segs = [LogSegment.create(this.storage, this.dir, offset, this.settings, this.clock.nowMs(), { rollJitterMs: drawJitter(this.cfg, this.random) })];
      this.leaderEpochCache.clear();
    });
    this.version++;
    this.noteTruncation(offset);
    this.startOffset = offset;
    this.recoveryPt = offset;
    this.unflushedMessages = 0;
    this.checkInvariants();
  }

  /**
   * DeleteRecords: raises logStartOffset to `offset` and deletes the segments
   * wholly below it. Returns the new logStartOffset.
   */
  deleteRecordsBefore(offset: number): number {
    this.checkWritable();
    if (offset > this.logEndOffset || offset < 0) {
      throw new StorageError(
        'OFFSET_OUT_OF_RANGE',
        `Cannot delete records before offset ${offset} of ${this.name}: the log ends at ${this.logEndOffset}.`,
      );
    }
    if (offset <= this.startOffset) return this.startOffset;
    this.startOffset = offset;
    this.guardWrite('leader epoch checkpoint', () => this.leaderEpochCache.truncateFromStart(offset));
    this.deleteSegments(this.deletablePrefix((seg, next) => next !== undefined && next.baseOffset <= this.startOffset), 'log-start-offset');
    this.checkInvariants();
    return this.startOffset;
  }

  /**
   * Deletes whole non-active segments past retention.ms (by largest timestamp),
   * beyond retention.bytes, and wholly below logStartOffset, oldest first.
   * `highWatermark` (when given) protects segments holding offsets at or above it.
   */
  applyRetention(nowMs: number, opts: { highWatermark?: number } = {}): RetentionResult {
    this.checkWritable();
    const deleted: DeletedSegment[] = [];
    const hw = opts.highWatermark ?? Infinity;
    const allowed = (next: LogSegment | undefined) => next !== undefined && next.baseOffset <= hw;
    if (isDeleteRetained(this.cfg)) {
      const retentionMs = this.cfg.retentionMs;
      if (retentionMs >= 0) {
        const victims = this.deletablePrefix((seg, next) => allowed(next) && nowMs - seg.largestTimestampMs > retentionMs);
        deleted.push(...this.deleteSegments(victims, 'retention.ms'));
      }
      const retentionBytes = this.cfg.retentionBytes;
      if (retentionBytes >= 0) {
        let excess = this.sizeBytes - retentionBytes;
        const victims = this.deletablePrefix((seg, next) => {
          if (!allowed(next) || excess - seg.sizeBytes < 0) return false;
          excess -= seg.sizeBytes;
          return true;
        });
        deleted.push(...this.deleteSegments(victims, 'retention.bytes'));
      }
    }
    const belowStart = this.deletablePrefix((seg, next) => next !== undefined && next.baseOffset <= this.startOffset);
    deleted.push(...this.deleteSegments(belowStart, 'log-start-offset'));
    this.checkInvariants();
    return { deleted, logStartOffset: this.startOffset };
  }

  /** The longest prefix of non-active segments for which `pred(segment, next)` holds. */
  private deletablePrefix(pred: (seg: LogSegment, next: LogSegment | undefined) => boolean): number {
    let n = 0;
    while (n < this.segs.length - 1 && pred(this.segs[n], this.segs[n + 1])) n++;
    return n;
  }

  private deleteSegments(count: number, reason: DeletionReason): DeletedSegment[] {
    if (count === 0) return [];
    assert(count < this.segs.length, 'retention never deletes the active segment');
    const victims = this.segs.slice(0, count);
    const out = victims.map((s) => ({ ...segmentInfo(s, false), reason }));
    this.guardWrite('delete segments', () => {
      for (const s of victims) {
        s.deleteFiles();
        this.segs.shift();
      }
    });
    this.version++;
    if (this.segs[0].baseOffset > this.startOffset) {
      this.startOffset = this.segs[0].baseOffset;
      this.guardWrite('leader epoch checkpoint', () => this.leaderEpochCache.truncateFromStart(this.startOffset));
    }
    return out;
  }

  // ---- timestamps -----------------------------------------------------------------

  /**
   * ListOffsets: the first record with timestamp >= `timestampMs`, or the special
   * EARLIEST (-2), LATEST (-1) and MAX_TIMESTAMP (-3). Undefined when no record
   * is that late. Async because finding the record may decompress a zstd batch.
   */
  offsetForTimestamp(timestampMs: number): Promise<TimestampAndOffset | undefined> {
    this.checkReadable();
    return runAsync(this.offsetForTimestampTask(timestampMs)).catch((e) => {
      throw this.asReadError('offset for timestamp', e);
    });
  }

  /** As `offsetForTimestamp`, synchronously; throws AsyncCodecRequiredError when it meets zstd. */
  offsetForTimestampSync(timestampMs: number): TimestampAndOffset | undefined {
    this.checkReadable();
    try {
      return runSync(this.offsetForTimestampTask(timestampMs));
    } catch (e) {
      throw this.asReadError('offset for timestamp', e);
    }
  }

  private *offsetForTimestampTask(timestampMs: number): CodecTask<TimestampAndOffset | undefined> {
    if (timestampMs === LIST_OFFSETS.EARLIEST) {
      return { timestampMs: -1, offset: this.startOffset, leaderEpoch: this.leaderEpochCache.epochForOffset(this.startOffset) ?? -1 };
    }
    if (timestampMs === LIST_OFFSETS.LATEST) {
      return { timestampMs: -1, offset: this.logEndOffset, leaderEpoch: this.leaderEpochCache.latestEpoch() ?? -1 };
    }
    // A snapshot of the segment list: an async search must not see it change shape midway.
    const segs = [...this.segs];
    if (timestampMs === LIST_OFFSETS.MAX_TIMESTAMP) return yield* maxTimestampTask(segs);
    assert(timestampMs >= 0, () => `unsupported ListOffsets timestamp ${timestampMs}`);
    return yield* firstOffsetAtOrAfterTask(segs, this.startOffset, timestampMs);
  }

  // ---- flushing and closing -----------------------------------------------------------

  /** fsyncs every segment with unflushed bytes; recoveryPoint becomes the LEO. */
  flush(): void {
    this.checkWritable();
    this.guardWrite('flush', () => {
      for (const s of this.segs) if (s.unflushedBytes > 0 || s === this.active) s.flush();
    });
    this.recoveryPt = this.logEndOffset;
    this.unflushedMessages = 0;
    this.lastFlushMs = this.clock.nowMs();
    this.stats.flushes++;
  }

  /** Honours flush.ms: flushes when unflushed data is older than it. Returns true when it flushed. */
  flushIfDue(nowMs: number): boolean {
    if (this.offline || this.closed) return false;
    if (this.recoveryPt === this.logEndOffset && this.active.unflushedBytes === 0) {
      this.lastFlushMs = nowMs;
      return false;
    }
    if (nowMs - this.lastFlushMs < this.cfg.flushMs) return false;
    this.flush();
    return true;
  }

  /** Clean shutdown: final time-index entry, everything fsynced, files closed. */
  close(): void {
    if (this.closed) return;
    if (!this.offline) {
      this.guardWrite('close', () => {
        const active = this.active;
        active.timeIndex.maybeAppend(active.maxTimestampMs, active.offsetOfMaxTimestamp, true);
        for (const s of this.segs) if (s.unflushedBytes > 0 || s === active) s.flush();
      });
      this.recoveryPt = this.logEndOffset;
    }
    for (const s of this.segs) {
      try {
        s.close();
      } catch {
        // Closing what is already broken is not worth another error.
      }
    }
    this.closed = true;
  }

  /** Closes the log and removes its directory (topic deletion goes through log-manager.ts). */
  closeAndDeleteFiles(): void {
    this.closed = true;
    for (const s of this.segs) {
      try {
        s.close();
      } catch {
        // Files are about to be removed.
      }
    }
  }

  // ---- cleaner support ----------------------------------------------------------------

  private noteTruncation(offset: number): void {
    this.truncationMark = this.truncationMark === undefined ? offset : Math.min(this.truncationMark, offset);
  }

  /**
   * The lowest offset the log was truncated to since the last call (then forgets
   * it), or undefined. A cleaner offset checkpoint above it must come down to it,
   * or records written again below the checkpoint would pass as already clean.
   */
  takeTruncationMark(): number | undefined {
    const mark = this.truncationMark;
    this.truncationMark = undefined;
    return mark;
  }

  /** @internal The segments, oldest first (the last is active). Do not mutate. */
  segmentList(): readonly LogSegment[] {
    return this.segs;
  }

  /** @internal Changes whenever non-active segments are removed, cut or replaced. */
  get structureVersion(): number {
    return this.version;
  }

  /** @internal A new segment file `<base>.log.cleaned` for the cleaner to fill. */
  createCleanedSegment(baseOffset: number): LogSegment {
    this.checkWritable();
    return this.guardWrite('create cleaned segment', () =>
      LogSegment.create(this.storage, this.dir, baseOffset, this.settings, this.clock.nowMs(), { suffix: '.cleaned' }),
    );
  }

  /**
   * @internal Swaps `cleaned` in for `old` (adjacent non-active segments) with the
   * crash-safe protocol of segment-swap.ts. `expectedVersion` is the
   * structureVersion the cleaner started from; a mismatch means the log changed
   * underneath it and the swap is refused (returns false, nothing changed).
   */
  replaceSegments(cleaned: LogSegment, old: readonly LogSegment[], expectedVersion: number): boolean {
    this.checkWritable();
    if (expectedVersion !== this.version) return false;
    const first = this.segs.indexOf(old[0]);
    assert(first >= 0, 'replaceSegments: old segments are not in the log');
    for (let i = 0; i < old.length; i++) assert(this.segs[first + i] === old[i], 'replaceSegments: old segments are not adjacent');
    assert(first + old.length < this.segs.length, 'replaceSegments: the active segment is never replaced');
    const nextBase = this.segs[first + old.length].baseOffset;
    assert(cleaned.nextOffset <= nextBase, 'cleaned segment runs into the next segment');
    this.guardWrite('swap cleaned segment', () => swapInCleanedSegment(this.storage, cleaned, old));
    this.segs.splice(first, old.length, cleaned);
    this.version++;
    this.checkInvariants();
    return true;
  }

  // ---- guards and invariants -----------------------------------------------------------

  private checkWritable(): void {
    if (this.closed) throw new StorageError('KAFKA_STORAGE_ERROR', `The log of ${this.name} is closed.`);
    if (this.offline) throw new StorageError('KAFKA_STORAGE_ERROR', `The log of ${this.name} is offline after an I/O failure: ${this.offline.message}`, { cause: this.offline });
  }

  private checkReadable(): void {
    this.checkWritable();
  }

  /** Runs a write step; an I/O failure takes the log offline and surfaces as KAFKA_STORAGE_ERROR. */
  private guardWrite<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof StorageError || e instanceof InvariantError) throw e;
      const err = kafkaStorageError(`${what} on ${this.name}`, e);
      this.offline = err;
      throw err;
    }
  }

  /** Runs a read step; an I/O failure surfaces as KAFKA_STORAGE_ERROR (the log stays online). */
  private guardRead<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.asReadError(what, e);
    }
  }

  private asReadError(what: string, e: unknown): Error {
    if (e instanceof StorageError || e instanceof InvariantError) return e;
    if (e instanceof FormatError) return new RecordError('CORRUPT_MESSAGE', `${what} on ${this.name}: ${e.message}`);
    if (e instanceof Error && e.name === 'AsyncCodecRequiredError') return e;
    return kafkaStorageError(`${what} on ${this.name}`, e);
  }

  /** The invariants an append can affect, in O(1) (appends are the hot path). */
  private checkTailInvariants(): void {
    const n = this.segs.length;
    if (n > 1) assert(this.segs[n - 1].baseOffset >= this.segs[n - 2].nextOffset, () => `segments overlap at the active segment of ${this.name}`);
    assert(this.recoveryPt <= this.logEndOffset, 'recovery point above LEO');
  }

  private checkInvariants(): void {
    const segs = this.segs;
    assert(segs.length > 0, 'a log always has an active segment');
    for (let i = 1; i < segs.length; i++) {
      assert(segs[i].baseOffset >= segs[i - 1].nextOffset, () => `segments overlap at ${segs[i].baseOffset} in ${this.name}`);
    }
    assert(this.startOffset <= this.logEndOffset, () => `logStartOffset ${this.startOffset} above LEO ${this.logEndOffset}`);
    assert(this.recoveryPt <= this.logEndOffset, 'recovery point above LEO');
  }
}

interface LoadedSegments {
  segs: LogSegment[];
  recoveredSegments: number;
  truncatedBytes: number;
  deletedSegments: number;
  indexesRebuilt: number;
  problems: string[];
}

/**
 * Opens the segments of a directory in offset order, recovering those from index
 * `recoverFrom` on. After a segment that recovery had to truncate, or one that
 * overlaps its predecessor, every later segment is deleted: nothing after a torn
 * point can be trusted (Kafka's rule).
 */
function loadSegments(
  storage: Storage,
  dir: string,
  bases: readonly number[],
  settings: SegmentSettings,
  nowMs: number,
  recoverFrom: number,
  segmentOptions: (recover: boolean) => Parameters<typeof LogSegment.open>[5],
): LoadedSegments {
  const out: LoadedSegments = { segs: [], recoveredSegments: 0, truncatedBytes: 0, deletedSegments: 0, indexesRebuilt: 0, problems: [] };
  const dropFrom = (j: number) => {
    for (; j < bases.length; j++) {
      removeSegmentFiles(storage, dir, bases[j]);
      out.deletedSegments++;
    }
  };
  for (let i = 0; i < bases.length; i++) {
    const { segment, recovered, indexProblem } = LogSegment.open(storage, dir, bases[i], settings, nowMs, segmentOptions(i >= recoverFrom));
    if (indexProblem) {
      out.problems.push(`${segment.path}: ${indexProblem}; indexes rebuilt`);
      out.indexesRebuilt++;
    }
    const prev = out.segs[out.segs.length - 1];
    if (prev && segment.baseOffset < prev.nextOffset) {
      out.problems.push(`${segment.path} overlaps the previous segment (ends at ${prev.nextOffset}); dropped with later segments`);
      segment.deleteFiles();
      out.deletedSegments++;
      dropFrom(i + 1);
      break;
    }
    out.segs.push(segment);
    if (!recovered) continue;
    out.recoveredSegments++;
    out.truncatedBytes += recovered.truncatedBytes;
    if (recovered.problem !== null) {
      out.problems.push(`${segment.path}: ${recovered.problem}; truncated ${recovered.truncatedBytes} bytes`);
      dropFrom(i + 1);
      break;
    }
  }
  return out;
}

function segmentInfo(s: LogSegment, active: boolean): SegmentInfo {
  return {
    baseOffset: s.baseOffset,
    nextOffset: s.nextOffset,
    sizeBytes: s.sizeBytes,
    recordCount: s.recordCount,
    firstTimestampMs: s.firstBatchTimestampMs,
    maxTimestampMs: s.maxTimestampMs,
    createdMs: s.createdMs,
    active,
  };
}

function drawJitter(cfg: TopicConfig, random: Random | undefined): number {
  if (cfg.segmentJitterMs <= 0 || !random) return 0;
  const bound = Math.min(cfg.segmentJitterMs, cfg.segmentMs);
  return bound >= 1 ? random.int(Math.min(bound, 0x7fffffff)) : 0;
}

function removeSegmentFiles(storage: Storage, dir: string, base: number): void {
  const stem = offsetFileStem(base);
  storage.remove(joinPath(dir, stem + LOG_SUFFIX));
  storage.remove(joinPath(dir, stem + INDEX_SUFFIX));
  storage.remove(joinPath(dir, stem + TIME_INDEX_SUFFIX));
}

/** Last offset of the last batch in `data` (whole batches, as `read` returns them). */
function lastOffsetIn(data: Buffer): number {
  let pos = 0;
  let last = -1;
  while (pos < data.length) {
    last = batchLastOffset(data, pos);
    pos += batchSizeAt(data, pos)!;
  }
  return last;
}

