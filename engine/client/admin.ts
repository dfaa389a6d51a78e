/**
 * The admin client: topics, partitions, configs, groups, offsets, records and the
 * cluster itself, over Kafka's admin APIs.
 *
 * Routing (as Kafka's AdminClient does against a KRaft cluster whose brokers are also
 * the controller quorum's front door): CreateTopics, DeleteTopics and CreatePartitions go
 * to the controller named by Metadata and are retried on NOT_CONTROLLER after a metadata
 * refresh; DescribeConfigs / AlterConfigs / IncrementalAlterConfigs for a broker resource
 * go to that broker, for a topic to any broker; ListGroups asks every broker;
 * DescribeGroups, DeleteGroups, OffsetDelete and group offsets go to each group's coordinator;
 * ListOffsets and DeleteRecords go to partition leaders; DescribeCluster (or Metadata on
 * brokers without it) to any broker; ElectLeaders and the partition reassignment APIs
 * go to the controller, like topic writes; DescribeLogDirs to each broker described.
 *
 * Results are per entity (topic, group, resource) with an `error` field rather than one
 * thrown error, so tools can report each entity the way Kafka's do; whole-request
 * failures (no broker reachable, timeouts) throw.
 *
 * Invariant: every result list has exactly one entry per entity asked, in asked order.
 */
import { API_SCHEMAS, ApiKey, ErrorCode, ZERO_UUID, schemaFor } from '../protocol';
import { decodeAssignment, decodeSubscription } from '../cluster/group/consumer-protocol';
import { Cluster, withRetries, type BrokerNode, type ClientConfig, type PartitionInfo } from './cluster';
import { KafkaClientError, KafkaProtocolError, isCoordinatorError } from './errors';
import {
  commitOffsets,
  fetchCommittedOffsets,
  listOffsets,
  tpKey,
  type CommittedOffset,
  type ListedOffset,
  type OffsetToCommit,
  type TopicPartition,
} from './offsets';

export interface AdminConfig extends ClientConfig {
  /** Default deadline of each admin call (Kafka's default.api.timeout.ms). */
  defaultApiTimeoutMs?: number;
}

export interface NewTopic {
  name: string;
  /** -1 (or omitted) for the broker default (needs CreateTopics v4+). */
  numPartitions?: number;
  replicationFactor?: number;
  /** partition → broker ids; replaces numPartitions/replicationFactor. */
  replicaAssignment?: ReadonlyMap<number, readonly number[]> | readonly (readonly number[])[];
  configs?: Readonly<Record<string, string>>;
}

export interface CreateTopicResult {
  name: string;
  error: KafkaProtocolError | null;
  topicId: string;
  numPartitions: number;
  replicationFactor: number;
}

export interface TopicResult {
  name: string;
  error: KafkaProtocolError | null;
}

export interface TopicDescription {
  name: string;
  topicId: string;
  isInternal: boolean;
  partitions: PartitionInfo[];
  error: KafkaProtocolError | null;
}

export type ConfigResourceType = 'topic' | 'broker' | 'broker-logger';
const RESOURCE_TYPE_ID: Record<ConfigResourceType, number> = { topic: 2, broker: 4, 'broker-logger': 8 };
const RESOURCE_TYPE_NAME = new Map<number, ConfigResourceType>([
  [2, 'topic'],
  [4, 'broker'],
  [8, 'broker-logger'],
]);

/** Kafka's ConfigEntry.ConfigSource names, by the wire id of DescribeConfigs v1+. */
export const CONFIG_SOURCE_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
  7: 'DYNAMIC_CLIENT_METRICS_CONFIG',
  8: 'DYNAMIC_GROUP_CONFIG',
};

export interface ConfigResource {
  type: ConfigResourceType;
  name: string;
}

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: string;
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  isSensitive: boolean;
  /** A ConfigSource name (DYNAMIC_TOPIC_CONFIG, DEFAULT_CONFIG, …). */
  source: string;
  synonyms: ConfigSynonym[];
}

export interface ConfigResult extends ConfigResource {
  error: KafkaProtocolError | null;
  entries: ConfigEntry[];
}

export type AlterOp = 'set' | 'delete' | 'append' | 'subtract';
const ALTER_OP_ID: Record<AlterOp, number> = { set: 0, delete: 1, append: 2, subtract: 3 };

export interface AlterConfigOp {
  name: string;
  op: AlterOp;
  value?: string | null;
}

export interface GroupListing {
  groupId: string;
  protocolType: string;
  /** Present when the broker reports it (ListGroups v4+). */
  state: string | null;
}

export interface MemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  assignment: TopicPartition[];
  subscribedTopics: string[];
}

export interface GroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  /** The assignor (for consumer groups). */
  protocol: string;
  members: MemberDescription[];
  coordinator: BrokerNode | null;
  error: KafkaProtocolError | null;
}

export interface PartitionResult extends TopicPartition {
  error: KafkaProtocolError | null;
}

/** A reassignment in progress: the replica list (target, then the replicas leaving), who is added, who leaves. */
export interface OngoingReassignment extends TopicPartition {
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

/** One partition replica in a broker's log directory (DescribeLogDirs). */
export interface ReplicaLogInfo extends TopicPartition {
  sizeBytes: number;
  /** How far this replica's log end is behind (0 on the leader). */
  offsetLag: number;
  /** A replica being moved to this directory (AlterReplicaLogDirs), not yet current. */
  isFuture: boolean;
}

/** One log directory of a broker, with the replicas it holds. */
export interface LogDirDescription {
  logDir: string;
  errorCode: number;
  /** The disk's size and what is still usable, -1 when the broker does not say (DescribeLogDirs < v4). */
  totalBytes: number;
  usableBytes: number;
  replicas: ReplicaLogInfo[];
}

/** What one broker said about its log directories, or the error that kept it from saying. */
export interface BrokerLogDirs {
  brokerId: number;
  error: KafkaClientError | null;
  logDirs: LogDirDescription[];
}

export interface ClusterDescription {
  clusterId: string | null;
  controllerId: number;
  brokers: BrokerNode[];
}

export class Admin {
  readonly cluster: Cluster;
  private readonly timeoutMs: number;

  constructor(config: AdminConfig) {
    this.cluster = new Cluster(config);
    this.timeoutMs = config.defaultApiTimeoutMs ?? 60_000;
  }

  async close(): Promise<void> {
    await this.cluster.close();
  }

  // ---- cluster ------------------------------------------------------------------------

  async describeCluster(): Promise<ClusterDescription> {
    return withRetries(this.cluster, this.timeoutMs, async () => {
      const conn = await this.cluster.anyConnection();
      if (conn.versionFor(ApiKey.DescribeCluster) !== undefined) {
        const res = await conn.request(ApiKey.DescribeCluster, { includeClusterAuthorizedOperations: false, endpointType: 1 });
        if (res.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(res.errorCode, res.errorMessage, 'DescribeCluster');
        return {
          clusterId: res.clusterId,
          controllerId: res.controllerId,
          brokers: res.brokers.map((b) => ({ nodeId: b.brokerId, host: b.host, port: b.port, rack: b.rack })).sort((a, b) => a.nodeId - b.nodeId),
        };
      }
      await this.cluster.refreshMetadata({ topics: [] });
      return { clusterId: this.cluster.clusterId, controllerId: this.cluster.controllerId, brokers: [...this.cluster.brokers.values()].sort((a, b) => a.nodeId - b.nodeId) };
    });
  }

  /**
   * Each broker's ApiVersions answer (from the connection's handshake), as Kafka's
   * BrokerApiVersionsCommand shows it: per API key the broker's range and the version this
   * client would use (null when none both sides speak). Brokers in node id order.
   */
  async brokerApiVersions(): Promise<{ broker: BrokerNode; apis: { apiKey: number; name: string; broker: readonly [number, number] | null; ours: readonly [number, number] | null; usable: number | null }[] }[]> {
    const { brokers } = await this.describeCluster();
    return Promise.all(
      brokers.map(async (broker) => {
        const conn = await withRetries(this.cluster, this.timeoutMs, () => this.cluster.connection(broker.nodeId));
        const keys = new Set<number>([...API_SCHEMAS.map((sch) => sch.apiKey), ...conn.brokerVersions.keys()]);
        const apis = [...keys]
          .sort((a, b) => a - b)
          .map((apiKey) => ({
            apiKey,
            name: schemaFor(apiKey)?.name ?? 'UNKNOWN',
            broker: conn.brokerVersions.get(apiKey) ?? null,
            ours: schemaFor(apiKey)?.validVersions ?? null,
            usable: conn.versionFor(apiKey) ?? null,
          }));
        return { broker, apis };
      }),
    );
  }

  /**
   * The log directories of each broker asked (all brokers: null), with every replica
   * each holds, or only those of `topics`. One entry per broker, in asked order.
   */
  async describeLogDirs(brokerIds: readonly number[] | null = null, topics: readonly string[] | null = null): Promise<BrokerLogDirs[]> {
    const ids = brokerIds ?? (await this.describeCluster()).brokers.map((b) => b.nodeId);
    const wanted = topics === null ? null : new Set(topics);
    return Promise.all(ids.map(async (brokerId): Promise<BrokerLogDirs> => {
      try {
        const res = await withRetries(this.cluster, this.timeoutMs, () => this.cluster.send(brokerId, ApiKey.DescribeLogDirs, { topics: null }));
        if (res.errorCode !== ErrorCode.NONE) return { brokerId, error: new KafkaProtocolError(res.errorCode, null, 'DescribeLogDirs'), logDirs: [] };
        const logDirs = res.results.map((d) => ({
          logDir: d.logDir,
          errorCode: d.errorCode,
          totalBytes: d.totalBytes,
          usableBytes: d.usableBytes,
          replicas: d.topics
            .filter((t) => wanted === null || wanted.has(t.name))
            .flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, sizeBytes: p.partitionSize, offsetLag: p.offsetLag, isFuture: p.isFutureKey }))),
        }));
        return { brokerId, error: null, logDirs };
      } catch (e) {
        return { brokerId, error: e instanceof KafkaClientError ? e : new KafkaClientError(e instanceof Error ? e.message : String(e), false, { cause: e }), logDirs: [] };
      }
    }));
  }

  // ---- topics -------------------------------------------------------------------------

  async listTopics(opts: { includeInternal?: boolean } = {}): Promise<string[]> {
    await withRetries(this.cluster, this.timeoutMs, () => this.cluster.refreshMetadata({ topics: null }));
    return [...this.cluster.topics.values()]
      .filter((t) => t.errorCode === ErrorCode.NONE && (opts.includeInternal === true || !t.isInternal))
      .map((t) => t.name)
      .sort();
  }

  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    const res = await withRetries(this.cluster, this.timeoutMs, () => this.cluster.refreshMetadata({ topics: names, allowAutoTopicCreation: false }));
    return names.map((name) => {
      const t = res.topics.find((x) => x.name === name);
      if (t === undefined) return { name, topicId: ZERO_UUID, isInternal: false, partitions: [], error: new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null, `Topic ${name}`) };
      const info = this.cluster.topics.get(name);
      return {
        name,
        topicId: t.topicId,
        isInternal: t.isInternal,
        partitions: info?.partitions ?? [],
        error: t.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(t.errorCode, null, `Topic ${name}`),
      };
    });
  }

  /** Runs a controller request, retrying NOT_CONTROLLER (and other retriable errors) for the entities that hit them. */
  private async onController<R extends { name: string | null; errorCode: number }>(
    what: string,
    send: (controller: number, names: string[]) => Promise<R[]>,
    names: readonly string[],
    /** Whether a retriable code is nonetheless this request's answer (an election found not needed). */
    isFinal: (code: number) => boolean = () => false,
  ): Promise<Map<string, R>> {
    const done = new Map<string, R>();
    let pending = [...names];
    await withRetries(
      this.cluster,
      this.timeoutMs,
      async () => {
        const controller = await this.cluster.controller();
        if (controller < 0) throw new KafkaProtocolError(ErrorCode.NOT_CONTROLLER, 'The cluster has no controller yet.', what);
        const rows = await send(controller, pending);
        const retry: string[] = [];
        let retryCode = 0;
        for (const r of rows) {
          if (r.name === null) continue;
          const err = r.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(r.errorCode);
          if (err !== null && !isFinal(r.errorCode) && (err.retriable || r.errorCode === ErrorCode.NOT_CONTROLLER)) {
            retry.push(r.name);
            retryCode = r.errorCode;
          } else done.set(r.name, r);
        }
        pending = retry;
        if (retry.length > 0) {
          await this.cluster.refreshMetadata({ topics: [], force: true }).catch(() => undefined);
          throw new KafkaProtocolError(retryCode, null, what);
        }
      },
    ).catch((err: unknown) => {
      if (pending.length === 0) return;
      throw err;
    });
    return done;
  }

  async createTopics(topics: readonly NewTopic[], opts: { validateOnly?: boolean; timeoutMs?: number } = {}): Promise<CreateTopicResult[]> {
    const byName = new Map(topics.map((t) => [t.name, t]));
    const rows = await this.onController(
      'CreateTopics',
      async (controller, names) => {
        const res = await this.cluster.send(controller, ApiKey.CreateTopics, {
          topics: names.map((name) => {
            const t = byName.get(name)!;
            const assignment = t.replicaAssignment === undefined ? [] : t.replicaAssignment instanceof Map ? [...t.replicaAssignment] : [...(t.replicaAssignment as readonly (readonly number[])[])].map((ids, i) => [i, ids] as const);
            return {
              name,
              numPartitions: assignment.length > 0 ? -1 : (t.numPartitions ?? -1),
              replicationFactor: assignment.length > 0 ? -1 : (t.replicationFactor ?? -1),
              assignments: assignment.map(([partitionIndex, brokerIds]) => ({ partitionIndex, brokerIds: [...brokerIds] })),
              configs: Object.entries(t.configs ?? {}).map(([k, value]) => ({ name: k, value })),
            };
          }),
          timeoutMs: opts.timeoutMs ?? 30_000,
          validateOnly: opts.validateOnly ?? false,
        });
        return res.topics;
      },
      [...byName.keys()],
    );
    return topics.map((t) => {
      const r = rows.get(t.name);
      if (r === undefined) return { name: t.name, error: new KafkaProtocolError(ErrorCode.UNKNOWN_SERVER_ERROR, 'no answer for this topic'), topicId: ZERO_UUID, numPartitions: -1, replicationFactor: -1 };
      return {
        name: t.name,
        error: r.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(r.errorCode, r.errorMessage ?? defaultCreateMessage(r.errorCode, t.name)),
        topicId: r.topicId,
        numPartitions: r.numPartitions,
        replicationFactor: r.replicationFactor,
      };
    });
  }

  async deleteTopics(names: readonly string[], opts: { timeoutMs?: number } = {}): Promise<TopicResult[]> {
    const rows = await this.onController(
      'DeleteTopics',
      async (controller, pending) => {
        const conn = await this.cluster.connection(controller);
        const version = conn.versionFor(ApiKey.DeleteTopics) ?? 0;
        const res = await conn.request(
          ApiKey.DeleteTopics,
          version >= 6
            ? { topics: pending.map((name) => ({ name, topicId: ZERO_UUID })), timeoutMs: opts.timeoutMs ?? 30_000 }
            : { topicNames: pending, timeoutMs: opts.timeoutMs ?? 30_000 },
        );
        return res.responses;
      },
      names,
    );
    return names.map((name) => {
      const r = rows.get(name);
      return { name, error: r === undefined || r.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(r.errorCode, r.errorMessage) };
    });
  }

  async createPartitions(
    requests: readonly { topic: string; count: number; assignments?: readonly (readonly number[])[] }[],
    opts: { validateOnly?: boolean; timeoutMs?: number } = {},
  ): Promise<TopicResult[]> {
    const byName = new Map(requests.map((r) => [r.topic, r]));
    const rows = await this.onController(
      'CreatePartitions',
      async (controller, pending) => {
        const res = await this.cluster.send(controller, ApiKey.CreatePartitions, {
          topics: pending.map((name) => {
            const r = byName.get(name)!;
            return { name, count: r.count, assignments: r.assignments === undefined ? null : r.assignments.map((ids) => ({ brokerIds: [...ids] })) };
          }),
          timeoutMs: opts.timeoutMs ?? 30_000,
          validateOnly: opts.validateOnly ?? false,
        });
        return res.results;
      },
      [...byName.keys()],
    );
    return requests.map((r) => {
      const row = rows.get(r.topic);
      return { name: r.topic, error: row === undefined || row.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(row.errorCode, row.errorMessage) };
    });
  }

  // ---- configs ------------------------------------------------------------------------

  private nodeForResource(r: ConfigResource): Promise<number> | number {
    if (r.type === 'broker' || r.type === 'broker-logger') {
      if (r.name === '') return -1;
      const id = Number(r.name);
      if (!Number.isInteger(id)) throw new KafkaClientError(`The entity name for brokers must be a valid integer broker id, found: ${r.name}`, false);
      return id;
    }
    return -1;
  }

  private async sendForResource<T>(r: ConfigResource, send: (conn: Awaited<ReturnType<Cluster['anyConnection']>>) => Promise<T>): Promise<T> {
    return withRetries(this.cluster, this.timeoutMs, async () => {
      const node = await this.nodeForResource(r);
      const conn = node >= 0 ? await this.cluster.connection(node) : await this.cluster.anyConnection();
      return send(conn);
    });
  }

  async describeConfigs(resources: readonly ConfigResource[], opts: { includeSynonyms?: boolean; keys?: readonly string[] } = {}): Promise<ConfigResult[]> {
    return Promise.all(
      resources.map((r) =>
        this.sendForResource(r, async (conn) => {
          const version = conn.versionFor(ApiKey.DescribeConfigs);
          const res = await conn.request(ApiKey.DescribeConfigs, {
            resources: [{ resourceType: RESOURCE_TYPE_ID[r.type], resourceName: r.name, configurationKeys: opts.keys === undefined ? null : [...opts.keys] }],
            includeSynonyms: opts.includeSynonyms ?? false,
            includeDocumentation: false,
          });
          const row = res.results[0];
          if (row === undefined) throw new KafkaClientError('DescribeConfigs answer held no result.', true);
          const error = row.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(row.errorCode, row.errorMessage, `Describing configs of ${r.type} ${r.name}`);
          const entries: ConfigEntry[] = row.configs.map((c) => {
            let source: number = c.configSource;
            if (version === 0 || source < 0) source = c.isDefault ? 5 : r.type === 'topic' ? 1 : 4;
            return {
              name: c.name,
              value: c.value,
              readOnly: c.readOnly,
              isDefault: source === 5,
              isSensitive: c.isSensitive,
              source: CONFIG_SOURCE_NAMES[source] ?? 'UNKNOWN',
              synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value, source: CONFIG_SOURCE_NAMES[s.source] ?? 'UNKNOWN' })),
            };
          });
          return { type: RESOURCE_TYPE_NAME.get(row.resourceType) ?? r.type, name: r.name, error, entries };
        }),
      ),
    );
  }

  async incrementalAlterConfigs(changes: readonly (ConfigResource & { ops: readonly AlterConfigOp[] })[], opts: { validateOnly?: boolean } = {}): Promise<(ConfigResource & { error: KafkaProtocolError | null })[]> {
    return Promise.all(
      changes.map((c) =>
        this.sendForResource(c, async (conn) => {
          const res = await conn.request(ApiKey.IncrementalAlterConfigs, {
            resources: [
              {
                resourceType: RESOURCE_TYPE_ID[c.type],
                resourceName: c.name,
                configs: c.ops.map((o) => ({ name: o.name, configOperation: ALTER_OP_ID[o.op], value: o.op === 'delete' ? null : (o.value ?? null) })),
              },
            ],
            validateOnly: opts.validateOnly ?? false,
          });
          const row = res.responses[0];
          return { type: c.type, name: c.name, error: row === undefined || row.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(row.errorCode, row.errorMessage) };
        }),
      ),
    );
  }

  /** The legacy AlterConfigs: replaces the resource's whole set of dynamic configs. */
  async alterConfigs(changes: readonly (ConfigResource & { configs: Readonly<Record<string, string>> })[], opts: { validateOnly?: boolean } = {}): Promise<(ConfigResource & { error: KafkaProtocolError | null })[]> {
    return Promise.all(
      changes.map((c) =>
        this.sendForResource(c, async (conn) => {
          const res = await conn.request(ApiKey.AlterConfigs, {
            resources: [{ resourceType: RESOURCE_TYPE_ID[c.type], resourceName: c.name, configs: Object.entries(c.configs).map(([name, value]) => ({ name, value })) }],
            validateOnly: opts.validateOnly ?? false,
          });
          const row = res.responses[0];
          return { type: c.type, name: c.name, error: row === undefined || row.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(row.errorCode, row.errorMessage) };
        }),
      ),
    );
  }

  // ---- groups -------------------------------------------------------------------------

  async listGroups(): Promise<GroupListing[]> {
    await withRetries(this.cluster, this.timeoutMs, () => this.cluster.refreshMetadata({ topics: [] }));
    const all = new Map<string, GroupListing>();
    await Promise.all(
      [...this.cluster.brokers.keys()].map(async (node) => {
        const res = await withRetries(this.cluster, this.timeoutMs, async () => {
          const r = await this.cluster.send(node, ApiKey.ListGroups, { statesFilter: [] });
          if (r.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(r.errorCode, null, 'ListGroups');
          return r;
        });
        for (const g of res.groups) all.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType, state: g.groupState === '' ? null : g.groupState });
      }),
    );
    return [...all.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  async describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]> {
    return Promise.all(
      groupIds.map((groupId) =>
        withRetries(this.cluster, this.timeoutMs, async () => {
          const node = await this.cluster.coordinatorFor(groupId);
          const res = await this.cluster.send(node, ApiKey.DescribeGroups, { groups: [groupId], includeAuthorizedOperations: false });
          const g = res.groups[0];
          if (g === undefined) throw new KafkaClientError('DescribeGroups answer held no group.', true);
          if (isCoordinatorError(g.errorCode)) {
            this.cluster.invalidateCoordinator(groupId);
            throw new KafkaProtocolError(g.errorCode, null, `Describing group ${groupId}`);
          }
          const consumer = g.protocolType === 'consumer' || g.protocolType === '';
          return {
            groupId,
            state: g.groupState,
            protocolType: g.protocolType,
            protocol: g.protocolData,
            coordinator: this.cluster.brokers.get(node) ?? null,
            error: g.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(g.errorCode, null, `Group ${groupId}`),
            members: g.members.map((m) => ({
              memberId: m.memberId,
              groupInstanceId: m.groupInstanceId,
              clientId: m.clientId,
              clientHost: m.clientHost,
              assignment: consumer && m.memberAssignment.length > 0 ? safeAssignment(m.memberAssignment) : [],
              subscribedTopics: consumer && m.memberMetadata.length > 0 ? safeSubscription(m.memberMetadata) : [],
            })),
          };
        }),
      ),
    );
  }

  async deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; error: KafkaProtocolError | null }[]> {
    return Promise.all(
      groupIds.map((groupId) =>
        withRetries(this.cluster, this.timeoutMs, async () => {
          const node = await this.cluster.coordinatorFor(groupId);
          const res = await this.cluster.send(node, ApiKey.DeleteGroups, { groupsNames: [groupId] });
          const r = res.results.find((x) => x.groupId === groupId);
          const code = r?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
          if (isCoordinatorError(code)) {
            this.cluster.invalidateCoordinator(groupId);
            throw new KafkaProtocolError(code, null, `Deleting group ${groupId}`);
          }
          return { groupId, error: code === ErrorCode.NONE ? null : new KafkaProtocolError(code) };
        }),
      ),
    );
  }

  /**
   * Deletes a group's committed offsets of the given partitions (OffsetDelete). The group's
   * own refusal (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP) is `error`; each partition carries its
   * own (GROUP_SUBSCRIBED_TO_TOPIC, UNKNOWN_TOPIC_OR_PARTITION), in asked order.
   */
  async deleteOffsets(
    groupId: string,
    partitions: readonly TopicPartition[],
  ): Promise<{ error: KafkaProtocolError | null; partitions: (TopicPartition & { error: KafkaProtocolError | null })[] }> {
    const topics = new Map<string, { name: string; partitions: { partitionIndex: number }[] }>();
    for (const tp of partitions) {
      let t = topics.get(tp.topic);
      if (!t) topics.set(tp.topic, (t = { name: tp.topic, partitions: [] }));
      t.partitions.push({ partitionIndex: tp.partition });
    }
    return withRetries(this.cluster, this.timeoutMs, async () => {
      const node = await this.cluster.coordinatorFor(groupId);
      const res = await this.cluster.send(node, ApiKey.OffsetDelete, { groupId, topics: [...topics.values()] });
      if (isCoordinatorError(res.errorCode)) {
        this.cluster.invalidateCoordinator(groupId);
        throw new KafkaProtocolError(res.errorCode, null, `Deleting offsets of group ${groupId}`);
      }
      const groupError = res.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(res.errorCode, null, `Group ${groupId}`);
      const codes = new Map<string, number>();
      for (const t of res.topics) for (const p of t.partitions) codes.set(tpKey(t.name, p.partitionIndex), p.errorCode);
      return {
        error: groupError,
        partitions: partitions.map((tp) => {
          const code = groupError ? res.errorCode : (codes.get(tpKey(tp.topic, tp.partition)) ?? ErrorCode.UNKNOWN_SERVER_ERROR);
          return { ...tp, error: code === ErrorCode.NONE ? null : new KafkaProtocolError(code) };
        }),
      };
    });
  }

  // ---- offsets and records ------------------------------------------------------------

  listOffsets(specs: readonly (TopicPartition & { timestamp: number })[]): Promise<Map<string, ListedOffset>> {
    return listOffsets(this.cluster, specs, { timeoutMs: this.timeoutMs });
  }

  fetchOffsets(groupId: string, partitions: readonly TopicPartition[] | null = null): Promise<CommittedOffset[]> {
    return fetchCommittedOffsets(this.cluster, groupId, partitions, { timeoutMs: this.timeoutMs });
  }

  commitOffsets(groupId: string, offsets: readonly OffsetToCommit[]): Promise<void> {
    return commitOffsets(this.cluster, groupId, offsets, { generationId: -1, memberId: '' }, { timeoutMs: this.timeoutMs });
  }

  /** Deletes records below `offset` (-1 = the high watermark); returns the new low watermarks. */
  async deleteRecords(specs: readonly (TopicPartition & { offset: number })[]): Promise<Map<string, { lowWatermark: number; error: KafkaProtocolError | null }>> {
    const out = new Map<string, { lowWatermark: number; error: KafkaProtocolError | null }>();
    await this.cluster.waitForTopics([...new Set(specs.map((s) => s.topic))], { allowAutoTopicCreation: false, timeoutMs: this.timeoutMs });
    const byLeader = new Map<number, (TopicPartition & { offset: number })[]>();
    for (const s of specs) {
      const leader = this.cluster.leaderFor(s.topic, s.partition);
      if (leader < 0) {
        out.set(tpKey(s.topic, s.partition), { lowWatermark: -1, error: new KafkaProtocolError(ErrorCode.LEADER_NOT_AVAILABLE) });
        continue;
      }
      let l = byLeader.get(leader);
      if (l === undefined) byLeader.set(leader, (l = []));
      l.push(s);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        const byTopic = new Map<string, { partitionIndex: number; offset: number }[]>();
        for (const s of list) {
          let l = byTopic.get(s.topic);
          if (l === undefined) byTopic.set(s.topic, (l = []));
          l.push({ partitionIndex: s.partition, offset: s.offset });
        }
        const res = await this.cluster.send(leader, ApiKey.DeleteRecords, { topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })), timeoutMs: 30_000 });
        for (const t of res.topics) {
          for (const p of t.partitions) {
            out.set(tpKey(t.name, p.partitionIndex), { lowWatermark: p.lowWatermark, error: p.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(p.errorCode) });
          }
        }
      }),
    );
    return out;
  }

  // ---- partition placement ------------------------------------------------------------

  /** Runs a per-partition controller request (entities keyed by tpKey), retrying NOT_CONTROLLER. */
  private async partitionsOnController(
    what: string,
    parts: readonly TopicPartition[],
    send: (controller: number, pending: TopicPartition[]) => Promise<{ topic: string; partition: number; errorCode: number; errorMessage: string | null }[]>,
  ): Promise<PartitionResult[]> {
    const byKey = new Map(parts.map((p) => [tpKey(p.topic, p.partition), p]));
    const rows = await this.onController(
      what,
      async (controller, pending) => (await send(controller, pending.map((k) => byKey.get(k)!))).map((r) => ({ ...r, name: tpKey(r.topic, r.partition) })),
      [...byKey.keys()],
      // As Kafka's admin client: a partition's error is its answer; only a moved controller is retried.
      (code) => code !== ErrorCode.NOT_CONTROLLER,
    );
    return parts.map((p) => {
      const r = rows.get(tpKey(p.topic, p.partition));
      return { topic: p.topic, partition: p.partition, error: r === undefined || r.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(r.errorCode, r.errorMessage) };
    });
  }

  /** Starts moving partitions to new replica lists; `replicas: null` cancels the reassignment in progress. */
  alterPartitionReassignments(specs: readonly (TopicPartition & { replicas: readonly number[] | null })[], opts: { timeoutMs?: number } = {}): Promise<PartitionResult[]> {
    const replicasOf = new Map(specs.map((s) => [tpKey(s.topic, s.partition), s.replicas]));
    return this.partitionsOnController('AlterPartitionReassignments', specs, async (controller, pending) => {
      const res = await this.cluster.send(controller, ApiKey.AlterPartitionReassignments, {
        timeoutMs: opts.timeoutMs ?? 30_000,
        topics: groupByTopic(pending).map(([name, list]) => ({
          name,
          partitions: list.map((p) => {
            const replicas = replicasOf.get(tpKey(p.topic, p.partition));
            return { partitionIndex: p.partition, replicas: replicas === null || replicas === undefined ? null : [...replicas] };
          }),
        })),
      });
      if (res.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(res.errorCode, res.errorMessage, 'AlterPartitionReassignments');
      return res.responses.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode, errorMessage: p.errorMessage })));
    });
  }

  /** The reassignments in progress (null: over every partition). */
  async listPartitionReassignments(parts: readonly TopicPartition[] | null = null): Promise<OngoingReassignment[]> {
    return withRetries(this.cluster, this.timeoutMs, async () => {
      const controller = await this.cluster.controller();
      if (controller < 0) throw new KafkaProtocolError(ErrorCode.NOT_CONTROLLER, 'The cluster has no controller yet.', 'ListPartitionReassignments');
      const res = await this.cluster.send(controller, ApiKey.ListPartitionReassignments, {
        timeoutMs: 30_000,
        topics: parts === null ? null : groupByTopic(parts).map(([name, list]) => ({ name, partitionIndexes: list.map((p) => p.partition) })),
      });
      if (res.errorCode !== ErrorCode.NONE) {
        if (res.errorCode === ErrorCode.NOT_CONTROLLER) await this.cluster.refreshMetadata({ topics: [], force: true }).catch(() => undefined);
        throw new KafkaProtocolError(res.errorCode, res.errorMessage, 'ListPartitionReassignments');
      }
      return res.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas, addingReplicas: p.addingReplicas, removingReplicas: p.removingReplicas })));
    });
  }

  /**
   * Elects leaders: 'preferred' moves leadership to each partition's first replica,
   * 'unclean' gives a partition without a live leader any live replica. `parts` null:
   * every partition (those that needed no election are then left out of the results).
   */
  async electLeaders(type: 'preferred' | 'unclean', parts: readonly TopicPartition[] | null, opts: { timeoutMs?: number } = {}): Promise<PartitionResult[]> {
    const request = (controller: number, pending: readonly TopicPartition[] | null) =>
      this.cluster.send(controller, ApiKey.ElectLeaders, {
        electionType: type === 'preferred' ? 0 : 1,
        topicPartitions: pending === null ? null : groupByTopic(pending).map(([topic, list]) => ({ topic, partitions: list.map((p) => p.partition) })),
        timeoutMs: opts.timeoutMs ?? 30_000,
      });
    const rowsOf = (res: Awaited<ReturnType<typeof request>>) => {
      if (res.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(res.errorCode, null, 'ElectLeaders');
      return res.replicaElectionResults.flatMap((t) => t.partitionResult.map((p) => ({ topic: t.topic, partition: p.partitionId, errorCode: p.errorCode, errorMessage: p.errorMessage })));
    };
    if (parts !== null) return this.partitionsOnController('ElectLeaders', parts, async (controller, pending) => rowsOf(await request(controller, pending)));
    return withRetries(this.cluster, this.timeoutMs, async () => {
      const controller = await this.cluster.controller();
      if (controller < 0) throw new KafkaProtocolError(ErrorCode.NOT_CONTROLLER, 'The cluster has no controller yet.', 'ElectLeaders');
      return rowsOf(await request(controller, null)).map((r) => ({ topic: r.topic, partition: r.partition, error: r.errorCode === ErrorCode.NONE ? null : new KafkaProtocolError(r.errorCode, r.errorMessage) }));
    });
  }
}

/** Partitions grouped by topic, topics in first-seen order. */
function groupByTopic(parts: readonly TopicPartition[]): [string, TopicPartition[]][] {
  const out = new Map<string, TopicPartition[]>();
  for (const p of parts) {
    if (!out.has(p.topic)) out.set(p.topic, []);
    out.get(p.topic)!.push(p);
  }
  return [...out];
}

function defaultCreateMessage(code: number, topic: string): string | null {
  if (code === ErrorCode.TOPIC_ALREADY_EXISTS) return `Topic '${topic}' already exists.`;
  return null;
}

function safeAssignment(bytes: Buffer): TopicPartition[] {
  try {
    return decodeAssignment(Buffer.from(bytes)).assignedPartitions.flatMap((tp) => tp.partitions.map((partition) => ({ topic: tp.topic, partition })));
  } catch {
    return [];
  }
}

function safeSubscription(bytes: Buffer): string[] {
  try {
    return decodeSubscription(Buffer.from(bytes)).topics;
  } catch {
    return [];
  }
}
