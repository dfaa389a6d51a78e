/**
 * The real transport: one TCP socket (node:net) per broker connection, Nagle off so a
 * request leaves at once, each frame written corked so its chunks go out together.
 *
 * Dial: connect to host:port (IPv4 or IPv6, whichever answers first); fail with
 * ConnectionError after connectTimeoutMs on the client's clock, or with the system's
 * error code (ECONNREFUSED, ENOTFOUND…). A socket error ends the stream with its code;
 * the 'close' that follows is ignored.
 */
import * as net from 'node:net';
import { ConnectionError } from './errors';
import type { DialOptions, Dialer, Transport, TransportHandlers } from './transport';

class TcpTransport implements Transport {
  private ended = false;

  constructor(private readonly socket: net.Socket) {}

  start(handlers: TransportHandlers): void {
    const end = (code: string | undefined, cause?: unknown): void => {
      if (this.ended) return;
      this.ended = true;
      handlers.closed(code, cause);
    };
    this.socket.on('data', (chunk: Buffer) => {
      if (!this.ended) handlers.data(chunk);
    });
    this.socket.on('error', (err: NodeJS.ErrnoException) => end(err.code, err));
    this.socket.on('close', () => end(undefined));
  }

  write(chunks: readonly Buffer[]): void {
    const socket = this.socket;
    socket.cork();
    for (const c of chunks) socket.write(c);
    socket.uncork();
  }

  close(): void {
    this.ended = true;
    this.socket.destroy();
  }
}

export const tcpDialer: Dialer = {
  dial(address: { host: string; port: number }, { connectTimeoutMs, clock }: DialOptions): Promise<Transport> {
    const where = `${address.host}:${address.port}`;
    return new Promise<Transport>((resolve, reject) => {
      const s = net.connect({ host: address.host, port: address.port, noDelay: true, autoSelectFamily: true });
      const timer = clock.setTimer(
        connectTimeoutMs,
        () => {
          s.destroy();
          reject(new ConnectionError(where, 'ETIMEDOUT', 'connect'));
        },
        { keepAlive: true },
      );
      s.once('connect', () => {
        timer.cancel();
        s.removeAllListeners('error');
        resolve(new TcpTransport(s));
      });
      s.once('error', (err: NodeJS.ErrnoException) => {
        timer.cancel();
        s.destroy();
        reject(new ConnectionError(where, err.code, 'connect', { cause: err }));
      });
    });
  },
};
