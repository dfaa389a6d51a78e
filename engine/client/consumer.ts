/**
 * The Kafka consumer: manual assignment with seeks, or group subscription; a background
 * fetch loop with long polling; offsets committed automatically or by hand.
 *
 * Algorithm:
 *   - Positions. Each assigned partition has a position (the next offset `poll` returns)
 *     and a fetch position (the next offset to fetch; ahead of the position while fetched
 *     data waits in the buffer). A partition without a position gets one from the
 *     group's committed offset, else from auto.offset.reset (ListOffsets earliest /
 *     latest; 'none' fails the poll). `seek` sets both and drops buffered data; a seek
 *     generation per partition makes answers to fetches sent before it be ignored.
 *   - Fetching. At most one Fetch is in flight per broker, carrying every partition led by
 *     it that has a position, is not paused, and whose buffered bytes are below
 *     maxPartitionFetchBytes. Fetch waits up to fetchMaxWaitMs for fetchMinBytes
 *     (long polling). Answers are decoded (fetched-records.ts) into per-partition chunks;
 *     leadership errors refresh metadata and the partition is fetched again after
 *     retryBackoffMs; OFFSET_OUT_OF_RANGE resets the position by auto.offset.reset.
 *   - Polling. `poll(timeoutMs)` first makes sure the group is joined (subscribe mode),
 *     then returns up to maxPollRecords records from the buffer, round-robin over
 *     partitions, waiting for data until the timeout.
 *   - Groups. group-member.ts runs join/sync/heartbeat. On revoke the consumer commits
 *     (auto-commit) and drops the partitions' state; on assign it adopts the new ones.
 *     With enableAutoCommit the consumed positions are committed every
 *     autoCommitIntervalMs, before a rebalance and on close. Rebalances run in the
 *     background (Kafka's Java consumer rebalances only inside poll), so explicit
 *     offsets — positions of records a poll returned — are committed only while the group
 *     is still in the generation of that poll: once it moved on, another member may own
 *     the partition and have committed further, and the commit fails as Kafka's
 *     CommitFailedException does instead of moving the group's offset back.
 *
 * Bounds: buffered fetch data ≤ fetchBufferBytes over all partitions (fetching stops
 * above it); one in-flight fetch per broker; poll returns ≤ maxPollRecords records.
 *
 * Invariants: per partition, poll returns records in offset order with no offset twice
 * between seeks; a committed offset is always one returned by poll + 1 (or a seek
 * target), committed in the generation of that poll; after close no fetch is sent.
 */
import { ApiKey, ErrorCode } from '../protocol';
import type { Clock, TimerHandle } from '../util/clock';
import { Cluster, type ClientConfig } from './cluster';
import { ClientClosedError, KafkaClientError, KafkaProtocolError } from './errors';
import { FetchedChunk, type ConsumerRecord } from './fetched-records';
import { GroupMember, type AssignorName } from './group-member';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, commitOffsets, fetchCommittedOffsets, listOffsets, tpKey, type TopicPartition } from './offsets';
import { every, waitUntil } from './timers';

export type { ConsumerRecord } from './fetched-records';

export interface ConsumerConfig extends ClientConfig {
  groupId?: string;
  autoOffsetReset?: 'earliest' | 'latest' | 'none';
  enableAutoCommit?: boolean;
  autoCommitIntervalMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Kafka's max.poll.interval.ms, used as the rebalance timeout. */
  maxPollIntervalMs?: number;
  fetchMinBytes?: number;
  fetchMaxBytes?: number;
  fetchMaxWaitMs?: number;
  maxPartitionFetchBytes?: number;
  maxPollRecords?: number;
  /** Upper bound on fetched bytes held in memory before poll takes them. */
  fetchBufferBytes?: number;
  partitionAssignmentStrategy?: readonly AssignorName[];
  allowAutoCreateTopics?: boolean;
  isolationLevel?: 'read_uncommitted' | 'read_committed';
  checkCrcs?: boolean;
}

export interface RebalanceListener {
  onPartitionsRevoked?(partitions: TopicPartition[]): void | Promise<void>;
  onPartitionsAssigned?(partitions: TopicPartition[]): void | Promise<void>;
}

interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  position: number | null;
  fetchPosition: number;
  /** Pending reset when position is null: 'committed' tries the group first. */
  reset: 'committed' | 'earliest' | 'latest' | 'none' | number | null;
  seekGeneration: number;
  paused: boolean;
  chunks: FetchedChunk[];
  bufferedBytes: number;
  fetchInFlight: boolean;
  retryAtMs: number;
  highWatermark: number;
  logStartOffset: number;
  error: Error | null;
}

export class Consumer {
  readonly cluster: Cluster;
  private readonly groupId: string | null;
  private readonly autoOffsetReset: 'earliest' | 'latest' | 'none';
  private readonly enableAutoCommit: boolean;
  private readonly autoCommitIntervalMs: number;
  private readonly fetchMinBytes: number;
  private readonly fetchMaxBytes: number;
  private readonly fetchMaxWaitMs: number;
  private readonly maxPartitionFetchBytes: number;
  private readonly maxPollRecords: number;
  private readonly fetchBufferBytes: number;
  private readonly allowAutoCreateTopics: boolean;
  private readonly isolationLevel: 0 | 1;
  private readonly checkCrcs: boolean;
  private readonly member: GroupMember | null;

  private readonly states = new Map<string, PartitionState>();
  private mode: 'none' | 'assign' | 'subscribe' = 'none';
  private subscription: string[] = [];
  private listener: RebalanceListener = {};
  private readonly fetchingNodes = new Set<number>();
  private totalBuffered = 0;
  private dataWaiters: (() => void)[] = [];
  private pollCursor = 0;
  private autoCommitTimer: TimerHandle | null = null;
  private fatal: Error | null = null;
  private closed = false;
  private resetting: Promise<void> | null = null;
  private fetchTimer: TimerHandle | null = null;
  private readonly clock: Clock;
  /** The group generation of the last poll that returned records (subscribe mode). */
  private polledIn: { generationId: number; memberId: string } | null = null;

  constructor(config: ConsumerConfig) {
    // Group requests get their own connection: a fetch long-polls for up to fetchMaxWaitMs,
    // and a broker answers one connection's requests in order.
    this.cluster = new Cluster(config, { separateCoordinatorConnection: true });
    this.clock = this.cluster.clock;
    this.groupId = config.groupId ?? null;
    this.autoOffsetReset = config.autoOffsetReset ?? 'latest';
    this.enableAutoCommit = (config.enableAutoCommit ?? true) && this.groupId !== null;
    this.autoCommitIntervalMs = config.autoCommitIntervalMs ?? 5000;
    this.fetchMinBytes = config.fetchMinBytes ?? 1;
    this.fetchMaxBytes = config.fetchMaxBytes ?? 52428800;
    this.fetchMaxWaitMs = config.fetchMaxWaitMs ?? 500;
    this.maxPartitionFetchBytes = config.maxPartitionFetchBytes ?? 1048576;
    this.maxPollRecords = config.maxPollRecords ?? 500;
    this.fetchBufferBytes = config.fetchBufferBytes ?? 64 * 1024 * 1024;
    this.allowAutoCreateTopics = config.allowAutoCreateTopics ?? true;
    this.isolationLevel = config.isolationLevel === 'read_committed' ? 1 : 0;
    this.checkCrcs = config.checkCrcs ?? true;
    this.member =
      this.groupId === null
        ? null
        : new GroupMember(
            this.cluster,
            {
              groupId: this.groupId,
              sessionTimeoutMs: config.sessionTimeoutMs ?? 45_000,
              heartbeatIntervalMs: config.heartbeatIntervalMs ?? 3000,
              rebalanceTimeoutMs: config.maxPollIntervalMs ?? 300_000,
              assignors: config.partitionAssignmentStrategy ?? ['range', 'roundrobin'],
            },
            {
              onRevoke: (tps) => this.onRevoke(tps),
              onAssign: (tps) => this.onAssign(tps),
              onFatal: (err) => {
                this.fatal = err;
                this.wakeWaiters();
              },
            },
          );
    this.cluster.startPeriodicRefresh(300_000);
    this.cluster.onMetadata(() => {
      this.member?.onMetadata();
      this.scheduleFetch();
    });
  }

  /** The group membership (subscribe mode), for inspection. */
  get group(): GroupMember | null {
    return this.member;
  }

  // ---- assignment ---------------------------------------------------------------------

  /** Assigns partitions by hand (no group rebalancing). Replaces any previous assignment. */
  assign(partitions: readonly TopicPartition[]): void {
    this.checkOpen();
    if (this.mode === 'subscribe') throw new KafkaClientError('assign() cannot be mixed with subscribe() on one consumer.', false);
    this.mode = 'assign';
    const keep = new Set(partitions.map((tp) => tpKey(tp.topic, tp.partition)));
    for (const [key, st] of this.states) if (!keep.has(key)) this.dropState(key, st);
    for (const tp of partitions) this.addState(tp.topic, tp.partition);
    this.cluster.addInterest(partitions.map((tp) => tp.topic));
    this.scheduleFetch();
  }

  /** Joins the consumer group (groupId required) for `topics`. */
  subscribe(topics: readonly string[], listener: RebalanceListener = {}): void {
    this.checkOpen();
    if (this.member === null) throw new KafkaClientError('subscribe() needs a groupId: pass --group or set groupId.', false);
    if (this.mode === 'assign') throw new KafkaClientError('subscribe() cannot be mixed with assign() on one consumer.', false);
    this.mode = 'subscribe';
    this.subscription = [...topics];
    this.listener = listener;
    this.cluster.addInterest(topics);
    this.member.subscribe(topics);
    if (this.enableAutoCommit && this.autoCommitTimer === null) {
      this.autoCommitTimer = every(this.clock, this.autoCommitIntervalMs, () => void this.commit().catch(() => undefined));
    }
  }

  assignment(): TopicPartition[] {
    return [...this.states.values()].map((s) => ({ topic: s.topic, partition: s.partition }));
  }

  private addState(topic: string, partition: number): PartitionState {
    const key = tpKey(topic, partition);
    let st = this.states.get(key);
    if (st === undefined) {
      st = {
        topic,
        partition,
        position: null,
        fetchPosition: 0,
        reset: this.groupId !== null ? 'committed' : this.autoOffsetReset,
        seekGeneration: 0,
        paused: false,
        chunks: [],
        bufferedBytes: 0,
        fetchInFlight: false,
        retryAtMs: 0,
        highWatermark: -1,
        logStartOffset: -1,
        error: null,
      };
      this.states.set(key, st);
    }
    return st;
  }

  private dropState(key: string, st: PartitionState): void {
    this.clearBuffer(st);
    st.seekGeneration++;
    this.states.delete(key);
  }

  private clearBuffer(st: PartitionState): void {
    this.totalBuffered -= st.bufferedBytes;
    st.chunks = [];
    st.bufferedBytes = 0;
  }

  private stateOf(tp: TopicPartition): PartitionState {
    const st = this.states.get(tpKey(tp.topic, tp.partition));
    if (st === undefined) throw new KafkaClientError(`${tp.topic}-${tp.partition} is not assigned to this consumer.`, false);
    return st;
  }

  seek(tp: TopicPartition, offset: number): void {
    const st = this.stateOf(tp);
    this.setPosition(st, offset);
  }

  seekToBeginning(tps: readonly TopicPartition[] = this.assignment()): void {
    for (const tp of tps) this.resetLater(this.stateOf(tp), 'earliest');
  }

  seekToEnd(tps: readonly TopicPartition[] = this.assignment()): void {
    for (const tp of tps) this.resetLater(this.stateOf(tp), 'latest');
  }

  /** Starts reading at the first offset whose timestamp is ≥ timestampMs (end if none). */
  seekToTimestamp(tp: TopicPartition, timestampMs: number): void {
    this.resetLater(this.stateOf(tp), timestampMs);
  }

  private resetLater(st: PartitionState, how: PartitionState['reset']): void {
    this.clearBuffer(st);
    st.seekGeneration++;
    st.position = null;
    st.reset = how;
    st.error = null;
    this.scheduleFetch();
  }

  private setPosition(st: PartitionState, offset: number): void {
    if (!(Number.isSafeInteger(offset) && offset >= 0)) throw new KafkaClientError(`Cannot seek to offset ${offset}: offsets are whole numbers ≥ 0.`, false);
    this.clearBuffer(st);
    st.seekGeneration++;
    st.position = offset;
    st.fetchPosition = offset;
    st.reset = null;
    st.error = null;
    this.scheduleFetch();
  }

  /** The next offset poll will return for `tp` (resolving a pending reset first). */
  async position(tp: TopicPartition): Promise<number> {
    const st = this.stateOf(tp);
    if (st.position === null) await this.resolvePositions();
    if (st.position === null) throw st.error ?? new KafkaClientError(`No position for ${tp.topic}-${tp.partition}.`, false);
    return st.position;
  }

  /** The high watermark seen in the last fetch of `tp` (-1 before any). */
  highWatermark(tp: TopicPartition): number {
    return this.stateOf(tp).highWatermark;
  }

  pause(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.stateOf(tp).paused = true;
  }

  resume(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.stateOf(tp).paused = false;
    this.scheduleFetch();
  }

  // ---- group hooks ------------------------------------------------------------------

  private async onRevoke(tps: TopicPartition[]): Promise<void> {
    if (this.enableAutoCommit) await this.commit().catch(() => undefined);
    try {
      await this.listener.onPartitionsRevoked?.(tps);
    } finally {
      for (const [key, st] of [...this.states]) this.dropState(key, st);
    }
  }

  private async onAssign(tps: TopicPartition[]): Promise<void> {
    for (const [key, st] of [...this.states]) this.dropState(key, st);
    for (const tp of tps) this.addState(tp.topic, tp.partition);
    this.cluster.addInterest(tps.map((tp) => tp.topic));
    await this.listener.onPartitionsAssigned?.(tps);
    this.scheduleFetch();
  }

  // ---- positions ----------------------------------------------------------------------

  /** Gives every partition without a position one (committed offset or reset policy). */
  private resolvePositions(): Promise<void> {
    if (this.resetting !== null) return this.resetting;
    const pending = [...this.states.values()].filter((s) => s.position === null && s.error === null);
    if (pending.length === 0) return Promise.resolve();
    this.resetting = (async () => {
      const topics = [...new Set(pending.map((s) => s.topic))];
      await this.cluster.waitForTopics(topics, { allowAutoTopicCreation: this.allowAutoCreateTopics, timeoutMs: this.cluster.requestTimeoutMs });
      const needCommitted = pending.filter((s) => s.reset === 'committed');
      if (needCommitted.length > 0 && this.groupId !== null) {
        const committed = await fetchCommittedOffsets(this.cluster, this.groupId, needCommitted.map((s) => ({ topic: s.topic, partition: s.partition })));
        for (const c of committed) {
          const st = this.states.get(tpKey(c.topic, c.partition));
          if (st === undefined || st.reset !== 'committed' || st.position !== null) continue;
          if (c.offset >= 0) {
            st.position = c.offset;
            st.fetchPosition = c.offset;
            st.reset = null;
          } else st.reset = this.autoOffsetReset;
        }
        for (const st of needCommitted) if (st.reset === 'committed') st.reset = this.autoOffsetReset;
      }
      const toList = [...this.states.values()].filter((s) => s.position === null && s.reset !== null && s.reset !== 'committed');
      const none = toList.filter((s) => s.reset === 'none');
      for (const st of none) {
        st.error = new KafkaClientError(
          `No committed offset for ${st.topic}-${st.partition} and auto.offset.reset is none: seek first, or use earliest or latest.`,
          false,
        );
      }
      const specs = toList
        .filter((s) => s.reset !== 'none')
        .map((s) => ({ topic: s.topic, partition: s.partition, timestamp: s.reset === 'earliest' ? EARLIEST_TIMESTAMP : s.reset === 'latest' ? LATEST_TIMESTAMP : (s.reset as number), gen: s.seekGeneration }));
      if (specs.length > 0) {
        const listed = await listOffsets(this.cluster, specs, { isolationLevel: this.isolationLevel });
        const needLatest: typeof specs = [];
        for (const spec of specs) {
          const st = this.states.get(tpKey(spec.topic, spec.partition));
          if (st === undefined || st.seekGeneration !== spec.gen || st.position !== null) continue;
          const r = listed.get(tpKey(spec.topic, spec.partition));
          if (r === undefined) continue;
          if (r.offset < 0) {
            needLatest.push({ ...spec, timestamp: LATEST_TIMESTAMP });
            continue;
          }
          st.position = r.offset;
          st.fetchPosition = r.offset;
          st.reset = null;
        }
        if (needLatest.length > 0) {
          const latest = await listOffsets(this.cluster, needLatest, { isolationLevel: this.isolationLevel });
          for (const spec of needLatest) {
            const st = this.states.get(tpKey(spec.topic, spec.partition));
            const r = latest.get(tpKey(spec.topic, spec.partition));
            if (st === undefined || r === undefined || st.seekGeneration !== spec.gen || st.position !== null) continue;
            st.position = r.offset;
            st.fetchPosition = r.offset;
            st.reset = null;
          }
        }
      }
    })().finally(() => {
      this.resetting = null;
      this.scheduleFetch();
    });
    return this.resetting;
  }

  // ---- fetching -----------------------------------------------------------------------

  private scheduleFetch(): void {
    if (this.closed || this.fetchTimer !== null) return;
    this.fetchTimer = this.clock.setTimer(0, () => {
      this.fetchTimer = null;
      this.fetchNow();
    });
  }

  private fetchNow(): void {
    if (this.closed) return;
    if (this.member !== null && this.mode === 'subscribe' && !this.member.isStable) return;
    if ([...this.states.values()].some((s) => s.position === null && s.error === null)) {
      this.resolvePositions().catch((err: Error) => {
        if (!(err instanceof KafkaClientError && err.retriable)) {
          this.fatal = err;
          this.wakeWaiters();
        } else {
          this.clock.setTimer(this.cluster.retryBackoffMs, () => this.scheduleFetch());
        }
      });
    }
    if (this.totalBuffered >= this.fetchBufferBytes) return;
    const now = this.clock.monotonicMs();
    const byNode = new Map<number, PartitionState[]>();
    let wakeAt = Infinity;
    let needMetadata = false;
    for (const st of this.states.values()) {
      if (st.position === null || st.paused || st.fetchInFlight || st.error !== null) continue;
      if (st.bufferedBytes >= this.maxPartitionFetchBytes) continue;
      if (st.retryAtMs > now) {
        wakeAt = Math.min(wakeAt, st.retryAtMs);
        continue;
      }
      const leader = this.cluster.leaderFor(st.topic, st.partition);
      if (leader < 0) {
        needMetadata = true;
        continue;
      }
      if (this.fetchingNodes.has(leader)) continue;
      let list = byNode.get(leader);
      if (list === undefined) byNode.set(leader, (list = []));
      list.push(st);
    }
    if (needMetadata) void this.cluster.invalidate();
    for (const [node, list] of byNode) void this.fetchFrom(node, list);
    if (wakeAt < Infinity) this.clock.setTimer(Math.max(1, wakeAt - now), () => this.scheduleFetch());
  }

  private async fetchFrom(node: number, parts: PartitionState[]): Promise<void> {
    this.fetchingNodes.add(node);
    const sent = parts.map((st) => ({ st, gen: st.seekGeneration, offset: st.fetchPosition }));
    for (const s of sent) s.st.fetchInFlight = true;
    const byTopic = new Map<string, typeof sent>();
    for (const s of sent) {
      let l = byTopic.get(s.st.topic);
      if (l === undefined) byTopic.set(s.st.topic, (l = []));
      l.push(s);
    }
    let res;
    try {
      res = await this.cluster.send(
        node,
        ApiKey.Fetch,
        {
          replicaId: -1,
          maxWaitMs: this.fetchMaxWaitMs,
          minBytes: this.fetchMinBytes,
          maxBytes: this.fetchMaxBytes,
          isolationLevel: this.isolationLevel,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [...byTopic].map(([topic, list]) => ({
            topic,
            partitions: list.map((s) => ({
              partition: s.st.partition,
              currentLeaderEpoch: -1,
              fetchOffset: s.offset,
              lastFetchedEpoch: -1,
              logStartOffset: -1,
              partitionMaxBytes: this.maxPartitionFetchBytes,
            })),
          })),
          forgottenTopicsData: [],
          rackId: '',
        },
        { timeoutMs: this.cluster.requestTimeoutMs + this.fetchMaxWaitMs, maxVersion: 12 },
      );
    } catch (err) {
      for (const s of sent) {
        s.st.fetchInFlight = false;
        s.st.retryAtMs = this.clock.monotonicMs() + this.cluster.retryBackoffMs;
      }
      this.fetchingNodes.delete(node);
      if (!this.closed) {
        if (err instanceof KafkaClientError && err.retriable) void this.cluster.invalidate();
        else if (!(err instanceof ClientClosedError)) {
          this.fatal = err as Error;
          this.wakeWaiters();
        }
        this.scheduleFetch();
      }
      return;
    }
    const results = new Map<string, (typeof res.responses)[number]['partitions'][number]>();
    for (const t of res.responses) for (const p of t.partitions) results.set(tpKey(t.topic, p.partitionIndex), p);
    let gotData = false;
    let refresh = false;
    for (const s of sent) {
      const st = s.st;
      const r = results.get(tpKey(st.topic, st.partition));
      if (r === undefined || st.seekGeneration !== s.gen || this.states.get(tpKey(st.topic, st.partition)) !== st) {
        continue;
      }
      if (r.errorCode === ErrorCode.NONE) {
        st.highWatermark = r.highWatermark;
        st.logStartOffset = r.logStartOffset;
        const data = r.records;
        if (data === null || data.length === 0) continue;
        try {
          const chunk = await FetchedChunk.prepare(st.topic, st.partition, data, s.offset, this.checkCrcs);
          if (st.seekGeneration !== s.gen) continue;
          st.fetchPosition = chunk.nextFetchOffset;
          st.chunks.push(chunk);
          st.bufferedBytes += chunk.sizeBytes;
          this.totalBuffered += chunk.sizeBytes;
          gotData = true;
        } catch (err) {
          st.error = err as Error;
          gotData = true;
        }
      } else if (r.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
        if (this.autoOffsetReset === 'none') {
          st.error = new KafkaProtocolError(r.errorCode, null, `Fetch offset ${s.offset} of ${st.topic}-${st.partition} is out of range and auto.offset.reset is none`);
          gotData = true;
        } else {
          this.resetLater(st, this.autoOffsetReset);
        }
      } else {
        const err = new KafkaProtocolError(r.errorCode, null, `Fetching ${st.topic}-${st.partition}`);
        if (err.retriable || r.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER) {
          refresh = true;
          st.retryAtMs = this.clock.monotonicMs() + this.cluster.retryBackoffMs;
        } else {
          st.error = err;
          gotData = true;
        }
      }
    }
    for (const s of sent) s.st.fetchInFlight = false;
    this.fetchingNodes.delete(node);
    if (refresh) void this.cluster.invalidate();
    if (gotData) this.wakeWaiters();
    this.scheduleFetch();
  }

  private wakeWaiters(): void {
    for (const w of this.dataWaiters.splice(0)) w();
  }

  // ---- polling ------------------------------------------------------------------------

  /**
   * Returns buffered records (up to maxPollRecords), waiting up to `timeoutMs` for some.
   * In subscribe mode, joins the group first. Throws the first fetch error of a partition
   * (a corrupt batch, an out-of-range offset with reset 'none').
   */
  async poll(timeoutMs: number): Promise<ConsumerRecord[]> {
    this.checkOpen();
    const deadline = this.clock.monotonicMs() + timeoutMs;
    if (this.mode === 'subscribe' && this.member !== null && !this.member.isStable) {
      await this.withDeadline(this.member.ensureActive(), deadline);
    }
    for (;;) {
      if (this.fatal !== null) {
        const err = this.fatal;
        this.fatal = null;
        throw err;
      }
      const records = this.drain();
      if (records.length > 0) {
        if (this.member !== null && this.mode === 'subscribe') this.polledIn = { generationId: this.member.generationId, memberId: this.member.memberId };
        return records;
      }
      if (this.mode === 'subscribe' && this.member !== null && !this.member.isStable) {
        await this.withDeadline(this.member.ensureActive(), deadline);
      }
      const left = deadline - this.clock.monotonicMs();
      if (left <= 0 || this.closed) return [];
      this.scheduleFetch();
      const wait = waitUntil(this.clock, left);
      this.dataWaiters.push(wait.wake);
      await wait.done;
    }
  }

  private async withDeadline(p: Promise<void>, deadline: number): Promise<void> {
    const wait = waitUntil(this.clock, deadline - this.clock.monotonicMs());
    try {
      await Promise.race([p, wait.done]);
    } finally {
      wait.wake();
    }
  }

  private drain(): ConsumerRecord[] {
    const out: ConsumerRecord[] = [];
    const states = [...this.states.values()];
    if (states.length === 0) return out;
    const start = this.pollCursor % states.length;
    for (let i = 0; i < states.length && out.length < this.maxPollRecords; i++) {
      const st = states[(start + i) % states.length]!;
      if (st.error !== null && st.chunks.length === 0) {
        const err = st.error;
        if (out.length > 0) break;
        st.error = null;
        st.retryAtMs = this.clock.monotonicMs() + 1000;
        throw err;
      }
      if (st.paused) continue;
      while (st.chunks.length > 0 && out.length < this.maxPollRecords) {
        const chunk = st.chunks[0]!;
        if (st.position !== null) chunk.skipTo(st.position);
        const rec = chunk.nextRecord();
        if (rec === null) {
          st.chunks.shift();
          st.bufferedBytes -= chunk.sizeBytes;
          this.totalBuffered -= chunk.sizeBytes;
          if (st.position === null || st.position < chunk.nextFetchOffset) st.position = chunk.nextFetchOffset;
          continue;
        }
        out.push(rec);
        st.position = rec.offset + 1;
      }
    }
    this.pollCursor = start + 1;
    if (out.length > 0) this.scheduleFetch();
    return out;
  }

  /** Yields records forever (until close or `signal`), polling with `pollTimeoutMs`. */
  async *records(opts: { pollTimeoutMs?: number; signal?: AbortSignal } = {}): AsyncGenerator<ConsumerRecord> {
    while (!this.closed && opts.signal?.aborted !== true) {
      for (const r of await this.poll(opts.pollTimeoutMs ?? 1000)) yield r;
    }
  }

  // ---- offsets ----------------------------------------------------------------------

  /** Commits `offsets`, or else the positions of every assigned partition. */
  async commit(offsets?: readonly (TopicPartition & { offset: number; metadata?: string })[]): Promise<void> {
    if (this.groupId === null) throw new KafkaClientError('commit() needs a groupId.', false);
    const list =
      offsets ??
      [...this.states.values()].filter((s) => s.position !== null).map((s) => ({ topic: s.topic, partition: s.partition, offset: s.position! }));
    if (list.length === 0) return;
    const member = this.member !== null && this.mode === 'subscribe' ? { generationId: this.member.generationId, memberId: this.member.memberId } : { generationId: -1, memberId: '' };
    const polledIn = this.polledIn;
    if (offsets !== undefined && polledIn !== null && this.mode === 'subscribe' && (polledIn.generationId !== member.generationId || polledIn.memberId !== member.memberId)) {
      throw new KafkaClientError(
        `Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member (the records were polled in generation ${polledIn.generationId}, the group is now in generation ${member.generationId}).`,
        false,
      );
    }
    try {
      await commitOffsets(this.cluster, this.groupId, list, member);
    } catch (err) {
      // GROUP_ID_NOT_FOUND is what OffsetCommit v9+ says where older versions said ILLEGAL_GENERATION.
      if (err instanceof KafkaProtocolError && [ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.GROUP_ID_NOT_FOUND].includes(err.code)) {
        this.member?.requestRejoin();
        throw new KafkaClientError(
          `Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member (${err.errorName}).`,
          false,
          { cause: err },
        );
      }
      throw err;
    }
  }

  /** The group's committed offsets for `tps` (-1 where none). */
  async committed(tps: readonly TopicPartition[]): Promise<Map<string, number>> {
    if (this.groupId === null) throw new KafkaClientError('committed() needs a groupId.', false);
    const res = await fetchCommittedOffsets(this.cluster, this.groupId, tps);
    return new Map(res.map((c) => [tpKey(c.topic, c.partition), c.offset]));
  }

  // ---- lifecycle ------------------------------------------------------------------------

  private checkOpen(): void {
    if (this.closed) throw new ClientClosedError('The consumer');
  }

  /** Commits (auto-commit), leaves the group, closes connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.autoCommitTimer?.cancel();
    this.autoCommitTimer = null;
    if (this.enableAutoCommit && this.member !== null && this.member.isStable) await this.commit().catch(() => undefined);
    this.closed = true;
    this.fetchTimer?.cancel();
    this.fetchTimer = null;
    this.wakeWaiters();
    if (this.member !== null) await this.member.leave();
    await this.cluster.close();
  }

  get subscribedTopics(): readonly string[] {
    return this.subscription;
  }
}
