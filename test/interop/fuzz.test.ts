/**
 * Fuzzing the Kafka listeners: 100,000 mutated requests — truncated, wrong lengths,
 * bad versions and API keys, huge array counts, bad compact strings, corrupt record
 * batches — sent to a running cluster over TCP, while a well-formed client produces
 * and consumes through it. The broker must answer each request or close that
 * connection, never crash, never append anything corrupt, and keep serving the
 * well-formed client in the same run.
 *
 * The corpus is built with our codec from valid requests of many APIs and versions;
 * mutations are drawn from a seeded Random, so a failure reproduces.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowsePage } from '../../engine/api/contract';
import { dispatch } from '../../engine/api/dispatch';
import { Engine } from '../../engine/engine';
import { ApiKey, concatChunks, encodeRequestFrame, type ApiKeyNumber } from '../../engine/protocol';
import { buildBatchSync, validateBatchSync, splitBatches } from '../../engine/storage/record-batch';
import { SeededRandom } from '../../engine/util/random';
import { threeFreePorts } from '../support/ports';

const TOTAL_REQUESTS = 100_000;
/** Connections open at once; each carries one mutated request and a valid probe after it. */
const CONNECTIONS = 32;

let engine: Engine;
let dir: string;
let port: number;

function frame<K extends ApiKeyNumber>(apiKey: K, version: number, message: Parameters<typeof encodeRequestFrame<K>>[1]): Buffer {
  return concatChunks(encodeRequestFrame({ requestApiKey: apiKey, requestApiVersion: version, correlationId: 1, clientId: 'fuzz' }, message));
}

/** Valid requests of many APIs and versions: the seeds the mutations start from. */
function corpus(): Buffer[] {
  const out: Buffer[] = [];
  const batch = () => buildBatchSync({ records: [{ key: Buffer.from('k'), value: Buffer.from('fuzz-seed'), timestampMs: 1_700_000_000_000 }] });
  for (let v = 0; v <= 3; v++) out.push(frame(ApiKey.ApiVersions, v, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }));
  for (let v = 0; v <= 12; v++) out.push(frame(ApiKey.Metadata, v, v >= 4 ? { topics: [{ name: 'fuzz' }], allowAutoTopicCreation: false } : { topics: [{ name: 'fuzz' }] }));
  for (let v = 3; v <= 9; v++) out.push(frame(ApiKey.Produce, v, { acks: 1, timeoutMs: 1000, topicData: [{ name: 'fuzz', partitionData: [{ index: 0, records: batch() }] }] }));
  for (let v = 4; v <= 12; v++) out.push(frame(ApiKey.Fetch, v, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [{ topic: 'fuzz', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] }));
  for (let v = 1; v <= 7; v++) out.push(frame(ApiKey.ListOffsets, v, { replicaId: -1, topics: [{ name: 'fuzz', partitions: [{ partitionIndex: 0, timestamp: -1 }] }] }));
  for (let v = 0; v <= 4; v++) out.push(frame(ApiKey.FindCoordinator, v, v >= 4 ? { coordinatorKeys: ['g'] } : { key: 'g' }));
  for (let v = 0; v <= 9; v++) out.push(frame(ApiKey.JoinGroup, v, { groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.from([0, 0, 0, 0, 0, 1, 0, 4, 102, 117, 122, 122, 255, 255, 255, 255]) }] }));
  for (let v = 0; v <= 8; v++) out.push(frame(ApiKey.OffsetCommit, v, { groupId: 'g', memberId: '', topics: [{ name: 'fuzz', partitions: [{ partitionIndex: 0, committedOffset: 0, committedMetadata: null }] }] }));
  for (let v = 0; v <= 7; v++) out.push(frame(ApiKey.CreateTopics, v, { topics: [{ name: `fz${v}`, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, ...(v >= 1 ? { validateOnly: true } : {}) }));
  for (let v = 0; v <= 4; v++) out.push(frame(ApiKey.DescribeConfigs, v, { resources: [{ resourceType: 2, resourceName: 'fuzz', configurationKeys: null }] }));
  for (let v = 0; v <= 4; v++) out.push(frame(ApiKey.OffsetForLeaderEpoch, v, { topics: [{ topic: 'fuzz', partitions: [{ partition: 0, leaderEpoch: 0 }] }] }));
  for (let v = 0; v <= 5; v++) out.push(frame(ApiKey.DescribeGroups, v, { groups: ['g'] }));
  for (let v = 0; v <= 4; v++) out.push(frame(ApiKey.InitProducerId, v, { transactionalId: null, transactionTimeoutMs: 1000 }));
  return out;
}

/** One mutation of a valid frame (size prefix included). */
function mutate(seed: Buffer, r: SeededRandom): Buffer {
  const f = Buffer.from(seed);
  switch (r.int(9)) {
    case 0: // truncated body, honest size prefix
      return withSize(f.subarray(4, 4 + r.int(Math.max(1, f.length - 4))));
    case 1: // lying size prefix (shorter or longer than the body)
      f.writeInt32BE(Math.max(0, f.length - 4 + (r.chance(0.5) ? -1 - r.int(8) : 1 + r.int(64))), 0);
      return f;
    case 2: // random API key
      f.writeInt16BE(r.chance(0.5) ? r.int(100) : r.int(65536) - 32768, 4);
      return f;
    case 3: // random version
      f.writeInt16BE(r.chance(0.5) ? r.int(40) : r.int(65536) - 32768, 6);
      return f;
    case 4: { // a huge count or length somewhere in the body
      const at = 8 + r.int(Math.max(1, f.length - 12));
      f.writeInt32BE(r.pick([0x7fffffff, -1, -2, 0x10000000, 0x7ffffff0]), Math.min(at, f.length - 4));
      return f;
    }
    case 5: { // a bad compact length (varint that never ends or is huge)
      const at = 8 + r.int(Math.max(1, f.length - 13));
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]).copy(f, Math.min(at, f.length - 5));
      return f;
    }
    case 6: // flipped bytes (inside record batches too: bad CRCs, lying lengths)
      for (let i = 0, n = 1 + r.int(6); i < n; i++) f[8 + r.int(Math.max(1, f.length - 8))] ^= 1 << r.int(8);
      return f;
    case 7: // pure garbage with a plausible size
      return withSize(Buffer.from(Array.from({ length: r.int(64) }, () => r.int(256))));
    default: // trailing junk after a valid body
      return withSize(Buffer.concat([f.subarray(4), Buffer.from(Array.from({ length: 1 + r.int(16) }, () => r.int(256)))]));
  }
}

function withSize(body: Buffer): Buffer {
  const out = Buffer.alloc(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/**
 * Sends frames on one connection and counts the response frames. It ends when every
 * frame was answered, when the broker closes the connection, or after a short silence
 * (a frame whose size prefix promises more bytes than were sent is, rightly, still
 * being waited for by the broker).
 */
function blast(frames: Buffer[]): Promise<{ sent: number; answered: number; closedByBroker: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let answered = 0;
    let pending = Buffer.alloc(0);
    let sent = 0;
    let done = false;
    let silence: NodeJS.Timeout | null = null;
    const finish = (closedByBroker: boolean) => {
      if (done) return;
      done = true;
      if (silence) clearTimeout(silence);
      s.destroy();
      resolve({ sent, answered, closedByBroker });
    };
    const quiet = () => {
      if (silence) clearTimeout(silence);
      silence = setTimeout(() => finish(false), 100);
    };
    s.on('connect', () => {
      for (const f of frames) {
        if (s.destroyed) break;
        s.write(f);
        sent++;
      }
      quiet();
    });
    s.on('data', (c: Buffer) => {
      pending = Buffer.concat([pending, c]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        pending = pending.subarray(4 + pending.readInt32BE(0));
        answered++;
      }
      if (answered >= frames.length) finish(false);
      else quiet();
    });
    s.on('close', () => finish(true));
    s.on('error', () => finish(true));
  });
}

describe('fuzzing the Kafka listeners', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-fuzz-'));
    port = await threeFreePorts();
    engine = new Engine({
      dataDir: dir,
      basePort: port,
      listen: true,
      random: new SeededRandom(11),
      clusterConfig: { brokerHeartbeatIntervalMs: 50, brokerSessionTimeoutMs: 1000, replicaFetchWaitMaxMs: 100, groupInitialRebalanceDelayMs: 100 },
    });
    await engine.listenersSettled();
    await dispatch(engine.commands, 'createTopic', { name: 'fuzz', partitions: 1, replicationFactor: 3 });
    await dispatch(engine.commands, 'createTopic', { name: 'wellformed', partitions: 1, replicationFactor: 3 });
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`answers or closes for ${TOTAL_REQUESTS.toLocaleString('en')} mutated requests, appends nothing corrupt, and keeps serving a well-formed client`, async () => {
    const seeds = corpus();
    const probe = frame(ApiKey.ApiVersions, 0, {});
    const r = new SeededRandom(20261127);
    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.1:${port + 2}`], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
    const producer = kafka.producer();
    await producer.connect();
    let sentTotal = 0;
    let answeredTotal = 0;
    let closes = 0;
    let wellFormed = 0;
    // A pool of connections kept full: each carries one mutated request and a probe.
    let started = 0;
    const worker = async () => {
      while (started < TOTAL_REQUESTS) {
        started++;
        const j = await blast([mutate(r.pick(seeds), r), probe]);
        sentTotal++;
        answeredTotal += j.answered;
        if (j.closedByBroker) closes++;
      }
    };
    const pool = Promise.all(Array.from({ length: CONNECTIONS }, worker));
    // Meanwhile the same brokers keep serving a well-formed client.
    while (sentTotal < TOTAL_REQUESTS) {
      await producer.send({ topic: 'wellformed', acks: -1, messages: [{ key: 'ok', value: `well-formed ${wellFormed}` }] });
      wellFormed++;
      await new Promise((res) => setTimeout(res, 200));
    }
    await pool;
    await producer.disconnect();
    expect(sentTotal).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
    // Both kinds of reaction happened: error answers and closed connections.
    expect(closes).toBeGreaterThan(100);
    expect(answeredTotal).toBeGreaterThan(1000);

    // Everything a well-formed client wrote is there, in order.
    const values: (string | undefined)[] = [];
    for (let fromRow = 0; ; fromRow += 500) {
      const page = (await dispatch(engine.commands, 'browseRows', { topic: 'wellformed', partition: 0, fromRow, count: 500 })) as BrowsePage;
      for (const row of page.rows) if (row.kind === 'record') values.push(row.value?.text);
      if (fromRow + 500 >= page.totalRows) break;
    }
    expect(values).toEqual(Array.from({ length: wellFormed }, (_, i) => `well-formed ${i}`));

    // Nothing corrupt was appended anywhere: every stored batch passes validation.
    let batches = 0;
    for (const b of engine.cluster.brokers) {
      expect(b.isUp).toBe(true);
      for (const p of b.replicaManager!.allPartitions()) {
        let offset = p.log.logStartOffset;
        while (offset < p.logEndOffset) {
          const bytes = p.log.read(offset, 1 << 20, p.logEndOffset, true);
          if (!bytes) break;
          for (const batch of splitBatches(bytes)) {
            validateBatchSync(batch, { requireSequentialOffsets: false, allowControl: true });
            batches++;
            offset = Number(batch.readBigInt64BE(0)) + batch.readInt32BE(23) + 1;
          }
        }
      }
    }
    expect(batches).toBeGreaterThan(0);
  }, 600_000);
});
