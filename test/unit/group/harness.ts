/**
 * Test scaffolding for the group coordinator: an in-memory `__consumer_offsets` (records
 * kept per partition, acknowledged at once or when told), a coordinator on a ManualClock,
 * and small helpers that play a consumer's side of JoinGroup/SyncGroup.
 */
import { decodeAssignment, encodeAssignment, encodeSubscription } from '../../../engine/cluster/group/consumer-protocol';
import { GroupCoordinator } from '../../../engine/cluster/group/group-coordinator';
import {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsTopicKey,
  partitionForGroup,
  type GroupMetadataValue,
  type OffsetCommitValue,
  type OffsetsTopicKey,
} from '../../../engine/cluster/group/offsets-topic-format';
import type { GroupCoordinatorConfig, JoinGroupRequest, JoinGroupResponse, OffsetsLog, OffsetsLogRecord, SyncGroupResponse } from '../../../engine/cluster/group/types';
import { ManualClock } from '../../../engine/util/clock';
import { SeededRandom } from '../../../engine/util/random';

/** Collects the answers delivered to a callback. */
export class Responses<T> {
  readonly list: T[] = [];
  readonly cb = (r: T): void => void this.list.push(r);
  /** The single answer; fails if there is none yet or more than one. */
  get only(): T {
    if (this.list.length !== 1) throw new Error(`expected exactly one answer, got ${this.list.length}`);
    return this.list[0];
  }
  get answered(): boolean {
    return this.list.length > 0;
  }
}

/** A consumer Assignment's partitions as "topic-partition" strings. */
export function assignmentFor(bytes: Buffer): string[] {
  return decodeAssignment(bytes).assignedPartitions.flatMap((t) => t.partitions.map((p) => `${t.topic}-${p}`));
}

export const GROUP = 'my-group';
export const P = partitionForGroup(GROUP);

/** An in-memory offsets topic. `deferred` holds acknowledgements until `ackAll`; `failWith` fails appends. */
export class MemoryOffsetsLog implements OffsetsLog {
  private readonly partitions = new Map<number, OffsetsLogRecord[]>();
  private readonly queue: (() => void)[] = [];
  deferred = false;
  failWith: number | null = null;
  appends = 0;

  append(partition: number, records: { key: Buffer; value: Buffer | null }[], done: (errorCode: number) => void): void {
    this.appends++;
    const failure = this.failWith;
    const act = (): void => {
      if (failure !== null) return done(failure);
      let list = this.partitions.get(partition);
      if (!list) this.partitions.set(partition, (list = []));
      for (const r of records) list.push({ offset: list.length, key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) });
      done(0);
    };
    if (this.deferred) this.queue.push(act);
    else act();
  }

  ackAll(): void {
    while (this.queue.length > 0) this.queue.shift()!();
  }

  get pendingAcks(): number {
    return this.queue.length;
  }

  records(partition: number): OffsetsLogRecord[] {
    return [...(this.partitions.get(partition) ?? [])];
  }

  /** The partition's records decoded, for readable assertions. */
  decoded(partition: number): { key: OffsetsTopicKey; value: OffsetCommitValue | GroupMetadataValue | null }[] {
    return this.records(partition).map((r) => {
      const key = decodeOffsetsTopicKey(r.key);
      if (r.value === null) return { key, value: null };
      return { key, value: key.kind === 'offset' ? decodeOffsetCommitValue(r.value) : decodeGroupMetadataValue(r.value) };
    });
  }
}

export interface Setup {
  coord: GroupCoordinator;
  clock: ManualClock;
  log: MemoryOffsetsLog;
}

export function setup(opts: { config?: Partial<GroupCoordinatorConfig>; log?: MemoryOffsetsLog; clock?: ManualClock; seed?: number; load?: boolean } = {}): Setup {
  const clock = opts.clock ?? new ManualClock(1_700_000_000_000);
  const log = opts.log ?? new MemoryOffsetsLog();
  const coord = new GroupCoordinator({ brokerId: 1, clock, random: new SeededRandom(opts.seed ?? 7), config: opts.config, offsetsLog: log });
  if (opts.load !== false) coord.loadPartition(P, log.records(P));
  return { coord, clock, log };
}

/** A group id (prefix + counter) that hashes to `partition`. */
export function groupOnPartition(partition: number, prefix: string): string {
  for (let i = 0; i < 100_000; i++) if (partitionForGroup(`${prefix}-${i}`) === partition) return `${prefix}-${i}`;
  throw new Error('no such group id');
}

export function subscription(topics: string[]): Buffer {
  return encodeSubscription({ version: 1, topics });
}

export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: GROUP,
    memberId: '',
    groupInstanceId: null,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription(['t']) }],
    requireKnownMemberId: true,
    ...overrides,
  };
}

/**
 * A new dynamic member's first two JoinGroups (KIP-394): the first returns MEMBER_ID_REQUIRED
 * and an id, the second is parked. Returns the id and where the parked answer will land.
 */
export function joinNew(coord: GroupCoordinator, clientId: string, overrides: Partial<JoinGroupRequest> = {}): { memberId: string; join: Responses<JoinGroupResponse> } {
  const first = new Responses<JoinGroupResponse>();
  coord.joinGroup(joinRequest({ clientId, ...overrides }), first.cb);
  const required = first.only;
  if (required.errorCode !== 79) throw new Error(`expected MEMBER_ID_REQUIRED, got ${required.errorCode}`);
  const join = new Responses<JoinGroupResponse>();
  coord.joinGroup(joinRequest({ clientId, ...overrides, memberId: required.memberId }), join.cb);
  return { memberId: required.memberId, join };
}

/** Rejoin of a known member (parked until the rebalance completes). */
export function rejoin(coord: GroupCoordinator, memberId: string, overrides: Partial<JoinGroupRequest> = {}): Responses<JoinGroupResponse> {
  const r = new Responses<JoinGroupResponse>();
  coord.joinGroup(joinRequest({ memberId, ...overrides }), r.cb);
  return r;
}

export function sync(
  coord: GroupCoordinator,
  memberId: string,
  generationId: number,
  assignments: { memberId: string; assignment: Buffer }[] = [],
  groupInstanceId: string | null = null,
): Responses<SyncGroupResponse> {
  const r = new Responses<SyncGroupResponse>();
  coord.syncGroup({ groupId: GROUP, generationId, memberId, groupInstanceId, protocolType: 'consumer', protocolName: 'range', assignments }, r.cb);
  return r;
}

export function heartbeat(coord: GroupCoordinator, memberId: string, generationId: number, groupInstanceId: string | null = null): number {
  const r = new Responses<{ errorCode: number }>();
  coord.heartbeat({ groupId: GROUP, memberId, generationId, groupInstanceId }, r.cb);
  return r.only.errorCode;
}

/** The leader's assignment for the members of a JoinGroup answer: partition i of "t" to member i. */
export function leaderAssignments(leaderJoin: JoinGroupResponse): { memberId: string; assignment: Buffer }[] {
  return leaderJoin.members.map((m, i) => ({ memberId: m.memberId, assignment: encodeAssignment({ assignedPartitions: [{ topic: 't', partitions: [i] }] }) }));
}

/**
 * Brings `clientIds.length` new members into a fresh group and through one full rebalance
 * (initial delay included). Returns their member ids (in join order) and the generation.
 */
export function stableGroup(s: Setup, clientIds: string[]): { memberIds: string[]; generationId: number; leaderId: string } {
  const joins = clientIds.map((c) => joinNew(s.coord, c));
  s.clock.advance(s.coord.config['group.initial.rebalance.delay.ms'] * clientIds.length + 1);
  const answers = joins.map((j) => j.join.only);
  const leader = answers.find((a) => a.members.length > 0)!;
  const generationId = leader.generationId;
  const syncs = joins.map((j) => sync(s.coord, j.memberId, generationId, j.memberId === leader.leader ? leaderAssignments(leader) : []));
  for (const r of syncs) if (r.only.errorCode !== 0) throw new Error(`sync failed: ${r.only.errorCode}`);
  return { memberIds: joins.map((j) => j.memberId), generationId, leaderId: leader.leader };
}

