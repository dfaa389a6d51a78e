/**
 * A log segment: one contiguous run of a partition's batches in one file, with
 * its two sparse indexes.
 *
 * Files (names exactly as Kafka's; base offset zero-padded to 20 digits):
 *   00000000000000001234.log        RecordBatch v2 bytes, back to back, as stored
 *   00000000000000001234.index      offset index (offset-index.ts)
 *   00000000000000001234.timeindex  time index (time-index.ts)
 * The base offset is <= every offset in the segment and > every offset in the
 * previous segment. The cleaner writes a replacement as `<base>.log.cleaned`, then
 * renames it `.log.swap`; see segment-swap.ts for that protocol.
 *
 * Appending: the log hands over whole, offset-assigned batches; each append is
 * one write of the batch bytes. After every `index.interval.bytes` of appended
 * log the next batch gets an offset-index entry (its last offset, its position)
 * and, when the largest timestamp grew, a time-index entry (largest timestamp so
 * far, the last offset of the batch that carried it).
 *
 * Finding an offset: index lookup (largest entry <= target), then a forward scan
 * of batch headers to the first batch whose last offset is >= target.
 *
 * Opening: `recover` re-validates every batch (framing, magic, CRC), truncates the
 * file at the first bad one and rebuilds both indexes; `open` in trust mode loads
 * the index files and checks them against the log (sizes, order, last entry
 * really names a batch), rebuilding them when they disagree.
 *
 * Invariants: `sizeBytes` equals the .log file's length; batches in the file are
 * whole and their offsets strictly increase; `nextOffset` is one past the last
 * batch's last offset (the base offset when empty); every index entry points
 * inside the file. Segment data is never held in memory: only the indexes are.
 * Not thread-safe.
 */
import { assert } from '../util/assert';
import { FileBatchScanner } from './batch-scan';
import { RecordError } from './errors';
import { OffsetIndex } from './offset-index';
import {
  BATCH_HEADER_BYTES,
  batchBaseOffset,
  batchLastOffset,
  batchMaxTimestamp,
  batchPartitionLeaderEpoch,
  batchRecordsCount,
  batchSizeAt,
  checkStoredBatch,
} from './record-batch';
import { joinPath, type FileHandle, type Storage } from './storage';
import { TimeIndex } from './time-index';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const CLEANED_SUFFIX = '.cleaned';
export const SWAP_SUFFIX = '.swap';
export const DELETED_SUFFIX = '.deleted';

/** "00000000000000001234" — Kafka's file-name form of a base offset. */
export function offsetFileStem(baseOffset: number): string {
  assert(Number.isSafeInteger(baseOffset) && baseOffset >= 0, () => `bad base offset ${baseOffset}`);
  return String(baseOffset).padStart(20, '0');
}

/** Parses "<20 digits><suffix>" into the base offset, or undefined. */
export function parseOffsetFileName(name: string, suffix: string): number | undefined {
  if (!name.endsWith(suffix)) return undefined;
  const stem = name.slice(0, name.length - suffix.length);
  if (!/^\d{20}$/.test(stem)) return undefined;
  const n = Number(stem);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Settings a segment reads at append time; owned (and updated) by the log. */
export interface SegmentSettings {
  indexIntervalBytes: number;
  /** segment.index.bytes: caps each index; a full index rolls the segment. */
  maxIndexBytes: number;
}

export interface BatchLocation {
  position: number;
  sizeBytes: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestampMs: number;
}

export interface RecoverResult {
  truncatedBytes: number;
  problem: string | null;
}

export interface SegmentOpenResult {
  segment: LogSegment;
  /** Present when the segment was re-validated (recovery or an index rebuild). */
  recovered?: RecoverResult;
  /** Why the indexes were rebuilt, when they were. */
  indexProblem?: string;
}

export type BatchVisitor = (baseOffset: number, lastOffset: number, partitionLeaderEpoch: number) => void;

export class LogSegment {
  readonly baseOffset: number;
  readonly dir: string;
  private readonly storage: Storage;
  private readonly settings: SegmentSettings;
  private logFile: FileHandle;
  private logPath: string;
  offsetIndex: OffsetIndex;
  timeIndex: TimeIndex;
  private size: number;
  private next: number;
  private maxTs = -1;
  private offsetOfMaxTs: number;
  private firstBatchTs: number | undefined;
  private bytesSinceLastIndexEntry = 0;
  private flushedSize: number;
  /** Records in the segment, when known (counted on append and recovery). */
  recordCount: number | undefined;
  /** Clock time the segment was created or opened (segment.ms without timestamps). */
  createdMs: number;
  /** segment.jitter.ms drawn for this segment. */
  readonly rollJitterMs: number;
  private closed = false;

  private constructor(
    storage: Storage,
    dir: string,
    baseOffset: number,
    settings: SegmentSettings,
    logFile: FileHandle,
    logPath: string,
    nowMs: number,
    rollJitterMs: number,
  ) {
    this.storage = storage;
    this.dir = dir;
    this.baseOffset = baseOffset;
    this.settings = settings;
    this.logFile = logFile;
    this.logPath = logPath;
    this.size = logFile.size();
    this.flushedSize = this.size;
    this.next = baseOffset;
    this.offsetOfMaxTs = baseOffset;
    this.offsetIndex = new OffsetIndex(baseOffset, settings.maxIndexBytes);
    this.timeIndex = new TimeIndex(baseOffset, settings.maxIndexBytes);
    this.createdMs = nowMs;
    this.rollJitterMs = rollJitterMs;
  }

  static logFileName(baseOffset: number): string {
    return offsetFileStem(baseOffset) + LOG_SUFFIX;
  }

  /** Creates a new empty segment. `suffix` (".cleaned") marks a cleaner's output. */
  static create(
    storage: Storage,
    dir: string,
    baseOffset: number,
    settings: SegmentSettings,
    nowMs: number,
    opts: { suffix?: string; rollJitterMs?: number } = {},
  ): LogSegment {
    const suffix = opts.suffix ?? '';
    const logPath = joinPath(dir, LogSegment.logFileName(baseOffset) + suffix);
    const handle = storage.open(logPath, { create: true });
    if (handle.size() !== 0) handle.truncate(0);
    const seg = new LogSegment(storage, dir, baseOffset, settings, handle, logPath, nowMs, opts.rollJitterMs ?? 0);
    seg.firstBatchTs = -1;
    seg.recordCount = 0;
    if (suffix === '') seg.attachIndexFiles(0, 0);
    return seg;
  }

  /**
   * Opens an existing segment. With `recover` every batch is re-validated and the
   * file truncated at the first bad one; otherwise the index files are trusted
   * after a consistency check (and rebuilt, with validation, when it fails).
   */
  static open(
    storage: Storage,
    dir: string,
    baseOffset: number,
    settings: SegmentSettings,
    nowMs: number,
    opts: { recover: boolean; onBatch?: BatchVisitor; rollJitterMs?: number },
  ): SegmentOpenResult {
    const logPath = joinPath(dir, LogSegment.logFileName(baseOffset));
    const handle = storage.open(logPath);
    const seg = new LogSegment(storage, dir, baseOffset, settings, handle, logPath, nowMs, opts.rollJitterMs ?? 0);
    if (opts.recover) {
      const recovered = seg.recover(opts.onBatch);
      return { segment: seg, recovered };
    }
    const problem = seg.loadIndexes();
    if (problem !== null) {
      const recovered = seg.recover(opts.onBatch);
      return { segment: seg, recovered, indexProblem: problem };
    }
    if (opts.onBatch) seg.visitBatches(opts.onBatch);
    return { segment: seg };
  }

  // ---- facts ------------------------------------------------------------------

  get sizeBytes(): number {
    return this.size;
  }
  /** One past the last offset in the segment; the base offset when empty. */
  get nextOffset(): number {
    return this.next;
  }
  get isEmpty(): boolean {
    return this.size === 0;
  }
  /** Largest batch timestamp in the segment, -1 when none. */
  get maxTimestampMs(): number {
    return this.maxTs;
  }
  get offsetOfMaxTimestamp(): number {
    return this.offsetOfMaxTs;
  }
  /** Kafka's "largest timestamp" for retention: the max timestamp, or the creation time without one. */
  get largestTimestampMs(): number {
    return this.maxTs >= 0 ? this.maxTs : this.createdMs;
  }
  /** maxTimestamp of the first batch (-1 when empty or untimestamped): the segment.ms clock. */
  get firstBatchTimestampMs(): number {
    if (this.firstBatchTs === undefined) this.firstBatchTs = this.readFirstBatchTimestamp();
    return this.firstBatchTs;
  }
  get unflushedBytes(): number {
    return this.size - this.flushedSize;
  }
  get path(): string {
    return this.logPath;
  }

  canAppendOffset(offset: number): boolean {
    return this.offsetIndex.canAppendOffset(offset);
  }

  /**
   * Kafka's roll rule for an incoming batch: the segment is full by size, old by
   * segment.ms (measured between batch timestamps when they exist, else by the
   * clock since creation), an index is full, or the batch's last offset no longer
   * fits a relative offset.
   */
  shouldRoll(p: {
    batchBytes: number;
    maxTimestampMs: number;
    lastOffset: number;
    nowMs: number;
    segmentBytes: number;
    maxSegmentMs: number;
  }): boolean {
    if (this.size > p.segmentBytes - p.batchBytes) return true;
    if (this.size > 0 && this.timeWaitedForRoll(p.nowMs, p.maxTimestampMs) > p.maxSegmentMs - this.rollJitterMs) return true;
    return this.offsetIndex.isFull || this.timeIndex.isFull || !this.canAppendOffset(p.lastOffset);
  }

  timeWaitedForRoll(nowMs: number, batchTimestampMs: number): number {
    const first = this.firstBatchTimestampMs;
    return first >= 0 ? batchTimestampMs - first : nowMs - this.createdMs;
  }

  // ---- append -----------------------------------------------------------------

  /**
   * Appends whole, offset-assigned batches (one or more, back to back in `data`)
   * with one write, then indexes them. The caller has checked their framing and
   * that they fit this segment.
   */
  append(data: Buffer): void {
    assert(!this.closed, 'append to a closed segment');
    assert(data.length >= BATCH_HEADER_BYTES, 'append of less than one batch');
    const start = this.size;
    this.logFile.append(data);
    this.size += data.length;
    let pos = 0;
    // Bounded by data.length / BATCH_HEADER_BYTES iterations.
    while (pos < data.length) {
      const size = batchSizeAt(data, pos)!;
      assert(size >= BATCH_HEADER_BYTES && pos + size <= data.length, 'append: batch framing broke');
      this.indexBatch(start + pos, size, batchLastOffset(data, pos), batchMaxTimestamp(data, pos), batchRecordsCount(data, pos));
      pos += size;
    }
  }

  private indexBatch(position: number, size: number, lastOffset: number, maxTimestampMs: number, records: number): void {
    assert(lastOffset >= this.next, () => `batch last offset ${lastOffset} is below segment end ${this.next}`);
    assert(this.canAppendOffset(lastOffset), () => `offset ${lastOffset} does not fit segment ${this.baseOffset}`);
    if (position === 0) this.firstBatchTs = maxTimestampMs;
    if (maxTimestampMs > this.maxTs) {
      this.maxTs = maxTimestampMs;
      this.offsetOfMaxTs = lastOffset;
    }
    // A full index only happens in a cleaner's output (the active segment rolls first): it stays sparser.
    if (this.bytesSinceLastIndexEntry > this.settings.indexIntervalBytes && !this.offsetIndex.isFull) {
      this.offsetIndex.append(lastOffset, position);
      this.timeIndex.maybeAppend(this.maxTs, this.offsetOfMaxTs);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += size;
    this.next = lastOffset + 1;
    if (this.recordCount !== undefined) this.recordCount += records;
  }

  // ---- reads --------------------------------------------------------------------

  read(position: number, length: number): Buffer {
    return this.logFile.read(position, length);
  }

  /** The first batch whose last offset is >= `offset`, or undefined when none is. */
  findBatch(offset: number, minPosition = 0): BatchLocation | undefined {
    if (offset >= this.next) return undefined;
    const start = Math.max(this.offsetIndex.lookup(offset).position, minPosition);
    const scan = new FileBatchScanner(this.logFile, start, this.size, { headersOnly: true });
    // One iteration per batch between the index entry and the target (an index interval's worth).
    while (scan.next()) {
      const last = batchLastOffset(scan.buf, scan.at);
      if (last >= offset) {
        return {
          position: scan.position,
          sizeBytes: scan.size,
          baseOffset: batchBaseOffset(scan.buf, scan.at),
          lastOffset: last,
          maxTimestampMs: batchMaxTimestamp(scan.buf, scan.at),
        };
      }
    }
    return undefined;
  }

  /**
   * Reads whole batches starting with the one that holds `fromOffset`, up to
   * `maxBytes` (at least the first batch when `minOneBatch`), stopping before any
   * batch whose last offset is >= `maxOffset`. Undefined when no batch in this
   * segment reaches `fromOffset`.
   */
  readBatches(fromOffset: number, maxBytes: number, maxOffset: number | undefined, minOneBatch: boolean): { data: Buffer; first: BatchLocation } | undefined {
    const first = this.findBatch(fromOffset);
    if (!first) return undefined;
    const empty = { data: Buffer.alloc(0), first };
    if (maxOffset !== undefined && first.lastOffset >= maxOffset) return empty;
    let length = Math.min(maxBytes, this.size - first.position);
    if (length < first.sizeBytes) {
      if (!minOneBatch) return empty;
      length = first.sizeBytes;
    }
    const buf = this.logFile.read(first.position, length);
    let end = 0;
    // Walks the batches inside `buf`: at most length / BATCH_HEADER_BYTES steps.
    while (end + BATCH_HEADER_BYTES <= buf.length) {
      const size = batchSizeAt(buf, end)!;
      if (size < BATCH_HEADER_BYTES || end + size > buf.length) break;
      if (maxOffset !== undefined && batchLastOffset(buf, end) >= maxOffset) break;
      end += size;
    }
    assert(end >= first.sizeBytes || (maxOffset !== undefined && end === 0), 'read lost its first batch');
    return { data: end === buf.length ? buf : buf.subarray(0, end), first };
  }

  /**
   * Calls `visit` for each batch header from `fromPosition`; stop by returning
   * false. Stored bytes that are malformed raise CORRUPT_MESSAGE.
   */
  scanHeaders(fromPosition: number, visit: (buf: Buffer, at: number, position: number, size: number) => boolean | void): void {
    const scan = new FileBatchScanner(this.logFile, fromPosition, this.size, { headersOnly: true });
    while (scan.next()) {
      if (visit(scan.buf, scan.at, scan.position, scan.size) === false) return;
    }
    if (scan.problem !== null) throw new RecordError('CORRUPT_MESSAGE', `${this.logPath} has a malformed batch at byte ${scan.position}: ${scan.problem}`);
  }

  /** A scanner over whole batches (the cleaner and the timestamp search decode them). */
  batches(fromPosition = 0): FileBatchScanner {
    return new FileBatchScanner(this.logFile, fromPosition, this.size);
  }

  // ---- truncation -------------------------------------------------------------

  /**
   * Drops every batch whose last offset is >= `offset` (a batch that straddles
   * `offset` goes whole, as in Kafka). Returns the bytes removed. Does not fsync.
   */
  truncateTo(offset: number): number {
    const found = this.findBatch(offset);
    if (!found) return 0;
    const removed = this.size - found.position;
    this.logFile.truncate(found.position);
    this.size = found.position;
    if (this.flushedSize > this.size) this.flushedSize = this.size;
    this.offsetIndex.truncateToPosition(found.position);
    this.timeIndex.truncateTo(found.baseOffset);
    this.bytesSinceLastIndexEntry = 0;
    const problem = this.recomputeTail();
    assert(problem === null, () => `${this.logPath} after truncation: ${problem}`);
    if (this.size === 0) this.recordCount = 0;
    else this.recordCount = undefined;
    return removed;
  }

  /**
   * Recomputes nextOffset and the max timestamp from the time index and the batch
   * headers after its last entry. Returns a problem sentence when that tail is
   * malformed (the state is then partial and the caller must not trust it).
   */
  private recomputeTail(): string | null {
    const lastTime = this.timeIndex.lastEntry();
    this.maxTs = lastTime.timestampMs;
    this.offsetOfMaxTs = lastTime.offset;
    this.next = this.baseOffset;
    if (this.size === 0) {
      this.firstBatchTs = -1;
      return null;
    }
    const from = Math.min(this.offsetIndex.lookup(lastTime.offset).position, this.offsetIndex.lastPosition());
    const scan = new FileBatchScanner(this.logFile, from, this.size, { headersOnly: true });
    while (scan.next()) {
      const ts = batchMaxTimestamp(scan.buf, scan.at);
      const last = batchLastOffset(scan.buf, scan.at);
      if (ts > this.maxTs) {
        this.maxTs = ts;
        this.offsetOfMaxTs = last;
      }
      this.next = last + 1;
    }
    return scan.problem === null ? null : `segment is malformed at byte ${scan.position}: ${scan.problem}`;
  }

  // ---- recovery and index loading ------------------------------------------------

  /**
   * Re-validates every batch, truncates at the first invalid one and rebuilds
   * both indexes (written to their files and fsynced). The log file itself is not
   * fsynced here; the caller does that once recovery is complete.
   */
  recover(onBatch?: BatchVisitor): RecoverResult {
    this.offsetIndex.truncateEntries(0);
    this.timeIndex.truncateEntries(0);
    this.maxTs = -1;
    this.offsetOfMaxTs = this.baseOffset;
    this.next = this.baseOffset;
    this.bytesSinceLastIndexEntry = 0;
    this.firstBatchTs = undefined;
    this.recordCount = 0;
    let records = 0;
    const scan = new FileBatchScanner(this.logFile, 0, this.size, { verifyCrc: true });
    let lastIndexedAt = 0;
    let problem: string | null = null;
    while (scan.next()) {
      const base = batchBaseOffset(scan.buf, scan.at);
      const last = batchLastOffset(scan.buf, scan.at);
      if (last < base || base < this.next || !this.canAppendOffset(last)) {
        problem = `batch at byte ${scan.position} has offsets ${base}..${last}, out of order for segment ${this.baseOffset} (next ${this.next})`;
        break;
      }
      const ts = batchMaxTimestamp(scan.buf, scan.at);
      if (scan.position === 0) this.firstBatchTs = ts;
      if (ts > this.maxTs) {
        this.maxTs = ts;
        this.offsetOfMaxTs = last;
      }
      if (scan.position - lastIndexedAt > this.settings.indexIntervalBytes && !this.offsetIndex.isFull) {
        this.offsetIndex.append(last, scan.position);
        this.timeIndex.maybeAppend(this.maxTs, this.offsetOfMaxTs);
        lastIndexedAt = scan.position;
      }
      records += batchRecordsCount(scan.buf, scan.at);
      this.next = last + 1;
      onBatch?.(base, last, batchPartitionLeaderEpoch(scan.buf, scan.at));
    }
    if (problem === null) problem = scan.problem;
    const validBytes = problem === null ? this.size : scan.position;
    const truncated = this.size - validBytes;
    if (truncated > 0) {
      this.logFile.truncate(validBytes);
      this.size = validBytes;
      this.flushedSize = Math.min(this.flushedSize, validBytes);
    }
    this.bytesSinceLastIndexEntry = this.size - lastIndexedAt;
    if (this.size === 0) this.firstBatchTs = -1;
    this.recordCount = records;
    this.timeIndex.maybeAppend(this.maxTs, this.offsetOfMaxTs, true);
    this.attachIndexFiles(0, 0);
    this.offsetIndex.rewriteFile();
    this.timeIndex.rewriteFile();
    return { truncatedBytes: truncated, problem: truncated > 0 ? problem : null };
  }

  /** Loads and checks the index files; returns a problem sentence or null. */
  private loadIndexes(): string | null {
    const indexPath = joinPath(this.dir, offsetFileStem(this.baseOffset) + INDEX_SUFFIX);
    const timePath = joinPath(this.dir, offsetFileStem(this.baseOffset) + TIME_INDEX_SUFFIX);
    if (!this.storage.exists(indexPath)) return 'offset index file is missing';
    if (!this.storage.exists(timePath)) return 'time index file is missing';
    const offsetBytes = readFile(this.storage, indexPath);
    const parsedOffsets = OffsetIndex.parse(offsetBytes, this.baseOffset, this.settings.maxIndexBytes, this.size);
    if (typeof parsedOffsets === 'string') return parsedOffsets;
    // The last entry must name a real batch: its position starts a sound batch whose last offset is the entry's.
    const offsets = parsedOffsets;
    if (offsets.entries > 0) {
      const last = offsets.entry(offsets.entries - 1);
      const head = this.logFile.read(last.position, Math.min(this.size - last.position, BATCH_HEADER_BYTES));
      const size = batchSizeAt(head, 0);
      if (head.length < BATCH_HEADER_BYTES || size === undefined) return `offset index entry points at ${last.position}, not a batch`;
      const whole = this.logFile.read(last.position, size);
      const bad = checkStoredBatch(whole, 0, whole.length);
      if (bad !== null || whole.length !== size) return `offset index's last entry does not point at a sound batch: ${bad ?? 'short read'}`;
      if (batchLastOffset(whole, 0) !== last.offset) return `offset index's last entry names offset ${last.offset} but the batch there ends at ${batchLastOffset(whole, 0)}`;
    }
    // Walk the tail after the last entry to find the segment's end.
    let next = this.baseOffset;
    let tailProblem: string | null = null;
    const scan = new FileBatchScanner(this.logFile, offsets.lastPosition(), this.size, { headersOnly: true });
    while (scan.next()) next = batchLastOffset(scan.buf, scan.at) + 1;
    if (scan.problem !== null) tailProblem = `segment tail is malformed at byte ${scan.position}: ${scan.problem}`;
    if (tailProblem !== null) return tailProblem;
    const timeBytes = readFile(this.storage, timePath);
    const parsedTimes = TimeIndex.parse(timeBytes, this.baseOffset, this.settings.maxIndexBytes, next);
    if (typeof parsedTimes === 'string') return parsedTimes;
    this.offsetIndex = offsets;
    this.timeIndex = parsedTimes;
    this.attachIndexFiles(offsets.entries, parsedTimes.entries);
    const problem = this.recomputeTail();
    if (problem !== null) return problem;
    if (this.next !== next) return `segment end disagrees between scans (${this.next} vs ${next})`;
    this.bytesSinceLastIndexEntry = 0;
    this.firstBatchTs = undefined;
    this.recordCount = this.size === 0 ? 0 : undefined;
    return null;
  }

  private attachIndexFiles(offsetEntries: number, timeEntries: number): void {
    const stem = offsetFileStem(this.baseOffset);
    this.offsetIndex.attach(this.storage, joinPath(this.dir, stem + INDEX_SUFFIX), offsetEntries);
    this.timeIndex.attach(this.storage, joinPath(this.dir, stem + TIME_INDEX_SUFFIX), timeEntries);
  }

  /** Visits every batch header (a trusted segment: stops quietly at a malformed batch). */
  private visitBatches(onBatch: BatchVisitor): void {
    const scan = new FileBatchScanner(this.logFile, 0, this.size, { headersOnly: true });
    while (scan.next()) onBatch(batchBaseOffset(scan.buf, scan.at), batchLastOffset(scan.buf, scan.at), batchPartitionLeaderEpoch(scan.buf, scan.at));
  }

  private readFirstBatchTimestamp(): number {
    if (this.size === 0) return -1;
    const head = this.logFile.read(0, Math.min(this.size, BATCH_HEADER_BYTES));
    return head.length >= BATCH_HEADER_BYTES ? batchMaxTimestamp(head, 0) : -1;
  }

  // ---- lifecycle -------------------------------------------------------------------

  /** fsyncs the log file, then writes and fsyncs the index files. */
  flush(): void {
    this.logFile.sync();
    this.flushedSize = this.size;
    this.offsetIndex.flush(true);
    this.timeIndex.flush(true);
  }

  /** The segment stops being active: final time-index entry, then everything fsynced. */
  onBecomeInactive(): void {
    this.timeIndex.maybeAppend(this.maxTs, this.offsetOfMaxTs, true);
    this.flush();
    this.offsetIndex.close();
    this.timeIndex.close();
  }

  /**
   * The cleaner's output becomes a real segment: renames `<base>.log<suffix>`
   * to `<base>.log<newSuffix>` ('' for the final name). Index files are attached
   * (and written) only once the final name is in place.
   */
  renameLog(newSuffix: string): void {
    const path = joinPath(this.dir, LogSegment.logFileName(this.baseOffset) + newSuffix);
    this.storage.rename(this.logPath, path);
    this.logPath = path;
  }

  /** Writes both index files under their final names and fsyncs them. */
  writeIndexFiles(): void {
    this.timeIndex.maybeAppend(this.maxTs, this.offsetOfMaxTs, true);
    this.attachIndexFiles(0, 0);
    this.offsetIndex.rewriteFile();
    this.timeIndex.rewriteFile();
    this.offsetIndex.close();
    this.timeIndex.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.offsetIndex.close();
    this.timeIndex.close();
    this.logFile.close();
  }

  /** Closes and removes the segment's files: the log first, so a crash leaves no half segment. */
  deleteFiles(): void {
    this.close();
    this.storage.remove(this.logPath);
    const stem = offsetFileStem(this.baseOffset);
    this.storage.remove(joinPath(this.dir, stem + INDEX_SUFFIX));
    this.storage.remove(joinPath(this.dir, stem + TIME_INDEX_SUFFIX));
  }

  /** Last-resort cleanup after a failed append: cut the file back to the known size. */
  restoreSize(): void {
    if (this.logFile.size() !== this.size) this.logFile.truncate(this.size);
  }
}

function readFile(storage: Storage, path: string): Buffer {
  const h = storage.open(path);
  try {
    return h.read(0, h.size());
  } finally {
    h.close();
  }
}
