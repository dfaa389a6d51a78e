/**
 * DeleteGroups (API key 42): delete empty consumer groups (and their committed offsets).
 *
 * Versions implemented: 0-2 (= Kafka 4.0). Flexible from v2.
 * History: v1 same as v0 (throttling behaviour only); v2 flexible.
 * Note Kafka's field name is GroupsNames (sic).
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const deleteGroupsSchema = {
  apiKey: 42,
  name: 'DeleteGroups',
  validVersions: [0, 2],
  kafkaVersions: [0, 2],
  flexibleVersions: '2+',
  request: [{ name: 'groupsNames', type: '[]string', versions: '0+', entityType: 'groupId' }],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'results',
      type: '[]DeletableGroupResult',
      versions: '0+',
      fields: [
        { name: 'groupId', type: 'string', versions: '0+', mapKey: true, entityType: 'groupId' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type DeleteGroupsRequest = Message<typeof deleteGroupsSchema.request>;
export type DeleteGroupsRequestInput = MessageInput<typeof deleteGroupsSchema.request>;
export type DeleteGroupsResponse = Message<typeof deleteGroupsSchema.response>;
export type DeleteGroupsResponseInput = MessageInput<typeof deleteGroupsSchema.response>;
