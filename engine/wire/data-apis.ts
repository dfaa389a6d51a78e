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
 * Bounds: maxWaitMs is capped at MAX_FETCH_WAIT_MS and maxBytes at
 * MAX_FETCH_RESPONSE_BYTES (Kafka's fetch.max.bytes), so one request cannot pin the
 * broker or make it buffer without limit.
 */
import { ErrorCode } from '../protocol/errors';
import type { FetchRequest, FetchResponseInput } from '../protocol/apis/fetch';
import type { ListOffsetsRequest, ListOffsetsResponseInput } from '../protocol/apis/list-offsets';
import type { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponseInput } from '../protocol/apis/offset-for-leader-epoch';
import type { ProduceRequest, ProduceResponseInput } from '../protocol/apis/produce';
import type { DeleteRecordsRequest, DeleteRecordsResponseInput } from '../protocol/apis/delete-records';
import type { FetchPartitionRequest, FetchPartitionResult, ProduceEntry, ProduceResult } from '../cluster/replica-manager';
import { TimestampType } from '../storage/record-batch';
import { downConvertFetchRecords, fetchMagicFor, produceMagicFor, upConvertProduceRecords } from '../protocol/legacy-records';
import type { WireContext } from './context';
import { MAX_PARTITIONS_PER_SESSION, type SessionPartition } from './fetch-sessions';
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
      entries.push({ topic: t.name, partition: p.index, records });
    }
  }
  return new Promise((resolve) => {
    const finish = (results: ProduceResult[]) => {
      if (req.acks === 0) return resolve(null);
      const all = [...early, ...results];
      const byTopic = new Map<string, ProduceResult[]>();
      for (const r of all) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
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
          })),
        })),
        throttleTimeMs: 0,
      });
    };
    if (!rm || entries.length === 0) {
      finish(entries.map((e) => ({ topic: e.topic, partition: e.partition, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: null, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [] })));
      return;
    }
    rm.appendRecords(req.acks, Math.max(0, Math.min(req.timeoutMs, 300_000)), entries, finish);
  });
}

// ------------------------------------------------------------------ Fetch

export function handleFetch(ctx: WireContext, version: number, req: FetchRequest): Promise<FetchResponseInput> {
  const rm = ctx.broker.replicaManager;
  const nowMs = ctx.clock.monotonicMs();
  const emptyError = (errorCode: number): FetchResponseInput => ({ throttleTimeMs: 0, errorCode, sessionId: 0, responses: [] });
  const resolution = version >= 7 ? ctx.fetchSessions.resolve(req.sessionId, req.sessionEpoch, nowMs) : { kind: 'sessionless' as const };
  if (resolution.kind === 'error') return Promise.resolve(emptyError(resolution.errorCode));

  const requested: FetchPartitionRequest[] = [];
  for (const t of req.topics) for (const p of t.partitions) {
    requested.push({ topic: t.topic, partition: p.partition, fetchOffset: p.fetchOffset, currentLeaderEpoch: p.currentLeaderEpoch, partitionMaxBytes: Math.max(0, p.partitionMaxBytes) });
  }

  // With a session, the partitions to read are the session's; the request only edits it.
  let session = resolution.kind === 'sessionless' ? null : resolution.session;
  let toRead = requested;
  if (session) {
    if (resolution.kind === 'new') session.partitions.clear();
    for (const f of req.forgottenTopicsData) for (const p of f.partitions) session.partitions.delete(`${f.topic}-${p}`);
    for (const r of requested) {
      const key = `${r.topic}-${r.partition}`;
      const prev = session.partitions.get(key);
      if (!prev && session.partitions.size >= MAX_PARTITIONS_PER_SESSION) return Promise.resolve(emptyError(ErrorCode.INVALID_REQUEST));
      session.partitions.set(key, {
        topic: r.topic, partition: r.partition, fetchOffset: r.fetchOffset, partitionMaxBytes: r.partitionMaxBytes, currentLeaderEpoch: r.currentLeaderEpoch,
        lastHighWatermark: prev?.lastHighWatermark ?? -2, lastLogStartOffset: prev?.lastLogStartOffset ?? -2, lastErrorCode: prev?.lastErrorCode ?? -2,
      });
    }
    toRead = [...session.partitions.values()].map((s) => ({ topic: s.topic, partition: s.partition, fetchOffset: s.fetchOffset, currentLeaderEpoch: s.currentLeaderEpoch, partitionMaxBytes: s.partitionMaxBytes }));
  }

  const maxBytes = version >= 3 ? Math.max(0, Math.min(req.maxBytes, MAX_FETCH_RESPONSE_BYTES)) : MAX_FETCH_RESPONSE_BYTES;
  return new Promise((resolve) => {
    const answer = (results: FetchPartitionResult[]) => {
      let include = results;
      if (session) {
        const incremental = resolution.kind === 'incremental';
        include = [];
        for (const r of results) {
          const s = session.partitions.get(`${r.topic}-${r.partition}`) as SessionPartition | undefined;
          const changed = !s || (r.records?.length ?? 0) > 0 || r.highWatermark !== s.lastHighWatermark || r.logStartOffset !== s.lastLogStartOffset || r.errorCode !== s.lastErrorCode;
          if (s) {
            s.lastHighWatermark = r.highWatermark;
            s.lastLogStartOffset = r.logStartOffset;
            s.lastErrorCode = r.errorCode;
          }
          if (!incremental || changed || requested.some((q) => q.topic === r.topic && q.partition === r.partition)) include.push(r);
        }
        if (incremental) ctx.fetchSessions.advance(session);
      }
      const magic = fetchMagicFor(version);
      const byTopic = new Map<string, FetchPartitionResult[]>();
      for (const r of include) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
      resolve({
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        sessionId: session?.id ?? 0,
        responses: [...byTopic].map(([topic, rs]) => ({
          topic,
          partitions: rs.map((r) => ({
            partitionIndex: r.partition,
            errorCode: r.errorCode,
            highWatermark: r.highWatermark,
            lastStableOffset: r.lastStableOffset,
            logStartOffset: r.logStartOffset,
            abortedTransactions: version >= 4 ? [] : null,
            preferredReadReplica: -1,
            // No data is an empty record set, never null (clients reject a -1 size).
            records: !r.records ? EMPTY_RECORDS : magic !== 2 ? downConvertFetchRecords(r.records, magic as 0 | 1, {}) : r.records,
          })),
        })),
      });
    };
    if (!rm) {
      answer(toRead.map((p) => ({ topic: p.topic, partition: p.partition, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, logEndOffset: -1, records: null })));
      return;
    }
    rm.fetchMessages(
      { replicaId: -1, maxWaitMs: Math.max(0, Math.min(req.maxWaitMs, MAX_FETCH_WAIT_MS)), minBytes: Math.max(0, req.minBytes), maxBytes, partitions: toRead },
      answer,
    );
  });
}

// ------------------------------------------------------------------ ListOffsets

export async function handleListOffsets(ctx: WireContext, version: number, req: ListOffsetsRequest): Promise<ListOffsetsResponseInput> {
  const rm = ctx.broker.replicaManager;
  const topics = [];
  for (const t of req.topics) {
    const partitions = [];
    for (const q of t.partitions) {
      const base = { partitionIndex: q.partitionIndex, oldStyleOffsets: [] as number[], timestamp: -1, offset: -1, leaderEpoch: -1 };
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
      if (q.timestamp === -1) {
        // Latest: the high watermark for consumers (no transactions, so read_committed's LSO is the same).
        const offset = req.replicaId >= 0 ? p.logEndOffset : p.highWatermark;
        partitions.push({ ...base, errorCode: ErrorCode.NONE, offset, oldStyleOffsets: version === 0 ? [offset] : [], leaderEpoch: p.leaderEpoch });
        continue;
      }
      if (q.timestamp === -2) {
        const offset = p.log.logStartOffset;
        partitions.push({ ...base, errorCode: ErrorCode.NONE, offset, oldStyleOffsets: version === 0 ? [offset] : [], leaderEpoch: p.log.latestEpoch() });
        continue;
      }
      if (q.timestamp < -3 || (q.timestamp === -3 && version < 7)) {
        partitions.push({ ...base, errorCode: ErrorCode.UNSUPPORTED_VERSION });
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
        if (target < 0 || target > p.highWatermark) return { partitionIndex: q.partitionIndex, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
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
