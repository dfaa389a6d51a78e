/**
 * The consumer protocol: what Kafka consumers put in the opaque bytes of JoinGroup
 * (a Subscription, one per assignment strategy they support) and SyncGroup (each
 * member's Assignment). The coordinator stores the bytes as given and reads only the
 * subscribed topics (for offset expiry); clients (engine/client, whose assignors turn
 * subscriptions into assignments) and the workbench's views decode the rest. It lives
 * here so that both the broker side and the clients may import it.
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
 * partition); `encodeSubscription` does the same (in Java's String order, compareJavaStrings).
 */
import { assert } from '../../util/assert';
import { GroupFormatError, VersionedFormat, decodeVersioned } from './versioned-format';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';
export const CONSUMER_PROTOCOL_MAX_VERSION = 3;

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

/** Java's String.compareTo: lexicographic over UTF-16 code units, as JS compares strings. */
export function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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
