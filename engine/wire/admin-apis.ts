/**
 * Admin APIs: CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs,
 * AlterConfigs, IncrementalAlterConfigs. Writes go to the controller (as Kafka forwards
 * them); the answer waits, up to the request's timeout, until this broker's metadata
 * shows the change, so a client that creates a topic and then describes it sees it.
 *
 * DescribeConfigs reports every topic config with Kafka's sources: set on the topic
 * (DYNAMIC_TOPIC_CONFIG), a dynamic broker config of this broker or of the cluster
 * (DYNAMIC_BROKER_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG), set when the cluster started
 * (STATIC_BROKER_CONFIG) or Kafka's default (DEFAULT_CONFIG), with synonyms under the
 * broker-level names Kafka uses; and every broker config of a broker (cluster/broker-configs.ts).
 * Alterations of BROKER resources ("" the cluster-wide default, "<id>" one broker) go to
 * the controller like topic ones, and take effect without a restart where Kafka's do.
 * DescribeLogDirs answers from this broker's own replicas and disk.
 */
import { ErrorCode, errorInfo } from '../protocol/errors';
import { ZERO_UUID } from '../protocol/types';
import type { AlterConfigsRequest, AlterConfigsResponseInput } from '../protocol/apis/alter-configs';
import type { CreatePartitionsRequest, CreatePartitionsResponseInput } from '../protocol/apis/create-partitions';
import type { CreateTopicsRequest, CreateTopicsResponseInput } from '../protocol/apis/create-topics';
import type { DescribeLogDirsRequest, DescribeLogDirsResponseInput } from '../protocol/apis/describe-log-dirs';
import type { DeleteTopicsRequest, DeleteTopicsResponseInput } from '../protocol/apis/delete-topics';
import type { DescribeConfigsRequest, DescribeConfigsResponseInput } from '../protocol/apis/describe-configs';
import type { IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponseInput } from '../protocol/apis/incremental-alter-configs';
import type * as M from '../cluster/messages';
import type { MetadataImage } from '../cluster/metadata-image';
import { effectiveTopicConfig } from '../cluster/log-adapter';
import { replicaLogDirEntries } from '../cluster/log-dirs';
import { describeTopicConfig } from '../storage/topic-config';
import { brokerConfigDef, describeBrokerConfigs, topicConfigBrokerSynonyms, type BrokerConfigType } from '../cluster/broker-configs';
import { ConfigSource, ConfigTypeId, ResourceType, topicIdToUuid, uuidToTopicId, type WireContext } from './context';

const MAX_ADMIN_WAIT_MS = 60_000;

const TYPE_IDS: Record<BrokerConfigType, number> = { SHORT: ConfigTypeId.SHORT, INT: ConfigTypeId.INT, LONG: ConfigTypeId.LONG, DOUBLE: ConfigTypeId.DOUBLE, BOOLEAN: ConfigTypeId.BOOLEAN, STRING: ConfigTypeId.STRING, LIST: ConfigTypeId.LIST };

/** Sends a request to the controller (null: it did not answer). */
export function controller<T extends { errorCode: number }>(ctx: WireContext, req: M.ControllerRequest): Promise<T | null> {
  return new Promise((resolve) => ctx.broker.controllerRequest<T>(req, resolve));
}

/** Resolves when this broker's metadata satisfies `pred`, or at the timeout (capped). */
export function waitForImage(ctx: WireContext, pred: (img: MetadataImage) => boolean, timeoutMs: number): Promise<void> {
  const deadline = ctx.clock.monotonicMs() + Math.max(0, Math.min(timeoutMs, MAX_ADMIN_WAIT_MS));
  return new Promise((resolve) => {
    const check = () => {
      if (pred(ctx.broker.image) || ctx.clock.monotonicMs() >= deadline) return resolve();
      ctx.clock.setTimer(10, check);
    };
    check();
  });
}

// ------------------------------------------------------------------ topics

export async function handleCreateTopics(ctx: WireContext, version: number, req: CreateTopicsRequest): Promise<CreateTopicsResponseInput> {
  const topics: M.NewTopic[] = req.topics.map((t) => ({
    name: t.name,
    numPartitions: t.assignments.length > 0 ? -1 : t.numPartitions,
    replicationFactor: t.assignments.length > 0 ? -1 : t.replicationFactor,
    assignments: t.assignments.length > 0 ? [...t.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex).map((a) => [...a.brokerIds]) : null,
    configs: Object.fromEntries(t.configs.filter((c) => c.value !== null).map((c) => [c.name, c.value as string])),
  }));
  const r = await controller<M.CreateTopicsResponse>(ctx, { type: 'create-topics', topics, validateOnly: req.validateOnly });
  if (!r) {
    return { throttleTimeMs: 0, topics: req.topics.map((t) => ({ name: t.name, errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: 'The controller did not answer.', numPartitions: -1, replicationFactor: -1, configs: null })) };
  }
  const created = r.results.filter((x) => x.errorCode === ErrorCode.NONE).map((x) => x.name);
  if (!req.validateOnly && created.length > 0 && req.timeoutMs > 0) {
    await waitForImage(ctx, (img) => created.every((n) => img.topics.has(n)), req.timeoutMs);
  }
  return {
    throttleTimeMs: 0,
    topics: r.results.map((x) => {
      const ok = x.errorCode === ErrorCode.NONE;
      const cfg = ok && version >= 5 ? describeForTopic(ctx, x.configs).map((c) => ({ name: c.name, value: c.value, readOnly: false, configSource: c.source, isSensitive: false })) : null;
      return {
        name: x.name,
        topicId: version >= 7 && x.topicId ? topicIdToUuid(x.topicId) : undefined,
        errorCode: x.errorCode,
        errorMessage: version >= 1 ? x.errorMessage : null,
        numPartitions: version >= 5 && ok ? x.numPartitions : -1,
        replicationFactor: version >= 5 && ok ? x.replicationFactor : -1,
        configs: version >= 5 ? cfg : null,
      };
    }),
  };
}

/** One answer of DeleteTopics before its version's fields are chosen. */
interface DeleteTopicAnswer {
  name: string | null;
  /** Stored (base64url) topic id, or null for the zero UUID. */
  topicId: string | null;
  errorCode: number;
  errorMessage: string | null;
}

/**
 * DeleteTopics, checked as Kafka's controller checks it (ControllerApis.deleteTopics):
 * v6 names each topic by name or by id, never both (INVALID_REQUEST) and never neither
 * (INVALID_REQUEST); a name or id given twice is answered once, INVALID_REQUEST; an id no
 * topic has is UNKNOWN_TOPIC_ID; a name that maps to an id also given is INVALID_REQUEST;
 * what remains goes to the controller, which answers unknown names
 * UNKNOWN_TOPIC_OR_PARTITION. Every answer carries the topic's id from v6 on.
 */
export async function handleDeleteTopics(ctx: WireContext, version: number, req: DeleteTopicsRequest): Promise<DeleteTopicsResponseInput> {
  const image = ctx.broker.image;
  const answers: DeleteTopicAnswer[] = [];
  const invalid = (name: string | null, topicId: string | null, message: string) => answers.push({ name, topicId, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: message });
  const names = new UniqueRefs<string>();
  const ids = new UniqueRefs<string>();
  if (version >= 6) {
    for (const t of req.topics) {
      const id = t.topicId === ZERO_UUID ? null : uuidToTopicId(t.topicId);
      if (t.name === null && id === null) invalid(null, null, 'Neither topic name nor id were specified.');
      else if (t.name === null) ids.add(id!);
      else if (id === null) names.add(t.name);
      else invalid(t.name, id, 'You may not specify both topic name and topic id.');
    }
  } else {
    for (const n of req.topicNames) names.add(n);
  }
  for (const n of names.duplicates) invalid(n, null, 'Duplicate topic name.');
  for (const id of ids.duplicates) invalid(null, id, 'Duplicate topic id.');

  const byId = new Map([...image.topics.values()].map((t) => [t.topicId, t.name]));
  const idToName = new Map<string, string>();
  for (const id of ids.unique) {
    const name = byId.get(id);
    if (name === undefined) answers.push({ name: null, topicId: id, errorCode: ErrorCode.UNKNOWN_TOPIC_ID, errorMessage: errorInfo(ErrorCode.UNKNOWN_TOPIC_ID)!.description });
    else idToName.set(id, name);
  }
  const toDelete = new Set(idToName.values());
  for (const name of names.unique) {
    const id = image.topics.get(name)?.topicId;
    if (id !== undefined && (ids.duplicates.has(id) || idToName.has(id))) {
      idToName.delete(id);
      toDelete.delete(name);
      invalid(name, id, 'The provided topic name maps to an ID that was already supplied.');
    } else toDelete.add(name);
  }

  const pending = [...toDelete];
  const r = pending.length > 0 ? await controller<M.DeleteTopicsResponse>(ctx, { type: 'delete-topics', names: pending }) : { errorCode: ErrorCode.NONE, results: [] };
  const deleted = (r?.results ?? []).filter((x) => x.errorCode === ErrorCode.NONE).map((x) => x.name);
  if (deleted.length > 0 && req.timeoutMs > 0) await waitForImage(ctx, (img) => deleted.every((n) => !img.topics.has(n)), req.timeoutMs);
  for (const name of pending) {
    const x = r?.results.find((y) => y.name === name);
    answers.push({
      name,
      topicId: x?.topicId ?? image.topics.get(name)?.topicId ?? null,
      errorCode: x ? x.errorCode : ErrorCode.REQUEST_TIMED_OUT,
      errorMessage: x ? x.errorMessage : 'The controller did not answer.',
    });
  }
  return {
    throttleTimeMs: 0,
    responses: answers.map((a) => ({
      name: version >= 6 ? a.name : (a.name ?? ''),
      topicId: version >= 6 && a.topicId !== null ? topicIdToUuid(a.topicId) : ZERO_UUID,
      errorCode: a.errorCode,
      errorMessage: version >= 5 ? a.errorMessage : null,
    })),
  };
}

/** References given in a request: those given once, and those given more than once. */
class UniqueRefs<T> {
  readonly unique = new Set<T>();
  readonly duplicates = new Set<T>();

  add(ref: T): void {
    if (this.duplicates.has(ref)) return;
    if (this.unique.delete(ref)) this.duplicates.add(ref);
    else this.unique.add(ref);
  }
}

export async function handleCreatePartitions(ctx: WireContext, _version: number, req: CreatePartitionsRequest): Promise<CreatePartitionsResponseInput> {
  const r = await controller<M.CreatePartitionsResponse>(ctx, {
    type: 'create-partitions',
    validateOnly: req.validateOnly,
    topics: req.topics.map((t) => ({ name: t.name, count: t.count, assignments: t.assignments ? t.assignments.map((a) => [...a.brokerIds]) : null })),
  });
  const grown = (r?.results ?? []).filter((x) => x.errorCode === ErrorCode.NONE).map((x) => ({ name: x.name, count: req.topics.find((t) => t.name === x.name)!.count }));
  if (!req.validateOnly && grown.length > 0 && req.timeoutMs > 0) {
    await waitForImage(ctx, (img) => grown.every((g) => (img.topics.get(g.name)?.partitions.length ?? 0) >= g.count), req.timeoutMs);
  }
  return {
    throttleTimeMs: 0,
    results: req.topics.map((t) => {
      const x = r?.results.find((y) => y.name === t.name);
      return { name: t.name, errorCode: x ? x.errorCode : ErrorCode.REQUEST_TIMED_OUT, errorMessage: x ? x.errorMessage : 'The controller did not answer.' };
    }),
  };
}

// ------------------------------------------------------------------ configs

interface ConfigEntry {
  name: string;
  value: string | null;
  source: number;
  type: BrokerConfigType;
  doc: string;
  synonyms: { name: string; value: string | null; source: number }[];
}

function describeForTopic(ctx: WireContext, topicConfigs: Readonly<Record<string, string>>): ConfigEntry[] {
  const broker = ctx.broker;
  const effective = effectiveTopicConfig(broker.topicDefaults, topicConfigs);
  return describeTopicConfig(effective).map((c) => {
    const onTopic = Object.prototype.hasOwnProperty.call(topicConfigs, c.name);
    const fromBroker = topicConfigBrokerSynonyms(ctx.config, broker.image.brokerConfigs, broker.id, c.name).map((s) => ({ name: s.name, value: s.value, source: ConfigSource[s.source] }));
    const synonyms: ConfigEntry['synonyms'] = [...(onTopic ? [{ name: c.name, value: c.value, source: ConfigSource.DYNAMIC_TOPIC_CONFIG }] : []), ...fromBroker];
    const source = onTopic ? ConfigSource.DYNAMIC_TOPIC_CONFIG : (fromBroker[0]?.source ?? ConfigSource.DEFAULT_CONFIG);
    return { name: c.name, value: c.value, source, type: c.type, doc: c.doc, synonyms };
  });
}

/** A broker resource's configs: every config for a broker id, the dynamic defaults that are set for "". */
function describeForBroker(ctx: WireContext, resource: string): ConfigEntry[] {
  return describeBrokerConfigs(ctx.config, ctx.broker.image.brokerConfigs, resource).map((e) => ({
    name: e.name,
    value: e.value,
    source: ConfigSource[e.source],
    type: e.type,
    doc: `${e.doc} Update mode: ${e.mode}.`,
    synonyms: e.synonyms.map((s) => ({ name: s.name, value: s.value, source: ConfigSource[s.source] })),
  }));
}

export function handleDescribeConfigs(ctx: WireContext, version: number, req: DescribeConfigsRequest): DescribeConfigsResponseInput {
  const image = ctx.broker.image;
  return {
    throttleTimeMs: 0,
    results: req.resources.map((r) => {
      let entries: ConfigEntry[] | null = null;
      let error: { code: number; message: string } | null = null;
      if (r.resourceType === ResourceType.TOPIC) {
        const t = image.topics.get(r.resourceName);
        if (!t) error = { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `Topic '${r.resourceName}' does not exist.` };
        else entries = describeForTopic(ctx, t.configs);
      } else if (r.resourceType === ResourceType.BROKER) {
        const id = Number(r.resourceName);
        if (r.resourceName !== '' && !(/^\d+$/.test(r.resourceName) && image.liveBrokers.some((b) => b.id === id))) {
          error = { code: ErrorCode.INVALID_REQUEST, message: `Broker ${r.resourceName} is not a live broker of this cluster.` };
        } else entries = describeForBroker(ctx, r.resourceName === '' ? '' : String(id));
      } else {
        error = { code: ErrorCode.INVALID_REQUEST, message: `Config resources of type ${r.resourceType} are not supported; use topics (2) or brokers (4).` };
      }
      const keys = r.configurationKeys;
      const chosen = (entries ?? []).filter((e) => keys === null || keys.includes(e.name));
      return {
        errorCode: error ? error.code : ErrorCode.NONE,
        errorMessage: error ? error.message : null,
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        configs: chosen.map((e) => ({
          name: e.name,
          value: e.value,
          readOnly: r.resourceType === ResourceType.BROKER && brokerConfigDef(ctx.config.brokerCount, e.name)?.mode !== 'cluster-wide',
          isDefault: version === 0 ? e.source === ConfigSource.DEFAULT_CONFIG : false,
          configSource: version >= 1 ? e.source : -1,
          isSensitive: false,
          synonyms: version >= 1 && req.includeSynonyms ? e.synonyms : [],
          configType: version >= 3 ? (TYPE_IDS[e.type] ?? ConfigTypeId.UNKNOWN) : 0,
          documentation: version >= 3 && req.includeDocumentation ? e.doc : null,
        })),
      };
    }),
  };
}

async function alter(ctx: WireContext, mode: 'replace' | 'incremental', validateOnly: boolean, resources: { resourceType: number; resourceName: string; ops: M.ConfigOp[] }[]) {
  const topicResources = resources.filter((r) => r.resourceType === ResourceType.TOPIC);
  const brokerResources = resources.filter((r) => r.resourceType === ResourceType.BROKER);
  // What this broker shows now, to wait below until its metadata has the change.
  const before = new Map(topicResources.map((x) => [x.resourceName, ctx.broker.image.topics.get(x.resourceName)?.configs]));
  const brokerConfigsBefore = ctx.broker.image.brokerConfigs;
  const r = topicResources.length > 0
    ? await controller<M.AlterConfigsResponse>(ctx, { type: 'alter-configs', mode, validateOnly, resources: topicResources.map((x) => ({ topic: x.resourceName, ops: x.ops })) })
    : { errorCode: 0, results: [] as M.TopicResult[] };
  const rb = brokerResources.length > 0
    ? await controller<M.AlterBrokerConfigsResponse>(ctx, { type: 'alter-broker-configs', mode, validateOnly, resources: brokerResources.map((x) => ({ resource: x.resourceName, ops: x.ops })) })
    : { errorCode: 0, results: [] as M.AlterBrokerConfigsResponse['results'] };
  const changed = (r?.results ?? []).filter((x) => x.errorCode === ErrorCode.NONE).map((x) => x.name);
  const brokersChanged = (rb?.results ?? []).some((x) => x.errorCode === ErrorCode.NONE);
  if (!validateOnly && (changed.length > 0 || brokersChanged)) {
    await waitForImage(ctx, (img) => changed.every((n) => img.topics.get(n)?.configs !== before.get(n)) && (!brokersChanged || img.brokerConfigs !== brokerConfigsBefore), 5000);
  }
  return resources.map((res) => {
    if (res.resourceType === ResourceType.BROKER) {
      const x = rb?.results.find((y) => y.resource === res.resourceName);
      return {
        errorCode: x ? x.errorCode : ErrorCode.REQUEST_TIMED_OUT,
        errorMessage: x ? x.errorMessage : 'The controller did not answer.',
        resourceType: res.resourceType,
        resourceName: res.resourceName,
      };
    }
    if (res.resourceType !== ResourceType.TOPIC) {
      return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Config resources of type ${res.resourceType} are not supported.`, resourceType: res.resourceType, resourceName: res.resourceName };
    }
    const x = r?.results.find((y) => y.name === res.resourceName);
    return {
      errorCode: x ? x.errorCode : ErrorCode.REQUEST_TIMED_OUT,
      errorMessage: x ? x.errorMessage : 'The controller did not answer.',
      resourceType: res.resourceType,
      resourceName: res.resourceName,
    };
  });
}

export async function handleAlterConfigs(ctx: WireContext, _version: number, req: AlterConfigsRequest): Promise<AlterConfigsResponseInput> {
  const responses = await alter(ctx, 'replace', req.validateOnly, req.resources.map((r) => ({
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    ops: r.configs.filter((c) => c.value !== null).map((c) => ({ key: c.name, op: 'set' as const, value: c.value })),
  })));
  return { throttleTimeMs: 0, responses };
}

const OPS: M.ConfigOp['op'][] = ['set', 'delete', 'append', 'subtract'];

export async function handleIncrementalAlterConfigs(ctx: WireContext, _version: number, req: IncrementalAlterConfigsRequest): Promise<IncrementalAlterConfigsResponseInput> {
  const bad = req.resources.find((r) => r.configs.some((c) => OPS[c.configOperation] === undefined));
  if (bad) {
    return {
      throttleTimeMs: 0,
      responses: req.resources.map((r) => ({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Unknown config operation (use 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT).', resourceType: r.resourceType, resourceName: r.resourceName })),
    };
  }
  const responses = await alter(ctx, 'incremental', req.validateOnly, req.resources.map((r) => ({
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    ops: r.configs.map((c) => ({ key: c.name, op: OPS[c.configOperation], value: c.value })),
  })));
  return { throttleTimeMs: 0, responses };
}

// ------------------------------------------------------------------ log dirs

/**
 * DescribeLogDirs as a broker answers it about itself: its one log directory (the broker's
 * data folder) with every replica it holds, or those of the topics and partitions asked
 * for. Size is the replica's bytes on disk; offsetLag is 0 on the leader and, on a
 * follower, how far its log end is behind the leader's as the last fetch response gave
 * it (cluster/log-dirs.ts). No replica here is a future one (AlterReplicaLogDirs is not implemented). v4 adds
 * the disk's total and usable bytes (-1 when unknown).
 */
export function handleDescribeLogDirs(ctx: WireContext, version: number, req: DescribeLogDirsRequest): DescribeLogDirsResponseInput {
  const wanted = req.topics === null ? null : new Map(req.topics.map((t) => [t.topic, new Set(t.partitions)]));
  const entries = replicaLogDirEntries(ctx.broker, (topic, partition) => wanted === null || wanted.get(topic)?.has(partition) === true);
  const byTopic = new Map<string, { partitionIndex: number; partitionSize: number; offsetLag: number; isFutureKey: boolean }[]>();
  for (const r of entries) {
    const list = byTopic.get(r.topic) ?? [];
    list.push({ partitionIndex: r.partition, partitionSize: r.sizeBytes, offsetLag: r.offsetLag, isFutureKey: false });
    byTopic.set(r.topic, list);
  }
  const space = ctx.broker.diskSpace();
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    results: [{
      errorCode: ctx.broker.replicaManager ? ErrorCode.NONE : ErrorCode.KAFKA_STORAGE_ERROR,
      logDir: ctx.logDir,
      topics: [...byTopic.entries()].map(([name, partitions]) => ({ name, partitions })),
      totalBytes: version >= 4 && space ? space.totalBytes : -1,
      usableBytes: version >= 4 && space ? space.freeBytes : -1,
    }],
  };
}
