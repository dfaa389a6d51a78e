/**
 * Shared steps of the scenarios with real clients (browsing, groups): a web host whose Kafka listeners use
 * free high ports, real clients over the wire (kafkajs from npm, kafka-python through
 * /usr/bin/python3), and screenshots into test-results/.
 */
import type { Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { ROOT, startWebHost, tempDataDir, type RunningHost } from '../support/web-host';
import { threeFreePorts } from '../support/ports';

export interface ClientHost {
  host: RunningHost;
  dataDir: string;
  bootstrap: string;
  kafka: Kafka;
  stop(): Promise<void>;
}

/** Starts the web host; on `dataDir` when given (prepared beforehand), else on a new one. */
export async function startClientHost(prepared?: string): Promise<ClientHost> {
  const dataDir = prepared ?? tempDataDir('sw-consume-e2e-');
  const basePort = await threeFreePorts();
  const host = await startWebHost(dataDir, ['--port', String(basePort)]);
  const bootstrap = `127.0.0.1:${basePort}`;
  const kafka = new Kafka({ clientId: 'e2e-kafkajs', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 200 } });
  return {
    host,
    dataDir,
    bootstrap,
    kafka,
    stop: async () => {
      await host.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates topics with kafkajs' admin client (CreateTopics over the wire). */
export async function createTopics(kafka: Kafka, topics: { topic: string; numPartitions: number; replicationFactor?: number }[]): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((t) => ({ replicationFactor: 2, ...t })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function withProducer<T>(kafka: Kafka, fn: (p: Producer) => Promise<T>): Promise<T> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    return await fn(producer);
  } finally {
    await producer.disconnect();
  }
}

/** Runs a Python snippet with the system interpreter (kafka-python is installed there). */
export function python(code: string, timeoutMs = 60_000): string {
  const r = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(ROOT, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(dir, `${name}.png`), animations: 'disabled' });
}
