/**
 * LeaveGroup (API key 13): members leave a consumer group (triggering a rebalance).
 *
 * Versions implemented: 0-5 (= Kafka 4.0). Flexible from v4.
 * History: v1 throttleTimeMs; v2 same; v3 batches members with their groupInstanceId
 * (KIP-345), replacing the single memberId; v4 flexible; v5 per-member reason (KIP-800).
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const leaveGroupSchema = {
  apiKey: 13,
  name: 'LeaveGroup',
  validVersions: [0, 5],
  kafkaVersions: [0, 5],
  flexibleVersions: '4+',
  request: [
    { name: 'groupId', type: 'string', versions: '0+', entityType: 'groupId' },
    { name: 'memberId', type: 'string', versions: '0-2' },
    {
      name: 'members',
      type: '[]MemberIdentity',
      versions: '3+',
      fields: [
        { name: 'memberId', type: 'string', versions: '3+' },
        { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
        { name: 'reason', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'members',
      type: '[]MemberResponse',
      versions: '3+',
      fields: [
        { name: 'memberId', type: 'string', versions: '3+' },
        { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+' },
        { name: 'errorCode', type: 'int16', versions: '3+' },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type LeaveGroupRequest = Message<typeof leaveGroupSchema.request>;
export type LeaveGroupRequestInput = MessageInput<typeof leaveGroupSchema.request>;
export type LeaveGroupResponse = Message<typeof leaveGroupSchema.response>;
export type LeaveGroupResponseInput = MessageInput<typeof leaveGroupSchema.response>;
