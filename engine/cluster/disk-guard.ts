/**
 * The free-space guard of one broker's data directory (what Redpanda calls
 * storage_min_free_bytes): while the file system holding the broker's logs has less
 * free space than the threshold, the broker refuses client writes with a clear error
 * instead of running into ENOSPC, which would stop it. Reads, replication of what is
 * already written, retention and the internal topics (`__consumer_offsets`: consumers
 * must still be able to commit) go on, so deleting old data frees space and writes
 * resume by themselves.
 *
 * Threshold: `minFreeBytes` when set (0 turns the guard off), else the larger of 1 GiB
 * and 5% of the file system.
 *
 * Sampling (statfs is a system call, produce is a hot path): the free space is read
 * again when a second has passed, when a quarter second has passed while low (so
 * writes resume soon after space returns), or when this broker has appended an eighth
 * of the margin above the threshold since the last reading (other brokers on the same
 * disk write too, so the estimate is refreshed well before the margin can be used up).
 *
 * Invariants: a guard never refuses when the storage cannot tell its free space
 * (in-memory disks without a limit); `status` is the last reading, never a guess.
 */
import type { Clock } from '../util/clock';
import type { DiskSpace } from '../storage/storage';
import { formatBytes } from '../util/format';

export const GIB = 1024 ** 3;
/** Default threshold: max(1 GiB, 5% of the disk). */
export const DEFAULT_MIN_FREE_BYTES = GIB;
export const DEFAULT_MIN_FREE_FRACTION = 0.05;

const SAMPLE_INTERVAL_MS = 1000;
const SAMPLE_INTERVAL_LOW_MS = 250;
const MIN_BYTES_BETWEEN_SAMPLES = 4096;

export interface DiskStatus {
  freeBytes: number;
  totalBytes: number;
  /** The threshold in force. */
  minFreeBytes: number;
  /** Free space is below the threshold: client writes are refused. */
  low: boolean;
}

/** The threshold for a disk of `totalBytes`: the configured one, or max(1 GiB, 5%). */
export function minFreeBytesFor(totalBytes: number, configured: number | null): number {
  if (configured !== null) return configured;
  return Math.max(DEFAULT_MIN_FREE_BYTES, Math.ceil(totalBytes * DEFAULT_MIN_FREE_FRACTION));
}

export class DiskSpaceGuard {
  private last: DiskStatus | null = null;
  private lastSampleMs = Number.NEGATIVE_INFINITY;
  private appendedSinceSample = 0;

  constructor(
    private readonly readSpace: () => DiskSpace | null,
    private readonly clock: Clock,
    /** null: max(1 GiB, 5% of the disk); 0: off. */
    private readonly configuredMinFreeBytes: number | null,
  ) {}

  /** The last reading, or null when the storage cannot tell (or the guard is off). */
  get status(): DiskStatus | null {
    return this.last;
  }

  /** Bytes this broker appended (leader or follower): brings the next reading forward. */
  noteAppended(bytes: number): void {
    this.appendedSinceSample += bytes;
  }

  /** Reads the free space again if a reading is due; returns whether the status changed notably. */
  sample(force = false): boolean {
    if (this.configuredMinFreeBytes === 0) return false;
    const now = this.clock.monotonicMs();
    if (!force && !this.due(now)) return false;
    this.lastSampleMs = now;
    this.appendedSinceSample = 0;
    const space = this.readSpace();
    const before = this.last;
    if (space === null) {
      this.last = null;
      return before !== null;
    }
    const minFreeBytes = minFreeBytesFor(space.totalBytes, this.configuredMinFreeBytes);
    this.last = { freeBytes: space.freeBytes, totalBytes: space.totalBytes, minFreeBytes, low: space.freeBytes < minFreeBytes };
    if (before === null || before.low !== this.last.low) return true;
    // Worth a new snapshot: while low, every MB freed or used; otherwise a 1% swing.
    const notable = this.last.low ? 1_000_000 : Math.max(1_000_000, this.last.totalBytes / 100);
    return Math.abs(before.freeBytes - this.last.freeBytes) >= notable;
  }

  /** Whether client writes must be refused now (reading the disk first if due). */
  refusesWrites(): boolean {
    this.sample();
    return this.last?.low === true;
  }

  private due(nowMs: number): boolean {
    const elapsed = nowMs - this.lastSampleMs;
    if (elapsed >= SAMPLE_INTERVAL_MS) return true;
    const last = this.last;
    if (last === null) return false;
    if (last.low) return elapsed >= SAMPLE_INTERVAL_LOW_MS;
    const margin = last.freeBytes - last.minFreeBytes;
    return this.appendedSinceSample >= Math.max(MIN_BYTES_BETWEEN_SAMPLES, margin / 8);
  }
}

/** The refusal a producer gets while the guard holds writes back. */
export function lowSpaceMessage(brokerId: number, s: DiskStatus): string {
  return `Broker ${brokerId}'s disk has ${formatBytes(s.freeBytes)} free, less than the ${formatBytes(s.minFreeBytes)} it keeps free, so it refuses writes for now. Free space (delete topics or lower retention.ms / retention.bytes, or remove other files); writes resume by themselves.`;
}
