/**
 * The renderer's histories (renderer/src/store/history.ts): what the event feed says
 * when snapshots show a leader move, an ISR shrinking and growing back, a broker
 * dying, a replica truncating its log; and that every ring stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { ClusterSnapshot, PartitionView, TopicView, TruncationView } from '../../../engine/api/contract';
import { RING_CAPACITY, partitionHistory, recentEvents, startHistory } from '../../../renderer/src/store/metrics';

function partition(p: number, leader: number | null, isr: number[], epoch: number, leo = 0): PartitionView {
  return { partition: p, leader, replicas: [1, 2, 3], isr, leaderEpoch: epoch, logStartOffset: 0, highWatermark: leo, logEndOffset: leo, replicaLogEndOffsets: { 1: leo, 2: leo, 3: leo }, addingReplicas: [], removingReplicas: [] };
}

function topic(name: string, partitions: PartitionView[], internal = false): TopicView {
  return { name, internal, replicationFactor: 3, configs: {}, partitionCount: partitions.length, partitions, sizeBytes: 0, underReplicated: 0, offline: 0 };
}

let seq = 0;
function snapshot(topics: TopicView[], states: ('up' | 'killed')[] = ['up', 'up', 'up'], controllerId = 1, truncations: TruncationView[] = []): ClusterSnapshot {
  return {
    seq: ++seq,
    clusterId: 'c',
    controllerId,
    brokers: states.map((state, i) => ({ id: i + 1, state, host: '127.0.0.1', port: 9092 + i, listening: state === 'up', listenerError: null, partitionsLed: 0, internalPartitionsLed: 0, failure: null, disk: null })),
    topics,
    metadataProblem: null,
    metrics: {
      brokerRates: [],
      topicMessagesPerS: {},
      totals: { bytesIn: 0, messagesIn: 0, bytesOutToConsumers: 0, bytesOutToFollowers: 0 },
      storageSeq: 0,
      truncations,
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
  it('turns snapshot changes into the events a person wants to see, newest first', () => {
    const store = createStore<{ snapshot: ClusterSnapshot | null }>(() => ({ snapshot: null }));
    const stop = startHistory(store);
    const offsets = topic('__consumer_offsets', [], true);
    store.setState({ snapshot: snapshot([topic('orders', [partition(0, 2, [2, 1, 3], 0)]), offsets]) });
    store.setState({ snapshot: snapshot([topic('orders', [partition(0, 2, [2, 1, 3], 0)]), offsets], ['up', 'killed', 'up']) });
    store.setState({ snapshot: snapshot([topic('orders', [partition(0, 1, [1, 3], 1)]), offsets], ['up', 'killed', 'up']) });
    store.setState({ snapshot: snapshot([topic('orders', [partition(0, 1, [1, 3, 2], 1)]), offsets], ['up', 'up', 'up'], 3) });
    stop();
    const texts = recentEvents().map((e) => e.text);
    // Newest first; what one snapshot shows is listed in reverse of broker, controller, leader, ISR.
    expect(texts.slice(0, 6)).toEqual([
      'orders-0: broker 2 caught up and joined the ISR (ISR now 1, 3, 2)',
      'Controller: 1 → 3',
      'Broker 2: killed → up',
      'orders-0: broker 2 left the ISR (ISR now 1, 3)',
      'orders-0: leader 2 → 1, epoch 1',
      'Broker 2: up → killed',
    ]);
    expect(texts.some((t) => t.includes('__consumer_offsets'))).toBe(false);
  });

  it('a broker that stopped on its own is reported with its reason and what to do', () => {
    const store = createStore<{ snapshot: ClusterSnapshot | null }>(() => ({ snapshot: null }));
    const stop = startHistory(store);
    const failed = snapshot([topic('orders', [partition(0, 1, [1, 3], 1)])], ['up', 'up', 'up']);
    failed.brokers[1] = { ...failed.brokers[1], state: 'failed', failure: { atMs: 0, errno: 'ENOSPC', path: '/d/broker-2/orders-0/00000000000000000000.log', reason: 'Broker 2 stopped: no space left on the disk (ENOSPC) while writing /d/broker-2/orders-0/00000000000000000000.log.', nextStep: 'Free space on the disk that holds /d, then restart broker 2.' } };
    store.setState({ snapshot: snapshot([topic('orders', [partition(0, 1, [1, 2, 3], 1)])]) });
    store.setState({ snapshot: failed });
    stop();
    expect(recentEvents().find((e) => e.kind === 'broker')?.text).toBe('Broker 2 stopped: no space left on the disk (ENOSPC) while writing /d/broker-2/orders-0/00000000000000000000.log. Free space on the disk that holds /d, then restart broker 2.');
  });

  it('says when a returning replica cut records from its log, once per truncation', () => {
    const store = createStore<{ snapshot: ClusterSnapshot | null }>(() => ({ snapshot: null }));
    const stop = startHistory(store);
    const orders = [topic('orders', [partition(0, 2, [2, 1, 3], 1)])];
    const cut: TruncationView = { seq: 4, atMs: 0, brokerId: 1, topic: 'orders', partition: 0, fromOffset: 1512, toOffset: 1200 };
    // Already there when the feed started: not news.
    store.setState({ snapshot: snapshot(orders, undefined, 1, [{ ...cut, seq: 3 }]) });
    store.setState({ snapshot: snapshot(orders, undefined, 1, [{ ...cut, seq: 3 }, cut]) });
    store.setState({ snapshot: snapshot(orders, undefined, 1, [{ ...cut, seq: 3 }, cut]) });
    stop();
    const cuts = recentEvents().filter((e) => e.kind === 'truncate');
    expect(cuts.map((e) => e.text)).toEqual(['orders-0: broker 1 cut 312 records (offsets 1200–1511) from its log: the new leader never had them']);
  });

  it('keeps at most RING_CAPACITY samples per partition, oldest dropped', () => {
    const store = createStore<{ snapshot: ClusterSnapshot | null }>(() => ({ snapshot: null }));
    const stop = startHistory(store);
    for (let i = 0; i < RING_CAPACITY + 50; i++) store.setState({ snapshot: snapshot([topic('ring', [partition(0, 1, [1, 2, 3], 0, i)])]) });
    stop();
    const h = partitionHistory('ring', 0);
    expect(h).toHaveLength(RING_CAPACITY);
    expect(h[0].logEndOffset).toBe(50);
    expect(h[h.length - 1].logEndOffset).toBe(RING_CAPACITY + 49);
  });
});
