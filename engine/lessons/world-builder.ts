/**
 * Builds the LessonWorld a lesson's checks see, from the engine's ports: for the
 * topics and groups the lesson owns, each partition as its leader has it (offsets,
 * segments, bytes served to consumers, the codecs of its oldest and newest batch), each group
 * as its coordinator has it, and every broker's state. Also reads a topic's records
 * for checks that look at contents.
 *
 * Cost: a world covers only what the lesson owns, so building one is a few map
 * lookups per partition; the codecs of a partition's oldest and newest batch are read
 * from two batch headers once per log start and end (cached), and record reads stop at a limit.
 *
 * Invariant: a built world is never mutated afterwards (checks compare two of them).
 */
import { NO_LEADER } from '../cluster/metadata-image';
import type { BrokerStates, ClusterState, GroupStates, ReplicaLogs } from '../ports';
import { CODEC_NAMES, isKnownCodec } from '../storage/compression';
import { decodeRecordsSync, type BatchHeader } from '../storage/record-batch';
import type { Clock } from '../util/clock';
import type { LessonWorld, RecordSample, WorldPartition, WorldTopic } from './world';

type PartitionLogHeaders = { logStartOffset: number; logEndOffset: number; forEachBatchHeader(fromOffset: number, visit: (header: BatchHeader) => boolean | void): void };

/** The header of the batch holding `offset`. */
function firstHeader(log: PartitionLogHeaders, offset: number): BatchHeader | undefined {
  let found: BatchHeader | undefined;
  log.forEachBatchHeader(offset, (h) => {
    found = h;
    return false;
  });
  return found;
}

function codecName(id: number): string {
  return isKnownCodec(id) ? CODEC_NAMES[id] : 'unknown';
}

/** Bytes read per partition and call when reading records for a check. */
const READ_CHUNK_BYTES = 1 << 20;

export interface WorldSources {
  cluster: ClusterState;
  replicas: Pick<ReplicaLogs, 'replicaLog'>;
  groups: Pick<GroupStates, 'groupState'>;
  states: BrokerStates;
  clock: Clock;
}

export class WorldBuilder {
  private readonly codecCache = new Map<string, string[]>();

  constructor(private readonly s: WorldSources) {}

  build(topics: ReadonlySet<string>, groups: ReadonlySet<string>): LessonWorld {
    const image = this.s.cluster.image();
    const worldTopics: WorldTopic[] = [];
    for (const name of topics) {
      const t = image?.topics.get(name);
      if (!t) continue;
      worldTopics.push({ name, internal: t.internal, configs: { ...t.configs }, partitions: t.partitions.map((p) => this.partition(name, p)) });
    }
    const worldGroups = [...groups].flatMap((id) => {
      const g = this.s.groups.groupState(id);
      return g ? [{ id, state: g.state, generation: g.generation, members: g.members, offsets: g.offsets }] : [];
    });
    return { nowMs: this.s.clock.nowMs(), brokers: this.s.states.brokerStates(), controllerId: this.s.states.controllerId(), topics: worldTopics, groups: worldGroups };
  }

  private partition(topic: string, p: { partition: number; leader: number; replicas: readonly number[]; isr: readonly number[]; leaderEpoch: number }): WorldPartition {
    const base: WorldPartition = {
      partition: p.partition, leader: p.leader === NO_LEADER ? null : p.leader, replicas: [...p.replicas], isr: [...p.isr], leaderEpoch: p.leaderEpoch,
      logStartOffset: 0, highWatermark: 0, logEndOffset: 0, segmentCount: 0, bytesToConsumers: 0, storedCodecs: [],
    };
    if (p.leader === NO_LEADER) return base;
    const r = this.s.replicas.replicaLog(p.leader, topic, p.partition);
    if (!r || !r.replica.isLeader) return base;
    const log = r.log;
    return {
      ...base,
      logStartOffset: log.logStartOffset,
      highWatermark: r.replica.highWatermark,
      logEndOffset: log.logEndOffset,
      segmentCount: log.numberOfSegments,
      bytesToConsumers: r.replica.bytesToConsumers,
      storedCodecs: this.codecsAt(topic, p.partition, p.leader, log),
    };
  }

  /**
   * The codecs of the oldest and the newest stored batch, in that order (one entry when
   * they are the same batch; empty while the log is). Read from batch headers only, so
   * nothing is counted as served; cached per log start and end.
   */
  private codecsAt(topic: string, partition: number, leader: number, log: PartitionLogHeaders): string[] {
    const start = log.logStartOffset;
    const end = log.logEndOffset;
    if (end <= start) return [];
    const key = `${topic}/${partition}/${leader}/${start}/${end}`;
    const cached = this.codecCache.get(key);
    if (cached) return cached;
    let codecs: string[];
    try {
      const oldest = firstHeader(log, start);
      const newest = firstHeader(log, end - 1);
      if (!oldest || !newest) return [];
      codecs = oldest.baseOffset === newest.baseOffset ? [codecName(oldest.compression)] : [codecName(oldest.compression), codecName(newest.compression)];
    } catch {
      return []; // moved or offline just now: the next build asks again
    }
    if (this.codecCache.size > 1000) this.codecCache.clear();
    this.codecCache.set(key, codecs);
    return codecs;
  }

  /** Records of a topic from the given offsets up to each partition's HW, at most `limit` in all. */
  records(topic: string, fromOffsets: ReadonlyMap<number, number>, limit: number): RecordSample[] {
    const t = this.s.cluster.image()?.topics.get(topic);
    const out: RecordSample[] = [];
    if (!t) return out;
    for (const p of t.partitions) {
      if (p.leader === NO_LEADER || out.length >= limit) continue;
      const r = this.s.replicas.replicaLog(p.leader, topic, p.partition);
      if (!r) continue;
      const hw = r.replica.highWatermark;
      let offset = Math.max(fromOffsets.get(p.partition) ?? 0, r.log.logStartOffset);
      // Bounded: each round advances past at least one batch or stops.
      for (let round = 0; round < 1000 && offset < hw && out.length < limit; round++) {
        let decoded;
        try {
          decoded = decodeRecordsSync(r.log.read(offset, READ_CHUNK_BYTES, { maxOffset: hw, minOneBatch: true }).batches);
        } catch {
          break; // zstd batches decode only asynchronously; a log moving under us: stop here
        }
        if (decoded.length === 0) break;
        let next = offset;
        for (const d of decoded) {
          if (d.offset < offset || d.offset >= hw) continue;
          out.push({ partition: p.partition, offset: d.offset, key: d.key?.toString('utf8') ?? null, value: d.value?.toString('utf8') ?? null });
          next = d.offset + 1;
          if (out.length >= limit) break;
        }
        if (next <= offset) break;
        offset = next;
      }
    }
    return out;
  }
}
