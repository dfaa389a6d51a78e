/**
 * The rows the message list holds: pages of PAGE_ROWS rows fetched from the engine
 * on demand, for one source at a time (a laid-out view, or a filter job's matches).
 *
 * Only what is visible plus a margin is kept: `want(first, last)` names the visible
 * rows; pages within MARGIN_PAGES of them are fetched (at most MAX_IN_FLIGHT requests
 * at once, nearest first) and every page outside that window is dropped once more
 * than MAX_PAGES are held. So scrolling through millions of rows holds at most
 * MAX_PAGES × PAGE_ROWS rows, whatever the view's size.
 *
 * A page that came back short while its source could still grow (a running filter, a
 * partially filled last page) is refetched when the source's size changes
 * (`sourceGrew`). Changing the source drops everything; answers for an old source are
 * ignored — except that a new layout of the same view (live tail lays it out again a few
 * times a second) keeps the previous rows as stand-ins until its own pages arrive, so
 * the list does not flash empty rows while following. Subscribers hear about new pages
 * (the list re-renders then, nothing else).
 */
import type { BrowseRow } from '../../../../engine/api/contract';

export const PAGE_ROWS = 100;
const MARGIN_PAGES = 2;
const MAX_PAGES = 14;
const MAX_IN_FLIGHT = 3;

export type PageLoader = (fromRow: number, count: number) => Promise<BrowseRow[]>;

export class MessagePages {
  private key = '';
  private loader: PageLoader | null = null;
  private total = 0;
  private readonly pages = new Map<number, BrowseRow[]>();
  /** Pages of the previous layout of the same view, shown until this layout's own arrive. */
  private stale = new Map<number, BrowseRow[]>();
  private readonly inFlight = new Set<number>();
  private wantFirst = 0;
  private wantLast = -1;
  private readonly listeners = new Set<() => void>();
  /** Grows with every change subscribers should draw. */
  version = 0;
  lastError: string | null = null;

  /**
   * Switches to another source (drops every page) unless `key` names the current one.
   * With `keepAsStandIns` (a new layout of the same view) the current rows stay visible
   * until the new ones arrive.
   */
  setSource(key: string, total: number, loader: PageLoader | null, keepAsStandIns = false): void {
    if (key === this.key) {
      this.sourceGrew(total);
      return;
    }
    this.key = key;
    this.loader = loader;
    this.total = total;
    this.stale = keepAsStandIns ? new Map(this.pages) : new Map();
    this.pages.clear();
    this.inFlight.clear();
    this.lastError = null;
    this.changed();
    this.fill();
  }

  get sourceKey(): string {
    return this.key;
  }

  get heldRows(): number {
    let n = 0;
    for (const p of this.pages.values()) n += p.length;
    return n;
  }

  /** The source has `total` rows now (a running filter found more): short pages are fetched again. */
  sourceGrew(total: number): void {
    if (total === this.total) return;
    this.total = total;
    for (const [index, rows] of this.pages) if (rows.length < PAGE_ROWS) this.pages.delete(index);
    this.changed();
    this.fill();
  }

  row(index: number): BrowseRow | undefined {
    const p = Math.floor(index / PAGE_ROWS);
    const page = this.pages.get(p) ?? this.stale.get(p);
    return page?.[index % PAGE_ROWS];
  }

  /** The visible rows are [first, last]. */
  want(first: number, last: number): void {
    if (first === this.wantFirst && last === this.wantLast) return;
    this.wantFirst = first;
    this.wantLast = last;
    this.fill();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  private window(): [number, number] {
    const lastPage = Math.max(0, Math.ceil(this.total / PAGE_ROWS) - 1);
    const from = Math.max(0, Math.floor(this.wantFirst / PAGE_ROWS) - MARGIN_PAGES);
    const to = Math.min(lastPage, Math.floor(Math.max(this.wantFirst, this.wantLast) / PAGE_ROWS) + MARGIN_PAGES);
    return [from, to];
  }

  private fill(): void {
    if (!this.loader || this.total === 0) return;
    const [from, to] = this.window();
    // Drop pages far from the view once there are too many.
    if (this.pages.size > MAX_PAGES) {
      for (const index of [...this.pages.keys()]) if (index < from || index > to) this.pages.delete(index);
    }
    const visibleMid = Math.floor((this.wantFirst + this.wantLast) / 2 / PAGE_ROWS);
    const missing: number[] = [];
    for (let p = from; p <= to; p++) if (!this.pages.has(p) && !this.inFlight.has(p)) missing.push(p);
    missing.sort((a, b) => Math.abs(a - visibleMid) - Math.abs(b - visibleMid));
    for (const p of missing) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) break;
      this.load(p);
    }
  }

  private load(index: number): void {
    const key = this.key;
    const loader = this.loader!;
    this.inFlight.add(index);
    const from = index * PAGE_ROWS;
    loader(from, Math.min(PAGE_ROWS, Math.max(1, this.total - from))).then(
      (rows) => {
        if (key !== this.key) return;
        this.inFlight.delete(index);
        const [wFrom, wTo] = this.window();
        // Keep it only if it is still near the view (the view may have jumped meanwhile).
        if (index >= wFrom && index <= wTo) this.pages.set(index, rows);
        this.stale.delete(index);
        this.lastError = null;
        this.changed();
        this.fill();
      },
      (err: unknown) => {
        if (key !== this.key) return;
        this.inFlight.delete(index);
        this.lastError = err instanceof Error ? err.message : typeof err === 'object' && err !== null && 'message' in err ? String((err as { message: unknown }).message) : String(err);
        this.changed();
      },
    );
  }
}
