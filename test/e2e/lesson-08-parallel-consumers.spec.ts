/**
 * Lesson 8 (the guide's "Parallel Processing with Partitions"), completed as a learner
 * would: the console consumer in group workers from the project folder, then built-in
 * consumers started in the Groups view until the group has one member more than
 * parallel_work has partitions, after a prediction about that member. Each check is
 * seen not to pass before its action.
 */
import { expect, test } from '@playwright/test';
import { startUiHost } from './ui-helpers';
import { atStep, codeSample, docsScreenshot, finished, openLesson, predict, startShell, stillAtStep, type Background } from './lesson-helpers';

test('lesson 8 parallel-consumers: grow group workers to one member per partition, then one too many sits idle', async ({ page }) => {
  const env = await startUiHost();
  let consoleConsumer: Background | null = null;
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'parallel-consumers');

    await atStep(page, 'one');
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('start-consumer-form')).toHaveClass(/lesson-highlight/);
    await stillAtStep(page, 'one');
    const command = await codeSample(page);
    expect(command).toBe(`npx kafka-console-consumer --topic parallel_work --group workers --from-beginning --bootstrap-server localhost:${env.basePort}`);
    consoleConsumer = startShell(command);
    await atStep(page, 'three');
    // Alone in the group, it reads the 30 jobs of all three partitions.
    const printed = consoleConsumer;
    await expect.poll(() => printed.output().split('\n').filter((l) => l.startsWith('{"job"')).length, { timeout: 15_000 }).toBe(30);
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('group-row-workers')).toContainText('Stable');
    await page.getByTestId('group-row-workers').click();
    await expect(page.getByTestId('group-members')).toContainText('parallel_work: 0, 1, 2');
    await expect(page.getByTestId('group-members')).toHaveClass(/lesson-highlight/);

    await stillAtStep(page, 'three', 600);
    await page.getByTestId('consumer-group').fill('workers');
    await page.getByTestId('consumer-topic').selectOption('parallel_work');
    await page.getByTestId('consumer-start').click();
    await expect(page.getByTestId('consumer-consumer-1-state')).toBeVisible();
    await page.getByTestId('consumer-start').click();
    await atStep(page, 'four');
    await expect(page.getByTestId('group-members').locator('tbody tr')).toHaveCount(3);

    await expect(page.getByTestId('lesson-prediction')).toContainText('A fourth consumer joins');
    await predict(page, 1);
    await stillAtStep(page, 'four', 600);
    await page.getByTestId('consumer-start').click();
    await finished(page);
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');
    const members = page.getByTestId('group-members').locator('tbody tr');
    await expect(members).toHaveCount(4);
    await expect(members.filter({ hasText: 'parallel_work' })).toHaveCount(3);
    await expect(members.filter({ hasText: 'none (idle)' })).toHaveCount(1);
    await expect(page.getByTestId('builtin-consumers').getByText('idle', { exact: true })).toHaveCount(1);
    await docsScreenshot(page, 'lesson-parallel-consumers');
  } finally {
    await consoleConsumer?.stop();
    await env.stop();
  }
});
