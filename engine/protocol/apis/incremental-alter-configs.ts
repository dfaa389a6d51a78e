/**
 * IncrementalAlterConfigs (API key 44): set / delete / append / subtract individual
 * config entries (configOperation 0-3, KIP-339).
 *
 * Versions implemented: 0-1 (= Kafka 4.0). Flexible from v1.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const incrementalAlterConfigsSchema = {
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  validVersions: [0, 1],
  kafkaVersions: [0, 1],
  flexibleVersions: '1+',
  request: [
    {
      name: 'resources',
      type: '[]AlterConfigsResource',
      versions: '0+',
      fields: [
        { name: 'resourceType', type: 'int8', versions: '0+', mapKey: true },
        { name: 'resourceName', type: 'string', versions: '0+', mapKey: true },
        {
          name: 'configs',
          type: '[]AlterableConfig',
          versions: '0+',
          fields: [
            { name: 'name', type: 'string', versions: '0+', mapKey: true },
            { name: 'configOperation', type: 'int8', versions: '0+', mapKey: true },
            { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'responses',
      type: '[]AlterConfigsResourceResponse',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
        { name: 'resourceType', type: 'int8', versions: '0+' },
        { name: 'resourceName', type: 'string', versions: '0+' },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type IncrementalAlterConfigsRequest = Message<typeof incrementalAlterConfigsSchema.request>;
export type IncrementalAlterConfigsRequestInput = MessageInput<typeof incrementalAlterConfigsSchema.request>;
export type IncrementalAlterConfigsResponse = Message<typeof incrementalAlterConfigsSchema.response>;
export type IncrementalAlterConfigsResponseInput = MessageInput<typeof incrementalAlterConfigsSchema.response>;
