/**
 * One partition's log as the partition log strip shows it: for each replica (leader
 * first), its segments (base offset, size, time range, the active one marked), log
 * start offset, high watermark and log end offset; the committed offsets of consumer
 * groups on this partition (from the groups service); and the segments retention
 * deleted lately (from the metrics service's storage history).
 *
 * Built on request (the open view polls it a few times a second), never pushed.
 * Bounds: at most MAX_SEGMENTS segments per replica (the newest; older ones are
 * counted in segmentsOmitted).
 */
import type { ParsedArgs, PartitionLogResult, ReplicaLogView, SegmentView } from '../api/contract';
import { requirePartition, type ReplicaLogs } from '../ports';
import type { TopicsDeps } from './service';

const MAX_SEGMENTS = 300;

export function partitionLog(deps: TopicsDeps, args: ParsedArgs<'partitionLog'>): PartitionLogResult {
  const topic = deps.io.topic(args.topic);
  const state = requirePartition(topic, args.partition);
  const leader = state.leader >= 0 ? state.leader : null;
  const order = [...state.replicas].sort((a, b) => (a === leader ? -1 : b === leader ? 1 : a - b));
  const replicas = order.map((id) => replicaView(deps.replicas, id, topic.name, args.partition, state.isr.includes(id), id === leader));
  const cfg = deps.cluster.topicConfig(topic);
  return {
    topic: topic.name,
    partition: args.partition,
    leader,
    leaderEpoch: state.leaderEpoch,
    replicas,
    committed: deps.groups.committedOffsets(topic.name, args.partition),
    deletions: deps.history.deletions(topic.name, args.partition),
    settings: {
      cleanupPolicy: cfg.cleanupPolicy.join(','),
      segmentBytes: cfg.segmentBytes,
      segmentMs: cfg.segmentMs,
      retentionMs: cfg.retentionMs,
      retentionBytes: cfg.retentionBytes,
    },
  };
}

function replicaView(replicas: ReplicaLogs, brokerId: number, topic: string, partition: number, inIsr: boolean, isLeader: boolean): ReplicaLogView {
  const held = replicas.replicaLog(brokerId, topic, partition);
  if (!held || held.log.isClosedOrOffline) {
    return { brokerId, role: 'offline', inIsr, logStartOffset: 0, highWatermark: 0, logEndOffset: 0, sizeBytes: 0, segments: [], segmentsOmitted: 0, bytesServedZeroCopy: 0 };
  }
  const { replica, log } = held;
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
