/**
 * The engine side of the "observe" contract (engine/api/observe): watching the
 * cluster work — topic configs, partition log strips, replication, compaction, the
 * producer panel and the load generator. The Engine creates one and routes the
 * observe commands to `commands`; `snapshot()` fills the observe section of every
 * published snapshot (kept small: rates and status only; it goes out up to 10 times
 * a second).
 *
 * Parts, one concept per file:
 *   access.ts          lookups and the leader append path
 *   configs.ts         describe / alter topic configs through the controller
 *   partition-log.ts   the partition log strip (segments, offsets, committed offsets)
 *   compaction.ts      cleaner sections, runs, duplicate keys, clean now
 *   producer.ts        the producer panel's send and the murmur2 preview
 *   load-generator.ts  the load generator and its read-back
 *   rates.ts           per-broker and per-topic rates for the snapshot
 *   storage-events.ts  recent retention deletions and cleaner runs
 *
 * Timers: one rate sampler every SAMPLE_INTERVAL_MS on the engine's clock; it marks
 * the engine dirty only when a rate changed, so an idle cluster publishes nothing.
 */
import type { ObserveSnapshot } from '../api/contract';
import type { EngineCommands } from '../api/dispatch';
import type { OBSERVE_COMMAND_NAMES } from '../api/observe/names';
import type { Engine } from '../engine';
import type { TimerHandle } from '../util/clock';
import { cleanNow, compactionStatus, writeDuplicateKeys } from './compaction';
import { alterTopicConfigs, describeTopicConfigs } from './configs';
import { LoadGenerator } from '../records/load-generator';
import { partitionLog } from './partition-log';
import { ProducerPanel, partitionForKey } from '../records/producer';
import { RateTracker, SAMPLE_INTERVAL_MS } from '../metrics/rates';
import { StorageEventLog } from '../metrics/storage-events';

export type ObserveCommandName = (typeof OBSERVE_COMMAND_NAMES)[number];
export type ObserveHandlers = Pick<EngineCommands, ObserveCommandName>;

export class ObserveService {
  readonly commands: ObserveHandlers;
  private readonly events = new StorageEventLog();
  private readonly rates: RateTracker;
  private readonly load: LoadGenerator;
  private readonly producer: ProducerPanel;
  private readonly unsubscribe: () => void;
  private sampler: TimerHandle | null = null;
  private closed = false;

  constructor(readonly engine: Engine) {
    this.rates = new RateTracker(engine);
    this.load = new LoadGenerator(engine);
    this.producer = new ProducerPanel(engine);
    this.unsubscribe = engine.onStorageEvent((brokerId, event) => this.events.record(brokerId, engine.clock.nowMs(), event));
    this.commands = {
      describeTopicConfigs: (a) => describeTopicConfigs(engine, a),
      alterTopicConfigs: (a) => alterTopicConfigs(engine, a),
      partitionLog: (a) => partitionLog(engine, this.events, a),
      compactionStatus: (a) => compactionStatus(engine, this.events, a),
      writeDuplicateKeys: (a) => writeDuplicateKeys(engine, a),
      cleanNow: (a) => cleanNow(engine, a),
      partitionForKey: (a) => partitionForKey(engine, a),
      produceAdvanced: (a) => this.producer.produce(a),
      startLoad: (a) => this.load.start(a),
      stopLoad: () => this.load.stop(),
    };
    this.scheduleSampling();
  }

  snapshot(): ObserveSnapshot {
    return { ...this.rates.view(), load: this.load.status(), storageSeq: this.events.seq };
  }

  close(): void {
    this.closed = true;
    this.sampler?.cancel();
    this.load.close();
    this.unsubscribe();
  }

  private scheduleSampling(): void {
    this.sampler = this.engine.clock.setTimer(SAMPLE_INTERVAL_MS, () => {
      if (this.closed) return;
      const before = new Set(this.rates.topicNames());
      if (this.rates.sample()) this.engine.markDirty();
      const after = new Set(this.rates.topicNames());
      for (const name of before) if (!after.has(name)) this.events.forgetTopic(name);
      this.scheduleSampling();
    });
  }
}
