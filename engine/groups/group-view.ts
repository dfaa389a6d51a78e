/**
 * A consumer group as the workbench's group views read it, built from the plain data a
 * coordinator gives out (GroupSnapshot): the same fields, with the consumer protocol's
 * bytes decoded into the topics each member subscribes to and the partitions assigned
 * to it.
 *
 * Decoding rules: only a group of protocol type "consumer" has its bytes decoded (any
 * other protocol's bytes are opaque: Connect, streams, a user's own protocol); bytes that
 * do not parse give null rather than an error, since they come from clients; an empty
 * assignment (before the leader's first SyncGroup) is null, not an empty list.
 */
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, type GroupSnapshot, type GroupStateName } from '../cluster/group';

export interface GroupView {
  groupId: string;
  /** The `__consumer_offsets` partition that holds it. */
  offsetsPartition: number;
  state: GroupStateName;
  protocolType: string | null;
  protocol: string | null;
  generationId: number;
  leaderId: string | null;
  members: GroupMemberView[];
  offsets: CommittedOffsetView[];
}

export interface GroupMemberView {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  /** Decoded when the group's protocol type is "consumer" and the bytes parse; else null. */
  subscribedTopics: string[] | null;
  assignment: { topic: string; partitions: number[] }[] | null;
}

export interface CommittedOffsetView {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
}

export function groupView(g: GroupSnapshot): GroupView {
  const isConsumerGroup = g.protocolType === CONSUMER_PROTOCOL_TYPE;
  return {
    groupId: g.groupId,
    offsetsPartition: g.offsetsPartition,
    state: g.state,
    protocolType: g.protocolType,
    protocol: g.protocolName,
    generationId: g.generationId,
    leaderId: g.leaderId,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      sessionTimeoutMs: m.sessionTimeoutMs,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      subscribedTopics: isConsumerGroup && m.metadata !== null ? decodedOrNull(() => decodeSubscription(m.metadata!).topics) : null,
      assignment: isConsumerGroup && m.assignment.length > 0 ? decodedOrNull(() => decodeAssignment(m.assignment).assignedPartitions) : null,
    })),
    offsets: g.offsets.map((o) => ({
      topic: o.topic,
      partition: o.partition,
      offset: o.offset,
      leaderEpoch: o.leaderEpoch,
      metadata: o.metadata,
      commitTimestamp: o.commitTimestamp,
    })),
  };
}

/** Bytes a client sent may not parse: the view then shows nothing rather than failing. */
function decodedOrNull<T>(decode: () => T): T | null {
  try {
    return decode();
  } catch {
    return null;
  }
}
