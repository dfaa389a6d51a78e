/**
 * DescribeLogDirs from a client that is not ours: @platformatic/kafka's admin asks every
 * broker of the workbench (`serve`) with DescribeLogDirs v4 and must get each broker's
 * data folder, the bytes of each replica's segment files as they are on disk, and the
 * disk's total and usable bytes. (kafkajs, kafka-python 2.0 and confluent-kafka have no
 * DescribeLogDirs call.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Admin, Producer, connectionsApiChannel, stringSerializers } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../engine/protocol';
import { built, serve, type Served } from './serve';

let server: Served;
const answered = new Set<number>();
const onEnd = (event: unknown) => {
  const { apiKey, apiVersion } = event as { apiKey: number; apiVersion: number };
  if (apiKey === ApiKey.DescribeLogDirs) answered.add(apiVersion);
};

function segmentBytesOnDisk(folder: string): number {
  return fs.readdirSync(folder).filter((f) => f.endsWith('.log')).reduce((sum, f) => sum + fs.statSync(path.join(folder, f)).size, 0);
}

describe.skipIf(!built())('@platformatic/kafka describeLogDirs', () => {
  beforeAll(async () => {
    server = await serve();
    connectionsApiChannel.end.subscribe(onEnd);
  }, 60_000);

  afterAll(async () => {
    connectionsApiChannel.end.unsubscribe(onEnd);
    await server?.stop();
  });

  it('gets every broker’s log dir with its replicas’ sizes on disk and the disk’s space (v4)', async () => {
    const bootstrapBrokers = server.bootstrap.split(',');
    const retrying = { retries: 20, retryDelay: 250 };
    const topic = 'dir-sizes';
    const admin = new Admin({ clientId: 'logdirs-admin', bootstrapBrokers, ...retrying });
    try {
      await admin.createTopics({ topics: [topic], partitions: 2, replicas: 3 });
      const producer = new Producer({ clientId: 'logdirs-producer', bootstrapBrokers, serializers: stringSerializers, acks: -1, ...retrying });
      await producer.send({ messages: Array.from({ length: 40 }, (_, i) => ({ topic, key: `k${i}`, value: `value ${i}`.repeat(20) })) });
      await producer.close();

      const brokers = await admin.describeLogDirs({ topics: [{ name: topic, partitions: [0, 1] }] });
      expect(brokers.map((b) => b.broker).sort()).toEqual([1, 2, 3]);
      let total = 0;
      for (const b of brokers) {
        expect(b.results).toHaveLength(1);
        const [dir] = b.results;
        expect(dir.logDir).toBe(path.join(server.dataDir, `broker-${b.broker}`));
        expect(dir.totalBytes).toBeGreaterThan(0n);
        expect(dir.usableBytes).toBeGreaterThan(0n);
        expect(dir.topics.map((t) => t.name)).toEqual([topic]);
        expect(dir.topics[0].partitions.map((p) => p.partitionIndex)).toEqual([0, 1]);
        for (const p of dir.topics[0].partitions) {
          expect(Number(p.partitionSize)).toBe(segmentBytesOnDisk(path.join(dir.logDir, `${topic}-${p.partitionIndex}`)));
          expect(p.isFutureKey).toBe(false);
          total += Number(p.partitionSize);
        }
      }
      expect(total).toBeGreaterThan(0);
      expect([...answered]).toEqual([4]);
    } finally {
      await admin.close();
    }
  }, 90_000);
});
