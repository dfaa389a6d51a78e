/**
 * An import job: JSONL lines (record-format.ts) arrive from the renderer in bounded
 * chunks, in file order, and are produced into one topic through the leaders' produce
 * path (acks=all), batched per partition.
 *
 * Per chunk: every line is validated first, in order, up to the first bad one; the
 * valid lines before it are grouped by partition (explicit, else murmur2 of the key as
 * Kafka's producer does, else round robin) into batches of at most the topic's
 * max.message.bytes and appended one batch at a time. The first bad line — or the first
 * batch the cluster refuses — stops the import.
 *
 * The report says exactly which lines are in the topic (`importedLines`) and which were
 * received but not imported (`notImportedLines`); the renderer adds that the rest of the
 * file was not sent. Nothing is dropped silently: blank lines are counted.
 *
 * Bounds: a chunk is at most 5000 lines (schema) and CHUNK_MAX_BYTES; one chunk is
 * processed at a time (a second one meanwhile is BUSY); an import that receives nothing
 * for IDLE_TIMEOUT_MS fails (the window that sent it went away).
 *
 * Invariants: lines are processed in order, each once; `importedLines` and
 * `notImportedLines` never overlap.
 */
import { WorkbenchError } from '../api/errors';
import type { ImportReport } from '../api/contract';
import { buildBatch } from '../storage/record-batch';
import type { Clock, TimerHandle } from '../util/clock';
import { Job } from './jobs';
import type { TopicImage } from '../cluster/metadata-image';
import { PartitionChooser, type LeaderIo } from '../ports';
import { ErrorCode, errorName } from '../protocol/errors';
import { LineError, parseImportLine, type ImportContext, type ImportRecord } from './record-format';

export const CHUNK_MAX_BYTES = 8 * 1024 * 1024;
export const IDLE_TIMEOUT_MS = 120_000;
/** Batches stay below this even on topics with a larger max.message.bytes. */
const BATCH_TARGET_BYTES = 1024 * 1024;

export class ImportJob extends Job {
  private nextLine = 1;
  private busy = false;
  /** Keyless records without a partition go round robin, per import. */
  private readonly chooser = new PartitionChooser();
  private idleTimer: TimerHandle | null = null;
  readonly report: ImportReport = { importedLines: [], importedRecords: 0, blankLines: 0, failedLine: null, failure: null, notImportedLines: [] };

  constructor(
    id: string,
    clock: Clock,
    changed: () => void,
    private readonly io: LeaderIo,
    topic: string,
    private readonly fileName: string | null,
  ) {
    super(id, 'import', topic, null, clock, changed);
    this.importReport = this.report;
    this.armIdleTimer();
  }

  get accepting(): boolean {
    return this.running && !this.cancelRequested;
  }

  protected override onCancelRequested(): void {
    // A chunk being written finishes first; the cancel is taken after it.
    if (!this.busy) this.stop('cancelled');
  }

  /** Validates and produces one chunk of lines. */
  async chunk(firstLine: number, lines: string[], last: boolean): Promise<void> {
    if (!this.running) return;
    if (this.busy) throw new WorkbenchError('BUSY', 'The previous chunk of this import is still being written. Send the next one when it is done.');
    if (firstLine !== this.nextLine) {
      throw new WorkbenchError('INVALID_REQUEST', `This import expects line ${this.nextLine} next, not line ${firstLine}: send the file's lines in order, once.`, 'firstLine');
    }
    let bytes = 0;
    for (const l of lines) bytes += l.length;
    if (bytes > CHUNK_MAX_BYTES) throw new WorkbenchError('INVALID_REQUEST', `A chunk carries at most ${CHUNK_MAX_BYTES} characters; send smaller chunks.`, 'lines');
    this.busy = true;
    this.armIdleTimer();
    try {
      await this.process(firstLine, lines, last);
    } catch (err) {
      // Unexpected failure: everything of this chunk not yet imported is reported as such.
      if (this.running) {
        this.stopWith(null, `the import failed: ${WorkbenchError.from(err).message}`, firstLine + lines.length - 1);
        this.stop('failed', WorkbenchError.from(err));
      }
    } finally {
      this.busy = false;
    }
    if (this.cancelRequested && this.running) this.stop('cancelled');
  }

  private async process(firstLine: number, lines: string[], last: boolean): Promise<void> {
    const t = this.io.topic(this.topic!);
    const ctx: ImportContext = { topic: this.topic!, partitions: t.partitions.length, maxMessageBytes: this.io.maxMessageBytes(this.topic!) };
    const records: ImportRecord[] = [];
    let bad: { line: number; reason: string } | null = null;
    for (let i = 0; i < lines.length; i++) {
      const line = firstLine + i;
      const text = lines[i];
      if (text.trim() === '') {
        this.report.blankLines++;
        continue;
      }
      try {
        records.push(parseImportLine(text, line, ctx));
      } catch (err) {
        if (!(err instanceof LineError)) throw err;
        bad = { line, reason: err.message };
        break;
      }
    }
    const lastLine = firstLine + lines.length - 1;
    const produced = await this.produce(records, ctx, t);
    mergeRanges(this.report.importedLines);
    this.done += lines.length;
    this.total = this.done;
    if (produced.failed !== null) {
      this.stopWith(produced.failed.line, produced.failed.reason, lastLine, produced.notImported);
      this.stop('failed', new WorkbenchError('INVALID_RECORD', `Line ${produced.failed.line} was not imported: ${produced.failed.reason}`));
      return;
    }
    if (bad !== null) {
      this.stopWith(bad.line, bad.reason, lastLine);
      this.stop('failed', new WorkbenchError('INVALID_RECORD', `Line ${bad.line} is not a record this import can read: ${bad.reason}`, 'lines'));
      return;
    }
    this.nextLine = lastLine + 1;
    if (last) {
      this.note = `${this.report.importedRecords.toLocaleString('en-US')} records imported into "${this.topic}"${this.fileName ? ` from ${this.fileName}` : ''}${this.report.blankLines ? ` (${this.report.blankLines} blank lines skipped)` : ''}.`;
      this.stop('done');
    }
    this.touch();
  }

  /** Appends the records batch by batch; stops at the first refused batch. */
  private async produce(records: ImportRecord[], ctx: ImportContext, t: TopicImage): Promise<{ failed: { line: number; reason: string } | null; notImported: number[] }> {
    const byPartition = new Map<number, ImportRecord[]>();
    for (const r of records) {
      const p = this.chooser.choose(t, r.partition, r.key, 'lines').partition;
      let list = byPartition.get(p);
      if (!list) byPartition.set(p, (list = []));
      list.push(r);
    }
    const batches: { partition: number; records: ImportRecord[] }[] = [];
    const limit = Math.min(BATCH_TARGET_BYTES, ctx.maxMessageBytes) - 128;
    for (const [partition, list] of byPartition) {
      let current: ImportRecord[] = [];
      let size = 0;
      for (const r of list) {
        if (current.length > 0 && size + r.sizeBytes > limit) {
          batches.push({ partition, records: current });
          current = [];
          size = 0;
        }
        current.push(r);
        size += r.sizeBytes;
      }
      if (current.length > 0) batches.push({ partition, records: current });
    }
    batches.sort((a, b) => a.records[0].line - b.records[0].line);
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i];
      const now = this.clock.nowMs();
      const batch = await buildBatch({
        records: b.records.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestampMs: r.timestampMs ?? now })),
      });
      const result = await this.io.append(ctx.topic, b.partition, batch);
      if (result.errorCode !== ErrorCode.NONE) {
        const reason = result.recordErrors[0]?.message ?? result.errorMessage ?? `the cluster refused the batch for partition ${b.partition} (Kafka error ${errorName(result.errorCode)}).`;
        const notImported = batches.slice(i).flatMap((x) => x.records.map((r) => r.line));
        return { failed: { line: b.records[0].line, reason }, notImported };
      }
      for (const r of b.records) addLine(this.report.importedLines, r.line);
      this.report.importedRecords += b.records.length;
      this.matches = this.report.importedRecords;
    }
    return { failed: null, notImported: [] };
  }

  /** Records where the import stopped: `line` failed, and every received line from there on not imported. */
  private stopWith(line: number | null, reason: string, lastReceivedLine: number, alsoNotImported: number[] = []): void {
    this.report.failedLine = line;
    this.report.failure = reason;
    const imported = new Set<number>();
    for (const [a, b] of this.report.importedLines) for (let l = Math.max(a, line ?? a); l <= b; l++) imported.add(l);
    const notImported = new Set<number>(alsoNotImported);
    const from = line ?? this.nextLine;
    for (let l = from; l <= lastReceivedLine; l++) if (!imported.has(l)) notImported.add(l);
    for (const l of [...notImported].sort((a, b) => a - b)) addLine(this.report.notImportedLines, l);
    mergeRanges(this.report.notImportedLines);
  }

  private stop(state: 'done' | 'cancelled' | 'failed', error: WorkbenchError | null = null): void {
    this.idleTimer?.cancel();
    this.idleTimer = null;
    if (state === 'cancelled' && this.note === null) {
      this.note = `Cancelled: ${this.report.importedRecords.toLocaleString('en-US')} records were imported before.`;
    }
    this.finish(state, error);
  }

  private armIdleTimer(): void {
    this.idleTimer?.cancel();
    this.idleTimer = this.clock.setTimer(IDLE_TIMEOUT_MS, () => {
      if (!this.running || this.busy) return;
      this.report.failure = `no lines arrived for ${IDLE_TIMEOUT_MS / 1000} s (the window that sent them closed?)`;
      this.stop('failed', new WorkbenchError('REQUEST_TIMED_OUT', `The import stopped receiving lines after line ${this.nextLine - 1}. Start it again.`));
    });
  }
}

/** Adds `line` to inclusive ranges (kept short by mergeRanges after each chunk). */
function addLine(ranges: [number, number][], line: number): void {
  const last = ranges[ranges.length - 1];
  if (last && line === last[1] + 1) last[1] = line;
  else if (!(last && line >= last[0] && line <= last[1])) ranges.push([line, line]);
}

/** Sorts ranges and merges the overlapping or adjacent ones, in place. */
function mergeRanges(ranges: [number, number][]): void {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  ranges.splice(0, ranges.length, ...out);
}
