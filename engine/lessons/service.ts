/**
 * The lessons service (engine/api/lessons): runs one lesson at a time against the real
 * cluster. Parts, one concept per file:
 *   lesson.ts, content/     what a lesson is, and the eleven lessons (data)
 *   catalogue.ts            validation of the catalogue
 *   checks.ts, world.ts     the checks: pure predicates over the cluster as data
 *   world-builder.ts        the cluster as data, from the ports
 *   progress-store.ts       progress in SQLite (lessons.db)
 *
 * A lesson's life: start → set up (its own topics and groups are deleted, the ones it
 * sets up are created and seeded; nothing else is touched) → from the first step (the
 * setup reset what earlier steps built; steps done before stay counted) → for each step: if the
 * step has a prediction, wait for the learner's answer; then arm the check (the world
 * as it is now and the journal's position are remembered) → evaluate the check every
 * EVALUATE_INTERVAL_MS against the world now and the events since arming → when it
 * passes, the step is stored as done and the next one begins → finished.
 *
 * The rule "a check never passes before its action" is kept twice: checks are written
 * relative to the armed state (checks.ts), and arming evaluates the check on the armed
 * state with no events; a check that would pass there is a lesson bug, reported in the
 * log and in the step's progress line instead of being counted as the learner's work.
 *
 * Bounds: one active lesson; one evaluation timer; hints shown at most as many as the
 * step has; the journal read is bounded by the journal itself.
 */
import { WorkbenchError } from '../api/errors';
import type { EngineCommands } from '../api/dispatch';
import type { ActiveLessonView, LessonCatalogue, LessonsSnapshot, LessonView, ParsedArgs } from '../api/contract';
import type { LESSONS_COMMAND_NAMES } from '../api/lessons/names';
import type { BrokerStates, ClusterHistory, ClusterState, GroupStates, ReplicaLogs } from '../ports';
import type { Clock, TimerHandle } from '../util/clock';
import { loadCatalogue } from './catalogue';
import { runCheck } from './checks';
import type { Lesson, LessonStep } from './lesson';
import { ownedNames } from './lesson';
import type { LessonProgressStore } from './progress-store';
import type { CheckContext, LessonWorld } from './world';
import { WorldBuilder } from './world-builder';

export const EVALUATE_INTERVAL_MS = 250;
const LEARN_FIRST_SETTING = 'learn-first';

export type LessonsCommandName = (typeof LESSONS_COMMAND_NAMES)[number];
export type LessonsHandlers = Pick<EngineCommands, LessonsCommandName>;

/** What a lesson's setup may do to topics: the topics service's own commands. */
export interface LessonTopicAdmin {
  createTopic(args: ParsedArgs<'createTopic'>): Promise<unknown> | unknown;
  deleteTopic(args: ParsedArgs<'deleteTopic'>): Promise<unknown> | unknown;
}

/** How a lesson's setup writes seed records: the records service's produce command. */
export interface LessonRecordWriter {
  produce(args: ParsedArgs<'produce'>): Promise<unknown> | unknown;
}

export interface LessonsDeps {
  cluster: ClusterState;
  replicas: Pick<ReplicaLogs, 'replicaLog'>;
  groups: GroupStates;
  history: ClusterHistory;
  states: BrokerStates;
  topics: LessonTopicAdmin;
  records: LessonRecordWriter;
  store: LessonProgressStore;
  /** host:port the code samples use ("localhost:9092", as the guide writes it). */
  bootstrap: () => string;
  /** The data dir was new when the engine started: the Learn view opens first. */
  freshDataDir: boolean;
  clock: Clock;
  changed: () => void;
  log?: (line: string) => void;
}

interface Armed {
  atArm: LessonWorld;
  position: number;
  atMs: number;
}

interface Active {
  lesson: Lesson;
  stepIndex: number;
  settingUp: boolean;
  setupError: string | null;
  armed: Armed | null;
  choice: number | null;
  hintsShown: number;
  progress: string | null;
  completed: ActiveLessonView['completed'];
  finished: boolean;
  /** Bumped when the lesson is left or restarted: a setup still running for an older start stops. */
  generation: number;
}

export class LessonsService {
  readonly commands: LessonsHandlers;
  private readonly lessons: readonly Lesson[];
  private readonly world: WorldBuilder;
  private active: Active | null = null;
  private generation = 0;
  private timer: TimerHandle | null = null;
  private counts: Map<string, number>;
  private closed = false;

  constructor(private readonly deps: LessonsDeps) {
    this.lessons = loadCatalogue();
    this.world = new WorldBuilder({ cluster: deps.cluster, replicas: deps.replicas, groups: deps.groups, states: deps.states, clock: deps.clock });
    if (deps.freshDataDir && deps.store.setting(LEARN_FIRST_SETTING) === undefined) deps.store.setSetting(LEARN_FIRST_SETTING, 'yes');
    this.counts = deps.store.counts();
    this.commands = {
      listLessons: () => this.catalogue(),
      startLesson: (a) => this.start(a.lessonId, a.from ?? 'resume'),
      answerPrediction: (a) => this.answer(a.lessonId, a.stepId, a.choice),
      showHint: (a) => this.hint(a.lessonId, a.stepId),
      leaveLesson: () => {
        const left = this.active !== null;
        this.stop();
        return { left };
      },
      resetLesson: (a) => this.reset(a.lessonId),
      dismissLearn: () => {
        deps.store.setSetting(LEARN_FIRST_SETTING, 'no');
        deps.changed();
        return { learnFirst: false as const };
      },
    };
  }

  // ------------------------------------------------------------------ catalogue

  private catalogue(): LessonCatalogue {
    const bootstrap = this.deps.bootstrap();
    return { bootstrap, lessons: this.lessons.map((l) => lessonView(l, bootstrap)) };
  }

  private lesson(id: string): Lesson {
    const l = this.lessons.find((x) => x.id === id);
    if (!l) throw new WorkbenchError('INVALID_REQUEST', `There is no lesson "${id}". The lessons are: ${this.lessons.map((x) => x.id).join(', ')}.`, 'lessonId');
    return l;
  }

  // ------------------------------------------------------------------ lifecycle

  private async start(lessonId: string, from: 'resume' | 'beginning'): Promise<ActiveLessonView> {
    const lesson = this.lesson(lessonId);
    // Coming back to the lesson that is running: carry on where it is.
    if (from === 'resume' && this.active?.lesson.id === lessonId && !this.active.finished) return this.view(this.active);
    this.stop();
    const generation = ++this.generation;
    const active: Active = { lesson, stepIndex: 0, settingUp: true, setupError: null, armed: null, choice: null, hintsShown: 0, progress: null, completed: null, finished: false, generation };
    this.active = active;
    this.deps.changed();
    try {
      await this.setUp(lesson, () => this.active === active && active.generation === this.generation);
    } catch (err) {
      if (this.active !== active) throw WorkbenchError.from(err);
      active.settingUp = false;
      active.setupError = `Setting up “${lesson.title}” failed: ${WorkbenchError.from(err).message}`;
      this.deps.changed();
      return this.view(active);
    }
    if (this.active !== active) return this.view(active);
    // The setup reset the lesson's topics, so every step runs again from the first;
    // steps done before stay counted in the progress.
    active.settingUp = false;
    this.enterStep(active, 0);
    this.schedule();
    this.deps.changed();
    return this.view(active);
  }

  /** Deletes the lesson's topics and groups, then creates and seeds the ones it sets up. */
  private async setUp(lesson: Lesson, stillWanted: () => boolean): Promise<void> {
    await this.deps.cluster.ready();
    for (const g of lesson.groups) {
      if (!stillWanted()) return;
      await this.deps.groups.clearGroup(g);
    }
    for (const t of lesson.topics) {
      if (!stillWanted()) return;
      if (this.deps.cluster.image()?.topics.has(t.name)) await this.deps.topics.deleteTopic({ name: t.name });
    }
    for (const t of lesson.topics) {
      if (!stillWanted() || t.createdBy !== 'setup') continue;
      await this.deps.topics.createTopic({ name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, configs: t.configs ?? {} });
      for (let i = 0; t.seed && i < t.seed.records; i++) {
        if (!stillWanted()) return;
        await this.deps.records.produce({
          topic: t.name,
          key: t.seed.key === undefined ? null : t.seed.key.replaceAll('{i}', String(i)),
          value: t.seed.value.replaceAll('{i}', String(i)),
        });
      }
    }
  }

  private stop(): void {
    this.active = null;
    this.generation++;
    this.timer?.cancel();
    this.timer = null;
    this.deps.changed();
  }

  private async reset(lessonId: string): Promise<{ lessonId: string }> {
    const lesson = this.lesson(lessonId);
    if (this.active?.lesson.id === lessonId) this.stop();
    this.deps.store.resetLesson(lessonId);
    this.counts = this.deps.store.counts();
    await this.deps.cluster.ready();
    for (const g of lesson.groups) await this.deps.groups.clearGroup(g);
    for (const t of lesson.topics) if (this.deps.cluster.image()?.topics.has(t.name)) await this.deps.topics.deleteTopic({ name: t.name });
    this.deps.changed();
    return { lessonId };
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.deps.store.close();
  }

  // ------------------------------------------------------------------ steps

  private enterStep(active: Active, index: number): void {
    active.stepIndex = index;
    active.choice = null;
    active.hintsShown = 0;
    active.progress = null;
    active.armed = null;
    if (!active.lesson.steps[index].prediction) this.arm(active);
  }

  private arm(active: Active): void {
    const step = active.lesson.steps[active.stepIndex];
    const owned = ownedNames(active.lesson);
    const atArm = this.world.build(owned.topics, owned.groups);
    active.armed = { atArm, position: this.deps.history.position(), atMs: this.deps.clock.nowMs() };
    // The armed state alone must not satisfy the check (checks.ts): otherwise it is a bug in the lesson.
    const early = runCheck(step.check.name, this.context(atArm, atArm, active.armed, false), step.check.params as never);
    if (early.passed) {
      this.deps.log?.(`Lesson ${active.lesson.id}, step ${step.id}: its check ${step.check.name} already holds when armed; the lesson needs fixing.`);
      active.progress = 'This step’s check already holds before its action; the lesson needs fixing.';
    }
  }

  private context(world: LessonWorld, atArm: LessonWorld, armed: Armed, withEvents: boolean): CheckContext {
    return {
      world,
      atArm,
      events: withEvents ? this.deps.history.eventsAfter(armed.position) : [],
      records: (topic, from, limit) => this.world.records(topic, from, limit),
    };
  }

  private answer(lessonId: string, stepId: string, choice: number): ActiveLessonView {
    const { active, step } = this.current(lessonId, stepId);
    if (!step.prediction) throw new WorkbenchError('INVALID_REQUEST', `Step “${step.title}” asks for no prediction.`, 'stepId');
    if (choice >= step.prediction.options.length) throw new WorkbenchError('INVALID_REQUEST', `Pick one of the ${step.prediction.options.length} answers.`, 'choice');
    if (active.armed) throw new WorkbenchError('INVALID_REQUEST', 'The prediction for this step is already made.', 'choice');
    active.choice = choice;
    this.arm(active);
    this.deps.changed();
    return this.view(active);
  }

  private hint(lessonId: string, stepId: string): ActiveLessonView {
    const { active, step } = this.current(lessonId, stepId);
    active.hintsShown = Math.min(step.hints.length, active.hintsShown + 1);
    this.deps.changed();
    return this.view(active);
  }

  private current(lessonId: string, stepId: string): { active: Active; step: LessonStep } {
    const active = this.active;
    if (!active || active.lesson.id !== lessonId) throw new WorkbenchError('INVALID_REQUEST', `Lesson "${lessonId}" is not the active lesson. Start it first.`, 'lessonId');
    const step = active.lesson.steps[active.stepIndex];
    if (active.settingUp || active.finished || step.id !== stepId) throw new WorkbenchError('INVALID_REQUEST', `Step "${stepId}" is not the current step of "${lessonId}".`, 'stepId');
    return { active, step };
  }

  // ------------------------------------------------------------------ evaluation

  private schedule(): void {
    if (this.closed || this.timer) return;
    this.timer = this.deps.clock.setTimer(EVALUATE_INTERVAL_MS, () => {
      this.timer = null;
      if (!this.active || this.closed) return;
      this.evaluate();
      this.schedule();
    });
  }

  /** Runs the current step's check once; a passed check completes the step. */
  evaluate(): void {
    const active = this.active;
    if (!active || active.settingUp || active.finished || !active.armed) return;
    const step = active.lesson.steps[active.stepIndex];
    const owned = ownedNames(active.lesson);
    let result;
    try {
      result = runCheck(step.check.name, this.context(this.world.build(owned.topics, owned.groups), active.armed.atArm, active.armed, true), step.check.params as never);
    } catch (err) {
      // The cluster moved under the check (a leader change mid-read): try again next time.
      this.deps.log?.(`Lesson check ${step.check.name} failed to run: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const progress = result.progress ?? null;
    if (!result.passed) {
      if (progress !== active.progress && !active.progress?.includes('needs fixing')) {
        active.progress = progress;
        this.deps.changed();
      }
      return;
    }
    this.deps.store.markDone(active.lesson.id, step.id, this.deps.clock.nowMs(), active.choice);
    this.counts = this.deps.store.counts();
    active.completed = {
      stepId: step.id,
      done: step.done,
      prediction: step.prediction ? { choice: active.choice, answer: step.prediction.answer, explanation: step.prediction.explanation } : null,
    };
    if (active.stepIndex + 1 >= active.lesson.steps.length) {
      active.finished = true;
      active.armed = null;
    } else {
      this.enterStep(active, active.stepIndex + 1);
    }
    this.deps.changed();
  }

  // ------------------------------------------------------------------ views

  snapshot(): LessonsSnapshot {
    return {
      active: this.active ? this.view(this.active) : null,
      completedSteps: Object.fromEntries(this.counts),
      learnFirst: this.deps.store.setting(LEARN_FIRST_SETTING) === 'yes',
    };
  }

  private view(a: Active): ActiveLessonView {
    const step = a.lesson.steps[a.stepIndex];
    return {
      lessonId: a.lesson.id,
      stepIndex: a.stepIndex,
      stepId: step.id,
      settingUp: a.settingUp,
      setupError: a.setupError,
      awaitingPrediction: !a.settingUp && !a.finished && !!step.prediction && a.armed === null,
      armed: a.armed !== null,
      armedAtMs: a.armed?.atMs ?? null,
      progress: a.progress,
      hints: step.hints.slice(0, a.hintsShown),
      choice: a.choice,
      completed: a.completed,
      finished: a.finished,
    };
  }
}

/** A lesson as the contract carries it: code samples with the bootstrap address filled in. */
export function lessonView(l: Lesson, bootstrap: string): LessonView {
  return {
    id: l.id,
    number: l.number,
    title: l.title,
    guideSection: l.guideSection,
    summary: l.summary,
    topics: l.topics.map((t) => t.name),
    groups: [...l.groups],
    steps: l.steps.map((s) => ({
      id: s.id,
      title: s.title,
      text: s.text,
      code: (s.code ?? []).map((c) => ({ language: c.language, text: c.text.replaceAll('{bootstrap}', bootstrap), note: c.note ?? null })),
      highlight: s.highlight ? { view: s.highlight.view, target: s.highlight.target ?? null, topic: s.highlight.topic ?? null } : null,
      prediction: s.prediction ? { question: s.prediction.question, options: [...s.prediction.options] } : null,
      hintCount: s.hints.length,
      done: s.done,
    })),
  };
}
