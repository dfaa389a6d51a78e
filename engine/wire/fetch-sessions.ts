/**
 * Incremental fetch sessions (KIP-227), per broker.
 *
 * A client's Fetch names a session id and epoch:
 *   id 0, epoch -1   a sessionless full fetch (the only kind before Fetch v7)
 *   id 0, epoch 0    a full fetch that opens a session: the answer carries its new id
 *   id N, epoch k>0  an incremental fetch: the request lists only partitions to add or
 *                    change and `forgottenTopicsData` to drop; the answer lists only
 *                    partitions with records or a changed HW / log start / error
 *   id N, epoch -1   closes session N (and is a sessionless full fetch)
 * An unknown id is FETCH_SESSION_ID_NOT_FOUND; an epoch other than the expected one is
 * INVALID_FETCH_SESSION_EPOCH — the client then starts over with a full fetch.
 *
 * Keys: from Fetch v13 partitions are named by topic id (KIP-516), and a session opened
 * at such a version keys its partitions by topic id (`${uuid}:${partition}`), so a
 * topic deleted and re-created under the same name is a different partition to the
 * session (its old id answers UNKNOWN_TOPIC_ID). Sessions opened before v13 key by
 * name (`${name}:${partition}`). A request whose version names topics the other way
 * than its session does is FETCH_SESSION_TOPIC_ID_ERROR, as in Kafka.
 *
 * Bounds: at most `maxSessions` sessions (Kafka's max.incremental.fetch.session.cache.slots,
 * 1000); the least recently used one is evicted for a new one. At most
 * MAX_PARTITIONS_PER_SESSION partitions per session.
 *
 * Invariants: a session's epoch increases by one per successful fetch; session ids
 * are never 0 and never reused while the session lives.
 */
import { ErrorCode } from '../protocol/errors';

export const INITIAL_EPOCH = 0;
export const FINAL_EPOCH = -1;
export const MAX_PARTITIONS_PER_SESSION = 100_000;

export interface SessionPartition {
  /** The topic name; '' while the topic id names no topic this broker knows. */
  topic: string;
  /** The topic id (canonical UUID) for sessions keyed by id, else ZERO_UUID. */
  topicId: string;
  partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
  /** What the client was last told, to decide whether an incremental answer includes it. */
  lastHighWatermark: number;
  lastLogStartOffset: number;
  lastErrorCode: number;
}

export interface FetchSession {
  id: number;
  epoch: number;
  /** Opened by a Fetch v13+ (partitions keyed by topic id), or by an older version. */
  usesTopicIds: boolean;
  partitions: Map<string, SessionPartition>;
  lastUsedMs: number;
}

export type SessionResolution =
  | { kind: 'sessionless' }
  | { kind: 'new'; session: FetchSession }
  | { kind: 'incremental'; session: FetchSession }
  | { kind: 'error'; errorCode: number };

export class FetchSessionCache {
  private readonly sessions = new Map<number, FetchSession>();
  private nextId = 1;

  constructor(private readonly maxSessions = 1000) {}

  get size(): number {
    return this.sessions.size;
  }

  resolve(sessionId: number, epoch: number, nowMs: number, usesTopicIds: boolean): SessionResolution {
    if (sessionId === 0) {
      if (epoch === FINAL_EPOCH) return { kind: 'sessionless' };
      if (epoch !== INITIAL_EPOCH) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
      return { kind: 'new', session: this.create(nowMs, usesTopicIds) };
    }
    const s = this.sessions.get(sessionId);
    if (epoch === FINAL_EPOCH) {
      this.sessions.delete(sessionId);
      return { kind: 'sessionless' };
    }
    if (!s) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND };
    if (epoch === INITIAL_EPOCH) {
      // A full fetch that restarts an existing id is not allowed: the client must use id 0.
      return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
    }
    if (epoch !== s.epoch) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
    if (s.usesTopicIds !== usesTopicIds) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR };
    s.lastUsedMs = nowMs;
    return { kind: 'incremental', session: s };
  }

  private create(nowMs: number, usesTopicIds: boolean): FetchSession {
    if (this.sessions.size >= this.maxSessions) {
      let oldest: FetchSession | null = null;
      for (const s of this.sessions.values()) if (!oldest || s.lastUsedMs < oldest.lastUsedMs) oldest = s;
      if (oldest) this.sessions.delete(oldest.id);
    }
    while (this.nextId === 0 || this.sessions.has(this.nextId)) this.nextId = (this.nextId + 1) & 0x7fffffff;
    const session: FetchSession = { id: this.nextId, epoch: 1, usesTopicIds, partitions: new Map(), lastUsedMs: nowMs };
    this.nextId = (this.nextId + 1) & 0x7fffffff;
    this.sessions.set(session.id, session);
    return session;
  }

  /** After a successful fetch in the session: the next request must carry epoch + 1. */
  advance(session: FetchSession): void {
    session.epoch = session.epoch >= 0x7fffffff ? 1 : session.epoch + 1;
  }

  /** The key of a partition within a session: by topic id or by name, as the session names topics. */
  static key(session: FetchSession, topic: string, topicId: string, partition: number): string {
    return `${session.usesTopicIds ? topicId : topic}:${partition}`;
  }

  clear(): void {
    this.sessions.clear();
  }
}
