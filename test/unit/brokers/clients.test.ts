/**
 * The Clients view's data: every connection to the brokers' Kafka listeners, with its
 * client id, the software it named, what it produced and where it is fetching, and
 * its groups; a consumer without a group shows up too, and a closed connection leaves.
 * Real clients: confluent-kafka (librdkafka, names its software) and kafka-python's
 * groupless consumer from the guide's section 4.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { ApiKey, concatChunks, encodeRequestFrame } from '../../../engine/protocol';
import { topicIdToUuid } from '../../../engine/wire/context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientView } from '../../../engine/api/contract';
import { pythonHas } from '../../interop/serve';
import { threeFreePorts } from '../../support/ports';
import { openEngine, until, type TestEngine } from '../records/helpers';

const PYTHON = '/usr/bin/python3';
const ready = pythonHas('kafka') && pythonHas('confluent_kafka');
let t: TestEngine;
let bootstrap: string;
const children: ChildProcess[] = [];

/** Runs a Python client that prints READY once it did its work, then stays connected until killed. */
function client(code: string): Promise<ChildProcess> {
  const child = spawn(PYTHON, ['-c', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('READY')) resolve(child);
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`python exited (${code}) before READY: ${out}`)));
  });
}

const clients = async (): Promise<ClientView[]> => (await t.call('listClients', {})).clients;

beforeAll(async () => {
  if (!ready) return;
  const port = await threeFreePorts();
  t = openEngine({ listen: true, basePort: port });
  bootstrap = `127.0.0.1:${port}`;
  await t.engine.listenersSettled();
  await t.call('createTopic', { name: 'audit', partitions: 1, replicationFactor: 1 });
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await t?.close();
}, 60_000);

describe.skipIf(!ready)('clients connected to the brokers', () => {
  it('lists a producer and a consumer without a group, with what each does; a closed one leaves', async () => {
    await client(`
import time
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': '${bootstrap}', 'client.id': 'shop-frontend'})
for i in range(3):
    p.produce('audit', value=b'event %d' % i)
p.flush(10)
print('READY', flush=True)
time.sleep(120)
`);
    const consumer = await client(`
import time
from kafka import KafkaConsumer
c = KafkaConsumer('audit', bootstrap_servers='${bootstrap}', auto_offset_reset='earliest', client_id='audit-reader')
seen = 0
while seen < 3:
    for records in c.poll(timeout_ms=500).values():
        seen += len(records)
print('READY', flush=True)
while True:
    c.poll(timeout_ms=500)
`);
    await until(async () => (await clients()).some((c) => c.clientId === 'audit-reader' && c.fetches.some((f) => f.offset === 3)), 20_000, 'the consumer fetching at offset 3');
    const list = await clients();
    const producer = list.find((c) => c.clientId === 'shop-frontend' && c.produces.length > 0)!;
    expect(producer.produces).toEqual([expect.objectContaining({ topic: 'audit', partition: 0 })]);
    expect(producer.software).toMatch(/confluent-kafka-python|librdkafka/);
    expect(producer.bytesIn).toBeGreaterThan(0);
    expect(producer.address).toContain('127.0.0.1');
    const reader = list.find((c) => c.clientId === 'audit-reader' && c.fetches.length > 0)!;
    expect(reader.fetches).toEqual([expect.objectContaining({ topic: 'audit', partition: 0, offset: 3 })]);
    expect(reader.groups).toEqual([]);
    expect(reader.produces).toEqual([]);
    expect(reader.bytesOut).toBeGreaterThan(0);

    consumer.kill('SIGKILL');
    await until(async () => !(await clients()).some((c) => c.clientId === 'audit-reader'), 20_000, 'the consumer to leave the list');
    expect((await clients()).some((c) => c.clientId === 'shop-frontend')).toBe(true);
  }, 90_000);

  it('names the topic a Fetch v13+ client addresses by id', async () => {
    const image = t.engine.cluster.latestImage()!;
    const topic = image.topics.get('audit')!;
    const frame = concatChunks(
      encodeRequestFrame(
        { requestApiKey: ApiKey.Fetch, requestApiVersion: 13, correlationId: 1, clientId: 'by-id' },
        { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [{ topicId: topicIdToUuid(topic.topicId), partitions: [{ partition: 0, fetchOffset: 2, partitionMaxBytes: 1 << 20 }] }] },
      ),
    );
    const socket = net.connect(Number(bootstrap.split(':')[1]) + topic.partitions[0].leader - 1, '127.0.0.1', () => socket.write(frame));
    try {
      await until(async () => (await clients()).some((c) => c.clientId === 'by-id' && c.fetches.some((f) => f.topic === 'audit' && f.offset === 2)), 10_000, 'the by-id fetch to be named');
    } finally {
      socket.destroy();
    }
  }, 30_000);
});
