/**
 * The data plane of the wire protocol: Produce, Fetch (with incremental sessions),
 * ListOffsets, OffsetForLeaderEpoch, DeleteRecords — translated to the broker's replica
 * manager, which is the same path the workbench's own UI uses.
 *
 * Produce v0–v2 carry the legacy message format: it is converted to RecordBatch v2
 * before anything is validated or stored. Fetch v0–v3 answer in the legacy format: the
 * one place the broker re-encodes stored bytes (as Kafka does for old clients);
 * every other fetch hands out the stored batch bytes untouched.
 *
 * Fetch v13+ names topics by id (KIP-516): ids resolve against this broker's metadata
 * image on every fetch, an unknown one is UNKNOWN_TOPIC_ID, and sessions opened at such
 * versions key partitions by id (fetch-sessions.ts). Produce v10+ and Fetch v16+ answer
 * a partition this broker does not lead with the leader its image names and that
 * leader's endpoint (KIP-951), so clients redirect without a Metadata round trip.
 *
 * int64 beyond ±(2^53 - 1) (the codec marks it inexact, protocol/types.ts) never reaches
 * the replica manager or the log: a fetch offset is OFFSET_OUT_OF_RANGE, a ListOffsets
 * timestamp finds nothing (or is UNSUPPORTED_VERSION when negative), a DeleteRecords
 * offset is OFFSET_OUT_OF_RANGE, and record batch headers are checked at the produce
 * edge (inexactBatchHeader).
 *
 * Bounds: maxWaitMs is capped at MAX_FETCH_WAIT_MS and maxBytes at
 * MAX_FETCH_RESPONSE_BYTES (Kafka's fetch.max.bytes), so one request cannot pin the
 * broker or make it buffer without limit.
 */
import { assert } from '../util/assert';
import { ErrorCode } from '../protocol/errors';
import { ZERO_UUID, isExactInt64 } from '../protocol/types';
import { NO_LEADER, partitionOf } from '../cluster/metadata-image';
import type { FetchRequest, FetchResponseInput } from '../protocol/apis/fetch';
import type { ListOffsetsRequest, ListOffsetsResponseInput } from '../protocol/apis/list-offsets';
import type { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponseInput } from '../protocol/apis/offset-for-leader-epoch';
import type { ProduceRequest, ProduceResponseInput } from '../protocol/apis/produce';
import type { DeleteRecordsRequest, DeleteRecordsResponseInput } from '../protocol/apis/delete-records';
import type { FetchPartitionRequest, FetchPartitionResult, ProduceEntry, ProduceResult } from '../cluster/replica-manager';
import { BASE_TIMESTAMP_AT, MAGIC_AT, MAX_TIMESTAMP_AT, PRODUCER_ID_AT, RECORDS_AT, TimestampType, batchSizeAt } from '../storage/record-batch';
import { readInt64 } from '../storage/bytes';
import { downConvertFetchRecords, fetchMagicFor, produceMagicFor, upConvertProduceRecords } from '../protocol/legacy-records';
import { topicByUuid, type WireContext } from './context';
import { FetchSessionCache, MAX_PARTITIONS_PER_SESSION, type SessionPartition } from './fetch-sessions';
import { maybeAutoCreate } from './metadata-api';

export const MAX_FETCH_WAIT_MS = 30_000;
const EMPTY_RECORDS = Buffer.alloc(0);
/** Kafka's fetch.max.bytes default. */
export const MAX_FETCH_RESPONSE_BYTES = 57_671_680;

// ------------------------------------------------------------------ Produce

export function handleProduce(ctx: WireContext, version: number, req: ProduceRequest): Promise<ProduceResponseInput | null> {
  const rm = ctx.broker.replicaManager;
  const entries: ProduceEntry[] = [];
  const early: ProduceResult[] = [];
  const image = ctx.broker.image;
  for (const t of req.topicData) {
    for (const p of t.partitionData) {
      const fail = (errorCode: number, errorMessage: string | null) =>
        early.push({ topic: t.name, partition: p.index, errorCode, errorMessage, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [] });
      if (req.transactionalId !== null) {
        fail(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'Transactions are not supported by this cluster.');
        continue;
      }
      if (!image.topics.has(t.name)) {
        maybeAutoCreate(ctx, [t.name]);
        fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null);
        continue;
      }
      let records = p.records;
      if (records && produceMagicFor(version) !== 2) {
        try {
          records = upConvertProduceRecords(records, { nowMs: ctx.clock.nowMs(), timestampType: TimestampType.CREATE_TIME });
        } catch (err) {
          const e = err as { code?: number; message?: string };
          fail(typeof e.code === 'number' ? e.code : ErrorCode.CORRUPT_MESSAGE, e.message ?? null);
          continue;
        }
      }
      const inexact = records ? inexactBatchHeader(records) : null;
      if (inexact) {
        fail(inexact.errorCode, inexact.message);
        continue;
      }
      entries.push({ topic: t.name, partition: p.index, records });
    }
  }
  return new Promise((resolve) => {
    const finish = (results: ProduceResult[]) => {
      if (req.acks === 0) return resolve(null);
      const all = [...early, ...results];
      const byTopic = new Map<string, ProduceResult[]>();
      for (const r of all) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
      const hints = version >= 10 ? new LeaderHints(ctx) : null;
      resolve({
        responses: [...byTopic].map(([name, rs]) => ({
          name,
          partitionResponses: rs.map((r) => ({
            index: r.partition,
            errorCode: r.errorCode,
            baseOffset: r.baseOffset,
            logAppendTimeMs: r.logAppendTimeMs,
            logStartOffset: r.logStartOffset,
            recordErrors: version >= 8 ? r.recordErrors.map((e) => ({ batchIndex: e.batchIndex, batchIndexErrorMessage: e.message })) : [],
            errorMessage: version >= 8 ? r.errorMessage : null,
            currentLeader: hints !== null && r.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER ? hints.leaderOf(r.topic, r.partition) : undefined,
          })),
        })),
        throttleTimeMs: 0,
        nodeEndpoints: hints?.endpoints() ?? [],
      });
    };
    if (!rm || entries.length === 0) {
      finish(entries.map((e) => ({ topic: e.topic, partition: e.partition, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: null, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [] })));
      return;
    }
    rm.appendRecords(req.acks, Math.max(0, Math.min(req.timeoutMs, 300_000)), entries, finish);
  });
}

/**
 * The int64 fields of record batch headers at the produce edge: a base or max timestamp
 * beyond ±(2^53 - 1) is INVALID_TIMESTAMP (Kafka's error for a timestamp outside the
 * acceptable range), a producer id beyond it UNKNOWN_PRODUCER_ID (no id this broker
 * hands out is that large). Nothing else here holds such values exactly (time index,
 * producer state, the cleaner's rebuilt batches), so they stop before the log. Reads
 * three int64s per batch header, allocating nothing; framing problems are left to the
 * log's own checks.
 */
function inexactBatchHeader(records: Buffer): { errorCode: number; message: string } | null {
  for (let pos = 0; pos + RECORDS_AT <= records.length; ) {
    if (records.readInt8(pos + MAGIC_AT) !== 2) return null;
    const baseTimestampMs = readInt64(records, pos + BASE_TIMESTAMP_AT);
    const maxTimestampMs = readInt64(records, pos + MAX_TIMESTAMP_AT);
    if (!isExactInt64(baseTimestampMs) || !isExactInt64(maxTimestampMs)) {
      return { errorCode: ErrorCode.INVALID_TIMESTAMP, message: `A batch timestamp (${isExactInt64(maxTimestampMs) ? baseTimestampMs : maxTimestampMs} ms) is beyond ±(2^53 - 1) ms, which this broker cannot store.` };
    }
    if (!isExactInt64(readInt64(records, pos + PRODUCER_ID_AT))) {
      return { errorCode: ErrorCode.UNKNOWN_PRODUCER_ID, message: 'The batch names a producer id beyond 2^53, which this broker never hands out: ask InitProducerId for one.' };
    }
    const size = batchSizeAt(records, pos);
    if (size === undefined || size <= 0) return null;
    pos += size;
  }
  return null;
}

// ------------------------------------------------------------------ Fetch

/** One partition a fetch reads: by name, and by topic id from v13 ('' names an unknown id). */
interface FetchTarget extends FetchPartitionRequest {
  topicId: string;
}

export function handleFetch(ctx: WireContext, version: number, req: FetchRequest): Promise<FetchResponseInput> {
  const rm = ctx.broker.replicaManager;
  const image = ctx.broker.image;
  const nowMs = ctx.clock.monotonicMs();
  const byId = version >= 13;
  const emptyError = (errorCode: number): FetchResponseInput => ({ throttleTimeMs: 0, errorCode, sessionId: 0, responses: [] });
  const resolution = version >= 7 ? ctx.fetchSessions.resolve(req.sessionId, req.sessionEpoch, nowMs, byId) : { kind: 'sessionless' as const };
  if (resolution.kind === 'error') return Promise.resolve(emptyError(resolution.errorCode));
  /** The name of a topic as the request names it: from v13 its id, resolved against this broker's image. */
  const nameOf = (topic: string, topicId: string): string => (byId ? (topicByUuid(image, topicId)?.name ?? '') : topic);

  const requested: FetchTarget[] = [];
  for (const t of req.topics) {
    const topic = nameOf(t.topic, t.topicId);
    const topicId = byId ? t.topicId : ZERO_UUID;
    for (const p of t.partitions) {
      requested.push({ topic, topicId, partition: p.partition, fetchOffset: p.fetchOffset, currentLeaderEpoch: p.currentLeaderEpoch, partitionMaxBytes: Math.max(0, p.partitionMaxBytes) });
    }
  }

  // With a session, the partitions to read are the session's; the request only edits it.
  const session = resolution.kind === 'sessionless' ? null : resolution.session;
  let toRead = requested;
  const requestedKeys = new Set<string>();
  if (session) {
    const keyOf = (topic: string, topicId: string, partition: number) => FetchSessionCache.key(session, topic, topicId, partition);
    if (resolution.kind === 'new') session.partitions.clear();
    for (const f of req.forgottenTopicsData) for (const p of f.partitions) session.partitions.delete(keyOf(f.topic, byId ? f.topicId : ZERO_UUID, p));
    for (const r of requested) {
      const key = keyOf(r.topic, r.topicId, r.partition);
      requestedKeys.add(key);
      const prev = session.partitions.get(key);
      if (!prev && session.partitions.size >= MAX_PARTITIONS_PER_SESSION) return Promise.resolve(emptyError(ErrorCode.INVALID_REQUEST));
      session.partitions.set(key, {
        topic: r.topic, topicId: r.topicId, partition: r.partition, fetchOffset: r.fetchOffset, partitionMaxBytes: r.partitionMaxBytes, currentLeaderEpoch: r.currentLeaderEpoch,
        lastHighWatermark: prev?.lastHighWatermark ?? -2, lastLogStartOffset: prev?.lastLogStartOffset ?? -2, lastErrorCode: prev?.lastErrorCode ?? -2,
      });
    }
    // A session keyed by id names its topics afresh on every fetch: a topic re-created
    // under the same name has a new id, and the old id then names no topic.
    toRead = [...session.partitions.values()].map((s) => ({
      topic: session.usesTopicIds ? nameOf(s.topic, s.topicId) : s.topic, topicId: s.topicId, partition: s.partition,
      fetchOffset: s.fetchOffset, currentLeaderEpoch: s.currentLeaderEpoch, partitionMaxBytes: s.partitionMaxBytes,
    }));
  }

  // Partitions answered here without reading: an unknown topic id, a fetch offset no log can hold.
  const results: (FetchPartitionResult | undefined)[] = toRead.map((t) => earlyFetchAnswer(ctx, byId, t));
  const toRm = toRead.filter((_, i) => results[i] === undefined);
  const anyEarlyError = results.some((r) => r !== undefined);

  const maxBytes = version >= 3 ? Math.max(0, Math.min(req.maxBytes, MAX_FETCH_RESPONSE_BYTES)) : MAX_FETCH_RESPONSE_BYTES;
  return new Promise((resolve) => {
    const answer = (fromRm: FetchPartitionResult[]) => {
      let next = 0;
      for (let i = 0; i < results.length; i++) if (results[i] === undefined) results[i] = fromRm[next++];
      assert(next === fromRm.length, () => `fetch: ${fromRm.length} results for ${next} partitions read`);
      const entries = toRead.map((target, i) => ({ target, result: results[i]! }));
      let include = entries;
      if (session) {
        const incremental = resolution.kind === 'incremental';
        include = [];
        for (const e of entries) {
          const r = e.result;
          const key = FetchSessionCache.key(session, e.target.topic, e.target.topicId, e.target.partition);
          const s = session.partitions.get(key) as SessionPartition | undefined;
          const changed = !s || (r.records?.length ?? 0) > 0 || r.highWatermark !== s.lastHighWatermark || r.logStartOffset !== s.lastLogStartOffset || r.errorCode !== s.lastErrorCode;
          if (s) {
            s.lastHighWatermark = r.highWatermark;
            s.lastLogStartOffset = r.logStartOffset;
            s.lastErrorCode = r.errorCode;
          }
          if (!incremental || changed || requestedKeys.has(key)) include.push(e);
        }
        if (incremental) ctx.fetchSessions.advance(session);
      }
      const magic = fetchMagicFor(version);
      const hints = version >= 16 ? new LeaderHints(ctx) : null;
      const byTopic = new Map<string, typeof include>();
      for (const e of include) {
        const key = byId ? e.target.topicId : e.target.topic;
        const list = byTopic.get(key);
        if (list) list.push(e);
        else byTopic.set(key, [e]);
      }
      resolve({
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        sessionId: session?.id ?? 0,
        responses: [...byTopic.values()].map((es) => ({
          topic: es[0]!.target.topic,
          topicId: es[0]!.target.topicId,
          partitions: es.map(({ target, result: r }) => ({
            partitionIndex: r.partition,
            errorCode: r.errorCode,
            highWatermark: r.highWatermark,
            lastStableOffset: r.lastStableOffset,
            logStartOffset: r.logStartOffset,
            abortedTransactions: version >= 4 ? [] : null,
            preferredReadReplica: -1,
            currentLeader: hints !== null && FETCH_HINT_ERRORS.has(r.errorCode) ? hints.leaderOf(target.topic, target.partition) : undefined,
            // No data is an empty record set, never null (clients reject a -1 size).
            records: !r.records ? EMPTY_RECORDS : magic !== 2 ? downConvertFetchRecords(r.records, magic as 0 | 1, {}) : r.records,
          })),
        })),
        nodeEndpoints: hints?.endpoints() ?? [],
      });
    };
    if (!rm) {
      answer(toRm.map((p) => failedFetch(p, ErrorCode.NOT_LEADER_OR_FOLLOWER)));
      return;
    }
    if (toRm.length === 0) {
      answer([]);
      return;
    }
    const maxWaitMs = anyEarlyError ? 0 : Math.max(0, Math.min(req.maxWaitMs, MAX_FETCH_WAIT_MS));
    rm.fetchMessages({ replicaId: -1, maxWaitMs, minBytes: Math.max(0, req.minBytes), maxBytes, partitions: toRm }, answer);
  });
}

/** Fetch errors that carry KIP-951 leader hints (Fetch v16+). */
const FETCH_HINT_ERRORS: ReadonlySet<number> = new Set([ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.FENCED_LEADER_EPOCH]);

function failedFetch(t: FetchPartitionRequest, errorCode: number): FetchPartitionResult {
  return { topic: t.topic, partition: t.partition, errorCode, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, logEndOffset: -1, records: null };
}

/**
 * The answer for a partition the replica manager need not see: a topic id this broker
 * does not know (UNKNOWN_TOPIC_ID), or a fetch offset beyond ±(2^53 - 1), which no log
 * here reaches (OFFSET_OUT_OF_RANGE from the leader, as Kafka answers any offset past
 * the log end). Undefined for a partition to read.
 */
function earlyFetchAnswer(ctx: WireContext, byId: boolean, t: FetchTarget): FetchPartitionResult | undefined {
  if (byId && t.topic === '') return failedFetch(t, ErrorCode.UNKNOWN_TOPIC_ID);
  if (isExactInt64(t.fetchOffset)) return undefined;
  if (ctx.broker.replicaManager?.partition(t.topic, t.partition)?.isLeader) return failedFetch(t, ErrorCode.OFFSET_OUT_OF_RANGE);
  return failedFetch(t, partitionOf(ctx.broker.image, t.topic, t.partition) ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
}

/**
 * KIP-951 leader hints: for a partition refused because this broker does not lead it,
 * the leader and epoch its metadata image names, and the endpoints of those leaders, so
 * a client redirects without a Metadata round trip. A leader the image does not know
 * gives no hint (leaderId -1).
 */
class LeaderHints {
  private readonly leaders = new Set<number>();

  constructor(private readonly ctx: WireContext) {}

  leaderOf(topic: string, partition: number): { leaderId: number; leaderEpoch: number } {
    const p = partitionOf(this.ctx.broker.image, topic, partition);
    if (!p || p.leader === NO_LEADER) return { leaderId: -1, leaderEpoch: -1 };
    this.leaders.add(p.leader);
    return { leaderId: p.leader, leaderEpoch: p.leaderEpoch };
  }

  endpoints(): { nodeId: number; host: string; port: number; rack: null }[] {
    return this.ctx.broker.image.liveBrokers.filter((b) => this.leaders.has(b.id)).map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: null }));
  }
}

// ------------------------------------------------------------------ ListOffsets

/** ListOffsets' special timestamps (Kafka's ListOffsetsRequest), and the version each needs. */
const LATEST_TIMESTAMP = -1;
const EARLIEST_TIMESTAMP = -2;
const MAX_TIMESTAMP = -3;
const EARLIEST_LOCAL_TIMESTAMP = -4;
const LATEST_TIERED_TIMESTAMP = -5;
const SPECIAL_TIMESTAMP_MIN_VERSION: ReadonlyMap<number, number> = new Map([
  [LATEST_TIMESTAMP, 0],
  [EARLIEST_TIMESTAMP, 0],
  [MAX_TIMESTAMP, 7],
  [EARLIEST_LOCAL_TIMESTAMP, 8],
  [LATEST_TIERED_TIMESTAMP, 9],
]);

/** A negative timestamp that is not a special one, or one the version predates: UNSUPPORTED_VERSION. */
function listOffsetsTimestampUnsupported(timestamp: number, version: number): boolean {
  if (timestamp >= 0) return false;
  const minVersion = SPECIAL_TIMESTAMP_MIN_VERSION.get(timestamp);
  return minVersion === undefined || version < minVersion;
}

export async function handleListOffsets(ctx: WireContext, version: number, req: ListOffsetsRequest): Promise<ListOffsetsResponseInput> {
  const rm = ctx.broker.replicaManager;
  const topics = [];
  for (const t of req.topics) {
    const partitions = [];
    for (const q of t.partitions) {
      const base = { partitionIndex: q.partitionIndex, oldStyleOffsets: [] as number[], timestamp: -1, offset: -1, leaderEpoch: -1 };
      if (listOffsetsTimestampUnsupported(q.timestamp, version)) {
        partitions.push({ ...base, errorCode: ErrorCode.UNSUPPORTED_VERSION });
        continue;
      }
      const p = rm?.partition(t.name, q.partitionIndex);
      const known = ctx.broker.image.topics.get(t.name)?.partitions[q.partitionIndex] !== undefined;
      if (!p || !p.isLeader) {
        partitions.push({ ...base, errorCode: known ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
        continue;
      }
      if (q.currentLeaderEpoch >= 0 && q.currentLeaderEpoch < p.leaderEpoch) {
        partitions.push({ ...base, errorCode: ErrorCode.FENCED_LEADER_EPOCH });
        continue;
      }
      if (q.currentLeaderEpoch > p.leaderEpoch) {
        partitions.push({ ...base, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH });
        continue;
      }
      if (req.replicaId < 0 && p.highWatermark < p.leaderEpochStartOffset) {
        // KIP-207: a new leader's HW may still be behind the previous leader's.
        partitions.push({ ...base, errorCode: ErrorCode.OFFSET_NOT_AVAILABLE });
        continue;
      }
      if (q.timestamp === LATEST_TIMESTAMP) {
        // Latest: the high watermark for consumers (no transactions, so read_committed's LSO is the same).
        const offset = req.replicaId >= 0 ? p.logEndOffset : p.highWatermark;
        partitions.push({ ...base, errorCode: ErrorCode.NONE, offset, oldStyleOffsets: version === 0 ? [offset] : [], leaderEpoch: p.leaderEpoch });
        continue;
      }
      if (q.timestamp === EARLIEST_TIMESTAMP || q.timestamp === EARLIEST_LOCAL_TIMESTAMP) {
        // Without tiered storage the local log is the whole log: earliest-local is earliest.
        const offset = p.log.logStartOffset;
        partitions.push({ ...base, errorCode: ErrorCode.NONE, offset, oldStyleOffsets: version === 0 ? [offset] : [], leaderEpoch: p.log.latestEpoch() });
        continue;
      }
      if (q.timestamp === LATEST_TIERED_TIMESTAMP || !isExactInt64(q.timestamp)) {
        // Nothing is tiered here, so no offset (Kafka answers -1 with epoch -1); and no
        // record carries a timestamp beyond 2^53 ms, so such a search finds nothing.
        partitions.push({ ...base, errorCode: ErrorCode.NONE });
        continue;
      }
      try {
        const found = await p.log.offsetForTimestamp(q.timestamp);
        if (!found || found.offset >= p.highWatermark) {
          partitions.push({ ...base, errorCode: ErrorCode.NONE, oldStyleOffsets: [] });
        } else {
          partitions.push({ ...base, errorCode: ErrorCode.NONE, timestamp: found.timestampMs, offset: found.offset, oldStyleOffsets: version === 0 ? [found.offset] : [], leaderEpoch: found.leaderEpoch });
        }
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        partitions.push({ ...base, errorCode: typeof code === 'number' ? code : ErrorCode.KAFKA_STORAGE_ERROR });
      }
    }
    // Fields a version lacks must hold their defaults (the codec refuses anything else).
    topics.push({
      name: t.name,
      partitions: partitions.map((p) => ({
        ...p,
        timestamp: version >= 1 ? p.timestamp : -1,
        offset: version >= 1 ? p.offset : -1,
        leaderEpoch: version >= 4 ? p.leaderEpoch : -1,
      })),
    });
  }
  return { throttleTimeMs: 0, topics };
}

// ------------------------------------------------------------------ OffsetForLeaderEpoch (consumers, KIP-320)

export function handleOffsetForLeaderEpoch(ctx: WireContext, _version: number, req: OffsetForLeaderEpochRequest): OffsetForLeaderEpochResponseInput {
  const answer = ctx.broker.replicaManager
    ? ctx.broker.offsetForLeaderEpoch({
        type: 'offset-for-leader-epoch',
        replicaId: req.replicaId,
        partitions: req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, currentLeaderEpoch: p.currentLeaderEpoch, leaderEpoch: p.leaderEpoch }))),
      })
    : { errorCode: ErrorCode.NONE, partitions: req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, leaderEpoch: -1, endOffset: -1 }))) };
  const byTopic = new Map<string, typeof answer.partitions>();
  for (const p of answer.partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);
  return {
    throttleTimeMs: 0,
    topics: [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps.map((p) => ({ errorCode: p.errorCode, partition: p.partition, leaderEpoch: p.leaderEpoch, endOffset: p.endOffset })) })),
  };
}

// ------------------------------------------------------------------ DeleteRecords

export function handleDeleteRecords(ctx: WireContext, _version: number, req: DeleteRecordsRequest): DeleteRecordsResponseInput {
  const rm = ctx.broker.replicaManager;
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((q) => {
        const p = rm?.partition(t.name, q.partitionIndex);
        if (!p || !p.isLeader) {
          const known = ctx.broker.image.topics.get(t.name)?.partitions[q.partitionIndex] !== undefined;
          return { partitionIndex: q.partitionIndex, lowWatermark: -1, errorCode: known ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        }
        const target = q.offset === -1 ? p.highWatermark : q.offset;
        if (!isExactInt64(target) || target < 0 || target > p.highWatermark) return { partitionIndex: q.partitionIndex, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
        try {
          const low = p.log.deleteRecordsBefore(target);
          return { partitionIndex: q.partitionIndex, lowWatermark: low, errorCode: ErrorCode.NONE };
        } catch (err) {
          const code = (err as { code?: unknown }).code;
          return { partitionIndex: q.partitionIndex, lowWatermark: -1, errorCode: typeof code === 'number' ? code : ErrorCode.KAFKA_STORAGE_ERROR };
        }
      }),
    })),
  };
}
