/**
 * The engine side of the "consume" contract (engine/api/consume): the message
 * browser, consumer groups, lag history, built-in consumers, offset resets, export
 * and import. The Engine creates one and routes the consume commands to `commands`;
 * `snapshot()` fills the consume section of every published snapshot (kept small:
 * it goes out up to 10 times a second).
 *
 * Parts, one concept per file:
 *   leader-io.ts          reads/appends through each partition's current leader
 *   partition-reader.ts   walking stored batches record by record, no per-record allocation
 *   view-order.ts         a view's rows, time-merged order across partitions, random access
 *   browser.ts            browseRows / browseSeek / readRecord
 *   filter.ts, json-path.ts   filters compiled and evaluated on stored bytes
 *   jobs.ts               job registry, progress, cancel, time slicing
 *   filter-job.ts, export-job.ts, import-job.ts, record-format.ts   the three jobs and the file formats
 *   groups.ts             groups, lag, offset resets and deletes through the coordinators
 *   lag-history.ts        the 1 s lag sampler and its ring buffers
 *   builtin-consumers.ts  consumers started from the UI (real group members over TCP)
 *
 * Exports go to `<data dir>/exports/`.
 */
import * as path from 'node:path';
import { WorkbenchError } from '../api/errors';
import type { ConsumeSnapshot, JobView } from '../api/contract';
import type { CONSUME_COMMAND_NAMES } from '../api/consume/names';
import type { EngineCommands } from '../api/dispatch';
import type { Engine } from '../engine';
import { Browser } from './browser';
import { BuiltinConsumers } from '../groups/builtin-consumers';
import { ExportJob, exportFileName, type ExportSource } from './export-job';
import { compileFilter } from './filter';
import { DEFAULT_MAX_MATCHES, FilterJob } from './filter-job';
import { Groups } from '../groups/groups';
import { ImportJob } from './import-job';
import { JobRegistry } from './jobs';
import { LagSampler } from '../groups/lag-history';
import { LeaderIo } from '../ports/leader-io';
import { layoutView } from './view-order';

export type ConsumeCommandName = (typeof CONSUME_COMMAND_NAMES)[number];
export type ConsumeHandlers = Pick<EngineCommands, ConsumeCommandName>;

export class ConsumeService {
  readonly commands: ConsumeHandlers;
  readonly io: LeaderIo;
  readonly browser: Browser;
  readonly groups: Groups;
  readonly jobs: JobRegistry;
  readonly lag: LagSampler;
  readonly consumers: BuiltinConsumers;
  private readonly unsubscribeStorage: () => void;

  constructor(readonly engine: Engine) {
    const changed = (): void => engine.markDirty();
    this.io = new LeaderIo(engine);
    this.browser = new Browser(this.io);
    this.jobs = new JobRegistry(changed);
    this.consumers = new BuiltinConsumers(engine, changed);
    this.groups = new Groups(engine, this.io, (memberId) => this.consumers.byMemberId(memberId));
    this.lag = new LagSampler(engine.clock, this.groups, changed);
    this.lag.start();
    // Retention and compaction change logs below the high watermark: cached view orders go stale.
    this.unsubscribeStorage = engine.onStorageEvent(() => this.browser.invalidate());

    this.commands = {
      browseRows: (a) => this.browser.rows(a),
      browseSeek: (a) => this.browser.seek(a),
      readRecord: (a) => this.browser.readRecord(a),

      filterStart: async (a) => {
        const filter = compileFilter(a.filter);
        const layout = await layoutView(this.io, a.topic, a.partition, a.bounds);
        const job = this.jobs.add('filter', (id) => new FilterJob(id, engine.clock, changed, this.io, layout, filter, a.maxMatches ?? DEFAULT_MAX_MATCHES, a.filter.fromTimestampMs ?? null));
        void job.run();
        return job.view();
      },
      filterPage: (a) => (this.jobs.get(a.jobId, 'filter') as FilterJob).page(a.fromIndex, a.count),

      exportStart: async (a) => this.startExport(a),

      importStart: async (a) => {
        this.io.topic(a.topic);
        const job = this.jobs.add('import', (id) => new ImportJob(id, engine.clock, changed, this.io, a.topic, a.fileName ?? null));
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

      describeGroup: (a) => this.groups.describe(a.groupId),
      groupLagHistory: (a) => {
        const history = this.lag.history(a.groupId, a.afterSeq);
        if (history) return history;
        // Known group without samples yet (it appeared less than a second ago): an empty history.
        this.groups.describe(a.groupId);
        return { groupId: a.groupId, intervalMs: 1000, capacity: 3600, lastSeq: 0, firstSeq: 1, timesMs: [], totalLag: [], partitions: [] };
      },
      previewResetOffsets: (a) => this.groups.previewReset(a),
      resetOffsets: (a) => this.groups.resetOffsets(a),
      deleteGroup: async (a) => {
        await this.groups.deleteGroup(a.groupId);
        this.lag.drop(a.groupId);
        return { groupId: a.groupId };
      },

      startConsumer: (a) => this.consumers.start(a),
      updateConsumer: (a) => this.consumers.update(a),
      stopConsumer: (a) => this.consumers.stop(a.consumerId),
    };
  }

  /** Where exports are written. */
  get exportsDir(): string {
    return path.join(this.engine.dataDir, 'exports');
  }

  private async startExport(a: Parameters<ConsumeHandlers['exportStart']>[0]): Promise<JobView> {
    let source: ExportSource;
    if (a.source === 'filter') {
      if (a.filterJobId === undefined) throw new WorkbenchError('INVALID_REQUEST', 'Exporting a filter result needs the filter job.', 'filterJobId');
      const filter = this.jobs.get(a.filterJobId, 'filter') as FilterJob;
      if (filter.running) throw new WorkbenchError('INVALID_REQUEST', 'The filter is still running: export when it has finished, or cancel it to export the matches found so far.', 'filterJobId');
      source = { kind: 'filter', filter };
    } else {
      if (a.topic === undefined) throw new WorkbenchError('INVALID_REQUEST', 'Choose the topic to export.', 'topic');
      const layout = await layoutView(this.io, a.topic, a.partition ?? null, a.bounds);
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
    const dir = this.exportsDir;
    const name = exportFileName(dir, layout.topic, layout.partition, this.engine.clock.nowMs(), a.format);
    const job = this.jobs.add('export', (id) => new ExportJob(id, this.engine.clock, () => this.engine.markDirty(), this.io, source, a.format, path.join(dir, name)));
    void job.run();
    return job.view();
  }

  snapshot(): ConsumeSnapshot {
    let groups: ConsumeSnapshot['groups'] = [];
    let groupsOmitted = 0;
    try {
      ({ groups, omitted: groupsOmitted } = this.groups.summaries());
    } catch {
      // A coordinator mid-failover: the next snapshot lists them.
    }
    return { groups, groupsOmitted, consumers: this.consumers.views(), jobs: this.jobs.views(), lagSeq: this.lag.seq };
  }

  async close(): Promise<void> {
    this.lag.stop();
    this.unsubscribeStorage();
    this.jobs.cancelAll();
    await this.consumers.closeAll();
  }
}
