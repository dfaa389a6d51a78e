/**
 * The placement commands of the contract (reassignPartition, cancelReassignment,
 * electPreferredLeaders) on a real engine: arguments validated at the boundary, the
 * controller's Kafka errors passed on with a next step, and a move that completes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ElectionResultView, ReassignmentView } from '../../../engine/api/contract';
import { dispatch } from '../../../engine/api/dispatch';
import { WorkbenchError } from '../../../engine/api/errors';
import { Engine } from '../../../engine/engine';
import { SeededRandom } from '../../../engine/util/random';

let dir: string;
let engine: Engine | null = null;
const fast = { brokerHeartbeatIntervalMs: 20, brokerSessionTimeoutMs: 300, replicaFetchWaitMaxMs: 50, metadataFetchWaitMs: 100 };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-placement-'));
});
afterEach(async () => {
  await engine?.close();
  engine = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function until(pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function refused(p: Promise<unknown>): Promise<WorkbenchError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkbenchError);
  return err as WorkbenchError;
}

describe('placement commands', () => {
  it('moves a partition, refuses bad targets with a reason, cancels only a running move, elects preferred leaders', async () => {
    const e = (engine = new Engine({ dataDir: dir, random: new SeededRandom(3), clusterConfig: fast }));
    await dispatch(e.commands, 'createTopic', { name: 'p', partitions: 1, replicationFactor: 2 });
    for (let i = 0; i < 5; i++) await dispatch(e.commands, 'produce', { topic: 'p', partition: 0, key: null, value: `v${i}` });
    const part = () => e.snapshot().topics.find((t) => t.name === 'p')!.partitions[0];
    const before = part().replicas;
    const spare = [1, 2, 3].find((b) => !before.includes(b))!;

    expect((await refused(dispatch(e.commands, 'reassignPartition', { topic: 'p', partition: 0, replicas: [1, 1] }))).field).toBe('replicas');
    expect((await refused(dispatch(e.commands, 'reassignPartition', { topic: 'p', partition: 0, replicas: [4] }))).message).toBe('There is no broker 4; this cluster has brokers 1 to 3.');
    expect((await refused(dispatch(e.commands, 'reassignPartition', { topic: 'p', partition: 3, replicas: [1] }))).code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const noMove = await refused(dispatch(e.commands, 'cancelReassignment', { topic: 'p', partition: 0 }));
    expect(noMove.code).toBe('NO_REASSIGNMENT_IN_PROGRESS');
    expect(noMove.message).toMatch(/already finished or was cancelled/);
    expect(part().replicas).toEqual(before);

    const started = (await dispatch(e.commands, 'reassignPartition', { topic: 'p', partition: 0, replicas: [spare, before[0]] })) as ReassignmentView;
    expect(started.replicas.slice(0, 2)).toEqual([spare, before[0]]);
    await until(() => part().replicas.join() === [spare, before[0]].join() && part().addingReplicas.length === 0);
    expect([...part().isr].sort()).toEqual([spare, before[0]].sort());
    await until(() => part().replicaLogEndOffsets[spare] === 5);

    const elected = (await dispatch(e.commands, 'electPreferredLeaders', { topic: 'p' })) as ElectionResultView[];
    expect(elected).toHaveLength(1);
    expect(['elected', 'not-needed']).toContain(elected[0].outcome);
    expect(part().leader).toBe(spare);
    expect((await refused(dispatch(e.commands, 'electPreferredLeaders', { partition: 0 }))).field).toBe('partition');
  }, 60_000);
});
