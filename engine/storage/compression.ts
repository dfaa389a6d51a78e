/**
 * Compression codecs of RecordBatch v2, byte-compatible with Kafka's clients.
 *
 * Codec ids are the low three bits of a batch's attributes: 0 none, 1 gzip
 * (RFC 1952, zlib), 2 snappy, 3 lz4, 4 zstd; 5-7 are unknown. Their ids and names
 * are written down once, in codec-table.ts (re-exported here); this file holds the
 * codecs themselves.
 *
 * Formats on the wire:
 *   - gzip: one gzip stream (multi-member streams are accepted on input).
 *   - snappy: the Java client writes the xerial "snappy-java" framing:
 *       magic 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00, int32 version (1), int32 minimum
 *       compatible version (1), then blocks of [int32 big-endian length, raw snappy
 *       block]; librdkafka may send one raw snappy block instead. We write xerial
 *       (32 KiB blocks) and read both, telling them apart by the 8-byte magic.
 *   - lz4: the standard LZ4 frame format (magic 0x184D2204 little-endian, as
 *     KafkaLZ4BlockOutputStream writes for magic >= 1; independent blocks).
 *   - zstd: one standard zstd frame. Our zstd binding is async only.
 *
 * Sync and async: every codec but zstd runs synchronously, which keeps the
 * simulator deterministic. Code that may meet zstd is written once as a generator
 * that yields `CodecRequest`s; `runSync` serves them synchronously (and throws
 * `AsyncCodecRequiredError` for zstd), `runAsync` awaits zstd and serves the rest
 * synchronously. So validate/build/decode/clean each exist in a sync and an async
 * flavour without duplicated logic.
 *
 * Failures raise `CodecError`; the record layer maps it to CORRUPT_MESSAGE.
 */
import * as zlib from 'node:zlib';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { compressSync as snappyCompressBlock, uncompressSync as snappyUncompressBlock } from 'snappy';
import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';
import { assert } from '../util/assert';
import { Codec, type CodecId } from './codec-table';

export * from './codec-table';

export class CodecError extends Error {
  override name = 'CodecError';
}

/** The sync API met a zstd payload; use the async flavour. */
export class AsyncCodecRequiredError extends Error {
  override name = 'AsyncCodecRequiredError';
}

// ---- snappy (xerial framing) ------------------------------------------------

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;
const XERIAL_BLOCK_BYTES = 32 * 1024;

export function isXerialSnappy(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_BYTES && data.subarray(0, 8).equals(XERIAL_MAGIC);
}

export function snappyCompressXerial(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  parts.push(header);
  for (let off = 0; off < data.length; off += XERIAL_BLOCK_BYTES) {
    const block = snappyCompressBlock(data.subarray(off, Math.min(data.length, off + XERIAL_BLOCK_BYTES)));
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length, 0);
    parts.push(len, block);
  }
  return Buffer.concat(parts);
}

function snappyUncompressRaw(block: Buffer): Buffer {
  try {
    return snappyUncompressBlock(block, { asBuffer: true }) as Buffer;
  } catch (e) {
    throw new CodecError(`snappy block does not decompress: ${(e as Error).message}`);
  }
}

/** Decompresses xerial-framed or raw snappy. */
export function snappyDecompressAny(data: Buffer): Buffer {
  if (!isXerialSnappy(data)) return snappyUncompressRaw(data);
  const out: Buffer[] = [];
  let pos = XERIAL_HEADER_BYTES;
  // Each block consumes at least 4 bytes, so this loop is bounded by data.length / 4.
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new CodecError('xerial snappy: truncated block length');
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > data.length) throw new CodecError(`xerial snappy: block of ${len} bytes runs past the end`);
    out.push(snappyUncompressRaw(data.subarray(pos, pos + len)));
    pos += len;
  }
  return out.length === 1 ? out[0] : Buffer.concat(out);
}

// ---- lz4 frame ----------------------------------------------------------------

export const LZ4_FRAME_MAGIC = 0x184d2204;

function lz4Decompress(data: Buffer): Buffer {
  if (data.length < 7 || data.readUInt32LE(0) !== LZ4_FRAME_MAGIC) {
    throw new CodecError('lz4 payload does not start with the LZ4 frame magic 0x184D2204');
  }
  try {
    return decompressFrameSync(data);
  } catch (e) {
    throw new CodecError(`lz4 frame does not decompress: ${(e as Error).message}`);
  }
}

// ---- sync / async entry points ------------------------------------------------

export function compressSync(codec: CodecId, data: Buffer): Buffer {
  switch (codec) {
    case Codec.NONE:
      return data;
    case Codec.GZIP:
      return zlib.gzipSync(data);
    case Codec.SNAPPY:
      return snappyCompressXerial(data);
    case Codec.LZ4:
      return compressFrameSync(data);
    case Codec.ZSTD:
      throw new AsyncCodecRequiredError('zstd compression is only available asynchronously');
  }
}

export function decompressSync(codec: CodecId, data: Buffer): Buffer {
  switch (codec) {
    case Codec.NONE:
      return data;
    case Codec.GZIP:
      try {
        return zlib.gunzipSync(data);
      } catch (e) {
        throw new CodecError(`gzip payload does not decompress: ${(e as Error).message}`);
      }
    case Codec.SNAPPY:
      return snappyDecompressAny(data);
    case Codec.LZ4:
      return lz4Decompress(data);
    case Codec.ZSTD:
      throw new AsyncCodecRequiredError('zstd decompression is only available asynchronously');
  }
}

/** zstd level used for batches we build (Kafka's default level is 3). */
const ZSTD_LEVEL = 3;

export async function compress(codec: CodecId, data: Buffer): Promise<Buffer> {
  if (codec !== Codec.ZSTD) return compressSync(codec, data);
  return zstdCompress(data, ZSTD_LEVEL);
}

export async function decompress(codec: CodecId, data: Buffer): Promise<Buffer> {
  if (codec !== Codec.ZSTD) return decompressSync(codec, data);
  try {
    return await zstdDecompress(data);
  } catch (e) {
    throw new CodecError(`zstd payload does not decompress: ${(e as Error).message}`);
  }
}

// ---- generator drivers ---------------------------------------------------------

export interface CodecRequest {
  op: 'compress' | 'decompress';
  codec: CodecId;
  data: Buffer;
}

/** A computation that may need codec work; see the file comment. */
export type CodecTask<T> = Generator<CodecRequest, T, Buffer>;

/** Yields one codec request and returns its result (use with `yield*`). */
export function* codecStep(op: CodecRequest['op'], codec: CodecId, data: Buffer): CodecTask<Buffer> {
  if (codec === Codec.NONE) return data;
  return yield { op, codec, data };
}

/** Upper bound on codec requests one task may make (bounds the driver loops). */
const MAX_CODEC_REQUESTS = 100_000_000;

export function runSync<T>(task: CodecTask<T>): T {
  let step = task.next(undefined as unknown as Buffer);
  for (let i = 0; !step.done; i++) {
    assert(i < MAX_CODEC_REQUESTS, 'codec task made too many requests');
    const req = step.value;
    let out: Buffer;
    try {
      out = req.op === 'compress' ? compressSync(req.codec, req.data) : decompressSync(req.codec, req.data);
    } catch (e) {
      step = task.throw(e);
      continue;
    }
    step = task.next(out);
  }
  return step.value;
}

export async function runAsync<T>(task: CodecTask<T>): Promise<T> {
  let step = task.next(undefined as unknown as Buffer);
  for (let i = 0; !step.done; i++) {
    assert(i < MAX_CODEC_REQUESTS, 'codec task made too many requests');
    const req = step.value;
    let out: Buffer;
    try {
      if (req.codec === Codec.ZSTD) {
        out = req.op === 'compress' ? await compress(req.codec, req.data) : await decompress(req.codec, req.data);
      } else {
        out = req.op === 'compress' ? compressSync(req.codec, req.data) : decompressSync(req.codec, req.data);
      }
    } catch (e) {
      step = task.throw(e);
      continue;
    }
    step = task.next(out);
  }
  return step.value;
}
