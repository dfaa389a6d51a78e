/**
 * What the brokers' storage did lately, kept for the views: segments deleted by
 * retention and cleaner runs, per partition, newest first. Fed by the engine's storage
 * events (the ReplicaLogs port's onStorageEvent) as they happen on each broker.
 *
 * Bounds: at most MAX_PER_PARTITION entries of each kind per partition, and at most
 * MAX_PARTITIONS partitions remembered (the least recently touched is forgotten).
 * `seq` grows with every event: the snapshot carries it so an open view refreshes.
 */
import type { CleanerRunView, RetentionDeletionView } from '../api/contract';
import type { StorageEvent } from '../cluster/broker-storage';
import type { CleanResult } from '../storage/cleaner';

const MAX_PER_PARTITION = 40;
const MAX_PARTITIONS = 512;

interface PartitionHistory {
  deletions: RetentionDeletionView[];
  runs: CleanerRunView[];
}

export function cleanerRunView(brokerId: number, atMs: number, result: CleanResult, trigger: CleanerRunView['trigger']): CleanerRunView {
  const s = result.stats;
  return {
    atMs,
    brokerId,
    cleaned: result.cleaned,
    aborted: result.aborted,
    reason: result.reason,
    trigger,
    stats: s
      ? {
          firstDirtyOffset: s.firstDirtyOffset,
          endOffset: s.endOffset,
          dirtyRatioBefore: s.dirtyRatioBefore,
          segmentsBefore: s.segmentsBefore,
          segmentsAfter: s.segmentsAfter,
          recordsBefore: s.recordsBefore,
          recordsAfter: s.recordsAfter,
          bytesBefore: s.bytesBefore,
          bytesAfter: s.bytesAfter,
          distinctKeys: s.distinctKeys,
          tombstonesRemoved: s.tombstonesRemoved,
          keylessRemoved: s.keylessRemoved,
          durationMs: s.durationMs,
        }
      : null,
  };
}

export class StorageEventLog {
  private readonly byPartition = new Map<string, PartitionHistory>();
  seq = 0;

  record(brokerId: number, atMs: number, event: StorageEvent): void {
    const h = this.history(`${event.topic}\u0000${event.partition}`);
    if (event.type === 'retention') {
      for (const d of event.deleted) {
        h.deletions.unshift({ atMs, brokerId, reason: d.reason, baseOffset: d.baseOffset, nextOffset: d.nextOffset, sizeBytes: d.sizeBytes });
      }
      h.deletions.length = Math.min(h.deletions.length, MAX_PER_PARTITION);
    } else {
      h.runs.unshift(cleanerRunView(brokerId, atMs, event.result, event.manual ? 'manual' : 'periodic'));
      h.runs.length = Math.min(h.runs.length, MAX_PER_PARTITION);
    }
    this.seq++;
  }

  deletions(topic: string, partition: number): RetentionDeletionView[] {
    return [...(this.byPartition.get(`${topic}\u0000${partition}`)?.deletions ?? [])];
  }

  runs(topic: string, partition: number): CleanerRunView[] {
    return [...(this.byPartition.get(`${topic}\u0000${partition}`)?.runs ?? [])];
  }

  /** A topic was deleted: its history goes with it. */
  forgetTopic(topic: string): void {
    for (const k of [...this.byPartition.keys()]) if (k.startsWith(`${topic}\u0000`)) this.byPartition.delete(k);
  }

  private history(key: string): PartitionHistory {
    let h = this.byPartition.get(key);
    if (h) {
      // Most recently touched last, so the first key is the one to forget.
      this.byPartition.delete(key);
    } else {
      h = { deletions: [], runs: [] };
      if (this.byPartition.size >= MAX_PARTITIONS) this.byPartition.delete(this.byPartition.keys().next().value!);
    }
    this.byPartition.set(key, h);
    return h;
  }
}
