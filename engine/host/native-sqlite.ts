/**
 * better-sqlite3 is a native addon built against one runtime's ABI. npm builds it for
 * Node (tests, web mode); the Electron app needs a second build against Electron's
 * ABI, kept apart so the Node build keeps working. This prepares that second build
 * once per Electron version, in `node_modules/.stream-workbench/`, and returns its
 * path for better-sqlite3's `nativeBinding` option.
 *
 * It tries better-sqlite3's own prebuilt download for Electron first, then a build
 * from source with node-gyp; each step's output goes to the log callback.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function electronSqliteBindingPath(projectRoot: string, electronVersion: string): string {
  return path.join(projectRoot, 'node_modules', '.stream-workbench', `electron-${electronVersion}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
}

export function ensureElectronSqlite(projectRoot: string, electronVersion: string, log: (line: string) => void): string {
  const target = electronSqliteBindingPath(projectRoot, electronVersion);
  if (fs.existsSync(target)) return target;
  const pkgDir = path.dirname(require.resolve('better-sqlite3/package.json', { paths: [projectRoot] }));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-sqlite-electron-'));
  try {
    fs.cpSync(pkgDir, work, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`) });
    log(`Preparing SQLite for Electron ${electronVersion} (once)…`);
    const bin = (name: string) => path.join(projectRoot, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
    // node-gyp: the one npm bundles (npm tells scripts where it is), run with this Node.
    const nodeGyp = process.env.npm_config_node_gyp;
    const attempts: [string, string[]][] = [
      [bin('prebuild-install'), ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`, `--platform=${process.platform}`]],
      ...(nodeGyp && fs.existsSync(nodeGyp)
        ? [[process.execPath, [nodeGyp, 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers']] as [string, string[]]]
        : []),
    ];
    for (const [cmd, args] of attempts) {
      if (!fs.existsSync(cmd)) continue;
      // ELECTRON_RUN_AS_NODE: when this runs inside Electron, its binary acts as Node for node-gyp.
      const r = spawnSync(cmd, args, { cwd: work, encoding: 'utf8', shell: process.platform === 'win32' && cmd.endsWith('.cmd'), env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
      const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
      if (r.status === 0 && fs.existsSync(built)) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(built, target);
        return target;
      }
      log(`${path.basename(cmd)} did not produce an Electron build: ${(r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n').slice(-3).join(' ')}`);
    }
    throw new Error(
      `Could not prepare SQLite for Electron ${electronVersion}. It needs either internet access (for a prebuilt binary) or a C++ toolchain (python3, make, a compiler). Meanwhile "npm start -- --web" runs the app in your browser.`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
