import { describe, expect, it } from 'vitest';
import { encodeAssignment, encodeSubscription } from '../../../engine/cluster/group/consumer-protocol';
import {
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
} from '../../../engine/cluster/group/offsets-topic-format';
import { describeInternalRecord } from '../../../engine/records/internal-records';

const OFFSETS = '__consumer_offsets';

describe('__consumer_offsets records, decoded for the browser', () => {
  it('an offset commit names the group, the partition and where the group resumes', () => {
    const key = encodeOffsetCommitKey('billing', 'orders', 2);
    const value = encodeOffsetCommitValue({ version: 3, offset: 42, leaderEpoch: 5, metadata: '', commitTimestamp: Date.UTC(2024, 8, 15, 12), expireTimestamp: -1 });
    const d = describeInternalRecord(OFFSETS, key, value)!;
    expect(d.kind).toBe('offset-commit');
    expect(d.key).toBe('offset commit · group billing · orders-2');
    expect(d.value).toBe('offset 42 · leader epoch 5 · committed 2024-09-15T12:00:00.000Z');
    expect(d.fields).toMatchObject({ group: 'billing', topic: 'orders', partition: 2, offset: 42, leaderEpoch: 5 });
  });

  it('a group generation lists its members with what they subscribed to and were assigned', () => {
    const key = encodeGroupMetadataKey('billing');
    const value = encodeGroupMetadataValue({
      version: 3,
      protocolType: 'consumer',
      generation: 7,
      protocol: 'range',
      leader: 'm-1',
      currentStateTimestamp: 0,
      members: [
        {
          memberId: 'm-1',
          groupInstanceId: null,
          clientId: 'app',
          clientHost: '/127.0.0.1',
          rebalanceTimeout: 30_000,
          sessionTimeout: 10_000,
          subscription: encodeSubscription({ topics: ['orders'] }),
          assignment: encodeAssignment({ assignedPartitions: [{ topic: 'orders', partitions: [0, 1] }] }),
        },
      ],
    });
    const d = describeInternalRecord(OFFSETS, key, value)!;
    expect(d.kind).toBe('group-metadata');
    expect(d.key).toBe('group metadata · group billing');
    expect(d.value).toBe('generation 7 · consumer / range · 1 member · leader m-1');
    expect(d.fields.members).toEqual([
      expect.objectContaining({ memberId: 'm-1', clientId: 'app', subscribed: ['orders'], assigned: ['orders-0', 'orders-1'] }),
    ]);
  });

  it('a tombstone says the offset or group was deleted', () => {
    expect(describeInternalRecord(OFFSETS, encodeOffsetCommitKey('g', 't', 0), null)).toMatchObject({ kind: 'offset-commit', value: null, fields: { deleted: true } });
    expect(describeInternalRecord(OFFSETS, encodeGroupMetadataKey('g'), null)).toMatchObject({ kind: 'group-metadata', value: null });
  });

  it('leaves other topics, unknown versions and cut bytes to the raw view', () => {
    const key = encodeOffsetCommitKey('g', 't', 0);
    const value = encodeOffsetCommitValue({ version: 3, offset: 1, leaderEpoch: -1, metadata: '', commitTimestamp: 0, expireTimestamp: -1 });
    expect(describeInternalRecord('orders', key, value)).toBeNull();
    expect(describeInternalRecord(OFFSETS, null, value)).toBeNull();
    expect(describeInternalRecord(OFFSETS, Buffer.from([0, 9, 1, 2]), value)).toBeNull();
    expect(describeInternalRecord(OFFSETS, key.subarray(0, key.length - 2), value)).toBeNull();
    expect(describeInternalRecord(OFFSETS, key, value.subarray(0, 5))).toBeNull();
  });
});
