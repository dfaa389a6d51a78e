/**
 * The replication timeline of one partition: the high watermark and each replica's
 * log end offset over the last minute, leader epoch changes marked, and which
 * replicas were in the ISR (and which one led) over the same time. Drawn from the
 * renderer's history of snapshots; the current state sits beside it.
 */
import { useShallow } from 'zustand/react/shallow';
import { formatCount } from '../../components/format';
import { useStore } from '../../store';
import { IsrTimelineChart, ReplicationOffsetsChart } from '../metrics/charts';

export function ReplicationTimeline({ topic }: { topic: string }) {
  const partition = useStore((s) => s.selectedPartition);
  const p = useStore(useShallow((s) => s.snapshot?.topics.find((t) => t.name === topic)?.partitions[partition] ?? null));
  const brokers = useStore(useShallow((s) => s.snapshot?.brokers.map((b) => `${b.id}:${b.state}`) ?? []));
  const setView = useStore((s) => s.setView);
  if (!p) return <p className="muted">Partition {partition} of {topic} is not in the latest snapshot.</p>;
  const state = new Map(brokers.map((x) => x.split(':') as [string, string]).map(([id, st]) => [Number(id), st]));
  const replicas = [...p.replicas];
  return (
    <section className="card" data-testid="replication">
      <h2>
        {topic}-{partition}: replication
      </h2>
      <p className="muted small">
        Followers fetch from the leader; the leader moves the high watermark (HW) to the smallest log end offset (LEO) in the ISR, and consumers read only up to it.
        A follower that falls behind for replica.lag.time.max.ms leaves the ISR; when the leader dies the controller picks a new one from the ISR and bumps the
        leader epoch. Try it: <button className="link" onClick={() => setView('cluster')}>kill the leader in Cluster</button>.
      </p>
      <table className="table compact-table" data-testid="replication-now">
        <thead>
          <tr><th>Broker</th><th>Role</th><th>In ISR</th><th className="num">LEO</th><th className="num">Behind the leader</th></tr>
        </thead>
        <tbody>
          {replicas.map((id) => {
            const leo = p.replicaLogEndOffsets[id] ?? null;
            const leaderLeo = p.leader !== null ? (p.replicaLogEndOffsets[p.leader] ?? p.logEndOffset) : p.logEndOffset;
            return (
              <tr key={id} data-testid={`replica-${id}`}>
                <td>
                  broker {id} {state.get(id) !== 'up' && <span className={`badge state-${state.get(id)}`}>{state.get(id)}</span>}
                  {id === replicas[0] && <span className="muted small"> preferred leader</span>}
                </td>
                <td>{p.leader === id ? <strong>leader</strong> : 'follower'}</td>
                <td className={p.isr.includes(id) ? 'ok' : 'warn-text'}>{p.isr.includes(id) ? 'yes' : 'no'}</td>
                <td className="num">{leo === null ? 'down' : formatCount(leo)}</td>
                <td className="num">{leo === null ? '—' : formatCount(Math.max(0, leaderLeo - leo))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="small">
        Leader <strong data-testid="replication-leader">{p.leader ?? 'none'}</strong> · epoch <strong data-testid="replication-epoch">{p.leaderEpoch}</strong> · ISR{' '}
        <strong data-testid="replication-isr">{p.isr.join(', ') || 'none'}</strong> · HW {formatCount(p.highWatermark)}
      </p>
      <h3>Offsets over time</h3>
      <ReplicationOffsetsChart topic={topic} partition={partition} replicas={replicas} />
      <h3>ISR membership and leader over time</h3>
      <p className="muted small">A coloured bar while the broker is in the ISR; the thin line on a bar marks the leader. Dashed lines mark leader epoch changes.</p>
      <IsrTimelineChart topic={topic} partition={partition} replicas={replicas} />
    </section>
  );
}
