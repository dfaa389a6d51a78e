/**
 * The order of rows in a browser view, and random access into it.
 *
 * A view covers offsets [start, end) of each of its partitions (its "bounds", fixed
 * when the view is laid out): one row per offset, whether it holds a record, a control
 * record or nothing any more (a gap left by compaction). A one-partition view is in
 * offset order: row i is offset start + i.
 *
 * An all-partitions view interleaves partitions by time. Each row gets the key
 *   (runmax, partition, offset)
 * where runmax is the largest record timestamp at or before that offset in its
 * partition (from the log start; control records and gaps do not raise it; a row before
 * any record has runmax -2). Rows are sorted by that key. Within a partition the key
 * only grows, so the order is a merge of the partitions' offset orders; when producers
 * write increasing timestamps (the usual case) it is simply time order.
 *
 * Random access uses Kafka's ListOffsets on each partition: the first record whose
 * timestamp is ≥ T is exactly the first offset whose runmax is ≥ T (the time index
 * holds running maxima). So the number of rows with runmax < T is
 *   rank(T) = Σ_q clamp(ListOffsets_q(T), start_q, end_q) − start_q
 * (T = -1 uses the partition's first data record; T ≤ -2 counts nothing). Row r lies in
 * the group of rows with runmax = T for the largest T with rank(T) ≤ r, found by binary
 * search on T; inside that group rows go partition by partition, offset by offset. From
 * there `ViewWalker` merges the partitions forward, reading each once.
 *
 * Cost: one ListOffsets per partition per search step. The search interpolates (rank
 * is close to linear in T when traffic is steady) and falls back to halving whenever an
 * interpolated step does not at least halve the interval, so it takes a handful of steps
 * on steady data and never more than about twice bisection's. ListOffsets answers are
 * kept in a cache shared by all views (`TimestampCuts`): an answer below the high
 * watermark never changes while the log keeps its records, so it is reused across
 * layouts (live tail lays the view out again and again); retention and compaction clear
 * the cache.
 *
 * Invariants: rank is non-decreasing in T; rank(-2) = 0 and rank(maxTs + 1) = total
 * rows; the walker emits rows in strictly increasing key order, each row once.
 */
import { WorkbenchError } from '../api/errors';
import type { PartitionBounds } from '../api/contract';
import { noLeader, type CommittedRange, type LeaderIo } from '../ports/leader-io';
import { PartitionReader } from './partition-reader';

/** Key value of rows before any record. */
export const BEFORE_ANY_RECORD = -2;
/** Cached ListOffsets answers (bounds the memory of long browsing sessions). */
const MAX_CACHED_ANSWERS = 50_000;
/** Bytes a rows-mode reader asks for at a time (at least one batch is always returned). */
const ROWS_READ_BYTES = 256 * 1024;

export interface ViewLayout {
  topic: string;
  /** null: all partitions. */
  partition: number | null;
  bounds: PartitionBounds[];
  totalRows: number;
  /** The bounds passed in were replaced. */
  changed: boolean;
  /** Partitions without a leader when laid out: their bounds are empty (start = end). */
  unavailable: number[];
}

/** How long a layout waits for partitions without a leader before leaving them out. */
const LAYOUT_LEADER_WAIT_MS = 1000;

/**
 * The view's bounds: the given ones when still valid (clamped where the log start
 * moved past them), or new ones (log start to high watermark) when none were given
 * or they do not describe this topic any more.
 */
export async function layoutView(io: LeaderIo, topic: string, partition: number | null, given: PartitionBounds[] | undefined): Promise<ViewLayout> {
  const t = io.topic(topic);
  if (partition !== null) io.requirePartition(t, partition);
  const partitions = partition === null ? t.partitions.map((p) => p.partition) : [partition];
  const ranges = await rangesOrNull(io, topic, partitions);
  if (partition !== null && ranges[0] === null) throw noLeader(topic, partition);
  const unavailable = partitions.filter((_, i) => ranges[i] === null);
  let changed = false;
  let bounds: PartitionBounds[];
  if (given !== undefined && given.length === partitions.length && given.every((b, i) => b.partition === partitions[i] && b.start <= b.end)) {
    bounds = given.map((b, i) => {
      const r = ranges[i];
      // A partition without a leader cannot be read: it is left out (empty) until a later layout.
      if (r === null) {
        if (b.start !== b.end) changed = true;
        return { partition: b.partition, start: b.end, end: b.end };
      }
      let start = b.start;
      let end = b.end;
      if (start < r.logStartOffset) start = r.logStartOffset;
      if (end > r.highWatermark) end = r.highWatermark;
      if (end < start) end = start;
      if (start !== b.start || end !== b.end) changed = true;
      return { partition: b.partition, start, end };
    });
  } else {
    changed = given !== undefined;
    bounds = partitions.map((p, i) => {
      const r = ranges[i];
      return r === null ? { partition: p, start: 0, end: 0 } : { partition: p, start: r.logStartOffset, end: r.highWatermark };
    });
  }
  const totalRows = bounds.reduce((n, b) => n + (b.end - b.start), 0);
  return { topic, partition, bounds, totalRows, changed, unavailable };
}

/** Each partition's committed range from its leader; null for those still without one after a short wait. */
async function rangesOrNull(io: LeaderIo, topic: string, partitions: number[]): Promise<(CommittedRange | null)[]> {
  const out = partitions.map((p) => io.rangeNow(topic, p));
  for (let waited = 0; out.some((r) => r === null) && waited < LAYOUT_LEADER_WAIT_MS; waited += 100) {
    await io.sleep(100);
    partitions.forEach((p, i) => {
      if (out[i] === null) out[i] = io.rangeNow(topic, p);
    });
  }
  return out;
}

/** Where a walk starts: per view partition, the next offset and the runmax before it. */
export interface WalkStart {
  offsets: number[];
  runmax: number[];
}

/**
 * ListOffsets answers shared by every view: (topic id, partition, T) → the first offset
 * whose record has a timestamp ≥ T, or "none below `seenEnd`". Cleared when a log
 * changes below its high watermark.
 */
export class TimestampCuts {
  private readonly answers = new Map<string, number>();

  constructor(private readonly io: LeaderIo) {}

  clear(): void {
    this.answers.clear();
  }

  /** ListOffsets(T) for T ≥ 0, as an offset; `end` when no record below `end` is that late. */
  async cut(topic: string, partition: number, T: number, end: number): Promise<number> {
    const key = `${this.io.topic(topic).topicId}\u0000${partition}\u0000${T}`;
    const known = this.answers.get(key);
    // A stored offset is exact; a stored negative -(e + 1) means "none below e".
    if (known !== undefined && (known >= 0 || -known - 1 >= end)) return known >= 0 ? Math.min(known, end) : end;
    const r = await this.io.offsetForTimestamp(topic, partition, T);
    const hw = (await this.io.range(topic, partition)).highWatermark;
    let answer: number;
    if (r !== undefined && r.offset < hw) answer = r.offset;
    else answer = -(hw + 1);
    if (this.answers.size >= MAX_CACHED_ANSWERS) this.answers.clear();
    this.answers.set(key, answer);
    return answer >= 0 ? Math.min(answer, end) : end;
  }
}

export class ViewOrder {
  private readonly cache = new Map<string, number>();
  private maxTsPlusOne: number | null = null;
  private readonly cuts: TimestampCuts;

  constructor(
    private readonly io: LeaderIo,
    readonly layout: ViewLayout,
    cuts?: TimestampCuts,
  ) {
    this.cuts = cuts ?? new TimestampCuts(io);
  }

  get k(): number {
    return this.layout.bounds.length;
  }

  /** Position of the first row at or after `row` (row ≥ totalRows: the end). */
  async locate(row: number): Promise<WalkStart> {
    const b = this.layout.bounds;
    if (row >= this.layout.totalRows) return { offsets: b.map((x) => x.end), runmax: b.map(() => Infinity) };
    if (this.k === 1) return { offsets: [b[0].start + row], runmax: [BEFORE_ANY_RECORD] };
    const T = await this.groupOf(row);
    const groupStart = await this.rank(T);
    let rest = row - groupStart;
    const offsets: number[] = [];
    let tiePartition = -1;
    for (let q = 0; q < this.k; q++) {
      const from = await this.cut(q, T);
      const to = await this.cut(q, T + 1);
      if (tiePartition < 0 && rest < to - from) {
        tiePartition = q;
        offsets.push(from + rest);
      } else {
        offsets.push(tiePartition < 0 ? to : from);
        if (tiePartition < 0) rest -= to - from;
      }
    }
    if (tiePartition < 0) throw new Error(`row ${row} is in no partition of its time group`);
    return { offsets, runmax: offsets.map(() => T) };
  }

  /** The row of (partition, offset): how many rows come before it. */
  async rowOf(viewPartitionIndex: number, offset: number): Promise<number> {
    const b = this.layout.bounds;
    const own = b[viewPartitionIndex];
    if (this.k === 1) return offset - own.start;
    // runmax at `offset`: the largest T whose cut is at or before it.
    let lo = BEFORE_ANY_RECORD;
    let hi = await this.upperT();
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if ((await this.cut(viewPartitionIndex, mid)) <= offset) lo = mid;
      else hi = mid;
    }
    const R = lo;
    let row = offset - own.start;
    for (let q = 0; q < this.k; q++) {
      if (q === viewPartitionIndex) continue;
      row += (await this.cut(q, q < viewPartitionIndex ? R + 1 : R)) - b[q].start;
    }
    return row;
  }

  /** rank(T): the number of rows whose runmax is below T. */
  async rank(T: number): Promise<number> {
    let n = 0;
    for (let q = 0; q < this.k; q++) n += (await this.cut(q, T)) - this.layout.bounds[q].start;
    return n;
  }

  /** The largest T with rank(T) ≤ row (row < totalRows). */
  private async groupOf(row: number): Promise<number> {
    let lo = BEFORE_ANY_RECORD;
    let rankLo = 0;
    let hi = await this.upperT();
    let rankHi = this.layout.totalRows;
    // Start from the earliest first record when that is not past the row (saves the steps below it).
    const first = await this.firstRecordT();
    if (first > lo && first < hi) {
      const r = await this.rank(first);
      if (r <= row) {
        lo = first;
        rankLo = r;
      } else {
        hi = first;
        rankHi = r;
      }
    }
    // Invariant: rank(lo) ≤ row < rank(hi). Safeguarded interpolation: bounded by ~2 × 55 steps.
    let interpolate = true;
    while (hi - lo > 1) {
      const width = hi - lo;
      let mid: number;
      if (interpolate && rankHi > rankLo) {
        mid = lo + Math.floor(((row - rankLo + 0.5) / (rankHi - rankLo)) * width);
        mid = Math.min(hi - 1, Math.max(lo + 1, mid));
      } else {
        mid = lo + Math.floor(width / 2);
      }
      const r = await this.rank(mid);
      if (r <= row) {
        lo = mid;
        rankLo = r;
      } else {
        hi = mid;
        rankHi = r;
      }
      // Keep interpolating only while it at least halves the interval.
      interpolate = hi - lo <= width / 2;
    }
    return lo;
  }

  /** The smallest first-record timestamp of the view's partitions (a lower bound of useful T). */
  private async firstRecordT(): Promise<number> {
    let min = Infinity;
    for (let q = 0; q < this.k; q++) {
      const b = this.layout.bounds[q];
      if (b.end <= b.start) continue;
      const at = await this.cut(q, -1);
      if (at >= b.end) continue;
      // The first record's runmax is its own timestamp: read it from the record.
      const reader = new PartitionReader(this.io, this.layout.topic, b.partition, at, at + 1, { skipControl: true, readBytes: 1 });
      const wait = reader.advance();
      if (wait) await wait;
      if (!reader.exhausted) min = Math.min(min, Math.max(-1, reader.headTs));
    }
    return min === Infinity ? BEFORE_ANY_RECORD : min;
  }

  /** A T above every record's timestamp: rank(T) is every row. */
  private async upperT(): Promise<number> {
    if (this.maxTsPlusOne === null) {
      let max = -1;
      for (const b of this.layout.bounds) {
        if (b.end <= b.start) continue;
        const r = await this.io.offsetForTimestamp(this.layout.topic, b.partition, -3);
        if (r && r.timestampMs > max) max = r.timestampMs;
      }
      this.maxTsPlusOne = max + 1;
    }
    return this.maxTsPlusOne;
  }

  /**
   * The first offset of view partition q whose runmax is ≥ T, clamped to the bounds:
   * ListOffsets(T) for T ≥ 0; the first data record for T = -1; the start for T ≤ -2.
   */
  async cut(q: number, T: number): Promise<number> {
    const b = this.layout.bounds[q];
    if (T <= BEFORE_ANY_RECORD || b.end <= b.start) return b.start;
    const key = `${q}:${T}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    let at: number;
    if (T === -1) {
      at = await firstDataRecord(this.io, this.layout.topic, b);
    } else {
      at = await this.cuts.cut(this.layout.topic, b.partition, T, b.end);
    }
    const clamped = Math.min(Math.max(at, b.start), b.end);
    if (this.cache.size >= MAX_CACHED_ANSWERS) this.cache.clear();
    this.cache.set(key, clamped);
    return clamped;
  }

  /** The row of the first record at or after `timestampMs` (the end when none is), and that record. */
  async rowAtTimestamp(timestampMs: number): Promise<{ row: number; partition: number | null; offset: number | null; timestampMs: number | null }> {
    const row = this.k === 1 ? (await this.cut(0, timestampMs)) - this.layout.bounds[0].start : await this.rank(timestampMs);
    if (row >= this.layout.totalRows) return { row: this.layout.totalRows, partition: null, offset: null, timestampMs: null };
    // The first row at or after T is one partition's ListOffsets answer: the smallest (timestamp, partition).
    let best: { partition: number; offset: number; timestampMs: number } | null = null;
    for (const b of this.layout.bounds) {
      if (b.end <= b.start) continue;
      const r = await this.io.offsetForTimestamp(this.layout.topic, b.partition, timestampMs);
      if (!r || r.offset >= b.end || r.offset < b.start) continue;
      if (best === null || r.timestampMs < best.timestampMs) best = { partition: b.partition, offset: r.offset, timestampMs: r.timestampMs };
    }
    return { row, partition: best?.partition ?? null, offset: best?.offset ?? null, timestampMs: best?.timestampMs ?? null };
  }
}

/** The first non-control record at or after the bounds' start (the end when none). */
async function firstDataRecord(io: LeaderIo, topic: string, b: PartitionBounds): Promise<number> {
  const reader = new PartitionReader(io, topic, b.partition, b.start, b.end, { skipControl: true, readBytes: 64 * 1024 });
  const wait = reader.advance();
  if (wait) await wait;
  return reader.exhausted ? b.end : reader.headOffset;
}

// ---------------------------------------------------------------------------------------

export type WalkMode = 'rows' | 'records';

/**
 * Merges a view's partitions forward from a WalkStart, in key order.
 *
 * Protocol: `next()` positions the walker on the next row (false at the end of the
 * view); `q`, `offset` and `gap` describe it, and for a record or control row
 * `readers[q]` holds it. The following `next()` consumes it. In 'records' mode gaps
 * and control records are skipped.
 *
 * Each partition's next key is kept in `keys` and recomputed only when that partition
 * moves; choosing the next row is a scan of k numbers (ties go to the lower partition).
 */
export class ViewWalker {
  readonly readers: PartitionReader[];
  private readonly nextOffset: number[];
  private readonly runmax: number[];
  private readonly ends: number[];
  private readonly keys: Float64Array;
  q = -1;
  offset = -1;
  gap = false;
  private pending = false;

  constructor(io: LeaderIo, layout: ViewLayout, start: WalkStart, private readonly mode: WalkMode) {
    // A page of rows needs a few batches per partition; a scan reads big chunks.
    const readBytes = mode === 'rows' ? ROWS_READ_BYTES : undefined;
    this.readers = layout.bounds.map((b, q) => new PartitionReader(io, layout.topic, b.partition, start.offsets[q], b.end, { skipControl: mode === 'records', readBytes }));
    this.nextOffset = [...start.offsets];
    this.runmax = [...start.runmax];
    this.ends = layout.bounds.map((b) => b.end);
    this.keys = new Float64Array(layout.bounds.length).fill(Infinity);
  }

  /** Reads the first record of every partition. */
  async init(): Promise<void> {
    for (let q = 0; q < this.readers.length; q++) {
      const wait = this.readers[q].advance();
      if (wait) await wait;
      this.keys[q] = this.keyOf(q);
    }
  }

  /** Moves to the next row; resolves false at the end of the view. */
  next(): boolean | Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      const q = this.q;
      this.nextOffset[q] = this.offset + 1;
      if (!this.gap) {
        const wait = this.readers[q].advance();
        if (wait) {
          return wait.then(() => {
            this.keys[q] = this.keyOf(q);
            return this.select();
          });
        }
      }
      this.keys[q] = this.keyOf(q);
    }
    return this.select();
  }

  private keyOf(q: number): number {
    const r = this.readers[q];
    if (this.nextOffset[q] >= this.ends[q]) return Infinity;
    if (this.mode === 'records') {
      return r.exhausted ? Infinity : Math.max(this.runmax[q], r.headTs < -1 ? -1 : r.headTs);
    }
    if (this.nextOffset[q] < r.headOffset || r.control) return this.runmax[q];
    return Math.max(this.runmax[q], r.headTs < -1 ? -1 : r.headTs);
  }

  private select(): boolean {
    const keys = this.keys;
    let bestQ = -1;
    let bestKey = Infinity;
    for (let q = 0; q < keys.length; q++) {
      if (keys[q] < bestKey) {
        bestKey = keys[q];
        bestQ = q;
      }
    }
    if (bestQ < 0) {
      this.q = -1;
      return false;
    }
    const r = this.readers[bestQ];
    this.q = bestQ;
    if (this.mode === 'records') {
      this.offset = r.headOffset;
      this.gap = false;
    } else {
      this.offset = this.nextOffset[bestQ];
      this.gap = this.offset < r.headOffset;
    }
    this.runmax[bestQ] = bestKey;
    this.pending = true;
    return true;
  }
}

export function requireRowInView(row: number, layout: ViewLayout, field = 'fromRow'): void {
  if (row > layout.totalRows) {
    throw new WorkbenchError('INVALID_REQUEST', `Row ${row} is past the end of the view (${layout.totalRows} rows).`, field);
  }
}
