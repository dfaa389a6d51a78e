/**
 * `npm start` and `npm run serve`.
 *
 * start: the desktop app when an Electron binary and a display are present;
 *        otherwise (or with --web) the same UI in web mode: the engine in a worker
 *        thread, the web host on 127.0.0.1, and exactly one line on stdout:
 *        `Workbench UI: http://127.0.0.1:<port>/`. Runs until Ctrl-C.
 *
 * Both take the static broker configs (--config KEY=VALUE, repeatable, and
 * --config-file server.properties; see args.ts); a bad one ends the process with exit
 * code 2 and the sentence saying why, before anything starts.
 *
 * serve: the cluster headless, as a local Kafka for development: prints
 *        `Bootstrap: 127.0.0.1:9092,…` and (unless --no-ui) the web UI's URL, then reads
 *        commands on stdin: status, kill N, stop N, restart N, cut N, heal [N], quit.
 *
 * Shutdown closes the engine cleanly (its files are flushed) and releases the data
 * dir lock.
 */
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import type { ClusterSnapshot } from '../api/contract';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArgsError, DEFAULT_DATA_DIR, clusterConfigFrom, parseHostArgs, type HostArgs } from './args';
import { DataDirLock } from './data-dir-lock';
import { EngineHandle } from './engine-handle';
import { ensureElectronSqlite } from './native-sqlite';
import { WebHost } from './web-host';
import { formatBytes } from '../util/format';

const DIST_DIR = path.resolve(__dirname, '..', '..');
const WORKER_PATH = path.join(DIST_DIR, 'engine', 'host', 'worker.js');
const RENDERER_DIR = path.join(DIST_DIR, 'renderer');
const ELECTRON_MAIN = path.join(DIST_DIR, 'electron', 'main.js');
const PROJECT_ROOT = path.resolve(DIST_DIR, '..');

/**
 * The Electron binary, or why the desktop window cannot open here. Located the way
 * the electron package itself does it (its path.txt names the binary inside dist/),
 * without loading the package into this process.
 */
export function findElectron(): { path: string } | { reason: string } {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'Electron is not installed (npm could not download its binary here)' };
  }
  const pathTxt = path.join(pkgDir, 'path.txt');
  const bin = fs.existsSync(pathTxt) ? path.join(pkgDir, 'dist', fs.readFileSync(pathTxt, 'utf8').trim()) : null;
  if (!bin || !fs.existsSync(bin)) return { reason: 'the Electron binary is missing (its download did not happen)' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (DISPLAY is not set)' };
  }
  return { path: bin };
}

async function startWeb(args: HostArgs): Promise<void> {
  const { web } = await startHeadless(args, true);
  process.stdout.write(`Workbench UI: ${web!.url}\n`);
}

/** Starts the engine (and the web UI unless --no-ui); shared by start --web and serve. */
async function startHeadless(args: HostArgs, withUi: boolean): Promise<{ engine: EngineHandle; web: WebHost | null; stop: (code: number) => Promise<void> }> {
  const dataDir = args.dataDir ?? DEFAULT_DATA_DIR;
  let lock: DataDirLock;
  try {
    lock = DataDirLock.acquire(dataDir);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  let engine: EngineHandle | null = null;
  let web: WebHost | null = null;
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await web?.close().catch(() => undefined);
    await engine?.stop().catch(() => undefined);
    lock.release();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    engine = await EngineHandle.start(WORKER_PATH, { dataDir, brokerCount: args.brokers, basePort: args.port, clusterConfig: clusterConfigFrom(args) });
    if (withUi) web = await WebHost.start({ rendererDir: RENDERER_DIR, port: args.uiPort, target: engine, exportsDir: path.join(dataDir, 'exports'), rememberPortIn: path.join(dataDir, 'ui-port') });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    await stop(1);
    throw err;
  }
  return { engine, web, stop };
}

function formatStatus(c: ClusterSnapshot): string {
  const lines = [`Cluster ${c.clusterId}, controller: ${c.controllerId ?? 'none'}`];
  for (const b of c.brokers) {
    const disk = b.disk ? `  disk ${formatBytes(b.disk.freeBytes)} free${b.disk.low ? ` (below ${formatBytes(b.disk.minFreeBytes)}: writes refused)` : ''}` : '';
    lines.push(`  broker ${b.id}  ${b.state.padEnd(8)} ${b.host}:${b.port}  ${b.listening ? 'listening' : `not listening${b.listenerError ? ` (${b.listenerError})` : ''}`}  leads ${b.partitionsLed}${b.internalPartitionsLed > 0 ? ` (${b.internalPartitionsLed} internal)` : ''}${disk}`);
    if (b.failure) lines.push(`    ${b.failure.reason} ${b.failure.nextStep}`);
  }
  for (const t of c.topics.filter((x) => !x.internal)) {
    lines.push(`  topic ${t.name}: ${t.partitions.length} partitions, RF ${t.replicationFactor}${t.underReplicated ? `, ${t.underReplicated} under-replicated` : ''}${t.offline ? `, ${t.offline} offline` : ''}`);
  }
  return lines.join('\n');
}

async function serve(args: HostArgs): Promise<void> {
  const { engine, web, stop } = await startHeadless(args, !args.noUi);
  const bootstrap = Array.from({ length: args.brokers }, (_, i) => `127.0.0.1:${args.port + i}`).join(',');
  process.stdout.write(`Bootstrap: ${bootstrap}\n`);
  if (web) process.stdout.write(`Workbench UI: ${web.url}\n`);
  const snapshot = (await engine.call('getCluster', {})) as ClusterSnapshot;
  for (const b of snapshot.brokers) if (!b.listening && b.listenerError) process.stderr.write(`Broker ${b.id} is not listening: ${b.listenerError}\n`);
  reportBrokerChanges(engine, snapshot);
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  const commands: Record<string, string> = { kill: 'killBroker', stop: 'stopBroker', restart: 'restartBroker', cut: 'cutBroker', heal: 'healBroker' };
  rl.on('line', (line) => {
    const [cmd, arg] = line.trim().split(/\s+/);
    if (!cmd) return;
    const run = async (): Promise<string> => {
      if (cmd === 'quit' || cmd === 'exit') {
        await stop(0);
        return '';
      }
      if (cmd === 'status') return formatStatus((await engine.call('getCluster', {})) as ClusterSnapshot);
      const method = commands[cmd];
      if (!method) return `Unknown command "${cmd}". Commands: status, kill N, stop N, restart N, cut N, heal [N], quit.`;
      if (cmd === 'heal' && arg === undefined) {
        const c = (await engine.call('getCluster', {})) as ClusterSnapshot;
        for (const b of c.brokers) if (b.state === 'cut') await engine.call('healBroker', { brokerId: b.id });
        return 'healed all brokers';
      }
      const brokerId = Number(arg);
      if (!Number.isInteger(brokerId)) return `${cmd} needs a broker id, e.g. "${cmd} 1".`;
      const b = (await engine.call(method, { brokerId })) as { id: number; state: string };
      return `broker ${b.id}: ${b.state}`;
    };
    run().then(
      (out) => out && process.stdout.write(`${out}\n`),
      (err: unknown) => process.stdout.write(`error: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  rl.on('close', () => {
    // stdin closed (e.g. started from a script without input): keep serving until a signal.
  });
}

/**
 * What a person running `serve` must not miss, as it happens: a broker that stops on
 * its own (with the error, the file and what to do) and a disk that crosses the
 * free-space threshold either way.
 */
function reportBrokerChanges(engine: EngineHandle, first: ClusterSnapshot): void {
  const state = new Map(first.brokers.map((b) => [b.id, { state: b.state, low: b.disk?.low ?? false }]));
  let metadataProblem = first.metadataProblem;
  engine.onEvent((event) => {
    if (event.type !== 'snapshot') return;
    if (event.snapshot.metadataProblem !== metadataProblem) {
      metadataProblem = event.snapshot.metadataProblem;
      process.stdout.write(metadataProblem ? `${metadataProblem}\n` : 'The cluster metadata can be written again.\n');
    }
    for (const b of event.snapshot.brokers) {
      const before = state.get(b.id);
      const low = b.disk?.low ?? false;
      if (before && before.state !== b.state && b.state === 'failed' && b.failure) process.stdout.write(`${b.failure.reason} ${b.failure.nextStep}\n`);
      if (before && !before.low && low && b.disk) {
        process.stdout.write(`Broker ${b.id}: only ${formatBytes(b.disk.freeBytes)} free on the disk of ${b.disk.dataDir} (it keeps ${formatBytes(b.disk.minFreeBytes)} free): producing is refused until space is freed.\n`);
      }
      if (before && before.low && !low && b.state === 'up') process.stdout.write(`Broker ${b.id}: disk space is back above the threshold; producing works again.\n`);
      state.set(b.id, { state: b.state, low });
    }
  });
}

function startDesktop(electronPath: string, argv: string[]): void {
  // better-sqlite3 must be built for Electron's ABI: prepare that once, here in Node.
  let binding: string;
  try {
    const electronVersion = (JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
    binding = ensureElectronSqlite(PROJECT_ROOT, electronVersion, (line) => process.stderr.write(`${line}\n`));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const child = spawn(electronPath, [ELECTRON_MAIN, ...argv], { stdio: 'inherit', env: { ...process.env, SW_SQLITE_BINDING: binding } });
  const forward = (sig: NodeJS.Signals): void => void child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  let args: HostArgs;
  try {
    args = parseHostArgs(rest);
  } catch (err) {
    if (err instanceof ArgsError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  switch (command) {
    case 'start': {
      if (!args.web) {
        const electron = findElectron();
        if ('path' in electron) {
          startDesktop(electron.path, rest);
          return;
        }
        process.stderr.write(`Opening in web mode: ${electron.reason}.\n`);
      }
      await startWeb(args);
      return;
    }
    case 'serve':
      await serve(args);
      return;
    default:
      process.stderr.write(`Usage: cli.js start [--web] [--ui-port N] [--data-dir DIR] [--config KEY=VALUE]… [--config-file FILE]\n       cli.js serve [--brokers N] [--port P] [--data-dir DIR] [--no-ui] [--ui-port N] [--min-free-bytes SIZE] [--config KEY=VALUE]… [--config-file FILE]\n`);
      process.exit(2);
  }
}

main().catch(() => process.exit(1));
