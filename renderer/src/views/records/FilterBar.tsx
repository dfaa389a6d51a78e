/**
 * Filters, evaluated in the engine: key equals or contains, value contains, a header
 * (key, optionally its value), a time range and a JSON path that must equal a value.
 * Every condition given must hold. While the engine scans, progress (offsets scanned of
 * the total, matches so far) comes with each snapshot and the matches stream into the
 * list; the scan can be cancelled.
 */
import { useState, type FormEvent } from 'react';
import type { BrowseFilter } from '../../../../engine/api/contract';
import { useStore } from '../../store';
import { jobFrom } from '../../store/records/browse';
import { formatCountExact, parseTime } from '../../components/format';

export function FilterBar() {
  const run = useStore((s) => s.msgRunFilter);
  const clear = useStore((s) => s.msgClearFilter);
  const active = useStore((s) => s.msgFilter);
  const engineError = useStore((s) => s.msgFilterError);
  const job = useStore((s) => jobFrom(s, s.msgFilter?.jobId ?? null));
  const cancel = useStore((s) => s.msgCancelJob);
  const [keyMode, setKeyMode] = useState<'equals' | 'contains'>('equals');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [headerKey, setHeaderKey] = useState('');
  const [headerValue, setHeaderValue] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [jsonPath, setJsonPath] = useState('');
  const [jsonEquals, setJsonEquals] = useState('');
  const [local, setLocal] = useState<{ field: string; message: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setLocal(null);
    const f: BrowseFilter = {};
    if (key !== '') f[keyMode === 'equals' ? 'keyEquals' : 'keyContains'] = key;
    if (value !== '') f.valueContains = value;
    if (headerKey !== '') f.headerKey = headerKey;
    if (headerValue !== '') f.headerValue = headerValue;
    for (const [text, field, name] of [[from, 'fromTimestampMs', 'From'], [to, 'toTimestampMs', 'To']] as const) {
      if (text.trim() === '') continue;
      const ms = parseTime(text);
      if (ms === null) {
        setLocal({ field, message: `${name}: "${text.trim()}" is not a date and time. Use 2024-09-15 14:00:00 (local), an ISO time with a zone, or milliseconds.` });
        return;
      }
      f[field] = ms;
    }
    if (jsonPath.trim() !== '') f.jsonPath = jsonPath.trim();
    if (jsonEquals !== '') f.jsonEquals = jsonEquals;
    await run(f);
  };

  const error = local ?? (engineError ? { field: engineError.field ?? '', message: engineError.message } : null);
  const bad = (field: string) => (error && error.field === field ? 'invalid' : undefined);
  return (
    <form className="card filter-bar" onSubmit={submit} noValidate data-testid="filter-form">
      <div className="filter-fields">
        <label className="inline-label">
          Key
          <select value={keyMode} onChange={(e) => setKeyMode(e.target.value as 'equals' | 'contains')} data-testid="filter-key-mode" aria-label="Key match">
            <option value="equals">equals</option>
            <option value="contains">contains</option>
          </select>
          <input className={bad('keyEquals') ?? bad('keyContains')} value={key} onChange={(e) => setKey(e.target.value)} data-testid="filter-key" aria-label="Key" spellCheck={false} />
        </label>
        <label className="inline-label">
          Value contains
          <input value={value} onChange={(e) => setValue(e.target.value)} data-testid="filter-value" spellCheck={false} />
        </label>
        <label className="inline-label">
          Header
          <input className={bad('headerKey')} value={headerKey} onChange={(e) => setHeaderKey(e.target.value)} placeholder="key" data-testid="filter-header-key" aria-label="Header key" spellCheck={false} />
          =
          <input value={headerValue} onChange={(e) => setHeaderValue(e.target.value)} placeholder="any value" data-testid="filter-header-value" aria-label="Header value" spellCheck={false} />
        </label>
        <label className="inline-label">
          From
          <input className={bad('fromTimestampMs')} value={from} onChange={(e) => setFrom(e.target.value)} placeholder="time" data-testid="filter-from" spellCheck={false} />
        </label>
        <label className="inline-label">
          To
          <input className={bad('toTimestampMs')} value={to} onChange={(e) => setTo(e.target.value)} placeholder="time" data-testid="filter-to" spellCheck={false} />
        </label>
        <label className="inline-label">
          JSON path
          <input className={bad('jsonPath')} value={jsonPath} onChange={(e) => setJsonPath(e.target.value)} placeholder="$.user.id" data-testid="filter-json-path" spellCheck={false} />
          =
          <input value={jsonEquals} onChange={(e) => setJsonEquals(e.target.value)} placeholder='42, "text", true' data-testid="filter-json-equals" aria-label="JSON value" spellCheck={false} />
        </label>
        <div className="button-row">
          <button type="submit" className="primary" data-testid="filter-run">
            Filter
          </button>
          {active && (
            <button type="button" onClick={clear} data-testid="filter-clear">
              Clear filter
            </button>
          )}
        </div>
      </div>
      {error && (
        <p className="form-error small" role="alert" data-testid="filter-error">
          {error.message}
        </p>
      )}
      {active && job && (
        <div className="job-line" data-testid="filter-status">
          <progress max={Math.max(1, job.total)} value={job.done} />
          <span>
            {job.state === 'running' ? 'Scanning in the engine: ' : job.state === 'cancelled' ? 'Cancelled after ' : ''}
            {formatCountExact(job.done)} of {formatCountExact(job.total)} offsets · <strong data-testid="filter-matches">{formatCountExact(job.matches)}</strong> match{job.matches === 1 ? '' : 'es'}
            {job.state === 'done' && job.note ? ` · ${job.note}` : ''}
          </span>
          {job.state === 'running' && (
            <button type="button" className="small-button" onClick={() => void cancel(job.id)} data-testid="filter-cancel">
              Cancel
            </button>
          )}
          {job.error && <span className="form-error">{job.error.message}</span>}
        </div>
      )}
    </form>
  );
}
