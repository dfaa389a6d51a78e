/**
 * DescribeGroups (API key 15): state, protocol and members of consumer groups.
 *
 * Versions implemented: 0-5 (= Kafka 4.0). Flexible from v5.
 * History: v1 throttleTimeMs; v2 same; v3 authorized operations; v4 members'
 * groupInstanceId; v5 flexible. Kafka fills protocolData and the members' metadata and
 * assignment only for a Stable group, and a Dead group has no members.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const describeGroupsSchema = {
  apiKey: 15,
  name: 'DescribeGroups',
  validVersions: [0, 5],
  kafkaVersions: [0, 5],
  flexibleVersions: '5+',
  request: [
    { name: 'groups', type: '[]string', versions: '0+', entityType: 'groupId' },
    { name: 'includeAuthorizedOperations', type: 'bool', versions: '3+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    {
      name: 'groups',
      type: '[]DescribedGroup',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'groupId', type: 'string', versions: '0+', entityType: 'groupId' },
        { name: 'groupState', type: 'string', versions: '0+' },
        { name: 'protocolType', type: 'string', versions: '0+' },
        { name: 'protocolData', type: 'string', versions: '0+' },
        {
          name: 'members',
          type: '[]DescribedGroupMember',
          versions: '0+',
          fields: [
            { name: 'memberId', type: 'string', versions: '0+' },
            { name: 'groupInstanceId', type: 'string', versions: '4+', nullableVersions: '4+', default: null, ignorable: true },
            { name: 'clientId', type: 'string', versions: '0+' },
            { name: 'clientHost', type: 'string', versions: '0+' },
            { name: 'memberMetadata', type: 'bytes', versions: '0+' },
            { name: 'memberAssignment', type: 'bytes', versions: '0+' },
          ],
        },
        { name: 'authorizedOperations', type: 'int32', versions: '3+', default: -2147483648 },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type DescribeGroupsRequest = Message<typeof describeGroupsSchema.request>;
export type DescribeGroupsRequestInput = MessageInput<typeof describeGroupsSchema.request>;
export type DescribeGroupsResponse = Message<typeof describeGroupsSchema.response>;
export type DescribeGroupsResponseInput = MessageInput<typeof describeGroupsSchema.response>;
