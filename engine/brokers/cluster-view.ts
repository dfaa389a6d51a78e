/**
 * The cluster as the contract shows it: plain, JSON-serialisable views built from
 * the freshest metadata image and each broker's own replicas. Built only when a
 * snapshot is published (≤ 10 per second), never per message.
 */
import type { BrokerView, PartitionView, TopicView } from '../api/contract';
import type { Broker } from '../cluster/broker';
import { NO_LEADER, type MetadataImage, type TopicImage } from '../cluster/metadata-image';
import type { ClusterControl } from '../ports';

export function brokerView(b: Broker, cluster: ClusterControl, image: MetadataImage | null, listener: { listening: boolean; error?: string | null }): BrokerView {
  let partitionsLed = 0;
  if (image) for (const t of image.topics.values()) for (const p of t.partitions) if (p.leader === b.id) partitionsLed++;
  const state = b.state === 'up' && cluster.isCut(b.id) ? 'cut' : b.state;
  return {
    id: b.id,
    state,
    host: cluster.config.host,
    port: cluster.config.basePort + b.id - 1,
    listening: listener.listening,
    listenerError: listener.listening ? null : (listener.error ?? (b.state === 'up' ? null : `Broker ${b.id} is ${b.state}.`)),
    partitionsLed,
  };
}

export function topicView(t: TopicImage, cluster: ClusterControl): TopicView {
  let sizeBytes = 0;
  let underReplicated = 0;
  let offline = 0;
  const partitions: PartitionView[] = t.partitions.map((p) => {
    const replicaLogEndOffsets: Record<number, number | null> = {};
    let best: { hw: number; leo: number; start: number } | null = null;
    for (const id of p.replicas) {
      const b = cluster.broker(id);
      const local = b.isUp ? b.replicaManager?.partition(t.name, p.partition) : undefined;
      replicaLogEndOffsets[id] = local ? local.logEndOffset : null;
      if (local && (id === p.leader || best === null)) {
        best = { hw: local.highWatermark, leo: local.logEndOffset, start: local.log.logStartOffset };
        if (id === p.leader) sizeBytes += local.log.sizeBytes;
      }
    }
    if (p.isr.length < p.replicas.length) underReplicated++;
    if (p.leader === NO_LEADER) offline++;
    return {
      partition: p.partition,
      leader: p.leader === NO_LEADER ? null : p.leader,
      replicas: [...p.replicas],
      isr: [...p.isr],
      leaderEpoch: p.leaderEpoch,
      logStartOffset: best?.start ?? 0,
      highWatermark: best?.hw ?? 0,
      logEndOffset: best?.leo ?? 0,
      replicaLogEndOffsets,
    };
  });
  return {
    name: t.name,
    internal: t.internal,
    replicationFactor: t.partitions[0]?.replicas.length ?? 0,
    configs: { ...t.configs },
    partitionCount: t.partitions.length,
    // Internal topics are summarised (see TopicView): snapshots stay small.
    partitions: t.internal ? [] : partitions,
    sizeBytes,
    underReplicated,
    offline,
  };
}
