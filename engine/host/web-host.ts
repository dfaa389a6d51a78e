/**
 * The web host: serves the built renderer on 127.0.0.1 and carries the contract over
 * one WebSocket per page (`/api`), for machines without an Electron binary and for
 * browser tests. Same renderer, same contract, second transport.
 *
 * Protocol on the socket (JSON text frames):
 *   page → host: CallMessage {kind:'call', id, method, args}
 *   host → page: ResultMessage {kind:'result', id, ok, value|error} | EventMessage
 *
 * Security: listens on 127.0.0.1 only; WebSocket upgrades are accepted only from
 * this host's own origin (a page on another site cannot drive the engine); every
 * response carries a strict Content-Security-Policy.
 *
 * Exports: GET /exports/<file> serves a file the engine exported (JSONL/CSV) from the
 * data dir's exports folder, as a download: only plain file names directly in that
 * folder, nothing else on disk.
 *
 * Bounds: frames over MAX_FRAME_BYTES are refused by closing the socket; at most
 * MAX_CALLS_PER_SOCKET calls in flight per socket (more get BUSY); a page that reads
 * slowly skips snapshots (they are state, the next one supersedes) instead of making
 * the host buffer without bound.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallMessage, EngineEvent, HostMessage } from '../api/contract';
import { WorkbenchError } from '../api/errors';

export interface ContractTarget {
  call(method: string, args: unknown): Promise<unknown>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

export interface WebHostOptions {
  /** The folder holding the built renderer (index.html and assets/). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  target: ContractTarget;
  /** The folder the engine writes exports to (`<data dir>/exports`), served under /exports/. */
  exportsDir?: string;
  /**
   * A file that remembers the port (one line, the number): with port 0, the port it
   * names is tried first, so the UI keeps its address across restarts of the same data
   * dir; if that port is taken, a free one is picked and remembered instead.
   */
  rememberPortIn?: string;
}

/** The port a previous start remembered in `file`, or 0 when there is none (or nonsense). */
function rememberedPort(file: string | undefined): number {
  if (!file) return 0;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    return 0;
  }
  const n = /^\d{1,5}$/.test(text) ? Number(text) : 0;
  return n >= 1024 && n <= 65535 ? n : 0;
}

export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
export const MAX_CALLS_PER_SOCKET = 256;
/** A socket with more than this queued is skipped for snapshot events. */
const SLOW_SOCKET_BYTES = 4 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export class WebHost {
  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
    private readonly unsubscribe: () => void,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  static async start(options: WebHostOptions): Promise<WebHost> {
    const indexPath = path.join(options.rendererDir, 'index.html');
    if (!fs.existsSync(indexPath)) {
      throw new Error(`The UI is not built (${indexPath} is missing). Run "npm run build" first.`);
    }
    let port = options.port;
    const server = http.createServer((req, res) => {
      if (options.exportsDir && (req.url ?? '').startsWith('/exports/')) serveExport(options.exportsDir, port, req, res);
      else serveStatic(options.rendererDir, port, req, res);
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/api' || !isOwnOrigin(req.headers.origin, port)) {
        socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    });
    wss.on('connection', (ws: WebSocket) => serveSocket(ws, options.target));

    const listen = (at: number): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException): void => reject(err);
        server.once('error', onError);
        server.listen(at, '127.0.0.1', () => {
          server.off('error', onError);
          resolve();
        });
      });
    const remembered = options.port === 0 ? rememberedPort(options.rememberPortIn) : 0;
    try {
      if (remembered === 0) {
        await listen(options.port);
      } else {
        // The address of the last start, if it is still free; else any free port.
        await listen(remembered).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'EADDRINUSE' && err.code !== 'EACCES') throw err;
          return listen(0);
        });
      }
    } catch (err) {
      throw (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? new Error(`Port ${options.port} on 127.0.0.1 is already in use. Pick another with --ui-port, or stop what is using it.`)
        : err;
    }
    port = (server.address() as AddressInfo).port;
    if (options.rememberPortIn && options.port === 0) {
      try {
        fs.writeFileSync(options.rememberPortIn, `${port}\n`);
      } catch {
        // Not remembering the port only costs the next start its old address.
      }
    }

    const unsubscribe = options.target.onEvent((event) => {
      const text = JSON.stringify({ kind: 'event', event } satisfies HostMessage);
      for (const client of wss.clients) {
        if (client.readyState !== client.OPEN) continue;
        if (event.type === 'snapshot' && client.bufferedAmount > SLOW_SOCKET_BYTES) continue;
        client.send(text);
      }
    });
    return new WebHost(server, wss, port, unsubscribe);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function isOwnOrigin(origin: string | undefined, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function serveSocket(ws: WebSocket, target: ContractTarget): void {
  let inFlight = 0;
  const reply = (msg: HostMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  ws.on('message', (data, isBinary) => {
    let msg: CallMessage;
    try {
      if (isBinary) throw new Error('binary frame');
      msg = JSON.parse(data.toString()) as CallMessage;
      if (msg === null || msg.kind !== 'call' || !Number.isSafeInteger(msg.id) || typeof msg.method !== 'string') throw new Error('not a call');
    } catch {
      ws.close(1003, 'Expected a JSON call message.');
      return;
    }
    if (inFlight >= MAX_CALLS_PER_SOCKET) {
      reply({ kind: 'result', id: msg.id, ok: false, error: new WorkbenchError('BUSY', 'Too many calls in progress from this page. Wait for some to finish.').toData() });
      return;
    }
    inFlight++;
    target.call(msg.method, msg.args).then(
      (value) => reply({ kind: 'result', id: msg.id, ok: true, value }),
      (err) => reply({ kind: 'result', id: msg.id, ok: false, error: WorkbenchError.from(err).toData() }),
    ).finally(() => inFlight--);
  });
}

function baseHeaders(port: number): http.OutgoingHttpHeaders {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

/** An exported file, as a download. Only `[A-Za-z0-9._-]+` names of files directly in `dir`. */
function serveExport(dir: string, port: number, req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers = baseHeaders(port);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end('Method not allowed');
    return;
  }
  let name: string;
  try {
    name = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname.slice('/exports/'.length));
  } catch {
    res.writeHead(400, headers).end('Bad request');
    return;
  }
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.') || name.endsWith('.part')) {
    res.writeHead(404, headers).end('Not found');
    return;
  }
  const file = path.join(dir, name);
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
      res.writeHead(404, headers).end('Not found');
      return;
    }
    const type = name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': st.size, 'Content-Disposition': `attachment; filename="${name}"` });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
}

function serveStatic(root: string, port: number, req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers = baseHeaders(port);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end('Method not allowed');
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    res.writeHead(400, headers).end('Bad request');
    return;
  }
  if (pathname === '/') pathname = '/index.html';
  const file = path.normalize(path.join(root, pathname));
  if (!file.startsWith(path.normalize(root + path.sep))) {
    res.writeHead(403, headers).end('Forbidden');
    return;
  }
  fs.readFile(file, (err, body) => {
    if (err) {
      // Unknown paths get the app (client-side routes), real asset misses a 404.
      if (pathname.startsWith('/assets/')) {
        res.writeHead(404, headers).end('Not found');
        return;
      }
      fs.readFile(path.join(root, 'index.html'), (err2, index) => {
        if (err2) res.writeHead(500, headers).end('UI files are missing');
        else res.writeHead(200, { ...headers, 'Content-Type': MIME['.html'] }).end(req.method === 'HEAD' ? undefined : index);
      });
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
