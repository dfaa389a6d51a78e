/**
 * Cluster view: kill the leader of a partition for real and see, drawn on the page,
 * the broker marked killed, a new leader for the partition, the ISR shrunk to the
 * survivors, the move in the event feed and in the replication timeline; restart the
 * broker and see it rejoin the ISR; each card shows the bytes its replicas hold, and its
 * log dir table the size and lag of each replica.
 */
import { expect, test } from '@playwright/test';
import { createTopic, screenshot, startUiHost } from './ui-helpers';

test('kill the leader of a partition: a new leader takes over and the ISR shrinks, then grows back', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await createTopic(page, 'orders', { partitions: 3, rf: 3 });
    // Keep records flowing while the broker dies, as a real producer would.
    await page.getByTestId('nav-produce').click();
    await page.getByTestId('lg-rate').fill('2000');
    await page.getByTestId('lg-start').click();
    await expect(page.getByTestId('load-state')).toContainText('running');
    await page.getByTestId('nav-cluster').click();
    await page.waitForTimeout(3000);
    const row = page.getByTestId('pmap-orders-0');
    await expect(row).toBeVisible();
    await expect(page.getByTestId('pmap-orders-0-isr')).toHaveText(/^\d, \d, \d$/);

    // Who leads orders-0 now, as drawn.
    const leaderCell = row.locator('[data-role="leader"]');
    await expect(leaderCell).toHaveCount(1);
    const leaderTestId = (await leaderCell.getAttribute('data-testid'))!;
    const oldLeader = Number(/-b(\d+)$/.exec(leaderTestId)![1]);
    await expect(page.getByTestId('pmap-orders-0-isr')).toContainText(String(oldLeader));

    await page.getByTestId(`broker-${oldLeader}-kill`).click();
    await expect(page.getByTestId(`broker-${oldLeader}-state`)).toHaveText('killed');

    // A new leader from the ISR, the old one out of the ISR (after the broker's session times out).
    await expect(page.getByTestId(`pmap-orders-0-b${oldLeader}`)).not.toHaveAttribute('data-role', 'leader', { timeout: 20_000 });
    await expect(row.locator('[data-role="leader"]')).toHaveCount(1);
    const newLeaderId = Number(/-b(\d+)$/.exec((await row.locator('[data-role="leader"]').getAttribute('data-testid'))!)![1]);
    expect(newLeaderId).not.toBe(oldLeader);
    await expect(page.getByTestId('pmap-orders-0-isr')).not.toContainText(String(oldLeader));
    await expect(page.getByTestId(`pmap-orders-0-b${oldLeader}`)).toHaveAttribute('data-role', 'out-of-sync');
    await expect(page.getByTestId('event-feed')).toContainText(`orders-0: leader ${oldLeader} → ${newLeaderId}`);
    await expect(page.getByTestId('event-feed')).toContainText(`orders-0: broker ${oldLeader} left the ISR (ISR now`);
    await expect(page.getByTestId('cluster-summary')).toContainText('under-replicated');
    await expect(page.getByTestId(`broker-${newLeaderId}-led`)).not.toHaveText('0');
    await screenshot(page, 'observe-cluster-leader-killed', 1180);

    // The replication timeline of that partition shows the new leader and epoch.
    await page.getByTestId('nav-topics').click();
    await page.getByTestId('topic-row-orders').click();
    await page.getByTestId('tab-replication').click();
    await expect(page.getByTestId('replication-leader')).toHaveText(String(newLeaderId));
    await expect(page.getByTestId('replication-epoch')).not.toHaveText('0');
    await expect(page.getByTestId('replication-isr')).not.toContainText(String(oldLeader));
    await expect(page.getByTestId('isr-timeline-chart').locator('canvas')).toBeVisible();
    await page.waitForTimeout(1500);
    await screenshot(page, 'observe-replication-timeline', 1120);

    // Restart it: it catches up and the ISR grows back.
    await page.getByTestId('nav-cluster').click();
    await page.getByTestId(`broker-${oldLeader}-restart`).click();
    await expect(page.getByTestId(`broker-${oldLeader}-state`)).toHaveText('up', { timeout: 20_000 });
    await expect(page.getByTestId('pmap-orders-0-isr')).toContainText(String(oldLeader), { timeout: 30_000 });
    await expect(page.getByTestId('event-feed')).toContainText(`broker ${oldLeader} caught up and joined the ISR`);
    await screenshot(page, 'observe-cluster-isr-regrown');

    // Each card says what its replicas hold on disk; the table lists each replica's size and lag.
    await expect(page.getByTestId(`broker-${newLeaderId}-replica-bytes`)).not.toHaveText(/^0 B$/);
    await page.getByTestId(`broker-${newLeaderId}-log-dirs-toggle`).click();
    const logDirRow = page.getByTestId(`broker-${newLeaderId}-log-dirs-table`).getByTestId('log-dir-orders-0');
    await expect(logDirRow).toContainText('leader');
    await expect(logDirRow.locator('td').nth(1)).not.toHaveText(/^0 B$/);
    await expect(logDirRow.locator('td').nth(2)).toHaveText('0');
    await page.getByTestId(`broker-${newLeaderId}`).screenshot({ path: 'test-results/broker-log-dirs.png' });

    // A page opened now still shows the failover: the feed comes from the engine's history.
    const late = await page.context().newPage();
    await late.goto(env.host.url);
    await late.getByTestId('nav-cluster').click();
    const feed = late.getByTestId('event-feed');
    await expect(feed).toContainText(`Broker ${oldLeader}: up → killed`);
    await expect(feed).toContainText(`orders-0: broker ${oldLeader} left the ISR`);
    await expect(feed).toContainText(`broker ${oldLeader} caught up and joined the ISR`);
    await late.close();
  } finally {
    await env.stop();
  }
});
