/**
 * Message filters, compiled once and evaluated in the engine on the stored bytes of
 * each record (a PartitionReader's head), cheapest condition first:
 *
 *   time range      two number comparisons
 *   key equals      one byte comparison, no copy
 *   key / value     substring search with an occurrence cache: per (needle, records
 *   contains        buffer) the next occurrence found so far is remembered, so a batch is
 *                   searched once from left to right whatever its record count
 *                   (Buffer.indexOf is native), and a record matches when the next
 *                   occurrence at or after its start ends inside it
 *   header          the record's headers walked in place (storage's record cursor),
 *                   key (and value) compared as bytes
 *   JSON path       only records that pass a byte prefilter are parsed: for a string,
 *                   true, false or null, the value must contain the JSON text of the
 *                   expected value, or a backslash (an escape could spell it otherwise)
 *
 * Invariant: matching never changes the reader's position; a filter with no condition
 * is refused at compile time.
 */
import { WorkbenchError } from '../api/errors';
import type { BrowseFilter } from '../api/contract';
import { evaluateJsonPath, isMissing, jsonEquals, parseJsonPath, type JsonPathStep } from './json-path';
import type { PartitionReader } from './partition-reader';
import { requireTimestamp } from '../ports/validate';

/** Where the next occurrence of a needle is in one records buffer. */
interface Occurrence {
  /** Next known occurrence at or after `searchedFrom` (-1: none to the end of the buffer). */
  next: number;
  searchedFrom: number;
}

/**
 * A byte needle with its occurrence cache, one entry per records buffer (an all-partitions
 * scan alternates between the current batches of several partitions; entries of batches
 * already left behind are collected with them, being weakly held).
 */
class Needle {
  private lastBuf: Buffer | null = null;
  private last: Occurrence = { next: -1, searchedFrom: 0 };
  private readonly byBuffer = new WeakMap<Buffer, Occurrence>();

  constructor(readonly bytes: Buffer) {}

  /** Whether the needle occurs inside [start, end) of `buf`. Fast when calls move left to right in each buffer. */
  within(buf: Buffer, start: number, end: number): boolean {
    const n = this.bytes.length;
    if (n === 0) return true;
    if (end - start < n) return false;
    let occ: Occurrence | undefined;
    if (buf === this.lastBuf) {
      occ = this.last;
    } else {
      occ = this.byBuffer.get(buf);
      if (occ === undefined) {
        occ = { next: buf.indexOf(this.bytes, start), searchedFrom: start };
        this.byBuffer.set(buf, occ);
      }
      this.lastBuf = buf;
      this.last = occ;
    }
    if (start < occ.searchedFrom || (occ.next !== -1 && occ.next < start)) {
      occ.searchedFrom = start;
      occ.next = buf.indexOf(this.bytes, start);
    }
    return occ.next !== -1 && occ.next + n <= end;
  }
}

export interface CompiledFilter {
  readonly description: string;
  matches(r: PartitionReader): boolean;
}

export function compileFilter(f: BrowseFilter): CompiledFilter {
  const given = Object.entries(f).filter(([, v]) => v !== undefined);
  if (given.length === 0) throw new WorkbenchError('INVALID_REQUEST', 'The filter is empty: give at least one condition (key, value, header, time range or JSON path).', 'filter');
  if (f.headerValue !== undefined && f.headerKey === undefined) {
    throw new WorkbenchError('INVALID_REQUEST', 'A header value needs the header key it belongs to.', 'headerKey');
  }
  if (f.jsonEquals !== undefined && f.jsonPath === undefined) {
    throw new WorkbenchError('INVALID_REQUEST', 'A JSON value to compare needs a JSON path (e.g. $.user.id).', 'jsonPath');
  }
  const fromMs = f.fromTimestampMs === undefined ? -Infinity : requireTimestamp(f.fromTimestampMs, 'fromTimestampMs', 'The start of the time range');
  const toMs = f.toTimestampMs === undefined ? Infinity : requireTimestamp(f.toTimestampMs, 'toTimestampMs', 'The end of the time range');
  if (fromMs > toMs) throw new WorkbenchError('INVALID_TIMESTAMP', 'The time range ends before it starts: make "from" earlier than "to".', 'toTimestampMs');
  const path = f.jsonPath !== undefined ? parseJsonPath(f.jsonPath.trim()) : null;
  const expected = f.jsonEquals !== undefined ? parseExpected(f.jsonEquals) : undefined;

  const keyEquals = f.keyEquals !== undefined ? Buffer.from(f.keyEquals, 'utf8') : null;
  const keyContains = f.keyContains !== undefined ? new Needle(Buffer.from(f.keyContains, 'utf8')) : null;
  const valueContains = f.valueContains !== undefined ? new Needle(Buffer.from(f.valueContains, 'utf8')) : null;
  const headerKey = f.headerKey !== undefined ? Buffer.from(f.headerKey, 'utf8') : null;
  const headerValue = f.headerValue !== undefined ? Buffer.from(f.headerValue, 'utf8') : null;
  const json = path ? jsonMatcher(path, expected) : null;
  const timed = fromMs !== -Infinity || toMs !== Infinity;

  return {
    description: describe(f),
    matches(r: PartitionReader): boolean {
      if (timed && (r.headTs < fromMs || r.headTs > toMs)) return false;
      const c = r.cursor;
      const buf = r.records;
      if (keyEquals !== null) {
        if (c.keyLength !== keyEquals.length || keyEquals.compare(buf, c.keyStart, c.keyStart + c.keyLength) !== 0) return false;
      }
      if (keyContains !== null && (c.keyLength < 0 || !keyContains.within(buf, c.keyStart, c.keyStart + c.keyLength))) return false;
      if (valueContains !== null && (c.valueLength < 0 || !valueContains.within(buf, c.valueStart, c.valueStart + c.valueLength))) return false;
      if (headerKey !== null && !r.hasHeader(headerKey, headerValue)) return false;
      if (json !== null && !json(r)) return false;
      return true;
    },
  };
}

/** The expected JSON value: the text as JSON when it parses, else the text as a string. */
function parseExpected(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const BACKSLASH = new Needle(Buffer.from('\\'));

function jsonMatcher(path: JsonPathStep[], expected: unknown): (r: PartitionReader) => boolean {
  const literal = expected === undefined ? null : typeof expected === 'string' || typeof expected === 'boolean' || expected === null ? JSON.stringify(expected) : null;
  const needle = literal !== null ? new Needle(Buffer.from(literal, 'utf8')) : null;
  const backslash = new Needle(BACKSLASH.bytes);
  return (r) => {
    const c = r.cursor;
    if (c.valueLength <= 0) return false;
    const buf = r.records;
    const start = c.valueStart;
    const end = start + c.valueLength;
    if (needle !== null && !needle.within(buf, start, end) && !backslash.within(buf, start, end)) return false;
    let doc: unknown;
    try {
      doc = JSON.parse(buf.toString('utf8', start, end));
    } catch {
      return false;
    }
    const found = evaluateJsonPath(doc, path);
    if (isMissing(found)) return false;
    return expected === undefined || jsonEquals(found, expected);
  };
}

function describe(f: BrowseFilter): string {
  const parts: string[] = [];
  if (f.keyEquals !== undefined) parts.push(`key = "${f.keyEquals}"`);
  if (f.keyContains !== undefined) parts.push(`key contains "${f.keyContains}"`);
  if (f.valueContains !== undefined) parts.push(`value contains "${f.valueContains}"`);
  if (f.headerKey !== undefined) parts.push(f.headerValue !== undefined ? `header ${f.headerKey} = "${f.headerValue}"` : `has header ${f.headerKey}`);
  if (f.fromTimestampMs !== undefined) parts.push(`time ≥ ${new Date(f.fromTimestampMs).toISOString()}`);
  if (f.toTimestampMs !== undefined) parts.push(`time ≤ ${new Date(f.toTimestampMs).toISOString()}`);
  if (f.jsonPath !== undefined) parts.push(f.jsonEquals !== undefined ? `${f.jsonPath} = ${f.jsonEquals}` : `${f.jsonPath} exists`);
  return parts.join(' and ');
}
