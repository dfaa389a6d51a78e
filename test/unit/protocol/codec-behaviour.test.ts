/**
 * The codec's rules beyond the goldens: tagged fields (known decoded, unknown skipped,
 * defaults not written, malformed refused), null versus empty at flexible and classic
 * versions, fields a version lacks, malformed and hostile input, zero-copy records,
 * headers and frames.
 */
import { describe, expect, it } from 'vitest';
import {
  UnsupportedVersionError,
  decodeRequest,
  decodeRequestFrame,
  decodeRequestHeader,
  decodeResponse,
  decodeResponseFrame,
  decodeResponseHeader,
  encodeRequest,
  encodeRequestFrame,
  encodeRequestHeader,
  encodeResponse,
  encodeResponseFrame,
  encodeResponseHeader,
} from '../../../engine/protocol/codec';
import { requestHeaderVersion, responseHeaderVersion } from '../../../engine/protocol/headers';
import { ApiKey } from '../../../engine/protocol/registry';
import { ProtocolDecodeError, ProtocolEncodeError, concatChunks, isExactInt64 } from '../../../engine/protocol/types';
import { ByteWriter } from './byte-writer';
import { fetch as fetchCase, produce as produceCase } from './golden/data-plane';

const hexOf = (chunks: Buffer[]) => concatChunks(chunks).toString('hex');

describe('tagged fields', () => {
  /** A Fetch v12 response partition with the given tagged section, as the grammar lays it out. */
  function fetchV12Response(tags: [number, (w: ByteWriter) => void][], topLevelTags: [number, (w: ByteWriter) => void][] = []): Buffer {
    const w = new ByteWriter(true);
    w.int32(0).int16(0).int32(0).array(1).string('t').array(1);
    w.int32(0).int16(0).int64(10).int64(10).int64(0).array(0).int32(-1).records(null);
    w.tags(...tags);
    w.tags();
    w.tags(...topLevelTags);
    return w.buf();
  }

  it('decodes known tags into their fields', () => {
    const bytes = fetchV12Response([
      [1, (t) => t.int32(2).int32(7).tags()],
      [2, (t) => t.int64(55).int32(3).tags()],
    ]);
    const p = decodeResponse(ApiKey.Fetch, 12, bytes, { exact: true }).responses[0]!.partitions[0]!;
    expect(p.currentLeader).toEqual({ leaderId: 2, leaderEpoch: 7 });
    expect(p.snapshotId).toEqual({ endOffset: 55, epoch: 3 });
    expect(p.divergingEpoch).toEqual({ epoch: -1, endOffset: -1 });
  });

  it('skips unknown tags, in structs and at top level, wherever they fall among known ones', () => {
    const plain = decodeResponse(ApiKey.Fetch, 12, fetchV12Response([[1, (t) => t.int32(2).int32(7).tags()]]));
    const withUnknown = fetchV12Response(
      [
        [1, (t) => t.int32(2).int32(7).tags()],
        [9, (t) => t.raw('0102030405')],
        [300, (t) => t.raw('')],
      ],
      [[77, (t) => t.string('from the future')]],
    );
    expect(decodeResponse(ApiKey.Fetch, 12, withUnknown, { exact: true })).toEqual(plain);
  });

  it('skips unknown tagged fields inside a known tagged struct', () => {
    const bytes = fetchV12Response([[1, (t) => t.int32(2).int32(7).tags([5, (u) => u.int64(1)])]]);
    const p = decodeResponse(ApiKey.Fetch, 12, bytes, { exact: true }).responses[0]!.partitions[0]!;
    expect(p.currentLeader).toEqual({ leaderId: 2, leaderEpoch: 7 });
  });

  it('writes tagged fields only when they differ from their default, in tag order', () => {
    const base = { responses: [{ topic: 't', partitions: [{ partitionIndex: 0, highWatermark: 10, records: null }] }] };
    const none = concatChunks(encodeResponse(ApiKey.Fetch, 12, base));
    const explicitDefaults = concatChunks(
      encodeResponse(ApiKey.Fetch, 12, {
        responses: [
          {
            topic: 't',
            partitions: [
              {
                partitionIndex: 0,
                highWatermark: 10,
                records: null,
                divergingEpoch: { epoch: -1, endOffset: -1 },
                currentLeader: { leaderId: -1, leaderEpoch: -1 },
              },
            ],
          },
        ],
      }),
    );
    expect(explicitDefaults).toEqual(none);
    const w = new ByteWriter(true);
    w.int32(0).int16(0).int32(0).array(1).string('t').array(1);
    w.int32(0).int16(0).int64(10).int64(-1).int64(-1).array(0).int32(-1).records(null);
    w.tags([1, (t) => t.int32(3).int32(-1).tags()], [2, (t) => t.int64(-1).int32(8).tags()]);
    w.tags().tags();
    const leaderAndSnapshot = encodeResponse(ApiKey.Fetch, 12, {
      responses: [
        {
          topic: 't',
          partitions: [
            { partitionIndex: 0, highWatermark: 10, records: null, snapshotId: { epoch: 8 }, currentLeader: { leaderId: 3 } },
          ],
        },
      ],
    });
    expect(hexOf(leaderAndSnapshot)).toBe(w.buf().toString('hex'));
  });

  it('refuses a known tag whose value does not fill its declared size', () => {
    const tooBig = fetchV12Response([[1, (t) => t.int32(2).int32(7).tags().raw('ff')]]);
    expect(() => decodeResponse(ApiKey.Fetch, 12, tooBig)).toThrow(/currentLeader: tagged field declared 10 bytes but its value used 9/);
    const w = new ByteWriter(true);
    w.int32(0).int16(0).int32(0).array(1).string('t').array(1);
    w.int32(0).int16(0).int64(10).int64(10).int64(0).array(0).int32(-1).records(null);
    w.uvarint(1).uvarint(1).uvarint(4).int32(2); // currentLeader claims 4 bytes, needs 9
    expect(() => decodeResponse(ApiKey.Fetch, 12, w.buf())).toThrow(ProtocolDecodeError);
  });

  it('refuses a known tag that appears twice', () => {
    const twice = fetchV12Response([
      [1, (t) => t.int32(2).int32(7).tags()],
      [1, (t) => t.int32(3).int32(8).tags()],
    ]);
    expect(() => decodeResponse(ApiKey.Fetch, 12, twice)).toThrow(/tagged field 1 \(currentLeader\) appears twice/);
  });

  it('refuses a tagged field claiming more bytes than remain', () => {
    const w = new ByteWriter(true);
    w.int32(0).int16(0).int32(0).array(0).uvarint(1).uvarint(40).uvarint(1000000);
    expect(() => decodeResponse(ApiKey.Fetch, 12, w.buf())).toThrow(/truncated: tagged field 40 of 1000000 bytes/);
  });

  it('encodes a tagged nullable string (Fetch v12 clusterId) and leaves it out when null', () => {
    const withId = decodeRequest(ApiKey.Fetch, 12, concatChunks(encodeRequest(ApiKey.Fetch, 12, { clusterId: 'c1', maxWaitMs: 1 })));
    expect(withId.clusterId).toBe('c1');
    const without = concatChunks(encodeRequest(ApiKey.Fetch, 12, { clusterId: null, maxWaitMs: 1 }));
    expect(without[without.length - 1]).toBe(0); // empty tagged section
    expect(decodeRequest(ApiKey.Fetch, 12, without).clusterId).toBeNull();
  });
});

describe('null versus empty', () => {
  it('nullable strings: null and "" differ, classic (int16 -1 / 0) and compact (0 / 1)', () => {
    const produce = (v: number, transactionalId: string | null) =>
      concatChunks(encodeRequest(ApiKey.Produce, v, { transactionalId, acks: 1, timeoutMs: 0, topicData: [] }));
    expect(produce(3, null).subarray(0, 2).toString('hex')).toBe('ffff');
    expect(produce(3, '').subarray(0, 2).toString('hex')).toBe('0000');
    expect(produce(9, null)[0]).toBe(0x00);
    expect(produce(9, '')[0]).toBe(0x01);
    for (const v of [3, 9]) {
      expect(decodeRequest(ApiKey.Produce, v, produce(v, null)).transactionalId).toBeNull();
      expect(decodeRequest(ApiKey.Produce, v, produce(v, '')).transactionalId).toBe('');
    }
  });

  it('nullable arrays: Metadata topics null (all topics) versus [] (none), classic and compact', () => {
    const meta = (v: number, topics: { name: string }[] | null) => concatChunks(encodeRequest(ApiKey.Metadata, v, { topics }));
    expect(meta(1, null).toString('hex')).toBe('ffffffff');
    expect(meta(1, []).toString('hex')).toBe('00000000');
    expect(meta(9, null).subarray(0, 1).toString('hex')).toBe('00');
    expect(meta(9, []).subarray(0, 1).toString('hex')).toBe('01');
    for (const v of [1, 9, 12]) {
      expect(decodeRequest(ApiKey.Metadata, v, meta(v, null)).topics).toBeNull();
      expect(decodeRequest(ApiKey.Metadata, v, meta(v, [])).topics).toEqual([]);
    }
  });

  it('a non-nullable array refuses null on encode and -1 on decode (Metadata v0)', () => {
    expect(() => encodeRequest(ApiKey.Metadata, 0, { topics: null })).toThrow(/Metadata v0 request: field topics: null given for a non-nullable array/);
    expect(() => decodeRequest(ApiKey.Metadata, 0, Buffer.from('ffffffff', 'hex'))).toThrow(/field topics: null array in a non-nullable field/);
  });

  it('nullable bytes (records): null and empty differ, classic and compact', () => {
    const produce = (v: number, records: Buffer | null) =>
      concatChunks(
        encodeRequest(ApiKey.Produce, v, { acks: 1, timeoutMs: 0, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] }),
      );
    expect(produce(3, null).subarray(-4).toString('hex')).toBe('ffffffff');
    expect(produce(3, Buffer.alloc(0)).subarray(-4).toString('hex')).toBe('00000000');
    expect(produce(9, null).subarray(-4).toString('hex')).toBe('00000000'); // records 00, then three tag sections
    expect(produce(9, Buffer.alloc(0)).subarray(-4).toString('hex')).toBe('01000000');
    for (const v of [3, 9]) {
      const records = (b: Buffer) => decodeRequest(ApiKey.Produce, v, b).topicData[0]!.partitionData[0]!.records;
      expect(records(produce(v, null))).toBeNull();
      expect(records(produce(v, Buffer.alloc(0)))).toEqual(Buffer.alloc(0));
    }
  });

  it('non-nullable strings and bytes refuse null', () => {
    expect(() => encodeRequest(ApiKey.Heartbeat, 0, { groupId: null as never })).toThrow(/field groupId: null given for a non-nullable string/);
    expect(() =>
      encodeRequest(ApiKey.JoinGroup, 6, { protocols: [{ name: 'range', metadata: null as never }] }),
    ).toThrow(/field protocols\[0\]\.metadata: null given for non-nullable bytes/);
    expect(() => decodeRequest(ApiKey.Heartbeat, 0, Buffer.from('ffff', 'hex'))).toThrow(/null string in a non-nullable field/);
    const joinV6 = new ByteWriter(true).string('g').int32(1).int32(1).string('').nullableString(null).string('consumer').array(1).string('range').uvarint(0).buf();
    expect(() => decodeRequest(ApiKey.JoinGroup, 6, joinV6)).toThrow(/protocols\[0\]\.metadata: null bytes in a non-nullable field/);
  });

  it('a field nullable only from some version refuses null before it (JoinGroup protocolName before v7)', () => {
    expect(() => encodeResponse(ApiKey.JoinGroup, 6, { protocolName: null })).toThrow(/protocolName: null given for a non-nullable string/);
    const bytes = concatChunks(encodeResponse(ApiKey.JoinGroup, 7, { protocolName: null }));
    expect(decodeResponse(ApiKey.JoinGroup, 7, bytes).protocolName).toBeNull();
  });
});

describe('fields a version does not have', () => {
  it('throws on encode when a non-ignorable absent field holds a non-default value', () => {
    expect(() => encodeRequest(ApiKey.Produce, 2, { transactionalId: 'txn', acks: 1, timeoutMs: 0, topicData: [] })).toThrow(
      /Produce v2 request: field transactionalId: holds "txn", but version 2 does not have this field and it is not ignorable/,
    );
    expect(() =>
      encodeRequest(ApiKey.ListOffsets, 1, {
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp: -1, maxNumOffsets: 5 }] }],
      }),
    ).toThrow(/ListOffsets v1 request: field topics\[0\]\.partitions\[0\]\.maxNumOffsets: holds 5/);
    expect(() => encodeRequest(ApiKey.Fetch, 11, { topics: [{ topic: 't', partitions: [{ partition: 0, lastFetchedEpoch: 4 }] }] })).toThrow(
      ProtocolEncodeError,
    );
    expect(() => encodeResponse(ApiKey.OffsetFetch, 8, { topics: [{ name: 't', partitions: [] }] })).toThrow(/field topics: holds array\(1\)/);
  });

  it('accepts the default value, or an omitted field, in a version that lacks it', () => {
    const a = hexOf(encodeRequest(ApiKey.Produce, 2, { transactionalId: null, acks: 1, timeoutMs: 0, topicData: [] }));
    const b = hexOf(encodeRequest(ApiKey.Produce, 2, { acks: 1, timeoutMs: 0, topicData: [] }));
    expect(a).toBe(b);
  });

  it('silently drops ignorable fields a version lacks', () => {
    const plain = hexOf(encodeRequest(ApiKey.Fetch, 2, { maxWaitMs: 100, minBytes: 1 }));
    expect(hexOf(encodeRequest(ApiKey.Fetch, 2, { maxWaitMs: 100, minBytes: 1, maxBytes: 1000, isolationLevel: 1, rackId: 'r' }))).toBe(plain);
    const noThrottle = hexOf(encodeResponse(ApiKey.Produce, 0, { responses: [] }));
    expect(hexOf(encodeResponse(ApiKey.Produce, 0, { responses: [], throttleTimeMs: 100 }))).toBe(noThrottle);
  });

  it('fills absent and omitted fields with their defaults on decode', () => {
    const decoded = decodeRequest(ApiKey.Fetch, 0, concatChunks(encodeRequest(ApiKey.Fetch, 0, { maxWaitMs: 100 })));
    expect(decoded).toEqual({
      clusterId: null,
      replicaId: -1,
      maxWaitMs: 100,
      minBytes: 0,
      maxBytes: 0x7fffffff,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [],
      forgottenTopicsData: [],
      rackId: '',
      replicaState: { replicaId: -1, replicaEpoch: -1 },
    });
  });

  it('gives every decoded message fresh default arrays and structs', () => {
    const bytes = concatChunks(encodeResponse(ApiKey.Fetch, 3, { responses: [] }));
    const a = decodeResponse(ApiKey.Fetch, 3, bytes);
    const b = decodeResponse(ApiKey.Fetch, 3, bytes);
    expect(a).toEqual(b);
    expect(a.responses).not.toBe(b.responses);
  });
});

describe('malformed and hostile input', () => {
  it('throws a ProtocolDecodeError naming api, version and field for every truncation of a message', () => {
    for (const v of [3, 9]) {
      const { bytes } = produceCase.request(v);
      for (let cut = 0; cut < bytes.length; cut++) {
        let error: unknown;
        try {
          decodeRequest(ApiKey.Produce, v, bytes.subarray(0, cut));
        } catch (e) {
          error = e;
        }
        expect(error, `cut at ${cut}`).toBeInstanceOf(ProtocolDecodeError);
        expect(String((error as Error).message)).toMatch(new RegExp(`^Produce v${v} request: `));
      }
    }
    const { bytes } = fetchCase.response(12);
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => decodeResponse(ApiKey.Fetch, 12, bytes.subarray(0, cut))).toThrow(ProtocolDecodeError);
    }
  });

  it('names the field and what was missing', () => {
    const bytes = new ByteWriter(false).int16(-1).int16(1).int32(0).int32(1).string('orders').int32(1).int32(0).int32(100).raw('0102').buf();
    expect(() => decodeRequest(ApiKey.Produce, 3, bytes)).toThrow(
      'Produce v3 request: field topicData[0].partitionData[0].records: truncated: bytes of 100 bytes, 2 remain (at byte 28)',
    );
  });

  it('refuses an absurd array length before allocating (classic int32 and compact uvarint)', () => {
    const classic = new ByteWriter(false).nullableString(null).int16(1).int32(0).int32(0x7fffffff).buf();
    expect(() => decodeRequest(ApiKey.Produce, 3, classic)).toThrow(
      /field topicData: array claims 2147483647 elements of at least 6 bytes, but only 0 bytes remain/,
    );
    const compact = new ByteWriter(true).nullableString(null).int16(1).int32(0).uvarint(0xffffffff).raw('00'.repeat(64)).buf();
    expect(() => decodeRequest(ApiKey.Produce, 9, compact)).toThrow(/array claims 4294967294 elements of at least 3 bytes, but only 64 bytes remain/);
    const ints = new ByteWriter(false).array(0).array(1).int16(0).string('t').array(1).int16(0).int32(0).int32(0).int32(0x40000000).raw('00'.repeat(20)).buf();
    expect(() => decodeResponse(ApiKey.Metadata, 0, ints)).toThrow(/replicaNodes: array claims 1073741824 elements of at least 4 bytes/);
  });

  it('refuses negative lengths other than -1, and lengths beyond the input', () => {
    expect(() => decodeRequest(ApiKey.Metadata, 1, Buffer.from('fffffffe', 'hex'))).toThrow(/array length -2 is negative/);
    expect(() => decodeRequest(ApiKey.Heartbeat, 0, Buffer.from('fffe', 'hex'))).toThrow(/string length -2 is negative/);
    expect(() => decodeRequest(ApiKey.Heartbeat, 0, Buffer.from('7fff61', 'hex'))).toThrow(/truncated: string of 32767 bytes, 1 remain/);
    expect(() => decodeRequest(ApiKey.SyncGroup, 0, new ByteWriter(false).string('g').int32(0).string('m').int32(1).string('m').int32(0x7fffffff).buf())).toThrow(
      /assignments\[0\]\.assignment: truncated: bytes of 2147483647 bytes, 0 remain/,
    );
  });

  it('refuses over-long varints', () => {
    expect(() => decodeRequest(ApiKey.Heartbeat, 4, Buffer.from('ffffffffff01', 'hex'))).toThrow(/unsigned varint does not fit in 32 bits/);
    expect(() => decodeRequest(ApiKey.Heartbeat, 4, Buffer.from('8080', 'hex'))).toThrow(/truncated: unsigned varint runs past the end/);
  });

  it('decodes int64 values beyond 2^53 as inexact numbers, and refuses to encode beyond the int64 range', () => {
    const bytes = new ByteWriter(false).int32(0).int16(0).int64(2n ** 60n + 1n).int16(0).buf();
    const decoded = decodeResponse(ApiKey.InitProducerId, 0, bytes).producerId;
    expect(decoded).toBe(2 ** 60);
    expect(isExactInt64(decoded)).toBe(false);
    const ok = new ByteWriter(false).int32(0).int16(0).int64(2n ** 53n - 1n).int16(0).buf();
    expect(decodeResponse(ApiKey.InitProducerId, 0, ok).producerId).toBe(Number.MAX_SAFE_INTEGER);
    expect(isExactInt64(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(() => encodeResponse(ApiKey.InitProducerId, 0, { producerId: 2 ** 63 })).toThrow(/producerId: expected int64/);
    expect(() => encodeResponse(ApiKey.InitProducerId, 0, { producerId: 1.5 })).toThrow(/producerId: expected int64/);
  });

  it('refuses values of the wrong type or range, naming the path', () => {
    expect(() =>
      encodeRequest(ApiKey.Produce, 3, { topicData: [{ name: 't', partitionData: [{ index: 'zero' as never, records: null }] }] }),
    ).toThrow(/field topicData\[0\]\.partitionData\[0\]\.index: expected int32, got "zero"/);
    expect(() => encodeRequest(ApiKey.Produce, 3, { acks: 40000 })).toThrow(/field acks: expected int16, got 40000/);
    expect(() => encodeRequest(ApiKey.Metadata, 12, { topics: [{ topicId: 'not-a-uuid', name: 'x' }] })).toThrow(/topicId: expected a lowercase canonical UUID/);
    expect(() => encodeRequest(ApiKey.Heartbeat, 0, { groupId: 'x'.repeat(0x8000) })).toThrow(/string of 32768 bytes exceeds 32767/);
  });

  it('ignores trailing bytes by default, as Kafka does, and refuses them with exact', () => {
    const bytes = Buffer.concat([concatChunks(encodeRequest(ApiKey.Heartbeat, 0, { groupId: 'g' })), Buffer.from([0])]);
    expect(decodeRequest(ApiKey.Heartbeat, 0, bytes).groupId).toBe('g');
    expect(() => decodeRequest(ApiKey.Heartbeat, 0, bytes, { exact: true })).toThrow(/1 bytes left over after the message/);
  });

  it('throws UnsupportedVersionError for unknown APIs and versions', () => {
    expect(() => encodeRequest(ApiKey.Produce, 12, {})).toThrow(UnsupportedVersionError);
    expect(() => decodeResponse(ApiKey.Fetch, 18, Buffer.alloc(0))).toThrow('Fetch v18 is not supported (this broker implements v0-v17)');
    expect(() => decodeRequest(99 as never, 0, Buffer.alloc(0))).toThrow('API key 99 is not implemented by this broker');
  });
});

describe('zero copy', () => {
  it('hands large records and bytes to the caller as their own chunks, and decodes them as views', () => {
    const records = Buffer.alloc(3 * 1024 * 1024, 7);
    const metadata = Buffer.alloc(4096, 1);
    const produce = encodeRequest(ApiKey.Produce, 9, { topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] });
    expect(produce.some((c) => c === records)).toBe(true);
    const join = encodeRequest(ApiKey.JoinGroup, 9, { protocols: [{ name: 'range', metadata }] });
    expect(join.some((c) => c === metadata)).toBe(true);
    const frame = concatChunks(produce);
    const decoded = decodeRequest(ApiKey.Produce, 9, frame).topicData[0]!.partitionData[0]!.records!;
    expect(decoded.length).toBe(records.length);
    expect(decoded.buffer).toBe(frame.buffer);
  });

  it('produces a Fetch response whose chunks are the stored batches themselves', () => {
    const batches = [Buffer.alloc(1000, 1), Buffer.alloc(70, 2), Buffer.alloc(5000, 3)];
    const chunks = encodeResponse(ApiKey.Fetch, 12, {
      responses: [{ topic: 't', partitions: batches.map((records, i) => ({ partitionIndex: i, highWatermark: 1, records })) }],
    });
    for (const b of batches) expect(chunks).toContain(b);
  });
});

describe('headers', () => {
  it('encodes and decodes request header v0, v1 and v2 from the grammar', () => {
    const h = { requestApiKey: 3, requestApiVersion: 12, correlationId: 9, clientId: 'app' };
    expect(encodeRequestHeader(h, 0).toString('hex')).toBe('0003000c00000009');
    expect(encodeRequestHeader(h, 1).toString('hex')).toBe('0003000c000000090003617070');
    expect(encodeRequestHeader(h, 2).toString('hex')).toBe('0003000c00000009000361707000');
    expect(encodeRequestHeader({ ...h, clientId: null }, 2).toString('hex')).toBe('0003000c00000009ffff00');
    expect(decodeRequestHeader(Buffer.from('0003000c000000090003617070', 'hex'), 1)).toEqual({
      header: h,
      headerVersion: 1,
      bodyOffset: 13,
    });
    expect(decodeRequestHeader(Buffer.from('0003000c00000009', 'hex'), 0).header).toEqual({ ...h, clientId: '' });
  });

  it('picks the request header version from the API version, and skips unknown header tags', () => {
    const v2 = Buffer.from('0003000c00000009000361707002' + '0501aa' + '0700' + 'ffff', 'hex');
    const { header, headerVersion, bodyOffset } = decodeRequestHeader(v2);
    expect(headerVersion).toBe(2);
    expect(header.clientId).toBe('app');
    expect(bodyOffset).toBe(v2.length - 2);
    expect(decodeRequestHeader(Buffer.from('0003000800000009ffff', 'hex')).headerVersion).toBe(1);
  });

  it('refuses to guess the header of an unknown API', () => {
    expect(() => decodeRequestHeader(Buffer.from('00630000000000010000', 'hex'))).toThrow(UnsupportedVersionError);
  });

  it('encodes and decodes response headers v0 and v1', () => {
    expect(encodeResponseHeader(258, 0).toString('hex')).toBe('00000102');
    expect(encodeResponseHeader(258, 1).toString('hex')).toBe('0000010200');
    expect(decodeResponseHeader(Buffer.from('00000102' + '01020100', 'hex'), 1)).toEqual({ correlationId: 258, bodyOffset: 8 });
  });

  it('follows the header version rules, with ApiVersions responses always v0 (KIP-511)', () => {
    expect(requestHeaderVersion(ApiKey.Produce, 8)).toBe(1);
    expect(requestHeaderVersion(ApiKey.Produce, 9)).toBe(2);
    expect(responseHeaderVersion(ApiKey.Produce, 9)).toBe(1);
    expect(requestHeaderVersion(ApiKey.ApiVersions, 3)).toBe(2);
    expect(requestHeaderVersion(ApiKey.ApiVersions, 7)).toBe(2);
    expect(responseHeaderVersion(ApiKey.ApiVersions, 3)).toBe(0);
    expect(requestHeaderVersion(ApiKey.DescribeCluster, 0)).toBe(2);
    expect(responseHeaderVersion(ApiKey.DescribeCluster, 0)).toBe(1);
    expect(requestHeaderVersion(ApiKey.SaslHandshake, 1)).toBe(1);
    expect(responseHeaderVersion(ApiKey.SaslHandshake, 1)).toBe(0);
    expect(requestHeaderVersion(99, 0)).toBeUndefined();
  });
});

describe('frames', () => {
  it('round-trips a flexible request frame and its response frame', () => {
    const header = { requestApiKey: ApiKey.Heartbeat, requestApiVersion: 4, correlationId: 77, clientId: 'c' } as const;
    const chunks = encodeRequestFrame(header, { groupId: 'g', generationId: 2, memberId: 'm' });
    const frame = concatChunks(chunks);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    const decoded = decodeRequestFrame(frame.subarray(4), { exact: true });
    expect(decoded.header).toEqual(header);
    expect(decoded.message).toEqual({ groupId: 'g', generationId: 2, memberId: 'm', groupInstanceId: null });
    if (decoded.apiKey !== ApiKey.Heartbeat) throw new Error('expected a Heartbeat');
    expect(decoded.message.memberId).toBe('m'); // narrowed to HeartbeatRequest by the discriminant
    expect(decoded.apiVersion).toBe(4);

    const response = concatChunks(encodeResponseFrame(ApiKey.Heartbeat, 4, 77, { errorCode: 27 }));
    expect(response.toString('hex')).toBe('0000000c' + '0000004d00' + '00000000' + '001b' + '00');
    expect(decodeResponseFrame(ApiKey.Heartbeat, 4, response.subarray(4), { exact: true })).toEqual({
      correlationId: 77,
      message: { throttleTimeMs: 0, errorCode: 27 },
    });
  });

  it('refuses to decode a request frame at an unsupported version', () => {
    const frame = Buffer.from('0000000c00000001ffff00', 'hex'); // Produce v12, header v2
    expect(() => decodeRequestFrame(frame)).toThrow('Produce v12 is not supported (this broker implements v0-v11)');
  });
});
