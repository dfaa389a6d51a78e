/**
 * Heartbeat (API key 12): a group member tells the coordinator it is alive; the answer
 * REBALANCE_IN_PROGRESS tells it to rejoin.
 *
 * Versions implemented: 0-4 (= Kafka 4.0). Flexible from v4.
 * History: v1 throttleTimeMs in the response; v2 same; v3 groupInstanceId (KIP-345);
 * v4 flexible.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const heartbeatSchema = {
  apiKey: 12,
  name: 'Heartbeat',
  validVersions: [0, 4],
  kafkaVersions: [0, 4],
  flexibleVersions: '4+',
  request: [
    { name: 'groupId', type: 'string', versions: '0+', entityType: 'groupId' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
} as const satisfies ApiSchema;

export type HeartbeatRequest = Message<typeof heartbeatSchema.request>;
export type HeartbeatRequestInput = MessageInput<typeof heartbeatSchema.request>;
export type HeartbeatResponse = Message<typeof heartbeatSchema.response>;
export type HeartbeatResponseInput = MessageInput<typeof heartbeatSchema.response>;
