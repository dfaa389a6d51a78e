/**
 * The desktop host's IPC binding (electron/ipc.ts) with a fake ipcMain and window, so
 * it runs without the Electron binary: a call is answered only when it comes from the
 * main frame of our own window showing our own renderer file, and only for a contract
 * command; errors come back as plain contract errors; events go to our window only
 * while it exists; unbinding removes the handler.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../../engine/api/command-names';
import type { EngineEvent } from '../../../engine/api/contract';
import { WorkbenchError } from '../../../engine/api/errors';
import { CALL_CHANNEL, EVENT_CHANNEL, type IpcReply } from '../../../electron/ipc-channels';
import { bindIpc, type CallTarget, type FrameLike, type InvokeEventLike, type IpcMainLike, type WindowLike } from '../../../electron/ipc';

const RENDERER_URL = 'file:///app/dist/renderer/index.html';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: InvokeEventLike, method: unknown, args: unknown) => Promise<IpcReply>>();
  handle(channel: string, listener: (event: InvokeEventLike, method: unknown, args: unknown) => Promise<IpcReply>): void {
    if (this.handlers.has(channel)) throw new Error(`a handler for ${channel} is already registered`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(event: InvokeEventLike, method: unknown, args?: unknown): Promise<IpcReply> {
    const h = this.handlers.get(CALL_CHANNEL);
    if (!h) throw new Error('no handler');
    return h(event, method, args);
  }
}

function fakeWindow() {
  const mainFrame: FrameLike & { url: string } = { url: RENDERER_URL };
  const sent: { channel: string; args: unknown[] }[] = [];
  let destroyed = false;
  const win: WindowLike = {
    isDestroyed: () => destroyed,
    webContents: { mainFrame, send: (channel, ...args) => void sent.push({ channel, args }) },
  };
  return { win, mainFrame, sent, destroy: () => void (destroyed = true) };
}

function fakeTarget(answer: (method: string, args: unknown) => Promise<unknown> = async (method) => ({ method })) {
  const calls: { method: string; args: unknown }[] = [];
  const listeners = new Set<(event: EngineEvent) => void>();
  const target: CallTarget = {
    call: (method, args) => {
      calls.push({ method, args });
      return answer(method, args);
    },
    onEvent: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { target, calls, listeners, emit: (e: EngineEvent) => listeners.forEach((l) => l(e)) };
}

function setup(answer?: (method: string, args: unknown) => Promise<unknown>) {
  const ipc = new FakeIpcMain();
  const w = fakeWindow();
  const t = fakeTarget(answer);
  const unbind = bindIpc(ipc, w.win, RENDERER_URL, t.target);
  const fromOurWindow: InvokeEventLike = { sender: w.win.webContents, senderFrame: w.mainFrame };
  return { ipc, ...w, ...t, unbind, fromOurWindow };
}

describe('electron IPC binding', () => {
  it('answers a contract command from the main frame of our own window', async () => {
    const s = setup();
    const reply = await s.ipc.invoke(s.fromOurWindow, 'createTopic', { name: 't' });
    expect(reply).toEqual({ ok: true, value: { method: 'createTopic' } });
    expect(s.calls).toEqual([{ method: 'createTopic', args: { name: 't' } }]);
  });

  it('accepts our renderer file with a hash or a query string', async () => {
    const s = setup();
    s.mainFrame.url = `${RENDERER_URL}#/topics`;
    expect((await s.ipc.invoke(s.fromOurWindow, 'getCluster', {})).ok).toBe(true);
    s.mainFrame.url = `${RENDERER_URL}?x=1`;
    expect((await s.ipc.invoke(s.fromOurWindow, 'getCluster', {})).ok).toBe(true);
  });

  it.each([
    ['another window or webContents', (s: ReturnType<typeof setup>) => ({ sender: {}, senderFrame: s.mainFrame })],
    ['a subframe of our window', (s: ReturnType<typeof setup>) => ({ sender: s.win.webContents, senderFrame: { url: RENDERER_URL } })],
    ['a frame that is gone', (s: ReturnType<typeof setup>) => ({ sender: s.win.webContents, senderFrame: null })],
  ])('refuses a call from %s and does not reach the engine', async (_what, event) => {
    const s = setup();
    const reply = await s.ipc.invoke(event(s), 'deleteTopic', { name: 't' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('only from the Stream Workbench window') } });
    expect(s.calls).toEqual([]);
  });

  it('refuses a call once the main frame shows another page, or the window is destroyed', async () => {
    const s = setup();
    s.mainFrame.url = 'https://example.com/';
    expect(await s.ipc.invoke(s.fromOurWindow, 'getCluster', {})).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    s.mainFrame.url = 'file:///elsewhere/index.html';
    expect(await s.ipc.invoke(s.fromOurWindow, 'getCluster', {})).toMatchObject({ ok: false });
    s.mainFrame.url = RENDERER_URL;
    s.destroy();
    expect(await s.ipc.invoke(s.fromOurWindow, 'getCluster', {})).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(s.calls).toEqual([]);
  });

  it('refuses what is not a contract command, whatever its type', async () => {
    const s = setup();
    for (const method of ['eval', 'constructor', '__proto__', 42, null, undefined, { toString: () => 'getCluster' }]) {
      expect(await s.ipc.invoke(s.fromOurWindow, method, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    }
    expect(s.calls).toEqual([]);
    for (const method of COMMAND_NAMES) expect((await s.ipc.invoke(s.fromOurWindow, method, {})).ok).toBe(true);
  });

  it("returns the engine's refusal as a plain contract error, and anything else as UNKNOWN_SERVER_ERROR", async () => {
    const s = setup(async (method) => {
      if (method === 'createTopic') throw new WorkbenchError('TOPIC_ALREADY_EXISTS', 'Topic "t" already exists.', 'name');
      throw new Error('boom');
    });
    const refused = await s.ipc.invoke(s.fromOurWindow, 'createTopic', { name: 't' });
    expect(refused).toEqual({ ok: false, error: { code: 'TOPIC_ALREADY_EXISTS', kafkaCode: 36, message: 'Topic "t" already exists.', field: 'name' } });
    expect(Object.getPrototypeOf((refused as { error: object }).error)).toBe(Object.prototype);
    const failed = await s.ipc.invoke(s.fromOurWindow, 'deleteTopic', { name: 't' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SERVER_ERROR', message: expect.stringContaining('boom') } });
  });

  it('sends engine events to our window while it exists, and unbinding stops calls and events', async () => {
    const s = setup();
    s.emit({ type: 'engine-restarted' });
    expect(s.sent).toEqual([{ channel: EVENT_CHANNEL, args: [{ type: 'engine-restarted' }] }]);
    s.destroy();
    s.emit({ type: 'engine-restarted' });
    expect(s.sent).toHaveLength(1);

    s.unbind();
    expect(s.ipc.handlers.has(CALL_CHANNEL)).toBe(false);
    expect(s.listeners.size).toBe(0);
  });
});
