/**
 * The live checks of lesson steps: typed predicates over the cluster (a LessonWorld
 * now and as it was when the step was armed) and the events since then.
 *
 * The rule every check keeps: it never passes before its action. Each one is written
 * relative to the moment it was armed (records that arrived since, a leader change
 * after a broker went down since, a topic created since, …), so on the armed state
 * alone, with no events, it is false; the lessons service asserts that when it arms a
 * step (a check that would pass at once is a bug in the lesson, not a success), and
 * each check's unit test shows it both ways.
 *
 * A check answers with whether it passed and, when it can say, how far along the
 * learner is ("3 of 5 records"), which the lesson pane shows.
 */
import {
  createdSinceArm,
  groupIn,
  highWatermarks,
  sumPartitions,
  topicIn,
  type CheckContext,
  type JournalEvent,
  type WorldBrokerState,
} from './world';

export interface CheckResult {
  passed: boolean;
  /** How far along the learner is, when the check can tell. */
  progress?: string;
}

type Check<P> = (ctx: CheckContext, params: P) => CheckResult;

function check<P>(fn: Check<P>): Check<P> {
  return fn;
}

const DOWN: readonly WorldBrokerState[] = ['killed', 'stopped', 'failed'];
/** How many records a content check reads at most. */
const MAX_RECORDS_READ = 5000;

function count(n: number, of: number, what: string): string {
  return `${Math.min(n, of)} of ${of} ${what}`;
}

/** Reads a JSON field by a dotted path; undefined when the value is not JSON or lacks it. */
function jsonField(value: string | null, path: string): unknown {
  if (value === null) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    return undefined;
  }
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function eventsOf<K extends JournalEvent['kind']>(ctx: CheckContext, kind: K): Extract<JournalEvent, { kind: K }>[] {
  return ctx.events.filter((e): e is Extract<JournalEvent, { kind: K }> => e.kind === kind);
}

export const CHECKS = {
  /** The topic exists with these numbers, and was created since the step began. */
  topicCreated: check<{ topic: string; partitions?: number; replicationFactor?: number }>((ctx, p) => {
    const t = topicIn(ctx.world, p.topic);
    if (!t || !createdSinceArm(ctx, p.topic)) return { passed: false };
    const partitionsOk = p.partitions === undefined || t.partitions.length === p.partitions;
    const rfOk = p.replicationFactor === undefined || (t.partitions[0]?.replicas.length ?? 0) === p.replicationFactor;
    if (partitionsOk && rfOk) return { passed: true };
    // A replication factor cannot be changed in place: say how to start over.
    const wanted = [p.partitions === undefined ? null : `${p.partitions} partition(s)`, p.replicationFactor === undefined ? null : `replication factor ${p.replicationFactor}`].filter((x) => x !== null).join(' and ');
    return { passed: false, progress: `"${p.topic}" exists with ${t.partitions.length} partition(s) and replication factor ${t.partitions[0]?.replicas.length ?? 0}; delete it and create it again with ${wanted}` };
  }),

  /** A topic config was set to a value since the step began. */
  topicConfigSet: check<{ topic: string; key: string; value: string }>((ctx, p) => {
    const now = topicIn(ctx.world, p.topic)?.configs[p.key];
    const before = topicIn(ctx.atArm, p.topic)?.configs[p.key];
    return { passed: now === p.value && before !== p.value };
  }),

  /**
   * At least `atLeast` records arrived in the topic since the step began; with
   * `jsonField`, only records whose JSON value has that field equal to `equals` count;
   * with `codec`, the newest batch of every partition that got records is stored in
   * that codec (the producer compressed what it sent last).
   */
  recordsArrived: check<{ topic: string; atLeast: number; jsonField?: string; equals?: string | number | boolean; codec?: string }>((ctx, p) => {
    const t = topicIn(ctx.world, p.topic);
    if (!t) return { passed: false };
    const from = createdSinceArm(ctx, p.topic) ? new Map<number, number>() : highWatermarks(ctx.atArm, p.topic);
    let n: number;
    if (p.jsonField === undefined) {
      n = sumPartitions(ctx.world, p.topic, (q) => Math.max(0, q.highWatermark - (from.get(q.partition) ?? 0)));
    } else {
      const records = ctx.records(p.topic, from, MAX_RECORDS_READ);
      n = records.filter((r) => jsonField(r.value, p.jsonField!) === p.equals).length;
    }
    const progress = count(n, p.atLeast, 'records');
    if (p.codec === undefined || n === 0) return { passed: n >= p.atLeast, progress };
    const written = t.partitions.filter((q) => q.highWatermark > (from.get(q.partition) ?? 0));
    const other = written.map((q) => q.storedCodecs[q.storedCodecs.length - 1] ?? 'none').find((c) => c !== p.codec);
    if (other === undefined) return { passed: n >= p.atLeast, progress };
    return { passed: false, progress: `${progress}, but the newest are stored as ${other}, not ${p.codec}: send them with ${p.codec} compression` };
  }),

  /** Records with one key all landed in one partition (the one murmur2 picks), at least `atLeast` of them, since the step began. */
  sameKeySamePartition: check<{ topic: string; atLeast: number }>((ctx, p) => {
    if (!topicIn(ctx.world, p.topic)) return { passed: false };
    const from = createdSinceArm(ctx, p.topic) ? new Map<number, number>() : highWatermarks(ctx.atArm, p.topic);
    const byKey = new Map<string, Set<number>>();
    const countByKey = new Map<string, number>();
    for (const r of ctx.records(p.topic, from, MAX_RECORDS_READ)) {
      if (r.key === null) continue;
      if (!byKey.has(r.key)) byKey.set(r.key, new Set());
      byKey.get(r.key)!.add(r.partition);
      countByKey.set(r.key, (countByKey.get(r.key) ?? 0) + 1);
    }
    let best = 0;
    for (const [key, parts] of byKey) if (parts.size === 1) best = Math.max(best, countByKey.get(key)!);
    return { passed: best >= p.atLeast, progress: count(best, p.atLeast, 'records with one key') };
  }),

  /** The topic's records are spread over at least `partitions` partitions by records that arrived since the step began. */
  spreadOverPartitions: check<{ topic: string; partitions: number; recordsEach: number }>((ctx, p) => {
    if (!topicIn(ctx.world, p.topic)) return { passed: false };
    const from = createdSinceArm(ctx, p.topic) ? new Map<number, number>() : highWatermarks(ctx.atArm, p.topic);
    const filled = topicIn(ctx.world, p.topic)!.partitions.filter((q) => q.highWatermark - (from.get(q.partition) ?? 0) >= p.recordsEach).length;
    return { passed: filled >= p.partitions, progress: count(filled, p.partitions, 'partitions') };
  }),

  /** A broker that led a partition of the topic went down, and another broker took over that partition. */
  leaderMovedAfterBrokerDown: check<{ topic: string }>((ctx, p) => {
    const downs = eventsOf(ctx, 'broker-state').filter((e) => DOWN.includes(e.to));
    const moved = eventsOf(ctx, 'leader-change').some(
      (l) => l.topic === p.topic && l.from !== null && l.to !== null && l.to !== l.from && downs.some((d) => d.brokerId === l.from && d.atMs <= l.atMs),
    );
    return { passed: moved };
  }),

  /** The controller role moved to another broker since the step began. */
  controllerMoved: check<Record<string, never>>((ctx) => {
    const moved = eventsOf(ctx, 'controller-change').some((e) => e.to !== null && e.to !== (ctx.atArm.controllerId ?? -1));
    return { passed: moved && ctx.world.controllerId !== null && ctx.world.controllerId !== ctx.atArm.controllerId };
  }),

  /** A partition of the topic lost an ISR member since the step began. */
  isrShrank: check<{ topic: string }>((ctx, p) => ({
    passed: eventsOf(ctx, 'isr-change').some((e) => e.topic === p.topic && e.after.length < e.before.length),
  })),

  /** After an ISR shrank since the step began, every partition of the topic is fully in sync again and every broker is up. */
  isrRestored: check<{ topic: string }>((ctx, p) => {
    const t = topicIn(ctx.world, p.topic);
    if (!t) return { passed: false };
    const shrankSinceArm = eventsOf(ctx, 'isr-change').some((e) => e.topic === p.topic && e.after.length < e.before.length);
    const wasShort = topicIn(ctx.atArm, p.topic)?.partitions.some((q) => q.isr.length < q.replicas.length) ?? false;
    const full = t.partitions.filter((q) => q.isr.length === q.replicas.length).length;
    const allUp = ctx.world.brokers.every((b) => b.state === 'up');
    return { passed: (shrankSinceArm || wasShort) && full === t.partitions.length && allUp, progress: count(full, t.partitions.length, 'partitions fully in sync') };
  }),

  /** Every partition of the topic is led by its preferred (first) replica again, after a leader change since the step began. */
  preferredLeadersBack: check<{ topic: string }>((ctx, p) => {
    const t = topicIn(ctx.world, p.topic);
    if (!t) return { passed: false };
    const changed = eventsOf(ctx, 'leader-change').some((e) => e.topic === p.topic);
    const preferred = t.partitions.filter((q) => q.leader === q.replicas[0]).length;
    return { passed: changed && preferred === t.partitions.length, progress: count(preferred, t.partitions.length, 'partitions led by their preferred replica') };
  }),

  /** A partition of the topic lost its leader since the step began (its only in-sync replicas are down). */
  partitionOffline: check<{ topic: string }>((ctx, p) => ({
    passed: eventsOf(ctx, 'leader-change').some((e) => e.topic === p.topic && e.from !== null && e.to === null) && (topicIn(ctx.world, p.topic)?.partitions.some((q) => q.leader === null) ?? false),
  })),

  /**
   * A returning replica cut acknowledged-but-uncommitted records from its log (truncation), at least `atLeast` records.
   * Until then the progress says where the learner is: the leader has not moved yet (healing now would cut nothing),
   * or it moved and the old leader can come back.
   */
  recordsTruncated: check<{ topic: string; atLeast: number }>((ctx, p) => {
    const removed = eventsOf(ctx, 'truncated').filter((e) => e.topic === p.topic).reduce((n, e) => n + Math.max(0, e.fromOffset - e.toOffset), 0);
    if (removed >= p.atLeast) return { passed: true, progress: count(removed, p.atLeast, 'records truncated') };
    const moved = eventsOf(ctx, 'leader-change').filter((e) => e.topic === p.topic && e.from !== null && e.to !== null && e.from !== e.to);
    const last = moved[moved.length - 1];
    if (!last) return { passed: false, progress: `${count(removed, p.atLeast, 'records truncated')}; the leader of ${p.topic} has not moved yet` };
    const oldLeader = ctx.world.brokers.find((b) => b.id === last.from);
    const away = oldLeader !== undefined && oldLeader.state !== 'up';
    return {
      passed: false,
      progress: `${count(removed, p.atLeast, 'records truncated')}; leadership of ${p.topic}-${last.partition} moved from broker ${last.from} to ${last.to}${away ? `: bring broker ${last.from} back` : ''}`,
    };
  }),

  /** A broker that was down or went down came back up, and the topic lost no record below the high watermark it had when the step began. */
  survivedFailover: check<{ topic: string }>((ctx, p) => {
    const t = topicIn(ctx.world, p.topic);
    if (!t) return { passed: false };
    // A broker that was down (or cut off) when the step began, or went down since, is up again.
    const states = eventsOf(ctx, 'broker-state');
    const isDown = (s: WorldBrokerState) => DOWN.includes(s) || s === 'cut';
    const downAtArm = new Set(ctx.atArm.brokers.filter((b) => isDown(b.state)).map((b) => b.id));
    const back = ctx.world.brokers.some((b) => {
      let down = downAtArm.has(b.id);
      let cameBack = false;
      for (const e of states) {
        if (e.brokerId !== b.id) continue;
        if (isDown(e.to)) {
          down = true;
          cameBack = false;
        } else if (down && e.to === 'up') cameBack = true;
      }
      return cameBack && b.state === 'up';
    });
    const before = highWatermarks(ctx.atArm, p.topic);
    const kept = t.partitions.every((q) => q.highWatermark >= (before.get(q.partition) ?? 0));
    const whole = t.partitions.every((q) => q.isr.length === q.replicas.length);
    return { passed: back && kept && whole && ctx.world.brokers.every((b) => b.state === 'up') };
  }),

  /** The log rolled at least `atLeast` new segments since the step began (summed over partitions). */
  segmentsRolled: check<{ topic: string; atLeast: number }>((ctx, p) => {
    const before = createdSinceArm(ctx, p.topic) ? 0 : sumPartitions(ctx.atArm, p.topic, (q) => q.segmentCount);
    const now = sumPartitions(ctx.world, p.topic, (q) => q.segmentCount);
    const rolled = Math.max(0, now - Math.max(before, topicIn(ctx.world, p.topic)?.partitions.length ?? 0));
    return { passed: rolled >= p.atLeast, progress: count(rolled, p.atLeast, 'segments rolled') };
  }),

  /**
   * Retention deleted at least `atLeast` segments of the topic since the step began; with `group`, the
   * deleted segments held records that group had not read yet (the log start now lies past its committed offset).
   */
  segmentsDeleted: check<{ topic: string; atLeast: number; group?: string }>((ctx, p) => {
    // One report per broker: count the leader's view (the most any replica deleted).
    const perPartitionBroker = new Map<string, number>();
    for (const e of eventsOf(ctx, 'segments-deleted')) {
      if (e.topic !== p.topic) continue;
      const k = `${e.partition}/${e.brokerId}`;
      perPartitionBroker.set(k, (perPartitionBroker.get(k) ?? 0) + e.count);
    }
    const byPartition = new Map<number, number>();
    for (const [k, n] of perPartitionBroker) {
      const partition = Number(k.split('/')[0]);
      byPartition.set(partition, Math.max(byPartition.get(partition) ?? 0, n));
    }
    const deleted = [...byPartition.values()].reduce((a, b) => a + b, 0);
    const progress = count(deleted, p.atLeast, 'segments deleted');
    if (p.group === undefined) return { passed: deleted >= p.atLeast, progress };
    const committed = (groupIn(ctx.world, p.group)?.offsets ?? []).filter((o) => o.topic === p.topic);
    const partitions = topicIn(ctx.world, p.topic)?.partitions ?? [];
    const unreadGone = committed.some((o) => (partitions.find((q) => q.partition === o.partition)?.logStartOffset ?? 0) > o.offset);
    const where = committed.map((o) => `${p.group} committed ${o.offset}, the log starts at ${partitions.find((q) => q.partition === o.partition)?.logStartOffset ?? 0}`).join('; ');
    return { passed: deleted >= p.atLeast && unreadGone, progress: committed.length === 0 ? `${progress}; ${p.group} has committed nothing` : `${progress}; ${where}` };
  }),

  /** The log start moved past offset `beyond` on some partition (older records are gone for every reader). */
  logStartMoved: check<{ topic: string; beyond: number }>((ctx, p) => {
    const t = topicIn(ctx.world, p.topic);
    const moved = t?.partitions.some((q) => q.logStartOffset > p.beyond && q.logStartOffset > (topicIn(ctx.atArm, p.topic)?.partitions[q.partition]?.logStartOffset ?? 0)) ?? false;
    return { passed: moved };
  }),

  /**
   * The group committed offsets on the topic adding up to at least `atLeast`, and more than when the step began.
   * With `pastArmEnd`, `atLeast` counts from the topic's end when the step began: the group committed past
   * records that arrived since (whatever had been written before).
   */
  groupCommitted: check<{ group: string; topic: string; atLeast: number; pastArmEnd?: boolean }>((ctx, p) => {
    const sum = (w: typeof ctx.world) => (groupIn(w, p.group)?.offsets ?? []).filter((o) => o.topic === p.topic).reduce((n, o) => n + o.offset, 0);
    const now = sum(ctx.world);
    const needed = p.atLeast + (p.pastArmEnd ? sumPartitions(ctx.atArm, p.topic, (q) => q.highWatermark) : 0);
    return { passed: now >= needed && now > sum(ctx.atArm), progress: `committed ${now} (needs ${needed})` };
  }),

  /** The group has at least `atLeast` members now. */
  groupMembers: check<{ group: string; atLeast: number }>((ctx, p) => {
    const n = groupIn(ctx.world, p.group)?.members.length ?? 0;
    const before = groupIn(ctx.atArm, p.group)?.members.length ?? 0;
    return { passed: n >= p.atLeast && before < p.atLeast, progress: count(n, p.atLeast, 'members') };
  }),

  /** The group has more members than the topic has partitions, so at least one member reads nothing. */
  idleMember: check<{ group: string; topic: string }>((ctx, p) => {
    const g = groupIn(ctx.world, p.group);
    const partitions = topicIn(ctx.world, p.topic)?.partitions.length ?? 0;
    if (!g || partitions === 0) return { passed: false };
    const idle = g.members.filter((m) => !m.partitions.some((q) => q.topic === p.topic)).length;
    const busy = new Set(g.members.flatMap((m) => m.partitions.filter((q) => q.topic === p.topic).map((q) => q.partition))).size;
    const rebalanced = g.generation > (groupIn(ctx.atArm, p.group)?.generation ?? -1);
    return { passed: rebalanced && g.state === 'Stable' && idle >= 1 && busy === partitions, progress: `${g.members.length} members, ${partitions} partitions, ${idle} idle` };
  }),

  /** The group went through a rebalance since the step began and is stable with at least `members` members. */
  rebalanced: check<{ group: string; members: number }>((ctx, p) => {
    const g = groupIn(ctx.world, p.group);
    const before = groupIn(ctx.atArm, p.group)?.generation ?? -1;
    return { passed: !!g && g.generation > before && g.state === 'Stable' && g.members.length >= p.members, progress: g ? `generation ${g.generation}, ${g.members.length} members` : undefined };
  }),

  /** Consumers fetched at least `atLeastBytes` of the topic, served as stored, since the step began; with `compressed`, the stored batches are compressed. */
  servedAsStored: check<{ topic: string; atLeastBytes: number; compressed?: boolean }>((ctx, p) => {
    const before = createdSinceArm(ctx, p.topic) ? 0 : sumPartitions(ctx.atArm, p.topic, (q) => q.bytesToConsumers);
    const grown = sumPartitions(ctx.world, p.topic, (q) => q.bytesToConsumers) - before;
    const codecs = new Set(topicIn(ctx.world, p.topic)?.partitions.flatMap((q) => q.storedCodecs) ?? []);
    const compressedOk = !p.compressed || [...codecs].some((c) => c !== 'none');
    return { passed: grown >= p.atLeastBytes && compressedOk, progress: `${Math.max(0, grown)} bytes sent to consumers as stored${p.compressed ? `; stored as ${[...codecs].join(', ') || 'nothing yet'}` : ''}` };
  }),

  /** The cleaner removed at least `atLeast` superseded records from the topic since the step began. */
  cleanerRemoved: check<{ topic: string; atLeast: number }>((ctx, p) => {
    const byPartition = new Map<number, number>();
    for (const e of eventsOf(ctx, 'cleaned')) {
      if (e.topic !== p.topic) continue;
      byPartition.set(e.partition, Math.max(byPartition.get(e.partition) ?? 0, e.recordsBefore - e.recordsAfter));
    }
    const removed = [...byPartition.values()].reduce((a, b) => a + b, 0);
    return { passed: removed >= p.atLeast, progress: count(removed, p.atLeast, 'records removed') };
  }),

  /** A write to the topic was refused with this Kafka error since the step began. */
  produceRefused: check<{ topic: string; errorName: string }>((ctx, p) => ({
    passed: eventsOf(ctx, 'produce-refused').some((e) => e.topic === p.topic && e.errorName === p.errorName),
  })),
} as const;

export type CheckName = keyof typeof CHECKS;
export type CheckParams<K extends CheckName> = Parameters<(typeof CHECKS)[K]>[1];

export function runCheck<K extends CheckName>(name: K, ctx: CheckContext, params: CheckParams<K>): CheckResult {
  return (CHECKS[name] as Check<CheckParams<K>>)(ctx, params);
}

export function isCheckName(name: string): name is CheckName {
  return Object.prototype.hasOwnProperty.call(CHECKS, name);
}
