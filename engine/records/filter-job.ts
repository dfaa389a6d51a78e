/**
 * A filter job: scans a view's records in view order (ViewWalker, records mode) and
 * keeps the (partition, offset) of each match in the engine, in two growable typed
 * arrays (10 bytes a match, no objects), so the renderer can page through millions of
 * matches while the scan is still running.
 *
 * Progress: `done` is the number of offsets the scan has passed, `total` the offsets in
 * the view; `matches` the matches kept; `scannedRecords` the records tested. With a
 * time range, each partition starts at ListOffsets(from): every earlier record is older
 * than the range (Kafka's time index guarantees it), so it is passed without reading.
 *
 * Bounds: at most `maxMatches` matches are kept (the scan stops there, with a note);
 * pages are at most MAX_PAGE_ROWS rows.
 *
 * Invariant: matches are stored in view order, each once.
 */
import type { BrowseRow, FilterPageResult } from '../api/contract';
import type { Clock } from '../util/clock';
import type { CompiledFilter } from './filter';
import { Job } from './jobs';
import type { LeaderIo } from '../ports/leader-io';
import { PartitionReader } from './partition-reader';
import { recordRow } from './rows';
import { BEFORE_ANY_RECORD, ViewOrder, ViewWalker, type ViewLayout } from './view-order';

export const DEFAULT_MAX_MATCHES = 1_000_000;

export class FilterJob extends Job {
  private partitions = new Uint16Array(1024);
  private offsets = new Float64Array(1024);
  scannedRecords = 0;
  /** Wall time the scan took (for the benchmark's rate). */
  scanMs = 0;

  constructor(
    id: string,
    clock: Clock,
    changed: () => void,
    private readonly io: LeaderIo,
    readonly layout: ViewLayout,
    private readonly filter: CompiledFilter,
    private readonly maxMatches: number,
    private readonly fromTimestampMs: number | null,
  ) {
    super(id, 'filter', layout.topic, layout.partition, clock, changed);
    this.total = layout.totalRows;
  }

  /** Scans to the end of the view (or the match limit, or a cancel). */
  run(): Promise<void> {
    return this.runToEnd(() => this.scan());
  }

  private async scan(): Promise<void> {
    const startMs = this.clock.monotonicMs();
    const layout = this.layout;
    const order = new ViewOrder(this.io, layout);
    const offsets: number[] = [];
    for (let q = 0; q < layout.bounds.length; q++) {
      offsets.push(this.fromTimestampMs === null ? layout.bounds[q].start : await order.cut(q, this.fromTimestampMs));
    }
    const walker = new ViewWalker(this.io, layout, { offsets, runmax: offsets.map(() => BEFORE_ANY_RECORD) }, 'records');
    await walker.init();
    const slice = this.slicer();
    const filter = this.filter;
    const readers = walker.readers;
    let scanned = 0;
    for (;;) {
      let more = walker.next();
      if (more !== true && more !== false) more = await more;
      if (!more) break;
      scanned++;
      const r = readers[walker.q];
      if (filter.matches(r)) {
        if (this.matches >= this.maxMatches) {
          this.note = `Stopped at ${this.maxMatches.toLocaleString('en-US')} matches (the most one filter keeps). Narrow the filter to see the rest.`;
          break;
        }
        this.store(walker.q, r.headOffset);
      }
      const pause = slice.check();
      if (pause) {
        this.scannedRecords = scanned;
        this.done = this.progress(walker);
        await pause;
      }
    }
    this.scannedRecords = scanned;
    this.scanMs = this.clock.monotonicMs() - startMs;
    this.done = this.total;
    if (this.note === null) this.note = `${scanned.toLocaleString('en-US')} records scanned, ${this.matches.toLocaleString('en-US')} matched ${filter.description}.`;
  }

  private progress(walker: ViewWalker): number {
    let n = 0;
    for (let q = 0; q < this.layout.bounds.length; q++) {
      const b = this.layout.bounds[q];
      const head = walker.readers[q].headOffset;
      n += Math.min(b.end, head === Infinity ? b.end : head) - b.start;
    }
    return n;
  }

  private store(q: number, offset: number): void {
    const n = this.matches;
    if (n === this.offsets.length) {
      const cap = Math.min(this.maxMatches, n * 2);
      const p = new Uint16Array(cap);
      p.set(this.partitions);
      const o = new Float64Array(cap);
      o.set(this.offsets);
      this.partitions = p;
      this.offsets = o;
    }
    this.partitions[n] = q;
    this.offsets[n] = offset;
    this.matches = n + 1;
  }

  override retainedBytes(): number {
    return this.partitions.byteLength + this.offsets.byteLength;
  }

  /** The match at `index`: view partition index and offset. */
  matchAt(index: number): { q: number; partition: number; offset: number } {
    const q = this.partitions[index];
    return { q, partition: this.layout.bounds[q].partition, offset: this.offsets[index] };
  }

  /** Matches [fromIndex, fromIndex + count) as rows (fewer at the end of what was found so far). */
  async page(fromIndex: number, count: number): Promise<FilterPageResult> {
    const end = Math.min(this.matches, fromIndex + count);
    const readers = new Map<number, PartitionReader>();
    const rows: BrowseRow[] = [];
    for (let i = fromIndex; i < end; i++) {
      const m = this.matchAt(i);
      let r = readers.get(m.q);
      if (!r) {
        r = new PartitionReader(this.io, this.layout.topic, m.partition, m.offset, this.layout.bounds[m.q].end, { skipControl: true, readBytes: 256 * 1024 });
        readers.set(m.q, r);
        const wait = r.advance();
        if (wait) await wait;
      } else {
        const wait = r.moveTo(m.offset);
        if (wait) await wait;
      }
      // A record compacted away since the scan is skipped rather than shown wrongly.
      if (r.headOffset !== m.offset) continue;
      rows.push(recordRow(i, r));
    }
    return { job: this.view(), fromIndex, rows };
  }
}
