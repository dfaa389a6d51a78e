/**
 * The cluster & faults part of the contract: the whole cluster as the UI shows it
 * (`getCluster`, the same snapshot the event stream pushes) and the faults a person
 * injects: crash, stop, restart, cut off and heal a broker. Merged into the one
 * contract by contract.ts.
 */
import { z } from 'zod';
import type { ClusterSnapshot } from '../contract';

const brokerArgs = z.object({ brokerId: z.number({ error: 'Broker id must be a number.' }).int('Broker id must be a whole number.').min(1, 'Broker ids start at 1.').max(1000) }).strict();

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
  /** Partitions it leads, internal ones (__consumer_offsets) included… */
  partitionsLed: number;
  /** …of which internal, which the views of topics leave out unless asked. */
  internalPartitionsLed: number;
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
}
