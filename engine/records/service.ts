/**
 * The records service (engine/api/records): producing records (one at a time, or the
 * load generator), browsing them, and the engine-side jobs over them (filter, export,
 * import). The composition root routes the records commands to `commands`;
 * `snapshot()` fills the records section of every published snapshot (the load
 * generator's status and the jobs; kept small, it goes out up to 10 times a second).
 *
 * Parts, one concept per file:
 *   producer.ts           the produce command and the murmur2 preview
 *   load-generator.ts     the load generator and its read-back
 *   partition-reader.ts   walking stored batches record by record, no per-record allocation
 *   view-order.ts         a view's rows, time-merged order across partitions, random access
 *   browser.ts            browseRows / browseSeek / readRecord
 *   rows.ts               list rows and the detail pane's record, built from a reader's head
 *   filter.ts, json-path.ts   filters compiled and evaluated on stored bytes
 *   jobs.ts               job registry, progress, cancel, time slicing
 *   filter-job.ts, export-job.ts, import-job.ts, record-format.ts   the three jobs and the file formats
 *
 * Every read and write goes through the leader-I/O port (ports/leader-io.ts). Exports
 * go to `<data dir>/exports/`.
 */
import * as path from 'node:path';
import type { JobView, RecordsSnapshot } from '../api/contract';
import type { RECORDS_COMMAND_NAMES } from '../api/records/names';
import type { EngineCommands } from '../api/dispatch';
import { WorkbenchError } from '../api/errors';
import type { ClusterState, LeaderIo, ReplicaLogs } from '../ports';
import type { Clock } from '../util/clock';
import type { Random } from '../util/random';
import { Browser } from './browser';
import { ExportJob, exportFileName, type ExportSource } from './export-job';
import { compileFilter } from './filter';
import { DEFAULT_MAX_MATCHES, FilterJob } from './filter-job';
import { ImportJob } from './import-job';
import { JobRegistry } from './jobs';
import { LoadGenerator } from './load-generator';
import { Producer, partitionForKey } from './producer';
import { layoutView } from './view-order';

export type RecordsCommandName = (typeof RECORDS_COMMAND_NAMES)[number];
export type RecordsHandlers = Pick<EngineCommands, RecordsCommandName>;

export interface RecordsDeps {
  cluster: ClusterState;
  io: LeaderIo;
  /** Only to hear of retention and cleaner runs (they change logs below the high watermark). */
  storage: Pick<ReplicaLogs, 'onStorageEvent'>;
  clock: Clock;
  random: Random;
  /** Where exports are written. */
  exportsDir: string;
  /** Something the snapshot shows changed. */
  changed: () => void;
}

export class RecordsService {
  readonly commands: RecordsHandlers;
  readonly browser: Browser;
  readonly jobs: JobRegistry;
  readonly producer: Producer;
  readonly load: LoadGenerator;
  private readonly unsubscribeStorage: () => void;

  constructor(private readonly deps: RecordsDeps) {
    const { io, clock, changed } = deps;
    this.browser = new Browser(io);
    this.jobs = new JobRegistry(changed);
    this.producer = new Producer(deps.cluster, io, clock, changed);
    this.load = new LoadGenerator({ cluster: deps.cluster, io, clock, random: deps.random, changed });
    // Retention and compaction change logs below the high watermark: cached view orders go stale.
    this.unsubscribeStorage = deps.storage.onStorageEvent(() => this.browser.invalidate());

    this.commands = {
      produce: (a) => this.producer.produce(a),
      partitionForKey: (a) => partitionForKey(io, a),
      startLoad: (a) => this.load.start(a),
      stopLoad: () => this.load.stop(),

      browseRows: (a) => this.browser.rows(a),
      browseSeek: (a) => this.browser.seek(a),
      readRecord: (a) => this.browser.readRecord(a),

      filterStart: async (a) => {
        const filter = compileFilter(a.filter);
        const layout = await layoutView(io, a.topic, a.partition, a.bounds);
        const job = this.jobs.add('filter', (id) => new FilterJob(id, clock, changed, io, layout, filter, a.maxMatches ?? DEFAULT_MAX_MATCHES, a.filter.fromTimestampMs ?? null));
        void job.run();
        return job.view();
      },
      filterPage: (a) => (this.jobs.get(a.jobId, 'filter') as FilterJob).page(a.fromIndex, a.count),

      exportStart: async (a) => this.startExport(a),

      importStart: async (a) => {
        io.topic(a.topic);
        const job = this.jobs.add('import', (id) => new ImportJob(id, clock, changed, io, a.topic, a.fileName ?? null));
        return job.view();
      },
      importChunk: async (a) => {
        const job = this.jobs.get(a.jobId, 'import') as ImportJob;
        await job.chunk(a.firstLine, a.lines, a.last);
        return { job: job.view(), accepting: job.accepting };
      },
      cancelJob: (a) => {
        const job = this.jobs.get(a.jobId);
        job.cancel();
        return job.view();
      },
    };
  }

  private async startExport(a: Parameters<RecordsHandlers['exportStart']>[0]): Promise<JobView> {
    const io = this.deps.io;
    let source: ExportSource;
    if (a.source === 'filter') {
      if (a.filterJobId === undefined) throw new WorkbenchError('INVALID_REQUEST', 'Exporting a filter result needs the filter job.', 'filterJobId');
      const filter = this.jobs.get(a.filterJobId, 'filter') as FilterJob;
      if (filter.running) throw new WorkbenchError('INVALID_REQUEST', 'The filter is still running: export when it has finished, or cancel it to export the matches found so far.', 'filterJobId');
      source = { kind: 'filter', filter };
    } else {
      if (a.topic === undefined) throw new WorkbenchError('INVALID_REQUEST', 'Choose the topic to export.', 'topic');
      const layout = await layoutView(io, a.topic, a.partition ?? null, a.bounds);
      if (a.source === 'view') {
        source = { kind: 'view', layout };
      } else {
        const fromRow = a.fromRow ?? 0;
        const toRow = a.toRow ?? layout.totalRows;
        if (fromRow >= toRow) throw new WorkbenchError('INVALID_REQUEST', 'Select at least one row to export.', 'fromRow');
        if (toRow > layout.totalRows) throw new WorkbenchError('INVALID_REQUEST', `The selection ends at row ${toRow} but the view has ${layout.totalRows} rows.`, 'toRow');
        source = { kind: 'rows', layout, order: this.browser.orderOf(layout), fromRow, toRow };
      }
    }
    const layout = source.kind === 'filter' ? source.filter.layout : source.layout;
    const dir = this.deps.exportsDir;
    const name = exportFileName(dir, layout.topic, layout.partition, this.deps.clock.nowMs(), a.format);
    const job = this.jobs.add('export', (id) => new ExportJob(id, this.deps.clock, this.deps.changed, io, source, a.format, path.join(dir, name)));
    void job.run();
    return job.view();
  }

  snapshot(): RecordsSnapshot {
    return { load: this.load.status(), jobs: this.jobs.views() };
  }

  close(): void {
    this.load.close();
    this.unsubscribeStorage();
    this.jobs.cancelAll();
  }
}
