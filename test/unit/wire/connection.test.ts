/**
 * The edge invariants of one client connection (engine/wire/connection.ts), on a fake
 * socket: however many request frames arrive in one chunk, at most MAX_QUEUED_FRAMES
 * wait decoded (the rest stay in the decoder while the socket is not read); requests
 * are handled one at a time, in arrival order; and every one of them is handled once
 * the queue drains.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ApiKey, concatChunks, encodeRequestFrame, type DecodedRequest } from '../../../engine/protocol';
import { MAX_QUEUED_FRAMES, WireConnection, type ConnectionEvents, type RequestMeta } from '../../../engine/wire/connection';

/** A WireSocket that records what is written. */
class FakeSocket extends EventEmitter {
  readonly remoteAddress = '127.0.0.1';
  writableNeedDrain = false;
  paused = false;
  pauses = 0;
  destroyed = false;
  readonly written: Buffer[] = [];
  setNoDelay(): void {}
  pause(): void {
    this.paused = true;
    this.pauses++;
  }
  resume(): void {
    this.paused = false;
  }
  cork(): void {}
  uncork(): void {}
  write(chunk: Buffer): boolean {
    this.written.push(chunk);
    return true;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
}

function apiVersionsFrame(correlationId: number): Buffer {
  return concatChunks(encodeRequestFrame({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId, clientId: 'test' }, {}));
}

const quiet: ConnectionEvents = { onProtocolError: () => undefined, onHandlerError: () => undefined, onClose: () => undefined, onBytes: () => undefined };

/** A handler that holds each request until released, counting how many run at once. */
function heldHandler() {
  const seen: number[] = [];
  const waiting: (() => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const handler = async (_req: DecodedRequest, meta: RequestMeta): Promise<null> => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    seen.push(meta.correlationId);
    await new Promise<void>((resolve) => waiting.push(resolve));
    running--;
    return null;
  };
  return {
    handler,
    seen,
    get maxRunning() {
      return maxRunning;
    },
    /** Lets every held request finish, then waits for the connection to take the next ones. */
    async releaseAll(): Promise<void> {
      for (const done of waiting.splice(0)) done();
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    },
  };
}

describe('wire connection', () => {
  it('keeps at most MAX_QUEUED_FRAMES decoded frames, however many arrive in one chunk, and stops reading meanwhile', async () => {
    const socket = new FakeSocket();
    const h = heldHandler();
    const conn = new WireConnection(socket, 1, 1 << 20, h.handler, quiet);
    const total = MAX_QUEUED_FRAMES * 5;
    socket.emit('data', Buffer.concat(Array.from({ length: total }, (_, i) => apiVersionsFrame(i))));
    await new Promise((r) => setImmediate(r));

    // The queue filled up and one of its frames is being handled; the rest wait undecoded and the socket is not read.
    expect(h.seen).toEqual([0]);
    expect(conn.queuedFrames).toBe(MAX_QUEUED_FRAMES - 1);
    expect(conn.readPaused).toBe(true);
    expect(socket.paused).toBe(true);

    let maxQueued = conn.queuedFrames;
    while (h.seen.length < total) {
      await h.releaseAll();
      maxQueued = Math.max(maxQueued, conn.queuedFrames);
    }
    await h.releaseAll();
    expect(maxQueued).toBeLessThanOrEqual(MAX_QUEUED_FRAMES);
    expect(h.seen).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(conn.queuedFrames).toBe(0);
    expect(socket.paused).toBe(false);
  });

  it('handles one request at a time, in arrival order, across chunks', async () => {
    const socket = new FakeSocket();
    const h = heldHandler();
    new WireConnection(socket, 2, 1 << 20, h.handler, quiet);
    const frames = Array.from({ length: 10 }, (_, i) => apiVersionsFrame(100 + i));
    // Frames split at awkward places: a size prefix, a header, a frame boundary.
    const bytes = Buffer.concat(frames);
    for (const [from, to] of [[0, 2], [2, 30], [30, 31], [31, bytes.length]]) socket.emit('data', bytes.subarray(from, to));
    for (let i = 0; i < 12; i++) await h.releaseAll();
    expect(h.maxRunning).toBe(1);
    expect(h.seen).toEqual(frames.map((_, i) => 100 + i));
  });

  it('drops what is queued when the connection closes, and handles nothing after', async () => {
    const socket = new FakeSocket();
    const h = heldHandler();
    const conn = new WireConnection(socket, 3, 1 << 20, h.handler, quiet);
    socket.emit('data', Buffer.concat(Array.from({ length: 20 }, (_, i) => apiVersionsFrame(i))));
    await new Promise((r) => setImmediate(r));
    conn.close();
    expect(conn.queuedFrames).toBe(0);
    await h.releaseAll();
    await h.releaseAll();
    expect(h.seen).toEqual([0]);
  });
});
