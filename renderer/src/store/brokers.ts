/**
 * The brokers slice (engine/api/brokers, cluster & faults): the latest cluster
 * snapshot and the connection to the engine, the engine's crash and restart, and the
 * faults a person injects into brokers (kill, stop, restart, cut off, heal), the
 * broker configs (each config's value and source; cluster-wide dynamic defaults), and
 * where partitions live (move a partition's replicas, cancel a move, elect preferred
 * leaders).
 *
 * `loadBrokerConfigs` and `alterBrokerDefaultConfigs` resolve to the engine's answer
 * and throw its error, which the panel shows beside the field it concerns.
 */
import type { StateCreator } from 'zustand';
import type { AlterBrokerDefaultConfigsResult, BrokerConfigsResult, ClientsResult, ClusterSnapshot, CommandArgs, ElectionResultView, LogDirsView } from '../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../engine/api/errors';
import type { ConnectionState } from '../api';
import { toErrorData } from '../errors';
import { api } from './api';
import type { StoreState } from './index';

/** The address a person's own Kafka client bootstraps from (every broker's listener), from a snapshot. */
export function selectBootstrap(s: { snapshot: ClusterSnapshot | null }): string {
  return (s.snapshot?.brokers ?? []).map((b) => `${b.host}:${b.port}`).join(',');
}

export type BrokerAction = 'killBroker' | 'stopBroker' | 'restartBroker' | 'cutBroker' | 'healBroker';

export interface BrokersSlice {
  snapshot: ClusterSnapshot | null;
  connection: ConnectionState;
  /** Set when the engine crashed; the UI offers a restart. */
  engineCrash: string | null;
  /** When the connection to the host was lost (wall clock ms), while it is lost; null when connected. */
  connectionLostAtMs: number | null;
  clusterError: WorkbenchErrorData | null;
  applySnapshot(snapshot: ClusterSnapshot): void;
  setConnection(state: ConnectionState): void;
  setEngineCrash(message: string | null): void;
  refreshCluster(): Promise<void>;
  restartEngine(): Promise<void>;
  /** Every client connected to a broker's Kafka listener, and what it does. */
  loadClients(): Promise<ClientsResult>;
  /** Kill, stop, restart, cut off or heal a broker for real; resolves to the error to show, or null. */
  brokerAction(action: BrokerAction, brokerId: number): Promise<WorkbenchErrorData | null>;
  /** Start moving a partition to `replicas` (first = preferred leader); resolves to the error to show, or null. */
  reassignPartition(topic: string, partition: number, replicas: number[]): Promise<WorkbenchErrorData | null>;
  /** Cancel a move in progress; resolves to the error to show, or null. */
  cancelReassignment(topic: string, partition: number): Promise<WorkbenchErrorData | null>;
  /** Preferred-leader election over a topic's partitions; the per-partition outcomes, or the error. */
  electPreferredLeaders(topic: string): Promise<ElectionResultView[] | WorkbenchErrorData>;
  loadBrokerConfigs(brokerId: number): Promise<BrokerConfigsResult>;
  /** What a broker's log directory holds (replica sizes and lag); rejects with the engine's error. */
  loadLogDirs(brokerId: number): Promise<LogDirsView>;
  /** Sets or resets cluster-wide dynamic defaults (or only checks them, with validateOnly). */
  alterBrokerDefaultConfigs(args: CommandArgs<'alterBrokerDefaultConfigs'>): Promise<AlterBrokerDefaultConfigsResult>;
}

export const createBrokersSlice: StateCreator<StoreState, [], [], BrokersSlice> = (set, get) => ({
  snapshot: null,
  connection: 'connecting',
  engineCrash: null,
  connectionLostAtMs: null,
  clusterError: null,
  applySnapshot(snapshot) {
    const current = get().snapshot;
    // Snapshots can race with a getCluster reply; never go back in time.
    if (current && current.clusterId === snapshot.clusterId && snapshot.seq <= current.seq) return;
    set({ snapshot, clusterError: null });
    get().followLoadRun(snapshot.records.load);
  },
  setConnection(connection) {
    const lostAt = get().connectionLostAtMs;
    set({ connection, connectionLostAtMs: connection === 'open' ? null : (lostAt ?? Date.now()) });
    if (connection === 'open') void get().refreshCluster();
  },
  setEngineCrash(engineCrash) {
    set({ engineCrash });
  },
  async refreshCluster() {
    try {
      get().applySnapshot(await api().getCluster({}));
    } catch (err) {
      set({ clusterError: toErrorData(err) });
    }
  },
  loadClients: () => api().listClients({}),
  async brokerAction(action, brokerId) {
    try {
      await api()[action]({ brokerId });
      await get().refreshCluster();
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },
  async reassignPartition(topic, partition, replicas) {
    try {
      await api().reassignPartition({ topic, partition, replicas });
      await get().refreshCluster();
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },
  async cancelReassignment(topic, partition) {
    try {
      await api().cancelReassignment({ topic, partition });
      await get().refreshCluster();
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },
  async electPreferredLeaders(topic) {
    try {
      const results = await api().electPreferredLeaders({ topic });
      await get().refreshCluster();
      return results;
    } catch (err) {
      return toErrorData(err);
    }
  },
  loadBrokerConfigs: (brokerId) => api().describeBrokerConfigs({ brokerId }),
  loadLogDirs: (brokerId) => api().describeLogDirs({ brokerId }),
  alterBrokerDefaultConfigs: (args) => api().alterBrokerDefaultConfigs(args),
  async restartEngine() {
    try {
      await api().restartEngine({});
      set({ engineCrash: null, snapshot: null });
      await get().refreshCluster();
    } catch (err) {
      set({ clusterError: toErrorData(err) });
    }
  },
});
