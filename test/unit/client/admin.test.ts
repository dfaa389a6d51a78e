/**
 * The admin client against the stub broker (controller routing, per-entity results,
 * validateOnly, replica assignment, configs with synonyms, groups, offsets, records,
 * cluster) and the consumer-side decoding of fetched bytes (a batch cut short at the end
 * of a fetch is left for the next one).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Admin } from '../../../engine/client/admin';
import { FetchedChunk } from '../../../engine/client/fetched-records';
import { ErrorCode } from '../../../engine/protocol/errors';
import { ApiKey } from '../../../engine/protocol/registry';
import { buildBatchSync, setBaseOffset } from '../../../engine/storage/record-batch';
import { StubCluster } from './stub-broker';

let stub: StubCluster;
let admin: Admin;

beforeEach(async () => {
  stub = await StubCluster.start(3);
  stub.controllerId = 2;
  admin = new Admin({ bootstrapServers: stub.bootstrap, retryBackoffMs: 10, defaultApiTimeoutMs: 5000 });
});

afterEach(async () => {
  await admin.close();
  await stub.stop();
});

describe('Admin', () => {
  it('sends CreateTopics to the controller and reports each topic on its own', async () => {
    stub.createTopic('exists', 1);
    const results = await admin.createTopics([
      { name: 'fresh', numPartitions: 2, replicationFactor: 3, configs: { 'cleanup.policy': 'compact' } },
      { name: 'exists', numPartitions: 1, replicationFactor: 1 },
      { name: 'manual', replicaAssignment: [[3, 1], [1, 2]] },
    ]);
    expect(stub.requests(ApiKey.CreateTopics).map((s) => s.broker)).toEqual([2]);
    expect(results.map((r) => [r.name, r.error?.errorName ?? null])).toEqual([
      ['fresh', null],
      ['exists', 'TOPIC_ALREADY_EXISTS'],
      ['manual', null],
    ]);
    expect(results[1]!.error!.text).toBe("Topic 'exists' already exists.");
    expect(stub.topics.get('fresh')!.configs.get('cleanup.policy')).toBe('compact');
    expect(stub.topics.get('manual')!.partitions.map((p) => p.replicas)).toEqual([[3, 1], [1, 2]]);
  });

  it('retries a controller request on NOT_CONTROLLER after refreshing metadata', async () => {
    let first = true;
    stub.intercept(ApiKey.CreateTopics, (_b, _v, m) => {
      if (!first) return undefined;
      first = false;
      stub.controllerId = 3;
      return { topics: m.topics.map((t: any) => ({ name: t.name, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null, numPartitions: -1, replicationFactor: -1, configs: null })) };
    });
    const [r] = await admin.createTopics([{ name: 't', numPartitions: 1, replicationFactor: 1 }]);
    expect(r!.error).toBeNull();
    expect(stub.requests(ApiKey.CreateTopics).map((s) => s.broker)).toEqual([2, 3]);
  });

  it('validates without creating when validateOnly is set', async () => {
    const [r] = await admin.createTopics([{ name: 'dry', numPartitions: 3, replicationFactor: 2 }], { validateOnly: true });
    expect(r).toMatchObject({ error: null, numPartitions: 3, replicationFactor: 2 });
    expect(stub.topics.has('dry')).toBe(false);
  });

  it('describes topics, configs with synonyms, and the cluster', async () => {
    stub.createTopic('t', 2, 2, { 'retention.ms': '1000' });
    const [d] = await admin.describeTopics(['t']);
    expect(d!.partitions.map((p) => [p.partition, p.leader, p.replicas])).toEqual([
      [0, 1, [1, 2]],
      [1, 2, [2, 3]],
    ]);
    const [missing] = await admin.describeTopics(['nope']);
    expect(missing!.error!.errorName).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const [cfg] = await admin.describeConfigs([{ type: 'topic', name: 't' }], { includeSynonyms: true });
    const retention = cfg!.entries.find((e) => e.name === 'retention.ms')!;
    expect(retention).toMatchObject({ value: '1000', isDefault: false, source: 'DYNAMIC_TOPIC_CONFIG' });
    expect(retention.synonyms.map((s) => s.source)).toEqual(['DYNAMIC_TOPIC_CONFIG', 'DEFAULT_CONFIG']);
    const cluster = await admin.describeCluster();
    expect(cluster).toMatchObject({ clusterId: 'stub-cluster', controllerId: 2 });
    expect(cluster.brokers.map((b) => b.nodeId)).toEqual([1, 2, 3]);
    expect(await admin.listTopics()).toEqual(['t']);
  });

  it('alters configs incrementally, commits and fetches group offsets, lists offsets and deletes records', async () => {
    stub.createTopic('t', 1);
    const [alter] = await admin.incrementalAlterConfigs([{ type: 'topic', name: 't', ops: [{ name: 'cleanup.policy', op: 'set', value: 'compact' }] }]);
    expect(alter!.error).toBeNull();
    expect(stub.topics.get('t')!.configs.get('cleanup.policy')).toBe('compact');
    stub.append('t', 0, buildBatchSync({ records: [0, 1, 2].map((i) => ({ key: null, value: Buffer.from(`v${i}`), timestampMs: 1000 * (i + 1) })) }));
    const listed = await admin.listOffsets([
      { topic: 't', partition: 0, timestamp: -2 },
    ]);
    expect([...listed.values()][0]!.offset).toBe(0);
    const latest = await admin.listOffsets([{ topic: 't', partition: 0, timestamp: -1 }]);
    expect([...latest.values()][0]!.offset).toBe(3);
    await admin.commitOffsets('g', [{ topic: 't', partition: 0, offset: 2 }]);
    expect((await admin.fetchOffsets('g')).map((c) => [c.topic, c.partition, c.offset])).toEqual([['t', 0, 2]]);
    const deleted = await admin.deleteRecords([{ topic: 't', partition: 0, offset: 1 }]);
    expect([...deleted.values()][0]).toEqual({ lowWatermark: 1, error: null });
    expect((await admin.listGroups()).map((g) => g.groupId)).toEqual(['g']);
    expect((await admin.deleteGroups(['g', 'ghost'])).map((r) => r.error?.errorName ?? null)).toEqual([null, 'GROUP_ID_NOT_FOUND']);
  });
});

describe('FetchedChunk', () => {
  it('leaves a batch cut short at the end of the fetch for the next fetch', async () => {
    const a = buildBatchSync({ records: [{ key: null, value: Buffer.from('a'), timestampMs: 1 }, { key: null, value: Buffer.from('b'), timestampMs: 2 }] });
    const b = buildBatchSync({ records: [{ key: null, value: Buffer.from('c'), timestampMs: 3 }] });
    setBaseOffset(b, 0, 2);
    const data = Buffer.concat([a, b.subarray(0, b.length - 5)]);
    const chunk = await FetchedChunk.prepare('t', 0, data, 1);
    const got: string[] = [];
    for (let r = chunk.nextRecord(); r !== null; r = chunk.nextRecord()) got.push(`${r.offset}:${r.value}`);
    expect(got).toEqual(['1:b']);
    expect(chunk.nextFetchOffset).toBe(2);
  });

  it('refuses a batch whose CRC does not match', async () => {
    const a = buildBatchSync({ records: [{ key: null, value: Buffer.from('a'), timestampMs: 1 }] });
    a[a.length - 1] ^= 0xff;
    await expect(FetchedChunk.prepare('t', 0, a, 0)).rejects.toThrow(/fails its CRC check/);
  });
});
