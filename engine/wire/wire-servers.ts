/**
 * The cluster's Kafka listeners: one per broker, on host:basePort+id-1, open exactly
 * while that broker is up (a cut-off broker keeps its listener: clients can still
 * reach it, as in a real network partition between brokers). `reconcile()` is called
 * whenever broker states may have changed.
 *
 * The listeners are TCP servers unless `server` says otherwise: the simulator passes its
 * in-process network, and `onAnswer` to watch every request and its answer as the
 * broker gave it (the simulator's checker holds real clients to its invariants there).
 *
 * Invariants: at most one listener per broker; a listener is open only for a broker
 * that is starting, up or stopping.
 */
import type { Cluster } from '../cluster/cluster';
import type { DecodedRequest } from '../protocol';
import type { Clock } from '../util/clock';
import type { RequestMeta } from './connection';
import { ProducerIdBlock, topicByUuid, type WireContext } from './context';
import { FetchSessionCache } from './fetch-sessions';
import { handleRequest } from './kafka-apis';
import { ClientTracker, type ClientConnection } from './client-tracker';
import { BrokerListener, type ListenerState, type ListenerStats, type SocketServer } from './listener';

/** Kafka's socket.request.max.bytes default. */
export const SOCKET_REQUEST_MAX_BYTES = 104_857_600;
const MAX_CONNECTIONS_PER_BROKER = 1000;

export interface WireServersOptions {
  log?: (line: string) => void;
  /** Kafka's socket.request.max.bytes (default 100 MiB). */
  maxFrameBytes?: number;
  /** Makes broker `brokerId`'s server at each opening (default: TCP on host:basePort+id-1). */
  server?: (brokerId: number) => SocketServer;
  /** Sees each request a broker answered and the answer (null: none, acks=0), before it is sent. */
  onAnswer?: (brokerId: number, request: DecodedRequest, meta: RequestMeta, response: unknown | null) => void;
  /** The absolute path of broker `brokerId`'s log directory, for DescribeLogDirs (default: broker-<id>). */
  logDir?: (brokerId: number) => string;
}

interface Slot {
  listener: BrokerListener;
  ctx: WireContext;
  wantOpen: boolean;
  opening: Promise<ListenerState> | null;
}

export class WireServers {
  private readonly slots = new Map<number, Slot>();
  private closed = false;
  private readonly tracker: ClientTracker;

  constructor(
    private readonly cluster: Cluster,
    clock: Clock,
    options: WireServersOptions = {},
  ) {
    const log = options.log ?? (() => undefined);
    const { onAnswer, server } = options;
    this.tracker = new ClientTracker(
      () => clock.nowMs(),
      (uuid) => {
        const image = cluster.latestImage();
        return image ? (topicByUuid(image, uuid)?.name ?? null) : null;
      },
    );
    const tracker = this.tracker;
    for (const b of cluster.brokers) {
      const ctx: WireContext = {
        broker: b,
        clock,
        config: cluster.config,
        fetchSessions: new FetchSessionCache(),
        producerIds: new ProducerIdBlock(b),
        log,
        logDir: options.logDir?.(b.id) ?? `broker-${b.id}`,
      };
      const listener = new BrokerListener({
        host: cluster.config.host,
        port: cluster.config.basePort + b.id - 1,
        maxFrameBytes: options.maxFrameBytes ?? SOCKET_REQUEST_MAX_BYTES,
        maxConnections: MAX_CONNECTIONS_PER_BROKER,
        handler:
          onAnswer === undefined
            ? (req, meta) => {
                tracker.request(b.id, req, meta);
                return handleRequest(ctx, req, meta);
              }
            : async (req, meta) => {
                tracker.request(b.id, req, meta);
                const response = await handleRequest(ctx, req, meta);
                onAnswer(b.id, req, meta, response);
                return response;
              },
        observer: {
          opened: (id, host) => tracker.opened(b.id, id, host),
          bytes: (id, inBytes, outBytes) => tracker.bytes(b.id, id, inBytes, outBytes),
          closed: (id) => tracker.closed(b.id, id),
        },
        log,
        server: server === undefined ? undefined : () => server(b.id),
      });
      this.slots.set(b.id, { listener, ctx, wantOpen: false, opening: null });
    }
  }

  /** Opens listeners of live brokers and closes those of dead ones; resolves when settled. */
  async reconcile(): Promise<void> {
    const work: Promise<unknown>[] = [];
    for (const b of this.cluster.brokers) {
      const slot = this.slots.get(b.id)!;
      const want = !this.closed && (b.state === 'up' || b.state === 'starting' || b.state === 'stopping');
      if (want === slot.wantOpen) continue;
      slot.wantOpen = want;
      if (want) {
        slot.ctx.fetchSessions.clear();
        slot.opening = slot.listener.start();
        work.push(slot.opening);
      } else {
        work.push(slot.listener.stop());
      }
    }
    await Promise.all(work);
  }

  state(brokerId: number): ListenerState {
    return this.slots.get(brokerId)?.listener.state ?? { listening: false, error: null };
  }

  stats(brokerId: number): ListenerStats | null {
    return this.slots.get(brokerId)?.listener.stats ?? null;
  }

  /** Every client connection open to any broker, and what it does (the Clients view). */
  clients(): ClientConnection[] {
    return this.tracker.list();
  }

  /** Listeners that could not open (port taken…), with the reason. */
  failures(): { brokerId: number; error: string }[] {
    const out: { brokerId: number; error: string }[] = [];
    for (const [id, s] of this.slots) {
      const st = s.listener.state;
      if (s.wantOpen && !st.listening && st.error) out.push({ brokerId: id, error: st.error });
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.slots.values()].map((s) => s.listener.stop()));
  }
}
