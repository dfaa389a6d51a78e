/**
 * The committed offsets of the groups a broker coordinates, as Kafka's OffsetMetadataManager
 * (and the offset half of the classic GroupMetadataManager) keeps them: OffsetCommit and
 * OffsetFetch, an admin's offset change, DeleteGroups, the expiry of old offsets, and the
 * removal of the offsets of deleted topics. Each group's offsets live in its
 * CommittedOffsets (committed-offsets.ts); the records are offsets-topic-records.ts's.
 *
 * Commit. A commit is checked as Kafka's validateOffsetCommit does: generation -1 from no
 * member (an admin tool, a consumer outside group management) only while the group is
 * Empty (a commit to an unknown group creates it, offsets-only); otherwise the member and
 * its generation must be current, and not while the group completes a rebalance
 * (REBALANCE_IN_PROGRESS). A member's commit restarts its session timer, as a heartbeat
 * would. Each partition's entry is checked (OFFSET_METADATA_TOO_LARGE, INVALID_REQUEST for
 * values the records cannot hold); the valid ones are staged, appended as one batch, and
 * applied only once the append is acknowledged, so a fetch never returns an offset the log
 * may not keep (unless asked with requireStable, which answers UNSTABLE_OFFSET_COMMIT
 * while a commit is in flight).
 *
 * Cleanup (Kafka's cleanupGroupMetadata), every offsets.retention.check.interval.ms:
 *   - Empty group with a protocol type: every offset, once the group has been Empty for
 *     offsets.retention.minutes (or, for an old record without that time, since the commit);
 *   - Stable consumer group: offsets of topics no member subscribes to, retention after commit;
 *   - no protocol type (offsets-only group): retention after each commit;
 *   - a commit that asked for its own retention (OffsetCommit v2-v4) expires at that time.
 * An Empty group left without offsets (or commits in flight) becomes Dead and is dropped.
 * Tombstones go to the log for every removed offset, and for the group's metadata if it
 * ever wrote any (generation > 0). DeleteGroups and deleted topics use the same path.
 *
 * OffsetDelete (Kafka's validateOffsetDelete and deleteOffsets): an unknown or Dead group is
 * GROUP_ID_NOT_FOUND; a group with members that is not a consumer group is NON_EMPTY_GROUP
 * (its subscriptions are unknown); a consumer group's partitions of topics its members
 * subscribe to are GROUP_SUBSCRIBED_TO_TOPIC; every other requested partition loses its
 * offset (NONE even when it had none) through the cleanup path, so tombstones reach the log
 * and an Empty group left without offsets becomes Dead.
 *
 * Deliberate difference from Kafka: offsets and timestamps that are not safe integers are
 * refused with INVALID_REQUEST.
 *
 * Invariants: every request is answered exactly once (through the runtime's responder);
 * an offset is applied only after its append is acknowledged, never out of append order,
 * and never to a group that is gone; cleanup drops a group only when it is Dead (deleted,
 * or Empty with no offsets and no commit in flight).
 */
import { assert } from '../../util/assert';
import type { TimerHandle } from '../../util/clock';
import { ErrorCode } from '../../protocol/errors';
import type { CommittedOffset } from './committed-offsets';
import { fitsKafkaString, type CoordinatorRuntime, type OffsetsRecord } from './coordinator-runtime';
import { commitOffsetsError } from './errors';
import type { GroupMetadata, MemberMetadata } from './group';
import { groupMetadataTombstone, offsetCommitRecord, offsetCommitTombstone } from './offsets-topic-records';
import type {
  AlterOffsetsEntry,
  AlterOffsetsResponse,
  DeleteGroupsResponse,
  DeleteOffsetsResponse,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchRequest,
  OffsetFetchResponse,
} from './types';

/** What offsets need from membership (group-coordinator.ts). */
export interface MembershipHooks {
  /** A member's commit is proof of life: its session starts afresh, as after a heartbeat. */
  keepAlive(group: GroupMetadata, member: MemberMetadata): void;
}

interface CommitEntry {
  topic: string;
  partition: number;
  /** null when the entry is refused before the append (its error in `error`). */
  value: CommittedOffset | null;
  error: number;
}

type TopicPartitionRef = { topic: string; partition: number };

export class OffsetMetadataManager {
  private cleanupTimer: TimerHandle | null = null;
  /** Increases with every offset append: orders acknowledgements (committed-offsets.ts). */
  private nextAppendOrder = 0;

  constructor(
    private readonly runtime: CoordinatorRuntime,
    private readonly membership: MembershipHooks,
  ) {
    this.scheduleCleanup();
  }

  /** Stops the periodic cleanup. */
  close(): void {
    this.cleanupTimer?.cancel();
    this.cleanupTimer = null;
  }

  // ======================================================================================
  // OffsetCommit.

  commitOffsets(req: OffsetCommitRequest, respond: (r: OffsetCommitResponse) => void): void {
    const rt = this.runtime;
    rt.run(() => {
      const reply = rt.responder(respond);
      const entries = this.commitEntries(req, rt.clock.nowMs());
      const answer = (errorFor: (e: CommitEntry) => number): void => reply(commitResponse(entries, errorFor));
      const status = rt.status(req.groupId, 'commit');
      if (status !== ErrorCode.NONE) return answer(() => status);
      let group = rt.group(req.groupId);
      if (group === undefined) {
        // Outside group management (generation -1) a commit creates the group; a member of
        // some generation committing to a group that does not exist is from the past
        // (ILLEGAL_GENERATION, or GROUP_ID_NOT_FOUND as OffsetCommit v9+ says it).
        if (req.generationId >= 0) {
          const error = req.unknownGroupError ?? ErrorCode.ILLEGAL_GENERATION;
          return answer(() => error);
        }
        group = rt.createGroup(req.groupId);
      }
      const error = validateOffsetCommit(group, req);
      if (error !== ErrorCode.NONE) return answer(() => error);
      switch (group.state) {
        case 'Empty':
          return this.storeOffsets(group, entries, answer);
        case 'Stable':
        case 'PreparingRebalance':
          // A commit is proof of life; the rebalance itself is announced by heartbeats.
          this.membership.keepAlive(group, group.get(req.memberId));
          return this.storeOffsets(group, entries, answer);
        case 'CompletingRebalance':
          // The member has the new generation but no assignment yet: it must not commit.
          return answer(() => ErrorCode.REBALANCE_IN_PROGRESS);
        case 'Dead':
          assert(false, 'a Dead group was validated');
      }
    });
  }

  private commitEntries(req: OffsetCommitRequest, now: number): CommitEntry[] {
    const expireTimestamp = req.retentionTimeMs === -1 ? -1 : now + req.retentionTimeMs;
    const maxMetadata = this.runtime.config['offset.metadata.max.bytes'];
    const entries: CommitEntry[] = [];
    for (const topic of req.topics) {
      for (const p of topic.partitions) {
        const entry: CommitEntry = { topic: topic.name, partition: p.partitionIndex, value: null, error: ErrorCode.NONE };
        const metadata = p.committedMetadata ?? '';
        const commitTimestamp = p.commitTimestamp === -1 ? now : p.commitTimestamp;
        const sane =
          fitsKafkaString(topic.name) &&
          fitsKafkaString(metadata) &&
          Number.isInteger(p.partitionIndex) &&
          p.partitionIndex >= 0 &&
          p.partitionIndex <= 0x7fffffff &&
          [p.committedOffset, commitTimestamp, expireTimestamp].every(Number.isSafeInteger) &&
          Number.isInteger(p.committedLeaderEpoch) &&
          p.committedLeaderEpoch >= -1 &&
          p.committedLeaderEpoch <= 0x7fffffff;
        // Kafka measures metadata in UTF-16 units (String.length), as JS does.
        if (p.committedMetadata !== null && p.committedMetadata.length > maxMetadata) entry.error = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        else if (!sane) entry.error = ErrorCode.INVALID_REQUEST;
        else entry.value = { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata, commitTimestamp, expireTimestamp };
        entries.push(entry);
      }
    }
    return entries;
  }

  private storeOffsets(group: GroupMetadata, entries: CommitEntry[], answer: (errorFor: (e: CommitEntry) => number) => void): void {
    const rt = this.runtime;
    const valid = new Map<string, CommitEntry>();
    for (const e of entries) if (e.value !== null) valid.set(`${e.partition}:${e.topic}`, e);
    if (valid.size === 0) return answer((e) => e.error);
    const partition = rt.partitionFor(group.groupId);
    if (!rt.isOwned(partition)) return answer((e) => (e.value === null ? e.error : ErrorCode.NOT_COORDINATOR));
    const records = [...valid.values()].map((e) => offsetCommitRecord(group.groupId, e.topic, e.partition, e.value!));
    if (!rt.fitsOneBatch(records)) {
      const tooLarge = commitOffsetsError(ErrorCode.RECORD_LIST_TOO_LARGE);
      return answer((e) => (e.value === null ? e.error : tooLarge));
    }
    const order = this.nextAppendOrder++;
    for (const e of valid.values()) group.offsets.prepare(e.topic, e.partition, order);
    rt.append(partition, records, (appendError) => {
      const error = commitOffsetsError(appendError);
      const apply = error === ErrorCode.NONE && !group.is('Dead');
      for (const e of valid.values()) group.offsets.complete(e.topic, e.partition, apply ? e.value : null, order);
      answer((e) => (e.value === null ? e.error : error));
    });
  }

  /**
   * An admin's offset change, as Kafka's Admin.alterConsumerGroupOffsets sends it (and
   * `kafka-consumer-groups --reset-offsets` with it): an OffsetCommit on behalf of no
   * member (generation -1), which Kafka accepts only while the group is Empty (or
   * unknown). A group with members answers UNKNOWN_MEMBER_ID. The answer carries every
   * partition's error and the first of them (NONE when all were stored).
   */
  alterOffsets(groupId: string, offsets: readonly AlterOffsetsEntry[], respond: (r: AlterOffsetsResponse) => void): void {
    const topics = new Map<string, OffsetCommitRequest['topics'][number]>();
    for (const o of offsets) {
      let t = topics.get(o.topic);
      if (!t) topics.set(o.topic, (t = { name: o.topic, partitions: [] }));
      t.partitions.push({ partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: o.metadata ?? null });
    }
    const req: OffsetCommitRequest = { groupId, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [...topics.values()] };
    this.commitOffsets(req, (r) => {
      const partitions = r.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode })));
      const errorCode = partitions.find((p) => p.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE;
      respond({ errorCode, partitions });
    });
  }

  // ======================================================================================
  // OffsetFetch.

  /** Committed offsets of a group (-1 where none). Answers at once. */
  fetchOffsets(req: OffsetFetchRequest): OffsetFetchResponse {
    const status = this.runtime.status(req.groupId, 'fetch');
    if (status !== ErrorCode.NONE) return { errorCode: status, topics: [] };
    const group = this.runtime.group(req.groupId);
    const none = (partitionIndex: number, errorCode: number = ErrorCode.NONE) => ({ partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode });
    if (group === undefined || group.is('Dead')) {
      return { errorCode: ErrorCode.NONE, topics: (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => none(p)) })) };
    }
    const present = (o: CommittedOffset, partitionIndex: number) => ({
      partitionIndex,
      committedOffset: o.offset,
      committedLeaderEpoch: o.leaderEpoch,
      metadata: o.metadata,
      errorCode: ErrorCode.NONE,
    });
    if (req.topics === null) {
      const byTopic = new Map<string, ReturnType<typeof present>[]>();
      for (const { topic, partition, value } of group.offsets.all()) {
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        list.push(present(value, partition));
      }
      return { errorCode: ErrorCode.NONE, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) => {
          if (req.requireStable === true && group.offsets.hasPending(t.name, p)) return none(p, ErrorCode.UNSTABLE_OFFSET_COMMIT);
          const o = group.offsets.get(t.name, p);
          return o === undefined ? none(p) : present(o, p);
        }),
      })),
    };
  }

  // ======================================================================================
  // DeleteGroups, expiry, deleted topics.

  /**
   * DeleteGroups: an Empty group is deleted with its offsets (tombstones appended); a group
   * with members is NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND. Answers once the
   * tombstones are acknowledged (an append error is reported, mapped as for commits; the
   * group is gone from memory either way, as in Kafka).
   */
  deleteGroups(groupIds: readonly string[], respond: (r: DeleteGroupsResponse) => void): void {
    const rt = this.runtime;
    rt.run(() => {
      const reply = rt.responder(respond);
      const results = new Map<string, number>();
      const eligible: GroupMetadata[] = [];
      for (const groupId of groupIds) {
        if (results.has(groupId)) continue;
        const status = rt.status(groupId, 'delete');
        const group = rt.group(groupId);
        if (status !== ErrorCode.NONE) results.set(groupId, status);
        else if (group === undefined || group.is('Dead')) results.set(groupId, ErrorCode.GROUP_ID_NOT_FOUND);
        else if (group.is('Empty')) {
          group.transitionTo('Dead', rt.clock.nowMs());
          eligible.push(group);
          results.set(groupId, ErrorCode.NONE);
        } else results.set(groupId, ErrorCode.NON_EMPTY_GROUP);
      }
      const finish = (): void => reply({ results: [...results].map(([groupId, errorCode]) => ({ groupId, errorCode })) });
      let outstanding = eligible.length;
      if (outstanding === 0) return finish();
      this.cleanupGroups(
        eligible,
        (g) => g.offsets.remove(g.offsets.all()),
        (groupId, appendError) => {
          results.set(groupId, commitOffsetsError(appendError));
          if (--outstanding === 0) finish();
        },
      );
    });
  }

  /**
   * OffsetDelete (rules above). Answers once the tombstones are acknowledged; an append
   * error becomes the group-level error, mapped as for commits.
   */
  deleteOffsets(groupId: string, partitions: readonly TopicPartitionRef[], respond: (r: DeleteOffsetsResponse) => void): void {
    const rt = this.runtime;
    rt.run(() => {
      const reply = rt.responder(respond);
      const status = rt.status(groupId, 'delete');
      if (status !== ErrorCode.NONE) return reply({ errorCode: status, partitions: [] });
      const group = rt.group(groupId);
      if (group === undefined || group.is('Dead')) return reply({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, partitions: [] });
      if (!group.is('Empty') && !group.isConsumerGroup) return reply({ errorCode: ErrorCode.NON_EMPTY_GROUP, partitions: [] });
      const subscribed = group.is('Empty') ? new Set<string>() : (group.subscribedTopics ?? new Set<string>());
      const answers = partitions.map((p) => ({
        topic: p.topic,
        partition: p.partition,
        errorCode: subscribed.has(p.topic) ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC : ErrorCode.NONE,
      }));
      const deletable = answers.filter((a) => a.errorCode === ErrorCode.NONE);
      this.cleanupGroups(
        [group],
        (g) => g.offsets.remove(deletable),
        (_groupId, appendError) => {
          const error = commitOffsetsError(appendError);
          reply(error === ErrorCode.NONE ? { errorCode: ErrorCode.NONE, partitions: answers } : { errorCode: error, partitions: [] });
        },
      );
    });
  }

  private scheduleCleanup(): void {
    this.cleanupTimer = this.runtime.setTimer(this.runtime.config['offsets.retention.check.interval.ms'], () => {
      this.expireOffsets();
      if (this.runtime.isActive) this.scheduleCleanup();
    });
  }

  /**
   * Removes expired offsets (see the rules above) and drops Empty groups left without any;
   * runs every offsets.retention.check.interval.ms. Returns how many offsets expired.
   */
  expireOffsets(): number {
    return this.runtime.run(() => {
      const now = this.runtime.clock.nowMs();
      const retentionMs = this.runtime.config['offsets.retention.minutes'] * 60_000;
      return this.cleanupGroups(this.runtime.allGroups(), (g) => removeExpiredOffsets(g, now, retentionMs));
    });
  }

  /**
   * Topics were deleted: their committed offsets go too, in every group (Kafka's
   * handleDeletedPartitions), with tombstones. Returns how many offsets were removed.
   */
  deleteOffsetsOfTopics(topics: readonly string[]): number {
    const deleted = new Set(topics);
    return this.runtime.run(() =>
      this.cleanupGroups(this.runtime.allGroups(), (g) => g.offsets.remove(g.offsets.all().filter((o) => deleted.has(o.topic)))),
    );
  }

  /**
   * Kafka's cleanupGroupMetadata: removes offsets chosen by `selector`, turns Empty groups
   * without offsets Dead and drops them, and appends the tombstones (offsets, and the group's
   * metadata if it ever had a generation). `onAppended` hears each group's append result.
   */
  private cleanupGroups(
    groups: readonly GroupMetadata[],
    selector: (g: GroupMetadata) => TopicPartitionRef[],
    onAppended?: (groupId: string, errorCode: number) => void,
  ): number {
    const rt = this.runtime;
    let removedCount = 0;
    for (const group of groups) {
      const removed = selector(group);
      removedCount += removed.length;
      if (group.is('Empty') && !group.hasOffsets) group.transitionTo('Dead', rt.clock.nowMs());
      const partition = rt.partitionFor(group.groupId);
      const tombstones: OffsetsRecord[] = removed.map((r) => offsetCommitTombstone(group.groupId, r.topic, r.partition));
      if (group.is('Dead') && rt.group(group.groupId) === group) {
        rt.dropGroup(group);
        // Generation 0 never wrote metadata (an offsets-only group): nothing to delete.
        if (group.generationId > 0) tombstones.push(groupMetadataTombstone(group.groupId));
      }
      if (!rt.isOwned(partition)) {
        onAppended?.(group.groupId, ErrorCode.NOT_LEADER_OR_FOLLOWER);
      } else if (tombstones.length === 0) {
        onAppended?.(group.groupId, ErrorCode.NONE);
      } else {
        // Kafka appends these without waiting for replicas: a lost tombstone is written again next time.
        rt.append(partition, tombstones, (error) => onAppended?.(group.groupId, error));
      }
    }
    return removedCount;
  }
}

/** Kafka's validateOffsetCommit. */
function validateOffsetCommit(group: GroupMetadata, req: OffsetCommitRequest): number {
  if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  // Generation -1: an admin tool or a consumer outside group management; fine while no one is in the group.
  if (req.generationId < 0 && group.is('Empty')) return ErrorCode.NONE;
  if (req.generationId >= 0 || req.memberId !== '' || req.groupInstanceId !== null) {
    const memberError = group.validateMember(req.memberId, req.groupInstanceId);
    if (memberError !== ErrorCode.NONE) return memberError;
    return req.generationId === group.generationId ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
  }
  // Not a member, and the group has members: only they may commit.
  return group.is('Empty') ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
}

function removeExpiredOffsets(group: GroupMetadata, now: number, retentionMs: number): TopicPartitionRef[] {
  const expired = (base: (o: CommittedOffset) => number, subscribed: ReadonlySet<string> = new Set()) =>
    group.offsets
      .all()
      .filter(
        ({ topic, partition, value }) =>
          !subscribed.has(topic) &&
          !group.offsets.hasPending(topic, partition) &&
          (value.expireTimestamp === -1 ? now - base(value) >= retentionMs : now >= value.expireTimestamp),
      );
  let candidates: TopicPartitionRef[] = [];
  if (group.protocolType !== null && group.is('Empty')) {
    candidates = expired((o) => group.currentStateTimestamp ?? o.commitTimestamp);
  } else if (group.isConsumerGroup && group.subscribedTopics !== null && group.is('Stable')) {
    candidates = expired((o) => o.commitTimestamp, group.subscribedTopics);
  } else if (group.protocolType === null) {
    candidates = expired((o) => o.commitTimestamp);
  }
  return group.offsets.remove(candidates);
}

function commitResponse(entries: readonly CommitEntry[], errorFor: (e: CommitEntry) => number): OffsetCommitResponse {
  const topics: OffsetCommitResponse['topics'] = [];
  const byName = new Map<string, OffsetCommitResponse['topics'][number]>();
  for (const e of entries) {
    let t = byName.get(e.topic);
    if (!t) {
      t = { name: e.topic, partitions: [] };
      byName.set(e.topic, t);
      topics.push(t);
    }
    t.partitions.push({ partitionIndex: e.partition, errorCode: errorFor(e) });
  }
  return { topics };
}
