/**
 * The load generator: produces inside the engine at a chosen rate, through the same
 * produce path as every producer, and reads it back as a consumer does. Shows the
 * achieved rate against the target, a consumer keeping up (its lag), the partitions
 * filling in parallel, and the bytes the brokers received next to the bytes they
 * served to consumers as stored ("zero-copy": the fetch path hands out the stored
 * batch bytes without decoding or re-encoding them).
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CompressionName, GroupSummary } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { Field } from '../../components/Field';
import { acksLabel, formatByteRate, formatBytes, formatCount, formatRate } from '../../components/format';
import { useStore } from '../../store';
import { LoadChart, OffsetsChart } from '../metrics/charts';
import { ACKS, CODECS } from './ProducerPanel';

function whole(text: string, min: number, max: number): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

export function LoadGeneratorPanel({ topic }: { topic: string }) {
  // Only what the form needs: the figures below re-render on their own.
  const running = useStore((s) => s.snapshot?.records.load.running ?? false);
  const loadTopic = useStore((s) => s.snapshot?.records.load.settings?.topic ?? null);
  const partitions = useStore((s) => s.snapshot?.topics.find((t) => t.name === topic)?.partitionCount ?? 1);
  const start = useStore((s) => s.startLoad);
  const stop = useStore((s) => s.stopLoad);
  const form = useStore((s) => s.loadForm);
  const edit = useStore((s) => s.editLoadForm);
  const { rate, keySpace, size, acks, readBack } = form;
  const codec = form.compression;
  const setRate = (v: string) => edit({ rate: v });
  const setKeySpace = (v: string) => edit({ keySpace: v });
  const setSize = (v: string) => edit({ size: v });
  const setAcks = (v: number) => edit({ acks: v });
  const setCodec = (v: CompressionName) => edit({ compression: v });
  const setReadBack = (v: boolean) => edit({ readBack: v });
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  const r = whole(rate, 1, 1_000_000);
  const k = whole(keySpace, 0, 1_000_000);
  const v = whole(size, 0, 100_000);
  const runningHere = running && loadTopic === topic;

  const onStart = async () => {
    if (r === null || k === null || v === null) return;
    setBusy(true);
    const res = await start({ topic, ratePerS: r, keySpace: k, valueBytes: v, acks, compression: codec, readBack });
    setError('error' in res ? res.error : null);
    setBusy(false);
  };
  const onStop = async () => {
    setBusy(true);
    setError(await stop());
    setBusy(false);
  };
  const fieldError = (f: string) => (error && error.field === f ? error.message : null);

  return (
    <div className="card form load-panel" data-testid="load-panel">
      <header className="card-head">
        <h2>Load generator</h2>
        <span className={running ? 'badge state-up' : 'badge'} data-testid="load-state">{running ? `running on ${loadTopic}` : 'stopped'}</span>
      </header>
      <div className="row">
        <Field label="Messages per second" error={r === null ? 'A whole number from 1 to 1000000.' : fieldError('ratePerS')} testId="lg-rate">
          <input value={rate} onChange={(e) => setRate(e.target.value)} inputMode="numeric" data-testid="lg-rate" />
        </Field>
        <Field label="Key space" hint="0: no keys" error={k === null ? 'A whole number from 0 to 1000000.' : fieldError('keySpace')} testId="lg-keys">
          <input value={keySpace} onChange={(e) => setKeySpace(e.target.value)} inputMode="numeric" data-testid="lg-keys" />
        </Field>
        <Field label="Value bytes" error={v === null ? 'A whole number from 0 to 100000.' : fieldError('valueBytes')} testId="lg-size">
          <input value={size} onChange={(e) => setSize(e.target.value)} inputMode="numeric" data-testid="lg-size" />
        </Field>
      </div>
      <div className="row">
        <Field label="acks">
          <select value={acks} onChange={(e) => setAcks(Number(e.target.value))} data-testid="lg-acks">
            {ACKS.map((a) => (
              <option key={a.value} value={a.value}>{a.label}</option>
            ))}
          </select>
        </Field>
        <Field label="Compression">
          <select value={codec} onChange={(e) => setCodec(e.target.value as CompressionName)} data-testid="lg-compression">
            {CODECS.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </Field>
        <label className="check self-end">
          <input type="checkbox" checked={readBack} onChange={(e) => setReadBack(e.target.checked)} data-testid="lg-readback" /> read it back as a consumer
        </label>
      </div>
      {error && !['ratePerS', 'keySpace', 'valueBytes'].includes(error.field ?? '') && <p className="form-error" role="alert" data-testid="lg-error">{error.message}</p>}
      <div className="button-row">
        <button className="primary" onClick={() => void onStart()} disabled={busy || r === null || k === null || v === null} data-testid="lg-start">
          {runningHere ? 'Apply settings' : running ? `Move load to ${topic}` : 'Start'}
        </button>
        <button onClick={() => void onStop()} disabled={busy || !running} data-testid="lg-stop">Stop</button>
      </div>
      <LoadStatusView />
      <GroupsOnTopic topic={topic} />
      <LoadChart />
      <ZeroCopy />
      <h3>Partitions of {topic} filling in parallel</h3>
      <PartitionFill topic={topic} />
      <OffsetsChart topic={topic} partitions={partitions} height={150} />
    </div>
  );
}

function LoadStatusView() {
  const load = useStore((s) => s.snapshot?.records.load ?? null);
  if (!load || !load.settings) return <p className="muted small">Start it to see throughput, the partitions filling and a consumer keeping up.</p>;
  const s = load.settings;
  return (
    <div className="load-status" data-testid="load-status">
      <div className="figure">
        <div className="figure-value" data-testid="lg-achieved">{formatRate(load.recordsPerS)}</div>
        <div className="figure-label">
          produced (target {formatCount(s.ratePerS)}/s) · {formatByteRate(load.bytesPerS)}
        </div>
      </div>
      <div className="figure">
        <div className="figure-value" data-testid="lg-acked">{formatCount(load.ackedRecords)}</div>
        <div className="figure-label">
          acknowledged (acks={acksLabel(s.acks)}, {s.compression}){load.failedRecords > 0 ? ` · ${formatCount(load.failedRecords)} refused` : ''}
        </div>
      </div>
      {load.readBack && (
        <div className="figure">
          <div className="figure-value" data-testid="lg-lag">{formatCount(load.readBack.lagRecords)}</div>
          <div className="figure-label">consumer lag · reading {formatRate(load.readBack.recordsPerS)}</div>
        </div>
      )}
      {load.lastError && <p className="form-error small" role="alert">{load.lastError}</p>}
    </div>
  );
}

const NO_GROUPS: GroupSummary[] = [];

/** Consumer groups of the built-in consumers reading this topic, with their lag (from the Groups view's data). */
function GroupsOnTopic({ topic }: { topic: string }) {
  const groups = useStore(
    useShallow((s) => {
      const c = s.snapshot?.groups;
      if (!c?.consumers || !c.groups) return NO_GROUPS;
      const ids = new Set(c.consumers.filter((x) => x.topic === topic).map((x) => x.groupId));
      return ids.size === 0 ? NO_GROUPS : c.groups.filter((g) => ids.has(g.groupId));
    }),
  );
  const setView = useStore((s) => s.setView);
  if (groups.length === 0) {
    return (
      <p className="muted small">
        Besides the read-back above, no consumer group reads {topic} yet. <button className="link small" onClick={() => setView('groups')}>Start one in Groups</button> (Ctrl+5) and
        watch it keep up, or fall behind.
      </p>
    );
  }
  return (
    <p className="small" data-testid="load-groups">
      Consumer groups on {topic}:{' '}
      {groups.map((g, i) => (
        <span key={g.groupId}>
          {i > 0 && ' · '}
          <strong>{g.groupId}</strong> lag {g.totalLag === null ? '—' : formatCount(g.totalLag)} ({g.state})
        </span>
      ))}
    </p>
  );
}

function ZeroCopy() {
  const totals = useStore(useShallow((s) => s.snapshot?.metrics.totals ?? null));
  const rates = useStore(
    useShallow((s) => {
      const r = s.snapshot?.metrics.brokerRates ?? [];
      return { in: r.reduce((n, b) => n + b.bytesInPerS, 0), consumers: r.reduce((n, b) => n + b.bytesOutToConsumersPerS, 0), followers: r.reduce((n, b) => n + b.bytesOutToFollowersPerS, 0) };
    }),
  );
  if (!totals) return null;
  return (
    <div className="zero-copy" data-testid="zero-copy">
      <div className="figure">
        <div className="figure-value">{formatBytes(totals.bytesIn)}</div>
        <div className="figure-label">received from producers</div>
        <div className="figure-label">{formatByteRate(rates.in)} now</div>
      </div>
      <div className="figure">
        <div className="figure-value" data-testid="zero-copy-bytes">{formatBytes(totals.bytesOutToConsumers)}</div>
        <div className="figure-label" title="The fetch path hands out the stored record batches as they are on disk: no decoding, no re-encoding">served to consumers as stored ("zero-copy")</div>
        <div className="figure-label">{formatByteRate(rates.consumers)} now</div>
      </div>
      <div className="figure">
        <div className="figure-value">{formatBytes(totals.bytesOutToFollowers)}</div>
        <div className="figure-label">copied to follower replicas</div>
        <div className="figure-label">{formatByteRate(rates.followers)} now</div>
      </div>
    </div>
  );
}

function PartitionFill({ topic }: { topic: string }) {
  const parts = useStore(useShallow((s) => (s.snapshot?.topics.find((t) => t.name === topic)?.partitions ?? []).map((p) => p.logEndOffset)));
  const max = Math.max(1, ...parts);
  return (
    <div className="fill-bars" data-testid="partition-fill">
      {parts.slice(0, 24).map((leo, p) => (
        <div key={p} className="fill-row">
          <span className="mono small">p{p}</span>
          <div className="fill-track">
            <div className="fill-bar" style={{ width: `${(leo / max) * 100}%` }} />
          </div>
          <span className="mono small num">{formatCount(leo)}</span>
        </div>
      ))}
    </div>
  );
}
