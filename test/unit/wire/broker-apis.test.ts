/**
 * The broker's API handlers over real TCP, request by request with our codec: fetch
 * sessions, bad input with Kafka's errors (acks, replica assignment, oversized frames),
 * auto-creation, compression.type re-encoding, and the legacy message formats of
 * Produce v2 / Fetch v3.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../engine/api/dispatch';
import { Engine } from '../../../engine/engine';
import { ApiKey, ErrorCode, FrameDecoder, concatChunks, decodeResponseFrame, encodeRequestFrame, type ApiKeyNumber, type RequestInputOf, type ResponseOf } from '../../../engine/protocol';
import { decodeMessageSet } from '../../../engine/protocol/legacy-records';
import { buildBatchSync, decodeRecordsSync, readBatchHeader } from '../../../engine/storage/record-batch';
import { SeededRandom } from '../../../engine/util/random';
import { threeFreePorts } from '../../support/ports';

let engine: Engine;
let dir: string;
let port: number;
let correlation = 1;

/** One request on a fresh connection to broker `brokerId`, decoded with our codec. */
function request<K extends ApiKeyNumber>(apiKey: K, version: number, message: RequestInputOf<K>, brokerId = 1): Promise<ResponseOf<K>> {
  const id = correlation++;
  const frame = concatChunks(encodeRequestFrame({ requestApiKey: apiKey, requestApiVersion: version, correlationId: id, clientId: 'test' }, message));
  return new Promise((resolve, reject) => {
    const s = net.connect(port + brokerId - 1, '127.0.0.1', () => s.write(frame));
    const decoder = new FrameDecoder();
    s.on('data', (c: Buffer) => {
      for (const f of decoder.push(c)) {
        s.destroy();
        const r = decodeResponseFrame(apiKey, version, f);
        expect(r.correlationId).toBe(id);
        resolve(r.message);
      }
    });
    s.on('close', () => reject(new Error('closed by the broker')));
    s.on('error', reject);
  });
}

function leaderOf(topic: string, partition = 0): number {
  return engine.cluster.latestImage()!.topics.get(topic)!.partitions[partition].leader;
}

async function waitUntil(pred: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-wire-'));
  port = await threeFreePorts();
  engine = new Engine({
    dataDir: dir, basePort: port, listen: true, random: new SeededRandom(3),
    clusterConfig: { brokerHeartbeatIntervalMs: 50, brokerSessionTimeoutMs: 600, replicaFetchWaitMaxMs: 100, metadataFetchWaitMs: 200 },
  });
  await engine.listenersSettled();
  await dispatch(engine.commands, 'createTopic', { name: 'wire', partitions: 1, replicationFactor: 3 });
}, 60_000);

afterAll(async () => {
  await engine?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('fetch sessions (KIP-227)', () => {
  it('opens a session with a full fetch, answers incremental fetches with changed partitions only, and refuses wrong ids and epochs', async () => {
    const leader = leaderOf('wire');
    const full = await request(ApiKey.Fetch, 12, {
      replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, sessionId: 0, sessionEpoch: 0,
      topics: [{ topic: 'wire', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
    }, leader);
    expect(full.errorCode).toBe(ErrorCode.NONE);
    expect(full.sessionId).toBeGreaterThan(0);
    expect(full.responses[0].partitions[0].partitionIndex).toBe(0);
    // Nothing changed: an incremental fetch lists no partitions.
    const quiet = await request(ApiKey.Fetch, 12, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, sessionId: full.sessionId, sessionEpoch: 1, topics: [] }, leader);
    expect(quiet.errorCode).toBe(ErrorCode.NONE);
    expect(quiet.responses).toEqual([]);
    // New data: the partition comes back, with its records, though the request named no partition.
    await dispatch(engine.commands, 'produce', { topic: 'wire', partition: 0, value: 'in a session' });
    const busy = await request(ApiKey.Fetch, 12, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, sessionId: full.sessionId, sessionEpoch: 2, topics: [] }, leader);
    expect(busy.responses).toHaveLength(1);
    expect(decodeRecordsSync(busy.responses[0].partitions[0].records!).map((r) => r.value?.toString())).toEqual(['in a session']);
    const wrongEpoch = await request(ApiKey.Fetch, 12, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, sessionId: full.sessionId, sessionEpoch: 9, topics: [] }, leader);
    expect(wrongEpoch.errorCode).toBe(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    const unknown = await request(ApiKey.Fetch, 12, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, sessionId: 987654, sessionEpoch: 1, topics: [] }, leader);
    expect(unknown.errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  });
});

describe('bad input gets Kafka’s errors and changes nothing', () => {
  it('acks other than -1, 0, 1 is INVALID_REQUIRED_ACKS, with nothing appended', async () => {
    const leader = leaderOf('wire');
    const before = engine.cluster.broker(leader).replicaManager!.partition('wire', 0)!.logEndOffset;
    const batch = buildBatchSync({ records: [{ key: null, value: Buffer.from('x'), timestampMs: Date.now() }] });
    const r = await request(ApiKey.Produce, 9, { acks: 2, timeoutMs: 1000, topicData: [{ name: 'wire', partitionData: [{ index: 0, records: batch }] }] }, leader);
    expect(r.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    expect(engine.cluster.broker(leader).replicaManager!.partition('wire', 0)!.logEndOffset).toBe(before);
  });

  it('a replica assignment naming a broker that is not live is INVALID_REPLICA_ASSIGNMENT', async () => {
    const r = await request(ApiKey.CreateTopics, 7, {
      topics: [{ name: 'nowhere', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1, 9] }], configs: [] }],
      timeoutMs: 5000, validateOnly: false,
    });
    expect(r.topics[0].errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    expect(r.topics[0].errorMessage).toMatch(/broker 9/);
    expect(engine.cluster.latestImage()!.topics.has('nowhere')).toBe(false);
  });

  it('a frame larger than socket.request.max.bytes closes the connection', async () => {
    const header = Buffer.alloc(4);
    header.writeInt32BE(200 * 1024 * 1024, 0);
    const closed = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(header));
      s.on('close', () => resolve(true));
      s.on('error', () => undefined);
      setTimeout(() => resolve(false), 5000);
    });
    expect(closed).toBe(true);
  });
});

describe('Metadata auto-creates topics (auto.create.topics.enable)', () => {
  it('answers LEADER_NOT_AVAILABLE first, then the topic exists with num.partitions and min(3, brokers) replicas', async () => {
    const first = await request(ApiKey.Metadata, 9, { topics: [{ name: 'made_by_metadata' }], allowAutoTopicCreation: true });
    expect(first.topics[0].errorCode).toBe(ErrorCode.LEADER_NOT_AVAILABLE);
    await waitUntil(() => engine.cluster.latestImage()?.topics.has('made_by_metadata') === true);
    const t = engine.cluster.latestImage()!.topics.get('made_by_metadata')!;
    expect(t.partitions).toHaveLength(1);
    expect(t.partitions[0].replicas).toHaveLength(3);
    const refused = await request(ApiKey.Metadata, 9, { topics: [{ name: 'not_made' }], allowAutoTopicCreation: false });
    expect(refused.topics[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});

describe('compression.type on the topic', () => {
  it('stores batches in the topic’s codec whatever the producer sent (Kafka re-encodes on append)', async () => {
    await dispatch(engine.commands, 'createTopic', { name: 'zipped', partitions: 1, replicationFactor: 1, configs: { 'compression.type': 'gzip' } });
    await dispatch(engine.commands, 'produce', { topic: 'zipped', partition: 0, key: 'k', value: 'plain text from the producer' });
    const p = engine.cluster.broker(leaderOf('zipped')).replicaManager!.partition('zipped', 0)!;
    const stored = p.log.read(0, 1 << 20, p.logEndOffset, true)!;
    expect(readBatchHeader(stored).compression).toBe(1);
    expect(decodeRecordsSync(stored)[0].value?.toString()).toBe('plain text from the producer');
  });
});

describe('legacy message formats', () => {
  it('accepts a Produce v2 magic-1 message set and serves it to Fetch v3 as magic 1', async () => {
    await dispatch(engine.commands, 'createTopic', { name: 'legacy', partitions: 1, replicationFactor: 1 });
    const leader = leaderOf('legacy');
    // One magic-1 message: offset, size, crc, magic 1, attributes 0, timestamp, key, value.
    const key = Buffer.from('old-key');
    const value = Buffer.from('old-value');
    const body = Buffer.alloc(1 + 1 + 8 + 4 + key.length + 4 + value.length);
    let o = 0;
    body.writeInt8(1, o); o += 1;
    body.writeInt8(0, o); o += 1;
    body.writeBigInt64BE(1_700_000_000_000n, o); o += 8;
    body.writeInt32BE(key.length, o); o += 4;
    key.copy(body, o); o += key.length;
    body.writeInt32BE(value.length, o); o += 4;
    value.copy(body, o);
    const { crc32 } = await import('@node-rs/crc32');
    const message = Buffer.alloc(12 + 4 + body.length);
    message.writeBigInt64BE(0n, 0);
    message.writeInt32BE(4 + body.length, 8);
    message.writeUInt32BE(crc32(body) >>> 0, 12);
    body.copy(message, 16);
    const produced = await request(ApiKey.Produce, 2, { acks: 1, timeoutMs: 1000, topicData: [{ name: 'legacy', partitionData: [{ index: 0, records: message }] }] }, leader);
    expect(produced.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
    const fetched = await request(ApiKey.Fetch, 3, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [{ topic: 'legacy', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] }, leader);
    const records = fetched.responses[0].partitions[0].records!;
    expect(records[16]).toBe(1); // magic 1 on the way out
    const decoded = decodeMessageSet(records);
    expect(decoded.map((r) => [r.offset, r.key?.toString(), r.value?.toString()])).toEqual([[0, 'old-key', 'old-value']]);
    // Modern clients see the same record in RecordBatch v2.
    const modern = await request(ApiKey.Fetch, 12, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [{ topic: 'legacy', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] }, leader);
    expect(decodeRecordsSync(modern.responses[0].partitions[0].records!)[0].value?.toString()).toBe('old-value');
  });
});
