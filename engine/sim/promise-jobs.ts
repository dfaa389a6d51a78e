/**
 * How the simulator lets promise continuations run between two timers: `runPromiseJobs`
 * resolves once every promise job queued before it — and every job those queue in turn —
 * has run. Node runs a process.nextTick callback only after V8's promise job queue is
 * empty, so resolving from one is that point exactly, without a turn of the real event
 * loop: no real timer, socket or file can slip in, and what runs depends only on the
 * simulation's own order of events. (Engine code does not use nextTick itself; a job
 * that did would run after this point, still deterministically.)
 *
 * Not time: virtual time stands still meanwhile.
 */
export function runPromiseJobs(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}
