/**
 * Connection and cluster view against the stub broker: version negotiation (including
 * the KIP-511 fallback), pipelining and ordering, timeouts, actionable connection errors,
 * bootstrap parsing, leader routing and refresh on NOT_LEADER_OR_FOLLOWER.
 */
import * as net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster, parseBootstrapServers } from '../../../engine/client/cluster';
import { Connection } from '../../../engine/client/connection';
import { ConnectionError, RequestTimeoutError } from '../../../engine/client/errors';
import { ApiKey, advertisedApiKeys } from '../../../engine/protocol/registry';
import { StubCluster } from './stub-broker';

let stub: StubCluster;

beforeEach(async () => {
  stub = await StubCluster.start(3);
});

afterEach(async () => {
  await stub.stop();
});

describe('Connection', () => {
  it('negotiates ApiVersions first and then uses the highest version both sides speak', async () => {
    stub.apiKeys = advertisedApiKeys().map((k) => (k.apiKey === ApiKey.Metadata ? { ...k, maxVersion: 7 } : k));
    const conn = await Connection.connect({ host: '127.0.0.1', port: stub.brokers[0]!.port, clientId: 't' });
    try {
      expect(stub.seen[0]!.apiKey).toBe(ApiKey.ApiVersions);
      expect(stub.seen[0]!.version).toBe(3);
      expect(conn.versionFor(ApiKey.Metadata)).toBe(7);
      await conn.request(ApiKey.Metadata, { topics: [] });
      expect(stub.requests(ApiKey.Metadata)[0]!.version).toBe(7);
    } finally {
      conn.close();
    }
  });

  it('falls back to the ApiVersions version the broker supports when it answers UNSUPPORTED_VERSION (KIP-511)', async () => {
    stub.maxApiVersionsVersion = 2;
    const conn = await Connection.connect({ host: '127.0.0.1', port: stub.brokers[0]!.port, clientId: 't' });
    try {
      expect(stub.requests(ApiKey.ApiVersions).map((s) => s.version)).toEqual([2]);
      expect(conn.versionFor(ApiKey.Produce)).toBeGreaterThan(0);
    } finally {
      conn.close();
    }
  });

  it('pipelines requests and matches answers to them in order', async () => {
    const conn = await Connection.connect({ host: '127.0.0.1', port: stub.brokers[0]!.port, clientId: 't' });
    try {
      stub.createTopic('a', 1);
      stub.createTopic('b', 2);
      const [ra, rb] = await Promise.all([conn.request(ApiKey.Metadata, { topics: [{ name: 'a' }] }), conn.request(ApiKey.Metadata, { topics: [{ name: 'b' }] })]);
      expect(ra.topics[0]!.name).toBe('a');
      expect(rb.topics[0]!.partitions).toHaveLength(2);
    } finally {
      conn.close();
    }
  });

  it('bounds in-flight requests: the rest wait in the queue', async () => {
    const conn = await Connection.connect({ host: '127.0.0.1', port: stub.brokers[0]!.port, clientId: 't', maxInFlightRequests: 1 });
    try {
      const all = Promise.all([1, 2, 3].map(() => conn.request(ApiKey.Metadata, { topics: [] })));
      expect(conn.inFlightCount).toBe(1);
      expect(conn.queuedCount).toBe(2);
      await all;
      expect(conn.inFlightCount).toBe(0);
    } finally {
      conn.close();
    }
  });

  it('fails a request that gets no answer with RequestTimeoutError and closes the connection', async () => {
    stub.intercept(ApiKey.Metadata, () => new Promise(() => undefined));
    const conn = await Connection.connect({ host: '127.0.0.1', port: stub.brokers[0]!.port, clientId: 't', requestTimeoutMs: 100 });
    await expect(conn.request(ApiKey.Metadata, { topics: [] })).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(conn.isClosed).toBe(true);
  });

  it('reports a refused connection with the address and what to do', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const err = await Connection.connect({ host: '127.0.0.1', port, clientId: 't' }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toBe(`Could not connect to 127.0.0.1:${port} (ECONNREFUSED). Is the workbench running? Start it with npm start, or npm run serve.`);
  });

  it('fails pending requests when the broker drops the connection', async () => {
    stub.intercept(ApiKey.Metadata, () => new Promise(() => undefined));
    const conn = await Connection.connect({ host: '127.0.0.1', port: stub.brokers[0]!.port, clientId: 't' });
    const pending = conn.request(ApiKey.Metadata, { topics: [] });
    await new Promise((r) => setTimeout(r, 20));
    stub.brokers[0]!.dropConnections();
    await expect(pending).rejects.toBeInstanceOf(ConnectionError);
  });
});

describe('Cluster', () => {
  it('parses bootstrap lists and explains bad entries', () => {
    expect(parseBootstrapServers('localhost:9092, 127.0.0.1:9093')).toEqual([
      { host: 'localhost', port: 9092 },
      { host: '127.0.0.1', port: 9093 },
    ]);
    expect(() => parseBootstrapServers('localhost')).toThrow('Invalid url in bootstrap.servers: localhost (expected host:port, e.g. localhost:9092)');
    expect(() => parseBootstrapServers('')).toThrow(/No bootstrap servers/);
  });

  it('bootstraps past a dead address and learns brokers, controller and leaders', async () => {
    const dead = net.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as net.AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    stub.createTopic('t', 3, 2);
    const cluster = new Cluster({ bootstrapServers: `127.0.0.1:${deadPort},${stub.bootstrap}` });
    try {
      await cluster.refreshMetadata({ topics: ['t'] });
      expect([...cluster.brokers.keys()].sort()).toEqual([1, 2, 3]);
      expect(cluster.controllerId).toBe(1);
      expect(cluster.clusterId).toBe('stub-cluster');
      expect([0, 1, 2].map((p) => cluster.leaderFor('t', p))).toEqual([1, 2, 3]);
    } finally {
      await cluster.close();
    }
  });

  it('refreshes metadata after a leadership change, with backoff', async () => {
    const topic = stub.createTopic('t', 1);
    const cluster = new Cluster({ bootstrapServers: stub.bootstrap, retryBackoffMs: 50 });
    try {
      await cluster.refreshMetadata({ topics: ['t'] });
      cluster.addInterest(['t']);
      expect(cluster.leaderFor('t', 0)).toBe(1);
      topic.partitions[0]!.leader = 2;
      const t0 = performance.now();
      await cluster.invalidate();
      expect(cluster.leaderFor('t', 0)).toBe(2);
      await cluster.invalidate();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    } finally {
      await cluster.close();
    }
  });

  it('finds a group coordinator and caches it', async () => {
    const cluster = new Cluster({ bootstrapServers: stub.bootstrap });
    try {
      expect(await cluster.coordinatorFor('g')).toBe(1);
      expect(await cluster.coordinatorFor('g')).toBe(1);
      expect(stub.requests(ApiKey.FindCoordinator)).toHaveLength(1);
    } finally {
      await cluster.close();
    }
  });
});
