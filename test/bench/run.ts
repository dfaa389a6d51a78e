/**
 * `npm run bench [-- --json] [-- --quick] [-- --only storage,cluster]`: every
 * performance figure the issues name, measured on this machine and printed as a table
 * (or as one JSON object with --json). Benchmarks are not tests: nothing here asserts
 * a speed; the goals are printed beside the figures for the reader.
 *
 * Groups: storage (log on real files), cluster (in-process producer, failover,
 * simulator), wire (our Kafka client over TCP against `serve`), ui (web host and
 * Chromium under a load generator), browser (message browser at 10M records).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threeFreePorts } from '../support/ports';

const GOALS: Record<string, string> = {
  'storage.append.records_per_s': '≥ 1,500,000',
  'storage.read.records_per_s': '≥ 3,000,000',
  'storage.recovery.s_per_gib': '≤ 3',
  'storage.compaction.mb_per_s': '≥ 100',
  'storage.rss_mb_after_4gib': '≤ 300',
  'cluster.produce.rf1_acks1.records_per_s': '≥ 1,000,000',
  'cluster.produce.rf3_acksall.records_per_s': '≥ 500,000',
  'cluster.failover.ms': '≤ 1000',
  'cluster.reassign.mb_per_s': '≥ 200',
  'wire.produce.rf1.records_per_s': '≥ 500,000',
  'wire.produce.rf3_acksall.records_per_s': '≥ 300,000',
  'wire.consume.records_per_s': '≥ 800,000',
  'wire.latency.p99_ms': '≤ 10',
  'ui.ipc.updates_per_s': '≤ 10',
  'ui.ipc.bytes_per_s': '≤ 200,000',
  'ui.click_latency_ms.p95': '≤ 100',
  'browser.first_page_ms': '≤ 200',
  'browser.filter.records_scanned_per_s': '≥ 2,000,000',
  'renderer.heap_mb_after_scrolling_1m_rows': '≤ 150',
};

const ROOT = path.resolve(__dirname, '..', '..');

async function withServer<T>(tmpDir: string, fn: (bootstrap: string) => Promise<T>): Promise<T> {
  const port = await threeFreePorts();
  const dataDir = fs.mkdtempSync(path.join(tmpDir, 'serve-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'engine', 'host', 'cli.js'), 'serve', '--no-ui', '--port', String(port), '--data-dir', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (out.includes('Bootstrap:')) {
        clearInterval(t);
        resolve();
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(t);
      reject(new Error(`serve exited (${code}): ${out}`));
    });
  });
  try {
    return await fn(/Bootstrap: (\S+)/.exec(out)![1]);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  // The engine's timers do not hold the process open (hosts own its lifetime): this does.
  const keepAlive = setInterval(() => undefined, 1000);
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
  const only = onlyArg ? new Set(onlyArg.split(',')) : null;
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bench-'));
  const figures: Record<string, number> = {};
  const failures: Record<string, string> = {};
  const log = (line: string) => {
    if (!json) process.stderr.write(`${line}\n`);
  };
  const groups: [string, () => Promise<Record<string, number>>][] = [
    ['storage', async () => (await import('./storage')).run({ quick, tmpDir })],
    ['cluster', async () => (await import('./cluster')).run({ quick, tmpDir })],
    ['wire', async () => withServer(tmpDir, async (bootstrap) => (await import('./wire')).run({ quick, tmpDir, bootstrap }))],
    ['ui', async () => (await import('./ui')).run({ quick, tmpDir })],
    ['browser', async () => (await import('./browser')).run({ quick, tmpDir })],
  ];
  try {
    for (const [name, fn] of groups) {
      if (only && !only.has(name)) continue;
      log(`running ${name}…`);
      try {
        Object.assign(figures, await fn());
      } catch (err) {
        failures[name] = err instanceof Error ? err.message : String(err);
        log(`  ${name} failed: ${failures[name]}`);
      }
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  const machine = { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, quick };
  if (json) {
    process.stdout.write(`${JSON.stringify({ machine, figures, failures }, null, 2)}\n`);
  } else {
    process.stdout.write(`Stream Workbench benchmarks (${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}${quick ? ', quick' : ''})\n`);
    const width = Math.max(...Object.keys(figures).map((k) => k.length), 10);
    for (const [k, v] of Object.entries(figures)) {
      process.stdout.write(`  ${k.padEnd(width)}  ${String(v.toLocaleString('en')).padStart(14)}   ${GOALS[k] ? `goal ${GOALS[k]}` : ''}\n`);
    }
    for (const [k, v] of Object.entries(failures)) process.stdout.write(`  ${k}: FAILED: ${v}\n`);
  }
  clearInterval(keepAlive);
  process.exit(Object.keys(failures).length > 0 ? 1 : 0);
}

void main();
