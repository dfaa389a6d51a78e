/**
 * The controller: the one broker (at a time) that decides partition leadership and
 * ISR membership and publishes the metadata image every broker acts on.
 *
 * It runs inside the broker the quorum elected, writes through the metadata store
 * with its controller epoch (a deposed controller's writes are refused), and serves:
 * - metadata fetches from brokers (long-polled: answered when the image changes),
 * - AlterPartition from partition leaders (ISR shrink/expand, fenced by leader epoch
 *   and partition epoch; only live brokers may join an ISR),
 * - controlled shutdown (leadership moves off a broker before it stops),
 * - topic admin (create, delete, add partitions, configs), dynamic broker configs
 *   (cluster-wide defaults and per-broker values), producer id blocks, leader
 *   elections (preferred, unclean) on demand, and partition reassignments (KIP-455,
 *   rules in reassignment.ts): every state change this controller writes first
 *   completes a reassignment whose new replicas have all joined the ISR.
 *
 * Elections: when a leader is no longer live, the new leader is the first replica
 * (in assignment order) that is live and in the ISR; the ISR loses the dead broker.
 * With no such replica the partition goes offline (leader -1, the ISR keeps its last
 * member) unless unclean.leader.election.enable lets any live replica lead (and
 * possibly lose acknowledged records, as in Kafka). Every leader change bumps the
 * leader epoch; every state change bumps the partition epoch. When the preferred
 * replica (the first in the assignment) is back in the ISR, a periodic check
 * (auto.leader.rebalance.enable) makes it the leader again.
 *
 * Invariants: every published image has a higher version than the last; epochs
 * never go backwards; a leader is always in the ISR; ISR members are replicas.
 */
import { ErrorCode } from '../protocol/errors';
import { assert } from '../util/assert';
import type { Clock, TimerHandle } from '../util/clock';
import type { Random } from '../util/random';
import { assignReplicas } from './assignment';
import { MAX_PARTITIONS_IN_CLUSTER, MAX_PARTITIONS_PER_TOPIC, type ClusterConfig } from './config';
import type * as M from './messages';
import {
  NO_LEADER, checkPartitionState, isReassigning, targetReplicas, type BrokerRegistration, type MetadataImage, type PartitionState, type TopicImage,
} from './metadata-image';
import { MetadataWriteError, StaleControllerError, type MetadataStore, type PartitionMeta } from './metadata-store';
import { completeIfReady, revertReassignment, startReassignment, targetError } from './reassignment';
import { topicNameError } from './topic-names';
import { BrokerConfigError, DEFAULT_BROKER_RESOURCE, alterDynamicBrokerConfigs, effectiveTopicDefaults } from './broker-configs';

/** Throws an Error whose message explains the first invalid config, or returns normally. */
export type TopicConfigValidator = (configs: Record<string, string>) => void;

export const OFFSETS_TOPIC = '__consumer_offsets';
const PRODUCER_ID_BLOCK = 1000;
export { MAX_PARTITIONS_PER_TOPIC, MAX_PARTITIONS_IN_CLUSTER } from './config';
/** Bound on parked metadata fetches (one per broker is normal). */
const MAX_PARKED_FETCHES = 64;
/** How soon a reconcile that could not be written (full disk) is tried again. */
const RECONCILE_RETRY_MS = 1000;

interface ParkedFetch {
  sinceVersion: number;
  reply: (r: M.FetchMetadataResponse) => void;
  timer: TimerHandle;
}

export class Controller {
  private image: MetadataImage;
  private live = new Map<number, BrokerRegistration>();
  private readonly parked = new Set<ParkedFetch>();
  private rebalanceTimer: TimerHandle | null = null;
  private reconcileRetry: TimerHandle | null = null;
  private active = true;

  constructor(
    readonly brokerId: number,
    readonly controllerEpoch: number,
    private readonly store: MetadataStore,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly config: ClusterConfig,
    private readonly validateConfigs: TopicConfigValidator,
    liveBrokers: BrokerRegistration[],
    previousVersion: number,
    /** Called after every publication, for observers (the UI snapshot). */
    private readonly onPublish: (image: MetadataImage) => void = () => undefined,
  ) {
    for (const b of liveBrokers) this.live.set(b.id, b);
    const topics = new Map<string, TopicImage>();
    for (const t of store.listTopics()) {
      topics.set(t.name, {
        name: t.name, topicId: t.topicId, internal: t.internal, configs: t.configs,
        partitions: t.partitions.map(fromMeta),
      });
    }
    const clusterId = store.clusterId(() => randomTopicId(random));
    this.image = {
      version: previousVersion + 1, clusterId, controllerId: brokerId, controllerEpoch,
      liveBrokers: [...this.live.values()].sort((a, b) => a.id - b.id), topics,
      brokerConfigs: store.listBrokerConfigs(),
    };
    this.reconcile();
    if (!this.active) return;
    this.publish();
    this.scheduleRebalance();
  }

  get currentImage(): MetadataImage {
    return this.image;
  }

  get isActive(): boolean {
    return this.active;
  }

  resign(): void {
    if (!this.active) return;
    this.active = false;
    this.rebalanceTimer?.cancel();
    this.reconcileRetry?.cancel();
    this.reconcileRetry = null;
    for (const p of this.parked) {
      p.timer.cancel();
      p.reply({ errorCode: ErrorCode.NOT_CONTROLLER, image: null });
    }
    this.parked.clear();
  }

  // ------------------------------------------------------------------ liveness

  onLiveBrokers(liveBrokers: BrokerRegistration[]): void {
    if (!this.active) return;
    const next = new Map(liveBrokers.map((b) => [b.id, b]));
    const same = next.size === this.live.size && [...next.values()].every((b) => this.live.get(b.id)?.epoch === b.epoch);
    if (same) return;
    // A broker that re-registered with a new epoch restarted, possibly faster than its
    // session timeout: its previous life is over (it may have lost unsynced data), so it
    // is first treated as gone — its leaderships move, it leaves ISRs, epochs are bumped —
    // and only then as a new arrival, as KRaft fences an old broker incarnation.
    const restarted = [...next.values()].filter((b) => this.live.has(b.id) && this.live.get(b.id)!.epoch !== b.epoch);
    if (restarted.length > 0) {
      const without = new Map([...next].filter(([id]) => !restarted.some((r) => r.id === id)));
      this.live = without;
      this.reconcile();
      if (!this.active) return;
    }
    this.live = next;
    this.image = { ...this.image, liveBrokers: [...next.values()].sort((a, b) => a.id - b.id) };
    this.reconcile();
    if (this.active) this.publish();
  }

  /**
   * Brings every partition in line with the live set: leaders that are gone are
   * replaced, dead brokers leave ISRs, offline partitions whose ISR member came back
   * get it as leader.
   */
  private reconcile(): void {
    const changes: PartitionState[] = [];
    for (const topic of this.image.topics.values()) {
      for (const p of topic.partitions) {
        const next = this.electIfNeeded(p, topic);
        if (next) changes.push(next);
      }
    }
    try {
      this.write(changes);
    } catch (err) {
      if (err instanceof MetadataWriteError) {
        // The metadata cannot be written (full disk): nothing changed; try again soon.
        this.retryReconcileLater();
        return;
      }
      // Another broker became controller while this one was catching up: step down.
      if (!(err instanceof StaleControllerError)) throw err;
      this.resign();
    }
  }

  private retryReconcileLater(): void {
    if (this.reconcileRetry || !this.active) return;
    this.reconcileRetry = this.clock.setTimer(RECONCILE_RETRY_MS, () => {
      this.reconcileRetry = null;
      if (!this.active) return;
      this.reconcile();
      if (this.active) this.publish();
    });
  }

  /** Whether broker `b` counts as in sync: in the ISR, live, and not restarted since it joined (KIP-903). */
  private inSync(p: PartitionState, b: number): boolean {
    if (!p.isr.includes(b)) return false;
    const reg = this.live.get(b);
    if (!reg) return false;
    const joined = p.isrEpochs[b];
    return joined === undefined || joined === reg.epoch;
  }

  /** The current broker epochs of `isr`, for a new ISR. */
  private epochsOf(isr: readonly number[], keepFrom?: PartitionState): Record<number, number> {
    const out: Record<number, number> = {};
    for (const b of isr) {
      const kept = keepFrom?.isrEpochs[b];
      out[b] = kept ?? this.live.get(b)?.epoch ?? -1;
    }
    return out;
  }

  private electIfNeeded(p: PartitionState, topic: TopicImage): PartitionState | null {
    const valid = p.isr.filter((b) => this.inSync(p, b));
    if (p.leader !== NO_LEADER && valid.includes(p.leader)) {
      if (valid.length === p.isr.length) return null;
      return { ...p, isr: valid, isrEpochs: this.epochsOf(valid, p), partitionEpoch: p.partitionEpoch + 1 };
    }
    let next = p.replicas.find((b) => valid.includes(b));
    // Kafka's rule before KIP-966: when the partition is offline, the last in-sync replica
    // may lead again when it returns, even after a restart.
    if (next === undefined && p.leader === NO_LEADER) next = p.replicas.find((b) => this.live.has(b) && p.isr.includes(b));
    if (next !== undefined) {
      const isr = valid.includes(next) ? valid : [next];
      return { ...p, leader: next, isr, isrEpochs: this.epochsOf(isr, valid.includes(next) ? p : undefined), leaderEpoch: p.leaderEpoch + 1, partitionEpoch: p.partitionEpoch + 1 };
    }
    if (this.uncleanAllowed(topic)) {
      const any = this.uncleanCandidate(p);
      if (any !== undefined) return { ...p, leader: any, isr: [any], isrEpochs: this.epochsOf([any]), leaderEpoch: p.leaderEpoch + 1, partitionEpoch: p.partitionEpoch + 1 };
    }
    if (p.leader === NO_LEADER) return null;
    // Offline: no leader; the ISR keeps its last member so that only it may lead again.
    const lastIsr = valid.length > 0 ? valid : [p.leader];
    return { ...p, leader: NO_LEADER, isr: lastIsr, isrEpochs: this.epochsOf(lastIsr, p), leaderEpoch: p.leaderEpoch + 1, partitionEpoch: p.partitionEpoch + 1 };
  }

  /** Any live replica but one still being added by a reassignment (it may hold nothing yet). */
  private uncleanCandidate(p: PartitionState): number | undefined {
    return p.replicas.find((b) => this.live.has(b) && !(p.addingReplicas ?? []).includes(b));
  }

  private uncleanAllowed(topic: TopicImage): boolean {
    const v = topic.configs['unclean.leader.election.enable'] ?? this.topicDefaults()['unclean.leader.election.enable'] ?? 'false';
    return v === 'true';
  }

  /** Topic config defaults as the controller decides with them: static, then the cluster-wide dynamic ones. */
  private topicDefaults(): Record<string, string> {
    return effectiveTopicDefaults(this.config, this.image.brokerConfigs, null);
  }

  // ------------------------------------------------------------------ requests

  handle(req: M.ControllerRequest, reply: (r: unknown) => void): void {
    if (!this.active) {
      reply({ errorCode: ErrorCode.NOT_CONTROLLER });
      return;
    }
    try {
      switch (req.type) {
        case 'fetch-metadata':
          return this.fetchMetadata(req, reply);
        case 'alter-partition':
          return reply(this.alterPartition(req));
        case 'controlled-shutdown':
          return reply(this.controlledShutdown(req));
        case 'allocate-producer-ids':
          return reply(this.allocateProducerIds(req));
        case 'create-topics':
          return reply(this.createTopics(req));
        case 'delete-topics':
          return reply(this.deleteTopics(req));
        case 'create-partitions':
          return reply(this.createPartitions(req));
        case 'alter-configs':
          return reply(this.alterConfigs(req));
        case 'alter-broker-configs':
          return reply(this.alterBrokerConfigs(req));
        case 'elect-leaders':
          return reply(this.electLeaders(req));
        case 'alter-reassignments':
          return reply(this.alterReassignments(req));
        case 'list-reassignments':
          return reply(this.listReassignments(req));
      }
    } catch (err) {
      if (err instanceof StaleControllerError) {
        this.resign();
        reply({ errorCode: ErrorCode.NOT_CONTROLLER });
        return;
      }
      if (err instanceof MetadataWriteError) {
        // Nothing was written or applied: the requester retries, as after a timeout.
        reply({ errorCode: ErrorCode.KAFKA_STORAGE_ERROR, errorMessage: `The cluster metadata could not be written (${err.message}). Free space on the disk that holds the data folder, then try again.`, results: [], state: null });
        return;
      }
      throw err;
    }
  }

  private fetchMetadata(req: M.FetchMetadataRequest, reply: (r: M.FetchMetadataResponse) => void): void {
    const newer = req.sinceControllerEpoch !== this.controllerEpoch || req.sinceVersion < this.image.version;
    if (newer || req.maxWaitMs <= 0) {
      reply({ errorCode: ErrorCode.NONE, image: this.image });
      return;
    }
    if (this.parked.size >= MAX_PARKED_FETCHES) {
      reply({ errorCode: ErrorCode.NONE, image: this.image });
      return;
    }
    const parked: ParkedFetch = {
      sinceVersion: req.sinceVersion,
      reply,
      timer: this.clock.setTimer(req.maxWaitMs, () => {
        if (this.parked.delete(parked)) reply({ errorCode: ErrorCode.NONE, image: this.image });
      }),
    };
    this.parked.add(parked);
  }

  private alterPartition(req: M.AlterPartitionRequest): M.AlterPartitionResponse {
    const reg = this.live.get(req.brokerId);
    if (!reg || reg.epoch !== req.brokerEpoch) return { errorCode: ErrorCode.STALE_BROKER_EPOCH, state: null };
    const topic = this.image.topics.get(req.topic);
    const p = topic?.partitions[req.partition];
    if (!topic || !p) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, state: null };
    if (p.leader !== req.brokerId) return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, state: p };
    if (req.leaderEpoch !== p.leaderEpoch) return { errorCode: ErrorCode.FENCED_LEADER_EPOCH, state: p };
    if (req.partitionEpoch !== p.partitionEpoch) return { errorCode: ErrorCode.INVALID_UPDATE_VERSION, state: p };
    const isr = [...new Set(req.newIsr.map((m) => m.brokerId))];
    if (!isr.includes(req.brokerId) || !isr.every((b) => p.replicas.includes(b))) return { errorCode: ErrorCode.INVALID_REQUEST, state: p };
    // KIP-841/903: a joining broker must be live, in the incarnation the leader saw fetching.
    const epochs: Record<number, number> = {};
    for (const m of req.newIsr) {
      const staying = p.isr.includes(m.brokerId) && this.inSync(p, m.brokerId);
      if (staying) {
        epochs[m.brokerId] = p.isrEpochs[m.brokerId] ?? m.brokerEpoch;
        continue;
      }
      const reg = this.live.get(m.brokerId);
      if (!reg || (m.brokerEpoch >= 0 && reg.epoch !== m.brokerEpoch)) return { errorCode: ErrorCode.INELIGIBLE_REPLICA, state: p };
      epochs[m.brokerId] = reg.epoch;
    }
    const nextIsr = p.replicas.filter((b) => isr.includes(b));
    const next: PartitionState = { ...p, isr: nextIsr, isrEpochs: Object.fromEntries(nextIsr.map((b) => [b, epochs[b]])), partitionEpoch: p.partitionEpoch + 1 };
    const [written] = this.write([next]);
    this.publish();
    return { errorCode: ErrorCode.NONE, state: written };
  }

  private controlledShutdown(req: M.ControlledShutdownRequest): M.ControlledShutdownResponse {
    const reg = this.live.get(req.brokerId);
    if (!reg || reg.epoch !== req.brokerEpoch) return { errorCode: ErrorCode.STALE_BROKER_EPOCH, remainingLeaders: 0 };
    const changes: PartitionState[] = [];
    let remaining = 0;
    for (const topic of this.image.topics.values()) {
      for (const p of topic.partitions) {
        if (!p.isr.includes(req.brokerId)) continue;
        const others = p.isr.filter((b) => b !== req.brokerId && this.live.has(b));
        if (p.leader === req.brokerId) {
          const next = p.replicas.find((b) => others.includes(b));
          if (next === undefined) {
            remaining++;
            continue;
          }
          changes.push({ ...p, leader: next, isr: others, isrEpochs: this.epochsOf(others, p), leaderEpoch: p.leaderEpoch + 1, partitionEpoch: p.partitionEpoch + 1 });
        } else if (others.length > 0) {
          const isr = p.isr.filter((b) => b !== req.brokerId);
          changes.push({ ...p, isr, isrEpochs: this.epochsOf(isr, p), partitionEpoch: p.partitionEpoch + 1 });
        }
      }
    }
    this.write(changes);
    this.publish();
    return { errorCode: ErrorCode.NONE, remainingLeaders: remaining };
  }

  private allocateProducerIds(req: M.AllocateProducerIdsRequest): M.AllocateProducerIdsResponse {
    const reg = this.live.get(req.brokerId);
    if (!reg || reg.epoch !== req.brokerEpoch) return { errorCode: ErrorCode.STALE_BROKER_EPOCH, firstId: -1, count: 0 };
    const firstId = this.store.asController(this.controllerEpoch, () => this.store.allocateProducerIds(PRODUCER_ID_BLOCK));
    return { errorCode: ErrorCode.NONE, firstId, count: PRODUCER_ID_BLOCK };
  }

  // ------------------------------------------------------------------ topics

  private createTopics(req: M.CreateTopicsRequest): M.CreateTopicsResponse {
    const results: M.CreateTopicsResponse['results'] = [];
    const created: TopicImage[] = [];
    const seen = new Set<string>();
    for (const t of req.topics) {
      const fail = (errorCode: number, errorMessage: string) =>
        results.push({ name: t.name, errorCode, errorMessage, topicId: null, numPartitions: -1, replicationFactor: -1, configs: {} });
      if (seen.has(t.name)) {
        fail(ErrorCode.INVALID_REQUEST, `Topic '${t.name}' appears more than once in the request.`);
        continue;
      }
      seen.add(t.name);
      const nameError = topicNameError(t.name);
      if (nameError) {
        fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameError);
        continue;
      }
      if (t.name.startsWith('__') && t.name === OFFSETS_TOPIC && !req.internal) {
        fail(ErrorCode.INVALID_REQUEST, `Creation of internal topic ${t.name} is prohibited.`);
        continue;
      }
      if (this.image.topics.has(t.name) || created.some((c) => c.name === t.name)) {
        fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
        continue;
      }
      const collides = [...this.image.topics.keys(), ...created.map((c) => c.name)].find((n) => n !== t.name && n.replace(/\./g, '_') === t.name.replace(/\./g, '_'));
      if (collides) {
        fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${t.name}' collides with existing topic: ${collides}`);
        continue;
      }
      let assignments: number[][];
      if (t.assignments && t.assignments.length > MAX_PARTITIONS_PER_TOPIC) {
        fail(ErrorCode.INVALID_PARTITIONS, `A topic may have at most ${MAX_PARTITIONS_PER_TOPIC} partitions here.`);
        continue;
      }
      if (t.assignments && t.assignments.length > 0) {
        const err = this.checkAssignments(t.assignments);
        if (err) {
          fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, err);
          continue;
        }
        assignments = t.assignments;
      } else {
        const numPartitions = t.numPartitions === -1 ? this.config.numPartitions : t.numPartitions;
        const rf = t.replicationFactor === -1 ? Math.min(this.config.defaultReplicationFactor, Math.max(1, this.live.size)) : t.replicationFactor;
        if (!Number.isInteger(numPartitions) || numPartitions < 1) {
          fail(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
          continue;
        }
        if (numPartitions > MAX_PARTITIONS_PER_TOPIC || this.partitionCount() + numPartitions > MAX_PARTITIONS_IN_CLUSTER) {
          fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions ${numPartitions} is more than this workbench allows (${MAX_PARTITIONS_PER_TOPIC} per topic, ${MAX_PARTITIONS_IN_CLUSTER} in all).`);
          continue;
        }
        if (!Number.isInteger(rf) || rf < 1) {
          fail(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
          continue;
        }
        if (rf > this.live.size) {
          fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor: ${rf} larger than available brokers: ${this.live.size}.`);
          continue;
        }
        assignments = assignReplicas([...this.live.keys()], numPartitions, rf, this.random);
      }
      try {
        this.validateConfigs({ ...this.topicDefaults(), ...t.configs });
      } catch (err) {
        fail(ErrorCode.INVALID_CONFIG, err instanceof Error ? err.message : String(err));
        continue;
      }
      const topicId = randomTopicId(this.random);
      const partitions: PartitionState[] = assignments.map((replicas, partition) => {
        const isr = replicas.filter((b) => this.live.has(b));
        const leader = isr.length > 0 ? isr[0] : NO_LEADER;
        const initialIsr = isr.length > 0 ? isr : [replicas[0]];
        return { topic: t.name, partition, replicas: [...replicas], isr: initialIsr, isrEpochs: this.epochsOf(initialIsr), leader, leaderEpoch: 0, partitionEpoch: 0 };
      });
      const topic: TopicImage = { name: t.name, topicId, internal: t.name === OFFSETS_TOPIC, configs: { ...t.configs }, partitions };
      created.push(topic);
      results.push({ name: t.name, errorCode: ErrorCode.NONE, errorMessage: null, topicId, numPartitions: partitions.length, replicationFactor: partitions[0].replicas.length, configs: { ...t.configs } });
    }
    if (!req.validateOnly && created.length > 0) {
      this.store.asController(this.controllerEpoch, () => {
        for (const t of created) {
          for (const p of t.partitions) checkPartitionState(p);
          this.store.createTopic({ name: t.name, topicId: t.topicId, internal: t.internal, configs: { ...t.configs }, partitions: t.partitions.map(toMeta) }, this.clock.nowMs());
        }
      });
      const topics = new Map(this.image.topics);
      for (const t of created) topics.set(t.name, t);
      this.image = { ...this.image, topics };
      this.publish();
    }
    return { errorCode: ErrorCode.NONE, results };
  }

  private partitionCount(): number {
    let n = 0;
    for (const t of this.image.topics.values()) n += t.partitions.length;
    return n;
  }

  private checkAssignments(assignments: number[][]): string | null {
    const rf = assignments[0].length;
    for (const [i, replicas] of assignments.entries()) {
      if (replicas.length === 0) return `Partition ${i} has no replicas.`;
      if (replicas.length !== rf) return 'All partitions should have the same number of replicas.';
      if (new Set(replicas).size !== replicas.length) return `Duplicate brokers not allowed in replica assignment: ${replicas.join(', ')} for partition id ${i}.`;
      const unknown = replicas.filter((b) => !this.live.has(b));
      if (unknown.length > 0) return `Replica assignment for partition ${i} names broker${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} not live.`;
    }
    return null;
  }

  private deleteTopics(req: M.DeleteTopicsRequest): M.DeleteTopicsResponse {
    const results: M.DeleteTopicsResponse['results'] = [];
    const toDelete: TopicImage[] = [];
    for (const name of req.names) {
      const t = this.image.topics.get(name);
      if (!t) results.push({ name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${name}' does not exist.`, topicId: null });
      else if (t.internal) results.push({ name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Internal topic ${name} cannot be deleted.`, topicId: t.topicId });
      else {
        toDelete.push(t);
        results.push({ name, errorCode: ErrorCode.NONE, errorMessage: null, topicId: t.topicId });
      }
    }
    if (toDelete.length > 0) {
      this.store.asController(this.controllerEpoch, () => {
        for (const t of toDelete) this.store.deleteTopic(t.name);
      });
      const topics = new Map(this.image.topics);
      for (const t of toDelete) topics.delete(t.name);
      this.image = { ...this.image, topics };
      this.publish();
    }
    return { errorCode: ErrorCode.NONE, results };
  }

  private createPartitions(req: M.CreatePartitionsRequest): M.CreatePartitionsResponse {
    const results: M.TopicResult[] = [];
    const additions: { topic: TopicImage; added: PartitionState[] }[] = [];
    for (const r of req.topics) {
      const topic = this.image.topics.get(r.name);
      if (!topic) {
        results.push({ name: r.name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `The topic '${r.name}' does not exist.` });
        continue;
      }
      const current = topic.partitions.length;
      if (Number.isInteger(r.count) && (r.count > MAX_PARTITIONS_PER_TOPIC || this.partitionCount() + r.count - current > MAX_PARTITIONS_IN_CLUSTER)) {
        results.push({ name: r.name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: `A topic may have at most ${MAX_PARTITIONS_PER_TOPIC} partitions here (${MAX_PARTITIONS_IN_CLUSTER} in all).` });
        continue;
      }
      if (!Number.isInteger(r.count) || r.count <= current) {
        results.push({ name: r.name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: `Topic currently has ${current} partitions, which is higher than the requested ${r.count}.` });
        continue;
      }
      const rf = targetReplicas(topic.partitions[0]).length;
      let assignments: number[][];
      if (r.assignments && r.assignments.length > 0) {
        if (r.assignments.length !== r.count - current) {
          results.push({ name: r.name, errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `Increasing the number of partitions by ${r.count - current} but ${r.assignments.length} assignments provided.` });
          continue;
        }
        const err = this.checkAssignments(r.assignments) ?? (r.assignments[0].length !== rf ? `Inconsistent replication factor between partitions, partition 0 has ${rf} while partitions [${current}] have replication factors [${r.assignments[0].length}], respectively.` : null);
        if (err) {
          results.push({ name: r.name, errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: err });
          continue;
        }
        assignments = r.assignments;
      } else {
        if (rf > this.live.size) {
          results.push({ name: r.name, errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, errorMessage: `Replication factor: ${rf} larger than available brokers: ${this.live.size}.` });
          continue;
        }
        assignments = assignReplicas([...this.live.keys()], r.count - current, rf, this.random, current);
      }
      const added = assignments.map((replicas, i) => {
        const isr = replicas.filter((b) => this.live.has(b));
        const initialIsr = isr.length > 0 ? isr : [replicas[0]];
        return { topic: r.name, partition: current + i, replicas: [...replicas], isr: initialIsr, isrEpochs: this.epochsOf(initialIsr), leader: isr.length > 0 ? isr[0] : NO_LEADER, leaderEpoch: 0, partitionEpoch: 0 };
      });
      additions.push({ topic, added });
      results.push({ name: r.name, errorCode: ErrorCode.NONE, errorMessage: null });
    }
    if (!req.validateOnly && additions.length > 0) {
      this.store.asController(this.controllerEpoch, () => {
        for (const a of additions) this.store.addPartitions(a.added.map(toMeta));
      });
      const topics = new Map(this.image.topics);
      for (const a of additions) topics.set(a.topic.name, { ...a.topic, partitions: [...a.topic.partitions, ...a.added] });
      this.image = { ...this.image, topics };
      this.publish();
    }
    return { errorCode: ErrorCode.NONE, results };
  }

  private alterConfigs(req: M.AlterConfigsRequest): M.AlterConfigsResponse {
    const results: M.TopicResult[] = [];
    const updates: { topic: TopicImage; configs: Record<string, string> }[] = [];
    for (const r of req.resources) {
      const topic = this.image.topics.get(r.topic);
      if (!topic) {
        results.push({ name: r.topic, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic ${r.topic} does not exist.` });
        continue;
      }
      const configs: Record<string, string> = req.mode === 'replace' ? {} : { ...topic.configs };
      let error: string | null = null;
      for (const op of r.ops) {
        if (op.op === 'set') configs[op.key] = op.value ?? '';
        else if (op.op === 'delete') delete configs[op.key];
        else {
          // APPEND / SUBTRACT apply to list-typed configs (cleanup.policy).
          const current = (configs[op.key] ?? this.topicDefaults()[op.key] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
          const items = (op.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
          const next = op.op === 'append' ? [...current, ...items.filter((i) => !current.includes(i))] : current.filter((c) => !items.includes(c));
          if (op.key !== 'cleanup.policy') error = `Config ${op.key} is not a list; ${op.op.toUpperCase()} applies only to list configs.`;
          configs[op.key] = next.join(',');
        }
      }
      if (!error) {
        try {
          this.validateConfigs({ ...this.topicDefaults(), ...configs });
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
        }
      }
      if (error) {
        results.push({ name: r.topic, errorCode: ErrorCode.INVALID_CONFIG, errorMessage: error });
        continue;
      }
      updates.push({ topic, configs });
      results.push({ name: r.topic, errorCode: ErrorCode.NONE, errorMessage: null });
    }
    if (!req.validateOnly && updates.length > 0) {
      this.store.asController(this.controllerEpoch, () => {
        for (const u of updates) this.store.setTopicConfigs(u.topic.name, u.configs);
      });
      const topics = new Map(this.image.topics);
      for (const u of updates) topics.set(u.topic.name, { ...u.topic, configs: u.configs });
      this.image = { ...this.image, topics };
      this.publish();
    }
    return { errorCode: ErrorCode.NONE, results };
  }

  /**
   * Dynamic broker configs (AlterConfigs / IncrementalAlterConfigs on BROKER resources):
   * each resource is validated whole (broker-configs.ts) and then all are stored and
   * published at once. A change of unclean.leader.election.enable takes effect at once:
   * offline partitions are reconsidered.
   */
  private alterBrokerConfigs(req: M.AlterBrokerConfigsRequest): M.AlterBrokerConfigsResponse {
    const results: M.AlterBrokerConfigsResponse['results'] = [];
    let next = this.image.brokerConfigs;
    const changed: string[] = [];
    for (const r of req.resources) {
      if (r.resource !== DEFAULT_BROKER_RESOURCE && !isBrokerIdOf(this.config, r.resource)) {
        results.push({ resource: r.resource, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Broker ${r.resource} is not a broker of this cluster (ids 1 to ${this.config.brokerCount}); use "" for the cluster-wide default.` });
        continue;
      }
      try {
        const configs = alterDynamicBrokerConfigs(this.config, next, r.resource, req.mode, r.ops);
        next = { ...next, [r.resource]: configs };
        changed.push(r.resource);
        results.push({ resource: r.resource, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        if (!(err instanceof BrokerConfigError)) throw err;
        results.push({ resource: r.resource, errorCode: ErrorCode[err.code], errorMessage: err.message });
      }
    }
    if (!req.validateOnly && changed.length > 0) {
      this.store.asController(this.controllerEpoch, () => {
        for (const resource of changed) this.store.setBrokerConfigs(resource, next[resource] ?? {});
      });
      this.image = { ...this.image, brokerConfigs: next };
      this.reconcile();
      if (this.active) this.publish();
    }
    return { errorCode: ErrorCode.NONE, results };
  }

  private electLeaders(req: M.ElectLeadersRequest): M.ElectLeadersResponse {
    const targets = req.partitions ?? [...this.image.topics.values()].flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
    const results: M.ElectLeadersResponse['results'] = [];
    const changes: PartitionState[] = [];
    for (const { topic, partition } of targets) {
      const p = this.image.topics.get(topic)?.partitions[partition];
      const fail = (errorCode: number, errorMessage: string) => results.push({ topic, partition, errorCode, errorMessage });
      if (!p) {
        fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `No such partition as ${topic}-${partition}.`);
        continue;
      }
      const next = req.electionType === 'preferred' ? this.preferredElection(p) : this.uncleanElection(p);
      if (typeof next === 'number') {
        // As Kafka: an election over every partition does not list those that needed none.
        if (next !== ErrorCode.ELECTION_NOT_NEEDED || req.partitions) fail(next, ELECTION_MESSAGES[next]);
        continue;
      }
      changes.push(next);
      results.push({ topic, partition, errorCode: ErrorCode.NONE, errorMessage: null });
    }
    // An election that changed nothing publishes nothing (no metadata round for every broker).
    if (changes.length > 0) {
      this.write(changes);
      this.publish();
    }
    return { errorCode: ErrorCode.NONE, results };
  }

  /** The preferred replica (first in the list) as leader, or the error Kafka answers. */
  private preferredElection(p: PartitionState): PartitionState | number {
    const preferred = p.replicas[0];
    if (p.leader === preferred) return ErrorCode.ELECTION_NOT_NEEDED;
    if (!this.inSync(p, preferred)) return ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE;
    return { ...p, leader: preferred, leaderEpoch: p.leaderEpoch + 1, partitionEpoch: p.partitionEpoch + 1 };
  }

  /** For a partition without a live leader: a clean choice from the ISR if any, else any live replica. */
  private uncleanElection(p: PartitionState): PartitionState | number {
    if (p.leader !== NO_LEADER && this.live.has(p.leader)) return ErrorCode.ELECTION_NOT_NEEDED;
    const clean = p.replicas.find((b) => this.inSync(p, b));
    if (clean !== undefined) {
      const isr = p.isr.filter((b) => this.inSync(p, b));
      return { ...p, leader: clean, isr, isrEpochs: this.epochsOf(isr, p), leaderEpoch: p.leaderEpoch + 1, partitionEpoch: p.partitionEpoch + 1 };
    }
    const any = this.uncleanCandidate(p);
    if (any === undefined) return ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE;
    return { ...p, leader: any, isr: [any], isrEpochs: this.epochsOf([any]), leaderEpoch: p.leaderEpoch + 1, partitionEpoch: p.partitionEpoch + 1 };
  }

  // ------------------------------------------------------------------ reassignment (KIP-455)

  private alterReassignments(req: M.AlterReassignmentsRequest): M.AlterReassignmentsResponse {
    const results: M.AlterReassignmentsResponse['results'] = [];
    // Several entries may name one partition: each applies to the state the previous left.
    const pending = new Map<string, PartitionState>();
    for (const r of req.partitions) {
      const topic = this.image.topics.get(r.topic);
      const key = `${r.topic}-${r.partition}`;
      const p = pending.get(key) ?? topic?.partitions[r.partition];
      const result = (errorCode: number, errorMessage: string | null) => results.push({ topic: r.topic, partition: r.partition, errorCode, errorMessage });
      if (!topic) {
        result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unable to find a topic named ${r.topic}.`);
        continue;
      }
      if (!p) {
        result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unable to find partition ${r.topic}:${r.partition}.`);
        continue;
      }
      if (r.replicas === null) {
        if (!isReassigning(p)) {
          result(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, 'No partition reassignment is in progress.');
          continue;
        }
        const revert = revertReassignment(p, this.uncleanAllowed(topic), (b) => this.inSync(p, b));
        if (!revert.ok) {
          result(ErrorCode.INVALID_REPLICA_ASSIGNMENT, revert.message);
          continue;
        }
        pending.set(key, { ...revert.state, partitionEpoch: p.partitionEpoch + 1 });
        result(ErrorCode.NONE, null);
        continue;
      }
      const error = targetError(r.replicas, (b) => Number.isInteger(b) && b >= 1 && b <= this.config.brokerCount);
      if (error) {
        result(ErrorCode.INVALID_REPLICA_ASSIGNMENT, error);
        continue;
      }
      const next = startReassignment(p, r.replicas);
      const same = next.replicas.length === p.replicas.length && next.replicas.every((b, i) => b === p.replicas[i]) && !isReassigning(next) && !isReassigning(p);
      if (!same) pending.set(key, { ...next, partitionEpoch: p.partitionEpoch + 1 });
      result(ErrorCode.NONE, null);
    }
    // Epochs grow from the stored state: several entries for one partition make one change.
    const changes = [...pending.values()].map((c) => ({ ...c, partitionEpoch: this.image.topics.get(c.topic)!.partitions[c.partition].partitionEpoch + 1 }));
    if (changes.length > 0) {
      this.write(changes);
      this.publish();
    }
    return { errorCode: ErrorCode.NONE, results };
  }

  private listReassignments(req: M.ListReassignmentsRequest): M.ListReassignmentsResponse {
    const out: M.ListReassignmentsResponse['reassignments'] = [];
    const consider = (p: PartitionState | undefined) => {
      if (!p || !isReassigning(p)) return;
      out.push({ topic: p.topic, partition: p.partition, replicas: [...p.replicas], addingReplicas: [...(p.addingReplicas ?? [])], removingReplicas: [...(p.removingReplicas ?? [])] });
    };
    if (req.partitions === null) {
      for (const t of this.image.topics.values()) for (const p of t.partitions) consider(p);
    } else {
      for (const { topic, partition } of req.partitions) consider(this.image.topics.get(topic)?.partitions[partition]);
    }
    return { errorCode: ErrorCode.NONE, reassignments: out };
  }

  private scheduleRebalance(): void {
    if (!this.active || !this.config.autoLeaderRebalanceEnable) return;
    this.rebalanceTimer = this.clock.setTimer(this.config.leaderImbalanceCheckIntervalMs, () => {
      if (!this.active) return;
      try {
        const changes: PartitionState[] = [];
        for (const topic of this.image.topics.values()) {
          for (const p of topic.partitions) {
            const preferred = p.replicas[0];
            if (p.leader !== preferred && this.inSync(p, preferred)) {
              changes.push({ ...p, leader: preferred, leaderEpoch: p.leaderEpoch + 1, partitionEpoch: p.partitionEpoch + 1 });
            }
          }
        }
        if (changes.length > 0) {
          this.write(changes);
          this.publish();
        }
      } catch (err) {
        if (err instanceof StaleControllerError) this.resign();
        else if (!(err instanceof MetadataWriteError)) throw err; // a full disk: the next check tries again
      }
      this.scheduleRebalance();
    });
  }

  // ------------------------------------------------------------------ writes

  /**
   * Persists partition state changes (epoch-fenced) and applies them to the image; a
   * change that lets a reassignment complete is written completed. Returns what was written.
   */
  private write(proposed: PartitionState[]): PartitionState[] {
    if (proposed.length === 0) return [];
    const changes = proposed.map((c) => completeIfReady(c, (b) => this.inSync(c, b)));
    for (const c of changes) checkPartitionState(c);
    this.store.asController(this.controllerEpoch, () => this.store.updatePartitions(changes.map(toMeta)));
    const topics = new Map(this.image.topics);
    for (const c of changes) {
      const t = topics.get(c.topic);
      assert(t !== undefined, () => `change for unknown topic ${c.topic}`);
      const partitions = [...t.partitions];
      const old = partitions[c.partition];
      assert(c.leaderEpoch >= old.leaderEpoch && c.partitionEpoch > old.partitionEpoch, () => `epochs must grow for ${c.topic}-${c.partition}`);
      partitions[c.partition] = c;
      topics.set(c.topic, { ...t, partitions });
    }
    this.image = { ...this.image, topics };
    return changes;
  }

  /** Publishes the current image under a new version and answers parked fetches. */
  private publish(): void {
    this.image = { ...this.image, version: this.image.version + 1 };
    for (const p of this.parked) {
      p.timer.cancel();
      p.reply({ errorCode: ErrorCode.NONE, image: this.image });
    }
    this.parked.clear();
    this.onPublish(this.image);
  }
}

const ELECTION_MESSAGES: Record<number, string> = {
  [ErrorCode.ELECTION_NOT_NEEDED]: 'Leader election not needed for topic partition.',
  [ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE]: 'The preferred leader was not available.',
  [ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE]: 'Eligible topic partition leaders are not available.',
};
/** Whether `resource` names a broker of this cluster ("1" … brokerCount). */
function isBrokerIdOf(config: ClusterConfig, resource: string): boolean {
  return /^[1-9]\d*$/.test(resource) && Number(resource) <= config.brokerCount;
}

function fromMeta(p: PartitionMeta): PartitionState {
  const state: PartitionState = { topic: p.topic, partition: p.partition, replicas: p.replicas, isr: p.isr, isrEpochs: p.isrEpochs, leader: p.leader ?? NO_LEADER, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch };
  return p.addingReplicas.length > 0 || p.removingReplicas.length > 0 ? { ...state, addingReplicas: p.addingReplicas, removingReplicas: p.removingReplicas } : state;
}

function toMeta(p: PartitionState): PartitionMeta {
  return {
    topic: p.topic, partition: p.partition, replicas: [...p.replicas], isr: [...p.isr], isrEpochs: { ...p.isrEpochs }, leader: p.leader === NO_LEADER ? null : p.leader, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch,
    addingReplicas: [...(p.addingReplicas ?? [])], removingReplicas: [...(p.removingReplicas ?? [])],
  };
}

/** A Kafka-style topic id: 16 random bytes, base64url without padding (as Kafka prints Uuids). */
function randomTopicId(random: Random): string {
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) bytes[i] = random.int(256);
  return bytes.toString('base64url');
}

