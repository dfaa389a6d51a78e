/**
 * Broker and cluster settings, with Kafka's names in the comments and Kafka's
 * defaults except where the workbench shortens a timeout so that a person watching
 * the app sees failures handled in seconds rather than half a minute (each such
 * default is marked "workbench").
 */
/** Bounds that keep one request from exhausting memory (Kafka has no such limit; a laptop does). */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;
export const MAX_PARTITIONS_IN_CLUSTER = 100_000;

export interface ClusterConfig {
  brokerCount: number;
  host: string;
  /** Broker i listens on basePort + i - 1. */
  basePort: number;
  /** num.partitions, for auto-created topics and CreateTopics with -1. */
  numPartitions: number;
  /** default.replication.factor (min(3, brokers) unless set). */
  defaultReplicationFactor: number;
  /** auto.create.topics.enable */
  autoCreateTopicsEnable: boolean;
  /** offsets.topic.num.partitions */
  offsetsTopicNumPartitions: number;
  /** offsets.topic.replication.factor (capped at the broker count). */
  offsetsTopicReplicationFactor: number;
  /** broker.session.timeout.ms — Kafka 9000; workbench 3000. */
  brokerSessionTimeoutMs: number;
  /** broker.heartbeat.interval.ms — Kafka 2000; workbench 300. */
  brokerHeartbeatIntervalMs: number;
  /** replica.lag.time.max.ms — Kafka 30000; workbench 10000. */
  replicaLagTimeMaxMs: number;
  /** replica.fetch.wait.max.ms */
  replicaFetchWaitMaxMs: number;
  /** replica.fetch.max.bytes (per partition) */
  replicaFetchMaxBytes: number;
  /** replica.fetch.response.max.bytes */
  replicaFetchResponseMaxBytes: number;
  /** replica.fetch.backoff.ms */
  replicaFetchBackoffMs: number;
  /** auto.leader.rebalance.enable */
  autoLeaderRebalanceEnable: boolean;
  /** leader.imbalance.check.interval.seconds, in ms — Kafka 300 s; workbench 5 s. */
  leaderImbalanceCheckIntervalMs: number;
  /** controlled.shutdown: how long a clean stop waits for leadership to move. */
  controlledShutdownTimeoutMs: number;
  /** Timeout of broker-to-broker requests (controller.socket.timeout.ms). */
  interBrokerRequestTimeoutMs: number;
  /** How long a broker's metadata fetch waits at the controller for a change. */
  metadataFetchWaitMs: number;
  /** replica.high.watermark.checkpoint.interval.ms */
  highWatermarkCheckpointIntervalMs: number;
  /** log.retention.check.interval.ms — Kafka 300000; workbench 5000. */
  logRetentionCheckIntervalMs: number;
  /** log.cleaner.backoff.ms — Kafka 15000; workbench 2000. */
  logCleanerBackoffMs: number;
  /**
   * Free space each broker keeps on its disk (Redpanda's storage_min_free_bytes; Kafka
   * has none): below it client writes are refused until space returns. null: the
   * larger of 1 GiB and 5% of the disk; 0: no guard.
   */
  storageMinFreeBytes: number | null;
  /** Topic config defaults set at the broker (log.* settings), by topic config name. */
  topicDefaults: Record<string, string>;
  /**
   * The static broker configs the cluster was started with, by Kafka's name and as
   * given (`--config`, `--config-file`; parsed in broker-configs.ts), so that
   * DescribeConfigs can say STATIC_BROKER_CONFIG. The settings themselves are in the
   * fields above.
   */
  staticBrokerConfigs: Record<string, string>;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms / group.initial.rebalance.delay.ms */
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  groupInitialRebalanceDelayMs: number;
}

export function defaultClusterConfig(overrides: Partial<ClusterConfig> = {}): ClusterConfig {
  const brokerCount = overrides.brokerCount ?? 3;
  return {
    brokerCount,
    host: '127.0.0.1',
    basePort: 9092,
    numPartitions: 1,
    defaultReplicationFactor: Math.min(3, brokerCount),
    autoCreateTopicsEnable: true,
    offsetsTopicNumPartitions: 50,
    offsetsTopicReplicationFactor: Math.min(3, brokerCount),
    brokerSessionTimeoutMs: 3000,
    brokerHeartbeatIntervalMs: 300,
    replicaLagTimeMaxMs: 10_000,
    replicaFetchWaitMaxMs: 500,
    replicaFetchMaxBytes: 1_048_576,
    replicaFetchResponseMaxBytes: 10_485_760,
    replicaFetchBackoffMs: 200,
    autoLeaderRebalanceEnable: true,
    leaderImbalanceCheckIntervalMs: 5000,
    controlledShutdownTimeoutMs: 5000,
    interBrokerRequestTimeoutMs: 5000,
    metadataFetchWaitMs: 1000,
    highWatermarkCheckpointIntervalMs: 5000,
    logRetentionCheckIntervalMs: 5000,
    logCleanerBackoffMs: 2000,
    storageMinFreeBytes: null,
    topicDefaults: {},
    staticBrokerConfigs: {},
    groupMinSessionTimeoutMs: 6000,
    groupMaxSessionTimeoutMs: 1_800_000,
    groupInitialRebalanceDelayMs: 3000,
    ...overrides,
  };
}
