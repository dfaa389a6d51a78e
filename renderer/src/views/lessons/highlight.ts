/**
 * Where a lesson step points: the view to open and the element to outline in it. One
 * table maps a lesson's target names to the elements that carry them, so lessons
 * (engine data) never name DOM details; `useLessonHighlight` outlines the element
 * while the step is current, also when it appears later (a tab opened, a list drawn).
 * The table also says which view each target lives in, so `highlightProblem` can tell
 * (in a unit test over every lesson) when a step would outline nothing.
 */
import { useEffect } from 'react';
import type { ClusterSnapshot, HighlightView, LessonStepView } from '../../../../engine/api/contract';
import type { TopicTab } from '../../store/topics';

type Highlight = NonNullable<LessonStepView['highlight']>;

/** Static targets: the view they live in, a selector, and for topic targets the tab that shows them. */
const TARGETS: Record<string, { view: HighlightView; selector: string; tab?: TopicTab }> = {
  'create-topic-form': { view: 'topics', selector: '[data-testid="create-topic-form"]' },
  'partition-table': { view: 'topics', selector: '[data-testid="partition-table"]', tab: 'overview' },
  'segment-strip': { view: 'topics', selector: '[data-testid="log-strip"]', tab: 'log' },
  // A section: the create form's "more configs" field carries the same test id.
  configs: { view: 'topics', selector: 'section[data-testid="topic-configs"]', tab: 'configs' },
  compaction: { view: 'topics', selector: '[data-testid="compaction"]', tab: 'compaction' },
  'duplicate-keys': { view: 'topics', selector: '[data-testid="compaction-actions"]', tab: 'compaction' },
  'load-generator': { view: 'produce', selector: '[data-testid="load-panel"]' },
  'producer-panel': { view: 'produce', selector: '[data-testid="producer-panel"]' },
  'zero-copy': { view: 'produce', selector: '[data-testid="zero-copy"]' },
  'builtin-consumers': { view: 'groups', selector: '[data-testid="start-consumer-form"]' },
  'group-list': { view: 'groups', selector: '[data-testid="group-list"]' },
  'group-members': { view: 'groups', selector: '[data-testid="group-members"], [data-testid="builtin-consumers"]' },
  'partition-map': { view: 'cluster', selector: '[data-testid="partition-map"]' },
};

/** Targets found from the cluster as it is now (leaders and the controller move). */
const CLUSTER_TARGETS = new Set(['broker-controller', 'broker-leader']);

/** What is wrong with a lesson's highlight (a target no view has, or one in another view), or null. */
export function highlightProblem(h: Highlight): string | null {
  if (!h.target) return null;
  if (CLUSTER_TARGETS.has(h.target)) {
    if (h.view !== 'cluster') return `${h.target} is a broker card: it lives in the cluster view, not ${h.view}`;
    if (h.target === 'broker-leader' && !h.topic) return 'broker-leader needs the topic whose partition 0 leader to outline';
    return null;
  }
  const t = TARGETS[h.target];
  if (!t) return `no view has a target called ${h.target}`;
  if (t.view !== h.view) return `${h.target} lives in the ${t.view} view, not ${h.view}`;
  return null;
}

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
      document.querySelectorAll(`.${CLASS}`).forEach((el) => {
        if (!el.matches(selector)) el.classList.remove(CLASS);
      });
      document.querySelectorAll(selector).forEach((el) => el.classList.add(CLASS));
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
      document.querySelectorAll(`.${CLASS}`).forEach((el) => el.classList.remove(CLASS));
    };
  }, [selector]);
}
