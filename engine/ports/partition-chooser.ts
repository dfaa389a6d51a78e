/**
 * Kafka's default partitioner, as every producer inside the engine uses it: an
 * explicit partition wins (checked against the topic); else murmur2 of the key's
 * bytes modulo the partition count (cluster/partitioner.ts, the function Kafka's Java
 * client uses); else round robin over all partitions.
 *
 * One chooser holds one round-robin position: the records service keeps one for its
 * produce command, and each import job its own, so an import spreads its keyless
 * records evenly whatever else is produced meanwhile.
 *
 * Invariant: the partition returned exists in the topic given.
 */
import type { TopicImage } from '../cluster/metadata-image';
import { partitionForKey } from '../cluster/partitioner';
import { requirePartition } from './refusals';

export type ChosenBy = 'explicit' | 'key' | 'round-robin';

export class PartitionChooser {
  private roundRobin = 0;

  /** The partition a record goes to, and why; an explicit partition the topic lacks is refused on `field`. */
  choose(topic: TopicImage, requested: number | null, key: Buffer | null, field = 'partition'): { partition: number; chosenBy: ChosenBy } {
    if (requested !== null) {
      requirePartition(topic, requested, field);
      return { partition: requested, chosenBy: 'explicit' };
    }
    const count = topic.partitions.length;
    if (key !== null) return { partition: partitionForKey(key, count), chosenBy: 'key' };
    this.roundRobin = (this.roundRobin + 1) % count;
    return { partition: this.roundRobin, chosenBy: 'round-robin' };
  }
}
