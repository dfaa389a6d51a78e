/**
 * ListGroups (API key 16): the groups a broker coordinates.
 *
 * Versions implemented: 0-5 (= Kafka 4.0). Flexible from v3.
 * History: v1 throttleTimeMs; v2 same; v3 flexible; v4 filter by state and report each
 * group's state (KIP-518); v5 filter by group type and report each group's type
 * ("classic", "consumer", "share", KIP-848). Both filters are case-insensitive.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const listGroupsSchema = {
  apiKey: 16,
  name: 'ListGroups',
  validVersions: [0, 5],
  kafkaVersions: [0, 5],
  flexibleVersions: '3+',
  request: [
    { name: 'statesFilter', type: '[]string', versions: '4+' },
    { name: 'typesFilter', type: '[]string', versions: '5+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'groups',
      type: '[]ListedGroup',
      versions: '0+',
      fields: [
        { name: 'groupId', type: 'string', versions: '0+', entityType: 'groupId' },
        { name: 'protocolType', type: 'string', versions: '0+' },
        { name: 'groupState', type: 'string', versions: '4+', ignorable: true },
        { name: 'groupType', type: 'string', versions: '5+', ignorable: true },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type ListGroupsRequest = Message<typeof listGroupsSchema.request>;
export type ListGroupsRequestInput = MessageInput<typeof listGroupsSchema.request>;
export type ListGroupsResponse = Message<typeof listGroupsSchema.response>;
export type ListGroupsResponseInput = MessageInput<typeof listGroupsSchema.response>;
