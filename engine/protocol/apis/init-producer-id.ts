/**
 * InitProducerId (API key 22): an idempotent or transactional producer obtains its
 * producer id and epoch.
 *
 * Versions implemented: 0-5 (= Kafka 4.0). Flexible from v2.
 * History: v1 same as v0; v2 flexible; v3 producerId/producerEpoch so a producer can
 * resume after INVALID_PRODUCER_EPOCH (KIP-360); v4 may answer PRODUCER_FENCED; v5 has
 * v4's layout and may answer TRANSACTION_ABORTABLE (KIP-890), a transactional error this
 * cluster, which has no transaction coordinator, never gives.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const initProducerIdSchema = {
  apiKey: 22,
  name: 'InitProducerId',
  validVersions: [0, 5],
  kafkaVersions: [0, 5],
  flexibleVersions: '2+',
  request: [
    { name: 'transactionalId', type: 'string', versions: '0+', nullableVersions: '0+', entityType: 'transactionalId' },
    { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '3+', default: -1, entityType: 'producerId' },
    { name: 'producerEpoch', type: 'int16', versions: '3+', default: -1 },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+', default: -1, entityType: 'producerId' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
  ],
} as const satisfies ApiSchema;

export type InitProducerIdRequest = Message<typeof initProducerIdSchema.request>;
export type InitProducerIdRequestInput = MessageInput<typeof initProducerIdSchema.request>;
export type InitProducerIdResponse = Message<typeof initProducerIdSchema.response>;
export type InitProducerIdResponseInput = MessageInput<typeof initProducerIdSchema.response>;
