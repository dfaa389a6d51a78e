/**
 * Compaction of one partition: the cleaner's sections (clean, dirty, uncleanable) and
 * the dirty ratio against min.cleanable.dirty.ratio, buttons to write duplicate keys
 * and to clean now, the last cleaner run's before → after, recent runs, and the
 * records as they are now — whose offsets keep the gaps compaction left.
 */
import { useState } from 'react';
import type { CleanerRunView, CleanerSectionsView, CompactionStatusResult } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { toErrorData } from '../../errors';
import { Field } from '../../components/Field';
import { formatBytes, formatClock, formatCount, formatDurationMs } from '../../components/format';
import { useStore } from '../../store';
import type { FirstRecords } from '../../store/records/browse';
import { usePoll } from '../../components/usePoll';

const POLL_MS = 1000;
const SAMPLE_RECORDS = 80;

export function CompactionPanel({ topic }: { topic: string }) {
  const partition = useStore((s) => s.selectedPartition);
  const storageSeq = useStore((s) => s.snapshot?.metrics.storageSeq ?? 0);
  const hw = useStore((s) => s.snapshot?.topics.find((t) => t.name === topic)?.partitions[partition]?.highWatermark ?? 0);
  const loadCompaction = useStore((s) => s.loadCompaction);
  const loadFirstRecords = useStore((s) => s.loadFirstRecords);
  const status = usePoll(() => loadCompaction(topic, partition), [topic, partition], POLL_MS, storageSeq);
  const sample = usePoll(() => loadFirstRecords(topic, partition, SAMPLE_RECORDS), [topic, partition], 2000, `${storageSeq}:${hw}`);
  if (status.error) return <p className="form-error" role="alert">{status.error.message}</p>;
  if (!status.data) return <p className="muted">Asking the cleaner about partition {partition}…</p>;
  const c = status.data;
  return (
    <section className="card" data-testid="compaction">
      <h2>
        {topic}-{partition}: compaction
      </h2>
      {!c.compacted ? <NotCompacted topic={topic} policy={c.cleanupPolicy} onChanged={status.reload} /> : <Explanation c={c} />}
      {c.compacted && c.replicas[0] && <Sections s={c.replicas[0]} minRatio={c.minCleanableDirtyRatio} />}
      {c.compacted && <Actions topic={topic} partition={partition} onDone={() => { status.reload(); sample.reload(); }} />}
      <LastRun run={lastRunOf(c)} replicas={c.runs.filter((r) => c.runs[0] && Math.abs(r.atMs - c.runs[0].atMs) < 2000).length} />
      {c.runs.length > 1 && <Runs runs={c.runs} />}
      <RecordSample result={sample.data} error={sample.error} />
    </section>
  );
}

function Explanation({ c }: { c: CompactionStatusResult }) {
  return (
    <p className="muted small">
      The cleaner keeps only the latest record of each key. It cleans a log when the dirty part (written since the last run) is at least min.cleanable.dirty.ratio{' '}
      <strong>{c.minCleanableDirtyRatio}</strong> of the cleanable log, never touches the active segment, and removes a tombstone (a record with no value) only
      delete.retention.ms ({formatDurationMs(c.deleteRetentionMs)}) after a run first kept it. A record without a key has no place in a compacted log: the
      cleaner removes it (one written before the policy became compact), and the broker refuses new ones. Records that survive keep their offsets; removed
      ones leave gaps.
    </p>
  );
}

function NotCompacted({ topic, policy, onChanged }: { topic: string; policy: string; onChanged: () => void }) {
  const alterTopicConfigs = useStore((s) => s.alterTopicConfigs);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  return (
    <div className="empty small-empty" data-testid="not-compacted">
      <p>
        "{topic}" is not compacted: cleanup.policy is {policy}, so old segments are deleted by retention instead.
      </p>
      <button
        onClick={async () => {
          try {
            await alterTopicConfigs({ topic, set: { 'cleanup.policy': 'compact' } });
            setError(null);
            onChanged();
          } catch (err) {
            setError(toErrorData(err));
          }
        }}
        data-testid="make-compacted"
      >
        Set cleanup.policy to compact
      </button>
      {error && <p className="form-error" role="alert">{error.message}</p>}
    </div>
  );
}

function Sections({ s, minRatio }: { s: CleanerSectionsView; minRatio: number }) {
  const span = Math.max(1, s.logEndOffset - s.logStartOffset);
  const share = (a: number, b: number) => `${(Math.max(0, b - a) / span) * 100}%`;
  return (
    <div className="sections" data-testid="compaction-sections">
      <div className="section-bar" title="By offsets, on the leader's log">
        <div className="sec sec-clean" style={{ width: share(s.logStartOffset, s.firstDirtyOffset) }}>clean</div>
        <div className="sec sec-dirty" style={{ width: share(s.firstDirtyOffset, s.firstUncleanableOffset) }}>dirty</div>
        <div className="sec sec-uncleanable" style={{ width: share(s.firstUncleanableOffset, s.logEndOffset) }}>active / uncleanable</div>
      </div>
      <p className="small">
        Broker {s.brokerId} (leader): clean offsets {formatCount(s.logStartOffset)}–{formatCount(s.firstDirtyOffset)} ({formatBytes(s.cleanBytes)}), dirty{' '}
        {formatCount(s.firstDirtyOffset)}–{formatCount(s.firstUncleanableOffset)} ({formatBytes(s.dirtyBytes)}), not cleanable yet from {formatCount(s.firstUncleanableOffset)}.
      </p>
      <div className="ratio" data-testid="dirty-ratio">
        <span className="small">dirty ratio</span>
        <div className="ratio-bar">
          <div className={s.dirtyRatio >= minRatio ? 'ratio-fill over' : 'ratio-fill'} style={{ width: `${Math.min(100, s.dirtyRatio * 100)}%` }} />
          <div className="ratio-threshold" style={{ left: `${minRatio * 100}%` }} title={`min.cleanable.dirty.ratio ${minRatio}`} />
        </div>
        <span className="small mono">
          {s.dirtyRatio.toFixed(2)} {s.dirtyRatio >= minRatio ? '≥' : '<'} {minRatio}
        </span>
      </div>
      <p className="muted small">Cleaner: {s.reason}.</p>
    </div>
  );
}

function parseCount(text: string, min: number, max: number): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

function Actions({ topic, partition, onDone }: { topic: string; partition: number; onDone: () => void }) {
  const writeDuplicateKeys = useStore((s) => s.writeDuplicateKeys);
  const cleanNow = useStore((s) => s.cleanNow);
  const [keys, setKeys] = useState('20');
  const [rounds, setRounds] = useState('5');
  const [tomb, setTomb] = useState('0');
  const [busy, setBusy] = useState<'write' | 'clean' | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const k = parseCount(keys, 1, 10_000);
  const r = parseCount(rounds, 1, 100);
  const t = parseCount(tomb, 0, 10_000);
  const write = async () => {
    if (k === null || r === null || t === null) return;
    setBusy('write');
    try {
      const res = await writeDuplicateKeys({ topic, partition, keys: k, rounds: r, tombstoneEvery: t });
      setNote(`Wrote ${res.records} records (${k} keys × ${r} rounds${res.tombstones > 0 ? `, ${res.tombstones} tombstones` : ''}) at offsets ${res.firstOffset}–${res.lastOffset}.`);
      setError(null);
    } catch (err) {
      setError(toErrorData(err));
    }
    setBusy(null);
    onDone();
  };
  const clean = async () => {
    setBusy('clean');
    try {
      const res = await cleanNow(topic, partition);
      const leader = res.runs[0];
      const keyless = leader?.stats && leader.stats.keylessRemoved > 0 ? `, ${leader.stats.keylessRemoved} of them removed for having no key` : '';
      setNote(leader?.stats ? `Cleaned on ${res.runs.length} replica${res.runs.length > 1 ? 's' : ''}: ${leader.stats.recordsBefore} → ${leader.stats.recordsAfter} records${keyless}.` : `Cleaner: ${leader?.reason ?? 'nothing to do'}.`);
      setError(null);
    } catch (err) {
      setError(toErrorData(err));
    }
    setBusy(null);
    onDone();
  };
  return (
    <div className="compaction-actions" data-testid="compaction-actions">
      <div className="row">
        <Field label="Keys" error={k === null ? 'A whole number from 1 to 10000.' : null} testId="dup-keys">
          <input value={keys} onChange={(e) => setKeys(e.target.value)} inputMode="numeric" data-testid="dup-keys" />
        </Field>
        <Field label="Values per key" error={r === null ? 'A whole number from 1 to 100.' : null} testId="dup-rounds">
          <input value={rounds} onChange={(e) => setRounds(e.target.value)} inputMode="numeric" data-testid="dup-rounds" />
        </Field>
        <Field label="Tombstone every Nth key" hint="0: none" error={t === null ? 'A whole number from 0 to 10000.' : null} testId="dup-tombstones">
          <input value={tomb} onChange={(e) => setTomb(e.target.value)} inputMode="numeric" data-testid="dup-tombstones" />
        </Field>
      </div>
      <div className="button-row">
        <button onClick={() => void write()} disabled={busy !== null || k === null || r === null || t === null} data-testid="write-duplicates">
          {busy === 'write' ? 'Writing…' : 'Write duplicate keys'}
        </button>
        <button className="primary" onClick={() => void clean()} disabled={busy !== null} data-testid="clean-now">
          {busy === 'clean' ? 'Cleaning…' : 'Clean now'}
        </button>
      </div>
      <p className="muted small" data-testid="clean-now-hint">
        Clean now first rolls the active segment, so every record written so far can be cleaned, then runs the cleaner on every replica at once, even below the
        dirty ratio.
      </p>
      {note && <p className="ok small" data-testid="compaction-note">{note}</p>}
      {error && <p className="form-error" role="alert">{error.message}</p>}
    </div>
  );
}

/** The newest run on the leader's log if it is among the latest runs, else the newest run. */
function lastRunOf(c: CompactionStatusResult): CleanerRunView | null {
  const newest = c.runs[0];
  if (!newest) return null;
  const leader = c.replicas[0]?.brokerId;
  return c.runs.find((r) => r.brokerId === leader && Math.abs(r.atMs - newest.atMs) < 2000) ?? newest;
}

function LastRun({ run, replicas }: { run: CleanerRunView | null; replicas: number }) {
  if (!run) return <p className="muted small" data-testid="no-runs">The cleaner has not run on this partition since the app started. Write duplicate keys, then clean now.</p>;
  const s = run.stats;
  return (
    <div className="last-run" data-testid="compaction-last-run">
      <h3>
        Last run: broker {run.brokerId}, {formatClock(run.atMs)} ({run.trigger === 'manual' ? 'clean now' : 'periodic'}
        {replicas > 1 ? `; each of ${replicas} replicas cleans its own log` : ''})
      </h3>
      {s && run.cleaned ? (
        <div className="before-after">
          <Figure label="records" before={s.recordsBefore} after={s.recordsAfter} testId="compaction-records" />
          <Figure label="bytes" before={s.bytesBefore} after={s.bytesAfter} bytes />
          <Figure label="segments" before={s.segmentsBefore} after={s.segmentsAfter} />
          <div className="figure">
            <div className="figure-value" data-testid="compaction-keys">{formatCount(s.distinctKeys)}</div>
            <div className="figure-label">keys kept</div>
          </div>
          <div className="figure">
            <div className="figure-value">{formatCount(s.tombstonesRemoved)}</div>
            <div className="figure-label">tombstones removed</div>
          </div>
          {s.keylessRemoved > 0 && (
            <div className="figure" data-testid="compaction-keyless">
              <div className="figure-value">{formatCount(s.keylessRemoved)}</div>
              <div className="figure-label">removed for having no key</div>
            </div>
          )}
          <div className="figure">
            <div className="figure-value">{s.durationMs < 1 ? '<1' : Math.round(s.durationMs)} ms</div>
            <div className="figure-label">took</div>
          </div>
        </div>
      ) : (
        <p className="muted small">{run.aborted ? 'The run was abandoned because the log changed under it; the next one retries.' : `Nothing cleaned: ${run.reason}.`}</p>
      )}
    </div>
  );
}

function Figure({ label, before, after, bytes, testId }: { label: string; before: number; after: number; bytes?: boolean; testId?: string }) {
  const f = (n: number) => (bytes ? formatBytes(n) : formatCount(n));
  return (
    <div className="figure" data-testid={testId}>
      <div className="figure-value">
        {f(before)} → <strong data-testid={testId ? `${testId}-after` : undefined}>{f(after)}</strong>
      </div>
      <div className="figure-label">{label}</div>
    </div>
  );
}

function Runs({ runs }: { runs: CleanerRunView[] }) {
  // Scrolls inside the card rather than spilling over it when the lesson pane narrows the view.
  return (
    <div className="table-scroll">
      <table className="table compact-table" data-testid="cleaner-runs">
        <thead>
          <tr><th>When</th><th className="num">Broker</th><th>Trigger</th><th className="num">Records</th><th className="num">Bytes</th><th className="num">Keys</th></tr>
        </thead>
        <tbody>
          {runs.slice(0, 10).map((r) => (
            <tr key={`${r.brokerId}-${r.atMs}`}>
              <td className="mono">{formatClock(r.atMs)}</td>
              <td className="num">{r.brokerId}</td>
              <td>{r.trigger === 'manual' ? 'clean now' : 'periodic'}</td>
              <td className="num">{r.stats ? `${formatCount(r.stats.recordsBefore)} → ${formatCount(r.stats.recordsAfter)}` : '—'}</td>
              <td className="num">{r.stats ? `${formatBytes(r.stats.bytesBefore)} → ${formatBytes(r.stats.bytesAfter)}` : '—'}</td>
              <td className="num">{r.stats ? formatCount(r.stats.distinctKeys) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The records as they are now, offsets first: removed records leave gaps. */
function RecordSample({ result, error }: { result: FirstRecords | null; error: WorkbenchErrorData | null }) {
  if (error) return <p className="form-error small">{error.message}</p>;
  if (!result) return null;
  if (result.records.length === 0) return <p className="muted small">The partition holds no records yet.</p>;
  const items: ({ gap: number; at: number } | { offset: number; key: string; value: string })[] = [];
  // From the log start: records removed before the first survivor are a gap too.
  let expected = Math.min(result.logStartOffset, result.records[0].offset);
  for (const r of result.records) {
    if (r.offset > expected) items.push({ gap: r.offset - expected, at: expected });
    items.push({ offset: r.offset, key: r.key?.text ?? '∅', value: r.value === null ? 'tombstone' : r.value.binary ? `${r.value.sizeBytes} bytes` : r.value.text });
    expected = r.offset + 1;
  }
  return (
    <div data-testid="record-sample">
      <h3>
        Records now (from offset {result.records[0].offset}, {result.records.length} shown)
      </h3>
      <div className="offset-chips">
        {items.map((it) =>
          'gap' in it ? (
            <span key={`gap-${it.at}`} className="gap-chip" data-testid="offset-gap" title={`Offsets ${it.at}–${it.at + it.gap - 1} were removed by compaction`}>
              {it.gap} removed
            </span>
          ) : (
            <span key={it.offset} className="offset-chip" title={`${it.key}: ${it.value}`}>
              <span className="mono">{it.offset}</span> <span className="muted">{it.key}</span>
            </span>
          ),
        )}
      </div>
    </div>
  );
}
