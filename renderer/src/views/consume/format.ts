/** Formats and parsing shared by the message browser and the groups view. */
import type { BytesPreview } from '../../../../engine/api/contract';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

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
