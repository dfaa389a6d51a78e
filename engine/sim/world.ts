/**
 * A simulated world: the real cluster code (brokers, controller, quorum, replication,
 * group coordinators, Kafka-format logs) on a seeded ManualClock, a seeded Random, an
 * in-process network with latency, jitter and loss, in-memory SQLite, and one
 * fault-injecting MemoryStorage per broker. Nothing here reads the real clock, the real
 * disk or real randomness, so a run is a pure function of its seed.
 *
 * Clients (simulated producers and consumers) reach brokers like Kafka clients do —
 * not through the inter-broker network, so a cut-off broker is still reachable by them —
 * with their own latency drawn from the same Random. Real Kafka clients (engine/client)
 * reach the brokers' real Kafka listeners (engine/wire) over in-process sockets
 * (sockets.ts): `bootstrapServers` and `sockets.dialer` are what a client needs; the
 * listeners open and close with their brokers (`reconcileListeners`, every step).
 *
 * Time: the ManualClock fires one due timer at a time; after each, `advance` lets the
 * promise continuations it started run to the end (promise-jobs.ts) before the next
 * timer fires, as an event loop would. The client and the wire handlers are
 * promise-based; the cluster's own code is callbacks. Promise jobs can only come from
 * work over the in-process sockets, so while those are idle (no dial, no open
 * connection, no bytes on their way) timers fire back to back and their jobs, if any,
 * run at the end of the advance: a turn per timer costs more than the whole timer. The
 * order of everything is then fixed by the timers' (due time, creation order) and the
 * seed. A run never yields to
 * the real event loop, and uses no real timers, sockets or disks: a real timer armed by
 * mistake would never fire, and the run would show it as work that never finished.
 *
 * Observation hooks record what the checker needs: every leadership start (to check at
 * most one leader per partition and epoch), and every answer brokers give over their
 * listeners (`watchAnswers`).
 */
import { createHash } from 'node:crypto';
import { BrokerGroups } from '../cluster/broker-groups';
import { LogManagerBrokerStorage } from '../cluster/broker-storage';
import { OFFSETS_TOPIC } from '../cluster/controller';
import { Cluster } from '../cluster/cluster';
import { defaultClusterConfig, type ClusterConfig } from '../cluster/config';
import { effectiveTopicConfig, replicationConfig, recompressProducedBatch, scanBatchHeaders, validateProducedBatch } from '../cluster/log-adapter';
import * as M from '../cluster/messages';
import { MetadataStore } from '../cluster/metadata-store';
import { Network } from '../cluster/network';
import type { DecodedRequest } from '../protocol';
import { ErrorCode } from '../protocol/errors';
import { MemoryStorage } from '../storage/memory-storage';
import { validateTopicConfigs } from '../storage/topic-config';
import { assert } from '../util/assert';
import { ManualClock } from '../util/clock';
import { SeededRandom } from '../util/random';
import type { RequestMeta } from '../wire/connection';
import { WireServers } from '../wire/wire-servers';
import { runPromiseJobs } from './promise-jobs';
import { InProcessSockets } from './sockets';

/** Sees each request a broker answered over its listener, and the answer (null: none). */
export type AnswerWatcher = (brokerId: number, request: DecodedRequest, meta: RequestMeta, response: unknown | null) => void;

/** Bound on the timers fired within one advance: a loop of zero-delay timers is a bug, not a workload. */
const MAX_TIMERS_PER_ADVANCE = 1_000_000;

export interface WorldOptions {
  seed: number;
  brokers: number;
  config?: Partial<ClusterConfig>;
}

export interface LeadershipRecord {
  topic: string;
  partition: number;
  epoch: number;
  brokerId: number;
  atMs: number;
}

/** Settings that make a few virtual minutes exercise many failures. */
export const SIM_CLUSTER_CONFIG: Partial<ClusterConfig> = {
  brokerSessionTimeoutMs: 1500,
  brokerHeartbeatIntervalMs: 150,
  replicaLagTimeMaxMs: 3000,
  replicaFetchWaitMaxMs: 200,
  metadataFetchWaitMs: 500,
  leaderImbalanceCheckIntervalMs: 3000,
  interBrokerRequestTimeoutMs: 2000,
  controlledShutdownTimeoutMs: 2000,
  highWatermarkCheckpointIntervalMs: 1000,
  logRetentionCheckIntervalMs: 5000,
  logCleanerBackoffMs: 2000,
  offsetsTopicNumPartitions: 5,
  groupInitialRebalanceDelayMs: 300,
  // Small, so that a disk-full fault meets the guard first and real ENOSPC right after.
  storageMinFreeBytes: 4096,
};

export class World {
  readonly clock = new ManualClock(1_700_000_000_000);
  readonly random: SeededRandom;
  readonly network: Network;
  readonly store = new MetadataStore({ path: ':memory:' });
  readonly disks = new Map<number, MemoryStorage>();
  readonly cluster: Cluster;
  readonly config: ClusterConfig;
  readonly leaderships: LeadershipRecord[] = [];
  /** Brokers that stopped on their own after a disk error, with the errno. */
  readonly diskFailures: { brokerId: number; atMs: number; errno: string | null }[] = [];
  /** In-process sockets between real clients and the brokers' listeners. */
  readonly sockets: InProcessSockets;
  /** The brokers' Kafka listeners, on `sockets`. */
  readonly wire: WireServers;
  private readonly answerWatchers: AnswerWatcher[] = [];
  /** Broker states the listeners were last reconciled with. */
  private listenerStates = '';

  constructor(readonly options: WorldOptions) {
    this.random = new SeededRandom(options.seed);
    this.network = new Network(this.clock, this.random, { latencyMs: 1, jitterMs: 3 });
    this.config = defaultClusterConfig({ brokerCount: options.brokers, ...SIM_CLUSTER_CONFIG, ...options.config });
    const clusterId = this.store.clusterId(() => `sim-${options.seed}`);
    const cluster: Cluster = new Cluster({
      config: this.config,
      clock: this.clock,
      random: this.random,
      store: this.store,
      network: this.network,
      openStorage: (id) => {
        if (!this.disks.has(id)) this.disks.set(id, new MemoryStorage());
        const disk = this.disks.get(id)!;
        return new LogManagerBrokerStorage({
          storage: disk, dataDir: '', brokerId: id, clusterId, clock: this.clock, random: this.random, topicDefaults: () => cluster.broker(id).topicDefaults,
          configsOf: (topic) => cluster.broker(id).image.topics.get(topic)?.configs ?? {},
          highWatermarkOf: (topic, partition) => cluster.broker(id).replicaManager?.partition(topic, partition)?.highWatermark,
          syncCleaner: true,
          onCrash: () => disk.crash(this.random),
          // The process gave up; the in-memory disk keeps every byte written.
          onAbandon: () => undefined,
        });
      },
      validateBatch: validateProducedBatch,
      recompress: recompressProducedBatch,
      scanHeaders: scanBatchHeaders,
      validateTopicConfigs: (c) => void validateTopicConfigs(c),
      resolveTopicConfig: (d, c) => replicationConfig(effectiveTopicConfig(d, c)),
      onFailure: (brokerId, f) => this.diskFailures.push({ brokerId, atMs: f.atMs, errno: f.errno }),
      onLeadershipChange: (brokerId, p, isLeader) => {
        if (isLeader) this.leaderships.push({ topic: p.topic, partition: p.partition, epoch: p.leaderEpoch, brokerId, atMs: this.clock.nowMs() });
      },
    });
    this.cluster = cluster;
    this.sockets = new InProcessSockets(this.clock, this.random);
    this.wire = new WireServers(cluster, this.clock, {
      server: () => this.sockets.server(),
      onAnswer: (brokerId, req, meta, res) => {
        for (const w of this.answerWatchers) w(brokerId, req, meta, res);
      },
    });
  }

  start(): void {
    this.cluster.start();
    this.reconcileListeners();
  }

  /** host:port of every broker's listener, for a client's bootstrap.servers. */
  get bootstrapServers(): string[] {
    return this.cluster.brokers.map((b) => `${this.config.host}:${this.config.basePort + b.id - 1}`);
  }

  /** Opens the listeners of live brokers and closes those of dead ones (takes effect at once). */
  reconcileListeners(): void {
    const states = this.cluster.brokers.map((b) => b.state).join(',');
    if (states === this.listenerStates) return;
    this.listenerStates = states;
    void this.wire.reconcile();
  }

  watchAnswers(watcher: AnswerWatcher): void {
    this.answerWatchers.push(watcher);
  }

  /**
   * Advances virtual time by `ms`, firing due timers one at a time. While the sockets are
   * busy, each timer is followed by the promise jobs it started; otherwise (only callback
   * code can be running) they run once no timer is due any more, at the end.
   */
  async advance(ms: number): Promise<void> {
    assert(ms >= 0, 'time cannot go backwards');
    const target = this.clock.nowMs() + ms;
    let jobsMayWait = true;
    for (let fired = 0; ; fired++) {
      const due = this.clock.nextDueMs();
      if (due === undefined || due > target) {
        if (!jobsMayWait) break;
        await runPromiseJobs();
        jobsMayWait = false;
        continue;
      }
      assert(fired < MAX_TIMERS_PER_ADVANCE, () => `more than ${MAX_TIMERS_PER_ADVANCE} timers fired before ${target}: a timer loop that never lets time pass`);
      const busy = this.sockets.busy;
      this.clock.step();
      jobsMayWait = true;
      if (busy || this.sockets.busy) {
        await runPromiseJobs();
        jobsMayWait = false;
      }
    }
    this.clock.advance(target - this.clock.nowMs());
  }

  /** Advances virtual time in small slices until `pred` holds; false if `maxMs` passes first. */
  async runUntil(pred: () => boolean, maxMs: number, sliceMs = 10): Promise<boolean> {
    const end = this.clock.nowMs() + maxMs;
    while (!pred()) {
      if (this.clock.nowMs() >= end) return false;
      await this.advance(sliceMs);
    }
    return true;
  }

  /** Advances virtual time until `work` settles; false if `maxMs` passes first. */
  async runUntilSettled(work: Promise<unknown>, maxMs: number): Promise<boolean> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    await runPromiseJobs();
    return this.runUntil(() => settled, maxMs);
  }

  /** Asks the active controller; resolves on the clock (drive it with runUntil). */
  controllerRequest<T>(req: M.ControllerRequest, done: (r: T | null) => void): void {
    const c = this.cluster.activeController();
    if (!c) return done(null);
    c.controllerRequest<T>(req, done);
  }

  async createTopic(name: string, partitions: number, rf: number, configs: Record<string, string>): Promise<boolean> {
    if (!(await this.runUntil(() => this.cluster.activeController() !== null && this.cluster.brokers.every((b) => b.isUp), 30_000))) return false;
    let res: M.CreateTopicsResponse | null | undefined;
    this.controllerRequest<M.CreateTopicsResponse>({ type: 'create-topics', validateOnly: false, topics: [{ name, numPartitions: partitions, replicationFactor: rf, assignments: null, configs }] }, (r) => (res = r));
    await this.runUntil(() => res !== undefined, 10_000);
    if (!res || res.results[0].errorCode !== ErrorCode.NONE) return false;
    return this.runUntil(() => this.cluster.brokers.every((b) => {
      const t = b.image.topics.get(name);
      return t !== undefined && t.partitions.every((p) => b.replicaManager?.partition(name, p.partition) !== undefined);
    }), 10_000);
  }

  /** Creates __consumer_offsets as a broker does on a group's first FindCoordinator. */
  async createOffsetsTopic(): Promise<boolean> {
    if (!(await this.runUntil(() => this.cluster.activeController() !== null && this.cluster.brokers.every((b) => b.isUp), 30_000))) return false;
    let res: M.CreateTopicsResponse | null | undefined;
    this.controllerRequest<M.CreateTopicsResponse>(BrokerGroups.createOffsetsTopicRequest(this.config, this.options.brokers), (r) => (res = r));
    await this.runUntil(() => res !== undefined, 10_000);
    return !!res && res.results[0].errorCode === ErrorCode.NONE && (await this.runUntil(() => this.cluster.brokers.every((b) => b.image.topics.has(OFFSETS_TOPIC)), 10_000));
  }

  /** A hash of everything durable: every broker's files and the metadata. Same seed, same hash. */
  stateHash(): string {
    const h = createHash('sha256');
    for (const id of [...this.disks.keys()].sort((a, b) => a - b)) {
      const disk = this.disks.get(id)!;
      for (const path of disk.allFiles().sort()) {
        h.update(`${id}:${path}:`);
        h.update(disk.snapshot(path));
      }
    }
    for (const t of this.store.listTopics()) h.update(JSON.stringify(t));
    h.update(String(this.clock.nowMs()));
    return h.digest('hex').slice(0, 16);
  }

  close(): void {
    void this.wire.close();
    this.cluster.close();
    this.store.close();
  }
}
