/**
 * Makes "kill" on real files behave like a crash of the machine, not just of the
 * process: wraps a Storage, remembers for every file how much of it was fsynced,
 * and on `crash()` cuts each file back to that length and closes every handle
 * without flushing. (A killed process alone would lose nothing the OS already has;
 * the workbench shows what Kafka's durability settings protect against, which is
 * losing what was not synced.)
 *
 * Model, matching the Storage durability contract: file contents are durable up to
 * the last sync of that file; directory operations are durable at once. Writes
 * below the synced length (in-place rewrites) are treated as synced, since the
 * log only rewrites bytes it fsyncs right after.
 *
 * `abandon()` is the other way a broker stops without closing its logs: the process
 * gave up (a disk error), the machine did not fail. Handles are closed without a
 * flush and nothing is cut: every byte the OS accepted stays, as it would after a
 * process crash, so a replica that fails on a full disk keeps what it replicated.
 *
 * Invariants: syncedBytes(path) ≤ size(path); after crash() or abandon() no handle is usable.
 */
import type { DiskSpace, FileHandle, OpenOptions, Storage } from '../storage/storage';

interface Tracked {
  syncedBytes: number;
}

export class CrashableStorage implements Storage {
  private readonly files = new Map<string, Tracked>();
  private readonly handles = new Set<CrashableHandle>();

  constructor(private readonly inner: Storage) {}

  diskSpace(): DiskSpace | null {
    return this.inner.diskSpace();
  }
  mkdirp(dir: string): void {
    this.inner.mkdirp(dir);
  }
  list(dir: string): string[] {
    return this.inner.list(dir);
  }
  exists(path: string): boolean {
    return this.inner.exists(path);
  }
  isDirectory(path: string): boolean {
    return this.inner.isDirectory(path);
  }
  size(path: string): number {
    return this.inner.size(path);
  }
  remove(path: string): void {
    this.inner.remove(path);
    this.files.delete(path);
  }
  removeDir(path: string): void {
    this.inner.removeDir(path);
    for (const p of [...this.files.keys()]) if (p === path || p.startsWith(`${path}/`)) this.files.delete(p);
  }
  rename(from: string, to: string): void {
    this.inner.rename(from, to);
    for (const [p, t] of [...this.files]) {
      if (p === from || p.startsWith(`${from}/`)) {
        this.files.delete(p);
        this.files.set(to + p.slice(from.length), t);
      }
    }
  }
  open(path: string, opts?: OpenOptions): FileHandle {
    const h = this.inner.open(path, opts);
    let t = this.files.get(path);
    if (!t) this.files.set(path, (t = { syncedBytes: h.size() }));
    const handle = new CrashableHandle(h, t, () => this.handles.delete(handle));
    this.handles.add(handle);
    return handle;
  }

  /**
   * A process crash, not a machine crash: closes every handle without flushing and
   * keeps every byte written. What was not fsynced stays tracked as such, so a later
   * `crash()` still models losing it.
   */
  abandon(): void {
    for (const h of this.handles) h.abandon();
    this.handles.clear();
  }

  /** Cuts every file back to its synced length and closes every handle without flushing. */
  crash(): void {
    for (const h of this.handles) h.abandon();
    this.handles.clear();
    for (const [path, t] of this.files) {
      if (!this.inner.exists(path)) continue;
      if (this.inner.size(path) > t.syncedBytes) {
        const h = this.inner.open(path);
        h.truncate(t.syncedBytes);
        h.close();
      }
    }
    this.files.clear();
  }
}

class CrashableHandle implements FileHandle {
  private dead = false;
  constructor(
    private readonly inner: FileHandle,
    private readonly tracked: Tracked,
    private readonly onClose: () => void,
  ) {}
  private live(): FileHandle {
    if (this.dead) throw new Error('file handle used after a crash');
    return this.inner;
  }
  size(): number {
    return this.live().size();
  }
  read(position: number, length: number): Buffer {
    return this.live().read(position, length);
  }
  readInto(target: Buffer, targetOffset: number, length: number, position: number): number {
    return this.live().readInto(target, targetOffset, length, position);
  }
  append(data: Uint8Array): void {
    this.live().append(data);
  }
  write(position: number, data: Uint8Array): void {
    this.live().write(position, data);
  }
  truncate(sizeBytes: number): void {
    this.live().truncate(sizeBytes);
    if (this.tracked.syncedBytes > sizeBytes) this.tracked.syncedBytes = sizeBytes;
  }
  sync(): void {
    this.live().sync();
    this.tracked.syncedBytes = this.inner.size();
  }
  close(): void {
    if (this.dead) return;
    this.dead = true;
    this.inner.close();
    this.onClose();
  }
  /** Closes the descriptor without syncing (the crash, or giving up after a disk error). */
  abandon(): void {
    if (this.dead) return;
    this.dead = true;
    try {
      this.inner.close();
    } catch {
      // Closing is best effort here: the broker is stopping because its disk failed.
    }
  }
}
