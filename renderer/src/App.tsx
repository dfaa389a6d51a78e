import { useStore } from './store';
import { ClusterView } from './views/ClusterView';
import { TopicsView } from './views/TopicsView';
import type { ViewName } from './store/ui';

const NAV: { view: ViewName; label: string }[] = [
  { view: 'cluster', label: 'Cluster' },
  { view: 'topics', label: 'Topics' },
];

export function App() {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  return (
    <div className="app">
      <Header />
      <nav className="nav" aria-label="Views">
        {NAV.map((n) => (
          <button
            key={n.view}
            className={n.view === view ? 'nav-item active' : 'nav-item'}
            aria-current={n.view === view ? 'page' : undefined}
            data-testid={`nav-${n.view}`}
            onClick={() => setView(n.view)}
          >
            {n.label}
          </button>
        ))}
      </nav>
      <main className="main">
        <EngineBanner />
        {view === 'cluster' ? <ClusterView /> : <TopicsView />}
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
        <span className={`conn conn-${connection}`} data-testid="connection">{connection === 'open' ? 'connected' : connection}</span>
      </div>
    </header>
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
