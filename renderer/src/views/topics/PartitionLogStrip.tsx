/**
 * The partition log strip: one partition's log on each replica as a strip of segment
 * files (width by bytes on disk, the active segment marked), with the log start
 * offset, high watermark, log end offset and every consumer group's committed offset
 * as markers. Segments retention just deleted stay as faded ghosts on the left for a
 * while, so the strip visibly loses them.
 *
 * Data: the partitionLog command, polled twice a second while the tab is open and at
 * once when the snapshot's storageSeq moves (a retention deletion or cleaner run).
 */
import type { PartitionLogResult, ReplicaLogView, RetentionDeletionView, SegmentView } from '../../../../engine/api/contract';
import { formatBytes, formatClock, formatCount, formatDurationMs } from '../../components/format';
import { useStore } from '../../store';
import { usePoll } from '../../components/usePoll';

const POLL_MS = 500;
/** How long a deleted segment stays on the strip as a ghost. */
const GHOST_MS = 20_000;
/** Every segment gets at least this share of the strip, so small ones stay visible. */
const MIN_SHARE = 0.035;
/** At most this many ghosts are drawn; older deletions are counted instead. */
const MAX_GHOSTS = 6;

export function PartitionLogStrip({ topic }: { topic: string }) {
  const partition = useStore((s) => s.selectedPartition);
  const storageSeq = useStore((s) => s.snapshot?.metrics.storageSeq ?? 0);
  const setTab = useStore((s) => s.setTopicTab);
  const loadPartitionLog = useStore((s) => s.loadPartitionLog);
  const { data, error } = usePoll(() => loadPartitionLog(topic, partition), [topic, partition], POLL_MS, storageSeq);
  if (error) return <p className="form-error" role="alert">{error.message}</p>;
  if (!data) return <p className="muted">Reading the log of partition {partition}…</p>;
  const s = data.settings;
  const leader = data.replicas.find((r) => r.role === 'leader') ?? data.replicas[0];
  const policies = s.cleanupPolicy.split(',').map((x) => x.trim());
  const compacts = policies.includes('compact');
  const deletes = policies.includes('delete');
  return (
    <section className="card" data-testid="log-strip">
      <h2>
        {topic}-{partition}: segments on disk
      </h2>
      <p className="muted small" data-testid="log-strip-policy">
        Each block is one segment file (<span className="mono">{'{baseOffset}'}.log</span>) on that broker's disk, as wide as its bytes. New records go to the
        active segment; it rolls at segment.bytes {formatBytes(s.segmentBytes)} or after segment.ms {formatDurationMs(s.segmentMs)}.{' '}
        {compacts && (
          <>
            The log cleaner (cleanup.policy {s.cleanupPolicy}) rewrites the rolled segments, keeping the newest record of each key; it never touches the active
            segment.{' '}
            <button className="link" onClick={() => setTab('compaction')}>See its work in Compaction</button>.{' '}
          </>
        )}
        {deletes ? (
          <>
            Retention deletes whole segments from the left, never the active one: retention.ms {formatDurationMs(s.retentionMs)}, retention.bytes{' '}
            {s.retentionBytes < 0 ? 'unlimited' : formatBytes(s.retentionBytes)}.{' '}
          </>
        ) : (
          <>Retention deletes nothing here: the policy has no delete, so records leave only when the cleaner finds a newer record of their key. </>
        )}
        <button className="link" onClick={() => setTab('configs')}>Change them in Configs</button>.
      </p>
      {data.replicas.map((r) => (
        <ReplicaStrip key={r.brokerId} replica={r} data={data} primary={r === leader} />
      ))}
      <Deletions deletions={data.deletions} deletes={deletes} />
    </section>
  );
}

interface Block {
  seg: SegmentView;
  share: number;
}

function layout(segments: SegmentView[]): Block[] {
  const total = segments.reduce((n, s) => n + s.sizeBytes, 0) || 1;
  const raw = segments.map((seg) => Math.max(MIN_SHARE, seg.sizeBytes / total));
  const sum = raw.reduce((a, b) => a + b, 0);
  return segments.map((seg, i) => ({ seg, share: raw[i] / sum }));
}

/** Where an offset sits along the strip, as a fraction of its width. */
function positionOf(blocks: Block[], offset: number): number {
  let x = 0;
  for (const b of blocks) {
    const span = Math.max(1, b.seg.nextOffset - b.seg.baseOffset);
    if (offset < b.seg.nextOffset || b === blocks[blocks.length - 1]) {
      const within = Math.min(1, Math.max(0, (offset - b.seg.baseOffset) / span));
      return x + b.share * (b.seg.active && offset >= b.seg.nextOffset ? 1 : within);
    }
    x += b.share;
  }
  return x;
}

function ReplicaStrip({ replica: r, data, primary }: { replica: ReplicaLogView; data: PartitionLogResult; primary: boolean }) {
  const nowMs = Date.now();
  const recent = data.deletions.filter((d) => d.brokerId === r.brokerId && nowMs - d.atMs < GHOST_MS);
  const ghosts = recent.slice(0, MAX_GHOSTS).reverse();
  const moreGhosts = recent.length - ghosts.length;
  if (r.role === 'offline') {
    return (
      <div className="replica" data-testid={`strip-${r.brokerId}`} data-segments={0}>
        <div className="replica-head">
          <strong>Broker {r.brokerId}</strong> <span className="badge state-killed">unavailable</span>{' '}
          <span className="muted small">its replica cannot be read right now (the broker is down, or still starting). Restart it in Cluster to see its log again.</span>
        </div>
      </div>
    );
  }
  const blocks = layout(r.segments);
  const markers: { at: number; label: string; kind: string; offset: number }[] = [
    { at: positionOf(blocks, r.logStartOffset), label: 'log start', kind: 'start', offset: r.logStartOffset },
    { at: positionOf(blocks, r.highWatermark), label: 'HW', kind: 'hw', offset: r.highWatermark },
    { at: positionOf(blocks, r.logEndOffset), label: 'LEO', kind: 'leo', offset: r.logEndOffset },
  ];
  if (primary) for (const c of data.committed) markers.push({ at: positionOf(blocks, c.offset), label: c.groupId, kind: 'group', offset: c.offset });
  return (
    <div className={primary ? 'replica replica-primary' : 'replica'} data-testid={`strip-${r.brokerId}`} data-segments={r.segments.length}>
      <div className="replica-head">
        <strong>Broker {r.brokerId}</strong> <span className={`badge ${r.role === 'leader' ? 'badge-accent' : ''}`}>{r.role}</span>
        {!r.inIsr && <span className="badge state-cut">not in ISR</span>}
        <span className="muted small">
          {' '}
          {r.segments.length + r.segmentsOmitted} {r.segments.length + r.segmentsOmitted === 1 ? 'segment' : 'segments'} · {formatBytes(r.sizeBytes)} · log start {formatCount(r.logStartOffset)} · HW {formatCount(r.highWatermark)} · LEO{' '}
          {formatCount(r.logEndOffset)}
        </span>
      </div>
      <div className="strip-row">
        {ghosts.length > 0 && (
          <div className="ghosts" data-testid={`ghosts-${r.brokerId}`}>
            {moreGhosts > 0 && <div className="ghost-more small muted">+{moreGhosts} deleted</div>}
            {ghosts.map((g) => (
              <div key={`${g.baseOffset}-${g.atMs}`} className="segment ghost" title={`Deleted by ${g.reason} at ${formatClock(g.atMs)}: offsets ${g.baseOffset}–${g.nextOffset - 1}, ${formatBytes(g.sizeBytes)}`}>
                <span className="seg-base">{formatCount(g.baseOffset)}</span>
                <span className="seg-meta">✕</span>
              </div>
            ))}
          </div>
        )}
        <div className="strip">
          {blocks.map(({ seg, share }) => (
            <div
              key={seg.baseOffset}
              className={seg.active ? 'segment active' : 'segment'}
              style={{ flexGrow: share, flexBasis: 0 }}
              data-testid={`segment-${r.brokerId}-${seg.baseOffset}`}
              title={segmentTitle(seg)}
            >
              <span className="seg-base">{formatCount(seg.baseOffset)}</span>
              <span className="seg-meta">
                {formatBytes(seg.sizeBytes)}
                {seg.active ? ' · active' : ''}
              </span>
            </div>
          ))}
          {markers.map((m) => (
            <div key={`${m.kind}-${m.label}`} className={`marker marker-${m.kind}${m.at > 0.8 ? ' marker-right' : ''}`} style={{ left: `${(m.at * 100).toFixed(3)}%` }} title={`${m.label}: offset ${m.offset}`}>
              <span>{m.kind === 'group' ? `◆ ${m.label} @${formatCount(m.offset)}` : m.label}</span>
            </div>
          ))}
        </div>
      </div>
      {r.segmentsOmitted > 0 && <p className="muted small">{r.segmentsOmitted} older segments are not drawn.</p>}
      {primary && <GroupsBehind committed={data.committed} logStartOffset={r.logStartOffset} />}
    </div>
  );
}

/** Groups whose committed offset lies before the log start: retention deleted records they had not read. */
function GroupsBehind({ committed, logStartOffset }: { committed: PartitionLogResult['committed']; logStartOffset: number }) {
  const behind = committed.filter((c) => c.offset < logStartOffset);
  if (behind.length === 0) return null;
  return (
    <p className="warn-text small" data-testid="groups-behind">
      {behind.map((c) => `${c.groupId} committed ${formatCount(c.offset)}`).join(', ')}, before the log start ({formatCount(logStartOffset)}): the records{' '}
      {behind.length === 1 ? 'it' : 'they'} had not read are gone. On resuming, auto.offset.reset decides where to continue.
    </p>
  );
}

function segmentTitle(s: SegmentView): string {
  const range = s.firstTimestampMs < 0 ? 'empty' : `records from ${formatClock(s.firstTimestampMs)} to ${formatClock(s.maxTimestampMs)}`;
  const count = s.recordCount === null ? '' : `, ${s.recordCount} records`;
  return `Segment ${String(s.baseOffset).padStart(20, '0')}.log${s.active ? ' (active)' : ''}: offsets ${s.baseOffset}–${s.nextOffset - 1}, ${formatBytes(s.sizeBytes)}${count}, ${range}`;
}

function Deletions({ deletions, deletes }: { deletions: RetentionDeletionView[]; deletes: boolean }) {
  if (deletions.length === 0) {
    if (!deletes) return null;
    return <p className="muted small" data-testid="deletions-empty">Retention has not deleted a segment of this partition since the app started.</p>;
  }
  return (
    <div data-testid="deletions">
      <h3>Deleted by retention</h3>
      <table className="table compact-table">
        <thead>
          <tr><th>When</th><th className="num">Broker</th><th>Why</th><th className="num">Offsets</th><th className="num">Size</th></tr>
        </thead>
        <tbody>
          {deletions.slice(0, 10).map((d) => (
            <tr key={`${d.brokerId}-${d.baseOffset}-${d.atMs}`}>
              <td className="mono">{formatClock(d.atMs)}</td>
              <td className="num">{d.brokerId}</td>
              <td>{d.reason}</td>
              <td className="num">{d.baseOffset}–{d.nextOffset - 1}</td>
              <td className="num">{formatBytes(d.sizeBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
