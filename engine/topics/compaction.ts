/**
 * Compaction, made watchable: the cleaner's sections of each replica's log (clean,
 * dirty, uncleanable) with the dirty ratio against min.cleanable.dirty.ratio, recent
 * cleaner runs (records and bytes before → after, keys kept, tombstones removed), a
 * writer of duplicate keys, and "clean now".
 *
 * Clean now, per replica on a live broker: roll the active segment when it holds
 * records (the cleaner never touches the active segment; Kafka rolls it by
 * segment.ms or segment.bytes), then one forced cleaner run (below the dirty ratio
 * too) up to the replica's high watermark. Each replica cleans its own log, as in
 * Kafka; offsets of removed records stay gaps.
 *
 * Followers clean only below their own high watermark, which they learn on their
 * next fetch: clean now first waits (at most HW_WAIT_MS) until they know the leader's.
 *
 * Bounds: duplicate keys are written in batches of at most BATCH_RECORDS records;
 * each write retries for at most WRITE_RETRY_MS while leadership moves.
 */
import type { CleanerSectionsView, CleanNowResult, CompactionStatusResult, ParsedArgs, WriteDuplicateKeysResult } from '../api/contract';
import { WorkbenchError } from '../api/errors';
import { effectiveTopicConfig } from '../cluster/log-adapter';
import type { TopicImage } from '../cluster/metadata-image';
import type { Engine } from '../engine';
import { LogCleaner } from '../storage/cleaner';
import { buildBatchSync, type RecordSpec } from '../storage/record-batch';
import { isCompacted } from '../storage/topic-config';
import { RETRIABLE_PRODUCE_CODES, appendViaLeader, leaderOf, produceRefusal, replicaOn, requirePartition, requireTopic, sleep, storageLogOf } from '../ports/access';
import { cleanerRunView, type StorageEventLog } from '../metrics/storage-events';

const BATCH_RECORDS = 500;
const WRITE_RETRY_MS = 10_000;
const HW_WAIT_MS = 2000;

export function compactionStatus(engine: Engine, events: StorageEventLog, args: ParsedArgs<'compactionStatus'>): CompactionStatusResult {
  const topic = requireTopic(engine, args.topic);
  const state = requirePartition(topic, args.partition);
  const cfg = effectiveTopicConfig(engine.config.topicDefaults, topic.configs);
  const cleaner = new LogCleaner(engine.clock);
  const nowMs = engine.clock.nowMs();
  const order = [...state.replicas].sort((a, b) => (a === state.leader ? -1 : b === state.leader ? 1 : a - b));
  const replicas: CleanerSectionsView[] = [];
  for (const id of order) {
    const replica = replicaOn(engine, id, topic.name, args.partition);
    const log = storageLogOf(replica);
    const manager = engine.brokerStorage(id)?.manager;
    if (!replica || !log || !manager || log.isClosedOrOffline) continue;
    const info = cleaner.cleanableInfo(log, nowMs, { firstDirtyOffset: manager.cleanerOffset(topic.name, args.partition), upperBoundOffset: replica.highWatermark });
    replicas.push({
      brokerId: id,
      logStartOffset: log.logStartOffset,
      firstDirtyOffset: info.firstDirtyOffset,
      firstUncleanableOffset: info.firstUncleanableOffset,
      logEndOffset: log.logEndOffset,
      cleanBytes: info.cleanBytes,
      dirtyBytes: info.dirtyBytes,
      dirtyRatio: info.dirtyRatio,
      cleanable: info.cleanable,
      reason: info.reason,
    });
  }
  return {
    topic: topic.name,
    partition: args.partition,
    compacted: isCompacted(cfg),
    cleanupPolicy: cfg.cleanupPolicy.join(','),
    minCleanableDirtyRatio: cfg.minCleanableDirtyRatio,
    deleteRetentionMs: cfg.deleteRetentionMs,
    minCompactionLagMs: cfg.minCompactionLagMs,
    replicas,
    runs: events.runs(topic.name, args.partition),
  };
}

function requireCompacted(engine: Engine, topic: TopicImage): void {
  const cfg = effectiveTopicConfig(engine.config.topicDefaults, topic.configs);
  if (!isCompacted(cfg)) {
    throw new WorkbenchError(
      'INVALID_REQUEST',
      `Topic "${topic.name}" is not compacted (cleanup.policy=${cfg.cleanupPolicy.join(',')}). Set cleanup.policy to compact in its configs first.`,
      'topic',
    );
  }
}

export async function writeDuplicateKeys(engine: Engine, args: ParsedArgs<'writeDuplicateKeys'>): Promise<WriteDuplicateKeysResult> {
  await engine.ready();
  const topic = requireTopic(engine, args.topic);
  requirePartition(topic, args.partition);
  const every = args.tombstoneEvery ?? 0;
  let firstOffset = -1;
  let lastOffset = -1;
  let records = 0;
  let tombstones = 0;
  for (let round = 1; round <= args.rounds; round++) {
    const last = round === args.rounds;
    for (let from = 0; from < args.keys; from += BATCH_RECORDS) {
      const specs: RecordSpec[] = [];
      const timestampMs = engine.clock.nowMs();
      for (let i = from; i < Math.min(args.keys, from + BATCH_RECORDS); i++) {
        const key = `key-${i}`;
        const tombstone = last && every > 0 && i % every === 0;
        if (tombstone) tombstones++;
        specs.push({ key: Buffer.from(key), value: tombstone ? null : Buffer.from(JSON.stringify({ key, round })), timestampMs });
      }
      const base = await appendWithRetry(engine, topic.name, args.partition, buildBatchSync({ records: specs }));
      if (firstOffset < 0) firstOffset = base;
      lastOffset = base + specs.length - 1;
      records += specs.length;
    }
  }
  engine.markDirty();
  return { topic: topic.name, partition: args.partition, records, tombstones, firstOffset, lastOffset };
}

async function appendWithRetry(engine: Engine, topic: string, partition: number, batch: Buffer): Promise<number> {
  const deadline = engine.clock.monotonicMs() + WRITE_RETRY_MS;
  for (;;) {
    const r = await appendViaLeader(engine, topic, partition, batch, -1);
    if (r.errorCode === 0) return r.baseOffset;
    if (!RETRIABLE_PRODUCE_CODES.has(r.errorCode) || engine.clock.monotonicMs() > deadline) throw produceRefusal(r);
    await sleep(engine, 100);
  }
}

/**
 * A follower learns the leader's high watermark on its next fetch, and cleans only
 * below its own: wait (bounded) until the live replicas have caught up, so one
 * "clean now" cleans the same records everywhere.
 */
async function followersKnowHighWatermark(engine: Engine, topic: string, partition: number, replicas: number[]): Promise<void> {
  const deadline = engine.clock.monotonicMs() + HW_WAIT_MS;
  const leaderHw = () => {
    const leader = leaderOf(engine, topic, partition);
    return leader ? replicaOn(engine, leader.id, topic, partition)?.highWatermark : undefined;
  };
  while (engine.clock.monotonicMs() < deadline) {
    const hw = leaderHw();
    if (hw === undefined || replicas.every((id) => (replicaOn(engine, id, topic, partition)?.highWatermark ?? hw) >= hw)) return;
    await sleep(engine, 20);
  }
}

export async function cleanNow(engine: Engine, args: ParsedArgs<'cleanNow'>): Promise<CleanNowResult> {
  const topic = requireTopic(engine, args.topic);
  const state = requirePartition(topic, args.partition);
  requireCompacted(engine, topic);
  const live = state.replicas.filter((id) => engine.brokerStorage(id) && storageLogOf(replicaOn(engine, id, topic.name, args.partition)));
  if (live.length === 0) {
    throw new WorkbenchError('BROKER_NOT_AVAILABLE', `No replica of partition ${args.partition} of "${topic.name}" is on a running broker. Restart one of brokers ${state.replicas.join(', ')} first.`);
  }
  await followersKnowHighWatermark(engine, topic.name, args.partition, live);
  const runs = await Promise.all(
    live.map(async (id) => {
      const log = storageLogOf(replicaOn(engine, id, topic.name, args.partition))!;
      const active = log.segments().at(-1);
      if (active && active.sizeBytes > 0 && !log.isClosedOrOffline) log.roll();
      const result = await engine.brokerStorage(id)!.cleanNow(topic.name, args.partition);
      if (!result) {
        return { atMs: engine.clock.nowMs(), brokerId: id, cleaned: false, aborted: false, reason: 'the broker was busy cleaning or stopped; try again in a moment', trigger: 'manual' as const, stats: null };
      }
      return cleanerRunView(id, engine.clock.nowMs(), result, 'manual');
    }),
  );
  engine.markDirty();
  return { topic: topic.name, partition: args.partition, runs };
}
