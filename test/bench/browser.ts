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
 *   renderer.heap_mb_after_scrolling_1m_rows  the web UI (web host, engine in its worker)
 *                                           in Chromium driven by Playwright, on a topic of
 *                                           1,000,000 records: the message list is scrolled
 *                                           from its first row to its last in 2,000 jumps
 *                                           (quick: 200) plus wheel notches, each waiting
 *                                           until the shown rows have arrived; then garbage
 *                                           is collected and the JS heap in use is read over
 *                                           CDP (Runtime.getHeapUsage)        (goal ≤ 150)
 *
 * Needs `npm run build` first (the heap figure runs the built web host).
 *
 * The topic is filled through the leaders' produce path (the same validation and append
 * a client's Produce gets) with batches of 10,000 records of ~60 bytes (JSON values,
 * keys user-0…user-999, timestamps 1 ms apart), not over TCP, so filling is quick.
 * Everything the bench creates is removed before it returns.
 */
import { chromium } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threeFreePorts } from '../support/ports';
import { startWebHost } from '../support/web-host';
import { dispatch } from '../../engine/api/dispatch';
import type { BrowsePage, BrowseSeekResult, JobView } from '../../engine/api/contract';
import type { FilterJob } from '../../engine/records/filter-job';
import { Engine } from '../../engine/engine';
import { buildBatch, type RecordSpec } from '../../engine/storage/record-batch';

export interface BenchOptions {
  quick: boolean;
  tmpDir: string;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HEAP_ROWS = 1_000_000;
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
      const res = await engine.io.append(topic, p, batch);
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
    const job = engine.records.jobs.get(started.id) as FilterJob;
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


/**
 * The renderer's JS heap after scrolling the message list from its first row to its
 * last over a topic of HEAP_ROWS records, in `steps` jumps (each waits until the rows it
 * shows have arrived), then a forced garbage collection.
 */
async function heapAfterScrolling(dir: string, steps: number): Promise<number> {
  const engine = new Engine({ dataDir: dir, clusterConfig: { brokerHeartbeatIntervalMs: 100 } });
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await dispatch(engine.commands, 'createTopic', { name: 'scroll', partitions: PARTITIONS, replicationFactor: 1 });
    await fill(engine, 'scroll', HEAP_ROWS);
  } finally {
    clearInterval(keepAlive);
    await engine.close();
  }
  const host = await startWebHost(dir, ['--port', String(await threeFreePorts())], 60_000);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--js-flags=--expose-gc'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    await page.goto(host.url);
    await page.getByTestId('nav-messages').click();
    await page.getByTestId('msg-topic').selectOption('scroll');
    const rows = page.getByTestId('message-rows');
    await rows.waitFor();
    await page.waitForFunction((n) => document.querySelector('[data-testid=view-facts]')?.textContent?.includes(n) ?? false, HEAP_ROWS.toLocaleString('en-US'), { timeout: 60_000 });
    const loaded = () =>
      page
        .waitForFunction(() => document.querySelectorAll('[data-testid=message-rows] .msg-loading').length === 0 && document.querySelectorAll('[data-testid=message-rows] .msg-row').length > 0, null, { timeout: 10_000, polling: 'raf' })
        .catch(() => undefined);
    for (let i = 0; i <= steps; i++) {
      await rows.evaluate((el, f) => {
        el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
      }, i / steps);
      await loaded();
      // A few wheel notches too, as a person scrolls between jumps.
      if (i % 10 === 0) {
        await rows.hover();
        await page.mouse.wheel(0, 300);
        await loaded();
      }
    }
    const last = await rows.locator('.msg-row').last().getAttribute('data-testid');
    if (!last) throw new Error('the list shows no rows after scrolling');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await page.waitForTimeout(200);
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    return Math.round((usage.usedSize / (1024 * 1024)) * 10) / 10;
  } finally {
    await browser.close();
    await host.stop();
  }
}

export async function run(opts: BenchOptions): Promise<Record<string, number>> {
  const root = fs.mkdtempSync(path.join(opts.tmpDir, 'browser-bench-'));
  try {
    const figures = await engineFigures(path.join(root, 'engine'), opts.quick ? 1_000_000 : 10_000_000);
    figures['renderer.heap_mb_after_scrolling_1m_rows'] = await heapAfterScrolling(path.join(root, 'ui'), opts.quick ? 200 : 2000);
    return figures;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

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
