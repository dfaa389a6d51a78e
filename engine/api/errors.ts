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
import { ErrorCode, type ErrorName } from '../protocol/errors';

/**
 * The Kafka errors the contract uses, by name. Their numbers come from the protocol's
 * one error table (protocol/errors.ts), never restated here.
 */
export const KAFKA_ERROR_NAMES = [
  'UNKNOWN_SERVER_ERROR',
  'OFFSET_OUT_OF_RANGE',
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_OR_FOLLOWER',
  'REQUEST_TIMED_OUT',
  'BROKER_NOT_AVAILABLE',
  'MESSAGE_TOO_LARGE',
  'INVALID_TOPIC_EXCEPTION',
  'RECORD_LIST_TOO_LARGE',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'INVALID_REQUIRED_ACKS',
  'ILLEGAL_GENERATION',
  'INVALID_GROUP_ID',
  'UNKNOWN_MEMBER_ID',
  'INVALID_TIMESTAMP',
  'TOPIC_ALREADY_EXISTS',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_CONFIG',
  'INVALID_REQUEST',
  'KAFKA_STORAGE_ERROR',
  'NON_EMPTY_GROUP',
  'GROUP_ID_NOT_FOUND',
  'INVALID_RECORD',
  'PREFERRED_LEADER_NOT_AVAILABLE',
  'ELIGIBLE_LEADERS_NOT_AVAILABLE',
  'ELECTION_NOT_NEEDED',
  'NO_REASSIGNMENT_IN_PROGRESS',
] as const satisfies readonly ErrorName[];

/** Errors that are about the workbench itself rather than Kafka semantics. */
export const WORKBENCH_ERROR_NAMES = ['ENGINE_NOT_RUNNING', 'ENGINE_CRASHED', 'UNKNOWN_COMMAND', 'CANCELLED', 'BUSY'] as const;

export type KafkaErrorName = (typeof KAFKA_ERROR_NAMES)[number];
const KAFKA_NAMES: ReadonlySet<string> = new Set(KAFKA_ERROR_NAMES);
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
    this.kafkaCode = KAFKA_NAMES.has(code) ? ErrorCode[code as KafkaErrorName] : -1;
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
