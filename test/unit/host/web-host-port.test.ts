import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebHost } from '../../../engine/host/web-host';

const target = { call: async () => null, onEvent: () => () => undefined };
let dir: string;
const open: { close(): Promise<void> | void }[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-web-port-'));
  fs.mkdirSync(path.join(dir, 'ui'));
  fs.writeFileSync(path.join(dir, 'ui', 'index.html'), '<!doctype html><title>ui</title>');
});

afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(port = 0): Promise<WebHost> {
  const host = await WebHost.start({ rendererDir: path.join(dir, 'ui'), port, target, rememberPortIn: path.join(dir, 'ui-port') });
  open.push(host);
  return host;
}

async function stop(host: WebHost): Promise<void> {
  open.splice(open.indexOf(host), 1);
  await host.close();
}

describe('the UI port of a data dir', () => {
  it('is remembered, so a restart keeps the same address', async () => {
    const first = await start();
    const port = first.port;
    expect(fs.readFileSync(path.join(dir, 'ui-port'), 'utf8').trim()).toBe(String(port));
    await stop(first);
    const second = await start();
    expect(second.port).toBe(port);
  });

  it('moves to a free port, and remembers that one, when the remembered port is taken', async () => {
    const first = await start();
    const port = first.port;
    await stop(first);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => squatter.close(() => resolve())) });
    const second = await start();
    expect(second.port).not.toBe(port);
    expect(fs.readFileSync(path.join(dir, 'ui-port'), 'utf8').trim()).toBe(String(second.port));
  });

  it('ignores a remembered port that is nonsense, and an explicit --ui-port is not overridden', async () => {
    fs.writeFileSync(path.join(dir, 'ui-port'), 'not a port\n');
    const first = await start();
    expect(first.port).toBeGreaterThan(0);
    await stop(first);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as net.AddressInfo).port;
    open.push({ close: () => new Promise<void>((resolve) => squatter.close(() => resolve())) });
    await expect(start(taken)).rejects.toThrow(`Port ${taken} on 127.0.0.1 is already in use`);
  });
});
