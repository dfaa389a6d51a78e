/**
 * The topics slice (engine/api/topics): the selected topic, partition and tab of the
 * Topics view; creating, validating and deleting topics; and the calls behind the
 * topic tabs (configs, the partition log strip, compaction).
 *
 * Actions that change what the store keeps resolve to the error to show, or null.
 * Actions that load something for an open view (`load…`) or run one step a view asked
 * for resolve to the engine's answer and throw its error, which the view shows beside
 * the control it concerns.
 */
import type { StateCreator } from 'zustand';
import type { AlterTopicConfigsResult, CleanNowResult, CommandArgs, CompactionStatusResult, PartitionLogResult, TopicConfigsResult, WriteDuplicateKeysResult } from '../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../engine/api/errors';
import { toErrorData } from '../errors';
import { api } from './api';
import type { StoreState } from './index';

/** The tabs of a topic's detail panel. */
export type TopicTab = 'overview' | 'log' | 'replication' | 'compaction' | 'configs';

export interface TopicsSlice {
  selectedTopic: string | null;
  /** The partition the log strip, replication timeline and compaction tabs show. */
  selectedPartition: number;
  topicTab: TopicTab;
  /** Whether the topic list also shows the brokers' own topics (__consumer_offsets). */
  showInternalTopics: boolean;
  setShowInternalTopics(show: boolean): void;
  selectTopic(name: string | null): void;
  selectPartition(partition: number): void;
  setTopicTab(tab: TopicTab): void;
  /** Resolves to null on success, or the error to show next to its field. */
  createTopic(args: CommandArgs<'createTopic'>): Promise<WorkbenchErrorData | null>;
  /** Kafka's verdict on a topic as it is typed (CreateTopics with validateOnly); creates nothing. */
  validateTopic(args: CommandArgs<'createTopic'>): Promise<WorkbenchErrorData | null>;
  deleteTopic(name: string): Promise<WorkbenchErrorData | null>;
  /** Grows a topic to `partitions` partitions; resolves to null, or the error to show next to its field. */
  addPartitions(topic: string, partitions: number): Promise<WorkbenchErrorData | null>;

  loadTopicConfigs(topic: string): Promise<TopicConfigsResult>;
  alterTopicConfigs(args: CommandArgs<'alterTopicConfigs'>): Promise<AlterTopicConfigsResult>;
  loadPartitionLog(topic: string, partition: number): Promise<PartitionLogResult>;
  loadCompaction(topic: string, partition: number): Promise<CompactionStatusResult>;
  writeDuplicateKeys(args: CommandArgs<'writeDuplicateKeys'>): Promise<WriteDuplicateKeysResult>;
  cleanNow(topic: string, partition: number): Promise<CleanNowResult>;
}

export const createTopicsSlice: StateCreator<StoreState, [], [], TopicsSlice> = (set, get) => ({
  selectedTopic: null,
  selectedPartition: 0,
  topicTab: 'overview',
  showInternalTopics: false,
  setShowInternalTopics(showInternalTopics) {
    set({ showInternalTopics });
  },
  selectTopic(name) {
    set({ selectedTopic: name, selectedPartition: 0 });
  },
  selectPartition(partition) {
    set({ selectedPartition: partition });
  },
  setTopicTab(topicTab) {
    set({ topicTab });
  },
  async createTopic(args) {
    try {
      await api().createTopic(args);
      await get().refreshCluster();
      if (!args.validateOnly) get().selectTopic(args.name);
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },
  async validateTopic(args) {
    try {
      await api().createTopic({ ...args, validateOnly: true });
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },
  async addPartitions(topic, partitions) {
    try {
      await api().addPartitions({ topic, partitions });
      await get().refreshCluster();
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },
  async deleteTopic(name) {
    try {
      await api().deleteTopic({ name });
      if (get().selectedTopic === name) set({ selectedTopic: null });
      await get().refreshCluster();
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },

  loadTopicConfigs: (topic) => api().describeTopicConfigs({ topic }),
  alterTopicConfigs: (args) => api().alterTopicConfigs(args),
  loadPartitionLog: (topic, partition) => api().partitionLog({ topic, partition }),
  loadCompaction: (topic, partition) => api().compactionStatus({ topic, partition }),
  writeDuplicateKeys: (args) => api().writeDuplicateKeys(args),
  cleanNow: (topic, partition) => api().cleanNow({ topic, partition }),
});
