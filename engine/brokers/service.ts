/**
 * The cluster & faults service (engine/api/brokers): the cluster view (brokers with
 * their state and listener, topics with their partitions, leaders, ISR and offsets)
 * and the faults a person injects — crash (kill), clean stop, restart, cut off from
 * the other brokers and the controller quorum, heal; the broker configs; and where
 * partitions live (move replicas, cancel a move, elect preferred leaders); what each
 * broker's log directory holds (describeLogDirs: replica sizes and lag, as DescribeLogDirs).
 *
 * Parts:
 *   cluster-view.ts   brokers and topics as the contract shows them, built per snapshot
 *   placement.ts      reassignment and preferred-leader election, through the controller
 *   broker-configs.ts broker configs with their sources; cluster-wide dynamic defaults
 *
 * `getCluster` answers with the whole snapshot, assembled by the composition root from
 * every domain's section. Each fault returns the broker's view right after it and marks
 * the snapshot changed.
 *
 * Offers the other services one port: a topic as the cluster view shows it
 * (TopicViews, for the topic a create returns).
 */
import type { BrokerView, ClusterSnapshot, TopicView } from '../api/contract';
import type { BROKERS_COMMAND_NAMES } from '../api/brokers/names';
import type { EngineCommands } from '../api/dispatch';
import { WorkbenchError } from '../api/errors';
import type { Broker } from '../cluster/broker';
import type { MetadataImage, TopicImage } from '../cluster/metadata-image';
import type { ClusterControl, ClusterState, ControllerPort, KafkaListeners, TopicViews } from '../ports';
import type { Clock } from '../util/clock';
import { alterBrokerDefaultConfigs, describeBrokerConfigsOf } from './broker-configs';
import { replicaLogDirEntries } from '../cluster/log-dirs';
import { brokerDataDir, brokerView, topicView } from './cluster-view';
import { Placement } from './placement';

export type BrokersCommandName = Exclude<(typeof BROKERS_COMMAND_NAMES)[number], 'restartEngine'>;
export type BrokersHandlers = Pick<EngineCommands, BrokersCommandName>;

export interface BrokersDeps {
  cluster: ClusterControl;
  listeners: KafkaListeners;
  /** The whole snapshot, every domain's section included (assembled by the composition root). */
  snapshot: () => ClusterSnapshot;
  /** Something the snapshot shows changed. */
  changed: () => void;
  /** The engine's data directory (brokers keep their logs in <dataDir>/broker-<id>). */
  dataDir: string;
  /** For broker configs and placement: the cluster's images, and the controller that changes them. */
  state: ClusterState;
  controller: ControllerPort;
  clock: Clock;
}

export class BrokersService implements TopicViews {
  readonly commands: BrokersHandlers;

  constructor(private readonly deps: BrokersDeps) {
    const cluster = deps.cluster;
    const placement = new Placement({ cluster: deps.state, controller: deps.controller, changed: deps.changed });
    this.commands = {
      reassignPartition: (a) => placement.reassign(a.topic, a.partition, a.replicas),
      cancelReassignment: (a) => placement.cancel(a.topic, a.partition),
      electPreferredLeaders: (a) => placement.electPreferred(a.topic, a.partition),
      getCluster: () => deps.snapshot(),
      listClients: () => ({ listening: deps.listeners.enabled, clients: deps.listeners.clients() }),
      killBroker: (a) => {
        this.requireBroker(a.brokerId).kill();
        return this.brokerResult(a.brokerId);
      },
      stopBroker: async (a) => {
        const b = this.requireBroker(a.brokerId);
        await new Promise<void>((resolve) => b.stop(resolve));
        return this.brokerResult(a.brokerId);
      },
      restartBroker: (a) => {
        this.requireBroker(a.brokerId);
        cluster.restart(a.brokerId);
        return this.brokerResult(a.brokerId);
      },
      cutBroker: (a) => {
        this.requireBroker(a.brokerId);
        cluster.cut(a.brokerId);
        return this.brokerResult(a.brokerId);
      },
      healBroker: (a) => {
        this.requireBroker(a.brokerId);
        cluster.heal(a.brokerId);
        return this.brokerResult(a.brokerId);
      },
      describeBrokerConfigs: (a) => {
        this.requireBroker(a.brokerId);
        return describeBrokerConfigsOf(deps, a.brokerId);
      },
      describeLogDirs: (a) => {
        const b = this.requireBroker(a.brokerId);
        const replicas = replicaLogDirEntries(b).sort((x, y) => y.sizeBytes - x.sizeBytes);
        return { brokerId: b.id, logDir: brokerDataDir(deps.dataDir, b.id), online: b.replicaManager !== null, totalBytes: replicas.reduce((s, r) => s + r.sizeBytes, 0), replicas };
      },
      alterBrokerDefaultConfigs: async (a) => {
        const result = await alterBrokerDefaultConfigs(deps, a);
        deps.changed();
        return result;
      },
    };
  }

  /** The cluster view's part of a snapshot: the cluster id is added by the composition root. */
  view(): { controllerId: number | null; brokers: BrokerView[]; topics: TopicView[] } {
    const cluster = this.deps.cluster;
    const image = cluster.latestImage();
    return {
      controllerId: cluster.activeController()?.id ?? null,
      brokers: cluster.brokers.map((b) => this.brokerViewOf(b.id, image)),
      topics: image ? [...image.topics.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((t) => this.topicView(t)) : [],
    };
  }

  topicView(t: TopicImage): TopicView {
    return topicView(t, this.deps.cluster);
  }

  private brokerResult(id: number): BrokerView {
    this.deps.changed();
    return this.brokerViewOf(id, this.deps.cluster.latestImage());
  }

  private brokerViewOf(id: number, image: MetadataImage | null): BrokerView {
    return brokerView(this.deps.cluster.broker(id), this.deps.cluster, image, this.deps.listeners.state(id), this.deps.dataDir);
  }

  private requireBroker(id: number): Broker {
    const count = this.deps.cluster.brokers.length;
    if (id < 1 || id > count) {
      throw new WorkbenchError('BROKER_NOT_AVAILABLE', `There is no broker ${id}; this cluster has brokers 1 to ${count}.`, 'brokerId');
    }
    return this.deps.cluster.broker(id);
  }
}
