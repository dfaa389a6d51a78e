/**
 * The leader-I/O port over an in-memory log of hand-built batches, so view ordering can be
 * checked on logs a producer cannot write: offset gaps (as compaction leaves them),
 * control batches (transaction markers), records before the log start, timestamps
 * that go backwards, -1 timestamps.
 */
import type { PartitionBounds } from '../../../engine/api/contract';
import type { MetadataImage } from '../../../engine/cluster/metadata-image';
import { LeaderIo, type LeaderLookup, type LeaderReplica } from '../../../engine/ports';
import { SystemClock } from '../../../engine/util/clock';
import { buildBatchSync, type RecordSpec } from '../../../engine/storage/record-batch';

export interface FakeRecord {
  offset: number;
  timestampMs: number;
  control: boolean;
  key: string | null;
  value: string | null;
}

export interface FakePartition {
  partition: number;
  logStartOffset: number;
  highWatermark: number;
  batches: { base: number; last: number; bytes: Buffer; records: FakeRecord[] }[];
}

/** Builds a partition from groups of records, each group one batch (offsets must increase). */
export function fakePartition(partition: number, groups: FakeRecord[][], logStartOffset = 0, highWatermark?: number): FakePartition {
  const batches = groups
    .filter((g) => g.length > 0)
    .map((g) => {
      const base = g[0].offset;
      const control = g[0].control;
      const specs: RecordSpec[] = g.map((r) => ({
        key: control ? Buffer.from([0, 0, 0, 1]) : r.key === null ? null : Buffer.from(r.key),
        value: control ? Buffer.from([0, 0, 0, 0, 0, 0]) : r.value === null ? null : Buffer.from(r.value),
        timestampMs: r.timestampMs,
        offsetDelta: r.offset - base,
      }));
      const bytes = buildBatchSync({ baseOffset: base, records: specs, isControl: control, isTransactional: control });
      return { base, last: g[g.length - 1].offset, bytes, records: g };
    });
  const leo = batches.length > 0 ? batches[batches.length - 1].last + 1 : logStartOffset;
  return { partition, logStartOffset, highWatermark: highWatermark ?? leo, batches };
}

/**
 * The real leader-I/O port over a fake leader lookup: every partition is led by broker 1
 * and holds the hand-built batches, so the port's own checks (the high watermark, the
 * log start) apply exactly as they do on a running cluster.
 */
export function fakeIo(topic: string, partitions: FakePartition[]): LeaderIo {
  const byId = new Map(partitions.map((p) => [p.partition, p]));
  const states = partitions.map((p) => ({ topic, partition: p.partition, replicas: [1], isr: [1], leader: 1, leaderEpoch: 0, partitionEpoch: 0 }));
  const image = { topics: new Map([[topic, { name: topic, topicId: 'x', internal: false, configs: {}, partitions: states }]]) } as unknown as MetadataImage;
  const replica = (fp: FakePartition): LeaderReplica => ({
    brokerId: 1,
    highWatermark: fp.highWatermark,
    logStartOffset: fp.logStartOffset,
    committedKnown: true,
    read: (from, maxBytes, maxOffset) => {
      const out: Buffer[] = [];
      let size = 0;
      for (const b of fp.batches) {
        if (b.last < from || b.last >= maxOffset) continue;
        if (out.length > 0 && size + b.bytes.length > maxBytes) break;
        out.push(b.bytes);
        size += b.bytes.length;
      }
      return out.length === 0 ? null : Buffer.concat(out);
    },
    offsetForTimestamp: async (ts) => {
      const data = fp.batches.filter((b) => !b.records[0].control).flatMap((b) => b.records).filter((r) => r.offset >= fp.logStartOffset);
      if (ts === -3) {
        let best: FakeRecord | undefined;
        for (const r of data) if (!best || r.timestampMs > best.timestampMs) best = r;
        return best ? { offset: best.offset, timestampMs: best.timestampMs } : undefined;
      }
      const r = data.find((x) => x.timestampMs >= ts);
      return r ? { offset: r.offset, timestampMs: r.timestampMs } : undefined;
    },
    append: () => {
      throw new Error('the fake log is read-only');
    },
    fetch: () => {
      throw new Error('the fake log is read-only');
    },
  });
  const lookup: LeaderLookup = {
    image: () => image,
    leaderReplica: (t, p) => {
      const fp = t === topic ? byId.get(p) : undefined;
      return fp ? replica(fp) : null;
    },
    maxMessageBytes: () => 1_048_588,
  };
  return new LeaderIo(lookup, new SystemClock());
}

export function boundsOf(partitions: FakePartition[]): PartitionBounds[] {
  return partitions.map((p) => ({ partition: p.partition, start: p.logStartOffset, end: p.highWatermark }));
}

/** Every row of the view in the order view-order.ts defines, computed the slow way. */
export function bruteForceRows(partitions: FakePartition[]): { partition: number; offset: number; kind: 'record' | 'control' | 'gap'; key: [number, number, number] }[] {
  const rows: { partition: number; offset: number; kind: 'record' | 'control' | 'gap'; key: [number, number, number] }[] = [];
  partitions.forEach((fp, q) => {
    const byOffset = new Map<number, FakeRecord>();
    for (const b of fp.batches) for (const r of b.records) byOffset.set(r.offset, r);
    let runmax = -2;
    // runmax counts records from the log start (as ListOffsets does).
    for (let o = fp.logStartOffset; o < fp.highWatermark; o++) {
      const r = byOffset.get(o);
      if (r && !r.control) runmax = Math.max(runmax, Math.max(-1, r.timestampMs));
      rows.push({ partition: fp.partition, offset: o, kind: r ? (r.control ? 'control' : 'record') : 'gap', key: [runmax, q, o] });
    }
  });
  rows.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
  return rows;
}
