/**
 * Broker configs with real clients against `npm run serve -- --config …`: an
 * auto-created topic gets num.partitions partitions (kafka-python), dynamic defaults
 * and per-broker values set through AlterConfigs (kafka-python, confluent-kafka, kafkajs) and
 * IncrementalAlterConfigs (the kafka-configs tool), described with their sources by
 * confluent-kafka, a read-only config refused, the defaults still there after the
 * cluster restarts, and a bad --config refusing to start with the valid range.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, PYTHON, ROOT, built, pythonHas, serve, type Served } from './serve';

const available = built() && pythonHas('kafka') && pythonHas('confluent_kafka');
if (!available) {
  if (process.env.CI) throw new Error('Broker config interop tests need the built app, python3-kafka and python3-confluent-kafka.');
  console.log('Broker config interop tests skipped: build the app and install python3-kafka python3-confluent-kafka.');
}

let server: Served;
let tmp: string;

function python(code: string): string {
  const file = path.join(tmp, `s${fs.readdirSync(tmp).length}.py`);
  fs.writeFileSync(file, code);
  const r = spawnSync(PYTHON, [file], { encoding: 'utf8', timeout: 90_000 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function kafkaConfigs(args: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'engine', 'tools', 'bin', 'kafka-configs.js'), '--bootstrap-server', server.bootstrap.split(',')[0], ...args.split(' ')], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** confluent-kafka's DescribeConfigs of one broker: name → [value, source, read-only]. */
function describeBroker(id: string): Record<string, [string | null, number, boolean]> {
  return JSON.parse(python(`
import json
from confluent_kafka.admin import AdminClient, ConfigResource
a = AdminClient({'bootstrap.servers': '${server.bootstrap}'})
for res, f in a.describe_configs([ConfigResource(ConfigResource.Type.BROKER, '${id}')]).items():
    print(json.dumps({k: [v.value, v.source, v.is_read_only] for k, v in f.result(timeout=30).items()}))
`)) as Record<string, [string | null, number, boolean]>;
}

const SOURCE = { DYNAMIC_BROKER_CONFIG: 2, DYNAMIC_DEFAULT_BROKER_CONFIG: 3, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 };

describe.skipIf(!available)('broker configs with real clients', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bconf-interop-'));
    server = await serve({ extraArgs: ['--config', 'num.partitions=3', '--config', 'log.retention.hours=48'] });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('--config num.partitions=3 gives a topic auto-created by kafka-python 3 partitions', () => {
    const out = python(`
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers='${server.bootstrap}')
p.send('auto_created_by_producer', b'hello').get(timeout=30)
print(sorted(p.partitions_for('auto_created_by_producer')))
p.close()
`);
    expect(out.trim()).toBe('[0, 1, 2]');
  }, 60_000);

  it('sets a cluster-wide default (kafka-python AlterConfigs on "") and a per-broker value (confluent-kafka), described with their sources', () => {
    const r = python(`
from kafka.admin import KafkaAdminClient, ConfigResource, ConfigResourceType
a = KafkaAdminClient(bootstrap_servers='${server.bootstrap}')
print(a.alter_configs([ConfigResource(ConfigResourceType.BROKER, '', configs={'log.retention.ms': '3600000'})]).resources[0][0])
a.close()
`);
    expect(r.trim()).toBe('0');
    python(`
from confluent_kafka.admin import AdminClient, ConfigResource
a = AdminClient({'bootstrap.servers': '${server.bootstrap}'})
for res, f in a.alter_configs([ConfigResource(ConfigResource.Type.BROKER, '2', set_config={'log.segment.bytes': '2000000'})]).items():
    f.result(timeout=30)
`);
    const b1 = describeBroker('1');
    expect(b1['log.retention.ms']).toEqual(['3600000', SOURCE.DYNAMIC_DEFAULT_BROKER_CONFIG, false]);
    expect(b1['log.retention.hours']).toEqual(['48', SOURCE.STATIC_BROKER_CONFIG, true]);
    expect(b1['num.partitions']).toEqual(['3', SOURCE.STATIC_BROKER_CONFIG, true]);
    expect(b1['log.segment.bytes']).toEqual(['1073741824', SOURCE.DEFAULT_CONFIG, false]);
    const b2 = describeBroker('2');
    expect(b2['log.segment.bytes']).toEqual(['2000000', SOURCE.DYNAMIC_BROKER_CONFIG, false]);
  }, 90_000);

  it('refuses a read-only config with INVALID_REQUEST and a bad value with the valid range', () => {
    const out = python(`
from confluent_kafka.admin import AdminClient, ConfigResource
a = AdminClient({'bootstrap.servers': '${server.bootstrap}'})
for cfg in [{'num.partitions': '5'}, {'log.retention.ms': 'soon'}]:
    for res, f in a.alter_configs([ConfigResource(ConfigResource.Type.BROKER, '1', set_config=cfg)]).items():
        try:
            f.result(timeout=30)
            print('accepted')
        except Exception as e:
            print(e.args[0].name(), e.args[0].str())
`);
    const [readOnly, bad] = out.trim().split('\n');
    expect(readOnly).toMatch(/^INVALID_REQUEST Cannot update these configs dynamically: num.partitions/);
    expect(bad).toMatch(/^INVALID_CONFIG Invalid value "soon" for broker config log.retention.ms: expected a whole number, at least -1/);
    expect(describeBroker('1')['num.partitions']).toEqual(['3', SOURCE.STATIC_BROKER_CONFIG, true]);
  }, 60_000);

  it('kafka-configs --entity-type brokers --entity-default alters (IncrementalAlterConfigs) and describes the defaults', () => {
    const alter = kafkaConfigs('--entity-type brokers --entity-default --alter --add-config min.insync.replicas=2,log.retention.ms=7200000');
    expect(alter.err).toBe('');
    expect(alter.out).toBe('Completed updating default config for brokers in the cluster.\n');
    const d = kafkaConfigs('--entity-type brokers --entity-default --describe');
    expect(d.out).toBe(
      'Default configs for brokers in the cluster are:\n' +
      '  log.retention.ms=7200000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=7200000}\n' +
      '  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=2}\n',
    );
    const b3 = kafkaConfigs('--entity-type brokers --entity-name 3 --describe --all');
    expect(b3.out).toContain('  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}\n');
    // A topic without its own retention.ms takes the dynamic default, with Kafka's synonyms.
    const topic = kafkaConfigs('--entity-type topics --entity-name auto_created_by_producer --describe --all');
    expect(topic.out).toContain('  retention.ms=7200000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=7200000, STATIC_BROKER_CONFIG:log.retention.hours=48, DEFAULT_CONFIG:log.retention.hours=168}\n');
    // One broker: --entity-name; a read-only config is refused there too.
    expect(kafkaConfigs('--entity-type brokers --entity-name 1 --alter --add-config log.flush.interval.ms=60000').out).toBe('Completed updating config for broker 1.\n');
    expect(kafkaConfigs('--entity-type brokers --entity-name 1 --describe').out).toBe(
      'Dynamic configs for broker 1 are:\n' +
      '  log.flush.interval.ms=60000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.flush.interval.ms=60000, DEFAULT_CONFIG:log.flush.interval.ms=9223372036854775807}\n',
    );
    const refused = kafkaConfigs('--entity-type brokers --entity-name 1 --alter --add-config log.cleaner.backoff.ms=1');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('InvalidRequestException: Cannot update these configs dynamically: log.cleaner.backoff.ms.');
    const del = kafkaConfigs('--entity-type brokers --entity-default --alter --delete-config log.retention.ms');
    expect(del.code).toBe(0);
    expect(describeBroker('3')['log.retention.ms']).toEqual([String(48 * 3_600_000), SOURCE.STATIC_BROKER_CONFIG, false]);
    expect(describeBroker('3')['min.insync.replicas']).toEqual(['2', SOURCE.DYNAMIC_DEFAULT_BROKER_CONFIG, false]);
  }, 90_000);

  it('kafkajs admin sets and describes a per-broker value (AlterConfigs replaces the broker\'s whole set)', async () => {
    const kafka = new Kafka({ clientId: 'bconf', brokers: server.bootstrap.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const describe2 = async () => {
      const d = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.BROKER, name: '2' }] });
      return new Map(d.resources[0].configEntries.map((e) => [e.configName, e]));
    };
    try {
      expect((await describe2()).get('log.segment.bytes')).toMatchObject({ configValue: '2000000', configSource: SOURCE.DYNAMIC_BROKER_CONFIG });
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '2', configEntries: [{ name: 'log.roll.ms', value: '600000' }] }] });
      const after = await describe2();
      expect(after.get('log.roll.ms')).toMatchObject({ configValue: '600000', configSource: SOURCE.DYNAMIC_BROKER_CONFIG, readOnly: false });
      expect(after.get('log.segment.bytes')).toMatchObject({ configValue: '1073741824', configSource: SOURCE.DEFAULT_CONFIG });
      expect(after.get('num.partitions')).toMatchObject({ configValue: '3', configSource: SOURCE.STATIC_BROKER_CONFIG, readOnly: true });
      expect(after.get('min.insync.replicas')).toMatchObject({ configValue: '2', configSource: SOURCE.DYNAMIC_DEFAULT_BROKER_CONFIG });
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('keeps the dynamic defaults when the cluster restarts', async () => {
    const dataDir = server.dataDir;
    await server.stop({ keepDataDir: true });
    server = await serve({ dataDir, extraArgs: ['--config', 'num.partitions=3'] });
    expect(describeBroker('1')['min.insync.replicas']).toEqual(['2', SOURCE.DYNAMIC_DEFAULT_BROKER_CONFIG, false]);
    expect(describeBroker('2')['log.roll.ms']).toEqual(['600000', SOURCE.DYNAMIC_BROKER_CONFIG, false]);
  }, 90_000);

  it('refuses to start on a bad --config, exiting non-zero with the valid range', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve', '--no-ui', '--data-dir', path.join(tmp, 'never'), '--config', 'num.partitions=0'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('Invalid value "0" for broker config num.partitions: value must be between 1 and 10000. The cluster did not start.\n');
    expect(fs.existsSync(path.join(tmp, 'never'))).toBe(false);
  });
});
