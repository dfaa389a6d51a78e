/**
 * Where the list starts: earliest, latest, an offset (of one partition) or the first
 * record at or after a time — Kafka's ListOffsets semantics, answered by the engine.
 * Times can be typed as local date and time, with a zone, or as milliseconds.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from '../../store';
import type { SeekKind } from '../../store/records/browse';
import { parseTime } from '../../components/format';

export function SeekBar({ partitions }: { partitions: number }) {
  const seek = useStore((s) => s.msgSeek);
  const viewPartition = useStore((s) => s.msgPartition);
  const error = useStore((s) => s.msgSeekError);
  const following = useStore((s) => s.msgMode === 'live');
  // The list opens at the latest record, following new ones: the picker says so, and says
  // so again whenever the list goes back to following.
  const [kind, setKind] = useState<SeekKind>('latest');
  useEffect(() => {
    if (following) setKind('latest');
  }, [following]);
  const [offset, setOffset] = useState('');
  const [offsetPartition, setOffsetPartition] = useState('0');
  const [time, setTime] = useState('');
  const [local, setLocal] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setLocal(null);
    if (kind === 'offset') {
      const text = offset.trim();
      if (!/^\d+$/.test(text)) {
        setLocal(text === '' ? 'Type an offset: a whole number, 0 or more.' : `"${text}" is not an offset: offsets are whole numbers, 0 or more.`);
        return;
      }
      await seek('offset', { offset: Number(text), partition: viewPartition ?? Number(offsetPartition) });
    } else if (kind === 'timestamp') {
      const ms = parseTime(time);
      if (ms === null) {
        setLocal(time.trim() === '' ? 'Type a date and time, e.g. 2024-09-15 14:00:00.' : `"${time.trim()}" is not a date and time. Use 2024-09-15 14:00:00 (local), 2024-09-15T12:00:00Z, or milliseconds since 1970.`);
        return;
      }
      await seek('timestamp', { timestampMs: ms });
    } else {
      await seek(kind);
    }
  };

  const fieldError = local ?? (error && (error.field === 'offset' || error.field === 'timestampMs' || error.field === 'offsetPartition' || !error.field) ? error.message : null);
  return (
    <form className="seek-bar" onSubmit={submit} noValidate data-testid="seek-form">
      <label className="inline-label">
        Start from
        <select value={kind} onChange={(e) => setKind(e.target.value as SeekKind)} data-testid="seek-kind">
          <option value="earliest">Earliest</option>
          <option value="latest">Latest (follow new records)</option>
          <option value="offset">Offset</option>
          <option value="timestamp">Timestamp</option>
        </select>
      </label>
      {kind === 'offset' && (
        <>
          {viewPartition === null && (
            <label className="inline-label">
              partition
              <select value={offsetPartition} onChange={(e) => setOffsetPartition(e.target.value)} data-testid="seek-offset-partition">
                {Array.from({ length: partitions }, (_, p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
          )}
          <input className={fieldError ? 'invalid seek-input' : 'seek-input'} value={offset} onChange={(e) => setOffset(e.target.value)} placeholder="offset" inputMode="numeric" data-testid="seek-offset" aria-label="Offset" />
        </>
      )}
      {kind === 'timestamp' && (
        <input className={fieldError ? 'invalid seek-input wide' : 'seek-input wide'} value={time} onChange={(e) => setTime(e.target.value)} placeholder="2024-09-15 14:00:00 or ms" data-testid="seek-time" aria-label="Date and time" />
      )}
      <button type="submit" className="primary" data-testid="seek-go">
        Go
      </button>
      {fieldError && (
        <span className="field-error" role="alert" data-testid="seek-error">
          {fieldError}
        </span>
      )}
    </form>
  );
}
