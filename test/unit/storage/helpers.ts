/**
 * Shared fixtures for the storage tests: record/batch builders, a log on a
 * MemoryStorage with a ManualClock, and a reader that walks a whole log.
 */
import { ManualClock } from '../../../engine/util/clock';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { PartitionLog, type PartitionLogOpenOptions } from '../../../engine/storage/log';
import { buildBatchSync, decodeRecordsSync, type BuildBatchSpec, type DecodedRecord, type RecordSpec } from '../../../engine/storage/record-batch';
import { validateTopicConfigs, type ConfigInput, type TopicConfig } from '../../../engine/storage/topic-config';
import type { Storage } from '../../../engine/storage/storage';

export const T0 = 1_700_000_000_000;

export function rec(key: string | null, value: string | null, timestampMs = T0, headers?: RecordSpec['headers']): RecordSpec {
  return {
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    timestampMs,
    ...(headers ? { headers } : {}),
  };
}

export function batchOf(records: RecordSpec[], spec: Omit<BuildBatchSpec, 'records'> = {}): Buffer {
  return buildBatchSync({ ...spec, records });
}

/** A batch of `n` records "k<i>" = "v<i>" stamped `timestampMs`. */
export function simpleBatch(n: number, prefix = 'r', timestampMs = T0): Buffer {
  const records: RecordSpec[] = [];
  for (let i = 0; i < n; i++) records.push(rec(`${prefix}-k${i}`, `${prefix}-v${i}`, timestampMs));
  return batchOf(records);
}

export function config(overrides: ConfigInput = {}): TopicConfig {
  return validateTopicConfigs(overrides);
}

export interface LogFixture {
  storage: MemoryStorage;
  clock: ManualClock;
  log: PartitionLog;
  reopen(opts?: PartitionLogOpenOptions, cfg?: TopicConfig): PartitionLog;
}

export function memoryLog(overrides: ConfigInput = {}, dir = 'topic-0'): LogFixture {
  const storage = new MemoryStorage();
  const clock = new ManualClock(T0);
  const cfg = config(overrides);
  const fx: LogFixture = {
    storage,
    clock,
    log: PartitionLog.open(storage, dir, cfg, clock),
    reopen(opts = {}, c = cfg) {
      fx.log = PartitionLog.open(storage, dir, c, clock, opts);
      return fx.log;
    },
  };
  return fx;
}

export function openLog(storage: Storage, dir: string, cfg: TopicConfig, clock: ManualClock, opts: PartitionLogOpenOptions = {}): PartitionLog {
  return PartitionLog.open(storage, dir, cfg, clock, opts);
}

/** Every record the log serves, from logStartOffset to the LEO, in order. */
export function readAll(log: PartitionLog, maxBytes = 1 << 20): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  let offset = log.logStartOffset;
  for (let guard = 0; offset < log.logEndOffset && guard < 1_000_000; guard++) {
    const r = log.read(offset, maxBytes);
    if (r.bytesRead === 0) break;
    for (const d of decodeRecordsSync(r.batches)) if (d.offset >= offset) out.push(d);
    offset = r.nextOffset;
  }
  return out;
}

export function text(b: Buffer | null): string | null {
  return b === null ? null : b.toString('utf8');
}
