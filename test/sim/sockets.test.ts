/**
 * The simulator's in-process sockets (engine/sim/sockets.ts): a real client Connection
 * reaches a simulated broker's real Kafka listener and API handlers without TCP, on the
 * simulator's clock — pipelined answers come back in order, an address nobody listens
 * on is refused, and a broker that dies drops its connections.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from '../../engine/client/connection';
import { ConnectionError } from '../../engine/client/errors';
import { ApiKey } from '../../engine/protocol';
import { World } from '../../engine/sim/world';

let world: World;

afterEach(() => world?.close());

async function settled<T>(work: Promise<T>): Promise<T> {
  expect(await world.runUntilSettled(work, 30_000)).toBe(true);
  return work;
}

function connect(port: number): Promise<Connection> {
  return Connection.connect({ host: world.config.host, port, clientId: 'sockets-test', clock: world.clock, dialer: world.sockets.dialer });
}

describe('in-process sockets', () => {
  it('carry a real client to a broker’s real listener on virtual time, answers in order', async () => {
    world = new World({ seed: 3, brokers: 3 });
    world.start();
    expect(await world.createTopic('orders', 3, 3, {})).toBe(true);
    const startMs = world.clock.nowMs();
    const conn = await settled(connect(world.config.basePort));
    expect(world.clock.nowMs()).toBeGreaterThan(startMs);
    const answers = await settled(Promise.all(Array.from({ length: 5 }, () => conn.request(ApiKey.Metadata, { topics: [{ name: 'orders' }] }))));
    for (const a of answers) {
      expect(a.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect(a.topics[0]!.partitions).toHaveLength(3);
    }
    conn.close();
  });

  it('refuse an address nobody listens on, and drop the connections of a broker that dies', async () => {
    world = new World({ seed: 4, brokers: 3 });
    world.start();
    expect(await world.runUntil(() => world.cluster.brokers.every((b) => b.isUp), 30_000)).toBe(true);
    const refused = await settled(connect(world.config.basePort + 10).catch((e: unknown) => e));
    expect(refused).toBeInstanceOf(ConnectionError);
    expect((refused as ConnectionError).code).toBe('ECONNREFUSED');

    const conn = await settled(connect(world.config.basePort));
    world.cluster.kill(1);
    world.reconcileListeners();
    const lost = await settled(conn.request(ApiKey.Metadata, { topics: [] }).catch((e: unknown) => e));
    expect(lost).toBeInstanceOf(ConnectionError);
    expect((lost as ConnectionError).code).toBe('ECONNRESET');
    expect(conn.isClosed).toBe(true);
  });
});
