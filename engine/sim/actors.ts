/**
 * Simulated clients. They behave as Kafka clients do — find the leader from metadata,
 * retry on retriable errors, join groups with the classic protocol, commit — and
 * record what they were promised, so the checker can hold the cluster to it.
 *
 * SimProducer: idempotent, one batch in flight at a time, acks=all or acks=1 per
 * batch. Every value is unique ("p<id>-<n>"). A batch acknowledged with acks=all is
 * recorded with its offset: the cluster promised to keep it.
 *
 * SimConsumer: a member of a consumer group (join → sync → heartbeat → fetch → commit)
 * using the range assignor's result computed by the group leader. It checks, as it
 * goes, that the high watermark it is shown never goes backwards and that every
 * offset it commits is at most the HW it saw.
 *
 * Requests and answers each take a latency drawn from the world's Random; a request to
 * a broker that is down is lost and times out.
 */
import { ErrorCode } from '../protocol/errors';
import type { Broker } from '../cluster/broker';
import { NO_LEADER } from '../cluster/metadata-image';
import { rangeAssign } from '../client/assignors';
import { encodeAssignment, encodeSubscription, decodeAssignment, decodeSubscription } from '../cluster/group/consumer-protocol';
import { partitionForGroup } from '../cluster/group/offsets-topic-format';
import { OFFSETS_TOPIC } from '../cluster/controller';
import { buildBatchSync, decodeRecordsSync } from '../storage/record-batch';
import type { ProduceResult } from '../cluster/replica-manager';
import type { World } from './world';

const REQUEST_TIMEOUT_MS = 3000;

export interface AckedRecord {
  topic: string;
  partition: number;
  offset: number;
  value: string;
  producer: number;
}

export interface Observations {
  acked: AckedRecord[];
  violations: string[];
  /** Per group and partition: the last committed offset acknowledged to a consumer. */
  committed: Map<string, number>;
  stats: {
    produced: number;
    ackedAll: number;
    ackedOne: number;
    produceErrors: number;
    consumed: number;
    commits: number;
    rebalances: number;
    duplicatesSkipped: number;
    /** Records the built-in consumers processed (client-actors.ts). */
    builtinProcessed: number;
    /** Built-in consumers started (two at setup, more when one is replaced). */
    builtinStarted: number;
    /** Requests brokers answered over their listeners, and offset commits acknowledged there (wire-checks.ts). */
    wireRequests: number;
    wireCommits: number;
    /** Reassignments started and cancelled by the simulated administrator (reassign-actor.ts). */
    reassignments: number;
    reassignCancels: number;
  };
}

export function newObservations(): Observations {
  return {
    acked: [],
    violations: [],
    committed: new Map(),
    stats: { produced: 0, ackedAll: 0, ackedOne: 0, produceErrors: 0, consumed: 0, commits: 0, rebalances: 0, duplicatesSkipped: 0, builtinProcessed: 0, builtinStarted: 0, wireRequests: 0, wireCommits: 0, reassignments: 0, reassignCancels: 0 },
  };
}

/** Sends `call` to a broker after a latency and its answer back after another; lost if the broker is down. */
function viaNetwork<T>(world: World, broker: Broker, call: (done: (r: T) => void) => void, done: (r: T | null) => void): void {
  let finished = false;
  const finish = (r: T | null) => {
    if (finished) return;
    finished = true;
    timeout.cancel();
    done(r);
  };
  const timeout = world.clock.setTimer(REQUEST_TIMEOUT_MS, () => finish(null));
  world.clock.setTimer(1 + world.random.int(4), () => {
    if (!broker.isUp || !broker.replicaManager) return; // lost; times out
    call((r) => world.clock.setTimer(1 + world.random.int(4), () => finish(r)));
  });
}

function leaderOf(world: World, topic: string, partition: number): Broker | null {
  // A client's metadata: the freshest image any reachable broker gives it.
  const img = world.cluster.latestImage();
  const p = img?.topics.get(topic)?.partitions[partition];
  if (!p || p.leader === NO_LEADER) return null;
  return world.cluster.broker(p.leader);
}

// ------------------------------------------------------------------ producer

export class SimProducer {
  private seqByPartition = new Map<string, number>();
  private epoch = 0;
  private n = 0;
  private inFlight = false;
  private retrying: { topic: string; partition: number; values: string[]; baseSequence: number; acks: number; attempts: number } | null = null;

  constructor(
    readonly id: number,
    private readonly world: World,
    private readonly topics: { name: string; partitions: number }[],
    private readonly obs: Observations,
  ) {}

  get idle(): boolean {
    return !this.inFlight;
  }

  step(): void {
    if (this.inFlight) return;
    if (this.retrying) return this.send(this.retrying);
    const r = this.world.random;
    const t = r.pick(this.topics);
    const partition = r.int(t.partitions);
    const count = 1 + r.int(3);
    const values = Array.from({ length: count }, () => `p${this.id}-${this.n++}`);
    const key = `${t.name}-${partition}`;
    const seq = this.seqByPartition.get(key) ?? 0;
    this.seqByPartition.set(key, seq + count);
    this.obs.stats.produced += count;
    this.send({ topic: t.name, partition, values, baseSequence: seq, acks: r.chance(0.7) ? -1 : 1, attempts: 0 });
  }

  private send(b: { topic: string; partition: number; values: string[]; baseSequence: number; acks: number; attempts: number }): void {
    const leader = leaderOf(this.world, b.topic, b.partition);
    this.inFlight = true;
    const retry = () => {
      this.inFlight = false;
      b.attempts++;
      this.retrying = b.attempts < 8 ? b : null;
      if (!this.retrying) this.obs.stats.produceErrors++;
    };
    if (!leader) return void this.world.clock.setTimer(100, retry);
    const batch = buildBatchSync({
      records: b.values.map((v) => ({ key: Buffer.from(v.split('-')[0]), value: Buffer.from(v), timestampMs: this.world.clock.nowMs() })),
      producerId: 1000 + this.id,
      producerEpoch: this.epoch,
      baseSequence: b.baseSequence,
    });
    viaNetwork<ProduceResult & { isrAtAck: number; minIsr: number }>(
      this.world,
      leader,
      (done) =>
        leader.replicaManager!.appendRecords(b.acks, 2000, [{ topic: b.topic, partition: b.partition, records: batch }], (rs) => {
          // The ISR the leader acknowledged against, for invariant (6).
          const isr = leader.replicaManager?.partition(b.topic, b.partition)?.isr.length ?? 0;
          done({ ...rs[0], isrAtAck: isr, minIsr: leader.topicConfig(b.topic).minInsyncReplicas });
        }),
      (res) => {
        if (!res) return retry();
        if (res.errorCode === ErrorCode.NONE) {
          this.inFlight = false;
          this.retrying = null;
          if (b.acks === -1 && res.isrAtAck < res.minIsr) {
            this.obs.violations.push(`(6) an acks=all write to ${b.topic}-${b.partition}@${res.baseOffset} was acknowledged with ${res.isrAtAck} in-sync replicas, fewer than min.insync.replicas=${res.minIsr}`);
          }
          if (b.acks === -1) {
            this.obs.stats.ackedAll += b.values.length;
            b.values.forEach((value, i) => this.obs.acked.push({ topic: b.topic, partition: b.partition, offset: res.baseOffset + i, value, producer: this.id }));
          } else this.obs.stats.ackedOne += b.values.length;
          return;
        }
        if (res.errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER || res.errorCode === ErrorCode.INVALID_PRODUCER_EPOCH) {
          // The broker lost this producer's state (e.g. data it had not acknowledged with
          // acks=all was truncated away): start a new epoch, as a real producer resets.
          this.epoch++;
          this.seqByPartition.clear();
          this.inFlight = false;
          this.retrying = null;
          this.obs.stats.produceErrors++;
          return;
        }
        this.world.clock.setTimer(50, retry);
      },
    );
  }
}

// ------------------------------------------------------------------ consumer

type ConsumerState = 'idle' | 'joining' | 'syncing' | 'consuming';

export class SimConsumer {
  private state: ConsumerState = 'idle';
  private memberId = '';
  private generation = -1;
  private assignment: { topic: string; partition: number }[] = [];
  private positions = new Map<string, number>();
  private highestHw = new Map<string, number>();
  private busy = false;
  private lastHeartbeatMs = 0;
  private lastCommitMs = 0;

  constructor(
    readonly id: number,
    private readonly world: World,
    readonly groupId: string,
    private readonly topics: string[],
    private readonly obs: Observations,
  ) {}

  private coordinator(): Broker | null {
    const img = this.world.cluster.latestImage();
    const t = img?.topics.get(OFFSETS_TOPIC);
    if (!t) return null;
    const p = t.partitions[partitionForGroup(this.groupId, t.partitions.length)];
    if (!p || p.leader === NO_LEADER) return null;
    const b = this.world.cluster.broker(p.leader);
    return b.groups ? b : null;
  }

  step(): void {
    if (this.busy) return;
    const now = this.world.clock.nowMs();
    switch (this.state) {
      case 'idle':
        return this.join();
      case 'consuming':
        if (now - this.lastHeartbeatMs > 1000) return this.heartbeat();
        if (now - this.lastCommitMs > 700) return this.commit();
        return this.fetch();
      default:
        return;
    }
  }

  private rejoin(): void {
    this.state = 'idle';
    this.busy = false;
  }

  private join(): void {
    const c = this.coordinator();
    if (!c) return;
    this.busy = true;
    this.state = 'joining';
    const metadata = encodeSubscription({ topics: this.topics });
    viaNetwork<{ errorCode: number; memberId: string; generationId: number; leader: string; members: { memberId: string; metadata: Buffer }[]; protocolName: string | null }>(
      this.world, c,
      (done) => c.groups!.coordinator.joinGroup({
        groupId: this.groupId, memberId: this.memberId, groupInstanceId: null, clientId: `sim-consumer-${this.id}`, clientHost: '/sim',
        sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, protocolType: 'consumer', protocols: [{ name: 'range', metadata }], requireKnownMemberId: true,
      }, done),
      (r) => {
        if (!r) return this.rejoin();
        if (r.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
          this.memberId = r.memberId;
          return this.rejoin();
        }
        if (r.errorCode !== ErrorCode.NONE) {
          if (r.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) this.memberId = '';
          return this.rejoin();
        }
        this.memberId = r.memberId;
        this.generation = r.generationId;
        this.obs.stats.rebalances++;
        let assignments: { memberId: string; assignment: Buffer }[] = [];
        if (r.leader === r.memberId) {
          const img = this.world.cluster.latestImage();
          const counts: Record<string, number> = {};
          for (const t of this.topics) counts[t] = img?.topics.get(t)?.partitions.length ?? 0;
          const plan = rangeAssign(counts, r.members.map((m) => ({ memberId: m.memberId, topics: decodeSubscription(m.metadata).topics })));
          assignments = r.members.map((m) => {
            const tps = plan.get(m.memberId) ?? [];
            const byTopic = new Map<string, number[]>();
            for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
            return { memberId: m.memberId, assignment: encodeAssignment({ assignedPartitions: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) }) };
          });
        }
        this.sync(c, assignments);
      },
    );
  }

  private sync(c: Broker, assignments: { memberId: string; assignment: Buffer }[]): void {
    this.state = 'syncing';
    viaNetwork<{ errorCode: number; assignment: Buffer }>(
      this.world, c,
      (done) => c.groups!.coordinator.syncGroup({ groupId: this.groupId, generationId: this.generation, memberId: this.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments }, done),
      (r) => {
        if (!r || r.errorCode !== ErrorCode.NONE) return this.rejoin();
        this.assignment = r.assignment.length > 0 ? decodeAssignment(r.assignment).assignedPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition }))) : [];
        this.fetchCommitted(c);
      },
    );
  }

  private fetchCommitted(c: Broker): void {
    const byTopic = new Map<string, number[]>();
    for (const a of this.assignment) byTopic.set(a.topic, [...(byTopic.get(a.topic) ?? []), a.partition]);
    viaNetwork<{ errorCode: number; topics: { name: string; partitions: { partitionIndex: number; committedOffset: number }[] }[] }>(
      this.world, c,
      (done) => done(c.groups!.coordinator.fetchOffsets({ groupId: this.groupId, topics: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })) })),
      (r) => {
        if (!r || r.errorCode !== ErrorCode.NONE) return this.rejoin();
        this.positions.clear();
        for (const t of r.topics) for (const p of t.partitions) {
          const key = `${t.name}-${p.partitionIndex}`;
          this.positions.set(key, Math.max(0, p.committedOffset));
          // The committed offset read back must not be behind one acknowledged before.
          const acked = this.obs.committed.get(`${this.groupId}/${key}`);
          if (acked !== undefined && p.committedOffset >= 0 && p.committedOffset < acked) {
            this.obs.violations.push(`(5) group ${this.groupId} ${key}: committed offset went back from ${acked} to ${p.committedOffset} without a reset`);
          }
        }
        this.state = 'consuming';
        this.busy = false;
        this.lastHeartbeatMs = this.world.clock.nowMs();
        this.lastCommitMs = this.world.clock.nowMs();
      },
    );
  }

  private heartbeat(): void {
    const c = this.coordinator();
    if (!c) return this.rejoin();
    this.busy = true;
    viaNetwork<{ errorCode: number }>(
      this.world, c,
      (done) => c.groups!.coordinator.heartbeat({ groupId: this.groupId, generationId: this.generation, memberId: this.memberId, groupInstanceId: null }, done),
      (r) => {
        this.busy = false;
        this.lastHeartbeatMs = this.world.clock.nowMs();
        if (!r) return;
        if (r.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) this.memberId = '';
        if (r.errorCode !== ErrorCode.NONE) this.rejoin();
      },
    );
  }

  private commit(): void {
    const c = this.coordinator();
    if (!c || this.assignment.length === 0) {
      this.lastCommitMs = this.world.clock.nowMs();
      return;
    }
    this.busy = true;
    const offsets = this.assignment.map((a) => ({ ...a, offset: this.positions.get(`${a.topic}-${a.partition}`) ?? 0 }));
    for (const o of offsets) {
      const hw = this.highestHw.get(`${o.topic}-${o.partition}`) ?? 0;
      if (o.offset > hw) this.obs.violations.push(`(5) group ${this.groupId} ${o.topic}-${o.partition}: committing ${o.offset} beyond the HW ${hw} the consumer saw`);
    }
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; commitTimestamp: number; committedMetadata: string | null }[]>();
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }]);
    viaNetwork<{ topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] }>(
      this.world, c,
      (done) => c.groups!.coordinator.commitOffsets({ groupId: this.groupId, generationId: this.generation, memberId: this.memberId, groupInstanceId: null, retentionTimeMs: -1, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) }, done),
      (r) => {
        this.busy = false;
        this.lastCommitMs = this.world.clock.nowMs();
        if (!r) return;
        let rebalance = false;
        for (const t of r.topics) for (const p of t.partitions) {
          if (p.errorCode === ErrorCode.NONE) {
            this.obs.stats.commits++;
            const key = `${this.groupId}/${t.name}-${p.partitionIndex}`;
            const offset = offsets.find((o) => o.topic === t.name && o.partition === p.partitionIndex)!.offset;
            const prev = this.obs.committed.get(key);
            if (prev !== undefined && offset < prev) this.obs.violations.push(`(5) ${key}: a commit moved the offset back from ${prev} to ${offset}`);
            this.obs.committed.set(key, offset);
          } else if (p.errorCode === ErrorCode.ILLEGAL_GENERATION || p.errorCode === ErrorCode.UNKNOWN_MEMBER_ID || p.errorCode === ErrorCode.REBALANCE_IN_PROGRESS) {
            rebalance = true;
          }
        }
        if (rebalance) this.rejoin();
      },
    );
  }

  private fetch(): void {
    if (this.assignment.length === 0) return;
    const a = this.world.random.pick(this.assignment);
    const key = `${a.topic}-${a.partition}`;
    const leader = leaderOf(this.world, a.topic, a.partition);
    if (!leader) return;
    this.busy = true;
    const position = this.positions.get(key) ?? 0;
    viaNetwork<{ errorCode: number; highWatermark: number; records: Buffer | null; logStartOffset: number }>(
      this.world, leader,
      (done) => leader.replicaManager!.fetchMessages(
        { replicaId: -1, maxWaitMs: 100, minBytes: 1, maxBytes: 1 << 20, partitions: [{ topic: a.topic, partition: a.partition, fetchOffset: position, currentLeaderEpoch: -1, partitionMaxBytes: 1 << 20 }] },
        (rs) => done(rs[0]),
      ),
      (r) => {
        this.busy = false;
        if (!r) return;
        if (r.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
          this.positions.set(key, Math.max(position, r.logStartOffset >= 0 ? r.logStartOffset : position));
          return;
        }
        if (r.errorCode !== ErrorCode.NONE) return;
        const seen = this.highestHw.get(key) ?? -1;
        if (r.highWatermark < seen) this.obs.violations.push(`(3) consumer ${this.id} saw the HW of ${key} go back from ${seen} to ${r.highWatermark}`);
        this.highestHw.set(key, Math.max(seen, r.highWatermark));
        if (!r.records) return;
        let next = position;
        for (const rec of decodeRecordsSync(r.records)) {
          if (rec.offset < position) continue;
          if (rec.offset >= r.highWatermark) break;
          next = rec.offset + 1;
          this.obs.stats.consumed++;
        }
        this.positions.set(key, next);
      },
    );
  }
}
