/**
 * The refusals every service shares, each a contract error with a sentence a person
 * can act on and, where there is one, the field it concerns: a topic that does not
 * exist, a partition it does not have, a partition without a leader, and a write the
 * leader refused. Also the one set of produce errors that are retried while
 * leadership moves.
 *
 * Invariant: these only read the image they are given; a refusal changes nothing.
 */
import { WorkbenchError } from '../api/errors';
import type { PartitionState, TopicImage, MetadataImage } from '../cluster/metadata-image';
import type { ProduceResult } from '../cluster/replica-manager';
import { ErrorCode, errorName } from '../protocol/errors';

/** Kafka errors a producer retries: the leader is moving, or the ISR is catching up. */
export const RETRIABLE_PRODUCE_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.REQUEST_TIMED_OUT,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
]);

/** The topic as `image` has it; UNKNOWN_TOPIC_OR_PARTITION on `field` otherwise. */
export function requireTopic(image: MetadataImage | null, name: string, field = 'topic'): TopicImage {
  const topic = image?.topics.get(name);
  if (!topic) throw new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${name}" does not exist. Create it first, or check the name.`, field);
  return topic;
}

/** One partition of a topic; UNKNOWN_TOPIC_OR_PARTITION on `field` when the topic has no such partition. */
export function requirePartition(topic: TopicImage, partition: number, field = 'partition'): PartitionState {
  const p = topic.partitions[partition];
  if (!p) {
    throw new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${topic.name}" has no partition ${partition}; its partitions are 0 to ${topic.partitions.length - 1}.`, field);
  }
  return p;
}

export function noLeader(topic: string, partition: number): WorkbenchError {
  return new WorkbenchError(
    'LEADER_NOT_AVAILABLE',
    `Partition ${partition} of "${topic}" has no leader right now: its in-sync replicas are down. Restart one of them and try again.`,
  );
}

/** A produce refusal as the contract's error: what happened, and what to do. */
export function produceRefusal(r: ProduceResult): WorkbenchError {
  const where = `partition ${r.partition} of "${r.topic}"`;
  switch (r.errorCode) {
    case ErrorCode.MESSAGE_TOO_LARGE:
      return new WorkbenchError('MESSAGE_TOO_LARGE', `${r.errorMessage ?? 'The batch is too large.'} Send a smaller value, or raise max.message.bytes on "${r.topic}".`, 'value');
    case ErrorCode.INVALID_RECORD:
      return new WorkbenchError('INVALID_RECORD', `${r.recordErrors[0]?.message ?? r.errorMessage ?? 'The record was refused.'} Give the record a key (compacted topics keep the latest value per key).`, 'key');
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      return new WorkbenchError('NOT_ENOUGH_REPLICAS', `${r.errorMessage ?? 'Too few in-sync replicas.'} Restart the missing brokers, lower min.insync.replicas, or send with acks=1.`, 'acks');
    case ErrorCode.LEADER_NOT_AVAILABLE:
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
      return noLeader(r.topic, r.partition);
    case ErrorCode.REQUEST_TIMED_OUT:
      return new WorkbenchError('REQUEST_TIMED_OUT', `The write to ${where} was not replicated in time. Check that its followers are up, or send with acks=1.`);
    case ErrorCode.KAFKA_STORAGE_ERROR:
      // The free-space guard's refusal says it all; otherwise a disk error stopped the leader.
      if (r.errorMessage?.includes('refuses writes')) return new WorkbenchError('KAFKA_STORAGE_ERROR', r.errorMessage);
      return new WorkbenchError('KAFKA_STORAGE_ERROR', `The leader of ${where} could not write to its disk${r.errorMessage ? ` (${r.errorMessage})` : ''}, so it stopped. The Cluster view says what to do.`);
    default:
      return new WorkbenchError('UNKNOWN_SERVER_ERROR', `${errorName(r.errorCode)}: ${r.errorMessage ?? 'the broker refused the write.'} Try again.`);
  }
}
