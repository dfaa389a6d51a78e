/**
 * The compression codec table of RecordBatch v2: each codec's id (the low three
 * bits of a batch's attributes) and name, and the two vocabularies in which Kafka's
 * configs name codecs.
 *
 *   id   name     producer compression.type   topic/broker compression.type
 *    0   none     none                        uncompressed
 *    1   gzip     gzip                        gzip
 *    2   snappy   snappy                      snappy
 *    3   lz4      lz4                         lz4
 *    4   zstd     zstd                        zstd
 *    -   -        -                           producer (keep the producer's codec)
 *   5-7  unknown: a batch that uses one is refused (UNSUPPORTED_COMPRESSION_TYPE)
 *
 * This is the only place these names and ids are written down. The codecs themselves
 * (compression.ts), the contract's names and schemas (engine/api), topic-config's
 * allowed values, the producer's and the tools' option checks all derive from it.
 *
 * It imports nothing but the assertion helper, so that the contract can derive its
 * types and schemas from it without bringing the codec implementations (Node's zlib,
 * native modules) into the renderer's type-check or bundle.
 *
 * Invariants (checked when the module loads): ids are 0..n-1 in table order, so
 * CODEC_NAMES[CODEC_IDS[name]] === name; every topic compression.type other than
 * 'uncompressed' and 'producer' is a codec name, and every codec but none has one.
 */
import { assert } from '../util/assert';

/** The table: codec name → id. */
export const CODEC_IDS = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

export type CodecName = keyof typeof CODEC_IDS;
export type CodecId = (typeof CODEC_IDS)[CodecName];

/** Named ids, for code that means one particular codec (`Codec.ZSTD`). */
export const Codec = {
  NONE: CODEC_IDS.none,
  GZIP: CODEC_IDS.gzip,
  SNAPPY: CODEC_IDS.snappy,
  LZ4: CODEC_IDS.lz4,
  ZSTD: CODEC_IDS.zstd,
} as const;

/** Codec names in id order (`CODEC_NAMES[id]`); a non-empty tuple, as schema enums want it. */
export const CODEC_NAMES = Object.keys(CODEC_IDS) as [CodecName, ...CodecName[]];

/** A batch's codec as the message browser names it: 'unknown' for ids 5-7. */
export type CodecNameOrUnknown = CodecName | 'unknown';

export function isKnownCodec(id: number): id is CodecId {
  return Number.isInteger(id) && id >= 0 && id < CODEC_NAMES.length;
}

export function isCodecName(name: string): name is CodecName {
  return Object.prototype.hasOwnProperty.call(CODEC_IDS, name);
}

/** The name of codec `id`; 'unknown' for ids outside the table. */
export function codecNameOf(id: number): CodecNameOrUnknown {
  return isKnownCodec(id) ? CODEC_NAMES[id] : 'unknown';
}

/**
 * Kafka's topic (and broker) compression.type values, in the order Kafka lists them
 * in its error messages: 'uncompressed' for none, and 'producer' for "store batches
 * in whatever codec the producer used".
 */
export const TOPIC_COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] as const satisfies readonly (
  | Exclude<CodecName, 'none'>
  | 'uncompressed'
  | 'producer'
)[];

export type TopicCompressionType = (typeof TOPIC_COMPRESSION_TYPES)[number];

/** The codec a topic's compression.type stores batches in; null for 'producer'. */
export function codecOfTopicCompression(type: TopicCompressionType): CodecId | null {
  if (type === 'producer') return null;
  if (type === 'uncompressed') return Codec.NONE;
  return CODEC_IDS[type];
}

/**
 * Maps a compression name in either vocabulary to a codec id ('none' and
 * 'uncompressed' are both 0); undefined for anything else, 'producer' included.
 */
export function codecFromName(name: string): CodecId | undefined {
  if (name === 'uncompressed') return Codec.NONE;
  return isCodecName(name) ? CODEC_IDS[name] : undefined;
}

for (let id = 0; id < CODEC_NAMES.length; id++) {
  assert(CODEC_IDS[CODEC_NAMES[id]] === id, () => `codec table: ${CODEC_NAMES[id]} is not id ${id}`);
}
for (const type of TOPIC_COMPRESSION_TYPES) {
  assert(type === 'producer' || codecFromName(type) !== undefined, () => `codec table: compression.type ${type} names no codec`);
}
for (const name of CODEC_NAMES) {
  assert(name === 'none' || (TOPIC_COMPRESSION_TYPES as readonly string[]).includes(name), () => `codec table: codec ${name} has no compression.type`);
}
