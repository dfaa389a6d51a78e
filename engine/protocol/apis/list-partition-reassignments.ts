/**
 * ListPartitionReassignments (API key 46): the reassignments in progress, with each
 * partition's current replica list and the replicas being added and removed (KIP-455).
 * Partitions named in the request that are not being reassigned are left out.
 *
 * Versions implemented: 0 (= Kafka's 0, the newest snapshot's range). Flexible from v0.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const listPartitionReassignmentsSchema = {
  apiKey: 46,
  name: 'ListPartitionReassignments',
  validVersions: [0, 0],
  kafkaVersions: [0, 0],
  flexibleVersions: '0+',
  request: [
    { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
    {
      name: 'topics',
      type: '[]ListPartitionReassignmentsTopics',
      versions: '0+',
      nullableVersions: '0+',
      default: null,
      fields: [
        { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
        { name: 'partitionIndexes', type: '[]int32', versions: '0+' },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
    {
      name: 'topics',
      type: '[]OngoingTopicReassignment',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]OngoingPartitionReassignment',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'replicas', type: '[]int32', versions: '0+', entityType: 'brokerId' },
            { name: 'addingReplicas', type: '[]int32', versions: '0+', entityType: 'brokerId' },
            { name: 'removingReplicas', type: '[]int32', versions: '0+', entityType: 'brokerId' },
          ],
        },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type ListPartitionReassignmentsRequest = Message<typeof listPartitionReassignmentsSchema.request>;
export type ListPartitionReassignmentsRequestInput = MessageInput<typeof listPartitionReassignmentsSchema.request>;
export type ListPartitionReassignmentsResponse = Message<typeof listPartitionReassignmentsSchema.response>;
export type ListPartitionReassignmentsResponseInput = MessageInput<typeof listPartitionReassignmentsSchema.response>;
