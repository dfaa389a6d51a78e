/**
 * The metadata quorum: what ZooKeeper (or KRaft's controller quorum) is to Kafka.
 * It owns the SQLite metadata store, broker registrations and sessions, and the
 * choice of controller. It is a node on the in-process Network ('quorum') that never
 * fails; brokers reach it only through the Network, so a broker that is cut off or
 * killed stops heartbeating and its session expires.
 *
 * Algorithm:
 * - A broker heartbeats every broker.heartbeat.interval.ms. Epoch 0 registers it
 *   (a new broker epoch each time); a heartbeat with an old epoch gets
 *   STALE_BROKER_EPOCH (a zombie from a previous life must re-register).
 * - A session expires after broker.session.timeout.ms without a heartbeat, or at once
 *   on a clean deregistration.
 * - The controller is the lowest-id live broker, re-elected (with a higher
 *   controller epoch, which fences the old one's writes) whenever the current one is
 *   no longer live. The controller learns the live set from its heartbeat replies,
 *   and at once through a `brokers-changed` push.
 *
 * When the metadata store cannot be written (a full disk) a registration is refused
 * (the broker tries again) and a controller election is retried at the next expiry
 * check; sessions themselves live in memory and go on.
 *
 * Invariants: at most one controller epoch is current; a broker is live iff its
 * session has not expired; live brokers carry the epoch of their latest registration.
 */
import { ErrorCode } from '../protocol/errors';
import { assert } from '../util/assert';
import type { Clock, TimerHandle } from '../util/clock';
import type { ClusterConfig } from './config';
import type { BrokersChanged, DeregisterRequest, HeartbeatRequest, HeartbeatResponse } from './messages';
import { QUORUM_NODE, brokerNode } from './messages';
import type { BrokerRegistration } from './metadata-image';
import { NO_LEADER } from './metadata-image';
import { MetadataWriteError, type MetadataStore } from './metadata-store';
import { RpcEndpoint, type Network } from './network';

interface Session {
  reg: BrokerRegistration;
  lastHeartbeatMs: number;
}

export class Quorum {
  private readonly sessions = new Map<number, Session>();
  private readonly endpoint: RpcEndpoint;
  private controllerId = NO_LEADER;
  private controllerEpoch = 0;
  private expiryTimer: TimerHandle | null = null;
  private closed = false;

  constructor(
    readonly store: MetadataStore,
    network: Network,
    private readonly clock: Clock,
    private readonly config: ClusterConfig,
  ) {
    const current = store.controller();
    if (current) this.controllerEpoch = current.epoch; // the previous run's controller is not live yet
    this.endpoint = new RpcEndpoint(network, clock, QUORUM_NODE, (from, body, reply) => this.onRequest(body as HeartbeatRequest | DeregisterRequest, reply));
    this.scheduleExpiryCheck();
  }

  get activeControllerId(): number {
    return this.controllerId;
  }

  get activeControllerEpoch(): number {
    return this.controllerEpoch;
  }

  liveBrokers(): BrokerRegistration[] {
    return [...this.sessions.values()].map((s) => s.reg).sort((a, b) => a.id - b.id);
  }

  private onRequest(req: HeartbeatRequest | DeregisterRequest, reply: (r: unknown) => void): void {
    if (req.type === 'deregister') {
      const s = this.sessions.get(req.brokerId);
      if (s && s.reg.epoch === req.brokerEpoch) this.expire([req.brokerId]);
      reply({ errorCode: ErrorCode.NONE });
      return;
    }
    assert(req.type === 'heartbeat', 'quorum received an unknown request');
    const now = this.clock.monotonicMs();
    let session = this.sessions.get(req.brokerId);
    let changed = false;
    if (req.brokerEpoch === 0) {
      // A broker registering while its previous session still lives restarted faster than
      // the session timeout: end the old session first, so that the controller (and, if
      // it was the controller, its successor) sees the previous incarnation go.
      if (session) this.expire([req.brokerId]);
      let epoch: number;
      try {
        epoch = this.store.registerBroker(req.brokerId, req.host, req.port, this.clock.nowMs());
      } catch (err) {
        if (!(err instanceof MetadataWriteError)) throw err;
        // The metadata cannot be written (full disk): the broker registers again later.
        reply({ errorCode: ErrorCode.KAFKA_STORAGE_ERROR, brokerEpoch: 0, controllerId: this.controllerId, controllerEpoch: this.controllerEpoch, liveBrokers: null } satisfies HeartbeatResponse);
        return;
      }
      session = { reg: { id: req.brokerId, epoch, host: req.host, port: req.port }, lastHeartbeatMs: now };
      this.sessions.set(req.brokerId, session);
      changed = true;
    } else if (!session || session.reg.epoch !== req.brokerEpoch) {
      reply({ errorCode: ErrorCode.STALE_BROKER_EPOCH, brokerEpoch: 0, controllerId: this.controllerId, controllerEpoch: this.controllerEpoch, liveBrokers: null } satisfies HeartbeatResponse);
      return;
    } else {
      session.lastHeartbeatMs = now;
    }
    if (changed) this.onLiveSetChanged();
    reply({
      errorCode: ErrorCode.NONE,
      brokerEpoch: session.reg.epoch,
      controllerId: this.controllerId,
      controllerEpoch: this.controllerEpoch,
      liveBrokers: req.brokerId === this.controllerId ? this.liveBrokers() : null,
    } satisfies HeartbeatResponse);
  }

  private scheduleExpiryCheck(): void {
    if (this.closed) return;
    const intervalMs = Math.max(10, Math.floor(this.config.brokerHeartbeatIntervalMs / 2));
    this.expiryTimer = this.clock.setTimer(intervalMs, () => {
      const now = this.clock.monotonicMs();
      const expired = [...this.sessions.values()].filter((s) => now - s.lastHeartbeatMs > this.config.brokerSessionTimeoutMs).map((s) => s.reg.id);
      if (expired.length > 0) this.expire(expired);
      else if (this.controllerId === NO_LEADER && this.sessions.size > 0) this.onLiveSetChanged(); // an election that could not be written
      this.scheduleExpiryCheck();
    });
  }

  private expire(ids: number[]): void {
    for (const id of ids) this.sessions.delete(id);
    this.onLiveSetChanged();
  }

  private onLiveSetChanged(): void {
    if (!this.sessions.has(this.controllerId)) {
      const candidates = [...this.sessions.keys()].sort((a, b) => a - b);
      if (candidates.length > 0) {
        try {
          this.controllerEpoch = this.store.electController(candidates[0]);
          this.controllerId = candidates[0];
        } catch (err) {
          if (!(err instanceof MetadataWriteError)) throw err;
          this.controllerId = NO_LEADER; // retried at the next expiry check
          return;
        }
      } else {
        this.controllerId = NO_LEADER;
      }
    }
    if (this.controllerId !== NO_LEADER) {
      const push: BrokersChanged = { type: 'brokers-changed', controllerEpoch: this.controllerEpoch, liveBrokers: this.liveBrokers() };
      this.endpoint.oneway(brokerNode(this.controllerId), push);
    }
  }

  close(): void {
    this.closed = true;
    this.expiryTimer?.cancel();
    this.endpoint.close();
  }
}
