import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../engine/protocol/errors';
import { makeCluster } from './harness';
import { buildBatchSync } from '../../../engine/storage/record-batch';

describe('cluster: startup and metadata', () => {
  it('elects the lowest live broker as controller and every broker learns the image', () => {
    const t = makeCluster();
    t.runUntil(() => t.cluster.activeController() !== null);
    expect(t.cluster.activeController()!.id).toBe(1);
    t.createTopic('orders', 3, 3);
    for (const b of t.cluster.brokers) {
      const topic = b.image.topics.get('orders')!;
      expect(topic.partitions).toHaveLength(3);
      for (const p of topic.partitions) {
        expect(p.replicas).toHaveLength(3);
        expect([...p.isr].sort()).toEqual([1, 2, 3]);
      }
    }
  });
});

describe('cluster: replication', () => {
  it('acks=all waits for every ISR member, then all replicas agree up to the HW', () => {
    const t = makeCluster({ config: { replicaLagTimeMaxMs: 60_000 } });
    t.createTopic('t', 1, 3);
    // With one follower unable to fetch, an acks=all write is appended but not acknowledged.
    const leader0 = t.leaderOf('t', 0);
    const lagging = [1, 2, 3].find((b) => b !== leader0 && b !== t.cluster.activeController()!.id) ?? [1, 2, 3].find((b) => b !== leader0)!;
    t.cluster.network.block(`broker-${lagging}`, `broker-${leader0}`);
    let pending: unknown = null;
    const rm = t.cluster.broker(leader0).replicaManager!;

    rm.appendRecords(-1, 3000, [{ topic: 't', partition: 0, records: buildBatchSync({ records: [{ key: null, value: Buffer.from('w'), timestampMs: t.clock.nowMs() }] }) }], (r: unknown[]) => (pending = r[0]));
    t.run(1000);
    expect(pending).toBeNull();
    expect(rm.partition('t', 0)!.highWatermark).toBe(0);
    t.run(2500);
    expect((pending as { errorCode: number }).errorCode).toBe(ErrorCode.REQUEST_TIMED_OUT);
    t.cluster.network.heal();
    t.runUntil(() => rm.partition('t', 0)!.highWatermark === 1);
    const r = t.produce('t', 0, ['a', 'b', 'c'])!;
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.baseOffset).toBe(1);
    t.run(1000);
    const leader = t.leaderOf('t', 0);
    const leaderView = t.read(leader, 't', 0);
    expect(leaderView.map((x) => x.value)).toEqual(['w', 'a', 'b', 'c']);
    for (const b of [1, 2, 3]) {
      const p = t.cluster.broker(b).replicaManager!.partition('t', 0)!;
      expect(p.highWatermark).toBe(4);
      expect(t.read(b, 't', 0, 'leo')).toEqual(leaderView);
    }
  });

  it('refuses acks=all with NOT_ENOUGH_REPLICAS when the ISR is below min.insync.replicas, appending nothing', () => {
    const t = makeCluster({ config: { replicaLagTimeMaxMs: 2000 } });
    t.createTopic('t', 1, 3, { 'min.insync.replicas': '3' });
    const leader = t.leaderOf('t', 0);
    const follower = [1, 2, 3].find((b) => b !== leader)!;
    t.cluster.kill(follower);
    t.runUntil(() => t.cluster.broker(leader).replicaManager!.partition('t', 0)!.isr.length === 2);
    const leo = t.cluster.broker(leader).replicaManager!.partition('t', 0)!.logEndOffset;
    const r = t.produce('t', 0, ['x'])!;
    expect(r.errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
    expect(t.cluster.broker(leader).replicaManager!.partition('t', 0)!.logEndOffset).toBe(leo);
    // acks=1 still works
    expect(t.produce('t', 0, ['y'], 1)!.errorCode).toBe(ErrorCode.NONE);
  });

  it('moves leadership to an ISR member when the leader is killed; acknowledged records survive', () => {
    const t = makeCluster();
    t.createTopic('t', 1, 3);
    for (let i = 0; i < 10; i++) expect(t.produce('t', 0, [`v${i}`])!.errorCode).toBe(ErrorCode.NONE);
    const old = t.leaderOf('t', 0);
    const epochBefore = t.cluster.latestImage()!.topics.get('t')!.partitions[0].leaderEpoch;
    t.cluster.kill(old);
    t.runUntil(() => t.leaderOf('t', 0) !== old && t.leaderOf('t', 0) !== -1);
    const next = t.leaderOf('t', 0);
    const p = t.cluster.latestImage()!.topics.get('t')!.partitions[0];
    expect(p.leaderEpoch).toBeGreaterThan(epochBefore);
    expect(p.isr).not.toContain(old);
    t.runUntil(() => t.cluster.broker(next).replicaManager!.partition('t', 0)?.isLeader === true);
    expect(t.read(next, 't', 0, 'leo').map((x) => x.value)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    expect(t.produce('t', 0, ['after'])!.errorCode).toBe(ErrorCode.NONE);
    // The old leader returns as a follower, catches up and rejoins the ISR.
    t.cluster.restart(old);
    t.runUntil(() => (t.cluster.latestImage()!.topics.get('t')!.partitions[0].isr.length === 3), 60_000);
    t.run(500);
    expect(t.read(old, 't', 0, 'leo').map((x) => x.value)).toEqual([...Array.from({ length: 10 }, (_, i) => `v${i}`), 'after']);
  });

  it('truncates a returning leader to the new leader\'s epoch boundary (KIP-101), dropping records only it had', () => {
    const t = makeCluster({ config: { replicaLagTimeMaxMs: 1000 } });
    t.createTopic('t', 1, 3);
    expect(t.produce('t', 0, ['committed'])!.errorCode).toBe(ErrorCode.NONE);
    const old = t.leaderOf('t', 0);
    // Cut the leader off: its followers stop fetching; acks=1 writes land only on it.
    t.cluster.cut(old);
    const r = t.produce('t', 0, ['lost-1', 'lost-2'], 1)!;
    expect(r.errorCode).toBe(ErrorCode.NONE);
    t.runUntil(() => { const l = t.leaderOf('t', 0); return l !== old && l !== -1; });
    const next = t.leaderOf('t', 0);
    t.runUntil(() => t.cluster.broker(next).replicaManager!.partition('t', 0)?.isLeader === true);
    expect(t.produce('t', 0, ['new-epoch'])!.errorCode).toBe(ErrorCode.NONE);
    // Before healing, the deposed leader still holds the records only it accepted.
    expect(t.read(old, 't', 0, 'leo').map((x) => x.value)).toEqual(['committed', 'lost-1', 'lost-2']);
    t.cluster.heal(old);
    t.runUntil(() => t.cluster.latestImage()!.topics.get('t')!.partitions[0].isr.includes(old), 60_000);
    t.run(1000);
    const values = t.read(old, 't', 0, 'leo').map((x) => x.value);
    expect(values).toEqual(['committed', 'new-epoch']);
    expect(t.read(next, 't', 0, 'leo').map((x) => x.value)).toEqual(['committed', 'new-epoch']);
  });

  it('shrinks the ISR when a follower stops fetching and grows it back when it catches up', () => {
    const t = makeCluster({ config: { replicaLagTimeMaxMs: 2000 } });
    t.createTopic('t', 1, 3);
    const leader = t.leaderOf('t', 0);
    const follower = [1, 2, 3].find((b) => b !== leader && b !== t.cluster.activeController()!.id) ?? [1, 2, 3].find((b) => b !== leader)!;
    t.cluster.cut(follower);
    t.runUntil(() => !t.cluster.latestImage()!.topics.get('t')!.partitions[0].isr.includes(follower));
    expect(t.produce('t', 0, ['while-cut'])!.errorCode).toBe(ErrorCode.NONE);
    expect(t.read(follower, 't', 0, 'leo')).toEqual([]);
    t.cluster.heal(follower);
    t.runUntil(() => t.cluster.latestImage()!.topics.get('t')!.partitions[0].isr.includes(follower), 60_000);
    t.run(500);
    expect(t.read(follower, 't', 0, 'leo').map((x) => x.value)).toEqual(['while-cut']);
  });

  it('acknowledges a retried idempotent batch with its original offset and refuses an out-of-order one', () => {
    const t = makeCluster();
    t.createTopic('t', 1, 3);
    const first = t.produce('t', 0, ['a', 'b'], -1, { producerId: 7, producerEpoch: 0, baseSequence: 0 })!;
    expect(first.errorCode).toBe(ErrorCode.NONE);
    const retry = t.produce('t', 0, ['a', 'b'], -1, { producerId: 7, producerEpoch: 0, baseSequence: 0 })!;
    expect(retry.errorCode).toBe(ErrorCode.NONE);
    expect(retry.baseOffset).toBe(first.baseOffset);
    const gap = t.produce('t', 0, ['c'], -1, { producerId: 7, producerEpoch: 0, baseSequence: 5 })!;
    expect(gap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const next = t.produce('t', 0, ['c'], -1, { producerId: 7, producerEpoch: 0, baseSequence: 2 })!;
    expect(next.baseOffset).toBe(2);
    expect(t.read(t.leaderOf('t', 0), 't', 0).map((x) => x.value)).toEqual(['a', 'b', 'c']);
  });

  it('a clean stop moves leadership away first; the preferred leader returns after restart', () => {
    const t = makeCluster({ config: { leaderImbalanceCheckIntervalMs: 1000 } });
    t.createTopic('t', 3, 3);
    const img = () => t.cluster.latestImage()!.topics.get('t')!.partitions;
    const preferred = img().map((p) => p.replicas[0]);
    expect(img().map((p) => p.leader)).toEqual(preferred);
    let stopped = false;
    t.cluster.stop(2, () => (stopped = true));
    t.runUntil(() => stopped);
    expect(img().every((p) => p.leader !== 2 && p.leader !== -1)).toBe(true);
    t.cluster.restart(2);
    t.runUntil(() => img().every((p, i) => p.leader === preferred[i]), 60_000);
  });
});
