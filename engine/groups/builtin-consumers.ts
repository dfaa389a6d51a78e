/**
 * Built-in consumers: consumers the person starts from the UI to watch a group's lag
 * grow and drain and the group rebalance. Each is engine/client's Consumer, connected
 * over TCP to the cluster's own Kafka listeners, so it is a real group member (JoinGroup,
 * SyncGroup, heartbeats, OffsetCommit) and shows up exactly like the person's own
 * kafka-python or kafkajs consumers. It runs on the engine's clock; the simulator runs
 * the same BuiltinConsumer on its virtual clock over in-process sockets (`dialer`).
 *
 * It begins where its group left off; a group with no committed offset begins at the
 * log start or at the end, as the person chose (auto.offset.reset).
 *
 * Loop: poll (≤ MAX_POLL_RECORDS records) → "process" each record by waiting
 * processingDelayMs on the engine clock → commit the processed positions → poll again.
 * Commits follow processing, so the group's committed offsets (and so its lag) show
 * what has really been processed. A slow consumer keeps polling often enough for its
 * group: MAX_POLL_RECORDS × the largest delay (10 s) stays well below the rebalance
 * timeout.
 *
 * Bounds: at most MAX_RUNNING_CONSUMERS running; stopped ones are listed until
 * MAX_LISTED_CONSUMERS are listed, oldest dropped first.
 *
 * Invariant: a consumer's `processed` only grows; a stopped consumer has left its group.
 */
import { WorkbenchError } from '../api/errors';
import type { BuiltinConsumerState, BuiltinConsumerView, ParsedArgs } from '../api/contract';
import { Consumer, KafkaClientError, type Dialer } from '../client';
import type { KafkaListeners, LeaderIo } from '../ports';
import type { Clock } from '../util/clock';

export const MAX_RUNNING_CONSUMERS = 8;
const MAX_LISTED_CONSUMERS = 12;
const MAX_POLL_RECORDS = 20;
const POLL_TIMEOUT_MS = 500;
const CLOSE_TIMEOUT_MS = 5000;

export interface BuiltinConsumerOptions {
  id: string;
  clientId: string;
  groupId: string;
  topic: string;
  processingDelayMs: number;
  /** Where a group with no committed offset begins. */
  autoOffsetReset: 'earliest' | 'latest';
  bootstrapServers: string[];
  clock: Clock;
  /** How the consumer reaches the brokers (default: TCP). */
  dialer?: Dialer;
  /** Something its view shows changed. */
  changed: () => void;
}

export class BuiltinConsumer {
  state: BuiltinConsumerState = 'starting';
  processed = 0;
  error: string | null = null;
  readonly id: string;
  readonly clientId: string;
  readonly groupId: string;
  readonly topic: string;
  processingDelayMs: number;
  readonly autoOffsetReset: 'earliest' | 'latest';
  private stopping = false;
  private readonly clock: Clock;
  private readonly changed: () => void;
  private readonly consumer: Consumer;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(o: BuiltinConsumerOptions) {
    this.id = o.id;
    this.clientId = o.clientId;
    this.groupId = o.groupId;
    this.topic = o.topic;
    this.processingDelayMs = o.processingDelayMs;
    this.autoOffsetReset = o.autoOffsetReset;
    this.clock = o.clock;
    this.changed = o.changed;
    this.consumer = new Consumer({
      bootstrapServers: o.bootstrapServers,
      clientId: o.clientId,
      groupId: o.groupId,
      autoOffsetReset: o.autoOffsetReset,
      enableAutoCommit: false,
      maxPollRecords: MAX_POLL_RECORDS,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1000,
      maxPollIntervalMs: 300_000,
      allowAutoCreateTopics: false,
      clock: o.clock,
      dialer: o.dialer,
    });
  }

  get memberId(): string | null {
    const id = this.consumer.group?.memberId;
    return id ? id : null;
  }

  get running(): boolean {
    return this.state !== 'stopped' && this.state !== 'failed';
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    try {
      this.setState('joining');
      this.consumer.subscribe([this.topic]);
      while (!this.stopping) {
        let records;
        try {
          records = await this.consumer.poll(POLL_TIMEOUT_MS);
        } catch (err) {
          // Brokers going away and coming back (the person kills one) are retried, as clients do.
          if (!(err instanceof KafkaClientError && err.retriable) || this.stopping) throw err;
          this.error = err.message;
          await this.sleep(POLL_TIMEOUT_MS);
          continue;
        }
        this.error = null;
        if (this.stopping) break;
        this.setState(this.consumer.group?.isStable ? 'consuming' : 'joining');
        const positions = new Map<number, number>();
        for (const r of records) {
          if (this.stopping) break;
          if (this.processingDelayMs > 0) await this.sleep(this.processingDelayMs);
          if (this.stopping) break;
          positions.set(r.partition, r.offset + 1);
          this.processed++;
        }
        if (positions.size > 0) {
          await this.consumer
            .commit([...positions].map(([partition, offset]) => ({ topic: this.topic, partition, offset })))
            .catch(() => undefined); // a rebalance took the partitions: the new owner goes on from the last commit
          this.changed();
        }
      }
      this.setState('stopping');
      await this.closeConsumer();
      this.setState('stopped');
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      await this.closeConsumer();
      this.setState(this.stopping ? 'stopped' : 'failed');
    }
  }

  private async closeConsumer(): Promise<void> {
    await Promise.race([this.consumer.close().catch(() => undefined), new Promise((resolve) => this.clock.setTimer(CLOSE_TIMEOUT_MS, () => resolve(undefined)))]);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimer(ms, () => {
        this.wake = null;
        resolve();
      });
      this.wake = () => {
        timer.cancel();
        this.wake = null;
        resolve();
      };
    });
  }

  private setState(state: BuiltinConsumerState): void {
    if (this.state === state) return;
    this.state = state;
    this.changed();
  }

  setDelay(ms: number): void {
    this.processingDelayMs = ms;
    // A long wait in progress ends now, so the new pace applies at once.
    this.wake?.();
    this.changed();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    if (this.state !== 'stopped' && this.state !== 'failed') this.setState('stopping');
    await this.loop;
  }

  view(): BuiltinConsumerView {
    let assigned: number[] = [];
    try {
      assigned = this.running ? this.consumer.assignment().map((tp) => tp.partition).sort((a, b) => a - b) : [];
    } catch {
      assigned = [];
    }
    return {
      id: this.id,
      clientId: this.clientId,
      groupId: this.groupId,
      topic: this.topic,
      processingDelayMs: this.processingDelayMs,
      autoOffsetReset: this.autoOffsetReset,
      state: this.state,
      memberId: this.memberId,
      assigned,
      processed: this.processed,
      error: this.error,
    };
  }
}

export class BuiltinConsumers {
  private readonly consumers = new Map<string, BuiltinConsumer>();
  private seq = 0;

  constructor(
    private readonly io: LeaderIo,
    private readonly listeners: KafkaListeners,
    private readonly clock: Clock,
    private readonly changed: () => void,
  ) {}

  start(args: ParsedArgs<'startConsumer'>): BuiltinConsumerView {
    this.io.topic(args.topic);
    if (!this.listeners.enabled) {
      throw new WorkbenchError('BROKER_NOT_AVAILABLE', "Built-in consumers talk to the cluster over the Kafka protocol, but this engine's listeners are off.");
    }
    const running = [...this.consumers.values()].filter((c) => c.running);
    if (running.length >= MAX_RUNNING_CONSUMERS) {
      throw new WorkbenchError('BUSY', `${MAX_RUNNING_CONSUMERS} built-in consumers are running already. Stop one first.`);
    }
    const bootstrap = this.listeners.bootstrapServers();
    if (bootstrap.length === 0) throw new WorkbenchError('BROKER_NOT_AVAILABLE', 'No broker is up to connect to. Restart a broker first.');
    const n = ++this.seq;
    const consumer = new BuiltinConsumer({
      id: `consumer-${n}`,
      clientId: `workbench-consumer-${n}`,
      groupId: args.groupId,
      topic: args.topic,
      processingDelayMs: args.processingDelayMs,
      autoOffsetReset: args.autoOffsetReset ?? 'earliest',
      bootstrapServers: bootstrap,
      clock: this.clock,
      changed: this.changed,
    });
    this.consumers.set(consumer.id, consumer);
    this.forgetOld();
    consumer.start();
    this.changed();
    return consumer.view();
  }

  update(args: ParsedArgs<'updateConsumer'>): BuiltinConsumerView {
    const c = this.get(args.consumerId);
    if (!c.running) throw new WorkbenchError('INVALID_REQUEST', `Consumer ${c.id} has stopped; start a new one.`, 'consumerId');
    c.setDelay(args.processingDelayMs);
    return c.view();
  }

  async stop(consumerId: string): Promise<BuiltinConsumerView> {
    const c = this.get(consumerId);
    await c.stop();
    this.changed();
    return c.view();
  }

  /** The built-in consumer behind a group member id, if any. */
  byMemberId(memberId: string): string | null {
    for (const c of this.consumers.values()) if (c.running && c.memberId === memberId) return c.id;
    return null;
  }

  views(): BuiltinConsumerView[] {
    return [...this.consumers.values()].map((c) => c.view());
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((c) => c.stop()));
  }

  private get(id: string): BuiltinConsumer {
    const c = this.consumers.get(id);
    if (!c) throw new WorkbenchError('INVALID_REQUEST', `There is no built-in consumer "${id}".`, 'consumerId');
    return c;
  }

  private forgetOld(): void {
    for (const [id, c] of this.consumers) {
      if (this.consumers.size <= MAX_LISTED_CONSUMERS) break;
      if (!c.running) this.consumers.delete(id);
    }
  }
}
