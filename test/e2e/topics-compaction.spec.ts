/**
 * Compaction: write duplicate keys to a compacted topic, clean now, and see on the
 * page the cleaner's before → after (records down to one per key), the keys kept,
 * and the surviving records keeping their offsets with gaps where the older values were;
 * then delete the topic.
 */
import { expect, test } from '@playwright/test';
import { createTopic, screenshot, startUiHost } from './ui-helpers';

test('write duplicate keys to a compacted topic, clean now, and see only the latest value per key remain', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await createTopic(page, 'profiles', { partitions: 1, rf: 3, policy: 'compact' });
    await page.getByTestId('tab-compaction').click();
    await expect(page.getByTestId('compaction-sections')).toBeVisible();
    await expect(page.getByTestId('no-runs')).toBeVisible();

    // 20 keys × 5 values each = 100 records.
    await page.getByTestId('dup-keys').fill('20');
    await page.getByTestId('dup-rounds').fill('5');
    await page.getByTestId('write-duplicates').click();
    await expect(page.getByTestId('compaction-note')).toContainText('Wrote 100 records (20 keys × 5 rounds) at offsets 0–99');
    await expect(page.getByTestId('record-sample')).toContainText('from offset 0, 80 shown');

    await page.getByTestId('clean-now').click();
    await expect(page.getByTestId('compaction-records-after')).toHaveText('20');
    await expect(page.getByTestId('compaction-records')).toContainText('100 →');
    await expect(page.getByTestId('compaction-keys')).toHaveText('20');
    await expect(page.getByTestId('compaction-note')).toContainText('100 → 20 records');

    // The survivors keep their offsets (80–99): the 80 older values are a gap.
    await expect(page.getByTestId('record-sample')).toContainText('from offset 80, 20 shown');
    await expect(page.getByTestId('offset-gap').first()).toHaveText('80 removed');
    await expect(page.getByTestId('dirty-ratio')).toContainText('0.00');
    await screenshot(page, 'observe-compaction', 1200);

    // The Log segments tab explains the cleaner, not retention, on a compact-only topic.
    await page.getByTestId('tab-log').click();
    await expect(page.getByTestId('log-strip-policy')).toContainText('The log cleaner (cleanup.policy compact) rewrites the rolled segments');
    await expect(page.getByTestId('log-strip-policy')).toContainText('Retention deletes nothing here');
    await expect(page.getByTestId('log-strip-policy')).not.toContainText('deletes whole segments');
    await expect(page.getByTestId('deletions-empty')).toHaveCount(0);
    await screenshot(page, 'observe-compaction-log-tab');
    await page.getByTestId('tab-compaction').click();

    // A second round of duplicates: the dirty ratio rises past min.cleanable.dirty.ratio until cleaned again.
    await page.getByTestId('dup-rounds').fill('3');
    await page.getByTestId('write-duplicates').click();
    await expect(page.getByTestId('compaction-note')).toContainText('Wrote 60 records');
    await page.getByTestId('clean-now').click();
    await expect(page.getByTestId('compaction-records-after')).toHaveText('20');
    await expect(page.getByTestId('record-sample')).toContainText('from offset 140, 20 shown');

    // Delete the topic (asked once, inline): it leaves the list and the detail panel.
    await page.getByTestId('delete-topic').click();
    await page.getByTestId('delete-topic-confirm').click();
    await expect(page.getByTestId('topic-row-profiles')).toHaveCount(0);
    await expect(page.getByTestId('topics-empty')).toBeVisible();
  } finally {
    await env.stop();
  }
});

test('a keyless record written before the topic became compacted is removed by the first clean, and the panel says why', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await createTopic(page, 'system_logs', { partitions: 1, rf: 1 });
    await page.getByTestId('nav-produce').click();
    await page.getByTestId('pp-key').fill('');
    await page.getByTestId('pp-format-text').click();
    await page.getByTestId('pp-value').fill('written without a key');
    await page.getByTestId('pp-send').click();
    await expect(page.getByTestId('produce-result-partition')).toHaveText('0');

    await page.getByTestId('nav-topics').click();
    await page.getByTestId('topic-row-system_logs').click();
    await page.getByTestId('tab-compaction').click();
    await page.getByTestId('make-compacted').click();
    await expect(page.getByTestId('compaction-sections')).toBeVisible();
    await expect(page.getByTestId('clean-now-hint')).toContainText('first rolls the active segment');
    await page.getByTestId('dup-keys').fill('5');
    await page.getByTestId('dup-rounds').fill('2');
    await page.getByTestId('write-duplicates').click();
    await expect(page.getByTestId('compaction-note')).toContainText('Wrote 10 records');
    await page.getByTestId('clean-now').click();
    await expect(page.getByTestId('compaction-records')).toContainText('11 →');
    await expect(page.getByTestId('compaction-records-after')).toHaveText('5');
    await expect(page.getByTestId('compaction-keyless')).toContainText('1');
    await expect(page.getByTestId('compaction-keyless')).toContainText('removed for having no key');
    await expect(page.getByTestId('compaction-note')).toContainText('1 of them removed for having no key');
    await screenshot(page, 'observe-compaction-keyless', 1100);
  } finally {
    await env.stop();
  }
});
