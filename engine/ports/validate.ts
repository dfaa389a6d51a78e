/**
 * Range checks of offsets and timestamps that come from a person, with Kafka's error
 * codes (OFFSET_OUT_OF_RANGE, INVALID_TIMESTAMP) and a sentence saying what is allowed.
 * The zod schemas check only that they are numbers.
 */
import { WorkbenchError } from '../api/errors';

/** The largest time JavaScript dates represent (year 275760). */
export const MAX_TIMESTAMP_MS = 8_640_000_000_000_000;

export function requireTimestamp(value: number | undefined, field: string, what = 'Timestamp'): number {
  if (value === undefined) throw new WorkbenchError('INVALID_TIMESTAMP', `${what} is missing: give a date and time.`, field);
  if (!Number.isInteger(value) || value < 0 || value > MAX_TIMESTAMP_MS) {
    throw new WorkbenchError('INVALID_TIMESTAMP', `${what} ${value} is not a time Kafka accepts: use whole milliseconds since 1970 (0 or more).`, field);
  }
  return value;
}

export function requireOffset(value: number | undefined, field: string): number {
  if (value === undefined) throw new WorkbenchError('OFFSET_OUT_OF_RANGE', 'Offset is missing: give a whole number, 0 or more.', field);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new WorkbenchError('OFFSET_OUT_OF_RANGE', `Offset ${value} is not valid: offsets are whole numbers, 0 or more.`, field);
  }
  return value;
}

/** An offset a partition holds (or its end, when `allowEnd`). */
export function requireOffsetIn(value: number | undefined, range: { start: number; end: number }, where: string, field: string, allowEnd = true): number {
  const offset = requireOffset(value, field);
  const max = allowEnd ? range.end : range.end - 1;
  if (offset < range.start || offset > max) {
    const holds = range.end > range.start ? `holds offsets ${range.start} to ${range.end - 1}` : `is empty (its next offset is ${range.end})`;
    throw new WorkbenchError('OFFSET_OUT_OF_RANGE', `Offset ${offset} is outside ${where}, which ${holds}. Pick an offset between them.`, field);
  }
  return offset;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}
