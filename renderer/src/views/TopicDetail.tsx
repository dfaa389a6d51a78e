import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MessageView, BytesView } from '../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../engine/api/errors';
import { Field } from '../components/Field';
import { useStore } from '../store';

export function TopicDetail({ name }: { name: string }) {
  const topic = useStore((s) => s.snapshot?.topics.find((t) => t.name === name) ?? null);
  const deleteTopic = useStore((s) => s.deleteTopic);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  if (!topic) return <div className="empty">Topic {name} no longer exists.</div>;
  return (
    <div className="detail" data-testid="topic-detail">
      <header className="detail-head">
        <h1>{topic.name}</h1>
        <span className="muted">{topic.partitions.length} partitions · replication factor {topic.replicationFactor}</span>
        <button
          className="danger"
          onClick={async () => {
            if (confirm(`Delete topic "${topic.name}" and all its messages?`)) setError(await deleteTopic(topic.name));
          }}
        >
          Delete topic
        </button>
      </header>
      {error && <p className="form-error" role="alert">{error.message}</p>}
      <PartitionTable name={name} />
      <ProduceForm topic={name} partitionCount={topic.partitions.length} />
      <MessageList />
    </div>
  );
}

function PartitionTable({ name }: { name: string }) {
  const partitions = useStore((s) => s.snapshot?.topics.find((t) => t.name === name)?.partitions ?? []);
  const { openTopic, openPartition } = useStore(useShallow((s) => ({ openTopic: s.browserTopic, openPartition: s.browserPartition })));
  const open = useStore((s) => s.openPartition);
  return (
    <table className="table" data-testid="partition-table">
      <thead>
        <tr><th className="num">Partition</th><th className="num">Leader</th><th>Replicas</th><th>ISR</th><th className="num">Log start</th><th className="num">High watermark</th></tr>
      </thead>
      <tbody>
        {partitions.map((p) => (
          <tr
            key={p.partition}
            className={openTopic === name && openPartition === p.partition ? 'selected clickable' : 'clickable'}
            onClick={() => open(name, p.partition)}
            data-testid={`partition-row-${p.partition}`}
          >
            <td className="num">{p.partition}</td>
            <td className="num">{p.leader ?? 'none'}</td>
            <td>{p.replicas.join(', ')}</td>
            <td>{p.isr.join(', ')}</td>
            <td className="num">{p.logStartOffset}</td>
            <td className="num" data-testid={`partition-${p.partition}-hw`}>{p.highWatermark}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ProduceForm({ topic, partitionCount }: { topic: string; partitionCount: number }) {
  const produce = useStore((s) => s.produce);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [partition, setPartition] = useState('');
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = partition.trim() === '' ? null : /^\d+$/.test(partition.trim()) ? Number(partition.trim()) : Number.NaN;
    const result = await produce({ topic, key: key === '' ? null : key, value, partition: p });
    if ('error' in result) {
      setError(result.error);
      setSent(null);
    } else {
      setError(null);
      setSent(`Written to partition ${result.ok.partition} at offset ${result.ok.offset}.`);
    }
  };
  const fieldError = (f: string) => (error && error.field === f ? error.message : null);
  return (
    <form className="card form" onSubmit={submit} data-testid="produce-form" noValidate>
      <h2>Produce a message</h2>
      <div className="row">
        <Field label="Key" hint="optional" error={fieldError('key')}>
          <input value={key} onChange={(e) => setKey(e.target.value)} data-testid="produce-key" spellCheck={false} />
        </Field>
        <Field label="Partition" hint={`empty: chosen by key; 0 to ${partitionCount - 1}`} error={fieldError('partition')} testId="produce-partition">
          <input value={partition} onChange={(e) => setPartition(e.target.value)} inputMode="numeric" data-testid="produce-partition" />
        </Field>
      </div>
      <Field label="Value" error={fieldError('value')} testId="produce-value">
        <textarea value={value} onChange={(e) => setValue(e.target.value)} rows={3} data-testid="produce-value" spellCheck={false} />
      </Field>
      {error && !['key', 'value', 'partition'].includes(error.field ?? '') && <p className="form-error" role="alert">{error.message}</p>}
      {sent && <p className="ok" data-testid="produce-ok">{sent}</p>}
      <button type="submit" className="primary" data-testid="produce-send">Send</button>
    </form>
  );
}

function MessageList() {
  const { topic, partition, records, hw, error } = useStore(
    useShallow((s) => ({ topic: s.browserTopic, partition: s.browserPartition, records: s.records, hw: s.highWatermark, error: s.browserError })),
  );
  const snapshotHw = useStore((s) => s.snapshot?.topics.find((t) => t.name === topic)?.partitions[partition]?.highWatermark ?? 0);
  const reload = useStore((s) => s.reloadRecords);
  useEffect(() => {
    // New messages (from anywhere: this form, a client over the wire) show up as the
    // snapshot's high watermark moves past what the list holds.
    if (snapshotHw !== hw) void reload();
  }, [snapshotHw, hw, reload]);
  if (topic === null) return null;
  return (
    <section className="card">
      <h2>Partition {partition} messages</h2>
      {error && <p className="form-error" role="alert">{error.message}</p>}
      {records.length === 0 ? (
        <p className="muted" data-testid="messages-empty">No messages in partition {partition} yet. Produce one above.</p>
      ) : (
        <table className="table messages" data-testid="message-list">
          <thead>
            <tr><th className="num">Offset</th><th>Timestamp</th><th>Key</th><th>Value</th></tr>
          </thead>
          <tbody>
            {[...records].reverse().map((m) => <MessageRow key={m.offset} m={m} />)}
          </tbody>
        </table>
      )}
    </section>
  );
}

function MessageRow({ m }: { m: MessageView }) {
  return (
    <tr data-testid={`message-${m.offset}`}>
      <td className="num">{m.offset}</td>
      <td className="nowrap">{new Date(m.timestampMs).toISOString().replace('T', ' ').replace('Z', '')}</td>
      <td className="mono">{showBytes(m.key)}</td>
      <td className="mono value-cell">{showBytes(m.value)}</td>
    </tr>
  );
}

function showBytes(b: BytesView | null): string {
  if (b === null) return '∅';
  if (b.text !== null) return b.text;
  return `(${b.sizeBytes} bytes, binary)`;
}
