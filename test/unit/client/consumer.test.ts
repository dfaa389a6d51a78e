/**
 * The consumer against the stub broker: manual assign + seek, auto.offset.reset, long
 * polling, every codec decoded, the group join/sync/heartbeat/leave sequence with the
 * member-id-required round trip, rebalancing between two members with the range
 * assignor, commits refused once the group left their poll's generation, group requests
 * on their own connection, and committed offsets picked up by the next member.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Consumer, type ConsumerRecord } from '../../../engine/client/consumer';
import { Producer } from '../../../engine/client/producer';
import { ApiKey } from '../../../engine/protocol/registry';
import { buildBatch } from '../../../engine/storage/record-batch';
import { StubCluster } from './stub-broker';

let stub: StubCluster;
const closers: (() => Promise<void>)[] = [];

function consumer(config: Partial<ConstructorParameters<typeof Consumer>[0]> = {}): Consumer {
  const c = new Consumer({ bootstrapServers: stub.bootstrap, retryBackoffMs: 20, fetchMaxWaitMs: 100, heartbeatIntervalMs: 50, ...config });
  closers.push(() => c.close());
  return c;
}

async function pollUntil(c: Consumer, count: number, timeoutMs = 5000): Promise<ConsumerRecord[]> {
  const out: ConsumerRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) out.push(...(await c.poll(200)));
  return out;
}

async function fill(topic: string, partition: number, values: string[], compression: 0 | 1 | 2 | 3 | 4 = 0): Promise<void> {
  const batch = await buildBatch({ records: values.map((v, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(v), timestampMs: 1000 + i })), compression });
  stub.append(topic, partition, batch);
}

beforeEach(async () => {
  stub = await StubCluster.start(2);
});

afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await stub.stop();
});

describe('Consumer (manual assignment)', () => {
  it('reads from a seek position, in order, with keys and timestamps', async () => {
    stub.createTopic('t', 1);
    await fill('t', 0, ['a', 'b', 'c', 'd']);
    const c = consumer();
    c.assign([{ topic: 't', partition: 0 }]);
    c.seek({ topic: 't', partition: 0 }, 2);
    const records = await pollUntil(c, 2);
    expect(records.map((r) => [r.offset, r.key!.toString(), r.value!.toString(), r.timestampMs])).toEqual([
      [2, 'k2', 'c', 1002],
      [3, 'k3', 'd', 1003],
    ]);
    expect(await c.position({ topic: 't', partition: 0 })).toBe(4);
  });

  it.each([
    ['earliest', ['a', 'b', 'c']],
    ['latest', ['c']],
  ] as const)('resets an unpositioned partition to %s', async (reset, expected) => {
    stub.createTopic('t', 1);
    await fill('t', 0, ['a', 'b']);
    const c = consumer({ autoOffsetReset: reset });
    c.assign([{ topic: 't', partition: 0 }]);
    await c.position({ topic: 't', partition: 0 });
    await fill('t', 0, ['c']);
    const records = await pollUntil(c, expected.length, 1000);
    expect(records.map((r) => r.value!.toString())).toEqual(expected);
  });

  it('long-polls: a record produced while the fetch waits arrives in that poll', async () => {
    stub.createTopic('t', 1);
    const c = consumer({ autoOffsetReset: 'earliest', fetchMaxWaitMs: 500 });
    c.assign([{ topic: 't', partition: 0 }]);
    await c.position({ topic: 't', partition: 0 });
    setTimeout(() => void fill('t', 0, ['late']), 100);
    const records = await c.poll(2000);
    expect(records.map((r) => r.value!.toString())).toEqual(['late']);
  });

  it.each([1, 2, 3, 4] as const)('decodes batches compressed with codec %i', async (codec) => {
    stub.createTopic('t', 1);
    await fill('t', 0, ['x'.repeat(100), 'y'.repeat(100)], codec);
    const c = consumer({ autoOffsetReset: 'earliest' });
    c.assign([{ topic: 't', partition: 0 }]);
    const records = await pollUntil(c, 2);
    expect(records.map((r) => r.value!.toString())).toEqual(['x'.repeat(100), 'y'.repeat(100)]);
  });

  it('reads what the producer wrote across partitions led by different brokers', async () => {
    stub.createTopic('t', 4);
    const p = new Producer({ bootstrapServers: stub.bootstrap, acks: 1 });
    closers.push(() => p.close());
    await Promise.all(Array.from({ length: 40 }, (_, i) => p.send({ topic: 't', key: `key-${i}`, value: `v${i}` })));
    const c = consumer({ autoOffsetReset: 'earliest' });
    c.assign([0, 1, 2, 3].map((partition) => ({ topic: 't', partition })));
    const records = await pollUntil(c, 40);
    expect(records.map((r) => r.value!.toString()).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `v${i}`).sort());
    const fetchBrokers = new Set(stub.requests(ApiKey.Fetch).map((s) => s.broker));
    expect(fetchBrokers).toEqual(new Set([1, 2]));
  });
});

describe('Consumer (group)', () => {
  it('joins with member id required, syncs as leader, heartbeats, commits and leaves', async () => {
    stub.createTopic('t', 2);
    await fill('t', 0, ['a']);
    await fill('t', 1, ['b']);
    const c = consumer({ groupId: 'g', autoOffsetReset: 'earliest' });
    c.subscribe(['t']);
    const records = await pollUntil(c, 2);
    expect(records.map((r) => r.value!.toString()).sort()).toEqual(['a', 'b']);
    await new Promise((r) => setTimeout(r, 150));
    await c.commit();
    await c.close();
    closers.pop();
    const groupCalls = stub.seen
      .filter((s) => [ApiKey.JoinGroup, ApiKey.SyncGroup, ApiKey.Heartbeat, ApiKey.OffsetCommit, ApiKey.LeaveGroup].includes(s.apiKey as never))
      .map((s) => s.apiKey);
    const names: Record<number, string> = { 11: 'Join', 14: 'Sync', 12: 'Heartbeat', 8: 'Commit', 13: 'Leave' };
    const sequence = groupCalls.map((k) => names[k]).filter((n, i, a) => n !== 'Heartbeat' || a[i - 1] !== 'Heartbeat');
    expect(sequence.slice(0, 4)).toEqual(['Join', 'Join', 'Sync', 'Heartbeat']);
    expect(sequence[sequence.length - 1]).toBe('Leave');
    expect(stub.requests(ApiKey.JoinGroup)[0]!.message.memberId).toBe('');
    expect(stub.requests(ApiKey.JoinGroup)[1]!.message.memberId).toMatch(/^member-/);
    expect(stub.groups.get('g')!.offsets.get('t:0')).toBe(1);
    expect(stub.groups.get('g')!.offsets.get('t:1')).toBe(1);
  });

  it('rebalances when a second member joins, splitting partitions with the range assignor', async () => {
    stub.createTopic('t', 4);
    const a = consumer({ groupId: 'g', autoOffsetReset: 'earliest' });
    a.subscribe(['t']);
    await a.poll(300);
    expect(a.assignment()).toHaveLength(4);
    const b = consumer({ groupId: 'g', autoOffsetReset: 'earliest' });
    b.subscribe(['t']);
    const bPoll = b.poll(3000);
    // a learns of the rebalance from its heartbeat and rejoins on its own.
    await bPoll;
    await expect.poll(() => [a.assignment().length, b.assignment().length], { timeout: 3000 }).toEqual([2, 2]);
    expect(a.assignment()).toHaveLength(2);
    expect(b.assignment()).toHaveLength(2);
    const all = [...a.assignment(), ...b.assignment()].map((tp) => tp.partition).sort();
    expect(all).toEqual([0, 1, 2, 3]);
    expect(stub.groups.get('g')!.protocol).toBe('range');
  });

  it('rebalances when a subscribed topic gains partitions (the leader notices in metadata)', async () => {
    const topic = stub.createTopic('t', 1);
    const c = consumer({ groupId: 'g', autoOffsetReset: 'earliest' });
    c.subscribe(['t']);
    await c.poll(300);
    expect(c.assignment()).toHaveLength(1);
    topic.partitions.push({ ...topic.partitions[0]!, batches: [], nextOffset: 0, sequences: new Map(), appendedSequences: [] });
    await c.cluster.refreshMetadata();
    await expect.poll(() => c.assignment().length, { timeout: 5000 }).toBe(2);
  });

  it('commits polled records only in the generation of their poll: after a rebalance the commit fails instead of moving the offset back', async () => {
    stub.createTopic('t', 1);
    await fill('t', 0, ['a', 'b', 'c']);
    const a = consumer({ groupId: 'g', autoOffsetReset: 'earliest', enableAutoCommit: false });
    a.subscribe(['t']);
    const records = await pollUntil(a, 3);
    expect(records).toHaveLength(3);
    const polledIn = a.group!.generationId;
    await a.commit([{ topic: 't', partition: 0, offset: 2 }]);
    expect(stub.groups.get('g')!.offsets.get('t:0')).toBe(2);
    // A second member joins; a rebalances in the background while it "processes".
    const b = consumer({ groupId: 'g', autoOffsetReset: 'earliest', enableAutoCommit: false });
    b.subscribe(['t']);
    const bPoll = b.poll(3000);
    await expect.poll(() => a.group!.generationId > polledIn && a.group!.isStable, { timeout: 5000 }).toBe(true);
    await bPoll;
    stub.group('g').offsets.set('t:0', 3); // what the partition's owner in the new generation committed meanwhile
    await expect(a.commit([{ topic: 't', partition: 0, offset: 1 }])).rejects.toThrow(/already rebalanced/);
    expect(stub.groups.get('g')!.offsets.get('t:0')).toBe(3);
  });

  it('sends group requests on a connection of their own: a commit does not wait behind a long-polling fetch', async () => {
    stub.createTopic('t', 1);
    await fill('t', 0, ['a', 'b']);
    const c = consumer({ groupId: 'g', autoOffsetReset: 'earliest', enableAutoCommit: false, fetchMaxWaitMs: 1000 });
    c.subscribe(['t']);
    expect(await pollUntil(c, 2)).toHaveLength(2);
    // Everything is read: the next fetch waits at the broker (the coordinator too) for new data.
    await expect.poll(() => stub.heldFetches, { timeout: 3000 }).toBeGreaterThan(0);
    await c.commit([{ topic: 't', partition: 0, offset: 2 }]);
    expect(stub.heldFetches).toBeGreaterThan(0);
    expect(stub.groups.get('g')!.offsets.get('t:0')).toBe(2);
  });

  it('starts a new member at the group committed offsets', async () => {
    stub.createTopic('t', 1);
    await fill('t', 0, ['a', 'b', 'c']);
    stub.group('g').offsets.set('t:0', 2);
    const c = consumer({ groupId: 'g', autoOffsetReset: 'earliest' });
    c.subscribe(['t']);
    const records = await pollUntil(c, 1);
    expect(records.map((r) => r.value!.toString())).toEqual(['c']);
  });
});
