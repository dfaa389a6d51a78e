/**
 * ListOffsets by timestamp: which offset holds the first record whose timestamp
 * is >= a target, and which holds the largest timestamp (KIP-734).
 *
 * Algorithm for a target T (Kafka's, on our indexes):
 *   1. Skip segments whose largest timestamp is below T.
 *   2. In the first segment that reaches T, the time index gives the largest
 *      entry (t, o) with t < T: every record at an offset <= o is older than T,
 *      so the answer lies after o. The offset index turns o into a file position.
 *   3. Scan batch headers from there; the first batch whose maxTimestamp >= T
 *      holds the answer. Decode it (decompressing if needed) and return its first
 *      record with timestamp >= T (records inside a CreateTime batch need not be
 *      in timestamp order). In a LogAppendTime batch every record carries the
 *      batch's maxTimestamp.
 * Offsets below the log start offset are never answers.
 *
 * Written as codec tasks (compression.ts): zstd batches make the search async.
 * Callers pass a snapshot of the segment list.
 */
import type { CodecTask } from './compression';
import { batchRecordsTask, readBatchHeader, TimestampType } from './record-batch';
import { RecordCursor } from './record-cursor';
import type { LogSegment } from './segment';

export interface TimestampAndOffset {
  timestampMs: number;
  offset: number;
  /** Leader epoch of the batch holding the record, -1 when unknown. */
  leaderEpoch: number;
}

/** The first record with timestamp >= `targetMs` and offset >= `logStartOffset`. */
export function* firstOffsetAtOrAfterTask(segs: readonly LogSegment[], logStartOffset: number, targetMs: number): CodecTask<TimestampAndOffset | undefined> {
  for (const seg of segs) {
    if (seg.maxTimestampMs < targetMs || seg.nextOffset <= logStartOffset) continue;
    const hint = seg.timeIndex.lookup(targetMs - 1);
    const from = seg.offsetIndex.lookup(Math.max(hint.offset, logStartOffset)).position;
    const found = yield* searchSegment(
      seg,
      from,
      (maxTs, lastOffset) => maxTs >= targetMs && lastOffset >= logStartOffset,
      (ts, offset) => ts >= targetMs && offset >= logStartOffset,
    );
    if (found) return found;
  }
  return undefined;
}

/** The first record carrying the log's largest timestamp. */
export function* maxTimestampTask(segs: readonly LogSegment[]): CodecTask<TimestampAndOffset | undefined> {
  let best: LogSegment | undefined;
  for (const s of segs) if (s.maxTimestampMs >= 0 && (!best || s.maxTimestampMs > best.maxTimestampMs)) best = s;
  if (!best) return undefined;
  const target = best.maxTimestampMs;
  const loc = best.findBatch(best.offsetOfMaxTimestamp);
  return yield* searchSegment(
    best,
    loc ? loc.position : 0,
    (maxTs) => maxTs === target,
    (ts) => ts === target,
  );
}

/**
 * Scans whole batches of `seg` from `position`: the first batch passing
 * `batchMatches(maxTimestamp, lastOffset)` is decoded and its first record
 * passing `recordMatches(timestamp, offset)` is the answer.
 */
function* searchSegment(
  seg: LogSegment,
  position: number,
  batchMatches: (maxTimestampMs: number, lastOffset: number) => boolean,
  recordMatches: (timestampMs: number, offset: number) => boolean,
): CodecTask<TimestampAndOffset | undefined> {
  const scan = seg.batches(position);
  const cursor = new RecordCursor();
  while (scan.next()) {
    const h = readBatchHeader(scan.buf, scan.at);
    if (h.isControl || !batchMatches(h.maxTimestamp, h.lastOffset)) continue;
    // A copy: the scanner's chunk must not change under an async decompression.
    const batch = Buffer.from(scan.buf.subarray(scan.at, scan.at + scan.size));
    const records: Buffer = yield* batchRecordsTask(batch, 0);
    cursor.reset(records);
    for (let i = 0; i < h.recordsCount; i++) {
      cursor.next();
      const ts = h.timestampType === TimestampType.LOG_APPEND_TIME ? h.maxTimestamp : h.baseTimestamp + cursor.timestampDelta;
      const offset = h.baseOffset + cursor.offsetDelta;
      if (recordMatches(ts, offset)) return { timestampMs: ts, offset, leaderEpoch: h.partitionLeaderEpoch };
    }
  }
  return undefined;
}
