/**
 * The codec table (engine/storage/codec-table.ts): Kafka's codec ids and names, and the
 * topic compression.type vocabulary mapped onto them.
 */
import { describe, expect, it } from 'vitest';
import {
  CODEC_IDS,
  CODEC_NAMES,
  Codec,
  TOPIC_COMPRESSION_TYPES,
  codecFromName,
  codecNameOf,
  codecOfTopicCompression,
  isCodecName,
  isKnownCodec,
} from '../../../engine/storage/codec-table';

describe('codec table', () => {
  it("holds Kafka's codec ids (the low three bits of a batch's attributes)", () => {
    expect(CODEC_IDS).toEqual({ none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 });
    expect(CODEC_NAMES).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    expect(Codec).toEqual({ NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 });
  });

  it('names ids 5-7 (and anything else) unknown', () => {
    expect([0, 1, 2, 3, 4].map(codecNameOf)).toEqual(CODEC_NAMES);
    expect([5, 6, 7, -1, 1.5].map(codecNameOf)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
    expect([4, 5, 2.5].map(isKnownCodec)).toEqual([true, false, false]);
  });

  it("maps both of Kafka's vocabularies to ids, and nothing else", () => {
    expect(codecFromName('none')).toBe(0);
    expect(codecFromName('uncompressed')).toBe(0);
    expect(codecFromName('zstd')).toBe(4);
    expect(codecFromName('producer')).toBeUndefined();
    expect(codecFromName('toString')).toBeUndefined();
    expect(isCodecName('lz4')).toBe(true);
    expect(isCodecName('uncompressed')).toBe(false);
  });

  it("lists the topic compression.type values in Kafka's order, 'producer' keeping the producer's codec", () => {
    expect(TOPIC_COMPRESSION_TYPES).toEqual(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer']);
    expect(TOPIC_COMPRESSION_TYPES.map(codecOfTopicCompression)).toEqual([0, 4, 3, 2, 1, null]);
  });
});
