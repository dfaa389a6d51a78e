/**
 * Fetch (API key 1): consumers and follower replicas read record batches.
 *
 * Versions implemented: 0-17 (= current Kafka). Flexible from v12.
 * History: v3 adds maxBytes (and partition order matters); v4 isolationLevel and
 * abortedTransactions/lastStableOffset (message format v2); v5 logStartOffset; v7
 * incremental fetch sessions (sessionId, sessionEpoch, forgottenTopicsData); v9
 * currentLeaderEpoch (KIP-320); v10 zstd; v11 rackId and preferredReadReplica (KIP-392);
 * v12 flexible, lastFetchedEpoch, and the tagged divergingEpoch / currentLeader /
 * snapshotId in responses, clusterId tagged in requests; v13 names topics by topic id
 * instead of name (KIP-516; UNKNOWN_TOPIC_ID for an id the broker does not know); v14
 * may answer OFFSET_MOVED_TO_TIERED_STORAGE (KIP-405); v15 moves the follower's id into
 * the tagged replicaState with its broker epoch (KIP-903); v16 adds the tagged
 * nodeEndpoints of the leaders named in currentLeader hints (KIP-951); v17 the tagged
 * replicaDirectoryId of a follower's fetch (KIP-853).
 * `records` is stored batch bytes, written to the socket as its own chunk (no copy).
 */
import type { ApiSchema, Message, MessageInput } from '../schema';

export const fetchSchema = {
  apiKey: 1,
  name: 'Fetch',
  validVersions: [0, 17],
  kafkaVersions: [0, 17],
  flexibleVersions: '12+',
  request: [
    {
      name: 'clusterId',
      type: 'string',
      versions: '12+',
      nullableVersions: '12+',
      taggedVersions: '12+',
      tag: 0,
      default: null,
      ignorable: true,
    },
    { name: 'replicaId', type: 'int32', versions: '0-14', default: -1, entityType: 'brokerId' },
    {
      name: 'replicaState',
      type: 'ReplicaState',
      versions: '15+',
      taggedVersions: '15+',
      tag: 1,
      fields: [
        { name: 'replicaId', type: 'int32', versions: '15+', default: -1, entityType: 'brokerId' },
        { name: 'replicaEpoch', type: 'int64', versions: '15+', default: -1 },
      ],
    },
    { name: 'maxWaitMs', type: 'int32', versions: '0+' },
    { name: 'minBytes', type: 'int32', versions: '0+' },
    { name: 'maxBytes', type: 'int32', versions: '3+', default: 0x7fffffff, ignorable: true },
    { name: 'isolationLevel', type: 'int8', versions: '4+', default: 0, ignorable: true },
    { name: 'sessionId', type: 'int32', versions: '7+', default: 0, ignorable: true },
    { name: 'sessionEpoch', type: 'int32', versions: '7+', default: -1, ignorable: true },
    {
      name: 'topics',
      type: '[]FetchTopic',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0-12', ignorable: true, entityType: 'topicName' },
        { name: 'topicId', type: 'uuid', versions: '13+', ignorable: true },
        {
          name: 'partitions',
          type: '[]FetchPartition',
          versions: '0+',
          fields: [
            { name: 'partition', type: 'int32', versions: '0+' },
            { name: 'currentLeaderEpoch', type: 'int32', versions: '9+', default: -1, ignorable: true },
            { name: 'fetchOffset', type: 'int64', versions: '0+' },
            { name: 'lastFetchedEpoch', type: 'int32', versions: '12+', default: -1 },
            { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1, ignorable: true },
            { name: 'partitionMaxBytes', type: 'int32', versions: '0+' },
            { name: 'replicaDirectoryId', type: 'uuid', versions: '17+', taggedVersions: '17+', tag: 0, ignorable: true },
          ],
        },
      ],
    },
    {
      name: 'forgottenTopicsData',
      type: '[]ForgottenTopic',
      versions: '7+',
      fields: [
        { name: 'topic', type: 'string', versions: '7-12', ignorable: true, entityType: 'topicName' },
        { name: 'topicId', type: 'uuid', versions: '13+', ignorable: true },
        { name: 'partitions', type: '[]int32', versions: '7+' },
      ],
    },
    { name: 'rackId', type: 'string', versions: '11+', default: '', ignorable: true },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '7+', ignorable: true },
    { name: 'sessionId', type: 'int32', versions: '7+', default: 0 },
    {
      name: 'responses',
      type: '[]FetchableTopicResponse',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0-12', ignorable: true, entityType: 'topicName' },
        { name: 'topicId', type: 'uuid', versions: '13+', ignorable: true },
        {
          name: 'partitions',
          type: '[]PartitionData',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'highWatermark', type: 'int64', versions: '0+' },
            { name: 'lastStableOffset', type: 'int64', versions: '4+', default: -1, ignorable: true },
            { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1, ignorable: true },
            {
              name: 'divergingEpoch',
              type: 'EpochEndOffset',
              versions: '12+',
              taggedVersions: '12+',
              tag: 0,
              fields: [
                { name: 'epoch', type: 'int32', versions: '12+', default: -1 },
                { name: 'endOffset', type: 'int64', versions: '12+', default: -1 },
              ],
            },
            {
              name: 'currentLeader',
              type: 'LeaderIdAndEpoch',
              versions: '12+',
              taggedVersions: '12+',
              tag: 1,
              fields: [
                { name: 'leaderId', type: 'int32', versions: '12+', default: -1, entityType: 'brokerId' },
                { name: 'leaderEpoch', type: 'int32', versions: '12+', default: -1 },
              ],
            },
            {
              name: 'snapshotId',
              type: 'SnapshotId',
              versions: '12+',
              taggedVersions: '12+',
              tag: 2,
              fields: [
                { name: 'endOffset', type: 'int64', versions: '0+', default: -1 },
                { name: 'epoch', type: 'int32', versions: '0+', default: -1 },
              ],
            },
            {
              name: 'abortedTransactions',
              type: '[]AbortedTransaction',
              versions: '4+',
              nullableVersions: '4+',
              ignorable: true,
              fields: [
                { name: 'producerId', type: 'int64', versions: '4+', entityType: 'producerId' },
                { name: 'firstOffset', type: 'int64', versions: '4+' },
              ],
            },
            { name: 'preferredReadReplica', type: 'int32', versions: '11+', default: -1, entityType: 'brokerId' },
            { name: 'records', type: 'records', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
    {
      name: 'nodeEndpoints',
      type: '[]NodeEndpoint',
      versions: '16+',
      taggedVersions: '16+',
      tag: 0,
      fields: [
        { name: 'nodeId', type: 'int32', versions: '16+', mapKey: true, entityType: 'brokerId' },
        { name: 'host', type: 'string', versions: '16+' },
        { name: 'port', type: 'int32', versions: '16+' },
        { name: 'rack', type: 'string', versions: '16+', nullableVersions: '16+', default: null },
      ],
    },
  ],
} as const satisfies ApiSchema;

export type FetchRequest = Message<typeof fetchSchema.request>;
export type FetchRequestInput = MessageInput<typeof fetchSchema.request>;
export type FetchResponse = Message<typeof fetchSchema.response>;
export type FetchResponseInput = MessageInput<typeof fetchSchema.response>;
