/**
 * The records the group coordinator writes to the compacted internal topic
 * `__consumer_offsets`, byte for byte as Kafka writes them, and the hash that places a
 * group on one of that topic's partitions.
 *
 * Every key and value starts with an int16 schema version (Kafka's
 * `MessageUtil.toVersionPrefixedBytes`). The key's version says what the record is, so
 * the two kinds never compact into each other:
 *
 *   key v0, v1   OffsetCommitKey      group string, topic string, partition int32
 *   key v2       GroupMetadataKey     group string
 *   other        unknown: Kafka skips it while loading, and so does this engine
 *
 *   OffsetCommitValue (the committed position of one group on one partition)
 *     v0  offset int64, metadata string, commitTimestamp int64
 *     v1  v0 + expireTimestamp int64        (commits that asked for their own retention)
 *     v2  as v0
 *     v3  offset int64, leaderEpoch int32, metadata string, commitTimestamp int64
 *     v4  as v3, flexible (compact string, trailing tagged fields)
 *
 *   GroupMetadataValue (a group's generation, protocol, leader and members)
 *     protocolType string, generation int32, protocol string?, leader string?,
 *     [v2+ currentStateTimestamp int64], members []:
 *       memberId string, [v3+ groupInstanceId string?], clientId string, clientHost string,
 *       [v1+ rebalanceTimeout int32], sessionTimeout int32, subscription bytes, assignment bytes
 *     v4 flexible: compact strings, bytes and arrays, tagged fields after each member and at the end
 *
 * A record with a null value (a tombstone) deletes its key: compaction keeps only the
 * latest record per key, and a tombstone eventually disappears too.
 *
 * Kafka 3.x writes OffsetCommitKey v1, GroupMetadataKey v2, OffsetCommitValue v3 (v1 when
 * the commit carries an explicit expiry), GroupMetadataValue v3 — the highest versions that
 * are not flexible. This module writes what it is told and reads v0-v4 of every value.
 *
 * Each schema is declared below as a `Field` list, as Kafka's OffsetCommitKey.json,
 * OffsetCommitValue.json, GroupMetadataKey.json and GroupMetadataValue.json declare it, and
 * coded by versioned-format.ts. Fields a version lacks are ignorable: dropped on write, as
 * Kafka does, and read back as their defaults (-1 or null).
 */
import { assert } from '../../util/assert';
import { GroupFormatError, VersionedFormat, decodeVersioned } from './versioned-format';

export const OFFSETS_TOPIC_NAME = '__consumer_offsets';
export const DEFAULT_OFFSETS_TOPIC_PARTITIONS = 50;

/** The versions Kafka 3.x writes. */
export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
export const OFFSET_COMMIT_VALUE_VERSION = 3;
export const OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY = 1;
export const GROUP_METADATA_VALUE_VERSION = 3;

// ---------------------------------------------------------------------------------------
// Placement: which partition of __consumer_offsets holds a group.

/**
 * Java's `String.hashCode()`: s[0]*31^(n-1) + ... + s[n-1] in 32-bit two's complement
 * arithmetic, over UTF-16 code units (so a character outside the BMP counts as its two
 * surrogates, exactly as JS strings store it).
 */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's `Utils.abs`: like Math.abs, except Integer.MIN_VALUE maps to 0 (not to itself). */
export function kafkaAbs(n: number): number {
  assert(Number.isInteger(n) && n >= -0x80000000 && n <= 0x7fffffff, () => `not an int32: ${n}`);
  return n === -0x80000000 ? 0 : Math.abs(n);
}

/** The `__consumer_offsets` partition that stores, and whose leader coordinates, `groupId`. */
export function partitionForGroup(groupId: string, partitionCount = DEFAULT_OFFSETS_TOPIC_PARTITIONS): number {
  assert(Number.isInteger(partitionCount) && partitionCount > 0, () => `bad partition count ${partitionCount}`);
  return kafkaAbs(javaStringHashCode(groupId)) % partitionCount;
}

// ---------------------------------------------------------------------------------------
// Keys.

export type OffsetsTopicKey =
  | { kind: 'offset'; version: number; group: string; topic: string; partition: number }
  | { kind: 'group'; version: number; group: string }
  | { kind: 'unknown'; version: number };

const OFFSET_COMMIT_KEY = new VersionedFormat('OffsetCommitKey', [
  { name: 'group', type: 'string', versions: '0+' },
  { name: 'topic', type: 'string', versions: '0+' },
  { name: 'partition', type: 'int32', versions: '0+' },
] as const);

const GROUP_METADATA_KEY = new VersionedFormat('GroupMetadataKey', [{ name: 'group', type: 'string', versions: '2' }] as const);

export function encodeOffsetCommitKey(group: string, topic: string, partition: number, version = OFFSET_COMMIT_KEY_VERSION): Buffer {
  assert(version === 0 || version === 1, () => `OffsetCommitKey has versions 0-1, not ${version}`);
  return OFFSET_COMMIT_KEY.encode(version, { group, topic, partition });
}

export function encodeGroupMetadataKey(group: string): Buffer {
  return GROUP_METADATA_KEY.encode(GROUP_METADATA_KEY_VERSION, { group });
}

/** Reads a record key. Throws GroupFormatError when the bytes are cut short. */
export function decodeOffsetsTopicKey(key: Buffer): OffsetsTopicKey {
  return decodeVersioned(key, (version, r): OffsetsTopicKey => {
    if (version === 0 || version === 1) return { kind: 'offset', version, ...OFFSET_COMMIT_KEY.read(r, version) };
    if (version === 2) return { kind: 'group', version, ...GROUP_METADATA_KEY.read(r, version) };
    return { kind: 'unknown', version };
  });
}

// ---------------------------------------------------------------------------------------
// OffsetCommitValue.

export interface OffsetCommitValue {
  version: number;
  offset: number;
  /** -1 when unknown (and always in v0-v2). */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** -1 unless the commit asked for its own retention (v1 only). */
  expireTimestamp: number;
}

const OFFSET_COMMIT_VALUE = new VersionedFormat(
  'OffsetCommitValue',
  [
    { name: 'offset', type: 'int64', versions: '0+' },
    { name: 'leaderEpoch', type: 'int32', versions: '3+', default: -1, ignorable: true },
    { name: 'metadata', type: 'string', versions: '0+' },
    { name: 'commitTimestamp', type: 'int64', versions: '0+' },
    { name: 'expireTimestamp', type: 'int64', versions: '1', default: -1, ignorable: true },
  ] as const,
  4,
);

export function encodeOffsetCommitValue(v: OffsetCommitValue): Buffer {
  assert(v.version >= 0 && v.version <= 4, () => `OffsetCommitValue has versions 0-4, not ${v.version}`);
  return OFFSET_COMMIT_VALUE.encode(v.version, v);
}

export function decodeOffsetCommitValue(value: Buffer): OffsetCommitValue {
  return decodeVersioned(value, (version, r) => {
    if (version < 0 || version > 4) throw new GroupFormatError(`unknown OffsetCommitValue version ${version}`);
    return { version, ...OFFSET_COMMIT_VALUE.read(r, version) };
  });
}

// ---------------------------------------------------------------------------------------
// GroupMetadataValue.

export interface GroupMetadataMemberValue {
  memberId: string;
  /** v3+; null for a dynamic member. */
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** v1+; -1 in v0 (where the session timeout stands in for it). */
  rebalanceTimeout: number;
  sessionTimeout: number;
  /** The member's metadata for the group's chosen protocol (a consumer's Subscription). */
  subscription: Buffer;
  /** What the leader assigned to it (a consumer's Assignment). */
  assignment: Buffer;
}

export interface GroupMetadataValue {
  version: number;
  /** "" when the group has no protocol type (as Kafka writes a group with none). */
  protocolType: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  /** v2+; -1 when absent. */
  currentStateTimestamp: number;
  members: GroupMetadataMemberValue[];
}

const GROUP_METADATA_VALUE = new VersionedFormat(
  'GroupMetadataValue',
  [
    { name: 'protocolType', type: 'string', versions: '0+' },
    { name: 'generation', type: 'int32', versions: '0+' },
    { name: 'protocol', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'leader', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'currentStateTimestamp', type: 'int64', versions: '2+', default: -1, ignorable: true },
    {
      name: 'members',
      type: '[]MemberMetadata',
      versions: '0+',
      fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null, ignorable: true },
        { name: 'clientId', type: 'string', versions: '0+' },
        { name: 'clientHost', type: 'string', versions: '0+' },
        { name: 'rebalanceTimeout', type: 'int32', versions: '1+', default: -1, ignorable: true },
        { name: 'sessionTimeout', type: 'int32', versions: '0+' },
        { name: 'subscription', type: 'bytes', versions: '0+' },
        { name: 'assignment', type: 'bytes', versions: '0+' },
      ],
    },
  ] as const,
  4,
);

export function encodeGroupMetadataValue(v: GroupMetadataValue): Buffer {
  assert(v.version >= 0 && v.version <= 4, () => `GroupMetadataValue has versions 0-4, not ${v.version}`);
  return GROUP_METADATA_VALUE.encode(v.version, v);
}

export function decodeGroupMetadataValue(value: Buffer): GroupMetadataValue {
  return decodeVersioned(value, (version, r) => {
    if (version < 0 || version > 4) throw new GroupFormatError(`unknown GroupMetadataValue version ${version}`);
    const v = GROUP_METADATA_VALUE.read(r, version);
    // Copies: a member's bytes outlive the record they were read from.
    const members = v.members.map((m) => ({ ...m, subscription: Buffer.from(m.subscription), assignment: Buffer.from(m.assignment) }));
    return { version, ...v, members };
  });
}
