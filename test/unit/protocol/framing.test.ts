/**
 * FrameDecoder over arbitrary TCP chunk boundaries (property-based), its refusal of
 * oversized and negative frames, header peeking, and the KIP-511 ApiVersions fallback.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeResponseFrame, encodeRequestFrame } from '../../../engine/protocol/codec';
import {
  DEFAULT_MAX_FRAME_BYTES,
  FrameDecoder,
  FrameSizeError,
  apiVersionsFallbackResponse,
  needsApiVersionsFallback,
  peekRequestHeader,
} from '../../../engine/protocol/framing';
import { ADVERTISED_VERSIONS, ApiKey, advertisedApiKeys } from '../../../engine/protocol/registry';
import { ProtocolDecodeError, concatChunks } from '../../../engine/protocol/types';

function sized(payload: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(payload.length);
  return Buffer.concat([prefix, payload]);
}

/** Splits `stream` at the given cut points (any order, duplicates allowed). */
function splitAt(stream: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(stream.subarray(from, p));
    from = p;
  }
  out.push(stream.subarray(from));
  return out;
}

describe('FrameDecoder', () => {
  it('yields exactly the frames sent, in order, however the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { minLength: 0, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (payloads, cuts) => {
          const frames = payloads.map((p) => Buffer.from(p));
          const stream = Buffer.concat(frames.map(sized));
          const decoder = new FrameDecoder({ maxFrameBytes: 300 });
          const received: Buffer[] = [];
          for (const chunk of splitAt(stream, cuts)) received.push(...decoder.push(chunk));
          expect(received.map((f) => f.toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
          expect(decoder.pendingBytes).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands out at most maxFrames frames a push and keeps the rest, in order, for the next pushes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 50 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 0, max: 5 }),
        (payloads, cuts, maxFrames) => {
          const frames = payloads.map((p) => Buffer.from(p));
          const decoder = new FrameDecoder();
          const received: Buffer[] = [];
          for (const chunk of splitAt(Buffer.concat(frames.map(sized)), cuts)) {
            const got = decoder.push(chunk, maxFrames);
            expect(got.length).toBeLessThanOrEqual(maxFrames);
            received.push(...got);
          }
          for (let got = decoder.push(Buffer.alloc(0), 1); got.length > 0; got = decoder.push(Buffer.alloc(0), 1)) received.push(...got);
          expect(received.map((f) => f.toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
          expect(decoder.pendingBytes).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('holds back an incomplete frame and counts its bytes as pending', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), (payload, cut) => {
        const stream = sized(Buffer.from(payload));
        const at = cut % stream.length; // strictly before the end
        const decoder = new FrameDecoder();
        expect(decoder.push(stream.subarray(0, at))).toEqual([]);
        expect(decoder.pendingBytes).toBe(at);
        expect(decoder.push(stream.subarray(at))).toEqual([Buffer.from(payload)]);
      }),
    );
  });

  it('returns frames that lie within one chunk as views of it, without copying', () => {
    const chunk = Buffer.concat([sized(Buffer.from('aaaa', 'hex')), sized(Buffer.from('bbbbbb', 'hex'))]);
    const frames = new FrameDecoder().push(chunk);
    expect(frames).toHaveLength(2);
    for (const f of frames) expect(f.buffer).toBe(chunk.buffer);
  });

  it('assembles a large frame from many small chunks', () => {
    const payload = Buffer.alloc(1 << 20, 9);
    const stream = sized(payload);
    const decoder = new FrameDecoder();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 1000) out.push(...decoder.push(stream.subarray(i, i + 1000)));
    expect(out).toHaveLength(1);
    expect(out[0]!.equals(payload)).toBe(true);
  });

  it('accepts empty frames', () => {
    expect(new FrameDecoder().push(Buffer.from('0000000000000000', 'hex'))).toEqual([Buffer.alloc(0), Buffer.alloc(0)]);
  });

  it("defaults its maximum to Kafka's socket.request.max.bytes (104857600)", () => {
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(104857600);
    expect(new FrameDecoder().maxFrameBytes).toBe(104857600);
  });

  it('refuses a frame over the maximum as soon as its size prefix arrives, and stays refused', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 100 });
    expect(decoder.push(sized(Buffer.alloc(100)))).toHaveLength(1); // exactly the maximum is fine
    expect(decoder.push(Buffer.from('0000', 'hex'))).toEqual([]);
    let error: unknown;
    try {
      decoder.push(Buffer.from('0065', 'hex')); // completes the size 101, no body yet
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FrameSizeError);
    expect((error as FrameSizeError).sizeBytes).toBe(101);
    expect((error as Error).message).toMatch(/frame of 101 bytes exceeds the maximum of 100 \(socket\.request\.max\.bytes\)/);
    expect(decoder.pendingBytes).toBe(0);
    expect(() => decoder.push(sized(Buffer.alloc(1)))).toThrow(FrameSizeError);
  });

  it('refuses a frame claiming 2 GiB with the default maximum, and negative sizes', () => {
    expect(() => new FrameDecoder().push(Buffer.from('7fffffff00', 'hex'))).toThrow(FrameSizeError);
    expect(() => new FrameDecoder().push(Buffer.from('ffffffff', 'hex'))).toThrow(/invalid frame size -1/);
    // HTTP sent to a Kafka port: "GET " reads as a size of 1195725856 bytes.
    expect(() => new FrameDecoder().push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/frame of 1195725856 bytes exceeds/);
  });
});

describe('peekRequestHeader', () => {
  it('reads api key, version and correlation id even when the rest is garbage', () => {
    const frame = Buffer.from('0001002a1234567899999999', 'hex');
    expect(peekRequestHeader(frame)).toEqual({ requestApiKey: 1, requestApiVersion: 42, correlationId: 0x12345678 });
  });

  it('agrees with the full header of an encoded request', () => {
    const frame = concatChunks(
      encodeRequestFrame({ requestApiKey: ApiKey.Fetch, requestApiVersion: 12, correlationId: -5, clientId: 'x' }, {}),
    ).subarray(4);
    expect(peekRequestHeader(frame)).toEqual({ requestApiKey: 1, requestApiVersion: 12, correlationId: -5 });
  });

  it('refuses frames shorter than 8 bytes', () => {
    expect(() => peekRequestHeader(Buffer.from('00010002000000', 'hex'))).toThrow(ProtocolDecodeError);
  });
});

describe('KIP-511 ApiVersions fallback', () => {
  it('applies to ApiVersions requests at versions the broker lacks, and to nothing else', () => {
    const peek = (requestApiKey: number, requestApiVersion: number) => ({ requestApiKey, requestApiVersion, correlationId: 1 });
    expect(needsApiVersionsFallback(peek(ApiKey.ApiVersions, 5))).toBe(true);
    expect(needsApiVersionsFallback(peek(ApiKey.ApiVersions, 32767))).toBe(true);
    expect(needsApiVersionsFallback(peek(ApiKey.ApiVersions, -1))).toBe(true);
    expect(needsApiVersionsFallback(peek(ApiKey.ApiVersions, 4))).toBe(false);
    expect(needsApiVersionsFallback(peek(ApiKey.ApiVersions, 0))).toBe(false);
    expect(needsApiVersionsFallback(peek(ApiKey.Produce, 99))).toBe(false);
  });

  it('answers with an ApiVersions v0 frame: header v0, UNSUPPORTED_VERSION, the ApiVersions range', () => {
    const bytes = concatChunks(apiVersionsFallbackResponse(0x01020304));
    expect(bytes.toString('hex')).toBe(
      [
        '00000010', // size 16
        '01020304', // correlation id (response header v0)
        '0023', // error code 35 UNSUPPORTED_VERSION
        '00000001', // one api key (classic array: v0)
        '0012', // ApiVersions
        '0000', // min version 0
        '0004', // max version 4
      ].join(''),
    );
  });

  it('can list every advertised API instead', () => {
    const all = advertisedApiKeys();
    const frame = concatChunks(apiVersionsFallbackResponse(9, all)).subarray(4);
    const { correlationId, message } = decodeResponseFrame(ApiKey.ApiVersions, 0, frame, { exact: true });
    expect(correlationId).toBe(9);
    expect(message.errorCode).toBe(35);
    expect(message.apiKeys).toEqual(all);
  });

  it('answers a request from a future client whose body it cannot parse', () => {
    // ApiVersions v9 with header v2 and a body this broker has never seen.
    const request = Buffer.from('0012' + '0009' + '0000002a' + '0003616263' + '00' + 'deadbeefdeadbeef', 'hex');
    const frames = new FrameDecoder().push(sized(request));
    const peek = peekRequestHeader(frames[0]!);
    expect(needsApiVersionsFallback(peek)).toBe(true);
    const answer = concatChunks(apiVersionsFallbackResponse(peek.correlationId)).subarray(4);
    const { correlationId, message } = decodeResponseFrame(ApiKey.ApiVersions, 0, answer, { exact: true });
    expect(correlationId).toBe(42);
    expect(message.apiKeys).toEqual([{ apiKey: 18, minVersion: 0, maxVersion: ADVERTISED_VERSIONS[18]![1] }]);
  });
});
