/**
 * A simulated person using the workbench's built-in consumers (engine/groups): the same
 * BuiltinConsumer the app runs — engine/client's Consumer, a real group member with
 * JoinGroup, SyncGroup, heartbeats, fetches and OffsetCommit — on the simulator's clock,
 * reaching the brokers' real Kafka listeners over in-process sockets (sockets.ts).
 * Nothing about the client or the wire is simulated, only time and the network.
 *
 * What the person does, as the UI lets them: starts TARGET_RUNNING consumers in
 * BUILTIN_GROUP on one topic when the run begins, each with a processing delay drawn
 * from the world's Random; now and then stops one and starts another (a LeaveGroup and
 * a rebalance) or changes a delay; now and then stops them all, lets the lag grow, and
 * starts them again (they catch up from the group's committed offsets, in large fetches).
 * At the end (`finish`, once the faults have stopped and the cluster is whole) they set
 * every delay to 0 and watch the lag drain: the group must commit the topic's every
 * record, up to each partition's high watermark, before they stop them all.
 *
 * What the brokers showed these consumers and acknowledged to them is checked on the
 * wire (wire-checks.ts); the final drain is this file's check; how much they processed
 * goes into the stats.
 *
 * Bounds: at most TARGET_RUNNING consumers run; stopped ones are kept only until they
 * have finished stopping (LeaveGroup sent, connections closed), at most MAX_STOPPING.
 */
import { BuiltinConsumer } from '../groups';
import type { Observations } from './actors';
import type { World } from './world';

export const BUILTIN_GROUP = 'workbench';
const TARGET_RUNNING = 2;
const MAX_STOPPING = 8;
/** Processing delays the person picks from (ms per record). */
const DELAYS_MS = [10, 20, 40];
/**
 * Per step (1–20 ms): replace a consumer, change a delay, stop them all, start them again.
 * They run about a quarter of the time: the final drain reads every record anyway, and
 * a consumer keeping up pays a fetch and a commit for every few records, where one
 * catching up reads hundreds per fetch — the real client costs real CPU in CI.
 */
const REPLACE_CHANCE = 0.0015;
const CHANGE_DELAY_CHANCE = 0.002;
const STOP_ALL_CHANCE = 0.004;
const START_AGAIN_CHANCE = 0.0015;
/** How long the final drain may take (virtual ms). */
const DRAIN_TIMEOUT_MS = 60_000;

export class SimBuiltinConsumers {
  private running: BuiltinConsumer[] = [];
  private stopping: { consumer: BuiltinConsumer; done: Promise<void> }[] = [];
  private seq = 0;
  /** Records processed by consumers no longer tracked. */
  private processedByGone = 0;

  constructor(
    private readonly world: World,
    readonly topic: string,
    private readonly obs: Observations,
  ) {}

  start(): void {
    while (this.running.length < TARGET_RUNNING) this.launch();
  }

  step(): void {
    const r = this.world.random;
    this.tidy();
    if (this.running.length === 0) {
      if (r.chance(START_AGAIN_CHANCE)) this.start();
      return;
    }
    if (this.stopping.length >= MAX_STOPPING) return;
    if (r.chance(STOP_ALL_CHANCE)) {
      for (const c of this.running.splice(0)) this.stop(c);
      return;
    }
    if (r.chance(REPLACE_CHANCE)) {
      const victim = r.pick(this.running);
      this.running = this.running.filter((c) => c !== victim);
      this.stop(victim);
      this.launch();
    }
    if (r.chance(CHANGE_DELAY_CHANCE)) r.pick(this.running).setDelay(r.pick(DELAYS_MS));
  }

  /**
   * The person sets every delay to 0 and waits for the lag to drain: true when the
   * group's acknowledged commits reach `endOffsets` (partition → high watermark). Then
   * stops every consumer (each leaves the group).
   */
  async finish(endOffsets: () => Map<number, number>): Promise<{ drained: boolean; stopped: boolean }> {
    for (const c of this.running) c.setDelay(0);
    const drained = await this.world.runUntil(() => {
      this.tidy();
      while (this.running.length < TARGET_RUNNING) this.launch(0);
      for (const [partition, end] of endOffsets()) if ((this.obs.committed.get(`${BUILTIN_GROUP}/${this.topic}-${partition}`) ?? 0) < end) return false;
      return true;
    }, DRAIN_TIMEOUT_MS);
    const all = [...this.running.map((c) => ({ consumer: c, done: c.stop() })), ...this.stopping];
    this.running = [];
    this.stopping = [];
    const stopped = await this.world.runUntilSettled(Promise.all(all.map((s) => s.done)), DRAIN_TIMEOUT_MS);
    for (const s of all) this.forget(s.consumer);
    return { drained, stopped };
  }

  /** Records processed by every built-in consumer so far. */
  get processed(): number {
    return this.processedByGone + [...this.running, ...this.stopping.map((s) => s.consumer)].reduce((n, c) => n + c.processed, 0);
  }

  /** Forgets consumers that finished stopping; reports and drops any that failed. */
  private tidy(): void {
    for (const s of this.stopping.filter((x) => !x.consumer.running)) this.forget(s.consumer);
    this.stopping = this.stopping.filter((s) => s.consumer.running);
    for (const c of this.running.filter((x) => !x.running)) {
      // A consumer gave up on an error it cannot retry: the person would see it failed.
      this.obs.violations.push(`built-in consumer ${c.id} failed: ${c.error ?? 'no reason given'}`);
      this.forget(c);
    }
    this.running = this.running.filter((c) => c.running);
  }

  private stop(c: BuiltinConsumer): void {
    this.stopping.push({ consumer: c, done: c.stop() });
  }

  private forget(c: BuiltinConsumer): void {
    this.processedByGone += c.processed;
  }

  private launch(processingDelayMs = this.world.random.pick(DELAYS_MS)): void {
    const n = ++this.seq;
    const consumer = new BuiltinConsumer({
      id: `sim-builtin-${n}`,
      clientId: `workbench-consumer-${n}`,
      groupId: BUILTIN_GROUP,
      topic: this.topic,
      processingDelayMs,
      autoOffsetReset: 'earliest',
      bootstrapServers: this.world.bootstrapServers,
      clock: this.world.clock,
      dialer: this.world.sockets.dialer,
      changed: () => undefined,
    });
    this.running.push(consumer);
    this.obs.stats.builtinStarted++;
    consumer.start();
  }
}
