/**
 * How the observe service reaches into the running cluster: topic and partition
 * lookups that refuse with the contract's errors (a sentence with an action, on the
 * field it concerns), each replica's storage log, the leader's broker, and the one
 * append path every observe write takes (the leader's ReplicaManager, exactly as a
 * Kafka client's Produce request does after the wire layer).
 *
 * Invariants: lookups read the freshest metadata image and never mutate anything;
 * `appendViaLeader` answers exactly once.
 */
import { WorkbenchError } from '../api/errors';
import type { Broker } from '../cluster/broker';
import { PartitionLogReplica } from '../cluster/log-adapter';
import { NO_LEADER, type PartitionState, type TopicImage } from '../cluster/metadata-image';
import type { Partition } from '../cluster/partition';
import type { ProduceResult } from '../cluster/replica-manager';
import type { Engine } from '../engine';
import { errorName } from '../protocol/errors';
import type { PartitionLog } from '../storage/log';

/** Kafka error codes a producer retries (the leader is moving or catching up). */
export const RETRIABLE_PRODUCE_CODES: ReadonlySet<number> = new Set([3, 5, 6, 7, 19, 20]);

export function requireTopic(engine: Engine, name: string, field = 'topic'): TopicImage {
  const topic = engine.cluster.latestImage()?.topics.get(name);
  if (!topic) throw new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${name}" does not exist. Create it first, or check the name.`, field);
  return topic;
}

export function requirePartition(topic: TopicImage, partition: number): PartitionState {
  const p = topic.partitions[partition];
  if (!p) {
    throw new WorkbenchError(
      'UNKNOWN_TOPIC_OR_PARTITION',
      `Topic "${topic.name}" has no partition ${partition}; its partitions are 0 to ${topic.partitions.length - 1}.`,
      'partition',
    );
  }
  return p;
}

/** The broker leading a partition, if it is up and knows it leads. */
export function leaderOf(engine: Engine, topic: string, partition: number): Broker | null {
  const p = engine.cluster.latestImage()?.topics.get(topic)?.partitions[partition];
  if (!p || p.leader === NO_LEADER) return null;
  const b = engine.cluster.broker(p.leader);
  return b.isUp && b.replicaManager?.partition(topic, partition)?.isLeader ? b : null;
}

/** This broker's replica of a partition, while the broker is up. */
export function replicaOn(engine: Engine, brokerId: number, topic: string, partition: number): Partition | undefined {
  const b = engine.cluster.broker(brokerId);
  return b.isUp ? b.replicaManager?.partition(topic, partition) : undefined;
}

/** The storage layer's log behind a replica (segments, stats, the cleaner's view). */
export function storageLogOf(replica: Partition | undefined): PartitionLog | undefined {
  return replica && replica.log instanceof PartitionLogReplica ? replica.log.log : undefined;
}

/** Appends one batch at the partition's leader with the given acks; a missing leader answers LEADER_NOT_AVAILABLE. */
export function appendViaLeader(engine: Engine, topic: string, partition: number, batch: Buffer, acks: number, timeoutMs = 30_000): Promise<ProduceResult> {
  const leader = leaderOf(engine, topic, partition);
  if (!leader) {
    return Promise.resolve({ topic, partition, errorCode: 5, errorMessage: null, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [] });
  }
  return new Promise((resolve) => leader.replicaManager!.appendRecords(acks, timeoutMs, [{ topic, partition, records: batch }], (r) => resolve(r[0])));
}

/** A produce refusal as the contract's error: what happened, and what to do. */
export function produceRefusal(r: ProduceResult): WorkbenchError {
  const where = `partition ${r.partition} of "${r.topic}"`;
  switch (r.errorCode) {
    case 10:
      return new WorkbenchError('MESSAGE_TOO_LARGE', `${r.errorMessage ?? 'The batch is too large.'} Send a smaller value, or raise max.message.bytes on "${r.topic}".`, 'value');
    case 87:
      return new WorkbenchError('INVALID_RECORD', `${r.recordErrors[0]?.message ?? r.errorMessage ?? 'The record was refused.'} Give the record a key (compacted topics keep the latest value per key).`, 'key');
    case 19:
    case 20:
      return new WorkbenchError('NOT_ENOUGH_REPLICAS', `${r.errorMessage ?? 'Too few in-sync replicas.'} Restart the missing brokers, lower min.insync.replicas, or send with acks=1.`, 'acks');
    case 5:
    case 6:
      return new WorkbenchError('LEADER_NOT_AVAILABLE', `${where} has no leader right now: its in-sync replicas are down. Restart one of them and try again.`);
    case 7:
      return new WorkbenchError('REQUEST_TIMED_OUT', `The write to ${where} was not replicated in time. Check that its followers are up, or send with acks=1.`);
    default:
      return new WorkbenchError('UNKNOWN_SERVER_ERROR', `${errorName(r.errorCode)}: ${r.errorMessage ?? 'the broker refused the write.'} Try again.`);
  }
}

export function sleep(engine: Engine, ms: number): Promise<void> {
  return new Promise((resolve) => engine.clock.setTimer(ms, resolve));
}
