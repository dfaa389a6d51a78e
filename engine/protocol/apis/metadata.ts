/**
 * Metadata (API key 3): brokers, cluster id, controller, and topics with their partitions'
 * leaders, replicas and ISR. Clients bootstrap from it.
 *
 * Versions implemented: 0-12 (= current Kafka). Flexible from v9.
 * History: request topics null = all topics from v1 (in v0 an empty list means all,
 * from v1 it means none); v4 allowAutoTopicCreation; v8 authorized-operations flags (the
 * cluster one only until v10; v11 moves it to DescribeCluster, KIP-700); v10 adds topic
 * ids and nullable request topic names, which Kafka only honours from v12 (a topic
 * asked for by id alone; an unknown id answers UNKNOWN_TOPIC_ID under a null name).
 * Response: v1 rack, controllerId, isInternal; v2 clusterId; v3 throttleTimeMs;
 * v5 offlineReplicas; v7 leaderEpoch; v8 authorized operations; v10 topicId; v12
 * topic names nullable (a topic looked up by an unknown id).
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const metadataSchema = {
  apiKey: 3,
  name: 'Metadata',
  validVersions: [0, 12],
  kafkaVersions: [0, 12],
  flexibleVersions: '9+',
  request: [
    {
      name: 'topics',
      type: '[]MetadataRequestTopic',
      versions: '0+',
      nullableVersions: '1+',
      fields: [
        { name: 'topicId', type: 'uuid', versions: '10+', ignorable: true },
        { name: 'name', type: 'string', versions: '0+', nullableVersions: '10+', entityType: 'topicName' },
      ],
    },
    { name: 'allowAutoTopicCreation', type: 'bool', versions: '4+', default: true },
    { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '8-10' },
    { name: 'includeTopicAuthorizedOperations', type: 'bool', versions: '8+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+', ignorable: true },
    {
      name: 'brokers',
      type: '[]MetadataResponseBroker',
      versions: '0+',
      fields: [
        { name: 'nodeId', type: 'int32', versions: '0+', mapKey: true, entityType: 'brokerId' },
        { name: 'host', type: 'string', versions: '0+' },
        { name: 'port', type: 'int32', versions: '0+' },
        { name: 'rack', type: 'string', versions: '1+', nullableVersions: '1+', default: null, ignorable: true },
      ],
    },
    { name: 'clusterId', type: 'string', versions: '2+', nullableVersions: '2+', default: null, ignorable: true },
    { name: 'controllerId', type: 'int32', versions: '1+', default: -1, ignorable: true, entityType: 'brokerId' },
    {
      name: 'topics',
      type: '[]MetadataResponseTopic',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'name', type: 'string', versions: '0+', nullableVersions: '12+', mapKey: true, entityType: 'topicName' },
        { name: 'topicId', type: 'uuid', versions: '10+', ignorable: true },
        { name: 'isInternal', type: 'bool', versions: '1+', default: false, ignorable: true },
        {
          name: 'partitions',
          type: '[]MetadataResponsePartition',
          versions: '0+',
          fields: [
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'leaderId', type: 'int32', versions: '0+', entityType: 'brokerId' },
            { name: 'leaderEpoch', type: 'int32', versions: '7+', default: -1, ignorable: true },
            { name: 'replicaNodes', type: '[]int32', versions: '0+', entityType: 'brokerId' },
            { name: 'isrNodes', type: '[]int32', versions: '0+', entityType: 'brokerId' },
            { name: 'offlineReplicas', type: '[]int32', versions: '5+', ignorable: true, entityType: 'brokerId' },
          ],
        },
        { name: 'topicAuthorizedOperations', type: 'int32', versions: '8+', default: -2147483648 },
      ],
    },
    { name: 'clusterAuthorizedOperations', type: 'int32', versions: '8-10', default: -2147483648 },
  ],
} as const satisfies ApiSchema;

export type MetadataRequest = Message<typeof metadataSchema.request>;
export type MetadataRequestInput = MessageInput<typeof metadataSchema.request>;
export type MetadataResponse = Message<typeof metadataSchema.response>;
export type MetadataResponseInput = MessageInput<typeof metadataSchema.response>;
