/**
 * FsStorage: the Storage seam (storage.ts) over real files, rooted at a directory.
 *
 * Every call is a synchronous fs.*Sync call: the engine runs in its own worker
 * thread, and synchronous I/O keeps the log's state transitions atomic with
 * respect to the engine's event loop. A handle keeps one file descriptor and its
 * own idea of the file size, so `append` is one positional write (no lseek, no
 * O_APPEND race with our own size bookkeeping).
 *
 * Durability: `sync()` is fsync(2). Directory operations are not followed by a
 * directory fsync; see the contract in storage.ts.
 *
 * Errors: every failing fs call is rethrown as a StorageIOError carrying the errno
 * code (ENOSPC, EIO, EROFS, …) and the path relative to the root, so the broker can
 * say which file failed and why. A write that fails after a short write counts the
 * bytes that did land in the handle's size, so the caller's cleanup can cut them.
 *
 * Invariant: a handle's cached size equals the file's size as long as only this
 * handle writes to the file (the log opens each file once for writing).
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { assert } from '../util/assert';
import { StorageIOError, type DiskSpace, type FileHandle, type OpenOptions, type Storage } from './storage';

/** Runs one fs call; a failure becomes a StorageIOError naming the errno and the path. */
function io<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asStorageIOError(e, path);
  }
}

function asStorageIOError(e: unknown, path: string): StorageIOError {
  if (e instanceof StorageIOError) return e;
  const errno = (e as NodeJS.ErrnoException).code ?? null;
  const message = e instanceof Error ? e.message : String(e);
  return new StorageIOError(message, path, typeof errno === 'string' ? errno : null);
}

export class FsStorage implements Storage {
  readonly root: string;

  constructor(root: string) {
    this.root = nodePath.resolve(root);
    fs.mkdirSync(this.root, { recursive: true });
  }

  private abs(path: string): string {
    assert(!path.split('/').includes('..'), () => `path escapes the storage root: ${path}`);
    return nodePath.join(this.root, path);
  }

  diskSpace(): DiskSpace | null {
    try {
      const s = fs.statfsSync(this.root);
      return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch {
      return null;
    }
  }

  mkdirp(dir: string): void {
    io(dir, () => fs.mkdirSync(this.abs(dir), { recursive: true }));
  }

  list(dir: string): string[] {
    try {
      return fs.readdirSync(this.abs(dir)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw asStorageIOError(e, dir);
    }
  }

  exists(path: string): boolean {
    return fs.existsSync(this.abs(path));
  }

  isDirectory(path: string): boolean {
    try {
      return fs.statSync(this.abs(path)).isDirectory();
    } catch {
      return false;
    }
  }

  size(path: string): number {
    return io(path, () => fs.statSync(this.abs(path)).size);
  }

  remove(path: string): void {
    io(path, () => fs.rmSync(this.abs(path), { force: true }));
  }

  removeDir(path: string): void {
    assert(path !== '', 'refusing to remove the storage root');
    io(path, () => fs.rmSync(this.abs(path), { recursive: true, force: true }));
  }

  rename(from: string, to: string): void {
    io(to, () => fs.renameSync(this.abs(from), this.abs(to)));
  }

  open(path: string, opts: OpenOptions = {}): FileHandle {
    const flags = fs.constants.O_RDWR | (opts.create ? fs.constants.O_CREAT : 0);
    return io(path, () => {
      const fd = fs.openSync(this.abs(path), flags, 0o644);
      return new FsFileHandle(fd, fs.fstatSync(fd).size, path);
    });
  }
}

/** Upper bound on write/read retries for short transfers (regular files rarely need one). */
const MAX_SHORT_TRANSFERS = 1024;

class FsFileHandle implements FileHandle {
  private fd: number;
  private sizeBytes: number;

  constructor(
    fd: number,
    sizeBytes: number,
    private readonly path: string,
  ) {
    this.fd = fd;
    this.sizeBytes = sizeBytes;
  }

  size(): number {
    return this.sizeBytes;
  }

  read(position: number, length: number): Buffer {
    const n = Math.max(0, Math.min(length, this.sizeBytes - position));
    const buf = Buffer.allocUnsafe(n);
    const got = this.readInto(buf, 0, n, position);
    return got === n ? buf : buf.subarray(0, got);
  }

  readInto(target: Buffer, targetOffset: number, length: number, position: number): number {
    assert(this.fd >= 0, 'read on a closed file');
    let done = 0;
    for (let i = 0; i < MAX_SHORT_TRANSFERS && done < length; i++) {
      const n = io(this.path, () => fs.readSync(this.fd, target, targetOffset + done, length - done, position + done));
      if (n === 0) break;
      done += n;
    }
    return done;
  }

  append(data: Uint8Array): void {
    this.write(this.sizeBytes, data);
  }

  write(position: number, data: Uint8Array): void {
    assert(this.fd >= 0, 'write on a closed file');
    let done = 0;
    try {
      for (let i = 0; i < MAX_SHORT_TRANSFERS && done < data.length; i++) {
        done += fs.writeSync(this.fd, data, done, data.length - done, position + done);
      }
    } catch (e) {
      // A short write may have landed before the failure: count it, so a caller can cut it off.
      this.sizeBytes = Math.max(this.sizeBytes, position + done);
      throw asStorageIOError(e, this.path);
    }
    assert(done === data.length, 'write made no progress');
    this.sizeBytes = Math.max(this.sizeBytes, position + data.length);
  }

  truncate(sizeBytes: number): void {
    assert(this.fd >= 0, 'truncate on a closed file');
    io(this.path, () => fs.ftruncateSync(this.fd, sizeBytes));
    this.sizeBytes = sizeBytes;
  }

  sync(): void {
    assert(this.fd >= 0, 'sync on a closed file');
    io(this.path, () => fs.fsyncSync(this.fd));
  }

  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    io(this.path, () => fs.closeSync(fd));
  }
}
