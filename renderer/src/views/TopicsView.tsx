import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { WorkbenchErrorData } from '../../../engine/api/errors';
import { Field, formatBytes } from '../components/Field';
import { useStore } from '../store';
import { TopicDetail } from './TopicDetail';

export function TopicsView() {
  const selected = useStore((s) => s.selectedTopic);
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
  const hasTopics = useStore((s) => (s.snapshot?.topics.length ?? 0) > 0);
  return (
    <div className="empty">
      {hasTopics ? 'Pick a topic to produce to it and see its messages.' : 'No topics yet. Create one on the left: a name, how many partitions, how many replicas.'}
    </div>
  );
}

function TopicList() {
  const topics = useStore(useShallow((s) => (s.snapshot?.topics ?? []).filter((t) => !t.internal)));
  const selected = useStore((s) => s.selectedTopic);
  const select = useStore((s) => s.selectTopic);
  if (topics.length === 0) return <p className="muted" data-testid="topics-empty">No topics yet.</p>;
  return (
    <table className="table" data-testid="topic-list">
      <thead>
        <tr><th>Name</th><th className="num">Partitions</th><th className="num">RF</th><th className="num">Size</th></tr>
      </thead>
      <tbody>
        {topics.map((t) => (
          <tr key={t.name} className={t.name === selected ? 'selected clickable' : 'clickable'} onClick={() => select(t.name)} data-testid={`topic-row-${t.name}`}>
            <td>{t.name}</td>
            <td className="num">{t.partitions.length}</td>
            <td className="num">{t.replicationFactor}</td>
            <td className="num">{formatBytes(t.sizeBytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function parseWhole(text: string): number {
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

function CreateTopicForm() {
  const brokerCount = useStore((s) => s.snapshot?.brokers.length ?? 3);
  const createTopic = useStore((s) => s.createTopic);
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('3');
  const [rf, setRf] = useState(String(Math.min(3, brokerCount)));
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const err = await createTopic({ name: name.trim(), partitions: parseWhole(partitions), replicationFactor: parseWhole(rf) });
    setBusy(false);
    setError(err);
    if (!err) setName('');
  };
  const fieldError = (f: string) => (error && error.field === f ? error.message : null);
  return (
    <form className="card form" onSubmit={submit} data-testid="create-topic-form" noValidate>
      <h2>New topic</h2>
      <Field label="Name" error={fieldError('name')} testId="topic-name">
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
      {error && !['name', 'partitions', 'replicationFactor'].includes(error.field ?? '') && <p className="form-error" role="alert">{error.message}</p>}
      <button type="submit" className="primary" disabled={busy} data-testid="create-topic">Create topic</button>
    </form>
  );
}
