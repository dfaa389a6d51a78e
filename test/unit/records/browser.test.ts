import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowsePage } from '../../../engine/api/contract';
import { WorkbenchError } from '../../../engine/api/errors';
import { Codec } from '../../../engine/storage/compression';
import { openEngine, write, type TestEngine } from './helpers';

const T0 = 1_726_401_600_000; // 2024-09-15T12:00:00Z
let t: TestEngine;

async function failure(p: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await p;
  } catch (err) {
    return WorkbenchError.from(err);
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  t = openEngine();
  await t.call('createTopic', { name: 'clicks', partitions: 3, replicationFactor: 2 });
  // Partition p gets records at T0 + i*1000 + p*10: the time order interleaves partitions.
  for (let p = 0; p < 3; p++) {
    await write(t, 'clicks', p, Array.from({ length: 20 }, (_, i) => ({ key: `user-${i % 4}`, value: `{"n":${i},"p":${p}}`, timestampMs: T0 + i * 1000 + p * 10 })), { perBatch: 6 });
  }
  await t.call('createTopic', { name: 'kinds', partitions: 1, replicationFactor: 1 });
  await write(t, 'kinds', 0, [{ key: 'k', value: 'plain', timestampMs: T0, headers: [{ key: 'source', value: 'web' }, { key: 'empty', value: null }] }]);
  await write(t, 'kinds', 0, [{ key: 'k', value: null, timestampMs: T0 + 1 }]);
  await write(t, 'kinds', 0, [{ key: null, value: Buffer.from([0xff, 0x00, 0x10]), timestampMs: T0 + 2 }]);
  for (const [i, codec] of [Codec.GZIP, Codec.SNAPPY, Codec.LZ4, Codec.ZSTD].entries()) {
    await write(t, 'kinds', 0, [{ key: `c${codec}`, value: 'x'.repeat(500), timestampMs: T0 + 3 + i }], { compression: codec });
  }
  await t.call('createTopic', { name: 'appended', partitions: 1, replicationFactor: 1, configs: { 'message.timestamp.type': 'LogAppendTime' } });
  await write(t, 'appended', 0, [{ key: 'a', value: 'b', timestampMs: 5 }]);
}, 60_000);

afterAll(async () => {
  await t.close();
});

describe('message browser', () => {
  it('lays out an all-partitions view and interleaves partitions in time order', async () => {
    const page = await t.call('browseRows', { topic: 'clicks', partition: null, fromRow: 0, count: 9 });
    expect(page.totalRows).toBe(60);
    expect(page.bounds).toEqual([0, 1, 2].map((p) => ({ partition: p, start: 0, end: 20 })));
    expect(page.rows.map((r) => `${r.partition}:${r.offset}`)).toEqual(['0:0', '1:0', '2:0', '0:1', '1:1', '2:1', '0:2', '1:2', '2:2']);
    expect(page.rows.map((r) => r.row)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // Random access deep into the view, from the bounds.
    const deep = await t.call('browseRows', { topic: 'clicks', partition: null, bounds: page.bounds, fromRow: 44, count: 3 });
    expect(deep.rows.map((r) => `${r.partition}:${r.offset}`)).toEqual(['2:14', '0:15', '1:15']);
    expect(deep.boundsChanged).toBe(false);
  });

  it('keeps row indexes stable while new records arrive, until the view is laid out again', async () => {
    const first = await t.call('browseRows', { topic: 'clicks', partition: 1, fromRow: 0, count: 500 });
    await write(t, 'clicks', 1, [{ key: 'late', value: 'new', timestampMs: T0 + 100_000 }]);
    const again = await t.call('browseRows', { topic: 'clicks', partition: 1, bounds: first.bounds, fromRow: 0, count: 500 });
    expect(again.totalRows).toBe(first.totalRows);
    expect(again.rows.map((r) => r.offset)).toEqual(first.rows.map((r) => r.offset));
    const fresh = await t.call('browseRows', { topic: 'clicks', partition: 1, fromRow: 0, count: 500 });
    expect(fresh.totalRows).toBe(first.totalRows + 1);
    expect(fresh.rows.at(-1)!.key!.text).toBe('late');
  });

  it('replaces bounds that do not describe the view', async () => {
    const page: BrowsePage = await t.call('browseRows', { topic: 'clicks', partition: null, bounds: [{ partition: 0, start: 0, end: 5 }], fromRow: 0, count: 1 });
    expect(page.boundsChanged).toBe(true);
    expect(page.bounds).toHaveLength(3);
  });

  it('shows every field of a row: headers, tombstones, binary values, codecs, timestamp types', async () => {
    const page = await t.call('browseRows', { topic: 'kinds', partition: 0, fromRow: 0, count: 20 });
    const [plain, tombstone, binary, ...compressed] = page.rows;
    expect(plain).toMatchObject({ kind: 'record', timestampType: 'CreateTime', timestampMs: T0, key: { text: 'k', binary: false }, value: { text: 'plain' }, headerCount: 2, compression: 'none' });
    expect(plain.headers).toEqual([{ key: 'source', value: { sizeBytes: 3, text: 'web', binary: false, truncated: false } }, { key: 'empty', value: null }]);
    expect(plain.sizeBytes).toBeGreaterThan(10);
    expect(tombstone.value).toBeNull();
    expect(tombstone.kind).toBe('record');
    expect(binary.key).toBeNull();
    expect(binary.value).toEqual({ sizeBytes: 3, text: 'ff 00 10', binary: true, truncated: false });
    expect(compressed.map((r) => r.compression)).toEqual(['gzip', 'snappy', 'lz4', 'zstd']);
    expect(compressed.every((r) => r.value!.text.length === 240 && r.value!.truncated)).toBe(true);
    const appended = await t.call('browseRows', { topic: 'appended', partition: 0, fromRow: 0, count: 1 });
    expect(appended.rows[0].timestampType).toBe('LogAppendTime');
    expect(appended.rows[0].timestampMs).not.toBe(5);
  });

  it('reads one record in full with its batch facts', async () => {
    const zstd = await t.call('readRecord', { topic: 'kinds', partition: 0, offset: 6 });
    expect(zstd.value).toEqual({ sizeBytes: 500, text: 'x'.repeat(500), base64: null, truncated: false });
    expect(zstd.batch).toMatchObject({ baseOffset: 6, lastOffset: 6, compression: 'zstd', control: false });
    const binary = await t.call('readRecord', { topic: 'kinds', partition: 0, offset: 2 });
    expect(binary.value).toEqual({ sizeBytes: 3, text: null, base64: Buffer.from([0xff, 0, 0x10]).toString('base64'), truncated: false });
    const headers = await t.call('readRecord', { topic: 'kinds', partition: 0, offset: 0 });
    expect(headers.headers).toEqual([{ key: 'source', value: { sizeBytes: 3, text: 'web', base64: null, truncated: false } }, { key: 'empty', value: null }]);
  });

  it('seeks to earliest, latest, an offset and a timestamp (ListOffsets semantics)', async () => {
    const earliest = await t.call('browseSeek', { topic: 'clicks', partition: null, to: 'earliest' });
    expect(earliest).toMatchObject({ row: 0, partition: 0, offset: 0 });
    const latest = await t.call('browseSeek', { topic: 'clicks', partition: null, to: 'latest' });
    expect(latest.row).toBe(latest.totalRows);
    const byOffset = await t.call('browseSeek', { topic: 'clicks', partition: null, to: 'offset', offsetPartition: 2, offset: 14 });
    expect(byOffset.row).toBe(44);
    // 12:00:07.005 is after partition 0's record 7 (…07.000): the first at or after it is partition 1's record 7.
    const byTime = await t.call('browseSeek', { topic: 'clicks', partition: null, to: 'timestamp', timestampMs: T0 + 7005 });
    expect(byTime).toMatchObject({ row: 22, partition: 1, offset: 7 });
    expect(byTime.description).toContain('partition 1, offset 7');
    const onePartition = await t.call('browseSeek', { topic: 'clicks', partition: 2, to: 'timestamp', timestampMs: T0 + 7005 });
    expect(onePartition).toMatchObject({ row: 7, partition: 2, offset: 7 });
    const future = await t.call('browseSeek', { topic: 'clicks', partition: 0, to: 'timestamp', timestampMs: T0 + 10_000_000 });
    expect(future.offset).toBeNull();
    expect(future.row).toBe(future.totalRows);
    expect(future.description).toMatch(/No record at or after/);
  });

  it('refuses bad seeks and reads with the Kafka error and the field, changing nothing', async () => {
    const out = await failure(t.call('browseSeek', { topic: 'clicks', partition: 0, to: 'offset', offset: 999 }));
    expect(out).toMatchObject({ code: 'OFFSET_OUT_OF_RANGE', field: 'offset' });
    expect(out.message).toContain('holds offsets 0 to 19');
    expect(await failure(t.call('browseSeek', { topic: 'clicks', partition: 0, to: 'offset', offset: 1.5 }))).toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    expect(await failure(t.call('browseSeek', { topic: 'clicks', partition: null, to: 'offset', offset: 3 }))).toMatchObject({ field: 'offsetPartition' });
    expect(await failure(t.call('browseSeek', { topic: 'clicks', partition: null, to: 'timestamp', timestampMs: -7 }))).toMatchObject({ code: 'INVALID_TIMESTAMP', field: 'timestampMs' });
    expect(await failure(t.call('browseSeek', { topic: 'clicks', partition: null, to: 'timestamp' }))).toMatchObject({ code: 'INVALID_TIMESTAMP' });
    expect(await failure(t.call('browseRows', { topic: 'nope', partition: null, fromRow: 0, count: 1 }))).toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(await failure(t.call('browseRows', { topic: 'clicks', partition: 9, fromRow: 0, count: 1 }))).toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION', field: 'partition' });
    expect(await failure(t.call('browseRows', { topic: 'clicks', partition: 0, fromRow: 0, count: 501 }))).toMatchObject({ field: 'count' });
    expect(await failure(t.call('readRecord', { topic: 'clicks', partition: 0, offset: 20_000 }))).toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
  });
});
