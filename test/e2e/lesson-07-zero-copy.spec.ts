/**
 * Lesson 7 (the guide's "Zero-Copy for Efficient Data Transfer"), completed as a learner
 * would: gzip batches written with kcat, a prediction, then the topic read back with
 * the console consumer from the project folder while the brokers count the bytes they
 * handed out as stored. Each check is seen not to pass before its action.
 */
import { expect, test } from '@playwright/test';
import { startUiHost } from './ui-helpers';
import { atStep, codeSample, finished, openLesson, predict, runShell, stillAtStep } from './lesson-helpers';

test('lesson 7 zero-copy: write gzip batches with kcat, read them with the console consumer, served as stored', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'zero-copy');

    await atStep(page, 'compressed');
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('load-panel')).toHaveClass(/lesson-highlight/);
    await expect(page.getByTestId('produce-topic')).toHaveValue('zero_copy');
    await stillAtStep(page, 'compressed');
    const write = await codeSample(page);
    expect(write).toBe(`seq 1 2000 | sed 's/^/event-/' | kcat -P -b localhost:${env.basePort} -t zero_copy -z gzip`);
    runShell(write);
    await atStep(page, 'read');

    await expect(page.getByTestId('lesson-prediction')).toContainText('does the broker decompress them');
    await predict(page, 1);
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('zero-copy')).toHaveClass(/lesson-highlight/);
    const before = await page.getByTestId('zero-copy-bytes').textContent();
    await stillAtStep(page, 'read', 600);
    const read = await codeSample(page);
    expect(read).toBe(`npx kafka-console-consumer --topic zero_copy --from-beginning --max-messages 2000 --bootstrap-server localhost:${env.basePort}`);
    const out = runShell(read);
    expect(out.split('\n').filter((l) => l.startsWith('event-'))).toHaveLength(2000);
    await finished(page);
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');
    await expect(page.getByTestId('zero-copy-bytes')).not.toHaveText(before ?? '');
  } finally {
    await env.stop();
  }
});
