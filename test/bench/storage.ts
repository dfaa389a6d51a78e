/**
 * Storage benchmark: the figures `npm run bench` reports for engine/storage, on
 * real files (FsStorage) under `opts.tmpDir`.
 *
 *   storage.append.records_per_s   appendAsLeader of prebuilt uncompressed batches of
 *                                  1000 records of 100 bytes, no fsync per batch
 *   storage.read.records_per_s     the whole log read back in 1 MiB reads
 *   storage.recovery.s_per_gib     unclean reopen of a log whose data is one large
 *                                  active segment (every batch re-validated), per GiB
 *   storage.compaction.mb_per_s    one cleaner run over a keyed log (100-byte values, keys
 *                                  spread over 200 k keys), input MB per second
 *   storage.rss_mb_after_4gib      process RSS after the append phase (4 GiB in full
 *                                  mode, 64 MiB in quick mode)
 *
 * Goals: append >= 1.5 M/s, read >= 3 M/s, recovery <= 3 s/GiB, compaction >= 100 MB/s,
 * RSS <= 300 MB. Files just written sit in the OS page cache, so read and recovery
 * figures measure the engine's CPU path more than the disk. Everything the bench
 * creates is removed before it returns.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogCleaner } from '../../engine/storage/cleaner';
import { FsStorage } from '../../engine/storage/fs-storage';
import { PartitionLog } from '../../engine/storage/log';
import { batchRecordsCount, batchSizeAt, buildBatchSync, type RecordSpec } from '../../engine/storage/record-batch';
import { validateTopicConfigs } from '../../engine/storage/topic-config';
import { SystemClock } from '../../engine/util/clock';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const RECORDS_PER_BATCH = 1000;
const RECORD_BYTES = 100;

export interface BenchOptions {
  quick: boolean;
  tmpDir: string;
}

function prebuiltBatch(timestampMs: number, keyed: false | { keySpace: number; offset: number }): Buffer {
  const records: RecordSpec[] = [];
  const value = Buffer.alloc(RECORD_BYTES, 0x61);
  for (let i = 0; i < RECORDS_PER_BATCH; i++) {
    const key = keyed ? Buffer.from(`key-${String((keyed.offset + i * 7919) % keyed.keySpace).padStart(8, '0')}`) : null;
    records.push({ key, value, timestampMs });
  }
  return buildBatchSync({ records });
}

function recordsIn(data: Buffer): number {
  let n = 0;
  for (let pos = 0; pos < data.length; pos += batchSizeAt(data, pos)!) n += batchRecordsCount(data, pos);
  return n;
}

export async function run(opts: BenchOptions): Promise<Record<string, number>> {
  const clock = new SystemClock();
  const root = fs.mkdtempSync(path.join(opts.tmpDir, 'storage-bench-'));
  const storage = new FsStorage(root);
  const appendBytes = opts.quick ? 64 * MIB : 4 * GIB;
  const recoveryBytes = opts.quick ? 64 * MIB : 1 * GIB;
  const compactionBytes = opts.quick ? 32 * MIB : 256 * MIB;
  const out: Record<string, number> = {};
  try {
    // ---- append ----------------------------------------------------------------
    const cfg = validateTopicConfigs({});
    const log = PartitionLog.open(storage, 'bench-0', cfg, clock);
    const batch = prebuiltBatch(clock.nowMs(), false);
    const batches = Math.ceil(appendBytes / batch.length);
    let t0 = clock.monotonicMs();
    for (let i = 0; i < batches; i++) log.appendAsLeader(batch, { leaderEpoch: 0 });
    let elapsedS = (clock.monotonicMs() - t0) / 1000;
    out['storage.append.records_per_s'] = Math.round((batches * RECORDS_PER_BATCH) / elapsedS);
    out['storage.rss_mb_after_4gib'] = Math.round(process.memoryUsage().rss / MIB);

    // ---- read ------------------------------------------------------------------
    t0 = clock.monotonicMs();
    let records = 0;
    let offset = log.logStartOffset;
    while (offset < log.logEndOffset) {
      const r = log.read(offset, MIB);
      if (r.bytesRead === 0) break;
      records += recordsIn(r.batches);
      offset = r.nextOffset;
    }
    elapsedS = (clock.monotonicMs() - t0) / 1000;
    if (records !== batches * RECORDS_PER_BATCH) throw new Error(`read back ${records} records, appended ${batches * RECORDS_PER_BATCH}`);
    out['storage.read.records_per_s'] = Math.round(records / elapsedS);
    log.close();
    storage.removeDir('bench-0');

    // ---- recovery ----------------------------------------------------------------
    const bigSegment = validateTopicConfigs({ 'segment.bytes': String(0x7fffffff) });
    const torn = PartitionLog.open(storage, 'recover-0', bigSegment, clock);
    const recoveryBatches = Math.ceil(recoveryBytes / batch.length);
    for (let i = 0; i < recoveryBatches; i++) torn.appendAsLeader(batch, { leaderEpoch: 0 });
    // No close(): the log is abandoned as a crash would leave it, then reopened unclean.
    t0 = clock.monotonicMs();
    const recovered = PartitionLog.open(storage, 'recover-0', bigSegment, clock, {});
    elapsedS = (clock.monotonicMs() - t0) / 1000;
    if (recovered.logEndOffset !== recoveryBatches * RECORDS_PER_BATCH || recovered.openReport.recoveredSegments !== 1) {
      throw new Error('recovery did not re-validate the whole active segment');
    }
    out['storage.recovery.s_per_gib'] = Number((elapsedS / (recovered.sizeBytes / GIB)).toFixed(3));
    recovered.close();
    torn.closeAndDeleteFiles();
    storage.removeDir('recover-0');

    // ---- compaction ----------------------------------------------------------------
    const compactCfg = validateTopicConfigs({ 'cleanup.policy': 'compact', 'segment.bytes': String(64 * MIB) });
    const compacted = PartitionLog.open(storage, 'compact-0', compactCfg, clock);
    // Keys spread over the whole key space, so the cleaner's map really holds keySpace keys.
    const keySpace = opts.quick ? 20_000 : 200_000;
    const one = prebuiltBatch(clock.nowMs(), { keySpace, offset: 0 }).length;
    const compactBatches = Math.ceil(compactionBytes / one);
    for (let i = 0; i < compactBatches; i++) {
      compacted.appendAsLeader(prebuiltBatch(clock.nowMs(), { keySpace, offset: i * 104_729 }), { leaderEpoch: 0 });
    }
    compacted.roll();
    const result = new LogCleaner(clock).cleanSync(compacted);
    if (!result.cleaned || !result.stats) throw new Error(`compaction did not run: ${result.reason}`);
    out['storage.compaction.mb_per_s'] = Math.round(result.stats.bytesBefore / MIB / (result.stats.durationMs / 1000));
    compacted.close();
    return out;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
