/**
 * The codec against a real client library over a real socket: kafkajs 2.2.4 (a
 * devDependency) talks to a stub broker on 127.0.0.1 whose every byte in and out goes
 * through engine/protocol (FrameDecoder, decodeRequestFrame, encodeResponseFrame). The
 * stub knows one broker and answers with canned data; what is checked is that kafkajs
 * accepts our encodings and that we decode exactly what it sends, at the versions it
 * picks from our ApiVersions answer.
 *
 * Bounded: one connection at a time per client, every test finishes or times out in
 * seconds, the server closes when the suite ends.
 */
import * as net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRequestFrame, encodeResponseFrame } from '../../../engine/protocol/codec';
import { ErrorCode } from '../../../engine/protocol/errors';
import { FrameDecoder, apiVersionsFallbackResponse, needsApiVersionsFallback, peekRequestHeader } from '../../../engine/protocol/framing';
import { ApiKey, type ApiKeyNumber, advertisedApiKeys } from '../../../engine/protocol/registry';

interface Seen {
  apiKey: number;
  version: number;
  message: unknown;
}

type Handler = (version: number, message: any) => Record<string, unknown>;

class StubBroker {
  readonly seen: Seen[] = [];
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** Records appended per topic-partition by Produce, as raw batches. */
  readonly produced = new Map<string, Buffer[]>();

  constructor(private readonly handlers: Partial<Record<number, Handler>>) {
    this.server = net.createServer((socket) => this.serve(socket));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  versionsUsed(apiKey: number): number[] {
    return [...new Set(this.seen.filter((s) => s.apiKey === apiKey).map((s) => s.version))];
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const frames = new FrameDecoder({ maxFrameBytes: 1 << 20 });
    socket.on('data', (chunk) => {
      for (const frame of frames.push(chunk)) {
        const peek = peekRequestHeader(frame);
        if (needsApiVersionsFallback(peek)) {
          socket.write(Buffer.concat(apiVersionsFallbackResponse(peek.correlationId)));
          continue;
        }
        const { header, message } = decodeRequestFrame(frame, { exact: true });
        const apiKey = header.requestApiKey as ApiKeyNumber;
        this.seen.push({ apiKey, version: header.requestApiVersion, message });
        const handler = this.handlers[apiKey];
        if (handler === undefined) throw new Error(`stub broker has no handler for API key ${apiKey}`);
        const body = handler.call(this, header.requestApiVersion, message);
        // socket.writev-style: the chunks go out as they are, records uncopied.
        socket.cork();
        for (const c of encodeResponseFrame(apiKey, header.requestApiVersion, header.correlationId, body as never)) socket.write(c);
        socket.uncork();
      }
    });
  }
}

let broker: StubBroker;

function metadataFor(topics: string[]) {
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: broker.port, rack: null }],
    clusterId: 'wb-stub',
    controllerId: 1,
    topics: topics.map((name) => ({
      errorCode: 0,
      name,
      isInternal: false,
      partitions: [0, 1].map((p) => ({
        errorCode: 0,
        partitionIndex: p,
        leaderId: 1,
        leaderEpoch: 0,
        replicaNodes: [1],
        isrNodes: [1],
        offlineReplicas: [],
      })),
    })),
  };
}

beforeAll(async () => {
  broker = new StubBroker({
    [ApiKey.ApiVersions]: () => ({ errorCode: 0, apiKeys: advertisedApiKeys() }),
    [ApiKey.Metadata]: (_v, m) => metadataFor(m.topics === null || m.topics.length === 0 ? ['orders'] : m.topics.map((t: any) => t.name)),
    [ApiKey.Produce]: function (this: StubBroker, _v, m) {
      return {
        responses: m.topicData.map((t: any) => ({
          name: t.name,
          partitionResponses: t.partitionData.map((p: any) => {
            const key = `${t.name}/${p.index}`;
            const batches = this.produced.get(key) ?? [];
            batches.push(Buffer.from(p.records));
            this.produced.set(key, batches);
            return { index: p.index, errorCode: 0, baseOffset: batches.length - 1, logAppendTimeMs: -1, logStartOffset: 0 };
          }),
        })),
      };
    },
    [ApiKey.InitProducerId]: () => ({ errorCode: 0, producerId: 4000, producerEpoch: 0 }),
    [ApiKey.CreateTopics]: (_v, m) => ({
      topics: m.topics.map((t: any) => ({
        name: t.name,
        errorCode: t.name === 'orders' ? ErrorCode.TOPIC_ALREADY_EXISTS : 0,
        errorMessage: t.name === 'orders' ? 'Topic orders already exists.' : null,
      })),
    }),
    [ApiKey.DeleteTopics]: (_v, m) => ({ responses: m.topicNames.map((name: string) => ({ name, errorCode: 0 })) }),
    [ApiKey.DescribeConfigs]: (_v, m) => ({
      results: m.resources.map((r: any) => ({
        errorCode: 0,
        errorMessage: null,
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        configs: [{ name: 'cleanup.policy', value: 'compact', readOnly: false, configSource: 1, isSensitive: false, synonyms: [] }],
      })),
    }),
    [ApiKey.ListGroups]: () => ({ errorCode: 0, groups: [{ groupId: 'billing', protocolType: 'consumer' }] }),
    [ApiKey.ListOffsets]: (_v, m) => ({
      topics: m.topics.map((t: any) => ({
        name: t.name,
        partitions: t.partitions.map((p: any) => ({ partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1, offset: p.timestamp === -2 ? 0 : 42 })),
      })),
    }),
  });
  await broker.start();
});

afterAll(async () => {
  await broker?.stop();
});

function client() {
  return new Kafka({
    clientId: 'codec-test',
    brokers: [`127.0.0.1:${broker.port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 3000,
    requestTimeout: 5000,
  });
}

describe('kafkajs 2.2.4 against the codec', () => {
  it('negotiates versions, reads metadata and cluster info', async () => {
    const admin = client().admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toEqual(['orders']);
      const cluster = await admin.describeCluster();
      expect(cluster).toEqual({ brokers: [{ nodeId: 1, host: '127.0.0.1', port: broker.port }], controller: 1, clusterId: 'wb-stub' });
      const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] });
      expect(topics[0]!.partitions.map((p) => [p.partitionId, p.leader, p.isr])).toEqual([
        [0, 1, [1]],
        [1, 1, [1]],
      ]);
    } finally {
      await admin.disconnect();
    }
    expect(broker.versionsUsed(ApiKey.ApiVersions)).toEqual([2]);
    expect(broker.versionsUsed(ApiKey.Metadata)).toEqual([6]);
  });

  it('creates and deletes topics, describes configs, lists groups and offsets', async () => {
    const admin = client().admin();
    await admin.connect();
    try {
      await expect(admin.createTopics({ topics: [{ topic: 'clicks', numPartitions: 2 }], waitForLeaders: false })).resolves.toBe(true);
      await expect(admin.createTopics({ topics: [{ topic: 'orders' }], waitForLeaders: false })).resolves.toBe(false);
      const configs = await admin.describeConfigs({ resources: [{ type: 2, name: 'orders' }], includeSynonyms: false });
      expect(configs.resources[0]!.configEntries[0]).toMatchObject({ configName: 'cleanup.policy', configValue: 'compact' });
      expect((await admin.listGroups()).groups).toEqual([{ groupId: 'billing', protocolType: 'consumer' }]);
      const offsets = await admin.fetchTopicOffsets('orders');
      expect(offsets.map((o) => [o.partition, o.offset, o.low, o.high])).toEqual([
        [0, '42', '0', '42'],
        [1, '42', '0', '42'],
      ]);
      await admin.deleteTopics({ topics: ['clicks'] });
    } finally {
      await admin.disconnect();
    }
    const created = broker.seen.find((s) => s.apiKey === ApiKey.CreateTopics)!.message as any;
    expect(created.topics[0]).toMatchObject({ name: 'clicks', numPartitions: 2, replicationFactor: -1 });
    expect(broker.versionsUsed(ApiKey.CreateTopics)).toEqual([3]);
    expect(broker.versionsUsed(ApiKey.DescribeConfigs)).toEqual([2]);
  });

  it('produces with an idempotent producer: our Produce decode hands over its record batch untouched', async () => {
    const producer = client().producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 2 } });
    await producer.connect();
    try {
      const result = await producer.send({ topic: 'orders', acks: -1, messages: [{ key: 'k1', value: 'hello', partition: 0 }] });
      expect(result).toMatchObject([{ topicName: 'orders', partition: 0, errorCode: 0, baseOffset: '0' }]);
    } finally {
      await producer.disconnect();
    }
    const produce = broker.seen.find((s) => s.apiKey === ApiKey.Produce)!;
    expect(produce.version).toBe(7);
    const batch = broker.produced.get('orders/0')![0]!;
    // RecordBatch v2: baseOffset int64, batchLength int32, leaderEpoch int32, magic int8 = 2.
    expect(batch.readInt32BE(8)).toBe(batch.length - 12);
    expect(batch[16]).toBe(2);
    expect(batch.readBigInt64BE(43)).toBe(4000n); // producer id from our InitProducerId answer
  });
});
