/**
 * DeleteRecords (API key 21): advance partitions' log start offset, deleting the records
 * before it (offset -1 = up to the high watermark).
 *
 * Versions implemented: 0-2 (= current Kafka). Flexible from v2.
 * History: v1 same as v0; v2 flexible.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const deleteRecordsSchema = {
  apiKey: 21,
  name: 'DeleteRecords',
  validVersions: [0, 2],
  kafkaVersions: [0, 2],
  flexibleVersions: '2+',
  request: [
    {
      name: 'topics',
      type: '[]DeleteRecordsTopic',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]DeleteRecordsPartition',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'offset', type: 'int64', versions: '0+' },
          ],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'topics',
      type: '[]DeleteRecordsTopicResult',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]DeleteRecordsPartitionResult',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+', mapKey: true },
            { name: 'lowWatermark', type: 'int64', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
          ],
        },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type DeleteRecordsRequest = Message<typeof deleteRecordsSchema.request>;
export type DeleteRecordsRequestInput = MessageInput<typeof deleteRecordsSchema.request>;
export type DeleteRecordsResponse = Message<typeof deleteRecordsSchema.response>;
export type DeleteRecordsResponseInput = MessageInput<typeof deleteRecordsSchema.response>;
