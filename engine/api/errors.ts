/**
 * The one error type that crosses the contract.
 *
 * Every failure a person can see is a `WorkbenchError`: a Kafka-style error name
 * (`TOPIC_ALREADY_EXISTS`), Kafka's numeric code where Kafka has one, a sentence
 * that says what happened and what to do next, and optionally the argument field it
 * concerns so the UI can show it next to that field.
 *
 * Over every transport (worker message, IPC, WebSocket) an error travels as plain
 * `WorkbenchErrorData`; `WorkbenchError.from()` turns anything caught back into one.
 *
 * Invariant: a command that fails with a WorkbenchError changed nothing.
 */

/** Kafka's numeric error codes for the errors the contract uses (0 = none, -1 = unknown). */
export const KAFKA_ERROR_CODES = {
  UNKNOWN_SERVER_ERROR: -1,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  BROKER_NOT_AVAILABLE: 8,
  MESSAGE_TOO_LARGE: 10,
  INVALID_TOPIC_EXCEPTION: 17,
  RECORD_LIST_TOO_LARGE: 18,
  NOT_ENOUGH_REPLICAS: 19,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 20,
  INVALID_REQUIRED_ACKS: 21,
  ILLEGAL_GENERATION: 22,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_TIMESTAMP: 32,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
  KAFKA_STORAGE_ERROR: 56,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  INVALID_RECORD: 87,
} as const;

/** Errors that are about the workbench itself rather than Kafka semantics. */
export const WORKBENCH_ERROR_NAMES = ['ENGINE_NOT_RUNNING', 'ENGINE_CRASHED', 'UNKNOWN_COMMAND', 'CANCELLED', 'BUSY'] as const;

export type KafkaErrorName = keyof typeof KAFKA_ERROR_CODES;
export type WorkbenchErrorName = KafkaErrorName | (typeof WORKBENCH_ERROR_NAMES)[number];

export interface WorkbenchErrorData {
  code: WorkbenchErrorName;
  /** Kafka's numeric code; -1 where Kafka has none. */
  kafkaCode: number;
  /** A sentence a person can act on. */
  message: string;
  /** The argument this is about (`name`, `partitions`, `value`…), when there is one. */
  field?: string;
}

export class WorkbenchError extends Error implements WorkbenchErrorData {
  override name = 'WorkbenchError';
  readonly code: WorkbenchErrorName;
  readonly kafkaCode: number;
  readonly field?: string;

  constructor(code: WorkbenchErrorName, message: string, field?: string) {
    super(message);
    this.code = code;
    this.kafkaCode = code in KAFKA_ERROR_CODES ? KAFKA_ERROR_CODES[code as KafkaErrorName] : -1;
    if (field !== undefined) this.field = field;
  }

  toData(): WorkbenchErrorData {
    const data: WorkbenchErrorData = { code: this.code, kafkaCode: this.kafkaCode, message: this.message };
    if (this.field !== undefined) data.field = this.field;
    return data;
  }

  static fromData(data: WorkbenchErrorData): WorkbenchError {
    return new WorkbenchError(data.code, data.message, data.field);
  }

  /** Anything thrown, as a WorkbenchError. Unexpected errors keep their message but are marked as such. */
  static from(err: unknown): WorkbenchError {
    if (err instanceof WorkbenchError) return err;
    if (isWorkbenchErrorData(err)) return WorkbenchError.fromData(err);
    const detail = err instanceof Error ? err.message : String(err);
    return new WorkbenchError(
      'UNKNOWN_SERVER_ERROR',
      `The engine failed unexpectedly: ${detail}. Try again; if it keeps happening, restart the engine.`,
    );
  }
}

export function isWorkbenchErrorData(value: unknown): value is WorkbenchErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as WorkbenchErrorData).code === 'string' &&
    typeof (value as WorkbenchErrorData).message === 'string' &&
    typeof (value as WorkbenchErrorData).kafkaCode === 'number'
  );
}
