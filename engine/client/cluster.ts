/**
 * The client's view of a Kafka cluster: bootstrap, broker connections, topic metadata,
 * group coordinators and the controller. Producer, consumer and admin share one
 * `Cluster` each.
 *
 * Algorithm:
 *   - Bootstrap: the `host:port,host:port` list is tried in order (rotating the start
 *     between attempts) until one broker answers Metadata. From then on brokers are
 *     known by node id with the addresses Metadata advertises; connections are kept per
 *     address, so a bootstrap connection to an advertised address is reused.
 *   - Metadata: refreshed for the topics the clients registered interest in (or all
 *     topics). Concurrent refresh requests share one request; refreshes are at least
 *     `retryBackoffMs` apart unless forced. Clients call `invalidate()` on
 *     NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE and
 *     connection errors, which schedules a refresh with that backoff.
 *   - Routing: `leaderFor(topic, partition)` reads the cache (-1 = no leader known).
 *     Admin requests that Kafka sends to the controller use the controller id from
 *     Metadata. Group requests go to the coordinator found with FindCoordinator (cached
 *     per group until invalidated), over `coordinatorConnection`: for a consumer a
 *     connection of their own, as Kafka's consumer keeps one, because a broker answers
 *     a connection's requests in order and a commit or heartbeat queued behind a
 *     long-polling fetch would wait for it (up to fetch.max.wait.ms).
 *
 * Bounds: one connection per broker address (two to a consumer's coordinator); a
 * connection's in-flight requests are bounded by Connection; metadata waits are bounded
 * by deadlines.
 *
 * Time and randomness: every wait, deadline and timer of the client goes through the
 * `Clock` of its config (and every random choice through its `Random`), the system
 * ones unless the caller passes others; the simulator passes its virtual clock and
 * seeded randomness so that a client inside it replays exactly.
 *
 * Invariants: the cache only ever moves to a newer answer (answers are applied in the
 * order requests were sent); every topic in the cache carries its partitions sorted by
 * index; `close()` closes every connection and refuses further requests.
 */
import { ApiKey, ErrorCode, ZERO_UUID, type ApiKeyNumber, type RequestInputOf, type ResponseOf } from '../protocol';
import { Connection, type RequestOptions } from './connection';
import { SystemClock, type Clock, type TimerHandle } from '../util/clock';
import { SystemRandom, type Random } from '../util/random';
import { ClientClosedError, ClientTimeoutError, ConnectionError, KafkaClientError, KafkaProtocolError } from './errors';
import { every, sleep } from './timers';
import type { Dialer } from './transport';

export interface ClientConfig {
  /** "host:port,host:port" or a list of "host:port". */
  bootstrapServers: string | readonly string[];
  clientId?: string;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Pause between retries and between metadata refreshes (Kafka's retry.backoff.ms). */
  retryBackoffMs?: number;
  /** Requests awaiting answers per connection. */
  maxInFlightRequestsPerConnection?: number;
  /** Time for every wait and deadline (default: the system clock). */
  clock?: Clock;
  /** Randomness for every random choice (default: the system's). */
  random?: Random;
  /** How connections reach brokers (default: TCP). */
  dialer?: Dialer;
}

/** How a client uses its Cluster, beyond the config a person sets. */
export interface ClusterUse {
  /** Group requests get their own connection to the coordinator (a consumer, whose fetches long-poll). */
  separateCoordinatorConnection?: boolean;
}

export interface BrokerAddress {
  host: string;
  port: number;
}

export interface BrokerNode extends BrokerAddress {
  nodeId: number;
  rack: string | null;
}

export interface PartitionInfo {
  partition: number;
  errorCode: number;
  /** -1 when no leader is known. */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicInfo {
  name: string;
  topicId: string;
  errorCode: number;
  isInternal: boolean;
  partitions: PartitionInfo[];
}

/** Parses Kafka's bootstrap.servers syntax; throws with the offending entry named. */
export function parseBootstrapServers(servers: string | readonly string[]): BrokerAddress[] {
  const entries = (typeof servers === 'string' ? servers.split(',') : [...servers]).map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) throw new KafkaClientError('No bootstrap servers given: pass --bootstrap-server host:port (for the workbench, localhost:9092).', false);
  return entries.map((entry) => {
    const m = /^(?:\w+:\/\/)?(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    const port = m ? Number(m[2]) : NaN;
    if (!m || !(port > 0 && port < 65536)) {
      throw new KafkaClientError(`Invalid url in bootstrap.servers: ${entry} (expected host:port, e.g. localhost:9092)`, false);
    }
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  });
}

/** FindCoordinator's key type for a consumer group (1 would be a transactional id). */
const GROUP_KEY_TYPE = 0;

export class Cluster {
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
  readonly clock: Clock;
  readonly random: Random;
  private readonly connectTimeoutMs: number;
  private readonly maxInFlight: number;
  private readonly dialer: Dialer | undefined;
  private readonly separateCoordinatorConnection: boolean;
  private readonly bootstrap: BrokerAddress[];
  private bootstrapCursor = 0;
  private readonly connections = new Map<string, Connection | Promise<Connection>>();
  private closed = false;

  clusterId: string | null = null;
  controllerId = -1;
  readonly brokers = new Map<number, BrokerNode>();
  readonly topics = new Map<string, TopicInfo>();
  /** Topics whose metadata clients want kept fresh. */
  private readonly interest = new Set<string>();
  private metadataVersion = 0;
  private lastRefreshMs = -Infinity;
  private refreshing: Promise<void> | null = null;
  private refreshTimer: TimerHandle | null = null;
  private readonly coordinators = new Map<string, number>();
  private readonly refreshListeners = new Set<() => void>();

  constructor(config: ClientConfig, use: ClusterUse = {}) {
    this.bootstrap = parseBootstrapServers(config.bootstrapServers);
    this.clientId = config.clientId ?? 'stream-workbench';
    this.requestTimeoutMs = config.requestTimeoutMs ?? 30_000;
    this.connectTimeoutMs = config.connectTimeoutMs ?? 10_000;
    this.retryBackoffMs = config.retryBackoffMs ?? 100;
    this.maxInFlight = config.maxInFlightRequestsPerConnection ?? 100;
    this.clock = config.clock ?? new SystemClock();
    this.random = config.random ?? new SystemRandom();
    this.dialer = config.dialer;
    this.separateCoordinatorConnection = use.separateCoordinatorConnection ?? false;
  }

  /** Incremented on every applied Metadata answer. */
  get metadataEpoch(): number {
    return this.metadataVersion;
  }

  get bootstrapAddresses(): readonly BrokerAddress[] {
    return this.bootstrap;
  }

  onMetadata(listener: () => void): () => void {
    this.refreshListeners.add(listener);
    return () => this.refreshListeners.delete(listener);
  }

  // ---- connections ------------------------------------------------------------------

  /** The connection to `address`, opening it if needed; `channel` 'coordinator' is a second one for group requests. */
  async connectionTo(address: BrokerAddress, channel: 'default' | 'coordinator' = 'default'): Promise<Connection> {
    if (this.closed) throw new ClientClosedError('The Kafka client');
    const key = channel === 'default' ? `${address.host}:${address.port}` : `${address.host}:${address.port}/coordinator`;
    const existing = this.connections.get(key);
    if (existing !== undefined) {
      const conn = await existing;
      if (!conn.isClosed) return conn;
      if (this.connections.get(key) === existing) this.connections.delete(key);
      return this.connectionTo(address, channel);
    }
    const opening = Connection.connect({
      host: address.host,
      port: address.port,
      clientId: this.clientId,
      connectTimeoutMs: this.connectTimeoutMs,
      requestTimeoutMs: this.requestTimeoutMs,
      maxInFlightRequests: this.maxInFlight,
      clock: this.clock,
      dialer: this.dialer,
    });
    this.connections.set(key, opening);
    try {
      const conn = await opening;
      if (this.closed) {
        conn.close();
        throw new ClientClosedError('The Kafka client');
      }
      this.connections.set(key, conn);
      conn.onClose(() => {
        if (this.connections.get(key) === conn) this.connections.delete(key);
      });
      return conn;
    } catch (err) {
      if (this.connections.get(key) === opening) this.connections.delete(key);
      throw err;
    }
  }

  /** The connection to broker `nodeId` (metadata must know the broker). */
  async connection(nodeId: number, channel: 'default' | 'coordinator' = 'default'): Promise<Connection> {
    let node = this.brokers.get(nodeId);
    if (node === undefined) {
      await this.refreshMetadata({ force: true });
      node = this.brokers.get(nodeId);
      if (node === undefined) throw new KafkaClientError(`Broker ${nodeId} is not in the cluster metadata.`, true);
    }
    return this.connectionTo(node, channel);
  }

  /** The connection for group requests to coordinator `nodeId`: a connection of its own where the client asked for one. */
  coordinatorConnection(nodeId: number): Promise<Connection> {
    return this.connection(nodeId, this.separateCoordinatorConnection ? 'coordinator' : 'default');
  }

  /** A connection to some broker: an open one to a known broker if any, else bootstrap. */
  async anyConnection(): Promise<Connection> {
    let best: Connection | null = null;
    for (const node of this.brokers.values()) {
      const c = this.connections.get(`${node.host}:${node.port}`);
      if (c instanceof Connection && !c.isClosed && (best === null || c.inFlightCount < best.inFlightCount)) best = c;
    }
    if (best !== null) return best;
    const known = [...this.brokers.values()];
    const candidates: BrokerAddress[] = known.length > 0 ? [...known, ...this.bootstrap] : [...this.bootstrap];
    let lastError: unknown = null;
    for (let i = 0; i < candidates.length; i++) {
      const addr = candidates[(this.bootstrapCursor + i) % candidates.length]!;
      try {
        const conn = await this.connectionTo(addr);
        this.bootstrapCursor = (this.bootstrapCursor + i) % candidates.length;
        return conn;
      } catch (err) {
        lastError = err;
        if (err instanceof ClientClosedError) throw err;
      }
    }
    this.bootstrapCursor++;
    if (lastError instanceof ConnectionError && candidates.length === 1) throw lastError;
    const tried = candidates.map((a) => `${a.host}:${a.port}`).join(', ');
    throw new ConnectionError(tried, (lastError as ConnectionError | null)?.code, 'connect', { cause: lastError });
  }

  /** Sends to broker `nodeId`. */
  async send<K extends ApiKeyNumber>(nodeId: number, apiKey: K, message: RequestInputOf<K>, options?: RequestOptions): Promise<ResponseOf<K>> {
    const conn = await this.connection(nodeId);
    return conn.request(apiKey, message, options);
  }

  /** Sends a group request to coordinator `nodeId` (over `coordinatorConnection`). */
  async sendToCoordinator<K extends ApiKeyNumber>(nodeId: number, apiKey: K, message: RequestInputOf<K>, options?: RequestOptions): Promise<ResponseOf<K>> {
    const conn = await this.coordinatorConnection(nodeId);
    return conn.request(apiKey, message, options);
  }

  /** Sends to any broker. */
  async sendAny<K extends ApiKeyNumber>(apiKey: K, message: RequestInputOf<K>, options?: RequestOptions): Promise<ResponseOf<K>> {
    const conn = await this.anyConnection();
    return conn.request(apiKey, message, options);
  }

  // ---- metadata ---------------------------------------------------------------------

  /** Keeps `topics` in the refresh set. */
  addInterest(topics: Iterable<string>): void {
    for (const t of topics) this.interest.add(t);
  }

  removeInterest(topics: Iterable<string>): void {
    for (const t of topics) this.interest.delete(t);
  }

  /**
   * Fetches metadata. `topics`: the topics to ask for (default: the interest set);
   * null asks for every topic. Shares a refresh already in flight when it covers the
   * same request.
   */
  async refreshMetadata(opts: { topics?: readonly string[] | null; allowAutoTopicCreation?: boolean; force?: boolean } = {}): Promise<ResponseOf<typeof ApiKey.Metadata>> {
    if (this.closed) throw new ClientClosedError('The Kafka client');
    const topics = opts.topics === undefined ? [...this.interest] : opts.topics;
    const conn = await this.anyConnection();
    const request = {
      topics: topics === null ? null : topics.map((name) => ({ topicId: ZERO_UUID, name })),
      allowAutoTopicCreation: opts.allowAutoTopicCreation ?? false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    };
    // Metadata v0 has no "all topics" null; an empty list means all there.
    const version = conn.versionFor(ApiKey.Metadata);
    if (version === 0 && request.topics === null) request.topics = [];
    const res = await conn.request(ApiKey.Metadata, request);
    this.apply(res, topics === null);
    this.lastRefreshMs = this.clock.monotonicMs();
    return res;
  }

  private apply(res: ResponseOf<typeof ApiKey.Metadata>, allTopics: boolean): void {
    if (res.brokers.length > 0) {
      this.brokers.clear();
      for (const b of res.brokers) this.brokers.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack });
    }
    if (res.clusterId !== null) this.clusterId = res.clusterId;
    this.controllerId = res.controllerId;
    if (allTopics) {
      const present = new Set(res.topics.map((t) => t.name));
      for (const name of [...this.topics.keys()]) if (!present.has(name)) this.topics.delete(name);
    }
    for (const t of res.topics) {
      if (t.name === null) continue;
      if (t.errorCode !== ErrorCode.NONE && t.partitions.length === 0) {
        this.topics.set(t.name, { name: t.name, topicId: t.topicId, errorCode: t.errorCode, isInternal: t.isInternal, partitions: [] });
        continue;
      }
      const partitions: PartitionInfo[] = t.partitions
        .map((p) => ({
          partition: p.partitionIndex,
          errorCode: p.errorCode,
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicas: [...p.replicaNodes],
          isr: [...p.isrNodes],
          offlineReplicas: [...p.offlineReplicas],
        }))
        .sort((a, b) => a.partition - b.partition);
      this.topics.set(t.name, { name: t.name, topicId: t.topicId, errorCode: t.errorCode, isInternal: t.isInternal, partitions });
    }
    this.metadataVersion++;
    for (const l of this.refreshListeners) l();
  }

  /**
   * Asks for a refresh soon (after retryBackoffMs since the last one). Returns the
   * refresh's promise; failures are swallowed here (callers retry on their own).
   */
  invalidate(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.refreshing !== null) return this.refreshing;
    const waitMs = Math.max(0, this.lastRefreshMs + this.retryBackoffMs - this.clock.monotonicMs());
    this.refreshing = (async () => {
      if (waitMs > 0) await sleep(this.clock, waitMs);
      try {
        await this.refreshMetadata();
      } catch {
        this.lastRefreshMs = this.clock.monotonicMs();
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** Refreshes metadata every `intervalMs` while the client lives (Kafka's metadata.max.age.ms). */
  startPeriodicRefresh(intervalMs: number): void {
    if (this.refreshTimer !== null) return;
    this.refreshTimer = every(this.clock, intervalMs, () => void this.invalidate());
  }

  /** The partitions of `topic` in the cache, or undefined when it is unknown. */
  partitionsOf(topic: string): PartitionInfo[] | undefined {
    const t = this.topics.get(topic);
    return t === undefined || t.partitions.length === 0 ? undefined : t.partitions;
  }

  leaderFor(topic: string, partition: number): number {
    const p = this.topics.get(topic)?.partitions[partition];
    return p === undefined || p.partition !== partition ? -1 : p.leader;
  }

  /**
   * Waits until metadata knows every topic in `topics` with partitions, refreshing with
   * backoff; throws KafkaProtocolError for a topic the broker reports as failed with a
   * non-retriable error, ClientTimeoutError at the deadline.
   */
  async waitForTopics(topics: readonly string[], opts: { allowAutoTopicCreation: boolean; timeoutMs: number }): Promise<void> {
    const deadline = this.clock.monotonicMs() + opts.timeoutMs;
    this.addInterest(topics);
    let lastCode: number = ErrorCode.NONE;
    for (let attempt = 0; ; attempt++) {
      const missing = topics.filter((t) => this.partitionsOf(t) === undefined);
      if (missing.length === 0) return;
      if (attempt > 0) {
        if (this.clock.monotonicMs() >= deadline) {
          const why = lastCode !== ErrorCode.NONE ? ` (last error: ${new KafkaProtocolError(lastCode).errorName})` : '';
          throw new ClientTimeoutError(`Topic ${missing.join(', ')} not present in metadata after ${opts.timeoutMs} ms${why}.`);
        }
        await sleep(this.clock, Math.min(this.retryBackoffMs * Math.min(attempt, 10), Math.max(0, deadline - this.clock.monotonicMs())));
      }
      try {
        const res = await this.refreshMetadata({ topics: missing, allowAutoTopicCreation: opts.allowAutoTopicCreation });
        for (const t of res.topics) {
          if (t.errorCode === ErrorCode.NONE) continue;
          lastCode = t.errorCode;
          const err = new KafkaProtocolError(t.errorCode, null, `Topic ${t.name}`);
          if (!err.retriable) throw err;
        }
      } catch (err) {
        if (!(err instanceof KafkaClientError) || !err.retriable) throw err;
        if (this.clock.monotonicMs() >= deadline) throw err;
      }
    }
  }

  // ---- coordinators and controller --------------------------------------------------

  /** The coordinator node of group `groupId` (FindCoordinator, cached). */
  async coordinatorFor(groupId: string, opts: { timeoutMs?: number } = {}): Promise<number> {
    const cached = this.coordinators.get(groupId);
    if (cached !== undefined && this.brokers.has(cached)) return cached;
    const deadline = this.clock.monotonicMs() + (opts.timeoutMs ?? this.requestTimeoutMs);
    for (let attempt = 0; ; attempt++) {
      let lastError: Error;
      try {
        const conn = await this.anyConnection();
        const version = conn.versionFor(ApiKey.FindCoordinator);
        const res = await conn.request(
          ApiKey.FindCoordinator,
          version !== undefined && version >= 4 ? { keyType: GROUP_KEY_TYPE, coordinatorKeys: [groupId] } : { key: groupId, keyType: GROUP_KEY_TYPE },
        );
        const c =
          version !== undefined && version >= 4
            ? res.coordinators.find((x) => x.key === groupId) ?? { nodeId: -1, host: '', port: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: null }
            : { nodeId: res.nodeId, host: res.host, port: res.port, errorCode: res.errorCode, errorMessage: res.errorMessage };
        if (c.errorCode === ErrorCode.NONE) {
          if (!this.brokers.has(c.nodeId)) this.brokers.set(c.nodeId, { nodeId: c.nodeId, host: c.host, port: c.port, rack: null });
          this.coordinators.set(groupId, c.nodeId);
          return c.nodeId;
        }
        lastError = new KafkaProtocolError(c.errorCode, c.errorMessage, `Finding the coordinator of group ${groupId}`);
        if (!(lastError as KafkaProtocolError).retriable) throw lastError;
      } catch (err) {
        if (!(err instanceof KafkaClientError) || !err.retriable) throw err;
        lastError = err;
      }
      if (this.clock.monotonicMs() >= deadline) throw lastError;
      await sleep(this.clock, Math.min(this.retryBackoffMs * (attempt + 1), 1000));
    }
  }

  invalidateCoordinator(groupId: string): void {
    this.coordinators.delete(groupId);
  }

  /** The controller's node id, from metadata (refreshing it when unknown). */
  async controller(): Promise<number> {
    if (this.controllerId < 0 || !this.brokers.has(this.controllerId)) await this.refreshMetadata({ topics: [] });
    if (this.controllerId < 0) return [...this.brokers.keys()][0] ?? -1;
    return this.controllerId;
  }

  // ---- lifecycle --------------------------------------------------------------------

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes every connection; pending requests fail with ClientClosedError. */
  async close(): Promise<void> {
    this.closed = true;
    this.refreshTimer?.cancel();
    this.refreshTimer = null;
    const conns = [...this.connections.values()];
    this.connections.clear();
    for (const c of conns) {
      try {
        (await c).close();
      } catch {
        // a connection that never opened has nothing to close
      }
    }
  }
}

/** Retries `fn` on retriable errors with backoff until `timeoutMs` passes. */
export async function withRetries<T>(
  cluster: Cluster,
  timeoutMs: number,
  fn: (attempt: number) => Promise<T>,
  onRetriable?: (err: KafkaClientError) => void | Promise<void>,
): Promise<T> {
  const clock = cluster.clock;
  const deadline = clock.monotonicMs() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof KafkaClientError) || !err.retriable || clock.monotonicMs() >= deadline || cluster.isClosed) throw err;
      await onRetriable?.(err);
      await sleep(clock, Math.min(cluster.retryBackoffMs * (attempt + 1), 1000, Math.max(0, deadline - clock.monotonicMs())));
    }
  }
}
