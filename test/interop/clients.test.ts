/**
 * Real Kafka clients against the real workbench cluster (`npm run serve`): the guide's
 * kafka-python code verbatim, kcat with every codec, confluent-kafka (librdkafka) with an
 * idempotent acks=all producer and a two-member group that rebalances and commits,
 * kafkajs admin/producer/consumer group, failover with clients attached, and the
 * answers to APIs and versions the broker does not implement.
 *
 * CI installs the clients (kcat, python3-kafka, python3-confluent-kafka from Debian;
 * kafkajs from npm). On a machine without one of them its tests are skipped with the
 * reason printed; under CI a missing client fails instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, built, pythonHas, runPython, serve, which, type Served } from './serve';

const available = {
  server: built(),
  kafkaPython: pythonHas('kafka'),
  confluent: pythonHas('confluent_kafka'),
  kcat: which('kcat'),
};
for (const [name, ok] of Object.entries(available)) {
  if (!ok) {
    const why = name === 'server' ? 'the app is not built (run npm run build)' : `${name} is not installed (apt-get install kcat python3-kafka python3-confluent-kafka)`;
    if (process.env.CI) throw new Error(`Interop tests need ${name}: ${why}.`);
    console.log(`Interop tests with ${name} skipped: ${why}.`);
  }
}

let server: Served;
let tmp: string;

const python = runPython;

/** Runs a Python program until its output matches `until`, then stops it. */
function pythonUntil(code: string, until: RegExp, timeoutMs = 60_000): Promise<string> {
  const file = path.join(tmp, `u${Math.random().toString(36).slice(2)}.py`);
  fs.writeFileSync(file, code);
  const child = spawn(PYTHON, ['-u', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no match for ${until} within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (until.test(out)) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve(out);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  });
}

/** The guide's code with its bootstrap address moved when 9092 was taken (nothing else changes). */
function guide(code: string): string {
  return server.port === 9092 ? code : code.replaceAll('localhost:9092', `localhost:${server.port}`);
}

const firstBroker = () => `127.0.0.1:${server.port}`;

describe.skipIf(!available.server)('real Kafka clients against the workbench', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-clients-'));
    server = await serve({ prefer9092: true });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe.skipIf(!available.kafkaPython)('kafka-python: the guide’s code, verbatim', () => {
    it('section 1 sends a page view; section 4 reads it back', async () => {
      const producer = python(guide(`from kafka import KafkaProducer
import json

# Create a Kafka producer
producer = KafkaProducer(bootstrap_servers='localhost:9092',
                         value_serializer=lambda v: json.dumps(v).encode('utf-8'))

# Send a message to a Kafka topic
message = {'event': 'page_view', 'user': 'userA', 'timestamp': '2024-09-15T12:00:00Z'}
producer.send('user_activity', value=message)
producer.flush()
`));
      expect(producer.err).not.toMatch(/Traceback/);
      expect(producer.code).toBe(0);
      const out = await pythonUntil(guide(`from kafka import KafkaConsumer
import json

# Create a consumer to subscribe to a topic
consumer = KafkaConsumer('user_activity', 
                         bootstrap_servers='localhost:9092',
                         auto_offset_reset='earliest',
                         value_deserializer=lambda m: json.loads(m.decode('utf-8')))

# Read messages from the topic
for message in consumer:
    print(f"Received message: {message.value}")
`), /Received message: .*\n/);
      expect(out).toContain("Received message: {'event': 'page_view', 'user': 'userA', 'timestamp': '2024-09-15T12:00:00Z'}");
    });

    it('section 9: the producer pushes a log line and the consumer prints it', async () => {
      const producerSetup = `from kafka import KafkaProducer
import json

# Create a Kafka producer
producer = KafkaProducer(bootstrap_servers='localhost:9092',
                         value_serializer=lambda v: json.dumps(v).encode('utf-8'))
`;
      const consumerSetup = `from kafka import KafkaConsumer
import json

# Create a consumer to subscribe to a topic
consumer = KafkaConsumer('system_logs', 
                         bootstrap_servers='localhost:9092',
                         auto_offset_reset='earliest',
                         value_deserializer=lambda m: json.loads(m.decode('utf-8')))
`;
      const sent = python(guide(`${producerSetup}
# Producer sends message
producer.send('system_logs', value={'log_level': 'ERROR', 'message': 'Database failure'})
producer.flush()
`));
      expect(sent.code, sent.err).toBe(0);
      const out = await pythonUntil(guide(`${consumerSetup}
# Consumer processes the message
for message in consumer:
    print(f"Log: {message.value}")
`), /Log: .*\n/);
      expect(out).toContain("Log: {'log_level': 'ERROR', 'message': 'Database failure'}");
    });
  });

  describe.skipIf(!available.kcat)('kcat (librdkafka)', () => {
    it('-L lists the three brokers and the controller', () => {
      const r = spawnSync('kcat', ['-b', firstBroker(), '-L'], { encoding: 'utf8', timeout: 30_000 });
      expect(r.stdout).toMatch(/ 3 brokers:/);
      for (let i = 0; i < 3; i++) expect(r.stdout).toContain(`broker ${i + 1} at 127.0.0.1:${server.port + i}`);
      expect(r.stdout).toMatch(/\(controller\)/);
    });

    it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])('produces and consumes with %s compression, stored compressed', (codec) => {
      const topic = `kcat_${codec}`;
      const lines = Array.from({ length: 200 }, (_, i) => `key${i % 7}:value ${i} ${'x'.repeat(60)}`).join('\n') + '\n';
      const p = spawnSync('kcat', ['-b', firstBroker(), '-P', '-t', topic, '-K:', '-z', codec, '-X', 'topic.request.required.acks=all'], { input: lines, encoding: 'utf8', timeout: 60_000 });
      expect(p.status, p.stderr).toBe(0);
      const c = spawnSync('kcat', ['-b', firstBroker(), '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%k=%s\\n'], { encoding: 'utf8', timeout: 60_000 });
      const got = c.stdout.trimEnd().split('\n');
      expect(got).toHaveLength(200);
      expect(got[5]).toBe(`key5=value 5 ${'x'.repeat(60)}`);
      if (codec !== 'none') {
        // The batches on disk carry the producer's codec (attributes bits 0-2 at byte 22 of the batch).
        const codecId = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 }[codec]!;
        const logs = findFiles(server.dataDir, (f) => f.includes(`${topic}-0`) && f.endsWith('.log'));
        expect(logs.length).toBeGreaterThan(0);
        const bytes = fs.readFileSync(logs[0]);
        expect(bytes.readInt16BE(21) & 7).toBe(codecId);
      }
    });
  });

  describe.skipIf(!available.confluent)('confluent-kafka (librdkafka)', () => {
    it('an idempotent acks=all producer, then two consumers in a group share the partitions and commit', async () => {
      const admin = spawnSync('kcat', ['-b', firstBroker(), '-L'], { encoding: 'utf8' });
      expect(admin.status).toBe(0);
      const produced = python(`
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({'bootstrap.servers': '${firstBroker()}'})
for f in a.create_topics([NewTopic('ck_orders', num_partitions=4, replication_factor=3)]).values():
    f.result()
p = Producer({'bootstrap.servers': '${firstBroker()}', 'acks': 'all', 'enable.idempotence': True})
acked = []
def cb(err, msg):
    if err is None: acked.append(msg.offset())
for i in range(400):
    p.produce('ck_orders', key=str(i), value='v%d' % i, on_delivery=cb)
p.flush(30)
print('acked', len(acked))
`);
      expect(produced.out, produced.err).toContain('acked 400');
      const consumer = (name: string) => `
import sys, time
from confluent_kafka import Consumer
c = Consumer({'bootstrap.servers': '${firstBroker()}', 'group.id': 'ck_group', 'auto.offset.reset': 'earliest', 'enable.auto.commit': False, 'session.timeout.ms': 10000})
c.subscribe(['ck_orders'])
seen = 0
last_report = ''
deadline = time.time() + 60
while time.time() < deadline:
    m = c.poll(0.2)
    if m is not None and not m.error():
        seen += 1
        c.commit(message=m, asynchronous=False)
    parts = sorted(tp.partition for tp in c.assignment())
    report = '${name} assigned %s seen %d' % (parts, seen)
    if report != last_report:
        print(report, flush=True)
        last_report = report
c.close()
`;
      const a = spawn(PYTHON, ['-u', '-c', consumer('A')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let outA = '';
      a.stdout.on('data', (c: Buffer) => (outA += c.toString()));
      await waitFor(() => /A assigned \[0, 1, 2, 3\]/.test(outA), 40_000, () => outA);
      const b = spawn(PYTHON, ['-u', '-c', consumer('B')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let outB = '';
      b.stdout.on('data', (c: Buffer) => (outB += c.toString()));
      try {
        // The group rebalances: each member ends up with two of the four partitions.
        await waitFor(() => /A assigned \[\d, \d\] /.test(outA) && /B assigned \[\d, \d\] /.test(outB), 60_000, () => `${outA}\n${outB}`);
        const total = () => {
          const last = (s: string) => Number([...s.matchAll(/seen (\d+)/g)].pop()?.[1] ?? 0);
          return last(outA) + last(outB);
        };
        await waitFor(() => total() >= 400, 60_000, () => `${outA}\n${outB}`);
      } finally {
        a.kill('SIGKILL');
        b.kill('SIGKILL');
      }
      // The commits landed: the group's committed offsets cover all 400 records.
      const committed = python(`
from confluent_kafka import Consumer, TopicPartition
c = Consumer({'bootstrap.servers': '${firstBroker()}', 'group.id': 'ck_group'})
offs = c.committed([TopicPartition('ck_orders', p) for p in range(4)], timeout=20)
print('committed', sum(max(0, tp.offset) for tp in offs))
c.close()
`);
      expect(committed.out, committed.err).toContain('committed 400');
    }, 240_000);
  });

  describe('kafkajs', () => {
    it('admin: create, describe and delete topics and configs', async () => {
      const kafka = new Kafka({ brokers: [firstBroker()], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      try {
        expect(await admin.createTopics({ topics: [{ topic: 'js_admin', numPartitions: 3, replicationFactor: 2, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] })).toBe(true);
        const meta = await admin.fetchTopicMetadata({ topics: ['js_admin'] });
        expect(meta.topics[0].partitions).toHaveLength(3);
        for (const p of meta.topics[0].partitions) expect(p.replicas).toHaveLength(2);
        const cfg = await admin.describeConfigs({ resources: [{ type: 2, name: 'js_admin' }], includeSynonyms: false });
        expect(cfg.resources[0].configEntries.find((e) => e.configName === 'retention.ms')?.configValue).toBe('3600000');
        await admin.alterConfigs({ resources: [{ type: 2, name: 'js_admin', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], validateOnly: false });
        const after = await admin.describeConfigs({ resources: [{ type: 2, name: 'js_admin' }], includeSynonyms: false });
        expect(after.resources[0].configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue).toBe('compact');
        await expect(admin.createTopics({ topics: [{ topic: 'js_admin', numPartitions: 1 }] })).resolves.toBe(false);
        await admin.deleteTopics({ topics: ['js_admin'] });
        expect(await admin.listTopics()).not.toContain('js_admin');
      } finally {
        await admin.disconnect();
      }
    });

    it('an idempotent producer and a consumer group', async () => {
      const kafka = new Kafka({ brokers: [firstBroker()], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'js_stream', numPartitions: 3, replicationFactor: 3 }] });
      await admin.disconnect();
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      for (let i = 0; i < 10; i++) {
        await producer.send({ topic: 'js_stream', acks: -1, messages: Array.from({ length: 20 }, (_, j) => ({ key: `k${j}`, value: `v${i * 20 + j}` })) });
      }
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: 'js_group', sessionTimeout: 10_000 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'js_stream', fromBeginning: true });
      const seen = new Set<string>();
      await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
      try {
        await waitFor(() => seen.size === 200, 60_000, () => `seen ${seen.size}`);
      } finally {
        await consumer.disconnect();
      }
      const a = kafka.admin();
      await a.connect();
      const groups = await a.listGroups();
      expect(groups.groups.map((g) => g.groupId)).toContain('js_group');
      const offsets = await a.fetchOffsets({ groupId: 'js_group', topics: ['js_stream'] });
      const committed = offsets[0].partitions.reduce((n, p) => n + Number(p.offset), 0);
      expect(committed).toBe(200);
      await a.disconnect();
    }, 120_000);

    it('an API the broker does not implement is refused as unsupported', async () => {
      const kafka = new Kafka({ brokers: [firstBroker()], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      try {
        await expect(admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 } as never)).rejects.toThrow(/not support|UNSUPPORTED|Not Implemented/i);
      } finally {
        await admin.disconnect();
      }
    });
  });

  it('an ApiVersions request at a version the broker lacks gets the KIP-511 answer: v0, UNSUPPORTED_VERSION, its range', async () => {
    const frame = Buffer.alloc(4 + 2 + 2 + 4 + 2);
    frame.writeInt32BE(10, 0); // size
    frame.writeInt16BE(18, 4); // ApiVersions
    frame.writeInt16BE(99, 6); // a version from the future
    frame.writeInt32BE(1234, 8); // correlation id
    frame.writeInt16BE(-1, 12); // null client id
    const answer = await rawRoundTrip(server.port, frame);
    expect(answer.readInt32BE(4)).toBe(1234); // correlation id
    expect(answer.readInt16BE(8)).toBe(35); // UNSUPPORTED_VERSION
    expect(answer.readInt32BE(10)).toBe(1); // one entry: ApiVersions itself
    expect([answer.readInt16BE(14), answer.readInt16BE(16), answer.readInt16BE(18)]).toEqual([18, 0, 4]);
  });

  it('a request for an API key the broker does not implement closes that connection, and the broker keeps serving', async () => {
    const frame = Buffer.alloc(14);
    frame.writeInt32BE(10, 0);
    frame.writeInt16BE(29, 4); // DescribeAcls
    frame.writeInt16BE(1, 6);
    frame.writeInt32BE(7, 8);
    frame.writeInt16BE(-1, 12);
    await expect(rawRoundTrip(server.port, frame)).rejects.toThrow(/closed/);
    const r = spawnSync('kcat', ['-b', firstBroker(), '-L'], { encoding: 'utf8', timeout: 30_000 });
    if (available.kcat) expect(r.stdout).toMatch(/ 3 brokers:/);
  });

  describe.skipIf(!available.confluent)('failover with clients attached', () => {
    it('the leader is killed while an acks=all producer writes; every acknowledged record is consumed after the election', async () => {
      const setup = python(`
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({'bootstrap.servers': '${server.bootstrap}'})
for f in a.create_topics([NewTopic('failover', num_partitions=1, replication_factor=3, config={'min.insync.replicas': '2'})]).values():
    f.result()
`);
      expect(setup.code, setup.err).toBe(0);
      const meta = spawnSync('kcat', ['-b', server.bootstrap, '-L', '-t', 'failover'], { encoding: 'utf8' });
      const leader = Number(/partition 0, leader (\d+)/.exec(meta.stdout)?.[1]);
      expect(leader).toBeGreaterThan(0);
      const ackFile = path.join(tmp, 'acked.txt');
      const producer = spawn(PYTHON, ['-u', '-c', `
import time
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': '${server.bootstrap}', 'acks': 'all', 'enable.idempotence': True, 'message.timeout.ms': 60000})
f = open('${ackFile}', 'w')
def cb(err, msg):
    if err is None:
        f.write(msg.value().decode() + '\\n'); f.flush()
for i in range(3000):
    p.produce('failover', value='r%d' % i, on_delivery=cb)
    p.poll(0)
    time.sleep(0.002)
    if i == 300: print('midway', flush=True)
p.flush(60)
print('done', flush=True)
`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      producer.stdout.on('data', (c: Buffer) => (out += c.toString()));
      producer.stderr.on('data', (c: Buffer) => (out += c.toString()));
      await waitFor(() => out.includes('midway'), 60_000, () => out);
      const killed = await server.command(`kill ${leader}`);
      expect(killed).toContain(`broker ${leader}: killed`);
      await waitFor(() => out.includes('done'), 120_000, () => out);
      const acked = fs.readFileSync(ackFile, 'utf8').trim().split('\n');
      expect(acked.length).toBeGreaterThan(2500);
      const meta2 = spawnSync('kcat', ['-b', server.bootstrap, '-L', '-t', 'failover'], { encoding: 'utf8' });
      expect(Number(/partition 0, leader (\d+)/.exec(meta2.stdout)?.[1])).not.toBe(leader);
      const consumed = spawnSync('kcat', ['-b', server.bootstrap, '-C', '-t', 'failover', '-o', 'beginning', '-e', '-f', '%s\\n'], { encoding: 'utf8', timeout: 60_000 });
      const got = new Set(consumed.stdout.trim().split('\n'));
      const missing = acked.filter((v) => !got.has(v));
      expect(missing).toEqual([]);
      await server.command(`restart ${leader}`);
    }, 300_000);
  });
});

function findFiles(dir: string, pred: (f: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(full, pred));
    else if (pred(full)) out.push(full);
  }
  return out;
}

async function waitFor(pred: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out; last state:\n${what().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends one raw frame and resolves with the first response frame (or rejects when the broker closes). */
function rawRoundTrip(port: number, frame: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(frame));
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('no answer'));
    }, 10_000);
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        clearTimeout(timer);
        s.destroy();
        resolve(buf);
      }
    });
    s.on('close', () => {
      clearTimeout(timer);
      reject(new Error('connection closed by the broker'));
    });
    s.on('error', () => undefined);
  });
}
