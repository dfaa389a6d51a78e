import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store';

export function ClusterView() {
  const { brokers, controllerId } = useStore(
    useShallow((s) => ({ brokers: s.snapshot?.brokers ?? null, controllerId: s.snapshot?.controllerId ?? null })),
  );
  if (!brokers) return <p className="muted">Waiting for the cluster…</p>;
  return (
    <section>
      <h1>Cluster</h1>
      <p className="muted">{brokers.length} brokers on this machine. Point your own Kafka clients at their listeners.</p>
      <div className="broker-grid">
        {brokers.map((b) => (
          <article key={b.id} className={`card broker broker-${b.state}`} data-testid={`broker-${b.id}`}>
            <header className="card-head">
              <h2>Broker {b.id}</h2>
              {controllerId === b.id && <span className="badge badge-accent" title="This broker is the controller">controller</span>}
              <span className={`badge state-${b.state}`} data-testid={`broker-${b.id}-state`}>{b.state}</span>
            </header>
            <dl className="kv">
              <dt>Listener</dt>
              <dd>
                {b.host}:{b.port}
                {!b.listening && <span className="muted small" title={b.listenerError ?? undefined}> (not listening)</span>}
              </dd>
              <dt>Partitions led</dt>
              <dd data-testid={`broker-${b.id}-led`}>{b.partitionsLed}</dd>
            </dl>
            {b.listenerError && <p className="muted small">{b.listenerError}</p>}
          </article>
        ))}
      </div>
    </section>
  );
}
