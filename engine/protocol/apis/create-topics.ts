/**
 * CreateTopics (API key 19): create topics with a partition count and replication factor
 * (or an explicit replica assignment) and topic configs.
 *
 * Versions implemented: 0-7 (= Kafka 4.0). Flexible from v5.
 * History: v1 validateOnly and a per-topic errorMessage; v2 throttleTimeMs; v4 lets
 * numPartitions / replicationFactor be -1 for the broker defaults (KIP-464); v5 flexible,
 * and the response describes the created topic's configs (KIP-525); v6 may answer
 * THROTTLING_QUOTA_EXCEEDED (KIP-599); v7 returns the new topic's id.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const createTopicsSchema = {
  apiKey: 19,
  name: 'CreateTopics',
  validVersions: [0, 7],
  kafkaVersions: [0, 7],
  flexibleVersions: '5+',
  request: [
    {
      name: 'topics',
      type: '[]CreatableTopic',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        { name: 'numPartitions', type: 'int32', versions: '0+' },
        { name: 'replicationFactor', type: 'int16', versions: '0+' },
        {
          name: 'assignments',
          type: '[]CreatableReplicaAssignment',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+', mapKey: true },
            { name: 'brokerIds', type: '[]int32', versions: '0+', entityType: 'brokerId' },
          ],
        },
        {
          name: 'configs',
          type: '[]CreateableTopicConfig',
          versions: '0+',
          fields: [
            { name: 'name', type: 'string', versions: '0+', mapKey: true },
            { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
    { name: 'validateOnly', type: 'bool', versions: '1+', default: false },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+', ignorable: true },
    {
      name: 'topics',
      type: '[]CreatableTopicResult',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        { name: 'topicId', type: 'uuid', versions: '7+', ignorable: true },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '1+', nullableVersions: '0+', ignorable: true },
        { name: 'topicConfigErrorCode', type: 'int16', versions: '5+', taggedVersions: '5+', tag: 0, ignorable: true },
        { name: 'numPartitions', type: 'int32', versions: '5+', default: -1, ignorable: true },
        { name: 'replicationFactor', type: 'int16', versions: '5+', default: -1, ignorable: true },
        {
          name: 'configs',
          type: '[]CreatableTopicConfigs',
          versions: '5+',
          nullableVersions: '5+',
          ignorable: true,
          fields: [
            { name: 'name', type: 'string', versions: '5+' },
            { name: 'value', type: 'string', versions: '5+', nullableVersions: '5+' },
            { name: 'readOnly', type: 'bool', versions: '5+' },
            { name: 'configSource', type: 'int8', versions: '5+', default: -1, ignorable: true },
            { name: 'isSensitive', type: 'bool', versions: '5+' },
          ],
        },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type CreateTopicsRequest = Message<typeof createTopicsSchema.request>;
export type CreateTopicsRequestInput = MessageInput<typeof createTopicsSchema.request>;
export type CreateTopicsResponse = Message<typeof createTopicsSchema.response>;
export type CreateTopicsResponseInput = MessageInput<typeof createTopicsSchema.response>;
