/**
 * Every config of a topic: value in effect, where it comes from, Kafka's default, its
 * type and allowed values, and a sentence on what it does. Values are edited in place;
 * as you type the change is checked by the controller (alterTopicConfigs with
 * validateOnly, debounced) and a refused value shows Kafka's reason under its field.
 * "Apply" changes them all at once; "Reset" returns one to its default.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TopicConfigEntry } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { toErrorData } from '../../errors';
import { useStore } from '../../store';
import { readableConfigValue } from '../../components/format';
import { usePoll } from '../../components/usePoll';
import { useSlashToFocus } from '../../components/useSlashToFocus';

const VALIDATE_DELAY_MS = 300;

export function TopicConfigs({ topic }: { topic: string }) {
  const configsKey = useStore((s) => JSON.stringify(s.snapshot?.topics.find((t) => t.name === topic)?.configs ?? {}));
  const loadTopicConfigs = useStore((s) => s.loadTopicConfigs);
  const alterTopicConfigs = useStore((s) => s.alterTopicConfigs);
  const { data, error: loadError, reload } = usePoll(() => loadTopicConfigs(topic), [topic], 60_000, configsKey);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [resets, setResets] = useState<Set<string>>(new Set());
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState('');
  const [onlySet, setOnlySet] = useState(false);
  const filterRef = useRef<HTMLInputElement | null>(null);
  useSlashToFocus(filterRef);

  useEffect(() => {
    setEdits({});
    setResets(new Set());
    setError(null);
    setNote(null);
  }, [topic]);

  const changes = Object.keys(edits).length + resets.size;
  // Kafka's verdict as you type.
  useEffect(() => {
    if (changes === 0) {
      setError(null);
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(async () => {
      try {
        await alterTopicConfigs({ topic, set: edits, reset: [...resets], validateOnly: true });
        if (!cancelled) setError(null);
      } catch (err) {
        if (!cancelled) setError(toErrorData(err));
      }
    }, VALIDATE_DELAY_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [topic, edits, resets, changes, alterTopicConfigs]);

  const entries = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (data?.entries ?? []).filter((e) => (!onlySet || e.source !== 'default' || e.name in edits) && (q === '' || e.name.includes(q) || e.doc.toLowerCase().includes(q)));
  }, [data, filter, onlySet, edits]);

  const apply = async () => {
    setBusy(true);
    try {
      const r = await alterTopicConfigs({ topic, set: edits, reset: [...resets] });
      setNote(`Applied ${changes} change${changes > 1 ? 's' : ''}. Configs set on "${topic}": ${Object.entries(r.configs).map(([k, v]) => `${k}=${v}`).join(', ') || 'none (all defaults)'}.`);
      setEdits({});
      setResets(new Set());
      setError(null);
      reload();
    } catch (err) {
      setError(toErrorData(err));
      setNote(null);
    }
    setBusy(false);
  };

  if (loadError) return <p className="form-error" role="alert">{loadError.message}</p>;
  if (!data) return <p className="muted">Reading the configs of {topic}…</p>;
  const fieldError = (name: string) => (error && error.field === `config:${name}` ? error.message : null);
  const generalError = error && !(error.field ?? '').startsWith('config:') ? error.message : null;
  return (
    <section className="card configs-card" data-testid="topic-configs">
      <div className="configs-head">
        <h2>Configs of {topic}</h2>
        <input ref={filterRef} className="filter" placeholder="Filter configs  ( / )" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter configs" data-testid="config-filter" />
        <label className="check">
          <input type="checkbox" checked={onlySet} onChange={(e) => setOnlySet(e.target.checked)} /> only set ones
        </label>
        <button className="primary" disabled={changes === 0 || busy || error !== null} onClick={() => void apply()} data-testid="configs-apply">
          {busy ? 'Applying…' : changes === 0 ? 'No changes' : `Apply ${changes} change${changes > 1 ? 's' : ''}`}
        </button>
        {changes > 0 && (
          <button onClick={() => { setEdits({}); setResets(new Set()); }} disabled={busy}>
            Discard
          </button>
        )}
      </div>
      {generalError && <p className="form-error" role="alert" data-testid="configs-error">{generalError}</p>}
      {note && <p className="ok small" data-testid="configs-note">{note}</p>}
      <table className="table config-table">
        <colgroup>
          <col className="col-name" />
          <col className="col-value" />
          <col className="col-default" />
          <col className="col-source" />
        </colgroup>
        <thead>
          <tr><th>Config</th><th>Value</th><th>Default</th><th>Source</th></tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <ConfigRow
              key={e.name}
              entry={e}
              edited={edits[e.name]}
              reset={resets.has(e.name)}
              error={fieldError(e.name)}
              onEdit={(v) => {
                const next = { ...edits };
                if (v === e.value) delete next[e.name];
                else next[e.name] = v;
                setEdits(next);
                if (resets.has(e.name)) setResets(new Set([...resets].filter((n) => n !== e.name)));
              }}
              onReset={() => {
                const next = { ...edits };
                delete next[e.name];
                setEdits(next);
                setResets(new Set([...resets, e.name]));
              }}
            />
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p className="muted small">No config matches "{filter}".</p>}
    </section>
  );
}

function ConfigRow({ entry: e, edited, reset, error, onEdit, onReset }: { entry: TopicConfigEntry; edited: string | undefined; reset: boolean; error: string | null; onEdit: (v: string) => void; onReset: () => void }) {
  const value = edited ?? (reset ? e.defaultValue : e.value);
  return (
    <tr data-testid={`config-row-${e.name}`} className={edited !== undefined || reset ? 'edited' : ''}>
      <td className="config-name">
        <span className="mono">{e.name}</span>
        {e.deprecated && <span className="badge">deprecated</span>}
        <div className="muted small">{e.doc}</div>
        <div className="muted small">
          {e.type.toLowerCase()}, {e.allowed}
        </div>
      </td>
      <td className="config-value">
        <input className={error ? 'invalid' : ''} value={value} onChange={(ev) => onEdit(ev.target.value)} spellCheck={false} aria-label={e.name} data-testid={`config-input-${e.name}`} />
        {readableConfigValue(e.name, value) && !error && <div className="muted small" data-testid={`config-readable-${e.name}`}>{readableConfigValue(e.name, value)}</div>}
        {error && <div className="field-error" role="alert" data-testid={`config-error-${e.name}`}>{error}</div>}
        {reset && <div className="muted small">back to the default when applied</div>}
      </td>
      <td className="mono small config-default">
        {e.defaultValue}
        {readableConfigValue(e.name, e.defaultValue) && <div className="muted">{readableConfigValue(e.name, e.defaultValue)}</div>}
      </td>
      <td className="config-source">
        <span className={`badge source-${e.source}`} data-testid={`config-source-${e.name}`}>{e.source === 'topic' ? 'set on topic' : e.source === 'broker' ? 'broker default' : 'default'}</span>
        {e.source === 'topic' && !reset && (
          <button className="link small" onClick={onReset} data-testid={`config-reset-${e.name}`}>reset</button>
        )}
      </td>
    </tr>
  );
}
