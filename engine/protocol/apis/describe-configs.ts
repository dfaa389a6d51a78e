/**
 * DescribeConfigs (API key 32): the configs of topics (resourceType 2) and brokers
 * (resourceType 4), with their sources and, optionally, synonyms and documentation.
 *
 * Versions implemented: 0-4 (= Kafka 4.0). Flexible from v4.
 * History: v1 includeSynonyms, and configSource + synonyms replace v0's isDefault;
 * v2 same as v1; v3 includeDocumentation, configType and documentation; v4 flexible.
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const describeConfigsSchema = {
  apiKey: 32,
  name: 'DescribeConfigs',
  validVersions: [0, 4],
  kafkaVersions: [0, 4],
  flexibleVersions: '4+',
  request: [
    {
      name: 'resources',
      type: '[]DescribeConfigsResource',
      versions: '0+',
      fields: [
        { name: 'resourceType', type: 'int8', versions: '0+' },
        { name: 'resourceName', type: 'string', versions: '0+' },
        { name: 'configurationKeys', type: '[]string', versions: '0+', nullableVersions: '0+' },
      ],
    },
    { name: 'includeSynonyms', type: 'bool', versions: '1+', default: false },
    { name: 'includeDocumentation', type: 'bool', versions: '3+', default: false },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'results',
      type: '[]DescribeConfigsResult',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
        { name: 'resourceType', type: 'int8', versions: '0+' },
        { name: 'resourceName', type: 'string', versions: '0+' },
        {
          name: 'configs',
          type: '[]DescribeConfigsResourceResult',
          versions: '0+',
          fields: [
            { name: 'name', type: 'string', versions: '0+' },
            { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
            { name: 'readOnly', type: 'bool', versions: '0+' },
            { name: 'isDefault', type: 'bool', versions: '0' },
            // In v0 the source is implied (by isDefault and the resource type); -1 is a placeholder.
            { name: 'configSource', type: 'int8', versions: '1+', default: -1, ignorable: true },
            { name: 'isSensitive', type: 'bool', versions: '0+' },
            {
              name: 'synonyms',
              type: '[]DescribeConfigsSynonym',
              versions: '1+',
              ignorable: true,
              fields: [
                { name: 'name', type: 'string', versions: '1+' },
                { name: 'value', type: 'string', versions: '1+', nullableVersions: '0+' },
                { name: 'source', type: 'int8', versions: '1+' },
              ],
            },
            { name: 'configType', type: 'int8', versions: '3+', default: 0, ignorable: true },
            { name: 'documentation', type: 'string', versions: '3+', nullableVersions: '0+', ignorable: true },
          ],
        },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type DescribeConfigsRequest = Message<typeof describeConfigsSchema.request>;
export type DescribeConfigsRequestInput = MessageInput<typeof describeConfigsSchema.request>;
export type DescribeConfigsResponse = Message<typeof describeConfigsSchema.response>;
export type DescribeConfigsResponseInput = MessageInput<typeof describeConfigsSchema.response>;
