/**
 * The renderer's one store: one slice per domain of the contract (brokers, topics,
 * records — produce and browse —, groups, lessons) plus the ui slice. The metrics histories
 * for the charts are kept beside it (metrics.ts), fed by one transient subscription
 * installed here, before any chart subscribes.
 *
 * Server state has one pattern: a slice's actions call the contract (store/api.ts)
 * and keep what the views show, or hand a view the answer of a call it asked for;
 * views and components call actions, never the API.
 *
 * Components read the store through selectors (`useStore(s => s.x)`, `useShallow`
 * where a selector builds an object) so a snapshot only re-renders what changed.
 */
import { create } from 'zustand';
import { api } from './api';
import { createBrokersSlice, type BrokersSlice } from './brokers';
import { createGroupsSlice, type GroupsSlice } from './groups';
import { createLessonsSlice, type LessonsSlice } from './lessons';
import { startHistory } from './metrics';
import { createBrowseSlice, type BrowseSlice } from './records/browse';
import { createProduceSlice, type ProduceSlice } from './records/produce';
import { createTopicsSlice, type TopicsSlice } from './topics';
import { createUiSlice, type UiSlice } from './ui';

export type StoreState = BrokersSlice & TopicsSlice & ProduceSlice & BrowseSlice & GroupsSlice & LessonsSlice & UiSlice;

export const useStore = create<StoreState>()((...a) => ({
  ...createBrokersSlice(...a),
  ...createTopicsSlice(...a),
  ...createProduceSlice(...a),
  ...createBrowseSlice(...a),
  ...createGroupsSlice(...a),
  ...createLessonsSlice(...a),
  ...createUiSlice(...a),
}));

// The event feed follows the engine's history journal through the contract.
startHistory(useStore, (after) => api().clusterEvents({ after }));
