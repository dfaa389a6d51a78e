/**
 * The topics & configs service (engine/api/topics): creating and deleting topics
 * through the controller, their configs, a partition's log as the log strip shows it,
 * and compaction made watchable (the cleaner's sections, duplicate keys, clean now).
 * The composition root routes the topics commands to `commands`; topics themselves
 * reach the UI in every snapshot through the cluster view.
 *
 * Parts, one concept per file:
 *   configs.ts         describe / alter topic configs through the controller
 *   partition-log.ts   the partition log strip (segments, offsets, committed offsets)
 *   compaction.ts      cleaner sections, runs, duplicate keys, clean now
 *
 * Create and delete go to the active controller as Kafka's CreateTopics and
 * DeleteTopics do; a create returns once the topic is in the metadata image and every
 * partition's leader knows it leads (so the next produce finds it), waiting at most
 * READY_TIMEOUT_MS.
 *
 * Invariant: a refused command changes nothing (the controller validates before it
 * applies).
 */
import type { ParsedArgs, TopicView } from '../api/contract';
import type { EngineCommands } from '../api/dispatch';
import { WorkbenchError } from '../api/errors';
import type { TOPICS_COMMAND_NAMES } from '../api/topics/names';
import type * as M from '../cluster/messages';
import { NO_LEADER, type MetadataImage } from '../cluster/metadata-image';
import type { ClusterState, ControllerPort, GroupOffsets, LeaderIo, ReplicaLogs, StorageHistory, TopicViews } from '../ports';
import { ErrorCode, errorName } from '../protocol/errors';
import type { Clock } from '../util/clock';
import { cleanNow, compactionStatus, writeDuplicateKeys } from './compaction';
import { alterTopicConfigs, describeTopicConfigs } from './configs';
import { partitionLog } from './partition-log';

export type TopicsCommandName = (typeof TOPICS_COMMAND_NAMES)[number];
export type TopicsHandlers = Pick<EngineCommands, TopicsCommandName>;

/** How long a create waits for the cluster to publish and lead the new topic. */
const READY_TIMEOUT_MS = 15_000;

export interface TopicsDeps {
  cluster: ClusterState;
  controller: ControllerPort;
  io: LeaderIo;
  replicas: ReplicaLogs;
  /** Recent retention deletions and cleaner runs (the metrics service). */
  history: StorageHistory;
  /** Committed offsets of groups on a partition (the groups service). */
  groups: GroupOffsets;
  /** A created topic as the cluster view shows it (the cluster & faults service). */
  views: TopicViews;
  clock: Clock;
  /** Something the snapshot shows changed. */
  changed: () => void;
}

export class TopicsService {
  readonly commands: TopicsHandlers;

  constructor(private readonly deps: TopicsDeps) {
    this.commands = {
      createTopic: (a) => this.createTopic(a),
      deleteTopic: (a) => this.deleteTopic(a),
      addPartitions: (a) => this.addPartitions(a),
      describeTopicConfigs: (a) => describeTopicConfigs(deps, a),
      alterTopicConfigs: (a) => alterTopicConfigs(deps, a),
      partitionLog: (a) => partitionLog(deps, a),
      compactionStatus: (a) => compactionStatus(deps, a),
      writeDuplicateKeys: (a) => writeDuplicateKeys(deps, a),
      cleanNow: (a) => cleanNow(deps, a),
    };
  }

  async createTopic(args: ParsedArgs<'createTopic'>): Promise<TopicView> {
    const req: M.CreateTopicsRequest = {
      type: 'create-topics',
      validateOnly: args.validateOnly ?? false,
      topics: [{ name: args.name, numPartitions: args.partitions, replicationFactor: args.replicationFactor, assignments: null, configs: args.configs ?? {} }],
    };
    const res = await this.deps.controller.controllerRequest<M.CreateTopicsResponse>(req);
    const r = res.results[0];
    if (r.errorCode !== ErrorCode.NONE) throw topicError(r.errorCode, r.errorMessage, args.name, this.deps.cluster.brokerCount);
    if (args.validateOnly) {
      return { name: args.name, internal: false, replicationFactor: r.replicationFactor, configs: r.configs, partitionCount: r.numPartitions, partitions: [], sizeBytes: 0, underReplicated: 0, offline: 0 };
    }
    const image = await this.waitForImage((img) => img.topics.has(args.name));
    await this.waitUntil(() => this.leadersReady(args.name));
    this.deps.changed();
    return this.deps.views.topicView(image.topics.get(args.name)!);
  }

  async deleteTopic(args: ParsedArgs<'deleteTopic'>): Promise<{ name: string }> {
    const res = await this.deps.controller.controllerRequest<M.DeleteTopicsResponse>({ type: 'delete-topics', names: [args.name] });
    const r = res.results[0];
    if (r.errorCode !== ErrorCode.NONE) throw topicError(r.errorCode, r.errorMessage, args.name, this.deps.cluster.brokerCount, 'name');
    this.deps.changed();
    return { name: args.name };
  }

  async addPartitions(args: ParsedArgs<'addPartitions'>): Promise<TopicView> {
    const before = this.deps.cluster.image()?.topics.get(args.topic);
    if (!before || before.internal) throw topicError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null, args.topic, this.deps.cluster.brokerCount, 'topic');
    if (args.partitions <= before.partitions.length) {
      throw new WorkbenchError('INVALID_PARTITIONS', `"${args.topic}" has ${before.partitions.length} partition${before.partitions.length === 1 ? '' : 's'}; a topic can only grow, so ask for more than ${before.partitions.length}.`, 'partitions');
    }
    const res = await this.deps.controller.controllerRequest<M.CreatePartitionsResponse>({
      type: 'create-partitions',
      topics: [{ name: args.topic, count: args.partitions, assignments: null }],
      validateOnly: false,
    });
    const r = res.results[0];
    if (r.errorCode !== ErrorCode.NONE) throw topicError(r.errorCode, r.errorMessage, args.topic, this.deps.cluster.brokerCount, 'topic');
    const image = await this.waitForImage((img) => img.topics.get(args.topic)?.partitions.length === args.partitions);
    await this.waitUntil(() => this.leadersReady(args.topic));
    this.deps.changed();
    return this.deps.views.topicView(image.topics.get(args.topic)!);
  }

  /** Every partition of the topic is led by a broker that knows it leads it. */
  private leadersReady(topic: string): boolean {
    const t = this.deps.cluster.image()?.topics.get(topic);
    if (!t) return false;
    return t.partitions.every((p) => p.leader === NO_LEADER || this.deps.replicas.replica(p.leader, topic, p.partition)?.isLeader === true);
  }

  private async waitUntil(pred: () => boolean): Promise<void> {
    const deadline = this.deps.clock.monotonicMs() + READY_TIMEOUT_MS;
    while (!pred()) {
      if (this.deps.clock.monotonicMs() > deadline) throw new WorkbenchError('REQUEST_TIMED_OUT', 'The cluster did not apply the change in time. Check that the brokers are up.');
      await this.deps.io.sleep(10);
    }
  }

  private waitForImage(pred: (img: MetadataImage) => boolean): Promise<MetadataImage> {
    return new Promise((resolve, reject) => {
      const deadline = this.deps.clock.monotonicMs() + READY_TIMEOUT_MS;
      const check = () => {
        const img = this.deps.cluster.image();
        if (img && pred(img)) return resolve(img);
        if (this.deps.clock.monotonicMs() > deadline) return reject(new WorkbenchError('REQUEST_TIMED_OUT', 'The cluster did not publish the change in time.'));
        this.deps.clock.setTimer(20, check);
      };
      check();
    });
  }
}

/** A controller's topic refusal as the contract's error, on the field it concerns. */
function topicError(code: number, message: string | null, name: string, brokers: number, nameField = 'name'): WorkbenchError {
  const text = message ?? errorName(code);
  switch (code) {
    case ErrorCode.TOPIC_ALREADY_EXISTS:
      return new WorkbenchError('TOPIC_ALREADY_EXISTS', `Topic "${name}" already exists. Pick another name, or delete the existing topic first.`, nameField);
    case ErrorCode.INVALID_TOPIC_EXCEPTION:
      return new WorkbenchError('INVALID_TOPIC_EXCEPTION', text, nameField);
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
      return new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${name}" does not exist.`, nameField);
    case ErrorCode.INVALID_PARTITIONS:
      return new WorkbenchError('INVALID_PARTITIONS', text, 'partitions');
    case ErrorCode.INVALID_REPLICATION_FACTOR:
      return new WorkbenchError('INVALID_REPLICATION_FACTOR', `${text} Use at most ${brokers}, and only as many as there are brokers up.`, 'replicationFactor');
    case ErrorCode.INVALID_CONFIG:
      return new WorkbenchError('INVALID_CONFIG', text, 'configs');
    default:
      return new WorkbenchError('INVALID_REQUEST', text);
  }
}
