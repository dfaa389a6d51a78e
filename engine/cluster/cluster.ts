/**
 * The cluster: N brokers, the metadata quorum and the in-process network between
 * them, all on one injected Clock and Random, so that the same code runs the real
 * app (system clock, real files) and the simulator (manual clock, in-memory disks
 * with faults) — and a simulator run is a function of its seed.
 *
 * Fault commands act for real: kill (crash, unsynced bytes lost), stop (controlled
 * shutdown), restart, cut (the broker runs but reaches neither the quorum nor the
 * other brokers; Kafka clients can still reach it), heal.
 *
 * Invariants: broker ids are 1..N; a broker is in exactly one lifecycle state; the
 * quorum outlives every broker.
 */
import { assert } from '../util/assert';
import type { Clock } from '../util/clock';
import type { Random } from '../util/random';
import { Broker, type BrokerDeps, type BrokerStorage } from './broker';
import type { ClusterConfig } from './config';
import { brokerNode } from './messages';
import { NO_LEADER, type MetadataImage } from './metadata-image';
import type { MetadataStore } from './metadata-store';
import { Network } from './network';
import { Quorum } from './quorum';

export interface ClusterDeps {
  config: ClusterConfig;
  clock: Clock;
  random: Random;
  store: MetadataStore;
  network?: Network;
  openStorage: (brokerId: number) => BrokerStorage;
  validateBatch: BrokerDeps['validateBatch'];
  recompress?: BrokerDeps['recompress'];
  scanHeaders: BrokerDeps['scanHeaders'];
  validateTopicConfigs: BrokerDeps['validateTopicConfigs'];
  resolveTopicConfig: BrokerDeps['resolveTopicConfig'];
  onChange?: () => void;
  onLeadershipChange?: BrokerDeps['onLeadershipChange'];
  onFailure?: BrokerDeps['onFailure'];
  onTruncated?: BrokerDeps['onTruncated'];
  onProduceRefused?: BrokerDeps['onProduceRefused'];
}

export class Cluster {
  readonly network: Network;
  readonly quorum: Quorum;
  readonly brokers: Broker[];
  readonly config: ClusterConfig;
  /** Brokers cut off by the user (the network knows; this is for display). */
  private readonly cutOff = new Set<number>();
  private lastImage: MetadataImage | null = null;

  constructor(deps: ClusterDeps) {
    this.config = deps.config;
    this.network = deps.network ?? new Network(deps.clock, deps.random);
    this.quorum = new Quorum(deps.store, this.network, deps.clock, deps.config);
    const onChange = deps.onChange ?? (() => undefined);
    this.brokers = Array.from({ length: deps.config.brokerCount }, (_, i) => {
      const id = i + 1;
      return new Broker({
        id,
        host: deps.config.host,
        port: deps.config.basePort + i,
        clock: deps.clock,
        random: deps.random,
        config: deps.config,
        network: this.network,
        store: deps.store,
        openStorage: () => deps.openStorage(id),
        validateBatch: deps.validateBatch,
        recompress: deps.recompress,
        scanHeaders: deps.scanHeaders,
        validateTopicConfigs: deps.validateTopicConfigs,
        resolveTopicConfig: deps.resolveTopicConfig,
        onChange,
        onControllerPublish: (image) => {
          this.lastImage = image;
        },
        onLeadershipChange: deps.onLeadershipChange,
        onFailure: deps.onFailure,
        onTruncated: deps.onTruncated,
        onProduceRefused: deps.onProduceRefused,
      });
    });
  }

  start(): void {
    for (const b of this.brokers) b.start();
  }

  broker(id: number): Broker {
    const b = this.brokers[id - 1];
    assert(b !== undefined && b.id === id, () => `no broker ${id}`);
    return b;
  }

  isCut(id: number): boolean {
    return this.cutOff.has(id);
  }

  kill(id: number): void {
    this.broker(id).kill();
  }

  stop(id: number, done?: () => void): void {
    this.broker(id).stop(done);
  }

  restart(id: number): void {
    const b = this.broker(id);
    if (b.state === 'up' || b.state === 'starting' || b.state === 'stopping') b.kill();
    b.start();
  }

  cut(id: number): void {
    this.broker(id);
    this.cutOff.add(id);
    this.network.cut(brokerNode(id));
  }

  heal(id?: number): void {
    if (id === undefined) {
      this.cutOff.clear();
      this.network.heal();
    } else {
      this.cutOff.delete(id);
      this.network.heal(brokerNode(id));
    }
  }

  /** The broker acting as controller, if any is up. */
  activeController(): Broker | null {
    const id = this.quorum.activeControllerId;
    if (id === NO_LEADER) return null;
    const b = this.brokers[id - 1];
    return b && b.controller?.isActive ? b : null;
  }

  /** The freshest metadata image: the controller's, else the newest any broker holds. */
  latestImage(): MetadataImage | null {
    const c = this.activeController()?.controller?.currentImage;
    if (c) return c;
    let best: MetadataImage | null = this.lastImage;
    for (const b of this.brokers) {
      if (!b.isUp) continue;
      const img = b.image;
      if (!best || img.controllerEpoch > best.controllerEpoch || (img.controllerEpoch === best.controllerEpoch && img.version > best.version)) best = img;
    }
    return best;
  }

  /** Stops everything without handing leadership over (the app is closing). */
  close(): void {
    for (const b of this.brokers) {
      if (b.state === 'up' || b.state === 'starting' || b.state === 'stopping') b.stopNow();
    }
    this.quorum.close();
  }
}
