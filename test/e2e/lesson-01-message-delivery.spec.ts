/**
 * Lesson 1 (the guide's "How Kafka Handles Message Delivery"), completed as a learner
 * would: the guide's producer run unchanged, the same producer in a loop with acks=1
 * left running while its partition's leader is cut off from its followers and healed
 * (the records only that leader had are truncated), then the load generator with
 * acks=all on a topic with min.insync.replicas=2 through the same failover. Each check
 * is seen not to pass before its action, and each prediction is made first.
 */
import { expect, test, type Page } from '@playwright/test';
import { startUiHost } from './ui-helpers';
import { atStep, codeSample, docsScreenshot, finished, openLesson, predict, runPython, startPython, stillAtStep, type Background } from './lesson-helpers';

/** The broker the pane outlines in the Cluster view (the leader of the step's partition). */
async function outlinedBroker(page: Page): Promise<number> {
  await page.getByTestId('lesson-show-me').click();
  await expect(page.getByTestId('partition-map')).toBeVisible();
  const card = page.locator('.broker.lesson-highlight');
  await expect(card).toHaveCount(1);
  return Number((await card.getAttribute('data-testid'))!.replace('broker-', ''));
}

/** Cuts the broker off, waits until the controller moved the partition's leadership away from it, heals it. */
async function cutUntilLeaderMoves(page: Page, topic: string, broker: number): Promise<void> {
  await page.getByTestId(`broker-${broker}-cut-off`).click();
  await expect(page.getByTestId(`broker-${broker}-state`)).toHaveText('cut');
  await expect(page.getByTestId('event-feed')).toContainText(new RegExp(`${topic}-0: leader ${broker} → \\d`), { timeout: 20_000 });
  await page.getByTestId(`broker-${broker}-heal`).click();
}

test('lesson 1 message-delivery: the guide’s producer, acks=1 loses what only a cut-off leader had, acks=all keeps it', async ({ page }) => {
  const env = await startUiHost();
  let producer: Background | null = null;
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'message-delivery');

    // 1. The guide's producer, unchanged but for the cluster's address.
    await atStep(page, 'send-guide-record');
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('create-topic-form')).toHaveClass(/lesson-highlight/);
    await stillAtStep(page, 'send-guide-record');
    const guide = await codeSample(page);
    expect(guide).toContain(`bootstrap_servers='localhost:${env.basePort}'`);
    expect(guide).toContain("producer.send('user_activity', value=message)");
    runPython(guide);
    await atStep(page, 'acks-one-load');
    await expect(page.getByTestId('lesson-completed')).toContainText('Send the guide’s message');

    // 2. The same producer in a loop, acks=1, left running.
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('load-panel')).toHaveClass(/lesson-highlight/);
    await expect(page.getByTestId('produce-topic')).toHaveValue('delivery_fast');
    await stillAtStep(page, 'acks-one-load');
    const loop = await codeSample(page);
    expect(loop).toContain('acks=1');
    producer = startPython(loop);
    await atStep(page, 'acks-one-loss');

    // 3. Predict, then cut off the leader of delivery_fast-0 while it takes writes, and heal it.
    await expect(page.getByTestId('lesson-prediction')).toContainText('will every record it acknowledged');
    await predict(page, 1);
    const fastLeader = await outlinedBroker(page);
    await stillAtStep(page, 'acks-one-loss', 600);
    await expect(page.getByTestId('lesson-watching')).toContainText('has not moved yet');
    await cutUntilLeaderMoves(page, 'delivery_fast', fastLeader);
    await atStep(page, 'acks-all-safe');
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right: no, the records only it had are thrown away.');
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('acks=1 an acknowledgement promises one copy');
    // What was cut is said where the learner is looking.
    await expect(page.getByTestId('event-feed')).toContainText(new RegExp(`delivery_fast-0: broker ${fastLeader} cut \\d+ records? \\(offsets \\d+–\\d+\\) from its log`));
    // The next prediction starts with no answer picked.
    await expect(page.getByTestId('lesson-option-1')).not.toBeChecked();
    await docsScreenshot(page, 'lesson-message-delivery');
    await producer.stop();
    // Ctrl-C ends the loop with KeyboardInterrupt; nothing else may have gone wrong.
    expect(producer.output().replace(/Traceback[^]*KeyboardInterrupt\s*$/, '')).not.toMatch(/Traceback/);
    producer = null;

    // 4. Predict, then the load generator with acks=all on delivery_safe, and the same failover.
    await predict(page, 1);
    await stillAtStep(page, 'acks-all-safe', 600);
    await page.getByTestId('nav-produce').click();
    await page.getByTestId('produce-topic').selectOption('delivery_safe');
    await expect(page.getByTestId('load-panel')).toBeVisible();
    await page.getByTestId('lg-rate').fill('500');
    await page.getByTestId('lg-acks').selectOption('-1');
    await page.getByTestId('lg-start').click();
    await expect(page.getByTestId('load-state')).toHaveText('running on delivery_safe');
    await expect(page.getByTestId('lg-acked')).not.toHaveText('0');
    await page.getByTestId('nav-cluster').click();
    const safeLeader = await outlinedBroker(page);
    await stillAtStep(page, 'acks-all-safe', 300);
    await cutUntilLeaderMoves(page, 'delivery_safe', safeLeader);
    await finished(page);
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');

    await page.getByTestId('nav-produce').click();
    await page.getByTestId('lg-stop').click();
    await expect(page.getByTestId('load-state')).toHaveText('stopped');
    await page.getByTestId('nav-learn').click();
    await expect(page.getByTestId('lesson-message-delivery-progress')).toHaveText('✓ done');
  } finally {
    await producer?.stop();
    await env.stop();
  }
});
