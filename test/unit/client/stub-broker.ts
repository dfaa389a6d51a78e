/**
 * A stub Kafka cluster for client tests: N brokers on 127.0.0.1 (port 0), every byte in
 * and out through engine/protocol. It keeps just enough state to answer like Kafka:
 * topics with partition leaders, per-partition logs of the batches produced (offsets
 * assigned, idempotent sequences checked), topic configs, committed offsets and a small
 * classic-protocol group coordinator (member id required, join window, leader sync,
 * rebalance on join/leave). Tests steer it with `intercept` (answer a request
 * differently, e.g. NOT_LEADER_OR_FOLLOWER once) and read what happened from `seen`.
 *
 * Answers on a connection go out in request order even when a handler waits (a fetch
 * long-polling), as Kafka guarantees. `stop()` closes every socket and server.
 */
import * as net from 'node:net';
import { decodeRequestFrame, encodeResponseFrame } from '../../../engine/protocol/codec';
import { ErrorCode } from '../../../engine/protocol/errors';
import { FrameDecoder, apiVersionsFallbackResponse, needsApiVersionsFallback, peekRequestHeader } from '../../../engine/protocol/framing';
import { ApiKey, type ApiKeyNumber, advertisedApiKeys } from '../../../engine/protocol/registry';
import { readBatchHeader, setBaseOffset, splitBatches } from '../../../engine/storage/record-batch';

export interface Seen {
  broker: number;
  apiKey: number;
  version: number;
  message: any;
}

/** Returns a response body to answer with, or undefined to let the stub answer. */
export type Interceptor = (broker: StubBroker, version: number, message: any) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;

export interface StubPartition {
  leader: number;
  replicas: number[];
  isr: number[];
  batches: Buffer[];
  nextOffset: number;
  logStartOffset: number;
  /** producerId → next expected sequence. */
  sequences: Map<number, number>;
  appendedSequences: number[];
}

export interface StubTopic {
  name: string;
  topicId: string;
  partitions: StubPartition[];
  configs: Map<string, string>;
}

interface Member {
  memberId: string;
  clientId: string;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  joined: boolean;
}

interface StubGroup {
  groupId: string;
  state: 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';
  generation: number;
  protocol: string;
  leader: string;
  members: Map<string, Member>;
  joinWaiters: { memberId: string; resolve: (r: Record<string, unknown>) => void }[];
  syncWaiters: { memberId: string; resolve: (r: Record<string, unknown>) => void }[];
  joinTimer: NodeJS.Timeout | null;
  offsets: Map<string, number>;
}

const TOPIC_DEFAULTS: Record<string, string> = { 'cleanup.policy': 'delete', 'retention.ms': '604800000', 'segment.bytes': '1073741824', 'min.insync.replicas': '1' };

let uuidCounter = 1;
function fakeUuid(): string {
  const n = (uuidCounter++).toString(16).padStart(12, '0');
  return `6d1f0e2a-1b2c-4d3e-8f40-${n}`;
}

export class StubBroker {
  port = 0;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly nodeId: number,
    readonly cluster: StubCluster,
  ) {
    this.server = net.createServer((s) => this.serve(s));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Drops every open connection (the broker "restarts"). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const frames = new FrameDecoder();
    let chain: Promise<void> = Promise.resolve();
    socket.on('data', (chunk) => {
      for (const frame of frames.push(chunk)) {
        const peek = peekRequestHeader(frame);
        if (needsApiVersionsFallback(peek) || this.cluster.maxApiVersionsVersion < peek.requestApiVersion && peek.requestApiKey === ApiKey.ApiVersions) {
          const out = Buffer.concat(apiVersionsFallbackResponse(peek.correlationId, [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: this.cluster.maxApiVersionsVersion }]));
          chain = chain.then(() => void socket.write(out));
          continue;
        }
        const req = decodeRequestFrame(Buffer.from(frame), { exact: true });
        const apiKey = req.apiKey as ApiKeyNumber;
        const message: any = req.message;
        this.cluster.seen.push({ broker: this.nodeId, apiKey, version: req.apiVersion, message });
        const answer = this.answer(apiKey, req.apiVersion, message);
        if (apiKey === ApiKey.Produce && message.acks === 0) {
          void answer;
          continue;
        }
        chain = chain.then(async () => {
          const body = await answer;
          if (body === null || socket.destroyed) return;
          let chunks: Buffer[];
          try {
            chunks = encodeResponseFrame(apiKey, req.apiVersion, req.header.correlationId, body as never);
          } catch (err) {
            // A stub bug must fail the test fast, not leave the client waiting.
            this.cluster.errors.push(err as Error);
            socket.destroy();
            return;
          }
          socket.cork();
          for (const c of chunks) socket.write(c);
          socket.uncork();
        });
      }
    });
  }

  private async answer(apiKey: ApiKeyNumber, version: number, message: any): Promise<Record<string, unknown> | null> {
    const intercept = this.cluster.interceptors.get(apiKey);
    if (intercept !== undefined) {
      const r = await intercept(this, version, message);
      if (r !== undefined) return r;
    }
    return this.cluster.handle(this, apiKey, version, message);
  }
}

export class StubCluster {
  readonly brokers: StubBroker[] = [];
  readonly topics = new Map<string, StubTopic>();
  readonly groups = new Map<string, StubGroup>();
  readonly seen: Seen[] = [];
  /** Answers the stub failed to encode (a stub bug). */
  readonly errors: Error[] = [];
  readonly interceptors = new Map<number, Interceptor>();
  readonly brokerConfigs = new Map<string, string>([['log.retention.hours', '168']]);
  autoCreateTopics = true;
  controllerId = 1;
  maxApiVersionsVersion = 3;
  /** Advertised ranges can be narrowed by tests. */
  apiKeys = advertisedApiKeys();
  private nextProducerId = 1000;
  private fetchWaiters: (() => void)[] = [];
  /** Fetches being answered right now (long polls waiting for data included). */
  heldFetches = 0;
  joinWindowMs = 50;

  static async start(brokerCount = 1): Promise<StubCluster> {
    const c = new StubCluster();
    for (let i = 1; i <= brokerCount; i++) {
      const b = new StubBroker(i, c);
      await b.start();
      c.brokers.push(b);
    }
    return c;
  }

  get bootstrap(): string {
    return this.brokers.map((b) => `127.0.0.1:${b.port}`).join(',');
  }

  broker(nodeId: number): StubBroker {
    return this.brokers.find((b) => b.nodeId === nodeId)!;
  }

  async stop(): Promise<void> {
    for (const g of this.groups.values()) if (g.joinTimer) clearTimeout(g.joinTimer);
    for (const w of this.fetchWaiters.splice(0)) w();
    await Promise.all(this.brokers.map((b) => b.stop()));
  }

  intercept(apiKey: number, fn: Interceptor | null): void {
    if (fn === null) this.interceptors.delete(apiKey);
    else this.interceptors.set(apiKey, fn);
  }

  requests(apiKey: number): Seen[] {
    return this.seen.filter((s) => s.apiKey === apiKey);
  }

  createTopic(name: string, partitions: number, replicationFactor = 1, configs: Record<string, string> = {}): StubTopic {
    const n = this.brokers.length;
    const topic: StubTopic = {
      name,
      topicId: fakeUuid(),
      configs: new Map(Object.entries(configs)),
      partitions: Array.from({ length: partitions }, (_, p) => {
        const replicas = Array.from({ length: replicationFactor }, (_, r) => ((p + r) % n) + 1);
        return { leader: replicas[0]!, replicas, isr: [...replicas], batches: [], nextOffset: 0, logStartOffset: 0, sequences: new Map(), appendedSequences: [] };
      }),
    };
    this.topics.set(name, topic);
    return topic;
  }

  /** Appends a prebuilt batch as if produced (offsets assigned). */
  append(topic: string, partition: number, batch: Buffer): number {
    const p = this.topics.get(topic)!.partitions[partition]!;
    const copy = Buffer.from(batch);
    const h = readBatchHeader(copy, 0);
    const base = p.nextOffset;
    setBaseOffset(copy, 0, base);
    p.batches.push(copy);
    p.nextOffset = base + h.lastOffsetDelta + 1;
    for (const w of this.fetchWaiters.splice(0)) w();
    return base;
  }

  handle(broker: StubBroker, apiKey: ApiKeyNumber, version: number, m: any): Record<string, unknown> | Promise<Record<string, unknown>> {
    switch (apiKey) {
      case ApiKey.ApiVersions:
        return { errorCode: 0, apiKeys: this.apiKeys, throttleTimeMs: 0 };
      case ApiKey.Metadata:
        return this.metadata(m);
      case ApiKey.Produce:
        return this.produce(broker, m);
      case ApiKey.Fetch:
        return this.fetch(broker, m);
      case ApiKey.ListOffsets:
        return this.listOffsets(m, version);
      case ApiKey.InitProducerId:
        return { throttleTimeMs: 0, errorCode: 0, producerId: this.nextProducerId++, producerEpoch: 0 };
      case ApiKey.FindCoordinator:
        return version >= 4
          ? { coordinators: m.coordinatorKeys.map((key: string) => ({ key, nodeId: 1, host: '127.0.0.1', port: this.broker(1).port, errorCode: 0, errorMessage: null })) }
          : { errorCode: 0, errorMessage: null, nodeId: 1, host: '127.0.0.1', port: this.broker(1).port };
      case ApiKey.JoinGroup:
        return this.joinGroup(m);
      case ApiKey.SyncGroup:
        return this.syncGroup(m);
      case ApiKey.Heartbeat:
        return this.heartbeat(m);
      case ApiKey.LeaveGroup:
        return this.leaveGroup(m, version);
      case ApiKey.OffsetCommit:
        return this.offsetCommit(m);
      case ApiKey.OffsetFetch:
        return this.offsetFetch(m, version);
      case ApiKey.CreateTopics:
        return this.createTopics(m);
      case ApiKey.DeleteTopics:
        return {
          responses: (version >= 6 ? m.topics.map((t: any) => t.name) : m.topicNames).map((name: string) => {
            const ok = this.topics.delete(name);
            return { name, topicId: '00000000-0000-0000-0000-000000000000', errorCode: ok ? 0 : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null };
          }),
        };
      case ApiKey.CreatePartitions:
        return {
          results: m.topics.map((t: any) => {
            const topic = this.topics.get(t.name);
            if (!topic) return { name: t.name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null };
            if (t.count <= topic.partitions.length) {
              return { name: t.name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: `Topic currently has ${topic.partitions.length} partitions, which is higher than the requested ${t.count}.` };
            }
            while (topic.partitions.length < t.count) topic.partitions.push({ leader: 1, replicas: [1], isr: [1], batches: [], nextOffset: 0, logStartOffset: 0, sequences: new Map(), appendedSequences: [] });
            return { name: t.name, errorCode: 0, errorMessage: null };
          }),
        };
      case ApiKey.DescribeConfigs:
        return this.describeConfigs(m, version);
      case ApiKey.IncrementalAlterConfigs:
        return {
          responses: m.resources.map((r: any) => {
            const topic = this.topics.get(r.resourceName);
            if (r.resourceType === 2 && !topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName };
            const target = r.resourceType === 2 ? topic!.configs : this.brokerConfigs;
            for (const c of r.configs) {
              if (c.configOperation === 1) target.delete(c.name);
              else target.set(c.name, c.value);
            }
            return { errorCode: 0, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName };
          }),
        };
      case ApiKey.ListGroups:
        return { errorCode: 0, groups: [...this.groups.values()].filter((g) => g.state !== 'Dead').map((g) => ({ groupId: g.groupId, protocolType: 'consumer', groupState: g.state })) };
      case ApiKey.DescribeGroups:
        return {
          groups: m.groups.map((id: string) => {
            const g = this.groups.get(id);
            if (!g) return { errorCode: 0, groupId: id, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
            return {
              errorCode: 0,
              groupId: id,
              groupState: g.state,
              protocolType: 'consumer',
              protocolData: g.protocol,
              members: [...g.members.values()].map((mem) => ({ memberId: mem.memberId, clientId: mem.clientId, clientHost: '/127.0.0.1', memberMetadata: mem.protocols[0]?.metadata ?? Buffer.alloc(0), memberAssignment: mem.assignment })),
            };
          }),
        };
      case ApiKey.DeleteGroups:
        return {
          results: m.groupsNames.map((id: string) => {
            const g = this.groups.get(id);
            if (!g) return { groupId: id, errorCode: ErrorCode.GROUP_ID_NOT_FOUND };
            if (g.members.size > 0) return { groupId: id, errorCode: ErrorCode.NON_EMPTY_GROUP };
            this.groups.delete(id);
            return { groupId: id, errorCode: 0 };
          }),
        };
      case ApiKey.DescribeCluster:
        return { errorCode: 0, clusterId: 'stub-cluster', controllerId: this.controllerId, brokers: this.brokers.map((b) => ({ brokerId: b.nodeId, host: '127.0.0.1', port: b.port, rack: null })) };
      case ApiKey.DeleteRecords:
        return {
          topics: m.topics.map((t: any) => ({
            name: t.name,
            partitions: t.partitions.map((p: any) => {
              const part = this.topics.get(t.name)!.partitions[p.partitionIndex]!;
              part.logStartOffset = p.offset < 0 ? part.nextOffset : p.offset;
              return { partitionIndex: p.partitionIndex, lowWatermark: part.logStartOffset, errorCode: 0 };
            }),
          })),
        };
      default:
        throw new Error(`stub broker has no answer for API key ${apiKey}`);
    }
  }

  private metadata(m: any): Record<string, unknown> {
    const names: string[] = m.topics === null ? [...this.topics.keys()] : m.topics.map((t: any) => t.name);
    return {
      brokers: this.brokers.map((b) => ({ nodeId: b.nodeId, host: '127.0.0.1', port: b.port, rack: null })),
      clusterId: 'stub-cluster',
      controllerId: this.controllerId,
      topics: names.map((name) => {
        let t = this.topics.get(name);
        if (!t && m.allowAutoTopicCreation && this.autoCreateTopics && m.topics !== null) {
          t = this.createTopic(name, 1);
          return { errorCode: ErrorCode.LEADER_NOT_AVAILABLE, name, topicId: t.topicId, isInternal: false, partitions: [] };
        }
        if (!t) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, isInternal: false, partitions: [] };
        return {
          errorCode: 0,
          name,
          topicId: t.topicId,
          isInternal: name.startsWith('__'),
          partitions: t.partitions.map((p, i) => ({ errorCode: 0, partitionIndex: i, leaderId: p.leader, leaderEpoch: 0, replicaNodes: p.replicas, isrNodes: p.isr, offlineReplicas: [] })),
        };
      }),
    };
  }

  private produce(broker: StubBroker, m: any): Record<string, unknown> {
    return {
      responses: m.topicData.map((t: any) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((pd: any) => {
          const part = this.topics.get(t.name)?.partitions[pd.index];
          const base = { index: pd.index, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: 0, recordErrors: [], errorMessage: null };
          if (!part) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          if (part.leader !== broker.nodeId) return { ...base, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
          let first = -1;
          for (const batch of splitBatches(Buffer.from(pd.records))) {
            const h = readBatchHeader(batch, 0);
            if (h.producerId >= 0) {
              const expected = part.sequences.get(h.producerId) ?? 0;
              if (h.baseSequence < expected) return { ...base, errorCode: ErrorCode.DUPLICATE_SEQUENCE_NUMBER };
              if (h.baseSequence !== expected) return { ...base, errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
              part.sequences.set(h.producerId, h.baseSequence + h.recordsCount);
              part.appendedSequences.push(h.baseSequence);
            }
            const off = this.append(t.name, pd.index, batch);
            if (first < 0) first = off;
          }
          return { ...base, errorCode: 0, baseOffset: first };
        }),
      })),
      throttleTimeMs: 0,
    };
  }

  private fetchResult(broker: StubBroker, m: any): { body: Record<string, unknown>; bytes: number } {
    let bytes = 0;
    const responses = m.topics.map((t: any) => ({
      topic: t.topic,
      partitions: t.partitions.map((p: any) => {
        const part = this.topics.get(t.topic)?.partitions[p.partition];
        const base = { partitionIndex: p.partition, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null, preferredReadReplica: -1, records: null };
        if (!part) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (part.leader !== broker.nodeId) return { ...base, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
        if (p.fetchOffset > part.nextOffset || p.fetchOffset < part.logStartOffset) return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
        const out: Buffer[] = [];
        let size = 0;
        for (const b of part.batches) {
          const h = readBatchHeader(b, 0);
          if (h.lastOffset < p.fetchOffset) continue;
          if (out.length > 0 && size + b.length > p.partitionMaxBytes) break;
          out.push(b);
          size += b.length;
        }
        bytes += size;
        return { ...base, errorCode: 0, highWatermark: part.nextOffset, lastStableOffset: part.nextOffset, logStartOffset: part.logStartOffset, records: Buffer.concat(out) };
      }),
    }));
    return { body: { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses }, bytes };
  }

  private async fetch(broker: StubBroker, m: any): Promise<Record<string, unknown>> {
    const deadline = Date.now() + Math.min(m.maxWaitMs, 1000);
    this.heldFetches++;
    try {
      for (;;) {
        const r = this.fetchResult(broker, m);
        if (r.bytes >= Math.max(1, m.minBytes) || Date.now() >= deadline) return r.body;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
          this.fetchWaiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    } finally {
      this.heldFetches--;
    }
  }

  private listOffsets(m: any, version: number): Record<string, unknown> {
    return {
      topics: m.topics.map((t: any) => ({
        name: t.name,
        partitions: t.partitions.map((p: any) => {
          const part = this.topics.get(t.name)?.partitions[p.partitionIndex];
          if (!part) return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          let offset = -1;
          if (p.timestamp === -2) offset = part.logStartOffset;
          else if (p.timestamp === -1) offset = part.nextOffset;
          else {
            for (const b of part.batches) {
              const h = readBatchHeader(b, 0);
              if (h.maxTimestamp >= p.timestamp) {
                offset = h.baseOffset;
                break;
              }
            }
          }
          return version === 0 ? { partitionIndex: p.partitionIndex, errorCode: 0, oldStyleOffsets: [offset] } : { partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1, offset, leaderEpoch: version >= 4 ? 0 : -1 };
        }),
      })),
    };
  }

  // ---- group coordinator ----------------------------------------------------------------

  group(groupId: string): StubGroup {
    let g = this.groups.get(groupId);
    if (!g) {
      g = { groupId, state: 'Empty', generation: 0, protocol: '', leader: '', members: new Map(), joinWaiters: [], syncWaiters: [], joinTimer: null, offsets: new Map() };
      this.groups.set(groupId, g);
    }
    return g;
  }

  private joinGroup(m: any): Record<string, unknown> | Promise<Record<string, unknown>> {
    const g = this.group(m.groupId);
    if (m.memberId === '') {
      const memberId = `member-${Math.random().toString(36).slice(2, 10)}`;
      g.members.set(memberId, { memberId, clientId: 'client', protocols: [], assignment: Buffer.alloc(0), joined: false });
      return { errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, protocolName: null, leader: '', memberId, members: [] };
    }
    const member = g.members.get(m.memberId);
    if (!member) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: null, leader: '', memberId: m.memberId, members: [] };
    member.protocols = m.protocols.map((p: any) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
    if (g.state !== 'PreparingRebalance') this.prepareRebalance(g);
    member.joined = true;
    return new Promise((resolve) => {
      g.joinWaiters.push({ memberId: m.memberId, resolve });
      if ([...g.members.values()].every((x) => x.joined)) this.completeJoin(g);
    });
  }

  private prepareRebalance(g: StubGroup): void {
    g.state = 'PreparingRebalance';
    for (const mem of g.members.values()) mem.joined = g.joinWaiters.some((w) => w.memberId === mem.memberId);
    if (g.joinTimer) clearTimeout(g.joinTimer);
    // Like Kafka: existing members get the rebalance timeout to rejoin; a new group a short initial delay.
    g.joinTimer = setTimeout(() => this.completeJoin(g), g.generation > 0 ? 3000 : this.joinWindowMs);
  }

  private completeJoin(g: StubGroup): void {
    if (g.joinTimer) clearTimeout(g.joinTimer);
    g.joinTimer = null;
    if (g.state !== 'PreparingRebalance') return;
    for (const [id, mem] of [...g.members]) if (!mem.joined) g.members.delete(id);
    if (g.members.size === 0) {
      g.state = 'Empty';
      return;
    }
    g.generation++;
    g.state = 'CompletingRebalance';
    const ids = [...g.members.keys()];
    g.leader = ids[0]!;
    const first = g.members.get(g.leader)!;
    g.protocol = first.protocols.find((p) => [...g.members.values()].every((x) => x.protocols.some((q) => q.name === p.name)))?.name ?? first.protocols[0]!.name;
    for (const w of g.joinWaiters.splice(0)) {
      w.resolve({
        errorCode: 0,
        generationId: g.generation,
        protocolType: 'consumer',
        protocolName: g.protocol,
        leader: g.leader,
        memberId: w.memberId,
        members: w.memberId === g.leader ? ids.map((id) => ({ memberId: id, groupInstanceId: null, metadata: g.members.get(id)!.protocols.find((p) => p.name === g.protocol)!.metadata })) : [],
      });
    }
  }

  private syncGroup(m: any): Record<string, unknown> | Promise<Record<string, unknown>> {
    const g = this.group(m.groupId);
    const fail = (errorCode: number) => ({ errorCode, protocolType: 'consumer', protocolName: g.protocol, assignment: Buffer.alloc(0) });
    if (!g.members.has(m.memberId)) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (m.generationId !== g.generation) return fail(ErrorCode.ILLEGAL_GENERATION);
    if (g.state === 'PreparingRebalance') return fail(ErrorCode.REBALANCE_IN_PROGRESS);
    return new Promise((resolve) => {
      g.syncWaiters.push({ memberId: m.memberId, resolve });
      if (m.memberId === g.leader) {
        for (const a of m.assignments) {
          const mem = g.members.get(a.memberId);
          if (mem) mem.assignment = Buffer.from(a.assignment);
        }
        g.state = 'Stable';
      }
      if (g.state === 'Stable') {
        for (const w of g.syncWaiters.splice(0)) {
          w.resolve({ errorCode: 0, protocolType: 'consumer', protocolName: g.protocol, assignment: g.members.get(w.memberId)?.assignment ?? Buffer.alloc(0) });
        }
      }
    });
  }

  private heartbeat(m: any): Record<string, unknown> {
    const g = this.group(m.groupId);
    if (!g.members.has(m.memberId)) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    if (g.state === 'PreparingRebalance') return { errorCode: ErrorCode.REBALANCE_IN_PROGRESS };
    if (m.generationId !== g.generation) return { errorCode: ErrorCode.ILLEGAL_GENERATION };
    return { errorCode: 0 };
  }

  private leaveGroup(m: any, version: number): Record<string, unknown> {
    const g = this.group(m.groupId);
    const ids: string[] = version >= 3 ? m.members.map((x: any) => x.memberId) : [m.memberId];
    for (const id of ids) g.members.delete(id);
    if (g.members.size === 0) g.state = 'Empty';
    else this.prepareRebalance(g);
    return { errorCode: 0, members: ids.map((memberId) => ({ memberId, groupInstanceId: null, errorCode: 0 })) };
  }

  private offsetCommit(m: any): Record<string, unknown> {
    const g = this.group(m.groupId);
    const generationOk = m.generationIdOrMemberEpoch < 0 || m.generationIdOrMemberEpoch === g.generation;
    const code = g.state === 'CompletingRebalance' && m.generationIdOrMemberEpoch >= 0 ? ErrorCode.REBALANCE_IN_PROGRESS : generationOk ? 0 : ErrorCode.ILLEGAL_GENERATION;
    return {
      topics: m.topics.map((t: any) => ({
        name: t.name,
        partitions: t.partitions.map((p: any) => {
          if (code === 0) g.offsets.set(`${t.name}:${p.partitionIndex}`, p.committedOffset);
          return { partitionIndex: p.partitionIndex, errorCode: code };
        }),
      })),
    };
  }

  private offsetFetch(m: any, version: number): Record<string, unknown> {
    const one = (groupId: string, topics: any[] | null) => {
      const g = this.group(groupId);
      const list =
        topics ??
        Object.values(
          [...g.offsets.keys()].reduce<Record<string, { name: string; partitionIndexes: number[] }>>((acc, k) => {
            const i = k.lastIndexOf(':');
            const name = k.slice(0, i);
            (acc[name] ??= { name, partitionIndexes: [] }).partitionIndexes.push(Number(k.slice(i + 1)));
            return acc;
          }, {}),
        );
      return list.map((t: any) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p: number) => ({ partitionIndex: p, committedOffset: g.offsets.get(`${t.name}:${p}`) ?? -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 })),
      }));
    };
    if (version >= 8) return { groups: m.groups.map((x: any) => ({ groupId: x.groupId, topics: one(x.groupId, x.topics), errorCode: 0 })) };
    return { topics: one(m.groupId, m.topics), errorCode: 0 };
  }

  private createTopics(m: any): Record<string, unknown> {
    return {
      topics: m.topics.map((t: any) => {
        const base = { name: t.name, topicId: '00000000-0000-0000-0000-000000000000', errorMessage: null, numPartitions: -1, replicationFactor: -1, configs: null };
        if (this.topics.has(t.name)) return { ...base, errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, errorMessage: `Topic '${t.name}' already exists.` };
        const rf = t.assignments.length > 0 ? t.assignments[0].brokerIds.length : t.replicationFactor < 0 ? 1 : t.replicationFactor;
        const count = t.assignments.length > 0 ? t.assignments.length : t.numPartitions < 0 ? 1 : t.numPartitions;
        if (rf > this.brokers.length) {
          return { ...base, errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, errorMessage: `Unable to replicate the partition ${rf} time(s): The target replication factor of ${rf} cannot be reached because only ${this.brokers.length} broker(s) are registered.` };
        }
        if (m.validateOnly) return { ...base, errorCode: 0, numPartitions: count, replicationFactor: rf };
        const topic = this.createTopic(t.name, count, rf, Object.fromEntries(t.configs.map((c: any) => [c.name, c.value])));
        t.assignments.forEach((a: any) => {
          topic.partitions[a.partitionIndex]!.replicas = a.brokerIds;
          topic.partitions[a.partitionIndex]!.isr = a.brokerIds;
          topic.partitions[a.partitionIndex]!.leader = a.brokerIds[0];
        });
        return { ...base, errorCode: 0, topicId: topic.topicId, numPartitions: count, replicationFactor: rf };
      }),
    };
  }

  private describeConfigs(m: any, version: number): Record<string, unknown> {
    const v0 = (o: Record<string, unknown>) => {
      if (version === 0) {
        delete o.configSource;
        delete o.synonyms;
      } else delete o.isDefault;
      if (version < 3) {
        delete o.configType;
        delete o.documentation;
      }
      return o;
    };
    return {
      results: m.resources.map((r: any) => {
        const base = { resourceType: r.resourceType, resourceName: r.resourceName, errorMessage: null };
        if (r.resourceType === 2) {
          const t = this.topics.get(r.resourceName);
          if (!t) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `The topic '${r.resourceName}' does not exist.`, configs: [] };
          const names = new Set([...Object.keys(TOPIC_DEFAULTS), ...t.configs.keys()]);
          return {
            ...base,
            errorCode: 0,
            configs: [...names].sort().map((name) => {
              const dynamic = t.configs.get(name);
              const value = dynamic ?? TOPIC_DEFAULTS[name] ?? null;
              const synonyms = [];
              if (dynamic !== undefined) synonyms.push({ name, value: dynamic, source: 1 });
              if (TOPIC_DEFAULTS[name] !== undefined) synonyms.push({ name, value: TOPIC_DEFAULTS[name], source: 5 });
              return v0({ name, value, readOnly: false, isDefault: dynamic === undefined, configSource: dynamic !== undefined ? 1 : 5, isSensitive: false, synonyms: m.includeSynonyms ? synonyms : [], configType: 0, documentation: null });
            }),
          };
        }
        return {
          ...base,
          errorCode: 0,
          configs: [...this.brokerConfigs].map(([name, value]) => v0({ name, value, readOnly: false, isDefault: false, configSource: 4, isSensitive: false, synonyms: m.includeSynonyms ? [{ name, value, source: 4 }] : [], configType: 0, documentation: null })),
        };
      }),
    };
  }
}
