/**
 * The shape of a golden case: for one API, a representative request and response at
 * each version, as (message, bytes). `message` is the full decoded object (fields the
 * version lacks hold their defaults, so decoding must reproduce it exactly and encoding
 * must accept it); `bytes` are built with ByteWriter in the field order of Kafka's
 * grammar for that version, independently of the codec under test.
 */
import type { ApiKeyNumber } from '../../../../engine/protocol/registry';

export interface GoldenSide {
  readonly message: Record<string, unknown>;
  readonly bytes: Buffer;
}

export interface GoldenCase {
  readonly apiKey: ApiKeyNumber;
  readonly name: string;
  /** Inclusive version range covered. */
  readonly versions: readonly [number, number];
  request(version: number): GoldenSide;
  response(version: number): GoldenSide;
}

/** Fake record-batch bytes: the codec never looks inside records. */
export const RECORDS_A = Buffer.from(
  '0000000000000000000000490000000002c3a1b2c40000000000000000018b0f0e2a000000018b0f0e2a00ffffffffffffffffffffffffffff00000001',
  'hex',
);
export const RECORDS_B = Buffer.from('deadbeef'.repeat(8), 'hex');
export const TOPIC_ID = '4a5b6c7d-8e9f-4a0b-9c1d-2e3f40516273';
export const ZERO = '00000000-0000-0000-0000-000000000000';
export const INT32_MIN = -2147483648;
