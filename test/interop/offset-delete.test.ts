/**
 * OffsetDelete end to end against `node dist/engine/host/cli.js serve --no-ui` on 127.0.0.1:
 * `kafka-consumer-groups --delete-offsets` (Kafka's messages and STATUS table), a kafkajs
 * consumer whose subscription protects its topic (GROUP_SUBSCRIBED_TO_TOPIC), the offsets
 * of a deleted topic going with it, and `kafka-broker-api-versions` (one block per broker).
 * kafkajs' admin has no OffsetDelete call, so the tools (the engine's own client) send it.
 *
 * Needs `npm run build` first. Skipped while the build lacks the serve command or the tools.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threeFreePorts } from '../support/ports';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'engine', 'host', 'cli.js');
const TOOLS = ['kafka-topics', 'kafka-consumer-groups', 'kafka-broker-api-versions'];
const serverAvailable =
  fs.existsSync(CLI) && TOOLS.every((t) => fs.existsSync(path.join(ROOT, 'dist', 'engine', 'tools', 'entries', `${t}.js`)));

let server: ChildProcess | null = null;
let dataDir = '';
let port = 0;

function tool(name: string, args: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'engine', 'tools', 'bin', `${name}.js`), ...args.replaceAll('BOOT', `127.0.0.1:${port}`).split(' ')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!serverAvailable)('OffsetDelete and kafka-broker-api-versions against serve', () => {
  beforeAll(async () => {
    port = await threeFreePorts();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-offset-delete-'));
    server = spawn(process.execPath, [CLI, 'serve', '--no-ui', '--port', String(port), '--data-dir', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the server did not print its bootstrap line: ${out}`)), 30_000);
      server!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (/Bootstrap: \S+/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      server!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited with code ${code}: ${out}`));
      });
    });
  }, 60_000);

  afterAll(async () => {
    if (server !== null && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const describeGroup = (group: string) => tool('kafka-consumer-groups', `--bootstrap-server BOOT --describe --group ${group}`);

  it('deletes an Empty group’s offsets of chosen partitions, then of a whole topic; the group goes with its last offset', () => {
    expect(tool('kafka-topics', '--bootstrap-server BOOT --create --topic od --partitions 3 --replication-factor 2').code).toBe(0);
    expect(tool('kafka-consumer-groups', '--bootstrap-server BOOT --reset-offsets --group g1 --topic od --to-offset 0 --execute').code).toBe(0);
    const r = tool('kafka-consumer-groups', '--bootstrap-server BOOT --delete-offsets --group g1 --topic od:0,2');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const row = (a: string, b: string, c: string) => `\n${a.padEnd(30)} ${b.padEnd(15)} ${c.padEnd(15)}\n`;
    expect(r.out).toBe('Request succeed for deleting offsets with topic od:0,2 group g1\n' + row('TOPIC', 'PARTITION', 'STATUS') + row('od', '0', 'Successful') + row('od', '2', 'Successful'));
    const left = describeGroup('g1').out.split('\n').filter((l) => l.startsWith('g1 '));
    expect(left.map((l) => l.split(/ +/).slice(1, 3).join(':'))).toEqual(['od:1']);

    expect(tool('kafka-consumer-groups', '--bootstrap-server BOOT --delete-offsets --group g1 --topic od').out).toContain(row('od', '1', 'Successful'));
    expect(describeGroup('g1').out).toContain("Error: Consumer group 'g1' does not exist.");
  });

  it('reports an unknown group, an unknown topic and an unknown partition in Kafka’s words', () => {
    expect(tool('kafka-consumer-groups', '--bootstrap-server BOOT --delete-offsets --group nobody --topic od:0').out).toBe(
      "\nError: 'nobody' does not exist.\n" + `\n${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(15)} ${'STATUS'.padEnd(15)}\n` + `\n${'od'.padEnd(30)} ${'0'.padEnd(15)} ${'Error: The group id does not exist.'.padEnd(15)}\n`,
    );
    expect(tool('kafka-consumer-groups', '--bootstrap-server BOOT --reset-offsets --group g2 --topic od:0 --to-offset 0 --execute').code).toBe(0);
    const r = tool('kafka-consumer-groups', '--bootstrap-server BOOT --delete-offsets --group g2 --topic od:0,9 --topic missing');
    expect(r.out.split('\n')[1]).toBe('Error: Encounter some partition level error, see the follow-up details:');
    expect(r.out).toMatch(/\nmissing +Not Provided +Error: This broker does not host this topic-partition\.\s*\n/);
    expect(r.out).toMatch(/\nod +0 +Successful\s*\n/);
    expect(r.out).toMatch(/\nod +9 +Error: This broker does not host this topic-partition\.\s*\n/);
  });

  it('keeps the offsets of a topic a kafkajs consumer subscribes to (GROUP_SUBSCRIBED_TO_TOPIC), deletes the others', async () => {
    expect(tool('kafka-topics', '--bootstrap-server BOOT --create --topic other --partitions 1 --replication-factor 1').code).toBe(0);
    expect(tool('kafka-consumer-groups', '--bootstrap-server BOOT --reset-offsets --group live --topic other --to-offset 0 --execute').code).toBe(0);
    const kafka = new Kafka({ clientId: 'offset-delete-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: 'live' });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: 'od', fromBeginning: true });
      let joined = false;
      consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
      await consumer.run({ eachMessage: async () => {} });
      await until('the kafkajs consumer to join', () => joined);
      const r = tool('kafka-consumer-groups', '--bootstrap-server BOOT --delete-offsets --group live --topic od:0 --topic other');
      expect(r.out.split('\n')[1]).toBe('Error: Encounter some partition level error, see the follow-up details:');
      expect(r.out).toMatch(/\nod +0 +Error: Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it\.\n/);
      expect(r.out).toMatch(/\nother +0 +Successful\s*\n/);
    } finally {
      await consumer.disconnect();
    }
  }, 60_000);

  it('a deleted topic takes the groups’ committed offsets of it along', async () => {
    expect(tool('kafka-topics', '--bootstrap-server BOOT --create --topic doomed --partitions 1 --replication-factor 1').code).toBe(0);
    expect(tool('kafka-consumer-groups', '--bootstrap-server BOOT --reset-offsets --group g3 --topic doomed --topic od:1 --to-offset 0 --execute').code).toBe(0);
    expect(describeGroup('g3').out).toMatch(/\ng3 +doomed +0 /);
    expect(tool('kafka-topics', '--bootstrap-server BOOT --delete --topic doomed').code).toBe(0);
    await until('doomed’s offsets to go', () => {
      const out = describeGroup('g3').out;
      return !out.includes('doomed') && /\ng3 +od +1 /.test(out);
    });
  }, 60_000);

  it('kafka-broker-api-versions prints one block per broker, each API with its range and usable version', () => {
    const r = tool('kafka-broker-api-versions', '--bootstrap-server BOOT');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const blocks = r.out.split(/^(?=\S+ \(id: \d+ rack: \S+\) -> \($)/m);
    expect(blocks).toHaveLength(3);
    for (const b of blocks) {
      expect(b).toMatch(/\(id: \d+ rack: null\) -> \(\n\tProduce\(0\): 0 to \d+ \[usable: \d+\],\n/);
      expect(b).toContain('\tOffsetDelete(47): 0 [usable: 0],\n');
      expect(b.endsWith('\n)\n')).toBe(true);
    }
  });
});
