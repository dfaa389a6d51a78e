import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebHost } from '../../../engine/host/web-host';

let dir: string;
let host: WebHost;

function get(urlPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // A raw path: no client-side normalisation of ../ segments.
    const req = http.request({ host: '127.0.0.1', port: host.port, path: urlPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-web-exports-'));
  fs.mkdirSync(path.join(dir, 'ui'));
  fs.writeFileSync(path.join(dir, 'ui', 'index.html'), '<!doctype html><title>ui</title>');
  fs.mkdirSync(path.join(dir, 'data', 'exports'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data', 'exports', 'orders-20240915T120000Z.jsonl'), '{"value":"x"}\n');
  fs.writeFileSync(path.join(dir, 'data', 'exports', 'half.jsonl.part'), 'partial');
  fs.writeFileSync(path.join(dir, 'data', 'metadata.db'), 'secret');
  host = await WebHost.start({ rendererDir: path.join(dir, 'ui'), port: 0, target: { call: async () => null, onEvent: () => () => undefined }, exportsDir: path.join(dir, 'data', 'exports') });
});

afterAll(async () => {
  await host.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('web host exports', () => {
  it('serves an exported file as a download', async () => {
    const r = await get('/exports/orders-20240915T120000Z.jsonl');
    expect(r.status).toBe(200);
    expect(r.body).toBe('{"value":"x"}\n');
    expect(r.headers['content-disposition']).toBe('attachment; filename="orders-20240915T120000Z.jsonl"');
    expect(r.headers['content-type']).toContain('application/x-ndjson');
  });

  it.each(['/exports/../metadata.db', '/exports/..%2Fmetadata.db', '/exports/%2e%2e%2fmetadata.db', '/exports/half.jsonl.part', '/exports/', '/exports/nope.jsonl', '/exports/sub/dir.jsonl'])('serves nothing else: %s', async (p) => {
    const r = await get(p);
    expect(r.status).not.toBe(200);
    expect(r.body).not.toContain('secret');
  });
});
