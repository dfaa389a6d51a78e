/**
 * Export (JSONL or CSV) of the whole view, the selected rows or the filter result, as
 * an engine job with progress and cancel, written under the data folder's exports/ (the
 * path is shown; in the browser the file can also be downloaded). Import of a JSONL
 * file into the open topic: the file is read here in slices and sent in bounded chunks
 * of lines; the engine validates line by line, and the report says exactly which lines
 * went in and which did not.
 */
import { useRef, useState } from 'react';
import type { ExportFormat, JobView } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { toErrorData } from '../../errors';
import { formatBytes, formatCountExact, formatRanges } from '../../components/format';
import { useStore } from '../../store';
import { jobFrom } from '../../store/records/browse';

/** Lines and characters per importChunk call (the engine accepts up to 5000 lines, 8 MB). */
const CHUNK_LINES = 1000;
const CHUNK_CHARS = 2 * 1024 * 1024;
/** A longer line cannot be a record (max.message.bytes is about 1 MiB); it is refused here. */
const MAX_LINE_CHARS = 4 * 1024 * 1024;
const READ_SLICE_BYTES = 1024 * 1024;

/** Files can be downloaded from the web host (same origin); the desktop app shows the path. */
const canDownload = typeof location !== 'undefined' && location.protocol.startsWith('http');

export function ExportPanel() {
  const layout = useStore((s) => s.msgLayout);
  const range = useStore((s) => s.msgRange);
  const filter = useStore((s) => s.msgFilter);
  const filterJob = useStore((s) => jobFrom(s, s.msgFilter?.jobId ?? null));
  const start = useStore((s) => s.msgExport);
  const cancel = useStore((s) => s.msgCancelJob);
  const jobId = useStore((s) => s.msgExportJobId);
  const job = useStore((s) => jobFrom(s, s.msgExportJobId));
  const error = useStore((s) => s.msgExportError);
  const [format, setFormat] = useState<ExportFormat>('jsonl');
  const scope: 'filter' | 'rows' | 'view' = filter ? 'filter' : range ? 'rows' : 'view';
  const what =
    scope === 'filter'
      ? `the ${formatCountExact(filterJob?.matches ?? 0)} filter matches`
      : scope === 'rows'
        ? `the ${formatCountExact(range!.to - range!.from + 1)} selected rows`
        : `the whole view (${formatCountExact(layout?.totalRows ?? 0)} row${layout?.totalRows === 1 ? '' : 's'})`;
  const filterRunning = scope === 'filter' && filterJob?.state === 'running';
  return (
    <div className="job-panel" data-testid="export-panel">
      <span className="inline-label">
        Export {what} as
        <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format" aria-label="Export format">
          <option value="jsonl">JSONL</option>
          <option value="csv">CSV</option>
        </select>
      </span>
      <button onClick={() => void start(format, scope)} disabled={!layout || filterRunning} title={filterRunning ? 'Wait for the filter to finish, or cancel it' : undefined} data-testid="export-start">
        Export
      </button>
      {error && <span className="form-error small" role="alert">{error.message}</span>}
      {jobId && job && <JobLine job={job} onCancel={() => void cancel(job.id)} testId="export-status" />}
    </div>
  );
}

function JobLine({ job, onCancel, testId }: { job: JobView; onCancel: () => void; testId: string }) {
  return (
    <div className="job-line" data-testid={testId}>
      {job.state === 'running' && (
        <>
          <progress max={Math.max(1, job.total)} value={job.done} />
          <span>
            {formatCountExact(job.done)} of {formatCountExact(job.total)}
          </span>
          <button className="small-button" onClick={onCancel} data-testid={`${testId}-cancel`}>
            Cancel
          </button>
        </>
      )}
      {job.state === 'done' && job.file && (
        <span className="ok">
          {formatCountExact(job.matches)} records, {formatBytes(job.file.sizeBytes)} written to <code data-testid="export-path">{job.file.path}</code>
          {canDownload && (
            <>
              {' '}
              <a href={`/exports/${encodeURIComponent(job.file.name)}`} download={job.file.name} data-testid="export-download">
                Download
              </a>
            </>
          )}
        </span>
      )}
      {job.state === 'cancelled' && <span className="muted">Export cancelled; the partial file was deleted.</span>}
      {job.state === 'failed' && <span className="form-error">{job.error?.message}</span>}
    </div>
  );
}

interface ImportState {
  jobId: string | null;
  fileName: string;
  bytesRead: number;
  fileBytes: number;
  linesSent: number;
  /** The file was read to its end. */
  finished: boolean;
  /** Where reading stopped early (the engine refused a line, or a line was too long here). */
  stoppedAtLine: number | null;
  /** Lines after the last one sent were never sent (the import stopped first). */
  unsent: boolean;
  localError: string | null;
  error: WorkbenchErrorData | null;
}

export function ImportPanel({ topic }: { topic: string }) {
  const input = useRef<HTMLInputElement | null>(null);
  const [state, setState] = useState<ImportState | null>(null);
  const job = useStore((s) => jobFrom(s, state?.jobId ?? null));
  const importStart = useStore((s) => s.importStart);
  const importChunk = useStore((s) => s.importChunk);
  const cancelJob = useStore((s) => s.msgCancelJob);
  const cancelRef = useRef(false);

  const run = async (file: File) => {
    cancelRef.current = false;
    const st: ImportState = { jobId: null, fileName: file.name, bytesRead: 0, fileBytes: file.size, linesSent: 0, finished: false, stoppedAtLine: null, unsent: false, localError: null, error: null };
    const update = () => setState({ ...st });
    update();
    try {
      const started = await importStart({ topic, fileName: file.name });
      st.jobId = started.id;
      update();
      const decoder = new TextDecoder('utf-8');
      let carry = '';
      let nextLine = 1;
      let pending: string[] = [];
      let pendingChars = 0;
      let accepting = true;
      const send = async (last: boolean) => {
        const res = await importChunk({ jobId: st.jobId!, firstLine: nextLine, lines: pending, last });
        nextLine += pending.length;
        st.linesSent = nextLine - 1;
        pending = [];
        pendingChars = 0;
        accepting = res.accepting;
        update();
      };
      const take = async (line: string): Promise<boolean> => {
        if (line.length > MAX_LINE_CHARS) {
          if (pending.length > 0) await send(false);
          st.stoppedAtLine = nextLine;
          st.localError = `Line ${nextLine} is ${formatBytes(line.length)} long; a record is at most about 1 MiB (max.message.bytes). It and every later line were not imported.`;
          await cancelJob(st.jobId!);
          return false;
        }
        pending.push(line.endsWith('\r') ? line.slice(0, -1) : line);
        pendingChars += line.length;
        if (pending.length >= CHUNK_LINES || pendingChars >= CHUNK_CHARS) await send(false);
        return accepting;
      };
      let ok = true;
      for (let at = 0; at < file.size && ok; at += READ_SLICE_BYTES) {
        if (cancelRef.current) break;
        const bytes = new Uint8Array(await file.slice(at, at + READ_SLICE_BYTES).arrayBuffer());
        st.bytesRead = at + bytes.length;
        const text = carry + decoder.decode(bytes, { stream: at + READ_SLICE_BYTES < file.size });
        const lines = text.split('\n');
        carry = lines.pop()!;
        for (let i = 0; i < lines.length && ok; i++) {
          ok = await take(lines[i]);
          if (!ok) st.unsent = i < lines.length - 1 || carry !== '' || at + READ_SLICE_BYTES < file.size;
        }
        if (ok && carry.length > MAX_LINE_CHARS) {
          ok = await take(carry);
          if (!ok) st.unsent = at + READ_SLICE_BYTES < file.size;
        }
      }
      if (cancelRef.current) {
        await cancelJob(st.jobId!);
      } else if (ok) {
        if (carry !== '') pending.push(carry.endsWith('\r') ? carry.slice(0, -1) : carry);
        await send(true);
        st.finished = accepting || st.linesSent === nextLine - 1;
      }
      if (!accepting && st.stoppedAtLine === null) st.stoppedAtLine = st.linesSent;
      update();
    } catch (err) {
      st.error = toErrorData(err);
      update();
    }
  };

  const running = job?.state === 'running' && !state?.localError;
  return (
    <div className="job-panel" data-testid="import-panel">
      <input
        ref={input}
        type="file"
        accept=".jsonl,.ndjson,.json,.txt,application/x-ndjson"
        className="visually-hidden"
        data-testid="import-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void run(f);
        }}
      />
      <button onClick={() => input.current?.click()} disabled={running} data-testid="import-start" title={`Produce the records of a JSONL file into "${topic}"`}>
        Import JSONL…
      </button>
      {state && (
        <div className="job-line" data-testid="import-status">
          {running && (
            <>
              <progress max={Math.max(1, state.fileBytes)} value={state.bytesRead} />
              <span>
                {state.fileName}: {formatCountExact(job?.matches ?? 0)} records imported, line {formatCountExact(state.linesSent)}
              </span>
              <button className="small-button" onClick={() => (cancelRef.current = true)} data-testid="import-cancel">
                Cancel
              </button>
            </>
          )}
          {state.error && <span className="form-error">{state.error.message}</span>}
          {job && job.state !== 'running' && <ImportReportView job={job} state={state} />}
        </div>
      )}
    </div>
  );
}

function ImportReportView({ job, state }: { job: JobView; state: ImportState }) {
  const r = job.import;
  if (!r) return null;
  return (
    <div className={job.state === 'done' ? 'ok' : 'import-report'} data-testid="import-report" role={job.state === 'done' ? undefined : 'alert'}>
      {job.state === 'done' && <span>{job.note}</span>}
      {job.state !== 'done' && (
        <>
          <div>
            <strong>{job.state === 'cancelled' ? 'Import cancelled.' : 'Import stopped.'}</strong> {r.failedLine !== null ? `Line ${r.failedLine}: ${r.failure}` : (state.localError ?? r.failure ?? '')}
          </div>
          <div data-testid="import-imported">
            {r.importedRecords === 0 ? 'Nothing was imported' : `Imported ${formatCountExact(r.importedRecords)} record${r.importedRecords === 1 ? '' : 's'} from line${r.importedLines.length === 1 && r.importedLines[0][0] === r.importedLines[0][1] ? '' : 's'} ${formatRanges(r.importedLines)}`}
            {r.blankLines > 0 ? ` (${r.blankLines} blank line${r.blankLines === 1 ? '' : 's'} skipped)` : ''}.
          </div>
          {(r.notImportedLines.length > 0 || state.unsent) && (
            <div>
              Not imported: {r.notImportedLines.length > 0 ? `line${r.notImportedLines.length === 1 && r.notImportedLines[0][0] === r.notImportedLines[0][1] ? '' : 's'} ${formatRanges(r.notImportedLines)}` : 'none of the lines read'}
              {state.unsent ? ', and every later line of the file (they were not sent).' : '.'}
            </div>
          )}
        </>
      )}
    </div>
  );
}
