/**
 * OffsetForLeaderEpoch (API key 23): the end offset of a leader epoch, used by followers
 * and consumers to detect log divergence and truncate (KIP-101, KIP-279, KIP-320).
 *
 * Versions implemented: 0-4 (= current Kafka). Flexible from v4.
 * History: v1 answers the leader epoch too; v2 currentLeaderEpoch (fencing) and
 * throttleTimeMs; v3 replicaId (default -2, a "debug" consumer allowed past the high
 * watermark); v4 flexible.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const offsetForLeaderEpochSchema = {
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  validVersions: [0, 4],
  kafkaVersions: [0, 4],
  flexibleVersions: '4+',
  request: [
    { name: 'replicaId', type: 'int32', versions: '3+', default: -2, ignorable: true, entityType: 'brokerId' },
    {
      name: 'topics',
      type: '[]OffsetForLeaderTopic',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]OffsetForLeaderPartition',
          versions: '0+',
          fields: [
            { name: 'partition', type: 'int32', versions: '0+' },
            { name: 'currentLeaderEpoch', type: 'int32', versions: '2+', default: -1, ignorable: true },
            { name: 'leaderEpoch', type: 'int32', versions: '0+' },
          ],
        },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+', ignorable: true },
    {
      name: 'topics',
      type: '[]OffsetForLeaderTopicResult',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]EpochEndOffset',
          versions: '0+',
          fields: [
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'partition', type: 'int32', versions: '0+' },
            { name: 'leaderEpoch', type: 'int32', versions: '1+', default: -1, ignorable: true },
            { name: 'endOffset', type: 'int64', versions: '0+', default: -1 },
          ],
        },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type OffsetForLeaderEpochRequest = Message<typeof offsetForLeaderEpochSchema.request>;
export type OffsetForLeaderEpochRequestInput = MessageInput<typeof offsetForLeaderEpochSchema.request>;
export type OffsetForLeaderEpochResponse = Message<typeof offsetForLeaderEpochSchema.response>;
export type OffsetForLeaderEpochResponseInput = MessageInput<typeof offsetForLeaderEpochSchema.response>;
