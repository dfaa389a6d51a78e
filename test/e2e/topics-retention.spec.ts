/**
 * Topics: create a topic with small segments (configs checked by Kafka as they are
 * typed), fill a few segments, then lower retention.ms in the configs editor (a bad
 * value is refused next to its field) and watch retention delete the old segments:
 * the log strip shrinks and the deleted segments are listed. A consumer group's
 * committed offset (set by kafkajs over the wire) is a marker on the strip.
 */
import { expect, test } from '@playwright/test';
import { Kafka, logLevel } from 'kafkajs';
import { createTopic, screenshot, startUiHost } from './ui-helpers';

test('lower retention.ms and see retention delete segments from the partition log strip', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);

    // Kafka's validation of the configs, inline, before anything is created.
    await page.getByTestId('nav-topics').click();
    await page.getByTestId('topic-name').fill('clicks');
    await page.getByTestId('topic-more-configs').click();
    await page.getByTestId('topic-configs').fill('segment.bytes=2048\nretention.ms=soon');
    await expect(page.getByTestId('topic-configs-error')).toContainText('retention.ms');
    await expect(page.getByTestId('topics-empty')).toBeVisible();

    await createTopic(page, 'clicks', { partitions: 1, rf: 2, configs: 'segment.bytes=2048' });

    // About 150 records of 100 bytes: several 2 KiB segments.
    await page.getByTestId('nav-produce').click();
    await page.getByTestId('lg-rate').fill('100');
    await page.getByTestId('lg-keys').fill('0');
    await page.getByTestId('lg-start').click();
    await expect(page.getByTestId('load-state')).toContainText('running');
    await page.waitForTimeout(1500);
    await page.getByTestId('lg-stop').click();
    await expect(page.getByTestId('load-state')).toHaveText('stopped');

    // A consumer group commits offset 100 over the Kafka protocol, as any client would.
    const kafka = new Kafka({ clientId: 'e2e-observe', brokers: [`127.0.0.1:${env.basePort}`], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 200 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.setOffsets({ groupId: 'audit', topic: 'clicks', partitions: [{ partition: 0, offset: '100' }] });
    } finally {
      await admin.disconnect();
    }

    await page.getByTestId('nav-topics').click();
    await page.getByTestId('topic-row-clicks').click();
    await page.getByTestId('tab-log').click();
    await expect(page.getByTestId('log-strip').locator('.marker-group')).toContainText('audit @100');
    const strip = page.getByTestId('log-strip').locator('.replica-primary');
    await expect(strip).toBeVisible();
    await expect(async () => expect(Number(await strip.getAttribute('data-segments'))).toBeGreaterThanOrEqual(4)).toPass();
    const before = Number(await strip.getAttribute('data-segments'));
    await expect(strip.locator('.segment.active')).toHaveCount(1);
    await expect(page.getByTestId('deletions-empty')).toBeVisible();
    await expect(page.getByTestId('log-strip-policy')).toContainText('Retention deletes whole segments from the left');
    await expect(page.getByTestId('log-strip-policy')).not.toContainText('log cleaner');
    await screenshot(page, 'observe-log-strip-before');

    // A bad retention.ms is refused with Kafka's reason next to it; a good one is applied.
    await page.getByTestId('tab-configs').click();
    await page.getByTestId('config-filter').fill('retention');
    // Raw milliseconds and bytes are said in words beside them.
    await expect(page.getByTestId('config-readable-retention.ms')).toHaveText('7 days');
    await page.getByTestId('config-input-retention.ms').fill('soon');
    await expect(page.getByTestId('config-error-retention.ms')).toContainText('retention.ms');
    await expect(page.getByTestId('configs-apply')).toBeDisabled();
    await page.getByTestId('config-input-retention.ms').fill('1000');
    await expect(page.getByTestId('config-error-retention.ms')).toHaveCount(0);
    await expect(page.getByTestId('config-readable-retention.ms')).toHaveText('1 s');
    await page.getByTestId('configs-apply').click();
    await expect(page.getByTestId('configs-note')).toContainText('retention.ms=1000');
    await expect(page.getByTestId('config-source-retention.ms')).toHaveText('set on topic');

    // Retention runs every few seconds: the old segments go, the active one stays.
    await page.getByTestId('tab-log').click();
    await expect(async () => expect(Number(await strip.getAttribute('data-segments'))).toBeLessThan(before)).toPass({ timeout: 30_000 });
    await expect(strip.locator('.segment.active')).toHaveCount(1);
    await expect(page.getByTestId('deletions')).toContainText('retention.ms');
    await expect(page.getByTestId('log-strip').locator('.ghost').first()).toBeVisible();
    await screenshot(page, 'observe-log-strip-after-retention', 980);
  } finally {
    await env.stop();
  }
});
