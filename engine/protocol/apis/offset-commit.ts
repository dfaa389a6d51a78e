/**
 * OffsetCommit (API key 8): a consumer group member commits its consumed offsets.
 *
 * Versions implemented: 0-9 (= Kafka 4.0). Flexible from v8.
 * History: v1 adds generation, member id and a per-partition commitTimestamp (v1 only);
 * v2 replaces commitTimestamp with a group-level retentionTimeMs (removed again in v5);
 * v3 throttleTimeMs in the response; v6 committedLeaderEpoch; v7 groupInstanceId
 * (static membership, KIP-345); v8 flexible; v9 has v8's layout and is the first version
 * a KIP-848 consumer may use (generationIdOrMemberEpoch then carries its member epoch). A
 * v9 commit with a generation >= 0 to a group that does not exist is answered
 * GROUP_ID_NOT_FOUND, where older versions get ILLEGAL_GENERATION (see wire-versions.ts).
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const offsetCommitSchema = {
  apiKey: 8,
  name: 'OffsetCommit',
  validVersions: [0, 9],
  kafkaVersions: [0, 9],
  flexibleVersions: '8+',
  request: [
    { name: 'groupId', type: 'string', versions: '0+', entityType: 'groupId' },
    { name: 'generationIdOrMemberEpoch', type: 'int32', versions: '1+', default: -1, ignorable: true },
    { name: 'memberId', type: 'string', versions: '1+', ignorable: true },
    { name: 'groupInstanceId', type: 'string', versions: '7+', nullableVersions: '7+', default: null },
    { name: 'retentionTimeMs', type: 'int64', versions: '2-4', default: -1, ignorable: true },
    {
      name: 'topics',
      type: '[]OffsetCommitRequestTopic',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]OffsetCommitRequestPartition',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'committedOffset', type: 'int64', versions: '0+' },
            { name: 'committedLeaderEpoch', type: 'int32', versions: '6+', default: -1, ignorable: true },
            { name: 'commitTimestamp', type: 'int64', versions: '1', default: -1 },
            { name: 'committedMetadata', type: 'string', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+', ignorable: true },
    {
      name: 'topics',
      type: '[]OffsetCommitResponseTopic',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]OffsetCommitResponsePartition',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
          ],
        },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type OffsetCommitRequest = Message<typeof offsetCommitSchema.request>;
export type OffsetCommitRequestInput = MessageInput<typeof offsetCommitSchema.request>;
export type OffsetCommitResponse = Message<typeof offsetCommitSchema.response>;
export type OffsetCommitResponseInput = MessageInput<typeof offsetCommitSchema.response>;
