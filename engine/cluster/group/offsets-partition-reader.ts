/**
 * Replays one `__consumer_offsets` partition into the state it describes: per group, the
 * latest GroupMetadataValue (if any) and the latest committed offset per topic-partition.
 *
 * Algorithm (Kafka's GroupMetadataManager.doLoadGroupsAndOffsets without transactions):
 * records are read in log order and the latest record per key wins; a tombstone deletes
 * its key. A group whose metadata was deleted but that still has offsets comes back as a
 * group with offsets only (Kafka loads it as an Empty group, e.g. a "simple" consumer that
 * only stores offsets).
 *
 * Records that cannot be used are counted and skipped, never fatal: a key with an unknown
 * version (Kafka skips those too), bytes that do not parse, and records whose group hashes
 * to another partition (they cannot have been written by a coordinator of this one).
 *
 * Invariant (asserted): record offsets strictly increase, as in any log.
 */
import { assert } from '../../util/assert';
import type { CommittedOffset } from './committed-offsets';
import {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsTopicKey,
  partitionForGroup,
  type GroupMetadataValue,
} from './offsets-topic-format';
import type { OffsetsLogRecord } from './types';
import { GroupFormatError } from './versioned-format';

export interface ReplayedGroup {
  /** The group's latest metadata; null when it has offsets only. */
  metadata: GroupMetadataValue | null;
  offsets: { topic: string; partition: number; value: CommittedOffset }[];
}

export interface ReplayedPartition {
  groups: Map<string, ReplayedGroup>;
  offsetCount: number;
  skippedRecords: number;
}

export function replayOffsetsPartition(partition: number, partitionCount: number, records: Iterable<OffsetsLogRecord>): ReplayedPartition {
  const metadata = new Map<string, GroupMetadataValue>();
  const offsets = new Map<string, Map<string, { topic: string; partition: number; value: CommittedOffset }>>();
  let skippedRecords = 0;
  let lastOffset = -1;

  for (const record of records) {
    assert(record.offset > lastOffset, () => `records of __consumer_offsets-${partition} out of order: ${record.offset} after ${lastOffset}`);
    lastOffset = record.offset;
    try {
      const key = decodeOffsetsTopicKey(record.key);
      if (key.kind === 'unknown' || partitionForGroup(key.group, partitionCount) !== partition) {
        skippedRecords++;
        continue;
      }
      if (key.kind === 'offset') {
        const tpKey = `${key.partition}:${key.topic}`;
        if (record.value === null) {
          offsets.get(key.group)?.delete(tpKey);
          continue;
        }
        const v = decodeOffsetCommitValue(record.value);
        let groupOffsets = offsets.get(key.group);
        if (!groupOffsets) offsets.set(key.group, (groupOffsets = new Map()));
        groupOffsets.set(tpKey, {
          topic: key.topic,
          partition: key.partition,
          value: { offset: v.offset, leaderEpoch: v.leaderEpoch, metadata: v.metadata, commitTimestamp: v.commitTimestamp, expireTimestamp: v.expireTimestamp },
        });
      } else if (record.value === null) {
        metadata.delete(key.group);
      } else {
        metadata.set(key.group, decodeGroupMetadataValue(record.value));
      }
    } catch (e) {
      if (!(e instanceof GroupFormatError)) throw e;
      skippedRecords++;
    }
  }

  const groups = new Map<string, ReplayedGroup>();
  let offsetCount = 0;
  for (const [groupId, value] of metadata) groups.set(groupId, { metadata: value, offsets: [] });
  for (const [groupId, groupOffsets] of offsets) {
    if (groupOffsets.size === 0) continue;
    let g = groups.get(groupId);
    if (!g) groups.set(groupId, (g = { metadata: null, offsets: [] }));
    g.offsets = [...groupOffsets.values()];
    offsetCount += g.offsets.length;
  }
  return { groups, offsetCount, skippedRecords };
}
