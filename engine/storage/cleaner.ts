/**
 * Log compaction for topics whose cleanup.policy includes "compact": keep, for
 * every key, only the latest record.
 *
 * Sections of a log, by offset:
 *   [logStartOffset, firstDirty)         clean: already compacted by an earlier run
 *   [firstDirty, firstUncleanable)       dirty: written since; this run compacts it
 *   [firstUncleanable, LEO)              uncleanable: the active segment, segments
 *                                        holding records newer than
 *                                        min.compaction.lag.ms, and anything at or
 *                                        above the caller's upper bound (the HW)
 * `firstDirty` is the cleaner offset checkpoint the owner keeps per log
 * (cleaner-offset-checkpoint, log-manager.ts). A log is cleanable when
 *   dirty bytes / (clean + dirty bytes) >= min.cleanable.dirty.ratio,
 * or when its oldest dirty batch is older than max.compaction.lag.ms.
 *
 * A run:
 *   1. Builds a map key -> latest offset over the dirty section (offset-map.ts:
 *      key digests, not keys), stopping early at a batch boundary when it holds
 *      `maxMapKeys` keys; the rest stays dirty.
 *   2. Rewrites every non-active segment from the log start up to the end of what
 *      the map covers, in groups of adjacent segments whose total size fits
 *      segment.bytes (and whose offsets fit one segment), each group into one new
 *      segment. A record is kept when it is at or past the map's end, or when its
 *      key has no later offset in the map; a keyless record is dropped. A
 *      tombstone (null value) is kept until its batch's delete horizon passes:
 *      the first run that keeps it stamps the batch with horizon = now +
 *      delete.retention.ms (RecordBatch v2's delete-horizon flag, KIP-534), and a
 *      later run past the horizon drops it. So a tombstone lives at least
 *      delete.retention.ms after the run that first cleaned its segment.
 *   3. Batches keep their base offset, last offset delta, producer fields, leader
 *      epoch, codec and timestamp type; offsets of dropped records become gaps.
 *      A batch whose records all survive is copied byte for byte; a partly kept
 *      one is re-encoded with the same codec (zstd makes `clean` async); an
 *      emptied batch is dropped. Control batches are kept as they are.
 *   4. Each group's new segment is swapped in crash-safely (segment-swap.ts).
 *   5. The new firstDirty is where the map ended.
 *
 * Concurrency: `cleanSync` runs start to finish inside one call. `clean` may
 * await zstd, during which the owner may append, truncate or delete; the cleaner
 * re-checks the log's structure version after every await and before every swap,
 * and abandons the run (deleting its `.cleaned` output) when it changed.
 *
 * Invariants: the active segment is never read for the map nor rewritten;
 * surviving records keep their offsets, keys, values, headers and timestamps;
 * the swap is the only mutation of the log.
 */
import { assert } from '../util/assert';
import type { Clock } from '../util/clock';
import {
  assembleBatchTask,
  batchRecordsTask,
  readBatchHeader,
  RecordsEncoder,
  TimestampType,
  type BatchHeader,
} from './record-batch';
import { runAsync, runSync, type CodecId, type CodecTask } from './compression';
import { RecordCursor } from './record-cursor';
import type { PartitionLog } from './log';
import { OffsetMap } from './offset-map';
import type { LogSegment } from './segment';
import { isCompacted } from './topic-config';

export interface CleanerOptions {
  /** Bound on distinct keys held by one run's map (Kafka bounds its dedupe buffer likewise). */
  maxMapKeys?: number;
  /** Output is buffered and written in chunks of about this size. */
  writeBufferBytes?: number;
}

export interface CleanableInfo {
  firstDirtyOffset: number;
  firstUncleanableOffset: number;
  cleanBytes: number;
  dirtyBytes: number;
  /** dirtyBytes / (cleanBytes + dirtyBytes); 0 for an empty log. */
  dirtyRatio: number;
  /** The oldest dirty batch is older than max.compaction.lag.ms. */
  maxCompactionLagExceeded: boolean;
  cleanable: boolean;
  reason: string;
}

export interface CleanerStats {
  firstDirtyOffset: number;
  /** The map covered offsets below this; the next run starts here. */
  endOffset: number;
  dirtyRatioBefore: number;
  segmentsBefore: number;
  segmentsAfter: number;
  batchesBefore: number;
  batchesAfter: number;
  recordsBefore: number;
  recordsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  distinctKeys: number;
  tombstonesRemoved: number;
  keylessRemoved: number;
  /** Per the injected clock's monotonic time. */
  durationMs: number;
}

export interface CleanResult {
  cleaned: boolean;
  /** The log changed under an async run; nothing after the last completed swap was applied. */
  aborted: boolean;
  reason: string;
  /** The cleaner offset checkpoint to keep for this log. */
  nextDirtyOffset: number;
  stats?: CleanerStats;
}

export interface CleanOptions {
  /** The log's cleaner offset checkpoint; logStartOffset when absent. */
  firstDirtyOffset?: number;
  /** Offsets at or above this are not cleaned (the high watermark). */
  upperBoundOffset?: number;
  /** Clean even when below min.cleanable.dirty.ratio. */
  force?: boolean;
}

const DEFAULT_MAX_MAP_KEYS = 4_000_000;
const DEFAULT_WRITE_BUFFER_BYTES = 1024 * 1024;
const INT32_MAX = 0x7fffffff;

class LogChangedError extends Error {}

export class LogCleaner {
  private readonly clock: Clock;
  private readonly maxMapKeys: number;
  private readonly writeBufferBytes: number;

  constructor(clock: Clock, opts: CleanerOptions = {}) {
    this.clock = clock;
    this.maxMapKeys = opts.maxMapKeys ?? DEFAULT_MAX_MAP_KEYS;
    this.writeBufferBytes = opts.writeBufferBytes ?? DEFAULT_WRITE_BUFFER_BYTES;
    assert(this.maxMapKeys >= 1, 'the cleaner map must hold at least one key');
  }

  /** Measures the clean/dirty sections of `log` and decides whether it should be cleaned. */
  cleanableInfo(log: PartitionLog, nowMs: number, opts: CleanOptions = {}): CleanableInfo {
    const cfg = log.config;
    const segs = log.segmentList();
    const active = segs[segs.length - 1];
    const logStart = log.logStartOffset;
    let firstDirty = Math.max(opts.firstDirtyOffset ?? logStart, logStart);
    if (firstDirty > log.logEndOffset) firstDirty = logStart; // a stale checkpoint (the log was truncated)
    let firstUncleanable = Math.min(active.baseOffset, opts.upperBoundOffset ?? Infinity);
    const dirtySegs = segs.slice(0, -1).filter((s) => s.nextOffset > firstDirty && s.baseOffset < firstUncleanable);
    if (cfg.minCompactionLagMs > 0) {
      const tooNew = dirtySegs.find((s) => s.largestTimestampMs > nowMs - cfg.minCompactionLagMs);
      if (tooNew) firstUncleanable = Math.min(firstUncleanable, tooNew.baseOffset);
    }
    let cleanBytes = 0;
    let dirtyBytes = 0;
    let oldestDirtyTs = Infinity;
    for (const s of segs.slice(0, -1)) {
      if (s.baseOffset < firstDirty) cleanBytes += s.sizeBytes;
      if (s.nextOffset > firstDirty && s.baseOffset < firstUncleanable) {
        dirtyBytes += s.sizeBytes;
        const first = s.firstBatchTimestampMs;
        if (first > 0) oldestDirtyTs = Math.min(oldestDirtyTs, first);
      }
    }
    const total = cleanBytes + dirtyBytes;
    const dirtyRatio = total === 0 ? 0 : dirtyBytes / total;
    const lagExceeded = Number.isFinite(oldestDirtyTs) && nowMs - oldestDirtyTs > cfg.maxCompactionLagMs;
    let cleanable = false;
    let reason: string;
    if (!isCompacted(cfg)) reason = 'cleanup.policy does not include compact';
    else if (dirtyBytes === 0) reason = 'no dirty segments outside the active segment and the compaction lag';
    else if (dirtyRatio >= cfg.minCleanableDirtyRatio) {
      cleanable = true;
      reason = `dirty ratio ${dirtyRatio.toFixed(3)} >= min.cleanable.dirty.ratio ${cfg.minCleanableDirtyRatio}`;
    } else if (lagExceeded) {
      cleanable = true;
      reason = 'a dirty record is older than max.compaction.lag.ms';
    } else reason = `dirty ratio ${dirtyRatio.toFixed(3)} < min.cleanable.dirty.ratio ${cfg.minCleanableDirtyRatio}`;
    return {
      firstDirtyOffset: firstDirty,
      firstUncleanableOffset: firstUncleanable,
      cleanBytes,
      dirtyBytes,
      dirtyRatio,
      maxCompactionLagExceeded: lagExceeded,
      cleanable,
      reason,
    };
  }

  /** Cleans `log` if it is cleanable (or `force`). Async only because of zstd batches. */
  async clean(log: PartitionLog, opts: CleanOptions = {}): Promise<CleanResult> {
    return runAsync(this.cleanTask(log, opts));
  }

  /** As `clean`, in one synchronous call; throws AsyncCodecRequiredError on zstd batches. */
  cleanSync(log: PartitionLog, opts: CleanOptions = {}): CleanResult {
    return runSync(this.cleanTask(log, opts));
  }

  private *cleanTask(log: PartitionLog, opts: CleanOptions): CodecTask<CleanResult> {
    const startedMs = this.clock.monotonicMs();
    const nowMs = this.clock.nowMs();
    const info = this.cleanableInfo(log, nowMs, opts);
    const firstDirty = info.firstDirtyOffset;
    if (!isCompacted(log.config)) return { cleaned: false, aborted: false, reason: info.reason, nextDirtyOffset: firstDirty };
    if (!info.cleanable && !(opts.force && info.dirtyBytes > 0)) {
      return { cleaned: false, aborted: false, reason: info.reason, nextDirtyOffset: firstDirty };
    }
    const version = log.structureVersion;
    const checkUnchanged = (v: number) => {
      if (log.structureVersion !== v) throw new LogChangedError();
    };
    const segmentsBefore = log.numberOfSegments;
    const stats: CleanerStats = {
      firstDirtyOffset: firstDirty,
      endOffset: firstDirty,
      dirtyRatioBefore: info.dirtyRatio,
      segmentsBefore,
      segmentsAfter: segmentsBefore,
      batchesBefore: 0,
      batchesAfter: 0,
      recordsBefore: 0,
      recordsAfter: 0,
      bytesBefore: 0,
      bytesAfter: 0,
      distinctKeys: 0,
      tombstonesRemoved: 0,
      keylessRemoved: 0,
      durationMs: 0,
    };
    try {
      const map = new OffsetMap();
      const endOffset = yield* this.buildOffsetMap(log, firstDirty, info.firstUncleanableOffset, map, () => checkUnchanged(version));
      stats.endOffset = endOffset;
      stats.distinctKeys = map.size;
      if (endOffset <= firstDirty) return { cleaned: false, aborted: false, reason: 'nothing dirty to map', nextDirtyOffset: firstDirty };
      const segs = log.segmentList();
      const candidates = segs.slice(0, -1).filter((s) => s.baseOffset < endOffset);
      const groups = groupSegments(candidates, segs, log.config.segmentBytes, log.config.segmentIndexBytes);
      let v = version;
      for (const group of groups) {
        const cleaned = yield* this.cleanGroup(log, group, map, endOffset, nowMs, stats, () => checkUnchanged(v));
        let swapped = false;
        try {
          swapped = !log.isClosedOrOffline && log.replaceSegments(cleaned, group, v);
        } finally {
          if (!swapped) discard(cleaned);
        }
        if (!swapped) throw new LogChangedError();
        v = log.structureVersion;
      }
      stats.segmentsAfter = log.numberOfSegments;
      stats.durationMs = this.clock.monotonicMs() - startedMs;
      return { cleaned: true, aborted: false, reason: info.reason, nextDirtyOffset: endOffset, stats };
    } catch (e) {
      if (!(e instanceof LogChangedError)) throw e;
      stats.durationMs = this.clock.monotonicMs() - startedMs;
      return { cleaned: false, aborted: true, reason: 'the log changed while it was being cleaned', nextDirtyOffset: firstDirty, stats };
    }
  }

  /** Fills `map` from the dirty section; returns the offset the map covers up to (exclusive). */
  private *buildOffsetMap(log: PartitionLog, firstDirty: number, firstUncleanable: number, map: OffsetMap, check: () => void): CodecTask<number> {
    let endOffset = firstDirty;
    const cursor = new RecordCursor();
    const dirty = log.segmentList().slice(0, -1).filter((s) => s.nextOffset > firstDirty && s.baseOffset < firstUncleanable);
    for (const seg of dirty) {
      const from = seg.baseOffset < firstDirty ? seg.offsetIndex.lookup(firstDirty).position : 0;
      const scan = seg.batches(from);
      while (scan.next()) {
        const h = readBatchHeader(scan.buf, scan.at);
        if (h.lastOffset < firstDirty) continue;
        if (h.baseOffset >= firstUncleanable) return endOffset;
        if (!h.isControl && h.recordsCount > 0) {
          const records: Buffer = yield* batchRecordsTask(scan.buf, scan.at);
          if (h.compression !== 0) check();
          cursor.reset(records);
          for (let i = 0; i < h.recordsCount; i++) {
            cursor.next();
            const offset = h.baseOffset + cursor.offsetDelta;
            if (offset < firstDirty || cursor.keyLength < 0) continue;
            map.put(records, cursor.keyStart, cursor.keyLength, offset);
          }
        }
        endOffset = h.lastOffset + 1;
        if (map.size >= this.maxMapKeys) return endOffset;
      }
      assert(scan.problem === null, () => `cleaner found a malformed batch in ${seg.path}: ${scan.problem}`);
      endOffset = Math.max(endOffset, Math.min(seg.nextOffset, firstUncleanable));
    }
    return endOffset;
  }

  /** Rewrites one group of segments into a new `.cleaned` segment. */
  private *cleanGroup(
    log: PartitionLog,
    group: readonly LogSegment[],
    map: OffsetMap,
    endOffset: number,
    nowMs: number,
    stats: CleanerStats,
    check: () => void,
  ): CodecTask<LogSegment> {
    const cleaned = log.createCleanedSegment(group[0].baseOffset);
    const out = new OutputBuffer(cleaned, this.writeBufferBytes);
    const cursor = new RecordCursor();
    const deleteRetentionMs = log.config.deleteRetentionMs;
    try {
      for (const seg of group) {
        const scan = seg.batches(0);
        while (scan.next()) {
          const h = readBatchHeader(scan.buf, scan.at);
          stats.batchesBefore++;
          stats.bytesBefore += h.sizeBytes;
          stats.recordsBefore += h.recordsCount;
          const original = scan.buf.subarray(scan.at, scan.at + scan.size);
          if (h.isControl) {
            out.add(original);
            stats.recordsAfter += h.recordsCount;
            continue;
          }
          if (h.recordsCount === 0) continue;
          const records: Buffer = yield* batchRecordsTask(scan.buf, scan.at);
          if (h.compression !== 0) check();
          const kept = this.filterBatch(h, records, cursor, map, endOffset, nowMs, stats);
          if (kept.count === h.recordsCount && !(kept.tombstones > 0 && !h.hasDeleteHorizon)) {
            out.add(original);
          } else if (kept.count > 0) {
            const rebuilt: Buffer = yield* this.rebuildBatch(h, records, kept, cursor, nowMs + deleteRetentionMs);
            if (h.compression !== 0) check();
            out.add(rebuilt);
          }
          stats.recordsAfter += kept.count;
        }
        assert(scan.problem === null, () => `cleaner found a malformed batch in ${seg.path}: ${scan.problem}`);
      }
      out.flush();
      stats.batchesAfter += out.batches;
      stats.bytesAfter += cleaned.sizeBytes;
      return cleaned;
    } catch (e) {
      discard(cleaned);
      throw e;
    }
  }

  /** Decides which records of one batch survive; returns their indexes. */
  private filterBatch(
    h: BatchHeader,
    records: Buffer,
    cursor: RecordCursor,
    map: OffsetMap,
    endOffset: number,
    nowMs: number,
    stats: CleanerStats,
  ): KeptRecords {
    const keep = new Uint8Array(h.recordsCount);
    const starts = new Int32Array(h.recordsCount);
    const ends = new Int32Array(h.recordsCount);
    let count = 0;
    let tombstones = 0;
    let maxTs = -1;
    const horizonPassed = h.hasDeleteHorizon && nowMs >= h.baseTimestamp;
    cursor.reset(records);
    for (let i = 0; i < h.recordsCount; i++) {
      cursor.next();
      const offset = h.baseOffset + cursor.offsetDelta;
      let retain: boolean;
      if (offset >= endOffset) retain = true;
      else if (cursor.keyLength < 0) {
        retain = false;
        stats.keylessRemoved++;
      } else {
        const latest = map.get(records, cursor.keyStart, cursor.keyLength);
        const isLatest = latest < 0 || offset >= latest;
        if (!isLatest) retain = false;
        else if (cursor.valueLength >= 0) retain = true;
        else if (horizonPassed) {
          retain = false;
          stats.tombstonesRemoved++;
        } else retain = true;
      }
      if (retain) {
        keep[i] = 1;
        starts[count] = cursor.recordStart;
        ends[count] = cursor.recordEnd;
        count++;
        if (cursor.valueLength < 0) tombstones++;
        const ts = h.baseTimestamp + cursor.timestampDelta;
        if (ts > maxTs) maxTs = ts;
      }
    }
    return { keep, starts, ends, count, tombstones, maxTimestampMs: maxTs };
  }

  /** Re-encodes the kept records of a batch, same codec and header facts. */
  private *rebuildBatch(h: BatchHeader, records: Buffer, kept: KeptRecords, cursor: RecordCursor, newHorizonMs: number): CodecTask<Buffer> {
    const setHorizon = kept.tombstones > 0 && !h.hasDeleteHorizon;
    const hasHorizon = h.hasDeleteHorizon || setHorizon;
    const baseTimestamp = setHorizon ? newHorizonMs : h.baseTimestamp;
    let body: Buffer;
    if (!setHorizon) {
      // Offsets and timestamps stay relative to the same base: copy the kept records' bytes.
      let total = 0;
      for (let i = 0; i < kept.count; i++) total += kept.ends[i] - kept.starts[i];
      body = Buffer.allocUnsafe(total);
      let at = 0;
      for (let i = 0; i < kept.count; i++) at += records.copy(body, at, kept.starts[i], kept.ends[i]);
    } else {
      // Timestamps become relative to the new delete horizon: re-encode each kept record.
      const enc = new RecordsEncoder(records.length);
      cursor.reset(records);
      for (let i = 0; i < h.recordsCount; i++) {
        cursor.next();
        if (kept.keep[i] === 0) continue;
        const ts = h.baseTimestamp + cursor.timestampDelta;
        enc.add(cursor.offsetDelta, ts - baseTimestamp, cursor.key(), cursor.value(), cursor.rawHeaders());
      }
      body = enc.bytes();
    }
    return yield* assembleBatchTask(
      {
        baseOffset: h.baseOffset,
        partitionLeaderEpoch: h.partitionLeaderEpoch,
        compression: h.compression as CodecId,
        timestampType: h.timestampType,
        isTransactional: h.isTransactional,
        isControl: h.isControl,
        hasDeleteHorizon: hasHorizon,
        lastOffsetDelta: h.lastOffsetDelta,
        baseTimestamp,
        maxTimestamp: h.timestampType === TimestampType.LOG_APPEND_TIME ? h.maxTimestamp : kept.maxTimestampMs,
        producerId: h.producerId,
        producerEpoch: h.producerEpoch,
        baseSequence: h.baseSequence,
        recordsCount: kept.count,
      },
      body,
    );
  }
}

/** Removes a cleaned segment that will not be swapped in (best effort: recovery removes leftovers too). */
function discard(cleaned: LogSegment): void {
  try {
    cleaned.deleteFiles();
  } catch {
    // A leftover .cleaned file is rolled back when the log is next opened.
  }
}

interface KeptRecords {
  /** keep[i] is 1 when record i of the batch survives. */
  keep: Uint8Array;
  /** Byte ranges of the surviving records in the records section, in order. */
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  tombstones: number;
  /** Largest timestamp among the survivors (-1 when none). */
  maxTimestampMs: number;
}


/**
 * Groups adjacent segments so each group's log bytes fit segment.bytes, its index
 * bytes fit segment.index.bytes and its offsets fit one segment's int32 range.
 */
function groupSegments(candidates: readonly LogSegment[], all: readonly LogSegment[], segmentBytes: number, maxIndexBytes: number): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let i = 0;
  while (i < candidates.length) {
    const group = [candidates[i]];
    let logBytes = candidates[i].sizeBytes;
    let indexBytes = candidates[i].offsetIndex.sizeBytes;
    let timeBytes = candidates[i].timeIndex.sizeBytes;
    i++;
    while (i < candidates.length) {
      const s = candidates[i];
      const nextBase = all[all.indexOf(s) + 1].baseOffset;
      const fits =
        logBytes + s.sizeBytes <= segmentBytes &&
        indexBytes + s.offsetIndex.sizeBytes <= maxIndexBytes &&
        timeBytes + s.timeIndex.sizeBytes <= maxIndexBytes &&
        nextBase - 1 - group[0].baseOffset <= INT32_MAX;
      if (!fits) break;
      group.push(s);
      logBytes += s.sizeBytes;
      indexBytes += s.offsetIndex.sizeBytes;
      timeBytes += s.timeIndex.sizeBytes;
      i++;
    }
    groups.push(group);
  }
  return groups;
}

/** Collects output batches and writes them to the cleaned segment in large appends. */
class OutputBuffer {
  private buf: Buffer;
  private len = 0;
  batches = 0;

  constructor(
    private readonly segment: LogSegment,
    private readonly chunkBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  add(batch: Buffer): void {
    this.batches++;
    if (batch.length > this.chunkBytes) {
      this.flush();
      this.segment.append(batch);
      return;
    }
    if (this.len + batch.length > this.buf.length) this.flush();
    batch.copy(this.buf, this.len);
    this.len += batch.length;
  }

  flush(): void {
    if (this.len === 0) return;
    this.segment.append(this.buf.subarray(0, this.len));
    this.len = 0;
  }
}
