/**
 * engine/storage: the durable partition-log storage of a broker, in Kafka's own
 * on-disk format. Pure synchronous TypeScript over the `Storage` seam (only zstd
 * is async). This barrel is the public surface; see each file's opening comment
 * for formats and invariants:
 *   storage.ts / fs-storage.ts / memory-storage.ts   the disk seam
 *   record-batch.ts / record-cursor.ts               RecordBatch v2 and its records
 *   codec-table.ts / compression.ts                  codec ids and names; the codecs
 *   offset-index.ts / time-index.ts / segment.ts     segments and their indexes
 *   leader-epoch-cache.ts                            KIP-101/279 epoch cache
 *   log.ts / timestamp-search.ts                     PartitionLog, ListOffsets
 *   cleaner.ts / segment-swap.ts                     compaction
 *   topic-config.ts                                  topic configs
 *   log-manager.ts                                   a broker's data directory
 */
export * from './errors';
export * from './storage';
export { FsStorage } from './fs-storage';
export { MemoryStorage, type MemoryStorageStats } from './memory-storage';
export * from './compression';
export * from './record-batch';
export * from './record-cursor';
export { OffsetIndex, type OffsetPosition } from './offset-index';
export { TimeIndex, type TimestampOffset } from './time-index';
export { LogSegment, offsetFileStem, parseOffsetFileName, type SegmentSettings, type BatchLocation } from './segment';
export * from './leader-epoch-cache';
export * from './checkpoint-file';
export * from './log';
export * from './cleaner';
export * from './topic-config';
export * from './log-manager';
