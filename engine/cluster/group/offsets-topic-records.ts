/**
 * The coordinator's state as `__consumer_offsets` records, and back: the records it
 * appends (Kafka's GroupCoordinatorRecordHelpers) and the group rebuilt from the latest
 * ones when a partition loads (Kafka's GroupMetadata.loadGroup). The bytes are
 * offsets-topic-format.ts's; which record per key is the latest is
 * offsets-partition-reader.ts's.
 *
 * Records written (versions as Kafka 3.x writes them):
 *   GroupMetadataKey v2 → GroupMetadataValue v3: a generation of a group with every member's
 *     metadata for the chosen protocol and its assignment; written when a generation's
 *     assignment is stored (and for an emptied group, with no members);
 *   OffsetCommitKey v1 → OffsetCommitValue v3, or v1 when the commit asked for its own
 *     retention (only v1 has an expire timestamp);
 *   either key → null: a tombstone (an expired or deleted offset, a deleted group).
 *
 * Loading a GroupMetadataValue: a group with members is Stable, one without is Empty; v0
 * has no rebalance timeout, so the session timeout stands in for it; a member whose id or
 * group.instance.id repeats an earlier one is skipped (a record Kafka would never write);
 * the recorded leader leads if it is a member, else the first member does. A group with
 * offsets but no metadata record (an offsets-only group, or one whose metadata was
 * deleted) loads as Empty with generation 0.
 *
 * Invariants (asserted): a stored group with members has a protocol and an assignment for
 * every member; a loaded group satisfies GroupMetadata's invariants.
 */
import { assert } from '../../util/assert';
import type { CommittedOffset } from './committed-offsets';
import { GroupMetadata, MemberMetadata } from './group';
import type { OffsetsRecord } from './coordinator-runtime';
import type { ReplayedGroup } from './offsets-partition-reader';
import {
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
  GROUP_METADATA_VALUE_VERSION,
  OFFSET_COMMIT_VALUE_VERSION,
  OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY,
  type GroupMetadataValue,
} from './offsets-topic-format';

// ---------------------------------------------------------------------------------------
// Writing.

/** The group's current generation, with `assignment` holding every member's share. */
export function groupMetadataRecord(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>): OffsetsRecord {
  const protocol = group.protocolName;
  assert(group.size === 0 || protocol !== null, 'a group with members has a protocol');
  const value = encodeGroupMetadataValue({
    version: GROUP_METADATA_VALUE_VERSION,
    protocolType: group.protocolType ?? '',
    generation: group.generationId,
    protocol,
    leader: group.leaderId,
    currentStateTimestamp: group.currentStateTimestamp ?? -1,
    members: group.allMembers().map((m) => {
      const a = assignment.get(m.memberId);
      assert(a !== undefined, () => `storing member ${m.memberId} of ${group.groupId} without an assignment`);
      return {
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeout: m.rebalanceTimeoutMs,
        sessionTimeout: m.sessionTimeoutMs,
        subscription: m.metadata(protocol!),
        assignment: a,
      };
    }),
  });
  return { key: encodeGroupMetadataKey(group.groupId), value };
}

export function groupMetadataTombstone(groupId: string): OffsetsRecord {
  return { key: encodeGroupMetadataKey(groupId), value: null };
}

export function offsetCommitRecord(groupId: string, topic: string, partition: number, v: CommittedOffset): OffsetsRecord {
  const version = v.expireTimestamp === -1 ? OFFSET_COMMIT_VALUE_VERSION : OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY;
  return { key: encodeOffsetCommitKey(groupId, topic, partition), value: encodeOffsetCommitValue({ version, ...v }) };
}

export function offsetCommitTombstone(groupId: string, topic: string, partition: number): OffsetsRecord {
  return { key: encodeOffsetCommitKey(groupId, topic, partition), value: null };
}

// ---------------------------------------------------------------------------------------
// Loading.

/** The group a partition's latest records describe, with its committed offsets. */
export function loadGroup(groupId: string, replayed: ReplayedGroup, nowMs: number): GroupMetadata {
  const group = replayed.metadata === null ? new GroupMetadata(groupId, 'Empty', nowMs) : groupFromValue(groupId, replayed.metadata, nowMs);
  for (const o of replayed.offsets) group.offsets.load(o.topic, o.partition, o.value);
  return group;
}

function groupFromValue(groupId: string, v: GroupMetadataValue, nowMs: number): GroupMetadata {
  const group = new GroupMetadata(groupId, v.members.length > 0 ? 'Stable' : 'Empty', nowMs);
  group.generationId = v.generation;
  group.protocolType = v.protocolType === '' ? null : v.protocolType;
  group.protocolName = v.protocol;
  group.currentStateTimestamp = v.currentStateTimestamp === -1 ? null : v.currentStateTimestamp;
  const protocol = v.protocol ?? '';
  for (const m of v.members) {
    if (group.has(m.memberId) || (m.groupInstanceId !== null && group.currentStaticMemberId(m.groupInstanceId) !== undefined)) continue;
    const member = new MemberMetadata(
      m.memberId,
      m.groupInstanceId,
      m.clientId,
      m.clientHost,
      v.version === 0 ? m.sessionTimeout : m.rebalanceTimeout,
      m.sessionTimeout,
      v.protocolType,
      [{ name: protocol, metadata: m.subscription }],
    );
    member.assignment = m.assignment;
    group.add(member, null);
  }
  if (v.leader !== null && group.has(v.leader)) group.leaderId = v.leader;
  if (group.size > 0) group.protocolName = protocol;
  group.subscribedTopics = group.computeSubscribedTopics();
  group.checkInvariants();
  return group;
}
