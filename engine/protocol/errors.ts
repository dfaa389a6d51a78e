/**
 * Kafka error codes: number, name, whether clients treat it as retriable, and what it
 * means. Transcribed from Kafka 3.7's Errors.java; "retriable" is true exactly where
 * Kafka's exception for the code extends RetriableException (Java clients retry those
 * on their own; other clients follow the same table).
 *
 * Format: one row per code, [code, NAME, retriable, description], codes ascending.
 * Code 99 is unassigned in Kafka. Invariants: codes and names are unique (asserted).
 */
import { assert } from '../util/assert';

const TABLE = [
  [-1, 'UNKNOWN_SERVER_ERROR', false, 'The broker hit an unexpected error while handling the request.'],
  [0, 'NONE', false, 'No error.'],
  [1, 'OFFSET_OUT_OF_RANGE', false, 'The requested offset is outside the range of offsets the partition holds.'],
  [2, 'CORRUPT_MESSAGE', true, 'A message failed its CRC check, exceeds the valid size, has a null key on a compacted topic, or is otherwise corrupt.'],
  [3, 'UNKNOWN_TOPIC_OR_PARTITION', true, 'This broker does not host this topic-partition.'],
  [4, 'INVALID_FETCH_SIZE', false, 'The requested fetch size is invalid.'],
  [5, 'LEADER_NOT_AVAILABLE', true, 'The partition has no leader right now: a leader election is in progress.'],
  [6, 'NOT_LEADER_OR_FOLLOWER', true, 'This broker is not the leader (or not a replica) for the partition.'],
  [7, 'REQUEST_TIMED_OUT', true, 'The request timed out.'],
  [8, 'BROKER_NOT_AVAILABLE', false, 'The broker is not available.'],
  [9, 'REPLICA_NOT_AVAILABLE', true, 'The replica is not available for the requested topic-partition.'],
  [10, 'MESSAGE_TOO_LARGE', false, 'A message is larger than the largest message the broker accepts.'],
  [11, 'STALE_CONTROLLER_EPOCH', false, 'The controller moved to another broker.'],
  [12, 'OFFSET_METADATA_TOO_LARGE', false, 'The metadata string of an offset commit is too large.'],
  [13, 'NETWORK_EXCEPTION', true, 'The broker disconnected before a response was received.'],
  [14, 'COORDINATOR_LOAD_IN_PROGRESS', true, 'The coordinator is still loading its state and cannot serve requests yet.'],
  [15, 'COORDINATOR_NOT_AVAILABLE', true, 'The coordinator is not available.'],
  [16, 'NOT_COORDINATOR', true, 'This broker is not the coordinator for the group or transaction.'],
  [17, 'INVALID_TOPIC_EXCEPTION', false, 'The topic is invalid (bad name, or an internal topic used wrongly).'],
  [18, 'RECORD_LIST_TOO_LARGE', false, 'A record batch is larger than the segment size of the topic.'],
  [19, 'NOT_ENOUGH_REPLICAS', true, 'Fewer replicas are in sync than min.insync.replicas requires; the messages were rejected.'],
  [20, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', true, 'The messages were written, but to fewer in-sync replicas than required.'],
  [21, 'INVALID_REQUIRED_ACKS', false, 'The produce request has an invalid acks value.'],
  [22, 'ILLEGAL_GENERATION', false, 'The group generation id is not the current one.'],
  [23, 'INCONSISTENT_GROUP_PROTOCOL', false, "The member's protocols are incompatible with the group's, or its protocol type or list is empty."],
  [24, 'INVALID_GROUP_ID', false, 'The group id is invalid.'],
  [25, 'UNKNOWN_MEMBER_ID', false, 'The coordinator does not know this member.'],
  [26, 'INVALID_SESSION_TIMEOUT', false, 'The session timeout is outside group.min.session.timeout.ms and group.max.session.timeout.ms.'],
  [27, 'REBALANCE_IN_PROGRESS', false, 'The group is rebalancing; the member must rejoin.'],
  [28, 'INVALID_COMMIT_OFFSET_SIZE', false, 'The offset commit data size is not valid.'],
  [29, 'TOPIC_AUTHORIZATION_FAILED', false, 'Not authorized to access the topic.'],
  [30, 'GROUP_AUTHORIZATION_FAILED', false, 'Not authorized to access the group.'],
  [31, 'CLUSTER_AUTHORIZATION_FAILED', false, 'Not authorized for this cluster operation.'],
  [32, 'INVALID_TIMESTAMP', false, 'A message timestamp is outside the acceptable range.'],
  [33, 'UNSUPPORTED_SASL_MECHANISM', false, 'The broker does not support the requested SASL mechanism.'],
  [34, 'ILLEGAL_SASL_STATE', false, 'The request is not valid in the current SASL state.'],
  [35, 'UNSUPPORTED_VERSION', false, 'The broker does not support this version of the API.'],
  [36, 'TOPIC_ALREADY_EXISTS', false, 'A topic with this name already exists.'],
  [37, 'INVALID_PARTITIONS', false, 'The number of partitions is invalid (below 1, or not more than the current count).'],
  [38, 'INVALID_REPLICATION_FACTOR', false, 'The replication factor is below 1 or larger than the number of available brokers.'],
  [39, 'INVALID_REPLICA_ASSIGNMENT', false, 'The replica assignment is invalid.'],
  [40, 'INVALID_CONFIG', false, 'The configuration is invalid.'],
  [41, 'NOT_CONTROLLER', true, 'This broker is not the controller of the cluster.'],
  [42, 'INVALID_REQUEST', false, 'The request is malformed, or was sent to an incompatible broker.'],
  [43, 'UNSUPPORTED_FOR_MESSAGE_FORMAT', false, "The topic's message format does not support this request."],
  [44, 'POLICY_VIOLATION', false, 'The request does not satisfy the configured policy.'],
  [45, 'OUT_OF_ORDER_SEQUENCE_NUMBER', false, 'The broker received an out-of-order sequence number from an idempotent producer.'],
  [46, 'DUPLICATE_SEQUENCE_NUMBER', false, 'The broker received a duplicate sequence number.'],
  [47, 'INVALID_PRODUCER_EPOCH', false, 'The producer used an old epoch.'],
  [48, 'INVALID_TXN_STATE', false, 'The producer attempted a transactional operation in an invalid state.'],
  [49, 'INVALID_PRODUCER_ID_MAPPING', false, 'The producer id is not currently assigned to its transactional id.'],
  [50, 'INVALID_TRANSACTION_TIMEOUT', false, 'The transaction timeout exceeds transaction.max.timeout.ms.'],
  [51, 'CONCURRENT_TRANSACTIONS', true, 'Another operation on the same transaction is in progress.'],
  [52, 'TRANSACTION_COORDINATOR_FENCED', false, 'The transaction coordinator sending a marker is no longer the current one.'],
  [53, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', false, 'Not authorized for this transactional id.'],
  [54, 'SECURITY_DISABLED', false, 'Security features are disabled.'],
  [55, 'OPERATION_NOT_ATTEMPTED', false, 'The broker did not attempt this operation because others in the batch failed.'],
  [56, 'KAFKA_STORAGE_ERROR', true, 'Disk error while accessing the log.'],
  [57, 'LOG_DIR_NOT_FOUND', false, 'The log directory is not in the broker config.'],
  [58, 'SASL_AUTHENTICATION_FAILED', false, 'SASL authentication failed.'],
  [59, 'UNKNOWN_PRODUCER_ID', false, 'The broker has no state for this producer id (its records may all have been deleted).'],
  [60, 'REASSIGNMENT_IN_PROGRESS', false, 'A partition reassignment is in progress.'],
  [61, 'DELEGATION_TOKEN_AUTH_DISABLED', false, 'Delegation tokens are not enabled.'],
  [62, 'DELEGATION_TOKEN_NOT_FOUND', false, 'The delegation token was not found.'],
  [63, 'DELEGATION_TOKEN_OWNER_MISMATCH', false, 'The principal is not a valid owner or renewer of the token.'],
  [64, 'DELEGATION_TOKEN_REQUEST_NOT_ALLOWED', false, 'Delegation token requests are not allowed on this channel.'],
  [65, 'DELEGATION_TOKEN_AUTHORIZATION_FAILED', false, 'Delegation token authorization failed.'],
  [66, 'DELEGATION_TOKEN_EXPIRED', false, 'The delegation token has expired.'],
  [67, 'INVALID_PRINCIPAL_TYPE', false, 'The principal type is not supported.'],
  [68, 'NON_EMPTY_GROUP', false, 'The group is not empty.'],
  [69, 'GROUP_ID_NOT_FOUND', false, 'The group id does not exist.'],
  [70, 'FETCH_SESSION_ID_NOT_FOUND', true, 'The fetch session id was not found.'],
  [71, 'INVALID_FETCH_SESSION_EPOCH', true, 'The fetch session epoch is invalid.'],
  [72, 'LISTENER_NOT_FOUND', true, "The leader has no listener matching the one this metadata request arrived on."],
  [73, 'TOPIC_DELETION_DISABLED', false, 'Topic deletion is disabled.'],
  [74, 'FENCED_LEADER_EPOCH', true, "The request's leader epoch is older than the broker's."],
  [75, 'UNKNOWN_LEADER_EPOCH', true, "The request's leader epoch is newer than the broker's."],
  [76, 'UNSUPPORTED_COMPRESSION_TYPE', false, "The client does not support the partition's compression type."],
  [77, 'STALE_BROKER_EPOCH', false, 'The broker epoch has changed.'],
  [78, 'OFFSET_NOT_AVAILABLE', true, 'The new leader has not caught up its high watermark yet, so offsets are not guaranteed monotonic.'],
  [79, 'MEMBER_ID_REQUIRED', false, 'The member must rejoin with the member id the coordinator assigned.'],
  [80, 'PREFERRED_LEADER_NOT_AVAILABLE', true, 'The preferred leader is not available.'],
  [81, 'GROUP_MAX_SIZE_REACHED', false, 'The consumer group has reached its maximum size.'],
  [82, 'FENCED_INSTANCE_ID', false, 'Another member with the same group.instance.id registered with a different member id.'],
  [83, 'ELIGIBLE_LEADERS_NOT_AVAILABLE', true, 'No eligible leader is available for the partition.'],
  [84, 'ELECTION_NOT_NEEDED', true, 'A leader election is not needed for the partition.'],
  [85, 'NO_REASSIGNMENT_IN_PROGRESS', false, 'No partition reassignment is in progress.'],
  [86, 'GROUP_SUBSCRIBED_TO_TOPIC', false, 'Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.'],
  [87, 'INVALID_RECORD', false, 'A record failed validation on the broker and was rejected.'],
  [88, 'UNSTABLE_OFFSET_COMMIT', true, 'There are pending transactional offsets for the partition.'],
  [89, 'THROTTLING_QUOTA_EXCEEDED', true, 'The throttling quota has been exceeded.'],
  [90, 'PRODUCER_FENCED', false, 'A newer producer with the same transactional id has fenced this one.'],
  [91, 'RESOURCE_NOT_FOUND', false, 'The request refers to a resource that does not exist.'],
  [92, 'DUPLICATE_RESOURCE', false, 'The request refers to the same resource twice.'],
  [93, 'UNACCEPTABLE_CREDENTIAL', false, 'The credential does not meet the acceptance criteria.'],
  [94, 'INCONSISTENT_VOTER_SET', false, 'The sender or recipient of a voter request is not an expected voter.'],
  [95, 'INVALID_UPDATE_VERSION', false, 'The update version is invalid.'],
  [96, 'FEATURE_UPDATE_FAILED', false, 'Updating the finalized features failed on the broker.'],
  [97, 'PRINCIPAL_DESERIALIZATION_FAILURE', false, 'The forwarded request principal could not be deserialized.'],
  [98, 'SNAPSHOT_NOT_FOUND', false, 'The requested snapshot was not found.'],
  [100, 'UNKNOWN_TOPIC_ID', true, 'This broker does not host a topic with this id.'],
  [101, 'DUPLICATE_BROKER_REGISTRATION', false, 'This broker id is already in use.'],
  [102, 'BROKER_ID_NOT_REGISTERED', false, 'The broker id is not registered.'],
  [103, 'INCONSISTENT_TOPIC_ID', true, "The log's topic id does not match the request's."],
  [104, 'INCONSISTENT_CLUSTER_ID', false, "The request's cluster id does not match the broker's."],
  [105, 'TRANSACTIONAL_ID_NOT_FOUND', false, 'The transactional id was not found.'],
  [106, 'FETCH_SESSION_TOPIC_ID_ERROR', true, 'The fetch session used topic ids inconsistently.'],
  [107, 'INELIGIBLE_REPLICA', false, 'The new ISR contains an ineligible replica.'],
  [108, 'NEW_LEADER_ELECTED', false, 'The partition state was updated, but the leader has changed.'],
  [109, 'OFFSET_MOVED_TO_TIERED_STORAGE', false, 'The requested offset has moved to tiered storage.'],
  [110, 'FENCED_MEMBER_EPOCH', false, 'The member epoch is fenced; the member must give up its partitions and rejoin.'],
  [111, 'UNRELEASED_INSTANCE_ID', false, 'The instance id is still used by another member, which must leave first.'],
  [112, 'UNSUPPORTED_ASSIGNOR', false, 'The assignor or its version range is not supported by the group.'],
  [113, 'STALE_MEMBER_EPOCH', false, 'The member epoch is stale.'],
  [114, 'MISMATCHED_ENDPOINT_TYPE', false, 'The request was sent to an endpoint of the wrong type.'],
  [115, 'UNSUPPORTED_ENDPOINT_TYPE', false, 'This endpoint type is not supported.'],
  [116, 'UNKNOWN_CONTROLLER_ID', false, 'The controller id is not known.'],
  [117, 'UNKNOWN_SUBSCRIPTION_ID', false, 'The telemetry subscription id is invalid or outdated.'],
  [118, 'TELEMETRY_TOO_LARGE', false, 'The telemetry push is larger than the broker accepts.'],
  [119, 'INVALID_REGISTRATION', false, 'The controller considers the broker registration invalid.'],
] as const;

type Row = (typeof TABLE)[number];
export type ErrorName = Row[1];

/**
 * Error codes by name: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION === 3. Typed as plain
 * numbers (not literals) so that `let code = ErrorCode.NONE` can later take another code.
 */
export const ErrorCode: { readonly [R in Row as R[1]]: number } = Object.freeze(
  Object.fromEntries(TABLE.map((row) => [row[1], row[0]])),
) as { readonly [R in Row as R[1]]: number };

export interface KafkaErrorInfo {
  readonly code: number;
  readonly name: ErrorName;
  readonly retriable: boolean;
  readonly description: string;
}

const BY_CODE = new Map<number, KafkaErrorInfo>();
for (const [code, name, retriable, description] of TABLE) {
  assert(!BY_CODE.has(code), () => `error code ${code} listed twice`);
  BY_CODE.set(code, Object.freeze({ code, name, retriable, description }));
}
assert(Object.keys(ErrorCode).length === TABLE.length, 'error names are unique');

/** What Kafka says about `code`, or undefined for a code Kafka 3.7 does not define. */
export function errorInfo(code: number): KafkaErrorInfo | undefined {
  return BY_CODE.get(code);
}

/** The name of `code`, or "UNKNOWN_ERROR_CODE(n)". */
export function errorName(code: number): string {
  return BY_CODE.get(code)?.name ?? `UNKNOWN_ERROR_CODE(${code})`;
}

/** Whether clients retry on `code` by themselves. Unknown codes are not retriable. */
export function isRetriable(code: number): boolean {
  return BY_CODE.get(code)?.retriable ?? false;
}

/** Every known error, in code order. */
export function allErrors(): readonly KafkaErrorInfo[] {
  return [...BY_CODE.values()];
}
