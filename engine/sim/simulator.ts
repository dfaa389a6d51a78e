/**
 * The deterministic simulator: a seeded world (world.ts), simulated producers and
 * consumer groups (actors.ts), the workbench's own built-in consumers — the real Kafka
 * client over the brokers' real wire handlers (client-actors.ts) — and a fault
 * injector, run for a number of steps; then the faults stop, the cluster heals, the
 * built-in consumers drain their group's lag and stop, and a checker holds it to five
 * invariants:
 *
 *   (1) every record acknowledged with acks=all (min.insync.replicas met, which the
 *       broker enforces before answering) is readable at its offset;
 *   (2) the replicas of a partition agree up to the high watermark;
 *   (3) the HW never moves backwards as seen by a consumer (checked while running);
 *   (4) at most one broker led a partition in any leader epoch;
 *   (5) committed group offsets never exceed the HW and never go backwards without a
 *       reset (checked while running; for the built-in consumers on the wire, by
 *       wire-checks.ts, which also holds them to (3)); and once the faults stop, the
 *       built-in consumers' group commits every record of its topic;
 *   (6) no acks=all write is acknowledged while its partition's ISR, as the leader
 *       holds it, is smaller than min.insync.replicas (checked while running).
 *
 * A simulated administrator (reassign-actor.ts) moves partitions meanwhile: it starts
 * reassignments (moving replicas, raising and lowering the replication factor) and
 * cancels some; once the faults stop every reassignment must complete, and (1)–(6)
 * hold throughout.
 *
 * A step advances virtual time by 1–20 ms and lets actors and the fault injector act.
 * Faults: kill (a crash: each file keeps a random part of what was not fsynced, so
 * writes tear), restart, cut off from the other brokers and the quorum, heal, slow
 * network links, a write torn mid-batch followed by a crash, and a full disk (the
 * broker's writes fail with ENOSPC from some byte on: the free-space guard refuses
 * client writes first, and what still writes — replication, offset commits,
 * checkpoints — stops the broker; recovery frees the space and restarts it). By default at most one
 * broker is impaired at a time (replication factor 3 with min.insync.replicas 2
 * tolerates one failure; more would be data loss Kafka also suffers), and a broker that
 * came back counts as impaired until it is in every ISR again: crashing the last
 * in-sync replica while another still catches up loses what only it held.
 *
 * The same seed gives the same run and the same final state hash. A run is async only
 * so that the client's promise continuations can run between timers (world.ts); its
 * order of events is still the seed's alone.
 */
import type { ClusterConfig } from '../cluster/config';
import { brokerNode } from '../cluster/messages';
import { NO_LEADER, isReassigning } from '../cluster/metadata-image';
import { decodeRecordsSync } from '../storage/record-batch';
import { SimConsumer, SimProducer, newObservations, type Observations } from './actors';
import { BUILTIN_GROUP, SimBuiltinConsumers } from './client-actors';
import { SimReassigner } from './reassign-actor';
import { wireChecks } from './wire-checks';
import { World } from './world';

export interface SimOptions {
  seed: number;
  steps: number;
  brokers?: number;
  /** Probability that a step injects a fault (default 0.004). */
  faultRate?: number;
  /** How many brokers may be impaired (down, cut, slow, disk full) at once (default 1). */
  maxImpaired?: number;
  /** The faults to draw from (default: all, kills twice as likely). */
  faultKinds?: readonly FaultKind[];
  config?: Partial<ClusterConfig>;
  /** Probability that a step makes the administrator act on a reassignment (default 0.002; 0: never). */
  reassignRate?: number;
  log?: (line: string) => void;
}

export type FaultKind = 'kill' | 'cut' | 'slow' | 'torn-write' | 'disk-full';

export interface FaultRecord {
  atMs: number;
  kind: FaultKind | 'restart' | 'heal' | 'unslow' | 'disk-freed';
  brokerId: number;
}

const DEFAULT_FAULT_KINDS: readonly FaultKind[] = ['kill', 'kill', 'cut', 'slow', 'torn-write', 'disk-full'];

export interface SimResult {
  seed: number;
  steps: number;
  virtualMs: number;
  faults: FaultRecord[];
  violations: string[];
  hash: string;
  stats: Observations['stats'] & { leaderElections: number; diskFailures: number; settled: boolean };
}

export const SIM_TOPICS: { name: string; partitions: number; rf: number; configs: Record<string, string> }[] = [
  { name: 'orders', partitions: 3, rf: 3, configs: { 'min.insync.replicas': '2' } },
  { name: 'events', partitions: 2, rf: 3, configs: { 'min.insync.replicas': '2', 'segment.bytes': '4096' } },
];

export async function runSimulation(options: SimOptions): Promise<SimResult> {
  const world = new World({ seed: options.seed, brokers: options.brokers ?? 3, config: options.config });
  try {
    return await new Simulation(world, options).run();
  } finally {
    world.close();
  }
}

export class Simulation {
  readonly obs = newObservations();
  readonly faults: FaultRecord[] = [];
  private readonly impaired = new Map<number, 'down' | 'cut' | 'slow' | 'disk-full'>();
  private producers: SimProducer[] = [];
  private consumers: SimConsumer[] = [];
  private builtin: SimBuiltinConsumers | null = null;
  private reassigner: SimReassigner | null = null;

  constructor(readonly world: World, private readonly options: SimOptions) {
    world.watchAnswers(wireChecks(this.obs));
  }

  /** Starts the cluster and creates the workload's topics. */
  async setup(topics = SIM_TOPICS): Promise<void> {
    this.world.start();
    if (!(await this.world.createOffsetsTopic())) this.obs.violations.push('setup: could not create __consumer_offsets');
    for (const t of topics) {
      if (!(await this.world.createTopic(t.name, t.partitions, t.rf, t.configs))) this.obs.violations.push(`setup: could not create topic ${t.name}`);
    }
    const specs = topics.map((t) => ({ name: t.name, partitions: t.partitions }));
    this.producers = [0, 1, 2].map((i) => new SimProducer(i, this.world, specs, this.obs));
    this.reassigner = new SimReassigner(this.world, specs, this.obs, this.options.log);
    this.consumers = [
      new SimConsumer(0, this.world, 'g1', topics.map((t) => t.name), this.obs),
      new SimConsumer(1, this.world, 'g1', topics.map((t) => t.name), this.obs),
      new SimConsumer(2, this.world, 'g2', [topics[0].name], this.obs),
    ];
  }

  /** Starts the built-in consumers (the real client) on the first topic. */
  startBuiltinConsumers(topic = SIM_TOPICS[0].name): void {
    this.builtin = new SimBuiltinConsumers(this.world, topic, this.obs);
    this.builtin.start();
  }

  async run(): Promise<SimResult> {
    await this.setup();
    this.startBuiltinConsumers();
    const r = this.world.random;
    const faultRate = this.options.faultRate ?? 0.004;
    const reassignRate = this.options.reassignRate ?? 0.002;
    for (let step = 0; step < this.options.steps; step++) {
      await this.world.advance(1 + r.int(20));
      this.world.reconcileListeners();
      for (const p of this.producers) if (r.chance(0.5)) p.step();
      for (const c of this.consumers) if (r.chance(0.5)) c.step();
      this.builtin?.step();
      if (reassignRate > 0 && r.chance(reassignRate)) this.reassigner?.step();
      if (r.chance(faultRate)) this.injectFault();
    }
    const settled = await this.settle();
    this.check(settled);
    return {
      seed: this.options.seed,
      steps: this.options.steps,
      virtualMs: this.world.clock.nowMs() - 1_700_000_000_000,
      faults: this.faults,
      violations: this.obs.violations,
      hash: this.world.stateHash(),
      stats: { ...this.obs.stats, leaderElections: this.world.leaderships.length, diskFailures: this.world.diskFailures.length, settled },
    };
  }

  // ------------------------------------------------------------------ faults

  private record(kind: FaultRecord['kind'], brokerId: number): void {
    this.world.reconcileListeners();
    this.faults.push({ atMs: this.world.clock.nowMs(), kind, brokerId });
    this.options.log?.(`t=${this.world.clock.nowMs() - 1_700_000_000_000}ms ${kind} broker ${brokerId}`);
  }

  injectFault(): void {
    const r = this.world.random;
    const cluster = this.world.cluster;
    const maxImpaired = this.options.maxImpaired ?? 1;
    const recovering = this.recovering();
    const busy = this.impaired.size + recovering.size;
    // Recover an impaired broker half the time, or when no new fault is allowed.
    if (this.impaired.size > 0 && (busy >= maxImpaired || r.chance(0.5))) {
      const [id, how] = r.pick([...this.impaired.entries()].sort((a, b) => a[0] - b[0]));
      this.impaired.delete(id);
      if (how === 'down') {
        cluster.restart(id);
        this.record('restart', id);
      } else if (how === 'cut') {
        cluster.heal(id);
        this.record('heal', id);
      } else if (how === 'disk-full') {
        this.freeDisk(id);
        this.record('disk-freed', id);
      } else {
        this.unslow(id);
        this.record('unslow', id);
      }
      return;
    }
    if (busy >= maxImpaired) return;
    const candidates = cluster.brokers.filter((b) => !this.impaired.has(b.id) && !recovering.has(b.id) && b.isUp).map((b) => b.id);
    if (candidates.length === 0) return;
    const id = r.pick(candidates);
    const kind = r.pick(this.options.faultKinds ?? DEFAULT_FAULT_KINDS);
    switch (kind) {
      case 'kill':
        cluster.kill(id);
        this.impaired.set(id, 'down');
        break;
      case 'torn-write': {
        const disk = this.world.disks.get(id)!;
        const logs = disk.allFiles().filter((f) => f.endsWith('.log'));
        if (logs.length > 0) disk.tearNextWrite(r.pick(logs.sort()), r.int(40));
        // The tear happens on that file's next append; the crash comes a little later
        // (unless this incarnation is already gone).
        const epochAtTear = cluster.broker(id).brokerEpoch;
        this.world.clock.setTimer(5 + r.int(50), () => {
          const b = cluster.broker(id);
          if (b.isUp && b.brokerEpoch === epochAtTear) cluster.kill(id);
        });
        this.impaired.set(id, 'down');
        break;
      }
      case 'cut':
        cluster.cut(id);
        this.impaired.set(id, 'cut');
        break;
      case 'slow':
        this.slow(id);
        this.impaired.set(id, 'slow');
        break;
      case 'disk-full': {
        // A few kB more, then ENOSPC (a broker may fill its disk within a step or never).
        const disk = this.world.disks.get(id)!;
        disk.limitSpace(disk.bytesUsed + r.int(24 * 1024));
        this.impaired.set(id, 'disk-full');
        break;
      }
    }
    this.record(kind, id);
  }

  /**
   * Brokers back from a fault that are not yet in sync: still starting, or out of the ISR
   * of a partition they replicate. They hold less than the others, so they count as
   * impaired: a fault elsewhere now would be a second failure at once.
   */
  private recovering(): Set<number> {
    const out = new Set<number>();
    const cluster = this.world.cluster;
    for (const b of cluster.brokers) if (!this.impaired.has(b.id) && b.state === 'starting') out.add(b.id);
    for (const t of cluster.latestImage()?.topics.values() ?? []) {
      for (const p of t.partitions) {
        // A replica a reassignment is adding was never in sync: it is not a lost copy.
        for (const id of p.replicas) if (!p.isr.includes(id) && !this.impaired.has(id) && !(p.addingReplicas ?? []).includes(id)) out.add(id);
      }
    }
    return out;
  }

  private slow(id: number): void {
    // A slow disk or network: every message to and from this broker takes 50–250 ms.
    this.world.network.setNodeDelay(brokerNode(id), 50 + this.world.random.int(200));
  }

  private unslow(id: number): void {
    this.world.network.setNodeDelay(brokerNode(id), 0);
  }

  /** Space returns; a broker that stopped on the full disk is restarted, as a person would. */
  private freeDisk(id: number): void {
    this.world.disks.get(id)!.clearFaults();
    if (this.world.cluster.broker(id).state === 'failed') this.world.cluster.restart(id);
  }

  /**
   * Stops faults, heals and restarts everything, and waits for full ISRs and equal HW/LEO;
   * then lets the built-in consumers drain their group's lag and stops them (each leaves
   * its group).
   */
  async settle(): Promise<boolean> {
    const cluster = this.world.cluster;
    for (const disk of this.world.disks.values()) disk.clearFaults();
    for (const [id, how] of [...this.impaired.entries()].sort((a, b) => a[0] - b[0])) {
      if (how === 'down') cluster.restart(id);
      else if (how === 'cut') cluster.heal(id);
      else if (how === 'disk-full') this.freeDisk(id);
      else this.unslow(id);
    }
    this.impaired.clear();
    for (const b of cluster.brokers) if (!b.isUp && b.state !== 'starting') cluster.restart(b.id);
    this.world.reconcileListeners();
    // Let in-flight produce requests finish, then wait for the cluster to be whole.
    await this.world.runUntil(() => this.producers.every((p) => p.idle), 15_000);
    const whole = await this.world.runUntil(() => {
      this.world.reconcileListeners();
      return this.fullyReplicated();
    }, 120_000, 20);
    if (this.builtin !== null && whole) {
      const builtin = this.builtin;
      const { drained, stopped } = await builtin.finish(() => this.endOffsets(builtin.topic));
      if (!drained) {
        const lag = [...this.endOffsets(builtin.topic)].map(([p, end]) => `${p}: ${this.obs.committed.get(`${BUILTIN_GROUP}/${builtin.topic}-${p}`) ?? 'none'} of ${end}`).join(', ');
        this.obs.violations.push(`(5) the built-in consumers did not commit up to the end of ${builtin.topic} once the faults stopped (committed ${lag})`);
      }
      if (!stopped) this.obs.violations.push('the built-in consumers did not stop');
      this.obs.stats.builtinProcessed = builtin.processed;
    }
    return whole;
  }

  /** partition → high watermark of `topic` at its leader. */
  private endOffsets(topic: string): Map<number, number> {
    const out = new Map<number, number>();
    const t = this.world.cluster.latestImage()?.topics.get(topic);
    for (const p of t?.partitions ?? []) {
      const hw = p.leader === NO_LEADER ? undefined : this.world.cluster.broker(p.leader).replicaManager?.partition(topic, p.partition)?.highWatermark;
      out.set(p.partition, hw ?? Infinity);
    }
    return out;
  }

  private fullyReplicated(): boolean {
    const img = this.world.cluster.latestImage();
    if (!img || !this.world.cluster.brokers.every((b) => b.isUp)) return false;
    for (const t of img.topics.values()) {
      for (const p of t.partitions) {
        if (p.leader === NO_LEADER || p.isr.length !== p.replicas.length || isReassigning(p)) return false;
        const leader = this.world.cluster.broker(p.leader).replicaManager?.partition(t.name, p.partition);
        if (!leader || !leader.isLeader || leader.highWatermark !== leader.logEndOffset) return false;
        for (const r of p.replicas) {
          const rp = this.world.cluster.broker(r).replicaManager?.partition(t.name, p.partition);
          if (!rp || rp.logEndOffset !== leader.logEndOffset) return false;
        }
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ the checker

  check(settled: boolean): void {
    const v = this.obs.violations;
    const cluster = this.world.cluster;
    if (!settled) v.push('the cluster did not return to full replication after the faults stopped');
    const img = cluster.latestImage();
    if (!img) {
      v.push('no metadata image at the end');
      return;
    }
    // Read every replica of every partition once.
    const contents = new Map<string, Map<number, Map<number, string>>>();
    for (const t of img.topics.values()) {
      for (const p of t.partitions) {
        const byReplica = new Map<number, Map<number, string>>();
        for (const r of p.replicas) {
          const rp = cluster.broker(r).replicaManager?.partition(t.name, p.partition);
          if (rp) byReplica.set(r, readAll(rp.log, rp.highWatermark));
        }
        contents.set(`${t.name}-${p.partition}`, byReplica);
      }
    }
    // (1) acknowledged acks=all records are where the cluster said they are.
    for (const a of this.obs.acked) {
      const p = img.topics.get(a.topic)?.partitions[a.partition];
      if (!p) continue;
      const leaderContent = contents.get(`${a.topic}-${a.partition}`)?.get(p.leader);
      const found = leaderContent?.get(a.offset);
      if (found !== a.value) v.push(`(1) acknowledged record ${a.value} at ${a.topic}-${a.partition}@${a.offset} is ${found === undefined ? 'missing' : `replaced by ${found}`}`);
    }
    // (2) replicas agree up to the HW.
    for (const [key, byReplica] of contents) {
      const replicas = [...byReplica.entries()];
      if (replicas.length < 2) continue;
      const [firstId, first] = replicas[0];
      for (const [id, other] of replicas.slice(1)) {
        for (const [offset, value] of other) {
          if (first.has(offset) && first.get(offset) !== value) v.push(`(2) ${key}@${offset}: broker ${firstId} has ${first.get(offset)}, broker ${id} has ${value}`);
        }
      }
    }
    // (4) at most one leader per partition per epoch.
    const leaders = new Map<string, number>();
    for (const l of this.world.leaderships) {
      const key = `${l.topic}-${l.partition}#${l.epoch}`;
      const prev = leaders.get(key);
      if (prev !== undefined && prev !== l.brokerId) v.push(`(4) ${l.topic}-${l.partition} had two leaders in epoch ${l.epoch}: brokers ${prev} and ${l.brokerId}`);
      leaders.set(key, l.brokerId);
    }
  }

  get producerList(): SimProducer[] {
    return this.producers;
  }
}

/** A replica's records below `end` (the HW), offset → value. */
function readAll(log: { logStartOffset: number; read(from: number, maxBytes: number, maxOffset: number, minOne: boolean): Buffer | null }, end: number): Map<number, string> {
  const out = new Map<number, string>();
  let offset = log.logStartOffset;
  for (let i = 0; i < 100_000 && offset < end; i++) {
    const bytes = log.read(offset, 1 << 20, end, true);
    if (!bytes) break;
    let next = offset;
    for (const r of decodeRecordsSync(bytes)) {
      if (r.offset >= end) break;
      if (r.offset >= offset) out.set(r.offset, r.value?.toString() ?? '<null>');
      next = r.offset + 1;
    }
    if (next <= offset) break;
    offset = next;
  }
  return out;
}
