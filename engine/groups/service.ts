/**
 * The groups & offsets service (engine/api/groups): consumer groups as the brokers'
 * group coordinators hold them (the person's own consumers and the built-in ones
 * alike), their lag and its history, offset resets and deletes, and the built-in
 * consumers started from the UI. The composition root routes the groups commands to
 * `commands`; `snapshot()` fills the groups section of every published snapshot (kept
 * small: it goes out up to 10 times a second).
 *
 * Parts, one concept per file:
 *   groups.ts             groups, lag, offset resets and deletes through the coordinators
 *   lag-history.ts        the 1 s lag sampler and its ring buffers
 *   builtin-consumers.ts  consumers started from the UI (real group members over TCP)
 *
 * Offers the other services one port: the committed offsets of groups on a partition
 * (GroupOffsets, for the partition log strip).
 */
import type { CommittedOffsetMarker, GroupsSnapshot } from '../api/contract';
import type { EngineCommands } from '../api/dispatch';
import type { GROUPS_COMMAND_NAMES } from '../api/groups/names';
import type { ClusterState, GroupCoordinators, GroupOffsets, GroupState, GroupStates, KafkaListeners, LeaderIo } from '../ports';
import type { Clock } from '../util/clock';
import { BuiltinConsumers } from './builtin-consumers';
import { Groups } from './groups';
import { LAG_HISTORY_SAMPLES, LAG_SAMPLE_INTERVAL_MS, LagSampler } from './lag-history';

export type GroupsCommandName = (typeof GROUPS_COMMAND_NAMES)[number];
export type GroupsHandlers = Pick<EngineCommands, GroupsCommandName>;

export interface GroupsDeps {
  cluster: ClusterState;
  coordinators: GroupCoordinators;
  io: LeaderIo;
  listeners: KafkaListeners;
  clock: Clock;
  /** Something the snapshot shows changed. */
  changed: () => void;
}

export class GroupsService implements GroupOffsets, GroupStates {
  readonly commands: GroupsHandlers;
  readonly groups: Groups;
  readonly lag: LagSampler;
  readonly consumers: BuiltinConsumers;

  constructor(deps: GroupsDeps) {
    const { clock, changed } = deps;
    this.consumers = new BuiltinConsumers(deps.io, deps.listeners, clock, changed);
    this.groups = new Groups(deps.cluster, deps.coordinators, deps.io, changed, (memberId) => this.consumers.byMemberId(memberId));
    this.lag = new LagSampler(clock, this.groups, changed);
    this.lag.start();

    this.commands = {
      describeGroup: (a) => this.groups.describe(a.groupId),
      groupLagHistory: (a) => {
        const history = this.lag.history(a.groupId, a.afterSeq);
        if (history) return history;
        // Known group without samples yet (it appeared less than a second ago): an empty history.
        this.groups.describe(a.groupId);
        return { groupId: a.groupId, intervalMs: LAG_SAMPLE_INTERVAL_MS, capacity: LAG_HISTORY_SAMPLES, lastSeq: 0, firstSeq: 1, timesMs: [], totalLag: [], partitions: [] };
      },
      previewResetOffsets: (a) => this.groups.previewReset(a),
      resetOffsets: (a) => this.groups.resetOffsets(a),
      deleteGroup: async (a) => {
        await this.groups.deleteGroup(a.groupId);
        this.lag.drop(a.groupId);
        return { groupId: a.groupId };
      },
      startConsumer: (a) => this.consumers.start(a),
      updateConsumer: (a) => this.consumers.update(a),
      stopConsumer: (a) => this.consumers.stop(a.consumerId),
    };
  }

  groupState(groupId: string): GroupState | undefined {
    let held;
    try {
      held = this.groups.find(groupId);
    } catch {
      return undefined; // a coordinator mid-failover
    }
    if (!held) return undefined;
    const v = held.view;
    return {
      state: v.state,
      generation: v.generationId,
      members: v.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, partitions: (m.assignment ?? []).flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition }))) })),
      offsets: v.offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
    };
  }

  async clearGroup(groupId: string): Promise<void> {
    for (const c of this.consumers.views()) if (c.groupId === groupId) await this.consumers.stop(c.id);
    let held;
    try {
      held = this.groups.find(groupId);
    } catch {
      held = undefined;
    }
    if (!held) return;
    await this.groups.deleteGroup(groupId);
    this.lag.drop(groupId);
  }

  committedOffsets(topic: string, partition: number): CommittedOffsetMarker[] {
    return this.groups.committedOffsets(topic, partition);
  }

  snapshot(): GroupsSnapshot {
    let groups: GroupsSnapshot['groups'] = [];
    let groupsOmitted = 0;
    try {
      ({ groups, omitted: groupsOmitted } = this.groups.summaries());
    } catch {
      // A coordinator mid-failover: the next snapshot lists them.
    }
    return { groups, groupsOmitted, consumers: this.consumers.views(), lagSeq: this.lag.seq };
  }

  async close(): Promise<void> {
    this.lag.stop();
    await this.consumers.closeAll();
  }
}
