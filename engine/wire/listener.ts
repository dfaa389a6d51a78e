/**
 * A broker's Kafka listener: where its connections arrive and hand decoded requests to
 * the broker's API handlers. By default a TCP server on 127.0.0.1:<port> (never 0.0.0.0
 * unless a host is given explicitly; tcp-server.ts); the simulator gives it an
 * in-process SocketServer instead, so its clients reach the same connections, handlers
 * and counters without TCP.
 *
 * It opens when its broker is up and closes (dropping every connection, as a dead
 * broker would) when the broker is stopped or killed. A port that is taken is not
 * fatal: the listener reports why it is not listening, in words a person can act on,
 * and the rest of the app runs.
 *
 * Invariants: connections are tracked from accept to close; closing the listener
 * closes all of them; a socket accepted after the listener stopped is closed at once.
 */
import { WireConnection, type ConnectionEvents, type RequestHandler, type RequestMeta, type WireSocket } from './connection';
import { TcpSocketServer } from './tcp-server';

export interface ListenerStats {
  connectionsOpened: number;
  openConnections: number;
  bytesIn: number;
  bytesOut: number;
  protocolErrors: number;
  lastProtocolError: string | null;
}

/** Where a listener's connections come from: a TCP server, or an in-process network. */
export interface SocketServer {
  /** Starts accepting on host:port, each new connection's socket to `onSocket`; resolves with the outcome. */
  listen(host: string, port: number, maxConnections: number, onSocket: (socket: WireSocket) => void): Promise<ListenerState>;
  /** Stops accepting (connections already handed over are the listener's to close). */
  close(): Promise<void>;
}

export interface ListenerOptions {
  host: string;
  port: number;
  maxFrameBytes: number;
  /** Bound on simultaneous connections (Kafka: max.connections); more are refused. */
  maxConnections: number;
  handler: RequestHandler;
  log?: (line: string) => void;
  /** Makes the server each start() listens with (default: TCP). */
  server?: () => SocketServer;
  /** Told of each connection's life and bytes (the Clients view's data). */
  observer?: ConnectionObserver;
}

/** What a listener tells of its connections: opened (with the remote address), bytes, closed. */
export interface ConnectionObserver {
  opened(connectionId: number, host: string): void;
  bytes(connectionId: number, inBytes: number, outBytes: number): void;
  closed(connectionId: number): void;
}

export type ListenerState = { listening: true } | { listening: false; error: string | null };

export class BrokerListener {
  private server: SocketServer | null = null;
  private readonly connections = new Set<WireConnection>();
  private nextConnectionId = 1;
  private stateValue: ListenerState = { listening: false, error: null };
  readonly stats: ListenerStats = { connectionsOpened: 0, openConnections: 0, bytesIn: 0, bytesOut: 0, protocolErrors: 0, lastProtocolError: null };

  constructor(private readonly o: ListenerOptions) {}

  get state(): ListenerState {
    return this.stateValue;
  }

  get address(): string {
    return `${this.o.host}:${this.o.port}`;
  }

  /** Starts listening; resolves either way (the state says whether it worked). */
  start(): Promise<ListenerState> {
    if (this.server) return Promise.resolve(this.stateValue);
    const server = this.o.server?.() ?? new TcpSocketServer(this.o.log);
    this.server = server;
    return server.listen(this.o.host, this.o.port, this.o.maxConnections, (socket) => this.accept(server, socket)).then((state) => {
      if (this.server === server) {
        if (!state.listening) this.server = null;
        this.stateValue = state;
      }
      return this.stateValue;
    });
  }

  /** Stops listening and drops every connection. */
  stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const c of [...this.connections]) c.close();
    this.stateValue = { listening: false, error: null };
    if (!server) return Promise.resolve();
    return server.close();
  }

  private accept(server: SocketServer, socket: WireSocket): void {
    if (this.server !== server) {
      socket.destroy();
      return;
    }
    const id = this.nextConnectionId++;
    const events: ConnectionEvents = {
      onProtocolError: (reason, meta) => {
        this.stats.protocolErrors++;
        this.stats.lastProtocolError = reason;
        this.o.log?.(`${this.address} connection ${meta.connectionId ?? id}: closed: ${reason}`);
      },
      onHandlerError: (err, meta: RequestMeta) => {
        this.stats.protocolErrors++;
        const msg = err instanceof Error ? `${err.name}: ${err.message}${err.stack ? ` (${err.stack.split('\n')[1]?.trim() ?? ''})` : ''}` : String(err);
        this.stats.lastProtocolError = msg;
        this.o.log?.(`${this.address} connection ${id}: API ${meta.apiKey} v${meta.apiVersion} failed: ${msg}`);
      },
      onClose: () => {
        this.connections.delete(conn);
        this.stats.openConnections = this.connections.size;
        observer?.closed(id);
      },
      onBytes: (inBytes, outBytes) => {
        this.stats.bytesIn += inBytes;
        this.stats.bytesOut += outBytes;
        observer?.bytes(id, inBytes, outBytes);
      },
    };
    const observer = this.o.observer;
    observer?.opened(id, socket.remoteAddress ?? 'unknown');
    const conn = new WireConnection(socket, id, this.o.maxFrameBytes, this.o.handler, events);
    this.connections.add(conn);
    this.stats.connectionsOpened++;
    this.stats.openConnections = this.connections.size;
  }
}
