/**
 * Rows for the message browser's list and the detail pane, built from a
 * PartitionReader's head record (positions into the stored bytes) only when a row is
 * actually sent: list rows carry previews (a few hundred characters of text, or hex of
 * the first bytes), the detail pane the full bytes (up to FULL_BYTES_LIMIT).
 */
import type { BrowseRow, BytesPreview, RecordDetail } from '../api/contract';
import { codecNameOf } from '../storage/codec-table';
import { describeInternalRecord } from './internal-records';
import { fullOf, previewOf, type PartitionReader } from './partition-reader';

/** Headers a list row carries (the rest are counted). */
const ROW_HEADERS = 6;
const HEADER_PREVIEW_CHARS = 80;

export function gapRow(row: number, partition: number, offset: number): BrowseRow {
  return {
    row,
    partition,
    offset,
    kind: 'gap',
    timestampMs: null,
    timestampType: null,
    key: null,
    value: null,
    headers: [],
    headerCount: 0,
    sizeBytes: 0,
    compression: 'none',
    transactional: false,
    controlType: null,
    internal: null,
  };
}

/** The reader's head record as a list row. */
export function recordRow(row: number, r: PartitionReader): BrowseRow {
  const control = r.control;
  const headerCount = r.cursor.headersCount;
  return {
    row,
    partition: r.partition,
    offset: r.headOffset,
    kind: control ? 'control' : 'record',
    timestampMs: r.headTs,
    timestampType: r.logAppendTime ? 'LogAppendTime' : 'CreateTime',
    key: previewOf(r.keyBytes()),
    value: previewOf(r.valueBytes()),
    headers: headerCount === 0 ? [] : r.headers(ROW_HEADERS).map((h) => ({ key: h.key, value: shorten(previewOf(h.value)) })),
    headerCount,
    sizeBytes: r.recordSizeBytes,
    compression: codecNameOf(r.codec),
    transactional: r.transactional,
    controlType: control ? r.controlType() : null,
    internal: control ? null : describeInternalRecord(r.topic, r.keyBytes(), r.valueBytes()),
  };
}

function shorten(p: BytesPreview | null): BytesPreview | null {
  if (p === null || p.text.length <= HEADER_PREVIEW_CHARS) return p;
  return { ...p, text: p.text.slice(0, HEADER_PREVIEW_CHARS), truncated: true };
}

/** The reader's head record in full, with its batch's facts. */
export function recordDetail(r: PartitionReader): RecordDetail {
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.headOffset,
    kind: r.control ? 'control' : 'record',
    timestampMs: r.headTs,
    timestampType: r.logAppendTime ? 'LogAppendTime' : 'CreateTime',
    key: fullOf(r.keyBytes()),
    value: fullOf(r.valueBytes()),
    headers: r.headers().map((h) => ({ key: h.key, value: fullOf(h.value) })),
    sizeBytes: r.recordSizeBytes,
    controlType: r.control ? r.controlType() : null,
    internal: r.control ? null : describeInternalRecord(r.topic, r.keyBytes(), r.valueBytes()),
    batch: {
      baseOffset: r.batchBase,
      lastOffset: r.batchLast,
      recordCount: r.batchCount,
      sizeBytes: r.batchSizeBytes,
      compression: codecNameOf(r.codec),
      partitionLeaderEpoch: r.partitionLeaderEpoch,
      producerId: r.producerId,
      producerEpoch: r.producerEpoch,
      baseSequence: r.baseSequence,
      transactional: r.transactional,
      control: r.control,
    },
  };
}
