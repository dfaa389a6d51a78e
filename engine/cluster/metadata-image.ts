/**
 * The metadata image: an immutable picture of the cluster's metadata at one version,
 * as the controller publishes it and brokers cache it (KRaft's MetadataImage, in
 * small). Brokers answer clients' Metadata requests and decide their own role for
 * each partition (leader, follower) from the image they hold, which may be older than
 * the controller's: that lag is real Kafka behaviour and the UI can show it.
 *
 * Images are never mutated after publication; a change makes a new image with a
 * higher version that shares unchanged topics with the old one.
 *
 * Invariants: versions strictly increase per controller epoch; every partition's
 * isr ⊆ replicas; leader is NO_LEADER or a member of isr.
 */
import { assert } from '../util/assert';
import type { DynamicBrokerConfigs } from './broker-configs';

export const NO_LEADER = -1;

export interface BrokerRegistration {
  id: number;
  /** Grows every time the broker (re)registers: fences requests from its previous life. */
  epoch: number;
  host: string;
  port: number;
}

export interface PartitionState {
  topic: string;
  partition: number;
  replicas: readonly number[];
  isr: readonly number[];
  leader: number;
  leaderEpoch: number;
  partitionEpoch: number;
  /**
   * Broker epoch of each ISR member when it joined the ISR (KIP-903): a member whose
   * broker has since restarted (new epoch, possibly missing unsynced data) no longer
   * counts as in sync. A missing entry means unknown and is trusted.
   */
  isrEpochs: Readonly<Record<number, number>>;
  /**
   * A reassignment in progress (KIP-455): replicas being added (catching up, not yet
   * all in the ISR) and replicas to remove once they have. During one, `replicas` is
   * the target followed by the removing replicas; absent or empty when none runs.
   */
  addingReplicas?: readonly number[];
  removingReplicas?: readonly number[];
}

export interface TopicImage {
  name: string;
  topicId: string;
  internal: boolean;
  /** Only the configs set on this topic; defaults come from the broker config. */
  configs: Readonly<Record<string, string>>;
  partitions: readonly PartitionState[];
}

export interface MetadataImage {
  version: number;
  clusterId: string;
  controllerId: number;
  controllerEpoch: number;
  liveBrokers: readonly BrokerRegistration[];
  topics: ReadonlyMap<string, TopicImage>;
  /**
   * Dynamic broker configs (AlterConfigs on BROKER resources): '' holds the cluster-wide
   * defaults, '<id>' one broker's own; by Kafka's broker config name. Replaced, never
   * mutated, on a change, so a broker notices one by identity.
   */
  brokerConfigs: DynamicBrokerConfigs;
}

export function emptyImage(clusterId: string): MetadataImage {
  return { version: 0, clusterId, controllerId: NO_LEADER, controllerEpoch: 0, liveBrokers: [], topics: new Map(), brokerConfigs: {} };
}

export function checkPartitionState(p: PartitionState): void {
  assert(p.replicas.length > 0, () => `${p.topic}-${p.partition} has no replicas`);
  assert(p.isr.every((b) => p.replicas.includes(b)), () => `${p.topic}-${p.partition}: isr ${p.isr} not within replicas ${p.replicas}`);
  assert(p.leader === NO_LEADER || p.isr.includes(p.leader), () => `${p.topic}-${p.partition}: leader ${p.leader} not in isr ${p.isr}`);
  const adding = p.addingReplicas ?? [];
  const removing = p.removingReplicas ?? [];
  assert([...adding, ...removing].every((b) => p.replicas.includes(b)), () => `${p.topic}-${p.partition}: adding ${adding} / removing ${removing} not within replicas ${p.replicas}`);
  assert(!adding.some((b) => removing.includes(b)), () => `${p.topic}-${p.partition}: a replica cannot be both added and removed`);
  assert(removing.length < p.replicas.length, () => `${p.topic}-${p.partition}: a reassignment cannot remove every replica`);
}

/** Whether a reassignment of `p` is in progress. */
export function isReassigning(p: PartitionState): boolean {
  return (p.addingReplicas?.length ?? 0) > 0 || (p.removingReplicas?.length ?? 0) > 0;
}

/** The replicas a reassignment of `p` moves to (its replicas when none runs). */
export function targetReplicas(p: PartitionState): number[] {
  const removing = p.removingReplicas ?? [];
  return p.replicas.filter((b) => !removing.includes(b));
}

export function partitionOf(image: MetadataImage, topic: string, partition: number): PartitionState | undefined {
  return image.topics.get(topic)?.partitions[partition];
}

export function isLive(image: MetadataImage, brokerId: number): boolean {
  return image.liveBrokers.some((b) => b.id === brokerId);
}
