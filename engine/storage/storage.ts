/**
 * The Storage seam: the only way the log touches a disk.
 *
 * Everything in engine/storage reads and writes through this small synchronous
 * interface, so the same log code runs on real files (`FsStorage`, fs-storage.ts)
 * and on an in-memory disk with injectable faults (`MemoryStorage`,
 * memory-storage.ts) that the deterministic simulator and the crash tests use.
 *
 * Paths are relative to the storage root and use '/' as separator
 * ("orders-0/00000000000000000000.log"). Operations:
 *   - directories: mkdirp, list (names only, sorted), removeDir (recursive)
 *   - files: exists, size, isDirectory, remove, rename (atomic; replaces the target)
 *   - handles: read(position, length), readInto, append, write(position),
 *     truncate(size), sync (fsync: makes the file's bytes durable), close
 *
 * Durability contract (what a crash may lose):
 *   - file contents are durable only up to the last `sync()` of that file;
 *   - directory operations (create, rename, remove) are durable when they return.
 *     Real file systems need a directory fsync for that; the log's protocols are
 *     written so that this simplification is the only assumption about them.
 *
 * Errors: implementations throw `StorageIOError`, carrying the platform's error
 * code (ENOSPC, EIO, EROFS, …) and the path it concerns; the log converts them to
 * KAFKA_STORAGE_ERROR. A write that fails may have written a prefix of its bytes
 * (a short write before ENOSPC); the handle's size then counts that prefix, so the
 * caller can cut it off. Reading past the end of a file returns fewer bytes, never
 * an error.
 *
 * Space: `diskSpace()` reports the free and total bytes of the file system holding
 * the storage (statfs), or null where that is unknown; the brokers' free-space
 * guard reads it.
 *
 * Not thread-safe; the engine owns a Storage from one thread.
 */
import { assert } from '../util/assert';

export interface FileHandle {
  /** Current size of the file in bytes (including unsynced bytes). */
  size(): number;
  /** Reads up to `length` bytes at `position`; shorter only at end of file. */
  read(position: number, length: number): Buffer;
  /** Reads into `target[targetOffset ..]`; returns the number of bytes read. */
  readInto(target: Buffer, targetOffset: number, length: number, position: number): number;
  /** Appends `data` at the end of the file with one write. */
  append(data: Uint8Array): void;
  /** Writes `data` at `position` (may extend the file). */
  write(position: number, data: Uint8Array): void;
  /** Shrinks (or zero-extends) the file to `sizeBytes`. */
  truncate(sizeBytes: number): void;
  /** Makes every byte written so far durable. */
  sync(): void;
  close(): void;
}

export interface OpenOptions {
  /** Create the file if it does not exist (default false: opening a missing file throws). */
  create?: boolean;
}

/** Free and total bytes of the file system holding a storage. */
export interface DiskSpace {
  /** Bytes an unprivileged writer may still use (statfs bavail × bsize). */
  freeBytes: number;
  totalBytes: number;
}

export interface Storage {
  /** Free space of the file system holding this storage, or null when unknown (unlimited). */
  diskSpace(): DiskSpace | null;
  mkdirp(dir: string): void;
  /** Names of the entries in `dir`, sorted; [] when `dir` does not exist. */
  list(dir: string): string[];
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Size of a file in bytes. */
  size(path: string): number;
  /** Removes a file; no error if it does not exist. */
  remove(path: string): void;
  /** Removes a directory and everything below it; no error if it does not exist. */
  removeDir(path: string): void;
  /** Atomically renames a file or directory, replacing an existing target file. */
  rename(from: string, to: string): void;
  open(path: string, opts?: OpenOptions): FileHandle;
}

/** Raised by Storage implementations for I/O failures (real or injected). */
export class StorageIOError extends Error {
  override name = 'StorageIOError';
  constructor(
    message: string,
    /** The file or directory the failure concerns, relative to the storage root ('' for none). */
    readonly path: string,
    /** The platform's error code (ENOSPC, EIO, EROFS, EACCES, …), or null when injected without one. */
    readonly errno: string | null = null,
  ) {
    super(message);
  }
}

/** Errno codes that mean "the disk cannot take more bytes" rather than a broken disk. */
export function isOutOfSpace(err: unknown): boolean {
  return err instanceof StorageIOError && (err.errno === 'ENOSPC' || err.errno === 'EDQUOT');
}

export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join('/');
}

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

export function parentDir(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Reads a whole file (for small files: checkpoints, properties). */
export function readWholeFile(storage: Storage, path: string): Buffer {
  const h = storage.open(path);
  try {
    return h.read(0, h.size());
  } finally {
    h.close();
  }
}

/**
 * Replaces `path` with `data` crash-safely: write `path.tmp`, fsync it, rename over
 * `path`. After a crash the file holds either the old or the new content, never a
 * mix; a leftover `.tmp` is garbage and may be deleted.
 */
export function writeFileAtomic(storage: Storage, path: string, data: Uint8Array): void {
  const tmp = `${path}.tmp`;
  storage.remove(tmp);
  const h = storage.open(tmp, { create: true });
  try {
    h.truncate(0);
    h.append(data);
    h.sync();
  } finally {
    h.close();
  }
  storage.rename(tmp, path);
  assert(storage.exists(path), () => `atomic write of ${path} left no file`);
}
