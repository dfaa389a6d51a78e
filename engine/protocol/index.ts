/**
 * The Kafka wire protocol library: public surface. Pure TypeScript, no I/O.
 *
 *   codec.ts     encode/decode request and response bodies, headers and frames
 *   framing.ts   FrameDecoder (TCP chunks → frames), header peek, KIP-511 fallback
 *   registry.ts  API table (ApiKey, schemas, ADVERTISED_VERSIONS)
 *   errors.ts    Kafka error codes
 *   apis/*.ts    one schema per API, and its message types
 *   schema.ts    the schema DSL; plan.ts compiles it; types.ts holds wire primitives
 */
export * from './codec';
export * from './errors';
export * from './framing';
export * from './headers';
export * from './registry';
export type { ApiSchema, Field, Message, MessageInput, VersionSpec } from './schema';
export {
  EMPTY_BUFFER,
  ProtocolDecodeError,
  ProtocolEncodeError,
  Reader,
  Writer,
  ZERO_UUID,
  chunksLength,
  concatChunks,
  isExactInt64,
} from './types';
export type * from './apis/alter-configs';
export type * from './apis/api-versions';
export type * from './apis/create-partitions';
export type * from './apis/create-topics';
export type * from './apis/delete-groups';
export type * from './apis/delete-records';
export type * from './apis/delete-topics';
export type * from './apis/describe-cluster';
export type * from './apis/describe-configs';
export type * from './apis/describe-groups';
export type * from './apis/fetch';
export type * from './apis/find-coordinator';
export type * from './apis/heartbeat';
export type * from './apis/incremental-alter-configs';
export type * from './apis/init-producer-id';
export type * from './apis/join-group';
export type * from './apis/leave-group';
export type * from './apis/list-groups';
export type * from './apis/list-offsets';
export type * from './apis/metadata';
export type * from './apis/offset-commit';
export type * from './apis/offset-fetch';
export type * from './apis/offset-for-leader-epoch';
export type * from './apis/produce';
export type * from './apis/sasl-handshake';
export type * from './apis/sync-group';
