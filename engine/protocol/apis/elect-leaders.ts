/**
 * ElectLeaders (API key 43): elect partition leaders on demand — the preferred replica
 * (the first in the replica list) or, for a partition without a live leader, any live
 * replica even if out of sync (unclean, may lose acknowledged records).
 *
 * Versions implemented: 0-2 (= Kafka's 0-2). Flexible from v2.
 * History: v1 adds ElectionType (KIP-460; v0 is always preferred) and a top-level
 * ErrorCode in the response; v2 flexible. A null TopicPartitions means every partition.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const electLeadersSchema = {
  apiKey: 43,
  name: 'ElectLeaders',
  validVersions: [0, 2],
  kafkaVersions: [0, 2],
  flexibleVersions: '2+',
  request: [
    { name: 'electionType', type: 'int8', versions: '1+' },
    {
      name: 'topicPartitions',
      type: '[]TopicPartitions',
      versions: '0+',
      nullableVersions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+', entityType: 'topicName', mapKey: true },
        { name: 'partitions', type: '[]int32', versions: '0+' },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '1+', ignorable: false },
    {
      name: 'replicaElectionResults',
      type: '[]ReplicaElectionResult',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+', entityType: 'topicName' },
        {
          name: 'partitionResult',
          type: '[]PartitionResult',
          versions: '0+',
          fields: [
            { name: 'partitionId', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type ElectLeadersRequest = Message<typeof electLeadersSchema.request>;
export type ElectLeadersRequestInput = MessageInput<typeof electLeadersSchema.request>;
export type ElectLeadersResponse = Message<typeof electLeadersSchema.response>;
export type ElectLeadersResponseInput = MessageInput<typeof electLeadersSchema.response>;
