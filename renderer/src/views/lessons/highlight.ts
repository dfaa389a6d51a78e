/**
 * Where a lesson step points: the view to open and the element to outline in it. One
 * table maps a lesson's target names to the elements that carry them, so lessons
 * (engine data) never name DOM details; `useLessonHighlight` outlines the element
 * while the step is current, also when it appears later (a tab opened, a list drawn).
 */
import { useEffect } from 'react';
import type { ClusterSnapshot, LessonStepView } from '../../../../engine/api/contract';
import type { TopicTab } from '../../store/topics';

type Highlight = NonNullable<LessonStepView['highlight']>;

/** Static targets: a selector, and for topic targets the tab that shows them. */
const TARGETS: Record<string, { selector: string; tab?: TopicTab }> = {
  'create-topic-form': { selector: '[data-testid="create-topic-form"]' },
  'partition-table': { selector: '[data-testid="partition-table"]', tab: 'overview' },
  'segment-strip': { selector: '[data-testid="log-strip"]', tab: 'log' },
  // A section: the create form's "more configs" field carries the same test id.
  configs: { selector: 'section[data-testid="topic-configs"]', tab: 'configs' },
  compaction: { selector: '[data-testid="compaction"]', tab: 'compaction' },
  'duplicate-keys': { selector: '[data-testid="compaction-actions"]', tab: 'compaction' },
  'load-generator': { selector: '[data-testid="load-panel"]' },
  'producer-panel': { selector: '[data-testid="producer-panel"]' },
  'builtin-consumers': { selector: '[data-testid="start-consumer-form"]' },
  'group-list': { selector: '[data-testid="group-list"]' },
  'group-members': { selector: '[data-testid="group-members"], [data-testid="builtin-consumers"]' },
  'partition-map': { selector: '[data-testid="partition-map"]' },
  'broker-rates': { selector: '.broker-grid' },
};

/** The tab of the Topics view a target lives in (undefined: none to switch). */
export function topicTabFor(h: Highlight): TopicTab | undefined {
  return h.target ? TARGETS[h.target]?.tab : undefined;
}

/** The selector of the element a step points at, given the cluster now (leaders move). */
export function selectorFor(h: Highlight, snapshot: ClusterSnapshot | null): string | null {
  if (!h.target) return null;
  if (h.target === 'broker-controller') return snapshot?.controllerId ? `[data-testid="broker-${snapshot.controllerId}"]` : null;
  if (h.target === 'broker-leader') {
    const leader = snapshot?.topics.find((t) => t.name === h.topic)?.partitions[0]?.leader;
    return leader ? `[data-testid="broker-${leader}"]` : null;
  }
  return TARGETS[h.target]?.selector ?? null;
}

const CLASS = 'lesson-highlight';

/** "Show me" was pressed: scroll the outlined element into view once it is drawn. */
let revealPending = false;
/** Outlines the current step's element now (set while a step has one). */
let markNow: (() => void) | null = null;

/**
 * Scrolls the current step's element into view: at once when it is on the page, else
 * as soon as the view or tab that "Show me" opened draws it. An element below the fold
 * (the partition map under the broker cards) is otherwise outlined where nobody sees it.
 */
export function revealHighlight(): void {
  revealPending = true;
  markNow?.();
}

/** Scrolls as little as needed to show the element, or its top when it is taller than the view. */
function reveal(el: Element): void {
  const r = el.getBoundingClientRect();
  const view = el.closest('.main')?.getBoundingClientRect() ?? { top: 0, bottom: window.innerHeight, height: window.innerHeight };
  if (r.top >= view.top && r.bottom <= view.bottom) return;
  el.scrollIntoView({ block: r.height > view.height * 0.8 ? 'start' : 'nearest' });
}

/** Outlines the elements matching `selector` (null: none) for as long as it is given. */
export function useLessonHighlight(selector: string | null): void {
  useEffect(() => {
    if (!selector) return;
    const mark = () => {
      for (const el of document.querySelectorAll(`.${CLASS}`)) if (!el.matches(selector)) el.classList.remove(CLASS);
      for (const el of document.querySelectorAll(selector)) el.classList.add(CLASS);
      const first = revealPending ? document.querySelector(selector) : null;
      if (first) {
        revealPending = false;
        reveal(first);
      }
    };
    markNow = mark;
    mark();
    // Views draw lazily (tabs, lists): outline the element when it appears.
    const observer = new MutationObserver(() => mark());
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      if (markNow === mark) markNow = null;
      revealPending = false;
      for (const el of document.querySelectorAll(`.${CLASS}`)) el.classList.remove(CLASS);
    };
  }, [selector]);
}
