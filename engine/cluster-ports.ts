/**
 * The ports (engine/ports/cluster.ts) implemented over the running Cluster: the one
 * place above cluster/ that reaches into brokers, replica managers, their logs and
 * group coordinators. Only the composition root (engine.ts) creates it; services see
 * the port interfaces.
 *
 * Every answer is read afresh from the cluster at the moment of the call: a broker can
 * be killed, and leadership can move, between two calls.
 *
 * Bounds: `ready` and `controllerRequest` wait at most READY_TIMEOUT_MS.
 */
import { WorkbenchError } from './api/errors';
import type { LogManagerBrokerStorage, StorageEvent } from './cluster/broker-storage';
import type { Cluster } from './cluster/cluster';
import type { ClusterConfig } from './cluster/config';
import type { GroupCoordinator } from './cluster/group';
import { PartitionLogReplica, effectiveTopicConfig } from './cluster/log-adapter';
import { effectiveTopicDefaults, type DynamicBrokerConfigs } from './cluster/broker-configs';
import type * as M from './cluster/messages';
import { NO_LEADER, type MetadataImage, type TopicImage } from './cluster/metadata-image';
import type { Partition } from './cluster/partition';
import type { FetchPartitionResult, ProduceResult, ReplicaManager, ReplicaStats } from './cluster/replica-manager';
import type { ClientView } from './api/contract';
import type { BrokerCounters, ClusterState, ControllerPort, GroupCoordinators, KafkaListeners, LeaderLookup, LeaderReplica, ReplicaLogs, ReplicaState } from './ports';
import { ErrorCode } from './protocol/errors';
import type { CleanResult } from './storage/cleaner';
import type { PartitionLog } from './storage/log';
import type { TopicConfig } from './storage/topic-config';
import type { Clock } from './util/clock';
import type { WireServers } from './wire/wire-servers';

/** How long a command waits for the cluster to have a controller (just after start, or after a failure). */
const READY_TIMEOUT_MS = 15_000;
/** max.message.bytes when no broker is up to say (Kafka's default). */
const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export interface ClusterPortsOptions {
  cluster: Cluster;
  config: ClusterConfig;
  clock: Clock;
  /** Each broker's current log storage (replaced when the broker restarts). */
  logStorages: ReadonlyMap<number, LogManagerBrokerStorage>;
  storageListeners: Set<(brokerId: number, event: StorageEvent) => void>;
  wire: WireServers | null;
}

export class ClusterPorts implements ClusterState, ControllerPort, LeaderLookup, ReplicaLogs, GroupCoordinators, KafkaListeners, BrokerCounters {
  private readonly cluster: Cluster;
  private readonly clock: Clock;
  private defaultsCache: { dynamic: DynamicBrokerConfigs; defaults: Readonly<Record<string, string>> } | null = null;

  constructor(private readonly o: ClusterPortsOptions) {
    this.cluster = o.cluster;
    this.clock = o.clock;
  }

  // ------------------------------------------------------------------ ClusterState

  get topicDefaults(): Readonly<Record<string, string>> {
    const image = this.image();
    if (!image) return this.o.config.topicDefaults;
    // Recomputed only when the dynamic broker configs change (images replace them on a change).
    if (this.defaultsCache?.dynamic !== image.brokerConfigs) {
      this.defaultsCache = { dynamic: image.brokerConfigs, defaults: effectiveTopicDefaults(this.o.config, image.brokerConfigs, null) };
    }
    return this.defaultsCache.defaults;
  }

  get brokerCount(): number {
    return this.cluster.brokers.length;
  }

  image(): MetadataImage | null {
    return this.cluster.latestImage();
  }

  topicConfig(topic: TopicImage): TopicConfig {
    return effectiveTopicConfig(this.topicDefaults, topic.configs);
  }

  liveBrokerImages(): MetadataImage[] {
    return this.cluster.brokers.filter((b) => b.isUp).map((b) => b.image);
  }

  /** Resolves once a controller is active; refuses after READY_TIMEOUT_MS. */
  async ready(): Promise<void> {
    const deadline = this.clock.monotonicMs() + READY_TIMEOUT_MS;
    while (!this.cluster.activeController() || !this.image()) {
      if (this.clock.monotonicMs() > deadline) {
        throw new WorkbenchError('BROKER_NOT_AVAILABLE', 'No broker can act as controller right now (are all brokers down or cut off?). Restart or heal a broker and try again.');
      }
      await this.sleep(50);
    }
  }

  // ------------------------------------------------------------------ ControllerPort

  /** Sends a request to the active controller, retrying while there is none. */
  async controllerRequest<T extends { errorCode: number }>(req: M.ControllerRequest): Promise<T> {
    const deadline = this.clock.monotonicMs() + READY_TIMEOUT_MS;
    for (;;) {
      await this.ready();
      const controller = this.cluster.activeController();
      if (controller) {
        const res = await new Promise<T | null>((resolve) => controller.controllerRequest<T>(req, resolve));
        if (res && res.errorCode === ErrorCode.NONE) return res;
      }
      if (this.clock.monotonicMs() > deadline) throw new WorkbenchError('REQUEST_TIMED_OUT', 'The controller did not answer in time. Check that the brokers are up, then try again.');
      await this.sleep(100);
    }
  }

  // ------------------------------------------------------------------ LeaderLookup

  leaderReplica(topic: string, partition: number): LeaderReplica | null {
    const p = this.image()?.topics.get(topic)?.partitions[partition];
    if (!p || p.leader === NO_LEADER) return null;
    const broker = this.cluster.broker(p.leader);
    const rm = broker.isUp ? broker.replicaManager : null;
    const replica = rm?.partition(topic, partition);
    return rm && replica && replica.isLeader ? new LeaderReplicaOf(rm, replica, topic, partition) : null;
  }

  maxMessageBytes(topic: string): number {
    const t = this.image()?.topics.get(topic);
    const leaderId = t?.partitions.find((p) => p.leader !== NO_LEADER)?.leader;
    const broker = leaderId !== undefined ? this.cluster.broker(leaderId) : this.cluster.brokers.find((b) => b.isUp);
    return broker ? broker.topicConfig(topic).maxMessageBytes : DEFAULT_MAX_MESSAGE_BYTES;
  }

  // ------------------------------------------------------------------ ReplicaLogs

  replica(brokerId: number, topic: string, partition: number): ReplicaState | undefined {
    return this.partitionOn(brokerId, topic, partition);
  }

  replicaLog(brokerId: number, topic: string, partition: number): { replica: ReplicaState; log: PartitionLog } | undefined {
    const replica = this.partitionOn(brokerId, topic, partition);
    return replica && replica.log instanceof PartitionLogReplica ? { replica, log: replica.log.log } : undefined;
  }

  cleanerOffset(brokerId: number, topic: string, partition: number): number | undefined {
    return this.storageOf(brokerId)?.manager.cleanerOffset(topic, partition);
  }

  async cleanNow(brokerId: number, topic: string, partition: number): Promise<CleanResult | undefined> {
    return this.storageOf(brokerId)?.cleanNow(topic, partition);
  }

  onStorageEvent(listener: (brokerId: number, event: StorageEvent) => void): () => void {
    this.o.storageListeners.add(listener);
    return () => this.o.storageListeners.delete(listener);
  }

  // ------------------------------------------------------------------ GroupCoordinators

  liveCoordinators(): { brokerId: number; coordinator: GroupCoordinator }[] {
    const out: { brokerId: number; coordinator: GroupCoordinator }[] = [];
    for (const b of this.cluster.brokers) if (b.isUp && b.groups) out.push({ brokerId: b.id, coordinator: b.groups.coordinator });
    return out;
  }

  // ------------------------------------------------------------------ KafkaListeners

  get enabled(): boolean {
    return this.o.wire !== null;
  }

  bootstrapServers(): string[] {
    const { host, basePort } = this.o.config;
    return this.cluster.brokers.filter((b) => b.isUp && !this.cluster.isCut(b.id)).map((b) => `${host}:${basePort + b.id - 1}`);
  }

  state(brokerId: number): { listening: boolean; error?: string | null } {
    return this.o.wire ? this.o.wire.state(brokerId) : { listening: false, error: 'The Kafka listeners are off in this engine (started without listen).' };
  }

  clients(): ClientView[] {
    const newestFirst = <T extends { atMs: number }>(m: Map<string, T>): T[] => [...m.values()].reverse();
    return (this.o.wire?.clients() ?? [])
      .map((c) => ({
        brokerId: c.brokerId,
        connectionId: c.connectionId,
        address: c.host,
        clientId: c.clientId,
        software: c.softwareName ? `${c.softwareName}${c.softwareVersion ? ` ${c.softwareVersion}` : ''}` : null,
        openedAtMs: c.openedAtMs,
        bytesIn: c.bytesIn,
        bytesOut: c.bytesOut,
        requests: c.requests,
        lastRequestAtMs: c.lastRequestAtMs,
        produces: newestFirst(c.produced),
        fetches: newestFirst(c.fetched),
        groups: [...c.groups],
      }))
      .sort((a, b) => (b.lastRequestAtMs ?? b.openedAtMs) - (a.lastRequestAtMs ?? a.openedAtMs));
  }

  // ------------------------------------------------------------------ BrokerCounters

  brokerStats(): { brokerId: number; stats: Readonly<ReplicaStats> | null }[] {
    return this.cluster.brokers.map((b) => ({ brokerId: b.id, stats: b.isUp && b.replicaManager ? b.replicaManager.stats : null }));
  }

  leaderLogEndOffset(topic: string, partition: number): number | undefined {
    const p = this.image()?.topics.get(topic)?.partitions[partition];
    if (!p || p.leader === NO_LEADER) return undefined;
    return this.partitionOn(p.leader, topic, partition)?.logEndOffset;
  }

  // ------------------------------------------------------------------ internals

  /** A broker's replica of a partition while the broker is up. */
  private partitionOn(brokerId: number, topic: string, partition: number): Partition | undefined {
    const b = this.cluster.broker(brokerId);
    return b.isUp ? b.replicaManager?.partition(topic, partition) : undefined;
  }

  /** A broker's log storage while it is up. */
  private storageOf(brokerId: number): LogManagerBrokerStorage | undefined {
    return this.cluster.broker(brokerId).isUp ? this.o.logStorages.get(brokerId) : undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimer(ms, resolve));
  }
}

/** A leader's replica as the leader-I/O port sees it: reads from its log, writes and fetches through its ReplicaManager. */
class LeaderReplicaOf implements LeaderReplica {
  constructor(
    private readonly rm: ReplicaManager,
    private readonly replica: Partition,
    private readonly topic: string,
    private readonly partition: number,
  ) {}

  get brokerId(): number {
    return this.replica.brokerId;
  }

  get highWatermark(): number {
    return this.replica.highWatermark;
  }

  get logStartOffset(): number {
    return this.replica.log.logStartOffset;
  }

  get committedKnown(): boolean {
    return this.replica.highWatermark >= this.replica.leaderEpochStartOffset;
  }

  read(fromOffset: number, maxBytes: number, maxOffset: number): Buffer | null {
    return this.replica.log.read(fromOffset, maxBytes, maxOffset, true);
  }

  offsetForTimestamp(timestampMs: number): Promise<{ offset: number; timestampMs: number } | undefined> {
    return this.replica.log.offsetForTimestamp(timestampMs);
  }

  append(batch: Buffer, acks: number, timeoutMs: number, done: (result: ProduceResult) => void): void {
    this.rm.appendRecords(acks, timeoutMs, [{ topic: this.topic, partition: this.partition, records: batch }], (r) => done(r[0]));
  }

  fetch(fromOffset: number, maxBytes: number, done: (result: FetchPartitionResult) => void): void {
    this.rm.fetchMessages(
      { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes, partitions: [{ topic: this.topic, partition: this.partition, fetchOffset: fromOffset, currentLeaderEpoch: -1, partitionMaxBytes: maxBytes }] },
      (r) => done(r[0]),
    );
  }
}
