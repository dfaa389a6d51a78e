/**
 * Rates for the snapshot, sampled from cumulative counters:
 * - per broker: records and bytes appended as leader, bytes fetched by consumers and
 *   by followers (a broker's ReplicaManager stats, which restart at 0 when the broker
 *   restarts: a new stats object is a new baseline);
 * - per user topic: messages appended, from the sum of its partitions' log end offsets
 *   on their leaders (offsets count records; a drop — truncation, a new leader
 *   behind — counts as 0);
 * - totals since the engine started, summed from the per-broker deltas, so they
 *   survive broker restarts.
 *
 * Algorithm: `sample()` runs every SAMPLE_INTERVAL_MS; a rate is the counter's growth
 * between the oldest and newest of the last WINDOW samples divided by the time
 * between them (a sliding window of about one second). Rates are rounded to whole
 * units so that an idle cluster's rates stop changing (and stop marking snapshots).
 *
 * Bounds: WINDOW samples per counter; counters only for live brokers and existing topics.
 */
import type { BrokerRatesView } from '../api/contract';
import type { ReplicaStats } from '../cluster/replica-manager';
import type { BrokerCounters, ClusterState } from '../ports';
import type { Clock } from '../util/clock';

export const SAMPLE_INTERVAL_MS = 500;
const WINDOW = 3;

interface Counters {
  messagesIn: number;
  bytesIn: number;
  bytesOutToConsumers: number;
  bytesOutToFollowers: number;
}

const ZERO: Counters = { messagesIn: 0, bytesIn: 0, bytesOutToConsumers: 0, bytesOutToFollowers: 0 };
const KEYS = Object.keys(ZERO) as (keyof Counters)[];

interface Sample {
  atMs: number;
  /** Cumulative per broker id, across restarts. */
  brokers: Map<number, Counters>;
  /** Sum of leader LEOs per topic. */
  topics: Map<string, number>;
}

export class RateTracker {
  private readonly samples: Sample[] = [];
  /** The stats object each broker's counters were last read from, and their values then. */
  private readonly last = new Map<number, { source: Readonly<ReplicaStats>; counters: Counters }>();
  private readonly cumulative = new Map<number, Counters>();
  private brokerRates: BrokerRatesView[] = [];
  private topicRates: Record<string, number> = {};

  constructor(
    private readonly cluster: ClusterState,
    private readonly counters: BrokerCounters,
    private readonly clock: Clock,
  ) {}

  /** Reads the counters; returns whether any rate changed. */
  sample(): boolean {
    const atMs = this.clock.monotonicMs();
    const brokers = new Map<number, Counters>();
    for (const { brokerId, stats } of this.counters.brokerStats()) {
      const total = this.cumulative.get(brokerId) ?? { ...ZERO };
      if (stats) {
        const now: Counters = { messagesIn: stats.recordsIn, bytesIn: stats.bytesIn, bytesOutToConsumers: stats.bytesOutToConsumers, bytesOutToFollowers: stats.bytesOutToFollowers };
        const prev = this.last.get(brokerId);
        const base = prev && prev.source === stats ? prev.counters : ZERO;
        for (const k of KEYS) total[k] += Math.max(0, now[k] - base[k]);
        this.last.set(brokerId, { source: stats, counters: now });
      } else {
        this.last.delete(brokerId);
      }
      this.cumulative.set(brokerId, total);
      brokers.set(brokerId, { ...total });
    }
    const topics = new Map<string, number>();
    const image = this.cluster.image();
    if (image) {
      for (const t of image.topics.values()) {
        if (t.internal) continue;
        let sum = 0;
        for (const p of t.partitions) {
          if (p.leader < 0) continue;
          sum += this.counters.leaderLogEndOffset(t.name, p.partition) ?? 0;
        }
        topics.set(t.name, sum);
      }
    }
    this.samples.push({ atMs, brokers, topics });
    if (this.samples.length > WINDOW) this.samples.shift();
    return this.recompute();
  }

  private recompute(): boolean {
    const first = this.samples[0];
    const latest = this.samples[this.samples.length - 1];
    const dtS = (latest.atMs - first.atMs) / 1000;
    const perS = (a: number, b: number) => (dtS > 0 ? Math.round(Math.max(0, b - a) / dtS) : 0);
    const brokerRates: BrokerRatesView[] = [...latest.brokers].map(([brokerId, now]) => {
      const then = first.brokers.get(brokerId) ?? now;
      return {
        brokerId,
        messagesInPerS: perS(then.messagesIn, now.messagesIn),
        bytesInPerS: perS(then.bytesIn, now.bytesIn),
        bytesOutToConsumersPerS: perS(then.bytesOutToConsumers, now.bytesOutToConsumers),
        bytesOutToFollowersPerS: perS(then.bytesOutToFollowers, now.bytesOutToFollowers),
      };
    });
    const topicRates: Record<string, number> = {};
    for (const [name, now] of latest.topics) topicRates[name] = perS(first.topics.get(name) ?? now, now);
    const changed = JSON.stringify(brokerRates) !== JSON.stringify(this.brokerRates) || JSON.stringify(topicRates) !== JSON.stringify(this.topicRates);
    this.brokerRates = brokerRates;
    this.topicRates = topicRates;
    return changed;
  }

  /** Topics present in the latest sample (to notice deletions). */
  topicNames(): string[] {
    return [...(this.samples[this.samples.length - 1]?.topics.keys() ?? [])];
  }

  view(): { brokerRates: BrokerRatesView[]; topicMessagesPerS: Record<string, number>; totals: { bytesIn: number; messagesIn: number; bytesOutToConsumers: number; bytesOutToFollowers: number } } {
    const totals = { ...ZERO };
    for (const c of this.cumulative.values()) for (const k of KEYS) totals[k] += c[k];
    return {
      brokerRates: this.brokerRates.map((r) => ({ ...r })),
      topicMessagesPerS: { ...this.topicRates },
      totals: { bytesIn: totals.bytesIn, messagesIn: totals.messagesIn, bytesOutToConsumers: totals.bytesOutToConsumers, bytesOutToFollowers: totals.bytesOutToFollowers },
    };
  }
}
