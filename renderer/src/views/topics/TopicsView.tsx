/**
 * Topics: the list (partitions, replication factor, cleanup policy, size, messages per
 * second, under-replicated and offline partitions), creating a topic with Kafka's own
 * validation shown inline as you type (CreateTopics with validateOnly, debounced), and
 * the selected topic's detail panel.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TopicView } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { Field } from '../../components/Field';
import { formatBytes, formatCount } from '../../components/format';
import { isEditing, useSlashToFocus } from '../../components/useSlashToFocus';
import { localError } from '../../errors';
import { useStore } from '../../store';
import { TopicDetail } from './TopicDetail';

export function TopicsView() {
  const selected = useStore((s) => s.selectedTopic);
  const select = useStore((s) => s.selectTopic);
  useEffect(() => {
    // Esc closes the detail panel (unless a field is being edited).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || isEditing(e.target)) return;
      select(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [select]);
  return (
    <section className="topics-layout">
      <div className="topics-side">
        <h1>Topics</h1>
        <CreateTopicForm />
        <TopicList />
      </div>
      <div className="topics-main">{selected ? <TopicDetail name={selected} /> : <EmptyDetail />}</div>
    </section>
  );
}

function EmptyDetail() {
  const hasTopics = useStore((s) => (s.snapshot?.topics.filter((t) => !t.internal).length ?? 0) > 0);
  return (
    <div className="empty" data-testid="topic-empty-detail">
      {hasTopics
        ? 'Pick a topic on the left to see its partitions, log segments, replication, compaction and configs.'
        : 'No topics yet. Create one on the left: a name, how many partitions, how many replicas. Or let your own producer create one by writing to it.'}
    </div>
  );
}

type SortKey = 'name' | 'partitions' | 'policy' | 'size' | 'rate' | 'health';

/** The topic list's columns: a click on a header sorts by it (numbers biggest first), a second click reverses. */
const COLUMNS: { key: SortKey; label: string; title?: string; num: boolean; value: (t: TopicView, rates: Record<string, number> | undefined) => string | number }[] = [
  { key: 'name', label: 'Name', num: false, value: (t) => t.name },
  { key: 'partitions', label: 'Parts × RF', title: 'Partitions × replication factor', num: true, value: (t) => t.partitionCount * 1000 + t.replicationFactor },
  { key: 'policy', label: 'Cleanup', title: 'cleanup.policy', num: false, value: (t) => t.configs['cleanup.policy'] ?? 'delete' },
  { key: 'size', label: 'Size', num: true, value: (t) => t.sizeBytes },
  { key: 'rate', label: 'Msg/s', title: 'Messages appended per second', num: true, value: (t, rates) => rates?.[t.name] ?? 0 },
  { key: 'health', label: 'Health', title: 'Under-replicated partitions (ISR smaller than the replica list) and offline partitions (no leader)', num: true, value: (t) => t.offline * 100_000 + t.underReplicated },
];

function TopicList() {
  const showInternal = useStore((s) => s.showInternalTopics);
  const setShowInternal = useStore((s) => s.setShowInternalTopics);
  const internalCount = useStore((s) => (s.snapshot?.topics ?? []).filter((t) => t.internal).length);
  const topics = useStore(useShallow((s) => (s.snapshot?.topics ?? []).filter((t) => showInternal || !t.internal)));
  const rates = useStore((s) => s.snapshot?.metrics.topicMessagesPerS);
  const selected = useStore((s) => s.selectedTopic);
  const select = useStore((s) => s.selectTopic);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'name', desc: false });
  const filterRef = useRef<HTMLInputElement | null>(null);
  useSlashToFocus(filterRef);
  const internalSwitch = internalCount > 0 && (
    <label className="check small" title="Topics the brokers keep for themselves: __consumer_offsets holds the groups' committed offsets and generations.">
      <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.target.checked)} data-testid="show-internal-topics" /> show internal topics ({internalCount})
    </label>
  );
  if (topics.length === 0) {
    return (
      <>
        <p className="muted" data-testid="topics-empty">No topics yet.</p>
        {internalSwitch}
      </>
    );
  }
  const column = COLUMNS.find((c) => c.key === sort.key)!;
  const shown = topics
    .filter((t) => t.name.toLowerCase().includes(filter.trim().toLowerCase()))
    .map((t) => ({ t, v: column.value(t, rates) }))
    .sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : a.t.name < b.t.name ? -1 : 1) * (sort.desc && a.v !== b.v ? -1 : 1))
    .map((x) => x.t);
  return (
    <>
      <input
        ref={filterRef}
        className="filter"
        placeholder="Filter topics  ( / )"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && (setFilter(''), e.currentTarget.blur())}
        data-testid="topic-filter"
        aria-label="Filter topics"
      />
      {internalSwitch}
      <table className="table topic-table" data-testid="topic-list">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                className={`sortable${c.num ? ' num' : ''}`}
                title={c.title}
                aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                onClick={() => setSort(sort.key === c.key ? { key: c.key, desc: !sort.desc } : { key: c.key, desc: c.num })}
                data-testid={`topic-sort-${c.key}`}
              >
                {c.label}
                {sort.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((t) => (
            <tr key={t.name} className={t.name === selected ? 'selected clickable' : 'clickable'} onClick={() => select(t.name)} data-testid={`topic-row-${t.name}`}>
              <td className="topic-name-cell" title={t.internal ? `${t.name}: internal, written by the brokers` : t.name}>
                {t.name}
              </td>
              <td className="num nowrap">
                {t.partitionCount} × {t.replicationFactor}
              </td>
              <td>{t.configs['cleanup.policy'] ?? 'delete'}</td>
              <td className="num">{formatBytes(t.sizeBytes)}</td>
              <td className="num" data-testid={`topic-rate-${t.name}`}>{formatCount(rates?.[t.name] ?? 0)}</td>
              <td className="nowrap" data-testid={`topic-health-${t.name}`}>
                {t.offline > 0 && <span className="danger-text">{t.offline} offline</span>}
                {t.offline > 0 && t.underReplicated > 0 && ', '}
                {t.underReplicated > 0 && <span className="warn-text">{t.underReplicated} under</span>}
                {t.offline === 0 && t.underReplicated === 0 && <span className="muted">ok</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p className="muted small">No topic matches "{filter}".</p>}
    </>
  );
}

function parseWhole(text: string): number {
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** key=value lines into configs; a line that is not key=value is reported. */
function parseConfigLines(text: string): { configs: Record<string, string> } | { error: string } {
  const configs: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { error: `Line ${i + 1} is not name=value (for example retention.ms=60000).` };
    configs[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { configs };
}

const VALIDATE_DELAY_MS = 300;
const CREATE_FIELDS = ['name', 'partitions', 'replicationFactor', 'configs'];

function CreateTopicForm() {
  const brokerCount = useStore((s) => s.snapshot?.brokers.length ?? 3);
  const createTopic = useStore((s) => s.createTopic);
  const validateTopic = useStore((s) => s.validateTopic);
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('3');
  const [rf, setRf] = useState(String(Math.min(3, brokerCount)));
  const [policy, setPolicy] = useState('delete');
  const [more, setMore] = useState('');
  const [showMore, setShowMore] = useState(false);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [checked, setChecked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  type Request = { error: WorkbenchErrorData } | { args: { name: string; partitions: number; replicationFactor: number; configs: Record<string, string> } };
  const request = (): Request => {
    const parsed = parseConfigLines(more);
    if ('error' in parsed) return { error: localError('INVALID_CONFIG', parsed.error, 'configs') };
    const configs: Record<string, string> = { ...parsed.configs };
    if (policy !== 'delete') configs['cleanup.policy'] = policy;
    return { args: { name: name.trim(), partitions: parseWhole(partitions), replicationFactor: parseWhole(rf), configs } };
  };

  // Kafka's validation as you type: CreateTopics with validateOnly, debounced.
  useEffect(() => {
    if (name.trim() === '') {
      setError(null);
      setChecked(null);
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(async () => {
      const r = request();
      if ('error' in r) {
        setError(r.error);
        return;
      }
      const refusal = await validateTopic(r.args);
      if (!cancelled) {
        setError(refusal);
        setChecked(refusal ? null : `Kafka accepts "${r.args.name}".`);
      }
    }, VALIDATE_DELAY_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [name, partitions, rf, policy, more]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = request();
    if ('error' in r) {
      setError(r.error);
      return;
    }
    setBusy(true);
    const err = await createTopic(r.args);
    setBusy(false);
    setError(err);
    setChecked(null);
    if (!err) {
      setName('');
      setMore('');
    }
  };
  const fieldError = (f: string) => (error && error.field === f ? error.message : null);
  return (
    <form className="card form" onSubmit={submit} data-testid="create-topic-form" noValidate>
      <h2>New topic</h2>
      <Field label="Name" error={fieldError('name')} testId="topic-name" hint={checked ?? 'letters, digits, ".", "_" and "-"'}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="user_activity" data-testid="topic-name" autoComplete="off" spellCheck={false} />
      </Field>
      <div className="row">
        <Field label="Partitions" error={fieldError('partitions')} testId="topic-partitions">
          <input value={partitions} onChange={(e) => setPartitions(e.target.value)} inputMode="numeric" data-testid="topic-partitions" />
        </Field>
        <Field label="Replication factor" error={fieldError('replicationFactor')} testId="topic-rf" hint={`1 to ${brokerCount}`}>
          <input value={rf} onChange={(e) => setRf(e.target.value)} inputMode="numeric" data-testid="topic-rf" />
        </Field>
      </div>
      <Field label="Cleanup policy" hint={policy === 'delete' ? 'old segments are deleted by age or size' : 'keeps the latest record per key'}>
        <select value={policy} onChange={(e) => setPolicy(e.target.value)} data-testid="topic-policy">
          <option value="delete">delete</option>
          <option value="compact">compact</option>
          <option value="compact,delete">compact,delete</option>
        </select>
      </Field>
      {showMore ? (
        <Field label="More configs" error={fieldError('configs')} testId="topic-configs" hint="one name=value per line, e.g. segment.bytes=4096">
          <textarea value={more} onChange={(e) => setMore(e.target.value)} rows={3} data-testid="topic-configs" spellCheck={false} placeholder={'retention.ms=60000\nsegment.bytes=4096'} />
        </Field>
      ) : (
        <button type="button" className="link left" onClick={() => setShowMore(true)} data-testid="topic-more-configs">+ more configs (retention, segment size…)</button>
      )}
      {error && !CREATE_FIELDS.includes(error.field ?? '') && <p className="form-error" role="alert">{error.message}</p>}
      {error && error.field === 'configs' && !showMore && <p className="form-error" role="alert">{error.message}</p>}
      <button type="submit" className="primary" disabled={busy} data-testid="create-topic">{busy ? 'Creating…' : 'Create topic'}</button>
    </form>
  );
}
