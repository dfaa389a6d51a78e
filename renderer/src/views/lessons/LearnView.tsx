/**
 * Learn: the lessons, one per section of the guide, in its order, each with its
 * progress; start one (its pane then stays beside every view while you work), or
 * start over, or reset one (its own topics and groups go; nothing else is touched).
 * On a fresh data dir this view opens first; "Skip" makes the Cluster view the start.
 */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LessonView } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { useStore } from '../../store';

export function LearnView() {
  const catalogue = useStore((s) => s.lessonCatalogue);
  const load = useStore((s) => s.loadLessons);
  const { learnFirst, activeId } = useStore(useShallow((s) => ({ learnFirst: s.snapshot?.lessons.learnFirst ?? false, activeId: s.snapshot?.lessons.active?.lessonId ?? null })));
  const dismiss = useStore((s) => s.dismissLearn);
  const setView = useStore((s) => s.setView);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  useEffect(() => {
    void load().then(setError);
  }, [load]);
  return (
    <section className="learn-view" data-testid="learn-view">
      <header className="learn-head">
        <div>
          <h1>Learn Kafka by doing</h1>
          <p className="muted">
            Each lesson makes one section of the guide hands-on, on this real cluster. Every step is an action, in the app or with your own client, and a check that
            watches the cluster: it turns green when the cluster shows you did it. Before the big moments you predict what will happen.
          </p>
          {catalogue && (
            <p className="muted small">
              Your code reaches the cluster at <code className="mono">{catalogue.bootstrap}</code>.
            </p>
          )}
        </div>
        {learnFirst && (
          <button
            className="small-button"
            data-testid="learn-skip"
            title="Open the Cluster view at start instead"
            onClick={async () => {
              setError(await dismiss());
              setView('cluster');
            }}
          >
            Skip, I know my way
          </button>
        )}
      </header>
      {error && <p className="form-error" role="alert">{error.message}</p>}
      {!catalogue ? (
        <p className="muted">Loading the lessons…</p>
      ) : (
        <ol className="lesson-list" data-testid="lesson-list">
          {catalogue.lessons.map((l) => (
            <LessonCard key={l.id} lesson={l} active={l.id === activeId} />
          ))}
        </ol>
      )}
    </section>
  );
}

function LessonCard({ lesson, active }: { lesson: LessonView; active: boolean }) {
  const done = useStore((s) => s.snapshot?.lessons.completedSteps[lesson.id] ?? 0);
  const start = useStore((s) => s.startLesson);
  const reset = useStore((s) => s.resetLesson);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const total = lesson.steps.length;
  const run = async (f: () => Promise<WorkbenchErrorData | null>) => {
    setBusy(true);
    setError(await f());
    setBusy(false);
  };
  return (
    <li className={`card lesson-card${active ? ' active' : ''}`} data-testid={`lesson-${lesson.id}`}>
      <div className="lesson-card-head">
        <span className="lesson-number">{lesson.number}</span>
        <div>
          <h2>{lesson.title}</h2>
          <div className="muted small">Guide: {lesson.guideSection}</div>
        </div>
        <span className={done >= total ? 'badge state-up' : 'badge'} data-testid={`lesson-${lesson.id}-progress`} title="Steps completed">
          {done >= total ? '✓ done' : `${done}/${total}`}
        </span>
      </div>
      <p className="small">{lesson.summary}</p>
      <div className="lesson-card-actions">
        <button className="primary small-button" disabled={busy} onClick={() => void run(() => start(lesson.id, active ? 'resume' : 'beginning'))} data-testid={`lesson-${lesson.id}-start`}>
          {busy ? 'Setting up…' : active ? 'Continue' : done > 0 ? 'Start again' : 'Start'}
        </button>
        {done > 0 && !active && (
          <button className="small-button" disabled={busy} onClick={() => void run(() => reset(lesson.id))} data-testid={`lesson-${lesson.id}-reset`} title={`Forget your progress and delete ${lesson.topics.join(', ')}`}>
            Reset
          </button>
        )}
        <span className="muted small">Uses {lesson.topics.join(', ')}{lesson.groups.length > 0 ? `; groups ${lesson.groups.join(', ')}` : ''}</span>
      </div>
      {error && <p className="form-error" role="alert">{error.message}</p>}
    </li>
  );
}
