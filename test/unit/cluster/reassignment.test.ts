import { describe, expect, it } from 'vitest';
import type * as M from '../../../engine/cluster/messages';
import type { PartitionState } from '../../../engine/cluster/metadata-image';
import { ErrorCode } from '../../../engine/protocol/errors';
import { makeCluster, type TestCluster } from './harness';

function ask<T>(t: TestCluster, req: M.ControllerRequest): T {
  let out: T | null = null;
  t.runUntil(() => t.cluster.activeController() !== null);
  t.cluster.activeController()!.controllerRequest<T>(req, (r) => (out = r));
  t.runUntil(() => out !== null);
  return out!;
}

function createWith(t: TestCluster, name: string, assignments: number[][], configs: Record<string, string> = {}): void {
  t.runUntil(() => t.cluster.activeController() !== null && t.cluster.brokers.every((b) => b.isUp));
  const r = ask<M.CreateTopicsResponse>(t, { type: 'create-topics', topics: [{ name, numPartitions: -1, replicationFactor: -1, assignments, configs }], validateOnly: false });
  expect(r.results[0].errorCode).toBe(ErrorCode.NONE);
  t.runUntil(() => t.cluster.brokers.every((b) => b.image.topics.has(name)));
  t.runUntil(() => state(t, name, 0).isr.length === assignments[0].length);
}

function state(t: TestCluster, topic: string, partition: number): PartitionState {
  return t.cluster.latestImage()!.topics.get(topic)!.partitions[partition];
}

function reassign(t: TestCluster, topic: string, partition: number, replicas: number[] | null) {
  return ask<M.AlterReassignmentsResponse>(t, { type: 'alter-reassignments', partitions: [{ topic, partition, replicas }] }).results[0];
}

function list(t: TestCluster) {
  return ask<M.ListReassignmentsResponse>(t, { type: 'list-reassignments', partitions: null }).reassignments;
}

function produceMany(t: TestCluster, topic: string, n: number, prefix: string): void {
  for (let i = 0; i < n; i++) expect(t.produce(topic, 0, [`${prefix}${i}`])!.errorCode).toBe(ErrorCode.NONE);
}

/** Every broker that holds a replica of topic-0 on disk (a log it opened). */
function holders(t: TestCluster, topic: string): number[] {
  return t.cluster.brokers.filter((b) => b.isUp && b.replicaManager!.partition(topic, 0) !== undefined).map((b) => b.id);
}

describe('partition reassignment (KIP-455)', () => {
  it('moves a partition to another broker: the new replica catches up and joins the ISR, the old one leaves and deletes its log', () => {
    const t = makeCluster();
    createWith(t, 'm', [[1, 2]]);
    produceMany(t, 'm', 20, 'a');
    const before = state(t, 'm', 0);
    expect(reassign(t, 'm', 0, [2, 3]).errorCode).toBe(ErrorCode.NONE);
    // Started: the target first, then the replica being removed.
    const started = state(t, 'm', 0);
    expect(started.partitionEpoch).toBeGreaterThan(before.partitionEpoch);
    t.runUntil(() => list(t).length === 0);
    const done = state(t, 'm', 0);
    expect(done.replicas).toEqual([2, 3]);
    expect([...done.isr].sort()).toEqual([2, 3]);
    expect(done.addingReplicas ?? []).toEqual([]);
    expect(done.removingReplicas ?? []).toEqual([]);
    // The leader was being removed: the first target replica leads now, in a new epoch.
    expect(done.leader).toBe(2);
    expect(done.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
    t.runUntil(() => holders(t, 'm').join() === '2,3');
    expect(t.read(3, 'm', 0, 'leo').map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
    // Writes go on against the new replica set.
    produceMany(t, 'm', 5, 'b');
    t.runUntil(() => t.read(3, 'm', 0).length === 25);
  });

  it('reports the reassignment in progress with its adding and removing replicas while the new replica cannot catch up', () => {
    const t = makeCluster({ config: { replicaLagTimeMaxMs: 60_000 } });
    createWith(t, 'p', [[1, 2]]);
    produceMany(t, 'p', 3, 'x');
    t.cluster.kill(3);
    t.runUntil(() => !t.cluster.latestImage()!.liveBrokers.some((b) => b.id === 3));
    expect(reassign(t, 'p', 0, [1, 3]).errorCode).toBe(ErrorCode.NONE);
    t.run(2000);
    expect(list(t)).toEqual([{ topic: 'p', partition: 0, replicas: [1, 3, 2], addingReplicas: [3], removingReplicas: [2] }]);
    // acks=all writes still need the old ISR, which stays whole.
    expect([...state(t, 'p', 0).isr].sort()).toEqual([1, 2]);
    t.cluster.restart(3);
    t.runUntil(() => list(t).length === 0);
    expect(state(t, 'p', 0).replicas).toEqual([1, 3]);
  });

  it('raises and lowers the replication factor', () => {
    const t = makeCluster();
    createWith(t, 'rf', [[1]]);
    produceMany(t, 'rf', 10, 'v');
    expect(reassign(t, 'rf', 0, [1, 2, 3]).errorCode).toBe(ErrorCode.NONE);
    t.runUntil(() => state(t, 'rf', 0).replicas.length === 3 && (state(t, 'rf', 0).addingReplicas ?? []).length === 0);
    expect([...state(t, 'rf', 0).isr].sort()).toEqual([1, 2, 3]);
    for (const b of [2, 3]) t.runUntil(() => t.read(b, 'rf', 0).length === 10);
    expect(reassign(t, 'rf', 0, [3]).errorCode).toBe(ErrorCode.NONE);
    // Only removals, and the target is in the ISR: done at once.
    expect(state(t, 'rf', 0).replicas).toEqual([3]);
    expect(state(t, 'rf', 0).leader).toBe(3);
    t.runUntil(() => holders(t, 'rf').join() === '3');
    expect(t.read(3, 'rf', 0).map((r) => r.value)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
  });

  it('cancel reverts to the original replicas; cancelling when nothing runs is NO_REASSIGNMENT_IN_PROGRESS', () => {
    const t = makeCluster();
    createWith(t, 'c', [[1, 2]]);
    t.cluster.kill(3);
    t.runUntil(() => !t.cluster.latestImage()!.liveBrokers.some((b) => b.id === 3));
    expect(reassign(t, 'c', 0, [3, 1]).errorCode).toBe(ErrorCode.NONE);
    expect(state(t, 'c', 0).replicas).toEqual([3, 1, 2]);
    const r = reassign(t, 'c', 0, null);
    expect(r.errorCode).toBe(ErrorCode.NONE);
    const s = state(t, 'c', 0);
    expect(s.replicas).toEqual([1, 2]);
    expect([...s.isr].sort()).toEqual([1, 2]);
    expect(list(t)).toEqual([]);
    const again = reassign(t, 'c', 0, null);
    expect(again.errorCode).toBe(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
  });

  it('a reassignment in progress survives a controller restart and completes afterwards', () => {
    const t = makeCluster({ config: { autoLeaderRebalanceEnable: false } });
    createWith(t, 'r', [[1, 2]]);
    produceMany(t, 'r', 5, 'k');
    t.cluster.kill(3);
    t.runUntil(() => !t.cluster.latestImage()!.liveBrokers.some((b) => b.id === 3));
    expect(reassign(t, 'r', 0, [2, 3]).errorCode).toBe(ErrorCode.NONE);
    // Broker 1 is the controller (and the leader, and the replica being removed): it crashes.
    expect(t.cluster.activeController()!.id).toBe(1);
    t.cluster.kill(1);
    t.runUntil(() => t.cluster.activeController()?.id === 2);
    expect(list(t)).toEqual([{ topic: 'r', partition: 0, replicas: [2, 3, 1], addingReplicas: [3], removingReplicas: [1] }]);
    t.cluster.restart(1);
    t.cluster.restart(3);
    t.runUntil(() => list(t).length === 0);
    expect(state(t, 'r', 0).replicas).toEqual([2, 3]);
    t.runUntil(() => t.read(3, 'r', 0).length === 5);
    t.runUntil(() => holders(t, 'r').join() === '2,3');
  });

  it('refuses bad targets with Kafka errors and changes nothing', () => {
    const t = makeCluster();
    createWith(t, 'e', [[1, 2]]);
    const before = state(t, 'e', 0);
    const cases: [string, number, number[] | null, number][] = [
      ['e', 0, [1, 7], ErrorCode.INVALID_REPLICA_ASSIGNMENT],
      ['e', 0, [2, 2], ErrorCode.INVALID_REPLICA_ASSIGNMENT],
      ['e', 0, [], ErrorCode.INVALID_REPLICA_ASSIGNMENT],
      ['nope', 0, [1], ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ['e', 5, [1], ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ['e', 0, null, ErrorCode.NO_REASSIGNMENT_IN_PROGRESS],
    ];
    for (const [topic, partition, replicas, code] of cases) {
      const r = reassign(t, topic, partition, replicas);
      expect(r.errorCode, `${topic}-${partition} → ${replicas}`).toBe(code);
      expect(r.errorMessage).toBeTruthy();
    }
    expect(reassign(t, 'e', 0, [1, 7]).errorMessage).toBe('The manual partition assignment includes broker 7, but no such broker is registered.');
    expect(state(t, 'e', 0)).toBe(before);
  });
});

describe('leader elections', () => {
  it('preferred: moves leadership back to the first replica; not needed when it leads; not available when it is out of the ISR', () => {
    const t = makeCluster({ config: { autoLeaderRebalanceEnable: false } });
    createWith(t, 'pl', [[2, 3]]);
    const elect = (type: 'preferred' | 'unclean') => ask<M.ElectLeadersResponse>(t, { type: 'elect-leaders', electionType: type, partitions: [{ topic: 'pl', partition: 0 }] }).results[0];
    expect(elect('preferred').errorCode).toBe(ErrorCode.ELECTION_NOT_NEEDED);
    t.cluster.kill(2);
    t.runUntil(() => state(t, 'pl', 0).leader === 3);
    expect(elect('preferred').errorCode).toBe(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE);
    t.cluster.restart(2);
    t.runUntil(() => state(t, 'pl', 0).isr.includes(2));
    expect(state(t, 'pl', 0).leader).toBe(3);
    expect(elect('preferred').errorCode).toBe(ErrorCode.NONE);
    expect(state(t, 'pl', 0).leader).toBe(2);
    // An election over every partition leaves out those that needed none.
    const all = ask<M.ElectLeadersResponse>(t, { type: 'elect-leaders', electionType: 'preferred', partitions: null });
    expect(all.results.filter((r) => r.topic === 'pl')).toEqual([]);
  });

  it('unclean: elects a live out-of-sync replica of an offline partition; not needed with a leader; none eligible when all are down', () => {
    const t = makeCluster({ config: { replicaLagTimeMaxMs: 1000 } });
    createWith(t, 'u', [[2, 3]]);
    const elect = () => ask<M.ElectLeadersResponse>(t, { type: 'elect-leaders', electionType: 'unclean', partitions: [{ topic: 'u', partition: 0 }] }).results[0];
    expect(elect().errorCode).toBe(ErrorCode.ELECTION_NOT_NEEDED);
    t.cluster.kill(3);
    t.runUntil(() => state(t, 'u', 0).isr.join() === '2');
    t.cluster.kill(2);
    t.runUntil(() => state(t, 'u', 0).leader === -1);
    expect(elect().errorCode).toBe(ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE);
    t.cluster.restart(3);
    t.runUntil(() => t.cluster.latestImage()!.liveBrokers.some((b) => b.id === 3));
    expect(state(t, 'u', 0).leader).toBe(-1);
    expect(elect().errorCode).toBe(ErrorCode.NONE);
    expect(state(t, 'u', 0).leader).toBe(3);
    expect(state(t, 'u', 0).isr).toEqual([3]);
  });
});
