/**
 * The data-path APIs at current Kafka's versions, over real TCP with our codec:
 * Fetch v13-17 naming topics by id (KIP-516) with sessions keyed by id, Produce v10-11
 * and Fetch v16-17 leader hints (KIP-951), ListOffsets v8-10's special timestamps,
 * Metadata v12 lookups by id, and int64 fields beyond 2^53 answered with Kafka's
 * errors instead of a closed connection.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../engine/api/dispatch';
import { Engine } from '../../../engine/engine';
import { ApiKey, ErrorCode, FrameDecoder, ZERO_UUID, concatChunks, decodeResponseFrame, encodeRequestFrame, type ApiKeyNumber, type RequestInputOf, type ResponseOf } from '../../../engine/protocol';
import { BASE_TIMESTAMP_AT, CRC_AT, MAX_TIMESTAMP_AT, PRODUCER_ID_AT, buildBatchSync, computeBatchCrc, decodeRecordsSync } from '../../../engine/storage/record-batch';
import { SeededRandom } from '../../../engine/util/random';
import { threeFreePorts } from '../../support/ports';

let engine: Engine;
let dir: string;
let port: number;
let correlation = 1;

/** One request on a fresh connection to broker `brokerId`, decoded with our codec; rejects if the broker closes it. */
function request<K extends ApiKeyNumber>(apiKey: K, version: number, message: RequestInputOf<K>, brokerId: number): Promise<ResponseOf<K>> {
  const id = correlation++;
  const frame = concatChunks(encodeRequestFrame({ requestApiKey: apiKey, requestApiVersion: version, correlationId: id, clientId: 'test' }, message));
  return new Promise((resolve, reject) => {
    const s = net.connect(port + brokerId - 1, '127.0.0.1', () => s.write(frame));
    const decoder = new FrameDecoder();
    let answered = false;
    s.on('data', (c: Buffer) => {
      for (const f of decoder.push(c)) {
        answered = true;
        s.destroy();
        const r = decodeResponseFrame(apiKey, version, f);
        expect(r.correlationId).toBe(id);
        resolve(r.message);
      }
    });
    s.on('close', () => {
      if (!answered) reject(new Error('closed by the broker'));
    });
    s.on('error', reject);
  });
}

function partitionState(topic: string, partition = 0) {
  return engine.cluster.latestImage()!.topics.get(topic)!.partitions[partition]!;
}

function notLeaderOf(topic: string): number {
  const p = partitionState(topic);
  return [1, 2, 3].find((b) => b !== p.leader)!;
}

async function waitUntil(pred: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every broker's image has the topic with a leader (or, with `gone`, none has it). */
async function imagesAgree(topic: string, gone = false): Promise<void> {
  await waitUntil(() =>
    [1, 2, 3].every((b) => {
      const t = engine.cluster.broker(b).image.topics.get(topic);
      return gone ? t === undefined : t !== undefined && t.partitions.every((p) => p.leader >= 0);
    }),
  );
}

/** The topic's id as Metadata v12 reports it. */
async function topicIdOf(topic: string): Promise<string> {
  const md = await request(ApiKey.Metadata, 12, { topics: [{ name: topic }], allowAutoTopicCreation: false }, 1);
  expect(md.topics[0]!.errorCode).toBe(ErrorCode.NONE);
  return md.topics[0]!.topicId;
}

const FETCH = { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20 };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-wire-versions-'));
  port = await threeFreePorts();
  engine = new Engine({
    dataDir: dir, basePort: port, listen: true, random: new SeededRandom(12),
    clusterConfig: { brokerHeartbeatIntervalMs: 50, brokerSessionTimeoutMs: 600, replicaFetchWaitMaxMs: 100, metadataFetchWaitMs: 200 },
  });
  await engine.listenersSettled();
  await dispatch(engine.commands, 'createTopic', { name: 'dv', partitions: 1, replicationFactor: 3 });
  await imagesAgree('dv');
  await dispatch(engine.commands, 'produce', { topic: 'dv', partition: 0, value: 'first' });
  await dispatch(engine.commands, 'produce', { topic: 'dv', partition: 0, value: 'second' });
}, 60_000);

afterAll(async () => {
  await engine?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ApiVersions', () => {
  it("advertises current Kafka's ranges for the data path", async () => {
    const r = await request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' }, 1);
    const range = (k: number) => r.apiKeys.find((a) => a.apiKey === k);
    expect(range(ApiKey.Produce)).toMatchObject({ minVersion: 0, maxVersion: 11 });
    expect(range(ApiKey.Fetch)).toMatchObject({ minVersion: 0, maxVersion: 17 });
    expect(range(ApiKey.ListOffsets)).toMatchObject({ minVersion: 0, maxVersion: 10 });
    expect(range(ApiKey.Metadata)).toMatchObject({ minVersion: 0, maxVersion: 12 });
    expect(range(ApiKey.OffsetForLeaderEpoch)).toMatchObject({ minVersion: 0, maxVersion: 4 });
    expect(range(ApiKey.DeleteRecords)).toMatchObject({ minVersion: 0, maxVersion: 2 });
  });
});

describe('Fetch v13+ names topics by id (KIP-516)', () => {
  it('serves a topic named by its id at every version from 13 to 17, answering with the id', async () => {
    const id = await topicIdOf('dv');
    expect(id).not.toBe(ZERO_UUID);
    const leader = partitionState('dv').leader;
    for (let v = 13; v <= 17; v++) {
      const r = await request(ApiKey.Fetch, v, { ...FETCH, topics: [{ topicId: id, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] }, leader);
      expect(r.errorCode, `v${v}`).toBe(ErrorCode.NONE);
      expect(r.responses).toHaveLength(1);
      expect(r.responses[0]!.topicId, `v${v}`).toBe(id);
      const p = r.responses[0]!.partitions[0]!;
      expect(p.errorCode).toBe(ErrorCode.NONE);
      expect(decodeRecordsSync(p.records!).map((x) => x.value?.toString())).toEqual(['first', 'second']);
    }
  });

  it('answers UNKNOWN_TOPIC_ID for an id no topic has, and still serves the known one beside it', async () => {
    const id = await topicIdOf('dv');
    const stranger = '0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
    const r = await request(ApiKey.Fetch, 13, {
      ...FETCH,
      topics: [
        { topicId: stranger, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] },
        { topicId: id, partitions: [{ partition: 0, fetchOffset: 1, partitionMaxBytes: 1 << 20 }] },
      ],
    }, partitionState('dv').leader);
    const byId = new Map(r.responses.map((t) => [t.topicId, t.partitions[0]!]));
    expect(byId.get(stranger)!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);
    expect(byId.get(id)!.errorCode).toBe(ErrorCode.NONE);
    expect(decodeRecordsSync(byId.get(id)!.records!).map((x) => x.value?.toString())).toEqual(['second']);
  });

  it('keys sessions by topic id: a topic re-created under the same name is UNKNOWN_TOPIC_ID to the old session; mixing names and ids is FETCH_SESSION_TOPIC_ID_ERROR', async () => {
    await dispatch(engine.commands, 'createTopic', { name: 'dv-again', partitions: 1, replicationFactor: 3 });
    await imagesAgree('dv-again');
    const oldId = await topicIdOf('dv-again');
    const leader = partitionState('dv-again').leader;
    const full = await request(ApiKey.Fetch, 13, {
      ...FETCH, sessionId: 0, sessionEpoch: 0,
      topics: [{ topicId: oldId, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
    }, leader);
    expect(full.errorCode).toBe(ErrorCode.NONE);
    expect(full.sessionId).toBeGreaterThan(0);
    expect(full.responses[0]!.topicId).toBe(oldId);

    // The session was opened by id: a v12 fetch (by name) in it is refused, and changes nothing.
    const mixed = await request(ApiKey.Fetch, 12, { ...FETCH, sessionId: full.sessionId, sessionEpoch: 1, topics: [] }, leader);
    expect(mixed.errorCode).toBe(ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR);

    await dispatch(engine.commands, 'deleteTopic', { name: 'dv-again' });
    await imagesAgree('dv-again', true);
    await dispatch(engine.commands, 'createTopic', { name: 'dv-again', partitions: 1, replicationFactor: 3 });
    await imagesAgree('dv-again');
    const newId = await topicIdOf('dv-again');
    expect(newId).not.toBe(oldId);

    // The session still holds the old id: its partition changed (now unknown), so an incremental fetch lists it.
    const after = await request(ApiKey.Fetch, 13, { ...FETCH, sessionId: full.sessionId, sessionEpoch: 1, topics: [] }, leader);
    expect(after.errorCode).toBe(ErrorCode.NONE);
    expect(after.responses.map((t) => [t.topicId, t.partitions[0]!.errorCode])).toEqual([[oldId, ErrorCode.UNKNOWN_TOPIC_ID]]);

    // Forgetting the old id and adding the new one (by id) reads the new topic in the same session.
    await dispatch(engine.commands, 'produce', { topic: 'dv-again', partition: 0, value: 'reborn' });
    const moved = await request(ApiKey.Fetch, 13, {
      ...FETCH, sessionId: full.sessionId, sessionEpoch: 2,
      topics: [{ topicId: newId, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [{ topicId: oldId, partitions: [0] }],
    }, leader);
    expect(moved.errorCode).toBe(ErrorCode.NONE);
    expect(moved.responses.map((t) => t.topicId)).toEqual([newId]);
    const part = moved.responses[0]!.partitions[0]!;
    if (partitionState('dv-again').leader === leader) {
      expect(decodeRecordsSync(part.records!).map((x) => x.value?.toString())).toEqual(['reborn']);
    } else {
      expect(part.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER); // the new topic's leader is elsewhere
    }
  });
});

describe('int64 fields beyond 2^53 get Kafka’s errors, never a closed connection', () => {
  it('a fetch offset beyond 2^53 is OFFSET_OUT_OF_RANGE at every fetch version', async () => {
    const id = await topicIdOf('dv');
    const leader = partitionState('dv').leader;
    for (const offset of [2 ** 53 + 2, 2 ** 62, -(2 ** 60)]) {
      for (const v of [0, 4, 12, 13, 17]) {
        const topics = v >= 13
          ? [{ topicId: id, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }] }]
          : [{ topic: 'dv', partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }] }];
        const r = await request(ApiKey.Fetch, v, { ...FETCH, topics }, leader);
        expect(r.responses[0]!.partitions[0]!.errorCode, `v${v} offset ${offset}`).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
      }
    }
    // From a broker that does not lead the partition, leadership is what it answers.
    const r = await request(ApiKey.Fetch, 12, { ...FETCH, topics: [{ topic: 'dv', partitions: [{ partition: 0, fetchOffset: 2 ** 60, partitionMaxBytes: 1 << 20 }] }] }, notLeaderOf('dv'));
    expect(r.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });

  it('a fetch offset beyond 2^53 in a session is answered, and the session goes on', async () => {
    const leader = partitionState('dv').leader;
    const full = await request(ApiKey.Fetch, 12, {
      ...FETCH, sessionId: 0, sessionEpoch: 0, topics: [{ topic: 'dv', partitions: [{ partition: 0, fetchOffset: 2 ** 60, partitionMaxBytes: 1 << 20 }] }],
    }, leader);
    expect(full.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const fixed = await request(ApiKey.Fetch, 12, {
      ...FETCH, sessionId: full.sessionId, sessionEpoch: 1, topics: [{ topic: 'dv', partitions: [{ partition: 0, fetchOffset: 1, partitionMaxBytes: 1 << 20 }] }],
    }, leader);
    expect(fixed.errorCode).toBe(ErrorCode.NONE);
    expect(decodeRecordsSync(fixed.responses[0]!.partitions[0]!.records!).map((x) => x.value?.toString())).toEqual(['second']);
  });

  it('ListOffsets: a timestamp beyond 2^53 finds no offset; one below -2^53 is UNSUPPORTED_VERSION', async () => {
    const leader = partitionState('dv').leader;
    const r = await request(ApiKey.ListOffsets, 7, {
      replicaId: -1,
      topics: [{ name: 'dv', partitions: [{ partitionIndex: 0, timestamp: 2 ** 60 }] }],
    }, leader);
    expect(r.topics[0]!.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, offset: -1, timestamp: -1 });
    const neg = await request(ApiKey.ListOffsets, 7, { replicaId: -1, topics: [{ name: 'dv', partitions: [{ partitionIndex: 0, timestamp: -(2 ** 60) }] }] }, leader);
    expect(neg.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
  });

  it('DeleteRecords before an offset beyond 2^53 is OFFSET_OUT_OF_RANGE and deletes nothing', async () => {
    const leader = partitionState('dv').leader;
    const start = engine.cluster.broker(leader).replicaManager!.partition('dv', 0)!.log.logStartOffset;
    const r = await request(ApiKey.DeleteRecords, 2, { topics: [{ name: 'dv', partitions: [{ partitionIndex: 0, offset: 2 ** 60 }] }], timeoutMs: 1000 }, leader);
    expect(r.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(engine.cluster.broker(leader).replicaManager!.partition('dv', 0)!.log.logStartOffset).toBe(start);
  });
});

describe('int64 fields beyond 2^53 outside the data path', () => {
  it('OffsetCommit of an offset beyond 2^53 is INVALID_COMMIT_OFFSET_SIZE for that partition; the others commit', async () => {
    await dispatch(engine.commands, 'createTopic', { name: 'dv-commit', partitions: 2, replicationFactor: 3 });
    await imagesAgree('dv-commit');
    // The coordinator is wherever FindCoordinator says (it may first be starting up).
    let coordinator = -1;
    for (const deadline = Date.now() + 10_000; coordinator < 0; ) {
      const found = await request(ApiKey.FindCoordinator, 3, { key: 'dv-group', keyType: 0 }, 1);
      if (found.errorCode === ErrorCode.NONE) coordinator = found.nodeId;
      else if (Date.now() > deadline) throw new Error(`no coordinator: error ${found.errorCode}`);
      else await new Promise((res) => setTimeout(res, 50));
    }
    const r = await request(ApiKey.OffsetCommit, 8, {
      groupId: 'dv-group', generationIdOrMemberEpoch: -1, memberId: '',
      topics: [{ name: 'dv-commit', partitions: [{ partitionIndex: 0, committedOffset: 2 ** 60, committedMetadata: null }, { partitionIndex: 1, committedOffset: 5, committedMetadata: null }] }],
    }, coordinator);
    expect(r.topics[0]!.partitions.map((p) => [p.partitionIndex, p.errorCode])).toEqual([[0, ErrorCode.INVALID_COMMIT_OFFSET_SIZE], [1, ErrorCode.NONE]]);
    const f = await request(ApiKey.OffsetFetch, 7, { groupId: 'dv-group', topics: [{ name: 'dv-commit', partitionIndexes: [0, 1] }] }, coordinator);
    expect(f.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset])).toEqual([[0, -1], [1, 5]]);
  });

  it('InitProducerId naming a producer id beyond 2^53 gets a new id of ours', async () => {
    const ask = () => request(ApiKey.InitProducerId, 4, { transactionalId: null, transactionTimeoutMs: 1000, producerId: 2 ** 60, producerEpoch: 3 }, 1);
    let r = await ask();
    // The broker's first block of ids comes from the controller (COORDINATOR_NOT_AVAILABLE until then).
    for (const deadline = Date.now() + 10_000; r.errorCode === ErrorCode.COORDINATOR_NOT_AVAILABLE && Date.now() < deadline; ) {
      await new Promise((res) => setTimeout(res, 50));
      r = await ask();
    }
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(Number.isSafeInteger(r.producerId) && r.producerId >= 0).toBe(true);
    expect(r.producerEpoch).toBe(0);
  });
});

describe('ListOffsets v8-10 special timestamps', () => {
  it('-4 (earliest local) is the log start offset from v8; -5 (latest tiered) is -1 from v9; each is UNSUPPORTED_VERSION before', async () => {
    const leader = partitionState('dv').leader;
    const start = engine.cluster.broker(leader).replicaManager!.partition('dv', 0)!.log.logStartOffset;
    const ask = async (v: number, timestamp: number) =>
      (await request(ApiKey.ListOffsets, v, { replicaId: -1, topics: [{ name: 'dv', partitions: [{ partitionIndex: 0, timestamp }] }], timeoutMs: 5000 }, leader)).topics[0]!.partitions[0]!;
    expect((await ask(7, -4)).errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    for (const v of [8, 9, 10]) expect(await ask(v, -4), `v${v}`).toMatchObject({ errorCode: ErrorCode.NONE, offset: start, timestamp: -1 });
    expect((await ask(8, -5)).errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    for (const v of [9, 10]) expect(await ask(v, -5), `v${v}`).toMatchObject({ errorCode: ErrorCode.NONE, offset: -1, timestamp: -1, leaderEpoch: -1 });
    expect((await ask(10, -6)).errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(await ask(10, -1)).toMatchObject({ errorCode: ErrorCode.NONE, offset: 2 });
    expect(await ask(10, -3)).toMatchObject({ errorCode: ErrorCode.NONE, offset: 1 });
  });
});

describe('leader hints (KIP-951)', () => {
  it('Produce v10+ answers NOT_LEADER_OR_FOLLOWER with the current leader and its endpoint; v9 without', async () => {
    const p = partitionState('dv');
    const other = notLeaderOf('dv');
    const batch = buildBatchSync({ records: [{ key: null, value: Buffer.from('misdirected'), timestampMs: Date.now() }] });
    const produce = { acks: 1, timeoutMs: 1000, topicData: [{ name: 'dv', partitionData: [{ index: 0, records: batch }] }] };
    for (const v of [10, 11]) {
      const r = await request(ApiKey.Produce, v, produce, other);
      const part = r.responses[0]!.partitionResponses[0]!;
      expect(part.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      expect(part.currentLeader).toEqual({ leaderId: p.leader, leaderEpoch: p.leaderEpoch });
      expect(r.nodeEndpoints).toEqual([{ nodeId: p.leader, host: '127.0.0.1', port: port + p.leader - 1, rack: null }]);
    }
    const old = await request(ApiKey.Produce, 9, produce, other);
    expect(old.responses[0]!.partitionResponses[0]!.currentLeader).toEqual({ leaderId: -1, leaderEpoch: -1 });
    expect(old.nodeEndpoints).toEqual([]);
  });

  it('Fetch v16+ answers NOT_LEADER_OR_FOLLOWER with the current leader and its endpoint; v15 without', async () => {
    const p = partitionState('dv');
    const other = notLeaderOf('dv');
    const id = await topicIdOf('dv');
    const fetch = { ...FETCH, topics: [{ topicId: id, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] };
    for (const v of [16, 17]) {
      const r = await request(ApiKey.Fetch, v, fetch, other);
      const part = r.responses[0]!.partitions[0]!;
      expect(part.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      expect(part.currentLeader).toEqual({ leaderId: p.leader, leaderEpoch: p.leaderEpoch });
      expect(r.nodeEndpoints).toEqual([{ nodeId: p.leader, host: '127.0.0.1', port: port + p.leader - 1, rack: null }]);
    }
    const old = await request(ApiKey.Fetch, 15, fetch, other);
    expect(old.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(old.responses[0]!.partitions[0]!.currentLeader).toEqual({ leaderId: -1, leaderEpoch: -1 });
    expect(old.nodeEndpoints).toEqual([]);
  });
});

describe('Metadata v12 looks topics up by id', () => {
  it('answers a topic asked for by id alone with its name, and an unknown id with UNKNOWN_TOPIC_ID under a null name', async () => {
    const id = await topicIdOf('dv');
    const stranger = '0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
    const r = await request(ApiKey.Metadata, 12, { topics: [{ topicId: id, name: null }, { topicId: stranger, name: null }], allowAutoTopicCreation: false }, 2);
    expect(r.topics.map((t) => [t.name, t.topicId, t.errorCode])).toEqual([
      ['dv', id, ErrorCode.NONE],
      [null, stranger, ErrorCode.UNKNOWN_TOPIC_ID],
    ]);
    expect(r.topics[0]!.partitions).toHaveLength(1);
  });
});

describe('record batches whose header int64s are beyond 2^53', () => {
  /** A valid one-record batch with `field` (a header offset) set to `value`, CRC recomputed. */
  function batchWith(at: number, value: bigint): Buffer {
    const b = Buffer.from(buildBatchSync({ records: [{ key: Buffer.from('k'), value: Buffer.from('huge'), timestampMs: Date.now() }] }));
    b.writeBigInt64BE(value, at);
    b.writeUInt32BE(computeBatchCrc(b, 0, b.length), CRC_AT);
    return b;
  }

  it('are refused with Kafka’s error for the field, nothing is appended, and the partition goes on serving', async () => {
    const leader = partitionState('dv').leader;
    const log = () => engine.cluster.broker(leader).replicaManager!.partition('dv', 0)!;
    const cases = [
      [MAX_TIMESTAMP_AT, 2n ** 60n, ErrorCode.INVALID_TIMESTAMP],
      [BASE_TIMESTAMP_AT, 2n ** 60n, ErrorCode.INVALID_TIMESTAMP],
      [MAX_TIMESTAMP_AT, -(2n ** 62n), ErrorCode.INVALID_TIMESTAMP],
      [PRODUCER_ID_AT, 2n ** 60n + 1n, ErrorCode.UNKNOWN_PRODUCER_ID],
    ] as const;
    for (const [at, value, errorCode] of cases) {
      const before = log().logEndOffset;
      const r = await request(ApiKey.Produce, 9, { acks: -1, timeoutMs: 5000, topicData: [{ name: 'dv', partitionData: [{ index: 0, records: batchWith(at, value) }] }] }, leader);
      expect(r.responses[0]!.partitionResponses[0]!.errorCode, `${at} = ${value}`).toBe(errorCode);
      expect(log().logEndOffset).toBe(before);
    }
    // The same batch with safe values is taken, and the log still reads from the start.
    const ok = await request(ApiKey.Produce, 9, { acks: -1, timeoutMs: 5000, topicData: [{ name: 'dv', partitionData: [{ index: 0, records: batchWith(MAX_TIMESTAMP_AT, 1_700_000_000_000n) }] }] }, leader);
    expect(ok.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.NONE);
    const after = await request(ApiKey.Fetch, 12, { ...FETCH, topics: [{ topic: 'dv', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] }, leader);
    expect(decodeRecordsSync(after.responses[0]!.partitions[0]!.records!).map((x) => x.value?.toString())).toContain('huge');
  });
});
