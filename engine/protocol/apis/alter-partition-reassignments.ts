/**
 * AlterPartitionReassignments (API key 45): start moving partitions to target replica
 * lists (which may change the replication factor), or cancel a reassignment in
 * progress with null replicas (KIP-455).
 *
 * Versions implemented: 0 (= Kafka's 0, the newest snapshot's range). Flexible from v0.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const alterPartitionReassignmentsSchema = {
  apiKey: 45,
  name: 'AlterPartitionReassignments',
  validVersions: [0, 0],
  kafkaVersions: [0, 0],
  flexibleVersions: '0+',
  request: [
    { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
    {
      name: 'topics',
      type: '[]ReassignableTopic',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]ReassignablePartition',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'replicas', type: '[]int32', versions: '0+', nullableVersions: '0+', default: null, entityType: 'brokerId' },
          ],
        },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
    {
      name: 'responses',
      type: '[]ReassignableTopicResponse',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]ReassignablePartitionResponse',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type AlterPartitionReassignmentsRequest = Message<typeof alterPartitionReassignmentsSchema.request>;
export type AlterPartitionReassignmentsRequestInput = MessageInput<typeof alterPartitionReassignmentsSchema.request>;
export type AlterPartitionReassignmentsResponse = Message<typeof alterPartitionReassignmentsSchema.response>;
export type AlterPartitionReassignmentsResponseInput = MessageInput<typeof alterPartitionReassignmentsSchema.response>;
