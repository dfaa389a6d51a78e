/**
 * Golden cases for the consumer-group APIs: OffsetCommit, OffsetFetch, FindCoordinator,
 * JoinGroup, Heartbeat, LeaveGroup, SyncGroup, DescribeGroups, ListGroups, DeleteGroups,
 * OffsetDelete.
 */
import { ApiKey } from '../../../../engine/protocol/registry';
import { ByteWriter } from '../byte-writer';
import { type GoldenCase, INT32_MIN } from './case';

const META_RANGE = Buffer.from('0001000000010006' + '6f7264657273' + 'ffffffff', 'hex');
const META_STICKY = Buffer.from('000300000001000663', 'hex');
const ASSIGNMENT = Buffer.from('00010000000100066f726465727300000002000000000000000100000000', 'hex');
const EMPTY = Buffer.alloc(0);

export const offsetCommit: GoldenCase = {
  apiKey: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  versions: [0, 9],
  request(v) {
    const message = {
      groupId: 'grp',
      generationIdOrMemberEpoch: v >= 1 ? 7 : -1,
      memberId: v >= 1 ? 'member-1' : '',
      groupInstanceId: v >= 7 ? 'instance-1' : null,
      retentionTimeMs: v >= 2 && v <= 4 ? 86400000 : -1,
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 42,
              committedLeaderEpoch: v >= 6 ? 3 : -1,
              commitTimestamp: v === 1 ? 1700000000000 : -1,
              committedMetadata: 'meta',
            },
            { partitionIndex: 1, committedOffset: 7, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null },
          ],
        },
      ],
    };
    const w = new ByteWriter(v >= 8);
    w.string('grp');
    if (v >= 1) w.int32(7).string('member-1');
    if (v >= 7) w.nullableString('instance-1');
    if (v >= 2 && v <= 4) w.int64(86400000);
    w.array(1).string('orders').array(2);
    w.int32(0).int64(42);
    if (v >= 6) w.int32(3);
    if (v === 1) w.int64(1700000000000);
    w.nullableString('meta').tags();
    w.int32(1).int64(7);
    if (v >= 6) w.int32(-1);
    if (v === 1) w.int64(-1);
    w.nullableString(null).tags();
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 3 ? 1 : 0,
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, errorCode: 0 },
            { partitionIndex: 1, errorCode: 12 },
          ],
        },
      ],
    };
    const w = new ByteWriter(v >= 8);
    if (v >= 3) w.int32(1);
    w.array(1).string('orders').array(2);
    w.int32(0).int16(0).tags();
    w.int32(1).int16(12).tags();
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const offsetFetch: GoldenCase = {
  apiKey: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  versions: [0, 9],
  request(v) {
    const w = new ByteWriter(v >= 6);
    if (v < 8) {
      const topics = v >= 2 && v % 2 === 1 ? null : [{ name: 'orders', partitionIndexes: [0, 1] }];
      const message = { groupId: 'grp', topics, groups: [], requireStable: v >= 7 };
      w.string('grp');
      if (topics === null) w.array(null);
      else w.array(1).string('orders').int32s([0, 1]).tags();
      if (v >= 7) w.bool(true);
      w.tags();
      return { message, bytes: w.buf() };
    }
    // v9 names the member (KIP-848); a member outside a consumer-protocol group sends null / -1.
    const message = {
      groupId: '',
      topics: [],
      groups: [
        { groupId: 'grp', memberId: v >= 9 ? 'member-1' : null, memberEpoch: v >= 9 ? 5 : -1, topics: [{ name: 'orders', partitionIndexes: [0, 1] }] },
        { groupId: 'grp2', memberId: null, memberEpoch: -1, topics: null },
      ],
      requireStable: true,
    };
    w.array(2);
    w.string('grp');
    if (v >= 9) w.nullableString('member-1').int32(5);
    w.array(1).string('orders').int32s([0, 1]).tags();
    w.tags();
    w.string('grp2');
    if (v >= 9) w.nullableString(null).int32(-1);
    w.array(null).tags();
    w.bool(true).tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const w = new ByteWriter(v >= 6);
    if (v < 8) {
      const message = {
        throttleTimeMs: v >= 3 ? 2 : 0,
        topics: [
          {
            name: 'orders',
            partitions: [
              { partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: v >= 5 ? 3 : -1, metadata: 'meta', errorCode: 0 },
              { partitionIndex: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: null, errorCode: 0 },
            ],
          },
        ],
        errorCode: v >= 2 ? 15 : 0,
        groups: [],
      };
      if (v >= 3) w.int32(2);
      w.array(1).string('orders').array(2);
      w.int32(0).int64(42);
      if (v >= 5) w.int32(3);
      w.nullableString('meta').int16(0).tags();
      w.int32(1).int64(-1);
      if (v >= 5) w.int32(-1);
      w.nullableString(null).int16(0).tags();
      w.tags();
      if (v >= 2) w.int16(15);
      w.tags();
      return { message, bytes: w.buf() };
    }
    const message = {
      throttleTimeMs: 2,
      topics: [],
      errorCode: 0,
      groups: [
        {
          groupId: 'grp',
          topics: [
            {
              name: 'orders',
              partitions: [{ partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 3, metadata: 'meta', errorCode: 0 }],
            },
          ],
          errorCode: 0,
        },
        { groupId: 'grp2', topics: [], errorCode: 69 },
      ],
    };
    w.int32(2).array(2);
    w.string('grp').array(1).string('orders').array(1);
    w.int32(0).int64(42).int32(3).nullableString('meta').int16(0).tags();
    w.tags();
    w.int16(0).tags();
    w.string('grp2').array(0).int16(69).tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const findCoordinator: GoldenCase = {
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  versions: [0, 6],
  request(v) {
    const w = new ByteWriter(v >= 3);
    if (v < 4) {
      const message = { key: 'txn-1', keyType: v >= 1 ? 1 : 0, coordinatorKeys: [] };
      w.string('txn-1');
      if (v >= 1) w.int8(1);
      w.tags();
      return { message, bytes: w.buf() };
    }
    // v5 adds no field; v6 admits share-group keys (keyType 2, "group:topicId:partition").
    const keyType = v === 6 ? 2 : v === 5 ? 1 : 0;
    const keys = v === 6 ? ['share-a:4a5b6c7d-8e9f-4a0b-9c1d-2e3f40516273:0'] : ['grp-a', 'grp-b'];
    const message = { key: '', keyType, coordinatorKeys: keys };
    w.int8(keyType).strings(keys).tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const w = new ByteWriter(v >= 3);
    if (v < 4) {
      const errorMessage = v === 2 ? 'coordinator here' : v >= 1 ? null : '';
      const message = {
        throttleTimeMs: v >= 1 ? 4 : 0,
        errorCode: 0,
        errorMessage,
        nodeId: 1,
        host: 'localhost',
        port: 9093,
        coordinators: [],
      };
      if (v >= 1) w.int32(4);
      w.int16(0);
      if (v >= 1) w.nullableString(errorMessage);
      w.int32(1).string('localhost').int32(9093).tags();
      return { message, bytes: w.buf() };
    }
    const message = {
      throttleTimeMs: 4,
      errorCode: 0,
      errorMessage: '',
      nodeId: 0,
      host: '',
      port: 0,
      coordinators: [
        { key: 'grp-a', nodeId: 1, host: 'localhost', port: 9093, errorCode: 0, errorMessage: null },
        { key: 'grp-b', nodeId: -1, host: '', port: -1, errorCode: 15, errorMessage: 'not available' },
      ],
    };
    w.int32(4).array(2);
    w.string('grp-a').int32(1).string('localhost').int32(9093).int16(0).nullableString(null).tags();
    w.string('grp-b').int32(-1).string('').int32(-1).int16(15).nullableString('not available').tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const joinGroup: GoldenCase = {
  apiKey: ApiKey.JoinGroup,
  name: 'JoinGroup',
  versions: [0, 9],
  request(v) {
    const message = {
      groupId: 'grp',
      sessionTimeoutMs: 45000,
      rebalanceTimeoutMs: v >= 1 ? 300000 : -1,
      memberId: '',
      groupInstanceId: v >= 5 ? 'instance-1' : null,
      protocolType: 'consumer',
      protocols: [
        { name: 'range', metadata: META_RANGE },
        { name: 'cooperative-sticky', metadata: META_STICKY },
      ],
      reason: v >= 8 ? 'rejoin' : null,
    };
    const w = new ByteWriter(v >= 6);
    w.string('grp').int32(45000);
    if (v >= 1) w.int32(300000);
    w.string('');
    if (v >= 5) w.nullableString('instance-1');
    w.string('consumer').array(2);
    w.string('range').bytes(META_RANGE).tags();
    w.string('cooperative-sticky').bytes(META_STICKY).tags();
    if (v >= 8) w.nullableString('rejoin');
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 2 ? 6 : 0,
      errorCode: 0,
      generationId: 3,
      protocolType: v >= 7 ? 'consumer' : null,
      protocolName: 'range',
      leader: 'member-1',
      skipAssignment: v >= 9,
      memberId: 'member-1',
      members: [
        { memberId: 'member-1', groupInstanceId: v >= 5 ? 'instance-1' : null, metadata: META_RANGE },
        { memberId: 'member-2', groupInstanceId: null, metadata: EMPTY },
      ],
    };
    const w = new ByteWriter(v >= 6);
    if (v >= 2) w.int32(6);
    w.int16(0).int32(3);
    if (v >= 7) w.nullableString('consumer');
    w.string('range').string('member-1');
    if (v >= 9) w.bool(true);
    w.string('member-1').array(2);
    w.string('member-1');
    if (v >= 5) w.nullableString('instance-1');
    w.bytes(META_RANGE).tags();
    w.string('member-2');
    if (v >= 5) w.nullableString(null);
    w.bytes(EMPTY).tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const heartbeat: GoldenCase = {
  apiKey: ApiKey.Heartbeat,
  name: 'Heartbeat',
  versions: [0, 4],
  request(v) {
    const message = { groupId: 'grp', generationId: 3, memberId: 'member-1', groupInstanceId: v >= 3 ? 'instance-1' : null };
    const w = new ByteWriter(v >= 4);
    w.string('grp').int32(3).string('member-1');
    if (v >= 3) w.nullableString('instance-1');
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = { throttleTimeMs: v >= 1 ? 8 : 0, errorCode: 27 };
    const w = new ByteWriter(v >= 4);
    if (v >= 1) w.int32(8);
    w.int16(27).tags();
    return { message, bytes: w.buf() };
  },
};

export const leaveGroup: GoldenCase = {
  apiKey: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  versions: [0, 5],
  request(v) {
    const w = new ByteWriter(v >= 4);
    if (v < 3) {
      w.string('grp').string('member-1');
      return { message: { groupId: 'grp', memberId: 'member-1', members: [] }, bytes: w.buf() };
    }
    const message = {
      groupId: 'grp',
      memberId: '',
      members: [
        { memberId: 'member-1', groupInstanceId: null, reason: v >= 5 ? 'shutting down' : null },
        { memberId: '', groupInstanceId: 'instance-2', reason: null },
      ],
    };
    w.string('grp').array(2);
    w.string('member-1').nullableString(null);
    if (v >= 5) w.nullableString('shutting down');
    w.tags();
    w.string('').nullableString('instance-2');
    if (v >= 5) w.nullableString(null);
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 1 ? 9 : 0,
      errorCode: 0,
      members:
        v >= 3
          ? [
              { memberId: 'member-1', groupInstanceId: null, errorCode: 0 },
              { memberId: 'member-2', groupInstanceId: 'instance-2', errorCode: 25 },
            ]
          : [],
    };
    const w = new ByteWriter(v >= 4);
    if (v >= 1) w.int32(9);
    w.int16(0);
    if (v >= 3) {
      w.array(2);
      w.string('member-1').nullableString(null).int16(0).tags();
      w.string('member-2').nullableString('instance-2').int16(25).tags();
    }
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const syncGroup: GoldenCase = {
  apiKey: ApiKey.SyncGroup,
  name: 'SyncGroup',
  versions: [0, 5],
  request(v) {
    const message = {
      groupId: 'grp',
      generationId: 3,
      memberId: 'member-1',
      groupInstanceId: v >= 3 ? 'instance-1' : null,
      protocolType: v >= 5 ? 'consumer' : null,
      protocolName: v >= 5 ? 'range' : null,
      assignments: [
        { memberId: 'member-1', assignment: ASSIGNMENT },
        { memberId: 'member-2', assignment: EMPTY },
      ],
    };
    const w = new ByteWriter(v >= 4);
    w.string('grp').int32(3).string('member-1');
    if (v >= 3) w.nullableString('instance-1');
    if (v >= 5) w.nullableString('consumer').nullableString('range');
    w.array(2);
    w.string('member-1').bytes(ASSIGNMENT).tags();
    w.string('member-2').bytes(EMPTY).tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 1 ? 10 : 0,
      errorCode: 0,
      protocolType: v >= 5 ? 'consumer' : null,
      protocolName: v >= 5 ? 'range' : null,
      assignment: ASSIGNMENT,
    };
    const w = new ByteWriter(v >= 4);
    if (v >= 1) w.int32(10);
    w.int16(0);
    if (v >= 5) w.nullableString('consumer').nullableString('range');
    w.bytes(ASSIGNMENT).tags();
    return { message, bytes: w.buf() };
  },
};

export const describeGroups: GoldenCase = {
  apiKey: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  versions: [0, 5],
  request(v) {
    const message = { groups: ['grp', 'grp2'], includeAuthorizedOperations: v >= 3 };
    const w = new ByteWriter(v >= 5);
    w.strings(['grp', 'grp2']);
    if (v >= 3) w.bool(true);
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 1 ? 11 : 0,
      groups: [
        {
          errorCode: 0,
          groupId: 'grp',
          groupState: 'Stable',
          protocolType: 'consumer',
          protocolData: 'range',
          members: [
            {
              memberId: 'member-1',
              groupInstanceId: v >= 4 ? 'instance-1' : null,
              clientId: 'client-1',
              clientHost: '/127.0.0.1',
              memberMetadata: META_RANGE,
              memberAssignment: ASSIGNMENT,
            },
          ],
          authorizedOperations: v >= 3 ? 0x0ff8 : INT32_MIN,
        },
        {
          errorCode: 69,
          groupId: 'grp2',
          groupState: 'Dead',
          protocolType: '',
          protocolData: '',
          members: [],
          authorizedOperations: INT32_MIN,
        },
      ],
    };
    const w = new ByteWriter(v >= 5);
    if (v >= 1) w.int32(11);
    w.array(2);
    w.int16(0).string('grp').string('Stable').string('consumer').string('range').array(1);
    w.string('member-1');
    if (v >= 4) w.nullableString('instance-1');
    w.string('client-1').string('/127.0.0.1').bytes(META_RANGE).bytes(ASSIGNMENT).tags();
    if (v >= 3) w.int32(0x0ff8);
    w.tags();
    w.int16(69).string('grp2').string('Dead').string('').string('').array(0);
    if (v >= 3) w.int32(INT32_MIN);
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const listGroups: GoldenCase = {
  apiKey: ApiKey.ListGroups,
  name: 'ListGroups',
  versions: [0, 5],
  request(v) {
    const message = { statesFilter: v >= 4 ? ['Stable', 'Empty'] : [], typesFilter: v >= 5 ? ['classic', 'Consumer'] : [] };
    const w = new ByteWriter(v >= 3);
    if (v >= 4) w.strings(['Stable', 'Empty']);
    if (v >= 5) w.strings(['classic', 'Consumer']);
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 1 ? 12 : 0,
      errorCode: 0,
      groups: [
        { groupId: 'grp', protocolType: 'consumer', groupState: v >= 4 ? 'Stable' : '', groupType: v >= 5 ? 'classic' : '' },
        { groupId: 'connect-1', protocolType: 'connect', groupState: v >= 4 ? 'Empty' : '', groupType: v >= 5 ? 'classic' : '' },
      ],
    };
    const w = new ByteWriter(v >= 3);
    if (v >= 1) w.int32(12);
    w.int16(0).array(2);
    w.string('grp').string('consumer');
    if (v >= 4) w.string('Stable');
    if (v >= 5) w.string('classic');
    w.tags();
    w.string('connect-1').string('connect');
    if (v >= 4) w.string('Empty');
    if (v >= 5) w.string('classic');
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const deleteGroups: GoldenCase = {
  apiKey: ApiKey.DeleteGroups,
  name: 'DeleteGroups',
  versions: [0, 2],
  request(v) {
    const w = new ByteWriter(v >= 2);
    w.strings(['grp', 'grp2']).tags();
    return { message: { groupsNames: ['grp', 'grp2'] }, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: 13,
      results: [
        { groupId: 'grp', errorCode: 0 },
        { groupId: 'grp2', errorCode: 68 },
      ],
    };
    const w = new ByteWriter(v >= 2);
    w.int32(13).array(2);
    w.string('grp').int16(0).tags();
    w.string('grp2').int16(68).tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const offsetDelete: GoldenCase = {
  apiKey: ApiKey.OffsetDelete,
  name: 'OffsetDelete',
  versions: [0, 0],
  request() {
    const message = { groupId: 'grp', topics: [{ name: 'orders', partitions: [{ partitionIndex: 0 }, { partitionIndex: 2 }] }] };
    // group "grp", 1 topic "orders", partitions [0, 2]; classic (non-flexible) encoding.
    const bytes = Buffer.from('0003677270' + '00000001' + '00066f7264657273' + '00000002' + '00000000' + '00000002', 'hex');
    return { message, bytes };
  },
  response() {
    const message = {
      errorCode: 0,
      throttleTimeMs: 13,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 2, errorCode: 86 }] }],
    };
    // error NONE, throttle 13 ms, "orders": partition 0 NONE, partition 2 GROUP_SUBSCRIBED_TO_TOPIC (86).
    const bytes = Buffer.from('0000' + '0000000d' + '00000001' + '00066f7264657273' + '00000002' + '000000000000' + '000000020056', 'hex');
    return { message, bytes };
  },
};

export const GROUP_CASES: GoldenCase[] = [
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  deleteGroups,
  offsetDelete,
];
