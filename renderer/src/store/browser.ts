import type { StateCreator } from 'zustand';
import type { CommandArgs, MessageView, ProduceResult } from '../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../engine/api/errors';
import { toErrorData } from '../api';
import { api, type StoreState } from './index';

/** How many records the partition list asks for at a time. */
export const PAGE_RECORDS = 200;

export interface BrowserSlice {
  browserTopic: string | null;
  browserPartition: number;
  records: MessageView[];
  highWatermark: number;
  logStartOffset: number;
  browserError: WorkbenchErrorData | null;
  openPartition(topic: string, partition: number): void;
  /** Reads the newest page of the open partition. */
  reloadRecords(): Promise<void>;
  produce(args: CommandArgs<'produce'>): Promise<{ ok: ProduceResult } | { error: WorkbenchErrorData }>;
}

export const createBrowserSlice: StateCreator<StoreState, [], [], BrowserSlice> = (set, get) => ({
  browserTopic: null,
  browserPartition: 0,
  records: [],
  highWatermark: 0,
  logStartOffset: 0,
  browserError: null,
  openPartition(topic, partition) {
    set({ browserTopic: topic, browserPartition: partition, records: [], browserError: null });
    void get().reloadRecords();
  },
  async reloadRecords() {
    const { browserTopic: topic, browserPartition: partition } = get();
    if (topic === null) return;
    try {
      const first = await api().readMessages({ topic, partition, fromOffset: 0, maxRecords: 1 });
      const from = Math.max(first.logStartOffset, first.highWatermark - PAGE_RECORDS);
      const page = await api().readMessages({ topic, partition, fromOffset: from, maxRecords: PAGE_RECORDS });
      if (get().browserTopic !== topic || get().browserPartition !== partition) return;
      set({ records: page.records, highWatermark: page.highWatermark, logStartOffset: page.logStartOffset, browserError: null });
    } catch (err) {
      set({ browserError: toErrorData(err) });
    }
  },
  async produce(args) {
    try {
      const ok = await api().produce(args);
      const { browserTopic, browserPartition } = get();
      if (browserTopic === ok.topic && browserPartition !== ok.partition) get().openPartition(ok.topic, ok.partition);
      else await get().reloadRecords();
      return { ok };
    } catch (err) {
      return { error: toErrorData(err) };
    }
  },
});
