/**
 * Cluster benchmark: the engine's own produce path with an in-process producer (no
 * TCP), on real files, the system clock, three brokers.
 *
 *   cluster.produce.rf1_acks1.records_per_s     100-byte records in batches of 1000,
 *                                               3 partitions, replication factor 1, acks=1
 *                                               (goal ≥ 1,000,000)
 *   cluster.produce.rf3_acksall.records_per_s   the same with replication factor 3 and
 *                                               acks=all: every batch replicated to two
 *                                               followers before it is acknowledged
 *                                               (goal ≥ 500,000)
 *   cluster.failover.ms                         the leader of a partition killed → a new
 *                                               leader accepting writes, with timeouts
 *                                               shortened as Kafka allows
 *                                               (broker.session.timeout.ms 500,
 *                                               heartbeats every 50 ms) (goal ≤ 1000)
 *   sim.steps_per_s                             simulator steps per second (3 brokers,
 *                                               producers, consumer groups, faults)
 *
 * The producer keeps several batches in flight per partition, as a real client with
 * max.in.flight.requests would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dispatch } from '../../engine/api/dispatch';
import { Engine } from '../../engine/engine';
import { buildBatchSync } from '../../engine/storage/record-batch';
import { runSimulation } from '../../engine/sim/simulator';

export interface BenchOptions {
  quick: boolean;
  tmpDir: string;
}

const RECORDS_PER_BATCH = 1000;
const IN_FLIGHT_PER_PARTITION = 4;

function batchTemplate(): Buffer {
  const value = Buffer.alloc(100, 'x');
  return buildBatchSync({ records: Array.from({ length: RECORDS_PER_BATCH }, () => ({ key: null, value, timestampMs: Date.now() })) });
}

async function produceRate(engine: Engine, topic: string, partitions: number, acks: number, totalRecords: number): Promise<number> {
  const template = batchTemplate();
  const image = engine.cluster.latestImage()!;
  const batchesPerPartition = Math.ceil(totalRecords / RECORDS_PER_BATCH / partitions);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: partitions }, async (_, p) => {
      const leader = engine.cluster.broker(image.topics.get(topic)!.partitions[p].leader);
      let sent = 0;
      const send = (): Promise<void> =>
        new Promise((resolve, reject) => {
          // The log rewrites the header in place, so each append gets its own copy.
          leader.replicaManager!.appendRecords(acks, 30_000, [{ topic, partition: p, records: Buffer.from(template) }], (r) => {
            if (r[0].errorCode !== 0) reject(new Error(`produce failed with error ${r[0].errorCode}`));
            else resolve();
          });
        });
      const lane = async () => {
        while (sent < batchesPerPartition) {
          sent++;
          await send();
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT_PER_PARTITION }, lane));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return Math.round((batchesPerPartition * partitions * RECORDS_PER_BATCH) / seconds);
}

async function failoverMs(tmpDir: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(tmpDir, 'failover-'));
  const engine = new Engine({
    dataDir: dir,
    clusterConfig: { brokerSessionTimeoutMs: 500, brokerHeartbeatIntervalMs: 50, replicaFetchWaitMaxMs: 100, metadataFetchWaitMs: 200 },
  });
  try {
    await dispatch(engine.commands, 'createTopic', { name: 'failover', partitions: 1, replicationFactor: 3 });
    await dispatch(engine.commands, 'produce', { topic: 'failover', value: 'before' });
    const leader = engine.cluster.latestImage()!.topics.get('failover')!.partitions[0].leader;
    const batch = buildBatchSync({ records: [{ key: null, value: Buffer.from('after'), timestampMs: Date.now() }] });
    const killedAt = performance.now();
    engine.cluster.kill(leader);
    // A client retrying every 5 ms against whoever the metadata names as leader.
    for (;;) {
      const p = engine.cluster.latestImage()!.topics.get('failover')!.partitions[0];
      const b = p.leader > 0 && p.leader !== leader ? engine.cluster.broker(p.leader) : null;
      if (b?.replicaManager) {
        const code = await new Promise<number>((resolve) => b.replicaManager!.appendRecords(1, 1000, [{ topic: 'failover', partition: 0, records: Buffer.from(batch) }], (r) => resolve(r[0].errorCode)));
        if (code === 0) return Math.round(performance.now() - killedAt);
      }
      await new Promise((r) => setTimeout(r, 5));
      if (performance.now() - killedAt > 30_000) throw new Error('no new leader within 30 s');
    }
  } finally {
    await engine.close();
  }
}

export async function run(opts: BenchOptions): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(opts.tmpDir, 'cluster-'));
  const total = opts.quick ? 300_000 : 3_000_000;
  const engine = new Engine({ dataDir: dir });
  const out: Record<string, number> = {};
  try {
    await dispatch(engine.commands, 'createTopic', { name: 'bench_rf1', partitions: 3, replicationFactor: 1 });
    await dispatch(engine.commands, 'createTopic', { name: 'bench_rf3', partitions: 3, replicationFactor: 3 });
    out['cluster.produce.rf1_acks1.records_per_s'] = await produceRate(engine, 'bench_rf1', 3, 1, total);
    out['cluster.produce.rf3_acksall.records_per_s'] = await produceRate(engine, 'bench_rf3', 3, -1, total);
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const failovers: number[] = [];
  for (let i = 0; i < (opts.quick ? 1 : 3); i++) failovers.push(await failoverMs(opts.tmpDir));
  out['cluster.failover.ms'] = Math.max(...failovers);
  const steps = opts.quick ? 2000 : 10_000;
  const t0 = performance.now();
  await runSimulation({ seed: 1, steps });
  out['sim.steps_per_s'] = Math.round(steps / ((performance.now() - t0) / 1000));
  return out;
}
