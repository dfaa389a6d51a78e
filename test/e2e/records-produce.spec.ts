/**
 * Produce view: the producer panel shows which partition murmur2 picks for a key as it
 * is typed, refuses invalid JSON next to the value, and the record lands on exactly
 * that partition; the load generator fills every partition in parallel, a consumer
 * keeps up, and the brokers count the bytes served without re-encoding.
 */
import { expect, test } from '@playwright/test';
import { partitionForKey } from '../../engine/cluster/partitioner';
import { createTopic, screenshot, startUiHost } from './ui-helpers';

test('produce by key lands on the partition murmur2 predicts; the load generator fills the partitions', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await createTopic(page, 'user_activity', { partitions: 6, rf: 2 });
    await page.getByTestId('nav-produce').click();
    await expect(page.getByTestId('produce-topic')).toHaveValue('user_activity');

    // The murmur2 pick, shown as the key is typed, for a few keys.
    for (const key of ['userA', 'userB', 'sensor-42']) {
      await page.getByTestId('pp-key').fill(key);
      await expect(page.getByTestId('murmur-partition')).toHaveText(String(partitionForKey(Buffer.from(key), 6)));
    }
    const key = 'userA';
    const expected = partitionForKey(Buffer.from(key), 6);
    await page.getByTestId('pp-key').fill(key);
    await expect(page.getByTestId('murmur-partition')).toHaveText(String(expected));

    // JSON is checked as it is typed; nothing is sent while it is invalid.
    await page.getByTestId('pp-format-json').click();
    await page.getByTestId('pp-value').fill('{"event": "page_view", "user": ');
    await expect(page.getByTestId('pp-value-error')).toContainText('Not valid JSON');
    await page.getByTestId('pp-send').click();
    await expect(page.getByTestId('produce-result')).toHaveCount(0);
    await page.getByTestId('pp-value').fill('{"event": "page_view", "user": "userA", "timestamp": "2024-09-15T12:00:00Z"}');
    await expect(page.getByTestId('pp-value-error')).toHaveCount(0);

    await page.getByTestId('pp-add-header').click();
    await page.getByTestId('pp-header-key-0').fill('source');
    await page.getByTestId('pp-header-value-0').fill('workbench');
    await page.getByTestId('pp-acks').selectOption('-1');
    await page.getByTestId('pp-compression').selectOption('gzip');
    await page.getByTestId('pp-send').click();
    await expect(page.getByTestId('produce-result-partition')).toHaveText(String(expected));
    await expect(page.getByTestId('produce-result')).toContainText('picked by murmur2 of the key');
    await expect(page.getByTestId('produce-result')).toContainText('gzip');
    await screenshot(page, 'observe-produce-by-key');

    // The record is on the predicted partition, and only there.
    await page.getByTestId('nav-topics').click();
    await page.getByTestId('topic-row-user_activity').click();
    for (let p = 0; p < 6; p++) await expect(page.getByTestId(`partition-${p}-hw`)).toHaveText(p === expected ? '1' : '0');
    await expect(page.getByTestId('topic-messages')).toHaveText('1 message');
    await page.getByTestId(`partition-row-${expected}`).click();
    await expect(page.getByTestId('message-0')).toContainText('"user": "userA"');
    await page.getByTestId('nav-produce').click();

    // The load generator: every partition fills, a consumer keeps up, zero-copy bytes are counted.
    await page.getByTestId('lg-rate').fill('3000');
    await page.getByTestId('lg-keys').fill('500');
    await page.getByTestId('lg-compression').selectOption('lz4');
    await page.getByTestId('lg-start').click();
    await expect(page.getByTestId('load-state')).toContainText('running on user_activity');
    await expect(async () => {
      const text = (await page.getByTestId('lg-achieved').textContent()) ?? '';
      expect(Number(/^([\d.]+)/.exec(text)?.[1] ?? 0)).toBeGreaterThan(1000);
    }).toPass({ timeout: 15_000 });
    await expect(page.getByTestId('zero-copy-bytes')).not.toHaveText('0 B');
    const fill = page.getByTestId('partition-fill').locator('.fill-row');
    await expect(fill).toHaveCount(6);
    for (let p = 0; p < 6; p++) await expect(fill.nth(p).locator('.num')).not.toHaveText('0');
    await expect(page.getByTestId('load-chart').locator('canvas')).toBeVisible();
    await page.waitForTimeout(2000);
    await screenshot(page, 'observe-load-generator', 1320);

    // A page opened while it runs shows the running settings, not the form's defaults,
    // so "Apply settings" there would not silently change the rate.
    const other = await page.context().newPage();
    await other.goto(env.host.url);
    await other.getByTestId('nav-produce').click();
    await expect(other.getByTestId('lg-start')).toHaveText('Apply settings');
    await expect(other.getByTestId('lg-rate')).toHaveValue('3000');
    await expect(other.getByTestId('lg-keys')).toHaveValue('500');
    await expect(other.getByTestId('lg-compression')).toHaveValue('lz4');
    await other.close();
    await page.getByTestId('lg-stop').click();
    await expect(page.getByTestId('load-state')).toHaveText('stopped');

    // An explicit partition outside the topic is refused next to the field.
    await page.getByTestId('pp-explicit').check();
    await page.getByTestId('pp-partition').fill('9');
    await expect(page.getByTestId('pp-partition-error')).toContainText('0 to 5');

    // Partitions can be added from the UI: fewer is refused as typed, more are created.
    await page.getByTestId('nav-topics').click();
    await page.getByTestId('topic-row-user_activity').click();
    await page.getByTestId('tab-overview').click();
    await page.getByTestId('add-partitions-open').click();
    await page.getByTestId('add-partitions-count').fill('4');
    await expect(page.getByTestId('add-partitions')).toContainText('a topic can only grow');
    await expect(page.getByTestId('add-partitions-submit')).toBeDisabled();
    await page.getByTestId('add-partitions-count').fill('8');
    await page.getByTestId('add-partitions-submit').click();
    await expect(page.getByTestId('partition-7-hw')).toHaveText('0');
    await expect(page.getByTestId('topic-row-user_activity')).toContainText('8 × 2');
  } finally {
    await env.stop();
  }
});
