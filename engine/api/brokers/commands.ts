/**
 * The cluster & faults part of the contract: the whole cluster as the UI shows it
 * (`getCluster`, the same snapshot the event stream pushes) and the faults a person
 * injects: crash, stop, restart, cut off and heal a broker; and where partitions live:
 * move a partition's replicas to other brokers (which may change its replication
 * factor), cancel such a move, elect preferred leaders. Merged into the one contract by
 * contract.ts.
 */
import { z } from 'zod';
import type { ClusterSnapshot } from '../contract';

const brokerId = z.number({ error: 'Broker id must be a number.' }).int('Broker id must be a whole number.').min(1, 'Broker ids start at 1.').max(1000);
const brokerArgs = z.object({ brokerId }).strict();
const partitionArg = z.number({ error: 'Partition must be a number.' }).int('Partition must be a whole number.').min(0, 'Partitions start at 0.');

export const brokersSchemas = {
  /** The whole cluster as the UI shows it. */
  getCluster: z.object({}).strict(),
  /** Crash a broker: it stops at once, unsynced bytes are lost, nothing is handed over. */
  killBroker: brokerArgs,
  /** Stop a broker cleanly: its partitions' leadership moves away first. */
  stopBroker: brokerArgs,
  /** Start a killed or stopped broker again (or crash-restart a running one). */
  restartBroker: brokerArgs,
  /** Cut a broker off from the other brokers and the controller quorum (clients still reach it). */
  cutBroker: brokerArgs,
  /** Reconnect a cut-off broker. */
  healBroker: brokerArgs,
  /** Host-level: start a fresh engine after a crash (handled by the host, not the engine). */
  restartEngine: z.object({}).strict(),
  /**
   * Move a partition to `replicas` (the first becomes its preferred leader; more or fewer
   * brokers change its replication factor). The new replicas copy the log and join the
   * ISR; then the old ones leave and delete their copy.
   */
  reassignPartition: z
    .object({
      topic: z.string().min(1, 'Pick a topic.'),
      partition: partitionArg,
      replicas: z.array(brokerId).min(1, 'Pick at least one broker.').max(1000).refine((r) => new Set(r).size === r.length, 'Each broker may hold only one replica of a partition.'),
    })
    .strict(),
  /** Stop a move in progress: the replicas being added leave, the partition keeps its old ones. */
  cancelReassignment: z.object({ topic: z.string().min(1, 'Pick a topic.'), partition: partitionArg }).strict(),
  /** Hand leadership to each partition's preferred (first) replica where it is in sync; a topic, or every topic. */
  electPreferredLeaders: z.object({ topic: z.string().min(1).optional(), partition: partitionArg.optional() }).strict().refine((a) => a.partition === undefined || a.topic !== undefined, { message: 'A partition needs its topic.', path: ['partition'] }),
} satisfies Record<string, z.ZodType>;

// ---------------------------------------------------------------------------
// Results

/** `failed`: the broker stopped on its own after a disk error (see BrokerView.failure). */
export type BrokerState = 'starting' | 'up' | 'stopping' | 'stopped' | 'killed' | 'failed' | 'cut';

/** Why a broker stopped on its own. */
export interface BrokerFailureView {
  atMs: number;
  /** The platform's error code (ENOSPC, EIO, EROFS, …), when known. */
  errno: string | null;
  /** The file it failed on, as an absolute path, when known. */
  path: string | null;
  /** What happened, in a sentence: the error and the file. */
  reason: string;
  /** What to do next ("Free space on …, then restart broker 3."). */
  nextStep: string;
}

/** Free space where a broker keeps its logs, and the free-space guard's threshold. */
export interface BrokerDiskView {
  /** The broker's data directory (absolute). */
  dataDir: string;
  freeBytes: number;
  totalBytes: number;
  /** Below this the broker refuses client writes (reads and replication go on). */
  minFreeBytes: number;
  low: boolean;
}

export interface BrokerView {
  id: number;
  state: BrokerState;
  host: string;
  port: number;
  /** Whether its Kafka listener is accepting connections, and if not why. */
  listening: boolean;
  listenerError: string | null;
  partitionsLed: number;
  /** Set while the broker is `failed` (cleared when it starts again). */
  failure: BrokerFailureView | null;
  /** Null while the broker is down or where free space cannot be read. */
  disk: BrokerDiskView | null;
}

export interface BrokersResults {
  getCluster: ClusterSnapshot;
  killBroker: BrokerView;
  stopBroker: BrokerView;
  restartBroker: BrokerView;
  cutBroker: BrokerView;
  healBroker: BrokerView;
  restartEngine: { restarted: true };
  reassignPartition: ReassignmentView;
  cancelReassignment: ReassignmentView;
  electPreferredLeaders: ElectionResultView[];
}

/** A partition's placement right after a reassignment command. */
export interface ReassignmentView {
  topic: string;
  partition: number;
  replicas: number[];
  /** Being added (copying the log, not yet all in the ISR); empty when no move runs. */
  addingReplicas: number[];
  /** Leaving once every added replica is in sync. */
  removingReplicas: number[];
}

/** One partition's preferred-leader election: elected, not needed, or why not. */
export interface ElectionResultView {
  topic: string;
  partition: number;
  outcome: 'elected' | 'not-needed' | 'failed';
  /** Why it failed (the preferred replica is down or out of sync …); null otherwise. */
  reason: string | null;
}
