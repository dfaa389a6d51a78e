/**
 * Consumer groups as the UI sees them, read from the brokers' group coordinators (the
 * same coordinators that serve JoinGroup, OffsetCommit… to every client over the wire,
 * so the user's own consumers appear exactly like the built-in ones):
 *
 * - summaries and details come from each live coordinator's `groupSnapshots()` (plain
 *   data, decoded into views by group-view.ts); a group is taken from the broker that
 *   leads its `__consumer_offsets` partition (during a leadership move the old
 *   coordinator may still list it for a moment);
 * - lag per partition = the partition's high watermark (what a consumer can read up to)
 *   minus the group's committed offset; unknown (null) without a committed offset;
 * - offset resets commit on behalf of no member through `coordinator.alterOffsets`,
 *   which Kafka accepts only while the group is inactive; a refusal is told in words
 *   from the error code and the group as it was when the reset was sent; the preview
 *   computes the targets (ListOffsets semantics for earliest/latest/timestamp) and
 *   changes nothing;
 * - delete goes through the coordinator's DeleteGroups (refused while it has members).
 *
 * Invariant: nothing here changes a group except resetOffsets and deleteGroup, and
 * both go through the coordinator's own request paths.
 */
import { WorkbenchError, type WorkbenchErrorName } from '../api/errors';
import type { CommittedOffsetMarker, GroupDetail, GroupPartitionDetail, GroupStateName, GroupSummary, ParsedArgs, ResetOffsetsResult, ResetPreview, ResetPreviewRow } from '../api/contract';
import { OFFSETS_TOPIC } from '../cluster/controller';
import { partitionForGroup, type AlterOffsetsResponse, type GroupCoordinator, type GroupSnapshot, type GroupStateName as CoordinatorGroupState } from '../cluster/group';
import { NO_LEADER } from '../cluster/metadata-image';
import { ErrorCode } from '../protocol/errors';
import { requireOffsetIn, requireTimestamp, type ClusterState, type GroupCoordinators, type LeaderIo } from '../ports';
import { groupView, type GroupView } from './group-view';

/** Groups a snapshot lists (the rest are counted in groupsOmitted). */
export const MAX_SNAPSHOT_GROUPS = 200;
/** Committed-offset markers a partition's log strip shows. */
const MAX_COMMITTED_MARKERS = 50;

export interface HeldGroup {
  view: GroupView;
  coordinator: number;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  committed: number | null;
  logStartOffset: number;
  logEndOffset: number;
  lag: number | null;
}

export class Groups {
  constructor(
    private readonly cluster: ClusterState,
    private readonly coordinators: GroupCoordinators,
    private readonly io: LeaderIo,
    private readonly changed: () => void,
    private readonly builtinMemberOf: (memberId: string) => string | null,
  ) {}

  /** Every group held by a live coordinator, sorted by id. */
  all(): HeldGroup[] {
    const byId = new Map<string, { snapshot: GroupSnapshot; coordinator: number }>();
    const image = this.cluster.image();
    const offsetsTopic = image?.topics.get(OFFSETS_TOPIC);
    for (const { brokerId, coordinator } of this.coordinators.liveCoordinators()) {
      for (const snapshot of coordinator.groupSnapshots()) {
        const leader = offsetsTopic?.partitions[snapshot.offsetsPartition]?.leader;
        const existing = byId.get(snapshot.groupId);
        if (!existing || leader === brokerId) byId.set(snapshot.groupId, { snapshot, coordinator: brokerId });
      }
    }
    return [...byId.values()]
      .sort((a, b) => (a.snapshot.groupId < b.snapshot.groupId ? -1 : a.snapshot.groupId > b.snapshot.groupId ? 1 : 0))
      .map(({ snapshot, coordinator }) => ({ view: groupView(snapshot), coordinator }));
  }

  summaries(): { groups: GroupSummary[]; omitted: number } {
    const all = this.all();
    const groups = all.slice(0, MAX_SNAPSHOT_GROUPS).map(({ view, coordinator }) => ({
      groupId: view.groupId,
      state: view.state as GroupStateName,
      protocolType: view.protocolType,
      protocol: view.protocol,
      members: view.members.length,
      totalLag: totalOf(this.lagOf(view)),
      coordinator,
    }));
    return { groups, omitted: Math.max(0, all.length - groups.length) };
  }

  /** Per partition: committed offset, log range and lag; partitions with commits or assigned to a member. */
  lagOf(view: GroupView): PartitionLag[] {
    const keys = new Map<string, { topic: string; partition: number; committed: number | null }>();
    for (const o of view.offsets) keys.set(`${o.topic}\u0000${o.partition}`, { topic: o.topic, partition: o.partition, committed: o.offset });
    for (const m of view.members) {
      for (const a of m.assignment ?? []) {
        for (const p of a.partitions) {
          const key = `${a.topic}\u0000${p}`;
          if (!keys.has(key)) keys.set(key, { topic: a.topic, partition: p, committed: null });
        }
      }
    }
    const out: PartitionLag[] = [];
    for (const k of keys.values()) {
      const range = this.io.rangeNow(k.topic, k.partition);
      const logEnd = range?.highWatermark ?? -1;
      out.push({
        topic: k.topic,
        partition: k.partition,
        committed: k.committed,
        logStartOffset: range?.logStartOffset ?? -1,
        logEndOffset: logEnd,
        lag: k.committed === null || range === null ? null : Math.max(0, logEnd - k.committed),
      });
    }
    out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    return out;
  }

  find(groupId: string): HeldGroup | undefined {
    return this.all().find((g) => g.view.groupId === groupId);
  }

  describe(groupId: string): GroupDetail {
    const held = this.find(groupId);
    if (!held) throw notFound(groupId);
    const { view, coordinator } = held;
    const owners = new Map<string, { memberId: string; clientId: string }>();
    for (const m of view.members) for (const a of m.assignment ?? []) for (const p of a.partitions) owners.set(`${a.topic}\u0000${p}`, { memberId: m.memberId, clientId: m.clientId });
    const lags = this.lagOf(view);
    const partitions: GroupPartitionDetail[] = lags.map((l) => {
      const owner = owners.get(`${l.topic}\u0000${l.partition}`);
      return {
        topic: l.topic,
        partition: l.partition,
        committedOffset: l.committed,
        logStartOffset: l.logStartOffset,
        logEndOffset: l.logEndOffset,
        lag: l.lag,
        memberId: owner?.memberId ?? null,
        clientId: owner?.clientId ?? null,
      };
    });
    return {
      groupId,
      state: view.state as GroupStateName,
      protocolType: view.protocolType,
      protocol: view.protocol,
      generationId: view.generationId,
      leaderId: view.leaderId,
      coordinator,
      offsetsPartition: view.offsetsPartition,
      members: view.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        subscribedTopics: m.subscribedTopics,
        assignment: m.assignment ?? [],
        builtinConsumerId: this.builtinMemberOf(m.memberId),
      })),
      partitions,
      totalLag: totalOf(lags),
    };
  }

  /** Committed offsets of every group on one partition, as the live coordinators hold them. */
  committedOffsets(topic: string, partition: number): CommittedOffsetMarker[] {
    const byGroup = new Map<string, CommittedOffsetMarker>();
    for (const { coordinator } of this.coordinators.liveCoordinators()) {
      for (const g of coordinator.groupSnapshots()) {
        const o = g.offsets.find((x) => x.topic === topic && x.partition === partition);
        if (o && !byGroup.has(g.groupId)) byGroup.set(g.groupId, { groupId: g.groupId, offset: o.offset, state: g.state });
        if (byGroup.size >= MAX_COMMITTED_MARKERS) break;
      }
    }
    return [...byGroup.values()].sort((a, b) => a.offset - b.offset || (a.groupId < b.groupId ? -1 : 1));
  }

  /** The coordinator of a group: the leader of its __consumer_offsets partition. */
  coordinatorOf(groupId: string): { brokerId: number; coordinator: GroupCoordinator } {
    const image = this.cluster.image();
    const offsets = image?.topics.get(OFFSETS_TOPIC);
    if (!offsets) throw notFound(groupId);
    const p = offsets.partitions[partitionForGroup(groupId, offsets.partitions.length)];
    const held = p && p.leader !== NO_LEADER ? this.coordinators.liveCoordinators().find((c) => c.brokerId === p.leader) : undefined;
    if (!held) {
      throw new WorkbenchError('BROKER_NOT_AVAILABLE', `The coordinator of group "${groupId}" (the leader of partition ${p?.partition ?? '?'} of ${OFFSETS_TOPIC}) is down. Restart a broker and try again.`);
    }
    return held;
  }

  async previewReset(args: ParsedArgs<'previewResetOffsets'>): Promise<ResetPreview> {
    const held = this.find(args.groupId);
    if (!held && args.topic === null) throw notFound(args.groupId, ' Name a topic to create its offsets.');
    const view = held?.view;
    const committed = new Map<string, number>();
    for (const o of view?.offsets ?? []) committed.set(`${o.topic}\u0000${o.partition}`, o.offset);
    // Which partitions: one topic (all or one partition), or every topic the group has offsets for.
    const targets: { topic: string; partition: number }[] = [];
    const topics = args.topic !== null ? [args.topic] : [...new Set((view?.offsets ?? []).map((o) => o.topic))].sort();
    if (topics.length === 0) throw new WorkbenchError('INVALID_REQUEST', `Group "${args.groupId}" has no committed offsets yet; choose a topic to reset.`, 'topic');
    for (const topic of topics) {
      const t = this.io.topic(topic);
      if (args.partition !== undefined) {
        if (args.topic === null) throw new WorkbenchError('INVALID_REQUEST', 'A partition needs its topic.', 'partition');
        this.io.requirePartition(t, args.partition);
        targets.push({ topic, partition: args.partition });
      } else {
        for (const p of t.partitions) targets.push({ topic, partition: p.partition });
      }
    }
    if (args.target === 'timestamp') requireTimestamp(args.timestampMs, 'timestampMs');
    const rows: ResetPreviewRow[] = [];
    for (const { topic, partition } of targets) {
      const range = await this.io.range(topic, partition);
      const current = committed.get(`${topic}\u0000${partition}`) ?? null;
      const where = `partition ${partition} of "${topic}"`;
      let next: number;
      switch (args.target) {
        case 'earliest':
          next = range.logStartOffset;
          break;
        case 'latest':
          next = range.highWatermark;
          break;
        case 'offset':
          next = requireOffsetIn(args.offset, { start: range.logStartOffset, end: range.highWatermark }, where, 'offset');
          break;
        case 'timestamp': {
          const found = await this.io.offsetForTimestamp(topic, partition, args.timestampMs!);
          next = found === undefined || found.offset >= range.highWatermark ? range.highWatermark : Math.max(found.offset, range.logStartOffset);
          break;
        }
        case 'shift': {
          if (args.shiftBy === undefined) throw new WorkbenchError('INVALID_REQUEST', 'Give the number of offsets to shift by (negative moves back).', 'shiftBy');
          if (current === null) {
            throw new WorkbenchError('INVALID_REQUEST', `Cannot shift ${where}: the group has no committed offset there. Reset it to earliest, latest or an offset instead.`, 'shiftBy');
          }
          next = Math.min(range.highWatermark, Math.max(range.logStartOffset, current + args.shiftBy));
          break;
        }
      }
      rows.push({ topic, partition, currentOffset: current, newOffset: next, logStartOffset: range.logStartOffset, logEndOffset: range.highWatermark });
    }
    const state = (view?.state ?? 'Empty') as GroupStateName;
    const members = view?.members.length ?? 0;
    const refusal =
      members > 0 || (state !== 'Empty' && state !== 'Dead')
        ? `Group "${args.groupId}" is ${state} with ${members} member${members === 1 ? '' : 's'}: Kafka only resets the offsets of an inactive group. Stop its consumers, wait until it is Empty, then apply.`
        : null;
    return { groupId: args.groupId, state, members, rows, refusal };
  }

  async resetOffsets(args: ParsedArgs<'resetOffsets'>): Promise<ResetOffsetsResult> {
    // Validate every offset against its partition first: a bad one changes nothing.
    for (const o of args.offsets) {
      const t = this.io.topic(o.topic, 'offsets');
      this.io.requirePartition(t, o.partition, 'offsets');
      const range = await this.io.range(o.topic, o.partition);
      requireOffsetIn(o.offset, { start: range.logStartOffset, end: range.highWatermark }, `partition ${o.partition} of "${o.topic}"`, 'offsets');
    }
    const { coordinator } = this.coordinatorOf(args.groupId);
    // The group as the reset finds it: what a refusal describes.
    const before = coordinator.groupSnapshot(args.groupId);
    const res = await new Promise<AlterOffsetsResponse>((resolve) =>
      coordinator.alterOffsets(args.groupId, args.offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })), resolve),
    );
    if (res.errorCode !== ErrorCode.NONE) {
      const message = resetFailureMessage(args.groupId, res.errorCode, before?.state ?? 'Dead', before?.members.length ?? 0, coordinator.partitionFor(args.groupId));
      throw groupError(res.errorCode, message);
    }
    this.changed();
    return { groupId: args.groupId, partitions: args.offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })) };
  }

  async deleteGroup(groupId: string): Promise<void> {
    const held = this.find(groupId);
    if (!held) throw notFound(groupId);
    const { coordinator } = this.coordinatorOf(groupId);
    const res = await new Promise<{ results: { groupId: string; errorCode: number }[] }>((resolve) => coordinator.deleteGroups([groupId], resolve));
    const code = res.results[0]?.errorCode ?? ErrorCode.NONE;
    if (code === ErrorCode.NON_EMPTY_GROUP) {
      throw groupError(code, `Group "${groupId}" still has ${held.view.members.length} member${held.view.members.length === 1 ? '' : 's'}: Kafka deletes only inactive groups. Stop its consumers first.`);
    }
    if (code !== ErrorCode.NONE) throw groupError(code, `Deleting group "${groupId}" failed.`);
    this.changed();
  }
}

function totalOf(lags: PartitionLag[]): number | null {
  let total: number | null = null;
  for (const l of lags) if (l.lag !== null) total = (total ?? 0) + l.lag;
  return total;
}

function notFound(groupId: string, extra = ''): WorkbenchError {
  return new WorkbenchError('GROUP_ID_NOT_FOUND', `There is no group "${groupId}": no consumer has joined it or committed offsets for it.${extra}`, 'groupId');
}

/**
 * Why an offset reset was refused, in words a person can act on. Kafka's own tool
 * (`kafka-consumer-groups --reset-offsets`) refuses an active group with "Assignments can
 * only be reset if the group is inactive"; the first sentence says the same, with the
 * group's state and member count when the reset was sent.
 */
export function resetFailureMessage(groupId: string, errorCode: number, state: CoordinatorGroupState, members: number, offsetsPartition: number): string {
  switch (errorCode) {
    case ErrorCode.UNKNOWN_MEMBER_ID:
    case ErrorCode.REBALANCE_IN_PROGRESS:
    case ErrorCode.ILLEGAL_GENERATION:
      return `Offsets of group "${groupId}" can only be reset while the group is inactive, but it is ${state} with ${members} member${members === 1 ? '' : 's'}. Stop its consumers, wait until it is Empty, then reset again.`;
    case ErrorCode.NOT_COORDINATOR:
      return `This broker does not coordinate group "${groupId}" (partition ${offsetsPartition} of __consumer_offsets is led elsewhere). Ask the group's coordinator.`;
    case ErrorCode.COORDINATOR_LOAD_IN_PROGRESS:
      return `The coordinator of group "${groupId}" is still loading its state. Try again in a moment.`;
    case ErrorCode.COORDINATOR_NOT_AVAILABLE:
      return `The coordinator of group "${groupId}" cannot write to __consumer_offsets right now (not enough in-sync replicas?). Try again when the brokers are back.`;
    case ErrorCode.OFFSET_METADATA_TOO_LARGE:
      return `The metadata string of an offset is too long for offset.metadata.max.bytes. Shorten it.`;
    case ErrorCode.INVALID_REQUEST:
      return `An offset, partition or topic name is out of range. Check the values and try again.`;
    default:
      return `Resetting the offsets of group "${groupId}" failed with Kafka error ${errorCode}. Try again.`;
  }
}

/** A coordinator's error as the contract's error, keeping Kafka's name where the contract has it. */
const GROUP_ERRORS: ReadonlyMap<number, WorkbenchErrorName> = new Map([
  [ErrorCode.ILLEGAL_GENERATION, 'ILLEGAL_GENERATION'],
  [ErrorCode.INVALID_GROUP_ID, 'INVALID_GROUP_ID'],
  [ErrorCode.UNKNOWN_MEMBER_ID, 'UNKNOWN_MEMBER_ID'],
  [ErrorCode.REBALANCE_IN_PROGRESS, 'UNKNOWN_MEMBER_ID'],
  [ErrorCode.NON_EMPTY_GROUP, 'NON_EMPTY_GROUP'],
  [ErrorCode.GROUP_ID_NOT_FOUND, 'GROUP_ID_NOT_FOUND'],
  [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, 'BROKER_NOT_AVAILABLE'],
  [ErrorCode.COORDINATOR_NOT_AVAILABLE, 'BROKER_NOT_AVAILABLE'],
  [ErrorCode.NOT_COORDINATOR, 'BROKER_NOT_AVAILABLE'],
]);

function groupError(code: number, message: string): WorkbenchError {
  return new WorkbenchError(GROUP_ERRORS.get(code) ?? 'UNKNOWN_SERVER_ERROR', message, 'groupId');
}
