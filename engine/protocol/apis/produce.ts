/**
 * Produce (API key 0): a client appends record batches to partitions.
 *
 * Versions implemented: 0-11 (= current Kafka). Flexible from v9.
 * History: v1-v2 requests equal v0; v3 adds transactionalId and message format v2
 * (RecordBatch); v4 may answer KAFKA_STORAGE_ERROR; v5-v6 equal v3; v7 allows zstd
 * (KIP-110); v8 responses carry recordErrors and errorMessage (KIP-467); v9 is flexible;
 * v10 responses carry the KIP-951 leader hints (tagged currentLeader per partition and
 * nodeEndpoints) for partitions answered NOT_LEADER_OR_FOLLOWER; v11 may answer
 * TRANSACTION_ABORTABLE (KIP-890), which a broker without transactions never does.
 * Response: v1 adds throttleTimeMs, v2 logAppendTimeMs, v5 logStartOffset.
 * `records` stays raw bytes here (a view of the request frame on decode, a separate
 * output chunk on encode); the storage layer parses record batches.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const produceSchema = {
  apiKey: 0,
  name: 'Produce',
  validVersions: [0, 11],
  kafkaVersions: [0, 11],
  flexibleVersions: '9+',
  request: [
    { name: 'transactionalId', type: 'string', versions: '3+', nullableVersions: '3+', default: null, entityType: 'transactionalId' },
    { name: 'acks', type: 'int16', versions: '0+' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    {
      name: 'topicData',
      type: '[]TopicProduceData',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        {
          name: 'partitionData',
          type: '[]PartitionProduceData',
          versions: '0+',
          fields: [
            { name: 'index', type: 'int32', versions: '0+' },
            { name: 'records', type: 'records', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
  ],
  response: [
    {
      name: 'responses',
      type: '[]TopicProduceResponse',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        {
          name: 'partitionResponses',
          type: '[]PartitionProduceResponse',
          versions: '0+',
          fields: [
            { name: 'index', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'baseOffset', type: 'int64', versions: '0+' },
            { name: 'logAppendTimeMs', type: 'int64', versions: '2+', default: -1, ignorable: true },
            { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1, ignorable: true },
            {
              name: 'recordErrors',
              type: '[]BatchIndexAndErrorMessage',
              versions: '8+',
              ignorable: true,
              fields: [
                { name: 'batchIndex', type: 'int32', versions: '8+' },
                { name: 'batchIndexErrorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: null },
              ],
            },
            { name: 'errorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: null, ignorable: true },
            {
              name: 'currentLeader',
              type: 'LeaderIdAndEpoch',
              versions: '10+',
              taggedVersions: '10+',
              tag: 0,
              fields: [
                { name: 'leaderId', type: 'int32', versions: '10+', default: -1, entityType: 'brokerId' },
                { name: 'leaderEpoch', type: 'int32', versions: '10+', default: -1 },
              ],
            },
          ],
        },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0, ignorable: true },
    {
      name: 'nodeEndpoints',
      type: '[]NodeEndpoint',
      versions: '10+',
      taggedVersions: '10+',
      tag: 0,
      fields: [
        { name: 'nodeId', type: 'int32', versions: '10+', mapKey: true, entityType: 'brokerId' },
        { name: 'host', type: 'string', versions: '10+' },
        { name: 'port', type: 'int32', versions: '10+' },
        { name: 'rack', type: 'string', versions: '10+', nullableVersions: '10+', default: null },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type ProduceRequest = Message<typeof produceSchema.request>;
export type ProduceRequestInput = MessageInput<typeof produceSchema.request>;
export type ProduceResponse = Message<typeof produceSchema.response>;
export type ProduceResponseInput = MessageInput<typeof produceSchema.response>;
