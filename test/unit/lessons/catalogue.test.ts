import { describe, expect, it } from 'vitest';
import { lessonProblems, loadCatalogue } from '../../../engine/lessons/catalogue';
import { LESSONS } from '../../../engine/lessons/content';
import type { Lesson } from '../../../engine/lessons/lesson';

describe('the lesson catalogue', () => {
  it('has one sound lesson per guide section, in the guide’s order', () => {
    const lessons = loadCatalogue();
    expect(lessons.map((l) => l.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(lessons.map((l) => l.guideSection.split('.')[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    // The guide's topic names are used where the guide uses them.
    const topics = new Set(lessons.flatMap((l) => l.topics.map((t) => t.name)));
    for (const name of ['user_activity', 'high_traffic', 'system_logs']) expect(topics.has(name)).toBe(true);
    // Every big moment starts with a prediction somewhere in the course.
    expect(lessons.filter((l) => l.steps.some((s) => s.prediction)).length).toBeGreaterThanOrEqual(9);
  });

  it('refuses a lesson whose check names a topic it does not own, and other mistakes', () => {
    const base = LESSONS[1];
    const bad: Lesson = {
      ...base,
      id: 'Bad Id',
      steps: [
        { ...base.steps[0], id: 'dup', check: { name: 'recordsArrived', params: { topic: 'someone_elses', atLeast: 1 } } },
        { ...base.steps[0], id: 'dup', prediction: { question: 'q', options: ['a'], answer: 3, explanation: 'e' }, hints: [] },
      ],
    };
    const problems = lessonProblems(bad);
    expect(problems.join('\n')).toMatch(/kebab-case/);
    expect(problems.join('\n')).toMatch(/someone_elses, which the lesson does not own/);
    expect(problems.join('\n')).toMatch(/duplicate step id/);
    expect(problems.join('\n')).toMatch(/answer is not one of its options/);
    expect(problems.join('\n')).toMatch(/at least one hint/);
    expect(() => loadCatalogue([bad])).toThrow(/unsound/);
  });
});
