import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createTopics, screenshot, startClientHost, withProducer, type ClientHost } from './client-helpers';

let h: ClientHost;

test.beforeEach(async () => {
  h = await startClientHost();
});
test.afterEach(async () => {
  await h.stop();
});

test("a group's lag rises while its consumer is slow and falls when it catches up; reset with preview; delete", async ({ page }) => {
  test.setTimeout(150_000);
  await createTopics(h.kafka, [{ topic: 'jobs', numPartitions: 2 }]);
  await page.goto(h.host.url);
  await page.getByTestId('nav-groups').click();
  await expect(page.getByTestId('groups-empty')).toBeVisible();

  // A slow built-in consumer: 250 ms per message.
  await page.getByTestId('consumer-group').fill('workers');
  await page.getByTestId('consumer-topic').selectOption('jobs');
  await page.getByTestId('consumer-delay').fill('250');
  await page.getByTestId('consumer-start').click();
  await expect(page.getByTestId('group-row-workers')).toContainText('Stable', { timeout: 30_000 });
  await expect(page.getByTestId('consumer-consumer-1-state')).toHaveText('consuming');

  // kafkajs produces 20 messages a second for 6 seconds: faster than the consumer keeps up.
  await withProducer(h.kafka, async (p) => {
    for (let second = 0; second < 6; second++) {
      await p.send({ topic: 'jobs', messages: Array.from({ length: 20 }, (_, i) => ({ key: `job-${second}-${i}`, value: `work item ${second * 20 + i}` })) });
      await page.waitForTimeout(1000);
    }
  });
  const peak = page.getByTestId('lag-peak');
  await expect(page.getByTestId('lag-chart').locator('canvas').first()).toBeVisible();
  await expect.poll(async () => Number((await page.getByTestId('lag-figures').getAttribute('data-peak')) || 0), { timeout: 20_000 }).toBeGreaterThan(40);
  await expect(page.getByTestId('group-members')).toContainText('workbench-consumer-1');
  await screenshot(page, 'consume-lag-rising');

  // The consumer catches up once it is fast: lag falls to 0 while the peak stays on the chart.
  await page.getByTestId('consumer-consumer-1-delay').fill('0');
  await page.getByTestId('consumer-consumer-1-apply').click();
  await expect(page.getByTestId('lag-now')).toHaveText('0', { timeout: 30_000 });
  expect(Number(await peak.textContent())).toBeGreaterThan(40);
  await expect(page.getByTestId('group-lag-workers')).toHaveText('0');
  await page.getByTestId('lag-per-partition').check();
  const box = await page.getByTestId('lag-chart').locator('.u-over').boundingBox();
  if (box) await page.mouse.move(box.x + box.width * 0.85, box.y + box.height / 2);
  await screenshot(page, 'consume-lag-rise-and-fall');

  // A second built-in consumer in the same group: the group rebalances, each gets one partition.
  await page.getByTestId('consumer-delay').fill('0');
  await page.getByTestId('consumer-start').click();
  await expect(page.getByTestId('group-members').locator('tbody tr')).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('group-members')).toContainText('workbench-consumer-2');
  await expect(page.getByTestId('consumer-consumer-1-assigned')).toHaveText(/^partition [01]$/, { timeout: 30_000 });
  await expect(page.getByTestId('consumer-consumer-2-assigned')).toHaveText(/^partition [01]$/, { timeout: 30_000 });
  await expect(page.getByTestId('group-row-workers')).toContainText('Stable');
  await expect(page.getByTestId('group-members')).toContainText('jobs: 0');
  await expect(page.getByTestId('group-members')).toContainText('jobs: 1');
  await screenshot(page, 'consume-rebalanced');

  // Reset while the group is active: the preview warns, applying is refused with Kafka's error.
  await page.getByTestId('reset-target').selectOption('earliest');
  await page.getByTestId('reset-preview').click();
  await expect(page.getByTestId('reset-preview-table')).toContainText('→');
  await expect(page.getByTestId('reset-refusal')).toContainText('only resets the offsets of an inactive group');
  await page.getByTestId('reset-apply').click();
  await expect(page.getByTestId('reset-error')).toContainText('can only be reset while the group is inactive');
  await expect(page.getByTestId('reset-error')).toContainText('UNKNOWN_MEMBER_ID');

  // Stop the consumers: the group becomes Empty; shift back by 20 with a preview, then apply.
  await page.getByTestId('consumer-consumer-1-stop').click();
  await page.getByTestId('consumer-consumer-2-stop').click();
  await expect(page.getByTestId('group-row-workers')).toContainText('Empty', { timeout: 30_000 });
  await page.getByTestId('reset-topic').selectOption('jobs');
  await page.getByTestId('reset-target').selectOption('shift');
  await page.getByTestId('reset-value').fill('abc');
  await page.getByTestId('reset-preview').click();
  await expect(page.getByTestId('reset-error')).toContainText('not a whole number');
  await page.getByTestId('reset-value').fill('-20');
  await page.getByTestId('reset-preview').click();
  const table = page.getByTestId('reset-preview-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('reset-refusal')).toHaveCount(0);
  await screenshot(page, 'consume-reset-preview');
  const rows = await table.locator('tbody tr').allTextContents();
  await page.getByTestId('reset-apply').click();
  await expect(page.getByTestId('reset-applied')).toContainText('Committed 2 offsets');
  await expect(page.getByTestId('group-lag-workers')).toHaveText('40');
  expect(rows).toHaveLength(2);

  // A consumer of the user's own (kafkajs) shows up like the built-in one.
  const consumer = h.kafka.consumer({ groupId: 'my-app' });
  await consumer.connect();
  await consumer.subscribe({ topic: 'jobs', fromBeginning: true });
  let seen = 0;
  await consumer.run({ eachMessage: async () => void seen++ });
  await expect(page.getByTestId('group-row-my-app')).toContainText('Stable', { timeout: 30_000 });
  await page.getByTestId('group-row-my-app').click();
  await expect(page.getByTestId('group-members')).toContainText('e2e-kafkajs');
  await consumer.disconnect();
  expect(seen).toBeGreaterThan(0);

  // And one of kafka-python's, in a process of its own.
  const py = spawn('/usr/bin/python3', ['-c', `
from kafka import KafkaConsumer
c = KafkaConsumer('jobs', bootstrap_servers='${h.bootstrap}', group_id='py-app', auto_offset_reset='earliest', consumer_timeout_ms=25000)
for m in c:
    pass
c.close()
`], { stdio: 'ignore' });
  try {
    await expect(page.getByTestId('group-row-py-app')).toContainText('Stable', { timeout: 40_000 });
    await page.getByTestId('group-row-py-app').click();
    await expect(page.getByTestId('group-members')).toContainText('kafka-python');
    await expect(page.getByTestId('group-partitions')).toContainText('jobs');
  } finally {
    py.kill('SIGTERM');
  }

  // Delete the inactive group: it is gone.
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('group-row-workers').click();
  await page.getByTestId('group-delete').click();
  await expect(page.getByTestId('group-row-workers')).toHaveCount(0);
});

test("the brokers' own __consumer_offsets: counted apart in Cluster, listed on request in Topics, decoded in Messages", async ({ page }) => {
  test.setTimeout(90_000);
  await createTopics(h.kafka, [{ topic: 'audit', numPartitions: 1 }]);
  await withProducer(h.kafka, (p) => p.send({ topic: 'audit', messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] }));
  await page.goto(h.host.url);
  await page.getByTestId('nav-groups').click();
  await page.getByTestId('consumer-group').fill('auditors');
  await page.getByTestId('consumer-topic').selectOption('audit');
  await page.getByTestId('consumer-delay').fill('0');
  await page.getByTestId('consumer-start').click();
  await expect(page.getByTestId('group-row-auditors')).toContainText('Stable', { timeout: 30_000 });
  await page.getByTestId('group-row-auditors').click();
  await expect(page.getByTestId('group-partitions')).toContainText('3');

  // Cluster: the 50 internal partitions are counted, and said to be internal.
  await page.getByTestId('nav-cluster').click();
  await expect(page.locator('[data-testid$="-led"]').filter({ hasText: 'internal' }).first()).toBeVisible();

  // Topics: hidden until asked for; then listed, and not deletable from here.
  await page.getByTestId('nav-topics').click();
  await expect(page.getByTestId('topic-row-__consumer_offsets')).toHaveCount(0);
  await page.getByTestId('show-internal-topics').check();
  await page.getByTestId('topic-row-__consumer_offsets').click();
  await expect(page.getByTestId('topic-internal')).toBeVisible();
  await expect(page.getByTestId('delete-topic')).toHaveCount(0);

  // Messages: the group's commit, decoded instead of raw bytes.
  await page.getByTestId('nav-messages').click();
  await page.getByTestId('msg-topic').selectOption('__consumer_offsets');
  const commit = page.getByTestId('internal-key').filter({ hasText: 'offset commit · group auditors · audit-0' }).last();
  await expect(commit).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('internal-key').filter({ hasText: 'group metadata · group auditors' }).first()).toBeVisible();
  await commit.click();
  await expect(page.getByTestId('detail-internal')).toContainText('"group"');
  await expect(page.getByTestId('detail-internal')).toContainText('auditors');
  await screenshot(page, 'consume-consumer-offsets-decoded');
});
