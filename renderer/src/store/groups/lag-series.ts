/**
 * A group's lag history as the chart draws it: a copy of the engine's samples (pulled
 * incrementally with groupLagHistory, only samples newer than `lastSeq`), kept for one
 * group at a time and trimmed to the engine's capacity (an hour at one sample a
 * second), so it never grows without bound. Not in the zustand state: the chart reads
 * it from a transient subscription when `lagVersion` moves.
 */
import type { LagHistory } from '../../../../engine/api/contract';

export class LagSeries {
  groupId: string | null = null;
  lastSeq = 0;
  capacity = 3600;
  times: number[] = [];
  total: (number | null)[] = [];
  /** "topic\u0000partition" → lag per sample, aligned with `times`. */
  readonly partitions = new Map<string, { topic: string; partition: number; lag: (number | null)[] }>();

  reset(groupId: string | null): void {
    this.groupId = groupId;
    this.lastSeq = 0;
    this.times = [];
    this.total = [];
    this.partitions.clear();
  }

  append(h: LagHistory): boolean {
    if (h.groupId !== this.groupId || h.timesMs.length === 0) {
      this.lastSeq = Math.max(this.lastSeq, h.lastSeq);
      return false;
    }
    this.capacity = h.capacity;
    const before = this.times.length;
    this.times.push(...h.timesMs);
    this.total.push(...h.totalLag);
    const seen = new Set<string>();
    for (const p of h.partitions) {
      const key = `${p.topic}\u0000${p.partition}`;
      seen.add(key);
      let s = this.partitions.get(key);
      if (!s) {
        s = { topic: p.topic, partition: p.partition, lag: new Array<number | null>(before).fill(null) };
        this.partitions.set(key, s);
      }
      s.lag.push(...p.lag);
    }
    for (const [key, s] of this.partitions) if (!seen.has(key)) s.lag.push(...new Array<number | null>(h.timesMs.length).fill(null));
    const excess = this.times.length - this.capacity;
    if (excess > 0) {
      this.times.splice(0, excess);
      this.total.splice(0, excess);
      for (const s of this.partitions.values()) s.lag.splice(0, excess);
    }
    this.lastSeq = h.lastSeq;
    return true;
  }

  /** Series sorted by topic and partition. */
  series(): { topic: string; partition: number; lag: (number | null)[] }[] {
    return [...this.partitions.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  }
}

export const lagSeries = new LagSeries();
