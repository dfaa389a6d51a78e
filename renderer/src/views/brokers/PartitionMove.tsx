/**
 * Moving partitions from the partition map: the editor where a person picks the
 * brokers a partition should live on (the order of picking is the replica order, the
 * first becomes the preferred leader; more or fewer brokers change the replication
 * factor), a preview of what will happen, and the button that starts the move. While a
 * move runs the map shows the new replicas copying the log and joining the ISR, and a
 * Cancel button. Also the topic's "Elect preferred leaders" button.
 */
import { useState } from 'react';
import type { ElectionResultView, PartitionView } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { useStore } from '../../store';

/** What a move from `current` to `target` does, in words (empty target: nothing yet). */
export function movePreview(p: PartitionView, target: number[]): string[] {
  if (target.length === 0) return ['Pick the brokers this partition should live on. The first one you pick becomes its preferred leader.'];
  const current = p.replicas.filter((b) => !p.removingReplicas.includes(b));
  const adding = target.filter((b) => !current.includes(b));
  const removing = current.filter((b) => !target.includes(b));
  const lines: string[] = [];
  if (adding.length === 0 && removing.length === 0) {
    lines.push(target.join() === current.join() ? 'These are the replicas it has now: nothing to move.' : `Same brokers in a new order: broker ${target[0]} becomes the preferred leader; nothing is copied.`);
    return lines;
  }
  if (adding.length > 0) lines.push(`Broker${adding.length > 1 ? 's' : ''} ${adding.join(', ')} ${adding.length > 1 ? 'get' : 'gets'} a new replica: it copies the log from the leader (${p.logEndOffset - p.logStartOffset} records), then joins the ISR.`);
  if (removing.length > 0) lines.push(`Then broker${removing.length > 1 ? 's' : ''} ${removing.join(', ')} ${removing.length > 1 ? 'leave' : 'leaves'} the replica set and ${removing.length > 1 ? 'delete their' : 'deletes its'} copy.`);
  // At completion every target replica is in the ISR: the first one takes over.
  if (p.leader !== null && removing.includes(p.leader)) lines.push(`The leader (broker ${p.leader}) is leaving: leadership moves to broker ${target[0]} when the move completes.`);
  if (target.length !== current.length) lines.push(`Replication factor ${current.length} → ${target.length}.`);
  return lines;
}

export function MoveEditor({ topic, p, brokerIds, colSpan, onClose }: { topic: string; p: PartitionView; brokerIds: number[]; colSpan: number; onClose: () => void }) {
  const reassign = useStore((s) => s.reassignPartition);
  const [target, setTarget] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const toggle = (id: number) => setTarget((t) => (t.includes(id) ? t.filter((b) => b !== id) : [...t, id]));
  const start = async () => {
    setBusy(true);
    const err = await reassign(topic, p.partition, target);
    setBusy(false);
    if (err) setError(err);
    else onClose();
  };
  return (
    <tr className="pmap-move" data-testid={`pmap-${topic}-${p.partition}-move-editor`}>
      <td colSpan={colSpan}>
        <div className="pmap-move-row">
          <span className="small">Move {topic}-{p.partition} to:</span>
          {brokerIds.map((id) => (
            <label key={id} className="pmap-move-pick small">
              <input type="checkbox" checked={target.includes(id)} onChange={() => toggle(id)} data-testid={`pmap-move-b${id}`} /> broker {id}
              {target.includes(id) && <span className="muted"> #{target.indexOf(id) + 1}</span>}
            </label>
          ))}
        </div>
        <ul className="pmap-move-preview small" data-testid="pmap-move-preview">
          {movePreview(p, target).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <div className="pmap-move-row">
          <button className="small-button" disabled={busy || target.length === 0} onClick={() => void start()} data-testid="pmap-move-start">
            {busy ? 'Starting…' : 'Start move'}
          </button>
          <button className="small-button" onClick={onClose}>Close</button>
        </div>
        {error && <p className="form-error small" role="alert" data-testid="pmap-move-error">{error.message}</p>}
      </td>
    </tr>
  );
}

/** The running move of a partition, in words, with its Cancel button. */
export function MoveProgress({ topic, p }: { topic: string; p: PartitionView }) {
  const cancel = useStore((s) => s.cancelReassignment);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const leaderLeo = p.leader !== null ? (p.replicaLogEndOffsets[p.leader] ?? p.logEndOffset) : p.logEndOffset;
  const copying = p.addingReplicas.map((id) => {
    const leo = p.replicaLogEndOffsets[id];
    if (p.isr.includes(id)) return `broker ${id} in sync`;
    if (leo === null || leo === undefined) return `broker ${id} waiting (down)`;
    return `broker ${id} copying ${leo}/${leaderLeo}`;
  });
  return (
    <span className="pmap-moving small" data-testid={`pmap-${topic}-${p.partition}-moving`}>
      moving: {copying.join(', ')}
      {p.removingReplicas.length > 0 && `; then ${p.removingReplicas.join(', ')} leave${p.removingReplicas.length > 1 ? '' : 's'}`}{' '}
      <button className="small-button" onClick={() => void cancel(topic, p.partition).then(setError)} data-testid={`pmap-${topic}-${p.partition}-cancel`}>
        Cancel
      </button>
      {error && <span className="form-error"> {error.message}</span>}
    </span>
  );
}

export function ElectPreferredButton({ topic }: { topic: string }) {
  const elect = useStore((s) => s.electPreferredLeaders);
  const [result, setResult] = useState<string | null>(null);
  const run = async () => {
    const r = await elect(topic);
    setResult(Array.isArray(r) ? summarise(r) : r.message);
  };
  return (
    <>
      <button className="small-button pmap-elect" title="Hand leadership of each partition back to its preferred (★) replica, where that replica is in sync" onClick={() => void run()} data-testid={`pmap-${topic}-elect`}>
        Elect preferred leaders
      </button>
      {result && <span className="muted small" data-testid={`pmap-${topic}-elect-result`}> {result}</span>}
    </>
  );
}

function summarise(results: ElectionResultView[]): string {
  const elected = results.filter((r) => r.outcome === 'elected').map((r) => r.partition);
  const notNeeded = results.filter((r) => r.outcome === 'not-needed').length;
  const failed = results.filter((r) => r.outcome === 'failed');
  const parts: string[] = [];
  if (elected.length > 0) parts.push(`leadership moved for partition${elected.length > 1 ? 's' : ''} ${elected.join(', ')}`);
  if (notNeeded > 0) parts.push(`${notNeeded} already led by ${notNeeded > 1 ? 'their' : 'its'} preferred replica`);
  for (const f of failed) parts.push(`partition ${f.partition}: ${f.reason}`);
  return `${parts.join('; ')}.`;
}
