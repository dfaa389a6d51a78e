/**
 * The cluster as the contract shows it: plain, JSON-serialisable views built from
 * the freshest metadata image and each broker's own replicas. Built only when a
 * snapshot is published (≤ 10 per second), never per message.
 */
import * as path from 'node:path';
import type { BrokerFailureView, BrokerView, PartitionView, TopicView } from '../api/contract';
import type { Broker, BrokerFailure } from '../cluster/broker';
import { NO_LEADER, targetReplicas, type MetadataImage, type TopicImage } from '../cluster/metadata-image';
import { replicaBytesOn } from '../cluster/log-dirs';
import type { ClusterControl } from '../ports';

/** The broker's data directory on the host's disk (engine.ts lays them out as <data dir>/broker-<id>). */
export function brokerDataDir(dataDir: string, brokerId: number): string {
  return path.join(dataDir, `broker-${brokerId}`);
}

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  EIO: 'the disk reported an I/O error',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
};

/** A broker's failure as people read it: what happened on which file, and what to do. */
export function failureView(brokerId: number, f: BrokerFailure, dataDir: string): BrokerFailureView {
  const brokerDir = brokerDataDir(dataDir, brokerId);
  const file = f.path === null ? null : path.join(brokerDir, f.path);
  const what = f.errno !== null && ERRNO_TEXT[f.errno] ? `${ERRNO_TEXT[f.errno]} (${f.errno})` : f.message;
  const reason = `Broker ${brokerId} stopped: ${what}${file ? ` while writing ${file}` : ''}.`;
  let nextStep: string;
  switch (f.errno) {
    case 'ENOSPC':
    case 'EDQUOT':
      nextStep = `Free space on the disk that holds ${dataDir} (delete topics, lower retention, or remove other files), then restart broker ${brokerId}: it recovers its log and catches up from the leaders.`;
      break;
    case 'EROFS':
      nextStep = `Make ${brokerDir} writable again (the file system was remounted read-only, often after disk errors), then restart broker ${brokerId}.`;
      break;
    case 'EACCES':
    case 'EPERM':
      nextStep = `Give the app write access to ${brokerDir}, then restart broker ${brokerId}.`;
      break;
    case 'EMFILE':
    case 'ENFILE':
      nextStep = `Raise the open-file limit (ulimit -n) or use fewer partitions, then restart broker ${brokerId}.`;
      break;
    default:
      nextStep = `Check the disk that holds ${brokerDir}, then restart broker ${brokerId}: it recovers its log and catches up from the leaders.`;
  }
  return { atMs: f.atMs, errno: f.errno, path: file, reason, nextStep };
}

export function brokerView(b: Broker, cluster: ClusterControl, image: MetadataImage | null, listener: { listening: boolean; error?: string | null }, dataDir: string): BrokerView {
  let partitionsLed = 0;
  let internalPartitionsLed = 0;
  if (image) {
    for (const t of image.topics.values()) {
      for (const p of t.partitions) {
        if (p.leader !== b.id) continue;
        partitionsLed++;
        if (t.internal) internalPartitionsLed++;
      }
    }
  }
  const state = b.state === 'up' && cluster.isCut(b.id) ? 'cut' : b.state;
  return {
    id: b.id,
    state,
    host: cluster.config.host,
    port: cluster.config.basePort + b.id - 1,
    listening: listener.listening,
    listenerError: listener.listening ? null : (listener.error ?? (b.state === 'up' ? null : `Broker ${b.id} is ${b.state}.`)),
    partitionsLed,
    internalPartitionsLed,
    failure: b.lastFailure ? failureView(b.id, b.lastFailure, dataDir) : null,
    disk: b.diskGuard?.status ? { dataDir: brokerDataDir(dataDir, b.id), ...b.diskGuard.status } : null,
    replicaBytes: replicaBytesOn(b),
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
      addingReplicas: [...(p.addingReplicas ?? [])],
      removingReplicas: [...(p.removingReplicas ?? [])],
    };
  });
  return {
    name: t.name,
    internal: t.internal,
    replicationFactor: t.partitions[0] ? targetReplicas(t.partitions[0]).length : 0,
    configs: { ...t.configs },
    partitionCount: t.partitions.length,
    // Internal topics are summarised (see TopicView): snapshots stay small.
    partitions: t.internal ? [] : partitions,
    sizeBytes,
    underReplicated,
    offline,
  };
}
