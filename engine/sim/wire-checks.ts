/**
 * The checker's eye on the brokers' Kafka listeners: every request a broker answered
 * over the wire (in the simulator, the in-process sockets of sockets.ts) and its
 * answer, as the broker gave it. Real clients (the built-in consumers) are held there to
 * the invariants the simulated ones check on themselves:
 *
 *   (3) the high watermark a client (by client id) is shown for a partition never goes
 *       back;
 *   (5) an offset commit the coordinator acknowledged is at most the highest HW any
 *       client was shown for that partition (in Fetch or ListOffsets answers), and not
 *       below the group's previous acknowledged commit (the simulator never resets
 *       offsets); a committed offset read back (OffsetFetch) is not below the last
 *       acknowledged one.
 *
 * Acknowledged commits share `obs.committed` with the simulated consumers (keys
 * "group/topic-partition"); the groups differ, so neither checks the other's.
 */
import { ApiKey, ErrorCode, type ResponseOf } from '../protocol';
import type { Observations } from './actors';
import type { AnswerWatcher } from './world';

export function wireChecks(obs: Observations): AnswerWatcher {
  /** Per partition ("topic-partition"): the highest HW any client was shown. */
  const hwShown = new Map<string, number>();
  /** Per client id and partition: the last HW it was shown. */
  const hwByClient = new Map<string, number>();
  const v = obs.violations;

  const shown = (topic: string, partition: number, hw: number): void => {
    const key = `${topic}-${partition}`;
    if (hw > (hwShown.get(key) ?? -1)) hwShown.set(key, hw);
  };

  return (_brokerId, req, meta, response) => {
    if (response === null) return;
    obs.stats.wireRequests++;
    switch (req.apiKey) {
      case ApiKey.Fetch: {
        if (req.message.replicaId >= 0) return;
        const res = response as ResponseOf<typeof ApiKey.Fetch>;
        for (const t of res.responses) {
          for (const p of t.partitions) {
            if (p.errorCode !== ErrorCode.NONE || !t.topic) continue;
            shown(t.topic, p.partitionIndex, p.highWatermark);
            const key = `${meta.clientId ?? ''}/${t.topic}-${p.partitionIndex}`;
            const before = hwByClient.get(key) ?? -1;
            if (p.highWatermark < before) v.push(`(3) client ${meta.clientId} was shown the HW of ${t.topic}-${p.partitionIndex} go back from ${before} to ${p.highWatermark}`);
            hwByClient.set(key, Math.max(before, p.highWatermark));
          }
        }
        return;
      }
      case ApiKey.ListOffsets: {
        const res = response as ResponseOf<typeof ApiKey.ListOffsets>;
        for (const t of res.topics) for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE && p.offset >= 0) shown(t.name, p.partitionIndex, p.offset);
        return;
      }
      case ApiKey.OffsetCommit: {
        const res = response as ResponseOf<typeof ApiKey.OffsetCommit>;
        const groupId = req.message.groupId;
        for (const t of res.topics) {
          for (const p of t.partitions) {
            if (p.errorCode !== ErrorCode.NONE) continue;
            const asked = req.message.topics.find((x) => x.name === t.name)?.partitions.find((x) => x.partitionIndex === p.partitionIndex);
            if (asked === undefined) continue;
            const offset = asked.committedOffset;
            const tp = `${t.name}-${p.partitionIndex}`;
            const hw = hwShown.get(tp) ?? 0;
            if (offset > hw) v.push(`(5) group ${groupId} ${tp}: commit of ${offset} acknowledged beyond the HW ${hw} any client was shown`);
            const key = `${groupId}/${tp}`;
            const prev = obs.committed.get(key);
            if (prev !== undefined && offset < prev) v.push(`(5) ${key}: an acknowledged commit moved the offset back from ${prev} to ${offset}`);
            obs.committed.set(key, offset);
            obs.stats.wireCommits++;
          }
        }
        return;
      }
      case ApiKey.OffsetFetch: {
        const res = response as ResponseOf<typeof ApiKey.OffsetFetch>;
        const groups = req.apiVersion >= 8 ? res.groups.map((g) => ({ groupId: g.groupId, errorCode: g.errorCode, topics: g.topics })) : [{ groupId: req.message.groupId, errorCode: res.errorCode, topics: res.topics }];
        for (const g of groups) {
          if (g.errorCode !== ErrorCode.NONE) continue;
          for (const t of g.topics) {
            for (const p of t.partitions) {
              if (p.errorCode !== ErrorCode.NONE || p.committedOffset < 0) continue;
              const key = `${g.groupId}/${t.name}-${p.partitionIndex}`;
              const acked = obs.committed.get(key);
              if (acked !== undefined && p.committedOffset < acked) v.push(`(5) ${key}: the committed offset read back is ${p.committedOffset}, behind the acknowledged ${acked}`);
            }
          }
        }
        return;
      }
      default:
        return;
    }
  };
}
