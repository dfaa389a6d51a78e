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
 * Fields a version lacks are dropped on write, as Kafka does for "ignorable" fields, and
 * read back as their defaults (-1 or null).
 */
import { assert } from '../../util/assert';
import { GroupFormatError, KafkaReader, KafkaWriter } from './kafka-bytes';

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

export function encodeOffsetCommitKey(group: string, topic: string, partition: number, version = OFFSET_COMMIT_KEY_VERSION): Buffer {
  assert(version === 0 || version === 1, () => `OffsetCommitKey has versions 0-1, not ${version}`);
  return new KafkaWriter().int16(version).string(group).string(topic).int32(partition).toBuffer();
}

export function encodeGroupMetadataKey(group: string): Buffer {
  return new KafkaWriter().int16(GROUP_METADATA_KEY_VERSION).string(group).toBuffer();
}

/** Reads a record key. Throws GroupFormatError when the bytes are cut short. */
export function decodeOffsetsTopicKey(key: Buffer): OffsetsTopicKey {
  const r = new KafkaReader(key);
  const version = r.int16('key version');
  if (version === 0 || version === 1) {
    const group = r.string('group');
    const topic = r.string('topic');
    const partition = r.int32('partition');
    return { kind: 'offset', version, group, topic, partition };
  }
  if (version === 2) return { kind: 'group', version, group: r.string('group') };
  return { kind: 'unknown', version };
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

export function encodeOffsetCommitValue(v: OffsetCommitValue): Buffer {
  assert(v.version >= 0 && v.version <= 4, () => `OffsetCommitValue has versions 0-4, not ${v.version}`);
  const w = new KafkaWriter().int16(v.version).int64(v.offset);
  if (v.version >= 3) w.int32(v.leaderEpoch);
  if (v.version >= 4) w.compactString(v.metadata);
  else w.string(v.metadata);
  w.int64(v.commitTimestamp);
  if (v.version === 1) w.int64(v.expireTimestamp);
  if (v.version >= 4) w.emptyTaggedFields();
  return w.toBuffer();
}

export function decodeOffsetCommitValue(value: Buffer): OffsetCommitValue {
  const r = new KafkaReader(value);
  const version = r.int16('value version');
  if (version < 0 || version > 4) throw new GroupFormatError(`unknown OffsetCommitValue version ${version}`);
  const offset = r.int64('offset');
  const leaderEpoch = version >= 3 ? r.int32('leaderEpoch') : -1;
  const metadata = version >= 4 ? r.compactString('metadata') : r.string('metadata');
  const commitTimestamp = r.int64('commitTimestamp');
  const expireTimestamp = version === 1 ? r.int64('expireTimestamp') : -1;
  if (version >= 4) r.skipTaggedFields();
  return { version, offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp };
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

export function encodeGroupMetadataValue(v: GroupMetadataValue): Buffer {
  assert(v.version >= 0 && v.version <= 4, () => `GroupMetadataValue has versions 0-4, not ${v.version}`);
  const flexible = v.version >= 4;
  const w = new KafkaWriter(256).int16(v.version);
  const str = (s: string): void => void (flexible ? w.compactString(s) : w.string(s));
  const nstr = (s: string | null): void => void (flexible ? w.compactNullableString(s) : w.nullableString(s));
  const bytes = (b: Buffer): void => void (flexible ? w.compactBytes(b) : w.bytes(b));
  str(v.protocolType);
  w.int32(v.generation);
  nstr(v.protocol);
  nstr(v.leader);
  if (v.version >= 2) w.int64(v.currentStateTimestamp);
  if (flexible) w.uvarint(v.members.length + 1);
  else w.int32(v.members.length);
  for (const m of v.members) {
    str(m.memberId);
    if (v.version >= 3) nstr(m.groupInstanceId);
    str(m.clientId);
    str(m.clientHost);
    if (v.version >= 1) w.int32(m.rebalanceTimeout);
    w.int32(m.sessionTimeout);
    bytes(m.subscription);
    bytes(m.assignment);
    if (flexible) w.emptyTaggedFields();
  }
  if (flexible) w.emptyTaggedFields();
  return w.toBuffer();
}

export function decodeGroupMetadataValue(value: Buffer): GroupMetadataValue {
  const r = new KafkaReader(value);
  const version = r.int16('value version');
  if (version < 0 || version > 4) throw new GroupFormatError(`unknown GroupMetadataValue version ${version}`);
  const flexible = version >= 4;
  const str = (what: string): string => (flexible ? r.compactString(what) : r.string(what));
  const nstr = (what: string): string | null => (flexible ? r.compactNullableString(what) : r.nullableString(what));
  const bytes = (what: string): Buffer => (flexible ? r.compactBytes(what) : r.bytes(what));
  const protocolType = str('protocolType');
  const generation = r.int32('generation');
  const protocol = nstr('protocol');
  const leader = nstr('leader');
  const currentStateTimestamp = version >= 2 ? r.int64('currentStateTimestamp') : -1;
  // The smallest member: empty strings and byte arrays (a few bytes each).
  const count = flexible ? r.compactArrayLength('members', 8) : r.arrayLength('members', 16);
  if (count === null) throw new GroupFormatError('non-nullable members was null');
  const members: GroupMetadataMemberValue[] = [];
  for (let i = 0; i < count; i++) {
    const memberId = str('memberId');
    const groupInstanceId = version >= 3 ? nstr('groupInstanceId') : null;
    const clientId = str('clientId');
    const clientHost = str('clientHost');
    const rebalanceTimeout = version >= 1 ? r.int32('rebalanceTimeout') : -1;
    const sessionTimeout = r.int32('sessionTimeout');
    const subscription = bytes('subscription');
    const assignment = bytes('assignment');
    if (flexible) r.skipTaggedFields();
    members.push({ memberId, groupInstanceId, clientId, clientHost, rebalanceTimeout, sessionTimeout, subscription, assignment });
  }
  if (flexible) r.skipTaggedFields();
  return { version, protocolType, generation, protocol, leader, currentStateTimestamp, members };
}
