/**
 * A whole cluster on virtual time for tests: ManualClock, seeded Random, in-memory
 * SQLite metadata, and each broker's partition logs on its own fault-injecting
 * MemoryStorage (so kill really loses unsynced bytes).
 */
import { Cluster } from '../../../engine/cluster/cluster';
import { LogManagerBrokerStorage } from '../../../engine/cluster/broker-storage';
import { defaultClusterConfig, type ClusterConfig } from '../../../engine/cluster/config';
import { effectiveTopicConfig, replicationConfig, recompressProducedBatch, scanBatchHeaders, validateProducedBatch } from '../../../engine/cluster/log-adapter';
import { MetadataStore } from '../../../engine/cluster/metadata-store';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { buildBatchSync, decodeRecordsSync } from '../../../engine/storage/record-batch';
import { validateTopicConfigs } from '../../../engine/storage/topic-config';
import { ManualClock } from '../../../engine/util/clock';
import { SeededRandom } from '../../../engine/util/random';
import type { ProduceResult } from '../../../engine/cluster/replica-manager';

export interface TestCluster {
  cluster: Cluster;
  clock: ManualClock;
  random: SeededRandom;
  disks: Map<number, MemoryStorage>;
  config: ClusterConfig;
  run(ms: number): void;
  runUntil(pred: () => boolean, maxMs?: number): void;
  createTopic(name: string, partitions: number, rf: number, configs?: Record<string, string>): void;
  produce(topic: string, partition: number, values: string[], acks?: number, opts?: { key?: string | null; producerId?: number; producerEpoch?: number; baseSequence?: number }): ProduceResult | null;
  leaderOf(topic: string, partition: number): number;
  read(brokerId: number, topic: string, partition: number, upTo?: 'hw' | 'leo'): { offset: number; value: string | null; key: string | null }[];
}

export function makeCluster(opts: { brokers?: number; seed?: number; config?: Partial<ClusterConfig> } = {}): TestCluster {
  const clock = new ManualClock(1_700_000_000_000);
  const random = new SeededRandom(opts.seed ?? 1);
  const config = defaultClusterConfig({ brokerCount: opts.brokers ?? 3, ...opts.config });
  const store = new MetadataStore({ path: ':memory:' });
  const disks = new Map<number, MemoryStorage>();
  const clusterId = store.clusterId(() => 'test-cluster-id');
  let cluster: Cluster;
  cluster = new Cluster({
    config, clock, random, store,
    openStorage: (id) => {
      if (!disks.has(id)) disks.set(id, new MemoryStorage());
      const disk = disks.get(id)!;
      const broker = () => cluster.broker(id);
      return new LogManagerBrokerStorage({
        storage: disk, dataDir: '', brokerId: id, clusterId, clock, random, topicDefaults: () => broker().topicDefaults,
        configsOf: (topic) => broker().image.topics.get(topic)?.configs ?? {},
        highWatermarkOf: (topic, partition) => broker().replicaManager?.partition(topic, partition)?.highWatermark,
        syncCleaner: true,
        onCrash: () => disk.crash(random),
        onAbandon: () => undefined,
      });
    },
    validateBatch: validateProducedBatch,
    recompress: recompressProducedBatch,
    scanHeaders: scanBatchHeaders,
    validateTopicConfigs: (c) => void validateTopicConfigs(c),
    resolveTopicConfig: (d, c) => replicationConfig(effectiveTopicConfig(d, c)),
  });
  cluster.start();
  const t: TestCluster = {
    cluster, clock, random, disks, config,
    run: (ms) => clock.advance(ms),
    runUntil(pred, maxMs = 30_000) {
      const end = clock.nowMs() + maxMs;
      while (!pred()) {
        if (clock.nowMs() >= end) throw new Error(`condition not reached within ${maxMs} ms of virtual time`);
        clock.advance(10);
      }
    },
    createTopic(name, partitions, rf, configs = {}) {
      t.runUntil(() => cluster.activeController() !== null && cluster.brokers.filter((b) => b.isUp).length === config.brokerCount);
      let result: unknown = null;
      cluster.activeController()!.controllerRequest({ type: 'create-topics', topics: [{ name, numPartitions: partitions, replicationFactor: rf, assignments: null, configs }], validateOnly: false }, (r) => (result = r));
      t.runUntil(() => result !== null);
      const res = (result as { results: { errorCode: number; errorMessage: string | null }[] }).results[0];
      if (res.errorCode !== 0) throw new Error(`createTopic failed: ${res.errorCode} ${res.errorMessage}`);
      t.runUntil(() => cluster.brokers.every((b) => !b.isUp || b.image.topics.has(name)));
      t.run(100);
    },
    produce(topic, partition, values, acks = -1, o = {}) {
      const leader = t.leaderOf(topic, partition);
      const rm = cluster.broker(leader).replicaManager!;
      const batch = buildBatchSync({
        records: values.map((v) => ({ key: o.key == null ? null : Buffer.from(o.key), value: Buffer.from(v), timestampMs: clock.nowMs() })),
        producerId: o.producerId ?? -1, producerEpoch: o.producerEpoch ?? -1, baseSequence: o.baseSequence ?? -1,
      });
      let out: ProduceResult | null = null;
      rm.appendRecords(acks, 5000, [{ topic, partition, records: batch }], (r) => (out = r[0]));
      if (acks !== 0) t.runUntil(() => out !== null, 10_000);
      return out;
    },
    leaderOf(topic, partition) {
      const img = cluster.latestImage();
      const p = img?.topics.get(topic)?.partitions[partition];
      if (!p) throw new Error(`no partition ${topic}-${partition}`);
      return p.leader;
    },
    read(brokerId, topic, partition, upTo = 'hw') {
      const p = cluster.broker(brokerId).replicaManager!.partition(topic, partition)!;
      const end = upTo === 'hw' ? p.highWatermark : p.logEndOffset;
      const out: { offset: number; value: string | null; key: string | null }[] = [];
      let offset = p.log.logStartOffset;
      while (offset < end) {
        const bytes = p.log.read(offset, 1 << 20, end, true);
        if (!bytes) break;
        for (const r of decodeRecordsSync(bytes)) {
          if (r.offset < offset || r.offset >= end) continue;
          out.push({ offset: r.offset, value: r.value?.toString() ?? null, key: r.key?.toString() ?? null });
        }
        offset = out.length > 0 ? out[out.length - 1].offset + 1 : end;
      }
      return out;
    },
  };
  return t;
}
