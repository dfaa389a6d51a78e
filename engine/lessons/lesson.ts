/**
 * What a lesson is: data. One file per lesson under content/ holds its text, its
 * steps, the names of the checks that watch each step and the view and element to
 * highlight; adding a lesson is adding a file and one line in content/index.ts.
 *
 * A step is one action and one live check. The action can be done in the app or
 * with the learner's own client (the guide's Python, the `npx kafka-*` tools, kcat):
 * `code` shows what to type, with `{bootstrap}` replaced by the cluster's address.
 * A step may open with a prediction, a question answered by what then happens; the
 * check is armed when the step becomes current and never passes before that (see
 * checks.ts), so the prediction is made before the cluster shows the answer.
 *
 * Invariants (checked by `validateLesson` when the catalogue loads): ids are unique
 * and kebab-case; every step names a known check with parameters of the right shape;
 * a lesson's checks only name topics and groups the lesson owns (it sets up and
 * resets only those, so the learner's other data is never touched).
 */
import type { HighlightView } from '../api/contract';
import type { CheckName, CheckParams } from './checks';

/** Where the lesson pane points: a view of the app and, optionally, one element in it. */
export interface Highlight {
  view: HighlightView;
  /** A data-lesson-target in that view ("broker-card-leader", "partition-row", "segment-strip", …). */
  target?: string;
  /** For targets that need one: the topic to open in that view. */
  topic?: string;
}

/** A snippet to copy: the guide's code or a command, runnable as shown. */
export interface CodeSample {
  language: 'python' | 'shell';
  /** `{bootstrap}` is replaced by the cluster's bootstrap servers (first broker, as the guide writes it). */
  text: string;
  /** One line on what it needs ("kafka-python installed", "from the project folder"). */
  note?: string;
}

export interface Prediction {
  question: string;
  options: string[];
  /** Index into options of what the cluster will show. */
  answer: number;
  /** Said after the check passes, whatever was picked. */
  explanation: string;
}

/** A check by name with the parameters of that check (a discriminated union over the catalogue). */
export type StepCheck = { [K in CheckName]: { name: K; params: CheckParams<K> } }[CheckName];

export interface LessonStep {
  id: string;
  title: string;
  /** What to do and why, in a few sentences of our own words. */
  text: string;
  /** The same done with code, when the step can be done that way. */
  code?: CodeSample[];
  highlight?: Highlight;
  prediction?: Prediction;
  check: StepCheck;
  /** Offered after a while (or on request), one at a time. */
  hints: string[];
  /** Said when the check passes: what just happened, in Kafka's terms. */
  done: string;
}

/** What a lesson creates for itself before its first step (and deletes on reset). */
export interface LessonTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs?: Record<string, string>;
  /**
   * 'setup': created at start; 'learner': the learner creates it in a step (it is
   * deleted at start so the step starts from nothing).
   */
  createdBy: 'setup' | 'learner';
  /** Records written at setup (a topic to read from): `{i}` in the templates is the record's number. */
  seed?: { records: number; value: string; key?: string };
}

export interface Lesson {
  /** Kebab-case, stable: progress is stored under it. */
  id: string;
  /** 1-based position in the guide's order. */
  number: number;
  title: string;
  /** The guide's section it makes hands-on. */
  guideSection: string;
  /** One sentence: what the learner will have done. */
  summary: string;
  /** Every topic the lesson touches; it owns them. */
  topics: LessonTopic[];
  /** Consumer groups it owns (deleted on reset). */
  groups: string[];
  steps: LessonStep[];
}

/** Every step's check must name only the lesson's own topics and groups. */
export function ownedNames(lesson: Lesson): { topics: Set<string>; groups: Set<string> } {
  return { topics: new Set(lesson.topics.map((t) => t.name)), groups: new Set(lesson.groups) };
}
