/**
 * Lesson 3 (the guide's "Persistent Message Storage"), completed as a learner would:
 * the guide's kafka-configs --describe run unchanged, the load generator filling
 * small segments on the log strip, a built-in consumer in group retention-reader that
 * reads a little and is stopped, then retention.ms lowered with kafka-configs --alter
 * and whole segments deleted, unread records with them. Each check is seen not to
 * pass before its action, and the prediction is made first.
 */
import { expect, test } from '@playwright/test';
import { startUiHost } from './ui-helpers';
import { atStep, codeSample, finished, openLesson, predict, runShell, stillAtStep } from './lesson-helpers';

test('lesson 3 retention: segments roll, a reader falls behind, lowering retention.ms deletes what it had not read', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'retention');

    // 1. The guide's command shows the topic's own settings; the load generator fills segments.
    await atStep(page, 'roll');
    await stillAtStep(page, 'roll');
    const describe = await codeSample(page);
    expect(describe).toBe(`npx kafka-configs --describe --entity-type topics --entity-name retention_demo --bootstrap-server localhost:${env.basePort}`);
    expect(runShell(describe)).toContain('segment.bytes=2048');
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('log-strip')).toHaveClass(/lesson-highlight/);
    await stillAtStep(page, 'roll', 300);
    await page.getByTestId('nav-produce').click();
    await page.getByTestId('produce-topic').selectOption('retention_demo');
    await page.getByTestId('lg-rate').fill('100');
    await page.getByTestId('lg-keys').fill('0');
    await page.getByTestId('lg-start').click();
    await expect(page.getByTestId('load-state')).toHaveText('running on retention_demo');
    await atStep(page, 'reader');

    // 2. A built-in consumer in retention-reader commits, then is stopped while writing goes on.
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('start-consumer-form')).toHaveClass(/lesson-highlight/);
    await stillAtStep(page, 'reader');
    await page.getByTestId('consumer-group').fill('retention-reader');
    await page.getByTestId('consumer-topic').selectOption('retention_demo');
    await page.getByTestId('consumer-start').click();
    // Joining the group, reading and committing: allow for a busy machine.
    await atStep(page, 'expire', 60_000);
    await page.locator('[data-testid^="consumer-"][data-testid$="-stop"]').click();
    await expect(page.getByTestId('group-row-retention-reader')).toBeVisible();

    // 3. Predict, then lower retention.ms with the lesson's command.
    await predict(page, 1);
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('topic-configs')).toHaveClass(/lesson-highlight/);
    await stillAtStep(page, 'expire');
    await expect(page.getByTestId('lesson-watching')).toContainText('retention-reader committed');
    const alter = await codeSample(page);
    expect(alter).toBe(`npx kafka-configs --alter --entity-type topics --entity-name retention_demo --add-config retention.ms=1000 --bootstrap-server localhost:${env.basePort}`);
    runShell(alter);
    await finished(page);
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right: they are deleted with their segments.');
    // The strip says the reader's committed offset now lies before the log start.
    await page.getByTestId('tab-log').click();
    await expect(page.getByTestId('log-strip').locator('.marker-group')).toContainText('retention-reader @');
    await expect(page.getByTestId('groups-behind')).toContainText('retention-reader committed');

    await page.getByTestId('nav-produce').click();
    await page.getByTestId('lg-stop').click();
    await expect(page.getByTestId('load-state')).toHaveText('stopped');
  } finally {
    await env.stop();
  }
});
