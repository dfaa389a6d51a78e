/**
 * The client-side partition assignors of Kafka's classic consumer protocol: the group
 * leader runs one over every member's subscription and sends the result in its SyncGroup
 * (encoded as consumer-protocol Assignments). The broker never runs them; it stores the
 * bytes it is given. Used by the consumer (group-member.ts) and the simulator's actors.
 *
 * Algorithms (the non-rack-aware paths of Kafka's RangeAssignor and RoundRobinAssignor):
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
 *
 * Invariants (asserted): member ids are distinct; partition counts are non-negative
 * integers; range hands out every partition of a topic exactly once; the round-robin
 * search for a subscriber ends within one turn of the member circle.
 */
import { assert } from '../util/assert';
import { compareJavaStrings, type TopicPartition } from '../cluster/group/consumer-protocol';

/** The protocol names consumers announce these assignors under (JoinGroup protocol names). */
export const RANGE_ASSIGNOR_NAME = 'range';
export const ROUND_ROBIN_ASSIGNOR_NAME = 'roundrobin';

export interface AssignorMember {
  memberId: string;
  groupInstanceId?: string | null;
  /** Topics the member subscribes to. */
  topics: readonly string[];
}

/** Partition count per topic (topics not present are unknown to metadata). */
export type PartitionCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

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
