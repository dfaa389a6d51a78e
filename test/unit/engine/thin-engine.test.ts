import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../engine/api/dispatch';
import { Engine } from '../../../engine/engine';
import { ManualClock } from '../../../engine/util/clock';
import { SeededRandom } from '../../../engine/util/random';
import { partitionForKey } from '../../../engine/cluster/partitioner';

let dir: string;
const open = () => new Engine({ dataDir: dir, clock: new ManualClock(1_700_000_000_000), random: new SeededRandom(1) });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-engine-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('engine (thin)', () => {
  it('starts with 3 brokers and no topics', () => {
    const e = open();
    const c = e.getCluster();
    expect(c.brokers.map((b) => b.id)).toEqual([1, 2, 3]);
    expect(c.topics).toEqual([]);
    expect(c.clusterId.length).toBeGreaterThan(0);
    e.close();
  });

  it('persists topics and messages across a reopen and reads them back by offset', async () => {
    let e = open();
    const clusterId = e.getCluster().clusterId;
    await dispatch(e, 'createTopic', { name: 'orders', partitions: 3, replicationFactor: 2 });
    for (let i = 0; i < 5; i++) await dispatch(e, 'produce', { topic: 'orders', partition: 2, key: `k${i}`, value: `v${i}`, headers: [{ key: 'h', value: 'x' }] });
    await dispatch(e, 'produce', { topic: 'orders', partition: 0, key: null, value: null });
    e.close();

    e = open();
    expect(e.getCluster().clusterId).toBe(clusterId);
    const topic = e.getCluster().topics.find((t) => t.name === 'orders')!;
    expect(topic.partitions.map((p) => p.replicas.length)).toEqual([2, 2, 2]);
    expect(topic.partitions[2].highWatermark).toBe(5);
    const read = e.readMessages({ topic: 'orders', partition: 2, fromOffset: 3, maxRecords: 10 });
    expect(read.records.map((r) => [r.offset, r.key?.text, r.value?.text])).toEqual([[3, 'k3', 'v3'], [4, 'k4', 'v4']]);
    expect(read.records[0].headers).toEqual([{ key: 'h', value: { sizeBytes: 1, text: 'x', base64: null } }]);
    expect(read.nextOffset).toBe(5);
    const tomb = e.readMessages({ topic: 'orders', partition: 0, fromOffset: 0, maxRecords: 1 });
    expect(tomb.records[0].value).toBeNull();
    e.close();
  });

  it('cuts a torn last record on reopen and keeps everything before it', async () => {
    let e = open();
    await dispatch(e, 'createTopic', { name: 't', partitions: 1, replicationFactor: 1 });
    await dispatch(e, 'produce', { topic: 't', value: 'one' });
    await dispatch(e, 'produce', { topic: 't', value: 'two' });
    const leader = e.getCluster().topics[0].partitions[0].leader!;
    e.close();
    const file = path.join(dir, `broker-${leader}`, 't-0', 'records.jsonl');
    fs.appendFileSync(file, '{"o":2,"t":1,"k":nu');
    e = open();
    expect(e.getCluster().topics[0].partitions[0].highWatermark).toBe(2);
    const r = await dispatch(e, 'produce', { topic: 't', value: 'three' });
    expect(r).toMatchObject({ offset: 2 });
    e.close();
  });

  it('refuses bad requests with Kafka errors and changes nothing', async () => {
    const e = open();
    await dispatch(e, 'createTopic', { name: 'a.b', partitions: 1, replicationFactor: 1 });
    const before = JSON.stringify(e.getCluster().topics);
    await expect(dispatch(e, 'createTopic', { name: 'a.b', partitions: 1, replicationFactor: 1 })).rejects.toMatchObject({ code: 'TOPIC_ALREADY_EXISTS', field: 'name' });
    await expect(dispatch(e, 'createTopic', { name: 'a_b', partitions: 1, replicationFactor: 1 })).rejects.toMatchObject({ code: 'INVALID_TOPIC_EXCEPTION' });
    await expect(dispatch(e, 'createTopic', { name: 'x', partitions: 1, replicationFactor: 4 })).rejects.toMatchObject({ code: 'INVALID_REPLICATION_FACTOR', field: 'replicationFactor' });
    await expect(dispatch(e, 'produce', { topic: 'a.b', partition: 1, value: 'v' })).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION', field: 'partition' });
    await expect(dispatch(e, 'produce', { topic: 'nope', value: 'v' })).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION', field: 'topic' });
    await expect(dispatch(e, 'produce', { topic: 'a.b', value: 'x'.repeat(1_048_589) })).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE', field: 'value' });
    await expect(dispatch(e, 'readMessages', { topic: 'a.b', partition: 0, fromOffset: 5, maxRecords: 1 })).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    expect(JSON.stringify(e.getCluster().topics)).toBe(before);
    await expect(dispatch(e, 'createTopic', { name: 'small', partitions: 1, replicationFactor: 1, configs: { 'max.message.bytes': '10' } })).resolves.toBeTruthy();
    await expect(dispatch(e, 'produce', { topic: 'small', value: 'elevenbytes' })).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    e.close();
  });

  it('validateOnly checks a topic without creating it', async () => {
    const e = open();
    await dispatch(e, 'createTopic', { name: 'v', partitions: 2, replicationFactor: 1, validateOnly: true });
    expect(e.getCluster().topics).toEqual([]);
    e.close();
  });

  it('sends keyed messages without a partition to the partition murmur2 picks', async () => {
    const e = open();
    await dispatch(e, 'createTopic', { name: 'k', partitions: 6, replicationFactor: 1 });
    for (const key of ['alpha', 'beta', 'gamma', 'delta']) {
      const r = (await dispatch(e, 'produce', { topic: 'k', key, value: 'v' })) as { partition: number };
      expect(r.partition).toBe(partitionForKey(Buffer.from(key), 6));
    }
    e.close();
  });

  it('publishes snapshots at most every 100 ms and only when something changed', async () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    const e = new Engine({ dataDir: dir, clock, random: new SeededRandom(2), onEvent: (ev) => ev.type === 'snapshot' && seen.push(clock.nowMs()) });
    expect(seen).toEqual([0]);
    await dispatch(e, 'createTopic', { name: 't', partitions: 1, replicationFactor: 1 });
    for (let i = 0; i < 50; i++) {
      await dispatch(e, 'produce', { topic: 't', value: String(i) });
      clock.advance(10);
    }
    clock.advance(1000);
    // 500 ms of produce activity → about 5 snapshots, then silence.
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.length).toBeLessThanOrEqual(7);
    for (let i = 1; i < seen.length; i++) expect(seen[i] - seen[i - 1]).toBeGreaterThanOrEqual(100);
    e.close();
  });
});
