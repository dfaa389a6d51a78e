/**
 * The produce command: one record, with the acks and codec asked for (a Kafka
 * producer's defaults otherwise: acks=all, no compression), built into a RecordBatch v2
 * (compressed as asked) and appended at the partition's leader through the leader-I/O
 * port — the path a Kafka client's Produce takes. The topic view's quick form and the
 * producer panel both send through here.
 *
 * Partition choice is Kafka's default partitioner (ports/partition-chooser.ts): an
 * explicit partition wins; else murmur2 of the key's UTF-8 bytes (partitionForKey, the
 * same function the renderer asks to preview); else round robin.
 *
 * Retries: retriable refusals (leader moving, not enough replicas yet) are retried by
 * the port for a bounded time, as a client would, then reported with an action. With
 * acks=0 no offset is reported, as Kafka's producer reports none.
 */
import type { ParsedArgs, PartitionForKeyResult, ProduceResult } from '../api/contract';
import { WorkbenchError } from '../api/errors';
import { murmur2, partitionForKey as murmurPartition } from '../cluster/partitioner';
import { PartitionChooser, produceRefusal, type ClusterState, type LeaderIo } from '../ports';
import { ErrorCode } from '../protocol/errors';
import { CODEC_IDS } from '../storage/codec-table';
import { buildBatch } from '../storage/record-batch';
import type { Clock } from '../util/clock';

/** The contract's codec names → RecordBatch codec ids. */

export function partitionForKey(io: LeaderIo, args: ParsedArgs<'partitionForKey'>): PartitionForKeyResult {
  const topic = io.topic(args.topic);
  const bytes = Buffer.from(args.key, 'utf8');
  const partitions = topic.partitions.length;
  return { topic: topic.name, key: args.key, partition: murmurPartition(bytes, partitions), partitions, hash: murmur2(bytes) & 0x7fffffff };
}

export class Producer {
  private readonly chooser = new PartitionChooser();

  constructor(
    private readonly cluster: ClusterState,
    private readonly io: LeaderIo,
    private readonly clock: Clock,
    private readonly changed: () => void,
  ) {}

  async produce(args: ParsedArgs<'produce'>): Promise<ProduceResult> {
    if (args.valueFormat === 'json' && args.value !== null) {
      try {
        JSON.parse(args.value);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new WorkbenchError('INVALID_RECORD', `The value is not valid JSON (${why}). Fix it, or switch the value to text.`, 'value');
      }
    }
    await this.cluster.ready();
    const topic = this.io.topic(args.topic);
    const key = args.key == null ? null : Buffer.from(args.key, 'utf8');
    const { partition, chosenBy } = this.chooser.choose(topic, args.partition ?? null, key);
    const acks = args.acks ?? -1;
    const compression = args.compression ?? 'none';
    const value = args.value === null ? null : Buffer.from(args.value, 'utf8');
    const headers = (args.headers ?? []).map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value, 'utf8') }));
    const timestampMs = this.clock.nowMs();
    const batch = await buildBatch({ records: [{ key, value, headers, timestampMs }], compression: CODEC_IDS[compression] });
    const r = await this.io.append(topic.name, partition, batch, acks);
    if (r.errorCode !== ErrorCode.NONE) throw produceRefusal(r);
    this.changed();
    return {
      topic: topic.name,
      partition,
      offset: acks === 0 ? null : r.baseOffset,
      timestampMs: r.logAppendTimeMs >= 0 ? r.logAppendTimeMs : timestampMs,
      acks,
      compression,
      batchBytes: batch.length,
      chosenBy,
    };
  }
}
