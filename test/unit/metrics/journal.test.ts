/**
 * The cluster journal records what changed between samples, once, in time order, and
 * stays bounded; positions stay valid as old events are trimmed.
 */
import { describe, expect, it } from 'vitest';
import { NO_LEADER, emptyImage, type MetadataImage, type PartitionState } from '../../../engine/cluster/metadata-image';
import { ClusterJournal } from '../../../engine/metrics/journal';
import type { BrokerStateName } from '../../../engine/ports';
import { ManualClock } from '../../../engine/util/clock';

function image(version: number, partitions: Partial<PartitionState>[], topic = 't', topicId = 'id-1'): MetadataImage {
  const ps = partitions.map((p, i) => ({ topic, partition: i, replicas: [1, 2, 3], isr: [1, 2, 3], leader: 1, leaderEpoch: 0, partitionEpoch: 0, isrEpochs: {}, ...p }));
  return { ...emptyImage('c'), version, topics: new Map([[topic, { name: topic, topicId, internal: false, configs: {}, partitions: ps }]]) };
}

describe('cluster journal', () => {
  it('records leader, ISR, broker, controller and topic changes once each', () => {
    const clock = new ManualClock(1000);
    let img: MetadataImage | null = image(1, [{}]);
    let brokers: { id: number; state: BrokerStateName }[] = [{ id: 1, state: 'up' }, { id: 2, state: 'up' }];
    let controller: number | null = 1;
    const j = new ClusterJournal({ image: () => img, brokerStates: () => brokers, controllerId: () => controller }, clock);
    j.sample(); // the starting point: nothing to report
    expect(j.size).toBe(0);
    const start = j.position();

    clock.advance(10);
    brokers = [{ id: 1, state: 'killed' }, { id: 2, state: 'up' }];
    controller = 2;
    img = image(2, [{ leader: 2, isr: [2, 3], leaderEpoch: 1 }]);
    j.sample();
    j.sample(); // nothing new: nothing recorded twice
    const events = j.eventsAfter(start);
    expect(events.map((e) => e.kind)).toEqual(['controller-change', 'broker-state', 'leader-change', 'isr-change']);
    expect(events[2]).toMatchObject({ topic: 't', partition: 0, from: 1, to: 2, leaderEpoch: 1 });
    expect(events[3]).toMatchObject({ before: [1, 2, 3], after: [2, 3] });

    clock.advance(10);
    img = image(3, [{ leader: NO_LEADER, isr: [3] }]);
    j.sample();
    expect(j.eventsAfter(start).slice(-2).map((e) => e.kind)).toEqual(['leader-change', 'isr-change']);
    expect(j.eventsAfter(start).at(-2)).toMatchObject({ from: 2, to: null });

    clock.advance(10);
    img = image(4, [{}], 't', 'id-2'); // deleted and created again
    j.sample();
    expect(j.eventsAfter(start).at(-1)).toMatchObject({ kind: 'topic-created', topic: 't' });
    img = { ...emptyImage('c'), version: 5 };
    j.sample();
    expect(j.eventsAfter(start).at(-1)).toMatchObject({ kind: 'topic-deleted', topic: 't' });
    expect(j.eventsSince(1025).map((e) => e.kind)).toEqual(['topic-created', 'topic-deleted']);
  });

  it('keeps time order when the wall clock steps back, and stays bounded with valid positions', () => {
    const clock = new ManualClock(5000);
    const j = new ClusterJournal({ image: () => null, brokerStates: () => [], controllerId: () => null }, clock);
    j.record({ kind: 'topic-created', atMs: 5000, topic: 'a' });
    j.record({ kind: 'topic-created', atMs: 4000, topic: 'b' }); // an NTP step back
    expect(j.eventsSince(0).map((e) => e.atMs)).toEqual([5000, 5000]);
    for (let i = 0; i < 25_000; i++) j.record({ kind: 'topic-created', atMs: 5000 + i, topic: `t${i}` });
    expect(j.size).toBeLessThanOrEqual(25_000);
    const p = j.position();
    j.record({ kind: 'topic-deleted', atMs: 40_000, topic: 'last' });
    expect(j.eventsAfter(p)).toEqual([{ kind: 'topic-deleted', atMs: 40_000, topic: 'last' }]);
    // Older than an hour is dropped.
    j.record({ kind: 'topic-deleted', atMs: 40_000 + 3_700_000, topic: 'much later' }); // an hour and more than a minute
    expect(j.size).toBe(1);
  });
});
