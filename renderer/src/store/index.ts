/**
 * The renderer's one store, built from slices (cluster, topics, produce, ui,
 * messages, groups).
 * Components read it through selectors (`useStore(s => s.x)`, `useShallow` where a
 * selector builds an object) so a snapshot only re-renders what changed. Histories for
 * the charts are kept beside it (history.ts), fed by one transient subscription that
 * is installed here, before any chart subscribes.
 */
import { create } from 'zustand';
import type { WorkbenchApi } from '../../../engine/api/contract';
import { createClusterSlice, type ClusterSlice } from './cluster';
import { createGroupsSlice, type GroupsSlice } from './groups';
import { startHistory } from './history';
import { createMessagesSlice, type MessagesSlice } from './messages';
import { createProduceSlice, type ProduceSlice } from './produce';
import { createTopicsSlice, type TopicsSlice } from './topics';
import { createUiSlice, type UiSlice } from './ui';

export type StoreState = ClusterSlice & TopicsSlice & ProduceSlice & UiSlice & MessagesSlice & GroupsSlice;

let apiRef: WorkbenchApi | null = null;

/** The contract, once `bindApi` has been called at startup. */
export function api(): WorkbenchApi {
  if (!apiRef) throw new Error('the store is used before the API is bound');
  return apiRef;
}

export function bindApi(a: WorkbenchApi): void {
  apiRef = a;
}

export const useStore = create<StoreState>()((...a) => ({
  ...createClusterSlice(...a),
  ...createTopicsSlice(...a),
  ...createProduceSlice(...a),
  ...createUiSlice(...a),
  ...createMessagesSlice(...a),
  ...createGroupsSlice(...a),
}));

startHistory(useStore);
