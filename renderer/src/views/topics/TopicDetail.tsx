/**
 * One topic: tabs for its partitions (table, offsets over time, a quick produce form
 * and the newest messages), the partition log strip, the replication timeline,
 * compaction and configs. The partition picked in any tab is the one every tab shows.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { BrowsePage, BrowseRow, BytesPreview, PartitionView } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { Field } from '../../components/Field';
import { formatCount, formatCountExact } from '../../components/format';
import { toErrorData } from '../../errors';
import { useStore } from '../../store';
import type { TopicTab } from '../../store/topics';
import { OffsetsChart } from '../metrics/charts';
import { CompactionPanel } from './CompactionPanel';
import { PartitionLogStrip } from './PartitionLogStrip';
import { ReplicationTimeline } from './ReplicationTimeline';
import { TopicConfigs } from './TopicConfigs';

const TABS: { tab: TopicTab; label: string }[] = [
  { tab: 'overview', label: 'Partitions' },
  { tab: 'log', label: 'Log segments' },
  { tab: 'replication', label: 'Replication' },
  { tab: 'compaction', label: 'Compaction' },
  { tab: 'configs', label: 'Configs' },
];

export function TopicDetail({ name }: { name: string }) {
  const topic = useStore(
    useShallow((s) => {
      const t = s.snapshot?.topics.find((x) => x.name === name);
      if (!t) return null;
      // Offsets held between each partition's log start and high watermark: the records a consumer can read (compaction leaves gaps, so fewer there).
      const messages = t.partitions.reduce((n, p) => n + Math.max(0, p.highWatermark - p.logStartOffset), 0);
      return { name: t.name, partitions: t.partitionCount, rf: t.replicationFactor, policy: t.configs['cleanup.policy'] ?? 'delete', internal: t.internal, messages };
    }),
  );
  const tab = useStore((s) => s.topicTab);
  const setTab = useStore((s) => s.setTopicTab);
  const deleteTopic = useStore((s) => s.deleteTopic);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [confirming, setConfirming] = useState(false);
  if (!topic) return <div className="empty">Topic {name} no longer exists. Pick another topic on the left.</div>;
  return (
    <div className="detail" data-testid="topic-detail">
      <header className="detail-head">
        <h1>{topic.name}</h1>
        <span className="muted">
          {topic.partitions} {topic.partitions === 1 ? 'partition' : 'partitions'} · replication factor {topic.rf} · cleanup.policy {topic.policy} ·{' '}
          <span data-testid="topic-messages" title="Offsets between each partition's log start and high watermark: what a consumer reading from the start gets (on a compacted topic, up to this many: removed records leave gaps).">
            {formatCountExact(topic.messages)} {topic.messages === 1 ? 'message' : 'messages'}
            {topic.policy.includes('compact') ? ' at most' : ''}
          </span>
        </span>
        {topic.internal ? (
          <span className="badge" data-testid="topic-internal" title="The brokers write it and need it: it cannot be deleted from here.">
            internal, written by the brokers
          </span>
        ) : confirming ? (
          <span className="confirm">
            Delete "{topic.name}" and all its messages?{' '}
            <button className="danger" data-testid="delete-topic-confirm" onClick={async () => { setConfirming(false); setError(await deleteTopic(topic.name)); }}>Delete</button>{' '}
            <button onClick={() => setConfirming(false)}>Keep it</button>
          </span>
        ) : (
          <button className="danger" data-testid="delete-topic" onClick={() => setConfirming(true)}>Delete topic</button>
        )}
      </header>
      {error && <p className="form-error" role="alert">{error.message}</p>}
      <nav className="tabs" role="tablist" aria-label="Topic views">
        {TABS.map((t) => (
          <button key={t.tab} role="tab" aria-selected={tab === t.tab} className={tab === t.tab ? 'tab active' : 'tab'} onClick={() => setTab(t.tab)} data-testid={`tab-${t.tab}`}>
            {t.label}
          </button>
        ))}
      </nav>
      {tab !== 'overview' && tab !== 'configs' && <PartitionPicker name={name} count={topic.partitions} />}
      {tab === 'overview' && <Overview name={name} partitions={topic.partitions} internal={topic.internal} />}
      {tab === 'log' && <PartitionLogStrip topic={name} />}
      {tab === 'replication' && <ReplicationTimeline topic={name} />}
      {tab === 'compaction' && <CompactionPanel topic={name} />}
      {tab === 'configs' && <TopicConfigs topic={name} />}
    </div>
  );
}

function Overview({ name, partitions, internal }: { name: string; partitions: number; internal: boolean }) {
  const partition = useStore((s) => s.selectedPartition);
  const messages = useNewestMessages(name, partition);
  return (
    <>
      <PartitionTable name={name} />
      {!internal && <AddPartitions name={name} partitions={partitions} />}
      <section className="card">
        <h2>Log end offset of each partition</h2>
        <OffsetsChart topic={name} partitions={partitions} />
      </section>
      <ProduceForm topic={name} partitionCount={partitions} onSent={messages.refresh} />
      <MessageList topic={name} partition={partition} messages={messages} />
    </>
  );
}

/** Grows the topic (Kafka's CreatePartitions): more partitions, never fewer. */
function AddPartitions({ name, partitions }: { name: string; partitions: number }) {
  const add = useStore((s) => s.addPartitions);
  const [open, setOpen] = useState(false);
  const [count, setCount] = useState('');
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <button className="link small" onClick={() => (setOpen(true), setCount(String(partitions + 1)), setError(null))} data-testid="add-partitions-open">
        + add partitions
      </button>
    );
  }
  const n = /^\s*\d+\s*$/.test(count) ? Number(count) : null;
  const local = n === null ? 'A whole number.' : n <= partitions ? `More than ${partitions}: a topic can only grow.` : n > 10_000 ? 'At most 10000 partitions.' : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (local !== null || n === null) return;
    setBusy(true);
    const err = await add(name, n);
    setBusy(false);
    setError(err);
    if (!err) setOpen(false);
  };
  return (
    <form className="card form add-partitions" onSubmit={submit} noValidate data-testid="add-partitions">
      <div className="row">
        <Field label={`Partitions (now ${partitions})`} error={local ?? (error?.field === 'partitions' ? error.message : null)} testId="add-partitions-count">
          <input value={count} onChange={(ev) => setCount(ev.target.value)} inputMode="numeric" data-testid="add-partitions-count" autoFocus />
        </Field>
      </div>
      <p className="muted small">
        Records already written stay where they are. Keyed records written from now on may land on another partition than before (murmur2 of the key, modulo
        the new count), so the order of one key's records holds only from here on.
      </p>
      {error && error.field !== 'partitions' && <p className="form-error" role="alert">{error.message}</p>}
      <div className="button-row">
        <button className="primary" type="submit" disabled={busy || local !== null} data-testid="add-partitions-submit">
          {busy ? 'Adding…' : 'Add partitions'}
        </button>
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}

function PartitionPicker({ name, count }: { name: string; count: number }) {
  const selected = useStore((s) => s.selectedPartition);
  const select = useStore((s) => s.selectPartition);
  useEffect(() => {
    if (selected >= count) select(0);
  }, [selected, count, select]);
  return (
    <div className="partition-picker" role="group" aria-label="Partition">
      <span className="muted small">Partition</span>
      {Array.from({ length: Math.min(count, 64) }, (_, p) => (
        <button key={p} className={p === selected ? 'chip active' : 'chip'} onClick={() => select(p)} data-testid={`pick-partition-${p}`}>
          {p}
        </button>
      ))}
      {count > 64 && (
        <input className="chip-input" type="number" min={0} max={count - 1} value={selected} onChange={(e) => select(Math.max(0, Math.min(count - 1, Number(e.target.value) || 0)))} aria-label="Partition number" />
      )}
    </div>
  );
}

const NO_PARTITIONS: PartitionView[] = [];
/** Rows drawn in the partition table; a topic may have thousands of partitions. */
const MAX_TABLE_ROWS = 200;

function PartitionTable({ name }: { name: string }) {
  const partitions = useStore((s) => s.snapshot?.topics.find((t) => t.name === name)?.partitions ?? NO_PARTITIONS);
  const selected = useStore((s) => s.selectedPartition);
  const select = useStore((s) => s.selectPartition);
  return (
    <div className="table-scroll">
      <table className="table" data-testid="partition-table">
        <thead>
          <tr>
            <th className="num">Partition</th><th className="num">Leader</th><th className="num">Epoch</th><th>Replicas</th><th>ISR</th>
            <th className="num">Log start</th><th className="num">High watermark</th><th className="num">Log end</th>
          </tr>
        </thead>
        <tbody>
          {partitions.slice(0, MAX_TABLE_ROWS).map((p) => (
            <tr key={p.partition} className={selected === p.partition ? 'selected clickable' : 'clickable'} onClick={() => select(p.partition)} data-testid={`partition-row-${p.partition}`}>
              <td className="num">{p.partition}</td>
              <td className={p.leader === null ? 'num danger-text' : 'num'} data-testid={`partition-${p.partition}-leader`}>{p.leader ?? 'none'}</td>
              <td className="num">{p.leaderEpoch}</td>
              <td>{p.replicas.join(', ')}</td>
              <td className={p.isr.length < p.replicas.length ? 'warn-text' : ''} data-testid={`partition-${p.partition}-isr`}>{p.isr.join(', ')}</td>
              <td className="num">{formatCount(p.logStartOffset)}</td>
              <td className="num" data-testid={`partition-${p.partition}-hw`}>{p.highWatermark}</td>
              <td className="num">{p.logEndOffset}</td>
            </tr>
          ))}
          {partitions.length > MAX_TABLE_ROWS && (
            <tr>
              <td colSpan={8} className="muted small">
                …and {partitions.length - MAX_TABLE_ROWS} more partitions; pick one by number in the Log segments, Replication or Compaction tab.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function ProduceForm({ topic, partitionCount, onSent }: { topic: string; partitionCount: number; onSent: () => void }) {
  const selectPartition = useStore((s) => s.selectPartition);
  const produce = useStore((s) => s.produce);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [partition, setPartition] = useState('');
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = partition.trim() === '' ? null : /^\d+$/.test(partition.trim()) ? Number(partition.trim()) : Number.NaN;
    const r = await produce({ topic, key: key === '' ? null : key, value, partition: p }, false);
    if ('error' in r) {
      setError(r.error);
      setSent(null);
      return;
    }
    setError(null);
    setSent(`Written to partition ${r.ok.partition} at offset ${r.ok.offset}.`);
    selectPartition(r.ok.partition);
    onSent();
  };
  const fieldError = (f: string) => (error && error.field === f ? error.message : null);
  return (
    <form className="card form" onSubmit={submit} data-testid="produce-form" noValidate>
      <h2>Produce a message</h2>
      <p className="muted small">For acks, compression, headers and a load generator, use the Produce view (Ctrl+3).</p>
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

/**
 * The newest messages of the selected partition. Refreshed when the partition's high
 * watermark moves (a record from this form, the Produce view or a client over the
 * wire), at most once a second and NEWEST records at a time, so that a load generator
 * does not turn this list into a stream over IPC. The Messages view browses them all.
 */
const NEWEST = 20;
const REFRESH_MS = 1000;

function useNewestMessages(topic: string, partition: number): { data: BrowsePage | null; error: WorkbenchErrorData | null; refresh: () => void } {
  const hw = useStore((s) => s.snapshot?.topics.find((t) => t.name === topic)?.partitions[partition]?.highWatermark ?? 0);
  const logStart = useStore((s) => s.snapshot?.topics.find((t) => t.name === topic)?.partitions[partition]?.logStartOffset ?? 0);
  const loadNewestRows = useStore((s) => s.loadNewestRows);
  const [data, setData] = useState<BrowsePage | null>(null);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [kick, setKick] = useState(0);
  const last = useRef(0);
  useEffect(() => {
    setData(null);
    last.current = 0;
  }, [topic, partition]);
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      last.current = Date.now();
      try {
        const r = await loadNewestRows(topic, partition, logStart, hw, NEWEST);
        if (!cancelled) {
          setData(r);
          setError(null);
        }
      } catch (err) {
        if (!cancelled) setError(toErrorData(err));
      }
    };
    const wait = Math.max(0, last.current + REFRESH_MS - Date.now());
    const timer = window.setTimeout(() => void load(), wait);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [topic, partition, hw, logStart, kick, loadNewestRows]);
  return { data, error, refresh: () => { last.current = 0; setKick((k) => k + 1); } };
}

function MessageList({ topic, partition, messages }: { topic: string; partition: number; messages: ReturnType<typeof useNewestMessages> }) {
  const setView = useStore((s) => s.setView);
  const { data, error } = messages;
  const records = (data?.rows ?? []).filter((r) => r.kind !== 'gap');
  return (
    <section className="card">
      <h2>
        Partition {partition}: newest messages{' '}
        <button className="link small" onClick={() => setView('messages')}>browse them all in Messages</button>
      </h2>
      {error && <p className="form-error" role="alert">{error.message}</p>}
      {records.length === 0 ? (
        <p className="muted" data-testid="messages-empty">{data ? `No messages in partition ${partition} of ${topic} yet. Produce one above.` : 'Reading…'}</p>
      ) : (
        <div className="table-scroll">
          <table className="table messages" data-testid="message-list">
            <thead>
              <tr><th className="num">Offset</th><th>Timestamp</th><th>Key</th><th>Value</th></tr>
            </thead>
            <tbody>
              {[...records].reverse().map((m) => <MessageRow key={m.offset} m={m} />)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function MessageRow({ m }: { m: BrowseRow }) {
  return (
    <tr data-testid={`message-${m.offset}`}>
      <td className="num">{m.offset}</td>
      <td className="nowrap">{new Date(m.timestampMs ?? 0).toISOString().replace('T', ' ').replace('Z', '')}</td>
      <td className="mono">{showBytes(m.key)}</td>
      <td className="mono value-cell">{showBytes(m.value)}</td>
    </tr>
  );
}

function showBytes(b: BytesPreview | null): string {
  if (b === null) return '∅';
  if (b.binary) return `(${b.sizeBytes} bytes, binary)`;
  return b.truncated ? `${b.text}…` : b.text;
}
