/**
 * The message file formats: JSONL (written by export, read by import) and CSV (export
 * only). Documented for people in README.md, "Message files".
 *
 * JSONL: one JSON object per line, UTF-8, lines separated by \n:
 *   {"topic":"orders","partition":0,"offset":42,"timestamp":1726401600000,
 *    "timestampType":"CreateTime","key":"user-1","value":"{\"total\":12}",
 *    "headers":[{"key":"source","value":"web"}]}
 * - key, value and header values are a string (the bytes as UTF-8 text), null, or
 *   {"base64":"…"} for bytes that are not valid UTF-8. A null value is a tombstone.
 * - Import reads: value (required; null for a tombstone), key (default null), headers
 *   (default none; at most 1000), partition (default: by key with murmur2 as Kafka's
 *   producer does, round robin without a key), timestamp (ms since 1970; default now).
 *   topic, offset and timestampType are accepted and ignored (the target topic and the
 *   log decide them). Any other field is refused, so a typo is not silently lost.
 * - Blank lines are skipped (and counted).
 *
 * CSV (RFC 4180, header row): partition, offset, timestamp, timestamp_iso,
 * timestamp_type, key, key_encoding, value, value_encoding, headers; *_encoding is
 * utf8, base64 or null; headers is the JSONL headers array as JSON text.
 */
import { isUtf8 } from 'node:buffer';
import type { PartitionReader } from './partition-reader';
import { MAX_TIMESTAMP_MS } from '../ports/validate';

type BytesField = string | null | { base64: string };

function bytesField(buf: Buffer | null): BytesField {
  if (buf === null) return null;
  return isUtf8(buf) ? buf.toString('utf8') : { base64: buf.toString('base64') };
}

/** The reader's head record as one JSONL line (with the trailing newline). */
export function jsonlLine(topic: string, r: PartitionReader): string {
  return (
    JSON.stringify({
      topic,
      partition: r.partition,
      offset: r.headOffset,
      timestamp: r.headTs,
      timestampType: r.logAppendTime ? 'LogAppendTime' : 'CreateTime',
      key: bytesField(r.keyBytes()),
      value: bytesField(r.valueBytes()),
      headers: r.cursor.headersCount === 0 ? [] : r.headers().map((h) => ({ key: h.key, value: bytesField(h.value) })),
    }) + '\n'
  );
}

export const CSV_HEADER = 'partition,offset,timestamp,timestamp_iso,timestamp_type,key,key_encoding,value,value_encoding,headers\n';

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvBytes(buf: Buffer | null): [string, string] {
  if (buf === null) return ['', 'null'];
  return isUtf8(buf) ? [csvCell(buf.toString('utf8')), 'utf8'] : [buf.toString('base64'), 'base64'];
}

export function csvLine(r: PartitionReader): string {
  const [key, keyEnc] = csvBytes(r.keyBytes());
  const [value, valueEnc] = csvBytes(r.valueBytes());
  const headers = r.cursor.headersCount === 0 ? '[]' : JSON.stringify(r.headers().map((h) => ({ key: h.key, value: bytesField(h.value) })));
  const iso = r.headTs >= 0 && r.headTs <= MAX_TIMESTAMP_MS ? new Date(r.headTs).toISOString() : '';
  return [r.partition, r.headOffset, r.headTs, iso, r.logAppendTime ? 'LogAppendTime' : 'CreateTime', key, keyEnc, value, valueEnc, csvCell(headers)].join(',') + '\n';
}

// ---- import ---------------------------------------------------------------------

export interface ImportRecord {
  line: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
  partition: number | null;
  timestampMs: number | null;
  /** Bytes the record adds to a batch (an estimate: key, value, headers, overhead). */
  sizeBytes: number;
}

export interface ImportContext {
  topic: string;
  partitions: number;
  maxMessageBytes: number;
}

/** Why a line was refused (the import stops there). */
export class LineError extends Error {}

const FIELDS = new Set(['topic', 'partition', 'offset', 'timestamp', 'timestampType', 'key', 'value', 'headers']);
const MAX_HEADERS = 1000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses and validates one non-blank line; throws LineError with the reason. */
export function parseImportLine(text: string, line: number, ctx: ImportContext): ImportRecord {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    const preview = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    throw new LineError(`it is not JSON (${(err as Error).message}): ${preview}. Each line must be one JSON object.`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new LineError(`it is JSON but not an object. Each line must be one object like {"key":"k","value":"v"}.`);
  }
  const o = obj as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!FIELDS.has(k)) throw new LineError(`unknown field "${k}". Fields are key, value, headers, partition, timestamp (and topic, offset, timestampType, which import ignores).`);
  }
  if (!('value' in o)) throw new LineError('"value" is missing (use null for a tombstone).');
  const key = 'key' in o ? bytesOf(o.key, 'key') : null;
  const value = bytesOf(o.value, 'value');
  const headers: ImportRecord['headers'] = [];
  if ('headers' in o && o.headers !== null) {
    if (!Array.isArray(o.headers)) throw new LineError('"headers" must be an array of {"key": …, "value": …}.');
    if (o.headers.length > MAX_HEADERS) throw new LineError(`a record has at most ${MAX_HEADERS} headers, this one ${o.headers.length}.`);
    o.headers.forEach((h: unknown, i: number) => {
      if (h === null || typeof h !== 'object' || Array.isArray(h)) throw new LineError(`header ${i + 1} must be an object {"key": …, "value": …}.`);
      const hh = h as Record<string, unknown>;
      for (const k of Object.keys(hh)) if (k !== 'key' && k !== 'value') throw new LineError(`header ${i + 1} has an unknown field "${k}" (fields: key, value).`);
      if (typeof hh.key !== 'string') throw new LineError(`header ${i + 1} needs a "key" that is text.`);
      headers.push({ key: hh.key, value: 'value' in hh ? bytesOf(hh.value, `header ${i + 1} value`) : null });
    });
  }
  let partition: number | null = null;
  if ('partition' in o && o.partition !== null) {
    const p = o.partition;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0) throw new LineError(`"partition" must be a whole number ≥ 0 or null, not ${JSON.stringify(p)}.`);
    if (p >= ctx.partitions) throw new LineError(`partition ${p} does not exist in "${ctx.topic}" (its partitions are 0 to ${ctx.partitions - 1}).`);
    partition = p;
  }
  let timestampMs: number | null = null;
  if ('timestamp' in o && o.timestamp !== null) {
    const t = o.timestamp;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > MAX_TIMESTAMP_MS) {
      throw new LineError(`"timestamp" must be whole milliseconds since 1970 (0 or more), not ${JSON.stringify(t)}.`);
    }
    timestampMs = t;
  }
  if ('timestampType' in o && o.timestampType !== 'CreateTime' && o.timestampType !== 'LogAppendTime' && o.timestampType !== null) {
    throw new LineError('"timestampType" must be CreateTime or LogAppendTime (import ignores it: the topic decides).');
  }
  let sizeBytes = 32 + (key?.length ?? 0) + (value?.length ?? 0);
  for (const h of headers) sizeBytes += 8 + Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  if (sizeBytes + 61 > ctx.maxMessageBytes) {
    throw new LineError(`the record is about ${sizeBytes} bytes; "${ctx.topic}" accepts batches of at most ${ctx.maxMessageBytes} bytes (max.message.bytes).`);
  }
  return { line, key, value, headers, partition, timestampMs, sizeBytes };
}

function bytesOf(v: unknown, what: string): Buffer | null {
  if (v === null) return null;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v as object);
    const b64 = (v as Record<string, unknown>).base64;
    if (keys.length === 1 && typeof b64 === 'string') {
      if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw new LineError(`"${what}" holds base64 that does not decode.`);
      return Buffer.from(b64, 'base64');
    }
  }
  throw new LineError(`"${what}" must be text, null, or {"base64": "…"}, not ${JSON.stringify(v)?.slice(0, 40)}.`);
}
