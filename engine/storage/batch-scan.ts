/**
 * Sequential scans of the record batches in a segment file, in large chunked
 * reads (one syscall per chunk, not per batch).
 *
 * `FileBatchScanner` walks batches from a start position to an end position. In
 * `headersOnly` mode it guarantees only the 61-byte header of each batch is in
 * the buffer (a batch larger than a chunk costs one small read); otherwise the
 * whole batch is. With `verifyCrc` it checks each batch's CRC (recovery).
 *
 * It stops at the end, or at the first batch whose framing is wrong (too small,
 * runs past the end, wrong magic, bad CRC); `problem` then says why and
 * `position` is where the bad batch starts, which is where recovery truncates.
 *
 * The current batch is exposed as `buf[at, at + size)`: a view into a reused
 * chunk buffer, valid only until the next call to `next()`.
 *
 * Invariant: every batch `next()` reports lies wholly inside [start, end) and
 * starts where the previous one ended.
 */
import { assert } from '../util/assert';
import {
  BATCH_HEADER_BYTES,
  BATCH_LENGTH_AT,
  LOG_OVERHEAD,
  MAGIC_AT,
  MAGIC_V2,
  computeBatchCrc,
  CRC_AT,
} from './record-batch';
import type { FileHandle } from './storage';

export interface ScanOptions {
  headersOnly?: boolean;
  verifyCrc?: boolean;
  chunkBytes?: number;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Header scans read small chunks: a lookup usually needs one header near an index entry. */
const HEADER_CHUNK_BYTES = 8 * 1024;

export class FileBatchScanner {
  private readonly file: FileHandle;
  private readonly end: number;
  private readonly headersOnly: boolean;
  private readonly verifyCrc: boolean;
  private readonly chunkBytes: number;
  private chunk: Buffer;
  private chunkStart = 0;
  private chunkLen = 0;
  private nextPos: number;

  /** File position of the current batch (or of the bad batch when `problem` is set). */
  position = 0;
  size = 0;
  buf: Buffer = Buffer.alloc(0);
  at = 0;
  problem: string | null = null;

  constructor(file: FileHandle, start: number, end: number, opts: ScanOptions = {}) {
    assert(start >= 0 && start <= end, 'scan range is inverted');
    this.file = file;
    this.end = end;
    this.nextPos = start;
    this.position = start;
    this.headersOnly = opts.headersOnly ?? false;
    this.verifyCrc = opts.verifyCrc ?? false;
    this.chunkBytes = opts.chunkBytes ?? (this.headersOnly ? HEADER_CHUNK_BYTES : DEFAULT_CHUNK_BYTES);
    this.chunk = Buffer.allocUnsafe(this.chunkBytes);
  }

  /** Position after the last good batch. */
  get validEnd(): number {
    return this.nextPos;
  }

  next(): boolean {
    if (this.problem !== null) return false;
    const pos = this.nextPos;
    this.position = pos;
    if (pos >= this.end) return false;
    if (!this.ensure(pos, LOG_OVERHEAD)) return this.fail(`${this.end - pos} trailing bytes are too few for a batch`);
    const size = this.chunk.readInt32BE(pos - this.chunkStart + BATCH_LENGTH_AT) + LOG_OVERHEAD;
    if (size < BATCH_HEADER_BYTES) return this.fail(`batch size ${size} is smaller than the ${BATCH_HEADER_BYTES}-byte header`);
    if (pos + size > this.end) return this.fail(`batch of ${size} bytes runs ${pos + size - this.end} bytes past the end`);
    const need = this.headersOnly && !this.verifyCrc ? BATCH_HEADER_BYTES : size;
    if (!this.ensure(pos, need)) return this.fail(`batch of ${size} bytes could not be read whole`);
    const at = pos - this.chunkStart;
    const magic = this.chunk.readInt8(at + MAGIC_AT);
    if (magic !== MAGIC_V2) return this.fail(`batch has magic ${magic}, expected ${MAGIC_V2}`);
    if (this.verifyCrc) {
      const stored = this.chunk.readUInt32BE(at + CRC_AT);
      const computed = computeBatchCrc(this.chunk, at, size);
      if (stored !== computed) return this.fail(`batch CRC mismatch (stored ${stored}, computed ${computed})`);
    }
    this.buf = this.chunk;
    this.at = at;
    this.size = size;
    this.nextPos = pos + size;
    return true;
  }

  private fail(problem: string): boolean {
    this.problem = problem;
    return false;
  }

  /** Makes file bytes [pos, pos + n) available in the chunk; false if the file is shorter. */
  private ensure(pos: number, n: number): boolean {
    if (pos >= this.chunkStart && pos + n <= this.chunkStart + this.chunkLen) return true;
    if (pos + n > this.end) return false;
    const want = Math.min(this.end - pos, Math.max(this.chunkBytes, n));
    if (this.chunk.length < want) this.chunk = Buffer.allocUnsafe(want);
    const got = this.file.readInto(this.chunk, 0, want, pos);
    this.chunkStart = pos;
    this.chunkLen = got;
    return got >= n;
  }
}
