import { describe, expect, it } from 'vitest';
import { compressSync as snappyRaw } from 'snappy';
import {
  AsyncCodecRequiredError,
  Codec,
  CodecError,
  LZ4_FRAME_MAGIC,
  compress,
  compressSync,
  decompress,
  decompressSync,
  isXerialSnappy,
  snappyCompressXerial,
  snappyDecompressAny,
  type CodecId,
} from '../../../engine/storage/compression';

/** xxHash32, for building LZ4 frames by hand (header and content checksums). */
function xxh32(buf: Buffer, seed = 0): number {
  const P1 = 2654435761;
  const P2 = 2246822519;
  const P3 = 3266489917;
  const P4 = 668265263;
  const P5 = 374761393;
  const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
  const mul = (a: number, b: number) => Math.imul(a, b) >>> 0;
  const round = (acc: number, lane: number) => mul(rotl((acc + mul(lane, P2)) >>> 0, 13), P1);
  let i = 0;
  let h: number;
  if (buf.length >= 16) {
    let v1 = (seed + P1 + P2) >>> 0;
    let v2 = (seed + P2) >>> 0;
    let v3 = seed >>> 0;
    let v4 = (seed - P1) >>> 0;
    for (; i <= buf.length - 16; i += 16) {
      v1 = round(v1, buf.readUInt32LE(i));
      v2 = round(v2, buf.readUInt32LE(i + 4));
      v3 = round(v3, buf.readUInt32LE(i + 8));
      v4 = round(v4, buf.readUInt32LE(i + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0;
  } else h = (seed + P5) >>> 0;
  h = (h + buf.length) >>> 0;
  for (; i + 4 <= buf.length; i += 4) h = mul(rotl((h + mul(buf.readUInt32LE(i), P3)) >>> 0, 17), P4);
  for (; i < buf.length; i++) h = mul(rotl((h + mul(buf[i], P5)) >>> 0, 11), P1);
  h = mul(h ^ (h >>> 15), P2);
  h = mul(h ^ (h >>> 13), P3);
  return (h ^ (h >>> 16)) >>> 0;
}

function payload(bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[i] = (i * 31 + (i >> 7)) & 0xff;
  return Buffer.concat([b, Buffer.from('some repetitive text '.repeat(50))]);
}

describe('codecs', () => {
  const syncCodecs: CodecId[] = [Codec.NONE, Codec.GZIP, Codec.SNAPPY, Codec.LZ4];

  for (const codec of syncCodecs) {
    it(`round-trips codec ${codec} synchronously and asynchronously, empty and large inputs`, async () => {
      for (const data of [Buffer.alloc(0), payload(10), payload(200_000)]) {
        const c = compressSync(codec, data);
        expect(decompressSync(codec, c).equals(data)).toBe(true);
        expect((await decompress(codec, await compress(codec, data))).equals(data)).toBe(true);
      }
    });
  }

  it('round-trips zstd asynchronously and refuses it on the sync path', async () => {
    const data = payload(50_000);
    const c = await compress(Codec.ZSTD, data);
    expect(c.readUInt32LE(0)).toBe(0xfd2fb528); // zstd frame magic
    expect((await decompress(Codec.ZSTD, c)).equals(data)).toBe(true);
    expect(() => compressSync(Codec.ZSTD, data)).toThrow(AsyncCodecRequiredError);
    expect(() => decompressSync(Codec.ZSTD, c)).toThrow(AsyncCodecRequiredError);
  });

  it('writes snappy in the xerial framing Kafka clients expect', () => {
    const data = payload(100_000);
    const c = snappyCompressXerial(data);
    expect(c.subarray(0, 8).equals(Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]))).toBe(true);
    expect(c.readInt32BE(8)).toBe(1); // version
    expect(c.readInt32BE(12)).toBe(1); // minimum compatible version
    // Blocks of at most 32 KiB of input: 100_000+ bytes make at least 4 blocks.
    let pos = 16;
    let blocks = 0;
    while (pos < c.length) {
      pos += 4 + c.readInt32BE(pos);
      blocks++;
    }
    expect(pos).toBe(c.length);
    expect(blocks).toBeGreaterThanOrEqual(4);
    expect(compressSync(Codec.SNAPPY, data).equals(c)).toBe(true);
  });

  it('decodes both a raw snappy payload (librdkafka) and a xerial-framed one (Java)', () => {
    const data = payload(5_000);
    const raw = snappyRaw(data);
    const framed = snappyCompressXerial(data);
    expect(isXerialSnappy(raw)).toBe(false);
    expect(isXerialSnappy(framed)).toBe(true);
    expect(snappyDecompressAny(raw).equals(data)).toBe(true);
    expect(snappyDecompressAny(framed).equals(data)).toBe(true);
    expect(decompressSync(Codec.SNAPPY, raw).equals(data)).toBe(true);
  });

  it('writes lz4 as a standard LZ4 frame (magic 0x184D2204, independent blocks)', () => {
    const c = compressSync(Codec.LZ4, payload(1000));
    expect(c.readUInt32LE(0)).toBe(LZ4_FRAME_MAGIC);
    const flg = c[4];
    expect(flg >> 6).toBe(1); // frame format version 01
    expect(flg & 0x20).toBe(0x20); // block independence, as KafkaLZ4BlockInputStream requires
  });

  it('reads an LZ4 frame built by hand the way KafkaLZ4BlockOutputStream writes incompressible data', () => {
    expect(xxh32(Buffer.alloc(0))).toBe(0x02cc5d05); // xxHash32 reference vectors
    expect(xxh32(Buffer.from('abc'))).toBe(0x32d153ff);
    const data = Buffer.from('kafka lz4 frame with one uncompressed block and a content checksum');
    const flg = 0x64; // version 01, independent blocks, content checksum
    const bd = 0x40; // 64 KiB maximum block size
    const hc = (xxh32(Buffer.from([flg, bd])) >>> 8) & 0xff;
    const blockSize = Buffer.alloc(4);
    blockSize.writeUInt32LE((data.length | 0x80000000) >>> 0); // high bit: stored uncompressed
    const end = Buffer.alloc(4);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32LE(xxh32(data));
    const magic = Buffer.alloc(4);
    magic.writeUInt32LE(LZ4_FRAME_MAGIC);
    const frame = Buffer.concat([magic, Buffer.from([flg, bd, hc]), blockSize, data, end, checksum]);
    expect(decompressSync(Codec.LZ4, frame).equals(data)).toBe(true);
    // A wrong content checksum is detected.
    const bad = Buffer.from(frame);
    bad[bad.length - 1] ^= 0xff;
    expect(() => decompressSync(Codec.LZ4, bad)).toThrow(CodecError);
  });

  it('reports payloads that do not decompress as CodecError', async () => {
    const garbage = Buffer.from('definitely not compressed data at all');
    expect(() => decompressSync(Codec.GZIP, garbage)).toThrow(CodecError);
    expect(() => decompressSync(Codec.LZ4, garbage)).toThrow(CodecError);
    expect(() => decompressSync(Codec.SNAPPY, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]))).toThrow(CodecError);
    const truncatedXerial = snappyCompressXerial(payload(1000)).subarray(0, 30);
    expect(() => decompressSync(Codec.SNAPPY, truncatedXerial)).toThrow(CodecError);
    await expect(decompress(Codec.ZSTD, garbage)).rejects.toThrow(CodecError);
  });
});
