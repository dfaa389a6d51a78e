/**
 * In-process sockets: how the simulator's real Kafka clients (engine/client) reach the
 * brokers' real Kafka listeners (engine/wire) without TCP. A dial creates a pipe of two
 * ends: the client end is the client's Transport, the server end a WireSocket handed to
 * the broker's listener, which runs its usual WireConnection on it (framing, one
 * request at a time, the API handlers). Only the bytes' journey is simulated.
 *
 * Delivery: every write (a frame: the chunks written between cork and uncork, or in
 * one Transport.write) reaches the other end as one copy of its bytes — as the kernel
 * copies a socket write, so that a buffer reused later cannot change what was sent —
 * after a latency drawn from the world's Random (latencyMs + up to jitterMs) on the
 * simulator's clock, and never before an earlier write of the same direction: a pipe is
 * a TCP stream, in order and lossless while open. Dialing an address nobody listens on
 * fails after one latency with ECONNREFUSED; a listener that closes (its broker died)
 * ends its pipes, and the client end learns it after the bytes already on their way
 * (ECONNRESET).
 *
 * Flow control: the server end holds what arrives while its connection has paused
 * reading and hands it over, in order, on resume; it never asks its writer to wait
 * (the client's in-flight bound limits what a broker owes it).
 *
 * `busy` says whether anything is going on over these sockets (a dial, an open end, bytes
 * on their way): only then can promise-based code be running on them, which tells the
 * world when it must let promise jobs run after a timer (world.ts).
 *
 * Invariants: bytes arrive in the order written, each once; after an end is closed
 * nothing is delivered to it; the counts behind `busy` never go negative; everything
 * runs on the injected Clock and Random.
 */
import { EventEmitter } from 'node:events';
import { ConnectionError } from '../client/errors';
import type { Dialer, Transport, TransportHandlers } from '../client/transport';
import type { WireSocket } from '../wire/connection';
import type { ListenerState, SocketServer } from '../wire/listener';
import { assert } from '../util/assert';
import type { Clock } from '../util/clock';
import type { Random } from '../util/random';

export interface SocketLatency {
  latencyMs: number;
  jitterMs: number;
}

/** One direction of a pipe (what one end writes): deliveries in order, each after a latency. */
class Lane {
  private lastDueMs = 0;

  /** One lane per end: it counts as activity from its creation until `ended`. */
  constructor(private readonly net: InProcessSockets) {
    net.activity(+1);
  }

  /** Its end closed. */
  ended(): void {
    this.net.activity(-1);
  }

  send(deliver: () => void): void {
    const now = this.net.clock.monotonicMs();
    const dueMs = Math.max(now + this.net.latencyMs(), this.lastDueMs);
    this.lastDueMs = dueMs;
    this.net.activity(+1);
    this.net.clock.setTimer(dueMs - now, () => {
      this.net.activity(-1);
      deliver();
    });
  }
}

/** The broker's end: what WireConnection reads and writes. */
class ServerEnd extends EventEmitter implements WireSocket {
  readonly remoteAddress = 'in-process';
  readonly writableNeedDrain = false;
  closed = false;
  private paused = false;
  private held: Buffer[] = [];
  private corked: Buffer[] | null = null;
  peer!: ClientEnd;

  constructor(private readonly lane: Lane) {
    super();
  }

  /** Bytes from the client. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    if (this.paused) this.held.push(chunk);
    else this.emit('data', chunk);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const chunk of held) {
      if (this.closed || this.paused) {
        this.held.push(chunk);
        continue;
      }
      this.emit('data', chunk);
    }
  }

  cork(): void {
    this.corked ??= [];
  }

  uncork(): void {
    const chunks = this.corked;
    this.corked = null;
    if (chunks !== null && chunks.length > 0) this.send(chunks);
  }

  write(chunk: Buffer): boolean {
    if (this.closed) return false;
    if (this.corked !== null) this.corked.push(chunk);
    else this.send([chunk]);
    return true;
  }

  private send(chunks: Buffer[]): void {
    if (this.closed) return;
    const bytes = Buffer.concat(chunks);
    const peer = this.peer;
    this.lane.send(() => peer.receive(bytes));
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.lane.ended();
    this.held = [];
    const peer = this.peer;
    this.lane.send(() => peer.end('ECONNRESET'));
    this.emit('close');
  }

  /** The client went away. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.lane.ended();
    this.held = [];
    this.emit('close');
  }
}

/** The client's end: its Connection's Transport. */
class ClientEnd implements Transport {
  private handlers: TransportHandlers | null = null;
  /** What arrived before start() (nothing, unless the broker died at once). */
  private early: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly lane: Lane,
    private readonly peer: ServerEnd,
  ) {}

  start(handlers: TransportHandlers): void {
    assert(this.handlers === null, 'a transport is started once');
    this.handlers = handlers;
    for (const deliver of this.early.splice(0)) deliver();
  }

  write(chunks: readonly Buffer[]): void {
    if (this.closed) return;
    const bytes = Buffer.concat(chunks as Buffer[]);
    const peer = this.peer;
    this.lane.send(() => peer.receive(bytes));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lane.ended();
    const peer = this.peer;
    this.lane.send(() => peer.end());
  }

  /** Bytes from the broker. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    if (this.handlers === null) this.early.push(() => this.receive(chunk));
    else this.handlers.data(chunk);
  }

  /** The broker's end closed. */
  end(code: string): void {
    if (this.closed) return;
    if (this.handlers === null) {
      this.early.push(() => this.end(code));
      return;
    }
    this.closed = true;
    this.lane.ended();
    this.handlers.closed(code);
  }
}

/** The simulator's network of listeners and the clients that dial them. */
export class InProcessSockets {
  private readonly listening = new Map<string, (socket: WireSocket) => void>();
  /** Dials under way, open ends and bytes on their way. */
  private active = 0;

  constructor(
    readonly clock: Clock,
    private readonly random: Random,
    private readonly latency: SocketLatency = { latencyMs: 1, jitterMs: 3 },
  ) {}

  /** Whether a dial, an open end or bytes on their way exist. */
  get busy(): boolean {
    return this.active > 0;
  }

  activity(delta: 1 | -1): void {
    this.active += delta;
    assert(this.active >= 0, 'socket activity went negative');
  }

  latencyMs(): number {
    return this.latency.latencyMs + this.random.int(this.latency.jitterMs + 1);
  }

  /** A SocketServer for a broker's listener (WireServers' `server` option). */
  server(): SocketServer {
    let address: string | null = null;
    return {
      listen: (host, port, _maxConnections, onSocket): Promise<ListenerState> => {
        address = `${host}:${port}`;
        assert(!this.listening.has(address), () => `two listeners on ${address}`);
        this.listening.set(address, onSocket);
        return Promise.resolve({ listening: true });
      },
      close: (): Promise<void> => {
        if (address !== null && this.listening.has(address)) this.listening.delete(address);
        address = null;
        return Promise.resolve();
      },
    };
  }

  /** The Dialer for clients (ClientConfig.dialer). */
  readonly dialer: Dialer = {
    dial: (address) =>
      new Promise<Transport>((resolve, reject) => {
        const where = `${address.host}:${address.port}`;
        this.activity(+1);
        this.clock.setTimer(this.latencyMs(), () => {
          this.activity(-1);
          const accept = this.listening.get(where);
          if (accept === undefined) {
            reject(new ConnectionError(where, 'ECONNREFUSED', 'connect'));
            return;
          }
          const toServer = new Lane(this);
          const toClient = new Lane(this);
          const server = new ServerEnd(toClient);
          const client = new ClientEnd(toServer, server);
          server.peer = client;
          accept(server);
          resolve(client);
        });
      }),
  };
}
