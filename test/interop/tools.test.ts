/**
 * The guide's shell commands, run verbatim (without `npx`) against the real workbench
 * cluster: `node dist/engine/host/cli.js serve --no-ui` on 127.0.0.1, data in a temporary
 * directory. The commands run through /bin/sh with the tools' bin shims on PATH, so
 * quoting, the bin entries and the built bundles are all exercised, and each must print
 * what Kafka 3.7's tools print.
 *
 * Port: the cluster listens on 9092-9094 when those are free, so the commands run exactly
 * as written; otherwise on three free ports P..P+2 and `localhost:9092` in the commands
 * is replaced by `localhost:P` (nothing else changes).
 *
 * Needs `npm run build` first (npm test builds). Skipped while the build has no `serve`
 * command that prints the bootstrap line.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threeFreePorts } from '../support/ports';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'engine', 'host', 'cli.js');
const TOOLS = ['kafka-topics', 'kafka-configs', 'kafka-console-producer', 'kafka-console-consumer', 'kafka-consumer-groups', 'kafka-log-dirs'];
const serverAvailable =
  fs.existsSync(CLI) &&
  fs.readFileSync(CLI, 'utf8').includes('Bootstrap: ') &&
  TOOLS.every((t) => fs.existsSync(path.join(ROOT, 'dist', 'engine', 'tools', 'entries', `${t}.js`)));


let server: ChildProcess | null = null;
let dataDir = '';
let binDir = '';
let port = 9092;

/** Runs one of the guide's commands as written, on our port. */
function sh(command: string, input = ''): { code: number; out: string; err: string } {
  const line = port === 9092 ? command : command.replaceAll('localhost:9092', `localhost:${port}`);
  const r = spawnSync('/bin/sh', ['-c', line], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` },
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe.skipIf(!serverAvailable)('the guide’s commands against the workbench cluster', () => {
  beforeAll(async () => {
    port = await threeFreePorts({ prefer9092: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-tools-interop-'));
    binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-tools-bin-'));
    for (const t of TOOLS) fs.symlinkSync(path.join(ROOT, 'engine', 'tools', 'bin', `${t}.js`), path.join(binDir, t));
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
    fs.rmSync(binDir, { recursive: true, force: true });
  });

  it('creates user_activity (section 2)', () => {
    const r = sh('kafka-topics --create --topic user_activity --bootstrap-server localhost:9092 --partitions 1 --replication-factor 1');
    expect(r.err).toBe('');
    expect(r.out).toBe(
      "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\nCreated topic user_activity.\n",
    );
    expect(r.code).toBe(0);
  });

  it('describes user_activity’s configs: no dynamic overrides yet (section 3)', () => {
    const r = sh('kafka-configs --describe --entity-type topics --entity-name user_activity --bootstrap-server localhost:9092');
    expect(r).toEqual({ code: 0, out: 'Dynamic configs for topic user_activity are:\n', err: '' });
  });

  it('creates high_traffic with 4 partitions replicated twice (section 5)', () => {
    const r = sh('kafka-topics --create --topic high_traffic --bootstrap-server localhost:9092 --partitions 4 --replication-factor 2');
    expect(r.out.endsWith('Created topic high_traffic.\n')).toBe(true);
    expect(r.code).toBe(0);
  });

  it('describes high_traffic in Kafka’s format (sections 6 and 8)', () => {
    const r = sh('kafka-topics --describe --topic high_traffic --bootstrap-server localhost:9092');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^Topic: high_traffic\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 4\tReplicationFactor: 2\tConfigs: /);
    for (let p = 0; p < 4; p++) {
      const m = /^\tTopic: high_traffic\tPartition: (\d+)\tLeader: (\d+)\tReplicas: (\d+),(\d+)\tIsr: ([\d,]+)$/.exec(lines[p + 1]!);
      expect(m, lines[p + 1]).not.toBeNull();
      expect(Number(m![1])).toBe(p);
      expect([m![3], m![4]]).toContain(m![2]);
      expect(m![3]).not.toBe(m![4]);
    }
  });

  it('turns on compaction for system_logs (section 11)', () => {
    expect(sh('kafka-topics --create --topic system_logs --bootstrap-server localhost:9092').code).toBe(0);
    const r = sh("kafka-configs --alter --entity-type topics --entity-name system_logs --add-config 'cleanup.policy=compact' --bootstrap-server localhost:9092");
    expect(r).toEqual({ code: 0, out: 'Completed updating config for topic system_logs.\n', err: '' });
    const d = sh('kafka-configs --describe --entity-type topics --entity-name system_logs --bootstrap-server localhost:9092');
    expect(d.out.split('\n')[0]).toBe('Dynamic configs for topic system_logs are:');
    expect(d.out.split('\n')[1]).toMatch(/^ {2}cleanup\.policy=compact sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:cleanup\.policy=compact(, .*)?\}$/);
  });

  it('round-trips keyed lines through the console producer and consumer, and shows the group', () => {
    const p = sh('kafka-console-producer --bootstrap-server localhost:9092 --topic user_activity --property parse.key=true --property key.separator=:', 'userA:page_view\nuserB:click\n');
    expect(p).toEqual({ code: 0, out: '', err: '' });
    const c = sh('kafka-console-consumer --bootstrap-server localhost:9092 --topic user_activity --from-beginning --group readers --max-messages 2 --property print.key=true');
    expect(c.out).toBe('userA\tpage_view\nuserB\tclick\n');
    expect(c.err.trimEnd().split('\n').pop()).toBe('Processed a total of 2 messages');
    const g = sh('kafka-consumer-groups --bootstrap-server localhost:9092 --describe --group readers');
    expect(g.code).toBe(0);
    expect(g.out.split('\n')[2]).toMatch(/^readers +user_activity +0 +2 +2 +0 +- +- +-$/);
  });

  it('reports an existing topic as Kafka does', () => {
    const r = sh('kafka-topics --create --topic user_activity --bootstrap-server localhost:9092 --partitions 1 --replication-factor 1');
    expect(r.code).toBe(1);
    expect(r.out.trimEnd().split('\n').pop()).toBe("Error while executing topic command : Topic 'user_activity' already exists.");
  });

  it('kafka-log-dirs describes each broker’s folder and the bytes of the replicas it holds, as Kafka prints it', () => {
    expect(sh('kafka-topics --create --topic dir_sizes --partitions 2 --replication-factor 3 --bootstrap-server localhost:9092').code).toBe(0);
    expect(sh('kafka-console-producer --bootstrap-server localhost:9092 --topic dir_sizes', 'one\ntwo\nthree\n').code).toBe(0);
    const r = sh('kafka-log-dirs --describe --bootstrap-server localhost:9092 --topic-list dir_sizes --broker-list 1,3');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['Querying brokers for log directories information', 'Received log directory information from brokers 1,3']);
    const json = JSON.parse(lines[2]) as { version: number; brokers: { broker: number; logDirs: { logDir: string; error: null; partitions: { partition: string; size: number; offsetLag: number; isFuture: boolean }[] }[] }[] };
    expect(lines[2].startsWith('{"brokers":[{"broker":1,"logDirs":[{"partitions":[{"partition":"dir_sizes-0","size":')).toBe(true);
    expect(json.version).toBe(1);
    expect(json.brokers.map((b) => b.broker)).toEqual([1, 3]);
    for (const b of json.brokers) {
      const [d] = b.logDirs;
      expect(d.logDir).toBe(path.join(dataDir, `broker-${b.broker}`));
      expect(d.error).toBeNull();
      expect(d.partitions.map((p) => p.partition)).toEqual(['dir_sizes-0', 'dir_sizes-1']);
      for (const p of d.partitions) {
        const folder = path.join(d.logDir, p.partition);
        const onDisk = fs.readdirSync(folder).filter((f) => f.endsWith('.log')).reduce((sum, f) => sum + fs.statSync(path.join(folder, f)).size, 0);
        expect(p.size).toBe(onDisk);
        expect(p.isFuture).toBe(false);
      }
    }
    expect(json.brokers[0].logDirs[0].partitions.reduce((sum, p) => sum + p.size, 0)).toBeGreaterThan(0);
    const unknown = sh('kafka-log-dirs --describe --bootstrap-server localhost:9092 --broker-list 1,7');
    expect(unknown).toEqual({ code: 1, out: '', err: 'ERROR: The given brokers do not exist from --broker-list: 7. Current existent brokers: 1,2,3\n' });
  });
});
