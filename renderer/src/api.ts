/**
 * How the renderer reaches the engine: through the contract, over whichever
 * transport the host provides. In the desktop app the preload script has put the
 * contract on `window.workbench`; in web mode the same calls go over one WebSocket.
 * Everything above this file sees only `WorkbenchApi`, and only the store calls it
 * (store/api.ts).
 */
import type { CallMessage, EngineEvent, HostMessage, WorkbenchApi } from '../../engine/api/contract';
import type { WorkbenchErrorData } from '../../engine/api/errors';

declare global {
  interface Window {
    workbench?: WorkbenchApi;
  }
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Connection {
  api: WorkbenchApi;
  onState(listener: (state: ConnectionState) => void): () => void;
}

export function connect(): Connection {
  if (window.workbench) {
    return { api: window.workbench, onState: (l) => (l('open'), () => undefined) };
  }
  return connectWebSocket(`ws://${location.host}/api`);
}

const RECONNECT_MAX_MS = 5000;

function connectWebSocket(url: string): Connection {
  const eventListeners = new Set<(e: EngineEvent) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: WorkbenchErrorData) => void }>();
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let backoffMs = 250;
  const queue: CallMessage[] = [];

  const setState = (s: ConnectionState): void => {
    state = s;
    for (const l of stateListeners) l(s);
  };

  const open = (): void => {
    setState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      backoffMs = 250;
      setState('open');
      for (const msg of queue.splice(0)) ws.send(JSON.stringify(msg));
    };
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as HostMessage;
      if (msg.kind === 'event') {
        for (const l of eventListeners) l(msg.event);
      } else if (msg.kind === 'result') {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(msg.error);
      }
    };
    ws.onclose = () => {
      socket = null;
      for (const p of pending.values()) {
        p.reject({ code: 'ENGINE_NOT_RUNNING', kafkaCode: -1, message: 'Lost the connection to the workbench. Reconnecting…' });
      }
      pending.clear();
      setState('closed');
      setTimeout(open, backoffMs);
      backoffMs = Math.min(RECONNECT_MAX_MS, backoffMs * 2);
    };
  };
  open();

  const call = (method: string, args: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const msg: CallMessage = { kind: 'call', id, method, args };
      pending.set(id, { resolve, reject });
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
      else if (queue.length < 100) queue.push(msg);
      else {
        pending.delete(id);
        reject({ code: 'ENGINE_NOT_RUNNING', kafkaCode: -1, message: 'Not connected to the workbench yet. Try again in a moment.' });
      }
    });

  const onEvent = (listener: (e: EngineEvent) => void): (() => void) => {
    eventListeners.add(listener);
    return () => eventListeners.delete(listener);
  };

  const api = new Proxy({} as WorkbenchApi, {
    get: (_target, name) => (name === 'onEvent' ? onEvent : (args: unknown) => call(String(name), args)),
  });
  return {
    api,
    onState: (l) => {
      stateListeners.add(l);
      l(state);
      return () => stateListeners.delete(l);
    },
  };
}
