/**
 * engine/client: a Kafka client over the wire protocol (engine/protocol), for the
 * workbench's command-line tools, benchmarks and anything else that talks to a Kafka
 * cluster (the workbench's own, or a real one). Public surface:
 *
 *   Producer   producer.ts   batching, compression, acks, idempotence, delivery reports
 *   Consumer   consumer.ts   assign/seek or group subscribe, long-polling fetch, commits
 *   Admin      admin.ts      topics, partitions, configs, groups, offsets, records
 *   Cluster    cluster.ts    bootstrap, metadata, routing (shared by the three above)
 *   Connection connection.ts one broker connection, pipelined requests, version negotiation
 *   Transport  transport.ts  the byte stream under a connection; tcp-transport.ts is TCP
 *   errors     errors.ts     typed errors with actionable messages
 *   timers     timers.ts     sleeps, periodic timers and deadlines on the injected Clock
 *
 * Every client takes its Clock, Random and Dialer from its config (ClientConfig.clock,
 * .random, .dialer), the system ones and TCP by default: the tools and the app run on
 * real time over TCP, the simulator runs the same code on virtual time over in-process
 * sockets.
 */
export * from './errors';
export { Connection, type ConnectionOptions, type RequestOptions } from './connection';
export { tcpDialer } from './tcp-transport';
export type { DialOptions, Dialer, Transport, TransportHandlers } from './transport';
export { Cluster, parseBootstrapServers, type BrokerNode, type ClientConfig, type PartitionInfo, type TopicInfo } from './cluster';
export { Producer, type Acks, type CompressionName, type DeliveryCallback, type ProducerConfig, type ProducerRecord, type RecordMetadata } from './producer';
export { Consumer, type ConsumerConfig, type ConsumerRecord, type RebalanceListener } from './consumer';
export * from './admin';
export { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, tpKey, type TopicPartition, type CommittedOffset, type ListedOffset, type OffsetToCommit } from './offsets';
export type { HeaderEntry } from './batch-builder';
