import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../engine/api/errors';
import { Consumer } from '../../../engine/client';
import { threeFreePorts } from '../../support/ports';
import { openEngine, until, write, type TestEngine } from '../records/helpers';

const T0 = 1_726_401_600_000;
let t: TestEngine;
let bootstrap: string;

async function failure(p: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await p;
  } catch (err) {
    return WorkbenchError.from(err);
  }
  throw new Error('expected the call to fail');
}

const summary = (groupId: string) => t.engine.groups.snapshot().groups.find((g) => g.groupId === groupId);

beforeAll(async () => {
  const port = await threeFreePorts();
  t = openEngine({ listen: true, basePort: port });
  bootstrap = `127.0.0.1:${port}`;
  await t.engine.listenersSettled();
  await t.call('createTopic', { name: 'work', partitions: 2, replicationFactor: 2 });
  for (let p = 0; p < 2; p++) await write(t, 'work', p, Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, timestampMs: T0 + i * 1000 })));
}, 60_000);

afterAll(async () => {
  await t.close();
}, 60_000);

describe('consumer groups', () => {
  it('runs a built-in consumer as a real group member, samples its lag every second, and lets it drain', async () => {
    const c = await t.call('startConsumer', { groupId: 'slow', topic: 'work', processingDelayMs: 200 });
    expect(['starting', 'joining']).toContain(c.state);
    await until(() => summary('slow')?.state === 'Stable' && (summary('slow')?.totalLag ?? 0) > 0, 30_000, 'group slow to be Stable with lag');
    const detail = await t.call('describeGroup', { groupId: 'slow' });
    expect(detail.members).toHaveLength(1);
    expect(detail.members[0]).toMatchObject({ clientId: 'workbench-consumer-1', builtinConsumerId: c.id });
    expect(detail.members[0].assignment).toEqual([{ topic: 'work', partitions: [0, 1] }]);
    expect(detail.partitions.map((p) => p.logEndOffset)).toEqual([50, 50]);
    expect(detail.protocolType).toBe('consumer');

    // The 1 s sampler keeps history; lag falls once the consumer speeds up.
    t.engine.groups.lag.sampleNow();
    await t.call('updateConsumer', { consumerId: c.id, processingDelayMs: 0 });
    await until(() => summary('slow')?.totalLag === 0, 30_000, 'lag to drain');
    t.engine.groups.lag.sampleNow();
    const history = await t.call('groupLagHistory', { groupId: 'slow' });
    expect(history.capacity).toBeGreaterThanOrEqual(3600);
    expect(history.intervalMs).toBe(1000);
    const totals = history.totalLag.filter((x): x is number => x !== null);
    expect(Math.max(...totals)).toBeGreaterThan(0);
    expect(totals.at(-1)).toBe(0);
    expect(history.partitions.map((p) => `${p.topic}-${p.partition}`)).toEqual(['work-0', 'work-1']);
    // Only new samples after a sequence number.
    const more = await t.call('groupLagHistory', { groupId: 'slow', afterSeq: history.lastSeq });
    expect(more.timesMs).toEqual([]);
  }, 60_000);

  it('previews a reset, refuses it with Kafka\'s error while the group is active, applies it once inactive', async () => {
    const preview = await t.call('previewResetOffsets', { groupId: 'slow', topic: 'work', target: 'earliest' });
    expect(preview.rows).toEqual([
      { topic: 'work', partition: 0, currentOffset: 50, newOffset: 0, logStartOffset: 0, logEndOffset: 50 },
      { topic: 'work', partition: 1, currentOffset: 50, newOffset: 0, logStartOffset: 0, logEndOffset: 50 },
    ]);
    expect(preview.refusal).toMatch(/inactive/);
    const refused = await failure(t.call('resetOffsets', { groupId: 'slow', offsets: preview.rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.newOffset })) }));
    expect(refused.code).toBe('UNKNOWN_MEMBER_ID');
    expect(refused.kafkaCode).toBe(25);
    expect(refused.message).toMatch(/only be reset while the group is inactive/);
    expect((await t.call('describeGroup', { groupId: 'slow' })).partitions.map((p) => p.committedOffset)).toEqual([50, 50]);

    const deleteRefused = await failure(t.call('deleteGroup', { groupId: 'slow' }));
    expect(deleteRefused.code).toBe('NON_EMPTY_GROUP');

    for (const c of t.engine.groups.consumers.views()) if (c.state !== 'stopped') await t.call('stopConsumer', { consumerId: c.id });
    await until(() => summary('slow')?.state === 'Empty', 30_000, 'group to be Empty');

    const shift = await t.call('previewResetOffsets', { groupId: 'slow', topic: null, target: 'shift', shiftBy: -10 });
    expect(shift.rows.map((r) => r.newOffset)).toEqual([40, 40]);
    expect(shift.refusal).toBeNull();
    const byTime = await t.call('previewResetOffsets', { groupId: 'slow', topic: 'work', partition: 1, target: 'timestamp', timestampMs: T0 + 20_500 });
    expect(byTime.rows).toEqual([{ topic: 'work', partition: 1, currentOffset: 50, newOffset: 21, logStartOffset: 0, logEndOffset: 50 }]);
    const applied = await t.call('resetOffsets', { groupId: 'slow', offsets: shift.rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.newOffset })) });
    expect(applied.partitions).toHaveLength(2);
    const after = await t.call('describeGroup', { groupId: 'slow' });
    expect(after.partitions.map((p) => [p.committedOffset, p.lag])).toEqual([[40, 10], [40, 10]]);
  }, 60_000);

  it('refuses bad resets, changing nothing', async () => {
    expect(await failure(t.call('previewResetOffsets', { groupId: 'slow', topic: 'work', target: 'offset', offset: 51 }))).toMatchObject({ code: 'OFFSET_OUT_OF_RANGE', field: 'offset' });
    expect(await failure(t.call('previewResetOffsets', { groupId: 'slow', topic: 'work', target: 'timestamp', timestampMs: -1 }))).toMatchObject({ code: 'INVALID_TIMESTAMP' });
    expect(await failure(t.call('previewResetOffsets', { groupId: 'nobody', topic: null, target: 'latest' }))).toMatchObject({ code: 'GROUP_ID_NOT_FOUND' });
    expect(await failure(t.call('resetOffsets', { groupId: 'slow', offsets: [{ topic: 'work', partition: 0, offset: 99 }] }))).toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    expect((await t.call('describeGroup', { groupId: 'slow' })).partitions.map((p) => p.committedOffset)).toEqual([40, 40]);
  });

  it('shows a consumer of the user\'s own (over the wire) like a built-in one, and rebalances with a second member', async () => {
    const own = new Consumer({ bootstrapServers: bootstrap, clientId: 'my-app', groupId: 'mixed', autoOffsetReset: 'earliest', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 500 });
    own.subscribe(['work']);
    const polling = (async () => {
      for (let i = 0; i < 200; i++) {
        try {
          await own.poll(100);
        } catch {
          return;
        }
      }
    })();
    try {
      await until(async () => summary('mixed')?.state === 'Stable', 30_000, 'own consumer to join');
      const builtin = await t.call('startConsumer', { groupId: 'mixed', topic: 'work', processingDelayMs: 0 });
      await until(async () => {
        const d = await t.call('describeGroup', { groupId: 'mixed' });
        return d.state === 'Stable' && d.members.length === 2 && d.members.every((m) => m.assignment.length === 1);
      }, 30_000, 'rebalance to two members');
      const d = await t.call('describeGroup', { groupId: 'mixed' });
      expect(d.members.map((m) => m.clientId).sort()).toEqual(['my-app', 'workbench-consumer-2']);
      expect(d.members.find((m) => m.clientId === 'my-app')!.builtinConsumerId).toBeNull();
      expect(d.members.find((m) => m.clientId !== 'my-app')!.builtinConsumerId).toBe(builtin.id);
      await t.call('stopConsumer', { consumerId: builtin.id });
    } finally {
      await own.close();
      await polling;
    }
  }, 60_000);

  it('starts a built-in consumer of a new group at the end when asked (auto.offset.reset=latest)', async () => {
    const c = await t.call('startConsumer', { groupId: 'newest', topic: 'work', processingDelayMs: 0, autoOffsetReset: 'latest' });
    expect(c.autoOffsetReset).toBe('latest');
    const view = () => t.engine.groups.consumers.views().find((x) => x.id === c.id)!;
    await until(() => view().state === 'consuming', 30_000, 'the consumer to join and poll');
    // Write one record at a time until it reads one (the first may come before it found the end).
    let written = 0;
    for (; written < 10 && view().processed === 0; written++) {
      await write(t, 'work', 0, [{ key: 'late', value: `after it joined ${written}`, timestampMs: T0 + 100_000 + written }]);
      await until(() => view().processed > 0, 1000).catch(() => undefined);
    }
    // Only records written after it joined, none of the 100 written before.
    expect(view().processed).toBeGreaterThan(0);
    expect(view().processed).toBeLessThanOrEqual(written);
    await t.call('stopConsumer', { consumerId: c.id });
  }, 60_000);

  it('deletes an inactive group and forgets its lag history', async () => {
    await t.call('deleteGroup', { groupId: 'slow' });
    expect(summary('slow')).toBeUndefined();
    expect(await failure(t.call('describeGroup', { groupId: 'slow' }))).toMatchObject({ code: 'GROUP_ID_NOT_FOUND' });
    expect(await failure(t.call('deleteGroup', { groupId: 'slow' }))).toMatchObject({ code: 'GROUP_ID_NOT_FOUND' });
  });
});
