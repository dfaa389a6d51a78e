/**
 * DescribeLogDirs (API key 35): per log directory of the broker asked, each partition
 * replica it holds with its size in bytes and how far its log end is behind (KIP-113).
 * A null topic list asks for every replica.
 *
 * Versions implemented: 0-4 (= Kafka's 0-4, the newest snapshot's range). Flexible from v2.
 * History: v1 same as v0 (throttle before answering); v2 flexible; v3 a top-level
 * errorCode; v4 the directory's totalBytes and usableBytes (KIP-827, -1 when unknown).
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const describeLogDirsSchema = {
  apiKey: 35,
  name: 'DescribeLogDirs',
  validVersions: [0, 4],
  kafkaVersions: [0, 4],
  flexibleVersions: '2+',
  request: [
    {
      name: 'topics',
      type: '[]DescribableLogDirTopic',
      versions: '0+',
      nullableVersions: '0+',
      default: null,
      fields: [
        { name: 'topic', type: 'string', versions: '0+', mapKey: true, entityType: 'topicName' },
        { name: 'partitions', type: '[]int32', versions: '0+' },
      ],
    },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '3+' },
    {
      name: 'results',
      type: '[]DescribeLogDirsResult',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'logDir', type: 'string', versions: '0+' },
        {
          name: 'topics',
          type: '[]DescribeLogDirsTopic',
          versions: '0+',
          fields: [
            { name: 'name', type: 'string', versions: '0+', entityType: 'topicName' },
            {
              name: 'partitions',
              type: '[]DescribeLogDirsPartition',
              versions: '0+',
              fields: [
                { name: 'partitionIndex', type: 'int32', versions: '0+' },
                { name: 'partitionSize', type: 'int64', versions: '0+' },
                { name: 'offsetLag', type: 'int64', versions: '0+' },
                { name: 'isFutureKey', type: 'bool', versions: '0+' },
              ],
            },
          ],
        },
        { name: 'totalBytes', type: 'int64', versions: '4+', ignorable: true, default: -1 },
        { name: 'usableBytes', type: 'int64', versions: '4+', ignorable: true, default: -1 },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type DescribeLogDirsRequest = Message<typeof describeLogDirsSchema.request>;
export type DescribeLogDirsRequestInput = MessageInput<typeof describeLogDirsSchema.request>;
export type DescribeLogDirsResponse = Message<typeof describeLogDirsSchema.response>;
export type DescribeLogDirsResponseInput = MessageInput<typeof describeLogDirsSchema.response>;
