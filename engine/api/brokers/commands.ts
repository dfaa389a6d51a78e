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

export type BrokerState = 'starting' | 'up' | 'stopping' | 'stopped' | 'killed' | 'cut';

export interface BrokerView {
  id: number;
  state: BrokerState;
  host: string;
  port: number;
  /** Whether its Kafka listener is accepting connections, and if not why. */
  listening: boolean;
  listenerError: string | null;
  partitionsLed: number;
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
