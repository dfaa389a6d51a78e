/**
 * The renderer's histories (renderer/src/store/metrics.ts): what the event feed says of
 * the engine's journal events (a leader move, an ISR shrinking and growing back, a
 * broker dying, a replica truncating its log); that a page that opens late shows what
 * happened before, and then follows the journal by the snapshot's position; and that
 * every ring stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { ClusterEventsResult, ClusterEventView, ClusterSnapshot, PartitionView, TopicView } from '../../../engine/api/contract';
import { RING_CAPACITY, partitionHistory, recentEvents, startHistory } from '../../../renderer/src/store/metrics';

/** The engine's journal as clusterEvents answers it: positions are indexes into `log`. */
function journal(log: ClusterEventView[], asked: (number | null)[] = []) {
  return async (after: number | null): Promise<ClusterEventsResult> => {
    asked.push(after);
    return { position: log.length, events: log.slice(after ?? 0), omitted: 0 };
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function partition(p: number, leader: number | null, isr: number[], epoch: number, leo = 0): PartitionView {
  return { partition: p, leader, replicas: [1, 2, 3], isr, leaderEpoch: epoch, logStartOffset: 0, highWatermark: leo, logEndOffset: leo, replicaLogEndOffsets: { 1: leo, 2: leo, 3: leo }, addingReplicas: [], removingReplicas: [] };
}

function topic(name: string, partitions: PartitionView[], internal = false): TopicView {
  return { name, internal, replicationFactor: 3, configs: {}, partitionCount: partitions.length, partitions, sizeBytes: 0, underReplicated: 0, offline: 0 };
}

let seq = 0;
function snapshot(topics: TopicView[], states: ('up' | 'killed')[] = ['up', 'up', 'up'], controllerId = 1, journalPosition = 0, clusterId = 'c'): ClusterSnapshot {
  return {
    seq: ++seq,
    clusterId,
    controllerId,
    brokers: states.map((state, i) => ({ id: i + 1, state, host: '127.0.0.1', port: 9092 + i, listening: state === 'up', listenerError: null, partitionsLed: 0, internalPartitionsLed: 0, failure: null, disk: null, replicaBytes: 0 })),
    topics,
    metadataProblem: null,
    metrics: {
      brokerRates: [],
      topicMessagesPerS: {},
      totals: { bytesIn: 0, messagesIn: 0, bytesOutToConsumers: 0, bytesOutToFollowers: 0 },
      storageSeq: 0,
      journalPosition,
    },
    records: {
      load: { running: false, settings: null, startedAtMs: null, sentRecords: 0, ackedRecords: 0, failedRecords: 0, lastError: null, recordsPerS: 0, bytesPerS: 0, readBack: null },
      jobs: [],
    },
    groups: { groups: [], groupsOmitted: 0, consumers: [], lagSeq: 0 },
    lessons: { active: null, completedSteps: {}, learnFirst: false },
  };
}

describe('renderer histories', () => {
  it("puts the engine's journal in words, newest first, including what happened before the page opened", async () => {
    const store = createStore<{ snapshot: ClusterSnapshot | null }>(() => ({ snapshot: null }));
    // A failover the engine recorded before this page opened.
    const log: ClusterEventView[] = [
      { kind: 'topic-created', atMs: 1000, topic: 'orders' },
      { kind: 'broker-state', atMs: 2000, brokerId: 2, from: 'up', to: 'killed' },
      { kind: 'leader-change', atMs: 2100, topic: 'orders', partition: 0, from: 2, to: 1, leaderEpoch: 1 },
      { kind: 'isr-change', atMs: 2100, topic: 'orders', partition: 0, before: [2, 1, 3], after: [1, 3] },
      { kind: 'leader-change', atMs: 2100, topic: '__consumer_offsets', partition: 7, from: 2, to: 3, leaderEpoch: 1 },
    ];
    const asked: (number | null)[] = [];
    const stop = startHistory(store, journal(log, asked));
    const orders = topic('orders', [partition(0, 1, [1, 3], 1)]);
    store.setState({ snapshot: snapshot([orders], ['up', 'killed', 'up'], 1, log.length) });
    await settle();
    expect(recentEvents().map((e) => e.text)).toEqual([
      'orders-0: broker 2 left the ISR (ISR now 1, 3)',
      'orders-0: leader 2 → 1, epoch 1',
      'Broker 2: up → killed',
      'Topic orders created: 1 partitions, replication factor 3',
    ]);
    expect(recentEvents()[1].t).toBe(2.1);

    // The broker comes back: the snapshot's position moves and only what is new is asked for.
    log.push(
      { kind: 'broker-state', atMs: 3000, brokerId: 2, from: 'killed', to: 'up' },
      { kind: 'controller-change', atMs: 3000, from: 1, to: 3 },
      { kind: 'isr-change', atMs: 3500, topic: 'orders', partition: 0, before: [1, 3], after: [1, 3, 2] },
    );
    store.setState({ snapshot: snapshot([orders], ['up', 'up', 'up'], 3, log.length) });
    await settle();
    // The same position again asks for nothing.
    store.setState({ snapshot: snapshot([orders], ['up', 'up', 'up'], 3, log.length) });
    await settle();
    stop();
    expect(asked).toEqual([null, 5]);
    expect(recentEvents().slice(0, 3).map((e) => e.text)).toEqual([
      'orders-0: broker 2 caught up and joined the ISR (ISR now 1, 3, 2)',
      'Controller: 1 → 3',
      'Broker 2: killed → up',
    ]);
    expect(recentEvents().some((e) => e.text.includes('__consumer_offsets'))).toBe(false);
  });

  it('starts over with a new cluster (the engine restarted on another data dir)', async () => {
    const store = createStore<{ snapshot: ClusterSnapshot | null }>(() => ({ snapshot: null }));
    const first: ClusterEventView[] = [{ kind: 'topic-created', atMs: 1, topic: 'old' }];
    const second: ClusterEventView[] = [{ kind: 'topic-created', atMs: 2, topic: 'new' }];
    let current = first;
    const stop = startHistory(store, (after) => journal(current)(after));
    store.setState({ snapshot: snapshot([], undefined, 1, 1, 'a') });
    await settle();
    current = second;
    store.setState({ snapshot: snapshot([], undefined, 1, 1, 'b') });
    await settle();
    stop();
    expect(recentEvents().map((e) => e.text)).toEqual(['Topic new created']);
  });

  it('starts over when the engine restarted on the same data dir (its journal position went back)', async () => {
    const store = createStore<{ snapshot: ClusterSnapshot | null }>(() => ({ snapshot: null }));
    let log: ClusterEventView[] = [
      { kind: 'topic-created', atMs: 1, topic: 'a' },
      { kind: 'topic-created', atMs: 2, topic: 'b' },
      { kind: 'topic-created', atMs: 3, topic: 'c' },
    ];
    const asked: (number | null)[] = [];
    const stop = startHistory(store, (after) => journal(log, asked)(after));
    store.setState({ snapshot: snapshot([], undefined, 1, 3, 'same') });
    await settle();
    log = [{ kind: 'broker-state', atMs: 9, brokerId: 1, from: 'stopped', to: 'up' }];
    store.setState({ snapshot: snapshot([], undefined, 1, 1, 'same') });
    await settle();
    stop();
    expect(asked).toEqual([null, null]);
    expect(recentEvents().map((e) => e.text)).toEqual(['Broker 1: stopped → up']);
  });

  it('a broker that stopped on its own is reported with its reason and what to do', async () => {
    const store = createStore<{ snapshot: ClusterSnapshot | null }>(() => ({ snapshot: null }));
    const stop = startHistory(store, journal([{ kind: 'broker-state', atMs: 5, brokerId: 2, from: 'up', to: 'failed' }]));
    const failed = snapshot([topic('orders', [partition(0, 1, [1, 3], 1)])], ['up', 'up', 'up'], 1, 1, 'disk');
    failed.brokers[1] = { ...failed.brokers[1], state: 'failed', failure: { atMs: 0, errno: 'ENOSPC', path: '/d/broker-2/orders-0/00000000000000000000.log', reason: 'Broker 2 stopped: no space left on the disk (ENOSPC) while writing /d/broker-2/orders-0/00000000000000000000.log.', nextStep: 'Free space on the disk that holds /d, then restart broker 2.' } };
    store.setState({ snapshot: failed });
    await settle();
    stop();
    expect(recentEvents().find((e) => e.kind === 'broker')?.text).toBe('Broker 2 stopped: no space left on the disk (ENOSPC) while writing /d/broker-2/orders-0/00000000000000000000.log. Free space on the disk that holds /d, then restart broker 2.');
  });

  it('says when a returning replica cut records from its log; a truncation that cut nothing is not news', async () => {
    const store = createStore<{ snapshot: ClusterSnapshot | null }>(() => ({ snapshot: null }));
    const stop = startHistory(
      store,
      journal([
        { kind: 'truncated', atMs: 1, brokerId: 1, topic: 'orders', partition: 0, fromOffset: 1512, toOffset: 1200 },
        { kind: 'truncated', atMs: 2, brokerId: 3, topic: 'orders', partition: 0, fromOffset: 1200, toOffset: 1200 },
      ]),
    );
    store.setState({ snapshot: snapshot([topic('orders', [partition(0, 2, [2, 1, 3], 1)])], undefined, 1, 2, 'cuts') });
    await settle();
    stop();
    const cuts = recentEvents().filter((e) => e.kind === 'truncate');
    expect(cuts.map((e) => e.text)).toEqual(['orders-0: broker 1 cut 312 records (offsets 1200–1511) from its log: the new leader never had them']);
  });

  it('keeps at most RING_CAPACITY samples per partition, oldest dropped', () => {
    const store = createStore<{ snapshot: ClusterSnapshot | null }>(() => ({ snapshot: null }));
    const stop = startHistory(store, journal([]));
    for (let i = 0; i < RING_CAPACITY + 50; i++) store.setState({ snapshot: snapshot([topic('ring', [partition(0, 1, [1, 2, 3], 0, i)])]) });
    stop();
    const h = partitionHistory('ring', 0);
    expect(h).toHaveLength(RING_CAPACITY);
    expect(h[0].logEndOffset).toBe(50);
    expect(h[h.length - 1].logEndOffset).toBe(RING_CAPACITY + 49);
  });
});
