/**
 * Lesson 4 (the guide's "Subscribing to Topics for Real-Time Data"), completed as a
 * learner would: the guide's consumer run unchanged and left running, the same
 * consumer in group activity-readers until the group commits, then a new group with
 * auto_offset_reset='latest' that prints only the message sent after it joined. Each
 * check is seen not to pass before its action, and the prediction is made first.
 */
import { expect, test, type Page } from '@playwright/test';
import { startUiHost } from './ui-helpers';
import { atStep, codeSample, finished, openLesson, predict, startPython, startShell, stillAtStep, type Background } from './lesson-helpers';

async function sendFromTopicPage(page: Page, value: string): Promise<void> {
  await page.getByTestId('nav-topics').click();
  await page.getByTestId('topic-row-user_activity').click();
  await page.getByTestId('tab-overview').click();
  await page.getByTestId('produce-value').fill(value);
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-ok')).toContainText('Written to partition 0');
}

test('lesson 4 subscribe: the guide’s consumer, the same in a group, and a new group that starts at the end', async ({ page }) => {
  const env = await startUiHost();
  const running: Background[] = [];
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'subscribe');

    // 1. The guide's consumer, no group, and the console consumer beside it: both print the
    //    five messages the lesson wrote, and wait for more.
    await atStep(page, 'groupless');
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('partition-table')).toHaveClass(/lesson-highlight/);
    await stillAtStep(page, 'groupless');
    const guide = await codeSample(page, 0);
    expect(guide).toContain(`bootstrap_servers='localhost:${env.basePort}'`);
    expect(guide).toContain("auto_offset_reset='earliest'");
    const consoleCommand = await codeSample(page, 1);
    expect(consoleCommand).toBe(`npx kafka-console-consumer --topic user_activity --from-beginning --bootstrap-server localhost:${env.basePort}`);
    const groupless = startPython(guide);
    const consoleConsumer = startShell(consoleCommand);
    running.push(groupless, consoleConsumer);
    await atStep(page, 'group');
    await expect.poll(() => groupless.output()).toContain("Received message: {'event': 'page_view', 'user': 'user4'}");
    expect(groupless.output()).toContain("'user': 'user0'");
    await expect.poll(() => consoleConsumer.output()).toContain('{"event": "page_view", "user": "user4"}');

    // 2. The same consumer with a group: it commits where it got to.
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('start-consumer-form')).toHaveClass(/lesson-highlight/);
    await stillAtStep(page, 'group');
    const grouped = startPython(await codeSample(page));
    running.push(grouped);
    await atStep(page, 'latest');
    await expect.poll(() => grouped.output()).toContain("4 b'{\"event\": \"page_view\", \"user\": \"user4\"}'");

    // 3. Predict, then a brand-new group that starts at the end: it prints only what arrives after it joined.
    await predict(page, 1);
    await stillAtStep(page, 'latest');
    const latest = startPython(await codeSample(page));
    running.push(latest);
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('group-list')).toHaveClass(/lesson-highlight/);
    // It has joined and committed its starting position (the end): lag 0.
    await expect(page.getByTestId('group-lag-activity-latest')).toHaveText('0', { timeout: 30_000 });
    await stillAtStep(page, 'latest', 300);
    await sendFromTopicPage(page, '{"event": "page_view", "user": "late"}');
    await finished(page);
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');
    await expect.poll(() => latest.output()).toContain('"user": "late"');
    expect(latest.output()).not.toContain('user0');
    // The consumer without a group, still running, got it too.
    await expect.poll(() => groupless.output()).toContain("'user': 'late'");
    await expect.poll(() => consoleConsumer.output()).toContain('"user": "late"');
  } finally {
    for (const r of running) await r.stop();
    await env.stop();
  }
});
