/**
 * A broker's log directory on its card: the bytes its replicas hold, and on request a
 * small table of each replica (topic-partition, size on disk, offsets behind the leader),
 * largest first, as Kafka's DescribeLogDirs reports them. The table is loaded when opened
 * and again with Refresh; it is not live.
 */
import { useState } from 'react';
import type { BrokerView, LogDirsView } from '../../../../engine/api/contract';
import { formatBytes } from '../../components/format';
import { useStore } from '../../store';

export function LogDirsSize({ broker: b }: { broker: BrokerView }) {
  return (
    <>
      <dt title={`Bytes of the partition replicas broker ${b.id} holds in its log directory (segment files on disk)`}>Replicas</dt>
      <dd data-testid={`broker-${b.id}-replica-bytes`}>{formatBytes(b.replicaBytes)}</dd>
    </>
  );
}

export function LogDirsTable({ brokerId }: { brokerId: number }) {
  const load = useStore((s) => s.loadLogDirs);
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<LogDirsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = async () => {
    try {
      setView(await load(brokerId));
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const toggle = () => {
    if (!open) void refresh();
    setOpen(!open);
  };
  return (
    <div className="log-dirs" data-testid={`broker-${brokerId}-log-dirs`}>
      <button className="small-button" onClick={toggle} data-testid={`broker-${brokerId}-log-dirs-toggle`} title="Each replica in this broker's log directory: its size on disk and how far it is behind the leader">
        {open ? 'Hide log dir' : 'Log dir sizes'}
      </button>
      {open && view && (
        <>
          {' '}
          <button className="small-button" onClick={() => void refresh()}>Refresh</button>
          <p className="muted small mono" title="The broker's log directory">{view.logDir}</p>
          {!view.online && <p className="muted small">Broker {brokerId} is down: it reports its replicas again once it restarts.</p>}
          <table className="small" data-testid={`broker-${brokerId}-log-dirs-table`}>
            <thead>
              <tr><th>Partition</th><th className="num">Size</th><th className="num" title="Offsets this replica is behind the leader's log end (0 on the leader)">Lag</th></tr>
            </thead>
            <tbody>
              {view.replicas.map((r) => (
                <tr key={`${r.topic}-${r.partition}`} data-testid={`log-dir-${r.topic}-${r.partition}`}>
                  <td className="mono">{r.topic}-{r.partition}{r.isLeader ? <span className="muted"> · leader</span> : null}</td>
                  <td className="num">{formatBytes(r.sizeBytes)}</td>
                  <td className={r.offsetLag > 0 ? 'num warn-text' : 'num'}>{r.offsetLag}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {open && error && <p className="form-error small" role="alert">{error}</p>}
    </div>
  );
}
