/**
 * Broker configs as Kafka users know them: the catalogue of every broker-level setting
 * the workbench has a knob for (Kafka's name, type, valid range, update mode and a
 * one-sentence doc), parsing of the static settings a cluster starts with
 * (`--config KEY=VALUE`, `--config-file server.properties`), validation of dynamic
 * changes (AlterConfigs / IncrementalAlterConfigs on BROKER resources) and Kafka's
 * order of precedence when a value is looked up:
 *
 *   DYNAMIC_BROKER_CONFIG (resource "<id>") > DYNAMIC_DEFAULT_BROKER_CONFIG (resource "")
 *     > STATIC_BROKER_CONFIG (the start flags) > DEFAULT_CONFIG
 *
 * Two kinds of broker config:
 * - cluster settings (num.partitions, default.replication.factor, the group session
 *   bounds, replication timings, …) set a ClusterConfig field; read-only as in Kafka:
 *   they are given when the cluster starts.
 * - log settings (log.retention.ms, log.segment.bytes, message.max.bytes,
 *   min.insync.replicas, unclean.leader.election.enable, …) are the broker-level
 *   synonyms of topic configs (Kafka's TopicConfigSynonyms): the value every topic
 *   without its own override gets. They are "cluster-wide" in Kafka: a dynamic default
 *   or per-broker value takes effect at once, without a restart. Coarser units
 *   (log.retention.hours / .minutes, log.roll.hours, log.roll.jitter.hours) are static
 *   only; the finer unit wins when several are given, as in Kafka.
 *
 * Dynamic values are stored by broker config name in the metadata image
 * (`MetadataImage.brokerConfigs`: '' for the cluster-wide default, the broker id for one
 * broker) and persisted by the metadata store.
 *
 * Invariants: every stored value, static or dynamic, parsed under its definition; the
 * functions here are pure, so a refused change changes nothing.
 */
import { StorageError } from '../storage/errors';
import {
  TOPIC_CONFIG_DEFS, describeRange, parseConfigValue, validateTopicConfigs,
  type ConfigRange, type ConfigType,
} from '../storage/topic-config';
import { MAX_PARTITIONS_PER_TOPIC, defaultClusterConfig, type ClusterConfig } from './config';
import type { ConfigOp } from './messages';

export type BrokerConfigMode = 'read-only' | 'cluster-wide';
export type BrokerConfigSource = 'DYNAMIC_BROKER_CONFIG' | 'DYNAMIC_DEFAULT_BROKER_CONFIG' | 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG';
export type BrokerConfigType = ConfigType | 'SHORT';

/** Dynamic broker configs by resource ('' = cluster-wide default, '<id>' = one broker), then by config name. */
export type DynamicBrokerConfigs = Readonly<Record<string, Readonly<Record<string, string>>>>;
export const DEFAULT_BROKER_RESOURCE = '';
export const NO_DYNAMIC_BROKER_CONFIGS: DynamicBrokerConfigs = Object.freeze({});

/** Numeric and boolean ClusterConfig fields a broker config may set. */
type ClusterField =
  | 'numPartitions' | 'defaultReplicationFactor' | 'autoCreateTopicsEnable' | 'offsetsTopicReplicationFactor'
  | 'groupMinSessionTimeoutMs' | 'groupMaxSessionTimeoutMs' | 'groupInitialRebalanceDelayMs'
  | 'replicaLagTimeMaxMs' | 'brokerSessionTimeoutMs' | 'brokerHeartbeatIntervalMs' | 'replicaFetchWaitMaxMs'
  | 'replicaFetchMaxBytes' | 'replicaFetchResponseMaxBytes' | 'replicaFetchBackoffMs' | 'autoLeaderRebalanceEnable'
  | 'leaderImbalanceCheckIntervalMs' | 'logRetentionCheckIntervalMs' | 'logCleanerBackoffMs' | 'highWatermarkCheckpointIntervalMs';

export interface BrokerConfigDef {
  name: string;
  type: BrokerConfigType;
  range: ConfigRange;
  mode: BrokerConfigMode;
  doc: string;
  /** Cluster settings: the ClusterConfig field it sets, and the field's unit per config unit (seconds → ms: 1000). */
  field?: ClusterField;
  fieldScale?: number;
  /** Log settings: the topic config whose default it is, and how many of the topic's unit one of its units is. */
  topic?: string;
  topicScale?: number;
  /** Names of the same setting in precedence order (log.retention.ms, .minutes, .hours), itself included. */
  synonyms: readonly string[];
}

/** Kafka's broker-level synonym of each topic config (LogConfig's TopicConfigSynonyms). */
export const TOPIC_CONFIG_BROKER_SYNONYMS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'log.cleanup.policy',
  'compression.type': 'compression.type',
  'compression.gzip.level': 'compression.gzip.level',
  'compression.lz4.level': 'compression.lz4.level',
  'compression.zstd.level': 'compression.zstd.level',
  'delete.retention.ms': 'log.cleaner.delete.retention.ms',
  'file.delete.delay.ms': 'log.segment.delete.delay.ms',
  'flush.messages': 'log.flush.interval.messages',
  'flush.ms': 'log.flush.interval.ms',
  'index.interval.bytes': 'log.index.interval.bytes',
  'local.retention.bytes': 'log.local.retention.bytes',
  'local.retention.ms': 'log.local.retention.ms',
  'max.compaction.lag.ms': 'log.cleaner.max.compaction.lag.ms',
  'max.message.bytes': 'message.max.bytes',
  'message.downconversion.enable': 'log.message.downconversion.enable',
  'message.format.version': 'log.message.format.version',
  'message.timestamp.after.max.ms': 'log.message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms': 'log.message.timestamp.before.max.ms',
  'message.timestamp.difference.max.ms': 'log.message.timestamp.difference.max.ms',
  'message.timestamp.type': 'log.message.timestamp.type',
  'min.cleanable.dirty.ratio': 'log.cleaner.min.cleanable.ratio',
  'min.compaction.lag.ms': 'log.cleaner.min.compaction.lag.ms',
  'min.insync.replicas': 'min.insync.replicas',
  preallocate: 'log.preallocate',
  'remote.storage.enable': 'remote.log.storage.system.enable',
  'retention.bytes': 'log.retention.bytes',
  'retention.ms': 'log.retention.ms',
  'segment.bytes': 'log.segment.bytes',
  'segment.index.bytes': 'log.index.size.max.bytes',
  'segment.jitter.ms': 'log.roll.jitter.ms',
  'segment.ms': 'log.roll.ms',
  'unclean.leader.election.enable': 'unclean.leader.election.enable',
};

/** Coarser static forms of a millisecond log setting, finest first (KafkaConfig's hours/minutes configs). */
const COARSER_FORMS: Readonly<Record<string, readonly { name: string; scale: number; defaultValue: string | null }[]>> = {
  'log.retention.ms': [
    { name: 'log.retention.minutes', scale: 60_000, defaultValue: null },
    { name: 'log.retention.hours', scale: 3_600_000, defaultValue: '168' },
  ],
  'log.roll.ms': [{ name: 'log.roll.hours', scale: 3_600_000, defaultValue: '168' }],
  'log.roll.jitter.ms': [{ name: 'log.roll.jitter.hours', scale: 3_600_000, defaultValue: '0' }],
};

/** Log settings Kafka does not let change at run time. */
const READ_ONLY_LOG_SETTINGS = new Set(['log.message.format.version', 'remote.log.storage.system.enable']);

/** Largest delay a timer can be armed with (Node clamps longer ones to 1 ms). */
const TIMER_MAX_MS = 2_147_483_647;

const between = (min: number, max: number): ConfigRange => ({ kind: 'between', min, max });
const atLeast = (min: number): ConfigRange => ({ kind: 'atLeast', min });

function clusterDefs(brokerCount: number): BrokerConfigDef[] {
  const d = (name: string, type: BrokerConfigType, range: ConfigRange, field: ClusterField, doc: string, fieldScale?: number): BrokerConfigDef =>
    ({ name, type, range, mode: 'read-only', doc, field, fieldScale, synonyms: [name] });
  return [
    d('num.partitions', 'INT', between(1, MAX_PARTITIONS_PER_TOPIC), 'numPartitions', 'How many partitions an auto-created topic gets (and a created one that does not say).'),
    d('default.replication.factor', 'INT', between(1, brokerCount), 'defaultReplicationFactor', 'How many replicas each partition of an auto-created topic gets (and of a created one that does not say).'),
    d('auto.create.topics.enable', 'BOOLEAN', { kind: 'none' }, 'autoCreateTopicsEnable', 'Whether a topic is created when a client first asks for it (Metadata, or producing to it).'),
    d('offsets.topic.replication.factor', 'SHORT', between(1, brokerCount), 'offsetsTopicReplicationFactor', 'Replication factor of __consumer_offsets, where committed offsets live (capped at the brokers alive when it is created).'),
    d('group.min.session.timeout.ms', 'INT', atLeast(0), 'groupMinSessionTimeoutMs', 'The shortest session timeout a consumer may ask for.'),
    d('group.max.session.timeout.ms', 'INT', atLeast(0), 'groupMaxSessionTimeoutMs', 'The longest session timeout a consumer may ask for.'),
    d('group.initial.rebalance.delay.ms', 'INT', atLeast(0), 'groupInitialRebalanceDelayMs', 'How long a new group waits for more members before its first rebalance.'),
    d('replica.lag.time.max.ms', 'LONG', between(1, TIMER_MAX_MS), 'replicaLagTimeMaxMs', 'How long a follower may go without catching up before it leaves the ISR (Kafka 30000; workbench 10000).'),
    d('broker.session.timeout.ms', 'INT', between(1, TIMER_MAX_MS), 'brokerSessionTimeoutMs', 'How long a broker may go without a heartbeat before the controller fences it (Kafka 9000; workbench 3000).'),
    d('broker.heartbeat.interval.ms', 'INT', between(1, TIMER_MAX_MS), 'brokerHeartbeatIntervalMs', 'How often a broker sends the controller a heartbeat (Kafka 2000; workbench 300).'),
    d('replica.fetch.wait.max.ms', 'INT', between(0, TIMER_MAX_MS), 'replicaFetchWaitMaxMs', 'How long a follower\'s fetch waits at the leader for new records.'),
    d('replica.fetch.max.bytes', 'INT', atLeast(0), 'replicaFetchMaxBytes', 'How many bytes a follower fetches per partition at most (one batch is always fetched).'),
    d('replica.fetch.response.max.bytes', 'INT', atLeast(0), 'replicaFetchResponseMaxBytes', 'How many bytes a follower\'s whole fetch response may hold.'),
    d('replica.fetch.backoff.ms', 'INT', between(0, TIMER_MAX_MS), 'replicaFetchBackoffMs', 'How long a follower waits after a failed fetch.'),
    d('auto.leader.rebalance.enable', 'BOOLEAN', { kind: 'none' }, 'autoLeaderRebalanceEnable', 'Whether leadership moves back to each partition\'s preferred replica when it is in sync again.'),
    d('leader.imbalance.check.interval.seconds', 'LONG', between(1, Math.floor(TIMER_MAX_MS / 1000)), 'leaderImbalanceCheckIntervalMs', 'How often the controller checks for leaders away from their preferred replica (Kafka 300; workbench 5).', 1000),
    d('log.retention.check.interval.ms', 'LONG', between(1, TIMER_MAX_MS), 'logRetentionCheckIntervalMs', 'How often each broker looks for segments to delete (Kafka 300000; workbench 5000).'),
    d('log.cleaner.backoff.ms', 'LONG', between(0, TIMER_MAX_MS), 'logCleanerBackoffMs', 'How long the cleaner sleeps when no log needs compacting (Kafka 15000; workbench 2000).'),
    d('replica.high.watermark.checkpoint.interval.ms', 'LONG', between(1, TIMER_MAX_MS), 'highWatermarkCheckpointIntervalMs', 'How often each broker writes its high watermarks to disk.'),
  ];
}

function logDefs(): BrokerConfigDef[] {
  const out: BrokerConfigDef[] = [];
  for (const t of TOPIC_CONFIG_DEFS) {
    const name = TOPIC_CONFIG_BROKER_SYNONYMS[t.name];
    if (!name) continue;
    const coarser = COARSER_FORMS[name] ?? [];
    const mode: BrokerConfigMode = READ_ONLY_LOG_SETTINGS.has(name) ? 'read-only' : 'cluster-wide';
    const unset = coarser.length > 0 ? ` Not set by default: then ${coarser[coarser.length - 1].name} decides.` : '';
    out.push({ name, type: t.type, range: t.range, mode, doc: `${t.doc}${unset}`, topic: t.name, topicScale: 1, synonyms: [name, ...coarser.map((c) => c.name)] });
    for (const [i, c] of coarser.entries()) {
      out.push({
        name: c.name, type: 'INT', range: { kind: 'none' }, mode: 'read-only', topic: t.name, topicScale: c.scale,
        doc: `${t.doc} In ${c.scale === 60_000 ? 'minutes' : 'hours'}; ${name} wins when both are set.`,
        synonyms: coarser.slice(i).map((x) => x.name),
      });
    }
  }
  return out;
}

const CATALOGUES = new Map<number, { defs: readonly BrokerConfigDef[]; byName: ReadonlyMap<string, BrokerConfigDef> }>();

function catalogue(brokerCount: number): { defs: readonly BrokerConfigDef[]; byName: ReadonlyMap<string, BrokerConfigDef> } {
  let c = CATALOGUES.get(brokerCount);
  if (!c) {
    const defs = [...clusterDefs(brokerCount), ...logDefs()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    c = { defs, byName: new Map(defs.map((d) => [d.name, d])) };
    CATALOGUES.set(brokerCount, c);
  }
  return c;
}

/** Every broker config the workbench knows, sorted by name. */
export function brokerConfigDefs(brokerCount: number): readonly BrokerConfigDef[] {
  return catalogue(brokerCount).defs;
}

export function brokerConfigDef(brokerCount: number, name: string): BrokerConfigDef | undefined {
  return catalogue(brokerCount).byName.get(name);
}

/** A broker config that cannot be taken: `code` is Kafka's error name for it in AlterConfigs. */
export class BrokerConfigError extends Error {
  override name = 'BrokerConfigError';
  constructor(message: string, readonly code: 'INVALID_CONFIG' | 'INVALID_REQUEST' = 'INVALID_CONFIG') {
    super(message);
  }
}

function allowedOf(def: BrokerConfigDef): string {
  if (def.type === 'BOOLEAN') return 'true or false';
  return describeRange(def.range);
}

/** Parses one value under its definition; the error names the config, the value and the valid range. */
function parseOne(def: BrokerConfigDef, raw: string): number | boolean | string | string[] {
  try {
    return parseConfigValue({ name: def.name, type: def.type === 'SHORT' ? 'INT' : def.type, range: def.range }, raw);
  } catch (err) {
    if (err instanceof StorageError) throw new BrokerConfigError(err.message.replace('for configuration', 'for broker config'));
    throw err;
  }
}

function unknownConfig(name: string, brokerCount: number): BrokerConfigError {
  const near = brokerConfigDefs(brokerCount).map((d) => d.name).filter((n) => n.includes(name) || name.includes(n) || sharedWords(n, name) >= 2);
  const hint = near.length > 0 ? ` Did you mean ${near.slice(0, 3).join(', ')}?` : '';
  return new BrokerConfigError(`Unknown broker config "${name}".${hint} The broker configs this cluster knows are listed in the README (Broker configuration) and in the Broker configs panel.`);
}

function sharedWords(a: string, b: string): number {
  const words = new Set(a.split('.'));
  return b.split('.').filter((w) => words.has(w)).length;
}

/**
 * The static broker settings of `npm run serve -- --config K=V …` / `--config-file`, in
 * the order given (a later one of the same name wins), as ClusterConfig overrides:
 * cluster fields, `topicDefaults` for log settings, and `staticBrokerConfigs` holding
 * every setting as given (for DescribeConfigs). Throws BrokerConfigError on the first
 * unknown name or bad value, or when two settings contradict each other.
 */
export function parseStaticBrokerConfigs(entries: readonly (readonly [string, string])[], brokerCount: number): Partial<ClusterConfig> {
  const given = new Map<string, string>();
  for (const [rawName, rawValue] of entries) {
    const name = rawName.trim();
    const def = brokerConfigDef(brokerCount, name);
    if (!def) throw unknownConfig(name, brokerCount);
    parseOne(def, rawValue);
    given.set(name, rawValue.trim());
  }
  const overrides: Partial<ClusterConfig> = {};
  const fields = overrides as Record<string, number | boolean>;
  for (const [name, value] of given) {
    const def = brokerConfigDef(brokerCount, name)!;
    if (def.field) {
      const v = parseOne(def, value);
      fields[def.field] = typeof v === 'number' ? v * (def.fieldScale ?? 1) : (v as boolean);
    }
  }
  const topicDefaults = topicValuesOf(brokerCount, Object.fromEntries(given));
  checkTopicDefaults(topicDefaults, 'static broker configs');
  const base = defaultClusterConfig({ brokerCount, ...overrides });
  if (base.groupMinSessionTimeoutMs > base.groupMaxSessionTimeoutMs) {
    throw new BrokerConfigError(`group.min.session.timeout.ms (${base.groupMinSessionTimeoutMs}) must not be greater than group.max.session.timeout.ms (${base.groupMaxSessionTimeoutMs}).`);
  }
  if (base.brokerHeartbeatIntervalMs >= base.brokerSessionTimeoutMs) {
    throw new BrokerConfigError(`broker.heartbeat.interval.ms (${base.brokerHeartbeatIntervalMs}) must be less than broker.session.timeout.ms (${base.brokerSessionTimeoutMs}).`);
  }
  if (base.replicaFetchWaitMaxMs > base.replicaLagTimeMaxMs) {
    throw new BrokerConfigError(`replica.fetch.wait.max.ms (${base.replicaFetchWaitMaxMs}) must not be greater than replica.lag.time.max.ms (${base.replicaLagTimeMaxMs}), or followers would drop out of the ISR while waiting.`);
  }
  return { ...overrides, topicDefaults, staticBrokerConfigs: Object.fromEntries(given) };
}

/**
 * Log settings among broker configs, as topic config values (by topic config name).
 * Of several forms of one setting the finest unit wins (log.retention.ms over
 * .minutes over .hours).
 */
function topicValuesOf(brokerCount: number, configs: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const rank = new Map<string, number>();
  for (const [name, value] of Object.entries(configs)) {
    const def = brokerConfigDef(brokerCount, name);
    if (!def?.topic) continue;
    const scale = def.topicScale ?? 1;
    if ((rank.get(def.topic) ?? Infinity) < scale) continue;
    rank.set(def.topic, scale);
    if (scale === 1) out[def.topic] = value;
    else {
      const n = Number(value) * scale;
      out[def.topic] = String(n < 0 ? -1 : n);
    }
  }
  return out;
}

function checkTopicDefaults(topicDefaults: Record<string, string>, what: string): void {
  try {
    validateTopicConfigs(topicDefaults);
  } catch (err) {
    if (err instanceof StorageError) throw new BrokerConfigError(`The ${what} contradict each other: ${err.message}`);
    throw err;
  }
}

/**
 * The topic config defaults in effect on a broker: Kafka's, then the static log
 * settings, then the cluster-wide dynamic defaults, then this broker's own dynamic ones
 * (`brokerId` null: the cluster-wide view).
 */
export function effectiveTopicDefaults(config: ClusterConfig, dynamic: DynamicBrokerConfigs, brokerId: number | null): Record<string, string> {
  const out: Record<string, string> = { ...config.topicDefaults };
  const layers = [dynamic[DEFAULT_BROKER_RESOURCE], brokerId === null ? undefined : dynamic[String(brokerId)]];
  for (const layer of layers) if (layer) Object.assign(out, topicValuesOf(config.brokerCount, layer));
  return out;
}

/**
 * Applies AlterConfigs ('replace': the resource's dynamic configs become exactly the
 * ones set) or IncrementalAlterConfigs ops to one broker resource's dynamic configs.
 * Returns the new set, or throws BrokerConfigError: INVALID_REQUEST for a read-only
 * config (Kafka: "Cannot update these configs dynamically"), INVALID_CONFIG for an
 * unknown name, a bad value or a combination the topics could not take.
 */
export function alterDynamicBrokerConfigs(
  config: ClusterConfig,
  dynamic: DynamicBrokerConfigs,
  resource: string,
  mode: 'replace' | 'incremental',
  ops: readonly ConfigOp[],
): Record<string, string> {
  const n = config.brokerCount;
  const next: Record<string, string> = mode === 'replace' ? {} : { ...(dynamic[resource] ?? {}) };
  const readOnly: string[] = [];
  for (const op of ops) {
    const def = brokerConfigDef(n, op.key);
    if (!def) throw unknownConfig(op.key, n);
    if (def.mode === 'read-only') {
      readOnly.push(op.key);
      continue;
    }
    if (op.op === 'delete') {
      delete next[op.key];
      continue;
    }
    if (op.value === null) throw new BrokerConfigError(`Broker config ${op.key} needs a value; use DELETE to go back to the static or default value.`);
    if (op.op === 'set') {
      parseOne(def, op.value);
      next[op.key] = op.value.trim();
      continue;
    }
    if (def.type !== 'LIST') throw new BrokerConfigError(`Broker config ${op.key} is not a list; ${op.op.toUpperCase()} applies only to list configs.`);
    const current = (next[op.key] ?? lookup(config, dynamic, resource, def)?.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const items = op.value.split(',').map((s) => s.trim()).filter(Boolean);
    const list = op.op === 'append' ? [...current, ...items.filter((i) => !current.includes(i))] : current.filter((c) => !items.includes(c));
    parseOne(def, list.join(','));
    next[op.key] = list.join(',');
  }
  if (readOnly.length > 0) {
    throw new BrokerConfigError(
      `Cannot update these configs dynamically: ${readOnly.join(', ')}. They are read-only, as in Kafka: set them when the cluster starts (npm run serve -- --config ${readOnly[0]}=VALUE).`,
      'INVALID_REQUEST',
    );
  }
  const after = { ...dynamic, [resource]: next };
  const brokers = resource === DEFAULT_BROKER_RESOURCE ? Array.from({ length: n }, (_, i) => i + 1) : [Number(resource)];
  for (const b of brokers) checkTopicDefaults(effectiveTopicDefaults(config, after, b), `broker configs of broker ${b}`);
  return next;
}

export interface BrokerConfigSynonym {
  name: string;
  value: string | null;
  source: BrokerConfigSource;
}

export interface BrokerConfigEntry {
  name: string;
  /** The value in effect, in this config's unit; null when it has none (log.retention.minutes unset). */
  value: string | null;
  source: BrokerConfigSource;
  mode: BrokerConfigMode;
  type: BrokerConfigType;
  /** The workbench's default (Kafka's, or the workbench's shorter timing where marked in the doc). */
  defaultValue: string | null;
  allowed: string;
  doc: string;
  /** Every place a value of this setting comes from, highest precedence first (Kafka's synonyms). */
  synonyms: BrokerConfigSynonym[];
}

/** The default value of one config on a fresh cluster of this size. */
function defaultValueOf(brokerCount: number, def: BrokerConfigDef): string | null {
  if (def.field) {
    const v = defaultClusterConfig({ brokerCount })[def.field];
    return typeof v === 'number' ? String(v / (def.fieldScale ?? 1)) : String(v);
  }
  const coarse = Object.values(COARSER_FORMS).flat().find((c) => c.name === def.name);
  if (coarse) return coarse.defaultValue;
  if (COARSER_FORMS[def.name]) return null; // log.retention.ms etc.: unset, the hours form decides
  return TOPIC_CONFIG_DEFS.find((t) => t.name === def.topic)?.defaultValue ?? null;
}

/** The static value of one config: as given at start, or (for tests and hosts) a ClusterConfig that differs from the default. */
function staticValueOf(config: ClusterConfig, def: BrokerConfigDef): string | null {
  const given = config.staticBrokerConfigs[def.name];
  if (given !== undefined) return given;
  if (def.field) {
    const v = config[def.field];
    const text = typeof v === 'number' ? String(v / (def.fieldScale ?? 1)) : String(v);
    return text !== defaultValueOf(config.brokerCount, def) ? text : null;
  }
  // A log setting given to the engine directly as a topic default (tests, hosts) counts
  // as static, unless one of its forms was given by name (then that form is the source).
  if (def.topic && (def.topicScale ?? 1) === 1 && !hasAnyForm(config, def)) return config.topicDefaults[def.topic] ?? null;
  return null;
}

function hasAnyForm(config: ClusterConfig, def: BrokerConfigDef): boolean {
  return def.synonyms.some((s) => config.staticBrokerConfigs[s] !== undefined);
}

/** Every source of one setting, highest precedence first. */
function synonymsOf(config: ClusterConfig, dynamic: DynamicBrokerConfigs, resource: string, def: BrokerConfigDef): BrokerConfigSynonym[] {
  const out: BrokerConfigSynonym[] = [];
  const n = config.brokerCount;
  for (const name of def.synonyms) {
    const sdef = brokerConfigDef(n, name)!;
    if (resource !== DEFAULT_BROKER_RESOURCE) {
      const own = dynamic[resource]?.[name];
      if (own !== undefined) out.push({ name, value: own, source: 'DYNAMIC_BROKER_CONFIG' });
    }
    const dflt = dynamic[DEFAULT_BROKER_RESOURCE]?.[name];
    if (dflt !== undefined) out.push({ name, value: dflt, source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
    const stat = staticValueOf(config, sdef);
    if (stat !== null) out.push({ name, value: stat, source: 'STATIC_BROKER_CONFIG' });
    const def0 = defaultValueOf(n, sdef);
    if (def0 !== null) out.push({ name, value: def0, source: 'DEFAULT_CONFIG' });
  }
  return out;
}

/** The value in effect for `def` and where it comes from, converted into def's unit. */
function lookup(config: ClusterConfig, dynamic: DynamicBrokerConfigs, resource: string, def: BrokerConfigDef): BrokerConfigSynonym | undefined {
  const first = synonymsOf(config, dynamic, resource, def)[0];
  if (!first || first.name === def.name || first.value === null) return first;
  const from = brokerConfigDef(config.brokerCount, first.name)!;
  const ms = Number(first.value) * (from.topicScale ?? 1);
  const value = ms < 0 ? -1 : Math.floor(ms / (def.topicScale ?? 1));
  return { ...first, value: String(value) };
}

function entryOf(config: ClusterConfig, dynamic: DynamicBrokerConfigs, resource: string, def: BrokerConfigDef): BrokerConfigEntry {
  const found = lookup(config, dynamic, resource, def);
  return {
    name: def.name,
    value: found?.value ?? null,
    source: found?.source ?? 'DEFAULT_CONFIG',
    mode: def.mode,
    type: def.type,
    defaultValue: defaultValueOf(config.brokerCount, def),
    allowed: allowedOf(def),
    doc: def.doc,
    synonyms: synonymsOf(config, dynamic, resource, def),
  };
}

/**
 * DescribeConfigs of a broker resource, as Kafka answers it: for a broker id every
 * config with its value in effect and source; for the default resource ('') only the
 * cluster-wide dynamic defaults that are set.
 */
export function describeBrokerConfigs(config: ClusterConfig, dynamic: DynamicBrokerConfigs, resource: string): BrokerConfigEntry[] {
  const defs = brokerConfigDefs(config.brokerCount);
  if (resource === DEFAULT_BROKER_RESOURCE) {
    const set = dynamic[DEFAULT_BROKER_RESOURCE] ?? {};
    return defs.filter((d) => set[d.name] !== undefined).map((d) => {
      const value = set[d.name]!;
      return { ...entryOf(config, dynamic, resource, d), value, source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' as const, synonyms: [{ name: d.name, value, source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' as const }] };
    });
  }
  return defs.map((d) => entryOf(config, dynamic, resource, d));
}

/**
 * The broker-level synonyms of a topic config on one broker (after the topic's own
 * value, which the caller adds): what DescribeConfigs of a topic lists, and whether the
 * value in effect comes from a broker config at all (the first synonym's source).
 */
export function topicConfigBrokerSynonyms(config: ClusterConfig, dynamic: DynamicBrokerConfigs, brokerId: number, topicConfig: string): BrokerConfigSynonym[] {
  const name = TOPIC_CONFIG_BROKER_SYNONYMS[topicConfig];
  const def = name ? brokerConfigDef(config.brokerCount, name) : undefined;
  if (!def) return [];
  return synonymsOf(config, dynamic, String(brokerId), def);
}
