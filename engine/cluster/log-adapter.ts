/**
 * Glue between replication (cluster/) and storage (storage/): the storage layer's
 * PartitionLog as the ReplicaLog replication needs, and the validation, header
 * scanning and config resolution the brokers are given.
 *
 * Storage refusals (StorageError, RecordError) carry Kafka codes and pass through
 * unchanged as BatchRejections.
 */
import { assert } from '../util/assert';
import type { PartitionLog } from '../storage/log';
import { LOG_OVERHEAD, readBatchHeader, recompressBatch, recompressBatchSync, validateBatch as validateAsync, validateBatchSync, type ValidatedBatch as StoredValidated } from '../storage/record-batch';
import type { CodecId } from '../storage/compression';
import { isCompacted, validateTopicConfigs, type TopicConfig } from '../storage/topic-config';
import { StorageError } from '../storage/errors';
import { codecOfTopicCompression } from '../storage/codec-table';
import type { BatchHeaderScanner } from './replica-fetcher';
import type { AppendedBatch, EpochEndOffset, ReplicaLog } from './replica-log';
import type { BatchRecompressor, BatchRejection, BatchValidator, EffectiveTopicConfig, ValidatedBatch } from './replica-manager';

const ZSTD = 4;

export class PartitionLogReplica implements ReplicaLog {
  constructor(readonly log: PartitionLog) {}

  get logStartOffset(): number {
    return this.log.logStartOffset;
  }

  get logEndOffset(): number {
    return this.log.logEndOffset;
  }

  get sizeBytes(): number {
    return this.log.sizeBytes;
  }

  appendAsLeader(batch: Buffer, leaderEpoch: number): AppendedBatch {
    const r = this.log.appendAsLeader(batch, { leaderEpoch });
    return { baseOffset: r.baseOffset, lastOffset: r.lastOffset, logAppendTimeMs: r.logAppendTimeMs, recordCount: r.recordCount, sizeBytes: r.bytes };
  }

  appendAsFollower(batches: Buffer): void {
    this.log.appendAsFollower(batches);
  }

  read(fromOffset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean): Buffer | null {
    const r = this.log.read(fromOffset, maxBytes, { maxOffset, minOneBatch });
    return r.bytesRead > 0 ? r.batches : null;
  }

  truncateTo(offset: number): void {
    this.log.truncateTo(offset);
  }

  truncateFullyAndStartAt(offset: number): void {
    this.log.truncateFullyAndStartAt(offset);
  }

  latestEpoch(): number {
    return this.log.leaderEpochCache.latestEpoch() ?? -1;
  }

  endOffsetForEpoch(epoch: number): EpochEndOffset {
    return this.log.leaderEpochCache.endOffsetFor(epoch, this.log.logEndOffset);
  }

  assignEpochStart(epoch: number, startOffset: number): void {
    const latest = this.log.leaderEpochCache.latestEpoch();
    if (latest === undefined || epoch > latest) this.log.leaderEpochCache.assign(epoch, startOffset);
  }

  offsetForTimestamp(timestampMs: number): Promise<{ offset: number; timestampMs: number; leaderEpoch: number } | undefined> {
    return this.log.offsetForTimestamp(timestampMs);
  }

  deleteRecordsBefore(offset: number): number {
    return this.log.deleteRecordsBefore(offset);
  }
}

function toValidated(v: StoredValidated): ValidatedBatch {
  return {
    codec: v.header.compression,
    producerId: v.header.producerId,
    producerEpoch: v.header.producerEpoch,
    baseSequence: v.header.baseSequence,
    recordCount: v.recordCount,
    sizeBytes: v.sizeBytes,
    maxTimestampMs: v.header.maxTimestamp,
  };
}

function rejection(e: unknown): never {
  if (e instanceof StorageError) {
    const r: BatchRejection = { code: e.code, message: e.message, recordErrors: e.recordErrors ? [...e.recordErrors] : [] };
    throw r;
  }
  throw e;
}

/** Validates a produced batch; zstd batches are validated asynchronously. */
export const validateProducedBatch: BatchValidator = (batch, opts) => {
  try {
    if (batch.length >= 23 && (batch.readInt16BE(21) & 0x07) === ZSTD) {
      return validateAsync(batch, { requireKeys: opts.requireKeys }).then(toValidated, rejection);
    }
    return toValidated(validateBatchSync(batch, { requireKeys: opts.requireKeys }));
  } catch (e) {
    return rejection(e);
  }
};

/** Reads the headers of every batch in a fetched chunk (for follower producer state). */
export const scanBatchHeaders: BatchHeaderScanner = (records) => {
  const out: ReturnType<BatchHeaderScanner> = [];
  let pos = 0;
  while (pos + LOG_OVERHEAD <= records.length) {
    const h = readBatchHeader(records, pos);
    assert(pos + h.sizeBytes <= records.length, 'fetched chunk ends inside a batch');
    out.push({
      producerId: h.producerId,
      producerEpoch: h.producerEpoch,
      baseSequence: h.baseSequence,
      recordCount: h.recordsCount,
      sizeBytes: h.sizeBytes,
      maxTimestampMs: h.maxTimestamp,
      baseOffset: h.baseOffset,
      lastOffset: h.baseOffset + h.lastOffsetDelta,
      partitionLeaderEpoch: h.partitionLeaderEpoch,
    });
    pos += h.sizeBytes;
  }
  return out;
};

/** Topic configs as set on a topic, on top of the broker's defaults, parsed. */
export function effectiveTopicConfig(brokerDefaults: Readonly<Record<string, string>>, topicConfigs: Readonly<Record<string, string>>): TopicConfig {
  return validateTopicConfigs({ ...brokerDefaults, ...topicConfigs });
}


export function replicationConfig(cfg: TopicConfig): EffectiveTopicConfig {
  return { minInsyncReplicas: cfg.minInsyncReplicas, maxMessageBytes: cfg.maxMessageBytes, compact: isCompacted(cfg), compressionCodec: codecOfTopicCompression(cfg.compressionType) };
}

/** Re-encodes a batch with another codec; async only when zstd is on either side. */
export const recompressProducedBatch: BatchRecompressor = (batch, codec) => {
  const from = batch.readInt16BE(21) & 0x07;
  if (from === ZSTD || codec === ZSTD) return recompressBatch(batch, codec as CodecId);
  return recompressBatchSync(batch, codec as CodecId);
};
