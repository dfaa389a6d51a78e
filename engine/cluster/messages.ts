/**
 * The messages brokers, the controller and the metadata quorum exchange over the
 * in-process Network. They are plain objects (the Network never serialises), shaped
 * after Kafka's inter-broker APIs: BrokerHeartbeat, Fetch (replica), OffsetForLeaderEpoch,
 * AlterPartition, ControlledShutdown, AllocateProducerIds, and the admin requests a
 * broker forwards to the controller. Error codes are Kafka's (protocol/errors).
 *
 * Record bytes in replica Fetch responses are the leader's stored batch bytes,
 * passed by reference: never decoded or re-encoded on the way.
 */
import type { BrokerRegistration, MetadataImage, PartitionState } from './metadata-image';

export const QUORUM_NODE = 'quorum';
export const brokerNode = (id: number): string => `broker-${id}`;

// ---------------------------------------------------------------- quorum

export interface HeartbeatRequest {
  type: 'heartbeat';
  brokerId: number;
  /** 0 asks to (re)register and get a new epoch. */
  brokerEpoch: number;
  host: string;
  port: number;
}

export interface HeartbeatResponse {
  errorCode: number;
  brokerEpoch: number;
  controllerId: number;
  controllerEpoch: number;
  /** Sent to the controller only: who is alive now. */
  liveBrokers: BrokerRegistration[] | null;
}

export interface DeregisterRequest {
  type: 'deregister';
  brokerId: number;
  brokerEpoch: number;
}

/** Pushed by the quorum to the controller when the live set changes (heartbeats carry it too). */
export interface BrokersChanged {
  type: 'brokers-changed';
  controllerEpoch: number;
  liveBrokers: BrokerRegistration[];
}

// ---------------------------------------------------------------- controller

export interface FetchMetadataRequest {
  type: 'fetch-metadata';
  brokerId: number;
  /** The version the broker holds; the reply waits until there is a newer one. */
  sinceVersion: number;
  sinceControllerEpoch: number;
  maxWaitMs: number;
}

export type FetchMetadataResponse = { errorCode: number; image: MetadataImage | null };

export interface AlterPartitionRequest {
  type: 'alter-partition';
  brokerId: number;
  brokerEpoch: number;
  topic: string;
  partition: number;
  leaderEpoch: number;
  partitionEpoch: number;
  /** The proposed ISR with each member's broker epoch as the leader last saw it fetch (KIP-903). */
  newIsr: { brokerId: number; brokerEpoch: number }[];
}

export interface AlterPartitionResponse {
  errorCode: number;
  state: PartitionState | null;
}

export interface ControlledShutdownRequest {
  type: 'controlled-shutdown';
  brokerId: number;
  brokerEpoch: number;
}

export interface ControlledShutdownResponse {
  errorCode: number;
  /** Partitions still led by the broker (no other in-sync replica could take them). */
  remainingLeaders: number;
}

export interface AllocateProducerIdsRequest {
  type: 'allocate-producer-ids';
  brokerId: number;
  brokerEpoch: number;
}

export interface AllocateProducerIdsResponse {
  errorCode: number;
  firstId: number;
  count: number;
}

export interface NewTopic {
  name: string;
  /** -1: num.partitions. Ignored when `assignments` is given. */
  numPartitions: number;
  /** -1: default.replication.factor. Ignored when `assignments` is given. */
  replicationFactor: number;
  /** Manual assignment: partition index → broker ids. */
  assignments: number[][] | null;
  configs: Record<string, string>;
}

export interface TopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export interface CreateTopicsRequest {
  type: 'create-topics';
  topics: NewTopic[];
  validateOnly: boolean;
  /** Internal topics (__consumer_offsets) may only be created by the brokers themselves. */
  internal?: boolean;
}

export interface CreateTopicsResponse {
  errorCode: number;
  results: (TopicResult & { topicId: string | null; numPartitions: number; replicationFactor: number; configs: Record<string, string> })[];
}

export interface DeleteTopicsRequest {
  type: 'delete-topics';
  names: string[];
}

export interface DeleteTopicsResponse {
  errorCode: number;
  results: (TopicResult & { topicId: string | null })[];
}

export interface CreatePartitionsRequest {
  type: 'create-partitions';
  topics: { name: string; count: number; assignments: number[][] | null }[];
  validateOnly: boolean;
}

export interface CreatePartitionsResponse {
  errorCode: number;
  results: TopicResult[];
}

export type ConfigOp = { key: string; op: 'set' | 'delete' | 'append' | 'subtract'; value: string | null };

export interface AlterConfigsRequest {
  type: 'alter-configs';
  /** 'replace': the topic's configs become exactly `ops` sets (AlterConfigs); 'incremental': apply ops. */
  mode: 'replace' | 'incremental';
  resources: { topic: string; ops: ConfigOp[] }[];
  validateOnly: boolean;
}

export interface AlterConfigsResponse {
  errorCode: number;
  results: TopicResult[];
}

/** AlterConfigs / IncrementalAlterConfigs on BROKER resources ('' = the cluster-wide default). */
export interface AlterBrokerConfigsRequest {
  type: 'alter-broker-configs';
  /** 'replace': the resource's dynamic configs become exactly `ops` sets (AlterConfigs); 'incremental': apply ops. */
  mode: 'replace' | 'incremental';
  resources: { resource: string; ops: ConfigOp[] }[];
  validateOnly: boolean;
}

export interface AlterBrokerConfigsResponse {
  errorCode: number;
  results: { resource: string; errorCode: number; errorMessage: string | null }[];
}

export interface ElectLeadersRequest {
  type: 'elect-leaders';
  electionType: 'preferred' | 'unclean';
  /** null: every partition. */
  partitions: { topic: string; partition: number }[] | null;
}

export interface ElectLeadersResponse {
  errorCode: number;
  results: { topic: string; partition: number; errorCode: number; errorMessage: string | null }[];
}

/** AlterPartitionReassignments: move partitions to target replicas (null: cancel the one in progress). */
export interface AlterReassignmentsRequest {
  type: 'alter-reassignments';
  partitions: { topic: string; partition: number; replicas: number[] | null }[];
}

export interface AlterReassignmentsResponse {
  errorCode: number;
  results: { topic: string; partition: number; errorCode: number; errorMessage: string | null }[];
}

/** ListPartitionReassignments: the reassignments in progress (null: over every partition). */
export interface ListReassignmentsRequest {
  type: 'list-reassignments';
  partitions: { topic: string; partition: number }[] | null;
}

export interface ListReassignmentsResponse {
  errorCode: number;
  reassignments: { topic: string; partition: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[] }[];
}

export type ControllerRequest =
  | FetchMetadataRequest
  | AlterPartitionRequest
  | ControlledShutdownRequest
  | AllocateProducerIdsRequest
  | CreateTopicsRequest
  | DeleteTopicsRequest
  | CreatePartitionsRequest
  | AlterConfigsRequest
  | AlterBrokerConfigsRequest
  | ElectLeadersRequest
  | AlterReassignmentsRequest
  | ListReassignmentsRequest;

// ---------------------------------------------------------------- replication

export interface ReplicaFetchPartition {
  topic: string;
  partition: number;
  fetchOffset: number;
  /** The epoch of the follower's last fetched batch (KIP-595 style divergence check). */
  lastFetchedEpoch: number;
  currentLeaderEpoch: number;
  logStartOffset: number;
}

export interface ReplicaFetchRequest {
  type: 'replica-fetch';
  replicaId: number;
  brokerEpoch: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitions: ReplicaFetchPartition[];
}

export interface ReplicaFetchPartitionResponse {
  topic: string;
  partition: number;
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  logEndOffset: number;
  /** The leader's stored batch bytes, by reference. */
  records: Buffer | null;
}

export interface ReplicaFetchResponse {
  errorCode: number;
  partitions: ReplicaFetchPartitionResponse[];
}

export interface OffsetForLeaderEpochRequest {
  type: 'offset-for-leader-epoch';
  replicaId: number;
  partitions: { topic: string; partition: number; currentLeaderEpoch: number; leaderEpoch: number }[];
}

export interface OffsetForLeaderEpochResponse {
  errorCode: number;
  partitions: { topic: string; partition: number; errorCode: number; leaderEpoch: number; endOffset: number }[];
}

export type BrokerRequest = ReplicaFetchRequest | OffsetForLeaderEpochRequest | ControllerRequest;
