/**
 * Wire primitives: varints (unsigned, zig-zag int32 and int64) against values worked
 * out by hand, int64 range checks, UUIDs, fixed-width integers, and the chunked Writer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolDecodeError, Reader, Writer, concatChunks, isExactInt64, isInt64 } from '../../../engine/protocol/types';

function written(fn: (w: Writer) => void): string {
  const w = new Writer(16);
  fn(w);
  return concatChunks(w.finish()).toString('hex');
}

const reader = (hex: string) => new Reader(Buffer.from(hex, 'hex'));

describe('unsigned varint', () => {
  const cases: [number, string][] = [
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16383, 'ff7f'],
    [16384, '808001'],
    [2 ** 31 - 1, 'ffffffff07'],
    [2 ** 32 - 1, 'ffffffff0f'],
  ];
  it.each(cases)('%d ⇄ %s', (value, hex) => {
    expect(written((w) => w.uvarint(value))).toBe(hex);
    const r = reader(hex);
    expect(r.uvarint()).toBe(value);
    expect(r.remaining()).toBe(0);
  });

  it('refuses more than 32 bits and more than 5 bytes', () => {
    expect(() => reader('ffffffff10').uvarint()).toThrow(/does not fit in 32 bits/);
    expect(() => reader('8080808080').uvarint()).toThrow(/does not fit in 32 bits/);
    expect(() => reader('80').uvarint()).toThrow(ProtocolDecodeError);
  });
});

describe('zig-zag varint (int32)', () => {
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
    expect(written((w) => w.varint(value))).toBe(hex);
    expect(reader(hex).varint()).toBe(value);
  });
});

describe('zig-zag varlong (int64 as a safe number)', () => {
  const cases: [number, string][] = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [150, 'ac02'],
    [-2147483649, '8180808010'],
    [2 ** 48, '80808080808080' + '01'], // zig-zag 2^49: seven empty groups, then bit 49
    [Number.MAX_SAFE_INTEGER, 'feffffffffffff' + '1f'], // zig-zag 2^54 - 2: 54 bits in 8 bytes
    [Number.MIN_SAFE_INTEGER, 'fdffffffffffff' + '1f'], // zig-zag 2^54 - 3
  ];
  it.each(cases)('%d ⇄ %s', (value, hex) => {
    expect(written((w) => w.varlong(value))).toBe(hex);
    const r = reader(hex);
    expect(r.varlong()).toBe(value);
    expect(r.remaining()).toBe(0);
  });

  it('round-trips every safe integer, on the fast and the slow path', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (v) => {
        const w = new Writer(16);
        w.varlong(v);
        expect(new Reader(concatChunks(w.finish())).varlong()).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses values beyond 2^53 and encodings longer than 10 bytes', () => {
    expect(() => reader('8080808080808080807f').varlong()).toThrow(/beyond/);
    expect(() => reader('ffffffffffffffffffff01').varlong()).toThrow(/longer than 10 bytes/);
  });
});

describe('fixed-width values', () => {
  it('reads and writes int8/16/32/64, uint16/32, float64 and booleans', () => {
    const hex = written((w) => {
      w.int8(-2);
      w.int16(-2);
      w.int16(0xfffe); // uint16 65534
      w.int32(-2);
      w.int32(0xfffffffe); // uint32
      w.int64(-2);
      w.int64(1700000000000);
      w.float64(0.5);
    });
    expect(hex).toBe('fe' + 'fffe' + 'fffe' + 'fffffffe' + 'fffffffe' + 'fffffffffffffffe' + '0000018bcfe56800' + '3fe0000000000000');
    const r = reader(hex);
    expect([r.int8(), r.int16(), r.uint16(), r.int32(), r.uint32(), r.int64(), r.int64(), r.float64()]).toEqual([
      -2, -2, 65534, -2, 0xfffffffe, -2, 1700000000000, 0.5,
    ]);
    expect(reader('00').bool()).toBe(false);
    expect(reader('01').bool()).toBe(true);
    expect(reader('ff').bool()).toBe(true); // Kafka reads any non-zero byte as true
  });

  it('round-trips int64 exactly across the safe range', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (v) => {
        const w = new Writer(8);
        w.int64(v);
        const b = concatChunks(w.finish());
        expect(b.readBigInt64BE(0)).toBe(BigInt(v));
        expect(new Reader(b).int64()).toBe(v);
        expect(isExactInt64(v)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(reader('ffe0000000000001').int64()).toBe(Number.MIN_SAFE_INTEGER);
  });

  it('reads every int64 beyond ±(2^53 - 1) as the nearest double, marked inexact, and writes such doubles back', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (big) => {
        const b = Buffer.alloc(8);
        b.writeBigInt64BE(big);
        const v = new Reader(b).int64();
        // Number(bigint) rounds to nearest, as the Reader does (but for 2^63, not an int64).
        expect(v).toBe(Number(big) === 2 ** 63 ? 2 ** 63 - 1024 : Number(big));
        const exact = big >= -(2n ** 53n - 1n) && big <= 2n ** 53n - 1n;
        expect(isExactInt64(v)).toBe(exact);
        // The double read back encodes to itself: an answer carrying it never fails to encode.
        const w = new Writer(8);
        w.int64(v);
        expect(concatChunks(w.finish()).readBigInt64BE(0)).toBe(BigInt(v));
      }),
      { numRuns: 5000 },
    );
    expect(reader('0020000000000000').int64()).toBe(2 ** 53);
    expect(isExactInt64(reader('0020000000000000').int64())).toBe(false);
    expect(reader('7fffffffffffffff').int64()).toBe(2 ** 63 - 1024); // would round up to 2^63: the largest double below it
    expect(reader('8000000000000000').int64()).toBe(-(2 ** 63));
    expect(isInt64(2 ** 63)).toBe(false);
    expect(isInt64(-(2 ** 63))).toBe(true);
  });

  it('reads and writes UUIDs in canonical form', () => {
    const id = '4a5b6c7d-8e9f-4a0b-9c1d-2e3f40516273';
    expect(written((w) => w.uuid(id))).toBe('4a5b6c7d8e9f4a0b9c1d2e3f40516273');
    expect(reader('4a5b6c7d8e9f4a0b9c1d2e3f40516273').uuid()).toBe(id);
  });

  it('fails reads past the end with a truncation error', () => {
    expect(() => reader('0001').int32()).toThrow('truncated: int32 needs 4 bytes, 2 remain (at byte 0)');
    expect(() => reader('').int8()).toThrow(ProtocolDecodeError);
  });
});

describe('Writer', () => {
  it('keeps every byte in order across scratch growth, and counts its length', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.uint8Array({ maxLength: 3000 })), { maxLength: 300 }), (items) => {
        const w = new Writer(16);
        const expected: Buffer[] = [];
        for (const item of items) {
          if (typeof item === 'number') {
            w.int32(item);
            const b = Buffer.alloc(4);
            b.writeInt32BE(item);
            expected.push(b);
          } else if (item.length % 2 === 0) {
            w.copy(item);
            expected.push(Buffer.from(item));
          } else {
            const blob = Buffer.from(item);
            w.blob(blob);
            expected.push(blob);
          }
        }
        const length = w.length;
        const out = concatChunks(w.finish());
        expect(out.equals(Buffer.concat(expected))).toBe(true);
        expect(length).toBe(out.length);
      }),
      { numRuns: 200 },
    );
  });

  it('hands blobs out as chunks without copying them', () => {
    const blob = Buffer.from('0123456789', 'hex');
    const w = new Writer();
    w.int8(1);
    w.blob(blob);
    w.int8(2);
    const chunks = w.finish();
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe(blob);
  });

  it('patches a reserved int32 after the fact (frame sizes)', () => {
    const w = new Writer(8);
    const slot = w.reserveInt32();
    for (let i = 0; i < 100; i++) w.int32(i);
    slot.buf.writeInt32BE(400, slot.offset);
    expect(concatChunks(w.finish()).readInt32BE(0)).toBe(400);
  });
});
