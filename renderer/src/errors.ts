/** The contract's error shape for anything a call threw (a plain object over every transport). */
import type { WorkbenchErrorData, WorkbenchErrorName } from '../../engine/api/errors';

/** Any thrown value as the contract's error shape. */
export function toErrorData(err: unknown): WorkbenchErrorData {
  if (typeof err === 'object' && err !== null && typeof (err as WorkbenchErrorData).code === 'string' && typeof (err as WorkbenchErrorData).message === 'string') {
    const e = err as WorkbenchErrorData;
    return { code: e.code, kafkaCode: typeof e.kafkaCode === 'number' ? e.kafkaCode : -1, message: e.message, ...(e.field ? { field: e.field } : {}) };
  }
  return { code: 'UNKNOWN_SERVER_ERROR', kafkaCode: -1, message: err instanceof Error ? err.message : String(err) };
}

/** A refusal made in the renderer before the engine is asked (a field that does not parse). */
export function localError(code: WorkbenchErrorName, message: string, field?: string): WorkbenchErrorData {
  return { code, kafkaCode: -1, message, ...(field ? { field } : {}) };
}
