/**
 * The Kafka producer: records in, acknowledged offsets out.
 *
 * Algorithm (Kafka's RecordAccumulator + Sender, in one event loop):
 *   - `produce(record)` picks a partition (partitioner.ts), appends the record to that
 *     partition's open batch (batch-builder.ts) and returns at once; a full batch is
 *     closed and a new one opened. Memory for batches comes from `bufferMemory`: when it
 *     is used up, or the topic's metadata is not known yet, the record waits in a FIFO
 *     and `produce` returns a promise that settles when it was accepted (backpressure);
 *     records behind a waiting one wait too, so order is kept. A record waits at most
 *     `maxBlockMs`.
 *   - The sender runs on the next turn of the event loop after a batch became sendable:
 *     full, older than `lingerMs`, or a flush/close is in progress. It groups sendable
 *     batches by partition leader, at most one batch per partition per request and at
 *     most `maxRequestSize` bytes per request, and sends one Produce request per broker
 *     while that broker has fewer than `maxInFlightRequestsPerConnection` of our
 *     requests outstanding.
 *   - Answers complete batches: each record's delivery report gets baseOffset + its
 *     index. Retriable errors (Kafka's table, plus lost connections and timeouts) put the
 *     batch back at the front of its partition's queue, in sequence order, after
 *     `retryBackoffMs`, with a metadata refresh for leadership errors; a batch older than
 *     `deliveryTimeoutMs` fails instead. Other errors fail the batch's records.
 *   - Idempotence (default with acks=all, as in Kafka 3.x): InitProducerId once, then
 *     per partition a sequence number per record, assigned when a batch is first sent and
 *     kept across retries; at most 5 requests in flight per broker; a retried batch is
 *     sent only when nothing else of its partition is in flight, so the broker sees the
 *     sequences in order and de-duplicates a batch that had been written before. An
 *     OUT_OF_ORDER_SEQUENCE_NUMBER behind a batch being retried is itself retried.
 *
 * Bounds: batch memory ≤ bufferMemory (one oversized record may exceed batch.size but
 * not bufferMemory or maxRequestSize); in-flight requests per broker ≤ the configured
 * maximum; waiting records ≤ maxQueuedRecords.
 *
 * Invariants: within a partition, records are acknowledged in the order `produce` was
 * called; every record's callback runs exactly once; flush() resolves only when every
 * record produced before it has its delivery report.
 */
import { ApiKey, ErrorCode, type ResponseOf } from '../protocol';
import { CODEC_NAMES, Codec, codecFromName, type CodecId, type CodecName } from '../storage/compression';
import { assert } from '../util/assert';
import type { Clock, TimerHandle } from '../util/clock';
import { BatchBuilder, recordSizeUpperBound, type HeaderEntry } from './batch-builder';
import { Cluster, withRetries, type ClientConfig, type PartitionInfo } from './cluster';
import { ClientClosedError, ClientTimeoutError, KafkaClientError, KafkaProtocolError } from './errors';
import { DefaultPartitioner, type Partitioner } from './partitioner';

export type Acks = 0 | 1 | -1 | 'all';
/** A codec as Kafka's producer compression.type names it (storage/codec-table.ts). */
export type CompressionName = CodecName;

export interface ProducerConfig extends ClientConfig {
  acks?: Acks;
  /** Kafka's batch.size: bytes per batch (default 16384). */
  batchSize?: number;
  /** Kafka's linger.ms (default 0: batches leave on the next event-loop turn). */
  lingerMs?: number;
  /** Kafka's buffer.memory (default 32 MiB). */
  bufferMemory?: number;
  compression?: CompressionName;
  /** Kafka's enable.idempotence; defaults to true when acks is all. */
  idempotent?: boolean;
  /** Kafka's max.in.flight.requests.per.connection (default 5; at most 5 with idempotence). */
  maxInFlightRequestsPerConnection?: number;
  /** Kafka's delivery.timeout.ms (default 120000). */
  deliveryTimeoutMs?: number;
  /** Kafka's max.request.size (default 1 MiB). */
  maxRequestSize?: number;
  /** Kafka's max.block.ms: how long produce() waits for metadata or memory (default 60000). */
  maxBlockMs?: number;
  /** Records allowed to wait for metadata or memory (default 100000). */
  maxQueuedRecords?: number;
  partitioner?: Partitioner;
  /** Whether Metadata may auto-create a topic the producer sends to (default true, as Kafka's producer). */
  allowAutoTopicCreation?: boolean;
}

export interface ProducerRecord {
  topic: string;
  partition?: number;
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: readonly HeaderEntry[] | Readonly<Record<string, Buffer | string>>;
  timestampMs?: number;
}

export interface RecordMetadata {
  topic: string;
  partition: number;
  /** -1 with acks=0 (no answer) or when a retried batch was a duplicate. */
  offset: number;
  timestampMs: number;
}

export type DeliveryCallback = (err: Error | null, metadata: RecordMetadata | null) => void;

interface Batch {
  readonly pq: PartitionQueue;
  readonly builder: BatchBuilder;
  readonly reservedBytes: number;
  readonly createdMs: number;
  /** Per record: callback (or null) and timestamp, only when some record has a callback. */
  callbacks: (DeliveryCallback | null)[] | null;
  timestamps: number[] | null;
  baseSequence: number;
  attempts: number;
  state: 'open' | 'closing' | 'closed' | 'in-flight' | 'done';
}

interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  /** Batches not yet sent (or put back for a retry), oldest first; the last may be open. */
  readonly queue: Batch[];
  inFlight: number;
  nextSequence: number;
  /** Sequence of the last record the broker acknowledged, -1 before any. */
  lastAckedSequence: number;
  retryAtMs: number;
}

interface Waiter {
  record: ProducerRecord;
  callback: DeliveryCallback | undefined;
  deadlineMs: number;
  resolve(): void;
  reject(err: Error): void;
}

const INT32_MAX = 0x7fffffff;
const LEADERSHIP_ERRORS = new Set<number>([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.NOT_ENOUGH_REPLICAS,
]);

function normalizeHeaders(h: ProducerRecord['headers']): readonly HeaderEntry[] | null {
  if (h === undefined) return null;
  if (Array.isArray(h)) return h.length === 0 ? null : (h as readonly HeaderEntry[]);
  const entries = Object.entries(h as Record<string, Buffer | string>).map(([key, value]) => ({ key, value }));
  return entries.length === 0 ? null : entries;
}

export class Producer {
  readonly cluster: Cluster;
  readonly acks: 0 | 1 | -1;
  readonly idempotent: boolean;
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private readonly bufferMemory: number;
  private readonly codec: CodecId;
  private readonly maxInFlightPerBroker: number;
  private readonly deliveryTimeoutMs: number;
  private readonly maxRequestSize: number;
  private readonly maxBlockMs: number;
  private readonly maxQueuedRecords: number;
  private readonly allowAutoTopicCreation: boolean;
  private readonly customPartitioner: Partitioner | undefined;
  private readonly partitioner: DefaultPartitioner;
  private readonly clock: Clock;

  private readonly partitions = new Map<string, PartitionQueue>();
  /** The same queues by topic and partition index (the per-record lookup). */
  private readonly topicQueues = new Map<string, PartitionQueue[]>();
  private readonly waiters: Waiter[] = [];
  private waitersHead = 0;
  private usedMemory = 0;
  private incompleteBatches = 0;
  private readonly inFlightPerBroker = new Map<number, number>();
  private sendScheduled = false;
  private lingerTimer: TimerHandle | null = null;
  private lingerDueMs = Infinity;
  private waiterTimer: TimerHandle | null = null;
  private metadataWait: Promise<void> | null = null;
  private flushing = 0;
  private flushWaiters: (() => void)[] = [];
  private closing = false;
  private closed = false;
  private producerId = -1;
  private producerEpoch = -1;
  private initializing: Promise<void> | null = null;
  private producerIdStale = false;
  private fatalError: Error | null = null;

  constructor(config: ProducerConfig) {
    this.cluster = new Cluster({ ...config, maxInFlightRequestsPerConnection: Math.max(config.maxInFlightRequestsPerConnection ?? 5, 10) });
    this.clock = this.cluster.clock;
    this.partitioner = new DefaultPartitioner(this.cluster.random);
    const acks = config.acks ?? 'all';
    this.acks = acks === 'all' ? -1 : acks;
    assert([0, 1, -1].includes(this.acks), () => `acks must be 0, 1, -1 or all, not ${String(config.acks)}`);
    this.idempotent = config.idempotent ?? this.acks === -1;
    if (this.idempotent && this.acks !== -1) {
      throw new KafkaClientError('An idempotent producer needs acks=all (-1): set acks to all or turn idempotence off.', false);
    }
    this.batchSize = config.batchSize ?? 16384;
    this.lingerMs = config.lingerMs ?? 0;
    this.bufferMemory = config.bufferMemory ?? 32 * 1024 * 1024;
    const codec = codecFromName(config.compression ?? 'none');
    if (codec === undefined) throw new KafkaClientError(`Unknown compression ${config.compression}: use one of ${CODEC_NAMES.join(', ')}.`, false);
    this.codec = codec;
    this.maxInFlightPerBroker = config.maxInFlightRequestsPerConnection ?? 5;
    if (this.idempotent && this.maxInFlightPerBroker > 5) {
      throw new KafkaClientError('An idempotent producer allows at most 5 requests in flight per connection.', false);
    }
    this.deliveryTimeoutMs = config.deliveryTimeoutMs ?? 120_000;
    this.maxRequestSize = config.maxRequestSize ?? 1024 * 1024;
    this.maxBlockMs = config.maxBlockMs ?? 60_000;
    this.maxQueuedRecords = config.maxQueuedRecords ?? 100_000;
    this.allowAutoTopicCreation = config.allowAutoTopicCreation ?? true;
    this.customPartitioner = config.partitioner;
    assert(this.batchSize > 0 && this.bufferMemory >= this.batchSize, 'buffer memory must hold at least one batch');
    this.cluster.startPeriodicRefresh(300_000);
  }

  /** Connects and, for an idempotent producer, obtains a producer id. Optional. */
  async connect(topics: readonly string[] = []): Promise<void> {
    if (topics.length > 0) await this.cluster.waitForTopics(topics, { allowAutoTopicCreation: this.allowAutoTopicCreation, timeoutMs: this.maxBlockMs });
    else await this.cluster.refreshMetadata();
    if (this.idempotent) await this.ensureProducerId();
  }

  /** Records accepted and not yet acknowledged or failed (in batches). */
  get pendingBatches(): number {
    return this.incompleteBatches;
  }

  /**
   * Accepts a record. Returns undefined when it was appended at once, or a promise that
   * resolves once it was appended (waiting for metadata or buffer memory). The delivery
   * report arrives through `callback`. Throws (or rejects) for records that can never be
   * sent (too large, closed producer).
   */
  produce(record: ProducerRecord, callback?: DeliveryCallback): Promise<void> | undefined {
    if (this.closing || this.closed) throw new ClientClosedError('The producer');
    if (this.fatalError !== null) throw this.fatalError;
    if (this.waitersHead === this.waiters.length && this.tryAppend(record, callback)) return undefined;
    if (this.waiters.length - this.waitersHead >= this.maxQueuedRecords) {
      throw new KafkaClientError(`Too many records waiting for metadata or buffer memory (${this.maxQueuedRecords}).`, true);
    }
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ record, callback, deadlineMs: this.clock.monotonicMs() + this.maxBlockMs, resolve, reject });
      this.pumpWaiters();
    });
  }

  /** Sends one record and resolves with its delivery report. */
  send(record: ProducerRecord): Promise<RecordMetadata> {
    return new Promise<RecordMetadata>((resolve, reject) => {
      try {
        const accepted = this.produce(record, (err, meta) => (err !== null ? reject(err) : resolve(meta!)));
        accepted?.catch(reject);
      } catch (err) {
        reject(err);
      }
    });
  }

  /** Sends every buffered record now and resolves when all records so far are acknowledged or failed. */
  async flush(): Promise<void> {
    if (this.incompleteBatches === 0 && this.waitersHead === this.waiters.length) return;
    this.flushing++;
    try {
      this.scheduleSend();
      await new Promise<void>((resolve) => this.flushWaiters.push(resolve));
    } finally {
      this.flushing--;
    }
  }

  /** Flushes, then closes every connection. */
  async close(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    const timeoutMs = opts.timeoutMs ?? this.deliveryTimeoutMs;
    let timer: TimerHandle | undefined;
    await Promise.race([this.flush(), new Promise<void>((r) => (timer = this.clock.setTimer(timeoutMs, r, { keepAlive: true })))]);
    timer?.cancel();
    this.closed = true;
    this.failEverything(new ClientClosedError('The producer'));
    this.lingerTimer?.cancel();
    this.waiterTimer?.cancel();
    await this.cluster.close();
  }

  // ---- accepting records ----------------------------------------------------------

  private partitionQueue(topic: string, partition: number): PartitionQueue {
    let byPartition = this.topicQueues.get(topic);
    if (byPartition === undefined) this.topicQueues.set(topic, (byPartition = []));
    let pq = byPartition[partition];
    if (pq === undefined) {
      pq = { topic, partition, queue: [], inFlight: 0, nextSequence: 0, lastAckedSequence: -1, retryAtMs: 0 };
      byPartition[partition] = pq;
      this.partitions.set(`${topic}\u0000${partition}`, pq);
    }
    return pq;
  }

  /** Appends if metadata and memory allow; false when the record must wait. Throws for hopeless records. */
  private tryAppend(record: ProducerRecord, callback: DeliveryCallback | undefined): boolean {
    const partitions = this.cluster.partitionsOf(record.topic);
    if (partitions === undefined) {
      this.cluster.addInterest([record.topic]);
      return false;
    }
    const key = record.key === undefined ? null : record.key;
    const value = record.value;
    const headers = normalizeHeaders(record.headers);
    const size = recordSizeUpperBound(key, value, headers);
    if (size + 61 > this.maxRequestSize) {
      throw new KafkaProtocolError(ErrorCode.MESSAGE_TOO_LARGE, `The message is ${size} bytes when serialized which is larger than ${this.maxRequestSize}, which is the value of the max.request.size configuration.`);
    }
    if (size + 61 > this.bufferMemory) {
      throw new KafkaProtocolError(ErrorCode.MESSAGE_TOO_LARGE, `The message is ${size} bytes when serialized which is larger than the total memory buffer you have configured with the buffer.memory configuration.`);
    }
    let partition = record.partition;
    if (partition === undefined) {
      if (key !== null) {
        const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
        partition = this.customPartitioner ? this.customPartitioner(record.topic, keyBytes, partitions) : this.partitioner.partition(record.topic, keyBytes, partitions);
      } else {
        partition = this.customPartitioner ? this.customPartitioner(record.topic, null, partitions) : this.partitioner.partition(record.topic, null, partitions);
      }
    } else if (!(Number.isInteger(partition) && partition >= 0 && partition < partitions.length)) {
      throw new KafkaClientError(`Partition ${partition} of topic ${record.topic} does not exist (it has ${partitions.length} partitions).`, false);
    }
    const pq = this.partitionQueue(record.topic, partition);
    let batch = pq.queue.length > 0 ? pq.queue[pq.queue.length - 1]! : undefined;
    if (batch !== undefined && (batch.state !== 'open' || !batch.builder.hasRoomFor(size))) {
      if (batch.state === 'open') this.closeBatch(batch, partitions);
      batch = undefined;
    }
    if (batch === undefined) {
      const reserve = Math.max(this.batchSize, size + 61);
      if (this.usedMemory + reserve > this.bufferMemory) return false;
      batch = this.newBatch(pq, reserve, size);
      if (record.partition === undefined && key === null && !this.customPartitioner) {
        // keep the sticky choice: nothing to do until this batch closes
      }
    }
    const ts = record.timestampMs ?? this.clock.nowMs();
    const ok = batch.builder.tryAppend(ts, key, value, headers);
    assert(ok, 'a record the batch had room for must fit');
    if (callback !== undefined || batch.callbacks !== null) {
      if (batch.callbacks === null) {
        batch.callbacks = new Array<DeliveryCallback | null>(batch.builder.count - 1).fill(null);
        batch.timestamps = new Array<number>(batch.builder.count - 1).fill(-1);
      }
      batch.callbacks.push(callback ?? null);
      batch.timestamps!.push(ts);
    }
    if (!batch.builder.hasRoomFor(recordSizeUpperBound(null, null, null))) this.closeBatch(batch, partitions);
    this.scheduleSend(batch);
    return true;
  }

  private newBatch(pq: PartitionQueue, reserve: number, firstRecordBytes: number): Batch {
    const batch: Batch = {
      pq,
      builder: new BatchBuilder(reserve, this.codec, firstRecordBytes),
      reservedBytes: reserve,
      createdMs: this.clock.monotonicMs(),
      callbacks: null,
      timestamps: null,
      baseSequence: -1,
      attempts: 0,
      state: 'open',
    };
    this.usedMemory += reserve;
    this.incompleteBatches++;
    pq.queue.push(batch);
    return batch;
  }

  /** Marks a batch full: no more appends; compresses it. */
  private closeBatch(batch: Batch, partitions?: readonly PartitionInfo[]): void {
    if (batch.state !== 'open') return;
    const parts = partitions ?? this.cluster.partitionsOf(batch.pq.topic);
    if (parts !== undefined && !this.customPartitioner) this.partitioner.onBatchClosed(batch.pq.topic, batch.pq.partition, parts);
    if (this.codec === Codec.ZSTD) {
      batch.state = 'closing';
      batch.builder.close().then(
        () => {
          if (batch.state === 'closing') batch.state = 'closed';
          this.scheduleSend();
        },
        (err) => this.failBatch(batch, err as Error),
      );
    } else {
      batch.builder.closeSync();
      batch.state = 'closed';
    }
  }

  private pumpWaiters(): void {
    while (this.waitersHead < this.waiters.length) {
      const w = this.waiters[this.waitersHead]!;
      let appended: boolean;
      try {
        appended = this.tryAppend(w.record, w.callback);
      } catch (err) {
        this.dropWaiter();
        w.reject(err as Error);
        continue;
      }
      if (!appended) {
        if (this.cluster.partitionsOf(w.record.topic) === undefined) this.waitForMetadata(w.record.topic);
        this.armWaiterTimer(w.deadlineMs);
        return;
      }
      this.dropWaiter();
      w.resolve();
    }
    if (this.waiterTimer !== null) {
      this.waiterTimer.cancel();
      this.waiterTimer = null;
    }
    this.maybeResolveFlush();
  }

  private dropWaiter(): void {
    this.waiters[this.waitersHead++] = undefined as unknown as Waiter;
    if (this.waitersHead === this.waiters.length) {
      this.waiters.length = 0;
      this.waitersHead = 0;
    } else if (this.waitersHead > 4096 && this.waitersHead * 2 > this.waiters.length) {
      this.waiters.splice(0, this.waitersHead);
      this.waitersHead = 0;
    }
  }

  private armWaiterTimer(deadlineMs: number): void {
    if (this.waiterTimer !== null) return;
    this.waiterTimer = this.clock.setTimer(Math.max(0, deadlineMs - this.clock.monotonicMs()) + 1, () => {
      this.waiterTimer = null;
      const now = this.clock.monotonicMs();
      while (this.waitersHead < this.waiters.length && this.waiters[this.waitersHead]!.deadlineMs <= now) {
        const w = this.waiters[this.waitersHead]!;
        this.dropWaiter();
        const known = this.cluster.partitionsOf(w.record.topic) !== undefined;
        w.reject(
          new ClientTimeoutError(
            known
              ? `Failed to allocate memory within the configured max blocking time ${this.maxBlockMs} ms (buffer.memory ${this.bufferMemory} bytes is full).`
              : `Topic ${w.record.topic} not present in metadata after ${this.maxBlockMs} ms.`,
          ),
        );
      }
      this.pumpWaiters();
    });
  }

  private waitForMetadata(topic: string): void {
    if (this.metadataWait !== null) return;
    this.metadataWait = this.cluster
      .waitForTopics([topic], { allowAutoTopicCreation: this.allowAutoTopicCreation, timeoutMs: this.maxBlockMs })
      .catch((err: Error) => {
        // Fail the records waiting for this topic now, rather than at their deadline.
        if (!(err instanceof KafkaClientError) || !err.retriable) {
          while (this.waitersHead < this.waiters.length && this.waiters[this.waitersHead]!.record.topic === topic) {
            const w = this.waiters[this.waitersHead]!;
            this.dropWaiter();
            w.reject(err);
          }
        }
      })
      .finally(() => {
        this.metadataWait = null;
        this.pumpWaiters();
      });
  }

  // ---- sending -------------------------------------------------------------------

  private scheduleSend(batch?: Batch): void {
    if (batch !== undefined && batch.state === 'open' && this.lingerMs > 0 && this.flushing === 0 && !this.closing) {
      const due = batch.createdMs + this.lingerMs;
      if (due < this.lingerDueMs) {
        this.lingerTimer?.cancel();
        this.lingerDueMs = due;
        this.lingerTimer = this.clock.setTimer(Math.max(0, due - this.clock.monotonicMs()), () => {
          this.lingerTimer = null;
          this.lingerDueMs = Infinity;
          this.scheduleSend();
        });
      }
      return;
    }
    if (this.sendScheduled) return;
    this.sendScheduled = true;
    this.clock.setTimer(0, () => {
      this.sendScheduled = false;
      this.runSender();
    });
  }

  private async ensureProducerId(): Promise<void> {
    if (this.producerId >= 0 && !this.producerIdStale) return;
    if (this.initializing !== null) return this.initializing;
    this.initializing = (async () => {
      try {
        const res = await withRetries(this.cluster, this.maxBlockMs, async () => {
          const r = await this.cluster.sendAny(ApiKey.InitProducerId, { transactionalId: null, transactionTimeoutMs: INT32_MAX, producerId: -1, producerEpoch: -1 });
          if (r.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(r.errorCode, null, 'InitProducerId');
          return r;
        });
        this.producerId = res.producerId;
        this.producerEpoch = res.producerEpoch;
        if (this.producerIdStale) {
          this.producerIdStale = false;
          for (const pq of this.partitions.values()) {
            pq.nextSequence = 0;
            pq.lastAckedSequence = -1;
            for (const b of pq.queue) b.baseSequence = -1;
          }
        }
      } catch (err) {
        this.fatalError = new KafkaClientError(`Could not obtain a producer id: ${(err as Error).message}`, false, { cause: err });
        this.failEverything(this.fatalError);
      } finally {
        this.initializing = null;
        this.scheduleSend();
      }
    })();
    return this.initializing;
  }

  private runSender(): void {
    if (this.closed) return;
    if (this.idempotent && (this.producerId < 0 || (this.producerIdStale && this.totalInFlight() === 0))) {
      void this.ensureProducerId();
      return;
    }
    const now = this.clock.monotonicMs();
    const byNode = new Map<number, Batch[]>();
    let nextWakeMs = Infinity;
    let needMetadata = false;
    for (const pq of this.partitions.values()) {
      if (pq.queue.length === 0) continue;
      const batch = pq.queue[0]!;
      if (now - batch.createdMs > this.deliveryTimeoutMs && batch.state !== 'closing') {
        this.expire(pq, now);
        if (pq.queue.length === 0) continue;
      }
      const head = pq.queue[0]!;
      if (head.state === 'closing') continue;
      if (pq.retryAtMs > now) {
        if (pq.retryAtMs < Infinity) nextWakeMs = Math.min(nextWakeMs, pq.retryAtMs);
        continue;
      }
      const sendable =
        head.state === 'closed' || pq.queue.length > 1 || this.flushing > 0 || this.closing || now - head.createdMs >= this.lingerMs;
      if (!sendable) {
        nextWakeMs = Math.min(nextWakeMs, head.createdMs + this.lingerMs);
        continue;
      }
      if (this.idempotent) {
        if (pq.inFlight >= 5) continue;
        if (head.attempts > 0 && pq.inFlight > 0) continue;
        if (this.producerIdStale) continue;
      }
      const leader = this.cluster.leaderFor(pq.topic, pq.partition);
      if (leader < 0) {
        needMetadata = true;
        continue;
      }
      let list = byNode.get(leader);
      if (list === undefined) byNode.set(leader, (list = []));
      list.push(head);
    }
    if (needMetadata) void this.cluster.invalidate().then(() => this.scheduleSend());
    for (const [node, batches] of byNode) {
      if ((this.inFlightPerBroker.get(node) ?? 0) >= this.maxInFlightPerBroker) continue;
      this.sendToNode(node, batches);
    }
    if (nextWakeMs < Infinity) this.clock.setTimer(Math.max(1, nextWakeMs - this.clock.monotonicMs()), () => this.scheduleSend());
  }

  private totalInFlight(): number {
    let n = 0;
    for (const v of this.inFlightPerBroker.values()) n += v;
    return n;
  }

  private sendToNode(node: number, candidates: Batch[]): void {
    const chosen: Batch[] = [];
    let bytes = 0;
    for (const batch of candidates) {
      if (batch.state === 'open') this.closeBatch(batch);
      if (batch.state !== 'closed') continue;
      const size = batch.builder.sizeBytes;
      if (chosen.length > 0 && bytes + size > this.maxRequestSize) break;
      bytes += size;
      chosen.push(batch);
    }
    if (chosen.length === 0) return;
    const topicData = new Map<string, { index: number; records: Buffer }[]>();
    for (const batch of chosen) {
      const pq = batch.pq;
      if (this.idempotent && batch.baseSequence < 0) {
        batch.baseSequence = pq.nextSequence;
        pq.nextSequence = (pq.nextSequence + batch.builder.count) & INT32_MAX;
      }
      const records = batch.builder.seal(
        this.idempotent ? this.producerId : -1,
        this.idempotent ? this.producerEpoch : -1,
        this.idempotent ? batch.baseSequence : -1,
      );
      assert(pq.queue[0] === batch, 'only the head batch of a partition is sent');
      pq.queue.shift();
      pq.inFlight++;
      batch.state = 'in-flight';
      batch.attempts++;
      let list = topicData.get(pq.topic);
      if (list === undefined) topicData.set(pq.topic, (list = []));
      list.push({ index: pq.partition, records });
    }
    this.inFlightPerBroker.set(node, (this.inFlightPerBroker.get(node) ?? 0) + 1);
    const request = {
      transactionalId: null,
      acks: this.acks,
      timeoutMs: this.cluster.requestTimeoutMs,
      topicData: [...topicData].map(([name, partitionData]) => ({ name, partitionData })),
    };
    this.cluster.send(node, ApiKey.Produce, request, { expectResponse: this.acks !== 0, maxVersion: 9 }).then(
      (res) => this.onResponse(node, chosen, res as ResponseOf<typeof ApiKey.Produce> | undefined),
      (err: Error) => this.onRequestFailed(node, chosen, err),
    );
  }

  private releaseNode(node: number): void {
    const n = (this.inFlightPerBroker.get(node) ?? 1) - 1;
    if (n <= 0) this.inFlightPerBroker.delete(node);
    else this.inFlightPerBroker.set(node, n);
  }

  private onResponse(node: number, batches: Batch[], res: ResponseOf<typeof ApiKey.Produce> | undefined): void {
    this.releaseNode(node);
    if (res === undefined) {
      for (const b of batches) this.completeBatch(b, -1, -1);
      this.scheduleSend();
      return;
    }
    const results = new Map<string, ResponseOf<typeof ApiKey.Produce>['responses'][number]['partitionResponses'][number]>();
    for (const t of res.responses) for (const p of t.partitionResponses) results.set(`${t.name}\u0000${p.index}`, p);
    for (const batch of batches) {
      const r = results.get(`${batch.pq.topic}\u0000${batch.pq.partition}`);
      if (r === undefined) {
        this.retryOrFail(batch, new KafkaClientError(`The broker's Produce answer did not mention ${batch.pq.topic}-${batch.pq.partition}.`, true), false);
        continue;
      }
      const code = r.errorCode;
      if (code === ErrorCode.NONE) {
        this.completeBatch(batch, r.baseOffset, r.logAppendTimeMs);
      } else if (code === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) {
        this.completeBatch(batch, -1, -1);
      } else if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER && this.idempotent && batch.baseSequence !== ((batch.pq.lastAckedSequence + 1) & INT32_MAX)) {
        this.retryOrFail(batch, new KafkaProtocolError(code, r.errorMessage), false);
      } else {
        const detail =
          r.recordErrors.length > 0 ? `${r.errorMessage ?? ''} ${r.recordErrors.map((e) => `record ${e.batchIndex}: ${e.batchIndexErrorMessage ?? ''}`).join('; ')}`.trim() : r.errorMessage;
        const err = new KafkaProtocolError(code, detail, `Producing to ${batch.pq.topic}-${batch.pq.partition}`);
        if (err.retriable) this.retryOrFail(batch, err, LEADERSHIP_ERRORS.has(code));
        else {
          if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER || code === ErrorCode.UNKNOWN_PRODUCER_ID || code === ErrorCode.INVALID_PRODUCER_EPOCH) {
            this.producerIdStale = true;
          }
          this.failBatch(batch, err);
        }
      }
    }
    this.scheduleSend();
  }

  private onRequestFailed(node: number, batches: Batch[], err: Error): void {
    this.releaseNode(node);
    const retriable = err instanceof KafkaClientError && err.retriable;
    for (const b of batches) {
      if (retriable) this.retryOrFail(b, err, true);
      else this.failBatch(b, err);
    }
    this.scheduleSend();
  }

  /** Puts an in-flight batch back at the front of its partition queue, in sequence order. */
  private retryOrFail(batch: Batch, err: Error, refreshMetadata: boolean): void {
    const pq = batch.pq;
    pq.inFlight--;
    if (this.closed || this.clock.monotonicMs() - batch.createdMs > this.deliveryTimeoutMs) {
      if (batch.baseSequence >= 0) this.producerIdStale = true;
      this.finishFailed(batch, new ClientTimeoutError(`Expiring records for ${pq.topic}-${pq.partition}: ${this.deliveryTimeoutMs} ms passed since the batch was created (delivery.timeout.ms). Last error: ${err.message}`));
      return;
    }
    batch.state = 'closed';
    let i = 0;
    while (i < pq.queue.length && pq.queue[i]!.baseSequence >= 0 && pq.queue[i]!.baseSequence < batch.baseSequence) i++;
    if (batch.baseSequence < 0) i = 0;
    pq.queue.splice(i, 0, batch);
    pq.retryAtMs = this.clock.monotonicMs() + this.cluster.retryBackoffMs;
    if (refreshMetadata) {
      // Hold the partition until fresh metadata says where its leader is now.
      pq.retryAtMs = Infinity;
      void this.cluster.invalidate().then(() => {
        pq.retryAtMs = Math.min(pq.retryAtMs, this.clock.monotonicMs());
        this.scheduleSend();
      });
    }
  }

  private expire(pq: PartitionQueue, now: number): void {
    while (pq.queue.length > 0) {
      const b = pq.queue[0]!;
      if (now - b.createdMs <= this.deliveryTimeoutMs || b.state === 'closing') break;
      pq.queue.shift();
      if (b.baseSequence >= 0) this.producerIdStale = true;
      this.finishFailed(
        b,
        new ClientTimeoutError(`Expiring ${b.builder.count} record(s) for ${pq.topic}-${pq.partition}: ${Math.round(now - b.createdMs)} ms has passed since batch creation (delivery.timeout.ms ${this.deliveryTimeoutMs}).`),
      );
    }
  }

  private completeBatch(batch: Batch, baseOffset: number, logAppendTimeMs: number): void {
    const pq = batch.pq;
    pq.inFlight--;
    if (batch.baseSequence >= 0) pq.lastAckedSequence = (batch.baseSequence + batch.builder.count - 1) & INT32_MAX;
    batch.state = 'done';
    const cbs = batch.callbacks;
    if (cbs !== null) {
      const ts = batch.timestamps!;
      for (let i = 0; i < cbs.length; i++) {
        const cb = cbs[i];
        if (cb === null || cb === undefined) continue;
        this.safeCall(cb, null, {
          topic: pq.topic,
          partition: pq.partition,
          offset: baseOffset < 0 ? -1 : baseOffset + i,
          timestampMs: logAppendTimeMs >= 0 ? logAppendTimeMs : ts[i]!,
        });
      }
    }
    this.release(batch);
  }

  private failBatch(batch: Batch, err: Error): void {
    if (batch.state === 'in-flight') batch.pq.inFlight--;
    else {
      const i = batch.pq.queue.indexOf(batch);
      if (i >= 0) batch.pq.queue.splice(i, 1);
    }
    this.finishFailed(batch, err);
  }

  private finishFailed(batch: Batch, err: Error): void {
    batch.state = 'done';
    if (batch.callbacks !== null) for (const cb of batch.callbacks) if (cb !== null) this.safeCall(cb, err, null);
    this.release(batch);
  }

  private release(batch: Batch): void {
    this.usedMemory -= batch.reservedBytes;
    this.incompleteBatches--;
    assert(this.usedMemory >= 0 && this.incompleteBatches >= 0, 'producer memory accounting went negative');
    if (this.waitersHead < this.waiters.length) this.pumpWaiters();
    this.maybeResolveFlush();
  }

  private maybeResolveFlush(): void {
    if (this.incompleteBatches === 0 && this.waitersHead === this.waiters.length && this.flushWaiters.length > 0) {
      for (const r of this.flushWaiters.splice(0)) r();
    }
  }

  private failEverything(err: Error): void {
    while (this.waitersHead < this.waiters.length) {
      const w = this.waiters[this.waitersHead]!;
      this.dropWaiter();
      w.reject(err);
    }
    for (const pq of this.partitions.values()) {
      for (const b of pq.queue.splice(0)) this.finishFailed(b, err);
    }
    this.maybeResolveFlush();
  }

  private safeCall(cb: DeliveryCallback, err: Error | null, meta: RecordMetadata | null): void {
    try {
      cb(err, meta);
    } catch (e) {
      // A throwing delivery callback must not break the producer; surface it later.
      this.clock.setTimer(0, () => {
        throw e;
      });
    }
  }
}
