/**
 * Every "Show me" of every lesson points at something: a target the renderer knows,
 * in the view the step opens (a lesson is engine data and cannot see the renderer, so
 * a misspelt or misplaced target would otherwise outline nothing).
 */
import { describe, expect, it } from 'vitest';
import { LESSONS } from '../../../engine/lessons/content';
import { highlightProblem } from '../../../renderer/src/views/lessons/highlight';

describe('lesson highlights', () => {
  it('name targets that exist in the view they open', () => {
    const problems = LESSONS.flatMap((l) =>
      l.steps.flatMap((s) => {
        const problem = s.highlight ? highlightProblem({ view: s.highlight.view, target: s.highlight.target ?? null, topic: s.highlight.topic ?? null }) : null;
        return problem ? [`${l.id} step ${s.id}: ${problem}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('catches a target in the wrong view and one that does not exist', () => {
    expect(highlightProblem({ view: 'cluster', target: 'load-generator', topic: null })).toContain('lives in the produce view');
    expect(highlightProblem({ view: 'groups', target: 'members', topic: null })).toContain('no view has a target called members');
    expect(highlightProblem({ view: 'cluster', target: 'broker-leader', topic: null })).toContain('needs the topic');
    expect(highlightProblem({ view: 'cluster', target: 'broker-leader', topic: 't' })).toBeNull();
  });
});
