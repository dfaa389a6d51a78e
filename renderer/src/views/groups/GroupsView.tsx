/**
 * Consumer groups: every group the coordinators hold (state, protocol, members, total
 * lag) — the user's own consumers (kafka-python, kafkajs, …) and the built-in ones
 * alike; built-in consumers to start, slow down, speed up and stop; and the selected
 * group in detail: its members and their partitions first (who reads what, and who
 * is idle), lag over time, per-partition committed offset / log end / lag, offset
 * reset with a preview, and delete.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { GroupMemberDetail, GroupSummary, ResetTarget } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { Field } from '../../components/Field';
import { useStore } from '../../store';
import { selectBootstrap } from '../../store/brokers';
import { lagSeries } from '../../store/groups/lag-series';
import { formatCountExact, parseTime } from '../../components/format';
import { LagChart } from './LagChart';
import '../../components/shared.css';
import './groups.css';

const DETAIL_REFRESH_MS = 1000;

export function GroupsView() {
  const selected = useStore((s) => s.groupSelected);
  return (
    <section className="groups-layout" data-testid="groups-view">
      <div className="groups-side">
        <h1>Consumer groups</h1>
        <GroupList />
        <StartConsumerForm />
        <BuiltinConsumers />
      </div>
      <div>{selected ? <GroupDetailView groupId={selected} /> : <NoGroup />}</div>
    </section>
  );
}

function NoGroup() {
  const any = useStore((s) => (s.snapshot?.groups.groups.length ?? 0) > 0);
  const bootstrap = useStore((s) => selectBootstrap(s).split(',')[0]);
  return (
    <div className="empty" data-testid="group-empty-detail">
      {any
        ? 'Pick a group to see its members, partitions, lag over time, and to reset its offsets.'
        : `No consumer groups yet. Start a built-in consumer on the left, or run a consumer of your own with a group id against ${bootstrap}: it shows up here.`}
    </div>
  );
}

function lagText(lag: number | null): string {
  return lag === null ? '–' : formatCountExact(lag);
}

function StateBadge({ state }: { state: string }) {
  return <span className={`group-state group-state-${state}`}>{state}</span>;
}

function GroupList() {
  const groups = useStore(useShallow((s) => s.snapshot?.groups.groups ?? []));
  const omitted = useStore((s) => s.snapshot?.groups.groupsOmitted ?? 0);
  const selected = useStore((s) => s.groupSelected);
  const select = useStore((s) => s.groupSelect);
  if (groups.length === 0) return <p className="muted" data-testid="groups-empty">No groups yet.</p>;
  return (
    <table className="table compact-table" data-testid="group-list">
      <thead>
        <tr>
          <th>Group</th>
          <th>State</th>
          <th>Protocol</th>
          <th className="num">Members</th>
          <th className="num">Lag</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g: GroupSummary) => (
          <tr key={g.groupId} className={g.groupId === selected ? 'selected clickable' : 'clickable'} onClick={() => select(g.groupId)} data-testid={`group-row-${g.groupId}`}>
            <td className="mono">{g.groupId}</td>
            <td>
              <StateBadge state={g.state} />
            </td>
            <td className="small">{g.protocol ?? g.protocolType ?? '–'}</td>
            <td className="num">{g.members}</td>
            <td className="num" data-testid={`group-lag-${g.groupId}`}>
              {lagText(g.totalLag)}
            </td>
          </tr>
        ))}
        {omitted > 0 && (
          <tr>
            <td colSpan={5} className="muted small">
              … and {omitted} more groups
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function StartConsumerForm() {
  const topics = useStore(useShallow((s) => (s.snapshot?.topics ?? []).filter((t) => !t.internal).map((t) => t.name)));
  const start = useStore((s) => s.consumerStart);
  const select = useStore((s) => s.groupSelect);
  const [groupId, setGroupId] = useState('workbench-group');
  const [topic, setTopic] = useState('');
  const [delay, setDelay] = useState('100');
  const [startAt, setStartAt] = useState<'earliest' | 'latest'>('earliest');
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const chosenTopic = topic || topics[0] || '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ms = delay.trim() === '' ? Number.NaN : Number(delay);
    const err = await start({ groupId: groupId.trim(), topic: chosenTopic, processingDelayMs: ms, autoOffsetReset: startAt });
    setError(err);
    if (!err) select(groupId.trim());
  };
  const fieldError = (f: string) => (error && error.field === f ? error.message : null);
  return (
    <form className="card form" onSubmit={submit} noValidate data-testid="start-consumer-form">
      <h2>Start a built-in consumer</h2>
      <p className="muted small">
        A real group member over the Kafka protocol. Give it a processing delay longer than the time between your messages and its lag grows; start a second one in the same group to watch it rebalance.
      </p>
      <div className="row">
        <Field label="Group" error={fieldError('groupId')} testId="consumer-group">
          <input value={groupId} onChange={(e) => setGroupId(e.target.value)} data-testid="consumer-group" spellCheck={false} />
        </Field>
        <Field label="Topic" error={fieldError('topic')} testId="consumer-topic">
          <select value={chosenTopic} onChange={(e) => setTopic(e.target.value)} data-testid="consumer-topic">
            {topics.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Delay per message (ms)" error={fieldError('processingDelayMs')} testId="consumer-delay">
          <input value={delay} onChange={(e) => setDelay(e.target.value)} inputMode="numeric" data-testid="consumer-delay" />
        </Field>
        <Field label="New group starts at" hint={startAt === 'latest' ? 'only messages sent from now on (auto.offset.reset)' : 'the first message kept (auto.offset.reset)'}>
          <select value={startAt} onChange={(e) => setStartAt(e.target.value === 'latest' ? 'latest' : 'earliest')} data-testid="consumer-start-at">
            <option value="earliest">earliest</option>
            <option value="latest">latest</option>
          </select>
        </Field>
      </div>
      {error && !['groupId', 'topic', 'processingDelayMs'].includes(error.field ?? '') && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <button type="submit" className="primary" disabled={!chosenTopic} data-testid="consumer-start">
        Start consumer
      </button>
    </form>
  );
}

function BuiltinConsumers() {
  const consumers = useStore(useShallow((s) => s.snapshot?.groups.consumers ?? []));
  const update = useStore((s) => s.consumerUpdate);
  const stop = useStore((s) => s.consumerStop);
  const [delays, setDelays] = useState<Record<string, string>>({});
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  if (consumers.length === 0) return null;
  return (
    <section className="card" data-testid="builtin-consumers">
      <h2>Built-in consumers</h2>
      <ul className="consumer-list">
        {consumers.map((c) => {
          const running = c.state !== 'stopped' && c.state !== 'failed';
          // A member of a stable group that was given no partition reads nothing: say so, not "consuming".
          const idle = c.state === 'consuming' && c.assigned.length === 0;
          return (
            <li key={c.id} className="consumer-item" data-testid={`consumer-${c.id}`}>
              <strong className="mono">{c.clientId}</strong>
              <span>
                group <span className="mono">{c.groupId}</span> · {c.topic}
              </span>
              <span
                className={`badge state-${idle ? 'stopped' : c.state === 'consuming' ? 'up' : c.state === 'failed' ? 'killed' : 'stopped'}`}
                title={idle ? 'In the group, but the group has more members than the topic has partitions, so none is left for it' : undefined}
                data-testid={`consumer-${c.id}-state`}
              >
                {idle ? 'idle' : c.state}
              </span>
              <span className="muted">{formatCountExact(c.processed)} processed</span>
              {c.assigned.length > 0 && (
                <span className="muted" data-testid={`consumer-${c.id}-assigned`}>
                  partition{c.assigned.length === 1 ? '' : 's'} {c.assigned.join(', ')}
                </span>
              )}
              {idle && (
                <span className="muted" data-testid={`consumer-${c.id}-assigned`}>
                  no partition left for it
                </span>
              )}
              {running && (
                <div className="consumer-controls">
                  <span className="muted">delay</span>
                  <input
                    value={delays[c.id] ?? String(c.processingDelayMs)}
                    onChange={(e) => setDelays({ ...delays, [c.id]: e.target.value })}
                    aria-label={`Delay of ${c.clientId} in ms`}
                    data-testid={`consumer-${c.id}-delay`}
                    inputMode="numeric"
                  />
                  <span className="muted">ms</span>
                  <button
                    className="small-button"
                    onClick={async () => setError(await update(c.id, Number(delays[c.id] ?? c.processingDelayMs)))}
                    data-testid={`consumer-${c.id}-apply`}
                  >
                    Set delay
                  </button>
                  <button className="small-button danger" onClick={async () => setError(await stop(c.id))} data-testid={`consumer-${c.id}-stop`}>
                    Stop
                  </button>
                </div>
              )}
              {c.error && <span className="form-error small">{c.error}</span>}
            </li>
          );
        })}
      </ul>
      {error && (
        <p className="form-error small" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}

function GroupDetailView({ groupId }: { groupId: string }) {
  const detail = useStore((s) => s.groupDetail);
  const error = useStore((s) => s.groupDetailError);
  const refresh = useStore((s) => s.groupRefresh);
  const pullLag = useStore((s) => s.groupPullLag);
  const lagSeq = useStore((s) => s.snapshot?.groups.lagSeq ?? 0);
  const summary = useStore((s) => s.snapshot?.groups.groups.find((g) => g.groupId === groupId));
  const del = useStore((s) => s.groupDelete);
  const [perPartition, setPerPartition] = useState(false);
  const [deleteError, setDeleteError] = useState<WorkbenchErrorData | null>(null);

  useEffect(() => {
    const timer = window.setInterval(() => void refresh(), DETAIL_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [groupId, refresh]);
  // The snapshot says the group changed (state, members, lag): refresh at once, not at the next tick.
  const summaryKey = summary ? `${summary.state}|${summary.members}|${summary.totalLag}` : '';
  useEffect(() => {
    void refresh();
  }, [summaryKey, refresh]);
  // A new lag sample round in the engine: pull what the chart has not seen.
  useEffect(() => {
    void pullLag();
  }, [lagSeq, pullLag]);

  if (error && !detail) {
    return (
      <div className="card">
        <p className="form-error" role="alert">
          {error.message}
        </p>
      </div>
    );
  }
  if (!detail || detail.groupId !== groupId) return <div className="muted">Loading {groupId}…</div>;
  return (
    <div className="detail" data-testid="group-detail">
      <header className="detail-head">
        <h1 className="mono">{groupId}</h1>
        <StateBadge state={summary?.state ?? detail.state} />
        <span className="muted small">
          {detail.protocolType ?? 'no protocol type'}
          {detail.protocol ? ` · ${detail.protocol}` : ''} · generation {detail.generationId} · coordinator broker {detail.coordinator} (partition {detail.offsetsPartition} of __consumer_offsets)
        </span>
        <button
          className="danger"
          onClick={async () => {
            if (confirm(`Delete group "${groupId}" and its committed offsets?`)) setDeleteError(await del(groupId));
          }}
          data-testid="group-delete"
        >
          Delete group
        </button>
      </header>
      {deleteError && (
        <p className="form-error" role="alert" data-testid="group-delete-error">
          {deleteError.message}
        </p>
      )}
      <section className="card">
        <h2>Members</h2>
        {detail.members.length === 0 ? (
          <p className="muted">No members: the group is inactive. Its committed offsets stay until they expire or the group is deleted.</p>
        ) : (
          <table className="table compact-table" data-testid="group-members">
            <thead>
              <tr>
                <th>Client id</th>
                <th>Host</th>
                <th>Member id</th>
                <th>Assigned partitions</th>
              </tr>
            </thead>
            <tbody>
              {detail.members.map((m) => (
                <MemberRow key={m.memberId} member={m} stable={detail.state === 'Stable'} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <div className="card-head">
          <h2>Lag over time</h2>
          <LagFigures />
          <label className="check">
            <input type="checkbox" checked={perPartition} onChange={(e) => setPerPartition(e.target.checked)} data-testid="lag-per-partition" />
            per partition
          </label>
        </div>
        <LagChart groupId={groupId} perPartition={perPartition} />
        <p className="muted small">Sampled by the engine every second; the last hour is kept. Lag = log end (high watermark) − committed offset; a partition without a committed offset has no lag yet and is not counted.</p>
      </section>
      <section className="card">
        <h2>Partitions</h2>
        <table className="table compact-table" data-testid="group-partitions">
          <thead>
            <tr>
              <th>Topic</th>
              <th className="num">Partition</th>
              <th className="num">Committed</th>
              <th className="num">Log end</th>
              <th className="num">Lag</th>
              <th>Owner</th>
            </tr>
          </thead>
          <tbody>
            {detail.partitions.map((p) => (
              <tr key={`${p.topic}-${p.partition}`} data-testid={`group-partition-${p.topic}-${p.partition}`}>
                <td className="mono">{p.topic}</td>
                <td className="num">{p.partition}</td>
                <td className="num">{p.committedOffset ?? '–'}</td>
                <td className="num">{p.logEndOffset < 0 ? '–' : p.logEndOffset}</td>
                <td className="num">{lagText(p.lag)}</td>
                <td className="small">{p.clientId ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <ResetOffsets groupId={groupId} topics={[...new Set(detail.partitions.map((p) => p.topic))]} />
    </div>
  );
}

function MemberRow({ member: m, stable }: { member: GroupMemberDetail; stable: boolean }) {
  const owned = m.assignment.filter((a) => a.partitions.length > 0);
  return (
    <tr data-testid="group-member">
      <td className="mono">
        {m.clientId} {m.builtinConsumerId && <span className="tag">built-in</span>}
      </td>
      <td className="mono">{m.clientHost}</td>
      <td className="mono small" title={m.memberId}>
        <span className="member-id">{m.memberId}</span>
      </td>
      <td>
        {owned.length > 0 ? (
          owned.map((a) => `${a.topic}: ${a.partitions.join(', ')}`).join('; ')
        ) : stable ? (
          // A stable group gave this member nothing: more members than partitions.
          <span className="muted" title="The group has more members than partitions: this one waits as a spare">
            none (idle)
          </span>
        ) : (
          '–'
        )}
      </td>
    </tr>
  );
}

function LagFigures() {
  // Re-renders once a second at most (with each new sample); the chart itself does not.
  useStore((s) => s.lagVersion);
  const values = lagSeries.total.filter((v): v is number => v !== null);
  const now = values.length > 0 ? values[values.length - 1] : null;
  const peak = values.length > 0 ? Math.max(...values) : null;
  return (
    <span className="small muted" data-testid="lag-figures" data-now={now ?? ''} data-peak={peak ?? ''}>
      now <strong data-testid="lag-now">{lagText(now)}</strong> · peak <strong data-testid="lag-peak">{lagText(peak)}</strong>
    </span>
  );
}

function ResetOffsets({ groupId, topics }: { groupId: string; topics: string[] }) {
  const allTopics = useStore(useShallow((s) => (s.snapshot?.topics ?? []).filter((t) => !t.internal).map((t) => t.name)));
  const { preview, error, applied } = useStore(useShallow((s) => ({ preview: s.groupPreview, error: s.groupPreviewError, applied: s.groupApplied })));
  const previewReset = useStore((s) => s.groupPreviewReset);
  const apply = useStore((s) => s.groupApplyReset);
  const clear = useStore((s) => s.groupClearPreview);
  const [topic, setTopic] = useState<string>('');
  const [target, setTarget] = useState<ResetTarget>('earliest');
  const [value, setValue] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const choices = [...new Set([...topics, ...allTopics])];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setLocal(null);
    const args: Parameters<typeof previewReset>[0] = { groupId, topic: topic === '' ? null : topic, target };
    const text = value.trim();
    if (target === 'offset') {
      if (!/^\d+$/.test(text)) return setLocal(`"${text}" is not an offset: offsets are whole numbers, 0 or more.`);
      args.offset = Number(text);
    } else if (target === 'shift') {
      if (!/^[+-]?\d+$/.test(text)) return setLocal(`"${text}" is not a whole number to shift by (e.g. -100 or 50).`);
      args.shiftBy = Number(text);
    } else if (target === 'timestamp') {
      const ms = parseTime(text);
      if (ms === null) return setLocal(`"${text}" is not a date and time. Use 2024-09-15 14:00:00 (local), an ISO time with a zone, or milliseconds.`);
      args.timestampMs = ms;
    }
    await previewReset(args);
  };

  return (
    <section className="card" data-testid="reset-offsets">
      <h2>Reset offsets</h2>
      <form className="reset-form" onSubmit={submit} noValidate>
        <label className="inline-label">
          Topic
          <select value={topic} onChange={(e) => setTopic(e.target.value)} data-testid="reset-topic">
            <option value="">all with committed offsets</option>
            {choices.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-label">
          To
          <select value={target} onChange={(e) => setTarget(e.target.value as ResetTarget)} data-testid="reset-target">
            <option value="earliest">earliest</option>
            <option value="latest">latest</option>
            <option value="offset">offset</option>
            <option value="timestamp">timestamp</option>
            <option value="shift">shift by</option>
          </select>
        </label>
        {(target === 'offset' || target === 'timestamp' || target === 'shift') && (
          <input value={value} onChange={(e) => setValue(e.target.value)} placeholder={target === 'offset' ? 'offset' : target === 'shift' ? '-100' : '2024-09-15 14:00:00'} data-testid="reset-value" aria-label="Reset value" />
        )}
        <button type="submit" data-testid="reset-preview">
          Preview
        </button>
      </form>
      {(local || error) && (
        <p className="form-error" role="alert" data-testid="reset-error">
          {local ?? error!.message}
          {error?.code && !local ? <span className="muted"> ({error.code})</span> : null}
        </p>
      )}
      {applied && (
        <p className="ok" data-testid="reset-applied">
          {applied}
        </p>
      )}
      {preview && (
        <>
          <table className="table compact-table" data-testid="reset-preview-table">
            <thead>
              <tr>
                <th>Topic</th>
                <th className="num">Partition</th>
                <th className="num">Current</th>
                <th />
                <th className="num">New</th>
                <th className="num">Log start</th>
                <th className="num">Log end</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={`${r.topic}-${r.partition}`}>
                  <td className="mono">{r.topic}</td>
                  <td className="num">{r.partition}</td>
                  <td className="num">{r.currentOffset ?? '–'}</td>
                  <td className="arrow">→</td>
                  <td className={r.newOffset !== r.currentOffset ? 'num changed' : 'num'}>{r.newOffset}</td>
                  <td className="num">{r.logStartOffset}</td>
                  <td className="num">{r.logEndOffset}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.refusal && (
            <p className="warn-text small" data-testid="reset-refusal">
              {preview.refusal}
            </p>
          )}
          <div className="button-row">
            <button className="primary" onClick={() => void apply()} data-testid="reset-apply">
              Apply reset
            </button>
            <button onClick={clear}>Cancel</button>
          </div>
        </>
      )}
    </section>
  );
}
