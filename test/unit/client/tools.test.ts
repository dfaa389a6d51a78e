/**
 * The command-line tools' argument parsing and output, run in-process through their
 * `main(argv, io)` against the stub broker: the guide's commands, Kafka's messages for
 * errors, the describe/config/group table formats, and the console producer/consumer
 * line formats.
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Consumer } from '../../../engine/client/consumer';
import { OptionsError, parseOptions } from '../../../engine/tools/cli/options';
import { main as configs, parseAddConfig } from '../../../engine/tools/configs-command';
import { formatRecord, formatterConfig, main as consoleConsumer } from '../../../engine/tools/console-consumer';
import { lineReaderConfig, main as consoleProducer, parseLine, readLines } from '../../../engine/tools/console-producer';
import { formatOffsetsTable, main as groups, parseDurationMs } from '../../../engine/tools/consumer-groups-command';
import { main as topics, parseReplicaAssignment, topicFilter, uuidToKafkaBase64 } from '../../../engine/tools/topics-command';
import type { ToolMain } from '../../../engine/tools/cli/tool-io';
import { decodeRecords } from '../../../engine/storage/record-batch';
import { StubCluster } from './stub-broker';

let stub: StubCluster;

beforeEach(async () => {
  stub = await StubCluster.start(3);
});

afterEach(async () => {
  await stub.stop();
});

async function run(main: ToolMain, command: string, stdin = '', signal?: AbortSignal): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const argv = command.split(' ').map((w) => w.replace(/^'(.*)'$/, '$1')).map((w) => (w === 'localhost:9092' ? stub.bootstrap : w));
  const code = await main(argv, {
    stdout: { write: (c: string | Uint8Array) => out.push(typeof c === 'string' ? c : Buffer.from(c).toString()) },
    stderr: { write: (c: string | Uint8Array) => err.push(typeof c === 'string' ? c : Buffer.from(c).toString()) },
    stdin: Readable.from([Buffer.from(stdin)]),
    signal,
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('options', () => {
  it('reads --name value, --name=value, repeats and unique prefixes like jopt-simple', () => {
    const o = parseOptions(['--bootstrap', 'h:1', '--config=a=b', '--config', 'c=d', '--create'], [
      { name: 'bootstrap-server', arg: 'required', description: '' },
      { name: 'config', arg: 'required', description: '' },
      { name: 'create', description: '' },
    ]);
    expect(o.value('bootstrap-server')).toBe('h:1');
    expect(o.values('config')).toEqual(['a=b', 'c=d']);
    expect(o.has('create')).toBe(true);
  });

  it('names unknown options and missing arguments as jopt-simple does', () => {
    expect(() => parseOptions(['--nope'], [{ name: 'topic', arg: 'required', description: '' }])).toThrow(new OptionsError("'nope' is not a recognized option"));
    expect(() => parseOptions(['--topic'], [{ name: 'topic', arg: 'required', description: '' }])).toThrow("Option ['topic'] requires an argument");
  });
});

describe('kafka-topics', () => {
  it('creates the guide topic with Kafka’s warning for underscores, and refuses it twice', async () => {
    const first = await run(topics, 'kafka-topics --create --topic user_activity --bootstrap-server localhost:9092 --partitions 1 --replication-factor 1'.split(' ').slice(1).join(' '));
    expect(first).toEqual({
      code: 0,
      out: "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\nCreated topic user_activity.\n",
      err: '',
    });
    const again = await run(topics, '--create --topic user_activity --bootstrap-server localhost:9092 --partitions 1 --replication-factor 1');
    expect(again.code).toBe(1);
    expect(again.out.split('\n')[1]).toBe("Error while executing topic command : Topic 'user_activity' already exists.");
    const quiet = await run(topics, '--create --if-not-exists --topic user_activity --bootstrap-server localhost:9092');
    expect(quiet.code).toBe(0);
    expect(stub.topics.get('user_activity')!.partitions).toHaveLength(1);
  });

  it('describes a topic in Kafka 3.7’s format', async () => {
    const t = stub.createTopic('high_traffic', 4, 2, { 'retention.ms': '1000' });
    t.partitions[3]!.isr = [1];
    const r = await run(topics, '--describe --topic high_traffic --bootstrap-server localhost:9092');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `Topic: high_traffic\tTopicId: ${uuidToKafkaBase64(t.topicId)}\tPartitionCount: 4\tReplicationFactor: 2\tConfigs: retention.ms=1000\n` +
        '\tTopic: high_traffic\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\n' +
        '\tTopic: high_traffic\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2,3\n' +
        '\tTopic: high_traffic\tPartition: 2\tLeader: 3\tReplicas: 3,1\tIsr: 3,1\n' +
        '\tTopic: high_traffic\tPartition: 3\tLeader: 1\tReplicas: 1,2\tIsr: 1\n',
    );
    const under = await run(topics, '--describe --under-replicated-partitions --bootstrap-server localhost:9092');
    expect(under.out).toBe('\tTopic: high_traffic\tPartition: 3\tLeader: 1\tReplicas: 1,2\tIsr: 1\n');
  });

  it('lists, alters and deletes, and reports a missing topic as Kafka does', async () => {
    stub.createTopic('b', 1);
    stub.createTopic('a', 1);
    expect((await run(topics, '--list --bootstrap-server localhost:9092')).out).toBe('a\nb\n');
    expect((await run(topics, '--alter --topic a --partitions 3 --bootstrap-server localhost:9092')).code).toBe(0);
    expect(stub.topics.get('a')!.partitions).toHaveLength(3);
    expect((await run(topics, '--delete --topic b --bootstrap-server localhost:9092')).code).toBe(0);
    expect(stub.topics.has('b')).toBe(false);
    const missing = await run(topics, '--describe --topic nope --bootstrap-server localhost:9092');
    expect(missing).toEqual({ code: 1, out: "Error while executing topic command : Topic 'nope' does not exist as expected\n", err: '' });
  });

  it('explains usage errors on stderr with the option table', async () => {
    const r = await run(topics, '--topic x --bootstrap-server localhost:9092');
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toBe('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
    expect(r.err).toContain('--bootstrap-server <String: server to connect to>');
    const bad = await run(topics, '--create --topic x --replication-factor 5 --bootstrap-server localhost:9092');
    expect(bad.out).toMatch(/Error while executing topic command : Unable to replicate the partition 5 time\(s\)/);
  });

  it('parses replica assignments and topic regexes as Kafka does', () => {
    expect(parseReplicaAssignment('1:2, 2:3')).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(() => parseReplicaAssignment('1:1')).toThrow('Partition replica lists may not contain duplicate entries: 1');
    expect(() => parseReplicaAssignment('1:2,3')).toThrow('Partition 1 has different replication factor: [3]');
    const f = topicFilter('high.*,user_activity');
    expect(['high_traffic', 'user_activity', 'other'].filter(f)).toEqual(['high_traffic', 'user_activity']);
  });
});

describe('kafka-configs', () => {
  it('describes and alters topic configs in Kafka’s format (the guide’s commands)', async () => {
    stub.createTopic('user_activity', 1);
    stub.createTopic('system_logs', 1);
    expect(await run(configs, '--describe --entity-type topics --entity-name user_activity --bootstrap-server localhost:9092')).toEqual({
      code: 0,
      out: 'Dynamic configs for topic user_activity are:\n',
      err: '',
    });
    expect(await run(configs, "--alter --entity-type topics --entity-name system_logs --add-config 'cleanup.policy=compact' --bootstrap-server localhost:9092")).toEqual({
      code: 0,
      out: 'Completed updating config for topic system_logs.\n',
      err: '',
    });
    expect(stub.topics.get('system_logs')!.configs.get('cleanup.policy')).toBe('compact');
    const after = await run(configs, '--describe --entity-type topics --entity-name system_logs --bootstrap-server localhost:9092');
    expect(after.out).toBe(
      'Dynamic configs for topic system_logs are:\n  cleanup.policy=compact sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact, DEFAULT_CONFIG:cleanup.policy=delete}\n',
    );
    const all = await run(configs, '--describe --all --topic system_logs --bootstrap-server localhost:9092');
    expect(all.out.split('\n')[0]).toBe('All configs for topic system_logs are:');
    expect(all.out).toContain('  retention.ms=604800000 sensitive=false synonyms={DEFAULT_CONFIG:retention.ms=604800000}\n');
  });

  it('deletes configs and refuses to delete one that is not set', async () => {
    stub.createTopic('t', 1, 1, { 'retention.ms': '5' });
    expect((await run(configs, '--alter --topic t --delete-config retention.ms --bootstrap-server localhost:9092')).code).toBe(0);
    expect(stub.topics.get('t')!.configs.has('retention.ms')).toBe(false);
    expect(await run(configs, '--alter --topic t --delete-config retention.ms --bootstrap-server localhost:9092')).toEqual({ code: 1, out: '', err: 'Invalid config(s): retention.ms\n' });
  });

  it('parses --add-config with Kafka’s bracket syntax for lists', () => {
    expect([...parseAddConfig('k1=v1,k2=[a,b,c],k3=v3')]).toEqual([
      ['k1', 'v1'],
      ['k2', 'a,b,c'],
      ['k3', 'v3'],
    ]);
    expect(() => parseAddConfig('novalue')).toThrow(/must be in the format "key=val"/);
  });

  it('describes broker configs and names unsupported entity types', async () => {
    const r = await run(configs, '--describe --entity-type brokers --entity-name 1 --bootstrap-server localhost:9092');
    expect(r.out).toBe('Dynamic configs for broker 1 are:\n');
    const users = await run(configs, '--describe --entity-type users --bootstrap-server localhost:9092');
    expect(users.code).toBe(1);
    expect(users.err).toMatch(/not supported by Stream Workbench/);
  });
});

describe('kafka-console-producer', () => {
  it('sends stdin lines, parsing keys with the separator property', async () => {
    stub.createTopic('t', 1);
    const r = await run(consoleProducer, '--bootstrap-server localhost:9092 --topic t --property parse.key=true --property key.separator=: --producer-property acks=all', 'k1:v1\nk2:v:2\n');
    expect(r).toEqual({ code: 0, out: '', err: '' });
    const records = await decodeRecords(Buffer.concat(stub.topics.get('t')!.partitions[0]!.batches));
    expect(records.map((x) => [x.key!.toString(), x.value!.toString()])).toEqual([
      ['k1', 'v1'],
      ['k2', 'v:2'],
    ]);
  });

  it('stops at a line without the key separator with Kafka’s message, after sending the lines before it', async () => {
    stub.createTopic('t', 1);
    const r = await run(consoleProducer, '--bootstrap-server localhost:9092 --topic t --property parse.key=true --property key.separator=: --compression-codec', 'a:1\nhhh\n');
    expect(r.code).toBe(1);
    expect(r.err).toBe("org.apache.kafka.common.KafkaException: No key separator found on line number 2: 'hhh'\n");
    expect(stub.topics.get('t')!.partitions[0]!.batches).toHaveLength(1);
  });

  it('reads lines like BufferedReader and headers like LineMessageReader', async () => {
    const lines: string[] = [];
    for await (const l of readLines(Readable.from([Buffer.from('a\r\nb'), Buffer.from('\nc\rd')]))) lines.push(l);
    expect(lines).toEqual(['a', 'b', 'c', 'd']);
    const cfg = lineReaderConfig(new Map([['parse.headers', 'true'], ['parse.key', 'true']]));
    expect(parseLine('h1:v1,h2:v2\tkey\tvalue', 1, cfg)).toEqual({ key: 'key', value: 'value', headers: [{ key: 'h1', value: 'v1' }, { key: 'h2', value: 'v2' }] });
  });
});

describe('kafka-console-consumer', () => {
  it('prints values from the beginning and stops at --max-messages with the processed count', async () => {
    stub.createTopic('t', 1);
    await run(consoleProducer, '--bootstrap-server localhost:9092 --topic t --property parse.key=true --property key.separator=:', 'a:1\nb:2\nc:3\n');
    const r = await run(consoleConsumer, '--bootstrap-server localhost:9092 --topic t --from-beginning --max-messages 2 --property print.key=true --property print.offset=true');
    expect(r).toEqual({ code: 0, out: 'Offset:0\ta\t1\nOffset:1\tb\t2\n', err: 'Processed a total of 2 messages\n' });
  });

  it('reads one partition from an offset and exits after --timeout-ms without new records', async () => {
    stub.createTopic('t', 2);
    await run(consoleProducer, '--bootstrap-server localhost:9092 --topic t', 'x\ny\nz\n');
    const p = stub.topics.get('t')!.partitions.findIndex((x) => x.nextOffset === 3);
    const r = await run(consoleConsumer, `--bootstrap-server localhost:9092 --topic t --partition ${p} --offset 1 --timeout-ms 300`);
    expect(r.code).toBe(0);
    expect(r.out).toBe('y\nz\n');
    expect(r.err).toMatch(/TimeoutException\nProcessed a total of 2 messages\n$/);
  });

  it('stops on Ctrl-C and reports the count', async () => {
    stub.createTopic('t', 1);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await run(consoleConsumer, '--bootstrap-server localhost:9092 --topic t --group g1', '', ac.signal);
    expect(r).toEqual({ code: 0, out: '', err: 'Processed a total of 0 messages\n' });
  });

  it('formats records as the DefaultMessageFormatter does', () => {
    const f = formatterConfig(new Map([['print.timestamp', 'true'], ['print.partition', 'true'], ['print.headers', 'true'], ['print.key', 'true']]));
    const rec = { topic: 't', partition: 2, offset: 7, timestampMs: 1000, timestampType: 'CreateTime' as const, key: null, value: Buffer.from('v'), headers: [{ key: 'h', value: Buffer.from('x') }], leaderEpoch: 0 };
    expect(formatRecord(rec, f).toString()).toBe('CreateTime:1000\tPartition:2\th:x\tnull\tv\n');
  });

  it('refuses --offset without --partition with Kafka’s message', async () => {
    const r = await run(consoleConsumer, '--bootstrap-server localhost:9092 --topic t --offset 3');
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toBe('The partition is required when offset is specified.');
  });
});

describe('kafka-consumer-groups', () => {
  async function groupWithCommits(): Promise<void> {
    stub.createTopic('orders', 2);
    await run(consoleProducer, '--bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=:', 'a:1\nb:2\nc:3\nd:4\n');
    const c = new Consumer({ bootstrapServers: stub.bootstrap, groupId: 'app', autoOffsetReset: 'earliest', heartbeatIntervalMs: 50 });
    c.subscribe(['orders']);
    let n = 0;
    while (n < 2) n += (await c.poll(200)).length;
    await c.commit();
    await c.close();
  }

  it('lists and describes a group with lag, announcing that it has no active members', async () => {
    await groupWithCommits();
    expect((await run(groups, '--list --bootstrap-server localhost:9092')).out).toBe('app\n');
    const r = await run(groups, '--describe --group app --bootstrap-server localhost:9092');
    expect(r.code).toBe(0);
    expect(r.err).toBe("\nConsumer group 'app' has no active members.\n");
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1]).toBe('GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID');
    expect(lines.slice(2, 4).every((l) => /^app {13}orders {10}[01] {10}\d+ +\d+ +\d+ +- +- +-$/.test(l))).toBe(true);
  });

  it('resets offsets to earliest (dry run by default, with Kafka’s warning) and deletes the group', async () => {
    await groupWithCommits();
    const dry = await run(groups, '--reset-offsets --group app --topic orders --to-earliest --bootstrap-server localhost:9092');
    expect(dry.out.startsWith('WARN: No action will be performed as the --execute option is missing.')).toBe(true);
    expect(dry.out).toContain('\nGROUP           TOPIC           PARTITION  NEW-OFFSET\napp             orders          0          0\napp             orders          1          0\n');
    expect(stub.groups.get('app')!.offsets.get('orders:0')).not.toBe(0);
    const exec = await run(groups, '--reset-offsets --group app --all-topics --to-offset 1 --execute --bootstrap-server localhost:9092');
    expect(exec.code).toBe(0);
    expect(stub.groups.get('app')!.offsets.get('orders:0')).toBe(1);
    const del = await run(groups, '--delete --group app --bootstrap-server localhost:9092');
    expect(del.out).toBe("Deletion of requested consumer groups ('app') was successful.\n");
  });

  it('says so when a group does not exist', async () => {
    const r = await run(groups, '--describe --group ghost --bootstrap-server localhost:9092');
    expect(r.out).toBe("\nError: Consumer group 'ghost' does not exist.\n");
  });

  it('formats the offsets table with Kafka’s column widths', () => {
    const text = formatOffsetsTable([{ group: 'g', topic: 'a-rather-long-topic-name', partition: 0, offset: 5, logEndOffset: 9, consumerId: 'consumer-1', host: '/127.0.0.1', clientId: 'c' }]);
    expect(text).toBe(
      '\nGROUP           TOPIC                    PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID' +
        '\ng               a-rather-long-topic-name 0          5               9               4               consumer-1      /127.0.0.1      c\n',
    );
    expect(parseDurationMs('P1DT2H3M4S')).toBe(((24 + 2) * 3600 + 3 * 60 + 4) * 1000);
  });
});
