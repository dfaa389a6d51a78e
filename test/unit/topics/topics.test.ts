/**
 * The topics & configs service on a real engine (three brokers, real files in a temp
 * dir, shortened timeouts): configs, the partition log strip and compaction, each
 * through the contract's dispatch.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResults } from '../../../engine/api/contract';
import { dispatch } from '../../../engine/api/dispatch';
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
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-topics-'));
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('topic configs', () => {
  it('describes every topic config with its default, type, source and description', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'c', partitions: 1, replicationFactor: 1, configs: { 'retention.ms': '60000' } });
    const { entries } = await call(e, 'describeTopicConfigs', { topic: 'c' });
    const retention = entries.find((x) => x.name === 'retention.ms')!;
    expect(retention).toMatchObject({ value: '60000', defaultValue: '604800000', source: 'topic', type: 'LONG' });
    expect(retention.doc.length).toBeGreaterThan(20);
    const cleanup = entries.find((x) => x.name === 'cleanup.policy')!;
    expect(cleanup).toMatchObject({ value: 'delete', source: 'default', type: 'LIST' });
    expect(entries.length).toBeGreaterThan(25);
  });

  it('alters configs through the controller, refuses bad values on their field and changes nothing then', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'c', partitions: 1, replicationFactor: 3 });
    await expect(call(e, 'alterTopicConfigs', { topic: 'c', set: { 'retention.ms': 'soon' } })).rejects.toMatchObject({ code: 'INVALID_CONFIG', field: 'config:retention.ms' });
    await expect(call(e, 'alterTopicConfigs', { topic: 'c', set: { 'retention.msec': '1' } })).rejects.toMatchObject({ code: 'INVALID_CONFIG', field: 'config:retention.msec' });
    await expect(call(e, 'alterTopicConfigs', { topic: 'c', set: { 'min.compaction.lag.ms': '10', 'max.compaction.lag.ms': '5' } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(call(e, 'alterTopicConfigs', { topic: 'nope', set: { 'retention.ms': '1' } })).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION', field: 'topic' });
    const checked = await call(e, 'alterTopicConfigs', { topic: 'c', set: { 'retention.ms': '1000' }, validateOnly: true });
    expect(checked.configs).toEqual({});
    expect(e.snapshot().topics[0].configs).toEqual({});

    const done = await call(e, 'alterTopicConfigs', { topic: 'c', set: { 'cleanup.policy': 'compact', 'segment.bytes': '2048' } });
    expect(done.configs).toEqual({ 'cleanup.policy': 'compact', 'segment.bytes': '2048' });
    const described = await call(e, 'describeTopicConfigs', { topic: 'c' });
    expect(described.entries.find((x) => x.name === 'cleanup.policy')).toMatchObject({ value: 'compact', source: 'topic' });

    const reset = await call(e, 'alterTopicConfigs', { topic: 'c', reset: ['segment.bytes'] });
    expect(reset.configs).toEqual({ 'cleanup.policy': 'compact' });
  });
});

describe('partition log', () => {
  it('shows segments per replica, and retention deleting them', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'r', partitions: 1, replicationFactor: 2, configs: { 'segment.bytes': '1024' } });
    for (let i = 0; i < 40; i++) await call(e, 'produce', { topic: 'r', partition: 0, key: `k${i}`, value: 'x'.repeat(100), acks: -1 });
    const before = await call(e, 'partitionLog', { topic: 'r', partition: 0 });
    expect(before.replicas).toHaveLength(2);
    const leader = before.replicas[0];
    expect(leader.role).toBe('leader');
    expect(leader.brokerId).toBe(before.leader);
    expect(leader.logEndOffset).toBe(40);
    expect(leader.highWatermark).toBe(40);
    expect(leader.segments.length).toBeGreaterThan(3);
    expect(leader.segments.at(-1)!.active).toBe(true);
    expect(leader.segments.filter((s) => s.active)).toHaveLength(1);
    // Segments tile the log: each starts where the previous one ended.
    for (let i = 1; i < leader.segments.length; i++) expect(leader.segments[i].baseOffset).toBe(leader.segments[i - 1].nextOffset);
    expect(before.settings.segmentBytes).toBe(1024);

    await call(e, 'alterTopicConfigs', { topic: 'r', set: { 'retention.ms': '1' } });
    let after = before;
    await eventually(async () => {
      after = await call(e, 'partitionLog', { topic: 'r', partition: 0 });
      return after.replicas[0].segments.length === 1 && after.deletions.length > 0;
    });
    expect(after.replicas[0].logStartOffset).toBeGreaterThan(0);
    expect(after.deletions[0]).toMatchObject({ reason: 'retention.ms' });
    expect(e.snapshot().metrics.storageSeq).toBeGreaterThan(0);
  });
});

describe('compaction', () => {
  it('writes duplicate keys, cleans now and keeps the latest value per key with offset gaps', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'k', partitions: 1, replicationFactor: 2, configs: { 'cleanup.policy': 'compact' } });
    await expect(call(e, 'cleanNow', { topic: 'nope', partition: 0 })).rejects.toMatchObject({ field: 'topic' });
    const wrote = await call(e, 'writeDuplicateKeys', { topic: 'k', partition: 0, keys: 50, rounds: 4 });
    expect(wrote).toMatchObject({ records: 200, firstOffset: 0, lastOffset: 199 });

    const status = await call(e, 'compactionStatus', { topic: 'k', partition: 0 });
    expect(status).toMatchObject({ compacted: true, minCleanableDirtyRatio: 0.5 });
    expect(status.replicas).toHaveLength(2);

    const cleaned = await call(e, 'cleanNow', { topic: 'k', partition: 0 });
    expect(cleaned.runs).toHaveLength(2);
    for (const run of cleaned.runs) {
      expect(run).toMatchObject({ cleaned: true, trigger: 'manual' });
      expect(run.stats).toMatchObject({ recordsBefore: 200, recordsAfter: 50, distinctKeys: 50 });
    }
    const page = await call(e, 'browseRows', { topic: 'k', partition: 0, fromRow: 0, count: 500 });
    const read = page.rows.filter((r) => r.kind === 'record');
    expect(read.map((r) => r.offset)).toEqual(Array.from({ length: 50 }, (_, i) => 150 + i));
    expect(read[0].value?.text).toBe('{"key":"key-0","round":4}');

    const later = await call(e, 'compactionStatus', { topic: 'k', partition: 0 });
    expect(later.runs[0]).toMatchObject({ trigger: 'manual', cleaned: true });
    expect(later.replicas[0].dirtyBytes).toBe(0);
  });

  it('refuses to clean a topic that is not compacted, saying what to change', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'd', partitions: 1, replicationFactor: 1 });
    await expect(call(e, 'cleanNow', { topic: 'd', partition: 0 })).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'topic', message: expect.stringContaining('cleanup.policy') });
  });

  it('adds partitions to a topic, which only grows; a shrink, an unknown topic or nonsense changes nothing', async () => {
    const e = open();
    await call(e, 'createTopic', { name: 'growing', partitions: 2, replicationFactor: 2 });
    const grown = await call(e, 'addPartitions', { topic: 'growing', partitions: 5 });
    expect(grown.partitionCount).toBe(5);
    expect(grown.partitions.every((p) => p.leader !== null && p.leader > 0)).toBe(true);
    await expect(call(e, 'addPartitions', { topic: 'growing', partitions: 3 })).rejects.toMatchObject({ code: 'INVALID_PARTITIONS', field: 'partitions' });
    await expect(call(e, 'addPartitions', { topic: 'growing', partitions: 5 })).rejects.toMatchObject({ field: 'partitions' });
    await expect(call(e, 'addPartitions', { topic: 'nowhere', partitions: 9 })).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION', field: 'topic' });
    await expect(call(e, 'addPartitions', { topic: 'growing', partitions: 'many' })).rejects.toMatchObject({ field: 'partitions' });
    expect(e.snapshot().topics.find((t) => t.name === 'growing')!.partitionCount).toBe(5);
    expect(e.snapshot().topics.some((t) => t.name === 'nowhere')).toBe(false);
  });
});
