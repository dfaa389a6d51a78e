/**
 * One connection to one Kafka broker: request pipelining over the wire protocol, on a
 * byte-stream Transport opened by a Dialer (transport.ts): TCP by default
 * (tcp-transport.ts), the simulator's in-process sockets when it runs the client.
 *
 * Protocol:
 *   - On connect the client sends ApiVersions at the highest version it knows (v3). A
 *     broker that does not know that version answers with a v0 body carrying
 *     UNSUPPORTED_VERSION and its own ApiVersions range (KIP-511); the client retries at
 *     the highest version both speak. The answer fixes, per API, the version every later
 *     request uses: the highest version both sides support.
 *   - Requests are framed by the codec (size, header with correlation id, body) and
 *     written without waiting for earlier answers. Kafka answers the requests of one
 *     connection in order, so answers are matched by correlation id and must arrive in
 *     the order sent; a reordered or undecodable answer closes the connection.
 *   - A Produce with acks=0 gets no answer: it completes once written.
 *
 * Bounds: at most `maxInFlightRequests` requests await answers; further requests wait
 * in a FIFO of at most `maxQueuedRequests` (beyond that `request` fails at once). Each
 * request has a deadline (`requestTimeoutMs`, or its own); an expired request fails
 * with RequestTimeoutError and the connection is closed, since the answers that follow
 * could no longer be trusted to line up. Frames above `maxFrameBytes` close the
 * connection (FrameDecoder).
 *
 * Invariants: every request settles exactly once (answer, timeout, or close); after
 * close no request is written; correlation ids increase by one per request (wrapping
 * at 2^31) so the in-flight map's insertion order is the send order.
 *
 * Not thread-safe (single event loop); one Connection per broker address per client
 * (a consumer keeps a second one to its group coordinator, see cluster.ts).
 */
import {
  ApiKey,
  ErrorCode,
  FrameDecoder,
  decodeResponseFrame,
  encodeRequestFrame,
  errorName,
  schemaFor,
  type ApiKeyNumber,
  type RequestInputOf,
  type ResponseOf,
} from '../protocol';
import { assert } from '../util/assert';
import { SystemClock, type Clock, type TimerHandle } from '../util/clock';
import { ClientClosedError, ConnectionError, KafkaClientError, RequestTimeoutError, UnsupportedApiError } from './errors';
import { tcpDialer } from './tcp-transport';
import { every } from './timers';
import type { Dialer, Transport } from './transport';

export const CLIENT_SOFTWARE_NAME = 'stream-workbench-client';
export const CLIENT_SOFTWARE_VERSION = '0.1.0';

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId: string;
  /** Kafka's socket.connection.setup.timeout.ms. */
  connectTimeoutMs?: number;
  /** Kafka's request.timeout.ms. */
  requestTimeoutMs?: number;
  maxInFlightRequests?: number;
  maxQueuedRequests?: number;
  maxFrameBytes?: number;
  /** Time for deadlines and the timeout sweep (default: the system clock). */
  clock?: Clock;
  /** How to reach the broker (default: TCP). */
  dialer?: Dialer;
}

export interface RequestOptions {
  /** Use at most this version (the connection still picks the highest shared one below it). */
  maxVersion?: number;
  /** Use exactly this version. */
  version?: number;
  /** Deadline for this request, replacing requestTimeoutMs (e.g. a long-polling fetch). */
  timeoutMs?: number;
  /** false for Produce with acks=0: the broker sends no answer. */
  expectResponse?: boolean;
}

/** A request as the connection tracks it, from queue to answer. */
interface Pending {
  readonly apiKey: ApiKeyNumber;
  readonly version: number;
  readonly correlationId: number;
  readonly chunks: Buffer[];
  readonly expectResponse: boolean;
  readonly timeoutMs: number;
  deadlineMs: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** Our own supported range per API: what the codec implements. */
function ourRange(apiKey: number): readonly [number, number] | undefined {
  return schemaFor(apiKey)?.validVersions;
}

export function apiName(apiKey: number): string {
  return schemaFor(apiKey)?.name ?? `API ${apiKey}`;
}

export class Connection {
  readonly address: string;
  readonly host: string;
  readonly port: number;
  private readonly clientId: string;
  private readonly requestTimeoutMs: number;
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly frames: FrameDecoder;
  private readonly inFlight = new Map<number, Pending>();
  private readonly queue: Pending[] = [];
  private queueHead = 0;
  private nextCorrelationId = 0;
  private closedError: Error | null = null;
  private sweepTimer: TimerHandle | null = null;
  private readonly closeListeners: ((err: Error) => void)[] = [];
  /** apiKey → version this connection uses; filled by negotiate(). */
  private readonly versions = new Map<number, number>();
  /** apiKey → the broker's advertised [min, max]. */
  readonly brokerVersions = new Map<number, readonly [number, number]>();

  private constructor(transport: Transport, clock: Clock, opts: ConnectionOptions) {
    this.transport = transport;
    this.clock = clock;
    this.host = opts.host;
    this.port = opts.port;
    this.address = `${opts.host}:${opts.port}`;
    this.clientId = opts.clientId;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.maxInFlight = opts.maxInFlightRequests ?? 100;
    this.maxQueued = opts.maxQueuedRequests ?? 10_000;
    assert(this.maxInFlight >= 1 && this.maxQueued >= 0, 'connection bounds must be positive');
    this.frames = new FrameDecoder({ maxFrameBytes: opts.maxFrameBytes ?? 104857600 });
    transport.start({
      data: (chunk) => this.onData(chunk),
      closed: (code, cause) => this.fail(new ConnectionError(this.address, code, 'lost', cause === undefined ? undefined : { cause })),
    });
    const sweepEveryMs = Math.max(10, Math.min(1000, Math.floor(this.requestTimeoutMs / 4)));
    this.sweepTimer = every(clock, sweepEveryMs, () => this.sweep());
  }

  /** Opens a connection and negotiates API versions. Rejects with ConnectionError. */
  static async connect(opts: ConnectionOptions): Promise<Connection> {
    const clock = opts.clock ?? new SystemClock();
    const dialer = opts.dialer ?? tcpDialer;
    const transport = await dialer.dial({ host: opts.host, port: opts.port }, { connectTimeoutMs: opts.connectTimeoutMs ?? 10_000, clock });
    const conn = new Connection(transport, clock, opts);
    try {
      await conn.negotiate();
    } catch (err) {
      conn.close();
      throw err;
    }
    return conn;
  }

  get isClosed(): boolean {
    return this.closedError !== null;
  }

  /** Requests sent and not yet answered. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Requests waiting for an in-flight slot. */
  get queuedCount(): number {
    return this.queue.length - this.queueHead;
  }

  onClose(listener: (err: Error) => void): void {
    if (this.closedError !== null) listener(this.closedError);
    else this.closeListeners.push(listener);
  }

  /** The version this connection uses for `apiKey`, or undefined when the broker lacks it. */
  versionFor(apiKey: number, maxVersion?: number): number | undefined {
    const v = this.versions.get(apiKey);
    if (v === undefined) return undefined;
    if (maxVersion === undefined || v <= maxVersion) return v;
    const broker = this.brokerVersions.get(apiKey)!;
    const ours = ourRange(apiKey)!;
    const lowest = Math.max(broker[0], ours[0]);
    return maxVersion >= lowest ? maxVersion : undefined;
  }

  /**
   * Sends one request; resolves with the decoded answer. Rejects with ConnectionError,
   * RequestTimeoutError, UnsupportedApiError or ClientClosedError. Kafka error codes
   * inside the answer are the caller's to read.
   */
  request<K extends ApiKeyNumber>(apiKey: K, message: RequestInputOf<K>, options: RequestOptions = {}): Promise<ResponseOf<K>> {
    if (this.closedError !== null) return Promise.reject(this.closedError);
    const version = options.version ?? this.versionFor(apiKey, options.maxVersion);
    if (version === undefined) {
      return Promise.reject(new UnsupportedApiError(this.address, apiName(apiKey), 'no version both sides support'));
    }
    return this.send(apiKey, version, message, options);
  }

  private send<K extends ApiKeyNumber>(apiKey: K, version: number, message: RequestInputOf<K>, options: RequestOptions): Promise<ResponseOf<K>> {
    if (this.queuedCount >= this.maxQueued && this.inFlight.size >= this.maxInFlight) {
      return Promise.reject(
        new KafkaClientError(`Too many requests queued for ${this.address} (${this.maxQueued}); the broker is not keeping up.`, true),
      );
    }
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId + 1) & 0x7fffffff;
    let chunks: Buffer[];
    try {
      chunks = encodeRequestFrame({ requestApiKey: apiKey, requestApiVersion: version, correlationId, clientId: this.clientId }, message);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<ResponseOf<K>>((resolve, reject) => {
      const pending: Pending = {
        apiKey,
        version,
        correlationId,
        chunks,
        expectResponse: options.expectResponse ?? true,
        timeoutMs: options.timeoutMs ?? this.requestTimeoutMs,
        deadlineMs: 0,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      if (this.inFlight.size < this.maxInFlight && this.queuedCount === 0) this.write(pending);
      else this.queue.push(pending);
    });
  }

  private write(p: Pending): void {
    p.deadlineMs = this.clock.monotonicMs() + p.timeoutMs;
    this.transport.write(p.chunks);
    if (p.expectResponse) this.inFlight.set(p.correlationId, p);
    else p.resolve(undefined);
  }

  private pump(): void {
    while (this.queueHead < this.queue.length && this.inFlight.size < this.maxInFlight && this.closedError === null) {
      const p = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined as unknown as Pending;
      this.write(p);
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (err) {
      this.fail(new KafkaClientError(`Bad frame from ${this.address}: ${(err as Error).message}`, true, { cause: err }));
      return;
    }
    for (const frame of frames) {
      if (this.closedError !== null) return;
      if (frame.length < 4) {
        this.fail(new KafkaClientError(`Response from ${this.address} is too short to hold a correlation id`, true));
        return;
      }
      const correlationId = frame.readInt32BE(0);
      const p = this.inFlight.get(correlationId);
      const oldest = this.inFlight.keys().next().value;
      if (p === undefined || oldest !== correlationId) {
        this.fail(new KafkaClientError(`Response from ${this.address} with unexpected correlation id ${correlationId}`, true));
        return;
      }
      this.inFlight.delete(correlationId);
      let message: unknown;
      try {
        message = this.decode(p, frame);
      } catch (err) {
        p.reject(err as Error);
        this.fail(new KafkaClientError(`Undecodable ${apiName(p.apiKey)} response from ${this.address}: ${(err as Error).message}`, true));
        return;
      }
      p.resolve(message);
    }
    this.pump();
  }

  private decode(p: Pending, frame: Buffer): unknown {
    if (p.apiKey === ApiKey.ApiVersions && p.version > 0 && frame.length >= 6 && frame.readInt16BE(4) === ErrorCode.UNSUPPORTED_VERSION) {
      // KIP-511: the broker did not know our version and answered in v0.
      return decodeResponseFrame(ApiKey.ApiVersions, 0, frame).message;
    }
    return decodeResponseFrame(p.apiKey, p.version, frame).message;
  }

  private sweep(): void {
    if (this.inFlight.size === 0) return;
    const now = this.clock.monotonicMs();
    for (const p of this.inFlight.values()) {
      if (p.deadlineMs <= now) {
        this.inFlight.delete(p.correlationId);
        p.reject(new RequestTimeoutError(this.address, apiName(p.apiKey), p.timeoutMs));
        this.fail(new ConnectionError(this.address, 'ETIMEDOUT', 'lost'));
        return;
      }
    }
  }

  /** ApiVersions handshake; fills `versions`. */
  private async negotiate(): Promise<void> {
    const ours = ourRange(ApiKey.ApiVersions)!;
    let version = ours[1];
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await this.send(ApiKey.ApiVersions, version, { clientSoftwareName: CLIENT_SOFTWARE_NAME, clientSoftwareVersion: CLIENT_SOFTWARE_VERSION }, {});
      if (res.errorCode === ErrorCode.UNSUPPORTED_VERSION) {
        const entry = res.apiKeys.find((k) => k.apiKey === ApiKey.ApiVersions);
        const next = entry === undefined ? 0 : Math.min(entry.maxVersion, ours[1]);
        if (next >= version) break;
        version = next;
        continue;
      }
      if (res.errorCode !== ErrorCode.NONE) {
        throw new UnsupportedApiError(this.address, 'ApiVersions', `the broker answered ${errorName(res.errorCode)}`);
      }
      for (const k of res.apiKeys) {
        this.brokerVersions.set(k.apiKey, [k.minVersion, k.maxVersion]);
        const range = ourRange(k.apiKey);
        if (range === undefined) continue;
        const v = Math.min(range[1], k.maxVersion);
        if (v >= Math.max(range[0], k.minVersion)) this.versions.set(k.apiKey, v);
      }
      return;
    }
    throw new UnsupportedApiError(this.address, 'ApiVersions', 'no ApiVersions version both sides speak');
  }

  private fail(err: Error): void {
    if (this.closedError !== null) return;
    this.closedError = err;
    this.sweepTimer?.cancel();
    this.sweepTimer = null;
    this.transport.close();
    const pending = [...this.inFlight.values(), ...this.queue.slice(this.queueHead)];
    this.inFlight.clear();
    this.queue.length = 0;
    this.queueHead = 0;
    for (const p of pending) p.reject(err);
    for (const l of this.closeListeners.splice(0)) l(err);
  }

  /** Closes the transport; requests not yet answered fail with ClientClosedError. */
  close(): void {
    this.fail(new ClientClosedError(`Connection to ${this.address}`));
  }
}
