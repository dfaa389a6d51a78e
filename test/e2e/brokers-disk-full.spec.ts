import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startWebHost, tempDataDir, type RunningHost } from '../support/web-host';

// The data folder on a small tmpfs mounted here (root only): the disk can really fill.
// Mounted in beforeAll, not at load: Playwright also loads this file in its collecting
// process, where afterAll never runs, so a mount made at load would be left behind.
const TMPFS_MB = 64;
let mountDir = '';
let mountProblem: string | null = 'not mounted yet';

test.beforeAll(() => {
  mountDir = tempDataDir('sw-e2e-tmpfs-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m`, 'tmpfs', mountDir], { encoding: 'utf8' });
  mountProblem = mounted.status === 0 ? null : (mounted.stderr || mounted.error?.message || 'mount failed').trim();
  if (mountProblem) console.log(`Disk-full browser scenario skipped: cannot mount a tmpfs here (${mountProblem}).`);
});

test.afterAll(() => {
  if (mountDir === '') return;
  if (mountProblem === null) spawnSync('umount', [mountDir]);
  fs.rmSync(mountDir, { recursive: true, force: true });
});

/** Writes zeros into `file` until the disk is full (or `mb` MB are written). */
function ballast(file: string, mb = TMPFS_MB): void {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(1 << 20);
  try {
    for (let i = 0; i < mb; i++) fs.writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

async function createTopic(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-topics').click();
  await page.getByTestId('topic-name').fill(name);
  await page.getByTestId('topic-partitions').fill('1');
  await page.getByTestId('topic-rf').fill('3');
  await page.getByTestId('create-topic').click();
  await expect(page.getByTestId(`topic-row-${name}`)).toBeVisible();
}

async function produce(page: Page, value: string): Promise<void> {
  await page.getByTestId('produce-value').fill(value);
  await page.getByTestId('produce-send').click();
}

test.describe('a disk that fills up', () => {
  test.beforeEach(() => {
    test.skip(mountProblem !== null, `cannot mount a tmpfs: ${mountProblem}`);
  });

  test('the free-space guard: a banner says where and how much, producing is refused, and works again once space is freed', async ({ page }) => {
    const dataDir = path.join(mountDir, 'guarded');
    const host: RunningHost = await startWebHost(dataDir, ['--min-free-bytes', '40MB']);
    try {
      await page.goto(host.url);
      await createTopic(page, 'before_full');
      await produce(page, 'written while there is room');
      await expect(page.getByTestId('produce-ok')).toContainText('offset 0');
      await expect(page.getByTestId('disk-banner')).toHaveCount(0);

      ballast(path.join(mountDir, 'ballast-1'), 30);
      const banner = page.getByTestId('disk-banner');
      await expect(banner).toBeVisible();
      await expect(banner).toContainText(dataDir);
      await expect(banner).toContainText('38.1 MiB'); // 40 MB
      await expect(banner).toContainText('writes resume by themselves');
      await expect(banner).toContainText('Brokers 1, 2, 3 refuse'); // each broker reads its disk every second
      await produce(page, 'refused');
      await expect(page.getByRole('alert').filter({ hasText: 'refuses writes for now' })).toBeVisible();
      await page.getByTestId('nav-cluster').click();
      for (const id of [1, 2, 3]) {
        await expect(page.getByTestId(`broker-${id}-state`)).toHaveText('up');
        await expect(page.getByTestId(`broker-${id}-disk`)).toContainText('writes refused');
      }
      await page.screenshot({ path: 'test-results/disk-full-banner.png' });

      fs.rmSync(path.join(mountDir, 'ballast-1'));
      await expect(banner).toHaveCount(0);
      await createTopic(page, 'after_freeing');
      await produce(page, 'written again');
      await expect(page.getByTestId('produce-ok')).toContainText('offset 0');
    } finally {
      await host.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('without the guard: a broker that hits ENOSPC says why and what to do, and Restart brings it back once space is freed', async ({ page }) => {
    const dataDir = path.join(mountDir, 'unguarded');
    const host: RunningHost = await startWebHost(dataDir, ['--min-free-bytes', '0']);
    try {
      await page.goto(host.url);
      await createTopic(page, 'fills_up');
      await produce(page, 'first');
      await expect(page.getByTestId('produce-ok')).toContainText('offset 0');

      ballast(path.join(mountDir, 'ballast-2'));
      await produce(page, 'x'.repeat(50_000));
      await page.getByTestId('nav-cluster').click();
      const failure = page.locator('[data-testid$="-failure"]').first();
      await expect(failure).toBeVisible();
      await expect(failure).toContainText('no space left on the disk (ENOSPC) while writing');
      await expect(failure).toContainText(`Free space on the disk that holds ${dataDir}`);
      await expect(page.getByTestId('event-feed')).toContainText('stopped: no space left on the disk');
      await page.screenshot({ path: 'test-results/disk-full-broker-failed.png' });

      fs.rmSync(path.join(mountDir, 'ballast-2'));
      // Restart whichever brokers stopped (another may still be stopping as its write fails).
      await expect(async () => {
        for (const id of [1, 2, 3]) {
          if ((await page.getByTestId(`broker-${id}-state`).textContent()) === 'failed') await page.getByTestId(`broker-${id}-restart`).click();
        }
        for (const id of [1, 2, 3]) expect(await page.getByTestId(`broker-${id}-state`).textContent()).toBe('up');
      }).toPass({ timeout: 45_000, intervals: [500, 1000, 2000] });
      await expect(page.locator('[data-testid$="-failure"]')).toHaveCount(0);
    } finally {
      await host.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
