/**
 * MemoryStorage: an in-memory disk with a crash model and injectable faults, for
 * unit tests and the deterministic simulator.
 *
 * Crash model. Every file has a durable image (its bytes as of its last `sync()`)
 * and a live image (what reads see now). `crash()` replaces every live image by
 * what the disk would hold after power loss:
 *   - if, since the last sync, the file only grew past its synced length (the
 *     append-only case of segment and index files), the synced prefix survives and
 *     the unsynced tail is lost; with a `Random`, a random prefix of that tail
 *     survives instead, which models a torn write;
 *   - if bytes inside the synced prefix were overwritten or truncated, the file
 *     reverts to its synced image.
 * Directory operations (mkdir, create, rename, remove) are durable immediately:
 * a created file survives a crash (empty if never synced), a rename is never
 * undone. The log's protocols (checkpoint tmp+rename, the cleaner's swap) are
 * written against exactly this contract (see storage.ts).
 * After `crash()` every handle opened before it is dead (the process died); using
 * one throws.
 *
 * Faults (each fires on the next matching operation):
 *   - `tearNextWrite(path, afterBytes)`: the next append/write to `path` applies
 *     only its first `afterBytes` bytes, then throws StorageIOError;
 *   - `failReads(path)`: every read of `path` throws until `clearFaults()`;
 *   - `failWrites(path)`: every append/write/truncate/sync of `path` throws;
 *   - `crashAfterOps(n)`: after `n` more mutating operations, the next one throws
 *     and the whole storage is down (every call throws) until `crash()`; this
 *     puts a crash point between any two steps of a multi-step protocol;
 *   - `limitSpace(bytes)`: the disk holds at most `bytes` of file data from now
 *     on; a write that would pass the limit writes what fits, then throws ENOSPC,
 *     as a real short write does (a full disk). `diskSpace()` reports the limit.
 *
 * Invariants: a file's synced length never exceeds its live length unless an
 * in-place change made a copy of the synced image; handles never outlive a crash.
 * Not thread-safe.
 */
import { assert } from '../util/assert';
import type { Random } from '../util/random';
import { StorageIOError, parentDir, type FileHandle, type OpenOptions, type Storage } from './storage';

interface Inode {
  data: Buffer; // capacity >= len
  len: number;
  /** Length of the durable prefix of `data` (valid while `syncedImage` is null). */
  syncedLen: number;
  /** Copy of the durable image, made when an in-place change touched the synced prefix. */
  syncedImage: Buffer | null;
}

export interface MemoryStorageStats {
  bytesWritten: number;
  syncs: number;
  crashes: number;
}

export class MemoryStorage implements Storage {
  private readonly files = new Map<string, Inode>();
  private readonly dirs = new Set<string>(['']);
  private generation = 0;
  private tears = new Map<string, number>();
  private readFaults = new Set<string>();
  private writeFaults = new Set<string>();
  private opsUntilDown: number | undefined;
  private capacityBytes: number | undefined;
  /** Sum of every file's live length. */
  private usedBytes = 0;
  private down = false;
  readonly stats: MemoryStorageStats = { bytesWritten: 0, syncs: 0, crashes: 0 };

  // ---- faults -------------------------------------------------------------

  tearNextWrite(path: string, afterBytes: number): void {
    assert(afterBytes >= 0, 'tear point must be >= 0');
    this.tears.set(path, afterBytes);
  }
  failReads(path: string): void {
    this.readFaults.add(path);
  }
  failWrites(path: string): void {
    this.writeFaults.add(path);
  }
  crashAfterOps(n: number): void {
    assert(Number.isInteger(n) && n >= 0, 'crashAfterOps needs a count >= 0');
    this.opsUntilDown = n;
  }
  /** From now on the disk holds at most `capacityBytes` of file data (never less than what it holds). */
  limitSpace(capacityBytes: number): void {
    assert(Number.isSafeInteger(capacityBytes) && capacityBytes >= 0, 'capacity must be a byte count >= 0');
    this.capacityBytes = Math.max(capacityBytes, this.usedBytes);
  }
  clearFaults(): void {
    this.tears.clear();
    this.readFaults.clear();
    this.writeFaults.clear();
    this.opsUntilDown = undefined;
    this.capacityBytes = undefined;
  }
  /** Bytes of file data held (live lengths). */
  get bytesUsed(): number {
    return this.usedBytes;
  }
  get isDown(): boolean {
    return this.down;
  }

  /**
   * Power loss: every file falls back to its durable content (see the class
   * comment), open handles die, and injected faults are cleared.
   */
  crash(random?: Random): void {
    for (const inode of this.files.values()) {
      if (inode.syncedImage !== null) {
        const img = inode.syncedImage;
        inode.data = Buffer.alloc(Math.max(64, img.length));
        img.copy(inode.data, 0);
        inode.len = img.length;
      } else {
        const tail = inode.len - inode.syncedLen;
        const kept = tail > 0 && random ? random.int(tail + 1) : 0;
        inode.len = inode.syncedLen + kept;
      }
      inode.syncedImage = null;
      inode.syncedLen = inode.len;
    }
    this.recountUsed();
    this.generation++;
    this.down = false;
    this.clearFaults();
    this.stats.crashes++;
  }

  // ---- inspection (tests) -------------------------------------------------

  /** The live bytes of a file (a copy). */
  snapshot(path: string): Buffer {
    const inode = this.inode(path);
    return Buffer.from(inode.data.subarray(0, inode.len));
  }
  /** Overwrites bytes of a file durably (tests: corrupt a segment on "disk"). */
  corrupt(path: string, position: number, bytes: Uint8Array): void {
    const inode = this.inode(path);
    assert(position + bytes.length <= inode.len, 'corrupt() must stay inside the file');
    Buffer.from(bytes).copy(inode.data, position);
    inode.syncedImage = null;
    inode.syncedLen = inode.len;
  }
  allFiles(): string[] {
    return [...this.files.keys()].sort();
  }

  // ---- Storage ------------------------------------------------------------

  diskSpace(): { freeBytes: number; totalBytes: number } | null {
    if (this.capacityBytes === undefined) return null;
    return { freeBytes: Math.max(0, this.capacityBytes - this.usedBytes), totalBytes: this.capacityBytes };
  }

  mkdirp(dir: string): void {
    this.checkUp();
    this.countOp();
    const parts = dir.split('/').filter((p) => p.length > 0);
    let cur = '';
    for (const p of parts) {
      cur = cur === '' ? p : `${cur}/${p}`;
      if (this.files.has(cur)) throw new StorageIOError(`mkdirp: ${cur} is a file`, cur);
      this.dirs.add(cur);
    }
  }

  list(dir: string): string[] {
    this.checkUp();
    if (!this.dirs.has(dir)) return [];
    const prefix = dir === '' ? '' : `${dir}/`;
    const out: string[] = [];
    for (const p of this.files.keys()) if (parentDir(p) === dir) out.push(p.slice(prefix.length));
    for (const d of this.dirs) if (d !== '' && d !== dir && parentDir(d) === dir) out.push(d.slice(prefix.length));
    return out.sort();
  }

  exists(path: string): boolean {
    this.checkUp();
    return this.files.has(path) || this.dirs.has(path);
  }

  isDirectory(path: string): boolean {
    this.checkUp();
    return this.dirs.has(path);
  }

  size(path: string): number {
    this.checkUp();
    return this.inode(path).len;
  }

  remove(path: string): void {
    this.checkUp();
    const inode = this.files.get(path);
    if (!inode) return;
    this.countOp();
    this.files.delete(path);
    this.usedBytes -= inode.len;
  }

  removeDir(path: string): void {
    this.checkUp();
    if (!this.dirs.has(path)) return;
    assert(path !== '', 'refusing to remove the storage root');
    this.countOp();
    const prefix = `${path}/`;
    for (const p of [...this.files.keys()]) if (p.startsWith(prefix)) this.files.delete(p);
    for (const d of [...this.dirs]) if (d === path || d.startsWith(prefix)) this.dirs.delete(d);
    this.recountUsed();
  }

  rename(from: string, to: string): void {
    this.checkUp();
    if (this.files.has(from)) {
      if (!this.dirs.has(parentDir(to))) throw new StorageIOError(`rename: no directory for ${to}`, to);
      if (this.dirs.has(to)) throw new StorageIOError(`rename: ${to} is a directory`, to);
      this.countOp();
      const inode = this.files.get(from)!;
      const replaced = this.files.get(to);
      if (replaced) this.usedBytes -= replaced.len;
      this.files.delete(from);
      this.files.set(to, inode);
      return;
    }
    if (this.dirs.has(from)) {
      if (this.exists(to)) throw new StorageIOError(`rename: ${to} exists`, to);
      if (!this.dirs.has(parentDir(to))) throw new StorageIOError(`rename: no directory for ${to}`, to);
      this.countOp();
      const prefix = `${from}/`;
      for (const p of [...this.files.keys()]) {
        if (!p.startsWith(prefix)) continue;
        const inode = this.files.get(p)!;
        this.files.delete(p);
        this.files.set(`${to}/${p.slice(prefix.length)}`, inode);
      }
      for (const d of [...this.dirs]) {
        if (d === from) {
          this.dirs.delete(d);
          this.dirs.add(to);
        } else if (d.startsWith(prefix)) {
          this.dirs.delete(d);
          this.dirs.add(`${to}/${d.slice(prefix.length)}`);
        }
      }
      return;
    }
    throw new StorageIOError(`rename: ${from} does not exist`, from);
  }

  open(path: string, opts: OpenOptions = {}): FileHandle {
    this.checkUp();
    let inode = this.files.get(path);
    if (!inode) {
      if (!opts.create) throw new StorageIOError(`open: ${path} does not exist`, path);
      if (!this.dirs.has(parentDir(path))) throw new StorageIOError(`open: no directory for ${path}`, path);
      if (this.dirs.has(path)) throw new StorageIOError(`open: ${path} is a directory`, path);
      this.countOp();
      inode = { data: Buffer.alloc(64), len: 0, syncedLen: 0, syncedImage: null };
      this.files.set(path, inode);
    }
    return new MemoryFileHandle(this, path, inode, this.generation);
  }

  // ---- internals used by handles -----------------------------------------

  /** @internal */
  checkHandle(h: MemoryFileHandle): void {
    this.checkUp();
    if (h.generation !== this.generation) throw new StorageIOError(`handle for ${h.path} died in a crash`, h.path);
    if (h.closed) throw new StorageIOError(`handle for ${h.path} is closed`, h.path);
  }
  /** @internal */
  beforeRead(path: string): void {
    if (this.readFaults.has(path)) throw new StorageIOError(`injected read failure on ${path}`, path);
  }
  /**
   * @internal Returns how many bytes of a `length`-byte write may land: all, or a
   * prefix (a torn write, or what fits on a full disk; `growthBytes` is how much the
   * write would lengthen the file).
   */
  beforeWrite(path: string, length: number, growthBytes = 0): { allowed: number; fault: StorageIOError | null } {
    if (this.writeFaults.has(path)) throw new StorageIOError(`injected write failure on ${path}`, path, 'EIO');
    this.countOp();
    if (length === 0) return { allowed: 0, fault: null };
    const tear = this.tears.get(path);
    if (tear !== undefined && tear < length) {
      this.tears.delete(path);
      return { allowed: tear, fault: new StorageIOError(`torn write on ${path}: ${tear} of ${length} bytes written`, path, 'EIO') };
    }
    if (tear !== undefined) this.tears.delete(path);
    if (this.capacityBytes !== undefined && growthBytes > this.capacityBytes - this.usedBytes) {
      const fits = Math.max(0, length - (growthBytes - Math.max(0, this.capacityBytes - this.usedBytes)));
      return { allowed: fits, fault: new StorageIOError(`ENOSPC: no space left on device, write ${path}`, path, 'ENOSPC') };
    }
    return { allowed: length, fault: null };
  }
  /** @internal A file's live length changed by `deltaBytes`. */
  noteResize(deltaBytes: number): void {
    this.usedBytes += deltaBytes;
    assert(this.usedBytes >= 0, 'disk usage went negative');
  }
  /** @internal Whether growing a file by `growthBytes` fits (truncate extending a file). */
  checkGrowth(path: string, growthBytes: number): void {
    if (this.capacityBytes !== undefined && growthBytes > 0 && growthBytes > this.capacityBytes - this.usedBytes) {
      throw new StorageIOError(`ENOSPC: no space left on device, ftruncate ${path}`, path, 'ENOSPC');
    }
  }
  /** @internal */
  countOp(): void {
    if (this.opsUntilDown === undefined) return;
    if (this.opsUntilDown === 0) {
      this.down = true;
      this.opsUntilDown = undefined;
      throw new StorageIOError('simulated crash: storage is down', '');
    }
    this.opsUntilDown--;
  }
  /** @internal */
  noteWrite(bytes: number): void {
    this.stats.bytesWritten += bytes;
  }
  /** @internal */
  noteSync(): void {
    this.stats.syncs++;
  }

  private recountUsed(): void {
    let used = 0;
    for (const inode of this.files.values()) used += inode.len;
    this.usedBytes = used;
  }

  private checkUp(): void {
    if (this.down) throw new StorageIOError('storage is down (crashed); call crash() to restart', '');
  }

  private inode(path: string): Inode {
    const inode = this.files.get(path);
    if (!inode) throw new StorageIOError(`${path} does not exist`, path);
    return inode;
  }
}

class MemoryFileHandle implements FileHandle {
  closed = false;
  constructor(
    private readonly storage: MemoryStorage,
    readonly path: string,
    private readonly inode: Inode,
    readonly generation: number,
  ) {}

  size(): number {
    this.storage.checkHandle(this);
    return this.inode.len;
  }

  read(position: number, length: number): Buffer {
    this.storage.checkHandle(this);
    this.storage.beforeRead(this.path);
    assert(position >= 0 && length >= 0, 'read: negative position or length');
    const end = Math.min(this.inode.len, position + length);
    if (end <= position) return Buffer.alloc(0);
    return Buffer.from(this.inode.data.subarray(position, end));
  }

  readInto(target: Buffer, targetOffset: number, length: number, position: number): number {
    this.storage.checkHandle(this);
    this.storage.beforeRead(this.path);
    assert(targetOffset + length <= target.length, 'readInto: target too small');
    const end = Math.min(this.inode.len, position + length);
    if (end <= position) return 0;
    return this.inode.data.copy(target, targetOffset, position, end);
  }

  append(data: Uint8Array): void {
    this.write(this.inode.len, data);
  }

  write(position: number, data: Uint8Array): void {
    this.storage.checkHandle(this);
    const inode = this.inode;
    const { allowed, fault } = this.storage.beforeWrite(this.path, data.length, Math.max(0, position + data.length - inode.len));
    if (allowed > 0 || position > inode.len) {
      if (position < inode.syncedLen) this.preserveSyncedImage();
      const end = position + allowed;
      this.ensureCapacity(end);
      if (position > inode.len) inode.data.fill(0, inode.len, position);
      Buffer.from(data.buffer, data.byteOffset, allowed).copy(inode.data, position);
      const before = inode.len;
      inode.len = Math.max(inode.len, end);
      this.storage.noteResize(inode.len - before);
      this.storage.noteWrite(allowed);
    }
    if (fault) throw fault;
  }

  truncate(sizeBytes: number): void {
    this.storage.checkHandle(this);
    this.storage.beforeWrite(this.path, 0);
    const inode = this.inode;
    this.storage.checkGrowth(this.path, sizeBytes - inode.len);
    if (sizeBytes < inode.syncedLen) this.preserveSyncedImage();
    this.ensureCapacity(sizeBytes);
    if (sizeBytes > inode.len) inode.data.fill(0, inode.len, sizeBytes);
    this.storage.noteResize(sizeBytes - inode.len);
    inode.len = sizeBytes;
  }

  sync(): void {
    this.storage.checkHandle(this);
    this.storage.beforeWrite(this.path, 0);
    this.inode.syncedImage = null;
    this.inode.syncedLen = this.inode.len;
    this.storage.noteSync();
  }

  close(): void {
    this.closed = true;
  }

  private preserveSyncedImage(): void {
    const inode = this.inode;
    if (inode.syncedImage !== null) return;
    inode.syncedImage = Buffer.from(inode.data.subarray(0, inode.syncedLen));
    // From now on the synced image is held separately; syncedLen is unused until sync().
    inode.syncedLen = 0;
  }

  private ensureCapacity(bytes: number): void {
    const inode = this.inode;
    if (bytes <= inode.data.length) return;
    let cap = inode.data.length;
    while (cap < bytes) cap *= 2;
    const next = Buffer.alloc(cap);
    inode.data.copy(next, 0, 0, inode.len);
    inode.data = next;
  }
}
