/**
 * The message browser: pick a topic (all partitions, interleaved by time, or one),
 * start from earliest, latest, an offset or a time, follow new records live or pause,
 * filter in the engine, look at one record in full, export and import.
 *
 * The list is virtualised (views/consume/VirtualRows.tsx) over the engine's view of the
 * topic; only the rows near the visible ones are in memory (store/message-pages.ts).
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore, type StoreState } from '../../store';
import { selectBootstrap } from '../../store/brokers';
import { jobFrom, onSnapshotForMessages } from '../../store/records/browse';
import { DetailPane } from './DetailPane';
import { ExportPanel, ImportPanel } from './ExportImport';
import { FilterBar } from './FilterBar';
import { formatCountExact, formatTimestamp } from '../../components/format';
import { MessageList } from './MessageList';
import { SeekBar } from './SeekBar';
import '../../components/shared.css';
import './records.css';

export function MessagesView() {
  const topics = useStore(useShallow((s) => (s.snapshot?.topics ?? []).map((t) => t.name)));
  const { topic, partition } = useStore(useShallow((s) => ({ topic: s.msgTopic, partition: s.msgPartition })));
  const selectedTopic = useStore((s) => s.selectedTopic);
  const open = useStore((s) => s.msgOpen);
  const relayout = useStore((s) => s.msgRelayout);

  // Keep the live tail and a running filter's row count current with every snapshot.
  useEffect(() => useStore.subscribe(onSnapshotForMessages), []);

  // Open the topic picked elsewhere (Topics view), or the first one; catch up when coming back.
  useEffect(() => {
    if (topic === null) {
      const first = selectedTopic ?? topics.find((t) => !t.startsWith('__')) ?? null;
      if (first !== null) open(first, null);
    } else if (useStore.getState().msgMode === 'live') {
      void relayout();
    }
    // Only when the view opens or the topic list first fills.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [topics.length === 0]);

  return (
    <section className="messages-view" data-testid="messages-view">
      <header className="messages-head">
        <h1>Messages</h1>
        <label className="inline-label">
          Topic
          <select value={topic ?? ''} onChange={(e) => open(e.target.value || null, null)} data-testid="msg-topic">
            {topic === null && <option value="">choose a topic</option>}
            {topics.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        {topic !== null && <PartitionPicker topic={topic} partition={partition} />}
        {topic !== null && <TailControls />}
      </header>
      {topic === null ? (
        <div className="empty" data-testid="messages-no-topic">
          {topics.length === 0 ? 'No topics yet. Create one in Topics, or produce to one from your own client.' : 'Choose a topic to browse its messages.'}
        </div>
      ) : (
        <Browser topic={topic} />
      )}
    </section>
  );
}

/** What a seek found, in local time (the engine's own sentence is in UTC). */
function seekNotice(n: NonNullable<StoreState['msgNotice']>): string {
  const r = n.result;
  if (n.kind !== 'timestamp' || n.askedMs === null) return r.description;
  if (r.offset === null || r.timestampMs === null) return `No record at or after ${formatTimestamp(n.askedMs)}: showing the end (latest), as ListOffsets answers.`;
  return `First record at or after ${formatTimestamp(n.askedMs)}: partition ${r.partition}, offset ${r.offset} (${formatTimestamp(r.timestampMs)}).`;
}

function PartitionPicker({ topic, partition }: { topic: string; partition: number | null }) {
  const count = useStore((s) => {
    const t = s.snapshot?.topics.find((x) => x.name === topic);
    return t ? (t.partitionCount ?? t.partitions.length) : 0;
  });
  const open = useStore((s) => s.msgOpen);
  return (
    <label className="inline-label">
      Partition
      <select value={partition === null ? 'all' : String(partition)} onChange={(e) => open(topic, e.target.value === 'all' ? null : Number(e.target.value))} data-testid="msg-partition">
        <option value="all">All (by time)</option>
        {Array.from({ length: count }, (_, p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </label>
  );
}

function TailControls() {
  const mode = useStore((s) => s.msgMode);
  const setMode = useStore((s) => s.msgSetMode);
  const filtering = useStore((s) => s.msgFilter !== null);
  const newRows = useStore((s) => {
    const layout = s.msgLayout;
    const t = s.snapshot?.topics.find((x) => x.name === s.msgTopic);
    if (!layout || !t) return 0;
    let n = 0;
    for (const b of layout.bounds) n += Math.max(0, (t.partitions.find((p) => p.partition === b.partition)?.highWatermark ?? b.end) - b.end);
    return n;
  });
  if (filtering) return null;
  return (
    <div className="tail-controls">
      {mode === 'live' ? (
        <>
          <span className="live-dot" data-testid="tail-live">
            Live
          </span>
          <button onClick={() => setMode('paused')} data-testid="tail-pause">
            Pause
          </button>
        </>
      ) : (
        <>
          {newRows > 0 && (
            <span className="badge badge-accent" data-testid="tail-new">
              {formatCountExact(newRows)} new
            </span>
          )}
          <span className="muted small" data-testid="tail-state">
            {mode === 'paused' ? 'Paused' : 'Not following'}
          </span>
          <button className="primary" onClick={() => setMode('live')} data-testid="tail-resume">
            {mode === 'paused' ? 'Resume live tail' : 'Live tail'}
          </button>
        </>
      )}
    </div>
  );
}

function Browser({ topic }: { topic: string }) {
  const partitions = useStore((s) => {
    const t = s.snapshot?.topics.find((x) => x.name === topic);
    return t ? (t.partitionCount ?? t.partitions.length) : 0;
  });
  const layout = useStore((s) => s.msgLayout);
  const notice = useStore((s) => s.msgNotice);
  const error = useStore((s) => s.msgError);
  const bootstrap = useStore((s) => selectBootstrap(s).split(',')[0]);
  const filter = useStore((s) => s.msgFilter);
  const filterMatches = useStore((s) => jobFrom(s, s.msgFilter?.jobId ?? null)?.matches ?? 0);
  const filterRunning = useStore((s) => jobFrom(s, s.msgFilter?.jobId ?? null)?.state === 'running');
  const range = useStore((s) => s.msgRange);
  const rowCount = filter ? filterMatches : (layout?.totalRows ?? 0);
  return (
    <>
      <div className="messages-tools">
        <SeekBar partitions={partitions} />
        <div className="view-facts small muted" data-testid="view-facts">
          {filter ? `${formatCountExact(filterMatches)} match${filterMatches === 1 ? '' : 'es'}` : `${formatCountExact(layout?.totalRows ?? 0)} row${layout?.totalRows === 1 ? '' : 's'}`}
          {range && ` · rows ${formatCountExact(range.from + 1)}–${formatCountExact(range.to + 1)} selected`}
        </div>
      </div>
      {notice && !filter && (
        <p className="muted small seek-notice" data-testid="seek-notice">
          {seekNotice(notice)}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      {layout && layout.unavailable.length > 0 && !filter && (
        <p className="warn-text small" role="status" data-testid="view-unavailable">
          Partition{layout.unavailable.length === 1 ? '' : 's'} {layout.unavailable.join(', ')} {layout.unavailable.length === 1 ? 'has' : 'have'} no leader right now (its replicas are down), so {layout.unavailable.length === 1 ? 'it is' : 'they are'} left out of this view until a broker holding {layout.unavailable.length === 1 ? 'it' : 'them'} is back.
        </p>
      )}
      <FilterBar />
      <div className="messages-body">
        <MessageList
          rowCount={rowCount}
          emptyText={filter ? (filterRunning ? 'Scanning… matches appear here as they are found.' : 'No record matches the filter.') : `No messages in ${topic} yet. Produce some (Produce view, or your own client on ${bootstrap}).`}
        />
        <DetailPane />
      </div>
      <div className="messages-foot">
        <ExportPanel />
        <ImportPanel topic={topic} />
      </div>
    </>
  );
}
