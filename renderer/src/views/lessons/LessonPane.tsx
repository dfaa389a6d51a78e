/**
 * The lesson pane: beside whichever view the learner has open, the active lesson's
 * current step — what to do, the code to copy (with this cluster's address), the
 * prediction to make first, hints, how far the check sees the learner, and once the
 * check passes, what happened and whether the prediction was right. "Show me" opens
 * the view the step is about and outlines the element that matters.
 *
 * Everything here follows the engine: the snapshot says which step is current and
 * whether its check passed; the pane never decides that a step is done.
 */
import { useEffect, useState } from 'react';
import type { ActiveLessonView, LessonStepView, LessonView } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { useStore } from '../../store';
import { revealHighlight, selectorFor, topicTabFor, useLessonHighlight } from './highlight';

export function LessonPane() {
  const active = useStore((s) => s.snapshot?.lessons.active ?? null);
  const catalogue = useStore((s) => s.lessonCatalogue);
  const load = useStore((s) => s.loadLessons);
  useEffect(() => {
    if (active && !catalogue) void load();
  }, [active, catalogue, load]);
  if (!active) return null;
  const lesson = catalogue?.lessons.find((l) => l.id === active.lessonId);
  if (!lesson) return <aside className="lesson-pane card" data-testid="lesson-pane">Loading the lesson…</aside>;
  return <ActivePane lesson={lesson} active={active} />;
}

function ActivePane({ lesson, active }: { lesson: LessonView; active: ActiveLessonView }) {
  const step = lesson.steps[active.stepIndex];
  const leave = useStore((s) => s.leaveLesson);
  const snapshot = useStore((s) => s.snapshot);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const highlight = !active.finished && !active.settingUp ? step.highlight : null;
  useLessonHighlight(highlight ? selectorFor(highlight, snapshot) : null);
  return (
    <aside className="lesson-pane card" data-testid="lesson-pane" aria-label={`Lesson ${lesson.number}: ${lesson.title}`}>
      <header className="lesson-pane-head">
        <div>
          <div className="muted small">
            Lesson {lesson.number} · step {Math.min(active.stepIndex + 1, lesson.steps.length)} of {lesson.steps.length}
          </div>
          <h2>{lesson.title}</h2>
        </div>
        <button className="small-button" onClick={async () => setError(await leave())} data-testid="lesson-leave" title="Stop this lesson (its topics stay until you start or reset it)">
          Leave
        </button>
      </header>
      <ol className="lesson-steps" aria-label="Steps">
        {lesson.steps.map((s, i) => (
          <li key={s.id} className={i < active.stepIndex || active.finished ? 'done' : i === active.stepIndex ? 'current' : ''} data-testid={`lesson-step-${s.id}`}>
            {s.title}
          </li>
        ))}
      </ol>
      {active.completed && <Completed lesson={lesson} completed={active.completed} />}
      {active.settingUp && <p className="muted" data-testid="lesson-setting-up">Setting up this lesson’s topics…</p>}
      {active.setupError && <p className="form-error" role="alert" data-testid="lesson-setup-error">{active.setupError}</p>}
      {active.finished ? (
        <p className="ok" data-testid="lesson-finished">
          Lesson done. Pick the next one in Learn.
        </p>
      ) : (
        // Keyed by step: a new step starts with no answer picked and no error shown.
        !active.settingUp && !active.setupError && <CurrentStep key={step.id} lesson={lesson} step={step} active={active} />
      )}
      {error && <p className="form-error" role="alert">{error.message}</p>}
    </aside>
  );
}

function Completed({ lesson, completed }: { lesson: LessonView; completed: NonNullable<ActiveLessonView['completed']> }) {
  const step = lesson.steps.find((s) => s.id === completed.stepId);
  const p = completed.prediction;
  return (
    <div className="lesson-completed" data-testid="lesson-completed" role="status">
      <p>
        <strong>✓ {step?.title}.</strong> {completed.done}
      </p>
      {p && step?.prediction && (
        <p className="small" data-testid="lesson-prediction-result">
          {p.choice === p.answer ? 'Your prediction was right: ' : `You predicted “${step.prediction.options[p.choice ?? 0]}”; in fact, `}
          {step.prediction.options[p.answer].toLowerCase()}. {p.explanation}
        </p>
      )}
    </div>
  );
}

function CurrentStep({ lesson, step, active }: { lesson: LessonView; step: LessonStepView; active: ActiveLessonView }) {
  const answer = useStore((s) => s.answerPrediction);
  const hint = useStore((s) => s.showHint);
  const setView = useStore((s) => s.setView);
  const selectTopic = useStore((s) => s.selectTopic);
  const setTopicTab = useStore((s) => s.setTopicTab);
  const setProduceTopic = useStore((s) => s.setProduceTopic);
  const [choice, setChoice] = useState<number | null>(null);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const showMe = () => {
    const h = step.highlight;
    if (!h) return;
    setView(h.view);
    if (h.topic && h.view === 'topics') {
      selectTopic(h.topic);
      const tab = topicTabFor(h);
      if (tab) setTopicTab(tab);
    }
    if (h.topic && h.view === 'produce') setProduceTopic(h.topic);
    revealHighlight();
  };
  return (
    <section className="lesson-step" data-testid="lesson-current">
      <h3>{step.title}</h3>
      {active.awaitingPrediction && step.prediction ? (
        <form
          className="lesson-prediction"
          data-testid="lesson-prediction"
          onSubmit={async (e) => {
            e.preventDefault();
            if (choice !== null) setError(await answer(lesson.id, step.id, choice));
          }}
        >
          <p>
            <strong>First, predict:</strong> {step.prediction.question}
          </p>
          {step.prediction.options.map((o, i) => (
            <label key={o} className="lesson-option">
              <input type="radio" name="prediction" checked={choice === i} onChange={() => setChoice(i)} data-testid={`lesson-option-${i}`} /> {o}
            </label>
          ))}
          <button type="submit" className="primary small-button" disabled={choice === null} data-testid="lesson-predict">
            Lock in my answer
          </button>
        </form>
      ) : (
        <>
          <p className="lesson-text">{step.text}</p>
          {step.code.map((c, i) => (
            <CodeSample key={i} language={c.language} text={c.text} note={c.note} testId={`lesson-code-${i}`} />
          ))}
          <div className="lesson-actions">
            {step.highlight && (
              <button className="small-button" onClick={showMe} data-testid="lesson-show-me">
                Show me
              </button>
            )}
            {active.hints.length < step.hintCount && (
              <button className="small-button" onClick={async () => setError(await hint(lesson.id, step.id))} data-testid="lesson-hint">
                {active.hints.length === 0 ? 'Hint' : 'Another hint'}
              </button>
            )}
          </div>
          {active.hints.length > 0 && (
            <ul className="lesson-hints small" data-testid="lesson-hints">
              {active.hints.map((h) => (
                <li key={h}>{h}</li>
              ))}
            </ul>
          )}
          <p className="muted small" data-testid="lesson-watching">
            <span className="lesson-pulse" aria-hidden="true" /> Watching the cluster{active.progress ? `: ${active.progress}` : '…'}
          </p>
        </>
      )}
      {error && <p className="form-error" role="alert">{error.message}</p>}
    </section>
  );
}

function CodeSample({ language, text, note, testId }: { language: string; text: string; note: string | null; testId: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // No clipboard (an insecure context): the text is selectable.
    }
  };
  return (
    <figure className="lesson-code" data-testid={testId}>
      <figcaption className="muted small">
        {language === 'python' ? 'Python' : 'Shell'}
        {note ? ` · ${note}` : ''}
        <button className="small-button" onClick={() => void copy()} data-testid={`${testId}-copy`}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </figcaption>
      <pre className="mono">{text}</pre>
    </figure>
  );
}
