/**
 * Whole frames written out by hand in hex, byte by byte, from Kafka's protocol guide:
 * size prefix, header (of the version the API version calls for) and body. Each is
 * checked in both directions: the codec must produce exactly these bytes, and decode
 * them back to the message.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
} from '../../../engine/protocol/codec';
import { ApiKey } from '../../../engine/protocol/registry';
import { concatChunks } from '../../../engine/protocol/types';

/**
 * Hex, one field per line: the bytes (groups separated by single spaces), then two or
 * more spaces and a comment.
 */
function hex(s: string): Buffer {
  const digits = s
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/)[0]!.replace(/ /g, ''))
    .join('');
  if (!/^([0-9a-f]{2})*$/.test(digits)) throw new Error(`not hex: ${digits}`);
  return Buffer.from(digits, 'hex');
}

/** Checks two buffers byte by byte, reporting the first difference. */
function expectBytes(actual: Buffer, expected: Buffer): void {
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    if (actual[i] !== expected[i]) {
      throw new Error(`byte ${i}: got ${actual[i]?.toString(16) ?? 'end'}, want ${expected[i]?.toString(16) ?? 'end'}\n` +
        `got  ${actual.toString('hex')}\nwant ${expected.toString('hex')}`);
    }
  }
}

const BLOB = hex('cafebabe cafebabe cafebabe cafebabe');

describe('hand-written hex frames', () => {
  it('ApiVersions v0 request: header v1 with a clientId, empty body', () => {
    const frame = hex(`
      0000000e      size 14
      0012 0000     api key 18, version 0
      00000001      correlation id 1
      0004 6b636174  client id "kcat" (int16 length)
    `);
    const header = { requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId: 1, clientId: 'kcat' };
    expectBytes(concatChunks(encodeRequestFrame(header, {})), frame);
    const decoded = decodeRequestFrame(frame.subarray(4), { exact: true });
    expect(decoded.header).toEqual(header);
    expect(decoded.message).toEqual({ clientSoftwareName: '', clientSoftwareVersion: '' });
  });

  it('ApiVersions v0 response: header v0, error code and the api key list', () => {
    const frame = hex(`
      0000001c          size 28
      00000001          correlation id
      0000              error code NONE
      00000003          3 api keys
      0000 0000 0009    Produce 0-9
      0001 0000 000c    Fetch 0-12
      0012 0000 0003    ApiVersions 0-3
    `);
    const apiKeys = [
      { apiKey: 0, minVersion: 0, maxVersion: 9 },
      { apiKey: 1, minVersion: 0, maxVersion: 12 },
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
    ];
    expectBytes(concatChunks(encodeResponseFrame(ApiKey.ApiVersions, 0, 1, { errorCode: 0, apiKeys })), frame);
    const decoded = decodeResponseFrame(ApiKey.ApiVersions, 0, frame.subarray(4), { exact: true });
    expect(decoded.correlationId).toBe(1);
    expect(decoded.message.apiKeys).toEqual(apiKeys);
  });

  it('ApiVersions v3 request: header v2 (classic clientId, tagged fields), compact strings in the body', () => {
    const frame = hex(`
      00000024                       size 36
      0012 0003                      api key 18, version 3
      00000002                       correlation id 2
      0007 72646b61666b61            client id "rdkafka": int16 length even in header v2
      00                             header tagged fields: none
      0b 6c69627264 6b61666b61       client software name "librdkafka": uvarint length + 1
      06 322e302e32                  client software version "2.0.2"
      00                             body tagged fields: none
    `);
    const header = { requestApiKey: ApiKey.ApiVersions, requestApiVersion: 3, correlationId: 2, clientId: 'rdkafka' };
    const body = { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' };
    expectBytes(concatChunks(encodeRequestFrame(header, body)), frame);
    const decoded = decodeRequestFrame(frame.subarray(4), { exact: true });
    expect(decoded.header).toEqual(header);
    expect(decoded.message).toEqual(body);
  });

  it('ApiVersions v3 response: still header v0 (KIP-511), compact array, tagged sections', () => {
    const frame = hex(`
      00000021             size 33
      00000002             correlation id, response header v0: no tagged fields
      0000                 error code
      04                   3 api keys (uvarint 3 + 1)
      0000 0000 0009 00    Produce 0-9, no tagged fields
      0001 0000 000c 00    Fetch 0-12
      0012 0000 0003 00    ApiVersions 0-3
      00000000             throttle time
      00                   tagged fields: none (features left at their defaults)
    `);
    const apiKeys = [
      { apiKey: 0, minVersion: 0, maxVersion: 9 },
      { apiKey: 1, minVersion: 0, maxVersion: 12 },
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
    ];
    expectBytes(concatChunks(encodeResponseFrame(ApiKey.ApiVersions, 3, 2, { errorCode: 0, apiKeys, throttleTimeMs: 0 })), frame);
    const decoded = decodeResponseFrame(ApiKey.ApiVersions, 3, frame.subarray(4), { exact: true });
    expect(decoded.message).toEqual({
      errorCode: 0,
      apiKeys,
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1,
      finalizedFeatures: [],
      zkMigrationReady: false,
    });
  });

  it('Metadata v0 request: one topic', () => {
    const frame = hex(`
      00000018              size 24
      0003 0000             api key 3, version 0
      00000003              correlation id 3
      0002 7079             client id "py"
      00000001              1 topic
      0006 6f7264657273     "orders"
    `);
    const header = { requestApiKey: ApiKey.Metadata, requestApiVersion: 0, correlationId: 3, clientId: 'py' };
    expectBytes(concatChunks(encodeRequestFrame(header, { topics: [{ name: 'orders' }] })), frame);
    const decoded = decodeRequestFrame(frame.subarray(4), { exact: true });
    expect(decoded.message).toEqual({
      topics: [{ topicId: '00000000-0000-0000-0000-000000000000', name: 'orders' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
  });

  it('Produce v3 request: the records blob is written as its own chunk and decoded as a view', () => {
    const frame = hex(`
      0000003a              size 58
      0000 0003             api key 0, version 3
      00000004              correlation id 4
      ffff                  client id null
      ffff                  transactional id null
      0001                  acks 1
      00007530              timeout 30000 ms
      00000001              1 topic
      0006 6576656e7473     "events"
      00000001              1 partition
      00000000              partition 0
      00000010              records: 16 bytes
      cafebabecafebabecafebabecafebabe
    `);
    const header = { requestApiKey: ApiKey.Produce, requestApiVersion: 3, correlationId: 4, clientId: null };
    const chunks = encodeRequestFrame(header, {
      transactionalId: null,
      acks: 1,
      timeoutMs: 30000,
      topicData: [{ name: 'events', partitionData: [{ index: 0, records: BLOB }] }],
    });
    expect(chunks).toContain(BLOB); // the very same Buffer: not copied
    expectBytes(concatChunks(chunks), frame);
    const decoded = decodeRequestFrame(frame.subarray(4), { exact: true });
    expect(decoded.header).toEqual(header);
    const records = (decoded.message as { topicData: { partitionData: { records: Buffer }[] }[] }).topicData[0]!.partitionData[0]!
      .records;
    expect(records).toEqual(BLOB);
    expect(records.buffer).toBe(frame.buffer); // a view of the frame
  });

  it('Fetch v4 response: header v0, one partition with high watermark, last stable offset and records', () => {
    const frame = hex(`
      00000046              size 70
      00000005              correlation id 5
      00000000              throttle time
      00000001              1 topic
      0006 6576656e7473     "events"
      00000001              1 partition
      00000000              partition 0
      0000                  error code
      000000000000000a      high watermark 10
      000000000000000a      last stable offset 10
      00000000              aborted transactions: empty
      00000010              records: 16 bytes
      cafebabecafebabecafebabecafebabe
    `);
    const message = {
      throttleTimeMs: 0,
      responses: [
        {
          topic: 'events',
          partitions: [
            { partitionIndex: 0, errorCode: 0, highWatermark: 10, lastStableOffset: 10, abortedTransactions: [], records: BLOB },
          ],
        },
      ],
    };
    const chunks = encodeResponseFrame(ApiKey.Fetch, 4, 5, message);
    expect(chunks).toContain(BLOB);
    expectBytes(concatChunks(chunks), frame);
    const decoded = decodeResponseFrame(ApiKey.Fetch, 4, frame.subarray(4), { exact: true });
    expect(decoded.correlationId).toBe(5);
    expect(decoded.message.responses[0]!.partitions[0]).toMatchObject({ highWatermark: 10, lastStableOffset: 10, records: BLOB });
  });
});
