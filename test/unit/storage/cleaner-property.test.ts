import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogCleaner } from '../../../engine/storage/cleaner';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { PartitionLog } from '../../../engine/storage/log';
import { ManualClock } from '../../../engine/util/clock';
import { SeededRandom } from '../../../engine/util/random';
import { batchOf, config, readAll, rec, T0, text } from './helpers';

type Op =
  | { kind: 'append'; keys: number[]; tombstone: boolean }
  | { kind: 'roll' }
  | { kind: 'clean' }
  | { kind: 'advance'; ms: number }
  | { kind: 'crashDuringClean'; afterOps: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('append' as const), keys: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 4 }), tombstone: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'roll' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'clean' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 4000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crashDuringClean' as const), afterOps: fc.integer({ min: 0, max: 40 }) }) },
);

describe('compaction (property)', () => {
  it('never loses the latest value of a key, never serves a record that was not written there, and removes tombstones only after delete.retention.ms', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 6 }), (ops, maxMapKeys) => {
        const storage = new MemoryStorage();
        const clock = new ManualClock(T0);
        const cfg = config({ 'cleanup.policy': 'compact', 'segment.bytes': '600', 'delete.retention.ms': '5000', 'min.cleanable.dirty.ratio': '0.01' });
        let log = PartitionLog.open(storage, 'c-0', cfg, clock);
        const cleaner = new LogCleaner(clock, { maxMapKeys });
        let dirty: number | undefined;
        /** offset -> what was written; key -> [last offset, time written]. */
        const written = new Map<number, { key: string; value: string | null; atMs: number }>();
        const latest = new Map<string, number>();
        let serial = 0;

        const check = () => {
          const served = readAll(log);
          const servedAt = new Map(served.map((r) => [r.offset, r]));
          for (const r of served) {
            const w = written.get(r.offset);
            expect(w).toBeDefined();
            expect([text(r.key), text(r.value)]).toEqual([w!.key, w!.value]);
          }
          for (const [key, offset] of latest) {
            const w = written.get(offset)!;
            if (servedAt.has(offset)) continue;
            // Only a tombstone may vanish, and only once delete.retention.ms has passed since it was written.
            expect(w.value, `latest record of ${key} at ${offset} is missing`).toBeNull();
            expect(clock.nowMs() - w.atMs).toBeGreaterThanOrEqual(5000);
          }
          const activeBase = log.segments().at(-1)!.baseOffset;
          for (const [offset] of written) if (offset >= activeBase) expect(servedAt.has(offset)).toBe(true);
          expect(log.logEndOffset).toBe(written.size === 0 ? 0 : Math.max(...written.keys()) + 1);
        };

        for (const op of ops) {
          switch (op.kind) {
            case 'append': {
              const records = op.keys.map((k, i) => rec(`k${k}`, op.tombstone && i === op.keys.length - 1 ? null : `v${serial++}`, clock.nowMs()));
              const res = log.appendAsLeader(batchOf(records), { leaderEpoch: 0 });
              records.forEach((r, i) => {
                written.set(res.baseOffset + i, { key: text(r.key)!, value: text(r.value), atMs: clock.nowMs() });
                latest.set(text(r.key)!, res.baseOffset + i);
              });
              break;
            }
            case 'roll':
              log.roll();
              break;
            case 'clean': {
              const res = cleaner.cleanSync(log, { firstDirtyOffset: dirty });
              dirty = res.nextDirtyOffset;
              break;
            }
            case 'advance':
              clock.advance(op.ms);
              break;
            case 'crashDuringClean': {
              log.flush();
              storage.crashAfterOps(op.afterOps);
              let crashed = false;
              try {
                dirty = cleaner.cleanSync(log, { firstDirtyOffset: dirty }).nextDirtyOffset;
              } catch {
                crashed = true;
              }
              storage.clearFaults();
              if (crashed || storage.isDown) {
                storage.crash(new SeededRandom(serial));
                log = PartitionLog.open(storage, 'c-0', cfg, clock, {});
                dirty = undefined; // the checkpoint was not written: start from the log start
              }
              break;
            }
          }
          check();
        }
      }),
      { numRuns: 120, seed: 4242 },
    );
  });
});
