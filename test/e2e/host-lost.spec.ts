/**
 * The page outlives its host: when the app stops, the page says so unmistakably,
 * greys out what it shows and disables every control, and reconnects by itself
 * when the app runs again on the same data dir (which keeps its UI port).
 */
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import { startWebHost, tempDataDir } from '../support/web-host';

test('when the app stops, the open page says so and disables its controls; it reconnects when the app is back', async ({ page }) => {
  const dataDir = tempDataDir();
  let host = await startWebHost(dataDir);
  try {
    await page.goto(host.url);
    await page.getByTestId('learn-skip').click();
    await expect(page.getByTestId('broker-1')).toBeVisible();
    await expect(page.getByTestId('broker-1-kill')).toBeEnabled();
    await expect(page.getByTestId('host-lost')).toHaveCount(0);
    const url = host.url;

    await host.stop();
    await expect(page.getByTestId('host-lost')).toBeVisible();
    await expect(page.getByTestId('host-lost')).toContainText('Not connected to the workbench');
    await expect(page.getByTestId('broker-1-kill')).toBeDisabled();
    await expect(page.getByTestId('view-content')).toHaveClass(/stale/);
    await page.screenshot({ path: 'test-results/host-lost.png' });
    // The views can still be looked at.
    await page.getByTestId('nav-topics').click();
    await expect(page.getByTestId('topic-name')).toBeDisabled();

    host = await startWebHost(dataDir);
    expect(host.url).toBe(url);
    await expect(page.getByTestId('host-lost')).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByTestId('topic-name')).toBeEnabled();
    await page.getByTestId('nav-cluster').click();
    await expect(page.getByTestId('broker-1-kill')).toBeEnabled();
  } finally {
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
