/**
 * Partition placement APIs: ElectLeaders, AlterPartitionReassignments and
 * ListPartitionReassignments. Each goes to the controller (as Kafka forwards them),
 * which decides and persists; the rules live in cluster/ (controller.ts,
 * reassignment.ts). A write's answer waits, up to the request's timeout, until this
 * broker's metadata shows the change, so a client that elects a leader and then asks
 * for metadata sees the new leader.
 *
 * Results are grouped by topic in the order the request named them.
 */
import type * as M from '../cluster/messages';
import type { MetadataImage } from '../cluster/metadata-image';
import type { AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponseInput } from '../protocol/apis/alter-partition-reassignments';
import type { ElectLeadersRequest, ElectLeadersResponseInput } from '../protocol/apis/elect-leaders';
import type { ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponseInput } from '../protocol/apis/list-partition-reassignments';
import { ErrorCode } from '../protocol/errors';
import { controller, waitForImage } from './admin-apis';
import type { WireContext } from './context';

/** ElectLeaders' ElectionType values (KIP-460). */
const ElectionType = { PREFERRED: 0, UNCLEAN: 1 } as const;
const NO_ANSWER = 'The controller did not answer.';
/**
 * How long an answer waits for this broker's metadata to show the change. The change is
 * already written by then; the wait only spares a client a stale Metadata answer, so it
 * stays short whatever timeout the request names (a pipelined connection waits behind it).
 */
const MAX_PROPAGATION_WAIT_MS = 2000;

/** Groups per-partition results by topic, keeping the order topics first appear in. */
function byTopic<R extends { topic: string }, O>(results: R[], each: (r: R) => O): { name: string; items: O[] }[] {
  const out = new Map<string, O[]>();
  for (const r of results) {
    if (!out.has(r.topic)) out.set(r.topic, []);
    out.get(r.topic)!.push(each(r));
  }
  return [...out].map(([name, items]) => ({ name, items }));
}

function partitionEpochs(image: MetadataImage, parts: { topic: string; partition: number }[]): Map<string, number> {
  return new Map(parts.map((p) => [`${p.topic}-${p.partition}`, image.topics.get(p.topic)?.partitions[p.partition]?.partitionEpoch ?? -1]));
}

/** Waits until this broker's metadata has moved past `before` for every listed partition. */
function waitForChange(ctx: WireContext, before: Map<string, number>, parts: { topic: string; partition: number }[], timeoutMs: number): Promise<void> {
  if (parts.length === 0 || timeoutMs <= 0) return Promise.resolve();
  return waitForImage(ctx, (img) => parts.every((p) => (img.topics.get(p.topic)?.partitions[p.partition]?.partitionEpoch ?? -1) > (before.get(`${p.topic}-${p.partition}`) ?? -1)), timeoutMs);
}

export async function handleElectLeaders(ctx: WireContext, version: number, req: ElectLeadersRequest): Promise<ElectLeadersResponseInput> {
  const type = version >= 1 ? req.electionType : ElectionType.PREFERRED;
  const partitions = req.topicPartitions === null ? null : req.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
  if (type !== ElectionType.PREFERRED && type !== ElectionType.UNCLEAN) {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.INVALID_REQUEST,
      replicaElectionResults: byTopic(partitions ?? [], (p) => ({ partitionId: p.partition, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unknown election type ${type} (0 preferred, 1 unclean).` })).map((t) => ({ topic: t.name, partitionResult: t.items })),
    };
  }
  const before = ctx.broker.image;
  const r = await controller<M.ElectLeadersResponse>(ctx, { type: 'elect-leaders', electionType: type === ElectionType.PREFERRED ? 'preferred' : 'unclean', partitions });
  if (!r) {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.REQUEST_TIMED_OUT,
      replicaElectionResults: byTopic(partitions ?? [], (p) => ({ partitionId: p.partition, errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: NO_ANSWER })).map((t) => ({ topic: t.name, partitionResult: t.items })),
    };
  }
  const elected = r.results.filter((x) => x.errorCode === ErrorCode.NONE);
  await waitForChange(ctx, partitionEpochs(before, elected), elected, Math.min(req.timeoutMs, MAX_PROPAGATION_WAIT_MS));
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    replicaElectionResults: byTopic(r.results, (x) => ({ partitionId: x.partition, errorCode: x.errorCode, errorMessage: x.errorMessage })).map((t) => ({ topic: t.name, partitionResult: t.items })),
  };
}

export async function handleAlterPartitionReassignments(ctx: WireContext, _version: number, req: AlterPartitionReassignmentsRequest): Promise<AlterPartitionReassignmentsResponseInput> {
  const partitions = req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas === null ? null : [...p.replicas] })));
  const before = ctx.broker.image;
  const r = await controller<M.AlterReassignmentsResponse>(ctx, { type: 'alter-reassignments', partitions });
  const results = r?.results ?? partitions.map((p) => ({ topic: p.topic, partition: p.partition, errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: NO_ANSWER }));
  const changed = results.filter((x) => x.errorCode === ErrorCode.NONE && (before.topics.get(x.topic)?.partitions[x.partition] !== undefined));
  // A target equal to the current replicas changes nothing: do not wait for it.
  const moved = changed.filter((x) => {
    const asked = partitions.find((p) => p.topic === x.topic && p.partition === x.partition)!;
    const current = before.topics.get(x.topic)!.partitions[x.partition];
    return asked.replicas === null || asked.replicas.join() !== current.replicas.join() || (current.addingReplicas?.length ?? 0) + (current.removingReplicas?.length ?? 0) > 0;
  });
  await waitForChange(ctx, partitionEpochs(before, moved), moved, Math.min(req.timeoutMs, MAX_PROPAGATION_WAIT_MS));
  return {
    throttleTimeMs: 0,
    errorCode: r ? ErrorCode.NONE : ErrorCode.REQUEST_TIMED_OUT,
    errorMessage: r ? null : NO_ANSWER,
    responses: byTopic(results, (x) => ({ partitionIndex: x.partition, errorCode: x.errorCode, errorMessage: x.errorMessage })).map((t) => ({ name: t.name, partitions: t.items })),
  };
}

export async function handleListPartitionReassignments(ctx: WireContext, _version: number, req: ListPartitionReassignmentsRequest): Promise<ListPartitionReassignmentsResponseInput> {
  const partitions = req.topics === null ? null : req.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
  const r = await controller<M.ListReassignmentsResponse>(ctx, { type: 'list-reassignments', partitions });
  if (!r) return { throttleTimeMs: 0, errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: NO_ANSWER, topics: [] };
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    topics: byTopic(r.reassignments, (x) => ({ partitionIndex: x.partition, replicas: x.replicas, addingReplicas: x.addingReplicas, removingReplicas: x.removingReplicas })).map((t) => ({ name: t.name, partitions: t.items })),
  };
}
