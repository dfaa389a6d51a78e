/**
 * An export job: writes records as JSONL or CSV (record-format.ts) to a file under
 * `<data dir>/exports/`, from one of three sources:
 *   view    every record of a view, in view order;
 *   rows    the records among rows [fromRow, toRow) of a view (gaps and transaction
 *           markers have no record to write);
 *   filter  a finished (or cancelled) filter job's matches, in order.
 *
 * The file is written as `<name>.part` and renamed when complete; a cancelled or
 * failed export deletes it, so a file under its final name is always whole. Output is
 * buffered into ~1 MiB writes and waits for the stream to drain (bounded memory).
 *
 * Progress: `done` records (or rows) passed of `total`; `matches` records written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExportFormat } from '../api/contract';
import type { Clock } from '../util/clock';
import type { FilterJob } from './filter-job';
import { Job, type Slicer } from './jobs';
import type { LeaderIo } from '../ports/leader-io';
import { PartitionReader } from './partition-reader';
import { CSV_HEADER, csvLine, jsonlLine } from './record-format';
import { BEFORE_ANY_RECORD, ViewOrder, ViewWalker, type ViewLayout } from './view-order';

const FLUSH_CHARS = 1 << 20;

export type ExportSource =
  | { kind: 'view'; layout: ViewLayout }
  | { kind: 'rows'; layout: ViewLayout; order: ViewOrder; fromRow: number; toRow: number }
  | { kind: 'filter'; filter: FilterJob };

export class ExportJob extends Job {
  private out: fs.WriteStream | null = null;
  private buffered = '';

  constructor(
    id: string,
    clock: Clock,
    changed: () => void,
    private readonly io: LeaderIo,
    private readonly source: ExportSource,
    private readonly format: ExportFormat,
    private readonly filePath: string,
  ) {
    const layout = source.kind === 'filter' ? source.filter.layout : source.layout;
    super(id, 'export', layout.topic, layout.partition, clock, changed);
    this.total = source.kind === 'view' ? layout.totalRows : source.kind === 'rows' ? source.toRow - source.fromRow : source.filter.matches;
  }

  run(): Promise<void> {
    const part = `${this.filePath}.part`;
    return this.runToEnd(
      async () => {
        fs.mkdirSync(path.dirname(this.filePath), { recursive: true });
        this.out = fs.createWriteStream(part, { flags: 'wx' });
        await new Promise<void>((resolve, reject) => {
          this.out!.once('open', () => resolve());
          this.out!.once('error', reject);
        });
        if (this.format === 'csv') this.buffered += CSV_HEADER;
        const slice = this.slicer();
        if (this.source.kind === 'filter') await this.writeMatches(this.source.filter, slice);
        else await this.writeView(slice);
        await this.flush();
        await new Promise<void>((resolve, reject) => this.out!.end((err?: Error | null) => (err ? reject(err) : resolve())));
        this.out = null;
        fs.renameSync(part, this.filePath);
        const sizeBytes = fs.statSync(this.filePath).size;
        this.file = { path: this.filePath, name: path.basename(this.filePath), sizeBytes };
        this.done = this.total;
        this.note = `${this.matches.toLocaleString('en-US')} records written to ${this.filePath}.`;
      },
      async (state) => {
        if (state === 'done') return;
        const out = this.out;
        this.out = null;
        if (out && !out.closed) {
          await new Promise<void>((resolve) => {
            out.once('close', () => resolve());
            out.destroy();
          });
        }
        fs.rmSync(part, { force: true });
      },
    );
  }

  private async writeView(slice: Slicer): Promise<void> {
    const src = this.source as Exclude<ExportSource, { kind: 'filter' }>;
    const layout = src.layout;
    const rowsMode = src.kind === 'rows';
    const start = rowsMode ? await src.order.locate(src.fromRow) : { offsets: layout.bounds.map((b) => b.start), runmax: layout.bounds.map(() => BEFORE_ANY_RECORD) };
    const walker = new ViewWalker(this.io, layout, start, rowsMode ? 'rows' : 'records');
    await walker.init();
    const limit = this.total;
    while (this.done < limit) {
      let more = walker.next();
      if (more !== true && more !== false) more = await more;
      if (!more) break;
      this.done++;
      const r = walker.readers[walker.q];
      if (!walker.gap && !r.control) await this.write(r, layout.topic);
      const pause = slice.check();
      if (pause) await pause;
    }
  }

  private async writeMatches(filter: FilterJob, slice: Slicer): Promise<void> {
    const readers = new Map<number, PartitionReader>();
    const layout = filter.layout;
    for (let i = 0; i < this.total; i++) {
      const m = filter.matchAt(i);
      let r = readers.get(m.q);
      let wait: Promise<void> | null;
      if (!r) {
        r = new PartitionReader(this.io, layout.topic, m.partition, m.offset, layout.bounds[m.q].end, { skipControl: true });
        readers.set(m.q, r);
        wait = r.advance();
      } else {
        wait = r.moveTo(m.offset);
      }
      if (wait) await wait;
      this.done++;
      if (r.headOffset === m.offset) await this.write(r, layout.topic);
      const pause = slice.check();
      if (pause) await pause;
    }
  }

  private async write(r: PartitionReader, topic: string): Promise<void> {
    this.buffered += this.format === 'jsonl' ? jsonlLine(topic, r) : csvLine(r);
    this.matches++;
    if (this.buffered.length >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffered.length === 0 || !this.out) return;
    const chunk = this.buffered;
    this.buffered = '';
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out!.once('drain', () => resolve()));
  }
}

/** A file name for an export: `<topic>[-p<partition>]-<UTC time>.<ext>`, not yet taken in `dir`. */
export function exportFileName(dir: string, topic: string, partition: number | null, nowMs: number, format: ExportFormat): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const base = `${topic}${partition === null ? '' : `-p${partition}`}-${stamp}`;
  for (let i = 1; i < 1000; i++) {
    const name = `${base}${i === 1 ? '' : `-${i}`}.${format}`;
    if (!fs.existsSync(path.join(dir, name)) && !fs.existsSync(path.join(dir, `${name}.part`))) return name;
  }
  return `${base}-${nowMs}.${format}`;
}
