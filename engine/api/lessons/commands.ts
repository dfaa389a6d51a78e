/**
 * The lessons part of the contract: argument schemas, result types and the snapshot
 * section for guided lessons whose checks watch the real cluster. Merged into the one
 * contract by contract.ts.
 *
 * What travels where: the catalogue (texts, steps, code samples with the cluster's
 * bootstrap address filled in) comes once from `listLessons`; every snapshot carries
 * only the active lesson's position and check state and the count of completed steps
 * per lesson (a few hundred bytes).
 */
import { z } from 'zod';

const lessonId = z.string({ error: 'Choose a lesson.' }).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'A lesson id is kebab-case, e.g. message-delivery.').max(100);
const stepId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'A step id is kebab-case.').max(100);

export const lessonsSchemas = {
  /** The catalogue, in the guide's order, with the bootstrap address filled into code samples. */
  listLessons: z.object({}).strict(),
  /**
   * Starts a lesson at its first step: its own topics and groups are reset (deleted,
   * then created as the lesson sets them up). With 'resume' (the default), asking for the
   * lesson that is already running carries on where it is; 'beginning' always starts over.
   */
  startLesson: z.object({ lessonId, from: z.enum(['resume', 'beginning']).optional() }).strict(),
  /** The learner's prediction for the current step; its check is armed from now on. */
  answerPrediction: z.object({ lessonId, stepId, choice: z.number().int().min(0).max(9) }).strict(),
  /** Shows the next hint of the current step. */
  showHint: z.object({ lessonId, stepId }).strict(),
  /** Stops the active lesson (its topics stay until it is reset or started again). */
  leaveLesson: z.object({}).strict(),
  /** Forgets a lesson's progress and deletes the topics and groups it owns. */
  resetLesson: z.object({ lessonId }).strict(),
  /** The Learn view stops being the first view at start. */
  dismissLearn: z.object({}).strict(),
} satisfies Record<string, z.ZodType>;

// ---------------------------------------------------------------------------
// Results

export type HighlightView = 'cluster' | 'topics' | 'produce' | 'messages' | 'groups';

export interface LessonStepView {
  id: string;
  title: string;
  text: string;
  code: { language: 'python' | 'shell'; text: string; note: string | null }[];
  highlight: { view: HighlightView; target: string | null; topic: string | null } | null;
  prediction: { question: string; options: string[] } | null;
  /** How many hints there are (their text comes with showHint). */
  hintCount: number;
  /** Said once the check passed. */
  done: string;
}

export interface LessonView {
  id: string;
  number: number;
  title: string;
  guideSection: string;
  summary: string;
  /** The topics and groups the lesson owns (reset when it starts). */
  topics: string[];
  groups: string[];
  steps: LessonStepView[];
}

export interface LessonCatalogue {
  lessons: LessonView[];
  /** The address the code samples use (the first broker, as the guide writes it). */
  bootstrap: string;
}

/** Where the learner is in the active lesson. */
export interface ActiveLessonView {
  lessonId: string;
  stepIndex: number;
  stepId: string;
  /** Setting up the lesson's topics (or resetting them): steps wait. */
  settingUp: boolean;
  /** Why setting up failed, with what to do. */
  setupError: string | null;
  /** The step has a prediction the learner has not answered yet: its check is not armed. */
  awaitingPrediction: boolean;
  /** The check of the current step is watching the cluster (since armedAtMs). */
  armed: boolean;
  armedAtMs: number | null;
  /** The check's own words on how far along the learner is. */
  progress: string | null;
  /** The hints shown so far for this step. */
  hints: string[];
  /** The prediction picked for this step, if any. */
  choice: number | null;
  /** The step just completed: what happened, and the prediction's answer. */
  completed: { stepId: string; done: string; prediction: { choice: number | null; answer: number; explanation: string } | null } | null;
  /** Every step is done. */
  finished: boolean;
}

export interface LessonsSnapshot {
  active: ActiveLessonView | null;
  /** Completed steps per lesson id. */
  completedSteps: Record<string, number>;
  /** The Learn view opens first (a fresh data dir, until the learner skips it). */
  learnFirst: boolean;
}

export interface LessonsResults {
  listLessons: LessonCatalogue;
  startLesson: ActiveLessonView;
  answerPrediction: ActiveLessonView;
  showHint: ActiveLessonView;
  leaveLesson: { left: boolean };
  resetLesson: { lessonId: string };
  dismissLearn: { learnFirst: false };
}
