/**
 * Clients: the guide's section 4 consumer (kafka-python, no group) is visible, with
 * where it reads; a kafkajs producer shows what it produces; both leave the list when
 * they disconnect.
 */
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

test('a consumer without a group shows up in Clients with where it reads, next to a producer', async ({ page }) => {
  await createTopics(h.kafka, [{ topic: 'user_activity', numPartitions: 1, replicationFactor: 1 }]);
  await withProducer(h.kafka, (p) => p.send({ topic: 'user_activity', messages: [{ value: 'a' }, { value: 'b' }] }));
  await page.goto(h.host.url);
  await page.getByTestId('nav-clients').click();
  await expect(page.getByTestId('clients-view')).toBeVisible();

  const py = spawn('/usr/bin/python3', ['-c', `
from kafka import KafkaConsumer
consumer = KafkaConsumer('user_activity', bootstrap_servers='${h.bootstrap}', auto_offset_reset='earliest', client_id='guide-consumer')
for message in consumer:
    pass
`], { stdio: 'ignore' });
  try {
    const row = page.getByTestId('client-guide-consumer').filter({ has: page.getByTestId('client-fetches').filter({ hasText: 'user_activity-0' }) });
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row.getByTestId('client-fetches')).toContainText('user_activity-0 @2');
    await expect(row.getByTestId('client-groups')).toContainText('none: reads without a group');

    // A producer that stays connected shows what it produces.
    const producer = h.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({ topic: 'user_activity', messages: [{ value: 'c' }] });
      await expect(page.getByTestId('client-e2e-kafkajs').getByTestId('client-produces').filter({ hasText: 'user_activity-0' })).toBeVisible();
      await expect(row.getByTestId('client-fetches')).toContainText('user_activity-0 @3');
      await screenshot(page, 'clients-view');
    } finally {
      await producer.disconnect();
    }
  } finally {
    py.kill('SIGKILL');
  }
  await expect(page.getByTestId('client-guide-consumer')).toHaveCount(0, { timeout: 20_000 });
});
