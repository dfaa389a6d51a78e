/**
 * The lesson catalogue as the service uses it: validated once when loaded, so a
 * lesson that breaks lesson.ts's invariants fails the build's tests rather than a
 * learner's afternoon.
 *
 * Validation: lesson and step ids unique and kebab-case, numbers 1..n in order,
 * every check known, every topic or group a check names owned by its lesson, every
 * prediction's answer one of its options, every highlighted topic owned.
 */
import { topicNameError } from '../cluster/topic-names';
import { isCheckName } from './checks';
import { LESSONS } from './content';
import { ownedNames, type Lesson } from './lesson';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Every problem with the lesson, in words; empty when it is sound. */
export function lessonProblems(lesson: Lesson): string[] {
  const out: string[] = [];
  const at = (where: string, what: string) => out.push(`${lesson.id}${where}: ${what}`);
  if (!KEBAB.test(lesson.id)) at('', 'the id must be kebab-case');
  if (lesson.steps.length === 0) at('', 'a lesson needs at least one step');
  const owned = ownedNames(lesson);
  for (const t of lesson.topics) {
    const problem = topicNameError(t.name);
    if (problem) at('', `topic ${t.name}: ${problem}`);
    if (t.partitions < 1 || t.replicationFactor < 1) at('', `topic ${t.name} needs at least one partition and one replica`);
  }
  const stepIds = new Set<string>();
  for (const step of lesson.steps) {
    const where = ` step ${step.id}`;
    if (!KEBAB.test(step.id)) at(where, 'the id must be kebab-case');
    if (stepIds.has(step.id)) at(where, 'duplicate step id');
    stepIds.add(step.id);
    if (!isCheckName(step.check.name)) at(where, `unknown check ${String(step.check.name)}`);
    const params = step.check.params as Record<string, unknown>;
    if (typeof params.topic === 'string' && !owned.topics.has(params.topic)) at(where, `the check names topic ${params.topic}, which the lesson does not own`);
    if (typeof params.group === 'string' && !owned.groups.has(params.group)) at(where, `the check names group ${params.group}, which the lesson does not own`);
    if (step.highlight?.topic && !owned.topics.has(step.highlight.topic)) at(where, `highlights topic ${step.highlight.topic}, which the lesson does not own`);
    if (step.prediction) {
      const p = step.prediction;
      if (p.options.length < 2) at(where, 'a prediction needs at least two options');
      if (!Number.isInteger(p.answer) || p.answer < 0 || p.answer >= p.options.length) at(where, 'the prediction’s answer is not one of its options');
    }
    if (step.hints.length === 0) at(where, 'every step needs at least one hint');
  }
  return out;
}

/** The catalogue, validated (throws with every problem when a lesson is unsound). */
export function loadCatalogue(lessons: readonly Lesson[] = LESSONS): readonly Lesson[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  lessons.forEach((l, i) => {
    if (ids.has(l.id)) problems.push(`${l.id}: duplicate lesson id`);
    ids.add(l.id);
    if (l.number !== i + 1) problems.push(`${l.id}: number ${l.number} should be ${i + 1} (the guide's order)`);
    problems.push(...lessonProblems(l));
  });
  if (problems.length > 0) throw new Error(`The lesson catalogue is unsound:\n${problems.join('\n')}`);
  return lessons;
}
