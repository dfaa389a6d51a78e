/**
 * Starts the real web host (`node dist/engine/host/cli.js start --web`) on a free
 * port and a given data dir, the way a user's `npm start` does, and stops it again.
 * Used by the browser scenarios and the UI benches.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'engine', 'host', 'cli.js');

export interface RunningHost {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export function tempDataDir(prefix = 'sw-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startWebHost(dataDir: string, extraArgs: string[] = [], startTimeoutMs = 30_000): Promise<RunningHost> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first.`);
  const child = spawn(process.execPath, [CLI, 'start', '--web', '--ui-port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not print its URL in time:\n${out}`)), startTimeoutMs);
    const check = () => {
      const m = /Workbench UI: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with code ${code}:\n${out}`));
    });
  });
  return {
    url,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
