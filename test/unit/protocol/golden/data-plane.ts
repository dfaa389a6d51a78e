/**
 * Golden cases for the data-plane APIs: Produce, Fetch, ListOffsets,
 * OffsetForLeaderEpoch, DeleteRecords, InitProducerId. Each byte builder follows the
 * field order of Kafka's grammar for the version at hand.
 */
import { ApiKey } from '../../../../engine/protocol/registry';
import { ZERO_UUID } from '../../../../engine/protocol/types';
import { ByteWriter } from '../byte-writer';
import { type GoldenCase, RECORDS_A, RECORDS_B } from './case';

/** Topic ids for Fetch v13+ (KIP-516) and a follower's log directory id (v17). */
const ORDERS_ID = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
const OLD_ID = '00112233-4455-4677-8899-aabbccddeeff';
const DIRECTORY_ID = 'fedcba98-7654-4321-8fed-cba987654321';
const NO_LEADER = { leaderId: -1, leaderEpoch: -1 };

export const produce: GoldenCase = {
  apiKey: ApiKey.Produce,
  name: 'Produce',
  versions: [0, 11],
  request(v) {
    const message = {
      transactionalId: v >= 3 ? 'txn-1' : null,
      acks: -1,
      timeoutMs: 30000,
      topicData: [
        {
          name: 'orders',
          partitionData: [
            { index: 0, records: RECORDS_A },
            { index: 2, records: null },
          ],
        },
        { name: 'clicks', partitionData: [{ index: 1, records: RECORDS_B }] },
      ],
    };
    const w = new ByteWriter(v >= 9);
    if (v >= 3) w.nullableString('txn-1');
    w.int16(-1).int32(30000).array(2);
    w.string('orders').array(2);
    w.int32(0).records(RECORDS_A).tags();
    w.int32(2).records(null).tags();
    w.tags();
    w.string('clicks').array(1);
    w.int32(1).records(RECORDS_B).tags();
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            {
              index: 0,
              errorCode: 0,
              baseOffset: 1234567890123,
              logAppendTimeMs: v >= 2 ? 1700000000000 : -1,
              logStartOffset: v >= 5 ? 100 : -1,
              recordErrors:
                v >= 8
                  ? [
                      { batchIndex: 3, batchIndexErrorMessage: 'null key' },
                      { batchIndex: 4, batchIndexErrorMessage: null },
                    ]
                  : [],
              errorMessage: v >= 8 ? 'INVALID_RECORD' : null,
              currentLeader: NO_LEADER,
            },
            {
              index: 2,
              errorCode: 6,
              baseOffset: -1,
              logAppendTimeMs: -1,
              logStartOffset: -1,
              recordErrors: [],
              errorMessage: null,
              currentLeader: v >= 10 ? { leaderId: 1, leaderEpoch: 7 } : NO_LEADER,
            },
          ],
        },
      ],
      throttleTimeMs: v >= 1 ? 5 : 0,
      nodeEndpoints: v >= 10 ? [{ nodeId: 1, host: 'broker-1', port: 9093, rack: null }] : [],
    };
    const w = new ByteWriter(v >= 9);
    w.array(1).string('orders').array(2);
    w.int32(0).int16(0).int64(1234567890123);
    if (v >= 2) w.int64(1700000000000);
    if (v >= 5) w.int64(100);
    if (v >= 8) {
      w.array(2);
      w.int32(3).nullableString('null key').tags();
      w.int32(4).nullableString(null).tags();
      w.nullableString('INVALID_RECORD');
    }
    w.tags();
    w.int32(2).int16(6).int64(-1);
    if (v >= 2) w.int64(-1);
    if (v >= 5) w.int64(-1);
    if (v >= 8) w.array(0).nullableString(null);
    if (v >= 10) w.tags([0, (t) => t.int32(1).int32(7).tags()]);
    else w.tags();
    w.tags();
    if (v >= 1) w.int32(5);
    if (v >= 10) w.tags([0, (t) => t.array(1).int32(1).string('broker-1').int32(9093).nullableString(null).tags()]);
    else w.tags();
    return { message, bytes: w.buf() };
  },
};

export const fetch: GoldenCase = {
  apiKey: ApiKey.Fetch,
  name: 'Fetch',
  versions: [0, 17],
  request(v) {
    const message = {
      clusterId: v >= 12 ? 'cluster-A' : null,
      replicaId: -1,
      replicaState: v >= 15 ? { replicaId: 2, replicaEpoch: 12345678901 } : { replicaId: -1, replicaEpoch: -1 },
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: v >= 3 ? 52428800 : 0x7fffffff,
      isolationLevel: v >= 4 ? 1 : 0,
      sessionId: v >= 7 ? 77 : 0,
      sessionEpoch: v >= 7 ? 3 : -1,
      topics: [
        {
          topic: v >= 13 ? '' : 'orders',
          topicId: v >= 13 ? ORDERS_ID : ZERO_UUID,
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: v >= 9 ? 5 : -1,
              fetchOffset: 42,
              lastFetchedEpoch: v >= 12 ? 4 : -1,
              logStartOffset: v >= 5 ? 0 : -1,
              partitionMaxBytes: 1048576,
              replicaDirectoryId: v >= 17 ? DIRECTORY_ID : ZERO_UUID,
            },
          ],
        },
      ],
      forgottenTopicsData: v >= 7 ? [{ topic: v >= 13 ? '' : 'old', topicId: v >= 13 ? OLD_ID : ZERO_UUID, partitions: [1, 2] }] : [],
      rackId: v >= 11 ? 'rack-1' : '',
    };
    const w = new ByteWriter(v >= 12);
    if (v <= 14) w.int32(-1);
    w.int32(500).int32(1);
    if (v >= 3) w.int32(52428800);
    if (v >= 4) w.int8(1);
    if (v >= 7) w.int32(77).int32(3);
    w.array(1);
    if (v >= 13) w.uuid(ORDERS_ID);
    else w.string('orders');
    w.array(1).int32(0);
    if (v >= 9) w.int32(5);
    w.int64(42);
    if (v >= 12) w.int32(4);
    if (v >= 5) w.int64(0);
    w.int32(1048576);
    if (v >= 17) w.tags([0, (t) => t.uuid(DIRECTORY_ID)]);
    else w.tags();
    w.tags();
    if (v >= 7) {
      w.array(1);
      if (v >= 13) w.uuid(OLD_ID);
      else w.string('old');
      w.int32s([1, 2]).tags();
    }
    if (v >= 11) w.string('rack-1');
    if (v >= 15) w.tags([0, (t) => t.nullableString('cluster-A')], [1, (t) => t.int32(2).int64(12345678901).tags()]);
    else if (v >= 12) w.tags([0, (t) => t.nullableString('cluster-A')]);
    return { message, bytes: w.buf() };
  },
  response(v) {
    const noEpoch = { epoch: -1, endOffset: -1 };
    const noLeader = { leaderId: -1, leaderEpoch: -1 };
    const noSnapshot = { endOffset: -1, epoch: -1 };
    const message = {
      throttleTimeMs: v >= 1 ? 10 : 0,
      errorCode: 0,
      sessionId: v >= 7 ? 77 : 0,
      responses: [
        {
          topic: v >= 13 ? '' : 'orders',
          topicId: v >= 13 ? ORDERS_ID : ZERO_UUID,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 100,
              lastStableOffset: v >= 4 ? 90 : -1,
              logStartOffset: v >= 5 ? 0 : -1,
              divergingEpoch: v >= 12 ? { epoch: 3, endOffset: 80 } : noEpoch,
              currentLeader: v >= 12 ? { leaderId: 1, leaderEpoch: 4 } : noLeader,
              snapshotId: noSnapshot,
              abortedTransactions: v >= 4 ? [{ producerId: 7000, firstOffset: 85 }] : [],
              preferredReadReplica: v >= 11 ? 2 : -1,
              records: RECORDS_A,
            },
            {
              partitionIndex: 1,
              errorCode: 1,
              highWatermark: 5,
              lastStableOffset: v >= 4 ? 5 : -1,
              logStartOffset: v >= 5 ? 0 : -1,
              divergingEpoch: noEpoch,
              currentLeader: noLeader,
              snapshotId: noSnapshot,
              abortedTransactions: v >= 4 ? null : [],
              preferredReadReplica: -1,
              records: null,
            },
          ],
        },
      ],
      nodeEndpoints: v >= 16 ? [{ nodeId: 1, host: 'broker-1', port: 9093, rack: 'rack-1' }] : [],
    };
    const w = new ByteWriter(v >= 12);
    if (v >= 1) w.int32(10);
    if (v >= 7) w.int16(0).int32(77);
    w.array(1);
    if (v >= 13) w.uuid(ORDERS_ID);
    else w.string('orders');
    w.array(2);
    w.int32(0).int16(0).int64(100);
    if (v >= 4) w.int64(90);
    if (v >= 5) w.int64(0);
    if (v >= 4) w.array(1).int64(7000).int64(85).tags();
    if (v >= 11) w.int32(2);
    w.records(RECORDS_A);
    if (v >= 12) {
      w.tags([0, (t) => t.int32(3).int64(80).tags()], [1, (t) => t.int32(1).int32(4).tags()]);
    }
    w.int32(1).int16(1).int64(5);
    if (v >= 4) w.int64(5);
    if (v >= 5) w.int64(0);
    if (v >= 4) w.array(null);
    if (v >= 11) w.int32(-1);
    w.records(null).tags();
    w.tags();
    if (v >= 16) w.tags([0, (t) => t.array(1).int32(1).string('broker-1').int32(9093).nullableString('rack-1').tags()]);
    else w.tags();
    return { message, bytes: w.buf() };
  },
};

export const listOffsets: GoldenCase = {
  apiKey: ApiKey.ListOffsets,
  name: 'ListOffsets',
  versions: [0, 10],
  request(v) {
    const message = {
      replicaId: -1,
      isolationLevel: v >= 2 ? 1 : 0,
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, currentLeaderEpoch: v >= 4 ? 3 : -1, timestamp: -1, maxNumOffsets: v === 0 ? 5 : 1 },
            { partitionIndex: 1, currentLeaderEpoch: v >= 4 ? 3 : -1, timestamp: 1700000000000, maxNumOffsets: 1 },
          ],
        },
      ],
      timeoutMs: v >= 10 ? 15000 : 0,
    };
    const w = new ByteWriter(v >= 6);
    w.int32(-1);
    if (v >= 2) w.int8(1);
    w.array(1).string('orders').array(2);
    w.int32(0);
    if (v >= 4) w.int32(3);
    w.int64(-1);
    if (v === 0) w.int32(5);
    w.tags();
    w.int32(1);
    if (v >= 4) w.int32(3);
    w.int64(1700000000000);
    if (v === 0) w.int32(1);
    w.tags();
    w.tags();
    if (v >= 10) w.int32(15000);
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 2 ? 7 : 0,
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              oldStyleOffsets: v === 0 ? [120, 0] : [],
              timestamp: v >= 1 ? 1700000000123 : -1,
              offset: v >= 1 ? 120 : -1,
              leaderEpoch: v >= 4 ? 3 : -1,
            },
          ],
        },
      ],
    };
    const w = new ByteWriter(v >= 6);
    if (v >= 2) w.int32(7);
    w.array(1).string('orders').array(1).int32(0).int16(0);
    if (v === 0) w.int64s([120, 0]);
    if (v >= 1) w.int64(1700000000123).int64(120);
    if (v >= 4) w.int32(3);
    w.tags();
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const offsetForLeaderEpoch: GoldenCase = {
  apiKey: ApiKey.OffsetForLeaderEpoch,
  name: 'OffsetForLeaderEpoch',
  versions: [0, 4],
  request(v) {
    const message = {
      replicaId: v >= 3 ? 1 : -2,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: v >= 2 ? 5 : -1, leaderEpoch: 4 }] }],
    };
    const w = new ByteWriter(v >= 4);
    if (v >= 3) w.int32(1);
    w.array(1).string('orders').array(1).int32(0);
    if (v >= 2) w.int32(5);
    w.int32(4).tags();
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 2 ? 3 : 0,
      topics: [
        {
          topic: 'orders',
          partitions: [
            { errorCode: 0, partition: 0, leaderEpoch: v >= 1 ? 4 : -1, endOffset: 250 },
            { errorCode: 75, partition: 1, leaderEpoch: -1, endOffset: -1 },
          ],
        },
      ],
    };
    const w = new ByteWriter(v >= 4);
    if (v >= 2) w.int32(3);
    w.array(1).string('orders').array(2);
    w.int16(0).int32(0);
    if (v >= 1) w.int32(4);
    w.int64(250).tags();
    w.int16(75).int32(1);
    if (v >= 1) w.int32(-1);
    w.int64(-1).tags();
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const deleteRecords: GoldenCase = {
  apiKey: ApiKey.DeleteRecords,
  name: 'DeleteRecords',
  versions: [0, 2],
  request(v) {
    const message = {
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, offset: 50 },
            { partitionIndex: 1, offset: -1 },
          ],
        },
      ],
      timeoutMs: 30000,
    };
    const w = new ByteWriter(v >= 2);
    w.array(1).string('orders').array(2);
    w.int32(0).int64(50).tags();
    w.int32(1).int64(-1).tags();
    w.tags();
    w.int32(30000).tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: 0,
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, lowWatermark: 50, errorCode: 0 },
            { partitionIndex: 1, lowWatermark: -1, errorCode: 3 },
          ],
        },
      ],
    };
    const w = new ByteWriter(v >= 2);
    w.int32(0).array(1).string('orders').array(2);
    w.int32(0).int64(50).int16(0).tags();
    w.int32(1).int64(-1).int16(3).tags();
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const initProducerId: GoldenCase = {
  apiKey: ApiKey.InitProducerId,
  name: 'InitProducerId',
  versions: [0, 5],
  request(v) {
    const transactionalId = v % 2 === 1 ? 'txn-1' : null;
    const message = {
      transactionalId,
      transactionTimeoutMs: 60000,
      producerId: v >= 3 ? 4000 : -1,
      producerEpoch: v >= 3 ? 2 : -1,
    };
    const w = new ByteWriter(v >= 2);
    w.nullableString(transactionalId).int32(60000);
    if (v >= 3) w.int64(4000).int16(2);
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = { throttleTimeMs: 1, errorCode: 0, producerId: 4000, producerEpoch: 3 };
    const w = new ByteWriter(v >= 2);
    w.int32(1).int16(0).int64(4000).int16(3).tags();
    return { message, bytes: w.buf() };
  },
};

export const DATA_PLANE_CASES = [produce, fetch, listOffsets, offsetForLeaderEpoch, deleteRecords, initProducerId];
