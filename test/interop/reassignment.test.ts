/**
 * Partition reassignment and leader election from the outside: kafkajs' admin client
 * (alterPartitionReassignments / listPartitionReassignments) and our
 * kafka-reassign-partitions and kafka-leader-election tools, run as processes through
 * their bin shims against the real headless cluster (`cli.js serve --no-ui`).
 *
 * confluent-kafka 2.0.2 (Debian's python3-confluent-kafka) has no reassignment or
 * election calls in its AdminClient, so it is not exercised here. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type Admin as KafkaAdmin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, built, serve, type Served } from './serve';

const TOOLS = ['kafka-reassign-partitions', 'kafka-leader-election'];
const available = built() && TOOLS.every((t) => fs.existsSync(path.join(ROOT, 'dist', 'engine', 'tools', 'entries', `${t}.js`)));

let server: Served;
let tmp: string;
let kafka: Kafka;
let admin: KafkaAdmin;

function tool(name: string, args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'engine', 'tools', 'bin', `${name}.js`), '--bootstrap-server', `127.0.0.1:${server.port}`, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function file(name: string, content: unknown): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function partitionOf(topic: string, partition: number) {
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  return meta.topics[0].partitions.find((p) => p.partitionId === partition)!;
}

describe.skipIf(!available)('reassignment and elections with real admin clients and the tools', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-reassign-'));
    server = await serve();
    kafka = new Kafka({ brokers: [`127.0.0.1:${server.port}`], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.disconnect();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('kafkajs moves a partition to another broker; every record is still there afterwards', async () => {
    await admin.createTopics({ topics: [{ topic: 'js_move', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] }] });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 10; i++) await producer.send({ topic: 'js_move', acks: -1, messages: Array.from({ length: 30 }, (_, j) => ({ value: `m${i * 30 + j}` })) });
    await producer.disconnect();

    await admin.alterPartitionReassignments({ topics: [{ topic: 'js_move', partitionAssignment: [{ partition: 0, replicas: [3, 2] }] }] });
    await waitFor(() => admin.listPartitionReassignments({}), (r) => r.topics.length === 0);
    const p = await waitFor(() => partitionOf('js_move', 0), (x) => x.replicas.join() === '3,2' && x.isr.length === 2);
    expect([...p.isr].sort()).toEqual([2, 3]);

    const consumer = kafka.consumer({ groupId: 'js_move_reader' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'js_move', fromBeginning: true });
    const seen = new Set<string>();
    await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    try {
      await waitFor(async () => seen.size, (n) => n === 300);
    } finally {
      await consumer.disconnect();
    }

    const refused = await admin.alterPartitionReassignments({ topics: [{ topic: 'js_move', partitionAssignment: [{ partition: 0, replicas: [1, 9] }] }] }).then(
      () => null,
      (err: { errors?: { type?: string; topic?: string; partition?: number }[] }) => err,
    );
    expect(refused?.errors?.[0]).toMatchObject({ type: 'INVALID_REPLICA_ASSIGNMENT', topic: 'js_move', partition: 0 });
    expect((await partitionOf('js_move', 0)).replicas).toEqual([3, 2]);
  }, 120_000);

  it('kafka-reassign-partitions generates, executes and verifies a move, and lists none afterwards', async () => {
    await admin.createTopics({ topics: [{ topic: 'cli_move', replicaAssignment: [{ partition: 0, replicas: [1, 2] }, { partition: 1, replicas: [2, 1] }] }] });
    const topics = file('topics.json', { topics: [{ topic: 'cli_move' }], version: 1 });
    const gen = tool('kafka-reassign-partitions', ['--generate', '--topics-to-move-json-file', topics, '--broker-list', '2,3']);
    expect(gen.code, gen.out + gen.err).toBe(0);
    const lines = gen.out.trimEnd().split('\n');
    expect(lines[0]).toBe('Current partition replica assignment');
    expect(lines[1]).toBe('{"version":1,"partitions":[{"topic":"cli_move","partition":0,"replicas":[1,2],"log_dirs":["any","any"]},{"topic":"cli_move","partition":1,"replicas":[2,1],"log_dirs":["any","any"]}]}');
    expect(lines[2]).toBe('');
    expect(lines[3]).toBe('Proposed partition reassignment configuration');
    const proposed = JSON.parse(lines[4]) as { partitions: { topic: string; partition: number; replicas: number[] }[] };
    expect(proposed.partitions.map((p) => p.partition)).toEqual([0, 1]);
    for (const p of proposed.partitions) expect([...p.replicas].sort()).toEqual([2, 3]);

    const plan = file('plan.json', lines[4]);
    const exec = tool('kafka-reassign-partitions', ['--execute', '--reassignment-json-file', plan]);
    expect(exec.code, exec.out + exec.err).toBe(0);
    expect(exec.out).toBe(
      'Current partition replica assignment\n\n' +
        '{"version":1,"partitions":[{"topic":"cli_move","partition":0,"replicas":[1,2],"log_dirs":["any","any"]},{"topic":"cli_move","partition":1,"replicas":[2,1],"log_dirs":["any","any"]}]}\n\n' +
        'Save this to use as the --reassignment-json-file option during rollback\n' +
        'Successfully started partition reassignments for cli_move-0,cli_move-1\n',
    );
    const verified = await waitFor(async () => tool('kafka-reassign-partitions', ['--verify', '--reassignment-json-file', plan]), (r) => !r.out.includes('still in progress'));
    expect(verified.out).toBe('Status of partition reassignment:\nReassignment of partition cli_move-0 is completed.\nReassignment of partition cli_move-1 is completed.\n');
    expect(tool('kafka-reassign-partitions', ['--list']).out).toBe('No partition reassignments found.\n');
    const rollback = file('rollback.json', { version: 1, partitions: [{ topic: 'cli_move', partition: 0, replicas: [1, 2] }] });
    expect(tool('kafka-reassign-partitions', ['--verify', '--reassignment-json-file', rollback]).out).toBe(
      `Status of partition reassignment:\nThere is no active reassignment of partition cli_move-0, but replica set is ${proposed.partitions[0].replicas.join(',')} rather than 1,2.\n`,
    );
  }, 120_000);

  it('kafka-reassign-partitions lists and cancels a reassignment that cannot finish, and refuses unknown brokers', async () => {
    await admin.createTopics({ topics: [{ topic: 'cli_stuck', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] }] });
    await server.command('kill 3');
    await waitFor(async () => (await admin.describeCluster()).brokers.length, (n) => n === 2);
    // The tool refuses a broker that is not live; an admin client may still name it (it is registered).
    const plan = file('stuck.json', { version: 1, partitions: [{ topic: 'cli_stuck', partition: 0, replicas: [1, 3] }] });
    const refused = tool('kafka-reassign-partitions', ['--execute', '--reassignment-json-file', plan]);
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('Error: Unknown broker id 3\n');
    await admin.alterPartitionReassignments({ topics: [{ topic: 'cli_stuck', partitionAssignment: [{ partition: 0, replicas: [1, 3] }] }] });
    expect(tool('kafka-reassign-partitions', ['--list']).out).toBe('Current partition reassignments:\ncli_stuck-0: replicas: 1,3,2. adding: 3. removing: 2.\n');
    const again = tool('kafka-reassign-partitions', ['--execute', '--reassignment-json-file', plan]);
    expect(again.out).toMatch(/^Cannot execute because there is an existing partition assignment\./);
    const cancelled = tool('kafka-reassign-partitions', ['--cancel', '--reassignment-json-file', plan]);
    expect(cancelled.code, cancelled.out + cancelled.err).toBe(0);
    expect(cancelled.out).toBe('Successfully cancelled partition reassignment for: cli_stuck-0\nNone of the specified partition moves are active.');
    expect((await partitionOf('cli_stuck', 0)).replicas).toEqual([1, 2]);
    expect(tool('kafka-reassign-partitions', ['--cancel', '--reassignment-json-file', plan]).out).toBe('None of the specified partition reassignments are active.\nNone of the specified partition moves are active.');
    await server.command('restart 3');
    await waitFor(async () => (await admin.describeCluster()).brokers.length, (n) => n === 3);
  }, 120_000);

  it('kafka-leader-election elects the preferred leader and says when none was needed or a partition is unknown', async () => {
    await admin.createTopics({ topics: [{ topic: 'cli_elect', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] }] });
    await waitFor(() => partitionOf('cli_elect', 0), (p) => p.leader === 1 && p.isr.length === 2);
    // Reordering the replicas makes broker 2 preferred while broker 1 keeps leading.
    await admin.alterPartitionReassignments({ topics: [{ topic: 'cli_elect', partitionAssignment: [{ partition: 0, replicas: [2, 1] }] }] });
    const first = tool('kafka-leader-election', ['--election-type', 'PREFERRED', '--topic', 'cli_elect', '--partition', '0']);
    expect(first.code, first.out + first.err).toBe(0);
    // The controller's own imbalance check (every 5 s) may have moved it first.
    expect(first.out).toMatch(/^(Successfully completed leader election \(PREFERRED\)|Valid replica already elected) for partitions cli_elect-0\n$/);
    expect((await partitionOf('cli_elect', 0)).leader).toBe(2);
    const json = file('elect.json', { partitions: [{ topic: 'cli_elect', partition: 0 }] });
    expect(tool('kafka-leader-election', ['--election-type', 'preferred', '--path-to-json-file', json]).out).toBe('Valid replica already elected for partitions cli_elect-0\n');
    const unknown = tool('kafka-leader-election', ['--election-type', 'UNCLEAN', '--topic', 'cli_elect', '--partition', '7']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/^Error completing leader election \(UNCLEAN\) for partition: cli_elect-7: org\.apache\.kafka\.common\.errors\.UnknownTopicOrPartitionException: /);
    expect(unknown.err).toBe('1 replica(s) could not be elected\n');
    const all = tool('kafka-leader-election', ['--election-type', 'PREFERRED', '--all-topic-partitions']);
    expect(all.code).toBe(0);
    const bad = tool('kafka-leader-election', ['--election-type', 'PREFERRED', '--topic', 'cli_elect']);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('Missing required option(s): partition\n');
  }, 120_000);
});
