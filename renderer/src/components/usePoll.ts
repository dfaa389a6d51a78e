/**
 * Polls a command while a view is open: at most every `intervalMs`, one call at a
 * time, again at once when `refreshKey` changes (e.g. the snapshot's storageSeq after
 * a retention deletion or a cleaner run), and never after the view closed.
 */
import { useEffect, useRef, useState } from 'react';
import type { WorkbenchErrorData } from '../../../engine/api/errors';
import { toErrorData } from '../errors';

export function usePoll<T>(load: () => Promise<T>, deps: readonly unknown[], intervalMs: number, refreshKey?: unknown): { data: T | null; error: WorkbenchErrorData | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<WorkbenchErrorData | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let inFlight = false;
    let again = false;
    let timer: number | undefined;
    const run = async () => {
      if (stopped) return;
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      window.clearTimeout(timer);
      try {
        const value = await loadRef.current();
        if (!stopped) {
          setData(value);
          setError(null);
        }
      } catch (err) {
        if (!stopped) setError(toErrorData(err));
      } finally {
        inFlight = false;
        if (!stopped) {
          if (again) {
            again = false;
            void run();
          } else timer = window.setTimeout(() => void run(), intervalMs);
        }
      }
    };
    kick.current = () => void run();
    setData(null);
    void run();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
    // The caller names what the load depends on.
  }, [...deps, intervalMs]);

  useEffect(() => {
    if (refreshKey !== undefined) kick.current();
  }, [refreshKey]);

  return { data, error, reload: () => kick.current() };
}
