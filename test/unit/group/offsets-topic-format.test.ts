/**
 * Golden bytes of the `__consumer_offsets` records, derived by hand from Kafka's message
 * grammars (OffsetCommitKey/Value.json, GroupMetadataKey/Value.json): every field in order,
 * int16 version prefix, int16-length strings (-1 = null), int32-length bytes and arrays,
 * and in the flexible v4 compact (length + 1) varints and empty tagged-field sections.
 */
import { describe, expect, it } from 'vitest';
import { GroupFormatError } from '../../../engine/cluster/group/versioned-format';
import {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsTopicKey,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
  javaStringHashCode,
  kafkaAbs,
  partitionForGroup,
  type GroupMetadataValue,
  type OffsetCommitValue,
} from '../../../engine/cluster/group/offsets-topic-format';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const TS = '00 00 01 8b cf e5 68 00'; // 1_700_000_000_000

describe('__consumer_offsets keys', () => {
  it('encodes an offset commit key as v1: group, topic, partition', () => {
    expect(encodeOffsetCommitKey('g', 't', 3).toString('hex')).toBe(hex('0001 0001 67 0001 74 00000003').toString('hex'));
    expect(encodeOffsetCommitKey('g', 't', 3, 0).toString('hex')).toBe(hex('0000 0001 67 0001 74 00000003').toString('hex'));
  });

  it('encodes a group metadata key as v2: group', () => {
    expect(encodeGroupMetadataKey('my-group')).toEqual(hex('0002 0008 6d792d67726f7570'));
  });

  it('decodes both key kinds and reports unknown versions', () => {
    expect(decodeOffsetsTopicKey(hex('0000 0001 67 0001 74 00000003'))).toEqual({ kind: 'offset', version: 0, group: 'g', topic: 't', partition: 3 });
    expect(decodeOffsetsTopicKey(hex('0001 0001 67 0001 74 00000003'))).toEqual({ kind: 'offset', version: 1, group: 'g', topic: 't', partition: 3 });
    expect(decodeOffsetsTopicKey(hex('0002 0008 6d792d67726f7570'))).toEqual({ kind: 'group', version: 2, group: 'my-group' });
    expect(decodeOffsetsTopicKey(hex('0003 0000'))).toEqual({ kind: 'unknown', version: 3 });
  });

  it('refuses a key cut short', () => {
    expect(() => decodeOffsetsTopicKey(hex('0001 0001 67 0001 74 0000'))).toThrow(GroupFormatError);
    expect(() => decodeOffsetsTopicKey(hex('0002 0009 6d792d67726f7570'))).toThrow(GroupFormatError);
  });

  it('keeps non-ASCII names as UTF-8', () => {
    const key = encodeGroupMetadataKey('grüppe');
    expect(key).toEqual(hex('0002 0007 6772c3bc70 7065'));
    expect(decodeOffsetsTopicKey(key)).toEqual({ kind: 'group', version: 2, group: 'grüppe' });
  });
});

describe('OffsetCommitValue', () => {
  const base: Omit<OffsetCommitValue, 'version'> = { offset: 42, leaderEpoch: 5, metadata: 'm', commitTimestamp: 1_700_000_000_000, expireTimestamp: -1 };
  const golden: Record<number, string> = {
    0: `0000 000000000000002a 0001 6d ${TS}`,
    1: `0001 000000000000002a 0001 6d ${TS} ${TS.replace('68 00', '68 01')}`,
    2: `0002 000000000000002a 0001 6d ${TS}`,
    3: `0003 000000000000002a 00000005 0001 6d ${TS}`,
    4: `0004 000000000000002a 00000005 02 6d ${TS} 00`,
  };

  for (const version of [0, 1, 2, 3, 4]) {
    it(`v${version} matches the grammar byte for byte and reads back`, () => {
      const value: OffsetCommitValue = { ...base, version, expireTimestamp: version === 1 ? 1_700_000_000_001 : -1 };
      const bytes = encodeOffsetCommitValue(value);
      expect(bytes.toString('hex')).toBe(hex(golden[version]).toString('hex'));
      const back = decodeOffsetCommitValue(bytes);
      expect(back).toEqual({ ...value, leaderEpoch: version >= 3 ? 5 : -1 });
    });
  }

  it('refuses an unknown version and a truncated value', () => {
    expect(() => decodeOffsetCommitValue(hex('0005 000000000000002a'))).toThrow(GroupFormatError);
    expect(() => decodeOffsetCommitValue(hex(`0003 000000000000002a 00000005 0001 6d 0000018b`))).toThrow(GroupFormatError);
  });
});

describe('GroupMetadataValue', () => {
  const member = {
    memberId: 'm1',
    groupInstanceId: null,
    clientId: 'c',
    clientHost: '/h',
    rebalanceTimeout: 300_000,
    sessionTimeout: 10_000,
    subscription: hex('aabb'),
    assignment: Buffer.alloc(0),
  };
  const value = (version: number): GroupMetadataValue => ({
    version,
    protocolType: 'consumer',
    generation: 1,
    protocol: 'range',
    leader: 'm1',
    currentStateTimestamp: 1_700_000_000_000,
    members: [member],
  });

  it('v0: no timestamp, no instance id, no rebalance timeout', () => {
    const bytes = encodeGroupMetadataValue(value(0));
    const expected =
      '0000 0008 636f6e73756d6572 00000001 0005 72616e6765 0002 6d31 00000001' +
      ' 0002 6d31 0001 63 0002 2f68 00002710 00000002 aabb 00000000';
    expect(bytes.toString('hex')).toBe(hex(expected).toString('hex'));
    expect(decodeGroupMetadataValue(bytes)).toEqual({ ...value(0), currentStateTimestamp: -1, members: [{ ...member, rebalanceTimeout: -1 }] });
  });

  it('v1 adds the rebalance timeout, v2 the state timestamp', () => {
    const v1 = '0001 0008 636f6e73756d6572 00000001 0005 72616e6765 0002 6d31 00000001' + ' 0002 6d31 0001 63 0002 2f68 000493e0 00002710 00000002 aabb 00000000';
    expect(encodeGroupMetadataValue(value(1)).toString('hex')).toBe(hex(v1).toString('hex'));
    const v2 = `0002 0008 636f6e73756d6572 00000001 0005 72616e6765 0002 6d31 ${TS} 00000001` + ' 0002 6d31 0001 63 0002 2f68 000493e0 00002710 00000002 aabb 00000000';
    expect(encodeGroupMetadataValue(value(2)).toString('hex')).toBe(hex(v2).toString('hex'));
  });

  it('v3 (what Kafka 3.x writes) adds the nullable group instance id', () => {
    const bytes = encodeGroupMetadataValue(value(3));
    const expected =
      `0003 0008 636f6e73756d6572 00000001 0005 72616e6765 0002 6d31 ${TS} 00000001` +
      ' 0002 6d31 ffff 0001 63 0002 2f68 000493e0 00002710 00000002 aabb 00000000';
    expect(bytes.toString('hex')).toBe(hex(expected).toString('hex'));
    expect(decodeGroupMetadataValue(bytes)).toEqual(value(3));
    const staticMember = { ...value(3), members: [{ ...member, groupInstanceId: 'i' }] };
    expect(decodeGroupMetadataValue(encodeGroupMetadataValue(staticMember))).toEqual(staticMember);
  });

  it('v4 is flexible: compact lengths and tagged-field sections', () => {
    const bytes = encodeGroupMetadataValue(value(4));
    const expected = `0004 09 636f6e73756d6572 00000001 06 72616e6765 03 6d31 ${TS} 02` + ' 03 6d31 00 02 63 03 2f68 000493e0 00002710 03 aabb 01 00' + ' 00';
    expect(bytes.toString('hex')).toBe(hex(expected).toString('hex'));
    expect(decodeGroupMetadataValue(bytes)).toEqual(value(4));
  });

  it('an empty group: null protocol and leader, no members', () => {
    const empty: GroupMetadataValue = { version: 3, protocolType: 'consumer', generation: 2, protocol: null, leader: null, currentStateTimestamp: 1_700_000_000_000, members: [] };
    const bytes = encodeGroupMetadataValue(empty);
    expect(bytes.toString('hex')).toBe(hex(`0003 0008 636f6e73756d6572 00000002 ffff ffff ${TS} 00000000`).toString('hex'));
    expect(decodeGroupMetadataValue(bytes)).toEqual(empty);
  });

  it('refuses a member count that cannot fit the bytes', () => {
    expect(() => decodeGroupMetadataValue(hex(`0003 0008 636f6e73756d6572 00000002 ffff ffff ${TS} 7fffffff`))).toThrow(GroupFormatError);
  });
});

describe('partitionForGroup', () => {
  // Java's String.hashCode, worked by hand: h = 31*h + c over UTF-16 code units, mod 2^32.
  const byHand = (s: string): number => {
    let h = 0n;
    for (const unit of Array.from({ length: s.length }, (_, i) => s.charCodeAt(i))) h = (h * 31n + BigInt(unit)) % 2n ** 32n;
    return Number(BigInt.asIntN(32, h));
  };

  it('hashes like Java String.hashCode', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('a')).toBe(97);
    // "ab" = 97*31 + 98 = 3105
    expect(javaStringHashCode('ab')).toBe(3105);
    expect(javaStringHashCode('my-group')).toBe(-1906497762);
    expect(javaStringHashCode('my-group')).toBe(byHand('my-group'));
    // ü is one UTF-16 unit (0xfc); 😀 is two (0xd83d 0xde00).
    expect(javaStringHashCode('gruppe-ü')).toBe(673522922);
    expect(javaStringHashCode('😀grp')).toBe(1276929186);
    expect(javaStringHashCode('😀grp')).toBe(byHand('😀grp'));
  });

  it('uses Utils.abs, which maps Integer.MIN_VALUE to 0', () => {
    expect(kafkaAbs(-5)).toBe(5);
    expect(kafkaAbs(-2147483648)).toBe(0);
    // A well-known string whose Java hash is exactly Integer.MIN_VALUE.
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(partitionForGroup('polygenelubricants')).toBe(0);
  });

  it('places groups on the 50 default partitions as Kafka does', () => {
    expect(partitionForGroup('')).toBe(0);
    expect(partitionForGroup('a')).toBe(47); // 97 mod 50
    expect(partitionForGroup('my-group')).toBe(12); // 1906497762 mod 50
    expect(partitionForGroup('gruppe-ü')).toBe(22);
    expect(partitionForGroup('😀grp')).toBe(36);
    expect(partitionForGroup('console-consumer-1')).toBe(24);
    expect(partitionForGroup('my-group', 7)).toBe(1906497762 % 7);
  });
});
