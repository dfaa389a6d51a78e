/**
 * The schema DSL: one declarative description per Kafka API, transcribed by hand from
 * Kafka's message definitions (clients/src/main/resources/common/message/*.json),
 * with each field's version history beside it. The codec (plan.ts, codec.ts) interprets
 * these; nothing else knows the wire layout of an API.
 *
 * Format of a schema (mirrors Kafka's JSON, names in camelCase):
 *   { apiKey, name, validVersions: [min, max], flexibleVersions: 'N+' | 'none',
 *     request: Field[], response: Field[] }
 *   Field { name, type, versions, nullableVersions?, taggedVersions?, tag?, ignorable?,
 *           default?, fields?, entityType?, mapKey?, flexibleVersions?, about? }
 *   type: 'bool' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' |
 *         'float64' | 'string' | 'bytes' | 'records' | 'uuid' | a struct name (with
 *         `fields`) | '[]' + any of those (an array).
 *   versions: 'a+' | 'a-b' | 'a' | 'none'.
 *
 * Invariants (asserted when a schema is compiled, see plan.ts): tagged fields carry a
 * tag, are tagged only in flexible versions and only within their versions, and tags are
 * unique per struct; nullableVersions are given only to strings, bytes, records and
 * arrays; field names are unique per struct; a default matches its field's type.
 *
 * validVersions is the range this broker implements and advertises, which may be
 * narrower than current Kafka's (recorded in kafkaVersions for reference). Fields that only
 * exist beyond our maximum are left out of the schema.
 *
 * The TypeScript message types are derived from the schemas (Message<Fields>): a decoded
 * message has every field of every version (absent ones hold their default), and an
 * encode input (MessageInput<Fields>) may omit any field, which then takes its default.
 */
import { assert } from '../util/assert';

export type VersionSpec = 'none' | `${number}+` | `${number}-${number}` | `${number}`;

export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

/** What a field names (documentation, and for tools that index by entity). */
export type EntityType = 'topicName' | 'brokerId' | 'groupId' | 'transactionalId' | 'producerId';

export interface Field {
  /** camelCase name, the key in message objects. */
  readonly name: string;
  /** A primitive, a struct name (then `fields` is given), or '[]' + either. */
  readonly type: string;
  readonly versions: VersionSpec;
  readonly nullableVersions?: VersionSpec;
  readonly taggedVersions?: VersionSpec;
  readonly tag?: number;
  /** Ignorable fields are silently dropped when encoding a version that lacks them. */
  readonly ignorable?: boolean;
  readonly default?: number | boolean | string | null;
  readonly fields?: readonly Field[];
  readonly entityType?: EntityType;
  /** Kafka marks the key of keyed collections; documentation only here. */
  readonly mapKey?: boolean;
  /** Overrides the message's flexibleVersions for this field's own encoding (header clientId). */
  readonly flexibleVersions?: VersionSpec;
  readonly about?: string;
}

export interface ApiSchema {
  readonly apiKey: number;
  readonly name: string;
  /** The versions this broker implements and advertises. */
  readonly validVersions: readonly [number, number];
  /** Current Kafka's validVersions for this API (trunk of late 2024, close to 4.0), for reference. */
  readonly kafkaVersions: readonly [number, number];
  readonly flexibleVersions: VersionSpec;
  readonly request: readonly Field[];
  readonly response: readonly Field[];
}

// ---------------------------------------------------------------------------------
// Version ranges

export interface VersionRange {
  readonly min: number;
  /** Inclusive; Infinity for 'a+'. */
  readonly max: number;
}

const NO_VERSIONS: VersionRange = { min: 1, max: 0 };

export function parseVersions(spec: VersionSpec): VersionRange {
  if (spec === 'none') return NO_VERSIONS;
  let m = /^(\d+)\+$/.exec(spec);
  if (m) return { min: Number(m[1]), max: Infinity };
  m = /^(\d+)-(\d+)$/.exec(spec);
  if (m) {
    const range = { min: Number(m[1]), max: Number(m[2]) };
    assert(range.min <= range.max, () => `version range ${spec} is empty`);
    return range;
  }
  m = /^(\d+)$/.exec(spec);
  if (m) return { min: Number(m[1]), max: Number(m[1]) };
  throw new Error(`bad version spec ${JSON.stringify(spec)}`);
}

export function inVersions(version: number, spec: VersionSpec | undefined): boolean {
  if (spec === undefined) return false;
  const r = parseVersions(spec);
  return version >= r.min && version <= r.max;
}

// ---------------------------------------------------------------------------------
// Message types derived from schemas

type NumericType = 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'float64';

type ScalarOf<T> = T extends 'bool'
  ? boolean
  : T extends NumericType
    ? number
    : T extends 'string' | 'uuid'
      ? string
      : T extends 'bytes' | 'records'
        ? Buffer
        : never;

type NullOf<F> = F extends { readonly nullableVersions: string } ? null : never;

export type ValueOf<F extends Field> = F extends { readonly fields: infer S extends readonly Field[] }
  ? (F['type'] extends `[]${string}` ? Message<S>[] : Message<S>) | NullOf<F>
  : F['type'] extends `[]${infer E}`
    ? ScalarOf<E>[] | NullOf<F>
    : ScalarOf<F['type']> | NullOf<F>;

export type InputValueOf<F extends Field> = F extends { readonly fields: infer S extends readonly Field[] }
  ? (F['type'] extends `[]${string}` ? MessageInput<S>[] : MessageInput<S>) | NullOf<F>
  : ValueOf<F>;

/** A decoded message: every field present, absent-in-version fields at their default. */
export type Message<S extends readonly Field[]> = {
  -readonly [F in S[number] as F['name']]: ValueOf<F>;
};

/** What encode accepts: any field may be omitted and then takes its default. */
export type MessageInput<S extends readonly Field[]> = {
  -readonly [F in S[number] as F['name']]?: InputValueOf<F>;
};
