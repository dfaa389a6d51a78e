/**
 * One client connection to a broker's Kafka listener, over a WireSocket: a node:net
 * Socket (tcp-server.ts), or the simulator's in-process socket, which brings the
 * engine's own Kafka client to these same handlers without TCP.
 *
 * Framing: size-prefixed frames (FrameDecoder); a frame larger than
 * socket.request.max.bytes closes the connection, as Kafka does.
 *
 * Order: requests on one connection are handled one at a time, in arrival order, and
 * answered in that order (Kafka mutes a channel while a request is in flight; clients
 * rely on responses coming back in order).
 *
 * Bounds: at most MAX_QUEUED_FRAMES decoded frames wait. When the queue is full the
 * socket stops being read and further frames stay undecoded in the FrameDecoder (at
 * most the chunks that arrived before the pause took effect) until the queue has
 * drained to half; a chunk full of tiny frames therefore never grows the queue past
 * its bound. While the socket's write buffer is over its high-water mark, no further
 * request is processed, so a slow reader cannot make the broker buffer responses
 * without bound.
 *
 * Bad input: an API version this broker does not implement closes the connection
 * (Kafka's behaviour), except ApiVersions, which gets the KIP-511 v0 answer with
 * UNSUPPORTED_VERSION; a body that does not decode closes the connection. Nothing
 * malformed reaches a handler.
 *
 * Invariants (asserted, and on in production): the queue never holds more than
 * MAX_QUEUED_FRAMES frames; at most one request of this connection is being handled;
 * every decoded request that expects a response gets exactly one, in order.
 */
import {
  FrameDecoder, FrameSizeError, ProtocolDecodeError, apiVersionsFallbackResponse, decodeRequestFrame,
  encodeResponseFrame, isSupportedVersion, needsApiVersionsFallback, peekRequestHeader, type ApiKeyNumber, type DecodedRequest,
} from '../protocol';
import { assert } from '../util/assert';

export const MAX_QUEUED_FRAMES = 64;
const EMPTY_CHUNK = Buffer.alloc(0);

export interface RequestMeta {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  clientHost: string;
  connectionId: number;
}

/**
 * What a connection uses of its socket (a node:net Socket has all of it): bytes in
 * ('data'), the end ('error', 'close'), bytes out (cork, write, uncork), flow control
 * (pause and resume reading; writableNeedDrain and 'drain' for writing) and destroy.
 */
export interface WireSocket {
  readonly remoteAddress?: string | undefined;
  readonly writableNeedDrain: boolean;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'error' | 'close', listener: () => void): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  cork(): void;
  uncork(): void;
  write(chunk: Buffer): unknown;
  destroy(): unknown;
}

/** Handles one decoded request; resolves to the response message, or null for "no response" (acks=0). */
export type RequestHandler = (request: DecodedRequest, meta: RequestMeta) => Promise<unknown | null>;

export interface ConnectionEvents {
  /** A protocol-level problem (bad frame, unsupported version): the connection is closed. */
  onProtocolError(reason: string, meta: Partial<RequestMeta>): void;
  /** A handler failed unexpectedly (a bug): the connection is closed. */
  onHandlerError(err: unknown, meta: RequestMeta): void;
  onClose(): void;
  /** Bytes of request frames received and response frames sent. */
  onBytes(inBytes: number, outBytes: number): void;
}

export class WireConnection {
  private readonly decoder: FrameDecoder;
  private readonly queue: Buffer[] = [];
  private processing = false;
  /** Requests being handled right now: 0 or 1. */
  private inFlight = 0;
  private closed = false;
  private paused = false;

  constructor(
    private readonly socket: WireSocket,
    readonly id: number,
    maxFrameBytes: number,
    private readonly handler: RequestHandler,
    private readonly events: ConnectionEvents,
  ) {
    this.decoder = new FrameDecoder({ maxFrameBytes });
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get remoteHost(): string {
    return this.socket.remoteAddress ?? 'unknown';
  }

  /** Decoded frames waiting to be handled (at most MAX_QUEUED_FRAMES). */
  get queuedFrames(): number {
    return this.queue.length;
  }

  /** Whether the socket is not being read because the queue is full. */
  get readPaused(): boolean {
    return this.paused;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.socket.destroy();
    this.events.onClose();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (!this.decode(chunk)) return;
    void this.pump();
  }

  /**
   * Feeds `chunk` to the decoder and queues the frames it completes, no more than the
   * queue has room for (the rest stay in the decoder). Pauses reading when the queue is
   * full. Returns false when the stream is not Kafka framing (the connection closed).
   */
  private decode(chunk: Buffer): boolean {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk, MAX_QUEUED_FRAMES - this.queue.length);
    } catch (err) {
      const reason = err instanceof FrameSizeError ? err.message : `bad frame: ${err instanceof Error ? err.message : String(err)}`;
      this.events.onProtocolError(reason, { connectionId: this.id });
      this.close();
      return false;
    }
    for (const f of frames) {
      this.events.onBytes(f.length + 4, 0);
      this.queue.push(f);
    }
    assert(this.queue.length <= MAX_QUEUED_FRAMES, () => `connection ${this.id} queued ${this.queue.length} frames, more than ${MAX_QUEUED_FRAMES}`);
    if (this.queue.length >= MAX_QUEUED_FRAMES && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    return true;
  }

  private async pump(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        if (this.socket.writableNeedDrain) {
          await new Promise<void>((resolve) => {
            const done = () => {
              this.socket.off('drain', done);
              this.socket.off('close', done);
              resolve();
            };
            this.socket.once('drain', done);
            this.socket.once('close', done);
          });
          if (this.closed) break;
        }
        const frame = this.queue.shift()!;
        if (this.paused && this.queue.length < MAX_QUEUED_FRAMES / 2) {
          // Frames already received come first; read the socket again only once they fit.
          if (!this.decode(EMPTY_CHUNK)) break;
          if (this.queue.length < MAX_QUEUED_FRAMES) {
            this.paused = false;
            this.socket.resume();
          }
        }
        await this.handleFrame(frame);
      }
    } finally {
      this.processing = false;
    }
  }

  private async handleFrame(frame: Buffer): Promise<void> {
    assert(this.inFlight === 0, () => `connection ${this.id} started a request while another was in flight`);
    this.inFlight++;
    try {
      await this.handleOne(frame);
    } finally {
      this.inFlight--;
    }
    assert(this.inFlight === 0, 'one request in flight at a time');
  }

  private async handleOne(frame: Buffer): Promise<void> {
    let peek;
    try {
      peek = peekRequestHeader(frame);
    } catch (err) {
      this.events.onProtocolError(err instanceof Error ? err.message : String(err), { connectionId: this.id });
      this.close();
      return;
    }
    const base = { apiKey: peek.requestApiKey, apiVersion: peek.requestApiVersion, correlationId: peek.correlationId, connectionId: this.id };
    if (needsApiVersionsFallback(peek)) {
      this.write(apiVersionsFallbackResponse(peek.correlationId));
      return;
    }
    if (!isSupportedVersion(peek.requestApiKey, peek.requestApiVersion)) {
      this.events.onProtocolError(`unsupported API ${peek.requestApiKey} version ${peek.requestApiVersion}`, base);
      this.close();
      return;
    }
    let request: DecodedRequest;
    try {
      request = decodeRequestFrame(frame);
    } catch (err) {
      const reason = err instanceof ProtocolDecodeError ? err.message : `undecodable request: ${err instanceof Error ? err.message : String(err)}`;
      this.events.onProtocolError(reason, base);
      this.close();
      return;
    }
    const meta: RequestMeta = { ...base, clientId: request.header.clientId ?? null, clientHost: this.remoteHost };
    let response: unknown | null;
    try {
      response = await this.handler(request, meta);
    } catch (err) {
      this.events.onHandlerError(err, meta);
      this.close();
      return;
    }
    if (response === null || this.closed) return;
    let chunks: Buffer[];
    try {
      chunks = encodeResponseFrame(request.apiKey as ApiKeyNumber, request.apiVersion, peek.correlationId, response as never);
    } catch (err) {
      this.events.onHandlerError(err, meta);
      this.close();
      return;
    }
    this.write(chunks);
  }

  private write(chunks: Buffer[]): void {
    if (this.closed) return;
    let bytes = 0;
    this.socket.cork();
    for (const c of chunks) {
      bytes += c.length;
      this.socket.write(c);
    }
    this.socket.uncork();
    this.events.onBytes(0, bytes);
  }
}
