/**
 * ApiVersions (API key 18): a client asks which API versions the broker supports.
 *
 * Versions implemented: 0-4 (= Kafka 4.0). Flexible from v3.
 * History: v0-v2 requests are empty; v3 (first flexible version) adds the client's
 * software name and version. The response adds throttleTimeMs in v1; v3 adds the feature
 * lists as tagged fields (KIP-584) and ZK-migration readiness; v4 has v3's layout and only
 * lets a supported feature's minVersion be 0 (KAFKA-17011), which matters only to a
 * broker that advertises features (this one advertises none).
 * Special case: the response header is always v0, even at flexible versions (KIP-511),
 * so an old client can parse the error response to an ApiVersions request it sent at a
 * version the broker does not know (see framing.ts for that fallback).
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const apiVersionsSchema = {
  apiKey: 18,
  name: 'ApiVersions',
  validVersions: [0, 4],
  kafkaVersions: [0, 4],
  flexibleVersions: '3+',
  request: [
    { name: 'clientSoftwareName', type: 'string', versions: '3+', ignorable: true },
    { name: 'clientSoftwareVersion', type: 'string', versions: '3+', ignorable: true },
  ],
  response: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'apiKeys',
      type: '[]ApiVersion',
      versions: '0+',
      fields: [
        { name: 'apiKey', type: 'int16', versions: '0+', mapKey: true },
        { name: 'minVersion', type: 'int16', versions: '0+' },
        { name: 'maxVersion', type: 'int16', versions: '0+' },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    {
      name: 'supportedFeatures',
      type: '[]SupportedFeatureKey',
      versions: '3+',
      taggedVersions: '3+',
      tag: 0,
      ignorable: true,
      fields: [
        { name: 'name', type: 'string', versions: '3+', mapKey: true },
        { name: 'minVersion', type: 'int16', versions: '3+' },
        { name: 'maxVersion', type: 'int16', versions: '3+' },
      ],
    },
    { name: 'finalizedFeaturesEpoch', type: 'int64', versions: '3+', taggedVersions: '3+', tag: 1, default: -1, ignorable: true },
    {
      name: 'finalizedFeatures',
      type: '[]FinalizedFeatureKey',
      versions: '3+',
      taggedVersions: '3+',
      tag: 2,
      ignorable: true,
      fields: [
        { name: 'name', type: 'string', versions: '3+', mapKey: true },
        { name: 'maxVersionLevel', type: 'int16', versions: '3+' },
        { name: 'minVersionLevel', type: 'int16', versions: '3+' },
      ],
    },
    { name: 'zkMigrationReady', type: 'bool', versions: '3+', taggedVersions: '3+', tag: 3, default: false, ignorable: true },
  ],
} as const satisfies ApiSchema;

export type ApiVersionsRequest = Message<typeof apiVersionsSchema.request>;
export type ApiVersionsRequestInput = MessageInput<typeof apiVersionsSchema.request>;
export type ApiVersionsResponse = Message<typeof apiVersionsSchema.response>;
export type ApiVersionsResponseInput = MessageInput<typeof apiVersionsSchema.response>;
