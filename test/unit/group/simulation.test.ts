/**
 * A seeded simulation: consumers that behave like Kafka's (join, MEMBER_ID_REQUIRED, range
 * assignment by the leader, sync, heartbeats, commits, rejoin on REBALANCE_IN_PROGRESS)
 * against a coordinator whose `__consumer_offsets` acknowledges late and sometimes fails,
 * while consumers crash, leave and arrive, and the coordinator fails over to another broker
 * that reloads the partition from the log.
 *
 * After the chaos stops and time passes, one property of the whole system must hold:
 *   - the group is Stable with exactly the live consumers, all in its generation;
 *   - their assignments cover every partition exactly once;
 *   - each partition's committed offset is the one from the last acknowledged commit;
 *   - every request got exactly one answer, and the coordinator's invariants held throughout.
 * A failing run names its seed; rerun it with that seed to replay it exactly.
 */
import { describe, expect, it } from 'vitest';
import { rangeAssign } from '../../../engine/client/assignors';
import { decodeAssignment, encodeAssignment, encodeSubscription, groupByTopic } from '../../../engine/cluster/group/consumer-protocol';
import { ErrorCode } from '../../../engine/protocol/errors';
import { GroupCoordinator } from '../../../engine/cluster/group/group-coordinator';
import type { OffsetsLog, OffsetsLogRecord } from '../../../engine/cluster/group/types';
import { ManualClock, type TimerHandle } from '../../../engine/util/clock';
import { SeededRandom, type Random } from '../../../engine/util/random';
import { GROUP, P } from './harness';

const TOPIC = 't';
const PARTITIONS = 6;
const SESSION_MS = 10_000;
const REBALANCE_MS = 20_000;
const HEARTBEAT_MS = 3_000;

/** An offsets partition whose appends are acknowledged after a random delay, or fail. */
class SimLog implements OffsetsLog {
  readonly records: OffsetsLogRecord[] = [];
  failureRate = 0;
  private inFlight = new Set<{ timer: TimerHandle; fail: () => void }>();

  constructor(
    private readonly clock: ManualClock,
    private readonly random: Random,
  ) {}

  append(partition: number, records: { key: Buffer; value: Buffer | null }[], done: (errorCode: number) => void): void {
    expect(partition).toBe(P);
    const fails = this.random.chance(this.failureRate);
    const entry = {
      timer: null as unknown as TimerHandle,
      fail: () => {
        entry.timer.cancel();
        this.inFlight.delete(entry);
        done(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      },
    };
    entry.timer = this.clock.setTimer(this.random.int(50), () => {
      this.inFlight.delete(entry);
      if (fails) return done(ErrorCode.NOT_ENOUGH_REPLICAS);
      for (const r of records) this.records.push({ offset: this.records.length, key: r.key, value: r.value });
      done(0);
    });
    this.inFlight.add(entry);
  }

  /** The leader moves: appends not yet committed fail. */
  failInFlight(): void {
    for (const e of [...this.inFlight]) e.fail();
  }
}

interface World {
  clock: ManualClock;
  random: Random;
  log: SimLog;
  coord: GroupCoordinator;
  outstanding: number;
  commitSeq: number;
  /** partition → [call sequence, offset] of the latest commit that was acknowledged. */
  lastAcked: Map<number, [number, number]>;
}

/** Wraps a callback so the world can count requests still unanswered. */
function tracked<T>(w: World, cb: (r: T) => void): (r: T) => void {
  w.outstanding++;
  let answered = false;
  return (r: T) => {
    expect(answered).toBe(false);
    answered = true;
    w.outstanding--;
    cb(r);
  };
}

class SimConsumer {
  memberId = '';
  generation = -1;
  state: 'joining' | 'syncing' | 'stable' | 'dead' = 'joining';
  assignment: number[] = [];
  private heartbeatTimer: TimerHandle | null = null;
  private epoch = 0; // bumps on every (re)join so stale callbacks are ignored

  constructor(
    private readonly w: World,
    readonly name: string,
  ) {}

  private get alive(): boolean {
    return this.state !== 'dead';
  }

  join(): void {
    if (!this.alive) return;
    this.state = 'joining';
    this.heartbeatTimer?.cancel();
    const epoch = ++this.epoch;
    this.w.coord.joinGroup(
      {
        groupId: GROUP,
        memberId: this.memberId,
        groupInstanceId: null,
        clientId: this.name,
        clientHost: '/sim',
        sessionTimeoutMs: SESSION_MS,
        rebalanceTimeoutMs: REBALANCE_MS,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: encodeSubscription({ version: 0, topics: [TOPIC] }) }],
        requireKnownMemberId: true,
      },
      tracked(this.w, (r) => {
        if (!this.alive || epoch !== this.epoch) return;
        if (r.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
          this.memberId = r.memberId;
          return this.join();
        }
        if (r.errorCode !== 0) return this.recover(r.errorCode);
        this.memberId = r.memberId;
        this.generation = r.generationId;
        this.state = 'syncing';
        const assignments =
          r.leader === this.memberId
            ? [...rangeAssign({ [TOPIC]: PARTITIONS }, r.members.map((m) => ({ memberId: m.memberId, topics: [TOPIC] })))].map(([memberId, tps]) => ({
                memberId,
                assignment: encodeAssignment({ version: 0, assignedPartitions: groupByTopic(tps) }),
              }))
            : [];
        this.w.coord.syncGroup(
          { groupId: GROUP, generationId: this.generation, memberId: this.memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments },
          tracked(this.w, (s) => {
            if (!this.alive || epoch !== this.epoch) return;
            if (s.errorCode !== 0) return this.recover(s.errorCode);
            this.state = 'stable';
            this.assignment = decodeAssignment(s.assignment).assignedPartitions.flatMap((t) => t.partitions);
            this.scheduleHeartbeat(epoch);
          }),
        );
      }),
    );
  }

  private scheduleHeartbeat(epoch: number): void {
    this.heartbeatTimer = this.w.clock.setTimer(HEARTBEAT_MS, () => {
      if (!this.alive || epoch !== this.epoch || this.state !== 'stable') return;
      this.w.coord.heartbeat(
        { groupId: GROUP, memberId: this.memberId, generationId: this.generation, groupInstanceId: null },
        tracked(this.w, (r) => {
          if (!this.alive || epoch !== this.epoch) return;
          if (r.errorCode !== 0) return this.recover(r.errorCode);
          this.scheduleHeartbeat(epoch);
        }),
      );
    });
  }

  private recover(errorCode: number): void {
    // As Kafka's consumer: forget the member id when the coordinator does not know it,
    // otherwise rejoin (after a short back-off for coordinator trouble).
    if (errorCode === ErrorCode.UNKNOWN_MEMBER_ID || errorCode === ErrorCode.FENCED_INSTANCE_ID) this.memberId = '';
    if (errorCode === ErrorCode.ILLEGAL_GENERATION) this.generation = -1;
    this.state = 'joining';
    const epoch = ++this.epoch;
    this.w.clock.setTimer(100, () => {
      if (epoch === this.epoch) this.join();
    });
  }

  commit(): void {
    if (this.state !== 'stable' || this.assignment.length === 0) return;
    const seq = ++this.w.commitSeq;
    const partitions = this.assignment.map((p) => ({ partitionIndex: p, committedOffset: seq, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }));
    this.w.coord.commitOffsets(
      { groupId: GROUP, generationId: this.generation, memberId: this.memberId, groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: TOPIC, partitions }] },
      tracked(this.w, (r) => {
        for (const p of r.topics[0].partitions) {
          expect([0, 15, 16, 22, 25, 27]).toContain(p.errorCode);
          const prev = this.w.lastAcked.get(p.partitionIndex);
          if (p.errorCode === 0 && (prev === undefined || prev[0] < seq)) this.w.lastAcked.set(p.partitionIndex, [seq, seq]);
        }
      }),
    );
  }

  crash(): void {
    this.state = 'dead';
    this.heartbeatTimer?.cancel();
    this.epoch++;
  }

  leave(): void {
    if (this.memberId !== '') {
      this.w.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: this.memberId, groupInstanceId: null }] }, tracked(this.w, () => {}));
    }
    this.crash();
  }
}

function simulate(seed: number, steps: number): void {
  const clock = new ManualClock(1_700_000_000_000);
  const random = new SeededRandom(seed);
  const log = new SimLog(clock, random);
  const newCoordinator = (brokerId: number): GroupCoordinator => {
    const coord = new GroupCoordinator({ brokerId, clock, random, offsetsLog: log, config: { 'group.initial.rebalance.delay.ms': 1_000 } });
    coord.loadPartition(P, log.records);
    return coord;
  };
  const w: World = { clock, random, log, coord: newCoordinator(1), outstanding: 0, commitSeq: 0, lastAcked: new Map() };
  const consumers: SimConsumer[] = [];
  let nextName = 0;
  const live = (): SimConsumer[] => consumers.filter((c) => c.state !== 'dead');
  const start = (): void => {
    const c = new SimConsumer(w, `c${nextName++}`);
    consumers.push(c);
    c.join();
  };
  for (let i = 0; i < 3; i++) start();

  log.failureRate = 0.05;
  for (let step = 0; step < steps; step++) {
    clock.advance(random.int(2_000));
    const roll = random.next();
    if (roll < 0.05 && live().length < 6) start();
    else if (roll < 0.08 && live().length > 1) random.pick(live()).crash();
    else if (roll < 0.11 && live().length > 1) random.pick(live()).leave();
    else if (roll < 0.12) {
      // Coordinator failover: the old leader's pending writes fail, the new one loads the log.
      w.coord.unloadPartition(P);
      log.failInFlight();
      w.coord.close();
      w.coord = newCoordinator(w.coord.brokerId + 1);
    } else if (roll < 0.5) random.pick(consumers).commit();
    w.coord.checkInvariants();
  }

  // Quiet: no more failures; time for sessions and rebalances to settle.
  log.failureRate = 0;
  clock.advance(5 * 60_000);
  w.coord.checkInvariants();

  const alive = live();
  const [view] = w.coord.groupSnapshots();
  const context = `seed ${seed}`;
  expect(view.state, context).toBe('Stable');
  expect(alive.every((c) => c.state === 'stable' && c.generation === view.generationId), context).toBe(true);
  expect(view.members.map((m) => m.memberId).sort(), context).toEqual(alive.map((c) => c.memberId).sort());
  expect(alive.flatMap((c) => c.assignment).sort(), context).toEqual(Array.from({ length: PARTITIONS }, (_, i) => i));
  expect(w.outstanding, context).toBe(0);

  // Let the last commits land, then compare with what the coordinator (and a fresh load) holds.
  for (const c of alive) c.commit();
  clock.advance(1_000);
  const fetched = w.coord.fetchOffsets({ groupId: GROUP, topics: null });
  const committed = new Map(fetched.topics.flatMap((t) => t.partitions.map((p) => [p.partitionIndex, p.committedOffset] as const)));
  expect(committed, context).toEqual(new Map([...w.lastAcked].map(([p, [, offset]]) => [p, offset])));
  const reloaded = new GroupCoordinator({ brokerId: 99, clock, random, offsetsLog: log });
  reloaded.loadPartition(P, log.records);
  expect(reloaded.fetchOffsets({ groupId: GROUP, topics: null }), context).toEqual(fetched);
  expect(w.outstanding, context).toBe(0);
}

describe('group simulation', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
    it(`converges and keeps every acknowledged commit (seed ${seed})`, () => simulate(seed, 400));
  }
});
