/**
 * FindCoordinator (API key 10): which broker coordinates a consumer group (keyType 0),
 * a transactional id (keyType 1) or a share-group state partition (keyType 2, v6+).
 *
 * Versions implemented: 0-6 (= Kafka 4.0). Flexible from v3.
 * History: v1 adds keyType, throttleTimeMs and errorMessage; v2 same as v1; v3 flexible;
 * v4 batches keys (KIP-699): `key` becomes `coordinatorKeys` and the single answer
 * becomes `coordinators`; v5 has v4's layout and may answer TRANSACTION_ABORTABLE
 * (KIP-890); v6 has v4's layout and admits keyType 2, share groups (KIP-932), which an
 * older version asking for it gets INVALID_REQUEST for.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const findCoordinatorSchema = {
  apiKey: 10,
  name: 'FindCoordinator',
  validVersions: [0, 6],
  kafkaVersions: [0, 6],
  flexibleVersions: '3+',
  request: [
    { name: 'key', type: 'string', versions: '0-3' },
    { name: 'keyType', type: 'int8', versions: '1+', default: 0 },
    { name: 'coordinatorKeys', type: '[]string', versions: '4+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0-3' },
    { name: 'errorMessage', type: 'string', versions: '1-3', nullableVersions: '1-3', ignorable: true },
    { name: 'nodeId', type: 'int32', versions: '0-3', entityType: 'brokerId' },
    { name: 'host', type: 'string', versions: '0-3' },
    { name: 'port', type: 'int32', versions: '0-3' },
    {
      name: 'coordinators',
      type: '[]Coordinator',
      versions: '4+',
      fields: [
        { name: 'key', type: 'string', versions: '4+' },
        { name: 'nodeId', type: 'int32', versions: '4+', entityType: 'brokerId' },
        { name: 'host', type: 'string', versions: '4+' },
        { name: 'port', type: 'int32', versions: '4+' },
        { name: 'errorCode', type: 'int16', versions: '4+' },
        { name: 'errorMessage', type: 'string', versions: '4+', nullableVersions: '4+', ignorable: true },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type FindCoordinatorRequest = Message<typeof findCoordinatorSchema.request>;
export type FindCoordinatorRequestInput = MessageInput<typeof findCoordinatorSchema.request>;
export type FindCoordinatorResponse = Message<typeof findCoordinatorSchema.response>;
export type FindCoordinatorResponseInput = MessageInput<typeof findCoordinatorSchema.response>;
