import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BrokerConfigError, alterDynamicBrokerConfigs, describeBrokerConfigs, effectiveTopicDefaults, parseStaticBrokerConfigs,
  topicConfigBrokerSynonyms, type DynamicBrokerConfigs,
} from '../../../engine/cluster/broker-configs';
import { defaultClusterConfig, type ClusterConfig } from '../../../engine/cluster/config';
import type * as M from '../../../engine/cluster/messages';
import { MetadataStore } from '../../../engine/cluster/metadata-store';
import { ErrorCode } from '../../../engine/protocol/errors';
import { makeCluster } from './harness';

const startWith = (pairs: [string, string][], brokerCount = 3): ClusterConfig =>
  defaultClusterConfig({ brokerCount, ...parseStaticBrokerConfigs(pairs, brokerCount) });

function refusal(fn: () => unknown): BrokerConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BrokerConfigError) return err;
    throw err;
  }
  throw new Error('expected a BrokerConfigError');
}

describe('static broker configs (--config, --config-file)', () => {
  it('set the cluster fields and the topic defaults they stand for', () => {
    const c = startWith([
      ['num.partitions', '3'], ['default.replication.factor', '2'], ['auto.create.topics.enable', 'false'],
      ['min.insync.replicas', '2'], ['message.max.bytes', '2000000'], ['log.segment.bytes', '1048576'],
      ['unclean.leader.election.enable', 'true'], ['offsets.topic.replication.factor', '1'],
      ['group.min.session.timeout.ms', '1000'], ['group.max.session.timeout.ms', '60000'],
      ['leader.imbalance.check.interval.seconds', '30'],
    ]);
    expect(c).toMatchObject({
      numPartitions: 3, defaultReplicationFactor: 2, autoCreateTopicsEnable: false, offsetsTopicReplicationFactor: 1,
      groupMinSessionTimeoutMs: 1000, groupMaxSessionTimeoutMs: 60000, leaderImbalanceCheckIntervalMs: 30_000,
    });
    expect(c.topicDefaults).toEqual({
      'min.insync.replicas': '2', 'max.message.bytes': '2000000', 'segment.bytes': '1048576', 'unclean.leader.election.enable': 'true',
    });
    expect(c.staticBrokerConfigs['num.partitions']).toBe('3');
  });

  it('take every form of log retention Kafka accepts, the finest unit winning', () => {
    expect(startWith([['log.retention.hours', '2']]).topicDefaults['retention.ms']).toBe('7200000');
    expect(startWith([['log.retention.minutes', '5']]).topicDefaults['retention.ms']).toBe('300000');
    expect(startWith([['log.retention.ms', '1234'], ['log.retention.hours', '2'], ['log.retention.minutes', '5']]).topicDefaults['retention.ms']).toBe('1234');
    expect(startWith([['log.retention.hours', '-1']]).topicDefaults['retention.ms']).toBe('-1');
    expect(startWith([['log.retention.bytes', '1000000']]).topicDefaults['retention.bytes']).toBe('1000000');
    expect(startWith([['log.roll.hours', '1']]).topicDefaults['segment.ms']).toBe('3600000');
  });

  it('refuse an unknown name, naming the nearest known one', () => {
    const e = refusal(() => parseStaticBrokerConfigs([['num.partition', '3']], 3));
    expect(e.message).toMatch(/Unknown broker config "num.partition"\. Did you mean num\.partitions\?/);
    expect(refusal(() => parseStaticBrokerConfigs([['frobnicate', '1']], 3)).message).toMatch(/Unknown broker config "frobnicate"/);
  });

  it('refuse a bad value with the valid range', () => {
    expect(refusal(() => parseStaticBrokerConfigs([['num.partitions', '0']], 3)).message).toBe('Invalid value "0" for broker config num.partitions: value must be between 1 and 10000.');
    expect(refusal(() => parseStaticBrokerConfigs([['num.partitions', 'three']], 3)).message).toMatch(/expected a whole number, between 1 and 10000/);
    expect(refusal(() => parseStaticBrokerConfigs([['default.replication.factor', '4']], 3)).message).toMatch(/between 1 and 3/);
    expect(refusal(() => parseStaticBrokerConfigs([['auto.create.topics.enable', 'yes']], 3)).message).toMatch(/expected true or false/);
    expect(refusal(() => parseStaticBrokerConfigs([['log.retention.ms', '-2']], 3)).message).toMatch(/at least -1/);
    expect(refusal(() => parseStaticBrokerConfigs([['log.segment.bytes', '10']], 3)).message).toMatch(/at least 14/);
    expect(refusal(() => parseStaticBrokerConfigs([['log.retention.check.interval.ms', '99999999999']], 3)).message).toMatch(/between 1 and 2147483647/);
  });

  it('refuse settings that contradict each other', () => {
    expect(refusal(() => parseStaticBrokerConfigs([['group.min.session.timeout.ms', '9000'], ['group.max.session.timeout.ms', '8000']], 3)).message)
      .toMatch(/group.min.session.timeout.ms \(9000\) must not be greater than group.max.session.timeout.ms \(8000\)/);
    expect(refusal(() => parseStaticBrokerConfigs([['log.cleaner.min.compaction.lag.ms', '10'], ['log.cleaner.max.compaction.lag.ms', '5']], 3)).message)
      .toMatch(/contradict/);
  });
});

describe('dynamic broker configs', () => {
  const config = startWith([['log.retention.hours', '48'], ['num.partitions', '3']]);
  const set = (key: string, value: string): M.ConfigOp => ({ key, op: 'set', value });

  it('set a cluster-wide default and a per-broker value that wins over it on its broker', () => {
    const d1 = alterDynamicBrokerConfigs(config, {}, '', 'incremental', [set('log.retention.ms', '60000'), set('min.insync.replicas', '2')]);
    expect(d1).toEqual({ 'log.retention.ms': '60000', 'min.insync.replicas': '2' });
    const dynamic: DynamicBrokerConfigs = { '': d1, '2': alterDynamicBrokerConfigs(config, { '': d1 }, '2', 'incremental', [set('log.retention.ms', '1000')]) };
    expect(effectiveTopicDefaults(config, dynamic, 1)['retention.ms']).toBe('60000');
    expect(effectiveTopicDefaults(config, dynamic, 2)['retention.ms']).toBe('1000');
    expect(effectiveTopicDefaults(config, {}, 1)['retention.ms']).toBe(String(48 * 3_600_000));
  });

  it('delete, append and subtract as IncrementalAlterConfigs does; AlterConfigs replaces the whole set', () => {
    const base = { '': { 'log.retention.ms': '60000', 'log.segment.bytes': '100000' } };
    expect(alterDynamicBrokerConfigs(config, base, '', 'incremental', [{ key: 'log.retention.ms', op: 'delete', value: null }])).toEqual({ 'log.segment.bytes': '100000' });
    expect(alterDynamicBrokerConfigs(config, base, '', 'replace', [set('log.retention.ms', '5')])).toEqual({ 'log.retention.ms': '5' });
    expect(alterDynamicBrokerConfigs(config, {}, '', 'incremental', [{ key: 'log.cleanup.policy', op: 'append', value: 'compact' }])).toEqual({ 'log.cleanup.policy': 'delete,compact' });
  });

  it('refuse read-only configs with INVALID_REQUEST and bad values with INVALID_CONFIG and the valid range', () => {
    const ro = refusal(() => alterDynamicBrokerConfigs(config, {}, '', 'incremental', [set('num.partitions', '5')]));
    expect(ro.code).toBe('INVALID_REQUEST');
    expect(ro.message).toMatch(/Cannot update these configs dynamically: num.partitions/);
    const bad = refusal(() => alterDynamicBrokerConfigs(config, {}, '', 'incremental', [set('log.retention.ms', 'soon')]));
    expect(bad.code).toBe('INVALID_CONFIG');
    expect(bad.message).toMatch(/expected a whole number, at least -1/);
    expect(refusal(() => alterDynamicBrokerConfigs(config, {}, '', 'incremental', [set('min.insync.replicas', '0')])).message).toMatch(/at least 1/);
    expect(refusal(() => alterDynamicBrokerConfigs(config, {}, '', 'incremental', [set('no.such.config', '1')])).code).toBe('INVALID_CONFIG');
    expect(refusal(() => alterDynamicBrokerConfigs(config, {}, '', 'incremental', [{ key: 'log.retention.ms', op: 'append', value: '1' }])).message).toMatch(/not a list/);
  });

  it('describe each config with its value in effect, its source and Kafka\'s synonyms, highest precedence first', () => {
    const dynamic: DynamicBrokerConfigs = { '': { 'log.retention.ms': '60000' }, '1': { 'log.segment.bytes': '200000' } };
    const byName = (resource: string) => new Map(describeBrokerConfigs(config, dynamic, resource).map((e) => [e.name, e]));
    const b1 = byName('1');
    expect(b1.get('log.retention.ms')).toMatchObject({
      value: '60000', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG', mode: 'cluster-wide',
      synonyms: [
        { name: 'log.retention.ms', value: '60000', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' },
        { name: 'log.retention.hours', value: '48', source: 'STATIC_BROKER_CONFIG' },
        { name: 'log.retention.hours', value: '168', source: 'DEFAULT_CONFIG' },
      ],
    });
    expect(b1.get('log.segment.bytes')).toMatchObject({ value: '200000', source: 'DYNAMIC_BROKER_CONFIG' });
    expect(b1.get('num.partitions')).toMatchObject({ value: '3', source: 'STATIC_BROKER_CONFIG', mode: 'read-only' });
    expect(b1.get('default.replication.factor')).toMatchObject({ value: '3', source: 'DEFAULT_CONFIG' });
    expect(byName('2').get('log.segment.bytes')).toMatchObject({ value: '1073741824', source: 'DEFAULT_CONFIG' });
    // The default resource lists only the dynamic defaults that are set.
    expect([...byName('').keys()]).toEqual(['log.retention.ms']);
    expect(topicConfigBrokerSynonyms(config, dynamic, 2, 'retention.ms')[0]).toEqual({ name: 'log.retention.ms', value: '60000', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
  });
});

describe('dynamic broker defaults in a running cluster', () => {
  it('take effect without a restart: a topic without its own retention loses old segments under the new default', () => {
    const t = makeCluster({ config: { topicDefaults: { 'segment.bytes': '200' } } });
    t.createTopic('events', 1, 3);
    for (let i = 0; i < 10; i++) t.produce('events', 0, [`record-${i}-${'x'.repeat(100)}`]);
    t.run(t.config.logRetentionCheckIntervalMs * 2);
    const leader = () => t.cluster.broker(t.leaderOf('events', 0)).replicaManager!.partition('events', 0)!;
    expect(leader().log.logStartOffset).toBe(0);

    let res: M.AlterBrokerConfigsResponse | null = null;
    t.cluster.activeController()!.controllerRequest<M.AlterBrokerConfigsResponse>(
      { type: 'alter-broker-configs', mode: 'incremental', validateOnly: false, resources: [{ resource: '', ops: [{ key: 'log.retention.ms', op: 'set', value: '1' }] }] },
      (r) => (res = r),
    );
    t.runUntil(() => res !== null);
    expect(res!.results).toEqual([{ resource: '', errorCode: ErrorCode.NONE, errorMessage: null }]);
    t.runUntil(() => leader().log.logStartOffset > 0, 30_000);
    expect(t.cluster.brokers.every((b) => b.topicConfig('events') && b.topicDefaults['retention.ms'] === '1')).toBe(true);
  });

  it('unclean.leader.election.enable set as a dynamic default elects a leader for an offline partition at once', () => {
    const t = makeCluster();
    t.createTopic('payments', 1, 2);
    const p = () => t.cluster.latestImage()!.topics.get('payments')!.partitions[0];
    const leader = p().leader;
    const follower = p().replicas.find((b) => b !== leader)!;
    // The follower falls out of the ISR while cut off, then the leader dies: offline.
    t.cluster.cut(follower);
    t.produce('payments', 0, ['while the follower is away'], 1);
    t.runUntil(() => !p().isr.includes(follower), 60_000);
    t.cluster.kill(leader);
    t.cluster.heal(follower);
    t.runUntil(() => p().leader === -1, 30_000);
    t.run(5_000);
    expect(p().leader).toBe(-1);

    let res: M.AlterBrokerConfigsResponse | null = null;
    t.cluster.activeController()!.controllerRequest<M.AlterBrokerConfigsResponse>(
      { type: 'alter-broker-configs', mode: 'incremental', validateOnly: false, resources: [{ resource: '', ops: [{ key: 'unclean.leader.election.enable', op: 'set', value: 'true' }] }] },
      (r) => (res = r),
    );
    t.runUntil(() => res !== null);
    expect(res!.results[0].errorCode).toBe(ErrorCode.NONE);
    t.runUntil(() => p().leader === follower, 10_000);
  });

  it('refuse a read-only config and change nothing', () => {
    const t = makeCluster();
    t.runUntil(() => t.cluster.activeController() !== null);
    let res: M.AlterBrokerConfigsResponse | null = null;
    t.cluster.activeController()!.controllerRequest<M.AlterBrokerConfigsResponse>(
      { type: 'alter-broker-configs', mode: 'incremental', validateOnly: false, resources: [{ resource: '', ops: [{ key: 'log.retention.ms', op: 'set', value: '5' }, { key: 'num.partitions', op: 'set', value: '4' }] }] },
      (r) => (res = r),
    );
    t.runUntil(() => res !== null);
    expect(res!.results[0].errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(t.cluster.latestImage()!.brokerConfigs).toEqual({});
  });

  it('persist in the metadata store across a restart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bconf-'));
    try {
      const file = path.join(dir, 'metadata.db');
      const a = new MetadataStore({ path: file });
      a.setBrokerConfigs('', { 'log.retention.ms': '60000' });
      a.setBrokerConfigs('2', { 'log.segment.bytes': '100000' });
      a.setBrokerConfigs('', { 'log.retention.ms': '120000' });
      a.close();
      const b = new MetadataStore({ path: file });
      expect(b.listBrokerConfigs()).toEqual({ '': { 'log.retention.ms': '120000' }, '2': { 'log.segment.bytes': '100000' } });
      b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
