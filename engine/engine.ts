/**
 * The composition root: a real cluster of brokers (cluster/), its Kafka listeners
 * (wire/), the ports that reach into it (cluster-ports.ts), the services by domain
 * (brokers, topics, records, groups, metrics) and the command table the contract's
 * dispatch calls. Only the hosts (engine/host, electron through it) create an Engine.
 *
 * Data dir layout:
 *   metadata.db            cluster metadata (SQLite; the quorum's store)
 *   lessons.db             lesson progress (SQLite; engine/lessons/progress-store.ts)
 *   broker-<id>/           each broker's Kafka data directory: meta.properties,
 *                          checkpoint files, <topic>-<partition>/ segment directories
 *   exports/               files written by the records service's exports
 *
 * The UI is a client like any other: its produce goes to the partition's leader
 * through the same replica manager path a Kafka client's Produce takes (validation,
 * acks, idempotence), and its reads go to the same leader's log, up to the high
 * watermark (stored bytes decoded only for display).
 *
 * Snapshots: any change marks the engine dirty; a timer publishes at most one
 * snapshot per SNAPSHOT_INTERVAL_MS (≤ 10 per second) and only when dirty, whatever
 * the message rate; a large snapshot delays the next one so that snapshots stay
 * under MAX_SNAPSHOT_BYTES_PER_S. A snapshot is the cluster view plus one section per
 * domain that has live figures.
 *
 * Adding a domain: a folder with its service (and index.ts), its part of the contract
 * (api/<domain>/), and one line each in `commands` and, if it has live figures,
 * `snapshot()` below.
 *
 * Invariants: a command that throws changed nothing; snapshot seq strictly increases.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClusterSnapshot, EngineEvent } from './api/contract';
import { MAX_SNAPSHOTS_PER_S } from './api/contract';
import { dispatch, type EngineCommands } from './api/dispatch';
import { BrokersService, brokerDataDir, failureView } from './brokers';
import type { StorageEvent } from './cluster/broker-storage';
import { LogManagerBrokerStorage } from './cluster/broker-storage';
import { Cluster } from './cluster/cluster';
import { defaultClusterConfig, type ClusterConfig } from './cluster/config';
import { CrashableStorage } from './cluster/crashable-storage';
import { effectiveTopicConfig, replicationConfig, recompressProducedBatch, scanBatchHeaders, validateProducedBatch } from './cluster/log-adapter';
import { MetadataStore } from './cluster/metadata-store';
import { ClusterPorts } from './cluster-ports';
import { GroupsService } from './groups';
import { LessonProgressStore, LessonsService } from './lessons';
import { MetricsService } from './metrics';
import { LeaderIo } from './ports';
import { RecordsService } from './records';
import { FsStorage } from './storage/fs-storage';
import { validateTopicConfigs } from './storage/topic-config';
import { errorName } from './protocol/errors';
import { TopicsService } from './topics';
import { SystemClock, type Clock, type TimerHandle } from './util/clock';
import { SystemRandom, type Random } from './util/random';
import { WireServers } from './wire/wire-servers';

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

export class Engine {
  readonly clock: Clock;
  readonly random: Random;
  readonly cluster: Cluster;
  readonly config: ClusterConfig;
  readonly wire: WireServers | null;
  /** The ports the services reach the cluster through. */
  readonly ports: ClusterPorts;
  /** The one leader-I/O port every service reads and writes through. */
  readonly io: LeaderIo;
  readonly brokers: BrokersService;
  readonly topics: TopicsService;
  readonly records: RecordsService;
  readonly groups: GroupsService;
  readonly metrics: MetricsService;
  readonly lessons: LessonsService;
  /** Every command of the contract this engine serves (host-level ones excepted), for dispatch. */
  readonly commands: EngineCommands;
  private readonly store: MetadataStore;
  private readonly clusterId: string;
  private readonly storages = new Map<number, CrashableStorage>();
  /** Each broker's current log storage (replaced when the broker restarts). */
  private readonly logStorages = new Map<number, LogManagerBrokerStorage>();
  private readonly storageListeners = new Set<(brokerId: number, event: StorageEvent) => void>();
  private snapshotSeq = 0;
  private dirty = true;
  private snapshotTimer: TimerHandle | null = null;
  private closed = false;
  private listenerStatesKey = '';

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? new SystemClock();
    this.random = options.random ?? new SystemRandom();
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.config = defaultClusterConfig({ brokerCount: options.brokerCount ?? 3, basePort: options.basePort ?? 9092, ...options.clusterConfig });
    this.store = new MetadataStore({ path: path.join(options.dataDir, 'metadata.db'), nativeBinding: options.sqliteNativeBinding });
    const clusterId = this.store.clusterId(() => randomClusterId(this.random));
    this.clusterId = clusterId;
    this.cluster = new Cluster({
      config: this.config,
      clock: this.clock,
      random: this.random,
      store: this.store,
      openStorage: (id) => {
        const storage = new CrashableStorage(new FsStorage(brokerDataDir(options.dataDir, id)));
        this.storages.set(id, storage);
        const broker = () => this.cluster.broker(id);
        const logStorage = new LogManagerBrokerStorage({
          storage, dataDir: '', brokerId: id, clusterId, clock: this.clock, random: this.random, topicDefaults: () => broker().topicDefaults,
          configsOf: (topic) => broker().image.topics.get(topic)?.configs ?? {},
          highWatermarkOf: (topic, partition) => broker().replicaManager?.partition(topic, partition)?.highWatermark,
          syncCleaner: false,
          onCrash: () => storage.crash(),
          onAbandon: () => storage.abandon(),
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
      validateTopicConfigs: (configs) => void validateTopicConfigs(configs),
      resolveTopicConfig: (defaults, configs) => replicationConfig(effectiveTopicConfig(defaults, configs)),
      onChange: () => this.markDirty(),
      onTruncated: (brokerId, topic, partition, fromOffset, toOffset) => {
        this.metrics?.recordEvent({ kind: 'truncated', atMs: this.clock.nowMs(), brokerId, topic, partition, fromOffset, toOffset });
      },
      onProduceRefused: (_brokerId, topic, partition, errorCode, message) => {
        this.metrics?.recordEvent({ kind: 'produce-refused', atMs: this.clock.nowMs(), topic, partition, errorName: errorName(errorCode), message: message ?? '' });
      },
      onFailure: (id, failure) => {
        const v = failureView(id, failure, options.dataDir);
        options.log?.(`${v.reason} ${v.nextStep}`);
        this.markDirty();
      },
    });
    this.wire = options.listen ? new WireServers(this.cluster, this.clock, { log: options.log, logDir: (id) => brokerDataDir(options.dataDir, id) }) : null;

    // The services, each given only the ports it needs.
    const changed = (): void => this.markDirty();
    const clock = this.clock;
    const ports = new ClusterPorts({ cluster: this.cluster, config: this.config, clock, logStorages: this.logStorages, storageListeners: this.storageListeners, wire: this.wire });
    this.ports = ports;
    this.io = new LeaderIo(ports, clock);
    this.brokers = new BrokersService({ cluster: this.cluster, listeners: ports, snapshot: () => this.snapshot(), changed, dataDir: options.dataDir, state: ports, controller: ports, clock });
    const states = {
      brokerStates: () => this.cluster.brokers.map((b) => ({ id: b.id, state: b.state === 'up' && this.cluster.isCut(b.id) ? ('cut' as const) : b.state })),
      controllerId: () => this.cluster.activeController()?.id ?? null,
    };
    this.metrics = new MetricsService({ cluster: ports, counters: ports, storage: ports, clock, changed, states });
    this.groups = new GroupsService({ cluster: ports, coordinators: ports, io: this.io, listeners: ports, clock, changed });
    this.records = new RecordsService({ cluster: ports, io: this.io, storage: ports, clock, random: this.random, exportsDir: path.join(options.dataDir, 'exports'), changed });
    this.topics = new TopicsService({
      cluster: ports, controller: ports, io: this.io, replicas: ports,
      history: this.metrics, groups: this.groups, views: this.brokers, clock, changed,
    });
    const lessonsDb = path.join(options.dataDir, 'lessons.db');
    const freshDataDir = !fs.existsSync(lessonsDb) && this.store.listTopics().every((t) => t.internal);
    this.lessons = new LessonsService({
      cluster: ports, replicas: ports, groups: this.groups, history: this.metrics, states,
      topics: this.topics.commands, records: this.records.commands,
      store: new LessonProgressStore({ path: lessonsDb, nativeBinding: options.sqliteNativeBinding }),
      bootstrap: () => `localhost:${this.config.basePort}`,
      freshDataDir, clock, changed, log: options.log,
    });
    this.commands = { ...this.brokers.commands, ...this.topics.commands, ...this.records.commands, ...this.groups.commands, ...this.metrics.commands, ...this.lessons.commands };

    this.cluster.start();
    this.reconcileListeners();
    if (options.onEvent) this.scheduleSnapshots();
  }

  /** The engine's data directory. */
  get dataDir(): string {
    return this.options.dataDir;
  }

  /** Validates and runs one contract call (what a host's transport hands in). */
  call(method: unknown, args: unknown): Promise<unknown> {
    return dispatch(this.commands, method, args);
  }

  /** The whole cluster as the contract shows it, now (what getCluster answers). */
  snapshot(): ClusterSnapshot {
    return {
      seq: ++this.snapshotSeq,
      clusterId: this.clusterId,
      ...this.brokers.view(),
      metadataProblem: this.metadataProblem(),
      records: this.records.snapshot(),
      groups: this.groups.snapshot(),
      metrics: this.metrics.snapshot(),
      lessons: this.lessons.snapshot(),
    };
  }

  /** The metadata store's write failure as a person reads it, or null. */
  private metadataProblem(): string | null {
    const f = this.store.lastWriteFailure;
    if (!f) return null;
    return `The cluster metadata (${path.join(this.options.dataDir, 'metadata.db')}) cannot be written: ${f.message} (${f.sqliteCode}). Until space is freed on that disk, topics cannot be created or changed and leaders cannot move; the cluster retries by itself.`;
  }

  /** Resolves once every live broker's listener has tried to open (see `wire.failures()`). */
  async listenersSettled(): Promise<void> {
    await this.wire?.reconcile();
  }

  /** Something the UI shows changed: the next snapshot tick publishes. */
  markDirty(): void {
    this.dirty = true;
    this.reconcileListeners();
  }

  /** Closes listeners, stops every broker cleanly (files flushed) and closes the metadata store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.snapshotTimer?.cancel();
    this.records.close();
    await this.groups.close();
    this.lessons.close();
    this.metrics.close();
    await this.wire?.close();
    this.cluster.close();
    this.store.close();
  }

  /** Opens or closes Kafka listeners when broker states changed (a killed broker stops answering). */
  private reconcileListeners(): void {
    if (!this.wire || this.closed) return;
    const key = this.cluster.brokers.map((b) => b.state).join(',');
    if (key === this.listenerStatesKey) return;
    this.listenerStatesKey = key;
    void this.wire.reconcile().then(() => this.markDirty());
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
