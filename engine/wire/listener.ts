/**
 * A broker's Kafka listener: a TCP server on 127.0.0.1:<port> (never 0.0.0.0 unless a
 * host is given explicitly) whose connections hand decoded requests to the broker's
 * API handlers.
 *
 * It opens when its broker is up and closes (dropping every connection, as a dead
 * broker would) when the broker is stopped or killed. A port that is taken is not
 * fatal: the listener reports why it is not listening, in words a person can act on,
 * and the rest of the app runs.
 *
 * Invariants: connections are tracked from accept to close; closing the listener
 * closes all of them.
 */
import * as net from 'node:net';
import { WireConnection, type ConnectionEvents, type RequestHandler, type RequestMeta } from './connection';

export interface ListenerStats {
  connectionsOpened: number;
  openConnections: number;
  bytesIn: number;
  bytesOut: number;
  protocolErrors: number;
  lastProtocolError: string | null;
}

export interface ListenerOptions {
  host: string;
  port: number;
  maxFrameBytes: number;
  /** Bound on simultaneous connections (Kafka: max.connections); more are refused. */
  maxConnections: number;
  handler: RequestHandler;
  log?: (line: string) => void;
}

export type ListenerState = { listening: true } | { listening: false; error: string | null };

export class BrokerListener {
  private server: net.Server | null = null;
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
    const server = net.createServer((socket) => this.accept(socket));
    server.maxConnections = this.o.maxConnections;
    this.server = server;
    return new Promise((resolve) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        this.server = null;
        this.stateValue = { listening: false, error: describeListenError(err, this.o.host, this.o.port) };
        resolve(this.stateValue);
      });
      server.listen({ host: this.o.host, port: this.o.port, exclusive: true }, () => {
        server.on('error', (err) => this.o.log?.(`listener ${this.address}: ${err.message}`));
        this.stateValue = { listening: true };
        resolve(this.stateValue);
      });
    });
  }

  /** Stops listening and drops every connection. */
  stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const c of [...this.connections]) c.close();
    this.stateValue = { listening: false, error: null };
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
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
      },
      onBytes: (inBytes, outBytes) => {
        this.stats.bytesIn += inBytes;
        this.stats.bytesOut += outBytes;
      },
    };
    const conn = new WireConnection(socket, id, this.o.maxFrameBytes, this.o.handler, events);
    this.connections.add(conn);
    this.stats.connectionsOpened++;
    this.stats.openConnections = this.connections.size;
  }
}

function describeListenError(err: NodeJS.ErrnoException, host: string, port: number): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `Port ${port} on ${host} is already in use (another Kafka, or another workbench?). Stop what uses it, or start with --port to move the brokers elsewhere.`;
    case 'EACCES':
      return `Not allowed to listen on ${host}:${port}. Use a port above 1024 with --port.`;
    case 'EADDRNOTAVAIL':
      return `The address ${host} is not available on this machine.`;
    default:
      return `Could not listen on ${host}:${port}: ${err.message}`;
  }
}
