/**
 * ListOffsets (API key 2): the offset for a timestamp, or the earliest (-2) / latest (-1)
 * / max-timestamp (-3) offset of partitions.
 *
 * Versions implemented: 0-10 (= current Kafka). Flexible from v6.
 * History: v0 answers a list of old-style offsets (maxNumOffsets of them); v1 answers one
 * timestamp + offset; v2 adds isolationLevel; v3 same as v2; v4 currentLeaderEpoch and
 * leaderEpoch (KIP-320); v5 same as v4; v6 flexible; v7 allows timestamp -3 (KIP-734);
 * v8 allows -4, the earliest offset of the local log (KIP-405: without tiered storage,
 * the log start offset); v9 allows -5, the latest offset in tiered storage (KIP-1005:
 * without tiered storage, offset -1 with leader epoch -1); v10 adds timeoutMs, the wait
 * for an answer from remote storage (KIP-1075), which a broker without tiered storage
 * never needs.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const listOffsetsSchema = {
  apiKey: 2,
  name: 'ListOffsets',
  validVersions: [0, 10],
  kafkaVersions: [0, 10],
  flexibleVersions: '6+',
  request: [
    { name: 'replicaId', type: 'int32', versions: '0+', entityType: 'brokerId' },
    { name: 'isolationLevel', type: 'int8', versions: '2+' },
    {
      name: 'topics',
      type: '[]ListOffsetsTopic',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]ListOffsetsPartition',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'currentLeaderEpoch', type: 'int32', versions: '4+', default: -1, ignorable: true },
            { name: 'timestamp', type: 'int64', versions: '0+' },
            { name: 'maxNumOffsets', type: 'int32', versions: '0', default: 1 },
          ],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '10+', ignorable: true },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+', ignorable: true },
    {
      name: 'topics',
      type: '[]ListOffsetsTopicResponse',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]ListOffsetsPartitionResponse',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'oldStyleOffsets', type: '[]int64', versions: '0' },
            { name: 'timestamp', type: 'int64', versions: '1+', default: -1 },
            { name: 'offset', type: 'int64', versions: '1+', default: -1 },
            { name: 'leaderEpoch', type: 'int32', versions: '4+', default: -1 },
          ],
        },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type ListOffsetsRequest = Message<typeof listOffsetsSchema.request>;
export type ListOffsetsRequestInput = MessageInput<typeof listOffsetsSchema.request>;
export type ListOffsetsResponse = Message<typeof listOffsetsSchema.response>;
export type ListOffsetsResponseInput = MessageInput<typeof listOffsetsSchema.response>;
