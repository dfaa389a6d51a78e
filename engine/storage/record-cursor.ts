/**
 * Record cursors: walk the records of a RecordBatch v2 records section (after
 * decompression) one at a time and expose the current record's fields as positions
 * into the buffer. No allocation per record and no state outside the cursor, so any
 * number of cursors may walk at once.
 *
 * Record layout (record-batch.ts describes the batch around it; varints are zigzag,
 * see bytes.ts):
 *   length          varint    bytes after this field, at least MIN_RECORD_BYTES - 1
 *   attributes      int8      unused by Kafka (0)
 *   timestampDelta  varlong   from the batch's baseTimestamp
 *   offsetDelta     varint    from the batch's baseOffset
 *   keyLength       varint    -1 = null key
 *   key             bytes
 *   valueLength     varint    -1 = null value (a tombstone)
 *   value           bytes
 *   headersCount    varint
 *   headers         per header: keyLength varint (>= 0), key (UTF-8),
 *                   valueLength varint (-1 = null), value
 *
 * The family: two cursors that differ only in how much of a record `next()` reads.
 *   - `HeaderSkippingCursor` reads up to the headers' count and steps to the next
 *     record by the declared length; headers are walked only when asked for
 *     (`hasHeader`, `headers`, `headerViews`). For scans over stored batches (the
 *     message browser and its filters), whose records were validated one by one when
 *     they were appended, so that a scan does not pay for headers it never looks at.
 *   - `RecordCursor` is that cursor plus a walk over every header in `next()`, which
 *     checks that the fields end exactly where the record's length says. For
 *     validating a client's batch, compaction, decoding and the consumer: anything
 *     that trusts nothing.
 * Both share the fields, the accessors and the header walk. The record is read in
 * one method, with the position in a local and ByteReader's *At reads, because it is
 * the filter scan's hot loop: split in two, V8 stopped inlining the reads and the
 * cursor lost about a quarter of its speed.
 *
 * Bounds: every read is checked against the current record's declared end and every
 * record against the end of the records section, so damaged bytes raise FormatError
 * (the caller turns it into its Kafka or workbench error) and never read past the
 * record. Each `next()` consumes at least MIN_RECORD_BYTES bytes and each header step
 * at least two, so no walk can loop more often than its bytes allow.
 *
 * Invariant: after `next()`, recordStart < keyStart < valueStart <= headersStart <
 * recordEnd <= the section's end, and `position` is recordEnd.
 *
 * Not thread-safe (nothing here is shared between threads).
 */
import { ByteReader, FormatError } from './bytes';
import { assert } from '../util/assert';

/** Smallest possible encoded record: every varint one byte, no key, value or headers. */
export const MIN_RECORD_BYTES = 7;
/** Smallest possible encoded header: two one-byte varints (empty key, null value). */
const MIN_HEADER_BYTES = 2;

const EMPTY = Buffer.alloc(0);

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** Reads each record up to its headers' count and steps over the headers by the record's length. */
export class HeaderSkippingCursor {
  /** Walks records: bounded by the section's end between records, by the record's end inside one. */
  protected readonly r = new ByteReader(EMPTY);
  /** Walks the current record's headers, bounded by the record's end. */
  private readonly hr = new ByteReader(EMPTY);
  private headersLeft = 0;
  /** End of the records section. */
  protected limit = 0;
  /** Position after the current record's length varint. */
  protected bodyStart = 0;

  /** Index of the current record (0-based), -1 before the first `next()`. */
  index = -1;
  recordStart = 0;
  recordEnd = 0;
  attributes = 0;
  timestampDelta = 0;
  offsetDelta = 0;
  keyStart = 0;
  /** -1 for a null key. */
  keyLength = -1;
  valueStart = 0;
  /** -1 for a null value (a tombstone). */
  valueLength = -1;
  /** Position of the headersCount varint; the headers run to recordEnd. */
  headersStart = 0;
  headersCount = 0;

  /** The header `nextHeader()` stepped onto. */
  headerKeyStart = 0;
  headerKeyLength = 0;
  headerValueStart = 0;
  /** -1 for a null header value. */
  headerValueLength = -1;

  /** Starts a walk over the records in `records[start, end)`. */
  reset(records: Buffer, start = 0, end = records.length): this {
    assert(start >= 0 && start <= end && end <= records.length, () => `records [${start}, ${end}) lie outside a buffer of ${records.length} bytes`);
    this.r.reset(records, start, end);
    this.limit = end;
    this.index = -1;
    this.headersLeft = 0;
    return this;
  }

  get buffer(): Buffer {
    return this.r.buf;
  }

  /** Position after the current record (where the next one starts). */
  get position(): number {
    return this.r.pos;
  }

  /** Moves to the next record; throws FormatError when its bytes are malformed. */
  next(): void {
    // The position lives in a local between reads (see ByteReader's *At reads).
    const r = this.r;
    const buf = r.buf;
    const limit = this.limit;
    let p = r.pos;
    this.recordStart = p;
    r.end = limit;
    const length = r.readVarintAt(p);
    p = r.pos;
    const end = p + length;
    if (length < MIN_RECORD_BYTES - 1 || end > limit) throw badLength(length);
    r.end = end;
    this.bodyStart = p;
    this.recordEnd = end;
    // In bounds: the record has at least MIN_RECORD_BYTES - 1 bytes after its length.
    this.attributes = (buf[p++] << 24) >> 24;
    this.timestampDelta = r.readVarlongAt(p);
    p = r.pos;
    this.offsetDelta = r.readVarintAt(p);
    p = r.pos;
    const keyLength = r.readVarintAt(p);
    p = r.pos;
    this.keyStart = p;
    this.keyLength = keyLength;
    if (keyLength > 0) {
      p += keyLength;
      if (p > end) throw pastRecord('key', keyLength);
    } else if (keyLength < -1) throw invalid('key length', keyLength);
    const valueLength = r.readVarintAt(p);
    p = r.pos;
    this.valueStart = p;
    this.valueLength = valueLength;
    if (valueLength > 0) {
      p += valueLength;
      if (p > end) throw pastRecord('value', valueLength);
    } else if (valueLength < -1) throw invalid('value length', valueLength);
    this.headersStart = p;
    const headersCount = r.readVarintAt(p);
    p = r.pos;
    if (headersCount < 0 || headersCount > (end - p) / MIN_HEADER_BYTES) throw invalid('header count', headersCount);
    this.headersCount = headersCount;
    this.headersLeft = 0;
    r.pos = end;
    this.index++;
  }

  // ---- the header walk --------------------------------------------------------------

  /** Starts a walk over the current record's headers (then call `nextHeader()`). */
  rewindHeaders(): void {
    this.hr.reset(this.r.buf, this.headersStart, this.recordEnd);
    this.hr.readVarint(); // the count, read and checked by next()
    this.headersLeft = this.headersCount;
  }

  /**
   * Steps onto the next header (its positions in headerKeyStart/Length,
   * headerValueStart/Length); false when there is none left. FormatError when a
   * header is malformed or runs past the record.
   */
  nextHeader(): boolean {
    if (this.headersLeft === 0) return false;
    const hr = this.hr;
    const keyLength = hr.readVarint();
    if (keyLength < 0) throw new FormatError('header key must not be null');
    this.headerKeyStart = hr.pos;
    this.headerKeyLength = keyLength;
    hr.skip(keyLength);
    const valueLength = hr.readVarint();
    if (valueLength < -1) throw invalid('header value length', valueLength);
    this.headerValueStart = hr.pos;
    this.headerValueLength = valueLength;
    if (valueLength > 0) hr.skip(valueLength);
    this.headersLeft--;
    return true;
  }

  /** Position after the last header `nextHeader()` stepped over. */
  protected get headerWalkPosition(): number {
    return this.hr.pos;
  }

  // ---- accessors ----------------------------------------------------------------------

  /** The key (a view into the records buffer), or null. */
  key(): Buffer | null {
    return this.keyLength < 0 ? null : this.r.buf.subarray(this.keyStart, this.keyStart + this.keyLength);
  }

  /** The value (a view into the records buffer), or null for a tombstone. */
  value(): Buffer | null {
    return this.valueLength < 0 ? null : this.r.buf.subarray(this.valueStart, this.valueStart + this.valueLength);
  }

  /** Whether the record has a header `key` (with value `value`, when given), compared as bytes. No allocation. */
  hasHeader(key: Buffer, value: Buffer | null): boolean {
    const buf = this.r.buf;
    this.rewindHeaders();
    while (this.nextHeader()) {
      const ks = this.headerKeyStart;
      if (this.headerKeyLength !== key.length || key.compare(buf, ks, ks + this.headerKeyLength) !== 0) continue;
      if (value === null) return true;
      const vs = this.headerValueStart;
      if (this.headerValueLength === value.length && value.compare(buf, vs, vs + this.headerValueLength) === 0) return true;
    }
    return false;
  }

  /** The first `limit` headers, their values copied (they outlive the records buffer). */
  headers(limit = Infinity): RecordHeader[] {
    return this.collectHeaders(limit, true);
  }

  /** The first `limit` headers, their values views into the records buffer (valid while it is). */
  headerViews(limit = Infinity): RecordHeader[] {
    return this.collectHeaders(limit, false);
  }

  /** The encoded headers (count varint and all headers), for re-encoding without parsing. */
  rawHeaders(): Buffer {
    return this.r.buf.subarray(this.headersStart, this.recordEnd);
  }

  private collectHeaders(limit: number, copy: boolean): RecordHeader[] {
    const buf = this.r.buf;
    const out: RecordHeader[] = [];
    this.rewindHeaders();
    while (out.length < limit && this.nextHeader()) {
      const key = buf.toString('utf8', this.headerKeyStart, this.headerKeyStart + this.headerKeyLength);
      let value: Buffer | null = null;
      if (this.headerValueLength >= 0) {
        const view = buf.subarray(this.headerValueStart, this.headerValueStart + this.headerValueLength);
        value = copy ? Buffer.from(view) : view;
      }
      out.push({ key, value });
    }
    return out;
  }
}

/** A HeaderSkippingCursor that also walks every header, and checks each record's bytes add up. */
export class RecordCursor extends HeaderSkippingCursor {
  override next(): void {
    super.next();
    this.rewindHeaders();
    // Bounded: each header takes at least MIN_HEADER_BYTES of the record.
    while (this.nextHeader());
    const fieldsEnd = this.headerWalkPosition;
    if (fieldsEnd !== this.recordEnd) {
      throw new FormatError(`record declares ${this.recordEnd - this.bodyStart} bytes but its fields take ${fieldsEnd - this.bodyStart}`);
    }
  }
}

// Errors are built out of line, which keeps `next()` small enough to inline the reads.

function badLength(length: number): FormatError {
  if (length < MIN_RECORD_BYTES - 1) return new FormatError(`record length ${length} is too small`);
  return new FormatError(`record of ${length} bytes runs past the end of the records`);
}

function pastRecord(what: string, length: number): FormatError {
  return new FormatError(`record ${what} of ${length} bytes runs past the end of the record`);
}

function invalid(what: string, value: number): FormatError {
  return new FormatError(`invalid ${what} ${value}`);
}
