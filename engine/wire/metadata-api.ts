/**
 * Cluster-level APIs: ApiVersions, Metadata (with topic auto-creation), DescribeCluster,
 * FindCoordinator (creating __consumer_offsets on first use), InitProducerId and
 * SaslHandshake.
 *
 * Metadata answers from this broker's own copy of the metadata image, which can be a
 * moment behind the controller's: exactly what Kafka clients expect and retry around.
 * Auto-creation (auto.create.topics.enable) asks the controller for num.partitions
 * partitions at default.replication.factor, capped at the brokers that are up, and
 * answers LEADER_NOT_AVAILABLE until the topic exists, as Kafka does.
 */
import { ErrorCode } from '../protocol/errors';
import { isExactInt64 } from '../protocol/types';
import { advertisedApiKeys } from '../protocol/registry';
import type { ApiVersionsResponseInput } from '../protocol/apis/api-versions';
import type { DescribeClusterRequest, DescribeClusterResponseInput } from '../protocol/apis/describe-cluster';
import type { FindCoordinatorRequest, FindCoordinatorResponseInput } from '../protocol/apis/find-coordinator';
import type { InitProducerIdRequest, InitProducerIdResponseInput } from '../protocol/apis/init-producer-id';
import type { MetadataRequest, MetadataResponseInput } from '../protocol/apis/metadata';
import type { SaslHandshakeResponseInput } from '../protocol/apis/sasl-handshake';
import { BrokerGroups } from '../cluster/broker-groups';
import { OFFSETS_TOPIC } from '../cluster/controller';
import type * as M from '../cluster/messages';
import { NO_LEADER } from '../cluster/metadata-image';
import { partitionForGroup } from '../cluster/group/offsets-topic-format';
import { topicNameError } from '../cluster/topic-names';
import { AUTHORIZED_OPERATIONS_OMITTED, authorizedOperations, topicByUuid, topicIdToUuid, type WireContext } from './context';

type MetadataTopicInput = NonNullable<MetadataResponseInput['topics']>[number];

/** Topics being auto-created, so a burst of Metadata requests asks the controller once. */
const creating = new WeakMap<WireContext, Set<string>>();

export function maybeAutoCreate(ctx: WireContext, names: string[]): void {
  if (!ctx.config.autoCreateTopicsEnable) return;
  const pending = creating.get(ctx) ?? new Set<string>();
  creating.set(ctx, pending);
  const fresh = names.filter((n) => !pending.has(n) && !ctx.broker.image.topics.has(n) && topicNameError(n) === null && n !== OFFSETS_TOPIC);
  if (fresh.length === 0) return;
  for (const n of fresh) pending.add(n);
  const req: M.CreateTopicsRequest = {
    type: 'create-topics',
    validateOnly: false,
    topics: fresh.map((name) => ({ name, numPartitions: -1, replicationFactor: -1, assignments: null, configs: {} })),
  };
  ctx.broker.controllerRequest<M.CreateTopicsResponse>(req, (r) => {
    for (const n of fresh) pending.delete(n);
    for (const t of r?.results ?? []) if (t.errorCode !== ErrorCode.NONE && t.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS) ctx.log(`auto-creating topic ${t.name} failed: ${t.errorMessage}`);
  });
}

export function handleApiVersions(_ctx: WireContext, _version: number): ApiVersionsResponseInput {
  return { errorCode: ErrorCode.NONE, apiKeys: advertisedApiKeys(), throttleTimeMs: 0 };
}

export function handleMetadata(ctx: WireContext, version: number, req: MetadataRequest): MetadataResponseInput {
  const image = ctx.broker.image;
  const live = new Set(image.liveBrokers.map((b) => b.id));
  const all = req.topics === null || (version === 0 && req.topics.length === 0);
  // From v10 a topic may be asked for by id alone (name null, KIP-516); an id this broker
  // does not know is answered UNKNOWN_TOPIC_ID under a null name.
  const unknownIds: string[] = [];
  const names: string[] = [];
  if (all) names.push(...[...image.topics.keys()].sort());
  else {
    for (const t of req.topics!) {
      if (t.name !== null) names.push(t.name);
      else {
        const found = topicByUuid(image, t.topicId);
        if (found) names.push(found.name);
        else unknownIds.push(t.topicId);
      }
    }
  }
  const missing = all ? [] : names.filter((n) => !image.topics.has(n));
  const mayCreate = version < 4 || req.allowAutoTopicCreation;
  if (mayCreate && missing.length > 0) maybeAutoCreate(ctx, missing);
  const byUnknownId = unknownIds.map((topicId): MetadataTopicInput => ({ errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: version >= 12 ? null : '', topicId, isInternal: false, partitions: [] }));
  return {
    throttleTimeMs: 0,
    brokers: image.liveBrokers.map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: null })),
    clusterId: image.clusterId || null,
    controllerId: image.controllerId,
    topics: [...names.map((name): MetadataTopicInput => {
      const t = image.topics.get(name);
      if (!t) {
        const invalid = topicNameError(name) !== null;
        const creatingNow = mayCreate && ctx.config.autoCreateTopicsEnable && !invalid && name !== OFFSETS_TOPIC;
        return {
          errorCode: invalid ? ErrorCode.INVALID_TOPIC_EXCEPTION : creatingNow ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          name,
          isInternal: false,
          partitions: [],
        };
      }
      return {
        errorCode: ErrorCode.NONE,
        name,
        topicId: topicIdToUuid(t.topicId),
        isInternal: t.internal,
        partitions: t.partitions.map((p) => ({
          errorCode: p.leader === NO_LEADER ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
          partitionIndex: p.partition,
          leaderId: p.leader,
          leaderEpoch: p.leaderEpoch,
          replicaNodes: [...p.replicas],
          isrNodes: [...p.isr],
          offlineReplicas: version >= 5 ? p.replicas.filter((r) => !live.has(r)) : [],
        })),
      };
    }), ...byUnknownId],
  };
}

/** DescribeCluster endpoint types (KIP-919): what kind of node the client wants described. */
const EndpointType = { BROKER: 1, CONTROLLER: 2 } as const;

/**
 * DescribeCluster as a Kafka broker answers it: v1 asks for an endpoint type, and a broker
 * serves only BROKER (CONTROLLER is MISMATCHED_ENDPOINT_TYPE, any other value
 * UNSUPPORTED_ENDPOINT_TYPE; v0, which cannot ask, would get INVALID_REQUEST). The
 * controller id is -1 unless the controller is among the live brokers listed.
 */
export function handleDescribeCluster(ctx: WireContext, version: number, req: DescribeClusterRequest): DescribeClusterResponseInput {
  const refuse = (errorCode: number, errorMessage: string): DescribeClusterResponseInput => ({ throttleTimeMs: 0, errorCode, errorMessage, clusterId: '', controllerId: -1, brokers: [] });
  if (req.endpointType !== EndpointType.BROKER && req.endpointType !== EndpointType.CONTROLLER) {
    return refuse(version === 0 ? ErrorCode.INVALID_REQUEST : ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, `Unsupported endpoint type ${req.endpointType}`);
  }
  if (req.endpointType === EndpointType.CONTROLLER) {
    return refuse(version === 0 ? ErrorCode.INVALID_REQUEST : ErrorCode.MISMATCHED_ENDPOINT_TYPE, 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER');
  }
  const image = ctx.broker.image;
  const brokers = image.liveBrokers.map((b) => ({ brokerId: b.id, host: b.host, port: b.port, rack: null }));
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    endpointType: EndpointType.BROKER,
    clusterId: image.clusterId,
    controllerId: brokers.some((b) => b.brokerId === image.controllerId) ? image.controllerId : -1,
    brokers,
    clusterAuthorizedOperations: req.includeClusterAuthorizedOperations ? authorizedOperations('CLUSTER') : AUTHORIZED_OPERATIONS_OMITTED,
  };
}

/** FindCoordinator key types (Kafka's CoordinatorType). */
const CoordinatorKeyType = { GROUP: 0, TRANSACTION: 1, SHARE: 2 } as const;

/** Why this cluster coordinates no key of a type other than GROUP, per type and version. */
function unsupportedKeyTypeMessage(keyType: number, version: number): string {
  switch (keyType) {
    case CoordinatorKeyType.TRANSACTION:
      return 'Transaction coordinators are not supported by this cluster.';
    case CoordinatorKeyType.SHARE:
      return version < 6 ? 'Share coordinators need FindCoordinator v6 or later.' : 'Share groups are not supported by this cluster.';
    default:
      return `Unknown coordinator key type ${keyType} (0 group, 1 transaction, 2 share).`;
  }
}

/**
 * Where a group's coordinator is: the leader of its __consumer_offsets partition. v4+
 * answers each of a batch of keys on its own; before v4 there is one key and one answer.
 * Every other key type is answered INVALID_REQUEST, as Kafka answers a share key before
 * v6 or without a share coordinator. An empty group id has a coordinator like any other
 * (Kafka refuses it later, in JoinGroup, as INVALID_GROUP_ID).
 */
export function handleFindCoordinator(ctx: WireContext, version: number, req: FindCoordinatorRequest): FindCoordinatorResponseInput {
  const keys = version >= 4 ? req.coordinatorKeys : [req.key];
  const answer = (key: string): { key: string; nodeId: number; host: string; port: number; errorCode: number; errorMessage: string | null } => {
    const none = { key, nodeId: -1, host: '', port: -1 };
    if (req.keyType !== CoordinatorKeyType.GROUP) return { ...none, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: unsupportedKeyTypeMessage(req.keyType, version) };
    const image = ctx.broker.image;
    const topic = image.topics.get(OFFSETS_TOPIC);
    if (!topic) {
      ensureOffsetsTopic(ctx);
      return { ...none, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'The group coordinator is starting up.' };
    }
    const p = topic.partitions[partitionForGroup(key, topic.partitions.length)];
    const leader = image.liveBrokers.find((b) => b.id === p.leader);
    if (!leader) return { ...none, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'The group coordinator is not available right now.' };
    return { key, nodeId: leader.id, host: leader.host, port: leader.port, errorCode: ErrorCode.NONE, errorMessage: null };
  };
  if (version >= 4) return { throttleTimeMs: 0, coordinators: keys.map(answer) };
  const a = answer(keys[0]);
  return { throttleTimeMs: 0, errorCode: a.errorCode, errorMessage: version >= 1 ? a.errorMessage : null, nodeId: a.nodeId, host: a.host, port: a.port };
}

let offsetsTopicRequested = new WeakSet<WireContext>();

export function ensureOffsetsTopic(ctx: WireContext): void {
  if (ctx.broker.image.topics.has(OFFSETS_TOPIC) || offsetsTopicRequested.has(ctx)) return;
  offsetsTopicRequested.add(ctx);
  const req = BrokerGroups.createOffsetsTopicRequest(ctx.config, ctx.broker.image.liveBrokers.length);
  ctx.broker.controllerRequest<M.CreateTopicsResponse>(req, () => offsetsTopicRequested.delete(ctx));
}

/** For tests: forget pending creations. */
export function resetMetadataApiState(): void {
  offsetsTopicRequested = new WeakSet();
}

export function handleInitProducerId(ctx: WireContext, _version: number, req: InitProducerIdRequest): Promise<InitProducerIdResponseInput> {
  if (req.transactionalId !== null) {
    // Transactions are not part of this cluster; Kafka's answer to an unauthorised transactional id is the closest fit.
    return Promise.resolve({ throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, producerId: -1, producerEpoch: -1 });
  }
  if (req.producerId >= 0 && isExactInt64(req.producerId)) {
    // KIP-360: a producer bumping its own epoch keeps its id (one beyond 2^53 was never ours: it gets a new one).
    return Promise.resolve({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: req.producerId, producerEpoch: Math.min(32767, Math.max(0, req.producerEpoch + 1)) });
  }
  return new Promise((resolve) => {
    ctx.producerIds.allocate((r) => resolve({ throttleTimeMs: 0, errorCode: r.errorCode, producerId: r.id, producerEpoch: r.errorCode === ErrorCode.NONE ? 0 : -1 }));
  });
}

export function handleSaslHandshake(): SaslHandshakeResponseInput {
  return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: [] };
}
