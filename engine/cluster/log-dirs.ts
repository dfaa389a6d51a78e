/**
 * What a broker's log directory holds, as DescribeLogDirs and the cluster view report it:
 * every partition replica on the broker with its bytes on disk and its offset lag.
 *
 * Offset lag: 0 on the leader (and on a replica that has not heard from a leader yet);
 * on a follower, the leader's log end offset as its last fetch response gave it minus
 * its own log end offset, never below 0. A pure function of the broker's state: it
 * changes nothing. Replicas are ordered by topic name, then partition.
 */
import type { Broker } from './broker';

export interface ReplicaLogDirEntry {
  topic: string;
  partition: number;
  sizeBytes: number;
  offsetLag: number;
  isLeader: boolean;
}

/** The replicas on `broker` (none while it is down), optionally only those `keep` accepts. */
export function replicaLogDirEntries(broker: Broker, keep: (topic: string, partition: number) => boolean = () => true): ReplicaLogDirEntry[] {
  const rm = broker.replicaManager;
  if (rm === null) return [];
  const out: ReplicaLogDirEntry[] = [];
  for (const p of rm.allPartitions()) {
    if (!keep(p.topic, p.partition)) continue;
    const offsetLag = p.isLeader || p.leaderLogEndOffset < 0 ? 0 : Math.max(0, p.leaderLogEndOffset - p.logEndOffset);
    out.push({ topic: p.topic, partition: p.partition, sizeBytes: p.log.sizeBytes, offsetLag, isLeader: p.isLeader });
  }
  return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

/** Bytes of all the replicas on `broker`. */
export function replicaBytesOn(broker: Broker): number {
  return replicaLogDirEntries(broker).reduce((sum, r) => sum + r.sizeBytes, 0);
}
