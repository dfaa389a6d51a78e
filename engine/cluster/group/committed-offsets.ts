/**
 * One group's committed offsets: the in-memory image of its OffsetCommit records in
 * `__consumer_offsets`, plus the commits still being appended.
 *
 * A commit is staged (`prepare`) before its records are appended and applied (`complete`)
 * only once the append is acknowledged, so a fetch never returns an offset the log may
 * not keep. Each append gets an increasing `appendOrder`; an acknowledgement applies only
 * if it is newer than what the table holds, so acks that arrive out of order cannot roll
 * an offset back (Kafka compares the records' log offsets for the same reason). Offsets
 * loaded from the log carry order -1: older than any append made since.
 *
 * Removing a partition's offset (expiry, group deletion) also forgets its commits in flight:
 * their acknowledgements then change nothing, as in Kafka.
 *
 * Invariants: no empty pending set is kept; every stored offset has a non-negative
 * partition; `size` equals the number of stored offsets.
 */
import { assert } from '../../util/assert';

export interface CommittedOffset {
  offset: number;
  /** -1 when unknown. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** -1 unless the commit asked for its own retention (OffsetCommit v2-v4). */
  expireTimestamp: number;
}

interface StoredOffset {
  value: CommittedOffset;
  appendOrder: number;
}

export class CommittedOffsets {
  private readonly byTopic = new Map<string, Map<number, StoredOffset>>();
  /** (topic, partition) → append orders of the commits in flight for it. */
  private readonly pending = new Map<string, Map<number, Set<number>>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(topic: string, partition: number): CommittedOffset | undefined {
    return this.byTopic.get(topic)?.get(partition)?.value;
  }

  /** Every committed offset, topics and partitions in ascending order. */
  all(): { topic: string; partition: number; value: CommittedOffset }[] {
    const out: { topic: string; partition: number; value: CommittedOffset }[] = [];
    for (const topic of [...this.byTopic.keys()].sort()) {
      const parts = this.byTopic.get(topic)!;
      for (const partition of [...parts.keys()].sort((a, b) => a - b)) out.push({ topic, partition, value: parts.get(partition)!.value });
    }
    return out;
  }

  /** Stores an offset read from the log (older than anything appended since). */
  load(topic: string, partition: number, value: CommittedOffset): void {
    this.put(topic, partition, { value, appendOrder: -1 });
  }

  /** Marks a commit as in flight. */
  prepare(topic: string, partition: number, appendOrder: number): void {
    let parts = this.pending.get(topic);
    if (!parts) this.pending.set(topic, (parts = new Map()));
    let orders = parts.get(partition);
    if (!orders) parts.set(partition, (orders = new Set()));
    assert(!orders.has(appendOrder), 'an append order is used once');
    orders.add(appendOrder);
  }

  /**
   * The append of a prepared commit ended; `value` (null when it failed) is applied unless
   * the partition's offset was removed meanwhile or a newer append already applied.
   */
  complete(topic: string, partition: number, value: CommittedOffset | null, appendOrder: number): void {
    const parts = this.pending.get(topic);
    const orders = parts?.get(partition);
    if (parts === undefined || orders === undefined || !orders.delete(appendOrder)) return;
    if (orders.size === 0) {
      parts.delete(partition);
      if (parts.size === 0) this.pending.delete(topic);
    }
    if (value === null) return;
    const current = this.byTopic.get(topic)?.get(partition);
    if (current === undefined || current.appendOrder < appendOrder) this.put(topic, partition, { value, appendOrder });
  }

  hasPending(topic: string, partition: number): boolean {
    return this.pending.get(topic)?.has(partition) ?? false;
  }

  get hasAnyPending(): boolean {
    return this.pending.size > 0;
  }

  /** Removes the given partitions' offsets (and forgets their pending commits); returns those that existed. */
  remove(partitions: readonly { topic: string; partition: number }[]): { topic: string; partition: number }[] {
    const removed: { topic: string; partition: number }[] = [];
    for (const { topic, partition } of partitions) {
      const pendingParts = this.pending.get(topic);
      pendingParts?.delete(partition);
      if (pendingParts?.size === 0) this.pending.delete(topic);
      const parts = this.byTopic.get(topic);
      if (parts?.delete(partition)) {
        this.count--;
        removed.push({ topic, partition });
        if (parts.size === 0) this.byTopic.delete(topic);
      }
    }
    return removed;
  }

  private put(topic: string, partition: number, stored: StoredOffset): void {
    assert(Number.isInteger(partition) && partition >= 0, () => `bad partition ${partition}`);
    let parts = this.byTopic.get(topic);
    if (!parts) this.byTopic.set(topic, (parts = new Map()));
    if (!parts.has(partition)) this.count++;
    parts.set(partition, stored);
  }
}
