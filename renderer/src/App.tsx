import { useEffect, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatBytes, formatClock } from './components/format';
import { useStore } from './store';
import { VIEWS, type ViewName } from './store/ui';
import { ClusterView } from './views/brokers/ClusterView';
import { ClientsView } from './views/clients/ClientsView';
import { GroupsView } from './views/groups/GroupsView';
import { MessagesView } from './views/records/MessagesView';
import { ProduceView } from './views/records/ProduceView';
import { TopicsView } from './views/topics/TopicsView';
import { LearnView } from './views/lessons/LearnView';
import { LessonPane } from './views/lessons/LessonPane';
import './views/lessons/lessons.css';

const VIEW_COMPONENTS: Record<ViewName, () => ReactNode> = {
  cluster: () => <ClusterView />,
  topics: () => <TopicsView />,
  produce: () => <ProduceView />,
  messages: () => <MessagesView />,
  groups: () => <GroupsView />,
  learn: () => <LearnView />,
  clients: () => <ClientsView />,
};

/** Ctrl/Cmd + 1…7 switches between the main views. */
function useViewShortcuts(setView: (v: ViewName) => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const index = Number(e.key) - 1;
      if (Number.isInteger(index) && index >= 0 && index < VIEWS.length) {
        e.preventDefault();
        setView(VIEWS[index].view);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);
}

export function App() {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const lessonActive = useStore((s) => s.snapshot?.lessons.active != null);
  const hasSnapshot = useStore((s) => s.snapshot !== null);
  const applyLearnFirst = useStore((s) => s.applyLearnFirst);
  // What is on screen came from a host that is gone: it stays visible, greyed, and nothing can be changed.
  const lost = useStore((s) => s.connection !== 'open' && s.snapshot !== null);
  useViewShortcuts(setView);
  // On a fresh data dir the Learn view opens first (decided once, on the first snapshot).
  useEffect(() => {
    if (hasSnapshot) applyLearnFirst();
  }, [hasSnapshot, applyLearnFirst]);
  return (
    <div className="app">
      <Header />
      <nav className="nav" aria-label="Views">
        {VIEWS.map((n, i) => (
          <button
            key={n.view}
            className={n.view === view ? 'nav-item active' : 'nav-item'}
            aria-current={n.view === view ? 'page' : undefined}
            data-testid={`nav-${n.view}`}
            onClick={() => setView(n.view)}
            title={`${n.label} (Ctrl+${i + 1})`}
          >
            {n.label}
          </button>
        ))}
      </nav>
      <main className="main">
        <HostLostBanner />
        <EngineBanner />
        <DiskBanner />
        <fieldset className={lost ? 'view-fieldset stale' : 'view-fieldset'} disabled={lost} data-testid="view-content">
          {lessonActive ? (
            <div className="with-lesson">
              <div className="main-view">{VIEW_COMPONENTS[view]()}</div>
              <LessonPane />
            </div>
          ) : (
            VIEW_COMPONENTS[view]()
          )}
        </fieldset>
      </main>
    </div>
  );
}

function Header() {
  const clusterId = useStore((s) => s.snapshot?.clusterId ?? null);
  const connection = useStore((s) => s.connection);
  return (
    <header className="header">
      <div className="brand">Stream Workbench</div>
      <div className="header-meta">
        {clusterId && <span className="muted" title="Cluster id">cluster {clusterId}</span>}
        <span className={`conn conn-${connection}`} data-testid="connection">{connection === 'open' ? 'connected' : connection === 'connecting' ? 'connecting…' : 'not connected'}</span>
      </div>
    </header>
  );
}

/**
 * The page lost its host (the app stopped, or the connection broke): say so above
 * everything, say how old what is shown is, and that it comes back by itself.
 */
function HostLostBanner() {
  const lostAtMs = useStore((s) => (s.snapshot !== null ? s.connectionLostAtMs : null));
  if (lostAtMs === null) return null;
  return (
    <div className="banner banner-error host-lost" role="alert" data-testid="host-lost">
      <span>
        <strong>Not connected to the workbench</strong> since {formatClock(lostAtMs)}: it stopped, or the connection broke. What you see is how things were then,
        and nothing can be changed. This page reconnects by itself as soon as the workbench runs again (<code className="mono">npm start</code>).
      </span>
    </div>
  );
}

function EngineBanner() {
  const crash = useStore((s) => s.engineCrash);
  const restart = useStore((s) => s.restartEngine);
  const error = useStore((s) => s.clusterError);
  if (crash) {
    return (
      <div className="banner banner-error" role="alert">
        <span>{crash}</span>
        <button onClick={() => void restart()}>Restart engine</button>
      </div>
    );
  }
  if (error) {
    return <div className="banner banner-error" role="alert">{error.message}</div>;
  }
  return null;
}

/**
 * A broker's disk is below the free space it keeps: say where, how much, and what to
 * do, until space returns (writes then resume by themselves).
 */
function DiskBanner() {
  const low = useStore(useShallow((s) => (s.snapshot?.brokers ?? []).filter((b) => b.disk?.low)));
  const metadataProblem = useStore((s) => s.snapshot?.metadataProblem ?? null);
  if (metadataProblem) {
    return (
      <div className="banner banner-error" role="alert" data-testid="metadata-banner">
        {metadataProblem}
      </div>
    );
  }
  if (low.length === 0) return null;
  const d = low[0].disk!;
  const dataDir = d.dataDir.replace(/[\\/]broker-\d+$/, '');
  const who = low.length === 1 ? `Broker ${low[0].id} refuses` : `Brokers ${low.map((b) => b.id).join(', ')} refuse`;
  return (
    <div className="banner banner-warn" role="alert" data-testid="disk-banner">
      <span>
        <strong>Disk almost full:</strong> {formatBytes(d.freeBytes)} free of {formatBytes(d.totalBytes)} where the data folder is (<code className="mono">{dataDir}</code>), less than the {formatBytes(d.minFreeBytes)} the brokers keep free. {who} new messages; reading goes on. Free space
        (delete topics, lower retention.ms or retention.bytes, or remove other files): writes resume by themselves.
      </span>
    </div>
  );
}
