/**
 * The part the offset index and the time index share: a growable in-memory array
 * of fixed-size entries, mirrored append-only into a file.
 *
 * Entries live in typed arrays (the engine never mmaps); the file holds the
 * entries' big-endian encoding back to back, exactly Kafka's `.index` /
 * `.timeindex` layout. Each new entry is appended to the file as it is added
 * (not fsynced); `flush(true)` fsyncs; `truncateEntries()` shrinks both. Until
 * an index is attached to a file (a cleaner's output, a rebuild in progress)
 * entries stay in memory and `rewriteFile()` writes them all at once. A file
 * that lags memory after a crash is still a valid sparse index (just sparser);
 * one that disagrees with its log is detected on open and rebuilt.
 *
 * Invariants: `persisted <= count`; the file holds exactly `persisted` entries
 * after every flush or truncation; `count <= maxEntries`.
 */
import { assert } from '../util/assert';
import type { FileHandle, Storage } from './storage';

export abstract class SparseIndex {
  readonly baseOffset: number;
  readonly maxEntries: number;
  protected count = 0;
  private persisted = 0;
  private storage: Storage | undefined;
  private path: string | undefined;
  private handle: FileHandle | undefined;

  constructor(baseOffset: number, maxIndexBytes: number) {
    this.baseOffset = baseOffset;
    this.maxEntries = Math.max(1, Math.floor(maxIndexBytes / this.entryBytes()));
  }

  abstract entryBytes(): number;
  /** Encodes entry `i` at `pos` of `buf`. */
  protected abstract encodeEntry(i: number, buf: Buffer, pos: number): void;
  /** Grows the entry arrays to hold at least `n` entries. */
  protected abstract grow(n: number): void;

  get entries(): number {
    return this.count;
  }

  get isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  get sizeBytes(): number {
    return this.count * this.entryBytes();
  }

  /** Subclasses call this after adding an entry: mirror it into the file (no fsync). */
  protected persistNewEntries(): void {
    if (this.path !== undefined) this.flush(false);
  }

  protected ensureRoom(): void {
    assert(this.count < this.maxEntries, 'index is full; the segment should have rolled');
    this.grow(this.count + 1);
  }

  /** Drops entries from `n` on, in memory and (if flushed past it) on disk. */
  truncateEntries(n: number): void {
    assert(n >= 0 && n <= this.count, 'truncateEntries out of range');
    this.count = n;
    if (this.persisted > n) {
      this.persisted = n;
      if (this.path !== undefined) this.file().truncate(n * this.entryBytes());
    }
  }

  /** Binds the index to its file (does not read it; see the subclasses' `load`). */
  attach(storage: Storage, path: string, persistedEntries: number): void {
    assert(persistedEntries <= this.count, 'attach: file claims more entries than memory');
    this.storage = storage;
    this.path = path;
    this.persisted = persistedEntries;
  }

  get filePath(): string | undefined {
    return this.path;
  }

  /** Writes entries the file lacks; fsyncs when `sync`. */
  flush(sync: boolean): void {
    if (this.path === undefined) return;
    const eb = this.entryBytes();
    const h = this.file();
    if (this.persisted < this.count) {
      if (h.size() !== this.persisted * eb) h.truncate(this.persisted * eb);
      const buf = Buffer.allocUnsafe((this.count - this.persisted) * eb);
      for (let i = this.persisted; i < this.count; i++) this.encodeEntry(i, buf, (i - this.persisted) * eb);
      h.append(buf);
      this.persisted = this.count;
    }
    if (sync) h.sync();
  }

  /** Replaces the file's content with every entry (after a rebuild) and fsyncs. */
  rewriteFile(): void {
    if (this.path === undefined) return;
    const h = this.file();
    h.truncate(0);
    this.persisted = 0;
    this.flush(true);
  }

  close(): void {
    this.handle?.close();
    this.handle = undefined;
  }

  deleteFile(): void {
    this.close();
    if (this.path !== undefined && this.storage) this.storage.remove(this.path);
  }

  private file(): FileHandle {
    assert(this.storage !== undefined && this.path !== undefined, 'index has no file');
    if (!this.handle) this.handle = this.storage.open(this.path, { create: true });
    return this.handle;
  }
}

/** Binary search: index of the largest `keys[i] <= target` in sorted keys[0, n), or -1. */
export function floorIndex(keys: ArrayLike<number>, n: number, target: number): number {
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  // Halves [lo, hi] each pass: at most ~32 iterations for int32-sized arrays.
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= target) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export function growInt32(a: Int32Array, n: number): Int32Array {
  if (n <= a.length) return a;
  let cap = Math.max(16, a.length);
  while (cap < n) cap *= 2;
  const next = new Int32Array(cap);
  next.set(a);
  return next;
}

export function growFloat64(a: Float64Array, n: number): Float64Array {
  if (n <= a.length) return a;
  let cap = Math.max(16, a.length);
  while (cap < n) cap *= 2;
  const next = new Float64Array(cap);
  next.set(a);
  return next;
}
