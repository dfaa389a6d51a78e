/**
 * The load generator: produces at a chosen rate into one topic, inside the engine,
 * through the same path as every producer (a RecordBatch v2 per partition, appended at
 * the partition's leader by its ReplicaManager with the chosen acks and codec), and
 * optionally reads it back from the leaders as a consumer does (the fetch path, which
 * hands out stored batches without re-encoding them, so the read-back counts towards
 * the "zero-copy" bytes).
 *
 * Algorithm, every TICK_MS on the injected clock:
 *   credit += ratePerS × elapsed; credit ≤ ratePerS × MAX_BACKLOG_S (no bursts after a stall)
 *   n = ⌊credit⌋, also bounded by MAX_RECORDS_PER_TICK and MAX_BYTES_PER_TICK
 *   each record gets a key (key-<i>, i uniform in the key space; none when keySpace = 0)
 *   and a partition (murmur2 of the key, as Kafka's default partitioner; keyless
 *   records are spread evenly over the partitions that have a leader)
 *   per partition: batches of at most maxBatchBytes, appended unless the partition
 *   already has MAX_IN_FLIGHT appends waiting (then its records are not sent and the
 *   achieved rate falls below the target, as a producer's would under backpressure).
 * The read-back, per partition with a leader: one fetch at a time from its position
 * (starting at the high watermark when the generator starts, like a consumer reading
 * "latest"); lag = high watermark − position.
 *
 * Problems (a partition without a leader, a refused append…) are kept per place they
 * arose and clear when that place works again (its next append is acknowledged), or
 * when the person stops the generator; `lastError` is the newest problem still standing.
 *
 * Bounds: in-flight appends ≤ MAX_IN_FLIGHT per partition; problems ≤ one per partition
 * plus two; one fetch per partition;
 * work per tick bounded as above; the rate window holds at most one second of samples.
 * A stopped generator's late answers still count towards its own totals only.
 */
import type { CompressionName, LoadSettings, LoadStatus, ParsedArgs } from '../api/contract';
import { WorkbenchError } from '../api/errors';
import { NO_LEADER } from '../cluster/metadata-image';
import { partitionForKey } from '../cluster/partitioner';
import { produceRefusal, type ClusterState, type LeaderIo } from '../ports';
import { ErrorCode } from '../protocol/errors';
import type { Clock, TimerHandle } from '../util/clock';
import type { Random } from '../util/random';
import { batchLastOffset, batchRecordsCount, batchSizeAt, buildBatch, buildBatchSync, type RecordSpec } from '../storage/record-batch';
import { CODEC_IDS } from '../storage/codec-table';

export const TICK_MS = 20;
const MAX_BACKLOG_S = 0.25;
const MAX_RECORDS_PER_TICK = 40_000;
const MAX_BYTES_PER_TICK = 8 * 1024 * 1024;
const MAX_IN_FLIGHT = 8;
const MAX_BATCH_BYTES = 512 * 1024;
const VALUE_POOL = 16;
const RATE_WINDOW_MS = 1000;
const READ_MAX_BYTES = 4 * 1024 * 1024;
const APPEND_TIMEOUT_MS = 30_000;

interface RateSample {
  atMs: number;
  acked: number;
  ackedBytes: number;
  read: number;
  readBytes: number;
}

/** One start…stop of the generator; callbacks of an old run touch only that run. */
class Run {
  readonly startedMono: number;
  lastTickMono: number;
  credit = 0;
  sent = 0;
  acked = 0;
  ackedBytes = 0;
  failed = 0;
  /** Standing problems by where they arose ('topic', 'leaders', 'tick' or the partition number), oldest first. */
  readonly problems = new Map<string | number, string>();
  read = 0;
  readBytes = 0;
  readPositions = new Map<number, number>();
  readInFlight = new Set<number>();
  readLag = 0;
  inFlight = new Map<number, number>();
  spread = 0;
  stopped = false;
  samples: RateSample[] = [];

  constructor(readonly settings: LoadSettings, readonly startedAtMs: number, nowMono: number, readonly values: Buffer[]) {
    this.startedMono = nowMono;
    this.lastTickMono = nowMono;
  }

  problem(where: string | number, message: string): void {
    this.problems.delete(where);
    this.problems.set(where, message);
  }

  resolved(where: string | number): void {
    this.problems.delete(where);
  }

  /** The newest problem still standing, or null. */
  get lastError(): string | null {
    let last: string | null = null;
    for (const m of this.problems.values()) last = m;
    return last;
  }
}

export interface LoadGeneratorDeps {
  cluster: ClusterState;
  io: LeaderIo;
  clock: Clock;
  random: Random;
  /** Something the snapshot shows changed. */
  changed: () => void;
}

export class LoadGenerator {
  private run: Run | null = null;
  private timer: TimerHandle | null = null;
  private readonly clock: Clock;

  constructor(private readonly deps: LoadGeneratorDeps) {
    this.clock = deps.clock;
  }

  start(args: ParsedArgs<'startLoad'>): LoadStatus {
    const topic = this.deps.io.topic(args.topic);
    if (topic.internal) throw new WorkbenchError('INVALID_TOPIC_EXCEPTION', `"${topic.name}" is an internal topic. Pick one of your own topics.`, 'topic');
    const cfg = this.deps.cluster.topicConfig(topic);
    if (cfg.cleanupPolicy.includes('compact') && args.keySpace === 0) {
      throw new WorkbenchError('INVALID_RECORD', `"${topic.name}" is compacted, so every record needs a key. Set a key space of at least 1.`, 'keySpace');
    }
    this.stop();
    const settings: LoadSettings = {
      topic: topic.name,
      ratePerS: args.ratePerS,
      keySpace: args.keySpace,
      valueBytes: args.valueBytes,
      acks: args.acks ?? 1,
      compression: args.compression ?? 'none',
      readBack: args.readBack ?? true,
    };
    const run = new Run(settings, this.clock.nowMs(), this.clock.monotonicMs(), this.valuePool(settings.valueBytes));
    if (settings.readBack) {
      for (const p of topic.partitions) run.readPositions.set(p.partition, this.highWatermark(topic.name, p.partition) ?? 0);
    }
    this.run = run;
    this.schedule(run);
    this.deps.changed();
    return this.status();
  }

  stop(): LoadStatus {
    this.timer?.cancel();
    this.timer = null;
    if (this.run) {
      this.run.stopped = true;
      // Nothing is being sent any more, so no problem of sending stands.
      this.run.problems.clear();
    }
    this.deps.changed();
    return this.status();
  }

  close(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.run) this.run.stopped = true;
  }

  status(): LoadStatus {
    const run = this.run;
    if (!run) {
      return { running: false, settings: null, startedAtMs: null, sentRecords: 0, ackedRecords: 0, failedRecords: 0, lastError: null, recordsPerS: 0, bytesPerS: 0, readBack: null };
    }
    const first = run.samples[0];
    const last = run.samples[run.samples.length - 1];
    const dtS = first && last ? (last.atMs - first.atMs) / 1000 : 0;
    const perS = (a: number, b: number) => (dtS > 0 && !run.stopped ? Math.round((b - a) / dtS) : 0);
    return {
      running: !run.stopped,
      settings: { ...run.settings },
      startedAtMs: run.startedAtMs,
      sentRecords: run.sent,
      ackedRecords: run.acked,
      failedRecords: run.failed,
      lastError: run.lastError,
      recordsPerS: first ? perS(first.acked, last.acked) : 0,
      bytesPerS: first ? perS(first.ackedBytes, last.ackedBytes) : 0,
      readBack: run.settings.readBack
        ? { recordsPerS: first ? perS(first.read, last.read) : 0, bytesPerS: first ? perS(first.readBytes, last.readBytes) : 0, lagRecords: run.readLag }
        : null,
    };
  }

  // ------------------------------------------------------------------ ticking

  private schedule(run: Run): void {
    this.timer = this.clock.setTimer(TICK_MS, () => {
      if (run.stopped || this.run !== run) return;
      try {
        this.tick(run);
        run.resolved('tick');
      } catch (err) {
        run.problem('tick', WorkbenchError.from(err).message);
      }
      if (!run.stopped) this.schedule(run);
    });
  }

  private tick(run: Run): void {
    const topic = this.deps.cluster.image()?.topics.get(run.settings.topic);
    if (!topic) {
      run.problem('topic', `Topic "${run.settings.topic}" was deleted, so the load generator stopped. Pick another topic and start again.`);
      run.stopped = true;
      this.deps.changed();
      return;
    }
    const now = this.clock.monotonicMs();
    const s = run.settings;
    run.credit = Math.min(run.credit + (s.ratePerS * (now - run.lastTickMono)) / 1000, Math.max(1, s.ratePerS * MAX_BACKLOG_S));
    run.lastTickMono = now;
    const recordBytes = s.valueBytes + (s.keySpace > 0 ? 12 : 0) + 20;
    const n = Math.min(Math.floor(run.credit), MAX_RECORDS_PER_TICK, Math.max(1, Math.floor(MAX_BYTES_PER_TICK / recordBytes)));
    if (n > 0) run.credit -= this.produce(run, topic.name, topic.partitions.map((p) => p.leader !== NO_LEADER), n);
    if (s.readBack) this.readBack(run, topic.name, topic.partitions.length);
    this.sampleRates(run, now);
  }

  /** Builds and appends up to `n` records; returns how many were handed to the produce path. */
  private produce(run: Run, topic: string, hasLeader: boolean[], n: number): number {
    const s = run.settings;
    const partitions = hasLeader.length;
    const perPartition: RecordSpec[][] = Array.from({ length: partitions }, () => []);
    const timestampMs = this.clock.nowMs();
    const random = this.deps.random;
    if (s.keySpace > 0) {
      for (let i = 0; i < n; i++) {
        const key = Buffer.from(`key-${random.int(s.keySpace)}`, 'latin1');
        perPartition[partitionForKey(key, partitions)].push({ key, value: run.values[i % run.values.length], timestampMs });
      }
    } else {
      const led = hasLeader.flatMap((ok, p) => (ok ? [p] : []));
      if (led.length === 0) {
        run.problem('leaders', `No partition of "${topic}" has a leader right now. Restart the brokers that hold it.`);
        return 0;
      }
      run.resolved('leaders');
      for (let i = 0; i < n; i++) {
        const p = led[(run.spread + i) % led.length];
        perPartition[p].push({ key: null, value: run.values[i % run.values.length], timestampMs });
      }
      run.spread = (run.spread + n) % led.length;
    }
    const topicImage = this.deps.cluster.image()?.topics.get(topic);
    const maxMessageBytes = topicImage ? this.deps.cluster.topicConfig(topicImage).maxMessageBytes : 1_048_588;
    const maxBatchBytes = Math.max(1024, Math.min(MAX_BATCH_BYTES, Math.floor(maxMessageBytes / 2)));
    const recordBytes = s.valueBytes + (s.keySpace > 0 ? 12 : 0) + 20;
    const perBatch = Math.max(1, Math.floor(maxBatchBytes / recordBytes));
    let handed = 0;
    for (let p = 0; p < partitions; p++) {
      const records = perPartition[p];
      if (records.length === 0) continue;
      if (!hasLeader[p]) {
        run.failed += records.length;
        run.problem(p, `Partition ${p} of "${topic}" has no leader right now; its records are dropped. Restart the brokers that hold it.`);
        continue;
      }
      for (let from = 0; from < records.length; from += perBatch) {
        if ((run.inFlight.get(p) ?? 0) >= MAX_IN_FLIGHT) break;
        const chunk = records.slice(from, from + perBatch);
        handed += chunk.length;
        this.append(run, topic, p, chunk);
      }
    }
    return handed;
  }

  private append(run: Run, topic: string, partition: number, records: RecordSpec[]): void {
    const s = run.settings;
    const leader = this.deps.io.leaderNow(topic, partition);
    run.sent += records.length;
    if (!leader) {
      run.failed += records.length;
      run.problem(partition, `Partition ${partition} of "${topic}" has no leader right now. Restart the brokers that hold it.`);
      return;
    }
    run.inFlight.set(partition, (run.inFlight.get(partition) ?? 0) + 1);
    const codec = CODEC_IDS[s.compression as CompressionName];
    const send = (batch: Buffer): void => {
      leader.append(batch, s.acks, APPEND_TIMEOUT_MS, (r) => {
        run.inFlight.set(partition, Math.max(0, (run.inFlight.get(partition) ?? 1) - 1));
        if (r.errorCode === ErrorCode.NONE) {
          run.acked += records.length;
          run.ackedBytes += batch.length;
          if (!run.stopped) run.resolved(partition);
        } else {
          run.failed += records.length;
          if (!run.stopped) run.problem(partition, produceRefusal(r).message);
        }
      });
    };
    if (codec === CODEC_IDS.zstd) {
      buildBatch({ records, compression: codec }).then(send, (err: unknown) => {
        run.inFlight.set(partition, Math.max(0, (run.inFlight.get(partition) ?? 1) - 1));
        run.failed += records.length;
        if (!run.stopped) run.problem(partition, WorkbenchError.from(err).message);
      });
    } else {
      send(buildBatchSync({ records, compression: codec }));
    }
  }

  // ------------------------------------------------------------------ read-back

  private readBack(run: Run, topic: string, partitions: number): void {
    let lag = 0;
    for (let p = 0; p < partitions; p++) {
      const hw = this.highWatermark(topic, p);
      if (hw === undefined) continue;
      if (!run.readPositions.has(p)) run.readPositions.set(p, hw);
      const pos = run.readPositions.get(p)!;
      lag += Math.max(0, hw - pos);
      if (pos >= hw || run.readInFlight.has(p)) continue;
      const leader = this.deps.io.leaderNow(topic, p);
      if (!leader) continue;
      run.readInFlight.add(p);
      leader.fetch(
        pos,
        READ_MAX_BYTES,
        (r) => {
          run.readInFlight.delete(p);
          if (r.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
            // Out of range (retention moved the log start past us): continue from the log start.
            run.readPositions.set(p, Math.max(pos, r.logStartOffset >= 0 ? r.logStartOffset : pos));
            return;
          }
          if (r.errorCode !== ErrorCode.NONE || !r.records) return;
          let next = pos;
          for (let at = 0; at < r.records.length; ) {
            const size = batchSizeAt(r.records, at);
            if (size === undefined || at + size > r.records.length) break;
            const last = batchLastOffset(r.records, at);
            if (last >= next) run.read += batchRecordsCount(r.records, at);
            next = Math.max(next, last + 1);
            at += size;
          }
          run.readBytes += r.records.length;
          run.readPositions.set(p, next);
        },
      );
    }
    run.readLag = lag;
  }

  private highWatermark(topic: string, partition: number): number | undefined {
    return this.deps.io.leaderNow(topic, partition)?.highWatermark;
  }

  private sampleRates(run: Run, now: number): void {
    run.samples.push({ atMs: now, acked: run.acked, ackedBytes: run.ackedBytes, read: run.read, readBytes: run.readBytes });
    while (run.samples.length > 2 && now - run.samples[0].atMs > RATE_WINDOW_MS) run.samples.shift();
  }

  /** A few distinct printable values of the chosen size, reused round robin (no per-record allocation). */
  private valuePool(valueBytes: number): Buffer[] {
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    return Array.from({ length: VALUE_POOL }, () => {
      const b = Buffer.alloc(valueBytes);
      for (let i = 0; i < valueBytes; i++) b[i] = alphabet.charCodeAt(this.deps.random.int(alphabet.length));
      return b;
    });
  }
}
