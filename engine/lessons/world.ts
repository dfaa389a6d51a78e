/**
 * What a lesson's checks may look at: the cluster as plain data (LessonWorld), the
 * events since the step was armed (JournalEvent, recorded by the engine as they
 * happen), and the records of a topic. The lessons service builds a world from the
 * engine's ports on every change; checks are pure functions of it, so each is unit
 * tested with worlds written by hand.
 *
 * Invariants: a world is a snapshot (nothing in it changes after it is built);
 * events are in time order and bounded by the journal's capacity.
 */
import type { BrokerStateName, ClusterEvent } from '../ports';

export type WorldBrokerState = BrokerStateName;

export interface WorldPartition {
  partition: number;
  leader: number | null;
  replicas: number[];
  isr: number[];
  leaderEpoch: number;
  logStartOffset: number;
  highWatermark: number;
  logEndOffset: number;
  /** Segments of the leader's log (0 while it has no leader). */
  segmentCount: number;
  /** Bytes the leader handed to consumers' fetches, as stored ("zero-copy"; followers' fetches not counted). */
  bytesToConsumers: number;
  /**
   * Codecs ('none', 'gzip', …) of the oldest and the newest stored batch of the leader's
   * log, in that order: one entry when that is one batch, none while the log is empty.
   */
  storedCodecs: string[];
}

export interface WorldTopic {
  name: string;
  internal: boolean;
  /** Only the configs set on the topic. */
  configs: Record<string, string>;
  partitions: WorldPartition[];
}

export interface WorldGroupMember {
  memberId: string;
  clientId: string;
  partitions: { topic: string; partition: number }[];
}

export interface WorldGroup {
  id: string;
  state: string;
  generation: number;
  members: WorldGroupMember[];
  offsets: { topic: string; partition: number; offset: number }[];
}

export interface LessonWorld {
  nowMs: number;
  brokers: { id: number; state: WorldBrokerState }[];
  controllerId: number | null;
  topics: WorldTopic[];
  groups: WorldGroup[];
}

/** Something that happened, as the engine's history journal recorded it. */
export type JournalEvent = ClusterEvent;

export type JournalEventKind = JournalEvent['kind'];

/** One record as checks see it (values as text when they are UTF-8). */
export interface RecordSample {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
}

export interface CheckContext {
  /** The cluster now. */
  world: LessonWorld;
  /** The cluster when the step's check was armed. */
  atArm: LessonWorld;
  /** What happened since the check was armed, oldest first. */
  events: readonly JournalEvent[];
  /** Records of a topic from `fromOffsets` (per partition; 0 when absent), up to the HW, at most `limit`. */
  records(topic: string, fromOffsets: ReadonlyMap<number, number>, limit: number): RecordSample[];
}

export function topicIn(world: LessonWorld, name: string): WorldTopic | undefined {
  return world.topics.find((t) => t.name === name);
}

export function groupIn(world: LessonWorld, id: string): WorldGroup | undefined {
  return world.groups.find((g) => g.id === id);
}

/** Sum over a topic's partitions (0 for a topic that does not exist). */
export function sumPartitions(world: LessonWorld, topic: string, f: (p: WorldPartition) => number): number {
  return topicIn(world, topic)?.partitions.reduce((n, p) => n + f(p), 0) ?? 0;
}

/** High watermark per partition (where "new since" starts). */
export function highWatermarks(world: LessonWorld, topic: string): Map<number, number> {
  return new Map((topicIn(world, topic)?.partitions ?? []).map((p) => [p.partition, p.highWatermark]));
}

/** Whether the topic was created (again) since the check was armed. */
export function createdSinceArm(ctx: CheckContext, topic: string): boolean {
  return !topicIn(ctx.atArm, topic) || ctx.events.some((e) => e.kind === 'topic-created' && e.topic === topic);
}
