/**
 * Lesson 6 (the guide's "Reliability and Fault Tolerance"), completed as a learner
 * would: the guide's kafka-topics --describe run from the project folder, load with
 * acks all from the load generator, a prediction, the leader of high_traffic-0 killed
 * from its card while the load runs, and restarted until every ISR is whole again.
 * Each check is seen not to pass before its action.
 */
import { expect, test } from '@playwright/test';
import { startUiHost } from './ui-helpers';
import { atStep, codeSample, finished, openLesson, predict, runShell, stillAtStep } from './lesson-helpers';

test('lesson 6 replication: describe high_traffic, kill the leader of partition 0 under load, bring it back into the ISR', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'replication');

    await atStep(page, 'describe');
    const command = await codeSample(page);
    expect(command).toBe(`npx kafka-topics --describe --topic high_traffic --bootstrap-server localhost:${env.basePort}`);
    const described = runShell(command);
    expect(described).toContain('ReplicationFactor: 2');
    expect(described.match(/Partition: \d+\s+Leader: \d+\s+Replicas: \d+,\d+\s+Isr: \d+,\d+/g)).toHaveLength(4);
    await stillAtStep(page, 'describe');
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('load-panel')).toHaveClass(/lesson-highlight/);
    await expect(page.getByTestId('produce-topic')).toHaveValue('high_traffic');
    await page.getByTestId('lg-acks').selectOption('-1');
    await page.getByTestId('lg-start').click();
    await expect(page.getByTestId('load-state')).toContainText('running on high_traffic');
    await atStep(page, 'kill-leader');

    await expect(page.getByTestId('lesson-prediction')).toContainText('What happens to high_traffic-0');
    await predict(page, 1);
    await page.getByTestId('lesson-show-me').click();
    const card = page.locator('.broker.lesson-highlight');
    await expect(card).toHaveCount(1);
    const leader = Number((await card.getAttribute('data-testid'))!.replace('broker-', ''));
    await expect(page.getByTestId(`pmap-high_traffic-0-b${leader}`)).toHaveAttribute('data-role', 'leader');
    await stillAtStep(page, 'kill-leader', 600);
    await page.getByTestId(`broker-${leader}-kill`).click();
    await atStep(page, 'rejoin');
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');
    await expect(page.getByTestId(`pmap-high_traffic-0-b${leader}`)).not.toHaveAttribute('data-role', 'leader');

    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('partition-map')).toHaveClass(/lesson-highlight/);
    await stillAtStep(page, 'rejoin', 600);
    await page.getByTestId(`broker-${leader}-restart`).click();
    await finished(page);
    await expect(page.getByTestId('pmap-high_traffic-0-isr')).toContainText(String(leader));
    await page.getByTestId('nav-produce').click();
    await page.getByTestId('lg-stop').click();
    await expect(page.getByTestId('load-state')).toHaveText('stopped');
  } finally {
    await env.stop();
  }
});
