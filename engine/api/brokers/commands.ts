/**
 * The cluster & faults part of the contract: the whole cluster as the UI shows it
 * (`getCluster`, the same snapshot the event stream pushes) and the faults a person
 * injects: crash, stop, restart, cut off and heal a broker; the broker configs (each
 * config's value and source on a broker, and the cluster-wide dynamic defaults
 * kafka-configs --entity-type brokers --entity-default sets); and where partitions live:
 * move a partition's replicas to other brokers (which may change its replication
 * factor), cancel such a move, elect preferred leaders. Merged into the one contract by
 * contract.ts.
 */
import { z } from 'zod';
import type { ClusterSnapshot } from '../contract';

const brokerConfigName = z.string().min(1, 'Name a broker config.').max(255);
const brokerId = z.number({ error: 'Broker id must be a number.' }).int('Broker id must be a whole number.').min(1, 'Broker ids start at 1.').max(1000);
const brokerArgs = z.object({ brokerId }).strict();
const partitionArg = z.number({ error: 'Partition must be a number.' }).int('Partition must be a whole number.').min(0, 'Partitions start at 0.');

export const brokersSchemas = {
  /** The whole cluster as the UI shows it. */
  getCluster: z.object({}).strict(),
  /** Crash a broker: it stops at once, unsynced bytes are lost, nothing is handed over. */
  killBroker: brokerArgs,
  /** Stop a broker cleanly: its partitions' leadership moves away first. */
  stopBroker: brokerArgs,
  /** Start a killed or stopped broker again (or crash-restart a running one). */
  restartBroker: brokerArgs,
  /** Cut a broker off from the other brokers and the controller quorum (clients still reach it). */
  cutBroker: brokerArgs,
  /** Reconnect a cut-off broker. */
  healBroker: brokerArgs,
  /** Host-level: start a fresh engine after a crash (handled by the host, not the engine). */
  restartEngine: z.object({}).strict(),
  /** Every broker config with its value in effect on one broker and where it comes from. */
  describeBrokerConfigs: brokerArgs,
  /** Every client connection open to a broker's Kafka listener, and what it does (the Clients view). */
  listClients: z.object({}).strict(),
  /** What a broker's log directory holds: each replica's size and offset lag (Kafka's DescribeLogDirs). */
  describeLogDirs: brokerArgs,
  /**
   * Set (`set`) or remove (`reset`) cluster-wide dynamic defaults, as IncrementalAlterConfigs
   * on the default broker resource does. Only "cluster-wide" configs may change; a bad
   * value is refused with its valid range and nothing changes.
   */
  alterBrokerDefaultConfigs: z.object({
    set: z.record(brokerConfigName, z.string().max(10_000)).optional(),
    reset: z.array(brokerConfigName).max(200).optional(),
    validateOnly: z.boolean().optional(),
  }).strict(),
  /**
   * Move a partition to `replicas` (the first becomes its preferred leader; more or fewer
   * brokers change its replication factor). The new replicas copy the log and join the
   * ISR; then the old ones leave and delete their copy.
   */
  reassignPartition: z
    .object({
      topic: z.string().min(1, 'Pick a topic.'),
      partition: partitionArg,
      replicas: z.array(brokerId).min(1, 'Pick at least one broker.').max(1000).refine((r) => new Set(r).size === r.length, 'Each broker may hold only one replica of a partition.'),
    })
    .strict(),
  /** Stop a move in progress: the replicas being added leave, the partition keeps its old ones. */
  cancelReassignment: z.object({ topic: z.string().min(1, 'Pick a topic.'), partition: partitionArg }).strict(),
  /** Hand leadership to each partition's preferred (first) replica where it is in sync; a topic, or every topic. */
  electPreferredLeaders: z.object({ topic: z.string().min(1).optional(), partition: partitionArg.optional() }).strict().refine((a) => a.partition === undefined || a.topic !== undefined, { message: 'A partition needs its topic.', path: ['partition'] }),
} satisfies Record<string, z.ZodType>;

// ---------------------------------------------------------------------------
// Results

/** `failed`: the broker stopped on its own after a disk error (see BrokerView.failure). */
export type BrokerState = 'starting' | 'up' | 'stopping' | 'stopped' | 'killed' | 'failed' | 'cut';

/** Why a broker stopped on its own. */
export interface BrokerFailureView {
  atMs: number;
  /** The platform's error code (ENOSPC, EIO, EROFS, …), when known. */
  errno: string | null;
  /** The file it failed on, as an absolute path, when known. */
  path: string | null;
  /** What happened, in a sentence: the error and the file. */
  reason: string;
  /** What to do next ("Free space on …, then restart broker 3."). */
  nextStep: string;
}

/** Free space where a broker keeps its logs, and the free-space guard's threshold. */
export interface BrokerDiskView {
  /** The broker's data directory (absolute). */
  dataDir: string;
  freeBytes: number;
  totalBytes: number;
  /** Below this the broker refuses client writes (reads and replication go on). */
  minFreeBytes: number;
  low: boolean;
}

export interface BrokerView {
  id: number;
  state: BrokerState;
  host: string;
  port: number;
  /** Whether its Kafka listener is accepting connections, and if not why. */
  listening: boolean;
  listenerError: string | null;
  /** Partitions it leads, internal ones (__consumer_offsets) included… */
  partitionsLed: number;
  /** …of which internal, which the views of topics leave out unless asked. */
  internalPartitionsLed: number;
  /** Set while the broker is `failed` (cleared when it starts again). */
  failure: BrokerFailureView | null;
  /** Null while the broker is down or where free space cannot be read. */
  disk: BrokerDiskView | null;
  /** Bytes of the partition replicas this broker holds on disk (0 while it is down). */
  replicaBytes: number;
}

/** One partition replica in a broker's log directory. */
export interface LogDirReplicaView {
  topic: string;
  partition: number;
  sizeBytes: number;
  /** Offsets this replica's log end is behind the leader's (0 on the leader). */
  offsetLag: number;
  isLeader: boolean;
}

/** A broker's log directory: its folder and the replicas in it, largest first. */
export interface LogDirsView {
  brokerId: number;
  /** The broker's data directory (absolute). */
  logDir: string;
  /** False while the broker is down: it holds its logs but reports none. */
  online: boolean;
  totalBytes: number;
  replicas: LogDirReplicaView[];
}

/** Where a broker config's value comes from, highest precedence first (Kafka's ConfigSource names). */
export type BrokerConfigSourceName = 'DYNAMIC_BROKER_CONFIG' | 'DYNAMIC_DEFAULT_BROKER_CONFIG' | 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG';

export interface BrokerConfigEntryView {
  name: string;
  /** The value in effect on the broker; null when it has none. */
  value: string | null;
  source: BrokerConfigSourceName;
  /** 'cluster-wide': may change while the cluster runs; 'read-only': set when it starts (--config). */
  mode: 'read-only' | 'cluster-wide';
  type: string;
  defaultValue: string | null;
  /** The values allowed, as a phrase ("at least 1", "true or false"). */
  allowed: string;
  doc: string;
  /** Every value of this setting and its source, highest precedence first (Kafka's synonyms). */
  synonyms: { name: string; value: string | null; source: BrokerConfigSourceName }[];
}

export interface BrokerConfigsResult {
  brokerId: number;
  entries: BrokerConfigEntryView[];
}

export interface AlterBrokerDefaultConfigsResult {
  validateOnly: boolean;
  /** The cluster-wide dynamic defaults after the change (before it, with validateOnly). */
  defaults: Record<string, string>;
}

export interface BrokersResults {
  getCluster: ClusterSnapshot;
  killBroker: BrokerView;
  stopBroker: BrokerView;
  restartBroker: BrokerView;
  cutBroker: BrokerView;
  healBroker: BrokerView;
  restartEngine: { restarted: true };
  describeBrokerConfigs: BrokerConfigsResult;
  alterBrokerDefaultConfigs: AlterBrokerDefaultConfigsResult;
  reassignPartition: ReassignmentView;
  cancelReassignment: ReassignmentView;
  electPreferredLeaders: ElectionResultView[];
  listClients: ClientsResult;
  describeLogDirs: LogDirsView;
}

/** A partition's placement right after a reassignment command. */
export interface ReassignmentView {
  topic: string;
  partition: number;
  replicas: number[];
  /** Being added (copying the log, not yet all in the ISR); empty when no move runs. */
  addingReplicas: number[];
  /** Leaving once every added replica is in sync. */
  removingReplicas: number[];
}

/** One partition's preferred-leader election: elected, not needed, or why not. */
export interface ElectionResultView {
  topic: string;
  partition: number;
  outcome: 'elected' | 'not-needed' | 'failed';
  /** Why it failed (the preferred replica is down or out of sync …); null otherwise. */
  reason: string | null;
}

/** One connection to a broker's Kafka listener: a person's client, or a built-in one. */
export interface ClientView {
  brokerId: number;
  connectionId: number;
  /** Where it connects from (the remote address). */
  address: string;
  /** The client.id its requests carry (null: none sent). */
  clientId: string | null;
  /** Client software and version as it named itself (ApiVersions v3+), e.g. "apache-kafka-java 3.7.0"; null when it did not say. */
  software: string | null;
  openedAtMs: number;
  /** Request bytes received from it and response bytes sent to it. */
  bytesIn: number;
  bytesOut: number;
  requests: number;
  lastRequestAtMs: number | null;
  /** Partitions it produced to, newest first. */
  produces: { topic: string; partition: number; atMs: number }[];
  /** Partitions it fetched from (a consumer), with the offset of its last fetch, newest first. */
  fetches: { topic: string; partition: number; offset: number; atMs: number }[];
  /** Consumer groups it spoke for (joined, heartbeat, committed). */
  groups: string[];
}

export interface ClientsResult {
  /** False when this engine runs without Kafka listeners (no client can connect). */
  listening: boolean;
  clients: ClientView[];
}
