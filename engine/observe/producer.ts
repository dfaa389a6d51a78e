/**
 * The producer panel's path: one record, with the acks and codec the person picked,
 * built into a RecordBatch v2 (compressed as asked) and appended at the partition's
 * leader through its ReplicaManager — the path a Kafka client's Produce takes.
 *
 * Partition choice is Kafka's default partitioner: an explicit partition wins; else
 * murmur2 of the key's UTF-8 bytes modulo the partition count (partitionForKey, the
 * same function the renderer asks to preview); else round robin.
 *
 * Retries: retriable refusals (leader moving, not enough replicas yet) are retried
 * for at most PRODUCE_RETRY_MS, as a client would, then reported with an action.
 * With acks=0 the leader's answer is not awaited beyond the append itself and no
 * offset is reported, as Kafka's producer reports none.
 */
import type { ParsedArgs, PartitionForKeyResult, ProduceAdvancedResult } from '../api/contract';
import { WorkbenchError } from '../api/errors';
import { murmur2, partitionForKey as murmurPartition } from '../cluster/partitioner';
import type { Engine } from '../engine';
import { buildBatch } from '../storage/record-batch';
import { CODEC_IDS } from '../storage/codec-table';
import { RETRIABLE_PRODUCE_CODES, appendViaLeader, produceRefusal, requirePartition, requireTopic, sleep } from './access';

const PRODUCE_RETRY_MS = 10_000;

export function partitionForKey(engine: Engine, args: ParsedArgs<'partitionForKey'>): PartitionForKeyResult {
  const topic = requireTopic(engine, args.topic);
  const bytes = Buffer.from(args.key, 'utf8');
  const partitions = topic.partitions.length;
  return { topic: topic.name, key: args.key, partition: murmurPartition(bytes, partitions), partitions, hash: murmur2(bytes) & 0x7fffffff };
}

export class ProducerPanel {
  private roundRobin = 0;

  constructor(private readonly engine: Engine) {}

  async produce(args: ParsedArgs<'produceAdvanced'>): Promise<ProduceAdvancedResult> {
    const engine = this.engine;
    if (args.valueFormat === 'json' && args.value !== null) {
      try {
        JSON.parse(args.value);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new WorkbenchError('INVALID_RECORD', `The value is not valid JSON (${why}). Fix it, or switch the value to text.`, 'value');
      }
    }
    await engine.ready();
    const topic = requireTopic(engine, args.topic);
    const key = args.key == null ? null : Buffer.from(args.key, 'utf8');
    let partition: number;
    let chosenBy: ProduceAdvancedResult['chosenBy'];
    if (args.partition != null) {
      requirePartition(topic, args.partition);
      partition = args.partition;
      chosenBy = 'explicit';
    } else if (key !== null) {
      partition = murmurPartition(key, topic.partitions.length);
      chosenBy = 'key';
    } else {
      this.roundRobin = (this.roundRobin + 1) % topic.partitions.length;
      partition = this.roundRobin;
      chosenBy = 'round-robin';
    }
    const acks = args.acks ?? -1;
    const compression = args.compression ?? 'none';
    const value = args.value === null ? null : Buffer.from(args.value, 'utf8');
    const headers = (args.headers ?? []).map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value, 'utf8') }));
    const deadline = engine.clock.monotonicMs() + PRODUCE_RETRY_MS;
    for (;;) {
      const timestampMs = engine.clock.nowMs();
      const batch = await buildBatch({ records: [{ key, value, headers, timestampMs }], compression: CODEC_IDS[compression] });
      const r = await appendViaLeader(engine, topic.name, partition, batch, acks);
      if (r.errorCode === 0) {
        engine.markDirty();
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
      if (!RETRIABLE_PRODUCE_CODES.has(r.errorCode) || engine.clock.monotonicMs() > deadline) throw produceRefusal(r);
      await sleep(engine, 100);
    }
  }
}
