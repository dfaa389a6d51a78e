/**
 * Shared setup for the consume tests: a real three-broker engine on a temp data dir
 * (no Kafka listeners unless asked), and a fast way to write records through the
 * leaders' produce path.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dispatch } from '../../../engine/api/dispatch';
import type { CommandArgs, CommandName, CommandResults } from '../../../engine/api/contract';
import { Engine } from '../../../engine/engine';
import { buildBatch, type RecordSpec } from '../../../engine/storage/record-batch';
import type { CodecId } from '../../../engine/storage/compression';
import { SeededRandom } from '../../../engine/util/random';

// Quick replication, but a session timeout that survives a busy machine (tests run in parallel).
export const FAST = { brokerHeartbeatIntervalMs: 50, brokerSessionTimeoutMs: 5000, replicaFetchWaitMaxMs: 50, metadataFetchWaitMs: 100 };

export interface TestEngine {
  engine: Engine;
  dir: string;
  call<K extends CommandName>(method: K, args: CommandArgs<K>): Promise<CommandResults[K]>;
  close(): Promise<void>;
}

export function openEngine(opts: { listen?: boolean; basePort?: number } = {}): TestEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-consume-'));
  const engine = new Engine({ dataDir: dir, random: new SeededRandom(7), clusterConfig: FAST, listen: opts.listen ?? false, basePort: opts.basePort });
  return {
    engine,
    dir,
    call: (method, args) => dispatch(engine.commands, method, args) as never,
    close: async () => {
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Rec {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  timestampMs: number;
  headers?: { key: string; value: string | null }[];
}

function bytes(v: string | Buffer | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8');
}

/** Appends `records` to one partition as batches of `perBatch`, through the leader (acks=all). */
export async function write(t: TestEngine, topic: string, partition: number, records: Rec[], opts: { perBatch?: number; compression?: CodecId } = {}): Promise<void> {
  const per = opts.perBatch ?? 100;
  for (let i = 0; i < records.length; i += per) {
    const specs: RecordSpec[] = records.slice(i, i + per).map((r) => ({
      key: bytes(r.key),
      value: bytes(r.value),
      timestampMs: r.timestampMs,
      headers: (r.headers ?? []).map((h) => ({ key: h.key, value: bytes(h.value) })),
    }));
    const batch = await buildBatch({ records: specs, compression: opts.compression });
    const res = await t.engine.io.append(topic, partition, batch);
    if (res.errorCode !== 0) throw new Error(`append failed: ${res.errorCode} ${res.errorMessage}`);
  }
}

/** Waits until `pred` holds (polling), up to `timeoutMs`. */
export async function until(pred: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
