/**
 * The desktop app itself: Electron main, preload bridge, IPC, engine worker.
 * Runs where an Electron binary is installed; elsewhere it is reported as skipped
 * with the reason (npm drops Electron when its binary download is not possible).
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tempDataDir } from '../support/web-host';

function electronBinary(): { path: string } | { reason: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bin = require('electron') as unknown;
    if (typeof bin === 'string' && fs.existsSync(bin)) return { path: bin };
    return { reason: 'the electron package is present but its binary is not (download skipped or failed)' };
  } catch (err) {
    return { reason: `the Electron binary is not installed here (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})` };
  }
}

const found = electronBinary();
const skipReason = 'reason' in found ? `Electron test skipped: ${found.reason}.` : null;
if (skipReason) console.log(skipReason);

test.describe('desktop app (Electron)', () => {
  test.skip(skipReason !== null, skipReason ?? '');

  let xvfb: ChildProcess | null = null;
  test.beforeAll(() => {
    if (process.platform === 'linux' && !process.env.DISPLAY) {
      xvfb = spawn('Xvfb', [':77', '-screen', '0', '1400x900x24'], { stdio: 'ignore' });
      process.env.DISPLAY = ':77';
    }
  });
  test.afterAll(() => {
    xvfb?.kill();
  });

  test('the window shows 3 brokers; a topic and message made through the preload bridge survive a restart', async () => {
    const dataDir = tempDataDir('sw-electron-');
    const launch = () =>
      electron.launch({
        executablePath: (found as { path: string }).path,
        args: [path.join(ROOT, 'dist', 'electron', 'main.js'), '--data-dir', dataDir, '--no-sandbox'],
        cwd: ROOT,
      });
    try {
      let app = await launch();
      let page = await app.firstWindow();
      for (const id of [1, 2, 3]) await expect(page.getByTestId(`broker-${id}`)).toBeVisible();
      // The page sees the contract and nothing else of Electron.
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((window as unknown as { workbench: object }).workbench).sort())).toContain('createTopic');
      await page.getByTestId('nav-topics').click();
      await page.getByTestId('topic-name').fill('desktop_topic');
      await page.getByTestId('topic-partitions').fill('1');
      await page.getByTestId('topic-rf').fill('1');
      await page.getByTestId('create-topic').click();
      await page.getByTestId('produce-value').fill('hello from the desktop');
      await page.getByTestId('produce-send').click();
      await expect(page.getByTestId('message-0')).toContainText('hello from the desktop');
      await page.screenshot({ path: path.join(ROOT, 'test-results', 'electron.png') });
      await app.close();

      app = await launch();
      page = await app.firstWindow();
      await page.getByTestId('nav-topics').click();
      await page.getByTestId('topic-row-desktop_topic').click();
      await expect(page.getByTestId('message-0')).toContainText('hello from the desktop');
      await app.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
