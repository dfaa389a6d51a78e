/**
 * One broker: its storage, its replicas, its followers' fetch loops, its session with
 * the metadata quorum, its copy of the metadata image, and — when elected — the
 * controller. Brokers talk to each other and to the quorum only over the Network.
 *
 * Lifecycle: start (recover logs, register with the quorum, fetch metadata) → up →
 * stop (controlled shutdown: leadership moves away first, then logs are flushed and
 * closed) or kill (everything stops at once; with fault-injecting storage, unsynced
 * bytes are lost) or fail (a disk error: as Kafka stops when its only log directory
 * fails, the broker stops on its own; it first tells the quorum, so the controller
 * moves its leaderships and takes it out of every ISR at once rather than after a
 * session timeout, and it keeps every byte it wrote: a full disk is not a power
 * loss). `lastFailure` says which error on which file, for the UI and the logs.
 * A killed, failed or stopped broker can start again with the same storage.
 *
 * Loops, each a timer on the injected Clock: heartbeat (broker.heartbeat.interval.ms),
 * metadata fetch (long-polled at the controller), ISR shrink check
 * (replica.lag.time.max.ms / 2), HW checkpoint, retention and cleaner checks.
 *
 * Invariants: a broker acts on metadata images in version order; at most one
 * heartbeat and one metadata fetch in flight; every timer stops when the broker does.
 */
import { ErrorCode } from '../protocol/errors';
import { StorageError } from '../storage/errors';
import { StorageIOError } from '../storage/storage';
import { assert } from '../util/assert';
import type { Clock, TimerHandle } from '../util/clock';
import type { Random } from '../util/random';
import { BrokerGroups } from './broker-groups';
import type { ClusterConfig } from './config';
import type { DiskSpace } from '../storage/storage';
import { DiskSpaceGuard, lowSpaceMessage } from './disk-guard';
import { Controller, type TopicConfigValidator } from './controller';
import * as M from './messages';
import { NO_LEADER, emptyImage, type MetadataImage, type PartitionState } from './metadata-image';
import { effectiveTopicDefaults, type DynamicBrokerConfigs } from './broker-configs';
import type { MetadataStore } from './metadata-store';
import { RpcEndpoint, type Network } from './network';
import type { Partition } from './partition';
import { ReplicaFetcherManager, type BatchHeaderScanner } from './replica-fetcher';
import type { ReplicaLog } from './replica-log';
import { ReplicaManager, type BatchRecompressor, type BatchValidator, type EffectiveTopicConfig } from './replica-manager';

export type BrokerState = 'starting' | 'up' | 'stopping' | 'stopped' | 'killed' | 'failed';

/** Why a broker stopped on its own. */
export interface BrokerFailure {
  atMs: number;
  /** The error as the platform put it ("ENOSPC: no space left on device, write"). */
  message: string;
  /** ENOSPC, EIO, EROFS, … when known. */
  errno: string | null;
  /** The file or directory it concerns, relative to the broker's data directory, when known. */
  path: string | null;
}

/** The broker's disk: partition logs plus broker-level checkpoints (storage/log-manager). */
export interface BrokerStorage {
  openLog(topic: string, partition: number, topicId: string, configs: Readonly<Record<string, string>>): { log: ReplicaLog; highWatermark: number };
  deleteLog(topic: string, partition: number): void;
  /** The topic's configs changed: apply them to its open logs. */
  updateConfigs(topic: string, configs: Readonly<Record<string, string>>): void;
  checkpointHighWatermarks(hws: { topic: string; partition: number; highWatermark: number }[]): void;
  runRetention(nowMs: number): void;
  runCleaner(nowMs: number): void;
  flushDue(nowMs: number): void;
  /** Clean shutdown: everything flushed, a clean-shutdown marker written. */
  close(): void;
  /** Crash: stop without flushing; fault-injecting storage drops unsynced bytes. */
  crash(): void;
  /** The broker gave up after a disk error: close without flushing, keep every byte written. */
  abandon(): void;
  /** Free space of the disk holding the logs, or null when unknown. */
  diskSpace(): DiskSpace | null;
  /** Deletes logs on disk for which `keep` is false (topics deleted while this broker was down). */
  removeStrayLogs(keep: (topic: string, partition: number) => boolean): void;
}

export interface BrokerDeps {
  id: number;
  host: string;
  port: number;
  clock: Clock;
  random: Random;
  config: ClusterConfig;
  network: Network;
  /** The quorum's store, for the controller role (writes are fenced by controller epoch). */
  store: MetadataStore;
  openStorage: () => BrokerStorage;
  validateBatch: BatchValidator;
  recompress?: BatchRecompressor;
  scanHeaders: BatchHeaderScanner;
  validateTopicConfigs: TopicConfigValidator;
  /** A topic's configs in effect: its own over the broker's topic config defaults. */
  resolveTopicConfig: (topicDefaults: Readonly<Record<string, string>>, configs: Readonly<Record<string, string>>) => EffectiveTopicConfig;
  onChange: () => void;
  /** Every metadata image the controller publishes (while this broker is controller). */
  onControllerPublish?: (image: MetadataImage) => void;
  /** A replica on this broker became leader (true) or stopped leading (false). */
  onLeadershipChange?: (brokerId: number, p: Partition, isLeader: boolean) => void;
  /** The broker stopped on its own after a disk error. */
  onFailure?: (brokerId: number, failure: BrokerFailure) => void;
  /** A follower replica cut its log back (epoch truncation) from `fromOffset` to `toOffset`. */
  onTruncated?: (brokerId: number, topic: string, partition: number, fromOffset: number, toOffset: number) => void;
  /** A produce to a partition this broker leads was refused (bad records, too large, disk, too few replicas). */
  onProduceRefused?: (brokerId: number, topic: string, partition: number, errorCode: number, message: string | null) => void;
}

export class Broker {
  state: BrokerState = 'stopped';
  brokerEpoch = 0;
  /** Who the quorum says is controller, as last heard. */
  knownControllerId = NO_LEADER;
  knownControllerEpoch = 0;
  image: MetadataImage;
  controller: Controller | null = null;
  replicaManager: ReplicaManager | null = null;
  groups: BrokerGroups | null = null;
  /** The free-space guard of this broker's disk (while up). */
  diskGuard: DiskSpaceGuard | null = null;
  private fetchers: ReplicaFetcherManager | null = null;
  private storage: BrokerStorage | null = null;
  private rpc: RpcEndpoint | null = null;
  private readonly timers = new Set<TimerHandle>();
  private heartbeatInFlight = false;
  private metadataInFlight = false;
  /** Bumped when the controller changes: a fetch still waiting at the old one is abandoned. */
  private metadataGeneration = 0;
  private lastHeartbeatOkMs = 0;
  private topicConfigCache = new Map<string, { configs: Readonly<Record<string, string>>; defaults: Readonly<Record<string, string>>; effective: EffectiveTopicConfig }>();
  private defaultsCache: { dynamic: DynamicBrokerConfigs; defaults: Readonly<Record<string, string>> } | null = null;
  /** Why the broker last stopped on its own (a disk failure), for the UI; cleared by a start. */
  lastFailure: BrokerFailure | null = null;

  constructor(private readonly deps: BrokerDeps) {
    this.image = emptyImage('');
  }

  /** Free and total bytes of the disk holding this broker's logs (null: down, or unknown). */
  diskSpace(): DiskSpace | null {
    return this.storage?.diskSpace() ?? null;
  }

  get id(): number {
    return this.deps.id;
  }

  get isUp(): boolean {
    return this.state === 'up';
  }

  /** Stopped, killed or failed: not running, may be started. */
  get isDown(): boolean {
    return this.state === 'stopped' || this.state === 'killed' || this.state === 'failed';
  }

  get endpoint(): RpcEndpoint | null {
    return this.rpc;
  }

  // ------------------------------------------------------------------ lifecycle

  start(): void {
    assert(this.isDown, () => `broker ${this.id} cannot start from ${this.state}`);
    this.state = 'starting';
    this.lastFailure = null;
    this.image = emptyImage('');
    this.brokerEpoch = 0;
    this.knownControllerId = NO_LEADER;
    this.topicConfigCache.clear();
    let storage: BrokerStorage;
    try {
      storage = this.deps.openStorage();
    } catch (err) {
      // Recovery itself needs the disk (a full one cannot even take a checkpoint).
      if (!isDiskFailure(err)) throw err;
      this.recordFailure(err);
      this.state = 'failed';
      this.deps.onChange();
      return;
    }
    this.storage = storage;
    const guard = new DiskSpaceGuard(() => storage.diskSpace(), this.deps.clock, this.deps.config.storageMinFreeBytes);
    guard.sample(true);
    this.diskGuard = guard;
    const rpc = new RpcEndpoint(
      this.deps.network, this.deps.clock, M.brokerNode(this.id),
      (from, body, reply) => this.guard(() => this.onRequest(from, body as M.BrokerRequest, reply)),
      (_from, body) => this.onOneway(body as M.BrokersChanged),
    );
    this.rpc = rpc;
    this.groups = new BrokerGroups(this.id, this.deps.clock, this.deps.random, this.deps.config, () => this.replicaManager);
    const rm = new ReplicaManager({
      brokerId: this.id,
      clock: this.deps.clock,
      config: this.deps.config,
      validateBatch: this.deps.validateBatch,
      recompress: this.deps.recompress,
      topicConfig: (topic) => this.topicConfig(topic),
      openLog: (topic, partition, topicId) => storage.openLog(topic, partition, topicId, this.image.topics.get(topic)?.configs ?? {}),
      deleteLog: (topic, partition) => storage.deleteLog(topic, partition),
      alterPartition: (p, newIsr, done) => this.sendAlterPartition(p, newIsr, done),
      onFollowerChange: (p, leaderId) => this.fetchers?.setLeader(p, leaderId),
      refuseWrite: (topic) => {
        if (this.image.topics.get(topic)?.internal) return null;
        return guard.refusesWrites() ? lowSpaceMessage(this.id, guard.status!) : null;
      },
      onAppend: (_p, bytes) => guard.noteAppended(bytes),
      onProduceRefused: (topic, partition, errorCode, message) => this.deps.onProduceRefused?.(this.id, topic, partition, errorCode, message),
      onDiskFailure: (err) => this.guard(() => {
        throw err;
      }),
      onLeadershipChange: (p, isLeader) => {
        this.groups?.onLeadershipChange(p, isLeader);
        this.deps.onLeadershipChange?.(this.id, p, isLeader);
      },
      onChange: this.deps.onChange,
    });
    this.replicaManager = rm;
    this.fetchers = new ReplicaFetcherManager(
      this.id, () => this.brokerEpoch, this.deps.clock, this.deps.config, rpc, rm, this.deps.scanHeaders,
      (p, fromOffset, toOffset) => {
        this.deps.onTruncated?.(this.id, p.topic, p.partition, fromOffset, toOffset);
        this.deps.onChange();
      },
      (fn) => this.guard(fn),
    );
    this.heartbeat();
    this.every(Math.max(50, Math.floor(this.deps.config.replicaLagTimeMaxMs / 2)), () => rm.checkIsrShrink());
    this.every(this.deps.config.highWatermarkCheckpointIntervalMs, () => this.checkpointHighWatermarks());
    this.every(this.deps.config.logRetentionCheckIntervalMs, () => storage.runRetention(this.deps.clock.nowMs()));
    this.every(this.deps.config.logCleanerBackoffMs, () => storage.runCleaner(this.deps.clock.nowMs()));
    this.every(1000, () => storage.flushDue(this.deps.clock.nowMs()));
    this.every(1000, () => {
      if (guard.sample()) this.deps.onChange();
    });
    this.deps.onChange();
  }

  /** Controlled shutdown: moves leadership away (bounded wait), then closes cleanly. */
  stop(done: () => void = () => undefined): void {
    if (this.state !== 'up' && this.state !== 'starting') {
      done();
      return;
    }
    this.state = 'stopping';
    this.deps.onChange();
    const deadline = this.deps.clock.monotonicMs() + this.deps.config.controlledShutdownTimeoutMs;
    const attempt = (): void => {
      if (this.state !== 'stopping') return done();
      const finish = () => {
        this.rpc?.request(M.QUORUM_NODE, { type: 'deregister', brokerId: this.id, brokerEpoch: this.brokerEpoch } satisfies M.DeregisterRequest, 1000, () => {
          this.halt('clean');
          done();
        });
      };
      if (this.brokerEpoch === 0) return finish();
      const req: M.ControlledShutdownRequest = { type: 'controlled-shutdown', brokerId: this.id, brokerEpoch: this.brokerEpoch };
      const onReply = (errorCode: number, remaining: number) => {
        if (errorCode === ErrorCode.NONE && remaining === 0) return finish();
        if (this.deps.clock.monotonicMs() >= deadline) return finish();
        this.later(200, attempt);
      };
      if (this.controller?.isActive) {
        this.controller.handle(req, (r) => {
          const res = r as M.ControlledShutdownResponse;
          onReply(res.errorCode, res.remainingLeaders);
        });
        return;
      }
      if (this.knownControllerId === NO_LEADER) return finish();
      this.rpc!.request<M.ControlledShutdownResponse>(M.brokerNode(this.knownControllerId), req, this.deps.config.interBrokerRequestTimeoutMs, (res) => {
        if (res.ok) onReply(res.value.errorCode, res.value.remainingLeaders);
        else onReply(ErrorCode.REQUEST_TIMED_OUT, 1);
      });
    };
    attempt();
  }

  /** Clean close without handing leadership over (the whole app is closing). */
  stopNow(): void {
    if (this.isDown) return;
    this.halt('clean');
  }

  /** Crash: stops at once; nothing is flushed or handed over. */
  kill(): void {
    if (this.isDown) return;
    this.halt('crash');
  }

  /**
   * How the broker stops: 'clean' flushes and closes its logs; 'crash' is a machine
   * failure (fault-injecting storage drops what was not fsynced); 'failed' is the
   * broker giving up after a disk error: it deregisters at once (the controller
   * fences it), and its files are closed as they are, nothing flushed and nothing cut.
   */
  private halt(mode: 'clean' | 'crash' | 'failed'): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.controller?.resign();
    this.controller = null;
    this.groups?.close();
    this.groups = null;
    this.fetchers?.close();
    this.fetchers = null;
    this.replicaManager?.close();
    if (mode === 'clean' && !this.closeCleanly(() => this.checkpointHighWatermarks())) mode = 'failed';
    this.replicaManager = null;
    if (mode === 'failed' && this.rpc && this.brokerEpoch !== 0) {
      // The answer does not matter (and cannot arrive: the endpoint closes next).
      this.rpc.request(M.QUORUM_NODE, { type: 'deregister', brokerId: this.id, brokerEpoch: this.brokerEpoch } satisfies M.DeregisterRequest, 1000, () => undefined);
    }
    this.rpc?.close();
    this.rpc = null;
    this.diskGuard = null;
    if (mode === 'crash') this.storage?.crash();
    else if (mode === 'failed') this.storage?.abandon();
    else if (!this.closeCleanly(() => this.storage?.close())) {
      this.storage?.abandon();
      mode = 'failed';
    }
    this.storage = null;
    this.heartbeatInFlight = false;
    this.metadataInFlight = false;
    this.state = mode === 'crash' ? 'killed' : mode === 'failed' ? 'failed' : 'stopped';
    this.deps.onChange();
  }

  // ------------------------------------------------------------------ timers

  private later(delayMs: number, fn: () => void): void {
    const handle = this.deps.clock.setTimer(delayMs, () => {
      this.timers.delete(handle);
      this.guard(fn);
    });
    this.timers.add(handle);
  }

  /**
   * Runs `fn`; a disk failure inside it (KAFKA_STORAGE_ERROR, an I/O error) stops the
   * broker, as Kafka stops when its only log directory goes offline. Other errors pass.
   */
  guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (!isDiskFailure(err)) throw err;
      this.failOnDisk(err);
    }
  }

  /**
   * A disk error: the broker stops on its own. The halt comes on the next timer tick
   * (the failing call may be deep inside replication code that must unwind first);
   * until then the log that failed refuses every write.
   */
  failOnDisk(err: unknown): void {
    if (this.isDown || this.lastFailure) return;
    this.recordFailure(err);
    const incarnation = this.rpc;
    this.deps.clock.setTimer(0, () => {
      if (this.rpc === incarnation && !this.isDown) this.halt('failed');
    });
  }

  /**
   * A step of a clean close (checkpoints, flushes). On a full or failing disk it cannot
   * finish: the failure is recorded and the broker closes as after a disk error, its
   * files kept as they are (the next start recovers them).
   */
  private closeCleanly(step: () => void): boolean {
    try {
      step();
      return true;
    } catch (err) {
      if (!isDiskFailure(err)) throw err;
      if (!this.lastFailure) this.recordFailure(err);
      return false;
    }
  }

  private recordFailure(err: unknown): void {
    const io = rootIOError(err);
    this.lastFailure = {
      atMs: this.deps.clock.nowMs(),
      message: io?.message ?? (err instanceof Error ? err.message : String(err)),
      errno: io?.errno ?? null,
      path: io && io.path !== '' ? io.path : null,
    };
    this.deps.onFailure?.(this.id, this.lastFailure);
  }

  /**
   * Runs `fn` every `intervalMs`. The first run is staggered by broker id, so that the
   * brokers of one process do not all write their checkpoints (fsyncs) in the same
   * instant and stall the event loop together.
   */
  private every(intervalMs: number, fn: () => void): void {
    const tick = () => {
      if (this.state !== 'up' && this.state !== 'starting' && this.state !== 'stopping') return;
      fn();
      this.later(intervalMs, tick);
    };
    const phase = (this.id % this.deps.config.brokerCount) / this.deps.config.brokerCount;
    this.later(Math.round(intervalMs * (1 + phase)), tick);
  }

  // ------------------------------------------------------------------ quorum session

  private heartbeat(): void {
    if (!this.rpc || this.heartbeatInFlight) return;
    this.heartbeatInFlight = true;
    const req: M.HeartbeatRequest = { type: 'heartbeat', brokerId: this.id, brokerEpoch: this.brokerEpoch, host: this.deps.host, port: this.deps.port };
    this.rpc.request<M.HeartbeatResponse>(M.QUORUM_NODE, req, this.deps.config.brokerHeartbeatIntervalMs * 2, (res) => {
      this.heartbeatInFlight = false;
      if (!this.rpc) return;
      if (res.ok) {
        const r = res.value;
        if (r.errorCode === ErrorCode.STALE_BROKER_EPOCH) {
          // The quorum expired our session (we were cut off or too slow): register again.
          this.brokerEpoch = 0;
        } else if (r.errorCode === ErrorCode.NONE) {
          const registered = this.brokerEpoch === 0;
          this.brokerEpoch = r.brokerEpoch;
          this.lastHeartbeatOkMs = this.deps.clock.monotonicMs();
          this.onControllerInfo(r.controllerId, r.controllerEpoch, r.liveBrokers);
          if (registered) {
            if (this.state === 'starting') this.state = 'up';
            this.fetchMetadata();
            this.deps.onChange();
          }
        }
      } else if (this.deps.clock.monotonicMs() - this.lastHeartbeatOkMs > this.deps.config.brokerSessionTimeoutMs) {
        // We cannot reach the quorum: whatever we were, another broker may now control the cluster.
        this.controller?.resign();
        this.controller = null;
      }
      this.later(this.brokerEpoch === 0 ? 50 : this.deps.config.brokerHeartbeatIntervalMs, () => this.heartbeat());
    });
  }

  private onOneway(body: M.BrokersChanged): void {
    if (body.type !== 'brokers-changed') return;
    this.onControllerInfo(this.id, body.controllerEpoch, body.liveBrokers);
  }

  private onControllerInfo(controllerId: number, controllerEpoch: number, liveBrokers: M.HeartbeatResponse['liveBrokers']): void {
    if (controllerEpoch < this.knownControllerEpoch) return;
    const changed = controllerId !== this.knownControllerId || controllerEpoch !== this.knownControllerEpoch;
    this.knownControllerId = controllerId;
    this.knownControllerEpoch = controllerEpoch;
    if (this.controller && (controllerId !== this.id || this.controller.controllerEpoch !== controllerEpoch)) {
      this.controller.resign();
      this.controller = null;
    }
    if (controllerId === this.id && !this.controller && liveBrokers) {
      const controller = new Controller(
        this.id, controllerEpoch, this.deps.store, this.deps.clock, this.deps.random, this.deps.config,
        this.deps.validateTopicConfigs, liveBrokers, this.image.version, (image) => this.deps.onControllerPublish?.(image),
      );
      // It may have stepped down at once: a newer controller was elected meanwhile.
      this.controller = controller.isActive ? controller : null;
    } else if (this.controller && liveBrokers) {
      this.controller.onLiveBrokers(liveBrokers);
    }
    if (changed) {
      this.metadataGeneration++;
      this.metadataInFlight = false;
      this.fetchMetadata();
      this.deps.onChange();
    }
  }

  // ------------------------------------------------------------------ metadata

  private fetchMetadata(): void {
    if (!this.rpc || this.metadataInFlight || this.brokerEpoch === 0 || this.knownControllerId === NO_LEADER) return;
    this.metadataInFlight = true;
    const generation = this.metadataGeneration;
    const controllerId = this.knownControllerId;
    const req: M.FetchMetadataRequest = {
      type: 'fetch-metadata', brokerId: this.id, sinceVersion: this.image.version,
      sinceControllerEpoch: this.image.controllerEpoch, maxWaitMs: this.deps.config.metadataFetchWaitMs,
    };
    const onReply = (r: M.FetchMetadataResponse | null) => {
      if (generation !== this.metadataGeneration) return; // abandoned: the controller changed
      this.metadataInFlight = false;
      if (!this.rpc) return;
      // Applying an image opens logs (a disk failure here stops the broker like any other).
      if (r && r.errorCode === ErrorCode.NONE && r.image) this.guard(() => this.applyImage(r.image!));
      if (!this.rpc || this.lastFailure) return;
      const retryMs = r && r.errorCode === ErrorCode.NONE ? 0 : this.deps.config.replicaFetchBackoffMs;
      this.later(retryMs, () => this.fetchMetadata());
    };
    if (controllerId === this.id && this.controller) {
      this.controller.handle(req, (r) => onReply(r as M.FetchMetadataResponse));
      return;
    }
    this.rpc.request<M.FetchMetadataResponse>(M.brokerNode(controllerId), req, this.deps.config.metadataFetchWaitMs + this.deps.config.interBrokerRequestTimeoutMs, (res) => onReply(res.ok ? res.value : null));
  }

  private applyImage(image: MetadataImage): void {
    const newer = image.controllerEpoch > this.image.controllerEpoch || (image.controllerEpoch === this.image.controllerEpoch && image.version > this.image.version);
    if (!newer) return;
    const previous = this.image;
    this.image = image;
    // A dynamic broker config changed: every topic's defaults may have, at once (Kafka's
    // DynamicLogConfig reconfigures every log that has no override of its own).
    const defaultsChanged = previous.brokerConfigs !== image.brokerConfigs;
    for (const t of image.topics.values()) {
      const old = previous.topics.get(t.name);
      if (!old || old.configs !== t.configs || defaultsChanged) {
        this.topicConfigCache.delete(t.name);
        this.storage?.updateConfigs(t.name, t.configs);
      }
    }
    if (previous.version === 0) {
      // First image since start: logs of topics deleted (or moved) while we were down go.
      this.storage?.removeStrayLogs((topic, partition) => image.topics.get(topic)?.partitions[partition]?.replicas.includes(this.id) ?? false);
    }
    this.replicaManager?.applyImage(image);
    // Deleted topics (gone, or recreated under a new id) take the groups' committed offsets
    // of them along, as Kafka's coordinator does on a metadata update.
    const deletedTopics = [...previous.topics.values()].filter((t) => image.topics.get(t.name)?.topicId !== t.topicId).map((t) => t.name);
    if (deletedTopics.length > 0) this.groups?.coordinator.deleteOffsetsOfTopics(deletedTopics);
    this.deps.onChange();
  }

  topicConfig(topic: string): EffectiveTopicConfig {
    const configs = this.image.topics.get(topic)?.configs ?? {};
    const defaults = this.topicDefaults;
    const cached = this.topicConfigCache.get(topic);
    if (cached && cached.configs === configs && cached.defaults === defaults) return cached.effective;
    const effective = this.deps.resolveTopicConfig(defaults, configs);
    this.topicConfigCache.set(topic, { configs, defaults, effective });
    return effective;
  }

  /** The topic config defaults in effect on this broker: static, then the dynamic broker configs of its image. */
  get topicDefaults(): Readonly<Record<string, string>> {
    const dynamic = this.image.brokerConfigs;
    if (!this.defaultsCache || this.defaultsCache.dynamic !== dynamic) {
      this.defaultsCache = { dynamic, defaults: effectiveTopicDefaults(this.deps.config, dynamic, this.id) };
    }
    return this.defaultsCache.defaults;
  }

  private sendAlterPartition(p: Partition, newIsr: number[], done: (state: PartitionState | null, errorCode: number) => void): void {
    const req: M.AlterPartitionRequest = {
      type: 'alter-partition', brokerId: this.id, brokerEpoch: this.brokerEpoch,
      topic: p.topic, partition: p.partition, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch,
      newIsr: newIsr.map((id) => ({ brokerId: id, brokerEpoch: id === this.id ? this.brokerEpoch : (p.followers.get(id)?.brokerEpoch ?? -1) })),
    };
    this.controllerRequest<M.AlterPartitionResponse>(req, (r) => done(r?.state ?? null, r?.errorCode ?? ErrorCode.REQUEST_TIMED_OUT));
  }

  /** Sends a request to the controller (locally when this broker is it); null on failure. */
  controllerRequest<T>(req: M.ControllerRequest, done: (r: T | null) => void): void {
    if (this.controller?.isActive) {
      this.controller.handle(req, (r) => done(r as T));
      return;
    }
    if (!this.rpc || this.knownControllerId === NO_LEADER) {
      done(null);
      return;
    }
    this.rpc.request<T>(M.brokerNode(this.knownControllerId), req, this.deps.config.interBrokerRequestTimeoutMs, (res) => done(res.ok ? res.value : null));
  }

  // ------------------------------------------------------------------ requests from other brokers

  private onRequest(from: string, req: M.BrokerRequest, reply: (r: unknown) => void): void {
    const rm = this.replicaManager;
    if (!rm) return;
    switch (req.type) {
      case 'replica-fetch':
        rm.fetchMessages(
          {
            replicaId: req.replicaId, replicaEpoch: req.brokerEpoch, maxWaitMs: req.maxWaitMs, minBytes: req.minBytes, maxBytes: req.maxBytes,
            partitions: req.partitions.map((p) => ({ topic: p.topic, partition: p.partition, fetchOffset: p.fetchOffset, currentLeaderEpoch: p.currentLeaderEpoch, partitionMaxBytes: this.deps.config.replicaFetchMaxBytes })),
          },
          (results) => reply({ errorCode: ErrorCode.NONE, partitions: results } satisfies M.ReplicaFetchResponse),
        );
        return;
      case 'offset-for-leader-epoch':
        reply(this.offsetForLeaderEpoch(req));
        return;
      default:
        if (this.controller?.isActive) this.controller.handle(req, reply);
        else reply({ errorCode: ErrorCode.NOT_CONTROLLER });
    }
  }

  /** KIP-101 answer: where the requested epoch ends in this (leader's) log. */
  offsetForLeaderEpoch(req: M.OffsetForLeaderEpochRequest): M.OffsetForLeaderEpochResponse {
    const rm = this.replicaManager!;
    return {
      errorCode: ErrorCode.NONE,
      partitions: req.partitions.map((q) => {
        const p = rm.partition(q.topic, q.partition);
        const base = { topic: q.topic, partition: q.partition, leaderEpoch: -1, endOffset: -1 };
        if (!p) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (!p.isLeader) return { ...base, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
        if (q.currentLeaderEpoch >= 0 && q.currentLeaderEpoch < p.leaderEpoch) return { ...base, errorCode: ErrorCode.FENCED_LEADER_EPOCH };
        if (q.currentLeaderEpoch > p.leaderEpoch) return { ...base, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH };
        const r = p.log.endOffsetForEpoch(q.leaderEpoch);
        return { ...base, errorCode: ErrorCode.NONE, leaderEpoch: r.epoch, endOffset: r.endOffset };
      }),
    };
  }

  private checkpointHighWatermarks(): void {
    const rm = this.replicaManager;
    if (!rm || !this.storage) return;
    const hws = [...rm.allPartitions()].map((p) => ({ topic: p.topic, partition: p.partition, highWatermark: p.highWatermark }));
    this.storage.checkpointHighWatermarks(hws);
  }
}

function isDiskFailure(err: unknown): boolean {
  return err instanceof StorageIOError || (err instanceof StorageError && err.errorName === 'KAFKA_STORAGE_ERROR');
}

/** The platform I/O error at the root of a storage error, if there is one (bounded walk of causes). */
function rootIOError(err: unknown): StorageIOError | null {
  let e: unknown = err;
  for (let i = 0; i < 8 && e instanceof Error; i++) {
    if (e instanceof StorageIOError) return e;
    e = (e as Error & { cause?: unknown }).cause;
  }
  return null;
}
