/**
 * Shared steps of the scenarios driven through the UI: a web host whose Kafka listeners use free
 * high ports (so a developer's own cluster on 9092 is left alone), topic creation
 * through the UI, and screenshots into test-results/.
 */
import { expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, startWebHost, tempDataDir, type RunningHost } from '../support/web-host';
import { threeFreePorts } from '../support/ports';

export async function startUiHost(): Promise<{ host: RunningHost; dataDir: string; basePort: number; stop: () => Promise<void> }> {
  const dataDir = tempDataDir('sw-observe-e2e-');
  const basePort = await threeFreePorts();
  const host = await startWebHost(dataDir, ['--port', String(basePort)]);
  return {
    host,
    dataDir,
    basePort,
    stop: async () => {
      await host.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createTopic(page: Page, name: string, opts: { partitions?: number; rf?: number; policy?: string; configs?: string } = {}): Promise<void> {
  await page.getByTestId('nav-topics').click();
  await page.getByTestId('topic-name').fill(name);
  await page.getByTestId('topic-partitions').fill(String(opts.partitions ?? 3));
  await page.getByTestId('topic-rf').fill(String(opts.rf ?? 3));
  if (opts.policy) await page.getByTestId('topic-policy').selectOption(opts.policy);
  if (opts.configs) {
    if (await page.getByTestId('topic-more-configs').isVisible()) await page.getByTestId('topic-more-configs').click();
    await page.getByTestId('topic-configs').fill(opts.configs);
  }
  await page.getByTestId('create-topic').click();
  await expect(page.getByTestId(`topic-row-${name}`)).toBeVisible();
  await expect(page.getByTestId('topic-detail')).toBeVisible();
}

/** Saves test-results/<name>.png; `height` makes the window taller first, to show a whole panel. */
export async function screenshot(page: Page, name: string, height?: number): Promise<void> {
  const dir = path.join(ROOT, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  const size = page.viewportSize();
  if (height && size) await page.setViewportSize({ width: size.width, height });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(dir, `${name}.png`), animations: 'disabled' });
  if (height && size) await page.setViewportSize(size);
}
