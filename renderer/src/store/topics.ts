import type { StateCreator } from 'zustand';
import type { CommandArgs } from '../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../engine/api/errors';
import { toErrorData } from '../api';
import { api, type StoreState } from './index';

/** The tabs of a topic's detail panel. */
export type TopicTab = 'overview' | 'log' | 'replication' | 'compaction' | 'configs';

export interface TopicsSlice {
  selectedTopic: string | null;
  /** The partition the log strip, replication timeline and compaction tabs show. */
  selectedPartition: number;
  topicTab: TopicTab;
  selectTopic(name: string | null): void;
  selectPartition(partition: number): void;
  setTopicTab(tab: TopicTab): void;
  /** Resolves to null on success, or the error to show next to its field. */
  createTopic(args: CommandArgs<'createTopic'>): Promise<WorkbenchErrorData | null>;
  deleteTopic(name: string): Promise<WorkbenchErrorData | null>;
}

export const createTopicsSlice: StateCreator<StoreState, [], [], TopicsSlice> = (set, get) => ({
  selectedTopic: null,
  selectedPartition: 0,
  topicTab: 'overview',
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
});
