/**
 * The consumer protocol: what Kafka consumers put in the opaque bytes of JoinGroup
 * (a Subscription, one per assignment strategy they support) and SyncGroup (each
 * member's Assignment), and the two classic assignors that turn subscriptions into
 * assignments. The coordinator itself never needs these (it stores the bytes as given);
 * they serve the workbench's built-in consumers and the UI's picture of a group.
 *
 * Format (protocol type "consumer"; int16 version first, non-flexible in every version):
 *   Subscription
 *     v0  topics []string, userData bytes?
 *     v1  + ownedPartitions [](topic string, partitions []int32)
 *     v2  + generationId int32 (-1 = unknown)
 *     v3  + rackId string?
 *   Assignment (v0-v3 identical)
 *     assignedPartitions [](topic string, partitions []int32), userData bytes?
 *
 * Declared as Kafka's ConsumerProtocolSubscription.json and ConsumerProtocolAssignment.json
 * declare them (coded by versioned-format.ts), except that a null array reads as empty.
 * A version above 3 is read with the v3 schema and the rest ignored: Kafka promises that
 * later versions only append fields. Trailing bytes are ignored for the same reason.
 * Kafka writes subscription topics sorted and owned partitions sorted by (topic,
 * partition); `encodeSubscription` does the same.
 *
 * Assignors (non-rack-aware paths of Kafka's RangeAssignor and RoundRobinAssignor):
 *   members are ordered by group.instance.id when both have one, members with one before
 *   members without, otherwise by member id (Java's String.compareTo = UTF-16 order);
 *   range: per topic, partitions in order split into contiguous ranges, the first
 *     (partitions mod consumers) consumers getting one extra;
 *   round robin: all partitions of all subscribed topics (topics sorted, partitions in
 *     order) dealt one at a time around the sorted members, skipping members not
 *     subscribed to the partition's topic.
 * Every member appears in the result, possibly with no partitions. Topics missing from
 * the partition counts (not in metadata) get no assignment, as in Kafka.
 * Kafka's range result lists a member's topics in Java HashMap order; here they are in
 * topic-name order. The set of partitions each member gets is the same.
 */
import { assert } from '../../util/assert';
import { GroupFormatError, VersionedFormat, decodeVersioned } from './versioned-format';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';
export const CONSUMER_PROTOCOL_MAX_VERSION = 3;
export const RANGE_ASSIGNOR_NAME = 'range';
export const ROUND_ROBIN_ASSIGNOR_NAME = 'roundrobin';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface Subscription {
  version: number;
  topics: string[];
  userData: Buffer | null;
  /** v1+. */
  ownedPartitions: TopicPartitions[];
  /** v2+; -1 when unknown. */
  generationId: number;
  /** v3+; null when none. */
  rackId: string | null;
}

export interface Assignment {
  version: number;
  assignedPartitions: TopicPartitions[];
  userData: Buffer | null;
}

function checkVersion(version: number): number {
  if (version < 0) throw new GroupFormatError(`unsupported consumer protocol version ${version}`);
  return Math.min(version, CONSUMER_PROTOCOL_MAX_VERSION);
}

// Arrays are nullable here only so that a null one reads as empty; none is ever written null.
const TOPIC_PARTITION_FIELDS = [
  { name: 'topic', type: 'string', versions: '0+' },
  { name: 'partitions', type: '[]int32', versions: '0+', nullableVersions: '0+' },
] as const;
const TOPICS_FIELD = { name: 'topics', type: '[]string', versions: '0+', nullableVersions: '0+' } as const;

const SUBSCRIPTION = new VersionedFormat('ConsumerProtocolSubscription', [
  TOPICS_FIELD,
  { name: 'userData', type: 'bytes', versions: '0+', nullableVersions: '0+', default: null },
  { name: 'ownedPartitions', type: '[]TopicPartition', versions: '1+', nullableVersions: '1+', ignorable: true, fields: TOPIC_PARTITION_FIELDS },
  { name: 'generationId', type: 'int32', versions: '2+', default: -1, ignorable: true },
  { name: 'rackId', type: 'string', versions: '3+', nullableVersions: '3+', default: null, ignorable: true },
] as const);

/** The topic list alone, which every Subscription version starts with. */
const SUBSCRIPTION_TOPICS = new VersionedFormat('ConsumerProtocolSubscription', [TOPICS_FIELD] as const);

const ASSIGNMENT = new VersionedFormat('ConsumerProtocolAssignment', [
  { name: 'assignedPartitions', type: '[]TopicPartition', versions: '0+', nullableVersions: '0+', fields: TOPIC_PARTITION_FIELDS },
  { name: 'userData', type: 'bytes', versions: '0+', nullableVersions: '0+', default: null },
] as const);

function readTopicPartitions(list: { topic: string; partitions: number[] | null }[] | null): TopicPartitions[] {
  return (list ?? []).map((tp) => ({ topic: tp.topic, partitions: tp.partitions ?? [] }));
}

const copyBytes = (b: Buffer | null): Buffer | null => (b === null ? null : Buffer.from(b));

/** Groups (topic, partition) pairs into per-topic lists, topics sorted, partitions ascending. */
export function groupByTopic(partitions: readonly TopicPartition[]): TopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const tp of partitions) {
    let list = byTopic.get(tp.topic);
    if (!list) byTopic.set(tp.topic, (list = []));
    list.push(tp.partition);
  }
  return [...byTopic.keys()].sort(compareJavaStrings).map((topic) => ({ topic, partitions: byTopic.get(topic)!.sort((a, b) => a - b) }));
}

export function encodeSubscription(s: Partial<Subscription> & { topics: readonly string[] }): Buffer {
  const version = s.version ?? CONSUMER_PROTOCOL_MAX_VERSION;
  assert(version >= 0 && version <= CONSUMER_PROTOCOL_MAX_VERSION, () => `Subscription has versions 0-3, not ${version}`);
  return SUBSCRIPTION.encode(version, {
    topics: [...s.topics].sort(compareJavaStrings),
    userData: s.userData ?? null,
    ownedPartitions: groupByTopic((s.ownedPartitions ?? []).flatMap((tp) => tp.partitions.map((p) => ({ topic: tp.topic, partition: p })))),
    generationId: s.generationId ?? -1,
    rackId: s.rackId ?? null,
  });
}

export function decodeSubscription(bytes: Buffer): Subscription {
  return decodeVersioned(bytes, (v, r) => {
    const version = checkVersion(v);
    const s = SUBSCRIPTION.read(r, version);
    const ownedPartitions = readTopicPartitions(s.ownedPartitions);
    const rackId = s.rackId === '' ? null : s.rackId;
    return { version, topics: s.topics ?? [], userData: copyBytes(s.userData), ownedPartitions, generationId: s.generationId, rackId };
  });
}

/** The topics of a Subscription of any version, read from the topic list alone. */
export function decodeSubscribedTopics(bytes: Buffer): string[] {
  return decodeVersioned(bytes, (_version, r) => SUBSCRIPTION_TOPICS.read(r, 0).topics ?? []);
}

export function encodeAssignment(a: Partial<Assignment> & { assignedPartitions: readonly TopicPartitions[] }): Buffer {
  const version = a.version ?? CONSUMER_PROTOCOL_MAX_VERSION;
  assert(version >= 0 && version <= CONSUMER_PROTOCOL_MAX_VERSION, () => `Assignment has versions 0-3, not ${version}`);
  return ASSIGNMENT.encode(version, { assignedPartitions: [...a.assignedPartitions], userData: a.userData ?? null });
}

export function decodeAssignment(bytes: Buffer): Assignment {
  return decodeVersioned(bytes, (v, r) => {
    const version = checkVersion(v);
    const a = ASSIGNMENT.read(r, version);
    return { version, assignedPartitions: readTopicPartitions(a.assignedPartitions), userData: copyBytes(a.userData) };
  });
}

// ---------------------------------------------------------------------------------------
// Assignors.

export interface AssignorMember {
  memberId: string;
  groupInstanceId?: string | null;
  /** Topics the member subscribes to. */
  topics: readonly string[];
}

/** Partition count per topic (topics not present are unknown to metadata). */
export type PartitionCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

/** Java's String.compareTo: lexicographic over UTF-16 code units, as JS compares strings. */
export function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kafka's AbstractPartitionAssignor.MemberInfo ordering. */
export function compareMembers(a: AssignorMember, b: AssignorMember): number {
  const ai = a.groupInstanceId ?? null;
  const bi = b.groupInstanceId ?? null;
  if (ai !== null && bi !== null) return compareJavaStrings(ai, bi);
  if (ai !== null) return -1;
  if (bi !== null) return 1;
  return compareJavaStrings(a.memberId, b.memberId);
}

function partitionCount(counts: PartitionCounts, topic: string): number | undefined {
  let n: number | undefined;
  if (counts instanceof Map) n = counts.get(topic);
  else if (Object.prototype.hasOwnProperty.call(counts, topic)) n = (counts as Readonly<Record<string, number>>)[topic];
  if (n === undefined) return undefined;
  assert(Number.isInteger(n) && n >= 0, () => `partition count of ${topic} must be a non-negative integer, got ${n}`);
  return n;
}

function checkMembers(members: readonly AssignorMember[]): void {
  const ids = new Set(members.map((m) => m.memberId));
  assert(ids.size === members.length, 'assignor members must have distinct member ids');
}

/** Kafka's RangeAssignor (without racks). Returns every member's partitions. */
export function rangeAssign(partitionCounts: PartitionCounts, members: readonly AssignorMember[]): Map<string, TopicPartition[]> {
  checkMembers(members);
  const out = new Map<string, TopicPartition[]>(members.map((m) => [m.memberId, []]));
  const consumersPerTopic = new Map<string, AssignorMember[]>();
  for (const m of members) {
    for (const topic of new Set(m.topics)) {
      let list = consumersPerTopic.get(topic);
      if (!list) consumersPerTopic.set(topic, (list = []));
      list.push(m);
    }
  }
  for (const topic of [...consumersPerTopic.keys()].sort(compareJavaStrings)) {
    const n = partitionCount(partitionCounts, topic);
    if (n === undefined || n === 0) continue;
    const consumers = [...consumersPerTopic.get(topic)!].sort(compareMembers);
    const perConsumer = Math.floor(n / consumers.length);
    const withExtra = n % consumers.length;
    let next = 0;
    for (let i = 0; i < consumers.length; i++) {
      const count = perConsumer + (i < withExtra ? 1 : 0);
      const list = out.get(consumers[i].memberId)!;
      for (let k = 0; k < count; k++) list.push({ topic, partition: next++ });
    }
    assert(next === n, 'range assignment must hand out every partition exactly once');
  }
  return out;
}

/** Kafka's RoundRobinAssignor. Returns every member's partitions. */
export function roundRobinAssign(partitionCounts: PartitionCounts, members: readonly AssignorMember[]): Map<string, TopicPartition[]> {
  checkMembers(members);
  const out = new Map<string, TopicPartition[]>(members.map((m) => [m.memberId, []]));
  if (members.length === 0) return out;
  const sorted = [...members].sort(compareMembers);
  const subscribed = sorted.map((m) => new Set(m.topics));
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort(compareJavaStrings);
  let cursor = 0;
  for (const topic of topics) {
    const n = partitionCount(partitionCounts, topic);
    if (n === undefined) continue;
    for (let p = 0; p < n; p++) {
      // Some member subscribes to `topic`, so this loop ends within one turn of the circle.
      let skipped = 0;
      while (!subscribed[cursor].has(topic)) {
        cursor = (cursor + 1) % sorted.length;
        assert(++skipped <= sorted.length, 'round robin found no subscriber for a subscribed topic');
      }
      out.get(sorted[cursor].memberId)!.push({ topic, partition: p });
      cursor = (cursor + 1) % sorted.length;
    }
  }
  return out;
}
