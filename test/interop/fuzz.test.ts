/**
 * Fuzzing the Kafka listeners: 100,000 mutated requests (and 20,000 more of the group and
 * admin APIs at every version they are advertised in, and 20,000 of the data path at
 * current Kafka's versions: Fetch v17 by topic id, Produce v11, ListOffsets v10, offsets
 * and timestamps beyond 2^53) — truncated, wrong lengths,
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
import { topicIdToUuid } from '../../engine/wire/context';
import { threeFreePorts } from '../support/ports';

const TOTAL_REQUESTS = 100_000;
/** Mutated requests of the group and admin APIs, in a second run with its own seed. */
const GROUP_ADMIN_REQUESTS = 20_000;
const DATA_PATH_REQUESTS = 20_000;
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

/**
 * Valid requests of the group and admin APIs at every version this broker advertises, on
 * groups and topics no well-formed client uses. A corpus of its own, so that adding APIs
 * here leaves the first run's random sequence as it was.
 */
function groupAdminCorpus(): Buffer[] {
  const out: Buffer[] = [];
  for (let v = 0; v <= 4; v++) out.push(frame(ApiKey.ApiVersions, v, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }));
  for (let v = 0; v <= 6; v++) out.push(frame(ApiKey.FindCoordinator, v, v >= 4 ? { coordinatorKeys: ['g', 'g2'] } : { key: 'g' }));
  for (let v = 0; v <= 9; v++) out.push(frame(ApiKey.OffsetCommit, v, { groupId: 'g', memberId: '', topics: [{ name: 'fuzz', partitions: [{ partitionIndex: 0, committedOffset: 0, committedMetadata: null }] }] }));
  for (let v = 0; v <= 5; v++) out.push(frame(ApiKey.InitProducerId, v, { transactionalId: null, transactionTimeoutMs: 1000 }));
  for (let v = 0; v <= 9; v++) out.push(frame(ApiKey.OffsetFetch, v, v >= 8 ? { groups: [{ groupId: 'g', memberId: v >= 9 ? 'm' : null, memberEpoch: v >= 9 ? 3 : -1, topics: null }, { groupId: 'g2', topics: [{ name: 'fuzz', partitionIndexes: [0] }] }] } : { groupId: 'g', topics: [{ name: 'fuzz', partitionIndexes: [0] }] }));
  for (let v = 0; v <= 5; v++) out.push(frame(ApiKey.SyncGroup, v, { groupId: 'g', generationId: 1, memberId: 'm', assignments: [{ memberId: 'm', assignment: Buffer.from([0, 0]) }] }));
  for (let v = 0; v <= 4; v++) out.push(frame(ApiKey.Heartbeat, v, { groupId: 'g', generationId: 1, memberId: 'm' }));
  for (let v = 0; v <= 5; v++) out.push(frame(ApiKey.LeaveGroup, v, v >= 3 ? { groupId: 'g', members: [{ memberId: 'm' }] } : { groupId: 'g', memberId: 'm' }));
  for (let v = 0; v <= 5; v++) out.push(frame(ApiKey.ListGroups, v, { statesFilter: v >= 4 ? ['Stable'] : [], typesFilter: v >= 5 ? ['classic'] : [] }));
  for (let v = 0; v <= 2; v++) out.push(frame(ApiKey.DeleteGroups, v, { groupsNames: ['g-none'] }));
  for (let v = 0; v <= 6; v++) out.push(frame(ApiKey.DeleteTopics, v, v >= 6 ? { topics: [{ name: null, topicId: '0b1c2d3e-4f50-4a6b-8c7d-8e9fa0b1c2d3' }, { name: 'no-such-topic-x', topicId: '00000000-0000-0000-0000-000000000000' }], timeoutMs: 100 } : { topicNames: ['no-such-topic-x'], timeoutMs: 100 }));
  for (let v = 0; v <= 3; v++) out.push(frame(ApiKey.CreatePartitions, v, { topics: [{ name: 'no-such-topic-x', count: 2, assignments: null }], timeoutMs: 100, validateOnly: true }));
  for (let v = 0; v <= 2; v++) out.push(frame(ApiKey.AlterConfigs, v, { resources: [{ resourceType: 2, resourceName: 'no-such-topic-x', configs: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: true }));
  for (let v = 0; v <= 1; v++) out.push(frame(ApiKey.IncrementalAlterConfigs, v, { resources: [{ resourceType: 2, resourceName: 'no-such-topic-x', configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }] }], validateOnly: true }));
  for (let v = 0; v <= 1; v++) out.push(frame(ApiKey.DescribeCluster, v, { includeClusterAuthorizedOperations: false, endpointType: 1 }));
  for (let v = 0; v <= 1; v++) out.push(frame(ApiKey.SaslHandshake, v, { mechanism: 'PLAIN' }));
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
 * Valid data-path requests at the versions added for current Kafka (Fetch v13-17 naming
 * the topic by id, with and without sessions; Produce v10-11; ListOffsets v8-10 with its
 * special timestamps; Metadata v12 by id) and int64 values beyond 2^53 (fetch offsets,
 * timestamps, DeleteRecords offsets). A corpus of its own, like the group and admin one.
 */
function dataPathCorpus(fuzzTopicId: string): Buffer[] {
  const out: Buffer[] = [];
  const batch = () => buildBatchSync({ records: [{ key: Buffer.from('k'), value: Buffer.from('fuzz-seed'), timestampMs: 1_700_000_000_000 }] });
  out.push(frame(ApiKey.Metadata, 12, { topics: [{ name: null, topicId: fuzzTopicId }], allowAutoTopicCreation: false }));
  for (let v = 10; v <= 11; v++) out.push(frame(ApiKey.Produce, v, { acks: 1, timeoutMs: 1000, topicData: [{ name: 'fuzz', partitionData: [{ index: 0, records: batch() }] }] }));
  for (let v = 4; v <= 17; v++) {
    for (const fetchOffset of [0, 2 ** 60]) {
      const partitions = [{ partition: 0, fetchOffset, partitionMaxBytes: 1 << 20 }];
      const topics = v >= 13 ? [{ topicId: fuzzTopicId, partitions }] : [{ topic: 'fuzz', partitions }];
      out.push(frame(ApiKey.Fetch, v, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, ...(v >= 7 && fetchOffset === 0 ? { sessionId: 0, sessionEpoch: 0 } : {}), topics }));
    }
  }
  for (let v = 1; v <= 10; v++) {
    for (const timestamp of [-1, -4, -5, 2 ** 60]) out.push(frame(ApiKey.ListOffsets, v, { replicaId: -1, topics: [{ name: 'fuzz', partitions: [{ partitionIndex: 0, timestamp }] }] }));
  }
  for (let v = 0; v <= 2; v++) out.push(frame(ApiKey.DeleteRecords, v, { topics: [{ name: 'fuzz', partitions: [{ partitionIndex: 0, offset: 2 ** 60 }] }], timeoutMs: 1000 }));
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

/**
 * Sends `total` mutated requests drawn from `seeds` (mutations from a Random seeded with
 * `seed`) while a well-formed kafkajs producer writes to `topic`; then checks that every
 * acknowledged record is there in order, that every broker is still up, and that nothing
 * corrupt was stored anywhere.
 */
async function fuzz(seeds: Buffer[], total: number, seed: number, topic: string): Promise<void> {
  const probe = frame(ApiKey.ApiVersions, 0, {});
  const r = new SeededRandom(seed);
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
    while (started < total) {
      started++;
      const j = await blast([mutate(r.pick(seeds), r), probe]);
      sentTotal++;
      answeredTotal += j.answered;
      if (j.closedByBroker) closes++;
    }
  };
  const pool = Promise.all(Array.from({ length: CONNECTIONS }, worker));
  // Meanwhile the same brokers keep serving a well-formed client.
  while (sentTotal < total) {
    await producer.send({ topic, acks: -1, messages: [{ key: 'ok', value: `well-formed ${wellFormed}` }] });
    wellFormed++;
    await new Promise((res) => setTimeout(res, 200));
  }
  await pool;
  await producer.disconnect();
  expect(sentTotal).toBeGreaterThanOrEqual(total);
  // Both kinds of reaction happened: error answers and closed connections.
  expect(closes).toBeGreaterThan(100);
  expect(answeredTotal).toBeGreaterThan(1000);

  // Everything a well-formed client wrote is there, in order.
  const values: (string | undefined)[] = [];
  for (let fromRow = 0; ; fromRow += 500) {
    const page = (await dispatch(engine.commands, 'browseRows', { topic, partition: 0, fromRow, count: 500 })) as BrowsePage;
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
    await dispatch(engine.commands, 'createTopic', { name: 'wellformed2', partitions: 1, replicationFactor: 3 });
    await dispatch(engine.commands, 'createTopic', { name: 'wellformed3', partitions: 1, replicationFactor: 3 });
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`answers or closes for ${TOTAL_REQUESTS.toLocaleString('en')} mutated requests, appends nothing corrupt, and keeps serving a well-formed client`, async () => {
    await fuzz(corpus(), TOTAL_REQUESTS, 20261127, 'wellformed');
  }, 600_000);

  it(`answers or closes for ${GROUP_ADMIN_REQUESTS.toLocaleString('en')} mutated group and admin requests at every advertised version, and keeps serving`, async () => {
    await fuzz(groupAdminCorpus(), GROUP_ADMIN_REQUESTS, 20261208, 'wellformed2');
  }, 600_000);

  it(`answers or closes for ${DATA_PATH_REQUESTS.toLocaleString('en')} mutated data-path requests at current Kafka's versions, and keeps serving`, async () => {
    const fuzzTopicId = topicIdToUuid(engine.cluster.latestImage()!.topics.get('fuzz')!.topicId);
    await fuzz(dataPathCorpus(fuzzTopicId), DATA_PATH_REQUESTS, 20261212, 'wellformed3');
  }, 600_000);
});
