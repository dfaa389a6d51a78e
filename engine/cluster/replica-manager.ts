/**
 * A broker's replicas and the requests that touch them: produce (with acks 0, 1,
 * all), fetch (from consumers up to the high watermark, from followers up to the
 * log end), and the leader/follower transitions the metadata image dictates.
 *
 * Produce, per partition: leader check → batch validation (CRC, lengths, records,
 * keys on compacted topics) → size check (max.message.bytes) → with acks=all, the
 * ISR must have at least min.insync.replicas members (NOT_ENOUGH_REPLICAS, nothing
 * appended) → idempotence check (a retried batch is acknowledged with its original
 * offsets, an out-of-order one refused) → append. acks=all then waits in purgatory
 * until the HW passes the batch; if leadership is lost first the answer is
 * NOT_LEADER_OR_FOLLOWER, if time runs out REQUEST_TIMED_OUT.
 *
 * Fetch: the stored batch bytes are handed out as they are (never decoded or
 * re-encoded) and counted as zero-copy bytes. The first partition with data may
 * exceed the size limits (KIP-74); a fetch with nothing to return waits up to
 * maxWaitMs for data. A new leader answers consumers OFFSET_NOT_AVAILABLE until its
 * HW reaches the start of its epoch (KIP-207's rule), so the HW a consumer sees
 * never goes backwards across a leader change.
 *
 * Invariants: a batch is appended at most once per produce attempt; every delayed
 * operation completes exactly once; a partition's HW only rises while it leads an
 * epoch.
 */
import { ErrorCode } from '../protocol/errors';
import { assert } from '../util/assert';
import type { Clock } from '../util/clock';
import type { ClusterConfig } from './config';
import { NO_LEADER, type MetadataImage, type PartitionState } from './metadata-image';
import { Partition } from './partition';
import type { ProducerBatchHeader } from './producer-state';
import { Purgatory, type DelayedOperation } from './purgatory';
import type { ReplicaLog } from './replica-log';

/** Facts about a produced batch, established by validation before anything is appended. */
export interface ValidatedBatch extends ProducerBatchHeader {
  sizeBytes: number;
  maxTimestampMs: number;
  /** The codec the batch arrived with (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
  codec?: number;
  /** Set when the batch to append is not the one received (re-encoded for compression.type). */
  records?: Buffer;
}

/** Validation refuses a batch by throwing an error carrying a Kafka code. */
export interface BatchRejection {
  code: number;
  message: string;
  recordErrors?: { batchIndex: number; message: string }[];
}

export type BatchValidator = (batch: Buffer, opts: { requireKeys: boolean }) => ValidatedBatch | Promise<ValidatedBatch>;

/** The topic configs replication needs, already parsed. */
export interface EffectiveTopicConfig {
  minInsyncReplicas: number;
  maxMessageBytes: number;
  compact: boolean;
  /** compression.type as a codec id, or null for "producer" (keep the producer's codec). */
  compressionCodec: number | null;
}

/** Re-encodes a batch with another codec (sync, or async when zstd is involved). */
export type BatchRecompressor = (batch: Buffer, codec: number) => Buffer | Promise<Buffer>;

export interface ReplicaManagerDeps {
  brokerId: number;
  clock: Clock;
  config: ClusterConfig;
  validateBatch: BatchValidator;
  /** Re-encodes batches for topics whose compression.type names a codec (absent: never). */
  recompress?: BatchRecompressor;
  topicConfig: (topic: string) => EffectiveTopicConfig;
  /** Opens (creating if needed) this broker's log for a partition, and its checkpointed HW. */
  openLog: (topic: string, partition: number, topicId: string) => { log: ReplicaLog; highWatermark: number };
  /** Deletes this broker's log for a partition (topic deleted). */
  deleteLog: (topic: string, partition: number) => void;
  /** Sends an ISR change to the controller; the reply (or null on failure) comes back later. */
  alterPartition: (p: Partition, newIsr: number[], done: (state: PartitionState | null, errorCode: number) => void) => void;
  /** Follower fetching starts (or restarts, after a leader/epoch change) or stops for a partition. */
  onFollowerChange: (p: Partition, leaderId: number | null) => void;
  /** Something observable changed (for snapshots). */
  onChange: () => void;
  /** Batches appended or replicated, for observers (the UI's throughput, the group coordinator). */
  onAppend?: (p: Partition, bytes: number, records: number) => void;
  /** This replica became leader (true) or stopped leading (false). */
  onLeadershipChange?: (p: Partition, isLeader: boolean) => void;
  /** A write failed on the disk (KAFKA_STORAGE_ERROR): the broker stops. */
  onDiskFailure?: (err: unknown) => void;
  /** Why a client write to `topic` must be refused now (the disk is nearly full), or null. */
  refuseWrite?: (topic: string) => string | null;
  /** A produce to a partition led here was refused by the leader itself (not a leadership move). */
  onProduceRefused?: (topic: string, partition: number, errorCode: number, message: string | null) => void;
}

export interface ProduceEntry {
  topic: string;
  partition: number;
  records: Buffer | null;
}

export interface ProduceResult {
  topic: string;
  partition: number;
  errorCode: number;
  errorMessage: string | null;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
  recordErrors: { batchIndex: number; message: string }[];
}

export interface FetchPartitionRequest {
  topic: string;
  partition: number;
  fetchOffset: number;
  /** -1 when the client does not know (older fetch versions). */
  currentLeaderEpoch: number;
  partitionMaxBytes: number;
}

export interface FetchRequestInternal {
  /** -1 for consumers, the broker id for followers. */
  replicaId: number;
  /** A follower's broker epoch (which incarnation is fetching); -1 for consumers. */
  replicaEpoch?: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitions: FetchPartitionRequest[];
}

export interface FetchPartitionResult {
  topic: string;
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  logEndOffset: number;
  records: Buffer | null;
}

export interface ReplicaStats {
  bytesIn: number;
  recordsIn: number;
  bytesOutToConsumers: number;
  bytesOutToFollowers: number;
}

const MAX_DELAYED_OPERATIONS = 50_000;
/** Refusals that only mean "ask another broker": not reported as the leader refusing a write. */
const LEADERSHIP_ERRORS: ReadonlySet<number> = new Set([ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.LEADER_NOT_AVAILABLE]);

export class ReplicaManager {
  private readonly partitions = new Map<string, Partition>();
  private readonly producePurgatory: Purgatory;
  private readonly fetchPurgatory: Purgatory;
  private image: MetadataImage | null = null;
  readonly stats: ReplicaStats = { bytesIn: 0, recordsIn: 0, bytesOutToConsumers: 0, bytesOutToFollowers: 0 };
  private closed = false;

  constructor(private readonly deps: ReplicaManagerDeps) {
    this.producePurgatory = new Purgatory(deps.clock, MAX_DELAYED_OPERATIONS);
    this.fetchPurgatory = new Purgatory(deps.clock, MAX_DELAYED_OPERATIONS);
  }

  get brokerId(): number {
    return this.deps.brokerId;
  }

  partition(topic: string, partition: number): Partition | undefined {
    return this.partitions.get(`${topic}-${partition}`);
  }

  allPartitions(): IterableIterator<Partition> {
    return this.partitions.values();
  }

  // ------------------------------------------------------------------ metadata

  /** Applies a metadata image: become leader or follower, create or delete replicas. */
  applyImage(image: MetadataImage): void {
    if (this.closed) return;
    this.image = image;
    const nowMs = this.deps.clock.monotonicMs();
    const wanted = new Set<string>();
    for (const topic of image.topics.values()) {
      for (const state of topic.partitions) {
        if (!state.replicas.includes(this.brokerId)) continue;
        const key = `${state.topic}-${state.partition}`;
        wanted.add(key);
        let p = this.partitions.get(key);
        if (p && p.topicId !== topic.topicId) {
          this.removePartition(p, true);
          p = undefined;
        }
        if (!p) {
          const { log, highWatermark } = this.deps.openLog(state.topic, state.partition, topic.topicId);
          p = new Partition(this.brokerId, state.topic, state.partition, log, highWatermark);
          p.topicId = topic.topicId;
          this.partitions.set(key, p);
        }
        this.applyState(p, state, nowMs);
      }
    }
    for (const p of [...this.partitions.values()]) {
      if (!wanted.has(p.key)) this.removePartition(p, true);
    }
    this.deps.onChange();
  }

  private applyState(p: Partition, state: PartitionState, nowMs: number): void {
    if (state.leader === this.brokerId) {
      const wasLeader = p.isLeader && p.leaderEpoch === state.leaderEpoch;
      if (wasLeader) p.applyIsr(state);
      else {
        const before = p.isLeader;
        if (p.makeLeader(state, nowMs)) {
          this.deps.onFollowerChange(p, null);
          this.producePurgatory.checkAndComplete(p.key);
          // A new epoch of leadership: observers reload even if we led the previous one.
          if (before) this.deps.onLeadershipChange?.(p, false);
          this.deps.onLeadershipChange?.(p, true);
        }
      }
      return;
    }
    const wasLeader = p.isLeader;
    if (p.makeFollower(state)) {
      if (wasLeader) {
        // Waiting acks=all produces and fetches can no longer be served from here.
        this.producePurgatory.expireAll(p.key);
        this.fetchPurgatory.checkAndComplete(p.key);
        this.deps.onLeadershipChange?.(p, false);
      }
      this.deps.onFollowerChange(p, state.leader === NO_LEADER ? null : state.leader);
    }
  }

  private removePartition(p: Partition, deleteLog: boolean): void {
    if (p.isLeader) this.deps.onLeadershipChange?.(p, false);
    this.partitions.delete(p.key);
    this.deps.onFollowerChange(p, null);
    p.role = 'none';
    this.producePurgatory.expireAll(p.key);
    this.fetchPurgatory.checkAndComplete(p.key);
    if (deleteLog) this.deps.deleteLog(p.topic, p.partition);
  }

  // ------------------------------------------------------------------ produce

  appendRecords(acks: number, timeoutMs: number, entries: ProduceEntry[], done: (results: ProduceResult[]) => void): void {
    if (acks !== -1 && acks !== 0 && acks !== 1) {
      done(entries.map((e) => this.produceError(e, ErrorCode.INVALID_REQUIRED_ACKS, `acks must be -1 (all), 0 or 1, not ${acks}.`)));
      return;
    }
    const validations = entries.map((e) => this.validateEntry(e));
    const anyAsync = validations.some((v) => v instanceof Promise);
    const proceed = (checked: (ValidatedBatch | ProduceResult)[]) => this.appendValidated(acks, timeoutMs, entries, checked, done);
    if (!anyAsync) proceed(validations as (ValidatedBatch | ProduceResult)[]);
    else void Promise.all(validations).then(proceed);
  }

  private validateEntry(e: ProduceEntry): ValidatedBatch | ProduceResult | Promise<ValidatedBatch | ProduceResult> {
    const p = this.partitions.get(`${e.topic}-${e.partition}`);
    if (!p || !p.isLeader) {
      const known = this.image?.topics.get(e.topic)?.partitions[e.partition] !== undefined;
      return this.produceError(e, known ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, known ? `Broker ${this.brokerId} is not the leader of ${e.topic}-${e.partition}.` : `Unknown topic or partition ${e.topic}-${e.partition}.`);
    }
    if (!e.records || e.records.length === 0) return this.produceError(e, ErrorCode.INVALID_RECORD, 'The produce request carried no record batch.');
    const cfg = this.deps.topicConfig(e.topic);
    const reject = (err: unknown): ProduceResult => {
      const r = err as BatchRejection;
      if (typeof r?.code !== 'number') throw err;
      return { ...this.produceError(e, r.code, r.message), recordErrors: r.recordErrors ?? [] };
    };
    // As Kafka: a topic whose compression.type names a codec stores batches in it,
    // re-encoding what producers sent otherwise (the one case the broker re-compresses).
    const recompress = (v: ValidatedBatch): ValidatedBatch | Promise<ValidatedBatch> => {
      const target = cfg.compressionCodec;
      if (target === null || v.codec === undefined || v.codec === target || !this.deps.recompress) return v;
      const out = this.deps.recompress(e.records!, target);
      return out instanceof Promise ? out.then((records) => ({ ...v, records, sizeBytes: records.length, codec: target })) : { ...v, records: out, sizeBytes: out.length, codec: target };
    };
    try {
      const v = this.deps.validateBatch(e.records, { requireKeys: cfg.compact });
      if (v instanceof Promise) return v.then(recompress).then((ok) => ok, reject);
      const r = recompress(v);
      return r instanceof Promise ? r.then((ok) => ok, reject) : r;
    } catch (err) {
      return reject(err);
    }
  }

  private appendValidated(acks: number, timeoutMs: number, entries: ProduceEntry[], checked: (ValidatedBatch | ProduceResult)[], done: (results: ProduceResult[]) => void): void {
    const results: ProduceResult[] = [];
    const waitFor: { p: Partition; requiredOffset: number; leaderEpoch: number; index: number }[] = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const c = checked[i];
      if ('errorCode' in c) {
        results.push(c);
        continue;
      }
      const r = this.appendOne(e, c, acks);
      results.push(r.result);
      if (r.waitForOffset !== null) waitFor.push({ p: r.partition!, requiredOffset: r.waitForOffset, leaderEpoch: r.partition!.leaderEpoch, index: i });
    }
    if (this.deps.onProduceRefused) {
      for (const r of results) {
        if (r.errorCode !== ErrorCode.NONE && !LEADERSHIP_ERRORS.has(r.errorCode)) this.deps.onProduceRefused(r.topic, r.partition, r.errorCode, r.recordErrors[0]?.message ?? r.errorMessage);
      }
    }
    if (acks !== -1 || waitFor.length === 0) {
      done(results);
      return;
    }
    const op: DelayedOperation = {
      keys: waitFor.map((w) => w.p.key),
      tryComplete: () => {
        for (const w of waitFor) {
          const lost = !w.p.isLeader || w.p.leaderEpoch !== w.leaderEpoch || this.partitions.get(w.p.key) !== w.p;
          if (!lost && w.p.highWatermark < w.requiredOffset) return false;
        }
        this.finishDelayedProduce(waitFor, results, false);
        done(results);
        return true;
      },
      onExpire: () => {
        this.finishDelayedProduce(waitFor, results, true);
        done(results);
      },
    };
    if (!this.producePurgatory.tryCompleteElseWatch(op, timeoutMs)) {
      for (const w of waitFor) results[w.index] = { ...results[w.index], errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: 'The broker has too many produce requests waiting for replication.' };
      done(results);
    }
  }

  private finishDelayedProduce(waitFor: { p: Partition; requiredOffset: number; leaderEpoch: number; index: number }[], results: ProduceResult[], expired: boolean): void {
    for (const w of waitFor) {
      const r = results[w.index];
      const lost = !w.p.isLeader || w.p.leaderEpoch !== w.leaderEpoch || this.partitions.get(w.p.key) !== w.p;
      if (lost) results[w.index] = { ...r, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: `Leadership of ${w.p.key} moved before the write was replicated.` };
      else if (w.p.highWatermark >= w.requiredOffset) {
        // As Kafka: committed, but if the ISR shrank below min.insync.replicas meanwhile,
        // the write is on fewer replicas than the producer asked for.
        const minIsr = this.deps.topicConfig(w.p.topic).minInsyncReplicas;
        if (w.p.isr.length < minIsr) {
          results[w.index] = { ...r, errorCode: ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND, errorMessage: `The write to ${w.p.key} was committed by ${w.p.isr.length} in-sync replicas, fewer than min.insync.replicas=${minIsr}.` };
        }
      } else if (expired) results[w.index] = { ...r, errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: `The write to ${w.p.key} was not replicated to all in-sync replicas in time.` };
    }
  }

  private appendOne(e: ProduceEntry, v: ValidatedBatch, acks: number): { result: ProduceResult; waitForOffset: number | null; partition: Partition | null } {
    const p = this.partitions.get(`${e.topic}-${e.partition}`)!;
    const cfg = this.deps.topicConfig(e.topic);
    const fail = (code: number, msg: string) => ({ result: this.produceError(e, code, msg), waitForOffset: null, partition: null });
    if (!p.isLeader) return fail(ErrorCode.NOT_LEADER_OR_FOLLOWER, `Broker ${this.brokerId} is no longer the leader of ${p.key}.`);
    const refusal = this.deps.refuseWrite?.(e.topic) ?? null;
    if (refusal !== null) return fail(ErrorCode.KAFKA_STORAGE_ERROR, refusal);
    if (acks === -1 && p.isr.length < cfg.minInsyncReplicas) {
      return fail(ErrorCode.NOT_ENOUGH_REPLICAS, `The in-sync replicas of ${p.key} (${p.isr.join(', ')}) are fewer than min.insync.replicas=${cfg.minInsyncReplicas}.`);
    }
    const check = p.producers.check(v);
    if (check.kind === 'error') return fail(check.errorCode, check.message);
    if (check.kind === 'duplicate') {
      const waitForOffset = acks === -1 && p.highWatermark <= check.lastOffset ? check.lastOffset + 1 : null;
      return { result: { ...this.produceError(e, ErrorCode.NONE, null), baseOffset: check.firstOffset, logStartOffset: p.log.logStartOffset }, waitForOffset, partition: p };
    }
    let appended;
    try {
      appended = p.log.appendAsLeader(v.records ?? e.records!, p.leaderEpoch);
    } catch (err) {
      const r = err as { code?: unknown; message?: string; recordErrors?: { batchIndex: number; message: string }[] };
      if (typeof r.code !== 'number') throw err;
      if (r.code === ErrorCode.KAFKA_STORAGE_ERROR) this.deps.onDiskFailure?.(err);
      return { result: { ...this.produceError(e, r.code, r.message ?? null), recordErrors: r.recordErrors ? [...r.recordErrors] : [] }, waitForOffset: null, partition: null };
    }
    assert(appended.lastOffset >= appended.baseOffset, 'an appended batch has at least one record');
    p.producers.update(v, appended.baseOffset, appended.lastOffset, this.deps.clock.nowMs());
    this.stats.bytesIn += appended.sizeBytes;
    this.stats.recordsIn += appended.recordCount;
    this.deps.onAppend?.(p, appended.sizeBytes, appended.recordCount);
    if (p.maybeIncrementHighWatermark()) this.onHighWatermarkIncreased(p);
    this.fetchPurgatory.checkAndComplete(p.key);
    this.deps.onChange();
    return {
      result: { ...this.produceError(e, ErrorCode.NONE, null), baseOffset: appended.baseOffset, logAppendTimeMs: appended.logAppendTimeMs, logStartOffset: p.log.logStartOffset },
      waitForOffset: acks === -1 ? appended.lastOffset + 1 : null,
      partition: p,
    };
  }

  private produceError(e: ProduceEntry, errorCode: number, errorMessage: string | null): ProduceResult {
    return { topic: e.topic, partition: e.partition, errorCode, errorMessage, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [] };
  }

  private onHighWatermarkIncreased(p: Partition): void {
    this.producePurgatory.checkAndComplete(p.key);
    this.fetchPurgatory.checkAndComplete(p.key);
    this.deps.onChange();
  }

  // ------------------------------------------------------------------ fetch

  fetchMessages(req: FetchRequestInternal, done: (results: FetchPartitionResult[]) => void): void {
    const isFollower = req.replicaId >= 0;
    const nowMs = this.deps.clock.monotonicMs();
    if (isFollower) {
      // A follower's fetch offset acknowledges what it has; this may move the HW.
      for (const fp of req.partitions) {
        const p = this.partitions.get(`${fp.topic}-${fp.partition}`);
        if (!p || !p.isLeader || fp.currentLeaderEpoch !== p.leaderEpoch) continue;
        if (fp.fetchOffset < p.log.logStartOffset || fp.fetchOffset > p.log.logEndOffset) continue;
        if (p.recordFollowerFetch(req.replicaId, req.replicaEpoch ?? -1, fp.fetchOffset, nowMs)) this.onHighWatermarkIncreased(p);
        this.maybeExpandIsr(p);
      }
    }
    const read = (): { results: FetchPartitionResult[]; bytes: number; anyError: boolean } => {
      let budget = req.maxBytes;
      let bytes = 0;
      let anyError = false;
      const results = req.partitions.map((fp) => {
        const r = this.readPartition(fp, isFollower, budget, bytes === 0);
        if (r.errorCode !== ErrorCode.NONE) anyError = true;
        const n = r.records?.length ?? 0;
        bytes += n;
        budget = Math.max(0, budget - n);
        return r;
      });
      return { results, bytes, anyError };
    };
    const first = read();
    const minBytes = Math.max(1, req.minBytes);
    if (req.maxWaitMs <= 0 || first.bytes >= minBytes || first.anyError || req.partitions.length === 0) {
      this.countOut(isFollower, first);
      done(first.results);
      return;
    }
    let finished = false;
    const op: DelayedOperation = {
      keys: req.partitions.map((fp) => `${fp.topic}-${fp.partition}`),
      tryComplete: () => {
        if (finished) return true;
        const again = read();
        if (again.bytes < minBytes && !again.anyError && !this.closed) return false;
        finished = true;
        this.countOut(isFollower, again);
        done(again.results);
        return true;
      },
      onExpire: () => {
        if (finished) return;
        finished = true;
        const last = read();
        this.countOut(isFollower, last);
        done(last.results);
      },
    };
    if (!this.fetchPurgatory.tryCompleteElseWatch(op, req.maxWaitMs)) op.onExpire();
  }

  /** Counts what a fetch hands out: per broker, and per partition for consumers (stored bytes, not decoded). */
  private countOut(isFollower: boolean, read: { results: FetchPartitionResult[]; bytes: number }): void {
    if (isFollower) {
      this.stats.bytesOutToFollowers += read.bytes;
      return;
    }
    this.stats.bytesOutToConsumers += read.bytes;
    for (const r of read.results) {
      if (r.records && r.records.length > 0) {
        const p = this.partitions.get(`${r.topic}-${r.partition}`);
        if (p) p.bytesToConsumers += r.records.length;
      }
    }
  }

  private readPartition(fp: FetchPartitionRequest, isFollower: boolean, budgetBytes: number, firstWithData: boolean): FetchPartitionResult {
    const base = { topic: fp.topic, partition: fp.partition, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, logEndOffset: -1, records: null as Buffer | null };
    const p = this.partitions.get(`${fp.topic}-${fp.partition}`);
    if (!p) {
      const known = this.image?.topics.get(fp.topic)?.partitions[fp.partition] !== undefined;
      return { ...base, errorCode: known ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    }
    if (!p.isLeader) return { ...base, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
    if (fp.currentLeaderEpoch >= 0 && fp.currentLeaderEpoch < p.leaderEpoch) return { ...base, errorCode: ErrorCode.FENCED_LEADER_EPOCH };
    if (fp.currentLeaderEpoch > p.leaderEpoch) return { ...base, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH };
    if (!isFollower && p.highWatermark < p.leaderEpochStartOffset) {
      // KIP-207, applied to fetch: a new leader does not yet know how far the previous
      // epoch was committed; until its HW reaches the start of its epoch, consumers are
      // told to retry rather than shown a high watermark lower than one they saw before.
      return { ...base, errorCode: ErrorCode.OFFSET_NOT_AVAILABLE };
    }
    const facts = { highWatermark: p.highWatermark, lastStableOffset: p.highWatermark, logStartOffset: p.log.logStartOffset, logEndOffset: p.log.logEndOffset };
    const limit = isFollower ? p.log.logEndOffset : p.highWatermark;
    if (fp.fetchOffset < p.log.logStartOffset || fp.fetchOffset > p.log.logEndOffset) {
      return { ...base, ...facts, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
    }
    if (fp.fetchOffset >= limit) return { ...base, ...facts, errorCode: ErrorCode.NONE };
    const maxBytes = Math.min(fp.partitionMaxBytes, budgetBytes);
    try {
      const records = maxBytes > 0 || firstWithData ? p.log.read(fp.fetchOffset, Math.max(0, maxBytes), limit, firstWithData) : null;
      return { ...base, ...facts, errorCode: ErrorCode.NONE, records };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code !== 'number') throw err;
      return { ...base, ...facts, errorCode: code };
    }
  }

  // ------------------------------------------------------------------ ISR

  private maybeExpandIsr(p: Partition): void {
    const next = p.isrToExpand();
    if (next) this.proposeIsr(p, next);
  }

  /** Periodic: shrinks ISRs of partitions whose followers lag (replica.lag.time.max.ms). */
  checkIsrShrink(): void {
    const nowMs = this.deps.clock.monotonicMs();
    for (const p of this.partitions.values()) {
      const next = p.isrToShrink(nowMs, this.deps.config.replicaLagTimeMaxMs);
      if (next) this.proposeIsr(p, next);
    }
  }

  private proposeIsr(p: Partition, newIsr: number[]): void {
    p.pendingIsr = newIsr;
    if (p.maybeIncrementHighWatermark()) this.onHighWatermarkIncreased(p);
    const epoch = p.leaderEpoch;
    this.deps.alterPartition(p, newIsr, (state, errorCode) => {
      if (this.partitions.get(p.key) !== p || p.leaderEpoch !== epoch) return;
      if (p.pendingIsr === newIsr) p.pendingIsr = null;
      if (state && errorCode === ErrorCode.NONE) p.applyIsr(state);
      else if (state && state.leaderEpoch === p.leaderEpoch && state.partitionEpoch > p.partitionEpoch) p.applyIsr(state);
      if (p.maybeIncrementHighWatermark()) this.onHighWatermarkIncreased(p);
      this.producePurgatory.checkAndComplete(p.key);
      this.deps.onChange();
    });
  }

  // ------------------------------------------------------------------ follower side

  /** Appends batches fetched from the leader; returns the bytes appended. */
  appendFromLeader(p: Partition, records: Buffer, leaderHighWatermark: number, headers: (ValidatedBatch & { baseOffset: number; lastOffset: number })[]): number {
    p.log.appendAsFollower(records);
    for (const h of headers) p.producers.update(h, h.baseOffset, h.lastOffset, this.deps.clock.nowMs());
    p.updateFollowerHighWatermark(leaderHighWatermark);
    this.deps.onAppend?.(p, records.length, headers.reduce((n, h) => n + h.recordCount, 0));
    this.deps.onChange();
    return records.length;
  }

  close(): void {
    this.closed = true;
    this.producePurgatory.shutdown();
    this.fetchPurgatory.shutdown();
  }
}
