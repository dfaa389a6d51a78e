/**
 * `npm start` and `npm run serve`.
 *
 * start: the desktop app when an Electron binary and a display are present;
 *        otherwise (or with --web) the same UI in web mode: the engine in a worker
 *        thread, the web host on 127.0.0.1, and exactly one line on stdout:
 *        `Workbench UI: http://127.0.0.1:<port>/`. Runs until Ctrl-C.
 *
 * Shutdown closes the engine cleanly (its files are flushed) and releases the data
 * dir lock.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArgsError, DEFAULT_DATA_DIR, parseHostArgs, type HostArgs } from './args';
import { DataDirLock } from './data-dir-lock';
import { EngineHandle } from './engine-handle';
import { WebHost } from './web-host';

const DIST_DIR = path.resolve(__dirname, '..', '..');
const WORKER_PATH = path.join(DIST_DIR, 'engine', 'host', 'worker.js');
const RENDERER_DIR = path.join(DIST_DIR, 'renderer');
const ELECTRON_MAIN = path.join(DIST_DIR, 'electron', 'main.js');

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
  const dataDir = args.dataDir ?? DEFAULT_DATA_DIR;
  const lock = DataDirLock.acquire(dataDir);
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
    engine = await EngineHandle.start(WORKER_PATH, { dataDir, brokerCount: args.brokers, basePort: args.port });
    web = await WebHost.start({ rendererDir: RENDERER_DIR, port: args.uiPort, target: engine });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    await stop(1);
    return;
  }
  process.stdout.write(`Workbench UI: ${web.url}\n`);
}

function startDesktop(electronPath: string, argv: string[]): void {
  const child = spawn(electronPath, [ELECTRON_MAIN, ...argv], { stdio: 'inherit' });
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
    default:
      process.stderr.write(`Usage: cli.js start [--web] [--ui-port N] [--data-dir DIR]\n`);
      process.exit(2);
  }
}

void main();
