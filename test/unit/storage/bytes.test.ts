/**
 * The record format's zigzag varints (the one implementation, engine/storage/bytes.ts):
 * golden bytes as Kafka's ByteUtils writes them, sizes, round trips over the whole
 * int32 and safe-integer ranges, and malformed input (truncated, too long).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, FormatError, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from '../../../engine/storage/bytes';

function encoded(write: (buf: Buffer, pos: number, v: number) => number, value: number): string {
  const buf = Buffer.alloc(16);
  return buf.subarray(0, write(buf, 0, value)).toString('hex');
}

const reader = (hex: string) => new ByteReader(Buffer.from(hex, 'hex'));

describe('zigzag varint (int32)', () => {
  const cases: [number, string][] = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [63, '7e'],
    [-64, '7f'],
    [64, '8001'],
    [-65, '8101'],
    [8191, 'fe7f'],
    [-8192, 'ff7f'],
    [8192, '808001'],
    [2147483647, 'feffffff0f'],
    [-2147483648, 'ffffffff0f'],
  ];
  it.each(cases)('%d ⇄ %s', (value, hex) => {
    expect(encoded(writeVarint, value)).toBe(hex);
    expect(sizeOfVarint(value)).toBe(hex.length / 2);
    const r = reader(hex);
    expect(r.readVarint()).toBe(value);
    expect(r.remaining).toBe(0);
  });

  it('round-trips every int32, with the size it predicts', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), (v) => {
        const buf = Buffer.alloc(5);
        const end = writeVarint(buf, 0, v);
        expect(end).toBe(sizeOfVarint(v));
        expect(new ByteReader(buf, 0, end).readVarint()).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses to write a value outside int32', () => {
    expect(() => writeVarint(Buffer.alloc(8), 0, 2 ** 31)).toThrow(/int32/);
    expect(() => writeVarint(Buffer.alloc(8), 0, 1.5)).toThrow(/int32/);
  });

  it('raises FormatError for a truncated or over-long varint, and reads nothing past its end', () => {
    expect(() => reader('').readVarint()).toThrow(FormatError);
    expect(() => reader('80').readVarint()).toThrow(/premature end/);
    expect(() => reader('ffffffffff01').readVarint()).toThrow(/longer than 5 bytes/);
    // The byte after `end` would complete the varint: the reader must not look at it.
    const r = new ByteReader(Buffer.from('8001', 'hex'), 0, 1);
    expect(() => r.readVarint()).toThrow(/premature end/);
  });
});

describe('zigzag varlong (int64 as a safe number)', () => {
  const cases: [number, string][] = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [150, 'ac02'],
    [2147483647, 'feffffff0f'],
    [2147483648, '8080808010'],
    [-2147483649, '8180808010'],
    [2 ** 48, '80808080808080' + '01'],
    [Number.MAX_SAFE_INTEGER, 'feffffffffffff' + '1f'], // zigzag 2^54 - 2
    [Number.MIN_SAFE_INTEGER, 'fdffffffffffff' + '1f'], // zigzag 2^54 - 3: beyond a double, exact here
  ];
  it.each(cases)('%d ⇄ %s', (value, hex) => {
    expect(encoded(writeVarlong, value)).toBe(hex);
    expect(sizeOfVarlong(value)).toBe(hex.length / 2);
    const r = reader(hex);
    expect(r.readVarlong()).toBe(value);
    expect(r.remaining).toBe(0);
  });

  it('round-trips every safe integer, with the size it predicts', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (v) => {
        const buf = Buffer.alloc(10);
        const end = writeVarlong(buf, 0, v);
        expect(end).toBe(sizeOfVarlong(v));
        expect(new ByteReader(buf, 0, end).readVarlong()).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('raises FormatError for a truncated or over-long varlong', () => {
    expect(() => reader('').readVarlong()).toThrow(/premature end/);
    expect(() => reader('ffff').readVarlong()).toThrow(/premature end/);
    expect(() => reader('ffffffffffffffffffff01').readVarlong()).toThrow(/longer than 10 bytes/);
  });
});
