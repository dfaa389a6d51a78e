/**
 * A broker's group coordinator, wired to the broker: the coordinator persists to the
 * replicated `__consumer_offsets` partitions this broker leads (appends with
 * acks=all), takes over the groups of a partition when the broker becomes its leader
 * (replaying the partition's records from the log) and lets them go when leadership
 * moves away — so a group's coordinator moves with its partition, as in Kafka.
 *
 * The internal topic is created on first use (FindCoordinator, or the UI) with
 * offsets.topic.num.partitions partitions, replication factor
 * min(offsets.topic.replication.factor, live brokers), compacted.
 *
 * Invariants: the coordinator owns exactly the offsets partitions this broker leads
 * (after loading); records are appended only while leading.
 */
import type { Clock } from '../util/clock';
import type { Random } from '../util/random';
import { buildBatchSync, decodeRecordsSync } from '../storage/record-batch';
import type { ClusterConfig } from './config';
import { OFFSETS_TOPIC } from './controller';
import { GroupCoordinator } from './group/group-coordinator';
import type { OffsetsLogRecord } from './group/types';
import type * as M from './messages';
import type { Partition } from './partition';
import type { ReplicaManager } from './replica-manager';

/** Kafka's offsets topic settings (offsets.topic.segment.bytes etc.). */
export const OFFSETS_TOPIC_CONFIGS: Record<string, string> = {
  'cleanup.policy': 'compact',
  'compression.type': 'producer',
  'segment.bytes': '104857600',
};

const LOAD_READ_BYTES = 4 << 20;

export class BrokerGroups {
  readonly coordinator: GroupCoordinator;

  constructor(
    brokerId: number,
    clock: Clock,
    random: Random,
    private readonly config: ClusterConfig,
    private readonly replicaManager: () => ReplicaManager | null,
  ) {
    this.coordinator = new GroupCoordinator({
      brokerId,
      clock,
      random,
      config: {
        'group.min.session.timeout.ms': config.groupMinSessionTimeoutMs,
        'group.max.session.timeout.ms': config.groupMaxSessionTimeoutMs,
        'group.initial.rebalance.delay.ms': config.groupInitialRebalanceDelayMs,
        'offsets.topic.num.partitions': config.offsetsTopicNumPartitions,
      },
      offsetsLog: {
        append: (partition, records, done) => {
          const rm = this.replicaManager();
          if (!rm) return done(6);
          const batch = buildBatchSync({ records: records.map((r) => ({ key: r.key, value: r.value, timestampMs: clock.nowMs() })) });
          rm.appendRecords(-1, 5000, [{ topic: OFFSETS_TOPIC, partition, records: batch }], (res) => done(res[0].errorCode));
        },
      },
    });
  }

  /** Follows leadership changes of this broker's `__consumer_offsets` replicas. */
  onLeadershipChange(p: Partition, isLeader: boolean): void {
    if (p.topic !== OFFSETS_TOPIC || p.partition >= this.config.offsetsTopicNumPartitions) return;
    if (!isLeader) {
      this.coordinator.unloadPartition(p.partition);
      return;
    }
    this.coordinator.beginLoadingPartition(p.partition);
    try {
      this.coordinator.loadPartition(p.partition, readAll(p));
    } catch {
      // Unreadable records: the partition's groups stay unavailable (COORDINATOR_NOT_AVAILABLE
      // to clients) rather than being served from a partial state.
      this.coordinator.unloadPartition(p.partition);
    }
  }

  close(): void {
    this.coordinator.close();
  }

  /** The CreateTopics request that makes the offsets topic. */
  static createOffsetsTopicRequest(config: ClusterConfig, liveBrokers: number): M.CreateTopicsRequest {
    return {
      type: 'create-topics',
      internal: true,
      validateOnly: false,
      topics: [{
        name: OFFSETS_TOPIC,
        numPartitions: config.offsetsTopicNumPartitions,
        replicationFactor: Math.max(1, Math.min(config.offsetsTopicReplicationFactor, liveBrokers)),
        assignments: null,
        configs: { ...OFFSETS_TOPIC_CONFIGS },
      }],
    };
  }
}

/** Every record of a partition, oldest first, as the coordinator replays them. */
function* readAll(p: Partition): Iterable<OffsetsLogRecord> {
  let offset = p.log.logStartOffset;
  const end = p.log.logEndOffset;
  while (offset < end) {
    const bytes = p.log.read(offset, LOAD_READ_BYTES, end, true);
    if (!bytes) break;
    let next = offset;
    for (const r of decodeRecordsSync(bytes)) {
      next = r.offset + 1;
      if (r.offset < offset || r.key === null) continue;
      yield { offset: r.offset, key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) };
    }
    if (next <= offset) break;
    offset = next;
  }
}
