/**
 * A full disk, for real: the cluster (`npm run serve`) keeps its data on a small tmpfs
 * mounted by the test, and confluent-kafka's idempotent acks=all producer writes 1 kB
 * records into a topic with RF 3 and min.insync.replicas=2 as fast as it can.
 *
 * Without the free-space guard the disk runs full: brokers stop on ENOSPC, and `serve`
 * says which one, why, on which file and what to do; every record the producer was told
 * was written is on at least two replicas' disks (read straight from the segment
 * files); once a ballast file is deleted, restarting the failed brokers brings them
 * back, they catch up, and every acknowledged record can be consumed.
 *
 * With the guard, writes are refused before the disk is full while the brokers stay up
 * and reading goes on; deleting the ballast lets writes resume by themselves.
 *
 * Mounting needs root (CAP_SYS_ADMIN); where it is not allowed, the tests say so and
 * are skipped.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStoredBatch, decodeRecordsSync } from '../../engine/storage/record-batch';
import { PYTHON, built, pythonHas, serve, type Served } from './serve';

const TMPFS_MB = 64;
const BALLAST_MB = 16;

function tryMount(dir: string): string | null {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr || r.error?.message || `mount exited ${r.status}`).trim();
}

const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-tmpfs-probe-'));
const mountProblem = !built() ? 'the app is not built (run npm run build)' : !pythonHas('confluent_kafka') ? 'confluent-kafka is not installed (apt-get install python3-confluent-kafka)' : tryMount(probe);
if (mountProblem === null) spawnSync('umount', [probe]);
fs.rmSync(probe, { recursive: true, force: true });
if (mountProblem !== null) console.log(`Disk-full interop tests skipped: cannot mount a tmpfs here (${mountProblem}).`);

/** Produces 1 kB records as fast as it can; prints one line per acknowledged record, "ACK <offset> <seq>". */
const PRODUCER = (bootstrap: string, seconds: number, stopAfterErrorS: number) => `
import sys, time
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': '${bootstrap}', 'enable.idempotence': True, 'acks': 'all',
              'compression.type': 'none', 'linger.ms': 5, 'message.timeout.ms': 8000,
              'queue.buffering.max.messages': 20000})
first_error = [None]
def report(err, msg):
    if err is None:
        print('ACK', msg.offset(), msg.value()[:12].decode(), flush=False)
    else:
        if first_error[0] is None:
            first_error[0] = time.time()
            print('ERR', err.code(), err.str(), flush=False)
pad = 'x' * 1000
seq = 0
end = time.time() + ${seconds}
while time.time() < end:
    if first_error[0] is not None and time.time() - first_error[0] > ${stopAfterErrorS}:
        break
    try:
        p.produce('disk', value=('%012d' % seq + pad).encode(), on_delivery=report)
        seq += 1
    except BufferError:
        p.poll(0.05)
    p.poll(0)
p.flush(20)
print('SENT', seq)
sys.stdout.flush()
`;

function runPython(dir: string, code: string, timeoutMs = 120_000): string {
  const file = path.join(os.tmpdir(), `sw-disk-${Math.random().toString(36).slice(2)}.py`);
  fs.writeFileSync(file, code);
  try {
    const r = spawnSync(PYTHON, [file], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 << 20, cwd: dir });
    if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function acknowledged(out: string): Map<number, string> {
  const acked = new Map<number, string>();
  for (const m of out.matchAll(/^ACK (\d+) (\d{12})$/gm)) acked.set(Number(m[1]), m[2]);
  return acked;
}

/** offset → first 12 bytes of the value, from a broker's segment files (whole, valid batches only). */
function onDisk(brokerDir: string): Map<number, string> {
  const out = new Map<number, string>();
  const dir = path.join(brokerDir, 'disk-0');
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.log')).sort()) {
    const buf = fs.readFileSync(path.join(dir, f));
    let end = 0;
    while (end < buf.length && checkStoredBatch(buf, end, buf.length) === null) end += buf.readInt32BE(end + 8) + 12;
    for (const r of decodeRecordsSync(buf.subarray(0, end))) out.set(r.offset, r.value!.subarray(0, 12).toString());
  }
  return out;
}

/** The whole answer to `status` (command() resolves with its first line only). */
async function status(served: Served): Promise<string> {
  const from = served.output().length;
  await served.command('status');
  await waitFor('the status lines', () => (served.output().slice(from).match(/^\s+broker \d/gm) ?? []).length >= 3, 5000);
  return served.output().slice(from);
}

async function waitFor(what: string, pred: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(mountProblem !== null)('a full disk under a real producer (tmpfs)', () => {
  let mountDir: string;
  let server: Served | null = null;

  beforeAll(() => {
    mountDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-tmpfs-'));
  });

  afterAll(async () => {
    await server?.stop();
    spawnSync('umount', [mountDir]);
    fs.rmSync(mountDir, { recursive: true, force: true });
  });

  async function start(extraArgs: string[]): Promise<{ served: Served; ballast: string }> {
    await server?.stop();
    spawnSync('umount', [mountDir]);
    expect(tryMount(mountDir)).toBeNull();
    const ballast = path.join(mountDir, 'ballast');
    fs.writeFileSync(ballast, Buffer.alloc(BALLAST_MB << 20, 7));
    server = await serve({ dataDir: path.join(mountDir, 'data'), extraArgs });
    const created = runPython(mountDir, `
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({'bootstrap.servers': '${server.bootstrap}'})
for t, f in a.create_topics([NewTopic('disk', 1, 3, config={'min.insync.replicas': '2'})]).items():
    f.result(30)
print('created')
`);
    expect(created).toContain('created');
    return { served: server, ballast };
  }

  it('without the guard: brokers stop on ENOSPC and say why; every acknowledged record is on two replicas and survives their restart', async () => {
    const { served, ballast } = await start(['--min-free-bytes', '0']);
    const out = runPython(mountDir, PRODUCER(served.bootstrap, 25, 4));
    const acked = acknowledged(out);
    expect(acked.size).toBeGreaterThan(1000);
    // The disk did fill, and the broker(s) that hit it said which error, on which file, and what to do.
    // (The producer ran synchronously: give serve's output a moment to arrive.)
    await waitFor('a broker stop reported', () => /stopped: no space left/.test(served.output()), 10_000);
    expect(served.output()).toMatch(/Broker \d stopped: no space left on the disk \(ENOSPC\) while writing \S+/);
    expect(served.output()).toMatch(/Free space on the disk that holds \S+ \(delete topics[^)]*\), then restart broker \d/);
    const failed = [...(await status(served)).matchAll(/broker (\d)\s+failed/g)].map((m) => Number(m[1]));
    expect(failed.length).toBeGreaterThan(0);

    // Every acknowledged record is on at least min.insync.replicas (2) replicas' disks.
    const replicas = [1, 2, 3].map((id) => onDisk(path.join(served.dataDir, `broker-${id}`)));
    const short: string[] = [];
    for (const [offset, seq] of acked) {
      const copies = replicas.filter((r) => r.get(offset) === seq).length;
      if (copies < 2) short.push(`${offset}:${seq} on ${copies}`);
    }
    expect(short.slice(0, 10)).toEqual([]);

    // Space returns; Restart brings each failed broker back, it catches up and rejoins the ISR.
    fs.rmSync(ballast);
    for (const id of [...new Set(failed)]) await served.command(`restart ${id}`);
    await waitFor('every broker up, the partition fully replicated', async () => {
      const s = await status(served);
      return (s.match(/broker \d\s+up/g) ?? []).length === 3 && !/under-replicated|offline/.test(s);
    });
    const consumed = runPython(mountDir, `
from confluent_kafka import Consumer, TopicPartition
import time
c = Consumer({'bootstrap.servers': '${served.bootstrap}', 'group.id': 'check', 'enable.auto.commit': False})
c.assign([TopicPartition('disk', 0, 0)])
seen = 0
idle = time.time()
while time.time() - idle < 8:
    for m in c.consume(1000, 1.0):
        if m.error() is None:
            print('GOT', m.offset(), m.value()[:12].decode())
            idle = time.time()
c.close()
`);
    const got = new Map<number, string>();
    for (const m of consumed.matchAll(/^GOT (\d+) (\d{12})$/gm)) got.set(Number(m[1]), m[2]);
    const lost = [...acked].filter(([offset, seq]) => got.get(offset) !== seq);
    expect(lost.slice(0, 10)).toEqual([]);
  }, 240_000);

  it('with the guard: writes are refused before the disk is full, the brokers stay up and reads go on; freed space lets writes resume', async () => {
    const { served, ballast } = await start(['--min-free-bytes', '24MB']);
    const out = runPython(mountDir, PRODUCER(served.bootstrap, 25, 3));
    const acked = acknowledged(out);
    expect(acked.size).toBeGreaterThan(1000);
    expect(out).toMatch(/^ERR /m);
    await waitFor('the guard reported', () => /producing is refused/.test(served.output()), 10_000);
    expect(served.output()).toMatch(/only [\d.]+ MiB free on the disk of \S+ \(it keeps 22\.9 MiB free\): producing is refused/);
    expect((await status(served)).match(/broker \d\s+up/g) ?? []).toHaveLength(3);
    expect(served.output()).not.toMatch(/stopped: no space left/);

    fs.rmSync(ballast);
    await waitFor('space back above the threshold', () => /disk space is back above the threshold/.test(served.output()));
    const again = runPython(mountDir, `
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': '${served.bootstrap}', 'enable.idempotence': True, 'acks': 'all', 'message.timeout.ms': 15000})
ok = []
for i in range(20):
    p.produce('disk', value=b'after-%d' % i, on_delivery=lambda err, msg: ok.append(err is None))
p.flush(20)
print('OK', sum(ok))
`);
    expect(again).toContain('OK 20');
  }, 240_000);
});
