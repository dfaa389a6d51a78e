import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, startWebHost, tempDataDir } from '../support/web-host';

test('create a topic, produce, see the message, restart on the same data dir, still there', async ({ page }) => {
  const dataDir = tempDataDir();
  let host = await startWebHost(dataDir);
  try {
    await page.goto(host.url);
    // A fresh data dir opens on the lessons, with a way to skip them for good.
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await expect(page.getByTestId('lesson-list').locator('li')).toHaveCount(11);
    await page.getByTestId('learn-skip').click();
    // Three brokers, ids 1..3, and no topics yet.
    for (const id of [1, 2, 3]) await expect(page.getByTestId(`broker-${id}`)).toBeVisible();
    await expect(page.getByTestId('broker-4')).toHaveCount(0);
    await page.getByTestId('nav-topics').click();
    await expect(page.getByTestId('topics-empty')).toBeVisible();

    // A name Kafka refuses gets its error next to the name field, and nothing is created.
    await page.getByTestId('topic-name').fill('bad name!');
    await page.getByTestId('create-topic').click();
    await expect(page.getByTestId('topic-name-error')).toContainText('letters, digits');
    await expect(page.getByTestId('topics-empty')).toBeVisible();

    // Replication factor above the broker count is refused next to its field.
    await page.getByTestId('topic-name').fill('user_activity');
    await page.getByTestId('topic-rf').fill('4');
    await page.getByTestId('create-topic').click();
    await expect(page.getByTestId('topic-rf-error')).toContainText('larger than available brokers: 3');

    await page.getByTestId('topic-rf').fill('2');
    await page.getByTestId('topic-partitions').fill('2');
    await page.getByTestId('create-topic').click();
    await expect(page.getByTestId('topic-row-user_activity')).toBeVisible();
    await expect(page.getByTestId('partition-table').locator('tbody tr')).toHaveCount(2);

    // Produce to partition 1 explicitly; it shows up in that partition's list.
    await page.getByTestId('produce-key').fill('userA');
    await page.getByTestId('produce-partition').fill('1');
    await page.getByTestId('produce-value').fill('{"event":"page_view","user":"userA"}');
    await page.getByTestId('produce-send').click();
    await expect(page.getByTestId('produce-ok')).toContainText('partition 1 at offset 0');
    const row = page.getByTestId('message-0');
    await expect(row).toContainText('userA');
    await expect(row).toContainText('{"event":"page_view","user":"userA"}');
    await expect(page.getByTestId('partition-1-hw')).toHaveText('1');

    // A partition that does not exist is refused next to the partition field.
    await page.getByTestId('produce-partition').fill('7');
    await page.getByTestId('produce-send').click();
    await expect(page.getByTestId('produce-partition-error')).toContainText('no partition 7');

    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'first-run.png') });

    // Quit and start again on the same data dir: the topic and message are still there.
    await host.stop();
    host = await startWebHost(dataDir);
    await page.goto(host.url);
    // Skipped once: the Cluster view is the start from now on.
    await expect(page.getByTestId('broker-1')).toBeVisible();
    await expect(page.getByTestId('learn-view')).toHaveCount(0);
    await page.getByTestId('nav-topics').click();
    await page.getByTestId('topic-row-user_activity').click();
    await page.getByTestId('partition-row-1').click();
    await expect(page.getByTestId('message-0')).toContainText('{"event":"page_view","user":"userA"}');
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'first-run-after-restart.png') });
  } finally {
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
