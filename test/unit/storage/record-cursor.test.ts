/**
 * The record cursor family (engine/storage/record-cursor.ts): both cursors against
 * golden record bytes worked out by hand, the header walk, and malformed input —
 * truncated varints, lengths past the record or the section, headers that do not add
 * up — which must raise FormatError, never read past the section's end, and never
 * loop more often than the bytes allow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../engine/storage/bytes';
import { RecordsEncoder } from '../../../engine/storage/record-batch';
import { HeaderSkippingCursor, MIN_RECORD_BYTES, RecordCursor } from '../../../engine/storage/record-cursor';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// Record 0: key "k", value "v1", timestampDelta 5, offsetDelta 1, one header h = "x".
//   length 13 (1a) | attributes 00 | ts 5 (0a) | offset 1 (02) | key len 1 (02) 'k' (6b)
//   | value len 2 (04) 'v1' (76 31) | 1 header (02) | key len 1 (02) 'h' (68) | value len 1 (02) 'x' (78)
const RECORD_0 = '1a 00 0a 02 02 6b 04 76 31 02 02 68 02 78';
// Record 1: null key, null value (a tombstone), timestampDelta -1, offsetDelta 2, no headers.
//   length 6 (0c) | attributes 00 | ts -1 (01) | offset 2 (04) | key -1 (01) | value -1 (01) | 0 headers (00)
const RECORD_1 = '0c 00 01 04 01 01 00';
const GOLDEN = hex(RECORD_0 + RECORD_1);

const cursors = [
  ['HeaderSkippingCursor', () => new HeaderSkippingCursor()],
  ['RecordCursor', () => new RecordCursor()],
] as const;

describe.each(cursors)('%s', (_name, make) => {
  it('reads the golden records field by field', () => {
    const c = make().reset(GOLDEN);
    c.next();
    expect(c.index).toBe(0);
    expect([c.recordStart, c.recordEnd, c.position]).toEqual([0, 14, 14]);
    expect([c.attributes, c.timestampDelta, c.offsetDelta]).toEqual([0, 5, 1]);
    expect([c.keyStart, c.keyLength, c.valueStart, c.valueLength]).toEqual([5, 1, 7, 2]);
    expect([c.headersStart, c.headersCount]).toEqual([9, 1]);
    expect(c.key()?.toString()).toBe('k');
    expect(c.value()?.toString()).toBe('v1');
    expect(c.headers()).toEqual([{ key: 'h', value: Buffer.from('x') }]);
    expect(c.rawHeaders().toString('hex')).toBe('02026802' + '78');
    c.next();
    expect(c.index).toBe(1);
    expect([c.recordStart, c.recordEnd, c.position]).toEqual([14, 21, 21]);
    expect([c.timestampDelta, c.offsetDelta, c.keyLength, c.valueLength, c.headersCount]).toEqual([-1, 2, -1, -1, 0]);
    expect(c.key()).toBeNull();
    expect(c.value()).toBeNull();
    expect(c.headers()).toEqual([]);
  });

  it('reads what the records encoder writes (the golden bytes are the format)', () => {
    const enc = new RecordsEncoder();
    enc.add(1, 5, Buffer.from('k'), Buffer.from('v1'), [{ key: 'h', value: Buffer.from('x') }]);
    enc.add(2, -1, null, null, []);
    expect(enc.bytes().toString('hex')).toBe(GOLDEN.toString('hex'));
  });

  it('walks a records section inside a larger buffer, from start to end only', () => {
    const buf = Buffer.concat([hex('ffff'), GOLDEN, hex('ffff')]);
    const c = make().reset(buf, 2, 2 + GOLDEN.length);
    c.next();
    c.next();
    expect(c.position).toBe(2 + GOLDEN.length);
    expect(() => c.next()).toThrow(FormatError);
  });

  it('finds headers by bytes, with or without a value, and walks them one by one', () => {
    const records = Buffer.alloc(GOLDEN.length); // not from the pool, so views are recognisable
    GOLDEN.copy(records);
    const c = make().reset(records);
    c.next();
    expect(c.hasHeader(Buffer.from('h'), null)).toBe(true);
    expect(c.hasHeader(Buffer.from('h'), Buffer.from('x'))).toBe(true);
    expect(c.hasHeader(Buffer.from('h'), Buffer.from('y'))).toBe(false);
    expect(c.hasHeader(Buffer.from('hh'), null)).toBe(false);
    c.rewindHeaders();
    expect(c.nextHeader()).toBe(true);
    expect([c.headerKeyStart, c.headerKeyLength, c.headerValueStart, c.headerValueLength]).toEqual([11, 1, 13, 1]);
    expect(c.nextHeader()).toBe(false);
    const views = c.headerViews();
    expect(views[0].value?.buffer).toBe(records.buffer);
    expect(c.headers()[0].value?.buffer).not.toBe(records.buffer);
    expect(c.headerViews(0)).toEqual([]);
  });

  describe('malformed bytes raise FormatError', () => {
    const cases: [string, string, RegExp][] = [
      ['an empty section', '', /premature end of data reading varint/],
      ['a truncated length varint', 'ff', /premature end of data reading varint/],
      ['a length varint longer than 5 bytes', 'ffffffffff01', /varint longer than 5 bytes/],
      ['a record length too small', '0a 00 00 00 00 00', /record length 5 is too small/],
      ['a negative record length', '01', /record length -1 is too small/],
      ['a record running past the section', '1a 00 0a 02 02 6b', /record of 13 bytes runs past the end of the records/],
      ['a truncated timestamp varlong', '0c 00 ff ff ff ff ff', /premature end of data reading varlong/],
      ['a key running past the record', '0c 00 00 00 64 00 00 00 00', /record key of 50 bytes runs past the end of the record/],
      ['a value running past the record', '0c 00 00 00 01 64 00', /record value of 50 bytes runs past the end of the record/],
      ['a key length below -1', '0c 00 00 00 03 01 00', /invalid key length -2/],
      ['a value length below -1', '0c 00 00 00 01 03 00', /invalid value length -2/],
      ['a missing header count', '0c 00 00 00 02 61 01', /premature end of data reading varint/],
      ['a negative header count', '0c 00 00 00 01 01 01', /invalid header count -1/],
      ['more headers than bytes for them', '0e 00 00 00 01 01 04 00', /invalid header count 2/],
    ];
    it.each(cases)('%s', (_what, bytes, message) => {
      const c = make().reset(hex(bytes));
      expect(() => c.next()).toThrow(message);
    });

    it('does not read a varint past the section end, even when the buffer goes on', () => {
      // The length varint 0x9a 0x00 would be complete with the byte after `end`.
      const c = make().reset(hex('9a 00'), 0, 1);
      expect(() => c.next()).toThrow(/premature end of data reading varint/);
    });
  });

  it('on random bytes, each record either parses inside the section or raises FormatError (a bounded walk)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const buf = Buffer.from(bytes);
        const c = make().reset(buf);
        for (let steps = 0; c.position < buf.length; steps++) {
          expect(steps).toBeLessThanOrEqual(buf.length / MIN_RECORD_BYTES);
          const before = c.position;
          try {
            c.next();
            c.headerViews();
          } catch (e) {
            expect(e).toBeInstanceOf(FormatError);
            return;
          }
          expect(c.position - before).toBeGreaterThanOrEqual(MIN_RECORD_BYTES);
          expect(c.recordStart).toBeLessThan(c.keyStart);
          expect(c.keyStart).toBeLessThan(c.valueStart);
          expect(c.valueStart).toBeLessThanOrEqual(c.headersStart);
          expect(c.headersStart).toBeLessThan(c.recordEnd);
          expect(c.recordEnd).toBeLessThanOrEqual(buf.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back whatever the encoder writes', () => {
    const header = fc.record({ key: fc.string({ maxLength: 8 }), value: fc.option(fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)), { nil: null }) });
    const record = fc.record({
      offsetDelta: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      timestampDelta: fc.maxSafeInteger(),
      key: fc.option(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), { nil: null }),
      value: fc.option(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), { nil: null }),
      headers: fc.array(header, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), (records) => {
        const enc = new RecordsEncoder();
        for (const r of records) enc.add(r.offsetDelta, r.timestampDelta, r.key, r.value, r.headers);
        const c = make().reset(enc.bytes());
        for (const r of records) {
          c.next();
          expect([c.offsetDelta, c.timestampDelta]).toEqual([r.offsetDelta, r.timestampDelta]);
          expect(c.key()).toEqual(r.key);
          expect(c.value()).toEqual(r.value);
          expect(c.headers()).toEqual(r.headers);
        }
        expect(c.position).toBe(enc.sizeBytes);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the two cursors differ only in the headers', () => {
  // One header whose key length (100) runs past the record: the record's length says 9 bytes.
  const BAD_HEADER = hex('12 00 00 00 01 01 02 c8 01 00');
  // A record whose length covers one more byte than its fields.
  const TRAILING_BYTE = hex('0e 00 00 00 01 01 00 00');

  it('HeaderSkippingCursor steps over headers by the record length; asking for them raises FormatError', () => {
    const c = new HeaderSkippingCursor().reset(BAD_HEADER);
    c.next();
    expect(c.position).toBe(BAD_HEADER.length);
    expect(() => c.headers()).toThrow(/premature end of data skipping 100 bytes/);
    expect(() => c.hasHeader(Buffer.from('h'), null)).toThrow(FormatError);
    const t = new HeaderSkippingCursor().reset(TRAILING_BYTE);
    t.next();
    expect(t.position).toBe(TRAILING_BYTE.length);
  });

  it('RecordCursor walks and checks every header in next()', () => {
    expect(() => new RecordCursor().reset(BAD_HEADER).next()).toThrow(/premature end of data skipping 100 bytes/);
    expect(() => new RecordCursor().reset(TRAILING_BYTE).next()).toThrow(/record declares 7 bytes but its fields take 6/);
    expect(() => new RecordCursor().reset(hex('10 00 00 00 01 01 02 01 01')).next()).toThrow(/header key must not be null/);
  });
});
