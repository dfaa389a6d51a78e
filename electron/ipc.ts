/**
 * The IPC binding in main: one handler for contract calls, one channel for events.
 *
 * Each call is accepted only from the main frame of our own window, showing our own
 * renderer file (a navigated or injected frame gets nothing), and only for a contract
 * command; its arguments are then validated by the engine's boundary (dispatch).
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { COMMAND_NAMES } from '../engine/api/command-names';
import type { EngineEvent } from '../engine/api/contract';
import { WorkbenchError } from '../engine/api/errors';
import { CALL_CHANNEL, EVENT_CHANNEL, type IpcReply } from './ipc-channels';

export interface CallTarget {
  call(method: string, args: unknown): Promise<unknown>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

export function bindIpc(ipcMain: IpcMain, win: BrowserWindow, rendererUrl: string, target: CallTarget): () => void {
  const allowed = new Set<string>(COMMAND_NAMES);
  const trusted = (event: IpcMainInvokeEvent): boolean => {
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
