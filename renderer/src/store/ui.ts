/** The ui slice: which main view is open, and the views in navigation order. */
import type { StateCreator } from 'zustand';
import type { StoreState } from './index';

export type ViewName = 'cluster' | 'topics' | 'produce' | 'messages' | 'groups' | 'learn' | 'clients';

/** The main views in navigation order; Ctrl/Cmd + 1…7 switches to them. */
export const VIEWS: { view: ViewName; label: string }[] = [
  { view: 'cluster', label: 'Cluster' },
  { view: 'topics', label: 'Topics' },
  { view: 'produce', label: 'Produce' },
  { view: 'messages', label: 'Messages' },
  { view: 'groups', label: 'Groups' },
  { view: 'learn', label: 'Learn' },
  { view: 'clients', label: 'Clients' },
];

export interface UiSlice {
  view: ViewName;
  setView(view: ViewName): void;
}

export const createUiSlice: StateCreator<StoreState, [], [], UiSlice> = (set) => ({
  view: 'cluster',
  setView(view) {
    set({ view });
  },
});
