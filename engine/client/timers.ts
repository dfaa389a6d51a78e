/**
 * The client's waits, on its injected Clock (engine/util/clock.ts): the real clock in
 * the tools and the app, the simulator's virtual one when the simulator runs the client.
 * The client never calls setTimeout, setInterval or setImmediate itself.
 *
 *   sleep(clock, ms)          a pause a retry loop awaits; `keepAlive` when a caller
 *                             is waiting on it and nothing else may hold the process
 *   every(clock, ms, fn)      a periodic timer (heartbeats, metadata refresh, sweeps);
 *                             never keeps a process alive
 *   waitUntil(clock, ms)      a deadline that can be ended early (poll's wait for data)
 *
 * Invariants: a cancelled periodic timer never runs again; `every` runs `fn` at most once
 * per period and re-arms only after `fn` returned.
 */
import type { Clock, TimerHandle } from '../util/clock';

export function sleep(clock: Clock, ms: number, options?: { keepAlive?: boolean }): Promise<void> {
  return new Promise((resolve) => clock.setTimer(Math.max(0, ms), resolve, options));
}

/** Runs `fn` every `periodMs` until cancelled. */
export function every(clock: Clock, periodMs: number, fn: () => void): TimerHandle {
  let cancelled = false;
  let timer: TimerHandle;
  const tick = (): void => {
    if (cancelled) return;
    fn();
    if (!cancelled) timer = clock.setTimer(periodMs, tick);
  };
  timer = clock.setTimer(periodMs, tick);
  return {
    cancel: () => {
      cancelled = true;
      timer.cancel();
    },
  };
}

/** A wait of at most `ms` that `wake()` ends early; `done` settles either way. */
export interface Wait {
  readonly done: Promise<void>;
  wake(): void;
}

export function waitUntil(clock: Clock, ms: number): Wait {
  let wake!: () => void;
  const done = new Promise<void>((resolve) => {
    const timer = clock.setTimer(Math.max(0, ms), resolve, { keepAlive: true });
    wake = () => {
      timer.cancel();
      resolve();
    };
  });
  return { done, wake };
}
