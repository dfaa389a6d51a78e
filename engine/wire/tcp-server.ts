/**
 * The real way connections reach a broker's listener: a TCP server (node:net) on
 * host:port, Nagle off on every accepted socket so answers leave at once. A port that
 * cannot be bound is not an exception: `listen` resolves with the reason, in words a
 * person can act on.
 */
import * as net from 'node:net';
import type { ListenerState, SocketServer } from './listener';
import type { WireSocket } from './connection';

export class TcpSocketServer implements SocketServer {
  private server: net.Server | null = null;

  constructor(private readonly log?: (line: string) => void) {}

  listen(host: string, port: number, maxConnections: number, onSocket: (socket: WireSocket) => void): Promise<ListenerState> {
    const server = net.createServer((socket) => {
      socket.setNoDelay(true);
      onSocket(socket);
    });
    server.maxConnections = maxConnections;
    this.server = server;
    return new Promise((resolve) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        this.server = null;
        resolve({ listening: false, error: describeListenError(err, host, port) });
      });
      server.listen({ host, port, exclusive: true }, () => {
        server.on('error', (err) => this.log?.(`listener ${host}:${port}: ${err.message}`));
        resolve({ listening: true });
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
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
