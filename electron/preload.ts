/**
 * Preload (sandboxed, context-isolated): puts exactly the contract on
 * `window.workbench`, one bridge method per command plus `onEvent`. No raw
 * ipcRenderer reaches the page and the IPC `event` object never does either: the
 * page gets plain values and plain error objects.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { COMMAND_NAMES } from '../engine/api/command-names';
import type { EngineEvent } from '../engine/api/contract';
import { CALL_CHANNEL, EVENT_CHANNEL, type IpcReply } from './ipc-channels';

const api: Record<string, unknown> = {};
for (const name of COMMAND_NAMES) {
  api[name] = async (args: unknown) => {
    const reply = (await ipcRenderer.invoke(CALL_CHANNEL, name, args)) as IpcReply;
    if (reply.ok) return reply.value;
    throw reply.error; // a plain { code, kafkaCode, message, field } object
  };
}
api.onEvent = (listener: (event: EngineEvent) => void) => {
  const handler = (_e: IpcRendererEvent, event: EngineEvent) => listener(event);
  ipcRenderer.on(EVENT_CHANNEL, handler);
  return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
};

contextBridge.exposeInMainWorld('workbench', api);
