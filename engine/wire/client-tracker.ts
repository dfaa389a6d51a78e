/**
 * Who is connected to the brokers' Kafka listeners, and what each connection does: the
 * Clients view's data. One entry per open connection: broker, remote address, client id
 * (request headers), client software name and version (ApiVersions v3+), since when,
 * bytes in and out, the topic-partitions it produced to, the positions it fetched from
 * (consumers only: a follower broker's replica fetches are not a client's), and the
 * groups it spoke for. Closed connections are forgotten.
 *
 * Fed by the listeners: opened/closed/bytes by each connection's events, request() by
 * every decoded request before it is handled. Reading it (list) copies.
 *
 * Bounds: at most MAX_CONNECTIONS entries (a connection beyond them is not tracked); per
 * connection at most MAX_PARTITIONS_PER_CONNECTION produced and fetched partitions and
 * MAX_GROUPS_PER_CONNECTION groups (the oldest dropped first).
 *
 * Invariant: an entry exists only between opened() and closed() of its connection.
 */
import type { DecodedRequest } from '../protocol';
import { ApiKey } from '../protocol';
import { assert } from '../util/assert';
import type { RequestMeta } from './connection';

export const MAX_CONNECTIONS = 4000;
const MAX_PARTITIONS_PER_CONNECTION = 512;
const MAX_GROUPS_PER_CONNECTION = 16;

export interface ClientConnection {
  brokerId: number;
  connectionId: number;
  host: string;
  openedAtMs: number;
  clientId: string | null;
  softwareName: string | null;
  softwareVersion: string | null;
  bytesIn: number;
  bytesOut: number;
  requests: number;
  lastRequestAtMs: number | null;
  /** "topic-partition" → when it last produced there. */
  produced: Map<string, { topic: string; partition: number; atMs: number }>;
  /** "topic-partition" → the offset it last fetched from, and when. */
  fetched: Map<string, { topic: string; partition: number; offset: number; atMs: number }>;
  groups: Set<string>;
}

type Message = Record<string, unknown>;

function remember<V>(m: Map<string, V>, key: string, v: V, max: number): void {
  m.delete(key);
  m.set(key, v);
  if (m.size > max) m.delete(m.keys().next().value!);
}

export class ClientTracker {
  private readonly connections = new Map<string, ClientConnection>();

  constructor(
    private readonly nowMs: () => number,
    /** A topic's name from its wire UUID (Fetch v13+ addresses topics by id). */
    private readonly topicName: (topicId: string) => string | null,
  ) {}

  opened(brokerId: number, connectionId: number, host: string): void {
    if (this.connections.size >= MAX_CONNECTIONS) return;
    this.connections.set(`${brokerId}/${connectionId}`, {
      brokerId,
      connectionId,
      host,
      openedAtMs: this.nowMs(),
      clientId: null,
      softwareName: null,
      softwareVersion: null,
      bytesIn: 0,
      bytesOut: 0,
      requests: 0,
      lastRequestAtMs: null,
      produced: new Map(),
      fetched: new Map(),
      groups: new Set(),
    });
  }

  closed(brokerId: number, connectionId: number): void {
    this.connections.delete(`${brokerId}/${connectionId}`);
  }

  bytes(brokerId: number, connectionId: number, inBytes: number, outBytes: number): void {
    const c = this.connections.get(`${brokerId}/${connectionId}`);
    if (!c) return;
    c.bytesIn += inBytes;
    c.bytesOut += outBytes;
  }

  /** A decoded request of `brokerId`'s connection, before it is handled. */
  request(brokerId: number, req: DecodedRequest, meta: RequestMeta): void {
    const c = this.connections.get(`${brokerId}/${meta.connectionId}`);
    if (!c) return;
    const now = this.nowMs();
    c.requests++;
    c.lastRequestAtMs = now;
    if (meta.clientId) c.clientId = meta.clientId;
    const m = req.message as Message;
    switch (meta.apiKey) {
      case ApiKey.ApiVersions:
        if (typeof m.clientSoftwareName === 'string' && m.clientSoftwareName !== '') c.softwareName = m.clientSoftwareName;
        if (typeof m.clientSoftwareVersion === 'string' && m.clientSoftwareVersion !== '') c.softwareVersion = m.clientSoftwareVersion;
        break;
      case ApiKey.Produce:
        for (const t of (m.topicData as Message[] | undefined) ?? []) {
          const topic = this.nameOf(t.name, t.topicId);
          if (topic === null) continue;
          for (const p of (t.partitionData as Message[] | undefined) ?? []) {
            const partition = p.index as number;
            remember(c.produced, `${topic}-${partition}`, { topic, partition, atMs: now }, MAX_PARTITIONS_PER_CONNECTION);
          }
        }
        break;
      case ApiKey.Fetch: {
        // A follower broker's fetch is replication, not a client reading.
        const replicaState = m.replicaState as Message | undefined;
        const replicaId = typeof replicaState?.replicaId === 'number' && replicaState.replicaId >= 0 ? replicaState.replicaId : (m.replicaId as number | undefined);
        if (typeof replicaId === 'number' && replicaId >= 0) {
          this.connections.delete(`${brokerId}/${meta.connectionId}`);
          return;
        }
        for (const t of (m.topics as Message[] | undefined) ?? []) {
          const topic = this.nameOf(t.topic, t.topicId);
          if (topic === null) continue;
          for (const p of (t.partitions as Message[] | undefined) ?? []) {
            const partition = p.partition as number;
            remember(c.fetched, `${topic}-${partition}`, { topic, partition, offset: Number(p.fetchOffset), atMs: now }, MAX_PARTITIONS_PER_CONNECTION);
          }
        }
        break;
      }
      case ApiKey.JoinGroup:
      case ApiKey.SyncGroup:
      case ApiKey.Heartbeat:
      case ApiKey.OffsetCommit:
        if (typeof m.groupId === 'string' && m.groupId !== '') {
          c.groups.delete(m.groupId);
          c.groups.add(m.groupId);
          if (c.groups.size > MAX_GROUPS_PER_CONNECTION) c.groups.delete(c.groups.values().next().value!);
        }
        break;
    }
    assert(c.produced.size <= MAX_PARTITIONS_PER_CONNECTION && c.fetched.size <= MAX_PARTITIONS_PER_CONNECTION, 'client tracker bounds');
  }

  /** Every tracked connection, oldest first (copies). */
  list(): ClientConnection[] {
    return [...this.connections.values()].map((c) => ({ ...c, produced: new Map(c.produced), fetched: new Map(c.fetched), groups: new Set(c.groups) }));
  }

  private nameOf(name: unknown, topicId: unknown): string | null {
    if (typeof name === 'string' && name !== '') return name;
    if (typeof topicId === 'string') return this.topicName(topicId);
    return null;
  }
}
