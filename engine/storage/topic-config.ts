/**
 * Topic-level configuration: Kafka 3.x names, types, defaults, valid ranges and
 * a one-sentence description of each (the UI shows them), plus validation.
 *
 * Values arrive as strings (as in CreateTopics / AlterConfigs requests; numbers
 * and booleans are accepted too) and are parsed by type:
 *   INT     32-bit signed integer          LONG   64-bit signed integer
 *   DOUBLE  decimal number                 BOOLEAN "true" / "false"
 *   STRING  one of a fixed set             LIST   comma-separated values
 * LONG values are range-checked exactly (BigInt) and then carried as JS numbers;
 * Long.MAX_VALUE (9223372036854775807, "never") becomes a number above every
 * real offset or time, which is all the log needs of it.
 *
 * `validateTopicConfigs(overrides, base)` returns a complete parsed config or
 * throws StorageError INVALID_CONFIG (40) whose sentence names the key, the value
 * and the allowed range. Unknown keys are INVALID_CONFIG too. Nothing is applied
 * when anything is invalid: validation is a pure function.
 *
 * Ranges follow Kafka 3.x's LogConfig (segment.bytes at least 14, the legacy
 * record overhead, as 3.x validates it; 4.0 raised that to 1 MiB).
 */
import { TOPIC_COMPRESSION_TYPES, type TopicCompressionType } from './codec-table';
import { StorageError } from './errors';

export type CleanupPolicy = 'delete' | 'compact';
/** compression.type: Kafka's topic vocabulary of codecs (codec-table.ts). */
export type CompressionTypeName = TopicCompressionType;
export type TimestampTypeName = 'CreateTime' | 'LogAppendTime';

export interface TopicConfig {
  cleanupPolicy: readonly CleanupPolicy[];
  compressionType: CompressionTypeName;
  compressionGzipLevel: number;
  compressionLz4Level: number;
  compressionZstdLevel: number;
  deleteRetentionMs: number;
  fileDeleteDelayMs: number;
  flushMessages: number;
  flushMs: number;
  followerReplicationThrottledReplicas: readonly string[];
  indexIntervalBytes: number;
  leaderReplicationThrottledReplicas: readonly string[];
  localRetentionBytes: number;
  localRetentionMs: number;
  maxCompactionLagMs: number;
  maxMessageBytes: number;
  messageDownconversionEnable: boolean;
  messageFormatVersion: string;
  messageTimestampAfterMaxMs: number;
  messageTimestampBeforeMaxMs: number;
  messageTimestampDifferenceMaxMs: number;
  messageTimestampType: TimestampTypeName;
  minCleanableDirtyRatio: number;
  minCompactionLagMs: number;
  minInsyncReplicas: number;
  preallocate: boolean;
  remoteStorageEnable: boolean;
  retentionBytes: number;
  retentionMs: number;
  segmentBytes: number;
  segmentIndexBytes: number;
  segmentJitterMs: number;
  segmentMs: number;
  uncleanLeaderElectionEnable: boolean;
}

export type ConfigType = 'INT' | 'LONG' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'LIST';

export type ConfigRange =
  | { kind: 'none' }
  | { kind: 'atLeast'; min: bigint | number }
  | { kind: 'between'; min: bigint | number; max: bigint | number }
  | { kind: 'in'; values: readonly string[] }
  | { kind: 'listIn'; values: readonly string[] }
  | { kind: 'levels'; min: number; max: number; also?: number }
  | { kind: 'throttledReplicas' }
  | { kind: 'formatVersion' };

export interface ConfigDef {
  name: string;
  field: keyof TopicConfig;
  type: ConfigType;
  /** Kafka's default, as Kafka prints it. */
  defaultValue: string;
  range: ConfigRange;
  doc: string;
  deprecated?: boolean;
}

export const LONG_MAX = 9223372036854775807n;
const LONG_MAX_STR = '9223372036854775807';
const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const LONG_MIN = -9223372036854775808n;
/** LegacyRecord.RECORD_OVERHEAD_V0: Kafka 3.x's lower bound for segment.bytes. */
const MIN_SEGMENT_BYTES = 14;

const atLeast = (min: bigint | number): ConfigRange => ({ kind: 'atLeast', min });

export const TOPIC_CONFIG_DEFS: readonly ConfigDef[] = [
  {
    name: 'cleanup.policy',
    field: 'cleanupPolicy',
    type: 'LIST',
    defaultValue: 'delete',
    range: { kind: 'listIn', values: ['compact', 'delete'] },
    doc: 'What happens to old log segments: "delete" removes them by age or size, "compact" keeps the latest record per key, and both may be combined.',
  },
  {
    name: 'compression.type',
    field: 'compressionType',
    type: 'STRING',
    defaultValue: 'producer',
    range: { kind: 'in', values: TOPIC_COMPRESSION_TYPES },
    doc: 'The codec batches are stored with; "producer" keeps whatever codec the producer used.',
  },
  {
    name: 'compression.gzip.level',
    field: 'compressionGzipLevel',
    type: 'INT',
    defaultValue: '-1',
    range: { kind: 'levels', min: 1, max: 9, also: -1 },
    doc: 'The gzip level used when the broker recompresses to gzip (-1 means the codec default).',
  },
  {
    name: 'compression.lz4.level',
    field: 'compressionLz4Level',
    type: 'INT',
    defaultValue: '9',
    range: { kind: 'levels', min: 1, max: 17 },
    doc: 'The lz4 level used when the broker recompresses to lz4.',
  },
  {
    name: 'compression.zstd.level',
    field: 'compressionZstdLevel',
    type: 'INT',
    defaultValue: '3',
    range: { kind: 'levels', min: -131072, max: 22 },
    doc: 'The zstd level used when the broker recompresses to zstd.',
  },
  {
    name: 'delete.retention.ms',
    field: 'deleteRetentionMs',
    type: 'LONG',
    defaultValue: '86400000',
    range: atLeast(0),
    doc: 'How long a tombstone (a record with a null value) survives on a compacted topic after its segment was cleaned, so consumers can see the delete.',
  },
  {
    name: 'file.delete.delay.ms',
    field: 'fileDeleteDelayMs',
    type: 'LONG',
    defaultValue: '60000',
    range: atLeast(0),
    doc: 'How long a deleted segment file lingers before it is removed from disk.',
  },
  {
    name: 'flush.messages',
    field: 'flushMessages',
    type: 'LONG',
    defaultValue: LONG_MAX_STR,
    range: atLeast(1),
    doc: 'Force an fsync after this many records; by default Kafka relies on replication and the OS instead.',
  },
  {
    name: 'flush.ms',
    field: 'flushMs',
    type: 'LONG',
    defaultValue: LONG_MAX_STR,
    range: atLeast(0),
    doc: 'Force an fsync when this much time passed since the last one; by default never.',
  },
  {
    name: 'follower.replication.throttled.replicas',
    field: 'followerReplicationThrottledReplicas',
    type: 'LIST',
    defaultValue: '',
    range: { kind: 'throttledReplicas' },
    doc: 'Replicas ("partition:broker" pairs, or "*") whose follower-side replication traffic is throttled.',
  },
  {
    name: 'index.interval.bytes',
    field: 'indexIntervalBytes',
    type: 'INT',
    defaultValue: '4096',
    range: atLeast(0),
    doc: 'How many bytes of log may pass between two offset-index entries; smaller means faster seeks and bigger indexes.',
  },
  {
    name: 'leader.replication.throttled.replicas',
    field: 'leaderReplicationThrottledReplicas',
    type: 'LIST',
    defaultValue: '',
    range: { kind: 'throttledReplicas' },
    doc: 'Replicas ("partition:broker" pairs, or "*") whose leader-side replication traffic is throttled.',
  },
  {
    name: 'local.retention.bytes',
    field: 'localRetentionBytes',
    type: 'LONG',
    defaultValue: '-2',
    range: atLeast(-2),
    doc: 'With tiered storage, the bytes kept on local disk (-2 means use retention.bytes).',
  },
  {
    name: 'local.retention.ms',
    field: 'localRetentionMs',
    type: 'LONG',
    defaultValue: '-2',
    range: atLeast(-2),
    doc: 'With tiered storage, how long segments stay on local disk (-2 means use retention.ms).',
  },
  {
    name: 'max.compaction.lag.ms',
    field: 'maxCompactionLagMs',
    type: 'LONG',
    defaultValue: LONG_MAX_STR,
    range: atLeast(1),
    doc: 'The longest a record may stay uncompacted on a compacted topic before cleaning is forced.',
  },
  {
    name: 'max.message.bytes',
    field: 'maxMessageBytes',
    type: 'INT',
    defaultValue: '1048588',
    range: atLeast(0),
    doc: 'The largest record batch the topic accepts, after compression.',
  },
  {
    name: 'message.downconversion.enable',
    field: 'messageDownconversionEnable',
    type: 'BOOLEAN',
    defaultValue: 'true',
    range: { kind: 'none' },
    doc: 'Whether old consumers may be served batches converted to an older format.',
    deprecated: true,
  },
  {
    name: 'message.format.version',
    field: 'messageFormatVersion',
    type: 'STRING',
    defaultValue: '3.0-IV1',
    range: { kind: 'formatVersion' },
    doc: 'Deprecated: the record format version; every batch is stored as RecordBatch v2 regardless.',
    deprecated: true,
  },
  {
    name: 'message.timestamp.after.max.ms',
    field: 'messageTimestampAfterMaxMs',
    type: 'LONG',
    defaultValue: LONG_MAX_STR,
    range: atLeast(0),
    doc: 'How far in the future (relative to the broker clock) a CreateTime timestamp may be.',
  },
  {
    name: 'message.timestamp.before.max.ms',
    field: 'messageTimestampBeforeMaxMs',
    type: 'LONG',
    defaultValue: LONG_MAX_STR,
    range: atLeast(0),
    doc: 'How far in the past (relative to the broker clock) a CreateTime timestamp may be.',
  },
  {
    name: 'message.timestamp.difference.max.ms',
    field: 'messageTimestampDifferenceMaxMs',
    type: 'LONG',
    defaultValue: LONG_MAX_STR,
    range: atLeast(0),
    doc: 'Deprecated: the largest difference allowed between a CreateTime timestamp and the broker clock.',
    deprecated: true,
  },
  {
    name: 'message.timestamp.type',
    field: 'messageTimestampType',
    type: 'STRING',
    defaultValue: 'CreateTime',
    range: { kind: 'in', values: ['CreateTime', 'LogAppendTime'] },
    doc: 'Whether a record keeps the timestamp its producer set (CreateTime) or gets the broker time of the append (LogAppendTime).',
  },
  {
    name: 'min.cleanable.dirty.ratio',
    field: 'minCleanableDirtyRatio',
    type: 'DOUBLE',
    defaultValue: '0.5',
    range: { kind: 'between', min: 0, max: 1 },
    doc: 'How much of a compacted log must be uncleaned (dirty) before the cleaner rewrites it.',
  },
  {
    name: 'min.compaction.lag.ms',
    field: 'minCompactionLagMs',
    type: 'LONG',
    defaultValue: '0',
    range: atLeast(0),
    doc: 'The least time a record stays uncompacted, so consumers can still see every update for a while.',
  },
  {
    name: 'min.insync.replicas',
    field: 'minInsyncReplicas',
    type: 'INT',
    defaultValue: '1',
    range: atLeast(1),
    doc: 'With acks=all, how many in-sync replicas must have a write before it is acknowledged.',
  },
  {
    name: 'preallocate',
    field: 'preallocate',
    type: 'BOOLEAN',
    defaultValue: 'false',
    range: { kind: 'none' },
    doc: 'Whether a new segment file is allocated at full size up front.',
  },
  {
    name: 'remote.storage.enable',
    field: 'remoteStorageEnable',
    type: 'BOOLEAN',
    defaultValue: 'false',
    range: { kind: 'none' },
    doc: 'Whether old segments are moved to remote (tiered) storage; not available in the workbench.',
  },
  {
    name: 'retention.bytes',
    field: 'retentionBytes',
    type: 'LONG',
    defaultValue: '-1',
    range: { kind: 'none' },
    doc: 'The most bytes a partition keeps before its oldest segments are deleted; -1 means no size limit.',
  },
  {
    name: 'retention.ms',
    field: 'retentionMs',
    type: 'LONG',
    defaultValue: '604800000',
    range: atLeast(-1),
    doc: 'How long a segment is kept after its newest record before it is deleted; -1 means forever.',
  },
  {
    name: 'segment.bytes',
    field: 'segmentBytes',
    type: 'INT',
    defaultValue: '1073741824',
    range: atLeast(MIN_SEGMENT_BYTES),
    doc: 'The size at which the active segment file is closed and a new one started.',
  },
  {
    name: 'segment.index.bytes',
    field: 'segmentIndexBytes',
    type: 'INT',
    defaultValue: '10485760',
    range: atLeast(4),
    doc: 'The largest an offset or time index may grow; a full index also starts a new segment.',
  },
  {
    name: 'segment.jitter.ms',
    field: 'segmentJitterMs',
    type: 'LONG',
    defaultValue: '0',
    range: atLeast(0),
    doc: 'A random amount subtracted from segment.ms per segment, so partitions do not all roll at once.',
  },
  {
    name: 'segment.ms',
    field: 'segmentMs',
    type: 'LONG',
    defaultValue: '604800000',
    range: atLeast(1),
    doc: 'The age at which the active segment is closed and a new one started, even if it is not full.',
  },
  {
    name: 'unclean.leader.election.enable',
    field: 'uncleanLeaderElectionEnable',
    type: 'BOOLEAN',
    defaultValue: 'false',
    range: { kind: 'none' },
    doc: 'Whether a replica outside the in-sync set may become leader, trading lost records for availability.',
  },
];

const DEFS_BY_NAME = new Map(TOPIC_CONFIG_DEFS.map((d) => [d.name, d]));

export function topicConfigDef(name: string): ConfigDef | undefined {
  return DEFS_BY_NAME.get(name);
}

function invalidConfig(message: string): StorageError {
  return new StorageError('INVALID_CONFIG', message);
}

/** A range as a person reads it ("at least 1", "one of delete, compact"). */
export function describeRange(r: ConfigRange): string {
  switch (r.kind) {
    case 'none':
      return 'any value of its type';
    case 'atLeast':
      return `at least ${r.min}`;
    case 'between':
      return `between ${r.min} and ${r.max}`;
    case 'in':
      return `one of ${r.values.join(', ')}`;
    case 'listIn':
      return `a comma-separated list of ${r.values.join(', ')}`;
    case 'levels':
      return `between ${r.min} and ${r.max}${r.also !== undefined ? ` (or ${r.also})` : ''}`;
    case 'throttledReplicas':
      return 'a list of partition:broker pairs, or *';
    case 'formatVersion':
      return 'a Kafka version such as 3.0-IV1';
  }
}

type Parsed = number | boolean | string | string[];

/** What parsing one value needs of its definition (topic and broker configs share it). */
export type ValueDef = Pick<ConfigDef, 'name' | 'type' | 'range'>;

/**
 * Parses and range-checks one value; throws INVALID_CONFIG whose sentence names the
 * config, the value and the allowed range.
 */
export function parseConfigValue(def: ValueDef, raw: string): Parsed {
  return parseValue(def, raw);
}

function parseValue(def: ValueDef, raw: string): Parsed {
  const bad = (why: string) => invalidConfig(`Invalid value ${JSON.stringify(raw)} for configuration ${def.name}: ${why}.`);
  const value = raw.trim();
  switch (def.type) {
    case 'INT':
    case 'LONG': {
      if (!/^[-+]?\d+$/.test(value)) throw bad(`expected a whole number, ${describeRange(def.range)}`);
      const n = BigInt(value);
      const [lo, hi] = def.type === 'INT' ? [INT_MIN, INT_MAX] : [LONG_MIN, LONG_MAX];
      if (n < lo || n > hi) throw bad(`it does not fit a ${def.type === 'INT' ? '32' : '64'}-bit integer`);
      checkNumericRange(def, n, bad);
      return Number(n);
    }
    case 'DOUBLE': {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n)) throw bad(`expected a number, ${describeRange(def.range)}`);
      checkNumericRange(def, n, bad);
      return n;
    }
    case 'BOOLEAN': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw bad('expected true or false');
      return v === 'true';
    }
    case 'STRING': {
      if (def.range.kind === 'in') {
        if (!def.range.values.includes(value)) throw bad(`expected ${describeRange(def.range)}`);
      } else if (def.range.kind === 'formatVersion') {
        if (!/^\d+\.\d+(\.\d+)?(-IV\d+)?$/.test(value)) throw bad(`expected ${describeRange(def.range)}`);
      }
      return value;
    }
    case 'LIST': {
      const items = value === '' ? [] : value.split(',').map((s) => s.trim());
      if (def.range.kind === 'listIn') {
        const allowed = def.range.values;
        if (items.length === 0) throw bad(`expected ${describeRange(def.range)}`);
        for (const item of items) {
          if (!allowed.includes(item.toLowerCase())) throw bad(`${JSON.stringify(item)} is not ${describeRange(def.range)}`);
        }
        return [...new Set(items.map((i) => i.toLowerCase()))];
      }
      if (def.range.kind === 'throttledReplicas') {
        const ok = (items.length === 1 && items[0] === '*') || items.every((i) => /^\d+:\d+$/.test(i));
        if (!ok) throw bad(`expected ${describeRange(def.range)}`);
      }
      return items;
    }
  }
}

function checkNumericRange(def: ValueDef, n: bigint | number, bad: (why: string) => StorageError): void {
  const r = def.range;
  // Integer types compare exactly as BigInt; DOUBLE compares as numbers.
  const cmp = (a: bigint | number, b: bigint | number): number => {
    if (typeof a === 'bigint') {
      const bb = BigInt(b);
      return a < bb ? -1 : a > bb ? 1 : 0;
    }
    const bn = Number(b);
    return a < bn ? -1 : a > bn ? 1 : 0;
  };
  const ok =
    r.kind === 'atLeast'
      ? cmp(n, r.min) >= 0
      : r.kind === 'between'
        ? cmp(n, r.min) >= 0 && cmp(n, r.max) <= 0
        : r.kind === 'levels'
          ? (cmp(n, r.min) >= 0 && cmp(n, r.max) <= 0) || (r.also !== undefined && cmp(n, r.also) === 0)
          : true;
  if (!ok) throw bad(`value must be ${describeRange(r)}`);
}

function buildDefaults(): TopicConfig {
  const out: Record<string, Parsed> = {};
  for (const def of TOPIC_CONFIG_DEFS) out[def.field] = parseValue(def, def.defaultValue);
  return out as unknown as TopicConfig;
}

/** Kafka's defaults for every topic config. */
export const DEFAULT_TOPIC_CONFIG: Readonly<TopicConfig> = Object.freeze(buildDefaults());

export function defaultTopicConfig(): TopicConfig {
  return { ...DEFAULT_TOPIC_CONFIG };
}

export type ConfigInput = Readonly<Record<string, string | number | boolean | null | undefined>>;

/**
 * Parses `overrides` on top of `base` (Kafka's defaults unless given). Throws
 * INVALID_CONFIG naming the first bad key; returns a new config otherwise.
 * A null/undefined value means "back to the base value".
 */
export function validateTopicConfigs(overrides: ConfigInput, base: Readonly<TopicConfig> = DEFAULT_TOPIC_CONFIG): TopicConfig {
  const out: Record<string, Parsed | readonly string[]> = { ...base };
  for (const [name, raw] of Object.entries(overrides)) {
    const def = DEFS_BY_NAME.get(name);
    if (!def) throw invalidConfig(`Unknown topic config name: ${name}.`);
    if (raw === null || raw === undefined) continue;
    out[def.field] = parseValue(def, String(raw));
  }
  const cfg = out as unknown as TopicConfig;
  if (cfg.minCompactionLagMs > cfg.maxCompactionLagMs) {
    throw invalidConfig(
      `Invalid configuration: min.compaction.lag.ms (${cfg.minCompactionLagMs}) must not be greater than max.compaction.lag.ms (${formatLong(cfg.maxCompactionLagMs)}).`,
    );
  }
  if (cfg.remoteStorageEnable) {
    throw invalidConfig('Invalid value "true" for configuration remote.storage.enable: tiered storage is not available in this cluster.');
  }
  return cfg;
}

/** Kafka's printed form of a long (Long.MAX_VALUE prints as 9223372036854775807). */
export function formatLong(n: number): string {
  return n >= 9223372036854775807 ? LONG_MAX_STR : String(n);
}

/** The value of one config as Kafka prints it. */
export function formatConfigValue(def: ConfigDef, cfg: Readonly<TopicConfig>): string {
  const v = cfg[def.field] as Parsed | readonly string[];
  if (Array.isArray(v)) return v.join(',');
  if (def.type === 'LONG') return formatLong(v as number);
  return String(v);
}

export interface DescribedConfig {
  name: string;
  value: string;
  type: ConfigType;
  isDefault: boolean;
  defaultValue: string;
  allowed: string;
  doc: string;
  deprecated: boolean;
}

/** Every config with its current value, for DescribeConfigs and the UI. */
export function describeTopicConfig(cfg: Readonly<TopicConfig>): DescribedConfig[] {
  return TOPIC_CONFIG_DEFS.map((def) => {
    const value = formatConfigValue(def, cfg);
    return {
      name: def.name,
      value,
      type: def.type,
      isDefault: value === formatConfigValue(def, DEFAULT_TOPIC_CONFIG),
      defaultValue: def.defaultValue,
      allowed: describeRange(def.range),
      doc: def.doc,
      deprecated: def.deprecated ?? false,
    };
  });
}

export function isCompacted(cfg: Readonly<TopicConfig>): boolean {
  return cfg.cleanupPolicy.includes('compact');
}

export function isDeleteRetained(cfg: Readonly<TopicConfig>): boolean {
  return cfg.cleanupPolicy.includes('delete');
}

/** segment.ms as the log applies it: capped by max.compaction.lag.ms on compacted topics. */
export function maxSegmentMs(cfg: Readonly<TopicConfig>): number {
  return isCompacted(cfg) && cfg.maxCompactionLagMs > 0 ? Math.min(cfg.maxCompactionLagMs, cfg.segmentMs) : cfg.segmentMs;
}
