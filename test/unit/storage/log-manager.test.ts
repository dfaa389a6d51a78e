import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../engine/storage/errors';
import { LogManager, parseProperties } from '../../../engine/storage/log-manager';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { readWholeFile } from '../../../engine/storage/storage';
import { validateTopicConfigs, type TopicConfig } from '../../../engine/storage/topic-config';
import { ManualClock } from '../../../engine/util/clock';
import { SeededRandom } from '../../../engine/util/random';
import { batchOf, readAll, rec, simpleBatch, T0 } from './helpers';

function setup(configs: Record<string, TopicConfig> = {}) {
  const storage = new MemoryStorage();
  const clock = new ManualClock(T0);
  const open = (seed = 1) =>
    LogManager.open(storage, 'broker-1', clock, {
      clusterId: 'wb-cluster',
      nodeId: 1,
      random: new SeededRandom(seed),
      configFor: (topic) => configs[topic] ?? validateTopicConfigs({}),
    });
  return { storage, clock, open };
}

const file = (storage: MemoryStorage, name: string) => readWholeFile(storage, `broker-1/${name}`).toString('utf8');

describe('LogManager', () => {
  it('writes meta.properties and refuses a data directory of another cluster or node', () => {
    const { storage, clock, open } = setup();
    const mgr = open();
    const props = parseProperties(file(storage, 'meta.properties'));
    expect(props.get('version')).toBe('1');
    expect(props.get('cluster.id')).toBe('wb-cluster');
    expect(props.get('node.id')).toBe('1');
    expect(props.get('directory.id')).toBe(mgr.directoryId);
    expect(mgr.directoryId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    mgr.close();
    expect(() => LogManager.open(storage, 'broker-1', clock, { clusterId: 'other', nodeId: 1 })).toThrow(StorageError);
    expect(() => LogManager.open(storage, 'broker-1', clock, { clusterId: 'wb-cluster', nodeId: 2 })).toThrow(/node 1/);
    expect(open().directoryId).toBe(mgr.directoryId);
  });

  it('creates partition directories named <topic>-<partition> and reopens them', () => {
    const { storage, open } = setup();
    const mgr = open();
    mgr.getOrCreateLog('orders', 0).appendAsLeader(simpleBatch(3), { leaderEpoch: 0 });
    mgr.getOrCreateLog('orders', 1).appendAsLeader(simpleBatch(2), { leaderEpoch: 0 });
    mgr.getOrCreateLog('my-topic.v2', 10).appendAsLeader(simpleBatch(1), { leaderEpoch: 0 });
    expect(storage.list('broker-1').filter((n) => storage.isDirectory(`broker-1/${n}`))).toEqual(['my-topic.v2-10', 'orders-0', 'orders-1']);
    mgr.close();
    const again = open();
    expect(again.allLogs().map((m) => [m.topic, m.partition, m.log.logEndOffset])).toEqual([
      ['my-topic.v2', 10, 1],
      ['orders', 0, 3],
      ['orders', 1, 2],
    ]);
    expect(again.getOrCreateLog('orders', 0)).toBe(again.getLog('orders', 0));
  });

  it('writes Kafka\'s checkpoint files on close, then the clean-shutdown marker, and trusts the logs on reopen', () => {
    const { storage, open } = setup({ compacted: validateTopicConfigs({ 'cleanup.policy': 'compact' }) });
    const mgr = open();
    const a = mgr.getOrCreateLog('orders', 0);
    a.appendAsLeader(simpleBatch(3), { leaderEpoch: 0 });
    a.deleteRecordsBefore(1);
    mgr.getOrCreateLog('compacted', 0).appendAsLeader(batchOf([rec('k', 'v')]), { leaderEpoch: 0 });
    mgr.writeHighWatermarks([{ topic: 'orders', partition: 0, highWatermark: 3 }]);
    mgr.close();
    expect(file(storage, 'recovery-point-offset-checkpoint')).toBe('0\n2\ncompacted 0 1\norders 0 3\n');
    expect(file(storage, 'log-start-offset-checkpoint')).toBe('0\n2\ncompacted 0 0\norders 0 1\n');
    expect(file(storage, 'replication-offset-checkpoint')).toBe('0\n1\norders 0 3\n');
    expect(file(storage, 'cleaner-offset-checkpoint')).toBe('0\n0\n');
    expect(JSON.parse(file(storage, '.kafka_cleanshutdown'))).toEqual({ version: 0, brokerEpoch: -1 });

    const again = open();
    expect(again.hadCleanShutdown).toBe(true);
    expect(storage.exists('broker-1/.kafka_cleanshutdown')).toBe(false); // a crash from now on is unclean
    expect(again.getLog('orders', 0)!.logStartOffset).toBe(1);
    expect(again.getLog('orders', 0)!.openReport.recoveredSegments).toBe(0);
    expect(again.readHighWatermarks()).toEqual([{ topic: 'orders', partition: 0, highWatermark: 3 }]);
  });

  it('recovers from the checkpointed recovery point after an unclean shutdown', () => {
    const { storage, open } = setup({ t: validateTopicConfigs({ 'segment.bytes': '400' }) });
    const mgr = open();
    const log = mgr.getOrCreateLog('t', 0);
    for (let i = 0; i < 10; i++) log.appendAsLeader(simpleBatch(2, `x${i}`), { leaderEpoch: 0 });
    mgr.checkpoint();
    const rp = log.recoveryPoint;
    expect(rp).toBeGreaterThan(0);
    storage.crash(new SeededRandom(3)); // no clean close
    const again = open();
    expect(again.hadCleanShutdown).toBe(false);
    const reopened = again.getLog('t', 0)!;
    expect(reopened.logEndOffset).toBeGreaterThanOrEqual(rp);
    expect(reopened.openReport.recoveredSegments).toBeGreaterThanOrEqual(1);
    expect(readAll(reopened).length).toBe(reopened.logEndOffset);
  });

  it('deletes a log by renaming its directory to <topic>-<partition>.<uuid>-delete, then removing it', () => {
    const { storage, open } = setup();
    const mgr = open();
    mgr.getOrCreateLog('gone', 0).appendAsLeader(simpleBatch(1), { leaderEpoch: 0 });
    const renames: string[] = [];
    const origRename = storage.rename.bind(storage);
    storage.rename = (from, to) => {
      renames.push(to);
      origRename(from, to);
    };
    expect(mgr.deleteLog('gone', 0)).toBe(true);
    expect(renames.some((r) => /^broker-1\/gone-0\.[0-9a-f]{32}-delete$/.test(r))).toBe(true);
    expect(storage.list('broker-1').some((n) => n.startsWith('gone-0'))).toBe(false);
    expect(mgr.getLog('gone', 0)).toBeUndefined();
    expect(mgr.deleteLog('gone', 0)).toBe(false);
  });

  it('finishes an interrupted deletion on the next open', () => {
    const { storage, open } = setup();
    const mgr = open();
    mgr.getOrCreateLog('gone', 0).appendAsLeader(simpleBatch(1), { leaderEpoch: 0 });
    mgr.close();
    storage.rename('broker-1/gone-0', 'broker-1/gone-0.0123456789abcdef0123456789abcdef-delete');
    const again = open();
    expect(again.allLogs()).toEqual([]);
    expect(storage.list('broker-1').some((n) => n.includes('gone'))).toBe(false);
  });

  it('runs retention, the cleaner and flush.ms as periodic tasks with a clock time', async () => {
    const size = simpleBatch(2, 'a').length;
    const { storage, clock, open } = setup({
      deleting: validateTopicConfigs({ 'segment.bytes': String(size), 'retention.ms': '1000' }),
      compacted: validateTopicConfigs({ 'cleanup.policy': 'compact', 'segment.bytes': '200', 'flush.ms': '500' }),
    });
    const mgr = open();
    const del = mgr.getOrCreateLog('deleting', 0);
    for (let i = 0; i < 4; i++) del.appendAsLeader(simpleBatch(2, 'a', T0), { leaderEpoch: 0 });
    const comp = mgr.getOrCreateLog('compacted', 0);
    for (let i = 0; i < 10; i++) comp.appendAsLeader(batchOf([rec('same-key', `v${i}`)]), { leaderEpoch: 0 });

    const retained = mgr.runRetention(T0 + 5000);
    expect(retained.map((r) => [r.topic, r.deleted.length, r.logStartOffset])).toEqual([['deleting', 3, 6]]);

    const cleaned = await mgr.runCleaner(clock.nowMs());
    expect(cleaned.map((c) => [c.topic, c.result.cleaned])).toEqual([['compacted', true]]);
    expect(mgr.cleanerOffset('compacted', 0)).toBe(cleaned[0].result.nextDirtyOffset);
    expect(file(storage, 'cleaner-offset-checkpoint')).toBe(`0\n1\ncompacted 0 ${cleaned[0].result.nextDirtyOffset}\n`);
    expect(mgr.runCleanerSync(clock.nowMs())).toEqual([]); // nothing dirty any more

    comp.appendAsLeader(batchOf([rec('same-key', 'late')]), { leaderEpoch: 0 });
    expect(mgr.flushDue(clock.nowMs() + 100)).toBe(0);
    expect(mgr.flushDue(clock.nowMs() + 600)).toBe(1);
    expect(comp.recoveryPoint).toBe(comp.logEndOffset);
  });

  it('marks a partition whose files cannot be read as offline instead of failing the broker', () => {
    const { storage, open } = setup();
    const mgr = open();
    mgr.getOrCreateLog('ok', 0).appendAsLeader(simpleBatch(1), { leaderEpoch: 0 });
    mgr.getOrCreateLog('bad', 0).appendAsLeader(simpleBatch(1), { leaderEpoch: 0 });
    mgr.close();
    storage.failReads('broker-1/bad-0/00000000000000000000.log');
    const again = open();
    expect(again.allLogs().map((m) => m.topic)).toEqual(['ok']);
    expect(again.offlineLogs().map((o) => [o.topic, o.error.code])).toEqual([['bad', 56]]);
    expect(() => again.getOrCreateLog('bad', 0)).toThrow(StorageError);
    again.close();
    expect(storage.exists('broker-1/.kafka_cleanshutdown')).toBe(false); // not everything closed cleanly
  });
});

describe('LogManager cleaner checkpoints', () => {
  it('lowers a cleaner checkpoint when its log is truncated below it', async () => {
    const { open, clock } = setup({ c: validateTopicConfigs({ 'cleanup.policy': 'compact', 'segment.bytes': '200' }) });
    const mgr = open();
    const log = mgr.getOrCreateLog('c', 0);
    for (let i = 0; i < 10; i++) log.appendAsLeader(batchOf([rec(`k${i % 2}`, `v${i}`)]), { leaderEpoch: 0 });
    await mgr.runCleaner(clock.nowMs());
    const cp = mgr.cleanerOffset('c', 0)!;
    expect(cp).toBeGreaterThan(2);
    log.truncateTo(2);
    for (let i = 0; i < 10; i++) log.appendAsLeader(batchOf([rec(`k${i % 2}`, `again${i}`)]), { leaderEpoch: 1 });
    mgr.checkpoint();
    expect(mgr.cleanerOffset('c', 0)).toBeLessThanOrEqual(2);
    await mgr.runCleaner(clock.nowMs());
    const values = readAll(log).filter((r) => r.offset < log.segments().at(-1)!.baseOffset);
    expect(new Set(values.map((r) => r.key!.toString())).size).toBe(values.length);
  });
});
