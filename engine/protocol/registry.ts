/**
 * The table of APIs this broker speaks: one schema per API (apis/*.ts), keyed by API
 * key, and the version range of each that the broker advertises in ApiVersions.
 *
 * Invariants: API keys are unique; every advertised range is the schema's
 * validVersions, lies within current Kafka's range for that API (kafkaVersions: apache/kafka
 * trunk of late 2024, close to Kafka 4.0), and starts at 0 (clients assume the oldest
 * versions exist).
 */
import { assert } from '../util/assert';
import { alterConfigsSchema } from './apis/alter-configs';
import { alterPartitionReassignmentsSchema } from './apis/alter-partition-reassignments';
import { electLeadersSchema } from './apis/elect-leaders';
import { listPartitionReassignmentsSchema } from './apis/list-partition-reassignments';
import { describeLogDirsSchema } from './apis/describe-log-dirs';
import { apiVersionsSchema } from './apis/api-versions';
import { createPartitionsSchema } from './apis/create-partitions';
import { createTopicsSchema } from './apis/create-topics';
import { deleteGroupsSchema } from './apis/delete-groups';
import { deleteRecordsSchema } from './apis/delete-records';
import { deleteTopicsSchema } from './apis/delete-topics';
import { describeClusterSchema } from './apis/describe-cluster';
import { describeConfigsSchema } from './apis/describe-configs';
import { describeGroupsSchema } from './apis/describe-groups';
import { fetchSchema } from './apis/fetch';
import { findCoordinatorSchema } from './apis/find-coordinator';
import { heartbeatSchema } from './apis/heartbeat';
import { incrementalAlterConfigsSchema } from './apis/incremental-alter-configs';
import { initProducerIdSchema } from './apis/init-producer-id';
import { joinGroupSchema } from './apis/join-group';
import { leaveGroupSchema } from './apis/leave-group';
import { listGroupsSchema } from './apis/list-groups';
import { listOffsetsSchema } from './apis/list-offsets';
import { metadataSchema } from './apis/metadata';
import { offsetCommitSchema } from './apis/offset-commit';
import { offsetDeleteSchema } from './apis/offset-delete';
import { offsetFetchSchema } from './apis/offset-fetch';
import { offsetForLeaderEpochSchema } from './apis/offset-for-leader-epoch';
import { produceSchema } from './apis/produce';
import { saslHandshakeSchema } from './apis/sasl-handshake';
import { syncGroupSchema } from './apis/sync-group';
import { inVersions, type ApiSchema, type Message, type MessageInput } from './schema';

/** Every API schema, in API key order. */
export const API_SCHEMAS = [
  produceSchema,
  fetchSchema,
  listOffsetsSchema,
  metadataSchema,
  offsetCommitSchema,
  offsetFetchSchema,
  findCoordinatorSchema,
  joinGroupSchema,
  heartbeatSchema,
  leaveGroupSchema,
  syncGroupSchema,
  describeGroupsSchema,
  listGroupsSchema,
  saslHandshakeSchema,
  apiVersionsSchema,
  createTopicsSchema,
  deleteTopicsSchema,
  deleteRecordsSchema,
  initProducerIdSchema,
  offsetForLeaderEpochSchema,
  describeConfigsSchema,
  alterConfigsSchema,
  createPartitionsSchema,
  deleteGroupsSchema,
  incrementalAlterConfigsSchema,
  describeClusterSchema,
  electLeadersSchema,
  alterPartitionReassignmentsSchema,
  listPartitionReassignmentsSchema,
  offsetDeleteSchema,
  describeLogDirsSchema,
] as const;

/** API keys by name, as Kafka numbers them. */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  OffsetForLeaderEpoch: 23,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  CreatePartitions: 37,
  DeleteGroups: 42,
  IncrementalAlterConfigs: 44,
  DescribeCluster: 60,
  ElectLeaders: 43,
  AlterPartitionReassignments: 45,
  ListPartitionReassignments: 46,
  OffsetDelete: 47,
  DescribeLogDirs: 35,
} as const;

type Schemas = (typeof API_SCHEMAS)[number];
type SchemaByKey = { [S in Schemas as S['apiKey']]: S };

/** The API keys this broker implements. */
export type ApiKeyNumber = keyof SchemaByKey;
/** The schema of API key K. */
export type SchemaOf<K extends ApiKeyNumber> = SchemaByKey[K];
/** A decoded request / response of API key K (every field present). */
export type RequestOf<K extends ApiKeyNumber> = Message<SchemaByKey[K]['request']>;
export type ResponseOf<K extends ApiKeyNumber> = Message<SchemaByKey[K]['response']>;
/** What encodeRequest / encodeResponse accept for API key K (any field may be omitted). */
export type RequestInputOf<K extends ApiKeyNumber> = MessageInput<SchemaByKey[K]['request']>;
export type ResponseInputOf<K extends ApiKeyNumber> = MessageInput<SchemaByKey[K]['response']>;

const BY_KEY = new Map<number, ApiSchema>();
for (const schema of API_SCHEMAS as readonly ApiSchema[]) {
  assert(!BY_KEY.has(schema.apiKey), () => `API key ${schema.apiKey} registered twice`);
  const [min, max] = schema.validVersions;
  const [kafkaMin, kafkaMax] = schema.kafkaVersions;
  assert(min === 0 && min <= max, () => `${schema.name}: validVersions ${min}-${max} must start at 0`);
  assert(kafkaMin <= min && max <= kafkaMax, () => `${schema.name}: ${min}-${max} is outside Kafka's ${kafkaMin}-${kafkaMax}`);
  assert((ApiKey as Record<string, number>)[schema.name] === schema.apiKey, () => `${schema.name}: ApiKey table disagrees`);
  BY_KEY.set(schema.apiKey, schema);
}

/** The schema for an API key, or undefined for an API this broker does not implement. */
export function schemaFor(apiKey: number): ApiSchema | undefined {
  return BY_KEY.get(apiKey);
}

/** Whether this broker implements `apiKey` at `version`. */
export function isSupportedVersion(apiKey: number, version: number): boolean {
  const schema = BY_KEY.get(apiKey);
  return schema !== undefined && version >= schema.validVersions[0] && version <= schema.validVersions[1];
}

/** Whether `version` of `schema` is flexible (compact types, tagged fields, header v2/v1). */
export function isFlexibleVersion(schema: ApiSchema, version: number): boolean {
  return inVersions(version, schema.flexibleVersions);
}

/** apiKey → [min, max] advertised in ApiVersions responses. */
export const ADVERTISED_VERSIONS: Readonly<Record<number, readonly [number, number]>> = Object.freeze(
  Object.fromEntries((API_SCHEMAS as readonly ApiSchema[]).map((s) => [s.apiKey, Object.freeze([...s.validVersions] as [number, number])])),
);

/** The advertised ranges as ApiVersions response entries, in API key order. */
export function advertisedApiKeys(): { apiKey: number; minVersion: number; maxVersion: number }[] {
  return (API_SCHEMAS as readonly ApiSchema[])
    .map((s) => ({ apiKey: s.apiKey, minVersion: s.validVersions[0], maxVersion: s.validVersions[1] }))
    .sort((a, b) => a.apiKey - b.apiKey);
}
