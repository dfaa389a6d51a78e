/**
 * SyncGroup (API key 14): after a join, the leader sends the assignment and every member
 * receives its own share.
 *
 * Versions implemented: 0-5 (= Kafka 4.0). Flexible from v4.
 * History: v1 throttleTimeMs; v2 same; v3 groupInstanceId (KIP-345); v4 flexible;
 * v5 protocolType and protocolName on both sides, checked by the broker (KIP-559).
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const syncGroupSchema = {
  apiKey: 14,
  name: 'SyncGroup',
  validVersions: [0, 5],
  kafkaVersions: [0, 5],
  flexibleVersions: '4+',
  request: [
    { name: 'groupId', type: 'string', versions: '0+', entityType: 'groupId' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
    { name: 'protocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
    { name: 'protocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
    {
      name: 'assignments',
      type: '[]SyncGroupRequestAssignment',
      versions: '0+',
      fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'assignment', type: 'bytes', versions: '0+' },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'protocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
    { name: 'protocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
    { name: 'assignment', type: 'bytes', versions: '0+' },
  ],
} as const satisfies ApiSchema;

export type SyncGroupRequest = Message<typeof syncGroupSchema.request>;
export type SyncGroupRequestInput = MessageInput<typeof syncGroupSchema.request>;
export type SyncGroupResponse = Message<typeof syncGroupSchema.response>;
export type SyncGroupResponseInput = MessageInput<typeof syncGroupSchema.response>;
