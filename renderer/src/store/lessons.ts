/**
 * The lessons slice (engine/api/lessons): the lesson catalogue (loaded once; texts and
 * code samples with the cluster's address), and the actions that start, answer, hint,
 * leave and reset lessons. Where the learner is comes with every snapshot
 * (`snapshot.lessons`), so the pane follows the engine's checks without asking.
 *
 * Actions that change the lesson resolve to the error to show, or null.
 */
import type { StateCreator } from 'zustand';
import type { LessonCatalogue } from '../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../engine/api/errors';
import { toErrorData } from '../errors';
import { api } from './api';
import type { StoreState } from './index';

export interface LessonsSlice {
  lessonCatalogue: LessonCatalogue | null;
  /** The Learn view was opened first once already (the start-up choice is made once). */
  learnFirstApplied: boolean;
  loadLessons(): Promise<WorkbenchErrorData | null>;
  startLesson(lessonId: string, from?: 'resume' | 'beginning'): Promise<WorkbenchErrorData | null>;
  answerPrediction(lessonId: string, stepId: string, choice: number): Promise<WorkbenchErrorData | null>;
  showHint(lessonId: string, stepId: string): Promise<WorkbenchErrorData | null>;
  leaveLesson(): Promise<WorkbenchErrorData | null>;
  resetLesson(lessonId: string): Promise<WorkbenchErrorData | null>;
  dismissLearn(): Promise<WorkbenchErrorData | null>;
  applyLearnFirst(): void;
}

async function attempt(call: () => Promise<unknown>): Promise<WorkbenchErrorData | null> {
  try {
    await call();
    return null;
  } catch (err) {
    return toErrorData(err);
  }
}

export const createLessonsSlice: StateCreator<StoreState, [], [], LessonsSlice> = (set, get) => ({
  lessonCatalogue: null,
  learnFirstApplied: false,
  async loadLessons() {
    if (get().lessonCatalogue) return null;
    return attempt(async () => set({ lessonCatalogue: await api().listLessons({}) }));
  },
  startLesson(lessonId, from) {
    return attempt(async () => {
      await api().startLesson({ lessonId, ...(from ? { from } : {}) });
      await get().refreshCluster();
    });
  },
  answerPrediction(lessonId, stepId, choice) {
    return attempt(async () => {
      await api().answerPrediction({ lessonId, stepId, choice });
      await get().refreshCluster();
    });
  },
  showHint(lessonId, stepId) {
    return attempt(async () => {
      await api().showHint({ lessonId, stepId });
      await get().refreshCluster();
    });
  },
  leaveLesson() {
    return attempt(async () => {
      await api().leaveLesson({});
      await get().refreshCluster();
    });
  },
  resetLesson(lessonId) {
    return attempt(async () => {
      await api().resetLesson({ lessonId });
      await get().refreshCluster();
    });
  },
  dismissLearn() {
    return attempt(async () => {
      await api().dismissLearn({});
      await get().refreshCluster();
    });
  },
  applyLearnFirst() {
    if (get().learnFirstApplied) return;
    set({ learnFirstApplied: true });
    if (get().snapshot?.lessons.learnFirst) get().setView('learn');
  },
});
