/**
 * Every view at the widths people use (1280, 1440 and 1920 px): nothing spills out of
 * its panel (tables, forms and strips stay inside their card, and cards inside the
 * view), with and without a lesson pane beside the view. SW_LAYOUT_SHOTS=1 saves a
 * picture of every view at every width into test-results/ for a look by eye.
 */
import { expect, test, type Page } from '@playwright/test';
import { createTopic, screenshot, startUiHost } from './ui-helpers';

const WIDTHS = [1280, 1440, 1920];
const VIEWS = ['cluster', 'topics', 'produce', 'messages', 'groups', 'learn', 'clients'] as const;

/** Descendants of a card that reach past its right edge, or cards that reach past the view: what a person sees cut off. */
async function spills(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const main = document.querySelector('.main') as HTMLElement;
    const mainRight = main.getBoundingClientRect().right;
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}.${[...el.classList].join('.')}`;
    for (const card of document.querySelectorAll('.main .card')) {
      const c = card.getBoundingClientRect();
      if (c.width === 0) continue;
      if (c.right > mainRight + 1) out.push(`${describe(card)} ends at ${Math.round(c.right)} past the view (${Math.round(mainRight)})`);
      for (const el of card.querySelectorAll('table, input, select, button, .row, .strip, .log-strip')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0) continue;
        // Inside a scrolling box the overflow is reachable; only count what is cut off for good.
        let scroller = el.parentElement;
        let scrolls = false;
        while (scroller && scroller !== card) {
          const o = getComputedStyle(scroller).overflowX;
          if (o === 'auto' || o === 'scroll') scrolls = true;
          scroller = scroller.parentElement;
        }
        if (!scrolls && r.right > c.right + 1) out.push(`${describe(el)} in ${describe(card)} ends at ${Math.round(r.right)}, card ends at ${Math.round(c.right)}`);
      }
    }
    // A table wider than the column it sits in runs under whatever is beside it.
    for (const table of document.querySelectorAll('.main table')) {
      const r = table.getBoundingClientRect();
      const box = table.parentElement!.getBoundingClientRect();
      const o = getComputedStyle(table.parentElement!).overflowX;
      if (r.width > 0 && o !== 'auto' && o !== 'scroll' && r.right > box.right + 1) out.push(`${describe(table)} ends at ${Math.round(r.right)}, its column at ${Math.round(box.right)}`);
    }
    return out;
  });
}

test('every view fits at 1280, 1440 and 1920 px wide, with and without a lesson beside it', async ({ page }) => {
  test.setTimeout(180_000);
  const env = await startUiHost();
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(env.host.url);
    await createTopic(page, 'user_activity_with_a_rather_long_name', { partitions: 6, rf: 3 });
    await createTopic(page, 'high_traffic', { partitions: 3, rf: 2 });
    // The topic list sorts by a column when its header is clicked (numbers biggest first), and back.
    const firstRow = page.getByTestId('topic-list').locator('tbody tr').first();
    await expect(firstRow).toHaveAttribute('data-testid', 'topic-row-high_traffic');
    await page.getByTestId('topic-sort-partitions').click();
    await expect(firstRow).toHaveAttribute('data-testid', 'topic-row-user_activity_with_a_rather_long_name');
    await page.getByTestId('topic-sort-partitions').click();
    await expect(firstRow).toHaveAttribute('data-testid', 'topic-row-high_traffic');
    await page.getByTestId('topic-sort-name').click();

    await page.getByTestId('nav-produce').click();
    await page.getByTestId('pp-value').fill('{"event":"page_view","user":"userA"}');
    await page.getByTestId('pp-send').click();
    await expect(page.getByTestId('produce-result')).toBeVisible();
    for (const lesson of [false, true]) {
      if (lesson) {
        await page.getByTestId('nav-learn').click();
        await page.getByTestId('lesson-topics-start').click();
        await expect(page.getByTestId('lesson-pane')).toBeVisible();
      }
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        for (const view of VIEWS) {
          await page.getByTestId(`nav-${view}`).click();
          if (view === 'topics') await page.getByTestId('topic-row-high_traffic').click();
          await page.waitForTimeout(300);
          const found = await spills(page);
          if (found.length > 0 || process.env.SW_LAYOUT_SHOTS) await screenshot(page, `layout-${view}-${width}${lesson ? '-lesson' : ''}`);
          expect(found, `${view} at ${width} px${lesson ? ' beside a lesson' : ''}`).toEqual([]);
        }
      }
    }
  } finally {
    await env.stop();
  }
});
