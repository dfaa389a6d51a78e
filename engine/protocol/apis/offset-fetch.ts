/**
 * OffsetFetch (API key 9): a consumer reads its group's committed offsets.
 *
 * Versions implemented: 0-9 (= Kafka 4.0). Flexible from v6.
 * History: v1 reads offsets from Kafka rather than ZooKeeper; v2 topics null = all
 * topics, and a top-level errorCode; v3 throttleTimeMs; v5 committedLeaderEpoch;
 * v6 flexible; v7 requireStable (KIP-447); v8 batches several groups (KIP-709): the
 * single-group fields (groupId, topics, errorCode) are replaced by `groups`; v9 adds each
 * group's memberId and memberEpoch (KIP-848), which only a consumer-protocol group checks:
 * a classic group ignores them, as Kafka's classic group does.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const offsetFetchSchema = {
  apiKey: 9,
  name: 'OffsetFetch',
  validVersions: [0, 9],
  kafkaVersions: [0, 9],
  flexibleVersions: '6+',
  request: [
    { name: 'groupId', type: 'string', versions: '0-7', entityType: 'groupId' },
    {
      name: 'topics',
      type: '[]OffsetFetchRequestTopic',
      versions: '0-7',
      nullableVersions: '2-7',
      fields: [
        { name: 'name', type: 'string', versions: '0-7', entityType: 'topicName' },
        { name: 'partitionIndexes', type: '[]int32', versions: '0-7' },
      ],
    },
    {
      name: 'groups',
      type: '[]OffsetFetchRequestGroup',
      versions: '8+',
      fields: [
        { name: 'groupId', type: 'string', versions: '8+', entityType: 'groupId' },
        { name: 'memberId', type: 'string', versions: '9+', nullableVersions: '9+', default: null, ignorable: true },
        { name: 'memberEpoch', type: 'int32', versions: '9+', default: -1, ignorable: true },
        {
          name: 'topics',
          type: '[]OffsetFetchRequestTopics',
          versions: '8+',
          nullableVersions: '8+',
          fields: [
            { name: 'name', type: 'string', versions: '8+', entityType: 'topicName' },
            { name: 'partitionIndexes', type: '[]int32', versions: '8+' },
          ],
        },
      ],
    },
    { name: 'requireStable', type: 'bool', versions: '7+', default: false },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+', ignorable: true },
    {
      name: 'topics',
      type: '[]OffsetFetchResponseTopic',
      versions: '0-7',
      fields: [
        { name: 'name', type: 'string', versions: '0-7', entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]OffsetFetchResponsePartition',
          versions: '0-7',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0-7' },
            { name: 'committedOffset', type: 'int64', versions: '0-7' },
            { name: 'committedLeaderEpoch', type: 'int32', versions: '5-7', default: -1, ignorable: true },
            { name: 'metadata', type: 'string', versions: '0-7', nullableVersions: '0-7' },
            { name: 'errorCode', type: 'int16', versions: '0-7' },
          ],
        },
      ],
    },
    { name: 'errorCode', type: 'int16', versions: '2-7', default: 0, ignorable: true },
    {
      name: 'groups',
      type: '[]OffsetFetchResponseGroup',
      versions: '8+',
      fields: [
        { name: 'groupId', type: 'string', versions: '8+', entityType: 'groupId' },
        {
          name: 'topics',
          type: '[]OffsetFetchResponseTopics',
          versions: '8+',
          fields: [
            { name: 'name', type: 'string', versions: '8+', entityType: 'topicName' },
            {
              name: 'partitions',
              type: '[]OffsetFetchResponsePartitions',
              versions: '8+',
              fields: [
                { name: 'partitionIndex', type: 'int32', versions: '8+' },
                { name: 'committedOffset', type: 'int64', versions: '8+' },
                { name: 'committedLeaderEpoch', type: 'int32', versions: '8+', default: -1, ignorable: true },
                { name: 'metadata', type: 'string', versions: '8+', nullableVersions: '8+' },
                { name: 'errorCode', type: 'int16', versions: '8+' },
              ],
            },
          ],
        },
        { name: 'errorCode', type: 'int16', versions: '8+', default: 0 },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type OffsetFetchRequest = Message<typeof offsetFetchSchema.request>;
export type OffsetFetchRequestInput = MessageInput<typeof offsetFetchSchema.request>;
export type OffsetFetchResponse = Message<typeof offsetFetchSchema.response>;
export type OffsetFetchResponseInput = MessageInput<typeof offsetFetchSchema.response>;
