/**
 * The simulator with its administrator moving partitions: reassignments started and
 * cancelled at random (replicas moved, replication factor 2 ↔ 3, preferred leaders
 * changed) while brokers crash, are cut off, slow down and fill their disks. Every seed
 * must keep the invariants — no acknowledged acks=all record lost, replicas agreeing,
 * no acks=all write acknowledged below min.insync.replicas — and finish every
 * reassignment once the faults stop; a seed replays to the same state.
 */
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../engine/sim/simulator';

const SEEDS = 12;
const STEPS = 1500;

describe('simulation with reassignments', () => {
  it(`keeps every invariant for ${SEEDS} seeds of reassignments under faults`, async () => {
    const failures: string[] = [];
    let started = 0;
    let cancelled = 0;
    let acked = 0;
    for (let seed = 501; seed < 501 + SEEDS; seed++) {
      const r = await runSimulation({ seed, steps: STEPS, reassignRate: 0.02, faultRate: 0.008 });
      started += r.stats.reassignments;
      cancelled += r.stats.reassignCancels;
      acked += r.stats.ackedAll;
      if (!r.stats.settled) failures.push(`seed ${seed}: did not settle`);
      if (r.violations.length > 0) failures.push(`seed ${seed}: ${r.violations.slice(0, 3).join('; ')}`);
    }
    expect(failures).toEqual([]);
    // The administrator really moved partitions, and cancelled some moves.
    expect(started).toBeGreaterThan(SEEDS * 10);
    expect(cancelled).toBeGreaterThan(0);
    expect(acked).toBeGreaterThan(SEEDS * 300);
  }, 600_000);

  it('replays a seed with reassignments to the same final state', async () => {
    const a = await runSimulation({ seed: 4711, steps: 1200, reassignRate: 0.02 });
    const b = await runSimulation({ seed: 4711, steps: 1200, reassignRate: 0.02 });
    expect(a.stats.reassignments).toBeGreaterThan(0);
    expect(a.hash).toBe(b.hash);
    expect(a.faults).toEqual(b.faults);
    expect(a.stats).toEqual(b.stats);
  }, 120_000);
});
