/**
 * Cluster view: move a partition to another broker from the partition map (pick the
 * brokers, read the preview, start), watch the new replica copy the log and join the
 * ISR while the old one leaves; start a move to a broker that is down, see it wait,
 * cancel it and see the partition keep its replicas; elect preferred leaders.
 */
import { expect, test, type Locator } from '@playwright/test';
import { createTopic, screenshot, startUiHost } from './ui-helpers';

async function brokersWithRole(row: Locator, roles: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const cell of await row.locator('[data-role]').all()) {
    if (roles.includes((await cell.getAttribute('data-role'))!)) ids.push(Number(/-b(\d+)$/.exec((await cell.getAttribute('data-testid'))!)![1]));
  }
  return ids;
}

test('move a partition to another broker, cancel a move that cannot finish, elect preferred leaders', async ({ page }) => {
  const env = await startUiHost();
  try {
    await page.goto(env.host.url);
    await createTopic(page, 'moves', { partitions: 1, rf: 2 });
    await page.getByTestId('nav-produce').click();
    await page.getByTestId('lg-rate').fill('500');
    await page.getByTestId('lg-start').click();
    await expect(page.getByTestId('load-state')).toContainText('running');
    await page.getByTestId('nav-cluster').click();
    const row = page.getByTestId('pmap-moves-0');
    await expect(page.getByTestId('pmap-moves-0-isr')).toHaveText(/^\d, \d$/);
    const [leader] = await brokersWithRole(row, ['leader']);
    const [follower] = await brokersWithRole(row, ['follower']);
    const spare = [1, 2, 3].find((b) => b !== leader && b !== follower)!;

    // Move it off its leader: the spare broker first (the new preferred leader), then the follower.
    await page.getByTestId('pmap-moves-0-move').click();
    await expect(page.getByTestId('pmap-move-preview')).toContainText('Pick the brokers');
    await page.getByTestId(`pmap-move-b${spare}`).check();
    await page.getByTestId(`pmap-move-b${follower}`).check();
    await expect(page.getByTestId('pmap-move-preview')).toContainText(`Broker ${spare} gets a new replica`);
    await expect(page.getByTestId('pmap-move-preview')).toContainText(`Then broker ${leader} leaves the replica set`);
    await expect(page.getByTestId('pmap-move-preview')).toContainText(`The leader (broker ${leader}) is leaving: leadership moves to broker ${spare}`);
    await screenshot(page, 'reassign-preview', 1000);
    await page.getByTestId('pmap-move-start').click();

    // Done: the spare broker is in the ISR, the old leader holds no replica, leadership moved.
    await expect(page.getByTestId(`pmap-moves-0-b${leader}`)).toHaveAttribute('data-role', 'none', { timeout: 30_000 });
    await expect(page.getByTestId('pmap-moves-0-isr')).toHaveText(new RegExp(`^(${spare}, ${follower}|${follower}, ${spare})$`));
    await expect(page.getByTestId(`pmap-moves-0-b${spare}`)).toHaveAttribute('data-role', 'leader');
    await expect(page.getByTestId(`pmap-moves-0-b${spare}`)).toHaveAttribute('data-preferred', 'yes');
    await expect(page.getByTestId('pmap-moves-0-move')).toBeVisible();
    await expect(page.getByTestId('event-feed')).toContainText('moves-0');
    await screenshot(page, 'reassign-done', 1000);

    // A move to a broker that is down waits for it: the map says so, and Cancel undoes it.
    await page.getByTestId(`broker-${leader}-kill`).click();
    await expect(page.getByTestId(`broker-${leader}-state`)).toHaveText('killed');
    await page.getByTestId('pmap-moves-0-move').click();
    await page.getByTestId(`pmap-move-b${leader}`).check();
    await page.getByTestId(`pmap-move-b${spare}`).check();
    await page.getByTestId('pmap-move-start').click();
    await expect(page.getByTestId('pmap-moves-0-moving')).toContainText(`broker ${leader} waiting (down)`);
    await expect(page.getByTestId('pmap-moves-0-moving')).toContainText(`then ${follower} leaves`);
    await expect(page.getByTestId(`pmap-moves-0-b${leader}`)).toHaveAttribute('data-role', 'adding');
    await expect(page.getByTestId(`pmap-moves-0-b${follower}`)).toHaveAttribute('data-leaving', 'yes');
    await screenshot(page, 'reassign-waiting', 1000);
    await page.getByTestId('pmap-moves-0-cancel').click();
    await expect(page.getByTestId('pmap-moves-0-moving')).toHaveCount(0);
    await expect(page.getByTestId(`pmap-moves-0-b${leader}`)).toHaveAttribute('data-role', 'none');
    await expect(page.getByTestId(`pmap-moves-0-b${follower}`)).not.toHaveAttribute('data-leaving', 'yes');

    // Preferred leaders: the spare broker is the first replica; the button says what it did.
    await page.getByTestId('pmap-moves-elect').click();
    await expect(page.getByTestId('pmap-moves-elect-result')).toHaveText(/leadership moved for partition 0|1 already led by its preferred replica/);
    await expect(page.getByTestId(`pmap-moves-0-b${spare}`)).toHaveAttribute('data-role', 'leader');
    await screenshot(page, 'reassign-elected', 1000);
    await page.getByTestId(`broker-${leader}-restart`).click();
    await expect(page.getByTestId(`broker-${leader}-state`)).toHaveText('up', { timeout: 20_000 });
  } finally {
    await env.stop();
  }
});
