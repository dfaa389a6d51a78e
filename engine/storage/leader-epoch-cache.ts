/**
 * The leader epoch cache of one partition: which leader epoch began at which
 * offset. Replication uses it to find where a follower's log diverges from the
 * leader's (KIP-101, KIP-279): the follower asks "where does my latest epoch end
 * on your log?" and truncates to the answer.
 *
 * File: `leader-epoch-checkpoint` in the partition directory, Kafka's text
 * checkpoint (checkpoint-file.ts) with one "epoch startOffset" line per entry,
 * rewritten crash-safely (tmp file, fsync, rename) on every change.
 *
 * Semantics (Kafka's):
 *   - assign(epoch, start): ignored when it repeats the latest entry; otherwise
 *     entries that would break monotonicity (epoch >= new epoch, or start offset
 *     >= new start) are dropped first, then the entry is added.
 *   - endOffsetFor(requested, leo): -1 → (-1, -1); requested == latest epoch →
 *     (requested, leo); otherwise the largest epoch <= requested paired with the
 *     start offset of the first higher epoch; (requested, first higher start)
 *     when requested is below every known epoch; (-1, -1) when above all.
 *   - truncateFromEnd(offset): drops entries starting at >= offset.
 *   - truncateFromStart(offset): drops entries wholly below offset; the entry
 *     covering offset is moved to start there.
 *
 * Invariants: epochs and start offsets both strictly increase along the list;
 * the file always matches memory after a call returns. Not thread-safe.
 */
import { assert } from '../util/assert';
import { parseIntField, readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
import { joinPath, type Storage } from './storage';

export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export interface EpochEndOffset {
  epoch: number;
  endOffset: number;
}

export class LeaderEpochCache {
  private readonly storage: Storage;
  readonly path: string;
  private list: EpochEntry[] = [];
  private deferDepth = 0;
  private dirty = false;

  private constructor(storage: Storage, path: string) {
    this.storage = storage;
    this.path = path;
  }

  /**
   * Loads `dir/leader-epoch-checkpoint`. `problem` is set when the file existed
   * but could not be trusted (the cache then starts empty and the log rebuilds it
   * from its batches).
   */
  static load(storage: Storage, dir: string): { cache: LeaderEpochCache; problem?: string; missing: boolean } {
    const cache = new LeaderEpochCache(storage, joinPath(dir, LEADER_EPOCH_CHECKPOINT_FILE));
    const read = readCheckpointFile(storage, cache.path, 2);
    if (read === undefined) return { cache, missing: true };
    if (!Array.isArray(read)) return { cache, problem: read.problem, missing: false };
    const entries: EpochEntry[] = [];
    for (const [e, o] of read) {
      const epoch = parseIntField(e);
      const startOffset = parseIntField(o);
      if (epoch === undefined || startOffset === undefined) return { cache, problem: `bad entry "${e} ${o}" in ${cache.path}`, missing: false };
      const prev = entries[entries.length - 1];
      if (prev && (epoch <= prev.epoch || startOffset <= prev.startOffset)) {
        return { cache, problem: `entries in ${cache.path} are not monotonic at epoch ${epoch}`, missing: false };
      }
      entries.push({ epoch, startOffset });
    }
    cache.list = entries;
    return { cache, missing: false };
  }

  entries(): readonly EpochEntry[] {
    return this.list;
  }

  latestEntry(): EpochEntry | undefined {
    return this.list[this.list.length - 1];
  }

  /** The latest epoch, or undefined when the cache is empty. */
  latestEpoch(): number | undefined {
    return this.latestEntry()?.epoch;
  }

  earliestEntry(): EpochEntry | undefined {
    return this.list[0];
  }

  /** The epoch of the leader that wrote `offset`, or undefined when it predates the cache. */
  epochForOffset(offset: number): number | undefined {
    let found: number | undefined;
    for (const e of this.list) {
      if (e.startOffset > offset) break;
      found = e.epoch;
    }
    return found;
  }

  /** Records that `epoch` began at `startOffset`. Returns true when the cache changed. */
  assign(epoch: number, startOffset: number): boolean {
    assert(Number.isInteger(epoch) && Number.isSafeInteger(startOffset) && startOffset >= 0, 'bad epoch entry');
    if (epoch < 0) return false;
    const latest = this.latestEntry();
    if (latest && latest.epoch === epoch && latest.startOffset <= startOffset) return false;
    let n = this.list.length;
    // Drop, from the end, entries the new one contradicts; at most list.length steps.
    while (n > 0 && (this.list[n - 1].epoch >= epoch || this.list[n - 1].startOffset >= startOffset)) n--;
    this.list = this.list.slice(0, n);
    this.list.push({ epoch, startOffset });
    this.flush();
    return true;
  }

  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    if (requestedEpoch === UNDEFINED_EPOCH) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    const latest = this.latestEntry();
    if (latest && latest.epoch === requestedEpoch) return { epoch: requestedEpoch, endOffset: logEndOffset };
    const higher = this.list.findIndex((e) => e.epoch > requestedEpoch);
    if (higher < 0) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (higher === 0) return { epoch: requestedEpoch, endOffset: this.list[0].startOffset };
    return { epoch: this.list[higher - 1].epoch, endOffset: this.list[higher].startOffset };
  }

  /** Drops entries that start at or after `endOffset` (the log was truncated there). */
  truncateFromEnd(endOffset: number): void {
    if (endOffset < 0) return;
    const latest = this.latestEntry();
    if (!latest || latest.startOffset < endOffset) return;
    this.list = this.list.filter((e) => e.startOffset < endOffset);
    this.flush();
  }

  /** Drops entries wholly below `startOffset`; the entry covering it now starts there. */
  truncateFromStart(startOffset: number): void {
    let floor = -1;
    for (let i = 0; i < this.list.length && this.list[i].startOffset <= startOffset; i++) floor = i;
    if (floor < 0) return;
    if (floor === 0 && this.list[0].startOffset === startOffset) return;
    const kept = this.list.slice(floor);
    kept[0] = { epoch: kept[0].epoch, startOffset };
    this.list = kept;
    this.flush();
  }

  clear(): void {
    this.list = [];
    this.flush();
  }

  /**
   * Runs `fn` with checkpoint writes held back, then writes once. A rebuild from
   * the log uses it so a crash mid-rebuild never leaves a partial checkpoint that
   * looks complete.
   */
  withDeferredFlush<T>(fn: () => T): T {
    this.deferDepth++;
    try {
      return fn();
    } finally {
      this.deferDepth--;
      if (this.deferDepth === 0 && this.dirty) this.flush();
    }
  }

  /** Rewrites the checkpoint file crash-safely. */
  flush(): void {
    if (this.deferDepth > 0) {
      this.dirty = true;
      return;
    }
    this.dirty = false;
    writeCheckpointFile(
      this.storage,
      this.path,
      this.list.map((e) => `${e.epoch} ${e.startOffset}`),
    );
  }
}
