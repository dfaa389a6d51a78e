/**
 * The one codec: encodes and decodes every API in the registry, at every version it
 * implements, plus request headers v0-v2 and response headers v0-v1.
 *
 * Shapes:
 *   body   — the bytes of one request or response message, without header or size.
 *   frame  — header + body, as FrameDecoder yields it (no size prefix).
 *   encode*Frame results include the int32 size prefix: ready for socket.writev / cork.
 * Encoders return Buffer chunks; record batches (`records` fields) are chunks of their
 * own, never copied. Decoders take a Buffer and return plain objects whose `records`
 * and `bytes` fields are views into that Buffer: a view keeps the whole frame alive, so
 * code that retains one beyond the request (an in-memory log, a cache) should copy it.
 *
 * Each (api, version, direction) is compiled once into a plan (plan.ts) on first use;
 * afterwards encoding and decoding only run closures.
 *
 * Errors: ProtocolDecodeError (malformed input: truncated, lengths that lie, absurd
 * counts), ProtocolEncodeError (a message that does not fit the version),
 * UnsupportedVersionError (an API key or version this broker does not implement).
 * Trailing bytes after a message are ignored by default, as Kafka's broker does;
 * `{ exact: true }` makes them an error (tests use it).
 */
import { assert } from '../util/assert';
import {
  REQUEST_HEADER_FIELDS,
  REQUEST_HEADER_FLEXIBLE_FROM,
  RESPONSE_HEADER_FIELDS,
  RESPONSE_HEADER_FLEXIBLE_FROM,
  type RequestHeader,
  type RequestHeaderInput,
  requestHeaderVersion,
  responseHeaderVersion,
} from './headers';
import { type StructPlan, compileStruct } from './plan';
import {
  API_SCHEMAS,
  type ApiKeyNumber,
  type RequestInputOf,
  type RequestOf,
  type ResponseInputOf,
  type ResponseOf,
  isFlexibleVersion,
  schemaFor,
} from './registry';
import type { ApiSchema } from './schema';
import { ProtocolDecodeError, ProtocolEncodeError, Reader, Writer, chunksLength, patchInt32 } from './types';

/** An API key, or a version of it, that this broker does not implement. */
export class UnsupportedVersionError extends Error {
  override name = 'UnsupportedVersionError';
  constructor(
    readonly apiKey: number,
    readonly apiVersion: number,
  ) {
    const schema = schemaFor(apiKey);
    super(
      schema === undefined
        ? `API key ${apiKey} is not implemented by this broker`
        : `${schema.name} v${apiVersion} is not supported (this broker implements v${schema.validVersions[0]}-v${schema.validVersions[1]})`,
    );
  }
}

export interface DecodeOptions {
  /** Fail if bytes remain after the message (default: ignore them, as Kafka does). */
  readonly exact?: boolean;
}

const REQUEST = 0;
const RESPONSE = 1;

interface CompiledMessage {
  readonly plan: StructPlan;
  /** "Produce v9 request", for error messages. */
  readonly label: string;
}

const messagePlans = new Map<number, CompiledMessage>();

function messagePlan(apiKey: number, version: number, direction: typeof REQUEST | typeof RESPONSE): CompiledMessage {
  assert(Number.isInteger(apiKey) && Number.isInteger(version), () => `bad API key/version ${apiKey}/${version}`);
  const schema = schemaFor(apiKey);
  if (schema === undefined || version < schema.validVersions[0] || version > schema.validVersions[1]) {
    throw new UnsupportedVersionError(apiKey, version);
  }
  const key = (apiKey * 128 + version) * 2 + direction;
  let compiled = messagePlans.get(key);
  if (compiled === undefined) {
    const fields = direction === REQUEST ? schema.request : schema.response;
    compiled = {
      plan: compileStruct(fields, version, isFlexibleVersion(schema, version)),
      label: `${schema.name} v${version} ${direction === REQUEST ? 'request' : 'response'}`,
    };
    messagePlans.set(key, compiled);
  }
  return compiled;
}

const requestHeaderPlans = [0, 1, 2].map((v) =>
  compileStruct(REQUEST_HEADER_FIELDS, v, v >= REQUEST_HEADER_FLEXIBLE_FROM),
);
const responseHeaderPlans = [0, 1].map((v) => compileStruct(RESPONSE_HEADER_FIELDS, v, v >= RESPONSE_HEADER_FLEXIBLE_FROM));

function encodeWith(compiled: CompiledMessage, w: Writer, message: unknown): void {
  try {
    compiled.plan.enc(w, message);
  } catch (e) {
    if (e instanceof ProtocolEncodeError) e.setContext(compiled.label);
    throw e;
  }
}

function decodeWith(plan: StructPlan, label: string, r: Reader, options: DecodeOptions | undefined): unknown {
  try {
    const message = plan.dec(r);
    if (options?.exact === true && r.remaining() > 0) r.fail(`${r.remaining()} bytes left over after the message`);
    return message;
  } catch (e) {
    if (e instanceof ProtocolDecodeError) e.setContext(label);
    throw e;
  }
}

// ---------------------------------------------------------------------------------
// Bodies

export function encodeRequest<K extends ApiKeyNumber>(apiKey: K, version: number, message: RequestInputOf<K>): Buffer[] {
  const w = new Writer();
  encodeWith(messagePlan(apiKey, version, REQUEST), w, message);
  return w.finish();
}

export function decodeRequest<K extends ApiKeyNumber>(
  apiKey: K,
  version: number,
  body: Buffer,
  options?: DecodeOptions,
): RequestOf<K> {
  const compiled = messagePlan(apiKey, version, REQUEST);
  return decodeWith(compiled.plan, compiled.label, new Reader(body), options) as RequestOf<K>;
}

export function encodeResponse<K extends ApiKeyNumber>(apiKey: K, version: number, message: ResponseInputOf<K>): Buffer[] {
  const w = new Writer();
  encodeWith(messagePlan(apiKey, version, RESPONSE), w, message);
  return w.finish();
}

export function decodeResponse<K extends ApiKeyNumber>(
  apiKey: K,
  version: number,
  body: Buffer,
  options?: DecodeOptions,
): ResponseOf<K> {
  const compiled = messagePlan(apiKey, version, RESPONSE);
  return decodeWith(compiled.plan, compiled.label, new Reader(body), options) as ResponseOf<K>;
}

// ---------------------------------------------------------------------------------
// Headers

function checkHeaderVersion(version: number, max: number): void {
  assert(Number.isInteger(version) && version >= 0 && version <= max, () => `no header version ${version}`);
}

export function encodeRequestHeader(header: RequestHeaderInput, headerVersion: 0 | 1 | 2): Buffer {
  checkHeaderVersion(headerVersion, 2);
  const w = new Writer(64);
  encodeWith({ plan: requestHeaderPlans[headerVersion]!, label: `request header v${headerVersion}` }, w, header);
  return Buffer.concat(w.finish());
}

export function encodeResponseHeader(correlationId: number, headerVersion: 0 | 1): Buffer {
  checkHeaderVersion(headerVersion, 1);
  const w = new Writer(16);
  encodeWith({ plan: responseHeaderPlans[headerVersion]!, label: `response header v${headerVersion}` }, w, { correlationId });
  return Buffer.concat(w.finish());
}

export interface DecodedRequestHeader {
  readonly header: RequestHeader;
  readonly headerVersion: 0 | 1 | 2;
  /** Offset of the request body within the frame. */
  readonly bodyOffset: number;
}

/**
 * Decodes the request header at the start of `frame`. The header version follows from
 * the API key and version it carries (`headerVersion` overrides, e.g. 0); an unknown
 * API key throws UnsupportedVersionError, since its header version is unknowable.
 * Unsupported versions of known APIs still decode (the header layout is known).
 */
export function decodeRequestHeader(frame: Buffer, headerVersion?: 0 | 1 | 2): DecodedRequestHeader {
  const r = new Reader(frame);
  let version = headerVersion;
  if (version === undefined) {
    if (frame.length < 4) {
      throw new ProtocolDecodeError(`truncated: request header needs at least 4 bytes, frame has ${frame.length}`, 0).setContext('request header');
    }
    const apiKey = frame.readInt16BE(0);
    const apiVersion = frame.readInt16BE(2);
    version = requestHeaderVersion(apiKey, apiVersion);
    if (version === undefined) throw new UnsupportedVersionError(apiKey, apiVersion);
  }
  checkHeaderVersion(version, 2);
  const header = decodeWith(requestHeaderPlans[version]!, `request header v${version}`, r, undefined) as RequestHeader;
  return { header, headerVersion: version, bodyOffset: r.pos };
}

export function decodeResponseHeader(frame: Buffer, headerVersion: 0 | 1): { correlationId: number; bodyOffset: number } {
  checkHeaderVersion(headerVersion, 1);
  const r = new Reader(frame);
  const header = decodeWith(responseHeaderPlans[headerVersion]!, `response header v${headerVersion}`, r, undefined) as {
    correlationId: number;
  };
  return { correlationId: header.correlationId, bodyOffset: r.pos };
}

// ---------------------------------------------------------------------------------
// Frames

/** Size prefix + request header (the version the API version calls for) + body. */
export function encodeRequestFrame<K extends ApiKeyNumber>(
  header: { requestApiKey: K; requestApiVersion: number; correlationId: number; clientId: string | null },
  message: RequestInputOf<K>,
): Buffer[] {
  const compiled = messagePlan(header.requestApiKey, header.requestApiVersion, REQUEST);
  const headerVersion = requestHeaderVersion(header.requestApiKey, header.requestApiVersion)!;
  const w = new Writer();
  const size = w.reserveInt32();
  encodeWith({ plan: requestHeaderPlans[headerVersion]!, label: `request header v${headerVersion}` }, w, header);
  encodeWith(compiled, w, message);
  const chunks = w.finish();
  patchInt32(size, chunksLength(chunks) - 4);
  return chunks;
}

/** Size prefix + response header (v0 for ApiVersions, else per flexibility) + body. */
export function encodeResponseFrame<K extends ApiKeyNumber>(
  apiKey: K,
  apiVersion: number,
  correlationId: number,
  message: ResponseInputOf<K>,
): Buffer[] {
  const compiled = messagePlan(apiKey, apiVersion, RESPONSE);
  const headerVersion = responseHeaderVersion(apiKey, apiVersion)!;
  const w = new Writer();
  const size = w.reserveInt32();
  encodeWith({ plan: responseHeaderPlans[headerVersion]!, label: `response header v${headerVersion}` }, w, { correlationId });
  encodeWith(compiled, w, message);
  const chunks = w.finish();
  patchInt32(size, chunksLength(chunks) - 4);
  return chunks;
}

/**
 * A decoded request frame, discriminated on `apiKey`:
 *   switch (req.apiKey) { case ApiKey.Produce: req.message.topicData … }
 */
export type DecodedRequest = {
  [K in ApiKeyNumber]: {
    readonly apiKey: K;
    readonly apiVersion: number;
    readonly header: RequestHeader;
    readonly message: RequestOf<K>;
  };
}[ApiKeyNumber];

/**
 * Decodes a whole request frame (no size prefix). Throws UnsupportedVersionError for an
 * API or version this broker does not implement — check with peekRequestHeader and
 * isSupportedVersion first to answer such requests properly.
 */
export function decodeRequestFrame(frame: Buffer, options?: DecodeOptions): DecodedRequest {
  const { header, bodyOffset } = decodeRequestHeader(frame);
  const compiled = messagePlan(header.requestApiKey, header.requestApiVersion, REQUEST);
  const message = decodeWith(compiled.plan, compiled.label, new Reader(frame, bodyOffset), options);
  return { apiKey: header.requestApiKey, apiVersion: header.requestApiVersion, header, message } as DecodedRequest;
}

/** Decodes a whole response frame (no size prefix) to a request sent at `apiKey` v`apiVersion`. */
export function decodeResponseFrame<K extends ApiKeyNumber>(
  apiKey: K,
  apiVersion: number,
  frame: Buffer,
  options?: DecodeOptions,
): { correlationId: number; message: ResponseOf<K> } {
  const compiled = messagePlan(apiKey, apiVersion, RESPONSE);
  const { correlationId, bodyOffset } = decodeResponseHeader(frame, responseHeaderVersion(apiKey, apiVersion)!);
  const message = decodeWith(compiled.plan, compiled.label, new Reader(frame, bodyOffset), options) as ResponseOf<K>;
  return { correlationId, message };
}

/** Compiles every version of every API (both directions) now; asserts schema invariants. */
export function precompileAll(): void {
  for (const schema of API_SCHEMAS as readonly ApiSchema[]) {
    for (let v = schema.validVersions[0]; v <= schema.validVersions[1]; v++) {
      messagePlan(schema.apiKey, v, REQUEST);
      messagePlan(schema.apiKey, v, RESPONSE);
    }
  }
}
