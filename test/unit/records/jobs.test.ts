import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../../engine/api/contract';
import { WorkbenchError } from '../../../engine/api/errors';
import { openEngine, until, write, type TestEngine } from './helpers';

const T0 = 1_726_401_600_000;
let t: TestEngine;

async function failure(p: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await p;
  } catch (err) {
    return WorkbenchError.from(err);
  }
  throw new Error('expected the call to fail');
}

function job(id: string): JobView {
  const j = t.engine.records.jobs.views().find((v) => v.id === id);
  if (!j) throw new Error(`no job ${id}`);
  return j;
}

async function finished(id: string): Promise<JobView> {
  await until(() => job(id).state !== 'running', 30_000, `job ${id}`);
  return job(id);
}

/** Every record of a topic, partition by partition, as comparable objects. */
async function contents(topic: string): Promise<unknown[]> {
  const out: unknown[] = [];
  const layout = await t.call('browseRows', { topic, partition: null, fromRow: 0, count: 1 });
  for (const b of layout.bounds) {
    for (let from = 0; from < b.end - b.start; from += 500) {
      const page = await t.call('browseRows', { topic, partition: b.partition, fromRow: from, count: 500 });
      for (const r of page.rows) {
        const full = await t.call('readRecord', { topic, partition: r.partition, offset: r.offset });
        out.push({ partition: full.partition, timestampMs: full.timestampMs, key: full.key, value: full.value, headers: full.headers });
      }
    }
  }
  return out;
}

beforeAll(async () => {
  t = openEngine();
  await t.call('createTopic', { name: 'events', partitions: 3, replicationFactor: 2 });
  for (let p = 0; p < 3; p++) {
    const recs = Array.from({ length: 400 }, (_, i) => ({
      key: i % 50 === 0 ? null : `user-${i % 7}`,
      value: i % 97 === 0 ? null : i % 31 === 0 ? Buffer.from([0xfe, p, i & 0xff]) : JSON.stringify({ n: i, p, kind: i % 5 === 0 ? 'buy' : 'view', note: 'line\nbreak, "quoted"' }),
      timestampMs: T0 + i * 100 + p,
      headers: i % 3 === 0 ? [{ key: 'source', value: i % 2 ? 'web' : 'app' }, { key: 'none', value: null }] : [],
    }));
    await write(t, 'events', p, recs, { perBatch: 25 });
  }
}, 60_000);

afterAll(async () => {
  await t.close();
});

describe('filter jobs', () => {
  it('scans in the engine, keeps matches in view order and serves them page by page', async () => {
    const started = await t.call('filterStart', { topic: 'events', partition: null, filter: { keyEquals: 'user-3', jsonPath: '$.kind', jsonEquals: 'buy' } });
    expect(started.kind).toBe('filter');
    const done = await finished(started.id);
    expect(done.state).toBe('done');
    expect(done.done).toBe(done.total);
    expect(done.total).toBe(1200);
    // Expected by brute force: keyed user-3 (i % 7 == 3), value JSON with kind buy (i % 5 == 0), not tombstone/binary.
    const expected: string[] = [];
    for (let i = 0; i < 400; i++) {
      for (let p = 0; p < 3; p++) {
        if (i % 50 !== 0 && i % 7 === 3 && i % 5 === 0 && i % 97 !== 0 && i % 31 !== 0) expected.push(`${p}:${i}`);
      }
    }
    expect(done.matches).toBe(expected.length);
    const first = await t.call('filterPage', { jobId: started.id, fromIndex: 0, count: 5 });
    const rest = await t.call('filterPage', { jobId: started.id, fromIndex: 5, count: 500 });
    expect([...first.rows, ...rest.rows].map((r) => `${r.partition}:${r.offset}`)).toEqual(expected);
    expect(rest.rows[0].row).toBe(5);
  });

  it('stops at the match limit with a note, and can be cancelled', async () => {
    const capped = await t.call('filterStart', { topic: 'events', partition: 0, filter: { valueContains: 'view' }, maxMatches: 10 });
    const done = await finished(capped.id);
    expect(done.matches).toBe(10);
    expect(done.note).toMatch(/Stopped at 10 matches/);
    const running = await t.call('filterStart', { topic: 'events', partition: null, filter: { valueContains: 'never-there' } });
    await t.call('cancelJob', { jobId: running.id });
    expect(['cancelled', 'done']).toContain((await finished(running.id)).state);
  });

  it('refuses bad filters before starting anything', async () => {
    const before = t.engine.records.jobs.views().length;
    expect(await failure(t.call('filterStart', { topic: 'events', partition: null, filter: { jsonPath: '$.a[' } }))).toMatchObject({ field: 'jsonPath' });
    expect(await failure(t.call('filterStart', { topic: 'events', partition: null, filter: {} }))).toMatchObject({ field: 'filter' });
    expect(t.engine.records.jobs.views().length).toBe(before);
    expect(await failure(t.call('filterPage', { jobId: 'filter-999', fromIndex: 0, count: 1 }))).toMatchObject({ field: 'jobId' });
  });
});

describe('export and import', () => {
  it('exports a view to JSONL under the data dir and imports it back into another topic unchanged', async () => {
    const exp = await t.call('exportStart', { format: 'jsonl', source: 'view', topic: 'events', partition: null });
    const done = await finished(exp.id);
    expect(done.state).toBe('done');
    expect(done.matches).toBe(1200);
    expect(done.file!.path.startsWith(path.join(t.dir, 'exports') + path.sep)).toBe(true);
    expect(done.file!.name).toMatch(/^events-\d{8}T\d{6}Z\.jsonl$/);
    const lines = fs.readFileSync(done.file!.path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1200);
    expect(JSON.parse(lines[0])).toEqual({ topic: 'events', partition: 0, offset: 0, timestamp: T0, timestampType: 'CreateTime', key: null, value: null, headers: [{ key: 'source', value: 'app' }, { key: 'none', value: null }] });
    expect(JSON.parse(lines.find((l) => l.includes('base64'))!).value).toHaveProperty('base64');

    await t.call('createTopic', { name: 'events-copy', partitions: 3, replicationFactor: 1 });
    const imp = await t.call('importStart', { topic: 'events-copy', fileName: done.file!.name });
    for (let i = 0; i < lines.length; i += 250) {
      const res = await t.call('importChunk', { jobId: imp.id, firstLine: i + 1, lines: lines.slice(i, i + 250), last: i + 250 >= lines.length });
      expect(res.accepting).toBe(i + 250 < lines.length);
    }
    const imported = await finished(imp.id);
    expect(imported.state).toBe('done');
    expect(imported.import).toMatchObject({ importedLines: [[1, 1200]], importedRecords: 1200, failedLine: null, notImportedLines: [] });
    expect(await contents('events-copy')).toEqual(await contents('events'));
  });

  it('exports CSV with quoting and encodings', async () => {
    const exp = await t.call('exportStart', { format: 'csv', source: 'rows', topic: 'events', partition: 1, fromRow: 30, toRow: 33 });
    const done = await finished(exp.id);
    const text = fs.readFileSync(done.file!.path, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('partition,offset,timestamp,timestamp_iso,timestamp_type,key,key_encoding,value,value_encoding,headers');
    expect(text).toContain('1,30,');
    expect(text).toContain(String.raw`"{""n"":30,""p"":1,""kind"":""buy"",""note"":""line\nbreak, \""quoted\""""}",utf8,"[{""key"":""source"",""value"":""app""},{""key"":""none"",""value"":null}]"`);
    expect(text).toMatch(/1,31,\d+,[^,]+,CreateTime,user-3,utf8,\/gEf,base64,/);
    expect(done.matches).toBe(3);
  });

  it('exports a filter result', async () => {
    const f = await t.call('filterStart', { topic: 'events', partition: null, filter: { headerKey: 'source', headerValue: 'web' } });
    const filtered = await finished(f.id);
    const exp = await t.call('exportStart', { format: 'jsonl', source: 'filter', filterJobId: f.id });
    const done = await finished(exp.id);
    const lines = fs.readFileSync(done.file!.path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(filtered.matches);
    expect(lines.every((l) => JSON.parse(l).headers[0].value === 'web')).toBe(true);
  });

  it('stops an import at the first bad line and says exactly what was and was not imported', async () => {
    await t.call('createTopic', { name: 'half', partitions: 2, replicationFactor: 1 });
    const imp = await t.call('importStart', { topic: 'half' });
    const lines = ['{"key":"a","value":"1"}', '', '{"key":"b","value":"2","partition":1}', '{"key":"c","vaule":"3"}', '{"key":"d","value":"4"}'];
    const res = await t.call('importChunk', { jobId: imp.id, firstLine: 1, lines, last: false });
    expect(res.accepting).toBe(false);
    expect(res.job.state).toBe('failed');
    expect(res.job.import).toMatchObject({ importedLines: [[1, 1], [3, 3]], importedRecords: 2, blankLines: 1, failedLine: 4, notImportedLines: [[4, 5]] });
    expect(res.job.import!.failure).toContain('unknown field "vaule"');
    expect(res.job.error!.message).toMatch(/Line 4/);
    const after = await t.call('browseRows', { topic: 'half', partition: null, fromRow: 0, count: 10 });
    expect(after.totalRows).toBe(2);
    // Nothing more is accepted.
    expect((await t.call('importChunk', { jobId: imp.id, firstLine: 6, lines: ['{"value":"x"}'], last: true })).accepting).toBe(false);
  });

  it('imports nothing from a file that is not JSONL', async () => {
    await t.call('createTopic', { name: 'untouched', partitions: 1, replicationFactor: 1 });
    const imp = await t.call('importStart', { topic: 'untouched' });
    const res = await t.call('importChunk', { jobId: imp.id, firstLine: 1, lines: ['partition,offset,key', '0,1,a'], last: true });
    expect(res.job.import).toMatchObject({ importedLines: [], importedRecords: 0, failedLine: 1, notImportedLines: [[1, 2]] });
    expect(res.job.import!.failure).toMatch(/not JSON/);
    expect((await t.call('browseRows', { topic: 'untouched', partition: 0, fromRow: 0, count: 1 })).totalRows).toBe(0);
  });

  it.each([
    ['[1,2]', /not an object/],
    ['{"key":"k"}', /"value" is missing/],
    ['{"value":{"text":"x"}}', /must be text, null, or \{"base64"/],
    ['{"value":{"base64":"@@"}}', /base64 that does not decode/],
    ['{"value":"v","partition":7}', /partition 7 does not exist/],
    ['{"value":"v","partition":-1}', /whole number/],
    ['{"value":"v","timestamp":"yesterday"}', /"timestamp" must be whole milliseconds/],
    ['{"value":"v","headers":{"a":"b"}}', /"headers" must be an array/],
    ['{"value":"v","headers":[{"key":1}]}', /header 1 needs a "key"/],
  ])('refuses line %s with a reason', async (line, reason) => {
    const imp = await t.call('importStart', { topic: 'untouched' });
    const res = await t.call('importChunk', { jobId: imp.id, firstLine: 1, lines: [line], last: true });
    expect(res.job.import!.failedLine).toBe(1);
    expect(res.job.import!.failure).toMatch(reason);
  });

  it('ends once when a cancel arrives while a chunk that stops the import is being written', async () => {
    const imp = await t.call('importStart', { topic: 'untouched' });
    const chunk = t.call('importChunk', { jobId: imp.id, firstLine: 1, lines: ['{"value":"kept"}', '{"vaule":"typo"}'], last: false });
    const cancel = t.call('cancelJob', { jobId: imp.id });
    await Promise.all([chunk, cancel]);
    const ended = job(imp.id);
    expect(['failed', 'cancelled']).toContain(ended.state);
    expect(ended.finishedAtMs).not.toBeNull();
    await t.call('cancelJob', { jobId: imp.id });
    expect(job(imp.id)).toEqual(ended);
  });

  it('insists on lines in order', async () => {
    const imp = await t.call('importStart', { topic: 'untouched' });
    expect(await failure(t.call('importChunk', { jobId: imp.id, firstLine: 3, lines: ['{"value":"x"}'], last: false }))).toMatchObject({ field: 'firstLine' });
    await t.call('cancelJob', { jobId: imp.id });
    expect(job(imp.id).state).toBe('cancelled');
  });

  it('deletes the partial file of a cancelled export', async () => {
    const exp = await t.call('exportStart', { format: 'jsonl', source: 'view', topic: 'events', partition: null });
    await t.call('cancelJob', { jobId: exp.id });
    const done = await finished(exp.id);
    if (done.state === 'cancelled') {
      expect(done.file).toBeNull();
      expect(fs.readdirSync(path.join(t.dir, 'exports')).filter((f) => f.endsWith('.part'))).toEqual([]);
    }
  });

  it('refuses a fourth job while three are running', async () => {
    const running: string[] = [];
    // A filter that matches nothing over a large range runs long enough to overlap.
    await t.call('createTopic', { name: 'big', partitions: 1, replicationFactor: 1 });
    await write(t, 'big', 0, Array.from({ length: 60_000 }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(100), timestampMs: T0 + i })), { perBatch: 2000 });
    for (let i = 0; i < 3; i++) running.push((await t.call('filterStart', { topic: 'big', partition: 0, filter: { jsonPath: '$.x', jsonEquals: '1' } })).id);
    const busy = await failure(t.call('filterStart', { topic: 'big', partition: 0, filter: { valueContains: 'x' } }));
    expect(busy.code).toBe('BUSY');
    for (const id of running) await t.call('cancelJob', { jobId: id });
    for (const id of running) await finished(id);
  });
});
