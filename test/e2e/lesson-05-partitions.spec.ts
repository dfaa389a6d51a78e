/**
 * Lesson 5 (the guide's "High-Volume Data Processing"), completed as a learner would:
 * high_traffic created with the guide's kafka-topics command run from the project
 * folder, a prediction, then keyless load from the load generator spread over the four
 * partitions. Each check is seen not to pass before its action.
 */
import { expect, test } from '@playwright/test';
import { startUiHost } from './ui-helpers';
import { atStep, codeSample, finished, openLesson, predict, runShell, stillAtStep } from './lesson-helpers';

test('lesson 5 partitions: create high_traffic with four partitions, spread keyless load over them', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'partitions');

    await atStep(page, 'create');
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('create-topic-form')).toHaveClass(/lesson-highlight/);
    await stillAtStep(page, 'create');
    const command = await codeSample(page);
    expect(command).toBe(`npx kafka-topics --create --topic high_traffic --bootstrap-server localhost:${env.basePort} --partitions 4 --replication-factor 2`);
    expect(runShell(command)).toContain('Created topic high_traffic.');
    await atStep(page, 'load');
    await expect(page.getByTestId('lesson-completed')).toContainText('Create high_traffic');

    await expect(page.getByTestId('lesson-prediction')).toContainText('Without keys');
    await predict(page, 1);
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('load-panel')).toHaveClass(/lesson-highlight/);
    await expect(page.getByTestId('produce-topic')).toHaveValue('high_traffic');
    await page.getByTestId('lg-keys').fill('0');
    await page.getByTestId('lg-rate').fill('5000');
    await stillAtStep(page, 'load', 600);
    await page.getByTestId('lg-start').click();
    await expect(page.getByTestId('load-state')).toContainText('running on high_traffic');
    await finished(page);
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');

    // Every partition took a share.
    const fill = page.getByTestId('partition-fill').locator('.fill-row');
    await expect(fill).toHaveCount(4);
    for (let p = 0; p < 4; p++) await expect(fill.nth(p).locator('.num')).not.toHaveText('0');
    await page.getByTestId('lg-stop').click();
    await expect(page.getByTestId('load-state')).toHaveText('stopped');
    await page.getByTestId('nav-learn').click();
    await expect(page.getByTestId('lesson-partitions-progress')).toHaveText('✓ done');
  } finally {
    await env.stop();
  }
});
