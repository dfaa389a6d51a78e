/**
 * The "consume" part of the contract: argument schemas, result types and the snapshot
 * section for reading and consuming. Merged into the one contract by contract.ts.
 *
 * What travels where (bounded, never one event per message):
 * - The message browser asks for rows by index (`browseRows`, at most 500 at a time).
 *   A view's rows are every offset of its partitions between fixed bounds (`bounds`,
 *   taken when the view was laid out), so row i always means the same record until the
 *   renderer lays the view out again; the renderer holds only the rows it shows.
 *   All-partitions views interleave partitions by time (see engine/consume/merge-order.ts).
 * - Filters, exports and imports are engine jobs: progress and state travel in the
 *   snapshot (`ConsumeSnapshot.jobs`, a few small records); a filter's matches stay in
 *   the engine and are pulled page by page (`filterPage`).
 * - Lag history lives in the engine (a ring buffer per group, one sample a second, an
 *   hour long); charts pull only the samples they have not seen (`groupLagHistory`).
 * - The snapshot section carries group summaries, built-in consumers and jobs, each
 *   list bounded.
 *
 * Import lines and exported JSONL use one format, documented in README.md ("Message
 * files"): one JSON object per line with key, value, headers, partition, timestamp.
 *
 * This file cannot import contract.ts (contract.ts imports it), so the few shared
 * argument schemas are restated here. Numeric ranges that have a Kafka error (offsets,
 * timestamps) are checked by the engine so the error carries Kafka's code.
 */
import { z } from 'zod';
import { topicNameError } from '../../cluster/topic-names';
import type { CodecNameOrUnknown } from '../../storage/codec-table';
import type { WorkbenchErrorData } from '../errors';

const topic = z.string({ error: 'Topic name must be text.' }).superRefine((name, ctx) => {
  const error = topicNameError(name);
  if (error) ctx.addIssue({ code: 'custom', message: error });
});
const partition = z.number({ error: 'Partition must be a number.' }).int('Partition must be a whole number.').min(0, 'Partition cannot be negative.');
/** Checked for range by the engine (OFFSET_OUT_OF_RANGE with the partition's real range). */
const offsetNumber = z.number({ error: 'Offset must be a number.' });
/** Checked for range by the engine (INVALID_TIMESTAMP). */
const timestampNumber = z.number({ error: 'Timestamp must be a number of milliseconds since 1970.' });
const groupId = z.string({ error: 'Group id must be text.' }).min(1, 'Group id cannot be empty.').max(255, 'Group ids are at most 255 characters.');
const jobId = z.string({ error: 'Job id must be text.' }).min(1).max(64);
const rowIndex = z.number({ error: 'Row must be a number.' }).int('Row must be a whole number.').min(0, 'Row cannot be negative.').max(Number.MAX_SAFE_INTEGER);

/** One partition's slice of a view: offsets [start, end). */
const bounds = z
  .array(z.object({ partition, start: z.number().int().min(0), end: z.number().int().min(0) }).strict())
  .max(10_000);

/** The most rows one page may carry. */
export const MAX_PAGE_ROWS = 500;
const pageCount = z.number({ error: 'Count must be a number.' }).int().min(1, 'Ask for at least 1 row.').max(MAX_PAGE_ROWS, `Ask for at most ${MAX_PAGE_ROWS} rows at a time.`);

/**
 * A filter: every condition given must hold (AND). Evaluated in the engine on the
 * stored bytes. Contains/equals compare bytes exactly (UTF-8, case-sensitive).
 */
const filter = z
  .object({
    keyEquals: z.string().max(65_536).optional(),
    keyContains: z.string().max(65_536).optional(),
    valueContains: z.string().max(65_536).optional(),
    /** A header with exactly this key; with headerValue, also exactly that value. */
    headerKey: z.string().max(32_768).optional(),
    headerValue: z.string().max(65_536).optional(),
    /** Inclusive bounds on the record timestamp, milliseconds since 1970. */
    fromTimestampMs: timestampNumber.optional(),
    toTimestampMs: timestampNumber.optional(),
    /** `$.a.b[0]["c d"]`; alone: the value is JSON and the path exists. */
    jsonPath: z.string().max(1000).optional(),
    /** A JSON value (42, true, "text", null, {…}); text that is not JSON is taken as a string. */
    jsonEquals: z.string().max(65_536).optional(),
  })
  .strict();

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;

export const RESET_TARGETS = ['earliest', 'latest', 'offset', 'timestamp', 'shift'] as const;

export const consumeSchemas = {
  /**
   * Rows [fromRow, fromRow + count) of a view of `topic` (one partition, or all when
   * partition is null). Without `bounds` the view is laid out now (log start to high
   * watermark of each partition) and the bounds are returned; pass them back to read
   * more rows of the same view.
   */
  browseRows: z.object({ topic, partition: partition.nullable(), bounds: bounds.optional(), fromRow: rowIndex, count: pageCount }).strict(),

  /**
   * Where a start point falls in a view (ListOffsets semantics): earliest, latest, an
   * offset of one partition, or the first record at or after a timestamp.
   */
  browseSeek: z
    .object({
      topic,
      partition: partition.nullable(),
      bounds: bounds.optional(),
      to: z.enum(['earliest', 'latest', 'offset', 'timestamp'], { error: 'Seek to earliest, latest, offset or timestamp.' }),
      /** For `offset`: the partition the offset belongs to (defaults to the view's partition). */
      offsetPartition: partition.optional(),
      offset: offsetNumber.optional(),
      timestampMs: timestampNumber.optional(),
    })
    .strict(),

  /** One record in full (value up to 2 MiB), with its batch's facts, for the detail pane. */
  readRecord: z.object({ topic, partition, offset: offsetNumber }).strict(),

  /** Starts scanning a view with a filter; matches are kept in the engine (at most maxMatches). */
  filterStart: z
    .object({
      topic,
      partition: partition.nullable(),
      bounds: bounds.optional(),
      filter,
      maxMatches: z.number().int().min(1).max(2_000_000).optional(),
    })
    .strict(),

  /** Matches [fromIndex, fromIndex + count) of a filter job, as rows. */
  filterPage: z.object({ jobId, fromIndex: rowIndex, count: pageCount }).strict(),

  /**
   * Writes records to `<data dir>/exports/` as JSONL or CSV: a filter job's matches,
   * the rows [fromRow, toRow) of a view, or the whole view.
   */
  exportStart: z
    .object({
      format: z.enum(EXPORT_FORMATS, { error: 'Export as jsonl or csv.' }),
      source: z.enum(['view', 'rows', 'filter'], { error: 'Export a view, some of its rows, or a filter result.' }),
      topic: topic.optional(),
      partition: partition.nullable().optional(),
      bounds: bounds.optional(),
      fromRow: rowIndex.optional(),
      toRow: rowIndex.optional(),
      filterJobId: jobId.optional(),
    })
    .strict(),

  /** Opens an import into `topic`; lines then arrive with importChunk, in order. */
  importStart: z.object({ topic, fileName: z.string().max(1000).optional() }).strict(),

  /**
   * The next lines of an import (1-based `firstLine` must follow the previous chunk).
   * Lines are validated one by one and produced in order; the first bad line stops
   * the import (it and every later line are not imported). `last` ends the import.
   */
  importChunk: z
    .object({
      jobId,
      firstLine: z.number().int().min(1),
      lines: z.array(z.string().max(4 * 1024 * 1024)).max(5000),
      last: z.boolean(),
    })
    .strict(),

  /** Cancels a running filter, export or import (an import keeps what it already wrote). */
  cancelJob: z.object({ jobId }).strict(),

  /** A group's members, assignments and per-partition committed offset, log end and lag. */
  describeGroup: z.object({ groupId }).strict(),

  /** A group's lag samples after `afterSeq` (all retained ones without it). */
  groupLagHistory: z.object({ groupId, afterSeq: z.number().int().min(0).optional() }).strict(),

  /** What a reset would do: old → new offset per partition. Changes nothing. */
  previewResetOffsets: z
    .object({
      groupId,
      /** One topic, or null for every topic the group has committed offsets for. */
      topic: topic.nullable(),
      /** Only this partition of `topic` (all partitions when omitted). */
      partition: partition.optional(),
      target: z.enum(RESET_TARGETS, { error: 'Reset to earliest, latest, offset, timestamp or shift.' }),
      offset: offsetNumber.optional(),
      timestampMs: timestampNumber.optional(),
      shiftBy: z.number({ error: 'Shift must be a number.' }).int('Shift must be a whole number.').optional(),
    })
    .strict(),

  /** Commits the given offsets for an inactive group (Kafka refuses while it has members). */
  resetOffsets: z
    .object({
      groupId,
      offsets: z.array(z.object({ topic, partition, offset: offsetNumber }).strict()).min(1, 'Give at least one offset.').max(100_000),
    })
    .strict(),

  /** Deletes an inactive group and its committed offsets. */
  deleteGroup: z.object({ groupId }).strict(),

  /** Starts a built-in consumer: a real group member over the Kafka protocol. */
  startConsumer: z
    .object({
      groupId,
      topic,
      /** Time spent "processing" each record; larger than the produce interval makes lag grow. */
      processingDelayMs: z.number({ error: 'Processing delay must be a number.' }).int('Processing delay must be a whole number of milliseconds.').min(0, 'Processing delay cannot be negative.').max(10_000, 'Processing delay is at most 10000 ms.'),
    })
    .strict(),

  /** Changes a running built-in consumer's processing delay. */
  updateConsumer: z
    .object({
      consumerId: z.string().min(1).max(64),
      processingDelayMs: z.number({ error: 'Processing delay must be a number.' }).int('Processing delay must be a whole number of milliseconds.').min(0, 'Processing delay cannot be negative.').max(10_000, 'Processing delay is at most 10000 ms.'),
    })
    .strict(),

  /** Stops a built-in consumer: it commits, leaves its group and disconnects. */
  stopConsumer: z.object({ consumerId: z.string().min(1).max(64) }).strict(),
} satisfies Record<string, z.ZodType>;

export type BrowseFilter = z.infer<typeof filter>;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ResetTarget = (typeof RESET_TARGETS)[number];

// ---------------------------------------------------------------------------
// Results: the message browser

export interface PartitionBounds {
  partition: number;
  /** First offset of the view (the log start offset when it was laid out). */
  start: number;
  /** One past the last offset (the high watermark when it was laid out). */
  end: number;
}

/** A batch's codec by name ('unknown' for codec ids 5-7). */
export type CompressionCodecName = CodecNameOrUnknown;
export type TimestampTypeName = 'CreateTime' | 'LogAppendTime';

/** The start of a key, value or header value, for a list row. */
export interface BytesPreview {
  sizeBytes: number;
  /** UTF-8 text (cut to a few hundred characters), or hex of the first bytes when binary. */
  text: string;
  binary: boolean;
  truncated: boolean;
}

/**
 * One row of a view: a record, a control record (transaction marker), or an offset
 * that holds no record any more (removed by compaction or below a batch's log start).
 */
export interface BrowseRow {
  /** Index in the view (or in the filter result). */
  row: number;
  partition: number;
  offset: number;
  kind: 'record' | 'control' | 'gap';
  /** null for gaps. */
  timestampMs: number | null;
  timestampType: TimestampTypeName | null;
  /** null: a null key. */
  key: BytesPreview | null;
  /** null: a null value, i.e. a tombstone (for kind record). */
  value: BytesPreview | null;
  headers: { key: string; value: BytesPreview | null }[];
  /** How many headers the record has (the list carries at most the first few). */
  headerCount: number;
  /** The encoded record's size in the batch (uncompressed). */
  sizeBytes: number;
  compression: CompressionCodecName;
  transactional: boolean;
  /** For control records: COMMIT or ABORT markers. */
  controlType: 'COMMIT' | 'ABORT' | 'UNKNOWN' | null;
}

export interface BrowsePage {
  topic: string;
  partition: number | null;
  bounds: PartitionBounds[];
  totalRows: number;
  fromRow: number;
  rows: BrowseRow[];
  /** True when the bounds passed in were no longer valid (log start moved, topic changed) and were replaced. */
  boundsChanged: boolean;
  /** Partitions without a leader right now (brokers down): empty in this layout. */
  unavailable: number[];
}

export interface BrowseSeekResult {
  bounds: PartitionBounds[];
  totalRows: number;
  /** Partitions without a leader right now (brokers down): empty in this layout. */
  unavailable: number[];
  /** The row to show first. */
  row: number;
  /** The record found, when there is one, and its timestamp. */
  partition: number | null;
  offset: number | null;
  timestampMs: number | null;
  /** A sentence for the person: what was found. */
  description: string;
}

/** Full bytes: text when valid UTF-8, base64 otherwise. */
export interface BytesFull {
  sizeBytes: number;
  text: string | null;
  base64: string | null;
  /** Only the first 2 MiB are carried. */
  truncated: boolean;
}

export interface RecordDetail {
  topic: string;
  partition: number;
  offset: number;
  kind: 'record' | 'control';
  timestampMs: number;
  timestampType: TimestampTypeName;
  key: BytesFull | null;
  value: BytesFull | null;
  headers: { key: string; value: BytesFull | null }[];
  sizeBytes: number;
  controlType: 'COMMIT' | 'ABORT' | 'UNKNOWN' | null;
  batch: {
    baseOffset: number;
    lastOffset: number;
    recordCount: number;
    sizeBytes: number;
    compression: CompressionCodecName;
    partitionLeaderEpoch: number;
    producerId: number;
    producerEpoch: number;
    baseSequence: number;
    transactional: boolean;
    control: boolean;
  };
}

// ---------------------------------------------------------------------------
// Results: jobs

export type JobKind = 'filter' | 'export' | 'import';
export type JobState = 'running' | 'done' | 'cancelled' | 'failed';

export interface ImportReport {
  /** Lines whose records are in the topic, as inclusive ranges [first, last]. */
  importedLines: [number, number][];
  importedRecords: number;
  /** Blank lines (nothing to import). */
  blankLines: number;
  /** The line that stopped the import, with the reason; null when none did. */
  failedLine: number | null;
  failure: string | null;
  /** Lines received but not imported, as inclusive ranges (the rest of the file was not read). */
  notImportedLines: [number, number][];
}

export interface JobView {
  id: string;
  kind: JobKind;
  state: JobState;
  topic: string | null;
  partition: number | null;
  /** Filter/export: records scanned or written; import: lines processed. */
  done: number;
  /** Filter/export: records in the range; import: lines received so far. */
  total: number;
  /** Filter: matches kept; export: records written; import: records imported. */
  matches: number;
  startedAtMs: number;
  finishedAtMs: number | null;
  error: WorkbenchErrorData | null;
  /** A sentence worth showing (matches capped, file written, …). */
  note: string | null;
  /** Export: the file written (absolute path) and its name under the exports folder. */
  file: { path: string; name: string; sizeBytes: number } | null;
  import: ImportReport | null;
}

export interface FilterPageResult {
  job: JobView;
  fromIndex: number;
  rows: BrowseRow[];
}

export interface ImportChunkResult {
  job: JobView;
  /** False once the import stopped (bad line, failure, cancel): send no more lines. */
  accepting: boolean;
}

// ---------------------------------------------------------------------------
// Results: consumer groups

export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupSummary {
  groupId: string;
  state: GroupStateName;
  protocolType: string | null;
  protocol: string | null;
  members: number;
  /** Sum over partitions with a committed offset; null when none has one. */
  totalLag: number | null;
  coordinator: number;
}

export interface GroupMemberDetail {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  subscribedTopics: string[] | null;
  assignment: { topic: string; partitions: number[] }[];
  /** The built-in consumer behind this member, when it is one. */
  builtinConsumerId: string | null;
}

export interface GroupPartitionDetail {
  topic: string;
  partition: number;
  committedOffset: number | null;
  logStartOffset: number;
  /** The high watermark: what a consumer can read up to. */
  logEndOffset: number;
  /** logEndOffset − committedOffset; null without a committed offset. */
  lag: number | null;
  memberId: string | null;
  clientId: string | null;
}

export interface GroupDetail {
  groupId: string;
  state: GroupStateName;
  protocolType: string | null;
  protocol: string | null;
  generationId: number;
  leaderId: string | null;
  coordinator: number;
  offsetsPartition: number;
  members: GroupMemberDetail[];
  partitions: GroupPartitionDetail[];
  totalLag: number | null;
}

export interface LagHistory {
  groupId: string;
  intervalMs: number;
  /** How many samples the engine keeps per group. */
  capacity: number;
  /** Sequence number of the newest sample (0: none yet). */
  lastSeq: number;
  /** Sequence number of samples[0]. */
  firstSeq: number;
  timesMs: number[];
  /** null where no partition had a committed offset. */
  totalLag: (number | null)[];
  partitions: { topic: string; partition: number; lag: (number | null)[] }[];
}

export interface ResetPreviewRow {
  topic: string;
  partition: number;
  currentOffset: number | null;
  newOffset: number;
  logStartOffset: number;
  logEndOffset: number;
}

export interface ResetPreview {
  groupId: string;
  state: GroupStateName;
  members: number;
  rows: ResetPreviewRow[];
  /** Why applying would be refused now (an active group), or null. */
  refusal: string | null;
}

export interface ResetOffsetsResult {
  groupId: string;
  partitions: { topic: string; partition: number; offset: number }[];
}

// ---------------------------------------------------------------------------
// Results: built-in consumers

export type BuiltinConsumerState = 'starting' | 'joining' | 'consuming' | 'stopping' | 'stopped' | 'failed';

export interface BuiltinConsumerView {
  id: string;
  clientId: string;
  groupId: string;
  topic: string;
  processingDelayMs: number;
  state: BuiltinConsumerState;
  memberId: string | null;
  assigned: number[];
  processed: number;
  error: string | null;
}

export interface ConsumeResults {
  browseRows: BrowsePage;
  browseSeek: BrowseSeekResult;
  readRecord: RecordDetail;
  filterStart: JobView;
  filterPage: FilterPageResult;
  exportStart: JobView;
  importStart: JobView;
  importChunk: ImportChunkResult;
  cancelJob: JobView;
  describeGroup: GroupDetail;
  groupLagHistory: LagHistory;
  previewResetOffsets: ResetPreview;
  resetOffsets: ResetOffsetsResult;
  deleteGroup: { groupId: string };
  startConsumer: BuiltinConsumerView;
  updateConsumer: BuiltinConsumerView;
  stopConsumer: BuiltinConsumerView;
}

// ---------------------------------------------------------------------------
// Snapshot section

/** Consume's part of every cluster snapshot (each list bounded). */
export interface ConsumeSnapshot {
  /** Every group the coordinators hold (at most 200, sorted by id). */
  groups: GroupSummary[];
  groupsOmitted: number;
  consumers: BuiltinConsumerView[];
  /** Running and recently finished jobs, newest first. */
  jobs: JobView[];
  /** Grows with every lag sample round: charts pull new samples when it moves. */
  lagSeq: number;
}
