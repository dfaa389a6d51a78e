/**
 * The producer panel: one record at a time, with everything a Kafka producer chooses.
 * The partition is "by key" unless a number is given; as the key is typed the engine
 * is asked which partition Kafka's default partitioner (murmur2 of the key) picks, and
 * the send shows where the record really went. Values can be JSON, checked as you
 * type; headers are key/value rows.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { CompressionName, PartitionForKeyResult } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { Field } from '../../components/Field';
import { acksLabel, formatBytes, formatClock } from '../../components/format';
import { useStore } from '../../store';

export const CODECS: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
export const ACKS: { value: number; label: string; hint: string }[] = [
  { value: -1, label: 'all (-1)', hint: 'every in-sync replica has it' },
  { value: 1, label: '1', hint: 'the leader wrote it' },
  { value: 0, label: '0', hint: 'no answer: fire and forget' },
];

const PREVIEW_DELAY_MS = 150;

interface Header {
  id: number;
  key: string;
  value: string;
}

function jsonError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return `Not valid JSON: ${err instanceof Error ? err.message : String(err)}. Fix it, or switch to text.`;
  }
}

export function ProducerPanel({ topic }: { topic: string }) {
  const partitions = useStore((s) => s.snapshot?.topics.find((t) => t.name === topic)?.partitionCount ?? 1);
  const produce = useStore((s) => s.produce);
  const loadPartitionForKey = useStore((s) => s.loadPartitionForKey);
  const recent = useStore((s) => s.recentSends);
  const form = useStore((s) => s.producerForm);
  const edit = useStore((s) => s.editProducerForm);
  const { key, value, format, tombstone, partitionMode, partition, acks, headers } = form;
  const codec = form.compression;
  const setKey = (v: string) => edit({ key: v });
  const setValue = (v: string) => edit({ value: v });
  const setFormat = (v: 'text' | 'json') => edit({ format: v });
  const setTombstone = (v: boolean) => edit({ tombstone: v });
  const setPartitionMode = (v: 'key' | 'explicit') => edit({ partitionMode: v });
  const setPartition = (v: string) => edit({ partition: v });
  const setAcks = (v: number) => edit({ acks: v });
  const setCodec = (v: CompressionName) => edit({ compression: v });
  const setHeaders = (v: Header[]) => edit({ headers: v });
  const nextHeaderId = headers.reduce((n, h) => Math.max(n, h.id), 0) + 1;
  const [preview, setPreview] = useState<PartitionForKeyResult | null>(null);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  // Which partition murmur2 picks for the key, as it is typed.
  useEffect(() => {
    if (key === '' || partitionMode !== 'key') {
      setPreview(null);
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(() => {
      loadPartitionForKey(topic, key).then(
        (r) => !cancelled && setPreview(r),
        () => !cancelled && setPreview(null),
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [topic, key, partitionMode, partitions, loadPartitionForKey]);

  const localJsonError = !tombstone && format === 'json' ? jsonError(value) : null;
  const partitionNumber = /^\d+$/.test(partition.trim()) ? Number(partition.trim()) : Number.NaN;
  const localPartitionError =
    partitionMode === 'explicit' && !(partitionNumber >= 0 && partitionNumber < partitions) ? `Pick a partition from 0 to ${partitions - 1}.` : null;
  const headerErrors = headers.map((h) => (h.key.trim() === '' && h.value !== '' ? 'A header needs a name.' : null));

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (localJsonError || localPartitionError || headerErrors.some(Boolean)) return;
    setBusy(true);
    const r = await produce({
      topic,
      key: key === '' ? null : key,
      value: tombstone ? null : value,
      valueFormat: tombstone ? 'text' : format,
      partition: partitionMode === 'explicit' ? partitionNumber : null,
      headers: headers.filter((h) => h.key.trim() !== '').map((h) => ({ key: h.key, value: h.value })),
      acks,
      compression: codec,
    });
    setBusy(false);
    setError('error' in r ? r.error : null);
  };
  const fieldError = (f: string) => (error && error.field === f ? error.message : null);
  const last = recent.find((r) => r.topic === topic) ?? null;

  return (
    <form
      className="card form producer-panel"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
      }}
      data-testid="producer-panel"
      noValidate
    >
      <h2>Producer</h2>
      <Field label="Key" hint="optional; records with the same key go to the same partition" error={fieldError('key')} testId="pp-key">
        <input value={key} onChange={(e) => setKey(e.target.value)} placeholder="userA" spellCheck={false} data-testid="pp-key" />
      </Field>
      <div className="partition-choice">
        <span className="field-label">Partition</span>
        <label className="check">
          <input type="radio" checked={partitionMode === 'key'} onChange={() => setPartitionMode('key')} data-testid="pp-by-key" /> by key (Kafka's default partitioner)
        </label>
        <label className="check">
          <input type="radio" checked={partitionMode === 'explicit'} onChange={() => setPartitionMode('explicit')} data-testid="pp-explicit" /> partition
          <input className="tiny-input" value={partition} onChange={(e) => { setPartition(e.target.value); setPartitionMode('explicit'); }} inputMode="numeric" aria-label="Partition number" data-testid="pp-partition" />
        </label>
        {partitionMode === 'key' && (
          <p className="small murmur" data-testid="murmur-preview">
            {key === '' ? (
              <>No key: records are spread over the {partitions} partitions in turn.</>
            ) : preview && preview.key === key ? (
              <>
                murmur2("{key}") &amp; 0x7fffffff = {preview.hash}; {preview.hash} mod {preview.partitions} = partition <strong data-testid="murmur-partition">{preview.partition}</strong>
              </>
            ) : (
              <>…</>
            )}
          </p>
        )}
        {(localPartitionError || fieldError('partition')) && <span className="field-error" role="alert" data-testid="pp-partition-error">{localPartitionError ?? fieldError('partition')}</span>}
      </div>
      <div className="field">
        <span className="field-label">
          Value{' '}
          <span className="segmented">
            <button type="button" className={format === 'text' ? 'seg active' : 'seg'} onClick={() => setFormat('text')} data-testid="pp-format-text">text</button>
            <button type="button" className={format === 'json' ? 'seg active' : 'seg'} onClick={() => setFormat('json')} data-testid="pp-format-json">JSON</button>
          </span>
          <label className="check inline">
            <input type="checkbox" checked={tombstone} onChange={(e) => setTombstone(e.target.checked)} data-testid="pp-tombstone" /> tombstone (no value)
          </label>
          {format === 'json' && !tombstone && !localJsonError && (
            <button type="button" className="link small" onClick={() => setValue(JSON.stringify(JSON.parse(value), null, 2))}>format</button>
          )}
        </span>
        <textarea
          className={localJsonError || fieldError('value') ? 'invalid' : ''}
          value={tombstone ? '' : value}
          disabled={tombstone}
          onChange={(e) => setValue(e.target.value)}
          rows={4}
          spellCheck={false}
          data-testid="pp-value"
        />
        {(localJsonError || fieldError('value')) && <span className="field-error" role="alert" data-testid="pp-value-error">{localJsonError ?? fieldError('value')}</span>}
      </div>
      <div className="field">
        <span className="field-label">Headers</span>
        {headers.map((h, i) => (
          <div className="header-row" key={h.id}>
            <input placeholder="name" value={h.key} onChange={(e) => setHeaders(headers.map((x) => (x.id === h.id ? { ...x, key: e.target.value } : x)))} aria-label="Header name" data-testid={`pp-header-key-${i}`} />
            <input placeholder="value" value={h.value} onChange={(e) => setHeaders(headers.map((x) => (x.id === h.id ? { ...x, value: e.target.value } : x)))} aria-label="Header value" data-testid={`pp-header-value-${i}`} />
            <button type="button" className="small-button" onClick={() => setHeaders(headers.filter((x) => x.id !== h.id))} aria-label="Remove header">×</button>
            {headerErrors[i] && <span className="field-error">{headerErrors[i]}</span>}
          </div>
        ))}
        <button type="button" className="link left small" onClick={() => setHeaders([...headers, { id: nextHeaderId, key: '', value: '' }])} data-testid="pp-add-header">
          + add a header
        </button>
      </div>
      <div className="row">
        <Field label="acks" hint={ACKS.find((a) => a.value === acks)?.hint} error={fieldError('acks')} testId="pp-acks">
          <select value={acks} onChange={(e) => setAcks(Number(e.target.value))} data-testid="pp-acks">
            {ACKS.map((a) => (
              <option key={a.value} value={a.value}>{a.label}</option>
            ))}
          </select>
        </Field>
        <Field label="Compression" hint="codec of the record batch">
          <select value={codec} onChange={(e) => setCodec(e.target.value as CompressionName)} data-testid="pp-compression">
            {CODECS.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </Field>
      </div>
      {error && !['key', 'value', 'partition', 'acks'].includes(error.field ?? '') && <p className="form-error" role="alert" data-testid="pp-error">{error.message}</p>}
      <button type="submit" className="primary" disabled={busy} data-testid="pp-send" title="Ctrl+Enter">
        {busy ? 'Sending…' : 'Send'}
      </button>
      {last && (
        <p className="ok" data-testid="produce-result">
          Written to partition <strong data-testid="produce-result-partition">{last.partition}</strong>
          {last.offset === null ? ' (acks=0: the broker does not say at which offset)' : <> at offset <strong>{last.offset}</strong></>}
          {last.chosenBy === 'key' ? ', picked by murmur2 of the key' : last.chosenBy === 'round-robin' ? ', picked round robin (no key)' : ''} · acks={acksLabel(last.acks)} · {last.compression}{' '}
          batch of {formatBytes(last.batchBytes)}
        </p>
      )}
      {recent.length > 0 && (
        <div className="table-scroll">
        <table className="table compact-table" data-testid="recent-sends">
          <thead>
            <tr><th>Sent</th><th>Topic</th><th className="num">Partition</th><th className="num">Offset</th><th>By</th><th>acks</th><th>Batch</th></tr>
          </thead>
          <tbody>
            {recent.map((r) => (
              <tr key={`${r.topic}-${r.partition}-${r.offset}-${r.timestampMs}`}>
                <td className="mono">{formatClock(r.timestampMs)}</td>
                <td>{r.topic}</td>
                <td className="num">{r.partition}</td>
                <td className="num">{r.offset ?? '—'}</td>
                <td>{r.chosenBy}</td>
                <td>{acksLabel(r.acks)}</td>
                <td className="nowrap">{formatBytes(r.batchBytes)} {r.compression}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </form>
  );
}
