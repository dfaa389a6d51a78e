/**
 * The cluster: brokers as cards (state, controller, partitions led, rates, listener)
 * with buttons that kill, stop, restart, cut off and heal them for real; a map of
 * every partition's replicas showing leaders and ISR as they move, where a partition
 * can be moved to other brokers and preferred leaders elected; the feed of what
 * just happened (leader changes, ISR shrink and growth, records a returning replica cut
 * from its log); the cluster's throughput; the broker configs (BrokerConfigs.tsx); and on
 * each card the bytes its replicas hold, with a table of its log directory (LogDirs.tsx).
 */
import { Fragment, useRef, useState, useSyncExternalStore } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { BrokerRatesView, BrokerView, TopicView } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { formatByteRate, formatBytes, formatClock, formatRate } from '../../components/format';
import { useStore } from '../../store';
import { selectBootstrap, type BrokerAction } from '../../store/brokers';
import { eventsSnapshot, recentEvents, subscribeEvents } from '../../store/metrics';
import { ThroughputChart } from '../metrics/charts';
import { ElectPreferredButton, MoveEditor, MoveProgress } from './PartitionMove';
import { BrokerConfigs } from './BrokerConfigs';
import { LogDirsSize, LogDirsTable } from './LogDirs';

export function ClusterView() {
  const { brokers, controllerId } = useStore(
    useShallow((s) => ({ brokers: s.snapshot?.brokers ?? null, controllerId: s.snapshot?.controllerId ?? null })),
  );
  if (!brokers) return <p className="muted">Waiting for the cluster…</p>;
  return (
    <section className="cluster-view">
      <h1>Cluster</h1>
      <ClusterSummary />
      <div className="broker-grid">
        {brokers.map((b) => (
          <BrokerCard key={b.id} broker={b} isController={controllerId === b.id} />
        ))}
      </div>
      <div className="cluster-columns">
        <section className="card">
          <h2>Partitions and their replicas</h2>
          <PartitionMap />
        </section>
        <section className="card">
          <h2>What just happened</h2>
          <EventFeed />
        </section>
      </div>
      <section className="card">
        <h2>Throughput</h2>
        <ThroughputChart />
      </section>
      <BrokerConfigs />
    </section>
  );
}

function ClusterSummary() {
  const summary = useStore(
    useShallow((s) => {
      const snap = s.snapshot;
      const topics = (snap?.topics ?? []).filter((t) => !t.internal);
      return {
        brokers: snap?.brokers.length ?? 0,
        up: snap?.brokers.filter((b) => b.state === 'up').length ?? 0,
        topics: topics.length,
        partitions: topics.reduce((n, t) => n + t.partitionCount, 0),
        under: topics.reduce((n, t) => n + t.underReplicated, 0),
        offline: topics.reduce((n, t) => n + t.offline, 0),
        controller: snap?.controllerId ?? null,
        bootstrap: selectBootstrap(s),
      };
    }),
  );
  return (
    <p className="muted" data-testid="cluster-summary">
      {summary.up} of {summary.brokers} brokers up · controller {summary.controller === null ? <strong className="warn-text">none</strong> : `broker ${summary.controller}`} · {summary.topics} topics,{' '}
      {summary.partitions} partitions
      {summary.under > 0 && <strong className="warn-text"> · {summary.under} under-replicated</strong>}
      {summary.offline > 0 && <strong className="danger-text"> · {summary.offline} offline</strong>}. Point your own Kafka clients at{' '}
      <code className="mono" data-testid="bootstrap">{summary.bootstrap}</code>.
    </p>
  );
}

/** Which fault buttons make sense in each state. */
const ACTIONS: { action: BrokerAction; label: string; title: string; when: BrokerView['state'][]; danger?: boolean }[] = [
  { action: 'killBroker', label: 'Kill', title: 'Crash it: it stops at once, unsynced bytes are lost, nothing is handed over.', when: ['up', 'cut', 'starting', 'stopping'], danger: true },
  { action: 'stopBroker', label: 'Stop', title: 'Controlled shutdown: its leaderships move to other brokers first.', when: ['up', 'cut'] },
  { action: 'restartBroker', label: 'Restart', title: 'Start it again; it recovers its logs and catches up from the leaders.', when: ['stopped', 'killed', 'failed'] },
  { action: 'cutBroker', label: 'Cut off', title: 'Cut it off from the other brokers and the controller (clients can still reach it).', when: ['up'] },
  { action: 'healBroker', label: 'Heal', title: 'Reconnect it to the other brokers and the controller.', when: ['cut'] },
];

function BrokerCard({ broker: b, isController }: { broker: BrokerView; isController: boolean }) {
  const rates = useStore(useShallow((s) => s.snapshot?.metrics.brokerRates.find((r) => r.brokerId === b.id) ?? null));
  const act = useStore((s) => s.brokerAction);
  const [busy, setBusy] = useState<BrokerAction | null>(null);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const run = async (action: BrokerAction) => {
    setBusy(action);
    setError(await act(action, b.id));
    setBusy(null);
  };
  return (
    <article className={`card broker broker-${b.state}`} data-testid={`broker-${b.id}`}>
      <header className="card-head">
        <h2>Broker {b.id}</h2>
        {isController && <span className="badge badge-accent" title="This broker is the active controller: it decides leaders and ISRs">controller</span>}
        <span className={`badge state-${b.state}`} data-testid={`broker-${b.id}-state`}>{b.state}</span>
      </header>
      <dl className="kv">
        <dt>Listener</dt>
        <dd className="mono">
          {b.host}:{b.port}{' '}
          {b.listening ? <span className="ok small">listening</span> : <span className="muted small">not listening</span>}
        </dd>
        <dt>Partitions led</dt>
        <dd data-testid={`broker-${b.id}-led`} title="Internal partitions (__consumer_offsets) hold the groups' committed offsets; Topics lists them with “show internal topics”.">
          {b.partitionsLed}
          {b.internalPartitionsLed > 0 && <span className="muted">, of which {b.internalPartitionsLed} internal</span>}
        </dd>
        {b.disk && (
          <>
            <dt title={`Free space where broker ${b.id} keeps its logs (${b.disk.dataDir}); below ${formatBytes(b.disk.minFreeBytes)} it refuses writes`}>Disk</dt>
            <dd className={b.disk.low ? 'warn-text' : undefined} data-testid={`broker-${b.id}-disk`}>
              {formatBytes(b.disk.freeBytes)} free{b.disk.low ? ' · writes refused' : ''}
            </dd>
          </>
        )}
        <LogDirsSize broker={b} />
        <BrokerRates rates={rates} />
      </dl>
      {b.failure ? (
        <div className="broker-failure small" role="alert" data-testid={`broker-${b.id}-failure`}>
          <strong>{b.failure.reason}</strong> {b.failure.nextStep}
        </div>
      ) : (
        b.listenerError && <p className="muted small" data-testid={`broker-${b.id}-listener-error`}>{b.listenerError}</p>
      )}
      <div className="broker-actions">
        {ACTIONS.filter((a) => a.when.includes(b.state)).map((a) => (
          <button
            key={a.action}
            className={a.danger ? 'danger small-button' : 'small-button'}
            title={a.title}
            disabled={busy !== null}
            onClick={() => void run(a.action)}
            data-testid={`broker-${b.id}-${a.label.toLowerCase().replace(' ', '-')}`}
          >
            {busy === a.action ? `${a.label}…` : a.label}
          </button>
        ))}
      </div>
      {error && <p className="form-error small" role="alert">{error.message}</p>}
      <LogDirsTable brokerId={b.id} />
    </article>
  );
}

function BrokerRates({ rates }: { rates: BrokerRatesView | null }) {
  if (!rates) return null;
  return (
    <>
      <dt>In</dt>
      <dd data-testid="broker-rate-in">
        {formatRate(rates.messagesInPerS)} · {formatByteRate(rates.bytesInPerS)}
      </dd>
      <dt title="Fetched by consumers: the stored batches, sent without re-encoding">To consumers</dt>
      <dd>{formatByteRate(rates.bytesOutToConsumersPerS)}</dd>
      <dt title="Fetched by follower replicas">To followers</dt>
      <dd>{formatByteRate(rates.bytesOutToFollowersPerS)}</dd>
    </>
  );
}

const MAX_ROWS_PER_TOPIC = 48;
/** How long a partition cell flashes after its role changed. */
const FLASH_MS = 1200;
const NO_TOPICS: TopicView[] = [];
const NO_BROKERS: BrokerView[] = [];

function PartitionMap() {
  const { allTopics, brokers } = useStore(useShallow((s) => ({ allTopics: s.snapshot?.topics ?? NO_TOPICS, brokers: s.snapshot?.brokers ?? NO_BROKERS })));
  const topics = allTopics.filter((t) => !t.internal);
  const openTopic = useStore((s) => s.selectTopic);
  const setView = useStore((s) => s.setView);
  if (topics.length === 0) {
    return (
      <div className="empty small-empty" data-testid="pmap-empty">
        No topics yet. <button className="link" onClick={() => setView('topics')}>Create one in Topics</button> to see its partitions spread over the brokers.
      </div>
    );
  }
  return (
    <>
      <div className="pmap" data-testid="partition-map">
        <table className="table pmap-table">
          <thead>
            <tr>
              <th>Partition</th>
              {brokers.map((b) => (
                <th key={b.id} className={`center state-text-${b.state}`}>broker {b.id}</th>
              ))}
              <th>ISR</th>
              <th>Placement</th>
            </tr>
          </thead>
          {topics.map((t) => (
            <PartitionMapTopic key={t.name} topic={t} brokerIds={brokers.map((b) => b.id)} down={new Set(brokers.filter((b) => b.state !== 'up').map((b) => b.id))} onOpen={() => { openTopic(t.name); setView('topics'); }} />
          ))}
        </table>
      </div>
      <p className="muted small pmap-legend" data-testid="pmap-legend">
        ★ preferred leader: the first replica in the partition's list. When it is back in sync, the controller hands leadership back to it.
      </p>
    </>
  );
}

function PartitionMapTopic({ topic: t, brokerIds, down, onOpen }: { topic: TopicView; brokerIds: number[]; down: Set<number>; onOpen: () => void }) {
  const rows = t.partitions.slice(0, MAX_ROWS_PER_TOPIC);
  const [editing, setEditing] = useState<number | null>(null);
  // Cells flash when their role changes while the map is open (not when it first draws),
  // and keep the flash for FLASH_MS whatever the snapshot rate.
  const seen = useRef<Map<string, { sig: string; changedAtMs: number }> | null>(null);
  const first = seen.current === null;
  if (seen.current === null) seen.current = new Map();
  const cells = seen.current;
  const nowMs = Date.now();
  const flashing = (cell: string, sig: string): boolean => {
    const before = cells.get(cell);
    if (!before) {
      cells.set(cell, { sig, changedAtMs: first ? 0 : nowMs });
    } else if (before.sig !== sig) {
      cells.set(cell, { sig, changedAtMs: nowMs });
    }
    return nowMs - cells.get(cell)!.changedAtMs < FLASH_MS;
  };
  return (
    <tbody>
      <tr className="pmap-topic">
        <th colSpan={brokerIds.length + 3}>
          <button className="link" onClick={onOpen}>{t.name}</button>
          {t.underReplicated > 0 && <span className="badge state-cut">{t.underReplicated} under-replicated</span>}
          {t.offline > 0 && <span className="badge state-killed">{t.offline} offline</span>}
          <ElectPreferredButton topic={t.name} />
        </th>
      </tr>
      {rows.map((p) => (
        <Fragment key={p.partition}>
        <tr data-testid={`pmap-${t.name}-${p.partition}`}>
          <td className="mono">
            {t.name}-{p.partition}
            <span className="muted small"> epoch {p.leaderEpoch}</span>
          </td>
          {brokerIds.map((id) => {
            const replica = p.replicas.includes(id);
            const leader = p.leader === id;
            const inIsr = p.isr.includes(id);
            const adding = p.addingReplicas.includes(id) && !inIsr;
            const role = !replica ? 'none' : leader ? 'leader' : inIsr ? 'follower' : adding ? 'adding' : 'out-of-sync';
            const leaving = p.removingReplicas.includes(id);
            // The preferred leader: the first replica in the partition's list.
            const preferred = p.replicas[0] === id;
            const changed = flashing(`${p.partition}:${id}`, `${role}:${p.leaderEpoch}`);
            return (
              <td
                key={`${id}-${role}-${p.leaderEpoch}`}
                className={`center pmap-cell pmap-${role}${changed ? ' pmap-changed' : ''}${down.has(id) && replica ? ' pmap-down' : ''}${leaving ? ' pmap-leaving' : ''}`}
                data-role={role}
                data-leaving={leaving ? 'yes' : undefined}
                data-preferred={preferred ? 'yes' : undefined}
                data-testid={`pmap-${t.name}-${p.partition}-b${id}`}
              >
                {role === 'leader' ? 'leader' : role === 'follower' ? 'in sync' : role === 'out-of-sync' ? 'out of sync' : role === 'adding' ? 'copying' : ''}
                {leaving && <span className="small"> · leaving</span>}
                {preferred && (
                  <span className="pmap-preferred" title="Preferred leader: the first replica in this partition's list">
                    {' '}★
                  </span>
                )}
              </td>
            );
          })}
          <td className="mono" data-testid={`pmap-${t.name}-${p.partition}-isr`}>{p.isr.join(', ') || 'none'}</td>
          <td>
            {p.addingReplicas.length > 0 || p.removingReplicas.length > 0 ? (
              <MoveProgress topic={t.name} p={p} />
            ) : (
              <button className="small-button" onClick={() => setEditing(editing === p.partition ? null : p.partition)} data-testid={`pmap-${t.name}-${p.partition}-move`}>
                Move…
              </button>
            )}
          </td>
        </tr>
        {editing === p.partition && p.addingReplicas.length === 0 && <MoveEditor topic={t.name} p={p} brokerIds={brokerIds} colSpan={brokerIds.length + 3} onClose={() => setEditing(null)} />}
        </Fragment>
      ))}
      {t.partitions.length > rows.length && (
        <tr>
          <td colSpan={brokerIds.length + 3} className="muted small">…and {t.partitions.length - rows.length} more partitions (open the topic to see them all).</td>
        </tr>
      )}
    </tbody>
  );
}

function EventFeed() {
  useSyncExternalStore(subscribeEvents, eventsSnapshot);
  const events = recentEvents().slice(0, 40);
  // Events already there when the feed opened do not slide in.
  const openedAfter = useRef(events[0]?.id ?? 0);
  if (events.length === 0) {
    return <p className="muted small" data-testid="events-empty">Nothing has happened in the last hour. Kill a broker above and watch its partitions move to new leaders.</p>;
  }
  return (
    <ol className="event-feed" data-testid="event-feed">
      {events.map((e) => (
        <li key={e.id} className={`event event-${e.kind}${e.id > openedAfter.current ? ' event-new' : ''}`}>
          <span className="mono muted small">{formatClock(e.t * 1000)}</span> {e.text}
        </li>
      ))}
    </ol>
  );
}
