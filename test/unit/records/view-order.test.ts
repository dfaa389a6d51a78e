import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BEFORE_ANY_RECORD, ViewOrder, ViewWalker, type ViewLayout } from '../../../engine/records/view-order';
import { boundsOf, bruteForceRows, fakeIo, fakePartition, type FakePartition, type FakeRecord } from './fake-io';

const T0 = 1_700_000_000_000;

/** Random partitions: batches with offset gaps, control batches, timestamps that mostly rise, -1 timestamps, a log start inside the data. */
const partitionArb = (partition: number): fc.Arbitrary<FakePartition> =>
  fc
    .record({
      batches: fc.array(
        fc.record({
          control: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
          sizes: fc.integer({ min: 1, max: 5 }),
          gapBefore: fc.integer({ min: 0, max: 3 }),
          gapsInside: fc.boolean(),
          tsStep: fc.integer({ min: -2000, max: 5000 }),
          noTimestamp: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
        }),
        { maxLength: 8 },
      ),
      logStartSkip: fc.integer({ min: 0, max: 4 }),
    })
    .map(({ batches, logStartSkip }) => {
      let offset = 0;
      let ts = T0;
      const groups: FakeRecord[][] = [];
      for (const b of batches) {
        offset += b.gapBefore;
        const g: FakeRecord[] = [];
        const n = b.control ? 1 : b.sizes;
        for (let i = 0; i < n; i++) {
          ts += b.tsStep;
          g.push({ offset, timestampMs: b.noTimestamp ? -1 : ts, control: b.control, key: `k${offset}`, value: `v${offset}` });
          offset += b.gapsInside && !b.control ? 2 : 1;
        }
        groups.push(g);
      }
      const fp = fakePartition(partition, groups);
      const start = Math.min(fp.highWatermark, logStartSkip);
      return { ...fp, logStartOffset: start };
    });

const viewArb = fc.integer({ min: 1, max: 4 }).chain((k) => fc.tuple(...Array.from({ length: k }, (_, p) => partitionArb(p))));

async function walkAll(layout: ViewLayout, order: ViewOrder, io: ReturnType<typeof fakeIo>, from: number, count: number) {
  const start = await order.locate(from);
  const w = new ViewWalker(io, layout, start, 'rows');
  await w.init();
  const out: { partition: number; offset: number; kind: string }[] = [];
  while (out.length < count && (await w.next())) {
    const r = w.readers[w.q];
    out.push({ partition: layout.bounds[w.q].partition, offset: w.offset, kind: w.gap ? 'gap' : r.control ? 'control' : 'record' });
  }
  return out;
}

function layoutOf(parts: FakePartition[]): ViewLayout {
  const bounds = boundsOf(parts);
  return { topic: 't', partition: parts.length === 1 ? 0 : null, bounds, totalRows: bounds.reduce((n, b) => n + b.end - b.start, 0), changed: false, unavailable: [] };
}

describe('view order', () => {
  it('walks every row once, in (runmax, partition, offset) order, gaps and control records included', async () => {
    await fc.assert(
      fc.asyncProperty(viewArb, async (parts) => {
        const io = fakeIo('t', parts);
        const layout = layoutOf(parts);
        const order = new ViewOrder(io, layout);
        const expected = bruteForceRows(parts).map(({ partition, offset, kind }) => ({ partition, offset, kind }));
        expect(await walkAll(layout, order, io, 0, Infinity)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('finds any row by index (random access) and any record by offset and by timestamp', async () => {
    await fc.assert(
      fc.asyncProperty(viewArb, fc.nat(), fc.integer({ min: -3000, max: 60_000 }), async (parts, pick, tsDelta) => {
        const io = fakeIo('t', parts);
        const layout = layoutOf(parts);
        const order = new ViewOrder(io, layout);
        const expected = bruteForceRows(parts);
        if (expected.length === 0) return;
        const r = pick % expected.length;
        const got = await walkAll(layout, order, io, r, 3);
        expect(got).toEqual(expected.slice(r, r + 3).map(({ partition, offset, kind }) => ({ partition, offset, kind })));
        // rowOf inverts locate.
        const target = expected[r];
        const q = layout.bounds.findIndex((b) => b.partition === target.partition);
        expect(await order.rowOf(q, target.offset)).toBe(r);
        // A timestamp seek lands on the first row whose runmax reaches it.
        const T = T0 + tsDelta;
        const at = await order.rowAtTimestamp(T);
        const firstAtOrAfter = expected.findIndex((x) => x.key[0] >= T);
        expect(at.row).toBe(firstAtOrAfter < 0 ? expected.length : firstAtOrAfter);
      }),
      { numRuns: 150 },
    );
  });

  it('walks only data records in records mode, in the same order', async () => {
    await fc.assert(
      fc.asyncProperty(viewArb, async (parts) => {
        const io = fakeIo('t', parts);
        const layout = layoutOf(parts);
        const w = new ViewWalker(io, layout, { offsets: layout.bounds.map((b) => b.start), runmax: layout.bounds.map(() => BEFORE_ANY_RECORD) }, 'records');
        await w.init();
        const got: string[] = [];
        while (await w.next()) got.push(`${layout.bounds[w.q].partition}:${w.offset}`);
        const expected = bruteForceRows(parts).filter((x) => x.kind === 'record').map((x) => `${x.partition}:${x.offset}`);
        expect(got).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('is offset order in a one-partition view: row i is offset start + i', async () => {
    const p = fakePartition(0, [
      [{ offset: 3, timestampMs: T0 + 50, control: false, key: 'a', value: '1' }],
      [{ offset: 4, timestampMs: T0 - 10, control: false, key: 'b', value: '2' }, { offset: 6, timestampMs: T0 + 5, control: false, key: 'c', value: '3' }],
    ], 3);
    const io = fakeIo('t', [p]);
    const layout = layoutOf([p]);
    const order = new ViewOrder(io, layout);
    expect(await walkAll(layout, order, io, 0, 10)).toEqual([
      { partition: 0, offset: 3, kind: 'record' },
      { partition: 0, offset: 4, kind: 'record' },
      { partition: 0, offset: 5, kind: 'gap' },
      { partition: 0, offset: 6, kind: 'record' },
    ]);
    expect(await order.rowOf(0, 5)).toBe(2);
  });
});

describe('browser rows', () => {
  it('marks transaction markers, tombstones and offsets emptied by compaction', async () => {
    const { Browser } = await import('../../../engine/records/browser');
    const p = fakePartition(0, [
      [{ offset: 0, timestampMs: T0, control: false, key: 'a', value: '1' }, { offset: 2, timestampMs: T0 + 1, control: false, key: 'b', value: null }],
      [{ offset: 3, timestampMs: T0 + 2, control: true, key: null, value: null }],
    ]);
    const browser = new Browser(fakeIo('t', [p]));
    const page = await browser.rows({ topic: 't', partition: 0, fromRow: 0, count: 10 });
    expect(page.rows.map((r) => [r.offset, r.kind, r.controlType, r.value === null])).toEqual([
      [0, 'record', null, false],
      [1, 'gap', null, true],
      [2, 'record', null, true],
      [3, 'control', 'COMMIT', false],
    ]);
    expect(page.rows[3].transactional).toBe(true);
  });
});
