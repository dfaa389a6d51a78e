/**
 * What a broker's API handlers work with: the broker itself (its replicas, metadata
 * image, group coordinator, controller channel), the cluster settings, and the
 * per-listener state (fetch sessions, producer id block). Plus small conversions the
 * handlers share: topic ids (stored as base64url, sent as UUIDs; looked up by UUID
 * through an index built once per metadata image), Kafka's config sources.
 */
import { assert } from '../util/assert';
import type { Clock } from '../util/clock';
import type { Broker } from '../cluster/broker';
import type { ClusterConfig } from '../cluster/config';
import type * as M from '../cluster/messages';
import type { MetadataImage, TopicImage } from '../cluster/metadata-image';
import { ErrorCode } from '../protocol/errors';
import { ZERO_UUID } from '../protocol/types';
import type { FetchSessionCache } from './fetch-sessions';

export interface WireContext {
  broker: Broker;
  clock: Clock;
  config: ClusterConfig;
  fetchSessions: FetchSessionCache;
  producerIds: ProducerIdBlock;
  log: (line: string) => void;
  /** This broker's log directory (its data folder), as DescribeLogDirs names it. */
  logDir: string;
}

/** Hands out producer ids from blocks the controller reserves (AllocateProducerIds). */
export class ProducerIdBlock {
  private next = 0;
  private end = 0;
  private waiting: ((r: { id: number; errorCode: number }) => void)[] = [];
  private fetching = false;

  constructor(private readonly broker: Broker) {}

  allocate(done: (r: { id: number; errorCode: number }) => void): void {
    if (this.next < this.end) return done({ id: this.next++, errorCode: ErrorCode.NONE });
    if (this.waiting.length >= 10_000) return done({ id: -1, errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS });
    this.waiting.push(done);
    if (this.fetching) return;
    this.fetching = true;
    const req: M.AllocateProducerIdsRequest = { type: 'allocate-producer-ids', brokerId: this.broker.id, brokerEpoch: this.broker.brokerEpoch };
    this.broker.controllerRequest<M.AllocateProducerIdsResponse>(req, (r) => {
      this.fetching = false;
      const waiting = this.waiting.splice(0);
      if (!r || r.errorCode !== ErrorCode.NONE) {
        for (const w of waiting) w({ id: -1, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
        return;
      }
      this.next = r.firstId;
      this.end = r.firstId + r.count;
      for (const w of waiting) this.allocate(w);
    });
  }
}

/** A stored topic id (22-char base64url of 16 bytes) as the canonical UUID string the codec writes. */
export function topicIdToUuid(id: string): string {
  const b = Buffer.from(id, 'base64url');
  if (b.length !== 16) return '00000000-0000-0000-0000-000000000000';
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuidToTopicId(uuid: string): string {
  const hex = uuid.replace(/-/g, '');
  assert(/^[0-9a-f]{32}$/i.test(hex), () => `not a uuid: ${uuid}`);
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** Kafka's ConfigSource values (DescribeConfigs v1+). */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

/** Kafka's ConfigType values (DescribeConfigs v3+). */
export const ConfigTypeId = { UNKNOWN: 0, BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7, CLASS: 8, PASSWORD: 9 } as const;

/** Kafka's resource types for configs. */
export const ResourceType = { TOPIC: 2, BROKER: 4 } as const;

/** Per image (images are immutable): topic UUID (as the codec reads it) → topic. */
const topicsByUuid = new WeakMap<MetadataImage, ReadonlyMap<string, TopicImage>>();

/** The topic whose id is `uuid` in `image`, or undefined (KIP-516 lookups by id). */
export function topicByUuid(image: MetadataImage, uuid: string): TopicImage | undefined {
  if (uuid === ZERO_UUID) return undefined;
  let index = topicsByUuid.get(image);
  if (index === undefined) {
    const built = new Map<string, TopicImage>();
    for (const t of image.topics.values()) built.set(topicIdToUuid(t.topicId), t);
    topicsByUuid.set(image, built);
    index = built;
  }
  return index.get(uuid);
}

/** Kafka's AclOperation codes, for the authorized-operations bit fields (KIP-430). */
const AclOperation = { READ: 3, WRITE: 4, CREATE: 5, DELETE: 6, ALTER: 7, DESCRIBE: 8, CLUSTER_ACTION: 9, DESCRIBE_CONFIGS: 10, ALTER_CONFIGS: 11, IDEMPOTENT_WRITE: 12 } as const;

/** The operations Kafka supports on each kind of resource (AclEntry.supportedOperations). */
const SUPPORTED_OPERATIONS = {
  CLUSTER: [AclOperation.CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE],
  GROUP: [AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS],
  TOPIC: [AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS],
} as const;

/** What a response says when the client did not ask for authorized operations. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

/**
 * The operations a client may perform on a resource, as the bit field (bit n = operation
 * code n) Kafka answers when asked. These brokers run without an authorizer, and Kafka
 * without an authorizer allows every operation the resource supports.
 */
export function authorizedOperations(resource: keyof typeof SUPPORTED_OPERATIONS): number {
  return SUPPORTED_OPERATIONS[resource].reduce((bits, op) => bits | (1 << op), 0);
}
