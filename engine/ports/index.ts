/**
 * The ports: everything a service may use to reach the running cluster, and the checks
 * every service shares. Services import from here (or from another service's index),
 * never from the composition root or another service's files.
 *
 *   cluster.ts            the narrow port interfaces, implemented by engine/cluster-ports.ts
 *   leader-io.ts          the one leader-I/O port: read from / append to a partition's leader
 *   refusals.ts           the shared refusals (no such topic/partition, no leader, a refused write)
 *   partition-chooser.ts  Kafka's default partitioner (explicit, murmur2 of the key, round robin)
 *   validate.ts           offset and timestamp range checks with Kafka's error codes
 */
export type * from './cluster';
export { APPEND_RETRY_MS, LeaderIo, type CommittedRange } from './leader-io';
export { PartitionChooser, type ChosenBy } from './partition-chooser';
export { RETRIABLE_PRODUCE_ERRORS, noLeader, produceRefusal, requirePartition, requireTopic } from './refusals';
export { MAX_TIMESTAMP_MS, formatTime, requireOffset, requireOffsetIn, requireTimestamp } from './validate';
