import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../engine/storage/errors';
import {
  DEFAULT_TOPIC_CONFIG,
  TOPIC_CONFIG_DEFS,
  describeTopicConfig,
  maxSegmentMs,
  validateTopicConfigs,
} from '../../../engine/storage/topic-config';

function invalid(overrides: Record<string, string>): StorageError {
  try {
    validateTopicConfigs(overrides);
  } catch (e) {
    expect(e).toBeInstanceOf(StorageError);
    expect((e as StorageError).code).toBe(40);
    expect((e as StorageError).errorName).toBe('INVALID_CONFIG');
    return e as StorageError;
  }
  throw new Error(`expected INVALID_CONFIG for ${JSON.stringify(overrides)}`);
}

describe('topic configs', () => {
  it('has Kafka 3.x defaults', () => {
    expect(DEFAULT_TOPIC_CONFIG).toMatchObject({
      cleanupPolicy: ['delete'],
      compressionType: 'producer',
      deleteRetentionMs: 86_400_000,
      fileDeleteDelayMs: 60_000,
      indexIntervalBytes: 4096,
      maxMessageBytes: 1_048_588,
      messageTimestampType: 'CreateTime',
      minCleanableDirtyRatio: 0.5,
      minCompactionLagMs: 0,
      minInsyncReplicas: 1,
      preallocate: false,
      retentionBytes: -1,
      retentionMs: 604_800_000,
      segmentBytes: 1_073_741_824,
      segmentIndexBytes: 10_485_760,
      segmentJitterMs: 0,
      segmentMs: 604_800_000,
      uncleanLeaderElectionEnable: false,
    });
    // Long.MAX_VALUE defaults mean "never".
    expect(DEFAULT_TOPIC_CONFIG.flushMessages).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(DEFAULT_TOPIC_CONFIG.flushMs).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(DEFAULT_TOPIC_CONFIG.maxCompactionLagMs).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
  });

  it('describes every config with a sentence, its type, default and allowed values', () => {
    const described = describeTopicConfig(DEFAULT_TOPIC_CONFIG);
    expect(described.length).toBe(TOPIC_CONFIG_DEFS.length);
    for (const d of described) {
      expect(d.doc.length).toBeGreaterThan(20);
      expect(d.doc.trim().endsWith('.')).toBe(true);
      expect(d.isDefault).toBe(true);
      expect(d.value).toBe(d.defaultValue);
    }
    const names = described.map((d) => d.name);
    for (const n of ['cleanup.policy', 'compression.type', 'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms', 'index.interval.bytes', 'max.compaction.lag.ms', 'max.message.bytes', 'message.timestamp.type', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms', 'min.insync.replicas', 'retention.bytes', 'retention.ms', 'segment.bytes', 'segment.index.bytes', 'segment.jitter.ms', 'segment.ms', 'unclean.leader.election.enable', 'preallocate', 'message.timestamp.difference.max.ms']) {
      expect(names).toContain(n);
    }
    expect(described.find((d) => d.name === 'flush.ms')!.value).toBe('9223372036854775807');
  });

  it('parses valid overrides by type (strings, numbers, booleans, lists)', () => {
    const cfg = validateTopicConfigs({
      'cleanup.policy': 'compact, delete',
      'retention.ms': -1,
      'min.cleanable.dirty.ratio': '0.25',
      'unclean.leader.election.enable': 'TRUE',
      'segment.bytes': '14',
      'message.timestamp.type': 'LogAppendTime',
      'leader.replication.throttled.replicas': '0:1,1:2',
      'flush.messages': '9223372036854775807',
    });
    expect(cfg).toMatchObject({
      cleanupPolicy: ['compact', 'delete'],
      retentionMs: -1,
      minCleanableDirtyRatio: 0.25,
      uncleanLeaderElectionEnable: true,
      segmentBytes: 14,
      messageTimestampType: 'LogAppendTime',
      leaderReplicationThrottledReplicas: ['0:1', '1:2'],
    });
    expect(describeTopicConfig(cfg).find((d) => d.name === 'segment.bytes')).toMatchObject({ value: '14', isDefault: false });
  });

  it('refuses out-of-range values with INVALID_CONFIG naming key, value and range', () => {
    expect(invalid({ 'segment.bytes': '13' }).message).toBe('Invalid value "13" for configuration segment.bytes: value must be at least 14.');
    expect(invalid({ 'retention.ms': '-2' }).message).toMatch(/retention\.ms.*at least -1/);
    expect(invalid({ 'min.cleanable.dirty.ratio': '1.5' }).message).toMatch(/min\.cleanable\.dirty\.ratio.*between 0 and 1/);
    expect(invalid({ 'max.message.bytes': '2147483648' }).message).toMatch(/32-bit/);
    expect(invalid({ 'segment.ms': '0' }).message).toMatch(/segment\.ms/);
    expect(invalid({ 'min.insync.replicas': '0' }).message).toMatch(/min\.insync\.replicas/);
  });

  it('refuses values of the wrong type or outside a fixed set', () => {
    expect(invalid({ 'retention.ms': 'forever' }).message).toMatch(/whole number/);
    expect(invalid({ 'retention.ms': '1.5' }).message).toMatch(/whole number/);
    expect(invalid({ preallocate: 'yes' }).message).toMatch(/true or false/);
    expect(invalid({ 'cleanup.policy': 'compact,archive' }).message).toMatch(/"archive"/);
    expect(invalid({ 'cleanup.policy': '' }).message).toMatch(/cleanup\.policy/);
    expect(invalid({ 'compression.type': 'brotli' }).message).toMatch(/uncompressed, zstd, lz4, snappy, gzip, producer/);
    expect(invalid({ 'message.timestamp.type': 'createtime' }).message).toMatch(/CreateTime, LogAppendTime/);
    expect(invalid({ 'follower.replication.throttled.replicas': 'all' }).message).toMatch(/partition:broker/);
  });

  it('refuses unknown keys and contradictory combinations', () => {
    expect(invalid({ 'retention.hours': '1' }).message).toBe('Unknown topic config name: retention.hours.');
    expect(invalid({ 'min.compaction.lag.ms': '10', 'max.compaction.lag.ms': '5' }).message).toMatch(/min\.compaction\.lag\.ms \(10\).*max\.compaction\.lag\.ms \(5\)/);
    expect(invalid({ 'remote.storage.enable': 'true' }).message).toMatch(/tiered storage/);
  });

  it('changes nothing when refused: the base config is untouched and nothing partial is returned', () => {
    const base = validateTopicConfigs({ 'retention.ms': '1000' });
    const snapshot = JSON.stringify(base);
    expect(() => validateTopicConfigs({ 'retention.ms': '5', 'segment.bytes': '1' }, base)).toThrow(StorageError);
    expect(JSON.stringify(base)).toBe(snapshot);
    expect(JSON.stringify(DEFAULT_TOPIC_CONFIG)).toBe(JSON.stringify(validateTopicConfigs({})));
    // Overrides layer on a base; null resets a key to the base value.
    const next = validateTopicConfigs({ 'segment.ms': '1000', 'retention.ms': null }, base);
    expect([next.segmentMs, next.retentionMs]).toEqual([1000, 1000]);
  });

  it('caps segment.ms by max.compaction.lag.ms on compacted topics, as Kafka does', () => {
    expect(maxSegmentMs(validateTopicConfigs({ 'cleanup.policy': 'compact', 'max.compaction.lag.ms': '5000' }))).toBe(5000);
    expect(maxSegmentMs(validateTopicConfigs({ 'max.compaction.lag.ms': '5000' }))).toBe(604_800_000);
  });
});
