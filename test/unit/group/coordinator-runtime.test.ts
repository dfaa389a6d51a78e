/**
 * The runtime both halves of the group coordinator share: which partitions it owns and
 * what a request for a group on each gets, the registry of groups, answers delivered only
 * once the outermost call ends, timers that run like requests, and appends to a log that
 * may answer late, fail, or throw.
 */
import { describe, expect, it } from 'vitest';
import { CoordinatorRuntime, type OffsetsRecord } from '../../../engine/cluster/group/coordinator-runtime';
import { MemberMetadata } from '../../../engine/cluster/group/group';
import { DEFAULT_GROUP_COORDINATOR_CONFIG, type GroupCoordinatorConfig } from '../../../engine/cluster/group/types';
import { ErrorCode } from '../../../engine/protocol/errors';
import { InvariantError } from '../../../engine/util/assert';
import { ManualClock } from '../../../engine/util/clock';
import { GROUP, MemoryOffsetsLog, P, groupOnPartition } from './harness';

function runtime(config: Partial<GroupCoordinatorConfig> = {}, log = new MemoryOffsetsLog()): { rt: CoordinatorRuntime; clock: ManualClock; log: MemoryOffsetsLog } {
  const clock = new ManualClock(1_700_000_000_000);
  return { rt: new CoordinatorRuntime(Object.freeze({ ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...config }), clock, log), clock, log };
}

describe('ownership and the status of a request', () => {
  it('NOT_COORDINATOR unowned, LOAD_IN_PROGRESS while loading, NONE once owned, NOT_AVAILABLE once deactivated', () => {
    const { rt } = runtime();
    expect(rt.status(GROUP, 'join')).toBe(ErrorCode.NOT_COORDINATOR);
    rt.beginLoading(P);
    expect(rt.status(GROUP, 'join')).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect(rt.isAnyLoading).toBe(true);
    rt.finishLoading(P, []);
    expect([rt.status(GROUP, 'join'), rt.isOwned(P), rt.isAnyLoading]).toEqual([ErrorCode.NONE, true, false]);
    // Loading an owned partition again changes nothing.
    rt.beginLoading(P);
    expect(rt.status(GROUP, 'heartbeat')).toBe(ErrorCode.NONE);
    rt.deactivate();
    expect(rt.status(GROUP, 'join')).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });

  it('"" is a group id only for commit, fetch, describe and delete; ids beyond a Kafka string never are', () => {
    const { rt } = runtime();
    rt.beginLoading(rt.partitionFor(''));
    rt.finishLoading(rt.partitionFor(''), []);
    expect((['join', 'sync', 'heartbeat', 'leave'] as const).map((api) => rt.status('', api))).toEqual(Array(4).fill(ErrorCode.INVALID_GROUP_ID));
    expect((['commit', 'fetch', 'describe', 'delete'] as const).map((api) => rt.status('', api))).toEqual(Array(4).fill(ErrorCode.NONE));
    expect(rt.status('x'.repeat(0x8000), 'commit')).toBe(ErrorCode.INVALID_GROUP_ID);
  });

  it('an aborted load leaves the partition unowned; a release hands back only that partition\'s groups', () => {
    const { rt } = runtime();
    rt.beginLoading(P);
    rt.abortLoading(P);
    expect(rt.status(GROUP, 'join')).toBe(ErrorCode.NOT_COORDINATOR);
    const otherPartition = (P + 1) % 50;
    const other = groupOnPartition(otherPartition, 'other');
    for (const p of [P, otherPartition]) {
      rt.beginLoading(p);
      rt.finishLoading(p, []);
    }
    const mine = rt.createGroup(GROUP);
    rt.createGroup(other);
    expect(rt.heldPartitions().sort()).toEqual([P, otherPartition].sort());
    expect(rt.release(P)).toEqual([mine]);
    expect(rt.isOwned(P)).toBe(false);
    // Still registered until dropped: the caller answers its parked requests first.
    expect(rt.group(GROUP)).toBe(mine);
    mine.transitionTo('Dead', 0);
    rt.dropGroup(mine);
    expect(rt.allGroups().map((g) => g.groupId)).toEqual([other]);
    rt.checkInvariants();
  });

  it('refuses what would break the registry: a group of an unowned partition, dropping a live group, loading a group twice', () => {
    const { rt } = runtime();
    expect(() => rt.createGroup(GROUP)).toThrow(InvariantError);
    rt.beginLoading(P);
    rt.finishLoading(P, []);
    const g = rt.createGroup(GROUP);
    expect(() => rt.createGroup(GROUP)).toThrow(InvariantError);
    expect(() => rt.dropGroup(g)).toThrow(InvariantError);
    rt.release(P);
    rt.beginLoading(P);
    expect(() => rt.finishLoading(P, [g])).toThrow(InvariantError);
    expect(() => rt.checkPartition(50)).toThrow(InvariantError);
  });

  it('a dropped group keeps no timer', () => {
    const { rt, clock } = runtime();
    rt.beginLoading(P);
    rt.finishLoading(P, []);
    const g = rt.createGroup(GROUP);
    const member = new MemberMetadata('m', null, 'c', '/127.0.0.1', 30_000, 10_000, 'consumer', [{ name: 'range', metadata: Buffer.alloc(0) }]);
    g.add(member, null);
    member.heartbeatTimer = rt.setTimer(10_000, () => {});
    g.addPendingMember('pending', rt.setTimer(10_000, () => {}));
    g.joinTimer = { timer: rt.setTimer(3_000, () => {}), initial: true, delayMs: 3_000, remainingMs: 0 };
    g.syncTimer = { timer: rt.setTimer(30_000, () => {}), generationId: 0 };
    expect(clock.nextDueMs()).toBe(clock.nowMs() + 3_000);
    g.transitionTo('Dead', clock.nowMs());
    rt.dropGroup(g);
    expect(clock.nextDueMs()).toBeUndefined();
    expect(g.pendingMembers.get('pending')).toBeNull();
    expect(rt.group(GROUP)).toBeUndefined();
  });
});

describe('execution', () => {
  it('answers wait until the outermost run ends, and may call straight back in', () => {
    const { rt } = runtime();
    const seen: string[] = [];
    rt.run(() => {
      const reply = rt.responder<string>((r) => {
        seen.push(r);
        rt.run(() => rt.responder<string>((again) => seen.push(again))('nested'));
      });
      rt.run(() => reply('first'));
      seen.push('still inside');
    });
    expect(seen).toEqual(['still inside', 'first', 'nested']);
  });

  it('a request is answered once', () => {
    const { rt } = runtime();
    const reply = rt.responder<number>(() => {});
    rt.run(() => reply(1));
    expect(() => rt.run(() => reply(2))).toThrow(InvariantError);
  });

  it('timers run their work like a request: answers given there are delivered when it ends', () => {
    const { rt, clock } = runtime();
    const seen: string[] = [];
    const reply = rt.responder<string>((r) => seen.push(r));
    rt.setTimer(1_000, () => {
      reply('from the timer');
      seen.push('timer done');
    });
    clock.advance(999);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual(['timer done', 'from the timer']);
  });
});

describe('appends', () => {
  const record = (keyBytes: number, valueBytes: number | null): OffsetsRecord => ({ key: Buffer.alloc(keyBytes), value: valueBytes === null ? null : Buffer.alloc(valueBytes) });

  it('one batch holds the records while header, framing, keys and values fit message.max.bytes', () => {
    const { rt } = runtime({ 'message.max.bytes': 61 + 2 * 21 + 30 });
    expect(rt.fitsOneBatch([record(10, 5), record(15, null)])).toBe(true);
    expect(rt.fitsOneBatch([record(10, 5), record(16, null)])).toBe(false);
  });

  it('acknowledgements arrive inside run; a late one too', () => {
    const { rt, log } = runtime();
    log.deferred = true;
    const seen: string[] = [];
    const reply = rt.responder<number>((code) => seen.push(`answered ${code}`));
    rt.append(P, [record(3, 3)], (code) => {
      reply(code);
      seen.push('acknowledged');
    });
    expect(seen).toEqual([]);
    log.ackAll();
    expect(seen).toEqual(['acknowledged', 'answered 0']);
    expect(log.records(P)).toHaveLength(1);
  });

  it('a log that throws a storage error with a Kafka code acknowledges with that code', () => {
    const { rt, log } = runtime();
    log.append = () => {
      throw Object.assign(new Error('disk full'), { code: ErrorCode.KAFKA_STORAGE_ERROR });
    };
    const codes: number[] = [];
    rt.append(P, [record(1, 1)], (code) => codes.push(code));
    expect(codes).toEqual([ErrorCode.KAFKA_STORAGE_ERROR]);
  });

  it('a log that throws anything else fails the append with UNKNOWN_SERVER_ERROR and rethrows', () => {
    const { rt, log } = runtime();
    log.append = () => {
      throw new TypeError('a bug');
    };
    const codes: number[] = [];
    expect(() => rt.append(P, [record(1, 1)], (code) => codes.push(code))).toThrow(TypeError);
    expect(codes).toEqual([ErrorCode.UNKNOWN_SERVER_ERROR]);
  });

  it('an append is acknowledged once', () => {
    const { rt, log } = runtime();
    log.append = (_p, _r, done) => {
      done(0);
      done(0);
    };
    expect(() => rt.append(P, [record(1, 1)], () => {})).toThrow(InvariantError);
  });
});
