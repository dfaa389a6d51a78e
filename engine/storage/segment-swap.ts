/**
 * Crash-safe replacement of old segments by a cleaned one, and what recovery does
 * with an interrupted replacement.
 *
 * The cleaner rewrites a group of adjacent segments S1..Sk (S1's base offset is B)
 * into one new segment N with base offset B. Swap protocol, in order:
 *   1. N is complete as `B.log.cleaned` and fsynced.
 *   2. each Si's log file is renamed `<Si>.log.deleted`.
 *   3. `B.log.cleaned` is renamed `B.log.swap`               <- the commit point
 *   4. the `.deleted` files and Si's index files are removed.
 *   5. `B.log.swap` is renamed `B.log`; N's index files are written.
 * Directory operations are durable when they return (storage.ts), so after a
 * crash the directory shows exactly which step was reached:
 *   - a `.log.swap` exists: committed; finish steps 4-5 (roll forward), dropping
 *     any `B.index`/`B.timeindex` (they belonged to S1) so they are rebuilt;
 *   - a `.log.cleaned` exists but no `.swap`: not committed; delete it and rename
 *     every `.log.deleted` back (roll back; the old segments were never touched);
 *   - only `.log.deleted` files: cannot happen with this order; such files mean
 *     what they mean to Kafka (scheduled for deletion) and are removed.
 * Renaming the old logs away *before* the commit is what makes the replaced set
 * unambiguous: after the commit, every `.deleted` file is one of S1..Sk.
 * Stray index files carrying these suffixes are removed; index files without a
 * log file are removed by the log when it opens.
 *
 * Invariant: at most one swap is in flight per partition directory (the cleaner
 * swaps one group at a time, and recovery resolves a swap before anything else).
 */
import { assert } from '../util/assert';
import { CLEANED_SUFFIX, DELETED_SUFFIX, INDEX_SUFFIX, LOG_SUFFIX, LogSegment, SWAP_SUFFIX, TIME_INDEX_SUFFIX, offsetFileStem, parseOffsetFileName } from './segment';
import { joinPath, type Storage } from './storage';

/** Steps 2-5 of the protocol; `cleaned` must be complete and named `.log.cleaned`. */
export function swapInCleanedSegment(storage: Storage, cleaned: LogSegment, old: readonly LogSegment[]): void {
  assert(old.length > 0, 'swap needs at least one segment to replace');
  assert(cleaned.baseOffset === old[0].baseOffset, 'cleaned segment must take the first old segment\'s base offset');
  assert(cleaned.path.endsWith(LOG_SUFFIX + CLEANED_SUFFIX), () => `cleaned segment has the wrong name ${cleaned.path}`);
  for (let i = 1; i < old.length; i++) assert(old[i].baseOffset > old[i - 1].baseOffset, 'old segments out of order');
  cleaned.flush();
  for (const s of old) {
    s.close();
    storage.rename(s.path, s.path + DELETED_SUFFIX);
  }
  cleaned.renameLog(SWAP_SUFFIX);
  for (const s of old) {
    storage.remove(s.path + DELETED_SUFFIX);
    const stem = offsetFileStem(s.baseOffset);
    storage.remove(joinPath(s.dir, stem + INDEX_SUFFIX));
    storage.remove(joinPath(s.dir, stem + TIME_INDEX_SUFFIX));
  }
  cleaned.renameLog('');
  cleaned.writeIndexFiles();
}

export interface SwapRecovery {
  action: 'none' | 'rolled-forward' | 'rolled-back' | 'deleted-leftovers';
  files: string[];
}

/** Resolves an interrupted swap in `dir` (see the file comment). Call before listing segments. */
export function resolveInterruptedSwap(storage: Storage, dir: string): SwapRecovery {
  const names = storage.list(dir);
  const withSuffix = (suffix: string) => names.filter((n) => parseOffsetFileName(n, LOG_SUFFIX + suffix) !== undefined);
  const swaps = withSuffix(SWAP_SUFFIX);
  const cleaned = withSuffix(CLEANED_SUFFIX);
  const deleted = withSuffix(DELETED_SUFFIX);
  const touched: string[] = [];
  let action: SwapRecovery['action'] = 'none';

  if (swaps.length > 0) {
    action = 'rolled-forward';
    for (const d of deleted) {
      storage.remove(joinPath(dir, d));
      touched.push(d);
    }
    for (const c of cleaned) {
      storage.remove(joinPath(dir, c));
      touched.push(c);
    }
    for (const sw of swaps) {
      const base = parseOffsetFileName(sw, LOG_SUFFIX + SWAP_SUFFIX)!;
      const stem = offsetFileStem(base);
      storage.remove(joinPath(dir, stem + LOG_SUFFIX));
      storage.remove(joinPath(dir, stem + INDEX_SUFFIX));
      storage.remove(joinPath(dir, stem + TIME_INDEX_SUFFIX));
      storage.rename(joinPath(dir, sw), joinPath(dir, stem + LOG_SUFFIX));
      touched.push(sw);
    }
  } else if (cleaned.length > 0) {
    action = 'rolled-back';
    for (const c of cleaned) {
      storage.remove(joinPath(dir, c));
      touched.push(c);
    }
    restoreDeleted(storage, dir, deleted, touched);
  } else if (deleted.length > 0) {
    action = 'deleted-leftovers';
    for (const d of deleted) {
      storage.remove(joinPath(dir, d));
      touched.push(d);
    }
  }

  // Index files never take part in a swap under these names; any such file is stale.
  for (const n of names) {
    const stale = [INDEX_SUFFIX, TIME_INDEX_SUFFIX].some((ix) =>
      [CLEANED_SUFFIX, SWAP_SUFFIX, DELETED_SUFFIX].some((sfx) => parseOffsetFileName(n, ix + sfx) !== undefined),
    );
    if (stale) {
      storage.remove(joinPath(dir, n));
      touched.push(n);
    }
  }
  return { action, files: touched };
}

function restoreDeleted(storage: Storage, dir: string, deleted: string[], touched: string[]): void {
  for (const d of deleted) {
    const original = d.slice(0, d.length - DELETED_SUFFIX.length);
    if (storage.exists(joinPath(dir, original))) storage.remove(joinPath(dir, d));
    else storage.rename(joinPath(dir, d), joinPath(dir, original));
    touched.push(d);
  }
}
