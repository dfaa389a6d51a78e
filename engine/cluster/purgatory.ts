/**
 * Delayed operations ("purgatory" in Kafka): requests that wait for something to
 * happen on some partitions — a produce with acks=all waits for the high watermark
 * to pass its last offset; a fetch waits for data — or for their timeout.
 *
 * Each operation names the partitions it watches. `checkAndComplete(key)` is called
 * whenever something happened on a partition (append, HW change, leadership change)
 * and runs `tryComplete` of every operation watching it; an operation completes at
 * most once (by tryComplete returning true, by `forceComplete`, or by expiry).
 *
 * Bounds: at most `maxOperations` operations wait at once; `add` refuses more
 * (the caller then answers at once instead of waiting).
 */
import { assert } from '../util/assert';
import type { Clock, TimerHandle } from '../util/clock';

export interface DelayedOperation {
  /** Partition keys this operation waits on. */
  readonly keys: readonly string[];
  /** Completes the operation if it can now; true when it completed. */
  tryComplete(): boolean;
  /** Completes it now, whatever its state (timeout or shutdown). */
  onExpire(): void;
}

interface Entry {
  op: DelayedOperation;
  done: boolean;
  timer: TimerHandle | null;
}

export class Purgatory {
  private readonly watchers = new Map<string, Set<Entry>>();
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly maxOperations: number,
  ) {}

  get size(): number {
    return this.count;
  }

  /**
   * Completes `op` now if it can; otherwise watches it until it can or `timeoutMs`
   * passes. Returns false (without watching) when the purgatory is full.
   */
  tryCompleteElseWatch(op: DelayedOperation, timeoutMs: number): boolean {
    if (op.tryComplete()) return true;
    if (this.count >= this.maxOperations) return false;
    const entry: Entry = { op, done: false, timer: null };
    this.count++;
    for (const key of op.keys) {
      let set = this.watchers.get(key);
      if (!set) this.watchers.set(key, (set = new Set()));
      set.add(entry);
    }
    entry.timer = this.clock.setTimer(timeoutMs, () => this.finish(entry, true));
    return true;
  }

  /** Something happened on `key`: complete whatever can complete now. */
  checkAndComplete(key: string): void {
    const set = this.watchers.get(key);
    if (!set) return;
    for (const entry of [...set]) {
      if (entry.done) continue;
      if (entry.op.tryComplete()) this.finish(entry, false);
    }
  }

  /** Expires every operation watching `key` (e.g. the partition lost leadership). */
  expireAll(key: string): void {
    const set = this.watchers.get(key);
    if (!set) return;
    for (const entry of [...set]) this.finish(entry, true);
  }

  /** Expires everything (broker shutdown). */
  shutdown(): void {
    const all = new Set<Entry>();
    for (const set of this.watchers.values()) for (const e of set) all.add(e);
    for (const e of all) this.finish(e, true);
    assert(this.count === 0, 'purgatory must be empty after shutdown');
  }

  private finish(entry: Entry, expire: boolean): void {
    if (entry.done) return;
    entry.done = true;
    entry.timer?.cancel();
    this.count--;
    for (const key of entry.op.keys) {
      const set = this.watchers.get(key);
      if (!set) continue;
      set.delete(entry);
      if (set.size === 0) this.watchers.delete(key);
    }
    if (expire) entry.op.onExpire();
  }
}
