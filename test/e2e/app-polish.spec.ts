/**
 * Polish a person expects: the theme follows the OS (dark here), the keyboard reaches
 * the views (Ctrl+1…7, "/" to filter, Esc to close a topic), and empty views say what
 * to do next.
 */
import { expect, test } from '@playwright/test';
import { createTopic, screenshot, startUiHost } from './ui-helpers';

test.use({ colorScheme: 'dark' });

test('dark theme from the OS, keyboard navigation, and empty states that say what to do', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    // A fresh data dir opens on Learn; Ctrl+1 reaches the Cluster view.
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await page.keyboard.press('Control+1');
    await expect(page.getByTestId('broker-1')).toBeVisible();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
    expect(r + g + b).toBeLessThan(150);

    // Empty states point at the next step.
    await expect(page.getByTestId('pmap-empty')).toContainText('Create one in Topics');
    await page.keyboard.press('Control+3');
    await expect(page.getByTestId('produce-empty')).toContainText('Create one in Topics');
    await page.keyboard.press('Control+2');
    await expect(page.getByTestId('topic-empty-detail')).toContainText('No topics yet');

    await createTopic(page, 'alpha', { partitions: 2, rf: 1 });
    await createTopic(page, 'beta', { partitions: 2, rf: 1 });

    // "/" focuses the topic filter; typing filters; Esc closes the open topic.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    await expect(page.getByTestId('topic-filter')).toBeFocused();
    await page.keyboard.type('alp');
    await expect(page.getByTestId('topic-row-beta')).toHaveCount(0);
    await expect(page.getByTestId('topic-row-alpha')).toBeVisible();
    await page.getByTestId('topic-row-alpha').click();
    await expect(page.getByTestId('topic-detail')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('topic-detail')).toHaveCount(0);

    await page.keyboard.press('Control+1');
    await expect(page.getByTestId('partition-map')).toBeVisible();
    await screenshot(page, 'observe-dark-cluster');
  } finally {
    await env.stop();
  }
});
