/**
 * Producing records on a real engine (three brokers, real files in a temp dir,
 * shortened timeouts): the produce command with its partitioner, acks and codecs, and
 * the load generator with the rates it shows, each through the contract's dispatch.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResults } from '../../../engine/api/contract';
import { dispatch } from '../../../engine/api/dispatch';
import { partitionForKey as murmurPartition } from '../../../engine/cluster/partitioner';
import { Engine } from '../../../engine/engine';
import { SeededRandom } from '../../../engine/util/random';

let dir: string;
const fast = {
  brokerHeartbeatIntervalMs: 20,
  brokerSessionTimeoutMs: 300,
  replicaFetchWaitMaxMs: 50,
  metadataFetchWaitMs: 100,
  logRetentionCheckIntervalMs: 100,
  logCleanerBackoffMs: 100,
};
const engines: Engine[] = [];

function open(): Engine {
  const e = new Engine({ dataDir: dir, random: new SeededRandom(7), clusterConfig: fast });
  engines.push(e);
  return e;
}

async function call<K extends keyof CommandResults>(e: Engine, method: K, args: unknown): Promise<CommandResults[K]> {
  return (await dispatch(e.commands, method, args)) as CommandResults[K];
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-produce-'));
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('produce', () => {
  it('previews the murmur2 partition of a key and sends keyed records there, with any acks and codec', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'p', partitions: 6, replicationFactor: 2 });
    for (const key of ['userA', 'userB', 'ünïcode', '']) {
      const preview = await call(e, 'partitionForKey', { topic: 'p', key });
      expect(preview.partition).toBe(murmurPartition(Buffer.from(key, 'utf8'), 6));
      const sent = await call(e, 'produce', { topic: 'p', key, value: `{"user":"${key}"}`, valueFormat: 'json', acks: -1, compression: 'gzip' });
      expect(sent).toMatchObject({ partition: preview.partition, chosenBy: 'key', acks: -1, compression: 'gzip' });
      expect(sent.offset).not.toBeNull();
    }
    const zstd = await call(e, 'produce', { topic: 'p', partition: 3, key: null, value: 'hello', headers: [{ key: 'h', value: 'v' }], acks: -1, compression: 'zstd' });
    const read = await call(e, 'readRecord', { topic: 'p', partition: 3, offset: zstd.offset! });
    expect(read).toMatchObject({ value: { text: 'hello' }, headers: [{ key: 'h', value: { text: 'v' } }], batch: { compression: 'zstd' } });
    const fireAndForget = await call(e, 'produce', { topic: 'p', partition: 0, value: 'x', acks: 0 });
    expect(fireAndForget.offset).toBeNull();
    const leaderOnly = await call(e, 'produce', { topic: 'p', partition: 0, value: 'y', acks: 1 });
    expect(leaderOnly.offset).toBe(2);
  });

  it('refuses invalid JSON, bad acks and missing partitions on their fields', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'p', partitions: 2, replicationFactor: 1 });
    await expect(call(e, 'produce', { topic: 'p', value: '{"a":', valueFormat: 'json' })).rejects.toMatchObject({ code: 'INVALID_RECORD', field: 'value' });
    await expect(call(e, 'produce', { topic: 'p', value: 'x', acks: 2 })).rejects.toMatchObject({ field: 'acks' });
    await expect(call(e, 'produce', { topic: 'p', partition: 5, value: 'x' })).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION', field: 'partition' });
    expect(e.snapshot().topics[0].partitions.map((p) => p.logEndOffset)).toEqual([0, 0]);
  });
});

describe('load generator and rates', () => {
  it('produces at the asked rate through the leaders, reads it back, and shows up in the snapshot rates', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'load', partitions: 3, replicationFactor: 2 });
    const started = await call(e, 'startLoad', { topic: 'load', ratePerS: 4000, keySpace: 100, valueBytes: 50, acks: 1, compression: 'lz4' });
    expect(started).toMatchObject({ running: true, settings: { topic: 'load', ratePerS: 4000, acks: 1, compression: 'lz4', readBack: true } });
    await eventually(() => {
      const s = e.snapshot();
      return s.records.load.ackedRecords > 3000 && (s.metrics.topicMessagesPerS.load ?? 0) > 1000 && s.metrics.brokerRates.some((b) => b.bytesOutToConsumersPerS > 0);
    });
    const stopped = await call(e, 'stopLoad', {});
    expect(stopped.running).toBe(false);
    const sent = stopped.sentRecords;
    const snapshot = e.snapshot();
    const total = snapshot.topics.find((t) => t.name === 'load')!.partitions.reduce((n, p) => n + p.logEndOffset, 0);
    await eventually(() => e.snapshot().topics.find((t) => t.name === 'load')!.partitions.reduce((n, p) => n + p.logEndOffset, 0) === sent);
    expect(total).toBeLessThanOrEqual(sent);
    // Keys spread over every partition.
    expect(snapshot.topics.find((t) => t.name === 'load')!.partitions.every((p) => p.logEndOffset > 0)).toBe(true);
    expect(snapshot.metrics.totals.bytesIn).toBeGreaterThan(0);
    expect(snapshot.metrics.totals.bytesOutToConsumers).toBeGreaterThan(0);
    await expect(call(e, 'startLoad', { topic: 'load', ratePerS: 0, keySpace: 0, valueBytes: 10 })).rejects.toMatchObject({ field: 'ratePerS' });
  });

  it('keeps the snapshot stream bounded while the load generator runs: at most 10 a second, each a few kB', async () => {
    const seen: { atMs: number; bytes: number }[] = [];
    const e = new Engine({
      dataDir: dir,
      random: new SeededRandom(9),
      clusterConfig: fast,
      onEvent: (ev) => void (ev.type === 'snapshot' && seen.push({ atMs: Date.now(), bytes: JSON.stringify(ev).length })),
    });
    engines.push(e);
    await call(e, 'createTopic', { name: 'busy', partitions: 6, replicationFactor: 3 });
    await call(e, 'startLoad', { topic: 'busy', ratePerS: 20_000, keySpace: 1000, valueBytes: 100 });
    await eventually(() => e.snapshot().records.load.ackedRecords > 10_000);
    const from = seen.length;
    await new Promise((r) => setTimeout(r, 2000));
    const window = seen.slice(from);
    await call(e, 'stopLoad', {});
    for (let i = 1; i < window.length; i++) expect(window[i].atMs - window[i - 1].atMs).toBeGreaterThanOrEqual(95);
    expect(window.length).toBeLessThanOrEqual(21);
    expect(Math.max(...window.map((w) => w.bytes))).toBeLessThan(10_000);
  });

  it('spaces out big snapshots (hundreds of partitions) so the stream stays under its byte budget', async () => {
    const seen: { atMs: number; bytes: number }[] = [];
    const e = new Engine({
      dataDir: dir,
      random: new SeededRandom(10),
      clusterConfig: fast,
      onEvent: (ev) => void (ev.type === 'snapshot' && seen.push({ atMs: Date.now(), bytes: JSON.stringify(ev).length })),
    });
    engines.push(e);
    await call(e, 'createTopic', { name: 'wide', partitions: 400, replicationFactor: 1 });
    await call(e, 'startLoad', { topic: 'wide', ratePerS: 20_000, keySpace: 10_000, valueBytes: 20 });
    await eventually(() => e.snapshot().records.load.ackedRecords > 5000);
    const from = seen.length;
    await new Promise((r) => setTimeout(r, 3000));
    const window = seen.slice(from);
    await call(e, 'stopLoad', {});
    expect(window.length).toBeGreaterThan(1);
    expect(Math.min(...window.map((w) => w.bytes))).toBeGreaterThan(30_000);
    const spanS = (window[window.length - 1].atMs - window[0].atMs) / 1000;
    const bytes = window.slice(0, -1).reduce((n, w) => n + w.bytes, 0);
    expect(bytes / spanS).toBeLessThan(160_000);
  });

  it('says a partition has no leader while it has none, and stops saying it once its leader is back', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'lonely', partitions: 3, replicationFactor: 1 });
    const leaderOf0 = e.snapshot().topics.find((t) => t.name === 'lonely')!.partitions[0].leader;
    await call(e, 'startLoad', { topic: 'lonely', ratePerS: 2000, keySpace: 100, valueBytes: 10 });
    await eventually(() => e.snapshot().records.load.ackedRecords > 100);
    expect(e.snapshot().records.load.lastError).toBeNull();

    await call(e, 'killBroker', { brokerId: leaderOf0 });
    await eventually(() => /has no leader right now/.test(e.snapshot().records.load.lastError ?? ''));
    await call(e, 'restartBroker', { brokerId: leaderOf0 });
    await eventually(() => e.snapshot().records.load.lastError === null, 20_000);
    const acked = e.snapshot().records.load.ackedRecords;
    await eventually(() => e.snapshot().records.load.ackedRecords > acked + 100);
    expect(e.snapshot().records.load.lastError).toBeNull();

    // A problem standing when the person stops the generator is not shown after the stop.
    await call(e, 'killBroker', { brokerId: leaderOf0 });
    await eventually(() => e.snapshot().records.load.lastError !== null);
    await call(e, 'stopLoad', {});
    expect(e.snapshot().records.load.lastError).toBeNull();
  });

  it('stops by itself when its topic is deleted, and says so', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'gone', partitions: 1, replicationFactor: 1 });
    await call(e, 'startLoad', { topic: 'gone', ratePerS: 500, keySpace: 0, valueBytes: 10 });
    await call(e, 'deleteTopic', { name: 'gone' });
    await eventually(() => !e.snapshot().records.load.running);
    expect(e.snapshot().records.load.lastError).toContain('was deleted');
  });
});
