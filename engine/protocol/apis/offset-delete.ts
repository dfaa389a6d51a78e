/**
 * OffsetDelete (API key 47): delete a group's committed offsets of given partitions
 * (KIP-496; `kafka-consumer-groups --delete-offsets`).
 *
 * Versions implemented: 0 (= Kafka 4.0, whose request schema has version 0 only). Not flexible.
 * Errors: a top-level one (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, coordinator errors) leaves
 * `topics` empty; otherwise each partition carries its own (GROUP_SUBSCRIBED_TO_TOPIC,
 * UNKNOWN_TOPIC_OR_PARTITION).
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const offsetDeleteSchema = {
  apiKey: 47,
  name: 'OffsetDelete',
  validVersions: [0, 0],
  kafkaVersions: [0, 0],
  flexibleVersions: 'none',
  request: [
    { name: 'groupId', type: 'string', versions: '0+', entityType: 'groupId' },
    {
      name: 'topics',
      type: '[]OffsetDeleteRequestTopic',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        { name: 'partitions', type: '[]OffsetDeleteRequestPartition', versions: '0+', fields: [{ name: 'partitionIndex', type: 'int32', versions: '0+' }] },
      ],
    },
  ],
  response: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'throttleTimeMs', type: 'int32', versions: '0+', ignorable: true },
    {
      name: 'topics',
      type: '[]OffsetDeleteResponseTopic',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        {
          name: 'partitions',
          type: '[]OffsetDeleteResponsePartition',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+', mapKey: true },
            { name: 'errorCode', type: 'int16', versions: '0+' },
          ],
        },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type OffsetDeleteRequest = Message<typeof offsetDeleteSchema.request>;
export type OffsetDeleteRequestInput = MessageInput<typeof offsetDeleteSchema.request>;
export type OffsetDeleteResponse = Message<typeof offsetDeleteSchema.response>;
export type OffsetDeleteResponseInput = MessageInput<typeof offsetDeleteSchema.response>;
