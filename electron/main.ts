/**
 * Electron main: one window, one engine.
 *
 * Lifecycle: single instance (a second launch focuses the first window); the engine
 * runs in a worker thread started here (never on this thread); the window is
 * sandboxed and context-isolated, loads only our own renderer file, and may not
 * navigate, open windows or ask for permissions. Quitting closes the engine cleanly
 * before the process exits.
 *
 * Flags (as `npm start` passes them): --data-dir DIR (default: <userData>/data),
 * --brokers N, --port P. Chromium's own switches are ignored here.
 */
import { app, BrowserWindow, dialog, ipcMain, screen, session, shell } from 'electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { clusterConfigFrom, parseHostArgs, type HostArgs } from '../engine/host/args';
import { DataDirLock } from '../engine/host/data-dir-lock';
import { EngineHandle } from '../engine/host/engine-handle';
import { electronSqliteBindingPath, ensureElectronSqlite } from '../engine/host/native-sqlite';
import { bindIpc } from './ipc';
import { loadWindowState, trackWindowState } from './window-state';

const DIST_DIR = path.resolve(__dirname, '..');
const PROJECT_ROOT = path.resolve(DIST_DIR, '..');
const RENDERER_INDEX = path.join(DIST_DIR, 'renderer', 'index.html');
const RENDERER_URL = pathToFileURL(RENDERER_INDEX).href;
const WORKER_PATH = path.join(DIST_DIR, 'engine', 'host', 'worker.js');
const PRELOAD_PATH = path.join(DIST_DIR, 'electron', 'preload.js');

let engine: EngineHandle | null = null;
let lock: DataDirLock | null = null;
let mainWindow: BrowserWindow | null = null;
let quitting = false;

function parseArgs(): HostArgs {
  const ours = new Set(['--data-dir', '--brokers', '--port', '--ui-port', '--web', '--no-ui', '--min-free-bytes', '--config', '--config-file']);
  const argv = process.argv.slice(app.isPackaged ? 1 : 2);
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].split('=')[0];
    if (!ours.has(flag)) continue;
    kept.push(argv[i]);
    if (!argv[i].includes('=') && !['--web', '--no-ui'].includes(flag) && i + 1 < argv.length) kept.push(argv[++i]);
  }
  return parseHostArgs(kept);
}

function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the user's browser, never in the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (url !== RENDERER_URL) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function createWindow(): BrowserWindow {
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const state = loadWindowState(app.getPath('userData'), displays);
  const win = new BrowserWindow({
    ...(state.positioned ? state.bounds : { width: state.bounds.width, height: state.bounds.height }),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Stream Workbench',
    backgroundColor: '#0f1216',
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  trackWindowState(win, app.getPath('userData'));
  win.once('ready-to-show', () => win.show());
  void win.loadFile(RENDERER_INDEX);
  return win;
}

async function start(): Promise<void> {
  const args = parseArgs();
  const dataDir = args.dataDir ?? path.join(app.getPath('userData'), 'data');
  hardenSessions();
  lock = DataDirLock.acquire(dataDir);
  // `npm start` prepares better-sqlite3 for Electron's ABI and names it; started any other
  // way (tests), the build is prepared here if it is missing.
  const electronVersion = process.versions.electron;
  const sqliteNativeBinding =
    process.env.SW_SQLITE_BINDING ??
    (fs.existsSync(electronSqliteBindingPath(PROJECT_ROOT, electronVersion))
      ? electronSqliteBindingPath(PROJECT_ROOT, electronVersion)
      : ensureElectronSqlite(PROJECT_ROOT, electronVersion, (line) => console.log(line)));
  engine = await EngineHandle.start(WORKER_PATH, { dataDir, brokerCount: args.brokers, basePort: args.port, sqliteNativeBinding, clusterConfig: clusterConfigFrom(args) });
  mainWindow = createWindow();
  bindIpc(ipcMain, mainWindow, RENDERER_URL, engine);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (quitting || !engine) {
      lock?.release();
      return;
    }
    // Close the engine cleanly (files flushed) before the process goes away.
    event.preventDefault();
    quitting = true;
    void engine.stop().finally(() => {
      lock?.release();
      app.quit();
    });
  });
  app.whenReady().then(start).catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    dialog.showErrorBox('Stream Workbench could not start', message);
    lock?.release();
    app.exit(1);
  });
}
