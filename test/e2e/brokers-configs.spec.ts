/**
 * Broker configs panel (Cluster view): a cluster started with --config num.partitions=3
 * shows that value as static and read-only; a nonsense cluster-wide default is refused
 * as it is typed, with the valid range, and nothing changes; a good one is applied to
 * every broker without a restart and shown as the cluster default, then reset.
 */
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import { threeFreePorts } from '../support/ports';
import { startWebHost, tempDataDir } from '../support/web-host';
import { screenshot } from './ui-helpers';

test('broker configs: static values from --config, a dynamic default refused, then set and reset without a restart', async ({ page }) => {
  const dataDir = tempDataDir('sw-bconf-e2e-');
  const basePort = await threeFreePorts();
  const host = await startWebHost(dataDir, ['--port', String(basePort), '--config', 'num.partitions=3', '--config', 'log.retention.hours=48']);
  try {
    await page.goto(host.url);
    await page.getByTestId('nav-cluster').click();
    const panel = page.getByTestId('broker-configs');
    await panel.scrollIntoViewIfNeeded();

    await expect(page.getByTestId('broker-config-value-num.partitions')).toHaveText('3');
    await expect(page.getByTestId('broker-config-source-num.partitions')).toHaveText('start flags');
    await expect(page.getByTestId('broker-config-input-num.partitions')).toHaveCount(0);
    const retention = page.getByTestId('broker-config-input-log.retention.ms');
    await expect(retention).toHaveValue(String(48 * 3_600_000));
    await expect(page.getByTestId('broker-config-source-log.retention.ms')).toHaveText('start flags');

    // Nonsense: refused as typed, with the range; Apply stays off and nothing changes.
    await page.getByTestId('broker-config-filter').fill('retention');
    await retention.fill('soon');
    await expect(page.getByTestId('broker-config-error-log.retention.ms')).toContainText('Invalid value "soon" for broker config log.retention.ms: expected a whole number, at least -1');
    await expect(page.getByTestId('broker-configs-apply')).toBeDisabled();
    await panel.screenshot({ path: 'test-results/broker-configs-refused.png' });
    await retention.fill('-7');
    await expect(page.getByTestId('broker-config-error-log.retention.ms')).toContainText('value must be at least -1');

    // A good value: applied on every broker, shown as the cluster default.
    await retention.fill('3600000');
    await expect(page.getByTestId('broker-config-error-log.retention.ms')).toHaveCount(0);
    await expect(page.getByTestId('broker-configs-apply')).toBeEnabled();
    await page.getByTestId('broker-configs-apply').click();
    await expect(page.getByTestId('broker-configs-note')).toContainText('Cluster-wide dynamic defaults: log.retention.ms=3600000');
    await expect(page.getByTestId('broker-config-source-log.retention.ms')).toHaveText('cluster default');
    await page.getByTestId('broker-configs-broker').selectOption('3');
    await expect(page.getByTestId('broker-config-source-log.retention.ms')).toHaveText('cluster default');
    await expect(retention).toHaveValue('3600000');
    await screenshot(page, 'broker-configs-applied', 1100);
    await panel.screenshot({ path: 'test-results/broker-configs-applied-panel.png' });

    // Reset: back to the value the cluster started with.
    await page.getByTestId('broker-config-reset-log.retention.ms').click();
    await page.getByTestId('broker-configs-apply').click();
    await expect(page.getByTestId('broker-config-source-log.retention.ms')).toHaveText('start flags');
    await expect(retention).toHaveValue(String(48 * 3_600_000));
  } finally {
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
