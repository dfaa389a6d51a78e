/**
 * Command names of the metrics & history part of the contract. It has none yet: its
 * figures (rates, totals, the storage event counter) travel in every snapshot
 * (`ClusterSnapshot.metrics`), and the histories the charts draw are kept by the
 * renderer from that stream. Kept free of zod so the Electron preload can bundle it.
 */
export const METRICS_COMMAND_NAMES = ['clusterEvents'] as const;
