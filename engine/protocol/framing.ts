/**
 * Framing of the Kafka wire protocol over TCP: every request and response is an int32
 * size followed by that many bytes (header + body).
 *
 * FrameDecoder turns the arbitrary chunks a socket delivers into whole frames (without
 * their size prefix). A frame that lies within one chunk is returned as a view of it
 * (no copy); a frame spanning chunks is copied once into a Buffer of exactly its size,
 * when its last byte arrives (no re-concatenation per chunk).
 * Bounds: a size above `maxFrameBytes` (Kafka's socket.request.max.bytes, default
 * 104857600) or below 0 raises FrameSizeError before any of the frame is buffered; the
 * server then closes the connection, as Kafka does. After an error the decoder refuses
 * further input. It holds at most one partial frame plus the remainder of one chunk,
 * unless the caller takes fewer frames than are complete (`maxFrames`, a reader that
 * bounds its queue): then it also holds the chunks pushed meanwhile, and an empty
 * push takes the next frames.
 *
 * Also here: peeking at a request header that may not decode (to answer errors with the
 * right correlation id) and the KIP-511 fallback for ApiVersions requests at versions
 * the broker does not know: an ApiVersions v0 response (header v0) with error
 * UNSUPPORTED_VERSION listing the ApiVersions versions the broker supports, from which
 * the client picks a version to retry with.
 *
 * Frames may be views of the chunks pushed, so chunks must never be overwritten
 * afterwards (true of Node socket 'data' chunks, unless the socket was given a reused
 * `onread` buffer). Not thread-safe; one FrameDecoder per connection.
 */
import { assert } from '../util/assert';
import { encodeResponseFrame } from './codec';
import { ErrorCode } from './errors';
import { ADVERTISED_VERSIONS, ApiKey, isSupportedVersion } from './registry';
import { EMPTY_BUFFER, ProtocolDecodeError } from './types';

/** Kafka's default socket.request.max.bytes (100 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 104857600;

/** A frame whose size prefix is negative or above the configured maximum. */
export class FrameSizeError extends Error {
  override name = 'FrameSizeError';
  constructor(
    readonly sizeBytes: number,
    readonly maxFrameBytes: number,
  ) {
    super(
      sizeBytes < 0
        ? `invalid frame size ${sizeBytes}: the peer is not speaking the Kafka protocol or the stream is corrupt`
        : `frame of ${sizeBytes} bytes exceeds the maximum of ${maxFrameBytes} (socket.request.max.bytes); closing the connection`,
    );
  }
}

export interface FrameDecoderOptions {
  readonly maxFrameBytes?: number;
}

export class FrameDecoder {
  readonly maxFrameBytes: number;
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** Size of the frame being assembled, once its prefix has been read; -1 before. */
  private frameBytes = -1;
  private failure: FrameSizeError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    assert(
      Number.isInteger(this.maxFrameBytes) && this.maxFrameBytes >= 0 && this.maxFrameBytes <= 0x7fffffff,
      () => `maxFrameBytes ${this.maxFrameBytes} must be an int32 >= 0`,
    );
  }

  /** Bytes received but not yet returned as frames (size prefixes included). */
  get pendingBytes(): number {
    return this.bufferedBytes + (this.frameBytes >= 0 ? 4 : 0);
  }

  /** Feeds one chunk; returns the frames completed so far, in order, at most `maxFrames` (possibly none). */
  push(chunk: Buffer, maxFrames = Number.POSITIVE_INFINITY): Buffer[] {
    if (this.failure !== null) throw this.failure;
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    const frames: Buffer[] = [];
    while (frames.length < maxFrames) {
      if (this.frameBytes < 0) {
        if (this.bufferedBytes < 4) break;
        const size = this.take(4).readInt32BE(0);
        if (size < 0 || size > this.maxFrameBytes) {
          this.failure = new FrameSizeError(size, this.maxFrameBytes);
          this.chunks = [];
          this.bufferedBytes = 0;
          throw this.failure;
        }
        this.frameBytes = size;
      }
      if (this.bufferedBytes < this.frameBytes) break;
      frames.push(this.take(this.frameBytes));
      this.frameBytes = -1;
    }
    assert(this.bufferedBytes >= 0, 'buffered bytes never negative');
    return frames;
  }

  /** Removes and returns the next n buffered bytes (n <= bufferedBytes). */
  private take(n: number): Buffer {
    assert(n <= this.bufferedBytes, () => `take(${n}) with ${this.bufferedBytes} buffered`);
    if (n === 0) return EMPTY_BUFFER;
    const first = this.chunks[0]!;
    this.bufferedBytes -= n;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let used = 0;
    while (filled < n) {
      const c = this.chunks[used]!;
      const part = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, part);
      filled += part;
      if (part === c.length) used++;
      else this.chunks[used] = c.subarray(part);
    }
    this.chunks.splice(0, used);
    return out;
  }
}

/** The fixed start of every request header (v0, v1 and v2 alike). */
export interface RequestHeaderPeek {
  readonly requestApiKey: number;
  readonly requestApiVersion: number;
  readonly correlationId: number;
}

/**
 * Reads API key, version and correlation id from a request frame (no size prefix)
 * without decoding anything else, so that a request whose API, version or body the
 * broker cannot handle can still be answered or logged. Throws if fewer than 8 bytes.
 */
export function peekRequestHeader(frame: Buffer): RequestHeaderPeek {
  if (frame.length < 8) {
    throw new ProtocolDecodeError(`truncated: a request header needs 8 bytes, the frame has ${frame.length}`, 0).setContext(
      'request header',
    );
  }
  return {
    requestApiKey: frame.readInt16BE(0),
    requestApiVersion: frame.readInt16BE(2),
    correlationId: frame.readInt32BE(4),
  };
}

/** Whether a request needs the KIP-511 fallback: ApiVersions at a version we lack. */
export function needsApiVersionsFallback(peek: RequestHeaderPeek): boolean {
  return peek.requestApiKey === ApiKey.ApiVersions && !isSupportedVersion(ApiKey.ApiVersions, peek.requestApiVersion);
}

/**
 * The KIP-511 answer to an ApiVersions request at an unsupported version: size prefix,
 * response header v0, ApiVersions v0 body with UNSUPPORTED_VERSION and the ApiVersions
 * range this broker supports. Like Kafka, the list holds only the ApiVersions entry (the
 * client retries at the highest version it shares and then learns the rest); pass
 * `apiKeys` to list more.
 */
export function apiVersionsFallbackResponse(
  correlationId: number,
  apiKeys: readonly { apiKey: number; minVersion: number; maxVersion: number }[] = [apiVersionsEntry()],
): Buffer[] {
  return encodeResponseFrame(ApiKey.ApiVersions, 0, correlationId, {
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: apiKeys.map((k) => ({ ...k })),
  });
}

function apiVersionsEntry(): { apiKey: number; minVersion: number; maxVersion: number } {
  const range = ADVERTISED_VERSIONS[ApiKey.ApiVersions]!;
  return { apiKey: ApiKey.ApiVersions, minVersion: range[0], maxVersion: range[1] };
}
