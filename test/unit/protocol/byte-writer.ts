/**
 * A tiny, independent byte writer for golden expectations. It knows the Kafka wire
 * primitives (big-endian ints, unsigned varints, normal vs compact strings/bytes/arrays,
 * tagged-field sections) and nothing about schemas: each golden builds its expected
 * bytes by calling it in the field order of Kafka's grammar for that version. It
 * deliberately shares no code with engine/protocol, so a codec bug cannot hide in both.
 *
 * `flexible` selects compact encodings and makes `tags()` write a tagged-field section;
 * in non-flexible versions `tags()` writes nothing, so builders can call it everywhere a
 * flexible struct ends.
 */
export class ByteWriter {
  private readonly parts: Buffer[] = [];

  constructor(readonly flexible: boolean) {}

  private push(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  int8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    return this.push(b);
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.push(b);
  }

  uint16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(v);
    return this.push(b);
  }

  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.push(b);
  }

  uint32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v);
    return this.push(b);
  }

  int64(v: number | bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    return this.push(b);
  }

  float64(v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    return this.push(b);
  }

  uuid(s: string): this {
    return this.push(Buffer.from(s.replace(/-/g, ''), 'hex'));
  }

  uvarint(v: number): this {
    const out: number[] = [];
    let x = v;
    while (x >= 0x80) {
      out.push((x % 128) | 0x80);
      x = Math.floor(x / 128);
    }
    out.push(x);
    return this.push(Buffer.from(out));
  }

  raw(b: Buffer | string): this {
    return this.push(typeof b === 'string' ? Buffer.from(b, 'hex') : Buffer.from(b));
  }

  /** STRING / COMPACT_STRING. */
  string(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    if (this.flexible) this.uvarint(bytes.length + 1);
    else this.int16(bytes.length);
    return this.push(bytes);
  }

  /** NULLABLE_STRING / COMPACT_NULLABLE_STRING. */
  nullableString(s: string | null): this {
    if (s === null) return this.flexible ? this.uvarint(0) : this.int16(-1);
    return this.string(s);
  }

  /** A nullable string that is never compact (the request header's clientId). */
  classicNullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const bytes = Buffer.from(s, 'utf8');
    return this.int16(bytes.length).push(bytes);
  }

  /** BYTES / COMPACT_BYTES. */
  bytes(b: Buffer): this {
    if (this.flexible) this.uvarint(b.length + 1);
    else this.int32(b.length);
    return this.push(b);
  }

  /** NULLABLE_BYTES / COMPACT_NULLABLE_BYTES, also RECORDS. */
  nullableBytes(b: Buffer | null): this {
    if (b === null) return this.flexible ? this.uvarint(0) : this.int32(-1);
    return this.bytes(b);
  }

  records(b: Buffer | null): this {
    return this.nullableBytes(b);
  }

  /** ARRAY / COMPACT_ARRAY length prefix (null for a null array). */
  array(count: number | null): this {
    if (count === null) return this.flexible ? this.uvarint(0) : this.int32(-1);
    return this.flexible ? this.uvarint(count + 1) : this.int32(count);
  }

  /** An array of int32 with its length prefix. */
  int32s(values: number[] | null): this {
    this.array(values === null ? null : values.length);
    for (const v of values ?? []) this.int32(v);
    return this;
  }

  /** An array of int64 with its length prefix. */
  int64s(values: number[]): this {
    this.array(values.length);
    for (const v of values) this.int64(v);
    return this;
  }

  /** An array of strings with its length prefix. */
  strings(values: string[] | null): this {
    this.array(values === null ? null : values.length);
    for (const v of values ?? []) this.string(v);
    return this;
  }

  /**
   * The tagged-fields section ending a struct in flexible versions: count, then per
   * field tag, size and the value built by `build`. Writes nothing when not flexible.
   */
  tags(...fields: [tag: number, build: (w: ByteWriter) => void][]): this {
    if (!this.flexible) {
      if (fields.length > 0) throw new Error('tagged fields in a non-flexible version');
      return this;
    }
    this.uvarint(fields.length);
    for (const [tag, build] of fields) {
      const inner = new ByteWriter(true);
      build(inner);
      const value = inner.buf();
      this.uvarint(tag).uvarint(value.length).push(value);
    }
    return this;
  }

  buf(): Buffer {
    return Buffer.concat(this.parts);
  }
}
