/**
 * The producer's default partitioner, as Kafka's Java client (3.3+) behaves:
 *   - a record with a partition set goes there;
 *   - a keyed record goes to murmur2(key) mod partitions (engine/cluster/partitioner.ts),
 *     so keys land where Java, librdkafka (murmur2_random) and kafkajs put them;
 *   - a keyless record goes to the topic's "sticky" partition, chosen at random among
 *     partitions that have a leader, and kept until the producer closes the batch it was
 *     filling (full, or sent), then another is drawn (KIP-480 / KIP-794 in spirit:
 *     batches fill up instead of spreading one record per partition).
 *
 * The sticky draw uses the producer's injected Random (the system's by default).
 *
 * Invariant: the result is a partition index in [0, partitions.length).
 */
import { partitionForKey } from '../cluster/partitioner';
import { SystemRandom, type Random } from '../util/random';
import type { PartitionInfo } from './cluster';

export type Partitioner = (topic: string, key: Buffer | null, partitions: readonly PartitionInfo[]) => number;

export class DefaultPartitioner {
  private readonly sticky = new Map<string, number>();

  constructor(private readonly random: Random = new SystemRandom()) {}

  partition(topic: string, key: Buffer | null, partitions: readonly PartitionInfo[]): number {
    if (key !== null) return partitionForKey(key, partitions.length);
    const current = this.sticky.get(topic);
    if (current !== undefined && current < partitions.length) return current;
    return this.draw(topic, partitions, -1);
  }

  /** Called when the batch of `topic`'s sticky partition `partition` is closed. */
  onBatchClosed(topic: string, partition: number, partitions: readonly PartitionInfo[]): void {
    if (this.sticky.get(topic) === partition) this.draw(topic, partitions, partition);
  }

  private draw(topic: string, partitions: readonly PartitionInfo[], previous: number): number {
    const withLeader = partitions.filter((p) => p.leader >= 0).map((p) => p.partition);
    const pool = withLeader.length > 0 ? withLeader : partitions.map((p) => p.partition);
    let pick = pool[this.random.int(pool.length)]!;
    if (pool.length > 1 && pick === previous) pick = pool[(pool.indexOf(pick) + 1) % pool.length]!;
    this.sticky.set(topic, pick);
    return pick;
  }
}
