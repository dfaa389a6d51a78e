/**
 * The group and admin APIs at the versions current Kafka (4.0) advertises, against the real
 * headless cluster (`node dist/engine/host/cli.js serve --no-ui`). The installed clients
 * (kafka-python 2.0, librdkafka 2.0, kafkajs 2.2) speak older versions, so each new version
 * is driven here by the engine's own client (engine/client): its version negotiation, its
 * consumer group and admin calls, and requests pinned to one version through its
 * Connection. clients.test.ts and tools.test.ts keep checking the installed clients and
 * the built-in tools.
 *
 * The installed admin clients (kafka-python's KafkaAdminClient, confluent-kafka's
 * AdminClient, kafkajs admin) run the same group and admin APIs at the versions they know,
 * to show the older versions still answer as before.
 *
 * Needs `npm run build` first (npm test builds); skipped, with the reason printed, without it.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, Consumer, Producer, type Connection } from '../../engine/client';
import { ApiKey, ErrorCode, ZERO_UUID, type ApiKeyNumber, type RequestInputOf, type ResponseOf } from '../../engine/protocol';
import { built, pythonHas, runPython, serve, type Served } from './serve';

const available = built();
if (!available) {
  if (process.env.CI) throw new Error('Interop tests need the built app (npm run build).');
  console.log('Group/admin version tests skipped: the app is not built (run npm run build).');
}

const pythonClients = { kafkaPython: pythonHas('kafka'), confluent: pythonHas('confluent_kafka') };
for (const [name, ok] of Object.entries(pythonClients)) {
  if (!ok && available) {
    if (process.env.CI) throw new Error(`Interop tests need ${name} (apt-get install python3-kafka python3-confluent-kafka).`);
    console.log(`Admin tests with ${name} skipped: it is not installed.`);
  }
}

let server: Served;
let admin: Admin;
const TOPIC = 'versions';

/** Waits until `probe` resolves to a value `done` accepts, polling; fails after `timeoutMs`. */
async function eventually<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms; last answer: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One request at exactly `version` to broker `nodeId` (any broker when omitted). */
async function at<K extends ApiKeyNumber>(apiKey: K, version: number, message: RequestInputOf<K>, nodeId?: number): Promise<ResponseOf<K>> {
  const conn: Connection = nodeId === undefined ? await admin.cluster.anyConnection() : await admin.cluster.connection(nodeId);
  return conn.request(apiKey, message, { version });
}

/** The coordinator of each group, asked in one batched FindCoordinator v6 (retried until the offsets topic is up). */
async function coordinators(groupIds: readonly string[]): Promise<Map<string, number>> {
  const r = await eventually(
    () => at(ApiKey.FindCoordinator, 6, { keyType: 0, coordinatorKeys: [...groupIds] }),
    (x) => x.coordinators.every((c) => c.errorCode === ErrorCode.NONE),
  );
  return new Map(r.coordinators.map((c) => [c.key, c.nodeId]));
}

/** Two group ids that share a coordinator, so one OffsetFetch v8+ can batch them. */
async function twoGroupsOnOneCoordinator(prefix: string): Promise<{ groups: [string, string]; node: number }> {
  const candidates = Array.from({ length: 12 }, (_, i) => `${prefix}-${i}`);
  const byGroup = await coordinators(candidates);
  for (const a of candidates) {
    const b = candidates.find((x) => x !== a && byGroup.get(x) === byGroup.get(a));
    if (b !== undefined) return { groups: [a, b], node: byGroup.get(a)! };
  }
  throw new Error('twelve groups over three coordinators always share one');
}

describe.skipIf(!available)('group and admin APIs at Kafka 4.0 versions (engine client)', () => {
  beforeAll(async () => {
    server = await serve();
    admin = new Admin({ bootstrapServers: server.bootstrap, clientId: 'versions-test' });
    const [created] = await admin.createTopics([{ name: TOPIC, numPartitions: 3, replicationFactor: 3 }]);
    expect(created.error).toBeNull();
  }, 60_000);

  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });

  it('the engine client negotiates the newest versions of these APIs', async () => {
    const conn = await admin.cluster.anyConnection();
    const used = Object.fromEntries(
      (['ApiVersions', 'OffsetCommit', 'OffsetFetch', 'FindCoordinator', 'ListGroups', 'InitProducerId'] as const).map((name) => [name, conn.versionFor(ApiKey[name])]),
    );
    expect(used).toEqual({ ApiVersions: 4, OffsetCommit: 9, OffsetFetch: 9, FindCoordinator: 6, ListGroups: 5, InitProducerId: 5 });
    const r = await at(ApiKey.ApiVersions, 4, { clientSoftwareName: 'versions-test', clientSoftwareVersion: '1' });
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.apiKeys.find((k) => k.apiKey === ApiKey.ApiVersions)).toEqual({ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 4 });
  });

  it('FindCoordinator v4-v6 answer each key of a batch; share and transaction keys are INVALID_REQUEST', async () => {
    const groups = ['fc-a', 'fc-b', 'fc-c'];
    const expected = await coordinators(groups);
    const live = new Set((await admin.describeCluster()).brokers.map((b) => b.nodeId));
    for (const v of [4, 5, 6]) {
      const r = await at(ApiKey.FindCoordinator, v, { keyType: 0, coordinatorKeys: groups });
      expect(r.coordinators.map((c) => [c.key, c.errorCode, c.nodeId])).toEqual(groups.map((g) => [g, ErrorCode.NONE, expected.get(g)]));
      expect(r.coordinators.every((c) => live.has(c.nodeId) && c.port > 0)).toBe(true);
    }
    // An empty group id has a coordinator too, as in Kafka.
    expect(live.has((await coordinators([''])).get('')!)).toBe(true);
    // The pre-batching answer names the same broker.
    const old = await at(ApiKey.FindCoordinator, 3, { key: 'fc-a', keyType: 0 });
    expect([old.errorCode, old.nodeId]).toEqual([ErrorCode.NONE, expected.get('fc-a')]);
    const shareKey = `grp:${ZERO_UUID}:0`;
    for (const [v, keyType] of [[5, 2], [6, 2], [6, 1]] as const) {
      const r = await at(ApiKey.FindCoordinator, v, { keyType, coordinatorKeys: [shareKey, 'fc-a'] });
      expect(r.coordinators.map((c) => [c.key, c.errorCode, c.nodeId, c.port])).toEqual([
        [shareKey, ErrorCode.INVALID_REQUEST, -1, -1],
        ['fc-a', ErrorCode.INVALID_REQUEST, -1, -1],
      ]);
    }
    const shareBeforeV6 = await at(ApiKey.FindCoordinator, 3, { key: shareKey, keyType: 2 });
    expect(shareBeforeV6.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(shareBeforeV6.errorMessage).toMatch(/v6/);
  });

  it('a classic consumer group commits with OffsetCommit v9 and reads back with OffsetFetch v9; ListGroups v5 reports it as classic', async () => {
    const groupId = 'v9-classic';
    const producer = new Producer({ bootstrapServers: server.bootstrap, acks: -1 });
    const consumer = new Consumer({ bootstrapServers: server.bootstrap, groupId, autoOffsetReset: 'earliest', enableAutoCommit: false, heartbeatIntervalMs: 200 });
    try {
      for (let i = 0; i < 6; i++) await producer.send({ topic: TOPIC, partition: i % 3, key: null, value: Buffer.from(`v${i}`) });
      await producer.flush();
      consumer.subscribe([TOPIC]);
      let seen = 0;
      const deadline = Date.now() + 30_000;
      while (seen < 6 && Date.now() < deadline) seen += (await consumer.poll(500)).length;
      expect(seen).toBe(6);
      await consumer.commit();
      const committed = await consumer.committed([0, 1, 2].map((partition) => ({ topic: TOPIC, partition })));
      expect([...committed.values()]).toEqual([2, 2, 2]);

      const node = (await coordinators([groupId])).get(groupId)!;
      const generation = consumer.group!.generationId;
      expect(generation).toBeGreaterThan(0);
      // A classic group ignores v9's member id and epoch: any values read the same offsets.
      const fetched = await at(ApiKey.OffsetFetch, 9, { groups: [{ groupId, memberId: 'not-a-member', memberEpoch: 42, topics: [{ name: TOPIC, partitionIndexes: [0, 1, 2] }] }], requireStable: false }, node);
      expect(fetched.groups.map((g) => [g.groupId, g.errorCode])).toEqual([[groupId, ErrorCode.NONE]]);
      expect(fetched.groups[0].topics[0].partitions.map((p) => [p.partitionIndex, p.committedOffset, p.errorCode])).toEqual([
        [0, 2, ErrorCode.NONE],
        [1, 2, ErrorCode.NONE],
        [2, 2, ErrorCode.NONE],
      ]);

      const listed = async (message: RequestInputOf<typeof ApiKey.ListGroups>) => (await at(ApiKey.ListGroups, 5, message, node)).groups.filter((g) => g.groupId === groupId);
      expect(await listed({ statesFilter: [], typesFilter: [] })).toEqual([{ groupId, protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' }]);
      expect(await listed({ statesFilter: ['stable'], typesFilter: ['CLASSIC'] })).toHaveLength(1);
      expect(await listed({ statesFilter: [], typesFilter: ['consumer'] })).toEqual([]);
      expect(await listed({ statesFilter: ['Empty'], typesFilter: [] })).toEqual([]);
      expect((await at(ApiKey.ListGroups, 4, { statesFilter: ['Stable'] }, node)).groups.find((g) => g.groupId === groupId)?.groupType).toBe('');
      expect((await admin.listGroups()).find((g) => g.groupId === groupId)).toEqual({ groupId, protocolType: 'consumer', state: 'Stable' });
    } finally {
      await consumer.close();
      await producer.close();
    }
  }, 60_000);

  it('OffsetCommit to a group that does not exist: GROUP_ID_NOT_FOUND at v9, ILLEGAL_GENERATION at v8, and a simple commit creates it', async () => {
    const groupId = 'v9-missing';
    const node = (await coordinators([groupId])).get(groupId)!;
    const commit = (version: number, generation: number, memberId: string) =>
      at(ApiKey.OffsetCommit, version, { groupId, generationIdOrMemberEpoch: generation, memberId, topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 5, committedMetadata: null }] }] }, node);
    const errorOf = (r: ResponseOf<typeof ApiKey.OffsetCommit>) => r.topics[0].partitions[0].errorCode;
    expect(errorOf(await commit(9, 4, 'ghost'))).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(errorOf(await commit(8, 4, 'ghost'))).toBe(ErrorCode.ILLEGAL_GENERATION);
    // Nothing was created by the refused commits.
    expect((await admin.describeGroups([groupId]))[0].state).toBe('Dead');
    // Outside group management (generation -1, member epoch -1 in v9 terms) the commit is accepted.
    expect(errorOf(await commit(9, -1, ''))).toBe(ErrorCode.NONE);
    expect(await admin.fetchOffsets(groupId, [{ topic: TOPIC, partition: 0 }])).toMatchObject([{ topic: TOPIC, partition: 0, offset: 5 }]);
  });

  it('OffsetFetch v8 and v9 batch groups: each answers for itself, an unknown group with no offsets', async () => {
    const { groups: [known, unknown], node } = await twoGroupsOnOneCoordinator('batch');
    await admin.commitOffsets(known, [{ topic: TOPIC, partition: 1, offset: 9 }]);
    for (const v of [8, 9]) {
      const r = await at(ApiKey.OffsetFetch, v, {
        groups: [
          { groupId: known, topics: null },
          { groupId: unknown, topics: [{ name: TOPIC, partitionIndexes: [1] }] },
        ],
        requireStable: true,
      }, node);
      expect(r.groups.map((g) => ({ groupId: g.groupId, errorCode: g.errorCode, offsets: g.topics.flatMap((t) => t.partitions.map((p) => [t.name, p.partitionIndex, p.committedOffset, p.errorCode])) }))).toEqual([
        { groupId: known, errorCode: ErrorCode.NONE, offsets: [[TOPIC, 1, 9, ErrorCode.NONE]] },
        { groupId: unknown, errorCode: ErrorCode.NONE, offsets: [[TOPIC, 1, -1, ErrorCode.NONE]] },
      ]);
    }
  });

  it('CreateTopics v7 returns the topic id Metadata shows; DeleteTopics v6 deletes by that id, with Kafka’s errors for bad references', async () => {
    const created = await at(ApiKey.CreateTopics, 7, { topics: [{ name: 'doomed', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 10_000, validateOnly: false });
    expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
    const topicId = created.topics[0].topicId;
    expect(topicId).not.toBe(ZERO_UUID);
    const meta = await at(ApiKey.Metadata, 12, { topics: [{ topicId: ZERO_UUID, name: 'doomed' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    expect(meta.topics[0].topicId).toBe(topicId);

    const unknownId = '7b0c1d2e-3f40-4152-8637-48596a7b8c9d';
    const refused = await at(ApiKey.DeleteTopics, 6, {
      topics: [
        { name: null, topicId: unknownId },
        { name: 'doomed', topicId },
        { name: null, topicId: ZERO_UUID },
        { name: 'nope', topicId: ZERO_UUID },
        { name: 'nope', topicId: ZERO_UUID },
      ],
      timeoutMs: 5000,
    });
    const rows = refused.responses.map((x) => [x.name, x.topicId, x.errorCode, x.errorMessage]);
    expect(rows).toHaveLength(4);
    expect(rows).toEqual(expect.arrayContaining([
      [null, unknownId, ErrorCode.UNKNOWN_TOPIC_ID, expect.any(String)],
      ['doomed', topicId, ErrorCode.INVALID_REQUEST, 'You may not specify both topic name and topic id.'],
      [null, ZERO_UUID, ErrorCode.INVALID_REQUEST, 'Neither topic name nor id were specified.'],
      ['nope', ZERO_UUID, ErrorCode.INVALID_REQUEST, 'Duplicate topic name.'],
    ]));
    expect((await admin.listTopics()).includes('doomed')).toBe(true);

    const dupIds = await at(ApiKey.DeleteTopics, 6, { topics: [{ name: null, topicId }, { name: null, topicId }], timeoutMs: 5000 });
    expect(dupIds.responses.map((x) => [x.name, x.topicId, x.errorCode, x.errorMessage])).toEqual([[null, topicId, ErrorCode.INVALID_REQUEST, 'Duplicate topic id.']]);
    const nameAndItsId = await at(ApiKey.DeleteTopics, 6, { topics: [{ name: null, topicId }, { name: 'doomed', topicId: ZERO_UUID }], timeoutMs: 5000 });
    expect(nameAndItsId.responses.map((x) => [x.name, x.errorCode])).toEqual([['doomed', ErrorCode.INVALID_REQUEST]]);
    expect((await admin.listTopics()).includes('doomed')).toBe(true);

    const deleted = await at(ApiKey.DeleteTopics, 6, { topics: [{ name: null, topicId }], timeoutMs: 10_000 });
    expect(deleted.responses.map((x) => [x.name, x.topicId, x.errorCode])).toEqual([['doomed', topicId, ErrorCode.NONE]]);
    expect((await admin.listTopics()).includes('doomed')).toBe(false);
    const again = await at(ApiKey.DeleteTopics, 6, { topics: [{ name: null, topicId }], timeoutMs: 5000 });
    expect(again.responses.map((x) => [x.name, x.errorCode])).toEqual([[null, ErrorCode.UNKNOWN_TOPIC_ID]]);
    const byName = await at(ApiKey.DeleteTopics, 5, { topicNames: ['doomed'], timeoutMs: 5000 });
    expect(byName.responses.map((x) => [x.name, x.errorCode])).toEqual([['doomed', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]);
  });

  it('DescribeCluster v1 serves the BROKER endpoint type only, with Kafka’s errors for the others; authorized operations when asked', async () => {
    const meta = await at(ApiKey.Metadata, 12, { topics: [], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    for (const v of [0, 1]) {
      const r = await at(ApiKey.DescribeCluster, v, { includeClusterAuthorizedOperations: false, endpointType: 1 });
      expect([r.errorCode, r.clusterId, r.controllerId, r.endpointType]).toEqual([ErrorCode.NONE, meta.clusterId, meta.controllerId, 1]);
      expect(r.brokers.map((b) => b.brokerId).sort()).toEqual(meta.brokers.map((b) => b.nodeId).sort());
      expect(r.clusterAuthorizedOperations).toBe(-2147483648);
    }
    const controller = await at(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 });
    expect([controller.errorCode, controller.brokers]).toEqual([ErrorCode.MISMATCHED_ENDPOINT_TYPE, []]);
    const unknown = await at(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 7 });
    expect([unknown.errorCode, unknown.errorMessage]).toEqual([ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, 'Unsupported endpoint type 7']);
    // Without an authorizer Kafka allows every operation a resource supports, and says so as a bit field.
    const bits = (ops: number[]) => ops.reduce((b, op) => b | (1 << op), 0);
    const withOps = await at(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: true, endpointType: 1 });
    expect(withOps.clusterAuthorizedOperations).toBe(bits([5, 7, 8, 9, 10, 11, 12])); // CREATE ALTER DESCRIBE CLUSTER_ACTION DESCRIBE_CONFIGS ALTER_CONFIGS IDEMPOTENT_WRITE
    const group = 'ops-group';
    await admin.commitOffsets(group, [{ topic: TOPIC, partition: 0, offset: 1 }]);
    const node = (await coordinators([group])).get(group)!;
    const described = await at(ApiKey.DescribeGroups, 5, { groups: [group], includeAuthorizedOperations: true }, node);
    expect(described.groups[0].authorizedOperations).toBe(bits([3, 6, 8, 10, 11])); // READ DELETE DESCRIBE DESCRIBE_CONFIGS ALTER_CONFIGS
    const notAsked = await at(ApiKey.DescribeGroups, 5, { groups: [group], includeAuthorizedOperations: false }, node);
    expect(notAsked.groups[0].authorizedOperations).toBe(-2147483648);
  });

  it('InitProducerId v5 hands out a producer id, and the engine’s idempotent producer writes with it', async () => {
    const r = await at(ApiKey.InitProducerId, 5, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.producerId).toBeGreaterThanOrEqual(0);
    expect(r.producerEpoch).toBe(0);
    const producer = new Producer({ bootstrapServers: server.bootstrap, acks: -1, idempotent: true });
    try {
      const meta = await producer.send({ topic: TOPIC, partition: 2, key: null, value: Buffer.from('idempotent') });
      expect(meta.offset).toBeGreaterThanOrEqual(0);
    } finally {
      await producer.close();
    }
  });
});

/** Runs a Python program that prints one JSON line; its value. */
function pythonJson(code: string): unknown {
  const r = runPython(code);
  if (r.code !== 0) throw new Error(`python exited ${r.code}:\n${r.err}`);
  return JSON.parse(r.out.trim().split('\n').pop()!);
}

describe.skipIf(!available)('group and admin APIs with the installed admin clients', () => {
  beforeAll(async () => {
    server = await serve();
    admin = new Admin({ bootstrapServers: server.bootstrap, clientId: 'admin-clients-test' });
    const [created] = await admin.createTopics([{ name: TOPIC, numPartitions: 3, replicationFactor: 3 }]);
    expect(created.error).toBeNull();
    await admin.commitOffsets('offsets-only', [{ topic: TOPIC, partition: 0, offset: 4 }, { topic: TOPIC, partition: 2, offset: 6 }]);
  }, 60_000);

  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });

  it.skipIf(!pythonClients.kafkaPython)('kafka-python KafkaAdminClient: topics, partitions, configs, groups and their offsets', () => {
    const out = pythonJson(`
import json
from kafka.admin import KafkaAdminClient, NewTopic, NewPartitions, ConfigResource, ConfigResourceType
a = KafkaAdminClient(bootstrap_servers='${server.bootstrap}', client_id='py-admin')
a.create_topics([NewTopic('py_admin', num_partitions=2, replication_factor=2)])
a.create_partitions({'py_admin': NewPartitions(total_count=4)})
cfg = a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, 'py_admin')])
names = sorted(c[0] for c in cfg[0].resources[0][4])
groups = sorted(g[0] for g in a.list_consumer_groups())
described = a.describe_consumer_groups(['offsets-only'])[0]
offsets = {'%s-%d' % (tp.topic, tp.partition): om.offset for tp, om in a.list_consumer_group_offsets('offsets-only').items()}
deleted = a.delete_topics(['py_admin'])
deleted_errors = [e[1] for e in deleted.topic_error_codes]
deleted_groups = a.delete_consumer_groups(['offsets-only'])
print(json.dumps({'hasRetention': 'retention.ms' in names, 'groups': groups, 'state': described.state, 'offsets': offsets, 'deletedErrors': deleted_errors, 'deletedGroups': [[g, e.__name__ if isinstance(e, type) else type(e).__name__] for g, e in deleted_groups]}))
`);
    expect(out).toEqual({
      hasRetention: true,
      groups: expect.arrayContaining(['offsets-only']),
      state: 'Empty',
      offsets: { [`${TOPIC}-0`]: 4, [`${TOPIC}-2`]: 6 },
      deletedErrors: [0],
      deletedGroups: [['offsets-only', 'NoError']],
    });
  });

  it.skipIf(!pythonClients.confluent)('confluent-kafka AdminClient (librdkafka): create, grow, configure, list groups and delete', async () => {
    await admin.commitOffsets('ck-offsets', [{ topic: TOPIC, partition: 1, offset: 3 }]);
    const out = pythonJson(`
import json
from confluent_kafka.admin import AdminClient, NewTopic, NewPartitions, ConfigResource
a = AdminClient({'bootstrap.servers': '${server.bootstrap}'})
for f in a.create_topics([NewTopic('ck_admin', num_partitions=1, replication_factor=3)]).values(): f.result()
for f in a.create_partitions([NewPartitions('ck_admin', 3)]).values(): f.result()
for f in a.alter_configs([ConfigResource('topic', 'ck_admin', set_config={'retention.ms': '120000'})]).values(): f.result()
described = list(a.describe_configs([ConfigResource('topic', 'ck_admin')]).values())[0].result()
partitions = len(a.list_topics('ck_admin', timeout=10).topics['ck_admin'].partitions)
groups = sorted(g.id for g in a.list_groups(timeout=10))
try:
    list(a.create_topics([NewTopic('ck_admin', num_partitions=1, replication_factor=1)]).values())[0].result()
    again = 'created'
except Exception as e:
    again = e.args[0].name()
for f in a.delete_topics(['ck_admin'], operation_timeout=10).values(): f.result()
print(json.dumps({'retention': described['retention.ms'].value, 'partitions': partitions, 'groups': groups, 'again': again, 'left': 'ck_admin' in a.list_topics(timeout=10).topics}))
`);
    expect(out).toEqual({ retention: '120000', partitions: 3, groups: expect.arrayContaining(['ck-offsets']), again: 'TOPIC_ALREADY_EXISTS', left: false });
  });

  it('kafkajs admin: groups, their offsets, partitions and topic deletion', async () => {
    const kafka = new Kafka({ brokers: server.bootstrap.split(','), clientId: 'js-admin', logLevel: logLevel.NOTHING });
    const js = kafka.admin();
    await js.connect();
    try {
      await admin.commitOffsets('js-offsets', [{ topic: TOPIC, partition: 1, offset: 8 }]);
      expect((await js.listGroups()).groups.map((g) => g.groupId)).toContain('js-offsets');
      const [described] = (await js.describeGroups(['js-offsets'])).groups;
      expect([described.groupId, described.state, described.members]).toEqual(['js-offsets', 'Empty', []]);
      const fetched = await js.fetchOffsets({ groupId: 'js-offsets', topics: [TOPIC] });
      expect(fetched[0].partitions.find((p) => p.partition === 1)?.offset).toBe('8');
      await js.createTopics({ topics: [{ topic: 'js_grow', numPartitions: 1, replicationFactor: 2 }] });
      await js.createPartitions({ topicPartitions: [{ topic: 'js_grow', count: 3 }] });
      expect((await js.fetchTopicMetadata({ topics: ['js_grow'] })).topics[0].partitions).toHaveLength(3);
      await js.deleteTopics({ topics: ['js_grow'] });
      expect(await js.listTopics()).not.toContain('js_grow');
      await js.deleteGroups(['js-offsets']);
      expect((await js.listGroups()).groups.map((g) => g.groupId)).not.toContain('js-offsets');
    } finally {
      await js.disconnect();
    }
  });
});
