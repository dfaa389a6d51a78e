/**
 * What the two halves of a broker's group coordinator share — membership and rebalances
 * (group-coordinator.ts) and committed offsets (offset-metadata-manager.ts): the
 * `__consumer_offsets` partitions it owns and the groups on them, the way work runs and
 * answers are delivered, and appends to the log. Kafka's CoordinatorRuntime plays this
 * part for its group coordinator shards.
 *
 * Ownership. A group lives on partition abs(hash(groupId)) mod offsets.topic.num.partitions
 * (offsets-topic-format.ts). Each partition is unowned, loading, or owned:
 *
 *   unowned ──beginLoading──▶ loading ──finishLoading──▶ owned
 *      ▲                        │ abortLoading / release    │ release
 *      └────────────────────────┴───────────────────────────┘
 *
 * `status` answers a request for a group: INVALID_GROUP_ID for an id Kafka refuses,
 * COORDINATOR_NOT_AVAILABLE once closed, COORDINATOR_LOAD_IN_PROGRESS while its partition
 * loads, NOT_COORDINATOR when the partition is not owned here, else NONE.
 *
 * Execution. Nothing here is asynchronous by itself: work runs inside `run`, on the
 * caller's stack, from a timer (`setTimer`) or from a log acknowledgement (`append`).
 * An answer given through a `responder` is queued and delivered only when the outermost
 * `run` ends, once the state is consistent again, so an answer's callback may call
 * straight back into the coordinator. Time comes only from the injected Clock.
 *
 * Appends. Records go to the injected OffsetsLog. Whether they fit one batch of
 * message.max.bytes is the caller's to check first (`fitsOneBatch`), since each caller
 * reports an oversized write with its own error. A log that throws instead of answering
 * still leaves the coordinator consistent (see `append`).
 *
 * Invariants: every request is answered exactly once and every append acknowledged
 * exactly once (asserted); the outbox of answers is bounded; the registry holds no Dead
 * group, only groups of owned partitions, each under its own id, and a dropped group keeps
 * no timer. Not thread-safe: a broker's coordinator runs on the engine's one thread.
 */
import { assert } from '../../util/assert';
import type { Clock, TimerHandle } from '../../util/clock';
import { ErrorCode } from '../../protocol/errors';
import { MAX_STRING_BYTES } from '../../protocol/types';
import { BATCH_HEADER_BYTES } from '../../storage/record-batch';
import { GroupMetadata } from './group';
import { partitionForGroup } from './offsets-topic-format';
import type { GroupCoordinatorConfig, OffsetsLog } from './types';

/** Bound on answers queued at once (every parked request of every group fits many times over). */
const MAX_OUTBOX = 1_000_000;
/** A record's worst-case framing around its key and value inside a RecordBatch v2. */
const RECORD_OVERHEAD_BYTES = 21;

/** The group APIs, as far as the ownership check treats them differently. */
export type GroupApi = 'join' | 'sync' | 'heartbeat' | 'leave' | 'commit' | 'fetch' | 'describe' | 'delete';

/** One record for `__consumer_offsets`; a null value is a tombstone. */
export interface OffsetsRecord {
  key: Buffer;
  value: Buffer | null;
}

/** Whether `s` fits a Kafka (non-compact) string: at most 32767 UTF-8 bytes. */
export function fitsKafkaString(s: string): boolean {
  return Buffer.byteLength(s, 'utf8') <= MAX_STRING_BYTES;
}

export class CoordinatorRuntime {
  private readonly groups = new Map<string, GroupMetadata>();
  private readonly ownedPartitions = new Set<number>();
  private readonly loadingPartitions = new Set<number>();
  private active = true;

  private readonly outbox: (() => void)[] = [];
  private depth = 0;

  constructor(
    readonly config: Readonly<GroupCoordinatorConfig>,
    readonly clock: Clock,
    private readonly offsetsLog: OffsetsLog,
  ) {}

  get isActive(): boolean {
    return this.active;
  }

  /** Later requests get COORDINATOR_NOT_AVAILABLE. The partitions are the caller's to release. */
  deactivate(): void {
    this.active = false;
  }

  // ======================================================================================
  // Partition ownership.

  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.config['offsets.topic.num.partitions']);
  }

  checkPartition(partition: number): void {
    assert(
      Number.isInteger(partition) && partition >= 0 && partition < this.config['offsets.topic.num.partitions'],
      () => `no __consumer_offsets partition ${partition}`,
    );
  }

  isOwned(partition: number): boolean {
    return this.ownedPartitions.has(partition);
  }

  get isAnyLoading(): boolean {
    return this.loadingPartitions.size > 0;
  }

  /** The partitions owned or loading, to release on close. */
  heldPartitions(): number[] {
    return [...this.ownedPartitions, ...this.loadingPartitions];
  }

  beginLoading(partition: number): void {
    this.checkPartition(partition);
    if (!this.ownedPartitions.has(partition)) this.loadingPartitions.add(partition);
  }

  /** The load failed: the partition stays unowned. */
  abortLoading(partition: number): void {
    this.loadingPartitions.delete(partition);
  }

  /** The partition's groups were rebuilt from its log: register them and own it. */
  finishLoading(partition: number, loaded: readonly GroupMetadata[]): void {
    assert(!this.ownedPartitions.has(partition), () => `__consumer_offsets-${partition} is already owned`);
    for (const group of loaded) {
      assert(this.partitionFor(group.groupId) === partition, () => `group ${group.groupId} does not belong to partition ${partition}`);
      assert(!this.groups.has(group.groupId), () => `group ${group.groupId} is already loaded`);
      assert(!group.is('Dead'), 'a loaded group is alive');
      this.groups.set(group.groupId, group);
    }
    this.loadingPartitions.delete(partition);
    this.ownedPartitions.add(partition);
  }

  /**
   * The partition is no longer ours. Returns its groups, still registered: the caller ends
   * their parked requests, then drops each (`dropGroup`).
   */
  release(partition: number): GroupMetadata[] {
    this.ownedPartitions.delete(partition);
    this.loadingPartitions.delete(partition);
    return [...this.groups.values()].filter((g) => this.partitionFor(g.groupId) === partition);
  }

  /** Whether a request for `groupId` may be served here (NONE), or the error that says why not. */
  status(groupId: string, api: GroupApi): number {
    // OffsetCommit/OffsetFetch/DescribeGroups/DeleteGroups accept "" (as Kafka does, for
    // compatibility); the membership APIs need a real group id.
    const allowsEmptyId = api === 'commit' || api === 'fetch' || api === 'describe' || api === 'delete';
    if (typeof groupId !== 'string' || (!allowsEmptyId && groupId === '') || !fitsKafkaString(groupId)) return ErrorCode.INVALID_GROUP_ID;
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const partition = this.partitionFor(groupId);
    if (this.loadingPartitions.has(partition)) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    if (!this.ownedPartitions.has(partition)) return ErrorCode.NOT_COORDINATOR;
    return ErrorCode.NONE;
  }

  // ======================================================================================
  // The groups of the owned partitions.

  group(groupId: string): GroupMetadata | undefined {
    return this.groups.get(groupId);
  }

  allGroups(): GroupMetadata[] {
    return [...this.groups.values()];
  }

  /** A new Empty group (a first JoinGroup, or a commit from outside group management). */
  createGroup(groupId: string): GroupMetadata {
    assert(!this.groups.has(groupId), () => `group ${groupId} exists`);
    assert(this.ownedPartitions.has(this.partitionFor(groupId)), () => `group ${groupId} belongs to a partition not owned here`);
    const group = new GroupMetadata(groupId, 'Empty', this.clock.nowMs());
    this.groups.set(groupId, group);
    return group;
  }

  /** Forgets a Dead group and cancels its timers. Its parked requests are the caller's to answer first. */
  dropGroup(group: GroupMetadata): void {
    assert(group.is('Dead'), () => `group ${group.groupId} is dropped only when Dead, not ${group.state}`);
    assert(this.groups.get(group.groupId) === group, () => `group ${group.groupId} is not registered`);
    group.cancelTimers();
    this.groups.delete(group.groupId);
  }

  /** Asserts the registry's invariants and every group's own. */
  checkInvariants(): void {
    for (const [id, g] of this.groups) {
      assert(g.groupId === id && !g.is('Dead'), 'the map holds live groups under their ids');
      assert(this.ownedPartitions.has(this.partitionFor(id)), 'groups belong to loaded partitions');
      g.checkInvariants();
    }
  }

  // ======================================================================================
  // Execution.

  /** Runs `fn`; the outermost call then delivers the queued answers (which may call back in). */
  run<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      if (this.depth === 0) this.flush();
    }
  }

  /** Wraps a response callback: answered at most once, delivered once the state is consistent. */
  responder<T>(respond: (r: T) => void): (r: T) => void {
    let answered = false;
    return (r: T) => {
      assert(!answered, 'a request is answered exactly once');
      answered = true;
      assert(this.outbox.length < MAX_OUTBOX, 'the outbox of answers is bounded');
      this.outbox.push(() => respond(r));
    };
  }

  /** A timer on the injected clock whose work runs like any request (inside `run`). */
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    return this.clock.setTimer(delayMs, () => this.run(fn));
  }

  private flush(): void {
    this.depth++;
    try {
      while (this.outbox.length > 0) this.outbox.shift()!();
    } finally {
      this.depth--;
    }
  }

  // ======================================================================================
  // Appends.

  /** Whether the records fit one RecordBatch of message.max.bytes (a worst-case estimate). */
  fitsOneBatch(records: readonly OffsetsRecord[]): boolean {
    let bytes = BATCH_HEADER_BYTES;
    for (const r of records) bytes += RECORD_OVERHEAD_BYTES + r.key.length + (r.value?.length ?? 0);
    return bytes <= this.config['message.max.bytes'];
  }

  /**
   * Appends through the offsets log; `done` hears the log's error code (NONE once the
   * records are committed) inside `run`. A log that throws instead of answering still leaves
   * the coordinator consistent: an error carrying a Kafka `code` (a storage error) counts as
   * that append error; anything else (a bug) fails the append with UNKNOWN_SERVER_ERROR and
   * is rethrown.
   */
  append(partition: number, records: OffsetsRecord[], done: (errorCode: number) => void): void {
    let acknowledged = false;
    const acknowledge = (errorCode: number): void => {
      assert(!acknowledged, 'an append is acknowledged once');
      acknowledged = true;
      this.run(() => done(errorCode));
    };
    try {
      this.offsetsLog.append(partition, records, acknowledge);
    } catch (e) {
      if (acknowledged) throw e;
      const code = (e as { code?: unknown } | null)?.code;
      if (typeof code === 'number' && Number.isInteger(code) && code !== ErrorCode.NONE) return acknowledge(code);
      acknowledge(ErrorCode.UNKNOWN_SERVER_ERROR);
      throw e;
    }
  }
}
