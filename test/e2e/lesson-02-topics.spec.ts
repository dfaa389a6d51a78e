/**
 * Lesson 2 (the guide's "Organizing Data into Kafka Topics"), completed as a learner
 * would: the guide's kafka-topics command run from the project folder, two messages
 * from the topic's form, a prediction, the only broker holding the partition killed
 * from its card, and brought back. Each check is seen not to pass before its action.
 */
import { expect, test } from '@playwright/test';
import { startUiHost } from './ui-helpers';
import { atStep, codeSample, docsScreenshot, finished, openLesson, predict, runShell, stillAtStep } from './lesson-helpers';

test('lesson 2 topics: create user_activity with the guide’s command, write to it, lose and regain its only replica', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'topics');

    await atStep(page, 'create');
    await stillAtStep(page, 'create');
    const command = await codeSample(page);
    expect(command).toBe(`npx kafka-topics --create --topic user_activity --bootstrap-server localhost:${env.basePort} --partitions 1 --replication-factor 1`);
    runShell(command);
    await atStep(page, 'write');
    await expect(page.getByTestId('lesson-completed')).toContainText('Create user_activity');

    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('partition-table')).toHaveClass(/lesson-highlight/);
    await page.getByTestId('produce-value').fill('{"event":"page_view","user":"userA"}');
    await page.getByTestId('produce-send').click();
    await expect(page.getByTestId('produce-ok')).toContainText('offset 0');
    await stillAtStep(page, 'write', 800);
    await page.getByTestId('produce-value').fill('{"event":"page_view","user":"userB"}');
    await page.getByTestId('produce-send').click();
    await atStep(page, 'one-replica');

    // The prediction comes before the action; killing now would not count, so predict first.
    await expect(page.getByTestId('lesson-prediction')).toContainText('What happens to user_activity-0');
    await docsScreenshot(page, 'lesson-topics-prediction');
    await predict(page, 1);
    await page.getByTestId('lesson-show-me').click();
    const card = page.locator('.broker.lesson-highlight');
    await expect(card).toHaveCount(1);
    const holder = Number((await card.getAttribute('data-testid'))!.replace('broker-', ''));
    await stillAtStep(page, 'one-replica', 600);
    await page.getByTestId(`broker-${holder}-kill`).click();
    await atStep(page, 'back');
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');

    await page.getByTestId(`broker-${holder}-restart`).click();
    await finished(page);
    await page.getByTestId('nav-learn').click();
    await expect(page.getByTestId('lesson-topics-progress')).toHaveText('✓ done');
  } finally {
    await env.stop();
  }
});
