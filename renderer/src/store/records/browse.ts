/**
 * The message browser's state: which topic and partitions, the view's layout (bounds
 * fixed in the engine so row i keeps meaning the same record), live tail or paused,
 * the row to scroll to, the selected record and its detail, and the filter, export and
 * import jobs the view started (their progress comes with every snapshot).
 *
 * The rows themselves are not in the store: `messagePages` (message-pages.ts) holds the
 * pages near what is visible and the list subscribes to it directly.
 *
 * Live tail: while following, every snapshot whose high watermarks moved lays the view
 * out again (at most TAIL_REFRESH_MS apart) and scrolls to its end. Pause keeps the
 * layout as it is; scrolling up while following pauses too.
 */
import type { StateCreator } from 'zustand';
import type { BrowseFilter, BrowsePage, BrowseRow, BrowseSeekResult, CommandArgs, ExportFormat, ImportChunkResult, JobView, PartitionBounds, RecordDetail } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { toErrorData } from '../../errors';
import { MessagePages, PAGE_ROWS } from './message-pages';
import { api } from '../api';
import type { StoreState } from '../index';

export const TAIL_REFRESH_MS = 250;

/** The one page cache of the message list. */
export const messagePages = new MessagePages();

export interface MessageLayout {
  topic: string;
  partition: number | null;
  bounds: PartitionBounds[];
  totalRows: number;
  /** Partitions left out because they had no leader (brokers down). */
  unavailable: number[];
  /** Grows with every new layout: pages of older layouts are dropped. */
  seq: number;
}

export interface ScrollRequest {
  row: number;
  align: 'start' | 'end';
  seq: number;
}

export type SeekKind = 'earliest' | 'latest' | 'offset' | 'timestamp';

export interface BrowseSlice {
  msgTopic: string | null;
  msgPartition: number | null;
  msgLayout: MessageLayout | null;
  /** 'live': following new records; 'paused': live tail stopped; 'pinned': browsing a fixed layout. */
  msgMode: 'live' | 'paused' | 'pinned';
  msgScroll: ScrollRequest | null;
  /** What the last seek found (shown above the list). */
  msgNotice: { kind: SeekKind; askedMs: number | null; result: BrowseSeekResult } | null;
  msgError: WorkbenchErrorData | null;
  msgSeekError: WorkbenchErrorData | null;
  msgSelected: { row: number; partition: number; offset: number } | null;
  /** Rows [from, to] picked with shift-click, for export. */
  msgRange: { from: number; to: number } | null;
  msgDetail: RecordDetail | null;
  msgDetailError: WorkbenchErrorData | null;
  msgFilter: { jobId: string } | null;
  msgFilterError: WorkbenchErrorData | null;
  msgExportJobId: string | null;
  msgExportError: WorkbenchErrorData | null;

  msgOpen(topic: string | null, partition: number | null): void;
  msgSeek(kind: SeekKind, value?: { offset?: number; partition?: number; timestampMs?: number }): Promise<void>;
  msgSetMode(mode: 'live' | 'paused' | 'pinned'): void;
  /** Lays the view out again (fresh bounds); scrolls to the end when following. */
  msgRelayout(): Promise<void>;
  msgSelect(row: BrowseRow, extend: boolean): void;
  /** Asks the list to show `row` (at the top or the bottom edge). */
  msgScrollTo(row: number, align: 'start' | 'end'): void;
  msgClearSelection(): void;
  msgRunFilter(filter: BrowseFilter): Promise<void>;
  msgClearFilter(): void;
  msgExport(format: ExportFormat, scope: 'view' | 'rows' | 'filter'): Promise<void>;
  msgCancelJob(jobId: string): Promise<void>;

  /** The newest `count` rows of one partition, within the log start and high watermark a snapshot showed. */
  loadNewestRows(topic: string, partition: number, logStartOffset: number, highWatermark: number, count: number): Promise<BrowsePage>;
  /** The first `count` records of one partition (compaction's gaps left out), from the first record still in the log. */
  loadFirstRecords(topic: string, partition: number, count: number): Promise<FirstRecords>;
  /** The steps of an import the import panel drives as it reads the file. */
  importStart(args: CommandArgs<'importStart'>): Promise<JobView>;
  importChunk(args: CommandArgs<'importChunk'>): Promise<ImportChunkResult>;
}

export interface FirstRecords {
  logStartOffset: number;
  records: BrowseRow[];
}

/** Rows read for `loadFirstRecords`: compaction leaves gaps between the records. */
const FIRST_RECORDS_ROWS = 500;

let scrollSeq = 0;
let layoutSeq = 0;
let relayoutBusy = false;
let relayoutAgain = false;

/** The job with this id in the latest snapshot. */
export function jobFrom(state: StoreState, id: string | null): JobView | null {
  if (id === null) return null;
  return state.snapshot?.records.jobs.find((j) => j.id === id) ?? null;
}

export const createBrowseSlice: StateCreator<StoreState, [], [], BrowseSlice> = (set, get) => {
  /** Points the page cache at what the list shows now: the view, or the filter's matches. */
  const syncPages = (): void => {
    const s = get();
    const layout = s.msgLayout;
    if (s.msgFilter) {
      const jobId = s.msgFilter.jobId;
      const job = jobFrom(s, jobId);
      messagePages.setSource(`filter:${jobId}`, job?.matches ?? 0, async (from, count) => (await api().filterPage({ jobId, fromIndex: from, count })).rows);
      return;
    }
    if (!layout) {
      messagePages.setSource('none', 0, null);
      return;
    }
    const { topic, partition, bounds } = layout;
    const sameView = messagePages.sourceKey.startsWith(`view:${topic}\u0000${partition}\u0000`);
    messagePages.setSource(`view:${topic}\u0000${partition}\u0000${layout.seq}`, layout.totalRows, async (from, count) => {
      const page = await api().browseRows({ topic, partition, bounds, fromRow: from, count });
      if (page.boundsChanged && get().msgLayout?.seq === layout.seq) {
        // The log start moved under the view (retention): lay it out again.
        void get().msgRelayout();
      }
      return page.rows;
    }, sameView);
  };

  const applyLayout = (topic: string, partition: number | null, bounds: PartitionBounds[], totalRows: number, unavailable: number[], scroll: Omit<ScrollRequest, 'seq'> | null): void => {
    set({
      msgLayout: { topic, partition, bounds, totalRows, unavailable, seq: ++layoutSeq },
      msgScroll: scroll ? { ...scroll, seq: ++scrollSeq } : get().msgScroll,
      msgError: null,
    });
    syncPages();
  };

  return {
    msgTopic: null,
    msgPartition: null,
    msgLayout: null,
    msgMode: 'live',
    msgScroll: null,
    msgNotice: null,
    msgError: null,
    msgSeekError: null,
    msgSelected: null,
    msgRange: null,
    msgDetail: null,
    msgDetailError: null,
    msgFilter: null,
    msgFilterError: null,
    msgExportJobId: null,
    msgExportError: null,

    msgOpen(topic, partition) {
      set({
        msgTopic: topic,
        msgPartition: partition,
        msgLayout: null,
        msgMode: 'live',
        msgNotice: null,
        msgError: null,
        msgSeekError: null,
        msgSelected: null,
        msgRange: null,
        msgDetail: null,
        msgDetailError: null,
        msgFilter: null,
        msgFilterError: null,
      });
      syncPages();
      if (topic !== null) void get().msgSeek('latest');
    },

    async msgSeek(kind, value = {}) {
      const { msgTopic: topic, msgPartition: partition } = get();
      if (topic === null) return;
      try {
        const r = await api().browseSeek({
          topic,
          partition,
          to: kind,
          ...(kind === 'offset' ? { offset: value.offset, offsetPartition: value.partition ?? partition ?? undefined } : {}),
          ...(kind === 'timestamp' ? { timestampMs: value.timestampMs } : {}),
        } as CommandArgs<'browseSeek'>);
        if (get().msgTopic !== topic || get().msgPartition !== partition) return;
        const atEnd = r.row >= r.totalRows;
        set({ msgMode: kind === 'latest' ? 'live' : 'pinned', msgNotice: kind === 'latest' ? null : { kind, askedMs: value.timestampMs ?? null, result: r }, msgSeekError: null, msgFilter: null });
        applyLayout(topic, partition, r.bounds, r.totalRows, r.unavailable, atEnd ? { row: Math.max(0, r.totalRows - 1), align: 'end' } : { row: r.row, align: 'start' });
        if (!atEnd && r.partition !== null && r.offset !== null) set({ msgSelected: { row: r.row, partition: r.partition, offset: r.offset }, msgRange: null });
        if (!atEnd && r.partition !== null && r.offset !== null) void loadDetail(r.partition, r.offset);
      } catch (err) {
        set({ msgSeekError: toErrorData(err) });
      }
    },

    msgSetMode(mode) {
      const prev = get().msgMode;
      set({ msgMode: mode });
      if (mode === 'live' && prev !== 'live') void get().msgRelayout();
    },

    async msgRelayout() {
      if (relayoutBusy) {
        relayoutAgain = true;
        return;
      }
      relayoutBusy = true;
      try {
        do {
          relayoutAgain = false;
          const { msgTopic: topic, msgPartition: partition, msgMode: mode } = get();
          if (topic === null) return;
          const r = await api().browseSeek({ topic, partition, to: 'latest' });
          if (get().msgTopic !== topic || get().msgPartition !== partition) return;
          const live = get().msgMode === 'live';
          if (live) set({ msgNotice: null });
          applyLayout(topic, partition, r.bounds, r.totalRows, r.unavailable, live || mode === 'live' ? { row: Math.max(0, r.totalRows - 1), align: 'end' } : null);
        } while (relayoutAgain);
      } catch (err) {
        set({ msgError: toErrorData(err) });
      } finally {
        relayoutBusy = false;
      }
    },

    msgSelect(row, extend) {
      const prev = get().msgSelected;
      if (extend && prev) {
        set({ msgRange: { from: Math.min(prev.row, row.row), to: Math.max(prev.row, row.row) } });
        return;
      }
      set({ msgSelected: { row: row.row, partition: row.partition, offset: row.offset }, msgRange: null });
      if (row.kind === 'gap') set({ msgDetail: null, msgDetailError: null });
      else void loadDetail(row.partition, row.offset);
    },

    msgScrollTo(row, align) {
      set({ msgScroll: { row, align, seq: ++scrollSeq } });
    },

    msgClearSelection() {
      set({ msgSelected: null, msgRange: null, msgDetail: null, msgDetailError: null });
    },

    async msgRunFilter(filter) {
      const { msgTopic: topic, msgPartition: partition, msgLayout: layout } = get();
      if (topic === null) return;
      const old = get().msgFilter;
      try {
        const job = await api().filterStart({ topic, partition, bounds: layout?.topic === topic ? layout.bounds : undefined, filter });
        if (old) void api().cancelJob({ jobId: old.jobId }).catch(() => undefined);
        set({ msgFilter: { jobId: job.id }, msgFilterError: null, msgMode: 'pinned', msgSelected: null, msgRange: null, msgScroll: { row: 0, align: 'start', seq: ++scrollSeq } });
        syncPages();
      } catch (err) {
        set({ msgFilterError: toErrorData(err) });
      }
    },

    msgClearFilter() {
      const f = get().msgFilter;
      if (f) void api().cancelJob({ jobId: f.jobId }).catch(() => undefined);
      set({ msgFilter: null, msgFilterError: null, msgSelected: null, msgRange: null });
      syncPages();
      void get().msgRelayout();
    },

    async msgExport(format, scope) {
      const s = get();
      try {
        let job: JobView;
        if (scope === 'filter' && s.msgFilter) {
          job = await api().exportStart({ format, source: 'filter', filterJobId: s.msgFilter.jobId });
        } else if (scope === 'rows' && s.msgRange && s.msgLayout) {
          job = await api().exportStart({ format, source: 'rows', topic: s.msgLayout.topic, partition: s.msgLayout.partition, bounds: s.msgLayout.bounds, fromRow: s.msgRange.from, toRow: s.msgRange.to + 1 });
        } else if (s.msgLayout) {
          job = await api().exportStart({ format, source: 'view', topic: s.msgLayout.topic, partition: s.msgLayout.partition, bounds: s.msgLayout.bounds });
        } else return;
        set({ msgExportJobId: job.id, msgExportError: null });
      } catch (err) {
        set({ msgExportError: toErrorData(err) });
      }
    },

    async msgCancelJob(jobId) {
      await api().cancelJob({ jobId }).catch(() => undefined);
    },

    loadNewestRows(topic, partition, logStartOffset, highWatermark, count) {
      const from = Math.max(logStartOffset, highWatermark - count);
      return api().browseRows({ topic, partition, bounds: [{ partition, start: logStartOffset, end: highWatermark }], fromRow: from - logStartOffset, count });
    },

    async loadFirstRecords(topic, partition, count) {
      // The first record still in the log is the first one with a timestamp at or after 0 (ListOffsets).
      const first = await api().browseSeek({ topic, partition, to: 'timestamp', timestampMs: 0 });
      const logStartOffset = first.bounds[0]?.start ?? 0;
      if (first.offset === null) return { logStartOffset, records: [] };
      const page = await api().browseRows({ topic, partition, bounds: first.bounds, fromRow: first.row, count: FIRST_RECORDS_ROWS });
      return { logStartOffset, records: page.rows.filter((r) => r.kind === 'record').slice(0, count) };
    },

    importStart: (args) => api().importStart(args),
    importChunk: (args) => api().importChunk(args),
  };

  async function loadDetail(partition: number, offset: number): Promise<void> {
    const topic = get().msgTopic;
    if (topic === null) return;
    try {
      const detail = await api().readRecord({ topic, partition, offset });
      const sel = get().msgSelected;
      if (sel && sel.partition === partition && sel.offset === offset) set({ msgDetail: detail, msgDetailError: null });
    } catch (err) {
      set({ msgDetail: null, msgDetailError: toErrorData(err) });
    }
  }
};

/** Called with every snapshot: keeps a running filter's row count and the live tail current. */
export function onSnapshotForMessages(state: StoreState, prev: StoreState): void {
  if (state.snapshot === prev.snapshot) return;
  if (state.msgFilter) {
    const job = jobFrom(state, state.msgFilter.jobId);
    if (job) messagePages.sourceGrew(job.matches);
  }
  if (state.msgMode !== 'live' || state.msgTopic === null || state.msgFilter) return;
  const now = highWatermarks(state);
  if (now !== null && now !== highWatermarks(prev)) scheduleTailRefresh(state);
}

function highWatermarks(state: StoreState): string | null {
  const t = state.snapshot?.topics.find((x) => x.name === state.msgTopic);
  if (!t) return null;
  const parts = state.msgPartition === null ? t.partitions : t.partitions.filter((p) => p.partition === state.msgPartition);
  return parts.map((p) => `${p.logStartOffset}-${p.highWatermark}`).join(',');
}

let tailTimer: number | undefined;
let lastTailMs = 0;

function scheduleTailRefresh(state: StoreState): void {
  if (tailTimer !== undefined) return;
  const wait = Math.max(0, lastTailMs + TAIL_REFRESH_MS - performance.now());
  tailTimer = window.setTimeout(() => {
    tailTimer = undefined;
    lastTailMs = performance.now();
    void state.msgRelayout();
  }, wait);
}

export { PAGE_ROWS };
