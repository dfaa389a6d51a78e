/**
 * Lesson 9 (the guide's "Producers and Consumers: The Data Pipeline"), completed as a
 * learner would, with the guide's own Python (kafka-python) copied from the pane: the
 * log record sent, a prediction, ten records with one key landing on the partition
 * the producer panel's murmur2 preview names, and the guide's consumer loop left
 * running until its group has committed every record. Each check is seen not to pass
 * before its action.
 */
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startUiHost } from './ui-helpers';
import { atStep, codeSample, finished, openLesson, predict, PYTHON, runPython, stillAtStep } from './lesson-helpers';

/** Starts Python code that runs until stopped (the guide's consumer loop), collecting what it prints. */
function startPython(code: string): { output: () => string; stop: () => Promise<void> } {
  const file = path.join(os.tmpdir(), `sw-lesson-${process.pid}-${Date.now()}.py`);
  fs.writeFileSync(file, code);
  const child = spawn(PYTHON, [file], { env: { ...process.env, PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return {
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(file, { force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        // Ctrl-C, as a learner stops it; a loop that ignores it is killed.
        const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(hard);
          done();
        });
        child.kill('SIGINT');
      }),
  };
}

test('lesson 9 producers-consumers: the guide’s producer and consumer loop, one key in one partition', async ({ page }) => {
  const env = await startUiHost();
  const bootstrap = `localhost:${env.basePort}`;
  let consumer: ReturnType<typeof startPython> | null = null;
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'producers-consumers');

    // Step 1: the guide's producer sends its log record.
    await atStep(page, 'send-log');
    await stillAtStep(page, 'send-log');
    const producer = await codeSample(page);
    expect(producer).toContain(`bootstrap_servers='${bootstrap}'`);
    expect(producer).toContain("producer.send('system_logs', value={'log_level': 'ERROR', 'message': 'Database failure'})");
    runPython(producer);
    await atStep(page, 'keys');
    await expect(page.getByTestId('lesson-completed')).toContainText('Send the guide’s log record');

    // Step 2: predict, look up db-1's partition in the producer panel, then send ten records with that key.
    await expect(page.getByTestId('lesson-prediction')).toContainText('how many partitions');
    await predict(page, 1);
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('producer-panel')).toHaveClass(/lesson-highlight/);
    await expect(page.getByTestId('produce-topic')).toHaveValue('system_logs');
    await page.getByTestId('pp-key').fill('db-1');
    await expect(page.getByTestId('murmur-partition')).toHaveText(/^[0-2]$/);
    const picked = Number(await page.getByTestId('murmur-partition').textContent());
    await stillAtStep(page, 'keys', 600);
    const keyed = await codeSample(page);
    expect(keyed).toContain("key=b'db-1'");
    runPython(keyed);
    await atStep(page, 'consume');
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');

    // kafka-python's murmur2 picked the partition the app named: the ten are there (the keyless log record may be too).
    await page.getByTestId('nav-topics').click();
    await page.getByTestId('topic-row-system_logs').click();
    const hw = async (p: number) => Number(await page.getByTestId(`partition-${p}-hw`).textContent());
    await expect(async () => {
      expect(await hw(picked)).toBeGreaterThanOrEqual(10);
      expect((await hw(0)) + (await hw(1)) + (await hw(2))).toBe(11);
    }).toPass();

    // Step 3: the guide's consumer loop in group log-readers, left running until the group has committed.
    await stillAtStep(page, 'consume');
    const loop = await codeSample(page);
    expect(loop).toContain("group_id='log-readers'");
    expect(loop).toContain('for message in consumer:');
    const reader = startPython(loop);
    consumer = reader;
    // Joining the group takes a few seconds, and kafka-python commits every five.
    await finished(page, 45_000);
    await expect(page.getByTestId('lesson-completed')).toContainText('The consumer side');
    // What the loop printed: the log record, and the keyed records in the order they were sent.
    await expect.poll(() => reader.output()).toContain('Log: step 9');
    expect(reader.output()).toContain('Database failure');
    const order = [...reader.output().matchAll(/Log: step (\d)/g)].map((m) => Number(m[1]));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  } finally {
    await consumer?.stop();
    await env.stop();
  }
});
