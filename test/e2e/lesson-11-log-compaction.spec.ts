/**
 * Lesson 11 (the guide's "Log Compaction for Data Optimization"), completed as a
 * learner would: the guide's kafka-configs command run from the project folder, a
 * prediction and the guide's keyless record refused by the broker, twenty keys
 * written five times from the topic's Compaction tab, and a prediction before Clean
 * now leaves one record per key. Each check is seen not to pass before its action.
 * Also takes the README's picture of the lesson (docs/lesson-log-compaction.png).
 */
import { expect, test } from '@playwright/test';
import { startUiHost } from './ui-helpers';
import { atStep, codeSample, docsScreenshot, finished, openLesson, predict, runPython, runShell, stillAtStep } from './lesson-helpers';

test('lesson 11 log-compaction: the guide’s kafka-configs, a keyless record refused, clean now keeps one record per key', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'log-compaction');

    // Step 1: the guide's command turns compaction on; the Configs tab shows it.
    await atStep(page, 'compact');
    await page.getByTestId('lesson-show-me').click();
    await expect(page.locator('section[data-testid="topic-configs"]')).toHaveClass(/lesson-highlight/);
    await expect(page.getByTestId('config-input-cleanup.policy')).toHaveValue('delete');
    await stillAtStep(page, 'compact');
    const command = await codeSample(page);
    expect(command).toBe(`npx kafka-configs --alter --entity-type topics --entity-name system_logs --add-config 'cleanup.policy=compact' --bootstrap-server localhost:${env.basePort}`);
    runShell(command);
    await atStep(page, 'keyless');
    await expect(page.getByTestId('config-input-cleanup.policy')).toHaveValue('compact');

    // Step 2: predict, then the guide's keyless record is refused by the broker.
    await expect(page.getByTestId('lesson-prediction')).toContainText('keyless record on a compacted topic');
    await predict(page, 1);
    await stillAtStep(page, 'keyless');
    const keyless = await codeSample(page);
    expect(keyless).toContain("producer.send('system_logs', value={'log_level': 'ERROR', 'message': 'Database failure'})");
    expect(() => runPython(keyless)).toThrow(/UnknownError/);
    await atStep(page, 'overwrite');
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');

    // Step 3: twenty keys, five values each, from the Compaction tab.
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('compaction-actions')).toHaveClass(/lesson-highlight/);
    await stillAtStep(page, 'overwrite');
    await expect(page.getByTestId('dup-keys')).toHaveValue('20');
    await expect(page.getByTestId('dup-rounds')).toHaveValue('5');
    await page.getByTestId('write-duplicates').click();
    await expect(page.getByTestId('compaction-note')).toContainText('Wrote 100 records (20 keys × 5 rounds) at offsets 0–99');
    await atStep(page, 'clean');

    // Step 4: predict, then clean now: one record per key is left, at its old offset.
    await expect(page.getByTestId('lesson-prediction')).toContainText('how many records are left');
    await predict(page, 1);
    await stillAtStep(page, 'clean');
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('compaction')).toHaveClass(/lesson-highlight/);
    await page.getByTestId('clean-now').click();
    await finished(page);
    await expect(page.getByTestId('lesson-completed')).toContainText('Clean the log');
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');
    await expect(page.getByTestId('compaction-records')).toContainText('100 →');
    await expect(page.getByTestId('compaction-records-after')).toHaveText('20');
    await expect(page.getByTestId('record-sample')).toContainText('from offset 80, 20 shown');
    // Beside the pane, the table of cleaner runs stays inside its card.
    await expect(page.getByTestId('cleaner-runs')).toBeVisible();
    const card = (await page.getByTestId('compaction').boundingBox())!;
    const runs = (await page.getByTestId('cleaner-runs').locator('..').boundingBox())!;
    expect(runs.x + runs.width).toBeLessThanOrEqual(card.x + card.width);
    await docsScreenshot(page, 'lesson-log-compaction', 'compaction');
  } finally {
    await env.stop();
  }
});
