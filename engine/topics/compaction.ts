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
 * each write retries (through the leader-I/O port) for a bounded time while
 * leadership moves.
 */
import type { CleanerSectionsView, CleanNowResult, CompactionStatusResult, ParsedArgs, WriteDuplicateKeysResult } from '../api/contract';
import { WorkbenchError } from '../api/errors';
import type { TopicImage } from '../cluster/metadata-image';
import { cleanerRunView } from '../metrics';
import { produceRefusal, requirePartition } from '../ports';
import { ErrorCode } from '../protocol/errors';
import { LogCleaner } from '../storage/cleaner';
import { buildBatchSync, type RecordSpec } from '../storage/record-batch';
import { isCompacted } from '../storage/topic-config';
import type { TopicsDeps } from './service';

const BATCH_RECORDS = 500;
const HW_WAIT_MS = 2000;

export function compactionStatus(deps: TopicsDeps, args: ParsedArgs<'compactionStatus'>): CompactionStatusResult {
  const topic = deps.io.topic(args.topic);
  const state = requirePartition(topic, args.partition);
  const cfg = deps.cluster.topicConfig(topic);
  const cleaner = new LogCleaner(deps.clock);
  const nowMs = deps.clock.nowMs();
  const order = [...state.replicas].sort((a, b) => (a === state.leader ? -1 : b === state.leader ? 1 : a - b));
  const replicas: CleanerSectionsView[] = [];
  for (const id of order) {
    const held = deps.replicas.replicaLog(id, topic.name, args.partition);
    if (!held || held.log.isClosedOrOffline) continue;
    const { replica, log } = held;
    const info = cleaner.cleanableInfo(log, nowMs, { firstDirtyOffset: deps.replicas.cleanerOffset(id, topic.name, args.partition), upperBoundOffset: replica.highWatermark });
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
    runs: deps.history.runs(topic.name, args.partition),
  };
}

function requireCompacted(deps: TopicsDeps, topic: TopicImage): void {
  const cfg = deps.cluster.topicConfig(topic);
  if (!isCompacted(cfg)) {
    throw new WorkbenchError(
      'INVALID_REQUEST',
      `Topic "${topic.name}" is not compacted (cleanup.policy=${cfg.cleanupPolicy.join(',')}). Set cleanup.policy to compact in its configs first.`,
      'topic',
    );
  }
}

export async function writeDuplicateKeys(deps: TopicsDeps, args: ParsedArgs<'writeDuplicateKeys'>): Promise<WriteDuplicateKeysResult> {
  await deps.cluster.ready();
  const topic = deps.io.topic(args.topic);
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
      const timestampMs = deps.clock.nowMs();
      for (let i = from; i < Math.min(args.keys, from + BATCH_RECORDS); i++) {
        const key = `key-${i}`;
        const tombstone = last && every > 0 && i % every === 0;
        if (tombstone) tombstones++;
        specs.push({ key: Buffer.from(key), value: tombstone ? null : Buffer.from(JSON.stringify({ key, round })), timestampMs });
      }
      const r = await deps.io.append(topic.name, args.partition, buildBatchSync({ records: specs }));
      if (r.errorCode !== ErrorCode.NONE) throw produceRefusal(r);
      const base = r.baseOffset;
      if (firstOffset < 0) firstOffset = base;
      lastOffset = base + specs.length - 1;
      records += specs.length;
    }
  }
  deps.changed();
  return { topic: topic.name, partition: args.partition, records, tombstones, firstOffset, lastOffset };
}

/**
 * A follower learns the leader's high watermark on its next fetch, and cleans only
 * below its own: wait (bounded) until the live replicas have caught up, so one
 * "clean now" cleans the same records everywhere.
 */
async function followersKnowHighWatermark(deps: TopicsDeps, topic: string, partition: number, replicas: number[]): Promise<void> {
  const deadline = deps.clock.monotonicMs() + HW_WAIT_MS;
  while (deps.clock.monotonicMs() < deadline) {
    const hw = deps.io.leaderNow(topic, partition)?.highWatermark;
    if (hw === undefined || replicas.every((id) => (deps.replicas.replica(id, topic, partition)?.highWatermark ?? hw) >= hw)) return;
    await deps.io.sleep(20);
  }
}

export async function cleanNow(deps: TopicsDeps, args: ParsedArgs<'cleanNow'>): Promise<CleanNowResult> {
  const topic = deps.io.topic(args.topic);
  const state = requirePartition(topic, args.partition);
  requireCompacted(deps, topic);
  const live = state.replicas.filter((id) => deps.replicas.replicaLog(id, topic.name, args.partition) !== undefined);
  if (live.length === 0) {
    throw new WorkbenchError('BROKER_NOT_AVAILABLE', `No replica of partition ${args.partition} of "${topic.name}" is on a running broker. Restart one of brokers ${state.replicas.join(', ')} first.`);
  }
  await followersKnowHighWatermark(deps, topic.name, args.partition, live);
  const runs = await Promise.all(
    live.map(async (id) => {
      const log = deps.replicas.replicaLog(id, topic.name, args.partition)?.log;
      const active = log?.segments().at(-1);
      if (log && active && active.sizeBytes > 0 && !log.isClosedOrOffline) log.roll();
      const result = await deps.replicas.cleanNow(id, topic.name, args.partition);
      if (!result) {
        return { atMs: deps.clock.nowMs(), brokerId: id, cleaned: false, aborted: false, reason: 'the broker was busy cleaning or stopped; try again in a moment', trigger: 'manual' as const, stats: null };
      }
      return cleanerRunView(id, deps.clock.nowMs(), result, 'manual');
    }),
  );
  deps.changed();
  return { topic: topic.name, partition: args.partition, runs };
}
