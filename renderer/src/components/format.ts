/**
 * The renderer's one format module: numbers, sizes, rates, durations, times and
 * record previews as people read them, and the parsing of times they type. Every view
 * formats through here, so a figure reads the same wherever it is shown.
 */
import type { BytesPreview } from '../../../engine/api/contract';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Formats a byte count for people. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

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

/**
 * A config value in words beside the raw one, where its name gives its unit:
 * retention.ms 604800000 → "7 days", segment.bytes 1073741824 → "1.00 GiB", -1 → "unlimited"
 * (bytes) or "never" (time). Null where there is nothing to add (not a whole number, or no unit).
 */
export function readableConfigValue(name: string, value: string | null): string | null {
  if (value === null || !/^-?\d+$/.test(value.trim())) return null;
  const n = Number(value);
  if (/\.ms$/.test(name)) return n < 0 ? 'never' : formatDurationMs(n);
  if (/\.bytes$/.test(name) && !/^min\.|\.min\./.test(name)) return n < 0 ? 'unlimited' : n < 1024 ? null : formatBytes(n);
  return null;
}

/** Wall-clock time of day with milliseconds, for event feeds and segment time ranges. */
export function formatClock(ms: number): string {
  if (ms < 0) return '—';
  const d = new Date(ms);
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

/** Local time with milliseconds: 2024-09-15 14:00:00.123. */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return String(ms);
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * A time a person typed: milliseconds since 1970 ("1726401600000"), or a date and time
 * in local time ("2024-09-15 14:00", "2024-09-15T14:00:05.250") or with a zone
 * ("2024-09-15T12:00:00Z"). Returns null when it is none of these.
 */
export function parseTime(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const ms = Number(frac.padEnd(3, '0'));
  if (zone) {
    const iso = `${y}-${mo}-${d}T${pad(Number(h))}:${pad(Number(mi))}:${pad(Number(s))}.${pad(ms, 3)}${zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
    const v = Date.parse(iso);
    return Number.isNaN(v) ? null : v;
  }
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d)) return null;
  return date.getTime();
}

/** One line of a key or value for a list cell: newlines and tabs shown as symbols. */
export function previewText(p: BytesPreview): string {
  return p.text.replace(/\r?\n/g, '⏎').replace(/\t/g, '⇥') + (p.truncated ? '…' : '');
}

export function formatCountExact(n: number): string {
  return n.toLocaleString('en-US');
}

/** Inclusive line ranges as people write them: "1–40, 42". */
export function formatRanges(ranges: [number, number][]): string {
  if (ranges.length === 0) return 'none';
  return ranges.map(([a, b]) => (a === b ? String(a) : `${a}–${b}`)).join(', ');
}
