/**
 * DescribeLogDirs over real TCP with the engine's admin client: each broker names its own
 * data folder, every replica it holds with the bytes of its segment files on disk, the
 * disk's size (v4), and a follower still catching up shows how many offsets it is behind;
 * the contract's describeLogDirs (the Cluster view's table) agrees with the wire.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogDirsView } from '../../../engine/api/contract';
import { dispatch } from '../../../engine/api/dispatch';
import { brokerDataDir } from '../../../engine/brokers';
import { Admin } from '../../../engine/client/admin';
import { Engine } from '../../../engine/engine';
import { SeededRandom } from '../../../engine/util/random';
import { threeFreePorts } from '../../support/ports';

let engine: Engine;
let admin: Admin;
let dir: string;

function partitionState(topic: string, partition = 0) {
  return engine.cluster.latestImage()!.topics.get(topic)!.partitions[partition];
}

/** Bytes of the segment files of one replica, as the file system reports them. */
function segmentBytesOnDisk(brokerId: number, topic: string, partition: number): number {
  const folder = path.join(brokerDataDir(dir, brokerId), `${topic}-${partition}`);
  return fs.readdirSync(folder).filter((f) => f.endsWith('.log')).reduce((sum, f) => sum + fs.statSync(path.join(folder, f)).size, 0);
}

async function waitUntil(pred: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-logdirs-'));
  const port = await threeFreePorts();
  engine = new Engine({
    dataDir: dir, basePort: port, listen: true, random: new SeededRandom(5),
    // One batch per follower fetch, so a follower that was away catches up in many steps.
    clusterConfig: { brokerHeartbeatIntervalMs: 50, brokerSessionTimeoutMs: 600, replicaFetchWaitMaxMs: 100, metadataFetchWaitMs: 200, replicaFetchMaxBytes: 1 },
  });
  await engine.listenersSettled();
  admin = new Admin({ bootstrapServers: [`127.0.0.1:${port}`], retryBackoffMs: 20, defaultApiTimeoutMs: 10_000 });
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await engine?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('DescribeLogDirs', () => {
  it('names each broker’s data folder and sizes every replica as its segment files on disk', async () => {
    await dispatch(engine.commands, 'createTopic', { name: 'sized', partitions: 2, replicationFactor: 3 });
    for (let i = 0; i < 20; i++) await dispatch(engine.commands, 'produce', { topic: 'sized', partition: i % 2, key: null, value: `record ${i} `.repeat(10), acks: -1 });
    const answers = await admin.describeLogDirs(null, ['sized']);
    expect(answers.map((a) => a.brokerId)).toEqual([1, 2, 3]);
    for (const a of answers) {
      expect(a.error).toBeNull();
      expect(a.logDirs).toHaveLength(1);
      const d = a.logDirs[0];
      expect(d.logDir).toBe(brokerDataDir(dir, a.brokerId));
      expect(d.totalBytes).toBeGreaterThan(0);
      expect(d.usableBytes).toBeGreaterThan(0);
      expect(d.usableBytes).toBeLessThanOrEqual(d.totalBytes);
      expect(d.replicas.map((r) => `${r.topic}-${r.partition}`)).toEqual(['sized-0', 'sized-1']);
      for (const r of d.replicas) {
        expect(r.sizeBytes).toBeGreaterThan(0);
        expect(r.sizeBytes).toBe(segmentBytesOnDisk(a.brokerId, r.topic, r.partition));
        expect(r.isFuture).toBe(false);
        if (partitionState('sized', r.partition).leader === a.brokerId) expect(r.offsetLag).toBe(0);
      }
    }
  }, 60_000);

  it('a follower that was stopped shows its lag while it catches up, then none', async () => {
    await dispatch(engine.commands, 'createTopic', { name: 'behind', partitions: 1, replicationFactor: 3 });
    await waitUntil(() => partitionState('behind').isr.length === 3);
    const leader = partitionState('behind').leader;
    const follower = partitionState('behind').replicas.find((b) => b !== leader)!;
    await dispatch(engine.commands, 'stopBroker', { brokerId: follower });
    const records = 300;
    const value = 'x'.repeat(32_768);
    for (let i = 0; i < records; i++) await dispatch(engine.commands, 'produce', { topic: 'behind', partition: 0, key: null, value, acks: 1 });
    await dispatch(engine.commands, 'restartBroker', { brokerId: follower });

    const lags: number[] = [];
    const replicaOn = async (brokerId: number) => {
      const [a] = await admin.describeLogDirs([brokerId], ['behind']);
      return a.logDirs[0]?.replicas.find((r) => r.topic === 'behind');
    };
    await waitUntil(async () => {
      const r = await replicaOn(follower);
      if (r) lags.push(r.offsetLag);
      return r !== undefined && r.offsetLag > 0;
    });
    expect(Math.max(...lags)).toBeLessThanOrEqual(records);

    await waitUntil(async () => (await replicaOn(follower))?.offsetLag === 0 && partitionState('behind').isr.includes(follower));
    const onLeader = await replicaOn(leader);
    const onFollower = await replicaOn(follower);
    expect(onLeader?.offsetLag).toBe(0);
    expect(onFollower?.sizeBytes).toBe(onLeader?.sizeBytes);
  }, 90_000);

  it('the contract’s describeLogDirs gives the Cluster view the same replicas, largest first, and refuses a broker that does not exist', async () => {
    const view = (await dispatch(engine.commands, 'describeLogDirs', { brokerId: 2 })) as LogDirsView;
    const [wire] = await admin.describeLogDirs([2], null);
    expect(view.logDir).toBe(brokerDataDir(dir, 2));
    expect(view.online).toBe(true);
    const bySize = [...view.replicas].sort((a, b) => b.sizeBytes - a.sizeBytes);
    expect(view.replicas).toEqual(bySize);
    expect(view.replicas.map((r) => `${r.topic}-${r.partition}`).sort()).toEqual(wire.logDirs[0].replicas.map((r) => `${r.topic}-${r.partition}`).sort());
    expect(view.totalBytes).toBe(view.replicas.reduce((s, r) => s + r.sizeBytes, 0));
    const card = engine.snapshot().brokers.find((b) => b.id === 2)!;
    expect(card.replicaBytes).toBe(view.totalBytes);
    await expect(dispatch(engine.commands, 'describeLogDirs', { brokerId: 9 })).rejects.toThrow('There is no broker 9');
  });
});
