/**
 * Golden bytes for every API at every version this broker implements: the codec's
 * encoding of a representative request and response must equal bytes built by hand from
 * Kafka's grammar (golden/*.ts), and decoding those bytes must give the message back.
 */
import { describe, expect, it } from 'vitest';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../../engine/protocol/codec';
import { API_SCHEMAS, type ApiKeyNumber } from '../../../engine/protocol/registry';
import { concatChunks } from '../../../engine/protocol/types';
import { ADMIN_CASES } from './golden/admin';
import type { GoldenCase } from './golden/case';
import { DATA_PLANE_CASES } from './golden/data-plane';
import { GROUP_CASES } from './golden/groups';
import { REASSIGNMENT_CASES } from './golden/reassignment';
import { LOG_DIRS_CASES } from './golden/log-dirs';

const CASES: GoldenCase[] = [...DATA_PLANE_CASES, ...GROUP_CASES, ...ADMIN_CASES, ...REASSIGNMENT_CASES, ...LOG_DIRS_CASES];

function versionsOf(c: GoldenCase): number[] {
  const out: number[] = [];
  for (let v = c.versions[0]; v <= c.versions[1]; v++) out.push(v);
  return out;
}

describe('golden cases cover the registry', () => {
  it('has one case per API, spanning exactly its advertised versions', () => {
    const covered = new Map(CASES.map((c) => [c.apiKey as number, c.versions]));
    expect(covered.size).toBe(CASES.length);
    for (const schema of API_SCHEMAS) {
      expect(covered.get(schema.apiKey), schema.name).toEqual(schema.validVersions);
    }
    expect(covered.size).toBe(API_SCHEMAS.length);
  });
});

for (const c of CASES) {
  describe(`${c.name} (API key ${c.apiKey})`, () => {
    const key = c.apiKey as ApiKeyNumber;
    for (const v of versionsOf(c)) {
      it(`v${v} request: encodes to the grammar's bytes and decodes back`, () => {
        const { message, bytes } = c.request(v);
        const encoded = concatChunks(encodeRequest(key, v, message as never));
        expect(encoded.toString('hex')).toBe(bytes.toString('hex'));
        expect(decodeRequest(key, v, bytes, { exact: true })).toEqual(message);
      });
      it(`v${v} response: encodes to the grammar's bytes and decodes back`, () => {
        const { message, bytes } = c.response(v);
        const encoded = concatChunks(encodeResponse(key, v, message as never));
        expect(encoded.toString('hex')).toBe(bytes.toString('hex'));
        expect(decodeResponse(key, v, bytes, { exact: true })).toEqual(message);
      });
    }
  });
}
