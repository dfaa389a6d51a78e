/**
 * Every element a lesson step points at exists for the renderer: its target name is one
 * the lesson pane can turn into a selector (renderer/src/views/lessons/highlight.ts), and
 * a target inside a topic's tab names the topic to open, or "Show me" would outline
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../../engine/api/contract';
import { LESSONS } from '../../../engine/lessons/content';
import { lessonView } from '../../../engine/lessons/service';
import { selectorFor, topicTabFor } from '../../../renderer/src/views/lessons/highlight';

/** Just what selectorFor reads: the controller, and a leader for every lesson topic. */
function snapshot(): ClusterSnapshot {
  const topics = LESSONS.flatMap((l) => l.topics.map((t) => ({ name: t.name, partitions: [{ partition: 0, leader: 2 }] })));
  return { controllerId: 1, topics } as unknown as ClusterSnapshot;
}

describe('lesson highlights', () => {
  const steps = LESSONS.flatMap((l) => lessonView(l, 'localhost:9092').steps.map((s) => ({ where: `${l.id}/${s.id}`, highlight: s.highlight })));

  it('point at elements the lesson pane knows how to find', () => {
    const unknown = steps.filter((s) => s.highlight?.target && selectorFor(s.highlight, snapshot()) === null).map((s) => `${s.where}: ${s.highlight!.target}`);
    expect(unknown).toEqual([]);
  });

  it('name the topic to open when the element lives in one of its tabs', () => {
    const missing = steps.filter((s) => s.highlight && s.highlight.view === 'topics' && topicTabFor(s.highlight) && !s.highlight.topic).map((s) => s.where);
    expect(missing).toEqual([]);
  });

  it('do not count a broker card as found while the cluster has no controller', () => {
    expect(selectorFor({ view: 'cluster', target: 'broker-controller', topic: null }, { ...snapshot(), controllerId: null })).toBeNull();
    expect(selectorFor({ view: 'cluster', target: 'no-such-target', topic: null }, snapshot())).toBeNull();
  });
});
