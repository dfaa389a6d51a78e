/**
 * Starts the real headless cluster for interop tests — `node dist/engine/host/cli.js
 * serve --no-ui` on a temporary data dir, exactly what `npm run serve` runs — and
 * drives its stdin commands (kill N, restart N, …). Ports: 9092-9094 when asked for
 * and free (so the guide's code runs verbatim), else three free consecutive ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threeFreePorts } from '../support/ports';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'engine', 'host', 'cli.js');
export const PYTHON = '/usr/bin/python3';

export function built(): boolean {
  return fs.existsSync(CLI) && fs.readFileSync(CLI, 'utf8').includes('Bootstrap: ');
}

export interface Served {
  port: number;
  bootstrap: string;
  dataDir: string;
  /** Sends a stdin command and resolves with the first line it prints. */
  command(line: string): Promise<string>;
  output(): string;
  /** Stops the server; its data dir is removed unless `keepDataDir` (to serve it again). */
  stop(opts?: { keepDataDir?: boolean }): Promise<void>;
}

export async function serve(opts: { prefer9092?: boolean; extraArgs?: string[]; dataDir?: string } = {}): Promise<Served> {
  const port = await threeFreePorts({ prefer9092: opts.prefer9092 });
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sw-interop-'));
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--no-ui', '--port', String(port), '--data-dir', dataDir, ...(opts.extraArgs ?? [])], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: ((line: string) => void)[] = [];
  let pending = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    pending += c.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line.startsWith('Bootstrap:')) waiters.shift()?.(line);
    }
  });
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its bootstrap line:\n${out}`)), 30_000);
    const check = () => {
      if (/Bootstrap: \S+/.test(out)) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with code ${code}:\n${out}`));
    });
  });
  const bootstrap = /Bootstrap: (\S+)/.exec(out)![1];
  return {
    port,
    bootstrap,
    dataDir,
    output: () => out,
    command: (line) =>
      new Promise((resolve) => {
        waiters.push(resolve);
        child.stdin!.write(`${line}\n`);
      }),
    stop: async (stopOpts = {}) => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!stopOpts.keepDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether Debian's Python Kafka modules are importable with /usr/bin/python3. */
export function pythonHas(module: string): boolean {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const r = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
  return r.status === 0;
}

/** Runs a Python program with /usr/bin/python3; its exit code and output. */
export function runPython(code: string, opts: { timeoutMs?: number } = {}): { code: number; out: string; err: string } {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: opts.timeoutMs ?? 90_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

export function which(cmd: string): boolean {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}
