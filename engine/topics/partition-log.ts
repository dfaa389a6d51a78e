/**
 * One partition's log as the partition log strip shows it: for each replica (leader
 * first), its segments (base offset, size, time range, the active one marked), log
 * start offset, high watermark and log end offset; the committed offsets of consumer
 * groups on this partition (from the group coordinators of the live brokers); and the
 * segments retention deleted lately.
 *
 * Built on request (the open view polls it a few times a second), never pushed.
 * Bounds: at most MAX_SEGMENTS segments per replica (the newest; older ones are
 * counted in segmentsOmitted), at most MAX_GROUPS committed-offset markers.
 */
import type { CommittedOffsetMarker, ParsedArgs, PartitionLogResult, ReplicaLogView, SegmentView } from '../api/contract';
import { effectiveTopicConfig } from '../cluster/log-adapter';
import type { Engine } from '../engine';
import { replicaOn, requirePartition, requireTopic, storageLogOf } from '../ports/access';
import type { StorageEventLog } from '../metrics/storage-events';

const MAX_SEGMENTS = 300;
const MAX_GROUPS = 50;

export function partitionLog(engine: Engine, events: StorageEventLog, args: ParsedArgs<'partitionLog'>): PartitionLogResult {
  const topic = requireTopic(engine, args.topic);
  const state = requirePartition(topic, args.partition);
  const leader = state.leader >= 0 ? state.leader : null;
  const order = [...state.replicas].sort((a, b) => (a === leader ? -1 : b === leader ? 1 : a - b));
  const replicas = order.map((id) => replicaView(engine, id, topic.name, args.partition, state.isr.includes(id), id === leader));
  const cfg = effectiveTopicConfig(engine.config.topicDefaults, topic.configs);
  return {
    topic: topic.name,
    partition: args.partition,
    leader,
    leaderEpoch: state.leaderEpoch,
    replicas,
    committed: committedOffsets(engine, topic.name, args.partition),
    deletions: events.deletions(topic.name, args.partition),
    settings: {
      cleanupPolicy: cfg.cleanupPolicy.join(','),
      segmentBytes: cfg.segmentBytes,
      segmentMs: cfg.segmentMs,
      retentionMs: cfg.retentionMs,
      retentionBytes: cfg.retentionBytes,
    },
  };
}

function replicaView(engine: Engine, brokerId: number, topic: string, partition: number, inIsr: boolean, isLeader: boolean): ReplicaLogView {
  const replica = replicaOn(engine, brokerId, topic, partition);
  const log = storageLogOf(replica);
  if (!replica || !log || log.isClosedOrOffline) {
    return { brokerId, role: 'offline', inIsr, logStartOffset: 0, highWatermark: 0, logEndOffset: 0, sizeBytes: 0, segments: [], segmentsOmitted: 0, bytesServedZeroCopy: 0 };
  }
  const all = log.segments();
  const shown = all.slice(-MAX_SEGMENTS);
  const segments: SegmentView[] = shown.map((s) => ({
    baseOffset: s.baseOffset,
    nextOffset: s.nextOffset,
    sizeBytes: s.sizeBytes,
    recordCount: s.recordCount ?? null,
    firstTimestampMs: s.firstTimestampMs,
    maxTimestampMs: s.maxTimestampMs,
    createdMs: s.createdMs,
    active: s.active,
  }));
  return {
    brokerId,
    role: isLeader && replica.isLeader ? 'leader' : 'follower',
    inIsr,
    logStartOffset: log.logStartOffset,
    highWatermark: replica.highWatermark,
    logEndOffset: log.logEndOffset,
    sizeBytes: log.sizeBytes,
    segments,
    segmentsOmitted: all.length - shown.length,
    bytesServedZeroCopy: log.stats.bytesServedZeroCopy,
  };
}

/** Committed offsets of every group on this partition, as the live coordinators hold them. */
export function committedOffsets(engine: Engine, topic: string, partition: number): CommittedOffsetMarker[] {
  const byGroup = new Map<string, CommittedOffsetMarker>();
  for (const b of engine.cluster.brokers) {
    if (!b.isUp || !b.groups) continue;
    for (const g of b.groups.coordinator.groupsView()) {
      const o = g.offsets.find((x) => x.topic === topic && x.partition === partition);
      if (o && !byGroup.has(g.groupId)) byGroup.set(g.groupId, { groupId: g.groupId, offset: o.offset, state: g.state });
      if (byGroup.size >= MAX_GROUPS) break;
    }
  }
  return [...byGroup.values()].sort((a, b) => a.offset - b.offset || (a.groupId < b.groupId ? -1 : 1));
}
