/**
 * Consumer groups: the selected group and its detail (refreshed while shown), its lag
 * history (lag-series.ts, pulled as the engine samples it), offset reset preview and
 * apply, delete, and the built-in consumers. Group summaries and consumers themselves
 * come with every snapshot (snapshot.groups).
 */
import type { StateCreator } from 'zustand';
import type { CommandArgs, GroupDetail, ResetPreview } from '../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../engine/api/errors';
import { toErrorData } from '../errors';
import { lagSeries } from './groups/lag-series';
import { api } from './api';
import type { StoreState } from './index';

export interface GroupsSlice {
  groupSelected: string | null;
  groupDetail: GroupDetail | null;
  groupDetailError: WorkbenchErrorData | null;
  /** Grows when lagSeries has new samples (the chart redraws; nothing re-renders). */
  lagVersion: number;
  groupPreview: ResetPreview | null;
  groupPreviewError: WorkbenchErrorData | null;
  groupApplied: string | null;

  groupSelect(groupId: string | null): void;
  groupRefresh(): Promise<void>;
  groupPullLag(): Promise<void>;
  groupPreviewReset(args: CommandArgs<'previewResetOffsets'>): Promise<void>;
  groupApplyReset(): Promise<WorkbenchErrorData | null>;
  groupClearPreview(): void;
  groupDelete(groupId: string): Promise<WorkbenchErrorData | null>;
  consumerStart(args: CommandArgs<'startConsumer'>): Promise<WorkbenchErrorData | null>;
  consumerUpdate(consumerId: string, processingDelayMs: number): Promise<WorkbenchErrorData | null>;
  consumerStop(consumerId: string): Promise<WorkbenchErrorData | null>;
}

let lagPull: Promise<void> | null = null;

export const createGroupsSlice: StateCreator<StoreState, [], [], GroupsSlice> = (set, get) => ({
  groupSelected: null,
  groupDetail: null,
  groupDetailError: null,
  lagVersion: 0,
  groupPreview: null,
  groupPreviewError: null,
  groupApplied: null,

  groupSelect(groupId) {
    if (groupId === get().groupSelected) return;
    lagSeries.reset(groupId);
    set({ groupSelected: groupId, groupDetail: null, groupDetailError: null, groupPreview: null, groupPreviewError: null, groupApplied: null, lagVersion: get().lagVersion + 1 });
    if (groupId !== null) {
      void get().groupRefresh();
      void get().groupPullLag();
    }
  },

  async groupRefresh() {
    const groupId = get().groupSelected;
    if (groupId === null) return;
    try {
      const detail = await api().describeGroup({ groupId });
      if (get().groupSelected === groupId) set({ groupDetail: detail, groupDetailError: null });
    } catch (err) {
      if (get().groupSelected === groupId) set({ groupDetailError: toErrorData(err) });
    }
  },

  async groupPullLag() {
    if (lagPull) return lagPull;
    lagPull = (async () => {
      const groupId = get().groupSelected;
      if (groupId === null) return;
      try {
        const h = await api().groupLagHistory({ groupId, ...(lagSeries.lastSeq > 0 ? { afterSeq: lagSeries.lastSeq } : {}) });
        if (lagSeries.groupId === groupId && lagSeries.append(h)) set({ lagVersion: get().lagVersion + 1 });
      } catch {
        // The group may be gone (deleted); its detail says so.
      }
    })().finally(() => {
      lagPull = null;
    });
    return lagPull;
  },

  async groupPreviewReset(args) {
    try {
      const preview = await api().previewResetOffsets(args);
      set({ groupPreview: preview, groupPreviewError: null, groupApplied: null });
    } catch (err) {
      set({ groupPreview: null, groupPreviewError: toErrorData(err), groupApplied: null });
    }
  },

  async groupApplyReset() {
    const preview = get().groupPreview;
    if (!preview) return null;
    try {
      const r = await api().resetOffsets({ groupId: preview.groupId, offsets: preview.rows.map((row) => ({ topic: row.topic, partition: row.partition, offset: row.newOffset })) });
      set({ groupPreview: null, groupPreviewError: null, groupApplied: `Committed ${r.partitions.length} offset${r.partitions.length === 1 ? '' : 's'} for group "${r.groupId}".` });
      await get().groupRefresh();
      return null;
    } catch (err) {
      const e = toErrorData(err);
      set({ groupPreviewError: e });
      return e;
    }
  },

  groupClearPreview() {
    set({ groupPreview: null, groupPreviewError: null });
  },

  async groupDelete(groupId) {
    try {
      await api().deleteGroup({ groupId });
      if (get().groupSelected === groupId) get().groupSelect(null);
      await get().refreshCluster();
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },

  async consumerStart(args) {
    try {
      await api().startConsumer(args);
      await get().refreshCluster();
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },

  async consumerUpdate(consumerId, processingDelayMs) {
    try {
      await api().updateConsumer({ consumerId, processingDelayMs });
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },

  async consumerStop(consumerId) {
    try {
      await api().stopConsumer({ consumerId });
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },
});
