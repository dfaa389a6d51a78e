/**
 * The in-process network between the cluster's nodes (brokers, the metadata quorum,
 * simulated clients). Messages are plain objects handed from one node's handler to
 * another's, after a latency, on the injected Clock, so the simulator controls
 * delivery completely and replays it from a seed.
 *
 * Links behave like TCP connections: per directed link, messages arrive in the order
 * they were sent (a message never overtakes an earlier one on the same link), or not
 * at all. A link is down when either end is cut off, the pair is partitioned, or the
 * receiving node is not registered (stopped or killed); messages sent on a down link
 * are dropped, and messages in flight when the link goes down are dropped on arrival.
 * With `dropRate` > 0 each message is independently lost with that probability.
 *
 * Invariants: delivery time on a link never decreases; nothing is delivered to an
 * unregistered node; in-flight messages are bounded by MAX_IN_FLIGHT (sending past it
 * is an invariant failure: senders must bound their own queues).
 */
import { assert } from '../util/assert';
import type { Clock } from '../util/clock';
import type { Random } from '../util/random';

export type NodeId = string;
export type Handler = (from: NodeId, message: unknown) => void;

export interface NetworkOptions {
  /** Fixed part of each message's latency. */
  latencyMs?: number;
  /** Random extra latency, uniform in [0, jitterMs). */
  jitterMs?: number;
  /** Probability that a message is lost. */
  dropRate?: number;
}

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  inFlight: number;
}

export const MAX_IN_FLIGHT = 1_000_000;

export class Network {
  private readonly handlers = new Map<NodeId, Handler>();
  /** Incarnation per node: messages addressed to an older incarnation are dropped. */
  private readonly incarnations = new Map<NodeId, number>();
  private readonly isolated = new Set<NodeId>();
  private readonly blocked = new Set<string>();
  private readonly lastDeliveryMs = new Map<string, number>();
  /** Extra latency of every message to or from a node (a slow disk or link). */
  private readonly nodeDelayMs = new Map<NodeId, number>();
  private readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, inFlight: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private options: NetworkOptions = {},
  ) {}

  setOptions(options: NetworkOptions): void {
    this.options = { ...this.options, ...options };
  }

  register(node: NodeId, handler: Handler): void {
    assert(!this.handlers.has(node), () => `node ${node} is already on the network`);
    this.handlers.set(node, handler);
    this.incarnations.set(node, (this.incarnations.get(node) ?? 0) + 1);
  }

  unregister(node: NodeId): void {
    this.handlers.delete(node);
  }

  isRegistered(node: NodeId): boolean {
    return this.handlers.has(node);
  }

  /** Cuts every link of `node` (it can still run; nothing reaches it or leaves it). */
  cut(node: NodeId): void {
    this.isolated.add(node);
  }

  heal(node?: NodeId): void {
    if (node === undefined) {
      this.isolated.clear();
      this.blocked.clear();
    } else {
      this.isolated.delete(node);
      for (const key of [...this.blocked]) if (key.split('|').includes(node)) this.blocked.delete(key);
    }
  }

  /** Adds `delayMs` to every message to or from `node` (0 removes it). */
  setNodeDelay(node: NodeId, delayMs: number): void {
    assert(delayMs >= 0, 'a delay cannot be negative');
    if (delayMs === 0) this.nodeDelayMs.delete(node);
    else this.nodeDelayMs.set(node, delayMs);
  }

  isCut(node: NodeId): boolean {
    return this.isolated.has(node);
  }

  /** Blocks both directions between two nodes. */
  block(a: NodeId, b: NodeId): void {
    this.blocked.add(pairKey(a, b));
  }

  linkUp(from: NodeId, to: NodeId): boolean {
    return !this.isolated.has(from) && !this.isolated.has(to) && !this.blocked.has(pairKey(from, to)) && this.handlers.has(to);
  }

  getStats(): NetworkStats {
    return { ...this.stats };
  }

  send(from: NodeId, to: NodeId, message: unknown): void {
    this.stats.sent++;
    if (!this.linkUp(from, to) || (this.options.dropRate ?? 0) > 0 && this.random.chance(this.options.dropRate ?? 0)) {
      this.stats.dropped++;
      return;
    }
    assert(this.stats.inFlight < MAX_IN_FLIGHT, 'too many messages in flight on the in-process network');
    const link = `${from}>${to}`;
    const latency =
      (this.options.latencyMs ?? 0) +
      ((this.options.jitterMs ?? 0) > 0 ? this.random.int(Math.max(1, Math.floor(this.options.jitterMs!))) : 0) +
      (this.nodeDelayMs.get(from) ?? 0) +
      (this.nodeDelayMs.get(to) ?? 0);
    const now = this.clock.monotonicMs();
    const at = Math.max(now + latency, this.lastDeliveryMs.get(link) ?? 0);
    this.lastDeliveryMs.set(link, at);
    const incarnation = this.incarnations.get(to);
    this.stats.inFlight++;
    this.clock.setTimer(at - now, () => {
      this.stats.inFlight--;
      const handler = this.handlers.get(to);
      if (!handler || this.incarnations.get(to) !== incarnation || !this.linkUp(from, to)) {
        this.stats.dropped++;
        return;
      }
      this.stats.delivered++;
      handler(from, message);
    });
  }
}

function pairKey(a: NodeId, b: NodeId): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

// ---------------------------------------------------------------------------
// Request/response on top of the network.

type RpcEnvelope =
  | { rpc: 'req'; id: number; body: unknown }
  | { rpc: 'resp'; id: number; body: unknown }
  | { rpc: 'oneway'; body: unknown };

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: 'timeout' | 'unreachable' };

interface PendingRpc {
  done: (result: RpcResult<unknown>) => void;
  timer: { cancel(): void };
}

/**
 * One node's endpoint: sends requests that are answered or time out exactly once,
 * answers requests from others through `onRequest`, and sends one-way messages.
 * Pending requests are bounded by `maxPending`.
 */
export class RpcEndpoint {
  private nextId = 1;
  private readonly pending = new Map<number, PendingRpc>();
  private closed = false;

  constructor(
    private readonly network: Network,
    private readonly clock: Clock,
    readonly node: NodeId,
    private readonly onRequest: (from: NodeId, body: unknown, reply: (response: unknown) => void) => void,
    private readonly onOneway: (from: NodeId, body: unknown) => void = () => undefined,
    private readonly maxPending = 100_000,
  ) {
    network.register(node, (from, msg) => this.receive(from, msg as RpcEnvelope));
  }

  request<T>(to: NodeId, body: unknown, timeoutMs: number, done: (result: RpcResult<T>) => void): void {
    if (this.closed) {
      done({ ok: false, error: 'unreachable' });
      return;
    }
    assert(this.pending.size < this.maxPending, () => `${this.node} has too many requests in flight`);
    const id = this.nextId++;
    const timer = this.clock.setTimer(timeoutMs, () => {
      if (this.pending.delete(id)) done({ ok: false, error: 'timeout' });
    });
    this.pending.set(id, { done: done as (r: RpcResult<unknown>) => void, timer });
    this.network.send(this.node, to, { rpc: 'req', id, body } satisfies RpcEnvelope);
  }

  oneway(to: NodeId, body: unknown): void {
    if (!this.closed) this.network.send(this.node, to, { rpc: 'oneway', body } satisfies RpcEnvelope);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private receive(from: NodeId, msg: RpcEnvelope): void {
    if (this.closed) return;
    switch (msg.rpc) {
      case 'req': {
        let answered = false;
        this.onRequest(from, msg.body, (response) => {
          assert(!answered, 'an RPC request was answered twice');
          answered = true;
          if (!this.closed) this.network.send(this.node, from, { rpc: 'resp', id: msg.id, body: response } satisfies RpcEnvelope);
        });
        break;
      }
      case 'resp': {
        const p = this.pending.get(msg.id);
        if (!p) return; // timed out already
        this.pending.delete(msg.id);
        p.timer.cancel();
        p.done({ ok: true, value: msg.body });
        break;
      }
      case 'oneway':
        this.onOneway(from, msg.body);
        break;
    }
  }

  /** Leaves the network; every pending request fails as unreachable. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.network.unregister(this.node);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      p.timer.cancel();
      p.done({ ok: false, error: 'unreachable' });
    }
  }
}
