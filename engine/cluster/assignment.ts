/**
 * Replica assignment for new partitions, as Kafka does it without racks:
 * partition p's first replica is broker[(p + start) mod n]; the followers sit at a
 * shift from it that grows by one every n partitions, so leaders and followers both
 * spread evenly and no two replicas of a partition share a broker.
 *
 *   first(p)     = (p + start) mod n
 *   shift(p)     = (initialShift + floor(p / n)) mod (n - 1)     (when n > 1)
 *   follower j   = (first + 1 + (shift + j) mod (n - 1)) mod n
 *
 * `start` and `initialShift` come from the injected Random (Kafka picks them at
 * random too), so the simulator reproduces an assignment from its seed.
 *
 * Invariant: each list has `replicationFactor` distinct brokers.
 */
import { assert } from '../util/assert';
import type { Random } from '../util/random';

export function assignReplicas(
  brokerIds: readonly number[],
  partitionCount: number,
  replicationFactor: number,
  random: Random,
  firstPartition = 0,
): number[][] {
  const n = brokerIds.length;
  assert(n > 0, 'no brokers to assign replicas to');
  assert(replicationFactor >= 1 && replicationFactor <= n, 'replication factor must be between 1 and the broker count');
  const sorted = [...brokerIds].sort((a, b) => a - b);
  const start = random.int(n);
  const initialShift = n > 1 ? random.int(n - 1) : 0;
  const out: number[][] = [];
  for (let i = 0; i < partitionCount; i++) {
    const p = firstPartition + i;
    const first = (p + start) % n;
    const replicas = [sorted[first]];
    if (n > 1) {
      const shift = (initialShift + Math.floor(p / n)) % (n - 1);
      for (let j = 0; j < replicationFactor - 1; j++) {
        replicas.push(sorted[(first + 1 + ((shift + j) % (n - 1))) % n]);
      }
    }
    assert(new Set(replicas).size === replicas.length, 'replicas of a partition must be distinct');
    out.push(replicas);
  }
  return out;
}
