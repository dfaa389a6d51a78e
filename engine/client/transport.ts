/**
 * How a client Connection reaches a broker: a byte stream carrying Kafka's size-prefixed
 * frames, opened by a Dialer. The Connection does everything Kafka-specific (framing,
 * correlation ids, versions, deadlines); a transport only moves bytes.
 *
 *   tcpDialer (tcp-transport.ts)  node:net, for the tools, the app and real clusters;
 *   the simulator's in-process sockets (engine/sim/sockets.ts), which hand the frames
 *   to the brokers' own wire connections with a latency on the simulator's clock.
 *
 * Contract: bytes written arrive at the broker in the order written, and bytes from the
 * broker reach `data` in the order sent; `closed` runs at most once, when the stream
 * ends or fails (with the system error code, e.g. ECONNRESET, when it failed), and
 * nothing is delivered after it; after `close()` no handler runs. A dial that fails
 * rejects with ConnectionError (what: 'connect').
 */
import type { Clock } from '../util/clock';

export interface TransportHandlers {
  data(chunk: Buffer): void;
  closed(code: string | undefined, cause?: unknown): void;
}

export interface Transport {
  /** Starts delivering to `handlers`; called once, right after the dial. */
  start(handlers: TransportHandlers): void;
  /** Writes one frame's chunks, in order, as one unit. */
  write(chunks: readonly Buffer[]): void;
  /** Ends the stream; idempotent. */
  close(): void;
}

export interface DialOptions {
  /** Kafka's socket.connection.setup.timeout.ms. */
  connectTimeoutMs: number;
  clock: Clock;
}

export interface Dialer {
  /** Opens a stream to `host:port`; rejects with ConnectionError. */
  dial(address: { host: string; port: number }, options: DialOptions): Promise<Transport>;
}
