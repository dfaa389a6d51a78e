/**
 * A host's handle on the engine running in a worker thread.
 *
 * Calls are correlated by id; each pending call is settled exactly once: by its
 * result, or with ENGINE_CRASHED if the worker dies first. Events from the worker are
 * fanned out to listeners. If the worker dies unexpectedly, listeners get an
 * `engine-crashed` event and `restart()` (the contract's restartEngine) starts a
 * fresh worker on the same data dir.
 *
 * Bounds: at most MAX_PENDING_CALLS calls in flight; more are refused with BUSY.
 */
import { Worker } from 'node:worker_threads';
import type { EngineEvent, HostMessage } from '../api/contract';
import { WorkbenchError } from '../api/errors';
import type { EngineOptions } from '../engine';

/** The serialisable part of EngineOptions that a worker receives. */
export type WorkerOptions = Omit<EngineOptions, 'clock' | 'random' | 'onEvent' | 'log'>;
export type WorkerOutMessage = { kind: 'ready' } | { kind: 'fatal'; message: string } | { kind: 'stopped' };

export const MAX_PENDING_CALLS = 1024;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: WorkbenchError) => void;
}

export class EngineHandle {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private nextId = 1;
  private stopping = false;
  private crashed: string | null = null;

  private constructor(private readonly workerPath: string, private readonly options: WorkerOptions) {}

  /** Starts the engine worker and resolves once the engine has opened its data dir. */
  static async start(workerPath: string, options: WorkerOptions): Promise<EngineHandle> {
    const handle = new EngineHandle(workerPath, options);
    await handle.spawn();
    return handle;
  }

  private spawn(): Promise<void> {
    this.crashed = null;
    const worker = new Worker(this.workerPath, { workerData: this.options });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (msg: HostMessage | WorkerOutMessage) => {
        switch (msg.kind) {
          case 'ready':
            ready = true;
            resolve();
            break;
          case 'fatal':
            reject(new WorkbenchError('ENGINE_NOT_RUNNING', `The engine could not start: ${msg.message}`));
            break;
          case 'stopped':
            break;
          case 'event':
            this.emit(msg.event);
            break;
          case 'result': {
            const p = this.pending.get(msg.id);
            if (!p) break;
            this.pending.delete(msg.id);
            if (msg.ok) p.resolve(msg.value);
            else p.reject(WorkbenchError.fromData(msg.error));
            break;
          }
        }
      });
      worker.on('error', (err: unknown) => {
        const reason = describeThrown(err);
        if (!ready) reject(new WorkbenchError('ENGINE_NOT_RUNNING', `The engine could not start: ${reason}`));
        this.onWorkerGone(reason);
      });
      worker.on('exit', (code) => {
        if (!ready) reject(new WorkbenchError('ENGINE_NOT_RUNNING', `The engine exited while starting (code ${code}).`));
        this.onWorkerGone(`the engine thread exited with code ${code}`);
      });
    });
  }

  private onWorkerGone(reason: string): void {
    if (this.worker === null) return;
    this.worker = null;
    const err = this.stopping
      ? new WorkbenchError('ENGINE_NOT_RUNNING', 'The engine has stopped.')
      : new WorkbenchError('ENGINE_CRASHED', `The engine crashed (${reason}). Restart it to continue; your data is kept.`);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (!this.stopping) {
      this.crashed = reason;
      this.emit({ type: 'engine-crashed', message: err.message });
    }
  }

  private emit(event: EngineEvent): void {
    for (const l of this.listeners) l(event);
  }

  get crashReason(): string | null {
    return this.crashed;
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends one contract call to the engine. Host-level commands are handled here. */
  call(method: string, args: unknown): Promise<unknown> {
    if (method === 'restartEngine') return this.restart().then(() => ({ restarted: true }));
    const worker = this.worker;
    if (!worker) {
      return Promise.reject(
        this.crashed !== null
          ? new WorkbenchError('ENGINE_CRASHED', `The engine crashed (${this.crashed}). Restart it to continue; your data is kept.`)
          : new WorkbenchError('ENGINE_NOT_RUNNING', 'The engine is not running.'),
      );
    }
    if (this.pending.size >= MAX_PENDING_CALLS) {
      return Promise.reject(new WorkbenchError('BUSY', `The engine has ${MAX_PENDING_CALLS} calls in progress. Wait for some to finish and try again.`));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ kind: 'call', id, method, args });
    });
  }

  /** Stops a running worker (if any) and starts a fresh one on the same data dir. */
  async restart(): Promise<void> {
    if (this.worker) await this.stop();
    this.stopping = false;
    await this.spawn();
    this.emit({ type: 'engine-restarted' });
  }

  /** Closes the engine cleanly (flushes and closes its files), then ends the worker. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.stopping = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate(), 10_000);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage({ kind: 'stop' });
    });
  }
}

/**
 * What an error thrown in the worker says. Errors cross the thread boundary by
 * structured clone, which can drop a subclass's message (a SqliteError arrives as a
 * plain object): fall back to its code, then to its text.
 */
export function describeThrown(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; code?: unknown; name?: unknown };
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : null;
    const code = typeof e.code === 'string' ? e.code : null;
    if (message && code && !message.includes(code)) return `${code}: ${message}`;
    if (message) return message;
    if (code) return code;
  }
  const text = String(err);
  return text === '[object Object]' ? 'an unknown error' : text;
}
