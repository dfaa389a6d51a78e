/**
 * The IPC binding in main: one handler for contract calls, one channel for events.
 *
 * Each call is accepted only from the main frame of our own window, showing our own
 * renderer file (a navigated or injected frame gets nothing), and only for a contract
 * command; its arguments are then validated by the engine's boundary (dispatch).
 *
 * It depends on the few members of Electron's ipcMain, BrowserWindow and invoke event
 * it uses (the *Like interfaces below, which the real ones satisfy: main.ts passes
 * them), so the sender check runs in unit tests without the Electron binary.
 */
import { COMMAND_NAMES } from '../engine/api/command-names';
import type { EngineEvent } from '../engine/api/contract';
import { WorkbenchError } from '../engine/api/errors';
import { CALL_CHANNEL, EVENT_CHANNEL, type IpcReply } from './ipc-channels';

export interface CallTarget {
  call(method: string, args: unknown): Promise<unknown>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** What bindIpc uses of a frame (Electron's WebFrameMain). */
export interface FrameLike {
  readonly url: string;
}

/** What bindIpc uses of an invoke event (Electron's IpcMainInvokeEvent). */
export interface InvokeEventLike {
  readonly sender: unknown;
  readonly senderFrame: FrameLike | null;
}

/** What bindIpc uses of Electron's ipcMain. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, method: unknown, args: unknown) => Promise<IpcReply>): void;
  removeHandler(channel: string): void;
}

/** What bindIpc uses of the window (Electron's BrowserWindow). */
export interface WindowLike {
  isDestroyed(): boolean;
  readonly webContents: { readonly mainFrame: FrameLike; send(channel: string, ...args: unknown[]): void };
}

export function bindIpc(ipcMain: IpcMainLike, win: WindowLike, rendererUrl: string, target: CallTarget): () => void {
  const allowed = new Set<string>(COMMAND_NAMES);
  const trusted = (event: InvokeEventLike): boolean => {
    const frame = event.senderFrame;
    return (
      !win.isDestroyed() &&
      event.sender === win.webContents &&
      frame !== null &&
      frame === win.webContents.mainFrame &&
      frame.url.split('#')[0].split('?')[0] === rendererUrl
    );
  };
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, args: unknown): Promise<IpcReply> => {
    if (!trusted(event)) {
      return { ok: false, error: new WorkbenchError('INVALID_REQUEST', 'Calls are accepted only from the Stream Workbench window.').toData() };
    }
    if (typeof method !== 'string' || !allowed.has(method)) {
      return { ok: false, error: new WorkbenchError('UNKNOWN_COMMAND', `"${String(method)}" is not a command.`).toData() };
    }
    try {
      return { ok: true, value: await target.call(method, args) };
    } catch (err) {
      return { ok: false, error: WorkbenchError.from(err).toData() };
    }
  });
  const unsubscribe = target.onEvent((event) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    unsubscribe();
  };
}
