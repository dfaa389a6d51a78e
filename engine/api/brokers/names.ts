/**
 * Command names of the cluster & faults part of the contract: the cluster as the UI
 * shows it, the faults a person injects into it (kill, stop, restart, cut off,
 * heal a broker), the broker configs (describe; set or reset cluster-wide dynamic
 * defaults), and where partitions live (move replicas, cancel a move, elect the
 * preferred leader), and what each broker's log directory holds (describeLogDirs). `restartEngine` is answered by the host, not the engine. Kept free
 * of zod so the Electron preload can bundle it cheaply.
 */
export const BROKERS_COMMAND_NAMES = [
  'getCluster', 'killBroker', 'stopBroker', 'restartBroker', 'cutBroker', 'healBroker', 'restartEngine', 'describeBrokerConfigs', 'alterBrokerDefaultConfigs', 'listClients',
  'reassignPartition', 'cancelReassignment', 'electPreferredLeaders', 'describeLogDirs',
] as const;
