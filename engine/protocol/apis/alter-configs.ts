/**
 * AlterConfigs (API key 33): replace the whole set of dynamic configs of resources
 * (superseded by IncrementalAlterConfigs, still used by older tools).
 *
 * Versions implemented: 0-2 (= Kafka 4.0). Flexible from v2.
 * History: v1 same as v0; v2 flexible.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const alterConfigsSchema = {
  apiKey: 33,
  name: 'AlterConfigs',
  validVersions: [0, 2],
  kafkaVersions: [0, 2],
  flexibleVersions: '2+',
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

export type AlterConfigsRequest = Message<typeof alterConfigsSchema.request>;
export type AlterConfigsRequestInput = MessageInput<typeof alterConfigsSchema.request>;
export type AlterConfigsResponse = Message<typeof alterConfigsSchema.response>;
export type AlterConfigsResponseInput = MessageInput<typeof alterConfigsSchema.response>;
