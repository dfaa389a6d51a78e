import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BrowseFilter } from '../../../engine/api/contract';
import { WorkbenchError } from '../../../engine/api/errors';
import { compileFilter } from '../../../engine/records/filter';
import { evaluateJsonPath, isMissing, jsonEquals, parseJsonPath } from '../../../engine/records/json-path';
import { PartitionReader } from '../../../engine/records/partition-reader';
import type { LeaderIo } from '../../../engine/ports/leader-io';
import { buildBatchSync, type RecordSpec } from '../../../engine/storage/record-batch';

interface R {
  key: string | null;
  value: string | null;
  headers?: { key: string; value: string | null }[];
  ts?: number;
}

/** A reader over one partition holding `records` in batches of `perBatch`. */
function readerOver(records: R[], perBatch = 7): PartitionReader {
  const batches: Buffer[] = [];
  for (let i = 0; i < records.length; i += perBatch) {
    const specs: RecordSpec[] = records.slice(i, i + perBatch).map((r, j) => ({
      key: r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
      headers: (r.headers ?? []).map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value) })),
      timestampMs: r.ts ?? 1000 + i + j,
    }));
    batches.push(buildBatchSync({ baseOffset: i, records: specs }));
  }
  const data = Buffer.concat(batches);
  const io = { read: async (_t: string, _p: number, from: number) => (from >= records.length || data.length === 0 ? null : data) } as unknown as LeaderIo;
  return new PartitionReader(io, 't', 0, 0, records.length, { skipControl: true });
}

async function matching(filter: BrowseFilter, records: R[], perBatch?: number): Promise<number[]> {
  const f = compileFilter(filter);
  const r = readerOver(records, perBatch);
  const out: number[] = [];
  let wait = r.advance();
  if (wait) await wait;
  while (!r.exhausted) {
    if (f.matches(r)) out.push(r.headOffset);
    wait = r.advance();
    if (wait) await wait;
  }
  return out;
}

function errorOf(fn: () => unknown): WorkbenchError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WorkbenchError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('filters', () => {
  const records: R[] = [
    { key: 'user-1', value: '{"user":{"id":1,"name":"Ann"},"items":[{"sku":"a"}]}', headers: [{ key: 'source', value: 'web' }] },
    { key: 'user-2', value: '{"user":{"id":2,"name":"Bob"},"items":[]}', headers: [{ key: 'source', value: 'app' }, { key: 'trace', value: null }] },
    { key: null, value: 'not json at all' },
    { key: 'user-1', value: null },
    { key: 'admin', value: '{"user":{"id":"1"}}' },
    { key: 'user-10', value: '{"user":{"id":1.0,"name":"\\u0041nn"}}', headers: [{ key: 'source', value: 'web' }] },
  ];

  it('matches key equals and key contains on the stored bytes', async () => {
    expect(await matching({ keyEquals: 'user-1' }, records)).toEqual([0, 3]);
    expect(await matching({ keyContains: 'user-1' }, records)).toEqual([0, 3, 5]);
    expect(await matching({ keyContains: 'user' }, records, 2)).toEqual([0, 1, 3, 5]);
  });

  it('matches value contains, never on tombstones', async () => {
    expect(await matching({ valueContains: 'Bob' }, records)).toEqual([1]);
    expect(await matching({ valueContains: '' }, records)).toEqual([0, 1, 2, 4, 5]);
  });

  it('matches a header by key, and by key and value', async () => {
    expect(await matching({ headerKey: 'source' }, records)).toEqual([0, 1, 5]);
    expect(await matching({ headerKey: 'source', headerValue: 'web' }, records)).toEqual([0, 5]);
    expect(await matching({ headerKey: 'trace' }, records)).toEqual([1]);
  });

  it('matches a time range, inclusive at both ends', async () => {
    const timed = records.map((r, i) => ({ ...r, ts: 5000 + i * 10 }));
    expect(await matching({ fromTimestampMs: 5010, toTimestampMs: 5030 }, timed)).toEqual([1, 2, 3]);
  });

  it('matches a JSON path with JSON equality, escapes included', async () => {
    expect(await matching({ jsonPath: '$.user.id', jsonEquals: '1' }, records)).toEqual([0, 5]);
    expect(await matching({ jsonPath: '$.user.id', jsonEquals: '"1"' }, records)).toEqual([4]);
    // "\u0041nn" is "Ann": the byte prefilter must not hide it.
    expect(await matching({ jsonPath: '$.user.name', jsonEquals: 'Ann' }, records)).toEqual([0, 5]);
    expect(await matching({ jsonPath: '$.items[0].sku', jsonEquals: '"a"' }, records)).toEqual([0]);
    expect(await matching({ jsonPath: '$.items' }, records)).toEqual([0, 1]);
    expect(await matching({ jsonPath: '$.items', jsonEquals: '[]' }, records)).toEqual([1]);
  });

  it('combines conditions with AND', async () => {
    expect(await matching({ keyContains: 'user', headerKey: 'source', headerValue: 'web', jsonPath: '$.user.id', jsonEquals: '1' }, records)).toEqual([0, 5]);
  });

  it('finds every substring a naive search finds, whatever the batch sizes (occurrence cache)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.option(fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 6 }), { nil: null }), value: fc.option(fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 12 }), { nil: null }) }), { maxLength: 40 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 9 }),
        async (recs, needle, perBatch) => {
          const expectValue = recs.flatMap((r, i) => (r.value !== null && r.value.includes(needle) ? [i] : []));
          const expectKey = recs.flatMap((r, i) => (r.key !== null && r.key.includes(needle) ? [i] : []));
          expect(await matching({ valueContains: needle }, recs, perBatch)).toEqual(expectValue);
          expect(await matching({ keyContains: needle }, recs, perBatch)).toEqual(expectKey);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses filters that cannot run, saying which field is wrong', () => {
    expect(errorOf(() => compileFilter({})).message).toMatch(/empty/);
    expect(errorOf(() => compileFilter({ headerValue: 'x' })).field).toBe('headerKey');
    expect(errorOf(() => compileFilter({ jsonEquals: '1' })).field).toBe('jsonPath');
    const badTime = errorOf(() => compileFilter({ fromTimestampMs: -5 }));
    expect(badTime.code).toBe('INVALID_TIMESTAMP');
    expect(badTime.field).toBe('fromTimestampMs');
    const backwards = errorOf(() => compileFilter({ fromTimestampMs: 2000, toTimestampMs: 1000 }));
    expect(backwards.code).toBe('INVALID_TIMESTAMP');
    expect(backwards.message).toMatch(/ends before it starts/);
    const path = errorOf(() => compileFilter({ jsonPath: 'user.id' }));
    expect(path.field).toBe('jsonPath');
    expect(path.message).toMatch(/starts with \$/);
  });
});

describe('JSON path', () => {
  it('parses names, indexes and quoted names', () => {
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath('$.a.b[0]["c d"][\'e\\\'f\']')).toEqual([
      { kind: 'name', name: 'a' },
      { kind: 'name', name: 'b' },
      { kind: 'index', index: 0 },
      { kind: 'name', name: 'c d' },
      { kind: 'name', name: "e'f" },
    ]);
  });

  it.each([
    ['', /empty/],
    ['a.b', /starts with \$/],
    ['$.', /property name after '\.'/],
    ['$..a', /recursive descent/],
    ['$.a[*]', /wildcards/],
    ['$.*', /wildcards/],
    ['$.a[-1]', /negative indexes/],
    ['$.a[1:2]', /slices/],
    ['$.a[x]', /not an array index/],
    ['$.a[0', /not closed/],
    ['$["a', /not closed/],
    ['$["a"x', /expected '\]'/],
    ['$a', /expected '\.' or '\['/],
  ])('refuses %j with a reason and its position', (text, reason) => {
    const err = errorOf(() => parseJsonPath(text));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.field).toBe('jsonPath');
    expect(err.message).toMatch(reason);
    expect(err.message).toMatch(/at character \d+/);
  });

  it('evaluates paths and compares JSON values', () => {
    const doc = { a: { b: [10, { c: null }] }, 'x y': true };
    expect(evaluateJsonPath(doc, parseJsonPath('$.a.b[0]'))).toBe(10);
    expect(evaluateJsonPath(doc, parseJsonPath('$.a.b[1].c'))).toBe(null);
    expect(evaluateJsonPath(doc, parseJsonPath('$["x y"]'))).toBe(true);
    expect(isMissing(evaluateJsonPath(doc, parseJsonPath('$.a.b[2]')))).toBe(true);
    expect(isMissing(evaluateJsonPath(doc, parseJsonPath('$.a.b.c')))).toBe(true);
    expect(isMissing(evaluateJsonPath([1], parseJsonPath('$.length')))).toBe(true);
    expect(jsonEquals({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1.0 })).toBe(true);
    expect(jsonEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEquals([1], { 0: 1 })).toBe(false);
  });
});
