/**
 * The broker configs panel of the Cluster view: every broker config with its value in
 * effect on the chosen broker and where that value comes from (a per-broker or
 * cluster-wide dynamic config, the flags the cluster started with, or the default),
 * with Kafka's synonyms. Cluster-wide configs are edited in place as dynamic defaults
 * (what `kafka-configs --entity-type brokers --entity-default --alter` does); as you
 * type the change is checked by the controller (validateOnly, debounced) and a refused
 * value shows the reason and the valid range under its field, with nothing changed.
 * Read-only configs say how to set them: when the cluster starts, with --config.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { BrokerConfigEntryView, BrokerConfigSourceName } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { toErrorData } from '../../errors';
import { useStore } from '../../store';
import { usePoll } from '../../components/usePoll';

const VALIDATE_DELAY_MS = 300;

/** Short labels for the source badges; the badge's title is Kafka's ConfigSource name. */
const SOURCE_LABEL: Record<BrokerConfigSourceName, string> = {
  DYNAMIC_BROKER_CONFIG: 'this broker',
  DYNAMIC_DEFAULT_BROKER_CONFIG: 'cluster default',
  STATIC_BROKER_CONFIG: 'start flags',
  DEFAULT_CONFIG: 'default',
};

export function BrokerConfigs() {
  const brokerIds = useStore((s) => (s.snapshot?.brokers ?? []).map((b) => b.id).join(','));
  const loadBrokerConfigs = useStore((s) => s.loadBrokerConfigs);
  const alterBrokerDefaultConfigs = useStore((s) => s.alterBrokerDefaultConfigs);
  const [brokerId, setBrokerId] = useState(1);
  const { data, error: loadError, reload } = usePoll(() => loadBrokerConfigs(brokerId), [brokerId], 10_000);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [resets, setResets] = useState<Set<string>>(new Set());
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState('');
  const [onlySet, setOnlySet] = useState(false);
  const filterRef = useRef<HTMLInputElement | null>(null);

  const changes = Object.keys(edits).length + resets.size;
  // The controller's verdict as you type; nothing changes until Apply.
  useEffect(() => {
    if (changes === 0) {
      setError(null);
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(async () => {
      try {
        await alterBrokerDefaultConfigs({ set: edits, reset: [...resets], validateOnly: true });
        if (!cancelled) setError(null);
      } catch (err) {
        if (!cancelled) setError(toErrorData(err));
      }
    }, VALIDATE_DELAY_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [edits, resets, changes, alterBrokerDefaultConfigs]);

  const entries = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (data?.entries ?? []).filter((e) => (!onlySet || e.source !== 'DEFAULT_CONFIG' || e.name in edits) && (q === '' || e.name.includes(q) || e.doc.toLowerCase().includes(q)));
  }, [data, filter, onlySet, edits]);

  const apply = async () => {
    setBusy(true);
    try {
      const r = await alterBrokerDefaultConfigs({ set: edits, reset: [...resets] });
      const now = Object.entries(r.defaults).map(([k, v]) => `${k}=${v}`).join(', ');
      setNote(`Applied ${changes} change${changes > 1 ? 's' : ''} on every broker, no restart needed. Cluster-wide dynamic defaults: ${now || 'none'}.`);
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

  const fieldError = (name: string) => (error && error.field === `config:${name}` ? error.message : null);
  const generalError = error && !(error.field ?? '').startsWith('config:') ? error.message : null;
  return (
    <section className="card configs-card" data-testid="broker-configs">
      <div className="configs-head">
        <h2>Broker configs</h2>
        <label className="inline-field">
          broker
          <select value={brokerId} onChange={(e) => setBrokerId(Number(e.target.value))} aria-label="Broker" data-testid="broker-configs-broker">
            {brokerIds.split(',').filter(Boolean).map((id) => (
              <option key={id} value={id}>{id}</option>
            ))}
          </select>
        </label>
        <input ref={filterRef} className="filter" placeholder="Filter configs" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter broker configs" data-testid="broker-config-filter" />
        <label className="check">
          <input type="checkbox" checked={onlySet} onChange={(e) => setOnlySet(e.target.checked)} data-testid="broker-configs-only-set" /> only set ones
        </label>
        <button className="primary" disabled={changes === 0 || busy || error !== null} onClick={() => void apply()} data-testid="broker-configs-apply">
          {busy ? 'Applying…' : changes === 0 ? 'No changes' : `Apply ${changes} change${changes > 1 ? 's' : ''}`}
        </button>
        {changes > 0 && (
          <button onClick={() => { setEdits({}); setResets(new Set()); }} disabled={busy}>
            Discard
          </button>
        )}
      </div>
      <p className="muted small">
        Cluster-wide configs change here for every broker at once, as <code className="mono">kafka-configs --entity-type brokers --entity-default --alter</code> does;
        read-only ones are set when the cluster starts: <code className="mono">npm run serve -- --config num.partitions=3</code>.
      </p>
      {loadError && <p className="form-error" role="alert">{loadError.message}</p>}
      {generalError && <p className="form-error" role="alert" data-testid="broker-configs-error">{generalError}</p>}
      {note && <p className="ok small" data-testid="broker-configs-note">{note}</p>}
      {!data && !loadError && <p className="muted">Reading the configs of broker {brokerId}…</p>}
      {data && (
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
              <BrokerConfigRow
                key={e.name}
                entry={e}
                edited={edits[e.name]}
                reset={resets.has(e.name)}
                error={fieldError(e.name)}
                onEdit={(v) => {
                  const next = { ...edits };
                  if (v === (e.value ?? '')) delete next[e.name];
                  else next[e.name] = v;
                  setEdits(next);
                  if (resets.has(e.name)) setResets(new Set([...resets].filter((n) => n !== e.name)));
                  setNote(null);
                }}
                onReset={() => {
                  const next = { ...edits };
                  delete next[e.name];
                  setEdits(next);
                  setResets(new Set([...resets, e.name]));
                  setNote(null);
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {data && entries.length === 0 && <p className="muted small">No config matches "{filter}".</p>}
    </section>
  );
}

function BrokerConfigRow({ entry: e, edited, reset, error, onEdit, onReset }: { entry: BrokerConfigEntryView; edited: string | undefined; reset: boolean; error: string | null; onEdit: (v: string) => void; onReset: () => void }) {
  const value = edited ?? e.value ?? '';
  const editable = e.mode === 'cluster-wide';
  const shadowed = e.synonyms.slice(1).filter((s) => s.source !== 'DEFAULT_CONFIG');
  return (
    <tr data-testid={`broker-config-row-${e.name}`} className={edited !== undefined || reset ? 'edited' : ''}>
      <td className="config-name">
        <span className="mono">{e.name}</span> <span className={`badge ${editable ? 'badge-accent' : ''}`}>{e.mode}</span>
        <div className="muted small">{e.doc}</div>
        <div className="muted small">{e.type.toLowerCase()}, {e.allowed}</div>
      </td>
      <td className="config-value">
        {editable ? (
          <input className={error ? 'invalid' : ''} value={value} onChange={(ev) => onEdit(ev.target.value)} spellCheck={false} aria-label={e.name} data-testid={`broker-config-input-${e.name}`} />
        ) : (
          <span className="mono" data-testid={`broker-config-value-${e.name}`}>{e.value ?? '(not set)'}</span>
        )}
        {error && <div className="field-error" role="alert" data-testid={`broker-config-error-${e.name}`}>{error}</div>}
        {reset && <div className="muted small">the cluster-wide default goes when applied</div>}
        {shadowed.length > 0 && (
          <div className="muted small">overrides {shadowed.map((s) => `${s.name}=${s.value ?? 'null'} (${SOURCE_LABEL[s.source]})`).join(', ')}</div>
        )}
      </td>
      <td className="mono small config-default">{e.defaultValue ?? '(none)'}</td>
      <td className="config-source">
        <span className={`badge source-${e.source === 'DEFAULT_CONFIG' ? 'default' : e.source.startsWith('DYNAMIC') ? 'topic' : 'broker'}`} title={e.source} data-testid={`broker-config-source-${e.name}`}>{SOURCE_LABEL[e.source]}</span>
        {e.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG' && !reset && (
          <button className="link small" onClick={onReset} data-testid={`broker-config-reset-${e.name}`}>reset</button>
        )}
      </td>
    </tr>
  );
}
