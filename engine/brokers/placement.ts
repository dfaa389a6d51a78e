/**
 * Where partitions live, as the UI changes it: move a partition's replicas to other
 * brokers (KIP-455 reassignment, which may change the replication factor), cancel a
 * move, elect preferred leaders. Each command is one controller request through the
 * ControllerPort; the rules (catch-up, ISR, who leaves when) are the controller's
 * (cluster/reassignment.ts). A command answers once the controller has written the
 * change; the snapshot stream then shows the catch-up and the ISR changes as they happen.
 *
 * Errors are the controller's Kafka errors, with a sentence saying what to do next.
 */
import type { ElectionResultView, ReassignmentView } from '../api/contract';
import { WorkbenchError, type KafkaErrorName } from '../api/errors';
import type * as M from '../cluster/messages';
import { ErrorCode, errorName } from '../protocol/errors';
import type { ClusterState, ControllerPort } from '../ports';

export interface PlacementDeps {
  cluster: ClusterState;
  controller: ControllerPort;
  changed: () => void;
}

/** What to tell a person for each error a placement command can meet. */
const NEXT_STEP: Partial<Record<number, string>> = {
  [ErrorCode.INVALID_REPLICA_ASSIGNMENT]: 'Pick brokers of this cluster, each at most once.',
  [ErrorCode.NO_REASSIGNMENT_IN_PROGRESS]: 'The move already finished or was cancelled; the partition map shows where the replicas are now.',
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]: 'The topic or partition no longer exists.',
};

export class Placement {
  constructor(private readonly deps: PlacementDeps) {}

  async reassign(topic: string, partition: number, replicas: number[]): Promise<ReassignmentView> {
    this.requirePartition(topic, partition);
    const outOfRange = replicas.find((b) => b > this.deps.cluster.brokerCount);
    if (outOfRange !== undefined) {
      throw new WorkbenchError('INVALID_REPLICA_ASSIGNMENT', `There is no broker ${outOfRange}; this cluster has brokers 1 to ${this.deps.cluster.brokerCount}.`, 'replicas');
    }
    await this.alter(topic, partition, replicas);
    return this.view(topic, partition);
  }

  async cancel(topic: string, partition: number): Promise<ReassignmentView> {
    this.requirePartition(topic, partition);
    await this.alter(topic, partition, null);
    return this.view(topic, partition);
  }

  async electPreferred(topic: string | undefined, partition: number | undefined): Promise<ElectionResultView[]> {
    let partitions: { topic: string; partition: number }[] | null = null;
    if (topic !== undefined) {
      const t = this.requireTopic(topic);
      if (partition !== undefined) this.requirePartition(topic, partition);
      partitions = partition !== undefined ? [{ topic, partition }] : t.partitions.map((p) => ({ topic, partition: p.partition }));
    }
    await this.deps.cluster.ready();
    const res = await this.deps.controller.controllerRequest<M.ElectLeadersResponse>({ type: 'elect-leaders', electionType: 'preferred', partitions });
    this.deps.changed();
    return res.results.map((r) => ({
      topic: r.topic,
      partition: r.partition,
      outcome: r.errorCode === ErrorCode.NONE ? 'elected' : r.errorCode === ErrorCode.ELECTION_NOT_NEEDED ? 'not-needed' : 'failed',
      reason: r.errorCode === ErrorCode.NONE || r.errorCode === ErrorCode.ELECTION_NOT_NEEDED ? null : electionReason(r.errorCode, r.topic, r.partition),
    }));
  }

  private async alter(topic: string, partition: number, replicas: number[] | null): Promise<void> {
    await this.deps.cluster.ready();
    const res = await this.deps.controller.controllerRequest<M.AlterReassignmentsResponse>({ type: 'alter-reassignments', partitions: [{ topic, partition, replicas }] });
    const r = res.results[0];
    if (r && r.errorCode !== ErrorCode.NONE) {
      const next = NEXT_STEP[r.errorCode];
      throw new WorkbenchError(errorName(r.errorCode) as KafkaErrorName, `${r.errorMessage ?? errorName(r.errorCode)}${next ? ` ${next}` : ''}`, replicas === null ? undefined : 'replicas');
    }
    this.deps.changed();
  }

  private view(topic: string, partition: number): ReassignmentView {
    const p = this.requirePartition(topic, partition);
    return { topic, partition, replicas: [...p.replicas], addingReplicas: [...(p.addingReplicas ?? [])], removingReplicas: [...(p.removingReplicas ?? [])] };
  }

  private requireTopic(topic: string) {
    const t = this.deps.cluster.image()?.topics.get(topic);
    if (!t) throw new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${topic}" does not exist.`, 'topic');
    return t;
  }

  private requirePartition(topic: string, partition: number) {
    const t = this.requireTopic(topic);
    const p = t.partitions[partition];
    if (!p) throw new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${topic}" has partitions 0 to ${t.partitions.length - 1}; there is no partition ${partition}.`, 'partition');
    return p;
  }
}

function electionReason(code: number, topic: string, partition: number): string {
  if (code === ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE) return `The preferred replica of ${topic}-${partition} is down or not in sync yet; wait until it is back in the ISR.`;
  if (code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return `${topic}-${partition} no longer exists.`;
  return `${errorName(code)}.`;
}
