/**
 * Errors the storage layer reports to its callers, with Kafka's error codes.
 *
 * A `StorageError` always means "the request was refused or could not be served";
 * it never means the engine's own state is broken (that is an `InvariantError`
 * from engine/util/assert). The codes and names are Kafka's, so the protocol
 * layer can put `code` straight into a response:
 *
 *   OFFSET_OUT_OF_RANGE 1, CORRUPT_MESSAGE 2, MESSAGE_TOO_LARGE 10,
 *   RECORD_LIST_TOO_LARGE 18, INVALID_CONFIG 40, KAFKA_STORAGE_ERROR 56,
 *   UNSUPPORTED_COMPRESSION_TYPE 76, INVALID_RECORD 87.
 *
 * `recordErrors` carries KIP-467 per-record errors (index of the record inside its
 * batch, and a sentence) for INVALID_RECORD, e.g. keyless records on a compacted
 * topic.
 *
 * Invariant: a refused request changed nothing (no bytes appended, no config
 * applied). KAFKA_STORAGE_ERROR is the exception: it reports an I/O failure after
 * which the log's state on disk is uncertain, and the log refuses further writes.
 */

export const ERROR_CODES = {
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  MESSAGE_TOO_LARGE: 10,
  RECORD_LIST_TOO_LARGE: 18,
  INVALID_CONFIG: 40,
  KAFKA_STORAGE_ERROR: 56,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
} as const;

export type StorageErrorName = keyof typeof ERROR_CODES;

/** One record's problem, as KIP-467 reports it in a ProduceResponse. */
export interface RecordErrorDetail {
  /** Index of the record inside its batch (0-based). */
  batchIndex: number;
  message: string;
}

export class StorageError extends Error {
  override name = 'StorageError';
  readonly code: number;
  readonly errorName: StorageErrorName;
  readonly recordErrors?: readonly RecordErrorDetail[];

  constructor(
    errorName: StorageErrorName,
    message: string,
    opts: { recordErrors?: readonly RecordErrorDetail[]; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.errorName = errorName;
    this.code = ERROR_CODES[errorName];
    if (opts.recordErrors !== undefined) this.recordErrors = opts.recordErrors;
  }
}

/**
 * A problem with the bytes of a record batch (bad CRC, bad lengths, bad records,
 * unknown codec). Raised by record-batch validation; a subclass so that callers can
 * tell "the client sent bad data" from other refusals.
 */
export class RecordError extends StorageError {
  override name = 'RecordError';
}

export function isStorageError(e: unknown): e is StorageError {
  return e instanceof StorageError;
}

/** Wraps a raw I/O failure (from a Storage implementation) as KAFKA_STORAGE_ERROR. */
export function kafkaStorageError(what: string, cause: unknown): StorageError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new StorageError('KAFKA_STORAGE_ERROR', `${what} failed: ${detail}`, { cause });
}
