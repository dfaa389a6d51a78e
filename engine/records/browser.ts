/**
 * The message browser's commands: rows of a view by index, seeking (earliest, latest,
 * offset, timestamp with ListOffsets semantics) and one record in full.
 *
 * A view is laid out (bounds fixed) by the first call without bounds; later calls pass
 * the bounds back, so row indexes stay stable while new records arrive. ViewOrders
 * (which cache ListOffsets answers) are kept for the few most recent layouts and
 * dropped whenever a log changes below its high watermark (retention, compaction).
 *
 * Bounds: a page is at most MAX_PAGE_ROWS rows; at most ORDER_CACHE_SIZE orders are
 * cached.
 */
import { WorkbenchError } from '../api/errors';
import type { BrowsePage, BrowseRow, BrowseSeekResult, ParsedArgs, RecordDetail } from '../api/contract';
import type { LeaderIo } from '../ports/leader-io';
import { PartitionReader } from './partition-reader';
import { gapRow, recordDetail, recordRow } from './rows';
import { formatTime, requireOffsetIn, requireTimestamp } from '../ports/validate';
import { layoutView, TimestampCuts, ViewOrder, ViewWalker, type ViewLayout } from './view-order';

const ORDER_CACHE_SIZE = 8;

export class Browser {
  private readonly orders = new Map<string, ViewOrder>();
  private readonly cuts: TimestampCuts;

  constructor(private readonly io: LeaderIo) {
    this.cuts = new TimestampCuts(io);
  }

  /** Forget cached orders and ListOffsets answers (a log changed below its high watermark). */
  invalidate(): void {
    this.orders.clear();
    this.cuts.clear();
  }

  /** The order of a laid-out view (cached per layout). */
  orderOf(layout: ViewLayout): ViewOrder {
    const key = `${layout.topic}|${layout.partition}|${layout.bounds.map((b) => `${b.start}-${b.end}`).join(',')}`;
    let order = this.orders.get(key);
    if (order) {
      this.orders.delete(key);
    } else {
      order = new ViewOrder(this.io, layout, this.cuts);
      if (this.orders.size >= ORDER_CACHE_SIZE) this.orders.delete(this.orders.keys().next().value!);
    }
    this.orders.set(key, order);
    return order;
  }

  async rows(args: ParsedArgs<'browseRows'>): Promise<BrowsePage> {
    const layout = await layoutView(this.io, args.topic, args.partition, args.bounds);
    const rows = args.fromRow < layout.totalRows ? await this.readRows(layout, args.fromRow, args.count) : [];
    return { topic: args.topic, partition: args.partition, bounds: layout.bounds, totalRows: layout.totalRows, fromRow: args.fromRow, rows, boundsChanged: layout.changed, unavailable: layout.unavailable };
  }

  /** Rows [fromRow, fromRow + count) of a laid-out view. */
  async readRows(layout: ViewLayout, fromRow: number, count: number): Promise<BrowseRow[]> {
    const order = this.orderOf(layout);
    const start = await order.locate(fromRow);
    const walker = new ViewWalker(this.io, layout, start, 'rows');
    await walker.init();
    const rows: BrowseRow[] = [];
    for (let i = 0; i < count; i++) {
      const more = walker.next();
      if (!(more === true || (more !== false && (await more)))) break;
      const row = fromRow + i;
      rows.push(walker.gap ? gapRow(row, layout.bounds[walker.q].partition, walker.offset) : recordRow(row, walker.readers[walker.q]));
    }
    return rows;
  }

  async seek(args: ParsedArgs<'browseSeek'>): Promise<BrowseSeekResult> {
    const layout = await layoutView(this.io, args.topic, args.partition, args.bounds);
    const order = this.orderOf(layout);
    const base = { bounds: layout.bounds, totalRows: layout.totalRows, unavailable: layout.unavailable };
    switch (args.to) {
      case 'earliest': {
        const first = layout.totalRows > 0 ? (await this.readRows(layout, 0, 1))[0] : undefined;
        return {
          ...base,
          row: 0,
          partition: first?.partition ?? null,
          offset: first?.offset ?? null,
          timestampMs: first?.timestampMs ?? null,
          description: first ? `Earliest: offset ${first.offset} of partition ${first.partition}.` : 'The view is empty: nothing has been written yet.',
        };
      }
      case 'latest':
        return {
          ...base,
          row: layout.totalRows,
          partition: null,
          offset: null,
          timestampMs: null,
          description: `Latest: the end of the view (${layout.bounds.map((b) => `partition ${b.partition} at ${b.end}`).join(', ')}).`,
        };
      case 'offset': {
        const partition = args.offsetPartition ?? args.partition;
        if (partition === null || partition === undefined) {
          throw new WorkbenchError('INVALID_REQUEST', 'Seeking to an offset needs a partition: offsets are numbered per partition. Choose one.', 'offsetPartition');
        }
        const q = layout.bounds.findIndex((b) => b.partition === partition);
        if (q < 0) {
          const t = this.io.topic(args.topic);
          this.io.requirePartition(t, partition, 'offsetPartition');
          throw new WorkbenchError('INVALID_REQUEST', `Partition ${partition} is not in this view; show all partitions or that one.`, 'offsetPartition');
        }
        const b = layout.bounds[q];
        const offset = requireOffsetIn(args.offset, b, `partition ${partition} of "${args.topic}"`, 'offset');
        if (offset === b.end) {
          return { ...base, row: layout.totalRows, partition, offset, timestampMs: null, description: `Offset ${offset} is the next one partition ${partition} will write: showing the end.` };
        }
        const row = await order.rowOf(q, offset);
        return { ...base, row, partition, offset, timestampMs: null, description: `Offset ${offset} of partition ${partition}.` };
      }
      case 'timestamp': {
        const ts = requireTimestamp(args.timestampMs, 'timestampMs');
        const found = await order.rowAtTimestamp(ts);
        if (found.offset === null) {
          return { ...base, row: found.row, partition: null, offset: null, timestampMs: null, description: `No record at or after ${formatTime(ts)}: showing the end (latest), as ListOffsets answers.` };
        }
        return {
          ...base,
          row: found.row,
          partition: found.partition,
          offset: found.offset,
          timestampMs: found.timestampMs,
          description: `First record at or after ${formatTime(ts)}: partition ${found.partition}, offset ${found.offset} (${formatTime(found.timestampMs!)}).`,
        };
      }
    }
  }

  async readRecord(args: ParsedArgs<'readRecord'>): Promise<RecordDetail> {
    const t = this.io.topic(args.topic);
    this.io.requirePartition(t, args.partition);
    const range = await this.io.range(args.topic, args.partition);
    const offset = requireOffsetIn(args.offset, { start: range.logStartOffset, end: range.highWatermark }, `partition ${args.partition} of "${args.topic}"`, 'offset', false);
    const reader = new PartitionReader(this.io, args.topic, args.partition, offset, offset + 1, { skipControl: false, readBytes: 1 });
    const wait = reader.advance();
    if (wait) await wait;
    if (reader.exhausted || reader.headOffset !== offset) {
      throw new WorkbenchError(
        'INVALID_REQUEST',
        `Partition ${args.partition} of "${args.topic}" holds no record at offset ${offset} any more: compaction removed it (offsets stay, records go).`,
        'offset',
      );
    }
    return recordDetail(reader);
  }
}
