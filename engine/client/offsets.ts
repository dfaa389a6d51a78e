/**
 * Offset requests shared by the consumer and the admin client:
 *   - ListOffsets (by leader): the earliest (-2), latest (-1) or first offset at or
 *     after a timestamp of each partition;
 *   - OffsetFetch / OffsetCommit (by group coordinator): a group's committed offsets.
 *
 * Protocol notes: ListOffsets goes to each partition's leader, grouped per leader;
 * OffsetFetch and OffsetCommit go over the cluster's coordinator connection;
 * leadership errors refresh metadata and retry until the deadline. OffsetFetch v8 batches
 * groups (`groups`), older versions carry one group at top level; both shapes are read.
 * OffsetCommit with generation -1 and an empty member id is the "simple" (admin /
 * manually assigned) commit Kafka accepts for groups without active members.
 * Coordinator errors (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE,
 * COORDINATOR_LOAD_IN_PROGRESS) drop the cached coordinator and retry.
 *
 * Invariant: results are keyed "topic\0partition" and hold one entry per partition asked.
 */
import { ApiKey, ErrorCode } from '../protocol';
import { withRetries, type Cluster } from './cluster';
import { KafkaClientError, KafkaProtocolError, isCoordinatorError } from './errors';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;

export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export interface ListedOffset {
  topic: string;
  partition: number;
  offset: number;
  timestampMs: number;
  leaderEpoch: number;
}

const LEADERSHIP = new Set<number>([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.REPLICA_NOT_AVAILABLE,
  ErrorCode.OFFSET_NOT_AVAILABLE,
]);

/**
 * ListOffsets for each (partition, timestamp): -2 earliest, -1 latest, else the first
 * offset whose timestamp is ≥ it (offset -1 when there is none).
 */
export async function listOffsets(
  cluster: Cluster,
  specs: readonly (TopicPartition & { timestamp: number })[],
  opts: { timeoutMs?: number; isolationLevel?: 0 | 1 } = {},
): Promise<Map<string, ListedOffset>> {
  const out = new Map<string, ListedOffset>();
  let remaining = [...specs];
  await withRetries(cluster, opts.timeoutMs ?? cluster.requestTimeoutMs, async () => {
    const topics = [...new Set(remaining.map((s) => s.topic))];
    if (topics.some((t) => cluster.partitionsOf(t) === undefined)) await cluster.waitForTopics(topics, { allowAutoTopicCreation: false, timeoutMs: cluster.requestTimeoutMs });
    const byLeader = new Map<number, (TopicPartition & { timestamp: number })[]>();
    for (const s of remaining) {
      const leader = cluster.leaderFor(s.topic, s.partition);
      if (leader < 0) {
        if ((cluster.partitionsOf(s.topic)?.length ?? 0) <= s.partition) {
          throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Partition ${s.topic}-${s.partition} does not exist.`);
        }
        await cluster.invalidate();
        throw new KafkaProtocolError(ErrorCode.LEADER_NOT_AVAILABLE, null, `${s.topic}-${s.partition}`);
      }
      let list = byLeader.get(leader);
      if (list === undefined) byLeader.set(leader, (list = []));
      list.push(s);
    }
    const failed: (TopicPartition & { timestamp: number })[] = [];
    let lastError: KafkaProtocolError | null = null;
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        const byTopic = new Map<string, { partitionIndex: number; timestamp: number; currentLeaderEpoch: number; maxNumOffsets: number }[]>();
        for (const s of list) {
          let l = byTopic.get(s.topic);
          if (l === undefined) byTopic.set(s.topic, (l = []));
          l.push({ partitionIndex: s.partition, timestamp: s.timestamp, currentLeaderEpoch: -1, maxNumOffsets: 1 });
        }
        const res = await cluster.send(leader, ApiKey.ListOffsets, {
          replicaId: -1,
          isolationLevel: opts.isolationLevel ?? 0,
          topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
        });
        for (const t of res.topics) {
          for (const p of t.partitions) {
            const spec = list.find((s) => s.topic === t.name && s.partition === p.partitionIndex);
            if (spec === undefined) continue;
            if (p.errorCode !== ErrorCode.NONE) {
              const err = new KafkaProtocolError(p.errorCode, null, `Listing offsets of ${t.name}-${p.partitionIndex}`);
              if (!err.retriable && !LEADERSHIP.has(p.errorCode)) throw err;
              lastError = err;
              failed.push(spec);
              continue;
            }
            const offset = p.oldStyleOffsets.length > 0 && p.offset === -1 ? p.oldStyleOffsets[0]! : p.offset;
            out.set(tpKey(t.name, p.partitionIndex), { topic: t.name, partition: p.partitionIndex, offset, timestampMs: p.timestamp, leaderEpoch: p.leaderEpoch });
          }
        }
      }),
    );
    remaining = failed;
    if (failed.length > 0) {
      await cluster.invalidate();
      throw lastError ?? new KafkaClientError('ListOffsets failed', true);
    }
  });
  return out;
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  /** -1 when the group has no committed offset for the partition. */
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

/** The committed offsets of `groupId` for `partitions` (null = every partition with a commit). */
export async function fetchCommittedOffsets(
  cluster: Cluster,
  groupId: string,
  partitions: readonly TopicPartition[] | null,
  opts: { timeoutMs?: number; requireStable?: boolean } = {},
): Promise<CommittedOffset[]> {
  return withRetries(
    cluster,
    opts.timeoutMs ?? cluster.requestTimeoutMs,
    async () => {
      const node = await cluster.coordinatorFor(groupId);
      const conn = await cluster.coordinatorConnection(node);
      const version = conn.versionFor(ApiKey.OffsetFetch);
      if (version === undefined) throw new KafkaClientError(`The broker at ${conn.address} does not support OffsetFetch.`, false);
      const byTopic = new Map<string, number[]>();
      for (const tp of partitions ?? []) {
        let l = byTopic.get(tp.topic);
        if (l === undefined) byTopic.set(tp.topic, (l = []));
        l.push(tp.partition);
      }
      const topics = partitions === null ? null : [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
      if (topics === null && version < 2) throw new KafkaClientError('Fetching all committed offsets needs OffsetFetch v2 or later.', false);
      const res = await conn.request(
        ApiKey.OffsetFetch,
        version >= 8
          ? { groups: [{ groupId, topics }], requireStable: opts.requireStable ?? false }
          : { groupId, topics, requireStable: version >= 7 ? (opts.requireStable ?? false) : false },
      );
      let errorCode: number;
      let rows: { name: string; partitions: { partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; metadata: string | null; errorCode: number }[] }[];
      if (version >= 8) {
        const g = res.groups.find((x) => x.groupId === groupId);
        errorCode = g?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
        rows = g?.topics ?? [];
      } else {
        errorCode = res.errorCode;
        rows = res.topics;
      }
      if (errorCode !== ErrorCode.NONE) {
        if (isCoordinatorError(errorCode)) cluster.invalidateCoordinator(groupId);
        throw new KafkaProtocolError(errorCode, null, `Fetching committed offsets of group ${groupId}`);
      }
      const out: CommittedOffset[] = [];
      for (const t of rows) {
        for (const p of t.partitions) {
          if (p.errorCode !== ErrorCode.NONE && p.errorCode !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
            throw new KafkaProtocolError(p.errorCode, null, `Fetching the committed offset of ${t.name}-${p.partitionIndex}`);
          }
          out.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.metadata });
        }
      }
      return out;
    },
  );
}

export interface OffsetToCommit extends TopicPartition {
  offset: number;
  metadata?: string | null;
  leaderEpoch?: number;
}

/**
 * Commits offsets for `groupId`. `generationId` -1 and `memberId` '' make a simple
 * commit (admin tools, manually assigned consumers). Throws KafkaProtocolError for
 * partition errors that retrying cannot fix (e.g. REBALANCE_IN_PROGRESS,
 * ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID: the member must rejoin).
 */
export async function commitOffsets(
  cluster: Cluster,
  groupId: string,
  offsets: readonly OffsetToCommit[],
  member: { generationId: number; memberId: string; groupInstanceId?: string | null } = { generationId: -1, memberId: '' },
  opts: { timeoutMs?: number } = {},
): Promise<void> {
  if (offsets.length === 0) return;
  await withRetries(cluster, opts.timeoutMs ?? cluster.requestTimeoutMs, async () => {
    const node = await cluster.coordinatorFor(groupId);
    const byTopic = new Map<string, OffsetToCommit[]>();
    for (const o of offsets) {
      let l = byTopic.get(o.topic);
      if (l === undefined) byTopic.set(o.topic, (l = []));
      l.push(o);
    }
    const res = await cluster.sendToCoordinator(node, ApiKey.OffsetCommit, {
      groupId,
      generationIdOrMemberEpoch: member.generationId,
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId ?? null,
      retentionTimeMs: -1,
      topics: [...byTopic].map(([name, list]) => ({
        name,
        partitions: list.map((o) => ({
          partitionIndex: o.partition,
          committedOffset: o.offset,
          committedLeaderEpoch: o.leaderEpoch ?? -1,
          commitTimestamp: -1,
          committedMetadata: o.metadata ?? '',
        })),
      })),
    });
    for (const t of res.topics) {
      for (const p of t.partitions) {
        if (p.errorCode === ErrorCode.NONE) continue;
        if (isCoordinatorError(p.errorCode)) cluster.invalidateCoordinator(groupId);
        throw new KafkaProtocolError(p.errorCode, null, `Committing the offset of ${t.name}-${p.partitionIndex} for group ${groupId}`);
      }
    }
  });
}
