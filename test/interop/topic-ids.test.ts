/**
 * A current pure-JS client that speaks the newest data-path versions against the
 * workbench (`npm run serve`): @platformatic/kafka negotiates Fetch v17 (topics named
 * by id, KIP-516), Produce v11 and ListOffsets v9+, and must create, produce, and
 * consume in a group through them. Which API versions it really sent is read from
 * the client's own diagnostics channel, so the test fails if it ever negotiates down
 * below topic ids.
 *
 * Issue 12 began here: against a broker that stopped at Fetch v12 this client's
 * consumer received nothing.
 */
import { Admin, Consumer, MessagesStreamModes, Producer, connectionsApiChannel, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../engine/protocol';
import { built, serve, type Served } from './serve';

if (!built()) {
  if (process.env.CI) throw new Error('Interop tests need the built app: run npm run build.');
  console.log('Interop tests with @platformatic/kafka skipped: the app is not built (run npm run build).');
}

let server: Served;
/** apiKey → versions of the requests this client sent that were answered without error. */
const answered = new Map<number, Set<number>>();
const onEnd = (event: unknown) => {
  const { apiKey, apiVersion } = event as { apiKey: number; apiVersion: number };
  const versions = answered.get(apiKey) ?? new Set<number>();
  versions.add(apiVersion);
  answered.set(apiKey, versions);
};

describe.skipIf(!built())('@platformatic/kafka (Fetch by topic id)', () => {
  beforeAll(async () => {
    server = await serve();
    connectionsApiChannel.end.subscribe(onEnd);
  }, 60_000);

  afterAll(async () => {
    connectionsApiChannel.end.unsubscribe(onEnd);
    await server?.stop();
  });

  it('creates a topic, produces, and a consumer group reads every record through Fetch v13+', async () => {
    const bootstrapBrokers = server.bootstrap.split(',');
    // On a loaded machine leadership can move while the cluster settles; the client then
    // sees FENCED_LEADER_EPOCH until its metadata catches up, so it may retry for a while.
    const retrying = { retries: 20, retryDelay: 250 };
    const topic = 'by-topic-id';
    const admin = new Admin({ clientId: 'ids-admin', bootstrapBrokers, ...retrying });
    await admin.createTopics({ topics: [topic], partitions: 3, replicas: 3 });
    await admin.close();

    const producer = new Producer({ clientId: 'ids-producer', bootstrapBrokers, serializers: stringSerializers, ...retrying });
    const values = Array.from({ length: 30 }, (_, i) => `record ${i}`);
    await producer.send({ messages: values.map((value, i) => ({ topic, key: `key-${i % 7}`, value })) });
    await producer.close();

    // The client sends ListOffsets with the leader epoch of the metadata it fetched once and
    // retries that same request; if leadership moved meanwhile (a loaded machine), every
    // retry is FENCED_LEADER_EPOCH and the consume call fails, after which the client has
    // dropped its metadata. Starting over then is what an application does; bounded here.
    const seen: string[] = [];
    for (let attempt = 1; seen.length < values.length; attempt++) {
      const consumer = new Consumer({ groupId: 'ids-group', clientId: 'ids-consumer', bootstrapBrokers, deserializers: stringDeserializers, maxWaitTime: 200, ...retrying });
      try {
        const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false, sessionTimeout: 10_000, heartbeatInterval: 500 });
        seen.length = 0;
        for await (const message of stream) {
          seen.push(message.value as string);
          if (seen.length === values.length) break;
        }
        await stream.close();
      } catch (err) {
        if (attempt >= 5) throw err;
        console.log(`consume attempt ${attempt} failed (${(err as Error).message}); starting over`);
      } finally {
        await consumer.close(true);
      }
    }

    expect(seen.sort()).toEqual([...values].sort());
    const fetchVersions = [...(answered.get(ApiKey.Fetch) ?? [])];
    expect(fetchVersions.length).toBeGreaterThan(0);
    expect(Math.min(...fetchVersions)).toBeGreaterThanOrEqual(13);
    expect(Math.max(...(answered.get(ApiKey.Produce) ?? [0]))).toBeGreaterThanOrEqual(10);
  }, 60_000);
});
