/**
 * Request and response headers, as schemas for the same codec (Kafka's
 * RequestHeader.json and ResponseHeader.json), and the rules for which header version
 * goes with which API version.
 *
 * Request header:  v0 apiKey int16, apiVersion int16, correlationId int32;
 *                  v1 adds clientId NULLABLE_STRING (never compact, even in v2);
 *                  v2 adds a tagged-fields section.
 * Response header: v0 correlationId int32; v1 adds a tagged-fields section.
 * Flexible API versions use request header v2 and response header v1, non-flexible ones
 * v1 and v0 — except ApiVersions responses, always v0 (KIP-511), so a client can read
 * the error to a request it sent at a version the broker does not know. (Kafka uses
 * request header v0 only for ControlledShutdown v0, which this broker does not serve.)
 */
import { ApiKey, isFlexibleVersion, schemaFor } from './registry';
import type { Field, Message, MessageInput } from './schema';

export const REQUEST_HEADER_FIELDS = [
  { name: 'requestApiKey', type: 'int16', versions: '0+' },
  { name: 'requestApiVersion', type: 'int16', versions: '0+' },
  { name: 'correlationId', type: 'int32', versions: '0+' },
  // Kafka: "flexibleVersions": "none" — a plain NULLABLE_STRING in every header version.
  { name: 'clientId', type: 'string', versions: '1+', nullableVersions: '1+', ignorable: true, flexibleVersions: 'none' },
] as const satisfies readonly Field[];
export const REQUEST_HEADER_FLEXIBLE_FROM = 2;

export const RESPONSE_HEADER_FIELDS = [{ name: 'correlationId', type: 'int32', versions: '0+' }] as const satisfies readonly Field[];
export const RESPONSE_HEADER_FLEXIBLE_FROM = 1;

export type RequestHeader = Message<typeof REQUEST_HEADER_FIELDS>;
export type RequestHeaderInput = MessageInput<typeof REQUEST_HEADER_FIELDS>;
export type ResponseHeader = Message<typeof RESPONSE_HEADER_FIELDS>;

/** The request header version a client uses for `apiKey` at `apiVersion`, or undefined for an unknown API. */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 1 | 2 | undefined {
  const schema = schemaFor(apiKey);
  if (schema === undefined) return undefined;
  return isFlexibleVersion(schema, apiVersion) ? 2 : 1;
}

/** The response header version for `apiKey` at `apiVersion`, or undefined for an unknown API. */
export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 | undefined {
  const schema = schemaFor(apiKey);
  if (schema === undefined) return undefined;
  if (apiKey === ApiKey.ApiVersions) return 0;
  return isFlexibleVersion(schema, apiVersion) ? 1 : 0;
}
