/**
 * What the brokers' own records in `__consumer_offsets` say, for the message browser:
 * its keys and values are binary (Kafka's versioned group formats), so the browser shows
 * them decoded: an offset commit (group, topic-partition → offset, leader epoch, commit
 * time, metadata) or a group's metadata (generation, protocol, leader, members with what
 * each subscribed to and was assigned). A null value is a tombstone: the offset or group
 * was deleted or expired.
 *
 * Bytes that do not decode (another topic's records, a version this code does not know,
 * bytes cut short) give null, and the browser shows the raw bytes as for any record.
 */
import { decodeAssignment, decodeSubscription } from '../cluster/group/consumer-protocol';
import { decodeGroupMetadataValue, decodeOffsetCommitValue, decodeOffsetsTopicKey, OFFSETS_TOPIC_NAME } from '../cluster/group/offsets-topic-format';
import type { InternalRecordView } from '../api/contract';

function safely<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

function timeText(ms: number): string {
  return ms < 0 ? 'none' : new Date(ms).toISOString();
}

/** The record decoded when it is one of `__consumer_offsets`'s, else null. */
export function describeInternalRecord(topic: string, key: Buffer | null, value: Buffer | null): InternalRecordView | null {
  if (topic !== OFFSETS_TOPIC_NAME || key === null) return null;
  const k = safely(() => decodeOffsetsTopicKey(key));
  if (k === null || k.kind === 'unknown') return null;
  if (k.kind === 'offset') {
    const keyText = `offset commit · group ${k.group} · ${k.topic}-${k.partition}`;
    if (value === null) return { kind: 'offset-commit', key: keyText, value: null, fields: { group: k.group, topic: k.topic, partition: k.partition, deleted: true } };
    const v = safely(() => decodeOffsetCommitValue(value));
    if (v === null) return null;
    return {
      kind: 'offset-commit',
      key: keyText,
      value: `offset ${v.offset}${v.leaderEpoch >= 0 ? ` · leader epoch ${v.leaderEpoch}` : ''} · committed ${timeText(v.commitTimestamp)}${v.metadata ? ` · metadata "${v.metadata}"` : ''}`,
      fields: {
        group: k.group,
        topic: k.topic,
        partition: k.partition,
        offset: v.offset,
        leaderEpoch: v.leaderEpoch,
        metadata: v.metadata,
        commitTimestamp: timeText(v.commitTimestamp),
        expireTimestamp: timeText(v.expireTimestamp),
        formatVersion: v.version,
      },
    };
  }
  const keyText = `group metadata · group ${k.group}`;
  if (value === null) return { kind: 'group-metadata', key: keyText, value: null, fields: { group: k.group, deleted: true } };
  const g = safely(() => decodeGroupMetadataValue(value));
  if (g === null) return null;
  const members = g.members.map((m) => {
    const consumer = g.protocolType === 'consumer';
    const subscribed = consumer ? safely(() => decodeSubscription(m.subscription).topics) : null;
    const assigned = consumer ? safely(() => decodeAssignment(m.assignment).assignedPartitions.flatMap((tp) => tp.partitions.map((p) => `${tp.topic}-${p}`))) : null;
    return {
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      sessionTimeoutMs: m.sessionTimeout,
      rebalanceTimeoutMs: m.rebalanceTimeout,
      subscribed,
      assigned,
    };
  });
  return {
    kind: 'group-metadata',
    key: keyText,
    value: `generation ${g.generation} · ${g.protocolType || 'no protocol type'}${g.protocol ? ` / ${g.protocol}` : ''} · ${members.length} member${members.length === 1 ? '' : 's'}${g.leader ? ` · leader ${g.leader}` : ''}`,
    fields: {
      group: k.group,
      protocolType: g.protocolType,
      generation: g.generation,
      protocol: g.protocol,
      leader: g.leader,
      currentStateTimestamp: timeText(g.currentStateTimestamp),
      members,
      formatVersion: g.version,
    },
  };
}
