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
 *   cluster.reassign.mb_per_s                   a 1 GiB partition (128 MiB with --quick) on
 *                                               broker 1 moved to broker 2, which held none
 *                                               of it: log bytes over the time from the
 *                                               reassignment to its completion (the new
 *                                               replica caught up, joined the ISR, the old
 *                                               one removed) (goal ≥ 200)
 *   sim.steps_per_s                             simulator steps per second (3 brokers,
 *                                               producers, consumer groups, faults)
 *
 * The producer keeps several batches in flight per partition, as a real client with
 * max.in.flight.requests would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dispatch } from '../../engine/api/dispatch';
import type * as M from '../../engine/cluster/messages';
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

/** Moves a partition of `totalBytes` from broker 1 to broker 2; MB (10^6 bytes) per second of the move. */
async function reassignMbPerS(tmpDir: string, totalBytes: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(tmpDir, 'reassign-'));
  // No Kafka listeners (nothing here speaks the wire); the engine's own timers do not hold
  // the process open, so an interval does while the move runs.
  const engine = new Engine({ dataDir: dir, listen: false });
  const keepAlive = setInterval(() => undefined, 1000);
  const ask = <T>(req: M.ControllerRequest): Promise<T> => engine.ports.controllerRequest<T & { errorCode: number }>(req);
  try {
    await engine.ports.ready();
    await ask<M.CreateTopicsResponse>({ type: 'create-topics', validateOnly: false, topics: [{ name: 'move', numPartitions: -1, replicationFactor: -1, assignments: [[1]], configs: {} }] });
    const state = () => engine.cluster.latestImage()!.topics.get('move')?.partitions[0];
    while (!engine.cluster.broker(1).replicaManager?.partition('move', 0)?.isLeader) await new Promise((r) => setTimeout(r, 10));
    const leader = engine.cluster.broker(1).replicaManager!.partition('move', 0)!;
    const template = batchTemplate();
    const append = (): Promise<void> =>
      new Promise((resolve, reject) =>
        engine.cluster.broker(1).replicaManager!.appendRecords(1, 30_000, [{ topic: 'move', partition: 0, records: Buffer.from(template) }], (r) => (r[0].errorCode === 0 ? resolve() : reject(new Error(`produce failed with error ${r[0].errorCode}`)))),
      );
    while (leader.log.sizeBytes < totalBytes) await append();
    const bytes = leader.log.sizeBytes;
    const started = performance.now();
    const res = await ask<M.AlterReassignmentsResponse>({ type: 'alter-reassignments', partitions: [{ topic: 'move', partition: 0, replicas: [2] }] });
    if (res.results[0].errorCode !== 0) throw new Error(`reassignment refused: ${res.results[0].errorMessage}`);
    while (state()?.replicas.join() !== '2' || (state()?.addingReplicas?.length ?? 0) > 0) {
      if (performance.now() - started > 600_000) throw new Error('the move did not finish within 10 minutes');
      await new Promise((r) => setTimeout(r, 5));
    }
    return Math.round(bytes / 1e6 / ((performance.now() - started) / 1000));
  } finally {
    clearInterval(keepAlive);
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
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
  out['cluster.reassign.mb_per_s'] = await reassignMbPerS(opts.tmpDir, opts.quick ? 128 * 2 ** 20 : 2 ** 30);
  const steps = opts.quick ? 2000 : 10_000;
  const t0 = performance.now();
  await runSimulation({ seed: 1, steps });
  out['sim.steps_per_s'] = Math.round(steps / ((performance.now() - t0) / 1000));
  return out;
}
