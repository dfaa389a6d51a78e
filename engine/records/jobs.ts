/**
 * Engine-side jobs (filter, export, import): long work that reports progress, can be
 * cancelled, and never holds the engine's thread for long.
 *
 * - A job is registered here, runs asynchronously, and updates plain counters
 *   (done / total / matches); its JobView goes out in every snapshot, so progress
 *   reaches the UI at the snapshot rate (≤ 10 per second), never per record.
 * - Work loops call `slice.check()` per unit of work: every SLICE_MS of wall time it
 *   yields to the event loop (a zero-delay timer on the engine clock) so brokers,
 *   listeners and other calls keep running, and it reports cancellation.
 *
 * Bounds: at most MAX_RUNNING_JOBS run at once (one more is refused with BUSY and a
 * sentence); at most MAX_KEPT_JOBS are remembered, and finished jobs hold at most
 * MAX_RETAINED_BYTES of results together (the oldest finished ones are forgotten, with
 * their results, first).
 *
 * Invariants (asserted, and on in production): a job's state leaves 'running' exactly
 * once — finishing a finished job is a bug, not a no-op; finished jobs never change
 * (a cancel that comes too late does nothing).
 */
import { WorkbenchError } from '../api/errors';
import type { ImportReport, JobKind, JobState, JobView } from '../api/contract';
import { assert } from '../util/assert';
import type { Clock } from '../util/clock';

export const MAX_RUNNING_JOBS = 3;
export const MAX_KEPT_JOBS = 12;
/** Results finished jobs may hold in memory together (filter matches); older ones are forgotten beyond it. */
export const MAX_RETAINED_BYTES = 64 * 1024 * 1024;
/** Longest stretch of work before a job yields the thread. */
export const SLICE_MS = 15;

export class Cancelled extends Error {}

export abstract class Job {
  state: JobState = 'running';
  done = 0;
  total = 0;
  matches = 0;
  readonly startedAtMs: number;
  finishedAtMs: number | null = null;
  error: WorkbenchError | null = null;
  note: string | null = null;
  file: JobView['file'] = null;
  importReport: ImportReport | null = null;
  protected cancelRequested = false;

  constructor(
    readonly id: string,
    readonly kind: JobKind,
    readonly topic: string | null,
    readonly partition: number | null,
    protected readonly clock: Clock,
    private readonly changed: () => void,
  ) {
    this.startedAtMs = clock.nowMs();
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** Asks the job to stop; it finishes as 'cancelled' at its next check. A finished job stays as it is. */
  cancel(): void {
    if (this.running) {
      this.cancelRequested = true;
      this.onCancelRequested();
    }
    this.touch();
  }

  /** Called once when a running job is asked to cancel. */
  protected onCancelRequested(): void {}

  /** Bytes of results this job holds in memory (filter matches). */
  retainedBytes(): number {
    return 0;
  }

  /** Ends the job: called exactly once, while it runs. */
  protected finish(state: Exclude<JobState, 'running'>, error: WorkbenchError | null = null): void {
    assert(this.running, () => `job ${this.id} finished twice: it was ${this.state}, then ${state}`);
    this.state = state;
    this.error = error;
    this.finishedAtMs = this.clock.nowMs();
    this.touch();
  }

  protected touch(): void {
    this.changed();
  }

  /** Runs `work`, turning its outcome into the job's final state. */
  protected async runToEnd(work: () => Promise<void>, cleanup?: (state: JobState) => Promise<void> | void): Promise<void> {
    let state: Exclude<JobState, 'running'> = 'done';
    let error: WorkbenchError | null = null;
    try {
      // Work that completed is done, even when a cancel arrived at the very end.
      await work();
    } catch (err) {
      if (err instanceof Cancelled || this.cancelRequested) state = 'cancelled';
      else {
        state = 'failed';
        error = WorkbenchError.from(err);
      }
    }
    try {
      await cleanup?.(state);
    } catch (err) {
      if (state === 'done') {
        state = 'failed';
        error = WorkbenchError.from(err);
      }
    }
    this.finish(state, error);
  }

  /** A time slicer for this job's loops. */
  slicer(): Slicer {
    return new Slicer(this.clock, () => this.cancelRequested, () => this.touch());
  }

  view(): JobView {
    return {
      id: this.id,
      kind: this.kind,
      state: this.state,
      topic: this.topic,
      partition: this.partition,
      done: this.done,
      total: this.total,
      matches: this.matches,
      startedAtMs: this.startedAtMs,
      finishedAtMs: this.finishedAtMs,
      error: this.error ? this.error.toData() : null,
      note: this.note,
      file: this.file,
      import: this.importReport,
    };
  }
}

/** Yields the thread every SLICE_MS of work and throws Cancelled once a cancel was asked. */
export class Slicer {
  private sliceStartMs: number;
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly cancelled: () => boolean,
    private readonly progress: () => void,
  ) {
    this.sliceStartMs = clock.monotonicMs();
  }

  /** Call once per unit of work; returns a Promise only when it is time to yield. */
  check(): Promise<void> | null {
    if ((++this.count & 255) !== 0) return null;
    if (this.clock.monotonicMs() - this.sliceStartMs < SLICE_MS) return null;
    return this.yieldNow();
  }

  async yieldNow(): Promise<void> {
    this.progress();
    await new Promise<void>((resolve) => this.clock.setTimer(0, resolve));
    this.sliceStartMs = this.clock.monotonicMs();
    if (this.cancelled()) throw new Cancelled();
  }
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private seq = 0;

  constructor(private readonly onChange: () => void) {}

  /** Registers a new job made by `make`; BUSY when MAX_RUNNING_JOBS are running. */
  add<J extends Job>(kind: JobKind, make: (id: string) => J): J {
    const running = [...this.jobs.values()].filter((j) => j.running);
    if (running.length >= MAX_RUNNING_JOBS) {
      throw new WorkbenchError(
        'BUSY',
        `${running.length} jobs are running already (${running.map((j) => `${j.kind} ${j.id}`).join(', ')}). Wait for one to finish, or cancel one.`,
      );
    }
    const job = make(`${kind}-${++this.seq}`);
    this.jobs.set(job.id, job);
    this.forgetOld();
    this.onChange();
    return job;
  }

  get(id: string, kind?: JobKind): Job {
    const job = this.jobs.get(id);
    if (!job || (kind !== undefined && job.kind !== kind)) {
      throw new WorkbenchError('INVALID_REQUEST', `There is no ${kind ?? ''} job "${id}" (finished jobs are forgotten after ${MAX_KEPT_JOBS} newer ones). Run it again.`.replace('  ', ' '), 'jobId');
    }
    return job;
  }

  views(): JobView[] {
    return [...this.jobs.values()].reverse().map((j) => j.view());
  }

  cancelAll(): void {
    for (const j of this.jobs.values()) j.cancel();
  }

  private forgetOld(): void {
    let retained = 0;
    for (const job of this.jobs.values()) retained += job.retainedBytes();
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= MAX_KEPT_JOBS && retained <= MAX_RETAINED_BYTES) break;
      if (job.running) continue;
      retained -= job.retainedBytes();
      this.jobs.delete(id);
    }
  }
}
