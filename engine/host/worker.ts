/**
 * The engine's worker thread entry. The host (Electron main or the web host) starts
 * this file in a `worker_threads` Worker, so the engine's work never blocks the UI
 * thread or the host's event loop.
 *
 * Messages in:  CallMessage {kind:'call', id, method, args} | {kind:'stop'}
 * Messages out: ResultMessage | EventMessage | {kind:'ready'} | {kind:'fatal', message} | {kind:'stopped'}
 *
 * Every call goes through api/dispatch (validation at the boundary). `ready` is sent
 * once the brokers' Kafka listeners have tried to open (a taken port is reported in
 * the cluster snapshot, not fatal).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CallMessage, HostMessage } from '../api/contract';
import { WorkbenchError } from '../api/errors';
import { Engine } from '../engine';
import type { WorkerOptions, WorkerOutMessage } from './engine-handle';

const port = parentPort;
if (!port) throw new Error('engine/host/worker must run in a worker thread');

const options = workerData as WorkerOptions;
const post = (msg: HostMessage | WorkerOutMessage): void => port.postMessage(msg);

async function start(): Promise<Engine> {
  const engine = new Engine({ listen: true, ...options, onEvent: (event) => post({ kind: 'event', event }), log: (line) => console.error(line) });
  await engine.listenersSettled();
  return engine;
}

start().then(
  (engine) => {
    port.on('message', (msg: CallMessage | { kind: 'stop' }) => {
      if (msg.kind === 'stop') {
        void engine.close().finally(() => {
          post({ kind: 'stopped' });
          port.close();
        });
        return;
      }
      if (msg.kind !== 'call') return;
      engine.call(msg.method, msg.args).then(
        (value) => post({ kind: 'result', id: msg.id, ok: true, value }),
        (err) => post({ kind: 'result', id: msg.id, ok: false, error: WorkbenchError.from(err).toData() }),
      );
    });
    post({ kind: 'ready' });
  },
  (err: unknown) => {
    post({ kind: 'fatal', message: err instanceof Error ? err.message : String(err) });
    port.close();
  },
);
