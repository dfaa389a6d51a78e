import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowsePage, BrowseRow, RecordDetail } from '../../../engine/api/contract';
import { dispatch } from '../../../engine/api/dispatch';
import { Engine } from '../../../engine/engine';
import { partitionForKey } from '../../../engine/cluster/partitioner';
import { ManualClock } from '../../../engine/util/clock';
import { SeededRandom } from '../../../engine/util/random';

let dir: string;
const fast = { brokerHeartbeatIntervalMs: 20, brokerSessionTimeoutMs: 300, replicaFetchWaitMaxMs: 50, metadataFetchWaitMs: 100 };
const open = () => new Engine({ dataDir: dir, random: new SeededRandom(1), clusterConfig: fast });
const engines: Engine[] = [];
const track = (e: Engine) => (engines.push(e), e);

/** The records of one partition from `fromOffset` on, as the message browser lists them. */
async function records(e: Engine, topic: string, partition: number, fromOffset = 0): Promise<BrowseRow[]> {
  const page = (await dispatch(e.commands, 'browseRows', { topic, partition, fromRow: 0, count: 500 })) as BrowsePage;
  return page.rows.filter((r) => r.kind === 'record' && r.offset >= fromOffset);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-engine-'));
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('engine', () => {
  it('starts a cluster of 3 brokers with no user topics and a controller', async () => {
    const e = track(open());
    await dispatch(e.commands, 'createTopic', { name: 'probe', partitions: 1, replicationFactor: 1, validateOnly: true });
    const c = e.snapshot();
    expect(c.brokers.map((b) => b.id)).toEqual([1, 2, 3]);
    expect(c.topics).toEqual([]);
    expect(c.controllerId).toBe(1);
    expect(c.clusterId.length).toBeGreaterThan(0);
  });

  it('persists topics and messages in Kafka format across a reopen and reads them back by offset', async () => {
    let e = track(open());
    await dispatch(e.commands, 'createTopic', { name: 'orders', partitions: 3, replicationFactor: 2 });
    for (let i = 0; i < 5; i++) await dispatch(e.commands, 'produce', { topic: 'orders', partition: 2, key: `k${i}`, value: `v${i}`, headers: [{ key: 'h', value: 'x' }] });
    await dispatch(e.commands, 'produce', { topic: 'orders', partition: 0, key: null, value: null });
    const clusterId = e.snapshot().clusterId;
    const leader = e.snapshot().topics[0].partitions[2].leader!;
    await e.close();
    // Kafka's own layout on disk.
    const partDir = path.join(dir, `broker-${leader}`, 'orders-2');
    expect(fs.readdirSync(partDir)).toEqual(expect.arrayContaining(['00000000000000000000.log', '00000000000000000000.index', '00000000000000000000.timeindex', 'leader-epoch-checkpoint', 'partition.metadata']));

    e = track(open());
    await e.ports.ready();
    expect(e.snapshot().clusterId).toBe(clusterId);
    const read = await records(e, 'orders', 2, 3);
    expect(read.map((r) => [r.offset, r.key?.text, r.value?.text])).toEqual([[3, 'k3', 'v3'], [4, 'k4', 'v4']]);
    const detail = (await dispatch(e.commands, 'readRecord', { topic: 'orders', partition: 2, offset: 3 })) as RecordDetail;
    expect(detail.headers).toEqual([{ key: 'h', value: { sizeBytes: 1, text: 'x', base64: null, truncated: false } }]);
    const topic = e.snapshot().topics.find((t) => t.name === 'orders')!;
    expect(topic.partitions.map((p) => p.replicas.length)).toEqual([2, 2, 2]);
    const tomb = await records(e, 'orders', 0);
    expect(tomb[0].value).toBeNull();
  });

  it('cuts a torn tail on reopen and keeps every complete batch before it', async () => {
    let e = track(open());
    await dispatch(e.commands, 'createTopic', { name: 't', partitions: 1, replicationFactor: 1 });
    await dispatch(e.commands, 'produce', { topic: 't', value: 'one' });
    await dispatch(e.commands, 'produce', { topic: 't', value: 'two' });
    const leader = e.snapshot().topics[0].partitions[0].leader!;
    await e.close();
    const log = path.join(dir, `broker-${leader}`, 't-0', '00000000000000000000.log');
    const good = fs.statSync(log).size;
    fs.appendFileSync(log, Buffer.from([0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 80, 1, 2, 3]));
    fs.rmSync(path.join(dir, `broker-${leader}`, '.kafka_cleanshutdown'), { force: true });
    e = track(open());
    const r = await dispatch(e.commands, 'produce', { topic: 't', value: 'three' });
    expect(r).toMatchObject({ offset: 2 });
    expect(fs.statSync(log).size).toBeGreaterThan(good);
    expect((await records(e, 't', 0)).map((m) => m.value?.text)).toEqual(['one', 'two', 'three']);
  });

  it('refuses bad requests with Kafka errors and changes nothing', async () => {
    const e = track(open());
    await dispatch(e.commands, 'createTopic', { name: 'a.b', partitions: 1, replicationFactor: 1 });
    const before = JSON.stringify(e.snapshot().topics.map((t) => [t.name, t.partitions.length]));
    await expect(dispatch(e.commands, 'createTopic', { name: 'a.b', partitions: 1, replicationFactor: 1 })).rejects.toMatchObject({ code: 'TOPIC_ALREADY_EXISTS', field: 'name' });
    await expect(dispatch(e.commands, 'createTopic', { name: 'a_b', partitions: 1, replicationFactor: 1 })).rejects.toMatchObject({ code: 'INVALID_TOPIC_EXCEPTION' });
    await expect(dispatch(e.commands, 'createTopic', { name: 'x', partitions: 1, replicationFactor: 4 })).rejects.toMatchObject({ code: 'INVALID_REPLICATION_FACTOR', field: 'replicationFactor' });
    await expect(dispatch(e.commands, 'createTopic', { name: 'y', partitions: 1, replicationFactor: 1, configs: { 'retention.ms': 'soon' } })).rejects.toMatchObject({ code: 'INVALID_CONFIG', field: 'configs' });
    await expect(dispatch(e.commands, 'produce', { topic: 'a.b', partition: 1, value: 'v' })).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION', field: 'partition' });
    await expect(dispatch(e.commands, 'produce', { topic: 'nope', value: 'v' })).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION', field: 'topic' });
    await expect(dispatch(e.commands, 'produce', { topic: 'a.b', value: 'x'.repeat(1_048_589) })).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE', field: 'value' });
    await expect(dispatch(e.commands, 'readRecord', { topic: 'a.b', partition: 0, offset: 5 })).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE', field: 'offset' });
    await expect(dispatch(e.commands, 'killBroker', { brokerId: 9 })).rejects.toMatchObject({ code: 'BROKER_NOT_AVAILABLE', field: 'brokerId' });
    expect(JSON.stringify(e.snapshot().topics.map((t) => [t.name, t.partitions.length]))).toBe(before);
    await dispatch(e.commands, 'createTopic', { name: 'small', partitions: 1, replicationFactor: 1, configs: { 'max.message.bytes': '100' } });
    await expect(dispatch(e.commands, 'produce', { topic: 'small', value: 'x'.repeat(200) })).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    await dispatch(e.commands, 'createTopic', { name: 'compacted', partitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } });
    await expect(dispatch(e.commands, 'produce', { topic: 'compacted', value: 'no key' })).rejects.toMatchObject({ code: 'INVALID_RECORD' });
  });

  it('validateOnly checks a topic without creating it', async () => {
    const e = track(open());
    await dispatch(e.commands, 'createTopic', { name: 'v', partitions: 2, replicationFactor: 1, validateOnly: true });
    await expect(dispatch(e.commands, 'createTopic', { name: 'w', partitions: 2, replicationFactor: 5, validateOnly: true })).rejects.toMatchObject({ code: 'INVALID_REPLICATION_FACTOR' });
    expect(e.snapshot().topics).toEqual([]);
  });

  it('sends keyed messages without a partition to the partition murmur2 picks', async () => {
    const e = track(open());
    await dispatch(e.commands, 'createTopic', { name: 'k', partitions: 6, replicationFactor: 1 });
    for (const key of ['alpha', 'beta', 'gamma', 'delta']) {
      const r = (await dispatch(e.commands, 'produce', { topic: 'k', key, value: 'v' })) as { partition: number };
      expect(r.partition).toBe(partitionForKey(Buffer.from(key), 6));
    }
  });

  it('kills the leader of a partition: a new leader takes over and the message is still readable', async () => {
    const e = track(open());
    await dispatch(e.commands, 'createTopic', { name: 'ha', partitions: 1, replicationFactor: 3 });
    await dispatch(e.commands, 'produce', { topic: 'ha', value: 'before' });
    const old = e.snapshot().topics[0].partitions[0].leader!;
    const killed = await dispatch(e.commands, 'killBroker', { brokerId: old });
    expect(killed).toMatchObject({ id: old, state: 'killed' });
    await dispatch(e.commands, 'produce', { topic: 'ha', value: 'after' });
    const p = e.snapshot().topics[0].partitions[0];
    expect(p.leader).not.toBe(old);
    expect(p.isr).not.toContain(old);
    expect((await records(e, 'ha', 0)).map((m) => m.value?.text)).toEqual(['before', 'after']);
    await dispatch(e.commands, 'restartBroker', { brokerId: old });
    expect(e.snapshot().brokers[old - 1].state).not.toBe('killed');
  });

  it('publishes snapshots at most every 100 ms and only when something changed', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    track(new Engine({ dataDir: dir, clock, random: new SeededRandom(2), clusterConfig: fast, onEvent: (ev) => void (ev.type === 'snapshot' && seen.push(clock.nowMs())) }));
    clock.advance(5000); // startup: brokers register, a controller is elected, rates settle
    const startup = seen.length;
    clock.advance(3000); // idle: nothing changes…
    const idle = seen.length - startup;
    for (let i = 1; i < seen.length; i++) expect(seen[i] - seen[i - 1]).toBeGreaterThanOrEqual(100);
    expect(startup).toBeGreaterThan(0);
    expect(startup).toBeLessThanOrEqual(51);
    expect(idle).toBe(0);
  });
});
