/**
 * A broker's disk fills up while an acks=all producer writes (RF 3,
 * min.insync.replicas 2). Kafka's promise must hold: every acknowledged record is on
 * at least min.insync.replicas replicas, a broker that fails keeps what it wrote, it
 * leaves the ISR at once, and once space is freed it comes back without losing
 * anything. And before the disk is full, the free-space guard refuses writes while
 * the brokers stay up.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../engine/protocol/errors';
import { PartitionLog } from '../../../engine/storage/log';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { decodeRecordsSync } from '../../../engine/storage/record-batch';
import { validateTopicConfigs } from '../../../engine/storage/topic-config';
import { ManualClock } from '../../../engine/util/clock';
import { makeCluster, type TestCluster } from './harness';

const TOPIC = 'orders';

interface Acked {
  offset: number;
  value: string;
}

/** Produces batches of 5 until `stop` holds; returns what was acknowledged and the error codes seen. */
function produceUntil(t: TestCluster, stop: () => boolean, tag: string, maxBatches = 400): { acked: Acked[]; errors: number[] } {
  const acked: Acked[] = [];
  const errors: number[] = [];
  for (let i = 0; i < maxBatches && !stop(); i++) {
    const values = Array.from({ length: 5 }, (_, j) => `${tag}-${i}-${j}-${'x'.repeat(40)}`);
    const leader = t.leaderOf(TOPIC, 0);
    if (leader < 0 || !t.cluster.broker(leader).isUp) {
      t.run(50);
      continue;
    }
    const r = t.produce(TOPIC, 0, values, -1);
    if (r && r.errorCode === ErrorCode.NONE) values.forEach((value, j) => acked.push({ offset: r.baseOffset + j, value }));
    else if (r) errors.push(r.errorCode);
    t.run(5);
  }
  return { acked, errors };
}

/** What a broker's disk holds for the partition, read the way its restart will read it. */
function recordsOnDisk(disk: MemoryStorage): Map<number, string> {
  const log = PartitionLog.open(disk, `${TOPIC}-0`, validateTopicConfigs({}), new ManualClock(0), { recoveryPoint: 0 });
  const out = new Map<number, string>();
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const r = log.read(offset, 1 << 20);
    if (r.bytesRead === 0) break;
    for (const d of decodeRecordsSync(r.batches)) if (d.offset >= offset) out.set(d.offset, d.value!.toString());
    offset = r.nextOffset;
  }
  return out;
}

function isr(t: TestCluster): readonly number[] {
  return t.cluster.latestImage()!.topics.get(TOPIC)!.partitions[0].isr;
}

describe('a disk that fills up', () => {
  it('a follower that runs out of space keeps what it wrote, leaves the ISR at once, and acks=all still means two copies', () => {
    const t = makeCluster({ seed: 7 });
    t.createTopic(TOPIC, 1, 3, { 'min.insync.replicas': '2' });
    const first = produceUntil(t, () => false, 'a', 20);
    expect(first.acked.length).toBe(100);
    const leader = t.leaderOf(TOPIC, 0);
    const [f1, f2] = [1, 2, 3].filter((id) => id !== leader);

    // Follower f1's disk fills: a few more kB, then ENOSPC.
    t.disks.get(f1)!.limitSpace(t.disks.get(f1)!.bytesUsed + 3000);
    const second = produceUntil(t, () => t.cluster.broker(f1).state === 'failed', 'b');
    const broker1 = t.cluster.broker(f1);
    expect(broker1.state).toBe('failed');
    expect(broker1.lastFailure).toMatchObject({ errno: 'ENOSPC' });
    expect(broker1.lastFailure!.path).toMatch(/^orders-0\/\d{20}\.log$/);
    // It told the quorum: out of the ISR well before a session timeout would notice.
    const failedAt = t.clock.nowMs();
    t.runUntil(() => !isr(t).includes(f1), t.config.brokerSessionTimeoutMs / 2);
    expect(t.clock.nowMs() - failedAt).toBeLessThan(t.config.brokerSessionTimeoutMs);

    // The producer goes on with two in-sync copies.
    const third = produceUntil(t, () => false, 'c', 20);
    expect(third.acked.length).toBe(100);

    // Then the second follower's disk fills too: acks=all is refused, never acknowledged on one copy.
    t.disks.get(f2)!.limitSpace(t.disks.get(f2)!.bytesUsed + 2000);
    const fourth = produceUntil(t, () => t.cluster.broker(f2).state === 'failed', 'd');
    t.runUntil(() => isr(t).length === 1);
    const refused = t.produce(TOPIC, 0, ['e-0'], -1)!;
    expect(refused.errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);

    // Every acknowledged record is on at least two replicas right now, the failed ones read from their disks.
    const acked = [...first.acked, ...second.acked, ...third.acked, ...fourth.acked];
    const replicas = new Map<number, Map<number, string>>();
    replicas.set(leader, new Map(t.read(leader, TOPIC, 0, 'leo').map((r) => [r.offset, r.value!])));
    replicas.set(f1, recordsOnDisk(t.disks.get(f1)!));
    replicas.set(f2, recordsOnDisk(t.disks.get(f2)!));
    for (const a of acked) {
      const copies = [...replicas.values()].filter((m) => m.get(a.offset) === a.value).length;
      expect(copies, `record ${a.value} at offset ${a.offset}`).toBeGreaterThanOrEqual(2);
    }

    // Space is freed, both restart, recover and catch up; nothing acknowledged is lost.
    for (const id of [f1, f2]) {
      t.disks.get(id)!.clearFaults();
      t.cluster.restart(id);
    }
    t.runUntil(() => isr(t).length === 3, 60_000);
    expect(t.cluster.broker(f1).lastFailure).toBeNull();
    for (const id of [1, 2, 3]) {
      const held = new Map(t.read(id, TOPIC, 0, 'hw').map((r) => [r.offset, r.value]));
      for (const a of acked) expect(held.get(a.offset), `broker ${id} offset ${a.offset}`).toBe(a.value);
    }
  });

  it('a leader that runs out of space answers KAFKA_STORAGE_ERROR, hands over to an ISR member and loses nothing acknowledged', () => {
    const t = makeCluster({ seed: 8 });
    t.createTopic(TOPIC, 1, 3, { 'min.insync.replicas': '2' });
    const first = produceUntil(t, () => false, 'a', 10);
    const leader = t.leaderOf(TOPIC, 0);
    t.disks.get(leader)!.limitSpace(t.disks.get(leader)!.bytesUsed + 1500);
    const second = produceUntil(t, () => t.cluster.broker(leader).state === 'failed', 'b');
    expect(second.errors).toContain(ErrorCode.KAFKA_STORAGE_ERROR);
    t.runUntil(() => t.leaderOf(TOPIC, 0) > 0 && t.leaderOf(TOPIC, 0) !== leader && !isr(t).includes(leader));
    const third = produceUntil(t, () => false, 'c', 10);
    expect(third.acked.length).toBe(50);
    const next = t.leaderOf(TOPIC, 0);
    const held = new Map(t.read(next, TOPIC, 0, 'hw').map((r) => [r.offset, r.value]));
    for (const a of [...first.acked, ...second.acked, ...third.acked]) expect(held.get(a.offset)).toBe(a.value);
  });

  it('the free-space guard refuses client writes below its threshold while the brokers stay up and reads go on; freed space lets writes resume', () => {
    const t = makeCluster({ seed: 9, config: { storageMinFreeBytes: 20_000 } });
    t.createTopic(TOPIC, 1, 3, { 'min.insync.replicas': '2', 'segment.bytes': '4096' });
    for (const d of t.disks.values()) d.limitSpace(d.bytesUsed + 40_000);
    const { acked, errors } = produceUntil(t, () => false, 'a', 200);
    expect(errors).toContain(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(acked.length).toBeGreaterThan(0);
    expect(t.cluster.brokers.every((b) => b.isUp)).toBe(true);
    const leader = t.leaderOf(TOPIC, 0);
    expect(t.cluster.broker(leader).diskGuard!.status).toMatchObject({ low: true, minFreeBytes: 20_000 });
    const refused = t.produce(TOPIC, 0, ['late'], -1)!;
    expect(refused.errorCode).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(refused.errorMessage).toMatch(/free/);
    // Readers keep reading everything acknowledged.
    const held = new Map(t.read(leader, TOPIC, 0, 'hw').map((r) => [r.offset, r.value]));
    for (const a of acked) expect(held.get(a.offset)).toBe(a.value);
    // Retention frees space (its deletions need none): writes resume by themselves.
    let lowered = false;
    t.cluster.activeController()!.controllerRequest(
      { type: 'alter-configs', mode: 'incremental', resources: [{ topic: TOPIC, ops: [{ key: 'retention.bytes', op: 'set', value: '4096' }] }], validateOnly: false },
      () => (lowered = true),
    );
    t.runUntil(() => lowered);
    t.runUntil(() => !t.cluster.broker(t.leaderOf(TOPIC, 0)).diskGuard!.refusesWrites(), 30_000);
    const resumed = t.produce(TOPIC, 0, ['after'], -1)!;
    expect(resumed.errorCode).toBe(ErrorCode.NONE);
  });

  it('when the metadata cannot be written, the controller retries instead of failing: a killed leader is replaced once space returns', () => {
    const t = makeCluster({ seed: 10 });
    t.createTopic(TOPIC, 1, 3, { 'min.insync.replicas': '2' });
    const { acked } = produceUntil(t, () => false, 'a', 5);
    const leader = t.leaderOf(TOPIC, 0);
    const store = t.cluster.quorum.store;
    store.injectWriteFailure('SQLITE_FULL');
    t.cluster.kill(leader);
    t.run(t.config.brokerSessionTimeoutMs * 2);
    // Nothing could be written: the partition still names the dead leader, and nothing threw.
    expect(t.leaderOf(TOPIC, 0)).toBe(leader);
    // A restarting broker cannot register either; it keeps trying.
    t.cluster.restart(leader);
    t.run(1000);
    expect(t.cluster.broker(leader).isUp).toBe(false);
    expect(store.lastWriteFailure?.sqliteCode).toBe('SQLITE_FULL');
    store.injectWriteFailure(null);
    t.runUntil(() => t.cluster.brokers.every((b) => b.isUp) && isr(t).length === 3, 30_000);
    expect(store.lastWriteFailure).toBeNull();
    const held = new Map(t.read(t.leaderOf(TOPIC, 0), TOPIC, 0, 'hw').map((r) => [r.offset, r.value]));
    for (const a of acked) expect(held.get(a.offset)).toBe(a.value);
  });
});
