/**
 * Golden cases for ApiVersions, Metadata and the admin APIs: CreateTopics,
 * DeleteTopics, CreatePartitions, DescribeConfigs, AlterConfigs,
 * IncrementalAlterConfigs, DescribeCluster, SaslHandshake.
 */
import { ApiKey } from '../../../../engine/protocol/registry';
import { ByteWriter } from '../byte-writer';
import { type GoldenCase, INT32_MIN, TOPIC_ID, ZERO } from './case';

export const apiVersions: GoldenCase = {
  apiKey: ApiKey.ApiVersions,
  name: 'ApiVersions',
  versions: [0, 4],
  request(v) {
    const message = {
      clientSoftwareName: v >= 3 ? 'librdkafka' : '',
      clientSoftwareVersion: v >= 3 ? '2.0.2' : '',
    };
    const w = new ByteWriter(v >= 3);
    if (v >= 3) w.string('librdkafka').string('2.0.2');
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      errorCode: 0,
      apiKeys: [
        { apiKey: 0, minVersion: 0, maxVersion: 9 },
        { apiKey: 18, minVersion: 0, maxVersion: 3 },
      ],
      throttleTimeMs: v >= 1 ? 14 : 0,
      // v4 lets a supported feature's minVersion be 0 (KAFKA-17011); the layout is v3's.
      supportedFeatures: v >= 3 ? [{ name: 'metadata.version', minVersion: v >= 4 ? 0 : 1, maxVersion: 19 }] : [],
      finalizedFeaturesEpoch: v >= 3 ? 12 : -1,
      finalizedFeatures: v >= 3 ? [{ name: 'metadata.version', maxVersionLevel: 19, minVersionLevel: 19 }] : [],
      zkMigrationReady: v >= 3,
    };
    const w = new ByteWriter(v >= 3);
    w.int16(0).array(2);
    w.int16(0).int16(0).int16(9).tags();
    w.int16(18).int16(0).int16(3).tags();
    if (v >= 1) w.int32(14);
    if (v >= 3) {
      w.tags(
        [0, (t) => t.array(1).string('metadata.version').int16(v >= 4 ? 0 : 1).int16(19).tags()],
        [1, (t) => t.int64(12)],
        [2, (t) => t.array(1).string('metadata.version').int16(19).int16(19).tags()],
        [3, (t) => t.bool(true)],
      );
    }
    return { message, bytes: w.buf() };
  },
};

export const metadata: GoldenCase = {
  apiKey: ApiKey.Metadata,
  name: 'Metadata',
  versions: [0, 12],
  request(v) {
    // v0: a list (empty would mean all); v1, v5, v9: null (all topics); v12: a lookup by id.
    const topics =
      v !== 0 && v % 4 === 1
        ? null
        : [{ topicId: ZERO, name: 'orders' as string | null }, ...(v >= 12 ? [{ topicId: TOPIC_ID, name: null }] : [])];
    const message = {
      topics,
      allowAutoTopicCreation: v >= 4 ? false : true,
      includeClusterAuthorizedOperations: v >= 8 && v <= 10,
      includeTopicAuthorizedOperations: v >= 8,
    };
    const w = new ByteWriter(v >= 9);
    w.array(topics === null ? null : topics.length);
    for (const t of topics ?? []) {
      if (v >= 10) w.uuid(t.topicId).nullableString(t.name);
      else w.string(t.name!);
      w.tags();
    }
    if (v >= 4) w.bool(false);
    if (v >= 8 && v <= 10) w.bool(true);
    if (v >= 8) w.bool(true);
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 3 ? 15 : 0,
      brokers: [
        { nodeId: 1, host: 'localhost', port: 9092, rack: v >= 1 ? 'rack-a' : null },
        { nodeId: 2, host: 'localhost', port: 9093, rack: null },
      ],
      clusterId: v >= 2 ? 'wb-cluster' : null,
      controllerId: v >= 1 ? 1 : -1,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          topicId: v >= 10 ? TOPIC_ID : ZERO,
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: v >= 7 ? 5 : -1,
              replicaNodes: [1, 2],
              isrNodes: [1, 2],
              offlineReplicas: v >= 5 ? [3] : [],
            },
          ],
          topicAuthorizedOperations: v >= 8 ? 1234 : INT32_MIN,
        },
        {
          errorCode: 3,
          name: v >= 12 ? null : 'missing',
          topicId: ZERO,
          isInternal: v >= 1,
          partitions: [],
          topicAuthorizedOperations: INT32_MIN,
        },
      ],
      clusterAuthorizedOperations: v >= 8 && v <= 10 ? 5678 : INT32_MIN,
    };
    const w = new ByteWriter(v >= 9);
    if (v >= 3) w.int32(15);
    w.array(2);
    w.int32(1).string('localhost').int32(9092);
    if (v >= 1) w.nullableString('rack-a');
    w.tags();
    w.int32(2).string('localhost').int32(9093);
    if (v >= 1) w.nullableString(null);
    w.tags();
    if (v >= 2) w.nullableString('wb-cluster');
    if (v >= 1) w.int32(1);
    w.array(2);
    w.int16(0).string('orders');
    if (v >= 10) w.uuid(TOPIC_ID);
    if (v >= 1) w.bool(false);
    w.array(1).int16(0).int32(0).int32(1);
    if (v >= 7) w.int32(5);
    w.int32s([1, 2]).int32s([1, 2]);
    if (v >= 5) w.int32s([3]);
    w.tags();
    if (v >= 8) w.int32(1234);
    w.tags();
    w.int16(3);
    if (v >= 12) w.nullableString(null);
    else w.string('missing');
    if (v >= 10) w.uuid(ZERO);
    if (v >= 1) w.bool(true);
    w.array(0);
    if (v >= 8) w.int32(INT32_MIN);
    w.tags();
    if (v >= 8 && v <= 10) w.int32(5678);
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const createTopics: GoldenCase = {
  apiKey: ApiKey.CreateTopics,
  name: 'CreateTopics',
  versions: [0, 7],
  request(v) {
    const validateOnly = v >= 1 && v % 2 === 1;
    const message = {
      topics: [
        {
          name: 'orders',
          numPartitions: 3,
          replicationFactor: 2,
          assignments: [],
          configs: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'retention.ms', value: null },
          ],
        },
        {
          name: 'manual',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [
            { partitionIndex: 0, brokerIds: [1, 2] },
            { partitionIndex: 1, brokerIds: [2, 3] },
          ],
          configs: [],
        },
      ],
      timeoutMs: 30000,
      validateOnly,
    };
    const w = new ByteWriter(v >= 5);
    w.array(2);
    w.string('orders').int32(3).int16(2).array(0).array(2);
    w.string('cleanup.policy').nullableString('compact').tags();
    w.string('retention.ms').nullableString(null).tags();
    w.tags();
    w.string('manual').int32(-1).int16(-1).array(2);
    w.int32(0).int32s([1, 2]).tags();
    w.int32(1).int32s([2, 3]).tags();
    w.array(0).tags();
    w.int32(30000);
    if (v >= 1) w.bool(validateOnly);
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 2 ? 16 : 0,
      topics: [
        {
          name: 'orders',
          topicId: v >= 7 ? TOPIC_ID : ZERO,
          errorCode: 0,
          errorMessage: v >= 1 ? null : '',
          topicConfigErrorCode: 0,
          numPartitions: v >= 5 ? 3 : -1,
          replicationFactor: v >= 5 ? 2 : -1,
          configs:
            v >= 5
              ? [
                  { name: 'cleanup.policy', value: 'compact', readOnly: false, configSource: 1, isSensitive: false },
                  { name: 'secret', value: null, readOnly: true, configSource: -1, isSensitive: true },
                ]
              : [],
        },
        {
          name: 'bad',
          topicId: ZERO,
          errorCode: 36,
          errorMessage: v >= 1 ? 'Topic already exists' : '',
          topicConfigErrorCode: v >= 5 ? 29 : 0,
          numPartitions: -1,
          replicationFactor: -1,
          configs: v >= 5 ? null : [],
        },
      ],
    };
    const w = new ByteWriter(v >= 5);
    if (v >= 2) w.int32(16);
    w.array(2);
    w.string('orders');
    if (v >= 7) w.uuid(TOPIC_ID);
    w.int16(0);
    if (v >= 1) w.nullableString(null);
    if (v >= 5) {
      w.int32(3).int16(2).array(2);
      w.string('cleanup.policy').nullableString('compact').bool(false).int8(1).bool(false).tags();
      w.string('secret').nullableString(null).bool(true).int8(-1).bool(true).tags();
    }
    w.tags();
    w.string('bad');
    if (v >= 7) w.uuid(ZERO);
    w.int16(36);
    if (v >= 1) w.nullableString('Topic already exists');
    if (v >= 5) {
      w.int32(-1).int16(-1).array(null);
      w.tags([0, (t) => t.int16(29)]);
    }
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const deleteTopics: GoldenCase = {
  apiKey: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  versions: [0, 6],
  request(v) {
    const w = new ByteWriter(v >= 4);
    if (v < 6) {
      w.strings(['orders', 'clicks']).int32(30000).tags();
      return { message: { topics: [], topicNames: ['orders', 'clicks'], timeoutMs: 30000 }, bytes: w.buf() };
    }
    const message = {
      topics: [
        { name: 'orders', topicId: ZERO },
        { name: null, topicId: TOPIC_ID },
      ],
      topicNames: [],
      timeoutMs: 30000,
    };
    w.array(2);
    w.nullableString('orders').uuid(ZERO).tags();
    w.nullableString(null).uuid(TOPIC_ID).tags();
    w.int32(30000).tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: v >= 1 ? 17 : 0,
      responses: [
        { name: 'orders', topicId: v >= 6 ? TOPIC_ID : ZERO, errorCode: 0, errorMessage: null },
        {
          name: v >= 6 ? null : 'gone',
          topicId: ZERO,
          errorCode: v >= 6 ? 100 : 3,
          errorMessage: v >= 5 ? 'no such topic' : null,
        },
      ],
    };
    const w = new ByteWriter(v >= 4);
    if (v >= 1) w.int32(17);
    w.array(2);
    w.nullableString('orders');
    if (v >= 6) w.uuid(TOPIC_ID);
    w.int16(0);
    if (v >= 5) w.nullableString(null);
    w.tags();
    if (v >= 6) w.nullableString(null).uuid(ZERO);
    else w.string('gone');
    w.int16(v >= 6 ? 100 : 3);
    if (v >= 5) w.nullableString('no such topic');
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const createPartitions: GoldenCase = {
  apiKey: ApiKey.CreatePartitions,
  name: 'CreatePartitions',
  versions: [0, 3],
  request(v) {
    const message = {
      topics: [
        { name: 'orders', count: 6, assignments: null },
        { name: 'clicks', count: 4, assignments: [{ brokerIds: [1, 2] }] },
      ],
      timeoutMs: 30000,
      validateOnly: false,
    };
    const w = new ByteWriter(v >= 2);
    w.array(2);
    w.string('orders').int32(6).array(null).tags();
    w.string('clicks').int32(4).array(1).int32s([1, 2]).tags();
    w.tags();
    w.int32(30000).bool(false).tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: 18,
      results: [
        { name: 'orders', errorCode: 0, errorMessage: null },
        { name: 'clicks', errorCode: 37, errorMessage: 'bad count' },
      ],
    };
    const w = new ByteWriter(v >= 2);
    w.int32(18).array(2);
    w.string('orders').int16(0).nullableString(null).tags();
    w.string('clicks').int16(37).nullableString('bad count').tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

export const describeConfigs: GoldenCase = {
  apiKey: ApiKey.DescribeConfigs,
  name: 'DescribeConfigs',
  versions: [0, 4],
  request(v) {
    const message = {
      resources: [
        { resourceType: 2, resourceName: 'orders', configurationKeys: null },
        { resourceType: 4, resourceName: '1', configurationKeys: ['log.retention.ms'] },
      ],
      includeSynonyms: v >= 1,
      includeDocumentation: v >= 3,
    };
    const w = new ByteWriter(v >= 4);
    w.array(2);
    w.int8(2).string('orders').strings(null).tags();
    w.int8(4).string('1').strings(['log.retention.ms']).tags();
    if (v >= 1) w.bool(true);
    if (v >= 3) w.bool(true);
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: 19,
      results: [
        {
          errorCode: 0,
          errorMessage: null,
          resourceType: 2,
          resourceName: 'orders',
          configs: [
            {
              name: 'cleanup.policy',
              value: 'delete',
              readOnly: false,
              isDefault: v === 0,
              configSource: v >= 1 ? 5 : -1,
              isSensitive: false,
              synonyms: v >= 1 ? [{ name: 'log.cleanup.policy', value: 'delete', source: 5 }] : [],
              configType: v >= 3 ? 7 : 0,
              documentation: v >= 3 ? 'How to clean up' : '',
            },
            {
              name: 'ssl.key.password',
              value: null,
              readOnly: true,
              isDefault: false,
              configSource: v >= 1 ? 4 : -1,
              isSensitive: true,
              synonyms: [],
              configType: v >= 3 ? 9 : 0,
              documentation: v >= 3 ? null : '',
            },
          ],
        },
      ],
    };
    const w = new ByteWriter(v >= 4);
    w.int32(19).array(1).int16(0).nullableString(null).int8(2).string('orders').array(2);
    w.string('cleanup.policy').nullableString('delete').bool(false);
    if (v === 0) w.bool(true);
    if (v >= 1) w.int8(5);
    w.bool(false);
    if (v >= 1) w.array(1).string('log.cleanup.policy').nullableString('delete').int8(5).tags();
    if (v >= 3) w.int8(7).nullableString('How to clean up');
    w.tags();
    w.string('ssl.key.password').nullableString(null).bool(true);
    if (v === 0) w.bool(false);
    if (v >= 1) w.int8(4);
    w.bool(true);
    if (v >= 1) w.array(0);
    if (v >= 3) w.int8(9).nullableString(null);
    w.tags();
    w.tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
};

function alterConfigsResponse(v: number, flexible: boolean) {
  const message = {
    throttleTimeMs: 20,
    responses: [
      { errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders' },
      { errorCode: 40, errorMessage: 'bad value', resourceType: 4, resourceName: '1' },
    ],
  };
  const w = new ByteWriter(flexible);
  w.int32(20).array(2);
  w.int16(0).nullableString(null).int8(2).string('orders').tags();
  w.int16(40).nullableString('bad value').int8(4).string('1').tags();
  w.tags();
  return { message, bytes: w.buf() };
}

export const alterConfigs: GoldenCase = {
  apiKey: ApiKey.AlterConfigs,
  name: 'AlterConfigs',
  versions: [0, 2],
  request(v) {
    const message = {
      resources: [
        {
          resourceType: 2,
          resourceName: 'orders',
          configs: [
            { name: 'retention.ms', value: '60000' },
            { name: 'cleanup.policy', value: null },
          ],
        },
      ],
      validateOnly: true,
    };
    const w = new ByteWriter(v >= 2);
    w.array(1).int8(2).string('orders').array(2);
    w.string('retention.ms').nullableString('60000').tags();
    w.string('cleanup.policy').nullableString(null).tags();
    w.tags();
    w.bool(true).tags();
    return { message, bytes: w.buf() };
  },
  response: (v) => alterConfigsResponse(v, v >= 2),
};

export const incrementalAlterConfigs: GoldenCase = {
  apiKey: ApiKey.IncrementalAlterConfigs,
  name: 'IncrementalAlterConfigs',
  versions: [0, 1],
  request(v) {
    const message = {
      resources: [
        {
          resourceType: 2,
          resourceName: 'orders',
          configs: [
            { name: 'retention.ms', configOperation: 0, value: '60000' },
            { name: 'cleanup.policy', configOperation: 1, value: null },
          ],
        },
      ],
      validateOnly: false,
    };
    const w = new ByteWriter(v >= 1);
    w.array(1).int8(2).string('orders').array(2);
    w.string('retention.ms').int8(0).nullableString('60000').tags();
    w.string('cleanup.policy').int8(1).nullableString(null).tags();
    w.tags();
    w.bool(false).tags();
    return { message, bytes: w.buf() };
  },
  response: (v) => alterConfigsResponse(v, v >= 1),
};

export const describeCluster: GoldenCase = {
  apiKey: ApiKey.DescribeCluster,
  name: 'DescribeCluster',
  versions: [0, 1],
  request(v) {
    const message = { includeClusterAuthorizedOperations: true, endpointType: v >= 1 ? 2 : 1 };
    const w = new ByteWriter(true);
    w.bool(true);
    if (v >= 1) w.int8(2);
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: 21,
      errorCode: 0,
      errorMessage: null,
      endpointType: v >= 1 ? 2 : 1,
      clusterId: 'wb-cluster',
      controllerId: 1,
      brokers: [
        { brokerId: 1, host: 'localhost', port: 9092, rack: null },
        { brokerId: 2, host: 'localhost', port: 9093, rack: 'rack-b' },
      ],
      clusterAuthorizedOperations: INT32_MIN,
    };
    const w = new ByteWriter(true);
    w.int32(21).int16(0).nullableString(null);
    if (v >= 1) w.int8(2);
    w.string('wb-cluster').int32(1).array(2);
    w.int32(1).string('localhost').int32(9092).nullableString(null).tags();
    w.int32(2).string('localhost').int32(9093).nullableString('rack-b').tags();
    w.int32(INT32_MIN).tags();
    return { message, bytes: w.buf() };
  },
};

export const saslHandshake: GoldenCase = {
  apiKey: ApiKey.SaslHandshake,
  name: 'SaslHandshake',
  versions: [0, 1],
  request() {
    return { message: { mechanism: 'PLAIN' }, bytes: new ByteWriter(false).string('PLAIN').buf() };
  },
  response(v) {
    const mechanisms = v === 1 ? ['PLAIN'] : [];
    return {
      message: { errorCode: 33, mechanisms },
      bytes: new ByteWriter(false).int16(33).strings(mechanisms).buf(),
    };
  },
};

export const ADMIN_CASES: GoldenCase[] = [
  apiVersions,
  metadata,
  createTopics,
  deleteTopics,
  createPartitions,
  describeConfigs,
  alterConfigs,
  incrementalAlterConfigs,
  describeCluster,
  saslHandshake,
];
