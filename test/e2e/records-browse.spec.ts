import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../engine/engine';
import { buildBatch } from '../../engine/storage/record-batch';
import { createTopics, python, screenshot, startClientHost, withProducer, type ClientHost } from './client-helpers';

const T0 = Date.parse('2024-09-15T12:00:00Z');
let h: ClientHost;

test.beforeEach(async () => {
  h = await startClientHost();
});
test.afterEach(async () => {
  await h.stop();
});

test('seek by timestamp, filter by key in the engine, see a record in full, export and import it back', async ({ page }) => {
  await createTopics(h.kafka, [{ topic: 'orders', numPartitions: 3 }]);
  // 60 orders over 60 seconds, spread over 3 partitions, produced by kafkajs with explicit timestamps.
  await withProducer(h.kafka, (p) =>
    p.send({
      topic: 'orders',
      messages: Array.from({ length: 60 }, (_, i) => ({
        partition: i % 3,
        key: `user-${i % 5}`,
        value: JSON.stringify({ order: i, user: { id: i % 5, name: `User ${i % 5}` }, total: 10 + i }),
        timestamp: String(T0 + i * 1000),
        headers: { source: i % 2 ? 'web' : 'app' },
      })),
    }),
  );

  await page.goto(h.host.url);
  await page.getByTestId('nav-messages').click();
  await page.getByTestId('msg-topic').selectOption('orders');
  // Opened at latest: the newest record is at the bottom, live.
  await expect(page.getByTestId('view-facts')).toContainText('60 rows');
  await expect(page.getByTestId('tail-live')).toBeVisible();
  await expect(page.getByTestId('msg-2-19')).toBeVisible();
  // The picker says what the list does: it starts at the latest record and follows.
  await expect(page.getByTestId('seek-kind')).toHaveValue('latest');

  // Seek by timestamp: 12:00:30.5 UTC — the first record at or after it is order 31 (partition 1, offset 10).
  await page.getByTestId('seek-kind').selectOption('timestamp');
  await page.getByTestId('seek-time').fill('2024-09-15T12:00:30.500Z');
  await page.getByTestId('seek-go').click();
  await expect(page.getByTestId('seek-notice')).toContainText('partition 1, offset 10');
  const target = page.getByTestId('msg-1-10');
  await expect(target).toHaveClass(/selected/);
  await expect(target).toContainText('user-1');
  // The detail pane shows the value as a JSON tree, with text and hex views.
  await expect(page.getByTestId('detail-value-tree')).toContainText('"order"');
  await expect(page.getByTestId('detail-value-tree')).toContainText('31');
  await expect(page.getByTestId('detail-headers')).toContainText('web');
  await screenshot(page, 'consume-seek-by-timestamp');
  await page.getByTestId('detail-value-hex').click();
  await expect(page.getByTestId('hex-dump')).toContainText('7b 22 6f 72');
  await page.getByTestId('detail-value-text').click();
  // The arrow keys move the selection through the time-ordered rows: order 32 is next (partition 2).
  await page.getByTestId('message-rows').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('msg-2-10')).toHaveClass(/selected/);
  await expect(page.getByTestId('message-detail')).toContainText('Partition 2 · offset 10');

  // A timestamp that does not parse is refused here; one Kafka refuses, by the engine.
  await page.getByTestId('seek-time').fill('yesterday noon');
  await page.getByTestId('seek-go').click();
  await expect(page.getByTestId('seek-error')).toContainText('not a date and time');
  await page.getByTestId('seek-kind').selectOption('offset');
  await page.getByTestId('seek-offset-partition').selectOption('2');
  await page.getByTestId('seek-offset').fill('500');
  await page.getByTestId('seek-go').click();
  await expect(page.getByTestId('seek-error')).toContainText('holds offsets 0 to 19');

  // Filter by key, evaluated in the engine: user-3 has 12 orders.
  await page.getByTestId('filter-key').fill('user-3');
  await page.getByTestId('filter-run').click();
  await expect(page.getByTestId('filter-matches')).toHaveText('12');
  await expect(page.getByTestId('filter-status')).toContainText('60 of 60 offsets');
  await expect(page.getByTestId('view-facts')).toContainText('12 matches');
  for (const i of [3, 8, 58]) await expect(page.getByTestId(`msg-${i % 3}-${Math.floor(i / 3)}`)).toBeVisible();
  // A malformed JSON path is refused with the reason and where.
  await page.getByTestId('filter-json-path').fill('$.user[');
  await page.getByTestId('filter-run').click();
  await expect(page.getByTestId('filter-error')).toContainText('JSON path "$.user[" does not parse at character 7');
  // Key and JSON path together.
  await page.getByTestId('filter-json-path').fill('$.user.id');
  await page.getByTestId('filter-json-equals').fill('3');
  await page.getByTestId('filter-run').click();
  await expect(page.getByTestId('filter-matches')).toHaveText('12');
  await screenshot(page, 'consume-filter-by-key');

  // Export the filter result as JSONL: written under the data dir, downloadable in the browser.
  await page.getByTestId('export-format').selectOption('jsonl');
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-path')).toContainText(path.join(h.dataDir, 'exports'));
  const download = page.waitForEvent('download');
  await page.getByTestId('export-download').click();
  const file = path.join(h.dataDir, 'downloaded.jsonl');
  await (await download).saveAs(file);
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  expect(lines).toHaveLength(12);
  expect(JSON.parse(lines[0])).toMatchObject({ topic: 'orders', key: 'user-3', headers: [{ key: 'source', value: 'web' }] });

  // Import it into another topic, plus a bad line: the report says exactly what went in.
  await createTopics(h.kafka, [{ topic: 'orders-copy', numPartitions: 3 }]);
  fs.appendFileSync(file, '\n{"key":"x","value":"ok"}\nthis is not json\n{"key":"y","value":"never"}\n');
  await page.getByTestId('filter-clear').click();
  await page.getByTestId('msg-topic').selectOption('orders-copy');
  await page.getByTestId('import-file').setInputFiles(file);
  const report = page.getByTestId('import-report');
  // Line 13 is blank (skipped and counted), 14 a record, 15 not JSON.
  await expect(report).toContainText('Line 15: it is not JSON');
  await expect(report).toContainText('Imported 13 records from lines 1–12, 14');
  await expect(report).toContainText('1 blank line skipped');
  await expect(report).toContainText('Not imported: lines 15–16');
  await expect(page.getByTestId('view-facts')).toContainText('13 rows');
  await screenshot(page, 'consume-import-report');

  // A file whose first line is refused: the report says nothing went in, in words.
  const bad = path.join(h.dataDir, 'bad.jsonl');
  fs.writeFileSync(bad, 'not json at all\n');
  await page.getByTestId('import-file').setInputFiles(bad);
  await expect(report).toContainText('Line 1: it is not JSON');
  await expect(page.getByTestId('import-imported')).toHaveText('Nothing was imported.');
  await expect(report).toContainText('Not imported: line 1.');
  await expect(report).not.toContainText('none');
});

test('live tail shows a message produced by kafka-python over the wire; pause stops following', async ({ page }) => {
  await createTopics(h.kafka, [{ topic: 'user_activity', numPartitions: 1, replicationFactor: 1 }]);
  await page.goto(h.host.url);
  await page.getByTestId('nav-messages').click();
  await page.getByTestId('msg-topic').selectOption('user_activity');
  await expect(page.getByTestId('messages-empty')).toBeVisible();
  await expect(page.getByTestId('tail-live')).toBeVisible();

  // The guide's own producer code, with the bootstrap server of this test's cluster.
  python(`
from kafka import KafkaProducer
import json
producer = KafkaProducer(bootstrap_servers='${h.bootstrap}', value_serializer=lambda v: json.dumps(v).encode('utf-8'))
message = {'event': 'page_view', 'user': 'userA', 'timestamp': '2024-09-15T12:00:00Z'}
producer.send('user_activity', value=message)
producer.flush()
`);
  const row = page.getByTestId('msg-0-0');
  await expect(row).toContainText('page_view');
  await expect(row).toContainText('userA');
  await expect(row).toContainText('null');
  await row.click();
  await expect(page.getByTestId('detail-value-tree')).toContainText('"event"');
  await screenshot(page, 'consume-live-tail-kafka-python');

  // Pause: new records are counted, not shown; resume shows them.
  await page.getByTestId('tail-pause').click();
  python(`
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers='${h.bootstrap}')
for i in range(3): p.send('user_activity', key=b'k%d' % i, value=b'later %d' % i)
p.send('user_activity', key=b'gone', value=None)
p.flush()
`);
  await expect(page.getByTestId('tail-new')).toContainText('4 new');
  await expect(page.getByTestId('msg-0-1')).toHaveCount(0);
  await page.getByTestId('tail-resume').click();
  await expect(page.getByTestId('msg-0-3')).toContainText('later 2');
  await expect(page.getByTestId('msg-0-4')).toContainText('tombstone');
});

test('a million-record topic scrolls by rows: the scrollbar jumps anywhere, the wheel moves a few rows, End reaches the last', async ({ page }) => {
  test.setTimeout(120_000);
  await h.stop();
  // Fill a topic quickly through the engine's produce path, then serve that data dir.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-consume-big-'));
  const engine = new Engine({ dataDir });
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await engine.commands.createTopic({ name: 'big', partitions: 1, replicationFactor: 1 });
    for (let base = 0; base < 1_000_000; base += 10_000) {
      const records = Array.from({ length: 10_000 }, (_, i) => ({ key: Buffer.from(`k${base + i}`), value: Buffer.from(`record number ${base + i}`), timestampMs: T0 + base + i }));
      const res = await engine.io.append('big', 0, await buildBatch({ records }));
      expect(res.errorCode).toBe(0);
    }
  } finally {
    clearInterval(keepAlive);
    await engine.close();
  }
  h = await startClientHost(dataDir);

  await page.goto(h.host.url);
  await page.getByTestId('nav-messages').click();
  await page.getByTestId('msg-topic').selectOption('big');
  await expect(page.getByTestId('view-facts')).toContainText('1,000,000 rows');
  await expect(page.getByTestId('msg-0-999999')).toBeVisible();
  const rows = page.getByTestId('message-rows');
  const firstOffset = async () => {
    const ids = await rows.locator('[data-testid^="msg-0-"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-testid')!.split('-')[2])));
    // No rendered rows (still loading) is not an offset: NaN fails every comparison below.
    return ids.length === 0 ? Number.NaN : Math.min(...ids);
  };
  // Home: the first record.
  await rows.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('msg-0-0')).toBeVisible();
  // The scrollbar maps onto all rows: halfway down is about row 500,000.
  await rows.evaluate((el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2));
  await expect.poll(firstOffset).toBeGreaterThan(490_000);
  await expect(rows.locator('.msg-loading')).toHaveCount(0);
  const middle = await firstOffset();
  expect(middle).toBeLessThan(510_000);
  // Three wheel notches move a few rows, not thousands.
  await rows.hover();
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, 100);
  await expect.poll(firstOffset).toBeGreaterThan(middle);
  expect((await firstOffset()) - middle).toBeLessThan(30);
  await screenshot(page, 'consume-million-rows');
  await page.keyboard.press('End');
  await expect(page.getByTestId('msg-0-999999')).toBeVisible();
});
