/**
 * DeleteTopics (API key 20): delete topics by name (or, from v6, by id).
 *
 * Versions implemented: 0-6 (= Kafka 4.0). Flexible from v4.
 * History: v1 throttleTimeMs; v3 may answer TOPIC_DELETION_DISABLED; v4 flexible;
 * v5 errorMessage and THROTTLING_QUOTA_EXCEEDED (KIP-599); v6 replaces topicNames with
 * `topics` carrying a (nullable) name or a topic id, and names become nullable in the
 * response.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const deleteTopicsSchema = {
  apiKey: 20,
  name: 'DeleteTopics',
  validVersions: [0, 6],
  kafkaVersions: [0, 6],
  flexibleVersions: '4+',
  request: [
    {
      name: 'topics',
      type: '[]DeleteTopicState',
      versions: '6+',
      fields: [
        { name: 'name', type: 'string', versions: '6+', nullableVersions: '6+', default: null, entityType: 'topicName' },
        { name: 'topicId', type: 'uuid', versions: '6+' },
      ],
    },
    { name: 'topicNames', type: '[]string', versions: '0-5', ignorable: true, entityType: 'topicName' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    {
      name: 'responses',
      type: '[]DeletableTopicResult',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', nullableVersions: '6+', mapKey: true, entityType: 'topicName' },
        { name: 'topicId', type: 'uuid', versions: '6+', ignorable: true },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type DeleteTopicsRequest = Message<typeof deleteTopicsSchema.request>;
export type DeleteTopicsRequestInput = MessageInput<typeof deleteTopicsSchema.request>;
export type DeleteTopicsResponse = Message<typeof deleteTopicsSchema.response>;
export type DeleteTopicsResponseInput = MessageInput<typeof deleteTopicsSchema.response>;
