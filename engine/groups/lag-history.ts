/**
 * Lag over time: every LAG_SAMPLE_INTERVAL_MS (a timer on the engine clock) the
 * sampler reads every group's lag (groups.ts) into that group's ring buffer.
 *
 * Ring format (one per group): LAG_HISTORY_SAMPLES slots; sample round `seq` (a global
 * counter shared by all groups) lives in slot seq % capacity, so a ring holds rounds
 * (lastSeq − capacity, lastSeq]. Per slot: the wall-clock time (Float64Array), the total
 * lag (Float64Array, NaN = no committed offset anywhere) and, per partition series, the
 * partition's lag (Float32Array, NaN = unknown then: exact up to 2^24 records behind).
 * A series appears when its partition first shows up and is NaN before that.
 *
 * Bounds: 3600 samples (one hour at 1 s) per group; at most MAX_TRACKED_GROUPS groups
 * (the least recently seen is dropped) and MAX_SERIES partition series overall; a group
 * not seen for a whole ring's length is dropped. Memory is at most about
 * 200 × 3600 × 16 B + 2000 × 3600 × 4 B ≈ 40 MB and is allocated only as groups appear.
 *
 * Rounds in which a group was not seen are kept as holes (time NaN) and skipped by
 * `since()`.
 *
 * Invariants: slot times increase with seq inside a ring; `since()` never returns a
 * sample twice for increasing afterSeq.
 */
import type { LagHistory } from '../api/contract';
import type { Clock, TimerHandle } from '../util/clock';
import type { Groups } from './groups';

export const LAG_SAMPLE_INTERVAL_MS = 1000;
export const LAG_HISTORY_SAMPLES = 3600;
export const MAX_TRACKED_GROUPS = 200;
export const MAX_SERIES = 2000;

interface Series {
  topic: string;
  partition: number;
  lag: Float32Array;
}

export class LagRing {
  readonly times: Float64Array;
  readonly totals: Float64Array;
  readonly series = new Map<string, Series>();
  firstSeq = 0;
  lastSeq = 0;
  lastSeenSeq = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.totals = new Float64Array(capacity).fill(Number.NaN);
  }

  /** Stores round `seq`: `lags` maps "topic\0partition" to the lag (null: unknown). */
  push(seq: number, timeMs: number, total: number | null, lags: { topic: string; partition: number; lag: number | null }[], allowNewSeries: () => boolean): void {
    if (this.firstSeq === 0) this.firstSeq = seq;
    // Rounds in which the group was not seen hold no sample (bounded by the ring's length).
    for (let missed = Math.max(this.lastSeq + 1, seq - this.capacity + 1); this.lastSeq > 0 && missed < seq; missed++) {
      const gap = missed % this.capacity;
      this.times[gap] = Number.NaN;
      this.totals[gap] = Number.NaN;
      for (const s of this.series.values()) s.lag[gap] = Number.NaN;
    }
    const slot = seq % this.capacity;
    this.times[slot] = timeMs;
    this.totals[slot] = total ?? Number.NaN;
    for (const s of this.series.values()) s.lag[slot] = Number.NaN;
    for (const l of lags) {
      const key = `${l.topic}\u0000${l.partition}`;
      let s = this.series.get(key);
      if (!s) {
        if (!allowNewSeries()) continue;
        s = { topic: l.topic, partition: l.partition, lag: new Float32Array(this.capacity).fill(Number.NaN) };
        this.series.set(key, s);
      }
      s.lag[slot] = l.lag ?? Number.NaN;
    }
    this.lastSeq = seq;
    this.lastSeenSeq = seq;
  }

  /** Samples after `afterSeq` (all kept ones when omitted). */
  since(groupId: string, afterSeq: number | undefined): LagHistory {
    const oldest = Math.max(this.firstSeq, this.lastSeq - this.capacity + 1);
    const from = Math.max(oldest, (afterSeq ?? 0) + 1);
    const n = this.firstSeq === 0 ? 0 : Math.max(0, this.lastSeq - from + 1);
    const timesMs: number[] = [];
    const totalLag: (number | null)[] = [];
    const slots: number[] = [];
    for (let i = 0; i < n; i++) {
      const slot = (from + i) % this.capacity;
      if (Number.isNaN(this.times[slot])) continue;
      slots.push(slot);
      timesMs.push(this.times[slot]);
      const t = this.totals[slot];
      totalLag.push(Number.isNaN(t) ? null : t);
    }
    const partitions = [...this.series.values()]
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
      .map((s) => ({
        topic: s.topic,
        partition: s.partition,
        lag: slots.map((slot) => {
          const v = s.lag[slot];
          return Number.isNaN(v) ? null : v;
        }),
      }));
    return { groupId, intervalMs: LAG_SAMPLE_INTERVAL_MS, capacity: this.capacity, lastSeq: this.lastSeq, firstSeq: n > 0 ? from : this.lastSeq + 1, timesMs, totalLag, partitions };
  }
}

export class LagSampler {
  private readonly rings = new Map<string, LagRing>();
  private timer: TimerHandle | null = null;
  private seriesCount = 0;
  /** Sample rounds so far (0: none yet). */
  seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly groups: Groups,
    private readonly changed: () => void,
    private readonly capacity = LAG_HISTORY_SAMPLES,
  ) {}

  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      try {
        this.sampleNow();
      } finally {
        this.timer = this.clock.setTimer(LAG_SAMPLE_INTERVAL_MS, tick);
      }
    };
    this.timer = this.clock.setTimer(LAG_SAMPLE_INTERVAL_MS, tick);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** One sampling round over every group. */
  sampleNow(): void {
    const seq = ++this.seq;
    const now = this.clock.nowMs();
    for (const { view } of this.groups.all()) {
      let ring = this.rings.get(view.groupId);
      if (!ring) {
        if (this.rings.size >= MAX_TRACKED_GROUPS) this.dropLeastRecent();
        ring = new LagRing(this.capacity);
        this.rings.set(view.groupId, ring);
      }
      const lags = this.groups.lagOf(view);
      let total: number | null = null;
      for (const l of lags) if (l.lag !== null) total = (total ?? 0) + l.lag;
      ring.push(seq, now, total, lags, () => (this.seriesCount < MAX_SERIES ? (this.seriesCount++, true) : false));
    }
    for (const [id, ring] of this.rings) if (seq - ring.lastSeenSeq >= this.capacity) this.drop(id);
    // A new point on some group's lag chart is news; with no groups there is nothing new.
    if (this.rings.size > 0) this.changed();
  }

  history(groupId: string, afterSeq: number | undefined): LagHistory | null {
    return this.rings.get(groupId)?.since(groupId, afterSeq) ?? null;
  }

  /** Forgets a group's history (it was deleted). */
  drop(groupId: string): void {
    const ring = this.rings.get(groupId);
    if (!ring) return;
    this.seriesCount -= ring.series.size;
    this.rings.delete(groupId);
  }

  private dropLeastRecent(): void {
    let oldest: string | null = null;
    let oldestSeq = Infinity;
    for (const [id, ring] of this.rings) {
      if (ring.lastSeenSeq < oldestSeq) {
        oldestSeq = ring.lastSeenSeq;
        oldest = id;
      }
    }
    if (oldest !== null) this.drop(oldest);
  }
}
