/**
 * The world the checks see, built from a real partition log: the codecs of its oldest
 * and newest batch (so a step can tell how the producer compressed what it sent last),
 * read from batch headers without counting them as bytes served.
 */
import { describe, expect, it } from 'vitest';
import { WorldBuilder } from '../../../engine/lessons/world-builder';
import { CODEC_IDS } from '../../../engine/storage/codec-table';
import type { PartitionLog } from '../../../engine/storage/log';
import { batchOf, memoryLog, rec } from '../storage/helpers';

function builderOver(log: PartitionLog): WorldBuilder {
  const image = { topics: new Map([['t', { name: 't', internal: false, configs: {}, partitions: [{ partition: 0, leader: 1, replicas: [1], isr: [1], leaderEpoch: 0 }] }]]) };
  const replica = { isLeader: true, highWatermark: 0, bytesToConsumers: 0 };
  return new WorldBuilder({
    cluster: { image: () => image } as never,
    replicas: { replicaLog: () => ({ replica: { ...replica, highWatermark: log.logEndOffset }, log }) } as never,
    groups: { groupState: () => undefined },
    states: { brokerStates: () => [{ id: 1, state: 'up' }], controllerId: () => 1 } as never,
    clock: { nowMs: () => 0 } as never,
  });
}

const codecs = (b: WorldBuilder) => b.build(new Set(['t']), new Set()).topics[0].partitions[0].storedCodecs;

describe('WorldBuilder', () => {
  it('reports the codecs of the oldest and the newest stored batch, newest last', () => {
    const { log } = memoryLog();
    const b = builderOver(log);
    expect(codecs(b)).toEqual([]);
    log.appendAsLeader(batchOf([rec(null, 'a'), rec(null, 'b')]), { leaderEpoch: 0 });
    expect(codecs(b)).toEqual(['none']);
    log.appendAsLeader(batchOf([rec(null, 'c')], { compression: CODEC_IDS.gzip }), { leaderEpoch: 0 });
    expect(codecs(b)).toEqual(['none', 'gzip']);
    log.appendAsLeader(batchOf([rec(null, 'd')], { compression: CODEC_IDS.lz4 }), { leaderEpoch: 0 });
    expect(codecs(b)).toEqual(['none', 'lz4']);
    // Looking at the headers is not serving: the log's zero-copy count stays as it was.
    expect(log.stats.bytesServedZeroCopy).toBe(0);
  });
});
