/**
 * JoinGroup (API key 11): a member joins a consumer group; the coordinator answers once
 * the rebalance completes, electing a leader that will compute the assignment.
 *
 * Versions implemented: 0-9 (= Kafka 4.0). Flexible from v6.
 * History: v1 rebalanceTimeoutMs; v2 throttleTimeMs; v4 the first join without a member
 * id is answered MEMBER_ID_REQUIRED with an assigned id (KIP-394); v5 groupInstanceId
 * (static membership, KIP-345); v6 flexible; v7 the response names the protocol type and
 * protocolName becomes nullable (KIP-559); v8 reason (KIP-800); v9 skipAssignment.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const joinGroupSchema = {
  apiKey: 11,
  name: 'JoinGroup',
  validVersions: [0, 9],
  kafkaVersions: [0, 9],
  flexibleVersions: '6+',
  request: [
    { name: 'groupId', type: 'string', versions: '0+', entityType: 'groupId' },
    { name: 'sessionTimeoutMs', type: 'int32', versions: '0+' },
    // Absent in v0: the session timeout doubles as the rebalance timeout then.
    { name: 'rebalanceTimeoutMs', type: 'int32', versions: '1+', default: -1, ignorable: true },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
    { name: 'protocolType', type: 'string', versions: '0+' },
    {
      name: 'protocols',
      type: '[]JoinGroupRequestProtocol',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', mapKey: true },
        { name: 'metadata', type: 'bytes', versions: '0+' },
      ],
    },
    { name: 'reason', type: 'string', versions: '8+', nullableVersions: '8+', default: null, ignorable: true },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+', default: -1 },
    { name: 'protocolType', type: 'string', versions: '7+', nullableVersions: '7+', default: null, ignorable: true },
    { name: 'protocolName', type: 'string', versions: '0+', nullableVersions: '7+' },
    { name: 'leader', type: 'string', versions: '0+' },
    { name: 'skipAssignment', type: 'bool', versions: '9+', default: false },
    { name: 'memberId', type: 'string', versions: '0+' },
    {
      name: 'members',
      type: '[]JoinGroupResponseMember',
      versions: '0+',
      fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
        { name: 'metadata', type: 'bytes', versions: '0+' },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type JoinGroupRequest = Message<typeof joinGroupSchema.request>;
export type JoinGroupRequestInput = MessageInput<typeof joinGroupSchema.request>;
export type JoinGroupResponse = Message<typeof joinGroupSchema.response>;
export type JoinGroupResponseInput = MessageInput<typeof joinGroupSchema.response>;
