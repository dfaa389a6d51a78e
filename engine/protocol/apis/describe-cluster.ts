/**
 * DescribeCluster (API key 60): cluster id, controller and brokers, for admin clients
 * (KIP-700).
 *
 * Versions implemented: 0-1 (= Kafka 4.0). Flexible from v0 (every version).
 * History: v1 endpointType (KIP-919: 1 = brokers, 2 = controllers), and the errors
 * MISMATCHED_ENDPOINT_TYPE / UNSUPPORTED_ENDPOINT_TYPE.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const describeClusterSchema = {
  apiKey: 60,
  name: 'DescribeCluster',
  validVersions: [0, 1],
  kafkaVersions: [0, 1],
  flexibleVersions: '0+',
  request: [
    { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '0+' },
    { name: 'endpointType', type: 'int8', versions: '1+', default: 1 },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
    { name: 'endpointType', type: 'int8', versions: '1+', default: 1 },
    { name: 'clusterId', type: 'string', versions: '0+' },
    { name: 'controllerId', type: 'int32', versions: '0+', default: -1, entityType: 'brokerId' },
    {
      name: 'brokers',
      type: '[]DescribeClusterBroker',
      versions: '0+',
      fields: [
        { name: 'brokerId', type: 'int32', versions: '0+', mapKey: true, entityType: 'brokerId' },
        { name: 'host', type: 'string', versions: '0+' },
        { name: 'port', type: 'int32', versions: '0+' },
        { name: 'rack', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      ],
    },
    { name: 'clusterAuthorizedOperations', type: 'int32', versions: '0+', default: -2147483648 },
  ],
} as const satisfies ApiSchema;

export type DescribeClusterRequest = Message<typeof describeClusterSchema.request>;
export type DescribeClusterRequestInput = MessageInput<typeof describeClusterSchema.request>;
export type DescribeClusterResponse = Message<typeof describeClusterSchema.response>;
export type DescribeClusterResponseInput = MessageInput<typeof describeClusterSchema.response>;
