/**
 * The deterministic simulator, in CI: 50 seeds of random produce/consume work under
 * random faults — the workbench's built-in consumers among the clients, the real Kafka
 * client over the brokers' real wire handlers — must keep all five invariants; a seed
 * replays to the same state; and the checker does catch a real loss of acknowledged
 * data (unclean leader election).
 * Before a release run more: `npm run sim -- --seed 1 --seeds 1000`.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../engine/protocol/errors';
import { buildBatchSync } from '../../engine/storage/record-batch';
import { Simulation, runSimulation } from '../../engine/sim/simulator';
import { World } from '../../engine/sim/world';
import type { ProduceResult } from '../../engine/cluster/replica-manager';

const SEEDS = 50;
const STEPS = 1500;

describe('deterministic simulation', () => {
  it(`keeps every invariant for ${SEEDS} seeds of faults`, async () => {
    const failures: string[] = [];
    let faults = 0;
    let acked = 0;
    let elections = 0;
    let builtinProcessed = 0;
    let wireCommits = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = await runSimulation({ seed, steps: STEPS });
      faults += r.faults.length;
      acked += r.stats.ackedAll;
      elections += r.stats.leaderElections;
      builtinProcessed += r.stats.builtinProcessed;
      wireCommits += r.stats.wireCommits;
      if (r.violations.length > 0) failures.push(`seed ${seed}: ${r.violations.slice(0, 3).join('; ')}`);
    }
    expect(failures).toEqual([]);
    // The runs did real work: faults happened, leaders moved, acks=all writes were acknowledged.
    expect(faults).toBeGreaterThan(SEEDS);
    expect(elections).toBeGreaterThan(SEEDS * 3);
    expect(acked).toBeGreaterThan(SEEDS * 500);
    // The built-in consumers consumed and committed over the wire in every run's worth of seeds.
    expect(builtinProcessed).toBeGreaterThan(SEEDS * 300);
    expect(wireCommits).toBeGreaterThan(SEEDS * 20);
  }, 600_000);

  it('keeps every invariant through full disks: brokers stop on ENOSPC, come back when space is freed, and no acknowledged record is lost', async () => {
    const failures: string[] = [];
    let diskFailures = 0;
    let acked = 0;
    for (let seed = 101; seed <= 115; seed++) {
      const r = await runSimulation({ seed, steps: STEPS, faultRate: 0.01, faultKinds: ['disk-full', 'disk-full', 'kill'] });
      diskFailures += r.stats.diskFailures;
      acked += r.stats.ackedAll;
      if (r.violations.length > 0) failures.push(`seed ${seed}: ${r.violations.slice(0, 3).join('; ')}`);
    }
    expect(failures).toEqual([]);
    // The disks really filled: brokers stopped on them, and the producers still got acks=all.
    expect(diskFailures).toBeGreaterThan(10);
    expect(acked).toBeGreaterThan(15 * 300);
  }, 300_000);

  it('replays a seed to the same final state', async () => {
    const a = await runSimulation({ seed: 4242, steps: 1200 });
    const b = await runSimulation({ seed: 4242, steps: 1200 });
    const c = await runSimulation({ seed: 4243, steps: 1200 });
    // The real client ran in it: replay holds for its promises and timers too.
    expect(a.stats.builtinProcessed).toBeGreaterThan(0);
    expect(a.hash).toBe(b.hash);
    expect(a.faults).toEqual(b.faults);
    expect(a.stats).toEqual(b.stats);
    expect(c.hash).not.toBe(a.hash);
  });

  it('reports invariant (1) violated when unclean leader election loses acknowledged records', async () => {
    const world = new World({ seed: 7, brokers: 3, config: { replicaLagTimeMaxMs: 1000 } });
    const sim = new Simulation(world, { seed: 7, steps: 0 });
    try {
      await sim.setup([{ name: 'fragile', partitions: 1, rf: 3, configs: { 'min.insync.replicas': '1', 'unclean.leader.election.enable': 'true' } }]);
      const cluster = world.cluster;
      const image = () => cluster.latestImage()!.topics.get('fragile')!.partitions[0];
      const leader = image().leader;
      const followers = [1, 2, 3].filter((b) => b !== leader);
      // The followers fall behind: cut them off until the ISR is the leader alone.
      for (const f of followers) cluster.cut(f);
      expect(await world.runUntil(() => image().isr.length === 1, 30_000)).toBe(true);
      // An acks=all write is acknowledged with min.insync.replicas=1 met (ISR = leader).
      let res: ProduceResult | null = null;
      const batch = buildBatchSync({ records: [{ key: Buffer.from('k'), value: Buffer.from('acked-then-lost'), timestampMs: world.clock.nowMs() }] });
      cluster.broker(leader).replicaManager!.appendRecords(-1, 5000, [{ topic: 'fragile', partition: 0, records: batch }], (r) => (res = r[0]));
      expect(await world.runUntil(() => res !== null, 10_000)).toBe(true);
      expect(res!.errorCode).toBe(ErrorCode.NONE);
      sim.obs.acked.push({ topic: 'fragile', partition: 0, offset: res!.baseOffset, value: 'acked-then-lost', producer: -1 });
      // The leader dies; a lagging follower returns and, unclean election being on, leads.
      cluster.kill(leader);
      cluster.heal(followers[0]);
      expect(await world.runUntil(() => image().leader === followers[0], 30_000)).toBe(true);
      cluster.heal();
      const settled = await sim.settle();
      sim.check(settled);
      expect(sim.obs.violations.some((v) => v.startsWith('(1)') && v.includes('acked-then-lost'))).toBe(true);
    } finally {
      world.close();
    }
  });

  it('with unclean election off, the same faults lose nothing: the partition waits for its last in-sync replica', async () => {
    const world = new World({ seed: 7, brokers: 3, config: { replicaLagTimeMaxMs: 1000 } });
    const sim = new Simulation(world, { seed: 7, steps: 0 });
    try {
      await sim.setup([{ name: 'safe', partitions: 1, rf: 3, configs: { 'min.insync.replicas': '1' } }]);
      const cluster = world.cluster;
      const image = () => cluster.latestImage()!.topics.get('safe')!.partitions[0];
      const leader = image().leader;
      const followers = [1, 2, 3].filter((b) => b !== leader);
      for (const f of followers) cluster.cut(f);
      expect(await world.runUntil(() => image().isr.length === 1, 30_000)).toBe(true);
      let res: ProduceResult | null = null;
      const batch = buildBatchSync({ records: [{ key: Buffer.from('k'), value: Buffer.from('kept'), timestampMs: world.clock.nowMs() }] });
      cluster.broker(leader).replicaManager!.appendRecords(-1, 5000, [{ topic: 'safe', partition: 0, records: batch }], (r) => (res = r[0]));
      expect(await world.runUntil(() => res !== null, 10_000)).toBe(true);
      sim.obs.acked.push({ topic: 'safe', partition: 0, offset: res!.baseOffset, value: 'kept', producer: -1 });
      // Flush the leader's log so the crash keeps the record (durability of the last replica).
      cluster.broker(leader).stopNow();
      cluster.heal(followers[0]);
      await world.runUntil(() => false, 5000);
      expect(image().leader).toBe(-1);
      cluster.heal();
      const settled = await sim.settle();
      sim.check(settled);
      expect(sim.obs.violations).toEqual([]);
    } finally {
      world.close();
    }
  });
});
