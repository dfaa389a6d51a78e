/**
 * Wire benchmark: the figures `npm run bench` reports for the Kafka protocol path, measured
 * with the workbench's own client (engine/client) over TCP against a running cluster at
 * `opts.bootstrap`. Records are 100 bytes (value only, no key). Topics are created by the
 * bench (names carry a timestamp) and deleted at the end.
 *
 *   wire.produce.rf1.records_per_s         3 partitions, replication factor 1, acks=1,
 *                                          960 KiB batches (under the broker's 1 MiB
 *                                          message.max.bytes), linger 5 ms    (goal ≥ 500,000)
 *   wire.produce.rf3_acksall.records_per_s 3 partitions, replication factor 3, acks=all,
 *                                          idempotent                         (goal ≥ 300,000)
 *   wire.consume.records_per_s             the rf1 topic read back from the start by one
 *                                          consumer (assign + seek)           (goal ≥ 800,000)
 *   wire.latency.p50_ms / p99_ms           produce → consume of single records sent at
 *                                          10,000 per second (acks=1, linger 0), one
 *                                          partition, time taken from the send call to the
 *                                          record coming out of poll         (goal p99 ≤ 10)
 *
 * Quick mode sends 200,000 records per throughput figure and measures latency for 2 s;
 * full mode 2,000,000 and 10 s. Throughput counts from the first send to the last
 * acknowledgement (produce) or to the last record polled (consume).
 */
import { Admin } from '../../engine/client/admin';
import { Consumer } from '../../engine/client/consumer';
import { Producer } from '../../engine/client/producer';

export interface WireBenchOptions {
  quick: boolean;
  tmpDir: string;
  bootstrap: string;
}

const RECORD_BYTES = 100;
const PARTITIONS = 3;

async function createTopic(admin: Admin, name: string, partitions: number, replicationFactor: number): Promise<void> {
  const [r] = await admin.createTopics([{ name, numPartitions: partitions, replicationFactor }]);
  if (r!.error !== null) throw r!.error;
  await admin.cluster.waitForTopics([name], { allowAutoTopicCreation: false, timeoutMs: 30_000 });
}

async function produceThroughput(bootstrap: string, topic: string, records: number, acks: 1 | 'all'): Promise<number> {
  const producer = new Producer({
    bootstrapServers: bootstrap,
    clientId: 'wire-bench-producer',
    acks,
    idempotent: acks === 'all',
    batchSize: 960 * 1024,
    lingerMs: 5,
    bufferMemory: 64 * 1024 * 1024,
    maxRequestSize: 4 * 1024 * 1024,
  });
  try {
    await producer.connect([topic]);
    const value = Buffer.alloc(RECORD_BYTES, 0x61);
    let failed: Error | null = null;
    const onDelivery = (err: Error | null): void => {
      if (err !== null && failed === null) failed = err;
    };
    const start = performance.now();
    for (let i = 0; i < records; i++) {
      const accepted = producer.produce({ topic, partition: i % PARTITIONS, value }, i % 1024 === 0 ? onDelivery : undefined);
      if (accepted !== undefined) await accepted;
    }
    await producer.flush();
    const seconds = (performance.now() - start) / 1000;
    if (failed !== null) throw failed;
    return records / seconds;
  } finally {
    await producer.close();
  }
}

async function consumeThroughput(bootstrap: string, topic: string, records: number): Promise<number> {
  const consumer = new Consumer({
    bootstrapServers: bootstrap,
    clientId: 'wire-bench-consumer',
    maxPollRecords: 100_000,
    maxPartitionFetchBytes: 8 * 1024 * 1024,
    fetchMaxBytes: 64 * 1024 * 1024,
    fetchBufferBytes: 128 * 1024 * 1024,
    fetchMaxWaitMs: 100,
  });
  try {
    const tps = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition }));
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    await Promise.all(tps.map((tp) => consumer.position(tp)));
    let seen = 0;
    let bytes = 0;
    const start = performance.now();
    while (seen < records) {
      const batch = await consumer.poll(5000);
      if (batch.length === 0) throw new Error(`consume stalled after ${seen} of ${records} records`);
      seen += batch.length;
      for (let i = 0; i < batch.length; i += 997) bytes += batch[i]!.value?.length ?? 0;
    }
    const seconds = (performance.now() - start) / 1000;
    if (bytes === 0) throw new Error('consumed records had no values');
    return seen / seconds;
  } finally {
    await consumer.close();
  }
}

async function latency(bootstrap: string, topic: string, durationMs: number): Promise<{ p50: number; p99: number }> {
  const producer = new Producer({ bootstrapServers: bootstrap, clientId: 'wire-bench-latency-p', acks: 1, idempotent: false, lingerMs: 0 });
  const consumer = new Consumer({ bootstrapServers: bootstrap, clientId: 'wire-bench-latency-c', fetchMaxWaitMs: 100, maxPollRecords: 10_000 });
  const samples: number[] = [];
  try {
    await producer.connect([topic]);
    const tp = { topic, partition: 0 };
    consumer.assign([tp]);
    consumer.seekToEnd([tp]);
    await consumer.position(tp);
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        for (const r of await consumer.poll(200)) {
          const sentAt = r.value!.readDoubleBE(0);
          samples.push(performance.timeOrigin + performance.now() - sentAt);
        }
      }
    })();
    const ratePerMs = 10; // 10,000 records per second
    const start = performance.now();
    let sent = 0;
    while (performance.now() - start < durationMs) {
      const due = Math.floor((performance.now() - start) * ratePerMs);
      while (sent < due) {
        const value = Buffer.alloc(RECORD_BYTES);
        value.writeDoubleBE(performance.timeOrigin + performance.now(), 0);
        const accepted = producer.produce({ topic, partition: 0, value });
        if (accepted !== undefined) await accepted;
        sent++;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await producer.flush();
    const deadline = performance.now() + 5000;
    while (samples.length < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await reader;
  } finally {
    await producer.close();
    await consumer.close();
  }
  if (samples.length === 0) throw new Error('latency: no record came back');
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

export async function run(opts: WireBenchOptions): Promise<Record<string, number>> {
  const records = opts.quick ? 200_000 : 2_000_000;
  const admin = new Admin({ bootstrapServers: opts.bootstrap, clientId: 'wire-bench-admin' });
  const stamp = Date.now().toString(36);
  const rf1 = `wire-bench-rf1-${stamp}`;
  const rf3 = `wire-bench-rf3-${stamp}`;
  const lat = `wire-bench-latency-${stamp}`;
  const out: Record<string, number> = {};
  try {
    await createTopic(admin, rf1, PARTITIONS, 1);
    await createTopic(admin, rf3, PARTITIONS, 3);
    await createTopic(admin, lat, 1, 1);
    out['wire.produce.rf1.records_per_s'] = Math.round(await produceThroughput(opts.bootstrap, rf1, records, 1));
    out['wire.produce.rf3_acksall.records_per_s'] = Math.round(await produceThroughput(opts.bootstrap, rf3, records, 'all'));
    out['wire.consume.records_per_s'] = Math.round(await consumeThroughput(opts.bootstrap, rf1, records));
    const l = await latency(opts.bootstrap, lat, opts.quick ? 2000 : 10_000);
    out['wire.latency.p50_ms'] = Math.round(l.p50 * 100) / 100;
    out['wire.latency.p99_ms'] = Math.round(l.p99 * 100) / 100;
  } finally {
    await admin.deleteTopics([rf1, rf3, lat]).catch(() => undefined);
    await admin.close();
  }
  return out;
}
