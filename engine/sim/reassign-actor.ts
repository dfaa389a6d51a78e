/**
 * A simulated administrator who moves partitions while the workload runs and faults
 * strike: now and then it picks a partition of the workload's topics and either starts
 * a reassignment (a random target of 2 or 3 distinct brokers in random order, so
 * replicas move, the replication factor goes up and down, and the preferred leader
 * changes) or, when one is already running there, cancels it half the time. Requests go
 * to the active controller, as AlterPartitionReassignments would.
 *
 * Targets never go below two replicas: the workload's topics have min.insync.replicas=2,
 * and fewer replicas would make every acks=all write fail, not test anything. A
 * reassignment to a broker that is down is allowed (it waits for the broker), as Kafka
 * allows it for a registered broker.
 *
 * Bounded: at most one request in flight; draws only from the world's Random.
 */
import type * as M from '../cluster/messages';
import { isReassigning } from '../cluster/metadata-image';
import { ErrorCode } from '../protocol/errors';
import type { Observations } from './actors';
import type { World } from './world';

export class SimReassigner {
  private inFlight = false;

  constructor(
    private readonly world: World,
    private readonly topics: readonly { name: string; partitions: number }[],
    private readonly obs: Observations,
    private readonly log?: (line: string) => void,
  ) {}

  step(): void {
    if (this.inFlight) return;
    const r = this.world.random;
    const spec = r.pick([...this.topics]);
    const partition = r.int(spec.partitions);
    const state = this.world.cluster.latestImage()?.topics.get(spec.name)?.partitions[partition];
    if (!state) return;
    let replicas: number[] | null;
    if (isReassigning(state)) {
      if (!r.chance(0.5)) return;
      replicas = null;
    } else {
      const brokers = this.world.cluster.brokers.map((b) => b.id);
      const count = Math.min(brokers.length, 2 + r.int(2));
      replicas = [];
      while (replicas.length < count) {
        const b = r.pick(brokers.filter((x) => !replicas!.includes(x)));
        replicas.push(b);
      }
    }
    this.inFlight = true;
    const what = replicas === null ? 'cancel' : `→ [${replicas.join(',')}]`;
    this.world.controllerRequest<M.AlterReassignmentsResponse>({ type: 'alter-reassignments', partitions: [{ topic: spec.name, partition, replicas }] }, (res) => {
      this.inFlight = false;
      const code = res?.results[0]?.errorCode;
      if (code !== ErrorCode.NONE) return;
      if (replicas === null) this.obs.stats.reassignCancels++;
      else this.obs.stats.reassignments++;
      this.log?.(`t=${this.world.clock.nowMs() - 1_700_000_000_000}ms reassign ${spec.name}-${partition} ${what}`);
    });
  }
}
