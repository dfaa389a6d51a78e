/**
 * The classic consumer-group coordinator and its formats: the public surface of
 * engine/cluster/group. The broker constructs one `GroupCoordinator` per broker, feeds it
 * the `__consumer_offsets` partitions it leads, and routes the group APIs to it.
 *
 *   group-coordinator.ts      the coordinator: membership, rebalances, sessions, describe/list;
 *                             the entry point that routes offset requests to the manager
 *   offset-metadata-manager.ts  commits, fetches, admin offset changes, DeleteGroups, expiry,
 *                             offsets of deleted topics
 *   coordinator-runtime.ts    what both share: owned partitions and their groups, execution
 *                             (answers delivered once consistent), appends to the log
 *   group.ts                  one group's state machine and members
 *   committed-offsets.ts      one group's committed offsets and commits in flight
 *   offsets-topic-format.ts   __consumer_offsets keys and values, partitionForGroup
 *   offsets-topic-records.ts  the records the coordinator appends, and a group loaded back from them
 *   offsets-partition-reader.ts  replaying a partition's records: the latest value per key
 *   consumer-protocol.ts      Subscription/Assignment bytes (the assignors are clients': engine/client/assignors.ts)
 *   types.ts                  requests, responses, config, the offsets log, group snapshots
 *   errors.ts                 the append-error translations (codes: engine/protocol/errors)
 *   wire-versions.ts          Kafka's per-version rules for the wire layer
 *   versioned-format.ts       version-prefixed Field schemas coded by engine/protocol, GroupFormatError
 */
export { GroupCoordinator, NEW_MEMBER_JOIN_TIMEOUT_MS, MAX_PROTOCOLS_PER_MEMBER, type GroupCoordinatorOptions, type LoadSummary } from './group-coordinator';
export * from './types';
export { commitOffsetsError, storeGroupError } from './errors';
export * from './offsets-topic-format';
export * from './consumer-protocol';
export * from './wire-versions';
export { GroupFormatError } from './versioned-format';
