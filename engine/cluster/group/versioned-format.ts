/**
 * The group coordinator's own binary formats (the records of `__consumer_offsets`, the
 * consumer protocol's Subscription and Assignment) are Kafka "data" messages: each is
 * declared as a `Field` list, the shape of Kafka's message JSON files, and coded by the
 * protocol codec's plans (engine/protocol/plan.ts), compiled once per version.
 *
 * Format (Kafka's `MessageUtil.toVersionPrefixedBytes`): an int16 schema version, then the
 * struct at that version. Flexible versions use compact strings, bytes and arrays and end
 * every struct with a tagged-field section (written empty, skipped on read). Like Kafka's
 * readers, decoding ignores bytes after the last field it knows.
 *
 * Decoding never reads past its buffer: malformed bytes throw `GroupFormatError` (the
 * codec's ProtocolDecodeError, rewrapped), which callers turn into a skipped record or a
 * Kafka error code. Decoded `bytes` fields are views into the input. Encoding a value
 * that does not fit its field (an int out of range, a string over 0x7fff bytes) is an
 * engine bug: InvariantError.
 */
import { InvariantError } from '../../util/assert';
import { type StructPlan, compileStruct } from '../../protocol/plan';
import type { Field, Message, MessageInput } from '../../protocol/schema';
import { ProtocolDecodeError, ProtocolEncodeError, Reader, Writer, concatChunks } from '../../protocol/types';

/** Bytes that do not parse as the expected schema. Input error, never an engine bug. */
export class GroupFormatError extends Error {
  override name = 'GroupFormatError';
}

/** One message's fields and their compiled plans, one per version. */
export class VersionedFormat<S extends readonly Field[]> {
  private readonly plans = new Map<number, StructPlan>();

  constructor(
    private readonly name: string,
    private readonly fields: S,
    /** The first flexible version (Infinity: none is). */
    private readonly flexibleFrom = Infinity,
  ) {}

  private plan(version: number): StructPlan {
    let plan = this.plans.get(version);
    if (plan === undefined) this.plans.set(version, (plan = compileStruct(this.fields, version, version >= this.flexibleFrom)));
    return plan;
  }

  /** The int16 `version`, then `value` at that version; fields the version lacks must be ignorable. */
  encode(version: number, value: MessageInput<S>): Buffer {
    const w = new Writer();
    w.int16(version);
    try {
      this.plan(version).enc(w, value);
    } catch (e) {
      if (e instanceof ProtocolEncodeError) throw new InvariantError(e.setContext(`${this.name} v${version}`).message);
      throw e;
    }
    return concatChunks(w.finish());
  }

  /** The struct at `version`, read from `r` (inside `decodeVersioned`). */
  read(r: Reader, version: number): Message<S> {
    try {
      return this.plan(version).dec(r) as Message<S>;
    } catch (e) {
      if (e instanceof ProtocolDecodeError) e.setContext(`${this.name} v${version}`);
      throw e;
    }
  }
}

/** Reads the int16 version of `bytes` and hands it with the reader to `body`. */
export function decodeVersioned<T>(bytes: Buffer, body: (version: number, r: Reader) => T): T {
  try {
    const r = new Reader(bytes);
    return body(r.int16(), r);
  } catch (e) {
    if (e instanceof ProtocolDecodeError) throw new GroupFormatError(e.message);
    throw e;
  }
}
