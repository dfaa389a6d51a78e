/**
 * The records part of the contract: argument schemas, result types and the snapshot
 * section for producing records (one at a time with a chosen acks and codec, or a load
 * generator), browsing them, and the engine-side jobs over them (filter, export,
 * import). Merged into the one contract by contract.ts.
 *
 * What travels where (bounded, never one event per message):
 * - `produce` writes one record through the partition leader's produce path; its
 *   answer says where it landed and how (partition chosen by, batch size, codec).
 * - The message browser asks for rows by index (`browseRows`, at most 500 at a time).
 *   A view's rows are every offset of its partitions between fixed bounds (`bounds`,
 *   taken when the view was laid out), so row i always means the same record until the
 *   renderer lays the view out again; the renderer holds only the rows it shows.
 *   All-partitions views interleave partitions by time (see engine/records/view-order.ts).
 *   `readRecord` is one record in full, for the detail pane.
 * - Filters, exports and imports are engine jobs: progress and state travel in the
 *   snapshot (`RecordsSnapshot.jobs`, a few small records); a filter's matches stay in
 *   the engine and are pulled page by page (`filterPage`).
 * - The load generator's status travels in the snapshot (`RecordsSnapshot.load`).
 *
 * Import lines and exported JSONL use one format, documented in README.md ("Message
 * files"): one JSON object per line with key, value, headers, partition, timestamp.
 *
 * Numeric ranges that have a Kafka error (offsets, timestamps) are checked by the
 * engine so the error carries Kafka's code.
 */
import { z } from 'zod';
import { headerSchema as header, offsetNumberSchema as offsetNumber, partitionSchema as partition, timestampNumberSchema as timestampNumber, topicNameSchema as topic } from '../common';
import { CODEC_NAMES, type CodecName, type CodecNameOrUnknown } from '../../storage/codec-table';
import type { WorkbenchErrorData } from '../errors';


/** acks as Kafka spells it: 0 (no answer), 1 (the leader wrote it), -1 (all in-sync replicas have it). */
const acks = z
  .number({ error: 'acks must be 0, 1 or -1 (all).' })
  .refine((v) => v === 0 || v === 1 || v === -1, 'acks must be 0, 1 or -1 (all).');

const compression = z.enum(CODEC_NAMES, { error: `Compression must be one of ${CODEC_NAMES.join(', ')}.` });

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

export const recordsSchemas = {
  /**
   * Writes one record through the partition leader's produce path. Omitted fields take
   * a Kafka producer's defaults: partition by the default partitioner (murmur2 of the
   * key, or round robin without one), acks=all, no compression, no headers.
   */
  produce: z.object({
    topic,
    /** Omitted or null: by key (murmur2), or round robin without a key. */
    partition: partition.nullable().optional(),
    key: z.string().max(1_048_576).nullable().optional(),
    /** null produces a tombstone. */
    value: z.string().nullable(),
    /** 'json': the value must parse as JSON (refused on the field `value` otherwise). */
    valueFormat: z.enum(['text', 'json']).optional(),
    headers: z.array(header).max(1000).optional(),
    acks: acks.optional(),
    compression: compression.optional(),
  }).strict(),

  /** The partition Kafka's default partitioner (murmur2 of the key) picks. */
  partitionForKey: z.object({ topic, key: z.string().max(1_048_576) }).strict(),

  /** Starts (or re-targets) the engine's load generator; it produces through the same path as every producer. */
  startLoad: z.object({
    topic,
    ratePerS: z.number({ error: 'Rate must be a number.' }).int('Rate must be a whole number.').min(1, 'Rate must be at least 1 message per second.').max(1_000_000, 'At most 1000000 messages per second.'),
    /** 0: records without keys (spread round robin); otherwise keys key-0 … key-(n-1). */
    keySpace: z.number({ error: 'Key space must be a number.' }).int('Key space must be a whole number.').min(0, 'Key space cannot be negative.').max(1_000_000, 'At most 1000000 keys.'),
    valueBytes: z.number({ error: 'Value size must be a number.' }).int('Value size must be a whole number.').min(0, 'Value size cannot be negative.').max(100_000, 'Values of at most 100000 bytes.'),
    acks: acks.optional(),
    compression: compression.optional(),
    /** Also read the records back from the leaders as a consumer does (default true). */
    readBack: z.boolean().optional(),
  }).strict(),

  stopLoad: z.object({}).strict(),

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
} satisfies Record<string, z.ZodType>;

/** A codec by name, as producers name it (storage/codec-table.ts). */
export type CompressionName = CodecName;
export type BrowseFilter = z.infer<typeof filter>;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

// ---------------------------------------------------------------------------
// Results: producing

export interface PartitionForKeyResult {
  topic: string;
  key: string;
  partition: number;
  partitions: number;
  /** murmur2 of the key's UTF-8 bytes with the sign bit masked, as Kafka's partitioner uses it. */
  hash: number;
}

export interface ProduceResult {
  topic: string;
  partition: number;
  /** null with acks=0: the producer is not told. */
  offset: number | null;
  timestampMs: number;
  acks: number;
  compression: CompressionName;
  /** Size of the record batch as sent (after compression). */
  batchBytes: number;
  chosenBy: 'explicit' | 'key' | 'round-robin';
}

export interface LoadSettings {
  topic: string;
  ratePerS: number;
  keySpace: number;
  valueBytes: number;
  acks: number;
  compression: CompressionName;
  readBack: boolean;
}

export interface LoadStatus {
  running: boolean;
  settings: LoadSettings | null;
  startedAtMs: number | null;
  /** Records handed to the produce path / acknowledged / refused since the start. */
  sentRecords: number;
  ackedRecords: number;
  failedRecords: number;
  lastError: string | null;
  /** Acknowledged (or, with acks=0, sent) records per second, over the last second. */
  recordsPerS: number;
  bytesPerS: number;
  /** The built-in reader: it fetches what was written from the leaders, as a consumer does. */
  readBack: { recordsPerS: number; bytesPerS: number; lagRecords: number } | null;
}

// ---------------------------------------------------------------------------
// Results: browsing

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

/** A record of the brokers' own `__consumer_offsets`, decoded (see engine/records/internal-records.ts). */
export interface InternalRecordView {
  kind: 'offset-commit' | 'group-metadata';
  /** One line each, for the list: what the key names and what the value says (null: a tombstone, deleted). */
  key: string;
  value: string | null;
  /** Every decoded field, for the detail pane. */
  fields: Record<string, unknown>;
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
  /** The record decoded, when it is one of `__consumer_offsets`'s; else null. */
  internal: InternalRecordView | null;
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
  /** The record decoded, when it is one of `__consumer_offsets`'s; else null. */
  internal: InternalRecordView | null;
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

export interface RecordsResults {
  produce: ProduceResult;
  partitionForKey: PartitionForKeyResult;
  startLoad: LoadStatus;
  stopLoad: LoadStatus;
  browseRows: BrowsePage;
  browseSeek: BrowseSeekResult;
  readRecord: RecordDetail;
  filterStart: JobView;
  filterPage: FilterPageResult;
  exportStart: JobView;
  importStart: JobView;
  importChunk: ImportChunkResult;
  cancelJob: JobView;
}

// ---------------------------------------------------------------------------
// Snapshot section

/** The records part of every cluster snapshot (each list bounded). */
export interface RecordsSnapshot {
  load: LoadStatus;
  /** Running and recently finished jobs, newest first. */
  jobs: JobView[];
}
