/**
 * The selected record in full: where it is (partition, offset, timestamp and type,
 * size, batch facts), its headers, and its key and value as JSON (pretty and
 * collapsible), text, or hex. Long values are shown in part (the engine carries up to
 * 2 MiB; the hex view shows the first 64 KiB).
 */
import { useState, type ReactNode } from 'react';
import type { BytesFull, RecordDetail } from '../../../../engine/api/contract';
import { useStore } from '../../store';
import { formatTimestamp } from '../../components/format';

const HEX_LIMIT_BYTES = 64 * 1024;
const JSON_CHILDREN_LIMIT = 500;

export function DetailPane() {
  const detail = useStore((s) => s.msgDetail);
  const error = useStore((s) => s.msgDetailError);
  const selected = useStore((s) => s.msgSelected);
  const clear = useStore((s) => s.msgClearSelection);
  if (!selected) return null;
  return (
    <aside className="card msg-detail" data-testid="message-detail">
      <div className="card-head">
        <h2>
          Partition {selected.partition} · offset {selected.offset}
        </h2>
        <button className="small-button" onClick={clear} aria-label="Close the detail">
          Close
        </button>
      </div>
      {error && <p className="form-error" role="alert">{error.message}</p>}
      {!error && !detail && <p className="muted">No record at this offset: compaction removed it. The offset stays; the record does not.</p>}
      {detail && detail.partition === selected.partition && detail.offset === selected.offset && <Detail d={detail} />}
    </aside>
  );
}

function Detail({ d }: { d: RecordDetail }) {
  return (
    <>
      <dl className="kv small">
        <dt>Timestamp</dt>
        <dd>
          {formatTimestamp(d.timestampMs)} <span className="muted">({d.timestampType}, {d.timestampMs} ms)</span>
        </dd>
        <dt>Record</dt>
        <dd>
          {d.sizeBytes} bytes{d.kind === 'control' ? ` · ${d.controlType} transaction marker` : ''}
          {d.kind === 'record' && d.value === null ? ' · tombstone (null value)' : ''}
        </dd>
        <dt>Batch</dt>
        <dd>
          offsets {d.batch.baseOffset}–{d.batch.lastOffset} · {d.batch.recordCount} record{d.batch.recordCount === 1 ? '' : 's'} · {d.batch.sizeBytes} bytes · {d.batch.compression}
        </dd>
        <dt>Producer</dt>
        <dd>
          {d.batch.producerId < 0 ? 'not idempotent' : `id ${d.batch.producerId}, epoch ${d.batch.producerEpoch}, sequence ${d.batch.baseSequence}`}
          {d.batch.transactional ? ' · transactional' : ''} · leader epoch {d.batch.partitionLeaderEpoch}
        </dd>
      </dl>
      {d.headers.length > 0 && (
        <>
          <h3>Headers</h3>
          <table className="table compact-table" data-testid="detail-headers">
            <tbody>
              {d.headers.map((h, i) => (
                <tr key={i}>
                  <td className="mono">{h.key}</td>
                  <td className="mono">{h.value === null ? <span className="null">null</span> : h.value.text ?? `base64: ${h.value.base64}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {d.internal && (
        <>
          <h3>{d.internal.kind === 'offset-commit' ? 'Offset commit' : 'Group metadata'}, decoded</h3>
          <p className="muted small">
            A record the brokers write to __consumer_offsets: {d.internal.kind === 'offset-commit' ? 'where a group will resume reading a partition' : 'a generation of a group, with its members and what each was assigned'}
            {d.internal.value === null ? '. Its null value deletes it (the offset or group was deleted or expired).' : '.'}
          </p>
          <div className="json-tree mono small" data-testid="detail-internal">
            <JsonNode value={d.internal.fields} name={null} depth={0} />
          </div>
        </>
      )}
      <BytesView label="Key" bytes={d.key} testId="detail-key" />
      <BytesView label="Value" bytes={d.value} testId="detail-value" />
    </>
  );
}

type Mode = 'json' | 'text' | 'hex';

function parseJson(text: string | null): { ok: true; value: unknown } | { ok: false } {
  if (text === null) return { ok: false };
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('[') || t.startsWith('"') || /^-?\d/.test(t) || t === 'true' || t === 'false' || t === 'null')) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(t) };
  } catch {
    return { ok: false };
  }
}

function BytesView({ label, bytes, testId }: { label: string; bytes: BytesFull | null; testId: string }) {
  const json = bytes ? parseJson(bytes.text) : { ok: false as const };
  const [choice, setChoice] = useState<Mode | null>(null);
  const fallback: Mode = json.ok ? 'json' : bytes && bytes.text !== null ? 'text' : 'hex';
  const usable = (m: Mode | null) => m !== null && !(m === 'json' && !json.ok) && !(m === 'text' && (!bytes || bytes.text === null));
  const mode: Mode = usable(choice) ? choice! : fallback;
  return (
    <section className="bytes-view" data-testid={testId}>
      <div className="bytes-head">
        <h3>
          {label} {bytes && <span className="muted">({bytes.sizeBytes} bytes{bytes.truncated ? ', first 2 MiB shown' : ''})</span>}
        </h3>
        {bytes && (
          <div className="seg" role="tablist">
            {(['json', 'text', 'hex'] as Mode[]).map((m) => (
              <button key={m} role="tab" aria-selected={mode === m} className={mode === m ? 'seg-btn active' : 'seg-btn'} disabled={(m === 'json' && !json.ok) || (m === 'text' && bytes.text === null)} onClick={() => setChoice(m)} data-testid={`${testId}-${m}`}>
                {m === 'json' ? 'JSON' : m === 'text' ? 'Text' : 'Hex'}
              </button>
            ))}
          </div>
        )}
      </div>
      {bytes === null ? (
        <p className="null">{label === 'Value' ? 'null (a tombstone)' : 'null'}</p>
      ) : mode === 'json' && json.ok ? (
        <div className="json-tree mono" data-testid={`${testId}-tree`}>
          <JsonNode value={json.value} name={null} depth={0} />
        </div>
      ) : mode === 'text' ? (
        <pre className="bytes-text mono">{bytes.text}</pre>
      ) : (
        <HexDump bytes={bytes} />
      )}
    </section>
  );
}

function JsonNode({ value, name, depth }: { value: unknown; name: string | null; depth: number }) {
  const label = name === null ? null : <span className="json-key">{JSON.stringify(name)}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf">
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries: [string | null, unknown][] = Array.isArray(value) ? value.map((v) => [null, v]) : Object.entries(value as Record<string, unknown>);
  const open = Array.isArray(value) ? '[' : '{';
  const close = Array.isArray(value) ? ']' : '}';
  const shown = entries.slice(0, JSON_CHILDREN_LIMIT);
  const children: ReactNode[] = shown.map(([k, v], i) => <JsonNode key={i} value={v} name={k} depth={depth + 1} />);
  if (entries.length > shown.length) children.push(<div key="more" className="muted">… {entries.length - shown.length} more</div>);
  return (
    <details className="json-node" open={depth < 3}>
      <summary>
        {label}
        {open}
        <span className="muted json-count">{entries.length} {Array.isArray(value) ? 'items' : 'keys'}</span>
        {close}
      </summary>
      <div className="json-children">{children}</div>
    </details>
  );
}

function HexDump({ bytes }: { bytes: BytesFull }) {
  const data = bytes.base64 !== null ? base64Bytes(bytes.base64) : new TextEncoder().encode(bytes.text ?? '');
  const n = Math.min(data.length, HEX_LIMIT_BYTES);
  const lines: string[] = [];
  for (let at = 0; at < n; at += 16) {
    const row = data.subarray(at, Math.min(n, at + 16));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return (
    <pre className="bytes-text mono hex" data-testid="hex-dump">
      {lines.join('\n')}
      {data.length > n ? `\n… ${data.length - n} more bytes` : ''}
    </pre>
  );
}

function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
