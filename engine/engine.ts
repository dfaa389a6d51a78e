/**
 * The engine: a real cluster of brokers (cluster/) behind the contract's commands.
 *
 * Data dir layout:
 *   metadata.db            cluster metadata (SQLite; the quorum's store)
 *   broker-<id>/           each broker's Kafka data directory: meta.properties,
 *                          checkpoint files, <topic>-<partition>/ segment directories
 *
 * The UI is a client like any other: its produce goes to the partition's leader
 * through the same replica manager path a Kafka client's Produce takes (validation,
 * acks, idempotence), and its reads go through the same fetch path (up to the high
 * watermark, stored bytes decoded only for display).
 *
 * Snapshots: any change marks the engine dirty; a timer publishes at most one
 * snapshot per SNAPSHOT_INTERVAL_MS (≤ 10 per second) and only when dirty, whatever
 * the message rate; a large snapshot delays the next one so that snapshots stay
 * under MAX_SNAPSHOT_BYTES_PER_S.
 *
 * Invariants: a command that throws changed nothing; snapshot seq strictly increases.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrokerView, ClusterSnapshot, CommandResults, EngineEvent, MessageView, ParsedArgs, TopicView } from './api/contract';
import { MAX_SNAPSHOTS_PER_S } from './api/contract';
import type { CORE_COMMAND_NAMES } from './api/command-names';
import type { EngineCommands } from './api/dispatch';
import { ConsumeService } from './records/service';
import { ObserveService } from './topics/service';
import type { StorageEvent } from './cluster/broker-storage';
import { WorkbenchError } from './api/errors';
import { LogManagerBrokerStorage } from './cluster/broker-storage';
import { Cluster } from './cluster/cluster';
import { defaultClusterConfig, type ClusterConfig } from './cluster/config';
import { CrashableStorage } from './cluster/crashable-storage';
import { effectiveTopicConfig, replicationConfig, recompressProducedBatch, scanBatchHeaders, validateProducedBatch } from './cluster/log-adapter';
import { NO_LEADER, type MetadataImage, type TopicImage } from './cluster/metadata-image';
import { MetadataStore } from './cluster/metadata-store';
import { partitionForKey } from './cluster/partitioner';
import type * as M from './cluster/messages';
import type { FetchPartitionResult, ProduceResult } from './cluster/replica-manager';
import { brokerView, bytesView, topicView } from './brokers/cluster-view';
import { ErrorCode, errorName } from './protocol/errors';
import { FsStorage } from './storage/fs-storage';
import { WireServers } from './wire/wire-servers';
import { buildBatch, decodeRecords } from './storage/record-batch';
import { validateTopicConfigs } from './storage/topic-config';
import { SystemClock, type Clock, type TimerHandle } from './util/clock';
import { SystemRandom, type Random } from './util/random';

export interface EngineOptions {
  dataDir: string;
  brokerCount?: number;
  /** Port of broker 1's listener; broker i listens on basePort + i - 1. */
  basePort?: number;
  clock?: Clock;
  random?: Random;
  onEvent?: (event: EngineEvent) => void;
  /** better_sqlite3.node built for the runtime, when it is not Node's (Electron). */
  sqliteNativeBinding?: string;
  /** Broker settings other than the defaults (tests shorten timeouts). */
  clusterConfig?: Partial<ClusterConfig>;
  /** Open each broker's Kafka listener on 127.0.0.1:basePort+id-1 (the app does; unit tests need not). */
  listen?: boolean;
  /** Where the engine writes what a developer may want to know (listener problems, closed connections). */
  log?: (line: string) => void;
}

const SNAPSHOT_INTERVAL_MS = Math.ceil(1000 / MAX_SNAPSHOTS_PER_S);
/** Snapshot bytes per second at most (JSON); the rest of the UI's IPC budget is for command answers. */
const MAX_SNAPSHOT_BYTES_PER_S = 150_000;
/** How long a command waits for the cluster to have a controller (just after start, or after a failure). */
const READY_TIMEOUT_MS = 15_000;
/** How long the UI's produce retries while leadership moves. */
const PRODUCE_RETRY_MS = 10_000;
/** Kafka errors a producer retries (the leader is moving or catching up). */
const RETRIABLE_PRODUCE_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.REQUEST_TIMED_OUT,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
]);

type CoreCommandName = (typeof CORE_COMMAND_NAMES)[number];
type CoreHandlers = Pick<EngineCommands, Exclude<CoreCommandName, 'restartEngine'>>;

export class Engine implements CoreHandlers {
  readonly clock: Clock;
  readonly random: Random;
  readonly cluster: Cluster;
  readonly config: ClusterConfig;
  private readonly store: MetadataStore;
  private readonly clusterId: string;
  private readonly storages = new Map<number, CrashableStorage>();
  /** Each broker's current log storage (replaced when the broker restarts). */
  private readonly logStorages = new Map<number, LogManagerBrokerStorage>();
  private snapshotSeq = 0;
  private dirty = true;
  private snapshotTimer: TimerHandle | null = null;
  private roundRobin = 0;
  private closed = false;
  readonly wire: WireServers | null;
  private listenerStatesKey = '';
  readonly observe: ObserveService;
  readonly consume: ConsumeService;
  /** Every command of the contract this engine serves (host-level ones excepted), for dispatch. */
  readonly commands: EngineCommands;
  private readonly storageListeners = new Set<(brokerId: number, event: StorageEvent) => void>();

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? new SystemClock();
    this.random = options.random ?? new SystemRandom();
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.config = defaultClusterConfig({ brokerCount: options.brokerCount ?? 3, basePort: options.basePort ?? 9092, ...options.clusterConfig });
    this.store = new MetadataStore({ path: path.join(options.dataDir, 'metadata.db'), nativeBinding: options.sqliteNativeBinding });
    const clusterId = this.store.clusterId(() => randomClusterId(this.random));
    this.clusterId = clusterId;
    const topicDefaults = this.config.topicDefaults;
    this.cluster = new Cluster({
      config: this.config,
      clock: this.clock,
      random: this.random,
      store: this.store,
      openStorage: (id) => {
        const storage = new CrashableStorage(new FsStorage(path.join(options.dataDir, `broker-${id}`)));
        this.storages.set(id, storage);
        const broker = () => this.cluster.broker(id);
        const logStorage = new LogManagerBrokerStorage({
          storage, dataDir: '', brokerId: id, clusterId, clock: this.clock, random: this.random, topicDefaults,
          configsOf: (topic) => broker().image.topics.get(topic)?.configs ?? {},
          highWatermarkOf: (topic, partition) => broker().replicaManager?.partition(topic, partition)?.highWatermark,
          syncCleaner: false,
          onCrash: () => storage.crash(),
          onEvent: (event) => {
            for (const l of this.storageListeners) l(id, event);
            this.markDirty();
          },
        });
        this.logStorages.set(id, logStorage);
        return logStorage;
      },
      validateBatch: validateProducedBatch,
      recompress: recompressProducedBatch,
      scanHeaders: scanBatchHeaders,
      validateTopicConfigs: (configs) => void validateTopicConfigs({ ...topicDefaults, ...configs }),
      resolveTopicConfig: (configs) => replicationConfig(effectiveTopicConfig(topicDefaults, configs)),
      onChange: () => this.markDirty(),
    });
    this.wire = options.listen ? new WireServers(this.cluster, this.clock, options.log) : null;
    this.observe = new ObserveService(this);
    this.consume = new ConsumeService(this);
    const core: CoreHandlers = {
      getCluster: (a) => this.getCluster(a),
      createTopic: (a) => this.createTopic(a),
      deleteTopic: (a) => this.deleteTopic(a),
      produce: (a) => this.produce(a),
      readMessages: (a) => this.readMessages(a),
      killBroker: (a) => this.killBroker(a),
      stopBroker: (a) => this.stopBroker(a),
      restartBroker: (a) => this.restartBroker(a),
      cutBroker: (a) => this.cutBroker(a),
      healBroker: (a) => this.healBroker(a),
    };
    this.commands = { ...core, ...this.observe.commands, ...this.consume.commands };
    this.cluster.start();
    this.reconcileListeners();
    if (options.onEvent) this.scheduleSnapshots();
  }

  /** The engine's data directory (the consume service writes exports under it). */
  get dataDir(): string {
    return this.options.dataDir;
  }

  /** Resolves once every live broker's listener has tried to open (see `wire.failures()`). */
  async listenersSettled(): Promise<void> {
    await this.wire?.reconcile();
  }

  /** Opens or closes Kafka listeners when broker states changed (a killed broker stops answering). */
  private reconcileListeners(): void {
    if (!this.wire || this.closed) return;
    const key = this.cluster.brokers.map((b) => b.state).join(',');
    if (key === this.listenerStatesKey) return;
    this.listenerStatesKey = key;
    void this.wire.reconcile().then(() => this.markDirty());
  }

  // ------------------------------------------------------------------ commands

  getCluster(_args?: ParsedArgs<'getCluster'>): ClusterSnapshot {
    return this.snapshot();
  }

  /** A broker's log storage while it is up (views read segments and the cleaner's state through it). */
  brokerStorage(id: number): LogManagerBrokerStorage | undefined {
    return this.cluster.broker(id).isUp ? this.logStorages.get(id) : undefined;
  }

  /** Retention and cleaner runs of every broker's logs, as they happen. */
  onStorageEvent(listener: (brokerId: number, event: StorageEvent) => void): () => void {
    this.storageListeners.add(listener);
    return () => this.storageListeners.delete(listener);
  }

  async createTopic(args: ParsedArgs<'createTopic'>): Promise<TopicView> {
    const req: M.CreateTopicsRequest = {
      type: 'create-topics',
      validateOnly: args.validateOnly ?? false,
      topics: [{ name: args.name, numPartitions: args.partitions, replicationFactor: args.replicationFactor, assignments: null, configs: args.configs ?? {} }],
    };
    const res = await this.controllerRequest<M.CreateTopicsResponse>(req);
    const r = res.results[0];
    if (r.errorCode !== ErrorCode.NONE) throw topicError(r.errorCode, r.errorMessage, args.name, this.cluster.brokers.length);
    if (args.validateOnly) {
      return { name: args.name, internal: false, replicationFactor: r.replicationFactor, configs: r.configs, partitionCount: r.numPartitions, partitions: [], sizeBytes: 0, underReplicated: 0, offline: 0 };
    }
    const image = await this.waitForImage((img) => img.topics.has(args.name));
    await this.waitUntil(() => this.leadersReady(args.name));
    this.markDirty();
    return topicView(image.topics.get(args.name)!, this.cluster);
  }

  async deleteTopic(args: ParsedArgs<'deleteTopic'>): Promise<{ name: string }> {
    const res = await this.controllerRequest<M.DeleteTopicsResponse>({ type: 'delete-topics', names: [args.name] });
    const r = res.results[0];
    if (r.errorCode !== ErrorCode.NONE) throw topicError(r.errorCode, r.errorMessage, args.name, this.cluster.brokers.length, 'name');
    this.markDirty();
    return { name: args.name };
  }

  async produce(args: ParsedArgs<'produce'>): Promise<CommandResults['produce']> {
    await this.ready();
    const topic = this.requireTopic(args.topic, 'topic');
    const key = args.key == null ? null : Buffer.from(args.key, 'utf8');
    const value = args.value === null ? null : Buffer.from(args.value, 'utf8');
    const headers = (args.headers ?? []).map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value, 'utf8') }));
    const partition = this.choosePartition(topic, args.partition ?? null, key);
    const deadline = this.clock.monotonicMs() + PRODUCE_RETRY_MS;
    for (;;) {
      const timestampMs = this.clock.nowMs();
      const batch = await buildBatch({ records: [{ key, value, headers, timestampMs }] });
      const result = await this.appendToLeader(topic.name, partition, batch);
      if (result.errorCode === ErrorCode.NONE) return { topic: topic.name, partition, offset: result.baseOffset, timestampMs: result.logAppendTimeMs >= 0 ? result.logAppendTimeMs : timestampMs };
      // Leadership moving or metadata still spreading: retry, as Kafka clients do.
      const retriable = RETRIABLE_PRODUCE_ERRORS.has(result.errorCode);
      if (!retriable || this.clock.monotonicMs() > deadline) throw produceError(result, topic.name, partition);
      await this.sleep(100);
    }
  }

  async readMessages(args: ParsedArgs<'readMessages'>): Promise<CommandResults['readMessages']> {
    await this.ready();
    const topic = this.requireTopic(args.topic, 'topic');
    this.requirePartition(topic, args.partition);
    const records: MessageView[] = [];
    let offset = args.fromOffset;
    let last: FetchPartitionResult | null = null;
    for (let round = 0; round < 100 && records.length < args.maxRecords; round++) {
      const r = await this.fetchFromLeader(topic.name, args.partition, offset);
      last = r;
      if (r.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
        throw new WorkbenchError(
          'OFFSET_OUT_OF_RANGE',
          `Offset ${offset} is outside partition ${args.partition} of "${topic.name}", which holds offsets ${r.logStartOffset} to ${Math.max(r.logStartOffset, r.highWatermark) - 1}. Start between them.`,
          'fromOffset',
        );
      }
      if (r.errorCode !== ErrorCode.NONE) throw leaderError(r.errorCode, topic.name, args.partition);
      if (!r.records || r.records.length === 0) break;
      for (const rec of await decodeRecords(r.records)) {
        if (rec.offset < offset) continue;
        if (records.length >= args.maxRecords) break;
        records.push({
          partition: args.partition, offset: rec.offset, timestampMs: rec.timestampMs,
          key: bytesView(rec.key), value: bytesView(rec.value),
          headers: rec.headers.map((h) => ({ key: h.key, value: bytesView(h.value) })),
        });
        offset = rec.offset + 1;
      }
      if (offset >= r.highWatermark) break;
    }
    const hw = last?.highWatermark ?? 0;
    return {
      records,
      logStartOffset: last?.logStartOffset ?? 0,
      highWatermark: hw,
      nextOffset: records.length > 0 ? records[records.length - 1].offset + 1 : args.fromOffset,
    };
  }

  killBroker(args: ParsedArgs<'killBroker'>): BrokerView {
    this.requireBroker(args.brokerId).kill();
    return this.brokerResult(args.brokerId);
  }

  async stopBroker(args: ParsedArgs<'stopBroker'>): Promise<BrokerView> {
    const b = this.requireBroker(args.brokerId);
    await new Promise<void>((resolve) => b.stop(resolve));
    return this.brokerResult(args.brokerId);
  }

  restartBroker(args: ParsedArgs<'restartBroker'>): BrokerView {
    this.requireBroker(args.brokerId);
    this.cluster.restart(args.brokerId);
    return this.brokerResult(args.brokerId);
  }

  cutBroker(args: ParsedArgs<'cutBroker'>): BrokerView {
    this.requireBroker(args.brokerId);
    this.cluster.cut(args.brokerId);
    return this.brokerResult(args.brokerId);
  }

  healBroker(args: ParsedArgs<'healBroker'>): BrokerView {
    this.requireBroker(args.brokerId);
    this.cluster.heal(args.brokerId);
    return this.brokerResult(args.brokerId);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Closes listeners, stops every broker cleanly (files flushed) and closes the metadata store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.snapshotTimer?.cancel();
    await this.consume.close();
    this.observe.close();
    await this.wire?.close();
    this.cluster.close();
    this.store.close();
  }

  // ------------------------------------------------------------------ internals

  private brokerResult(id: number): BrokerView {
    this.markDirty();
    return this.brokerViewOf(id, this.cluster.latestImage());
  }

  private brokerViewOf(id: number, image: MetadataImage | null): BrokerView {
    const listener = this.wire ? this.wire.state(id) : { listening: false as const, error: 'The Kafka listeners are off in this engine (started without listen).' };
    return brokerView(this.cluster.broker(id), this.cluster, image, listener);
  }

  private requireBroker(id: number) {
    if (id < 1 || id > this.cluster.brokers.length) {
      throw new WorkbenchError('BROKER_NOT_AVAILABLE', `There is no broker ${id}; this cluster has brokers 1 to ${this.cluster.brokers.length}.`, 'brokerId');
    }
    return this.cluster.broker(id);
  }

  private image(): MetadataImage | null {
    return this.cluster.latestImage();
  }

  private requireTopic(name: string, field: string): TopicImage {
    const topic = this.image()?.topics.get(name);
    if (!topic) throw new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${name}" does not exist. Create it first, or check the name.`, field);
    return topic;
  }

  private requirePartition(topic: TopicImage, partition: number): void {
    if (partition >= topic.partitions.length) {
      throw new WorkbenchError(
        'UNKNOWN_TOPIC_OR_PARTITION',
        `Topic "${topic.name}" has no partition ${partition}; its partitions are 0 to ${topic.partitions.length - 1}.`,
        'partition',
      );
    }
  }

  private choosePartition(topic: TopicImage, requested: number | null, key: Buffer | null): number {
    if (requested !== null) {
      this.requirePartition(topic, requested);
      return requested;
    }
    if (key !== null) return partitionForKey(key, topic.partitions.length);
    this.roundRobin = (this.roundRobin + 1) % topic.partitions.length;
    return this.roundRobin;
  }

  /** The broker currently leading a partition, as the freshest image says; null while offline. */
  private leaderBroker(topic: string, partition: number) {
    const p = this.image()?.topics.get(topic)?.partitions[partition];
    if (!p || p.leader === NO_LEADER) return null;
    const b = this.cluster.broker(p.leader);
    return b.isUp && b.replicaManager ? b : null;
  }

  private appendToLeader(topic: string, partition: number, batch: Buffer): Promise<ProduceResult> {
    const leader = this.leaderBroker(topic, partition);
    if (!leader) {
      return Promise.resolve({ topic, partition, errorCode: ErrorCode.LEADER_NOT_AVAILABLE, errorMessage: null, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [] });
    }
    return new Promise((resolve) => leader.replicaManager!.appendRecords(-1, 30_000, [{ topic, partition, records: batch }], (r) => resolve(r[0])));
  }

  private async fetchFromLeader(topic: string, partition: number, offset: number): Promise<FetchPartitionResult> {
    const deadline = this.clock.monotonicMs() + 5000;
    for (;;) {
      const leader = this.leaderBroker(topic, partition);
      if (leader) {
        const r = await new Promise<FetchPartitionResult>((resolve) =>
          leader.replicaManager!.fetchMessages(
            { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 4 << 20, partitions: [{ topic, partition, fetchOffset: offset, currentLeaderEpoch: -1, partitionMaxBytes: 1 << 20 }] },
            (res) => resolve(res[0]),
          ),
        );
        if (r.errorCode !== ErrorCode.NOT_LEADER_OR_FOLLOWER || this.clock.monotonicMs() > deadline) return r;
      } else if (this.clock.monotonicMs() > deadline) {
        return { topic, partition, errorCode: ErrorCode.LEADER_NOT_AVAILABLE, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, logEndOffset: -1, records: null };
      }
      await this.sleep(100);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimer(ms, resolve));
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

  /** Sends a request to the active controller, retrying while there is none (also used by the observe service). */
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

  /** Every partition of the topic is led by a broker that knows it leads it. */
  private leadersReady(topic: string): boolean {
    const t = this.image()?.topics.get(topic);
    if (!t) return false;
    return t.partitions.every((p) => p.leader === NO_LEADER || this.cluster.broker(p.leader).replicaManager?.partition(topic, p.partition)?.isLeader === true);
  }

  private async waitUntil(pred: () => boolean): Promise<void> {
    const deadline = this.clock.monotonicMs() + READY_TIMEOUT_MS;
    while (!pred()) {
      if (this.clock.monotonicMs() > deadline) throw new WorkbenchError('REQUEST_TIMED_OUT', 'The cluster did not apply the change in time. Check that the brokers are up.');
      await this.sleep(10);
    }
  }

  private waitForImage(pred: (img: MetadataImage) => boolean): Promise<MetadataImage> {
    return new Promise((resolve, reject) => {
      const deadline = this.clock.monotonicMs() + READY_TIMEOUT_MS;
      const check = () => {
        const img = this.image();
        if (img && pred(img)) return resolve(img);
        if (this.clock.monotonicMs() > deadline) return reject(new WorkbenchError('REQUEST_TIMED_OUT', 'The cluster did not publish the change in time.'));
        this.clock.setTimer(20, check);
      };
      check();
    });
  }

  private snapshot(): ClusterSnapshot {
    const image = this.image();
    return {
      seq: ++this.snapshotSeq,
      clusterId: this.clusterId,
      controllerId: this.cluster.activeController()?.id ?? null,
      brokers: this.cluster.brokers.map((b) => this.brokerViewOf(b.id, image)),
      topics: image ? [...image.topics.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((t) => topicView(t, this.cluster)) : [],
      observe: this.observe.snapshot(),
      consume: this.consume.snapshot(),
    };
  }

  /** Something the UI shows changed: the next snapshot tick publishes. */
  markDirty(): void {
    this.dirty = true;
    this.reconcileListeners();
  }

  private scheduleSnapshots(): void {
    const tick = (): void => {
      if (this.closed) return;
      let nextMs = SNAPSHOT_INTERVAL_MS;
      if (this.dirty) {
        this.dirty = false;
        const snapshot = this.snapshot();
        // A byte budget as well as a count: a big snapshot (hundreds of partitions)
        // waits longer for the next one, so the stream stays under the budget.
        nextMs = Math.max(SNAPSHOT_INTERVAL_MS, Math.ceil((JSON.stringify(snapshot).length / MAX_SNAPSHOT_BYTES_PER_S) * 1000));
        this.options.onEvent?.({ type: 'snapshot', snapshot });
      }
      this.snapshotTimer = this.clock.setTimer(nextMs, tick);
    };
    tick();
  }
}

function randomClusterId(random: Random): string {
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) bytes[i] = random.int(256);
  return bytes.toString('base64url');
}

/** A controller's topic refusal as the contract's error, on the field it concerns. */
function topicError(code: number, message: string | null, name: string, brokers: number, nameField = 'name'): WorkbenchError {
  const text = message ?? errorName(code);
  switch (code) {
    case ErrorCode.TOPIC_ALREADY_EXISTS:
      return new WorkbenchError('TOPIC_ALREADY_EXISTS', `Topic "${name}" already exists. Pick another name, or delete the existing topic first.`, nameField);
    case ErrorCode.INVALID_TOPIC_EXCEPTION:
      return new WorkbenchError('INVALID_TOPIC_EXCEPTION', text, nameField);
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
      return new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${name}" does not exist.`, nameField);
    case ErrorCode.INVALID_PARTITIONS:
      return new WorkbenchError('INVALID_PARTITIONS', text, 'partitions');
    case ErrorCode.INVALID_REPLICATION_FACTOR:
      return new WorkbenchError('INVALID_REPLICATION_FACTOR', `${text} Use at most ${brokers}, and only as many as there are brokers up.`, 'replicationFactor');
    case ErrorCode.INVALID_CONFIG:
      return new WorkbenchError('INVALID_CONFIG', text, 'configs');
    default:
      return new WorkbenchError('INVALID_REQUEST', text);
  }
}

function produceError(r: ProduceResult, topic: string, partition: number): WorkbenchError {
  switch (r.errorCode) {
    case ErrorCode.MESSAGE_TOO_LARGE:
      return new WorkbenchError('MESSAGE_TOO_LARGE', `${r.errorMessage ?? 'The message is too large.'} Send a smaller value, or raise max.message.bytes on "${topic}".`, 'value');
    case ErrorCode.INVALID_RECORD:
      return new WorkbenchError('INVALID_RECORD', r.recordErrors[0]?.message ?? r.errorMessage ?? 'The record was refused.', 'key');
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      return new WorkbenchError('NOT_ENOUGH_REPLICAS', `${r.errorMessage ?? 'Too few in-sync replicas.'} Restart the missing brokers, or lower min.insync.replicas.`);
    default:
      return leaderError(r.errorCode, topic, partition, r.errorMessage);
  }
}

function leaderError(code: number, topic: string, partition: number, detail: string | null = null): WorkbenchError {
  if (code === ErrorCode.LEADER_NOT_AVAILABLE || code === ErrorCode.NOT_LEADER_OR_FOLLOWER) {
    return new WorkbenchError('LEADER_NOT_AVAILABLE', `Partition ${partition} of "${topic}" has no leader right now: its in-sync replicas are down. Restart one of them and try again.`);
  }
  if (code === ErrorCode.REQUEST_TIMED_OUT) return new WorkbenchError('REQUEST_TIMED_OUT', `The write to partition ${partition} of "${topic}" was not replicated in time. Check that its followers are up.`);
  return new WorkbenchError('UNKNOWN_SERVER_ERROR', `${errorName(code)}: ${detail ?? 'the broker refused the request.'}`);
}
