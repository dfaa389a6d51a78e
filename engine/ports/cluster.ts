/**
 * The narrow ports through which the services (topics, records, groups, brokers,
 * metrics) reach the running cluster. Each is an interface holding only what some
 * service needs; the composition root (engine.ts) has them implemented over the real
 * Cluster in cluster-ports.ts, and a test can implement them with fakes.
 *
 * Services import these types, never the Cluster, a Broker or the Engine: what a
 * service can touch is written here. Reads see the freshest state at the moment of the
 * call (leadership can move at any time), so nothing here is cached by a service
 * beyond one command.
 *
 * Invariant: nothing behind a port changes the cluster except ControllerPort requests,
 * the produce path (LeaderReplica.append), the cleaner (ReplicaLogs.cleanNow), group
 * coordinators' own request paths and the fault switches of ClusterControl.
 */
import type { BrokerState, CleanerRunView, ClientView, ClusterEventView, CommittedOffsetMarker, RetentionDeletionView, TopicView } from '../api/contract';
import type { StorageEvent } from '../cluster/broker-storage';
import type { Cluster } from '../cluster/cluster';
import type { GroupCoordinator } from '../cluster/group';
import type * as M from '../cluster/messages';
import type { MetadataImage, TopicImage } from '../cluster/metadata-image';
import type { FetchPartitionResult, ProduceResult, ReplicaStats } from '../cluster/replica-manager';
import type { CleanResult } from '../storage/cleaner';
import type { PartitionLog } from '../storage/log';
import type { TopicConfig } from '../storage/topic-config';

/** What every service may know about the cluster as a whole. */
export interface ClusterState {
  /** The freshest metadata image the controller quorum published; null before the first. */
  image(): MetadataImage | null;
  /** Topic config defaults in effect cluster-wide: the static ones, then the dynamic broker defaults (over Kafka's own). */
  readonly topicDefaults: Readonly<Record<string, string>>;
  /** The configs in effect for a topic: Kafka's defaults, then the cluster's, then the topic's own. */
  topicConfig(topic: TopicImage): TopicConfig;
  /** How many brokers the cluster has; their ids are 1 to brokerCount. */
  readonly brokerCount: number;
  /** Resolves once a controller is active; refuses with BROKER_NOT_AVAILABLE after a bounded wait. */
  ready(): Promise<void>;
  /** The metadata image each live broker has applied (a change has reached a broker once it is there). */
  liveBrokerImages(): MetadataImage[];
}

/** Requests to the active controller, retried (bounded) while there is none. */
export interface ControllerPort {
  controllerRequest<T extends { errorCode: number }>(req: M.ControllerRequest): Promise<T>;
}

/** A partition's replica on its current leader, as the produce and fetch paths see it. */
export interface LeaderReplica {
  readonly brokerId: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  /**
   * A new leader knows how far the previous epoch was committed only once its HW
   * reaches the start of its epoch (KIP-207): until then its HW may be lower than one
   * a reader already saw, so reads wait for it (appends need not).
   */
  readonly committedKnown: boolean;
  /** Stored bytes of whole batches from the one holding `fromOffset`, below `maxOffset` (at least one batch). */
  read(fromOffset: number, maxBytes: number, maxOffset: number): Buffer | null;
  /** ListOffsets on the leader's log: first record with a timestamp ≥ T; -3 for the largest timestamp. */
  offsetForTimestamp(timestampMs: number): Promise<{ offset: number; timestampMs: number } | undefined>;
  /** The leader's produce path (validation, acks, idempotence), exactly as a client's Produce takes it. */
  append(batch: Buffer, acks: number, timeoutMs: number, done: (result: ProduceResult) => void): void;
  /** The leader's fetch path as a consumer (counts as bytes served to consumers). */
  fetch(fromOffset: number, maxBytes: number, done: (result: FetchPartitionResult) => void): void;
}

/** Who leads each partition right now; the leader I/O port is built on it. */
export interface LeaderLookup {
  image(): MetadataImage | null;
  /** The leader's replica when its broker is up and the replica knows it leads; null otherwise. */
  leaderReplica(topic: string, partition: number): LeaderReplica | null;
  /** The topic's max.message.bytes as its leaders enforce it. */
  maxMessageBytes(topic: string): number;
}

/** A broker's replica of a partition, as the views show it. */
export interface ReplicaState {
  readonly isLeader: boolean;
  readonly highWatermark: number;
  /** Bytes handed to consumers' fetches while it led, as stored. */
  readonly bytesToConsumers: number;
}

/** Each live broker's replicas and the storage logs behind them (segments, cleaner). */
export interface ReplicaLogs {
  /** A broker's replica of a partition, while the broker is up. */
  replica(brokerId: number, topic: string, partition: number): ReplicaState | undefined;
  /** The same with the storage log behind it (segments, stats, the cleaner's view), while the broker is up. */
  replicaLog(brokerId: number, topic: string, partition: number): { replica: ReplicaState; log: PartitionLog } | undefined;
  /** Where a live broker's cleaner resumes on a partition (its first dirty offset). */
  cleanerOffset(brokerId: number, topic: string, partition: number): number | undefined;
  /** One forced cleaner run on a live broker's replica; undefined when it was busy or stopped. */
  cleanNow(brokerId: number, topic: string, partition: number): Promise<CleanResult | undefined>;
  /** Retention and cleaner runs of every broker's logs, as they happen. */
  onStorageEvent(listener: (brokerId: number, event: StorageEvent) => void): () => void;
}

/** The group coordinator of every live broker (each serves the groups of the __consumer_offsets partitions it leads). */
export interface GroupCoordinators {
  liveCoordinators(): { brokerId: number; coordinator: GroupCoordinator }[];
}

/** The brokers' Kafka listeners, for clients the engine runs itself (built-in consumers). */
export interface KafkaListeners {
  /** False when the engine runs without listeners (unit tests). */
  readonly enabled: boolean;
  /** host:port of every broker that is up and not cut off. */
  bootstrapServers(): string[];
  /** Whether a broker's listener accepts connections, and if not why. */
  state(brokerId: number): { listening: boolean; error?: string | null };
  /** Every client connection open to a listener, newest activity first. */
  clients(): ClientView[];
}

/** Per-broker traffic counters, for rates. */
export interface BrokerCounters {
  /** Each broker's counters while it is up (null while down); a restarted broker has a new counters object. */
  brokerStats(): { brokerId: number; stats: Readonly<ReplicaStats> | null }[];
  /** The leader's log end offset of a partition, while its leader is up. */
  leaderLogEndOffset(topic: string, partition: number): number | undefined;
}

/**
 * The cluster & faults service's hold on the cluster: the brokers and their states
 * (for the cluster view) and the fault switches (kill, stop, restart, cut, heal).
 */
export type ClusterControl = Pick<Cluster, 'brokers' | 'broker' | 'isCut' | 'config' | 'activeController' | 'latestImage' | 'restart' | 'cut' | 'heal'>;

// ---------------------------------------------------------------------------
// Ports one service offers another (wired by the composition root, so that no
// service imports another's files).

/** Recent storage events per partition (offered by the metrics service). */
export interface StorageHistory {
  deletions(topic: string, partition: number): RetentionDeletionView[];
  runs(topic: string, partition: number): CleanerRunView[];
}

/** Committed offsets of every group on a partition (offered by the groups service). */
export interface GroupOffsets {
  committedOffsets(topic: string, partition: number): CommittedOffsetMarker[];
}

/** A topic as the cluster view shows it (offered by the cluster & faults service). */
export interface TopicViews {
  topicView(topic: TopicImage): TopicView;
}

/** A broker's state as views and the history show it ('cut': up but cut off from the others). */
export type BrokerStateName = BrokerState;

/** Something that happened in the cluster, as the history journal recorded it (offered by the metrics service). */
export type ClusterEvent = ClusterEventView;

/** Every broker's state as the views show it, and the active controller (offered by the composition root). */
export interface BrokerStates {
  brokerStates(): { id: number; state: BrokerStateName }[];
  controllerId(): number | null;
}

/** The recent history of the cluster (offered by the metrics service). */
export interface ClusterHistory {
  /** Events at or after `atMs` (clock time), oldest first; bounded by the journal's capacity. */
  eventsSince(atMs: number): ClusterEvent[];
  /** How many events were ever recorded (after bringing the journal up to date): a position to read from later. */
  position(): number;
  /** Events recorded after `position` (those still held), oldest first. */
  eventsAfter(position: number): ClusterEvent[];
}

/** A consumer group as lessons check it (offered by the groups service). */
export interface GroupState {
  state: string;
  generation: number;
  members: { memberId: string; clientId: string; partitions: { topic: string; partition: number }[] }[];
  offsets: { topic: string; partition: number; offset: number }[];
}

/** Consumer groups by id, and a lesson's way to clear one (offered by the groups service). */
export interface GroupStates {
  groupState(groupId: string): GroupState | undefined;
  /** Stops the workbench's own consumers in the group and deletes it; refuses while other clients are members. */
  clearGroup(groupId: string): Promise<void>;
}
