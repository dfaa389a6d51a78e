/**
 * Golden cases for the partition placement APIs: ElectLeaders (v0 preferred only,
 * v1 ElectionType and a top-level error, v2 flexible), AlterPartitionReassignments
 * and ListPartitionReassignments (v0, flexible), each with a null list where the
 * grammar allows one (all partitions, a cancel, list everything).
 */
import { ApiKey } from '../../../../engine/protocol/registry';
import { ByteWriter } from '../byte-writer';
import type { GoldenCase } from './case';

export const electLeaders: GoldenCase = {
  apiKey: ApiKey.ElectLeaders,
  name: 'ElectLeaders',
  versions: [0, 2],
  request(v) {
    // v1: every partition (null); v0 and v2: two partitions of one topic.
    const all = v === 1;
    const message = {
      electionType: v >= 1 ? 1 : 0,
      topicPartitions: all ? null : [{ topic: 'orders', partitions: [0, 2] }],
      timeoutMs: 30000,
    };
    const w = new ByteWriter(v >= 2);
    if (v >= 1) w.int8(1);
    if (all) w.array(null);
    else w.array(1).string('orders').int32s([0, 2]).tags();
    w.int32(30000).tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: [
        {
          topic: 'orders',
          partitionResult: [
            { partitionId: 0, errorCode: 0, errorMessage: null },
            { partitionId: 2, errorCode: 84, errorMessage: 'Leader election not needed for topic partition.' },
          ],
        },
      ],
    };
    const w = new ByteWriter(v >= 2);
    w.int32(0);
    if (v >= 1) w.int16(0);
    w.array(1).string('orders').array(2);
    w.int32(0).int16(0).nullableString(null).tags();
    w.int32(2).int16(84).nullableString('Leader election not needed for topic partition.').tags();
    w.tags().tags();
    return { message, bytes: w.buf() };
  },
};

export const alterPartitionReassignments: GoldenCase = {
  apiKey: ApiKey.AlterPartitionReassignments,
  name: 'AlterPartitionReassignments',
  versions: [0, 0],
  request() {
    const message = {
      timeoutMs: 60000,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, replicas: [2, 3] }, { partitionIndex: 1, replicas: null }] }],
    };
    const w = new ByteWriter(true);
    w.int32(60000).array(1).string('orders').array(2);
    w.int32(0).int32s([2, 3]).tags();
    w.int32(1).int32s(null).tags();
    w.tags().tags();
    return { message, bytes: w.buf() };
  },
  response() {
    const message = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      responses: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, errorCode: 0, errorMessage: null },
            { partitionIndex: 1, errorCode: 85, errorMessage: 'No partition reassignment is in progress.' },
          ],
        },
      ],
    };
    const w = new ByteWriter(true);
    w.int32(0).int16(0).nullableString(null).array(1).string('orders').array(2);
    w.int32(0).int16(0).nullableString(null).tags();
    w.int32(1).int16(85).nullableString('No partition reassignment is in progress.').tags();
    w.tags().tags();
    return { message, bytes: w.buf() };
  },
};

export const listPartitionReassignments: GoldenCase = {
  apiKey: ApiKey.ListPartitionReassignments,
  name: 'ListPartitionReassignments',
  versions: [0, 0],
  request() {
    const message = { timeoutMs: 60000, topics: null };
    const w = new ByteWriter(true);
    w.int32(60000).array(null).tags();
    return { message, bytes: w.buf() };
  },
  response() {
    const message = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, replicas: [2, 3, 1], addingReplicas: [3], removingReplicas: [1] }] }],
    };
    const w = new ByteWriter(true);
    w.int32(0).int16(0).nullableString(null).array(1).string('orders').array(1);
    w.int32(0).int32s([2, 3, 1]).int32s([3]).int32s([1]).tags();
    w.tags().tags();
    return { message, bytes: w.buf() };
  },
};

export const REASSIGNMENT_CASES: GoldenCase[] = [electLeaders, alterPartitionReassignments, listPartitionReassignments];
