/**
 * The producer against the stub broker: batching (one batch for a burst, batch.size
 * splits), delivery reports with offsets per record, keyed partitioning as Kafka's,
 * compression, acks=0, backpressure from buffer.memory, routing and refresh on
 * NOT_LEADER_OR_FOLLOWER, and idempotent sequences kept in order across retries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Producer, type RecordMetadata } from '../../../engine/client/producer';
import { partitionForKey } from '../../../engine/cluster/partitioner';
import { ErrorCode } from '../../../engine/protocol/errors';
import { ApiKey } from '../../../engine/protocol/registry';
import { decodeRecords, readBatchHeader, splitBatches } from '../../../engine/storage/record-batch';
import { StubCluster } from './stub-broker';

let stub: StubCluster;
const producers: Producer[] = [];

function producer(config: Partial<ConstructorParameters<typeof Producer>[0]> = {}): Producer {
  const p = new Producer({ bootstrapServers: stub.bootstrap, retryBackoffMs: 20, ...config });
  producers.push(p);
  return p;
}

beforeEach(async () => {
  stub = await StubCluster.start(2);
});

afterEach(async () => {
  await Promise.all(producers.splice(0).map((p) => p.close({ timeoutMs: 1000 })));
  await stub.stop();
});

async function recordsOf(topic: string, partition: number) {
  const p = stub.topics.get(topic)!.partitions[partition]!;
  return decodeRecords(Buffer.concat(p.batches));
}

describe('Producer', () => {
  it('batches a burst of sends into one Produce request and reports an offset per record', async () => {
    stub.createTopic('t', 1);
    const p = producer({ acks: 1 });
    await p.connect(['t']);
    const reports = await Promise.all(Array.from({ length: 50 }, (_, i) => p.send({ topic: 't', value: `v${i}` })));
    expect(reports.map((r: RecordMetadata) => r.offset)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(stub.requests(ApiKey.Produce)).toHaveLength(1);
    const records = await recordsOf('t', 0);
    expect(records.map((r) => r.value!.toString())).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
  });

  it('splits batches at batch.size', async () => {
    stub.createTopic('t', 1);
    const p = producer({ acks: 1, batchSize: 1024 });
    await p.connect(['t']);
    for (let i = 0; i < 100; i++) p.produce({ topic: 't', value: Buffer.alloc(100, i) });
    await p.flush();
    const batches = stub.topics.get('t')!.partitions[0]!.batches;
    expect(batches.length).toBeGreaterThan(5);
    for (const b of batches) expect(b.length).toBeLessThanOrEqual(1024);
    expect((await recordsOf('t', 0)).length).toBe(100);
  });

  it('puts keyed records where Kafka puts them (murmur2) and keeps headers and timestamps', async () => {
    stub.createTopic('t', 4);
    const p = producer({ acks: 1 });
    const keys = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const reports = await Promise.all(
      keys.map((k) => p.send({ topic: 't', key: k, value: 'x', headers: { h: 'v' }, timestampMs: 1_700_000_000_000 })),
    );
    for (let i = 0; i < keys.length; i++) expect(reports[i]!.partition).toBe(partitionForKey(Buffer.from(keys[i]!), 4));
    const rec = (await recordsOf('t', reports[0]!.partition))[0]!;
    expect(rec.key!.toString()).toBe('alpha');
    expect(rec.timestampMs).toBe(1_700_000_000_000);
    expect(rec.headers).toEqual([{ key: 'h', value: Buffer.from('v') }]);
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)('compresses batches with %s', async (codec) => {
    stub.createTopic('t', 1);
    const p = producer({ acks: 1, compression: codec });
    await Promise.all(Array.from({ length: 20 }, (_, i) => p.send({ topic: 't', partition: 0, value: `value-${i}`.repeat(10) })));
    const batch = stub.topics.get('t')!.partitions[0]!.batches[0]!;
    expect(readBatchHeader(batch, 0).compression).toBe({ gzip: 1, snappy: 2, lz4: 3, zstd: 4 }[codec]);
    expect((await recordsOf('t', 0)).map((r) => r.value!.toString())).toEqual(Array.from({ length: 20 }, (_, i) => `value-${i}`.repeat(10)));
  });

  it('with acks=0 completes without waiting for an answer', async () => {
    stub.createTopic('t', 1);
    const p = producer({ acks: 0, idempotent: false });
    const r = await p.send({ topic: 't', value: 'x' });
    expect(r.offset).toBe(-1);
    await expect.poll(() => stub.requests(ApiKey.Produce).length).toBe(1);
    expect(stub.requests(ApiKey.Produce)[0]!.message.acks).toBe(0);
  });

  it('applies backpressure: produce waits while buffer.memory is used up', async () => {
    stub.createTopic('t', 1);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    stub.intercept(ApiKey.Produce, async () => {
      await gate;
      return undefined;
    });
    const p = producer({ acks: 1, batchSize: 1024, bufferMemory: 4096 });
    await p.connect(['t']);
    let waited = 0;
    for (let i = 0; i < 40; i++) {
      const accepted = p.produce({ topic: 't', value: Buffer.alloc(200) });
      if (accepted !== undefined) {
        waited++;
        if (waited === 1) setTimeout(() => release(), 20);
        await accepted;
      }
    }
    expect(waited).toBeGreaterThan(0);
    await p.flush();
    expect((await recordsOf('t', 0)).length).toBe(40);
  });

  it('refreshes metadata on NOT_LEADER_OR_FOLLOWER and sends to the new leader', async () => {
    const topic = stub.createTopic('t', 1);
    const p = producer({ acks: 1 });
    await p.connect(['t']);
    // Leadership moves to broker 2, but the client still believes broker 1 leads.
    topic.partitions[0]!.leader = 2;
    const r = await p.send({ topic: 't', value: 'x' });
    expect(r.offset).toBe(0);
    const produces = stub.requests(ApiKey.Produce);
    expect(produces.map((s) => s.broker)).toEqual([1, 2]);
  });

  it('keeps idempotent sequences in order when an earlier batch must be retried', async () => {
    stub.createTopic('t', 1);
    let failures = 1;
    stub.intercept(ApiKey.Produce, (_b, _v, m) => {
      // The first Produce fails retriably as a whole; later batches in flight then meet a gap.
      if (failures-- > 0) {
        return {
          responses: m.topicData.map((t: any) => ({
            name: t.name,
            partitionResponses: t.partitionData.map((pd: any) => ({ index: pd.index, errorCode: ErrorCode.NOT_ENOUGH_REPLICAS, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: 0, recordErrors: [], errorMessage: null })),
          })),
        };
      }
      return undefined;
    });
    const p = producer({ batchSize: 200 });
    await p.connect(['t']);
    expect(p.idempotent).toBe(true);
    const sends = Array.from({ length: 30 }, (_, i) => p.send({ topic: 't', partition: 0, value: `m${String(i).padStart(2, '0')}` }));
    const reports = await Promise.all(sends);
    expect(reports.map((r) => r.offset)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const part = stub.topics.get('t')!.partitions[0]!;
    const seqs = part.appendedSequences;
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBe(0);
    const values = (await recordsOf('t', 0)).map((r) => r.value!.toString());
    expect(values).toEqual(Array.from({ length: 30 }, (_, i) => `m${String(i).padStart(2, '0')}`));
    const init = stub.requests(ApiKey.InitProducerId);
    expect(init).toHaveLength(1);
    for (const b of part.batches.flatMap((x) => splitBatches(x))) expect(readBatchHeader(b, 0).producerId).toBe(1000);
  });

  it('fails records with non-retriable errors and reports the broker message', async () => {
    stub.createTopic('t', 1);
    stub.intercept(ApiKey.Produce, (_b, _v, m) => ({
      responses: m.topicData.map((t: any) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((pd: any) => ({
          index: pd.index,
          errorCode: ErrorCode.INVALID_RECORD,
          baseOffset: -1,
          logAppendTimeMs: -1,
          logStartOffset: 0,
          recordErrors: [{ batchIndex: 0, batchIndexErrorMessage: 'Compacted topic cannot accept message without key in topic partition t-0.' }],
          errorMessage: null,
        })),
      })),
    }));
    const p = producer({ acks: 1 });
    await expect(p.send({ topic: 't', value: 'x' })).rejects.toThrow(/Compacted topic cannot accept message without key/);
  });

  it('auto-creates a topic through Metadata when it does not exist yet', async () => {
    const p = producer({ acks: 1 });
    const r = await p.send({ topic: 'fresh', value: 'x' });
    expect(r).toMatchObject({ topic: 'fresh', partition: 0, offset: 0 });
  });

  it('rejects a record larger than max.request.size at once', () => {
    stub.createTopic('t', 1);
    const p = producer({ acks: 1, maxRequestSize: 1000 });
    return expect(p.send({ topic: 't', value: Buffer.alloc(2000) })).rejects.toThrow(/max.request.size/);
  });
});
