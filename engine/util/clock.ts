/**
 * Time, injected. Engine code never reads Date.now() or calls setTimeout directly:
 * it asks its Clock, so that the simulator can run a whole cluster on virtual time
 * and replay it from a seed.
 *
 * `SystemClock` is the real one. `ManualClock` advances only when told to and fires
 * due timers in (due time, creation order) order, which makes runs deterministic.
 *
 * A real process lives while something it waits for is pending. SystemClock's timers do
 * not keep it alive (hosts own the engine's lifetime), except those set with
 * `keepAlive`: a timer a caller is waiting on (a command-line tool inside a client's
 * poll) must not let the process exit under it. ManualClock has no process to keep.
 *
 * Invariants: ManualClock time never goes backwards; a cancelled timer never fires;
 * timers due at the same instant fire in the order they were created.
 */
import { assert } from './assert';

export interface TimerHandle {
  cancel(): void;
}

export interface TimerOptions {
  /** Someone waits on this timer: a real clock keeps the process alive until it fires. */
  keepAlive?: boolean;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch (used for record timestamps). */
  nowMs(): number;
  /** Monotonic milliseconds (used for timeouts and rates). */
  monotonicMs(): number;
  /** Runs `fn` once after `delayMs`. */
  setTimer(delayMs: number, fn: () => void, options?: TimerOptions): TimerHandle;
}

export class SystemClock implements Clock {
  nowMs(): number {
    return Date.now();
  }
  monotonicMs(): number {
    return performance.now();
  }
  setTimer(delayMs: number, fn: () => void, options?: TimerOptions): TimerHandle {
    if (delayMs <= 0) {
      // "As soon as possible" skips setTimeout's 1 ms floor: in-process message
      // hops (leader → follower) would otherwise each cost a millisecond.
      // Not unref'd: Node only wakes its event loop promptly for referenced immediates;
      // an unreferenced one waits until the next timer or I/O, up to many milliseconds.
      const im = setImmediate(fn);
      return { cancel: () => clearImmediate(im) };
    }
    const t = setTimeout(fn, delayMs);
    // Timers never keep a process alive on their own (hosts own the lifetime), unless waited on.
    if (options?.keepAlive !== true) t.unref?.();
    return { cancel: () => clearTimeout(t) };
  }
}

interface ManualTimer {
  dueMs: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Binary min-heap of timers keyed by (dueMs, seq). */
class TimerHeap {
  private items: ManualTimer[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): ManualTimer | undefined {
    return this.items[0];
  }
  push(t: ManualTimer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(a[i], a[p])) {
        [a[i], a[p]] = [a[p], a[i]];
        i = p;
      } else break;
    }
  }
  pop(): ManualTimer | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

function less(a: ManualTimer, b: ManualTimer): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
}

export class ManualClock implements Clock {
  private timeMs: number;
  private seq = 0;
  private readonly heap = new TimerHeap();

  constructor(startMs = 1_700_000_000_000) {
    this.timeMs = startMs;
  }
  nowMs(): number {
    return this.timeMs;
  }
  monotonicMs(): number {
    return this.timeMs;
  }
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const t: ManualTimer = { dueMs: this.timeMs + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.heap.push(t);
    return { cancel: () => void (t.cancelled = true) };
  }
  /** Pending (not cancelled) timers; cancelled ones are dropped lazily. */
  get pendingTimers(): number {
    return this.heap.size;
  }
  /** Due time of the next live timer, or undefined. */
  nextDueMs(): number | undefined {
    for (;;) {
      const t = this.heap.peek();
      if (!t) return undefined;
      if (!t.cancelled) return t.dueMs;
      this.heap.pop();
    }
  }
  /** Fires the next live timer (advancing time to it). Returns false when none is left. */
  step(): boolean {
    for (;;) {
      const t = this.heap.pop();
      if (!t) return false;
      if (t.cancelled) continue;
      assert(t.dueMs >= this.timeMs, 'timer due in the past');
      this.timeMs = t.dueMs;
      t.fn();
      return true;
    }
  }
  /** Advances time by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    assert(ms >= 0, 'time cannot go backwards');
    const target = this.timeMs + ms;
    for (;;) {
      const due = this.nextDueMs();
      if (due === undefined || due > target) break;
      this.step();
    }
    this.timeMs = target;
  }
}
