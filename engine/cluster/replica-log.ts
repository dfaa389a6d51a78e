/**
 * What replication needs from a partition's log. The storage layer's PartitionLog
 * provides it (see log-adapter.ts); tests of replication logic can run it on the
 * fault-injecting in-memory storage.
 *
 * Offsets: logStartOffset ≤ every readable offset < logEndOffset (LEO).
 * Epochs: the leader-epoch cache maps each epoch to the offset where it starts.
 */
export interface AppendedBatch {
  baseOffset: number;
  lastOffset: number;
  /** -1 unless the topic uses LogAppendTime. */
  logAppendTimeMs: number;
  recordCount: number;
  sizeBytes: number;
}

export interface EpochEndOffset {
  /** The largest epoch ≤ the requested one that this log knows, or -1. */
  epoch: number;
  /** Where that epoch ends (the start of the next one, or the LEO), or -1. */
  endOffset: number;
}

export interface ReplicaLog {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  /** Bytes on disk. */
  readonly sizeBytes: number;
  /** Assigns offsets (rewriting the batch header in place) and appends. */
  appendAsLeader(batch: Buffer, leaderEpoch: number): AppendedBatch;
  /** Appends batches that already carry the leader's offsets and epochs. */
  appendAsFollower(batches: Buffer): void;
  /** Stored bytes of whole batches from the batch containing `fromOffset`, below `maxOffset`. */
  read(fromOffset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean): Buffer | null;
  truncateTo(offset: number): void;
  /** Drops everything and restarts the log at `offset` (a follower behind the leader's log start). */
  truncateFullyAndStartAt(offset: number): void;
  latestEpoch(): number;
  endOffsetForEpoch(epoch: number): EpochEndOffset;
  /** Records that `epoch` starts at `startOffset` if it is newer than the latest epoch. */
  assignEpochStart(epoch: number, startOffset: number): void;
  /** ListOffsets: first offset with timestamp ≥ ts; -1 latest, -2 earliest, -3 max timestamp. */
  offsetForTimestamp(timestampMs: number): Promise<{ offset: number; timestampMs: number; leaderEpoch: number } | undefined>;
  /** DeleteRecords: raises the log start offset; returns the new one. */
  deleteRecordsBefore(offset: number): number;
}
