/**
 * Partition reassignment as Kafka's KRaft controller runs it (KIP-455): the rules that
 * turn a partition's state and a target replica list into the next state, as pure
 * functions the controller applies and persists.
 *
 * Algorithm, for current replicas C and target T:
 *  1. Start: adding = T − C, removing = C − T, replicas = T followed by removing (so
 *     the preferred leader is already the target's first broker). The ISR and the
 *     leader stay as they are; the brokers in `adding` see themselves in the replica
 *     list, create an empty log and fetch from the leader.
 *  2. A new replica that has caught up joins the ISR through the leader's ordinary
 *     AlterPartition.
 *  3. Complete, at the first state change where ISR − removing is non-empty and holds
 *     every target replica: replicas = T, ISR = ISR − removing, adding and removing
 *     cleared. If the leader was being removed, the first target replica in the new
 *     ISR that is live leads (a new leader epoch). Brokers no longer in the replica
 *     list stop fetching and delete their logs when they see the new state.
 *  A target that only reorders replicas already in the ISR completes at once.
 *  Cancel (revert): replicas = replicas − adding, ISR = ISR − adding; if that empties
 *  the ISR the first remaining replica is put in it alone, which is an unclean
 *  election and refused unless unclean.leader.election.enable allows it.
 *  A new target while one runs starts over from the current (merged) replica list.
 *
 * Invariants: adding ⊆ replicas, removing ⊆ replicas, adding ∩ removing = ∅, and
 * removing never holds every replica; a completed reassignment leaves replicas = T.
 */
import { NO_LEADER, isReassigning, targetReplicas, type PartitionState } from './metadata-image';

/** Why a target replica list is not acceptable (Kafka's INVALID_REPLICA_ASSIGNMENT sentences), or null. */
export function targetError(target: readonly number[], isRegistered: (brokerId: number) => boolean): string | null {
  if (target.length === 0) return 'The manual partition assignment includes an empty replica list.';
  const sorted = [...target].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    if (!isRegistered(sorted[i])) return `The manual partition assignment includes broker ${sorted[i]}, but no such broker is registered.`;
    if (i > 0 && sorted[i] === sorted[i - 1]) return `The manual partition assignment includes the broker ${sorted[i]} more than once.`;
  }
  return null;
}

/** Step 1: the state that starts moving `p` to `target` (not yet completed; see completeIfReady). */
export function startReassignment(p: PartitionState, target: readonly number[]): PartitionState {
  const removing = p.replicas.filter((b) => !target.includes(b));
  const adding = target.filter((b) => !p.replicas.includes(b));
  return { ...p, replicas: [...target, ...removing], addingReplicas: adding, removingReplicas: removing };
}

/**
 * Step 3: the completed state when the ISR allows it, else `p` itself. `canLead` says
 * whether a broker may take over leadership (live, in its current incarnation).
 */
export function completeIfReady(p: PartitionState, canLead: (brokerId: number) => boolean): PartitionState {
  if (!isReassigning(p)) return p;
  const removing = p.removingReplicas ?? [];
  const target = targetReplicas(p);
  const isr = p.isr.filter((b) => !removing.includes(b));
  if (isr.length === 0 || !target.every((b) => isr.includes(b))) return p;
  const isrEpochs: Record<number, number> = {};
  for (const b of isr) if (p.isrEpochs[b] !== undefined) isrEpochs[b] = p.isrEpochs[b];
  const done: PartitionState = { ...p, replicas: target, isr, isrEpochs, addingReplicas: [], removingReplicas: [] };
  if (p.leader === NO_LEADER || isr.includes(p.leader)) return done;
  const leader = target.find((b) => isr.includes(b) && canLead(b)) ?? NO_LEADER;
  return { ...done, leader, leaderEpoch: p.leaderEpoch + 1 };
}

export type Revert = { ok: true; state: PartitionState } | { ok: false; message: string };

/** Cancel: the state with the reassignment undone, or why that needs an unclean election. */
export function revertReassignment(p: PartitionState, uncleanAllowed: boolean, canLead: (brokerId: number) => boolean): Revert {
  const adding = p.addingReplicas ?? [];
  const replicas = p.replicas.filter((b) => !adding.includes(b));
  let isr = p.isr.filter((b) => !adding.includes(b));
  if (isr.length === 0) {
    if (!uncleanAllowed) {
      return { ok: false, message: `Unable to revert partition assignment for ${p.topic}:${p.partition} because it would require an unclean leader election.` };
    }
    isr = [replicas[0]];
  }
  const isrEpochs: Record<number, number> = {};
  for (const b of isr) if (p.isrEpochs[b] !== undefined) isrEpochs[b] = p.isrEpochs[b];
  const reverted: PartitionState = { ...p, replicas, isr, isrEpochs, addingReplicas: [], removingReplicas: [] };
  if (p.leader !== NO_LEADER && isr.includes(p.leader)) return { ok: true, state: reverted };
  const leader = replicas.find((b) => isr.includes(b) && canLead(b)) ?? NO_LEADER;
  return { ok: true, state: { ...reverted, leader, leaderEpoch: p.leaderEpoch + 1 } };
}
