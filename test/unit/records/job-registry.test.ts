import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../engine/api/errors';
import { Job, JobRegistry, MAX_KEPT_JOBS, MAX_RETAINED_BYTES, MAX_RUNNING_JOBS } from '../../../engine/records/jobs';
import { SystemClock } from '../../../engine/util/clock';

/** A job that holds `bytes` of results and finishes when told. */
class FakeJob extends Job {
  constructor(id: string, private readonly bytes: number) {
    super(id, 'filter', 't', null, new SystemClock(), () => undefined);
  }
  end(state: 'done' | 'failed' | 'cancelled' = 'done'): void {
    this.finish(state);
  }
  override retainedBytes(): number {
    return this.bytes;
  }
}

describe('job lifecycle', () => {
  it("leaves 'running' exactly once: finishing a finished job is refused and changes nothing", () => {
    const job = new FakeJob('filter-1', 0);
    expect(job.view().state).toBe('running');
    job.end('done');
    const finished = job.view();
    expect(finished.state).toBe('done');
    expect(finished.finishedAtMs).not.toBeNull();
    expect(() => job.end('failed')).toThrow(/finished twice/);
    expect(job.view()).toEqual(finished);
  });

  it('a cancel that comes after the end changes nothing', () => {
    const job = new FakeJob('filter-2', 0);
    job.end('done');
    const finished = job.view();
    job.cancel();
    expect(job.view()).toEqual(finished);
  });
});

describe('job registry', () => {
  it('refuses a job beyond the running limit with BUSY and names the running ones', () => {
    const reg = new JobRegistry(() => undefined);
    for (let i = 0; i < MAX_RUNNING_JOBS; i++) reg.add('filter', (id) => new FakeJob(id, 0));
    let err: WorkbenchError | null = null;
    try {
      reg.add('filter', (id) => new FakeJob(id, 0));
    } catch (e) {
      err = e as WorkbenchError;
    }
    expect(err?.code).toBe('BUSY');
    expect(err?.message).toContain('filter filter-1');
  });

  it('forgets the oldest finished jobs beyond the count and the memory bounds, never running ones', () => {
    const reg = new JobRegistry(() => undefined);
    const big = Math.floor(MAX_RETAINED_BYTES / 3);
    const jobs = [0, 1, 2].map(() => {
      const j = reg.add('filter', (id) => new FakeJob(id, big));
      j.end();
      return j;
    });
    // A fourth job of a third of the budget: the oldest finished one is forgotten with its results.
    const running = reg.add('filter', (id) => new FakeJob(id, big));
    const ids = reg.views().map((v) => v.id);
    expect(ids).not.toContain(jobs[0].id);
    expect(ids).toEqual(expect.arrayContaining([jobs[1].id, jobs[2].id, running.id]));
    for (let i = 0; i < MAX_KEPT_JOBS + 5; i++) reg.add('export', (id) => new FakeJob(id, 0)).end();
    expect(reg.views().length).toBeLessThanOrEqual(MAX_KEPT_JOBS);
    expect(reg.views().map((v) => v.id)).toContain(running.id);
  });
});
