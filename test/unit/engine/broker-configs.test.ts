import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrokerConfigsResult } from '../../../engine/api/contract';
import { dispatch } from '../../../engine/api/dispatch';
import { parseStaticBrokerConfigs } from '../../../engine/cluster/broker-configs';
import { Engine } from '../../../engine/engine';
import { SeededRandom } from '../../../engine/util/random';

let dir: string;
const fast = { brokerHeartbeatIntervalMs: 20, brokerSessionTimeoutMs: 300, replicaFetchWaitMaxMs: 50, metadataFetchWaitMs: 100 };
const engines: Engine[] = [];
const open = (): Engine => {
  const e = new Engine({ dataDir: dir, random: new SeededRandom(1), clusterConfig: { ...fast, ...parseStaticBrokerConfigs([['num.partitions', '3']], 3) } });
  engines.push(e);
  return e;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bconf-engine-'));
});

afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const entry = async (e: Engine, brokerId: number, name: string) =>
  ((await dispatch(e.commands, 'describeBrokerConfigs', { brokerId })) as BrokerConfigsResult).entries.find((x) => x.name === name)!;

describe('broker configs through the contract', () => {
  it('describes each config with its source, sets a cluster-wide default every broker uses, and keeps it across a restart', async () => {
    let e = open();
    expect(await entry(e, 1, 'num.partitions')).toMatchObject({ value: '3', source: 'STATIC_BROKER_CONFIG', mode: 'read-only' });
    expect(await entry(e, 1, 'min.insync.replicas')).toMatchObject({ value: '1', source: 'DEFAULT_CONFIG', mode: 'cluster-wide' });
    await expect(dispatch(e.commands, 'alterBrokerDefaultConfigs', { set: { 'min.insync.replicas': '2' } })).resolves.toEqual({ validateOnly: false, defaults: { 'min.insync.replicas': '2' } });
    for (const id of [1, 2, 3]) expect(await entry(e, id, 'min.insync.replicas')).toMatchObject({ value: '2', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
    // A topic without its own min.insync.replicas now needs 2 in-sync replicas for acks=all.
    await dispatch(e.commands, 'createTopic', { name: 'orders', partitions: 1, replicationFactor: 3 });
    const configs = (await dispatch(e.commands, 'describeTopicConfigs', { topic: 'orders' })) as { entries: { name: string; value: string; source: string }[] };
    expect(configs.entries.find((c) => c.name === 'min.insync.replicas')).toMatchObject({ value: '2', source: 'broker' });
    await e.close();
    engines.length = 0;
    e = open();
    expect(await entry(e, 2, 'min.insync.replicas')).toMatchObject({ value: '2', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
    await dispatch(e.commands, 'alterBrokerDefaultConfigs', { reset: ['min.insync.replicas'] });
    expect(await entry(e, 2, 'min.insync.replicas')).toMatchObject({ value: '1', source: 'DEFAULT_CONFIG' });
  });

  it('refuses nonsense with the valid range next to its field, a read-only config, and validateOnly changes nothing', async () => {
    const e = open();
    await expect(dispatch(e.commands, 'alterBrokerDefaultConfigs', { set: { 'log.retention.ms': 'soon' } }))
      .rejects.toMatchObject({ code: 'INVALID_CONFIG', field: 'config:log.retention.ms', message: expect.stringMatching(/expected a whole number, at least -1/) });
    await expect(dispatch(e.commands, 'alterBrokerDefaultConfigs', { set: { 'num.partitions': '5' } }))
      .rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'config:num.partitions', message: expect.stringMatching(/Cannot update these configs dynamically: num.partitions/) });
    await expect(dispatch(e.commands, 'alterBrokerDefaultConfigs', { set: { 'log.retention.ms': '1000' }, validateOnly: true })).resolves.toEqual({ validateOnly: true, defaults: {} });
    expect(await entry(e, 1, 'log.retention.ms')).toMatchObject({ source: 'DEFAULT_CONFIG' });
    expect(await entry(e, 1, 'num.partitions')).toMatchObject({ value: '3' });
    await expect(dispatch(e.commands, 'describeBrokerConfigs', { brokerId: 7 })).rejects.toMatchObject({ code: 'BROKER_NOT_AVAILABLE', field: 'brokerId' });
  });
});
