/**
 * Lesson 10 (the guide's "Brokers: Kafka's Backbone"), completed as a learner would:
 * a prediction, the controller's card found through "Show me" and killed, another
 * broker taking the role; then the broker restarted from its card and leadership of
 * every partition going back to its preferred replica, as the partition map shows.
 * Each check is seen not to pass before its action.
 */
import { expect, test } from '@playwright/test';
import { startUiHost } from './ui-helpers';
import { atStep, finished, openLesson, predict, stillAtStep } from './lesson-helpers';

test('lesson 10 brokers: kill the controller, another broker takes over, leadership comes home after a restart', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await openLesson(page, 'brokers');

    // Step 1: predict, then kill the broker that is the controller.
    await atStep(page, 'controller');
    await expect(page.getByTestId('lesson-prediction')).toContainText('What happens when the controller dies?');
    await predict(page, 1);
    await page.getByTestId('lesson-show-me').click();
    const card = page.locator('.broker.lesson-highlight');
    await expect(card).toHaveCount(1);
    const controller = Number((await card.getAttribute('data-testid'))!.replace('broker-', ''));
    await expect(page.getByTestId('cluster-summary')).toContainText(`controller broker ${controller}`);
    await stillAtStep(page, 'controller');
    await page.getByTestId(`broker-${controller}-kill`).click();
    await atStep(page, 'preferred');
    await expect(page.getByTestId('lesson-prediction-result')).toContainText('Your prediction was right');
    await expect(page.getByTestId('cluster-summary')).not.toContainText(`controller broker ${controller}`);
    // The new controller moved the dead broker's leaderships to the survivors.
    await expect(page.getByTestId(`broker-${controller}-led`)).toHaveText('0');

    // Step 2: restart it; the controller hands each partition back to its preferred replica.
    await page.getByTestId('lesson-show-me').click();
    await expect(page.getByTestId('partition-map')).toHaveClass(/lesson-highlight/);
    // Below the broker cards: "Show me" scrolls it into view.
    await expect(page.getByTestId('partition-map')).toBeInViewport({ ratio: 0.9 });
    await stillAtStep(page, 'preferred');
    await page.getByTestId(`broker-${controller}-restart`).click();
    await finished(page);
    await expect(page.getByTestId('lesson-completed')).toContainText('Leadership comes home');
    // As drawn: every partition's leader is its starred, preferred replica, and the restarted broker leads again.
    await expect(page.getByTestId('pmap-legend')).toContainText('preferred leader');
    for (let p = 0; p < 6; p++) {
      const leader = page.getByTestId(`pmap-broker_tour-${p}`).locator('[data-role="leader"]');
      await expect(leader).toHaveCount(1);
      await expect(leader).toHaveAttribute('data-preferred', 'yes');
      await expect(leader).toContainText('★');
    }
    await expect(page.getByTestId(`broker-${controller}-led`)).not.toHaveText('0');
    await page.getByTestId('nav-learn').click();
    await expect(page.getByTestId('lesson-brokers-progress')).toHaveText('✓ done');
  } finally {
    await env.stop();
  }
});
