import type { StateCreator } from 'zustand';
import type { CommandArgs } from '../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../engine/api/errors';
import { toErrorData } from '../api';
import { api, type StoreState } from './index';

export interface TopicsSlice {
  selectedTopic: string | null;
  selectTopic(name: string | null): void;
  /** Resolves to null on success, or the error to show next to its field. */
  createTopic(args: CommandArgs<'createTopic'>): Promise<WorkbenchErrorData | null>;
  deleteTopic(name: string): Promise<WorkbenchErrorData | null>;
}

export const createTopicsSlice: StateCreator<StoreState, [], [], TopicsSlice> = (set, get) => ({
  selectedTopic: null,
  selectTopic(name) {
    set({ selectedTopic: name });
    if (name !== null) get().openPartition(name, 0);
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
