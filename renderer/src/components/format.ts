/** Number, size, rate and time formats shared by the views. */
import { formatBytes } from './Field';

export { formatBytes };

/** 1234 → "1.2k", 2500000 → "2.5M"; whole numbers below 10000 as they are. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs < 10_000) return String(Math.round(n));
  if (abs < 1_000_000) return `${(n / 1000).toFixed(abs < 100_000 ? 1 : 0)}k`;
  if (abs < 1_000_000_000) return `${(n / 1_000_000).toFixed(abs < 100_000_000 ? 2 : 0)}M`;
  return `${(n / 1_000_000_000).toFixed(2)}G`;
}

export function formatRate(n: number, unit = 'msg'): string {
  return `${formatCount(n)} ${unit}/s`;
}

export function formatByteRate(n: number): string {
  return `${formatBytes(Math.round(n))}/s`;
}

/** A duration in ms as people say it: "7 days", "1 h", "250 ms", "never". */
export function formatDurationMs(ms: number): string {
  if (ms < 0 || ms >= 9.2e18) return 'never';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)} min`;
  if (ms < 86_400_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  const days = +(ms / 86_400_000).toFixed(1);
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

/** Wall-clock time of day with milliseconds, for event feeds and segment time ranges. */
export function formatClock(ms: number): string {
  if (ms < 0) return '—';
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatAgo(ms: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

export function acksLabel(acks: number): string {
  return acks === -1 ? 'all' : String(acks);
}
