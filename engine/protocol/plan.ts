/**
 * Compiles a schema's fields, for one version, into a plan: a tree of closures that
 * encode and decode that exact version without looking at version ranges again.
 * codec.ts compiles each (api, version, direction) once, on first use, and caches it.
 *
 * How a struct is laid out at version v (flexible or not), following Kafka:
 *   - fields present at v and not tagged at v, in declaration order;
 *   - if flexible: a tagged-fields section (uvarint count; per field uvarint tag,
 *     uvarint size, value), known tagged fields in ascending tag order, written only
 *     when their value differs from the default.
 * Strings, bytes, records and arrays take their compact form in flexible versions.
 *
 * Encoding: a field omitted from the input (undefined) takes its default. A field the
 * version lacks must hold its default unless the field is ignorable; otherwise a
 * ProtocolEncodeError is thrown (Kafka's UnsupportedVersionException).
 * Decoding: returns a plain object with every field of the schema in declaration
 * order; fields the version lacks, and tagged fields not sent, hold their defaults.
 * Unknown tags are skipped; a known tag whose value does not fill exactly its declared
 * size, or a repeated tag, is a decode error.
 *
 * Invariants: every array element occupies at least one byte (asserted at compile
 * time), so Reader.arrayLength can refuse absurd counts before allocating; the schema
 * invariants listed in schema.ts are asserted here when a version is compiled.
 */
import { assert } from '../util/assert';
import { type Field, type PrimitiveType, inVersions, parseVersions } from './schema';
import {
  EMPTY_BUFFER,
  MAX_STRING_BYTES,
  ProtocolDecodeError,
  ProtocolEncodeError,
  type Reader,
  Writer,
  ZERO_UUID,
  chunksLength,
  isCanonicalUuid,
  isInt64,
} from './types';

/** Encodes and decodes one value at one version. */
export interface ValueCodec {
  /** The fewest bytes an encoded value can occupy. */
  readonly minBytes: number;
  enc(w: Writer, v: unknown): void;
  dec(r: Reader): unknown;
}

/** Bytes values at least this long are handed to the Writer as chunks of their own. */
const BLOB_THRESHOLD_BYTES = 1024;

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveType>([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'records',
  'uuid',
]);

const NULLABLE_TYPES: ReadonlySet<string> = new Set(['string', 'bytes', 'records']);

interface TypeInfo {
  readonly array: boolean;
  /** Element type for arrays, the type itself otherwise. */
  readonly elem: string;
  /** True when elem is a struct (the field has `fields`). */
  readonly struct: boolean;
}

function typeInfo(f: Field): TypeInfo {
  const array = f.type.startsWith('[]');
  const elem = array ? f.type.slice(2) : f.type;
  const struct = !PRIMITIVES.has(elem);
  if (struct) {
    assert(/^[A-Z]\w*$/.test(elem), () => `field ${f.name}: unknown type ${f.type}`);
    assert(f.fields !== undefined && f.fields.length > 0, () => `struct field ${f.name} (${f.type}) has no fields`);
  } else {
    assert(f.fields === undefined, () => `primitive field ${f.name} (${f.type}) must not have fields`);
  }
  return { array, elem, struct };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Buffer.isBuffer(v)) return `Buffer(${v.length})`;
  if (Array.isArray(v)) return `array(${v.length})`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? 'object' : String(v);
}

function wrongType(expected: string, v: unknown): ProtocolEncodeError {
  return new ProtocolEncodeError(`expected ${expected}, got ${describe(v)}`);
}

// ---------------------------------------------------------------------------------
// Scalars

const boolCodec: ValueCodec = {
  minBytes: 1,
  enc(w, v) {
    if (typeof v !== 'boolean') throw wrongType('boolean', v);
    w.int8(v ? 1 : 0);
  },
  dec: (r) => r.bool(),
};

function intCodec(
  name: string,
  bytes: number,
  fits: (v: number) => boolean,
  write: (w: Writer, v: number) => void,
  read: (r: Reader) => number,
): ValueCodec {
  return {
    minBytes: bytes,
    enc(w, v) {
      if (typeof v !== 'number' || !fits(v)) throw wrongType(name, v);
      write(w, v);
    },
    dec: read,
  };
}

const int8Codec = intCodec('int8', 1, (v) => (v << 24) >> 24 === v, (w, v) => w.int8(v), (r) => r.int8());
const int16Codec = intCodec('int16', 2, (v) => (v << 16) >> 16 === v, (w, v) => w.int16(v), (r) => r.int16());
const uint16Codec = intCodec('uint16', 2, (v) => (v & 0xffff) === v, (w, v) => w.int16(v), (r) => r.uint16());
const int32Codec = intCodec('int32', 4, (v) => (v | 0) === v, (w, v) => w.int32(v), (r) => r.int32());
const uint32Codec = intCodec('uint32', 4, (v) => v >>> 0 === v, (w, v) => w.int32(v), (r) => r.uint32());
const int64Codec = intCodec('int64', 8, isInt64, (w, v) => w.int64(v), (r) => r.int64());

const float64Codec: ValueCodec = {
  minBytes: 8,
  enc(w, v) {
    if (typeof v !== 'number') throw wrongType('float64', v);
    w.float64(v);
  },
  dec: (r) => r.float64(),
};

const uuidCodec: ValueCodec = {
  minBytes: 16,
  enc(w, v) {
    if (typeof v !== 'string' || !isCanonicalUuid(v)) throw wrongType('a lowercase canonical UUID string', v);
    w.uuid(v);
  },
  dec: (r) => r.uuid(),
};

function stringCodec(compact: boolean, nullable: boolean): ValueCodec {
  return {
    minBytes: compact ? 1 : 2,
    enc(w, v) {
      if (v === null) {
        if (!nullable) throw new ProtocolEncodeError('null given for a non-nullable string');
        if (compact) w.uvarint(0);
        else w.int16(-1);
        return;
      }
      if (typeof v !== 'string') throw wrongType('string', v);
      const n = Buffer.byteLength(v, 'utf8');
      if (n > MAX_STRING_BYTES) throw new ProtocolEncodeError(`string of ${n} bytes exceeds ${MAX_STRING_BYTES}`);
      if (compact) w.uvarint(n + 1);
      else w.int16(n);
      w.utf8(v, n);
    },
    dec(r) {
      const n = r.stringLength(compact);
      if (n === -1) {
        if (!nullable) r.fail('null string in a non-nullable field');
        return null;
      }
      return r.utf8(n);
    },
  };
}

function bytesCodec(compact: boolean, nullable: boolean, records: boolean): ValueCodec {
  const what = records ? 'records' : 'bytes';
  return {
    minBytes: compact ? 1 : 4,
    enc(w, v) {
      if (v === null) {
        if (!nullable) throw new ProtocolEncodeError(`null given for non-nullable ${what}`);
        if (compact) w.uvarint(0);
        else w.int32(-1);
        return;
      }
      if (!(v instanceof Uint8Array)) throw wrongType('Buffer', v);
      const b = Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      if (compact) w.uvarint(b.length + 1);
      else w.int32(b.length);
      if (records || b.length >= BLOB_THRESHOLD_BYTES) w.blob(b);
      else w.copy(b);
    },
    dec(r) {
      const n = r.bytesLength(compact);
      if (n === -1) {
        if (!nullable) r.fail(`null ${what} in a non-nullable field`);
        return null;
      }
      return r.view(n);
    },
  };
}

function primitiveCodec(type: string, compact: boolean, nullable: boolean): ValueCodec {
  switch (type) {
    case 'bool':
      return boolCodec;
    case 'int8':
      return int8Codec;
    case 'int16':
      return int16Codec;
    case 'uint16':
      return uint16Codec;
    case 'int32':
      return int32Codec;
    case 'uint32':
      return uint32Codec;
    case 'int64':
      return int64Codec;
    case 'float64':
      return float64Codec;
    case 'uuid':
      return uuidCodec;
    case 'string':
      return stringCodec(compact, nullable);
    case 'bytes':
      return bytesCodec(compact, nullable, false);
    case 'records':
      return bytesCodec(compact, nullable, true);
    default:
      throw new Error(`unknown primitive type ${type}`);
  }
}

function arrayCodec(elem: ValueCodec, compact: boolean, nullable: boolean): ValueCodec {
  assert(elem.minBytes >= 1, 'array elements occupy at least one byte');
  return {
    minBytes: compact ? 1 : 4,
    enc(w, v) {
      if (v === null) {
        if (!nullable) throw new ProtocolEncodeError('null given for a non-nullable array');
        if (compact) w.uvarint(0);
        else w.int32(-1);
        return;
      }
      if (!Array.isArray(v)) throw wrongType('array', v);
      const n = v.length;
      if (compact) w.uvarint(n + 1);
      else w.int32(n);
      let i = 0;
      try {
        for (; i < n; i++) elem.enc(w, v[i]);
      } catch (e) {
        if (e instanceof ProtocolEncodeError) e.addPath(`[${i}]`);
        throw e;
      }
    },
    dec(r) {
      const n = r.arrayLength(compact, elem.minBytes);
      if (n === -1) {
        if (!nullable) r.fail('null array in a non-nullable field');
        return null;
      }
      const out: unknown[] = [];
      let i = 0;
      try {
        for (; i < n; i++) out.push(elem.dec(r));
      } catch (e) {
        if (e instanceof ProtocolDecodeError) e.addPath(`[${i}]`);
        throw e;
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------
// Defaults

/** A factory for a field's default value (fresh arrays and structs every call). */
export function defaultFactory(f: Field): () => unknown {
  const t = typeInfo(f);
  if (t.array) {
    if (f.default === null) return () => null;
    assert(f.default === undefined, () => `array field ${f.name} may only default to null`);
    return () => [];
  }
  if (t.struct) {
    assert(f.default === undefined, () => `struct field ${f.name} cannot have a default`);
    const subs = f.fields!.map((s) => [s.name, defaultFactory(s)] as const);
    return () => {
      const o: Record<string, unknown> = {};
      for (const [name, make] of subs) o[name] = make();
      return o;
    };
  }
  const value = scalarDefault(f, t.elem);
  return () => value;
}

function scalarDefault(f: Field, type: string): unknown {
  const d = f.default;
  if (d === null) {
    assert(f.nullableVersions !== undefined, () => `field ${f.name} defaults to null but is never nullable`);
    return null;
  }
  switch (type) {
    case 'bool':
      assert(d === undefined || typeof d === 'boolean', () => `bool field ${f.name} has default ${String(d)}`);
      return d ?? false;
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'float64':
      assert(d === undefined || typeof d === 'number', () => `numeric field ${f.name} has default ${String(d)}`);
      return d ?? 0;
    case 'string':
      assert(d === undefined || typeof d === 'string', () => `string field ${f.name} has default ${String(d)}`);
      return d ?? '';
    case 'uuid':
      assert(d === undefined, () => `uuid field ${f.name} cannot have a default`);
      return ZERO_UUID;
    case 'bytes':
      assert(d === undefined, () => `bytes field ${f.name} may only default to null`);
      return EMPTY_BUFFER;
    case 'records':
      // Kafka's records fields default to null.
      assert(d === undefined, () => `records field ${f.name} cannot have a default`);
      assert(f.nullableVersions !== undefined, () => `records field ${f.name} must be nullable`);
      return null;
    default:
      throw new Error(`unknown primitive type ${type}`);
  }
}

/** Whether `v` equals the field's default (undefined counts as default). */
export function defaultTest(f: Field): (v: unknown) => boolean {
  const t = typeInfo(f);
  if (t.array) {
    if (f.default === null) return (v) => v === undefined || v === null;
    return (v) => v === undefined || (Array.isArray(v) && v.length === 0);
  }
  if (t.struct) {
    const subs = f.fields!.map((s) => [s.name, defaultTest(s)] as const);
    return (v) => {
      if (v === undefined) return true;
      if (typeof v !== 'object' || v === null) return false;
      const o = v as Record<string, unknown>;
      for (const [name, isDefault] of subs) if (!isDefault(o[name])) return false;
      return true;
    };
  }
  const d = scalarDefault(f, t.elem);
  if (d === null) return (v) => v === undefined || v === null;
  if (t.elem === 'bytes') return (v) => v === undefined || (v instanceof Uint8Array && v.length === 0);
  return (v) => v === undefined || v === d;
}

// ---------------------------------------------------------------------------------
// Structs

const REGULAR = 0;
const TAGGED = 1;
const ABSENT = 2;

interface Step {
  readonly name: string;
  readonly kind: typeof REGULAR | typeof TAGGED | typeof ABSENT;
  readonly codec: ValueCodec | null;
  readonly tag: number;
  readonly ignorable: boolean;
  readonly makeDefault: () => unknown;
  readonly isDefault: (v: unknown) => boolean;
}

function checkFieldInvariants(f: Field, structFlexibleVersions: (v: number) => boolean, allVersions: readonly number[]): void {
  const t = typeInfo(f);
  const versions = parseVersions(f.versions);
  if (f.nullableVersions !== undefined) {
    assert(t.array || NULLABLE_TYPES.has(t.elem), () => `field ${f.name} of type ${f.type} cannot be nullable`);
  }
  if (f.taggedVersions !== undefined || f.tag !== undefined) {
    assert(
      f.taggedVersions !== undefined && f.tag !== undefined && Number.isInteger(f.tag) && f.tag >= 0,
      () => `tagged field ${f.name} needs both taggedVersions and a non-negative integer tag`,
    );
    const tagged = parseVersions(f.taggedVersions);
    assert(
      tagged.min >= versions.min && tagged.max <= versions.max,
      () => `field ${f.name}: taggedVersions ${f.taggedVersions} outside versions ${f.versions}`,
    );
    for (const v of allVersions) {
      if (inVersions(v, f.taggedVersions)) {
        assert(structFlexibleVersions(v), () => `field ${f.name} is tagged in non-flexible version ${v}`);
      }
    }
  }
}

export interface StructPlan extends ValueCodec {
  readonly steps: readonly Step[];
}

/**
 * Compiles a list of fields at `version`. `flexible` says whether the struct uses
 * compact types and carries a tagged-fields section at this version.
 */
export function compileStruct(fields: readonly Field[], version: number, flexible: boolean): StructPlan {
  const names = new Set<string>();
  const tags = new Set<number>();
  const steps: Step[] = [];
  for (const f of fields) {
    assert(!names.has(f.name), () => `duplicate field name ${f.name}`);
    names.add(f.name);
    checkFieldInvariants(f, () => flexible, [version]);
    if (f.tag !== undefined) {
      assert(!tags.has(f.tag), () => `duplicate tag ${f.tag} (field ${f.name})`);
      tags.add(f.tag);
    }
    const present = inVersions(version, f.versions);
    const tagged = present && inVersions(version, f.taggedVersions);
    const step: Step = {
      name: f.name,
      kind: !present ? ABSENT : tagged ? TAGGED : REGULAR,
      codec: present ? fieldCodec(f, version, flexible || tagged) : null,
      tag: f.tag ?? -1,
      ignorable: f.ignorable === true,
      makeDefault: defaultFactory(f),
      isDefault: defaultTest(f),
    };
    steps.push(step);
  }
  return buildStructPlan(steps, version, flexible);
}

function fieldCodec(f: Field, version: number, flexible: boolean): ValueCodec {
  const t = typeInfo(f);
  const compact = flexible && (f.flexibleVersions === undefined || inVersions(version, f.flexibleVersions));
  const nullable = inVersions(version, f.nullableVersions);
  if (t.struct) {
    const inner = compileStruct(f.fields!, version, flexible);
    if (!t.array) {
      assert(!nullable, () => `struct field ${f.name} cannot be nullable`);
      return inner;
    }
    return arrayCodec(inner, compact, nullable);
  }
  if (t.array) return arrayCodec(primitiveCodec(t.elem, compact, false), compact, nullable);
  return primitiveCodec(t.elem, compact, nullable);
}

function buildStructPlan(steps: readonly Step[], version: number, flexible: boolean): StructPlan {
  const regular = steps.filter((s) => s.kind === REGULAR);
  const absent = steps.filter((s) => s.kind === ABSENT && !s.ignorable);
  const tagged = steps.filter((s) => s.kind === TAGGED).sort((a, b) => a.tag - b.tag);
  const byTag = new Map<number, Step>(tagged.map((s) => [s.tag, s]));
  let minBytes = flexible ? 1 : 0;
  for (const s of regular) minBytes += s.codec!.minBytes;
  const stepCount = steps.length;

  function encodeTagged(w: Writer, o: Record<string, unknown>): void {
    let count = 0;
    for (const s of tagged) if (!s.isDefault(o[s.name])) count++;
    w.uvarint(count);
    if (count === 0) return;
    for (const s of tagged) {
      const v = o[s.name];
      if (s.isDefault(v)) continue;
      const sub = new Writer(64);
      try {
        s.codec!.enc(sub, v);
      } catch (e) {
        if (e instanceof ProtocolEncodeError) e.addPath(s.name);
        throw e;
      }
      const chunks = sub.finish();
      w.uvarint(s.tag);
      w.uvarint(chunksLength(chunks));
      for (const c of chunks) w.copy(c);
    }
  }

  function decodeTagged(r: Reader, o: Record<string, unknown>): void {
    const count = r.uvarint();
    if (count === 0) return;
    // Each tagged field takes at least 2 bytes (tag and size).
    if (count * 2 > r.remaining()) r.fail(`${count} tagged fields cannot fit in ${r.remaining()} bytes`);
    let seen: Set<number> | null = null;
    for (let i = 0; i < count; i++) {
      const tag = r.uvarint();
      const size = r.uvarint();
      if (size > r.remaining()) r.fail(`truncated: tagged field ${tag} of ${size} bytes, ${r.remaining()} remain`);
      const s = byTag.get(tag);
      if (s === undefined) {
        r.skip(size);
        continue;
      }
      seen ??= new Set();
      if (seen.has(tag)) r.fail(`tagged field ${tag} (${s.name}) appears twice`);
      seen.add(tag);
      const outerEnd = r.end;
      const valueEnd = r.pos + size;
      r.end = valueEnd;
      try {
        o[s.name] = s.codec!.dec(r);
        if (r.pos !== valueEnd) r.fail(`tagged field declared ${size} bytes but its value used ${size - (valueEnd - r.pos)}`);
      } catch (e) {
        if (e instanceof ProtocolDecodeError) e.addPath(s.name);
        throw e;
      } finally {
        r.end = outerEnd;
      }
    }
  }

  return {
    steps,
    minBytes,
    enc(w, v) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw wrongType('an object', v);
      const o = v as Record<string, unknown>;
      for (const s of absent) {
        if (!s.isDefault(o[s.name])) {
          throw new ProtocolEncodeError(
            `holds ${describe(o[s.name])}, but version ${version} does not have this field and it is not ignorable`,
          ).addPath(s.name);
        }
      }
      let s: Step | undefined;
      try {
        for (s of regular) {
          const x = o[s.name];
          s.codec!.enc(w, x === undefined ? s.makeDefault() : x);
        }
      } catch (e) {
        if (e instanceof ProtocolEncodeError && s !== undefined) e.addPath(s.name);
        throw e;
      }
      if (flexible) encodeTagged(w, o);
    },
    dec(r) {
      const o: Record<string, unknown> = {};
      let i = 0;
      try {
        for (; i < stepCount; i++) {
          const s = steps[i]!;
          o[s.name] = s.kind === REGULAR ? s.codec!.dec(r) : s.makeDefault();
        }
      } catch (e) {
        if (e instanceof ProtocolDecodeError) e.addPath(steps[i]!.name);
        throw e;
      }
      if (flexible) decodeTagged(r, o);
      return o;
    },
  };
}

/**
 * Checks a schema's static invariants across every version in [min, max]: compiles
 * each version once (which asserts them) and returns nothing. Used by the registry test.
 */
export function checkFieldsAcrossVersions(
  fields: readonly Field[],
  versions: readonly number[],
  isFlexible: (v: number) => boolean,
): void {
  for (const f of fields) {
    checkFieldInvariants(f, isFlexible, versions);
    const r = parseVersions(f.versions);
    assert(
      versions.some((v) => v >= r.min && v <= r.max),
      () => `field ${f.name} (versions ${f.versions}) exists in none of the versions ${versions[0]}-${versions[versions.length - 1]}`,
    );
    if (f.fields) checkFieldsAcrossVersions(f.fields, versions.filter((v) => v >= r.min && v <= r.max), isFlexible);
  }
  for (const v of versions) compileStruct(fields, v, isFlexible(v));
}
