import type { StateCreator } from 'zustand';
import type { StoreState } from './index';

export type ViewName = 'cluster' | 'topics';

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
