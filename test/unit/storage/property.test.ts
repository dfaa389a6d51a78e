import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../engine/storage/errors';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { PartitionLog } from '../../../engine/storage/log';
import { decodeRecordsSync } from '../../../engine/storage/record-batch';
import { ManualClock } from '../../../engine/util/clock';
import { SeededRandom } from '../../../engine/util/random';
import { batchOf, config, rec, T0, text } from './helpers';

type Op =
  | { kind: 'append'; records: number; valueBytes: number }
  | { kind: 'flush' }
  | { kind: 'tear'; afterBytes: number }
  | { kind: 'crash'; seed: number; withRecoveryPoint: boolean }
  | { kind: 'cleanReopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('append' as const), records: fc.integer({ min: 1, max: 6 }), valueBytes: fc.integer({ min: 0, max: 120 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tear' as const), afterBytes: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('crash' as const), seed: fc.integer({ min: 0, max: 1_000_000 }), withRecoveryPoint: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cleanReopen' as const }) },
);

/** Every record the log serves, in order. */
function served(log: PartitionLog): { offset: number; value: string }[] {
  const out: { offset: number; value: string }[] = [];
  let offset = log.logStartOffset;
  for (let guard = 0; offset < log.logEndOffset && guard < 100_000; guard++) {
    const r = log.read(offset, 700);
    if (r.bytesRead === 0) break;
    for (const d of decodeRecordsSync(r.batches)) if (d.offset >= offset) out.push({ offset: d.offset, value: text(d.value)! });
    offset = r.nextOffset;
  }
  return out;
}

describe('crash safety (property)', () => {
  it('after any sequence of appends, flushes, torn writes and crashes, every fsynced record is served intact and nothing unwritten is ever served', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 200, max: 2000 }), (ops, segmentBytes) => {
        const storage = new MemoryStorage();
        const clock = new ManualClock(T0);
        const cfg = config({ 'segment.bytes': String(segmentBytes), 'index.interval.bytes': '64', 'max.message.bytes': '100000' });
        let log = PartitionLog.open(storage, 'p-0', cfg, clock);
        /** What was written at each offset (the model). */
        const written = new Map<number, string>();
        let writtenEnd = 0;
        /** Everything below this was fsynced (checkpointed recovery point). */
        let durable = 0;
        let serial = 0;

        const check = () => {
          const recs = served(log);
          // Nothing beyond what was written, and every served record is exactly what was written there.
          expect(log.logEndOffset).toBeLessThanOrEqual(writtenEnd);
          for (const r of recs) expect(r.value).toBe(written.get(r.offset));
          // Every fsynced record survived.
          expect(log.logEndOffset).toBeGreaterThanOrEqual(durable);
          expect(recs.length).toBe(log.logEndOffset);
        };

        const reopen = (opts: Parameters<typeof PartitionLog.open>[4]) => {
          log = PartitionLog.open(storage, 'p-0', cfg, clock, opts);
          check();
          // Offsets past the recovered end were lost; they will be written anew.
          for (let o = log.logEndOffset; o < writtenEnd; o++) written.delete(o);
          writtenEnd = log.logEndOffset;
          durable = log.recoveryPoint;
        };

        for (const op of ops) {
          switch (op.kind) {
            case 'append': {
              if (log.isOffline) break;
              const values: string[] = [];
              for (let i = 0; i < op.records; i++) values.push(`${serial++}:${'x'.repeat(op.valueBytes)}`);
              try {
                const res = log.appendAsLeader(batchOf(values.map((v, i) => rec(`k${i}`, v, clock.nowMs()))), { leaderEpoch: 0 });
                values.forEach((v, i) => written.set(res.baseOffset + i, v));
                writtenEnd = res.lastOffset + 1;
                durable = Math.max(durable, log.recoveryPoint);
              } catch (e) {
                expect(e).toBeInstanceOf(StorageError);
                if ((e as StorageError).errorName === 'RECORD_LIST_TOO_LARGE') {
                  // Refused whole (bigger than segment.bytes): nothing was written.
                  expect(log.logEndOffset).toBe(writtenEnd);
                  break;
                }
                expect((e as StorageError).errorName).toBe('KAFKA_STORAGE_ERROR');
                expect(log.isOffline).toBe(true);
                // The torn batch may or may not survive; it was never acknowledged, but it is the
                // only thing that may appear beyond the acknowledged end.
                values.forEach((v, i) => written.set(writtenEnd + i, v));
                writtenEnd += values.length;
              }
              clock.advance(10);
              break;
            }
            case 'flush':
              if (log.isOffline) break;
              log.flush();
              durable = log.logEndOffset;
              break;
            case 'tear': {
              const active = log.segments().at(-1)!;
              storage.tearNextWrite(`p-0/${String(active.baseOffset).padStart(20, '0')}.log`, op.afterBytes);
              break;
            }
            case 'crash':
              storage.crash(new SeededRandom(op.seed));
              reopen(op.withRecoveryPoint ? { recoveryPoint: durable } : {});
              break;
            case 'cleanReopen':
              if (log.isOffline) break;
              log.close();
              storage.crash(new SeededRandom(serial));
              durable = log.logEndOffset;
              reopen({ hadCleanShutdown: true });
              break;
          }
        }
        storage.crash(new SeededRandom(7));
        reopen({ recoveryPoint: durable });
      }),
      { numRuns: 150, seed: 20240601 },
    );
  });
});
