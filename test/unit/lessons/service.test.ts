/**
 * The lessons service on a real engine (three brokers, real files, no listeners): a
 * lesson is completed through the contract as a learner would, each step's check
 * holding only after its action; every lesson sets up without its first check already
 * holding; a lesson touches only its own topics; progress outlives a restart.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActiveLessonView, ClusterEventsResult, LessonCatalogue } from '../../../engine/api/contract';
import { dispatch } from '../../../engine/api/dispatch';
import { Engine } from '../../../engine/engine';
import { EVALUATE_INTERVAL_MS } from '../../../engine/lessons/service';
import { SeededRandom } from '../../../engine/util/random';

let dir: string;
const fast = { brokerHeartbeatIntervalMs: 20, brokerSessionTimeoutMs: 300, replicaFetchWaitMaxMs: 50, metadataFetchWaitMs: 100 };
const engines: Engine[] = [];
const open = () => {
  const e = new Engine({ dataDir: dir, random: new SeededRandom(3), clusterConfig: fast });
  engines.push(e);
  return e;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-lessons-'));
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const active = (e: Engine): ActiveLessonView => e.snapshot().lessons.active!;

describe('lessons on a real cluster', () => {
  it('lesson 2 completes step by step, each check passing only after its action', async () => {
    const e = open();
    await e.ports.ready();
    const started = (await dispatch(e.commands, 'startLesson', { lessonId: 'topics' })) as ActiveLessonView;
    expect(started).toMatchObject({ stepId: 'create', armed: true, settingUp: false, finished: false });

    // Nothing done yet: several evaluations later the step is still current.
    await sleep(EVALUATE_INTERVAL_MS * 3);
    expect(active(e).stepId).toBe('create');
    // Not what the step asks (3 partitions): still current, and the check says what it sees.
    await dispatch(e.commands, 'createTopic', { name: 'user_activity', partitions: 3, replicationFactor: 1 });
    await until('progress', () => active(e).progress?.includes('3 partition'));
    expect(active(e).stepId).toBe('create');
    await dispatch(e.commands, 'deleteTopic', { name: 'user_activity' });
    await until('deleted', () => !e.snapshot().topics.some((t) => t.name === 'user_activity'));
    await dispatch(e.commands, 'createTopic', { name: 'user_activity', partitions: 1, replicationFactor: 1 });
    await until('step write', () => active(e).stepId === 'write');
    expect(active(e).completed?.stepId).toBe('create');

    await dispatch(e.commands, 'produce', { topic: 'user_activity', value: 'one' });
    await sleep(EVALUATE_INTERVAL_MS * 2);
    expect(active(e).stepId).toBe('write');
    await dispatch(e.commands, 'produce', { topic: 'user_activity', value: 'two' });
    await until('step one-replica', () => active(e).stepId === 'one-replica');

    // A prediction comes first: the check is not armed, so killing the broker now would not count.
    expect(active(e)).toMatchObject({ awaitingPrediction: true, armed: false });
    await expect(dispatch(e.commands, 'answerPrediction', { lessonId: 'topics', stepId: 'one-replica', choice: 7 })).rejects.toThrow(/Pick one of the 2 answers/);
    await dispatch(e.commands, 'answerPrediction', { lessonId: 'topics', stepId: 'one-replica', choice: 1 });
    expect(active(e).armed).toBe(true);
    const holder = e.snapshot().topics.find((t) => t.name === 'user_activity')!.partitions[0].leader!;
    await dispatch(e.commands, 'killBroker', { brokerId: holder });
    await until('step back', () => active(e).stepId === 'back');
    expect(active(e).completed).toMatchObject({ stepId: 'one-replica', prediction: { choice: 1, answer: 1 } });

    await dispatch(e.commands, 'restartBroker', { brokerId: holder });
    await until('finished', () => active(e).finished);
    expect(e.snapshot().lessons.completedSteps.topics).toBe(4);

    // Hints come one at a time and never more than the step has.
    const catalogue = (await dispatch(e.commands, 'listLessons', {})) as LessonCatalogue;
    expect(catalogue.lessons).toHaveLength(11);
    expect(catalogue.bootstrap).toBe('localhost:9092');
    expect(catalogue.lessons[1].steps[0].code[0].text).toContain('--bootstrap-server localhost:9092');
  }, 60_000);

  it('lesson 1: records a cut-off leader acknowledged with acks=1 are truncated when it heals; acks=all loses none', async () => {
    const e = open();
    await e.ports.ready();
    await dispatch(e.commands, 'startLesson', { lessonId: 'message-delivery' });
    await dispatch(e.commands, 'createTopic', { name: 'user_activity', partitions: 1, replicationFactor: 3 });
    await dispatch(e.commands, 'produce', { topic: 'user_activity', value: '{"event": "page_view", "user": "userA"}' });
    await until('step acks-one-load', () => active(e).stepId === 'acks-one-load');
    await dispatch(e.commands, 'startLoad', { topic: 'delivery_fast', ratePerS: 2000, keySpace: 0, valueBytes: 50, acks: 1 });
    await until('step acks-one-loss', () => active(e).stepId === 'acks-one-loss');

    const leaderOf = (topic: string) => e.snapshot().topics.find((t) => t.name === topic)!.partitions[0].leader;
    const failover = async (topic: string) => {
      const leader = leaderOf(topic)!;
      await dispatch(e.commands, 'cutBroker', { brokerId: leader });
      await until(`a new leader of ${topic}`, () => { const now = leaderOf(topic); return now !== null && now !== leader; });
      await dispatch(e.commands, 'healBroker', { brokerId: leader });
      return leader;
    };
    await dispatch(e.commands, 'answerPrediction', { lessonId: 'message-delivery', stepId: 'acks-one-loss', choice: 1 });
    await until('progress', () => active(e).progress?.includes('has not moved yet'));
    const cut = await failover('delivery_fast');
    await until('step acks-all-safe', () => active(e).stepId === 'acks-all-safe');
    // The cluster view's feed learns what was cut, from the history journal.
    const history = (await dispatch(e.commands, 'clusterEvents', { after: null })) as ClusterEventsResult;
    const truncation = history.events.find((ev) => ev.kind === 'truncated' && ev.topic === 'delivery_fast' && ev.fromOffset > ev.toOffset);
    expect(truncation).toMatchObject({ brokerId: cut, partition: 0 });

    await dispatch(e.commands, 'answerPrediction', { lessonId: 'message-delivery', stepId: 'acks-all-safe', choice: 1 });
    await dispatch(e.commands, 'startLoad', { topic: 'delivery_safe', ratePerS: 500, keySpace: 0, valueBytes: 50, acks: -1 });
    await until('acks=all writes', () => (e.snapshot().topics.find((t) => t.name === 'delivery_safe')?.partitions[0].highWatermark ?? 0) > 50);
    await failover('delivery_safe');
    await until('finished', () => active(e).finished);
    await dispatch(e.commands, 'stopLoad', {});
  }, 60_000);

  it('every lesson sets up, touches only its own topics, and its first check does not hold before its action', async () => {
    const e = open();
    await e.ports.ready();
    await dispatch(e.commands, 'createTopic', { name: 'mine', partitions: 2, replicationFactor: 2 });
    await dispatch(e.commands, 'produce', { topic: 'mine', value: 'keep me' });
    const { lessons } = (await dispatch(e.commands, 'listLessons', {})) as LessonCatalogue;
    for (const lesson of lessons) {
      const view = (await dispatch(e.commands, 'startLesson', { lessonId: lesson.id, from: 'beginning' })) as ActiveLessonView;
      expect(view.setupError, lesson.id).toBeNull();
      expect(view.stepIndex, lesson.id).toBe(0);
      await sleep(EVALUATE_INTERVAL_MS * 2);
      const now = active(e);
      expect(now.stepIndex, `${lesson.id} passed its first step with no action`).toBe(0);
      expect(now.progress ?? '', lesson.id).not.toMatch(/needs fixing/);
    }
    const mine = e.snapshot().topics.find((t) => t.name === 'mine')!;
    expect(mine.partitions.reduce((n, p) => n + p.highWatermark, 0)).toBe(1);
    // The last lesson set up system_logs with one partition (lesson 9's had three).
    expect(e.snapshot().topics.find((t) => t.name === 'system_logs')?.partitionCount).toBe(1);
    await dispatch(e.commands, 'leaveLesson', {});
    expect(e.snapshot().lessons.active).toBeNull();
  }, 120_000);

  it('keeps progress across a restart and forgets it on reset; refuses nonsense', async () => {
    let e = open();
    await e.ports.ready();
    expect(e.snapshot().lessons.learnFirst).toBe(true);
    await dispatch(e.commands, 'startLesson', { lessonId: 'topics' });
    await dispatch(e.commands, 'createTopic', { name: 'user_activity', partitions: 1, replicationFactor: 1 });
    await until('step write', () => active(e).stepId === 'write');
    await dispatch(e.commands, 'dismissLearn', {});
    await e.close();
    e = open();
    await e.ports.ready();
    const snap = e.snapshot().lessons;
    expect(snap.completedSteps).toEqual({ topics: 1 });
    expect(snap.learnFirst).toBe(false);
    expect(snap.active).toBeNull();
    await dispatch(e.commands, 'resetLesson', { lessonId: 'topics' });
    expect(e.snapshot().lessons.completedSteps).toEqual({});
    expect(e.snapshot().topics.some((t) => t.name === 'user_activity')).toBe(false);
    await expect(dispatch(e.commands, 'startLesson', { lessonId: 'no-such-lesson' })).rejects.toThrow(/There is no lesson "no-such-lesson"/);
    await expect(dispatch(e.commands, 'startLesson', { lessonId: 'Bad Id!' })).rejects.toThrow(/kebab-case/);
    await expect(dispatch(e.commands, 'showHint', { lessonId: 'topics', stepId: 'create' })).rejects.toThrow(/not the active lesson/);
  }, 60_000);
});
