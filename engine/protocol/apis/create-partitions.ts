/**
 * CreatePartitions (API key 37): raise topics' partition counts, optionally with an
 * explicit replica assignment for the new partitions.
 *
 * Versions implemented: 0-3 (= Kafka 4.0). Flexible from v2.
 * History: v1 same as v0; v2 flexible; v3 may answer THROTTLING_QUOTA_EXCEEDED (KIP-599).
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const createPartitionsSchema = {
  apiKey: 37,
  name: 'CreatePartitions',
  validVersions: [0, 3],
  kafkaVersions: [0, 3],
  flexibleVersions: '2+',
  request: [
    {
      name: 'topics',
      type: '[]CreatePartitionsTopic',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        { name: 'count', type: 'int32', versions: '0+' },
        {
          name: 'assignments',
          type: '[]CreatePartitionsAssignment',
          versions: '0+',
          nullableVersions: '0+',
          fields: [{ name: 'brokerIds', type: '[]int32', versions: '0+', entityType: 'brokerId' }],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'results',
      type: '[]CreatePartitionsTopicResult',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type CreatePartitionsRequest = Message<typeof createPartitionsSchema.request>;
export type CreatePartitionsRequestInput = MessageInput<typeof createPartitionsSchema.request>;
export type CreatePartitionsResponse = Message<typeof createPartitionsSchema.response>;
export type CreatePartitionsResponseInput = MessageInput<typeof createPartitionsSchema.response>;
