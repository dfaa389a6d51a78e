/**
 * kafka-reassign-partitions: move partition replicas between brokers, with Kafka's
 * flags, messages and output (ReassignPartitionsCommand):
 *
 *   --generate  --topics-to-move-json-file F ({"topics": [{"topic": "t"}], "version": 1})
 *               --broker-list 1,2,3: prints "Current partition replica assignment", the
 *               current assignment as reassignment JSON, then "Proposed partition
 *               reassignment configuration" and a proposal (Kafka's rack-unaware
 *               placement over the listed brokers, same replication factor). Changes nothing.
 *   --execute   --reassignment-json-file F ({"version": 1, "partitions": [{"topic",
 *               "partition", "replicas", "log_dirs"?}]}): prints the current assignment
 *               ("Save this to use as the --reassignment-json-file option during
 *               rollback"), starts the moves, "Successfully started partition
 *               reassignment(s) for t-0,t-1". Refused while other reassignments run
 *               unless --additional.
 *   --verify    "Status of partition reassignment:" then per partition "is completed.",
 *               "is still in progress." or "There is no active reassignment of partition
 *               t-0, but replica set is 1,2 rather than 2,3."
 *   --cancel    cancels those of the file's partitions still moving: "Successfully
 *               cancelled partition reassignment(s) for: t-0" or "None of the specified
 *               partition reassignments are active."
 *   --list      "Current partition reassignments:" and "t-0: replicas: 2,3,1. adding: 3.
 *               removing: 1." per partition, or "No partition reassignments found."
 * JSON is printed compactly, partitions sorted by topic then partition, log_dirs "any".
 * The workbench has one log directory per broker and no replication throttles: a
 * log_dirs entry other than "any" and the throttle options are refused with that reason.
 * Usage errors go to stderr (exit 1); command failures print their message on stdout
 * and exit 1, as Kafka's tool does.
 */
import { readFile } from 'node:fs/promises';
import type { Admin } from '../client/admin';
import { assignReplicas } from '../cluster/assignment';
import { SystemRandom } from '../util/random';
import { connectAdmin } from './cli/connect';
import { OptionsError, parseOptions, usage, type OptionSpec, type ParsedOptions } from './cli/options';
import { javaStyle, kafkaMessage, usageError, type ToolIO } from './cli/tool-io';

const SPECS: OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', argName: 'String: Server(s) to use for bootstrapping', description: 'REQUIRED: the server(s) to use for bootstrapping.' },
  { name: 'command-config', arg: 'required', argName: 'String: Admin client property file', description: 'Property file containing configs to be passed to Admin Client.' },
  { name: 'generate', description: 'Generate a candidate partition reassignment configuration. Note that this only generates a candidate assignment, it does not execute it.' },
  { name: 'execute', description: 'Kick off the reassignment as specified by the --reassignment-json-file option.' },
  { name: 'verify', description: 'Verify if the reassignment completed as specified by the --reassignment-json-file option.' },
  { name: 'cancel', description: 'Cancel an active reassignment.' },
  { name: 'list', description: 'List all active partition reassignments.' },
  { name: 'reassignment-json-file', arg: 'required', argName: 'String: manual assignment json file path', description: 'The JSON file with the partition reassignment configuration.' },
  { name: 'topics-to-move-json-file', arg: 'required', argName: 'String: topics to reassign json file path', description: 'Generate a reassignment configuration to move the partitions of the specified topics to the list of brokers specified by the --broker-list option.' },
  { name: 'broker-list', arg: 'required', argName: 'String: brokerlist', description: 'The list of brokers to which the partitions need to be reassigned in the form "0,1,2".' },
  { name: 'disable-rack-aware', description: 'Disable rack aware replica assignment' },
  { name: 'additional', description: 'Execute this reassignment in addition to any other ongoing ones.' },
  { name: 'preserve-throttles', description: 'Do not modify broker or topic throttles.' },
  { name: 'throttle', arg: 'required', argName: 'Long', description: 'The movement of partitions between brokers will be throttled to this value (bytes/sec).' },
  { name: 'replica-alter-log-dirs-throttle', arg: 'required', argName: 'Long', description: 'The movement of replicas between log directories on the same broker will be throttled to this value (bytes/sec).' },
  { name: 'timeout', arg: 'required', argName: 'Long', defaultValue: '10000', description: 'The maximum time in ms to wait for log directory replica assignment to begin.' },
  { name: 'help', description: 'Print usage information.' },
  { name: 'version', description: 'Display Kafka version.' },
];

const DESCRIPTION = 'This tool helps to move topic partitions between replicas.';
const ACTIONS = ['generate', 'execute', 'verify', 'cancel', 'list'] as const;
type Action = (typeof ACTIONS)[number];
const CANNOT_EXECUTE_BECAUSE_OF_EXISTING =
  'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.';

/** A command failure printed as its message alone (Kafka's TerseException). */
class TerseError extends Error {}

export interface PartitionTarget {
  topic: string;
  partition: number;
  replicas: number[];
}

const tpName = (p: { topic: string; partition: number }) => `${p.topic}-${p.partition}`;
const byTopicPartition = (a: { topic: string; partition: number }, b: { topic: string; partition: number }) =>
  a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;

/** Kafka's reassignment JSON, compact, sorted by topic then partition. */
export function formatReassignmentJson(parts: readonly PartitionTarget[]): string {
  return JSON.stringify({
    version: 1,
    partitions: [...parts].sort(byTopicPartition).map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.replicas, log_dirs: p.replicas.map(() => 'any') })),
  });
}

/** Parses a --reassignment-json-file, refusing what Kafka refuses. */
export function parseReassignmentJson(text: string): PartitionTarget[] {
  let js: { partitions?: unknown };
  try {
    js = JSON.parse(text) as { partitions?: unknown };
  } catch (err) {
    throw new TerseError(`Error: the reassignment JSON could not be parsed (${(err as Error).message}).`);
  }
  if (!Array.isArray(js?.partitions)) throw new TerseError('Error: The reassignment JSON has no "partitions" list.');
  const out: PartitionTarget[] = [];
  for (const p of js.partitions as { topic?: unknown; partition?: unknown; replicas?: unknown; log_dirs?: unknown }[]) {
    if (typeof p?.topic !== 'string' || !Number.isInteger(p.partition) || !Array.isArray(p.replicas) || !p.replicas.every((r) => Number.isInteger(r))) {
      throw new TerseError('Error: each partition needs a string "topic", an integer "partition" and a "replicas" list of broker ids.');
    }
    if (Array.isArray(p.log_dirs) && p.log_dirs.some((d) => d !== 'any')) {
      throw new TerseError('Error: Stream Workbench brokers have one log directory each; use "any" in log_dirs.');
    }
    out.push({ topic: p.topic, partition: p.partition as number, replicas: p.replicas as number[] });
  }
  if (out.length === 0) throw new TerseError('Partition reassignment list cannot be empty.');
  const names = out.map(tpName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new TerseError(`Reassignment JSON file contains multiple entries for ${dup}`);
  const dupReplicas = out.filter((p) => new Set(p.replicas).size !== p.replicas.length);
  if (dupReplicas.length > 0) {
    throw new TerseError(`Partition replica lists may not contain duplicate entries: ${dupReplicas.map((p) => `${tpName(p)} contains multiple entries for ${p.replicas.filter((r, i) => p.replicas.indexOf(r) !== i).join(',')}`).join('. ')}`);
  }
  return out;
}

/** The topics of a --topics-to-move-json-file. */
export function parseTopicsJson(text: string): string[] {
  let js: { topics?: unknown };
  try {
    js = JSON.parse(text) as { topics?: unknown };
  } catch (err) {
    throw new TerseError(`Error: the topics JSON could not be parsed (${(err as Error).message}).`);
  }
  if (!Array.isArray(js?.topics) || !js.topics.every((t: { topic?: unknown }) => typeof t?.topic === 'string')) throw new TerseError('Error: The topics JSON needs a "topics" list of {"topic": name}.');
  const topics = (js.topics as { topic: string }[]).map((t) => t.topic);
  const dup = topics.filter((t, i) => topics.indexOf(t) !== i);
  if (dup.length > 0) throw new TerseError(`List of topics to reassign contains duplicate entries: ${[...new Set(dup)].join(',')}`);
  return topics;
}

function actionOf(o: ParsedOptions): Action | string {
  const given = ACTIONS.filter((a) => o.has(a));
  if (given.length !== 1) return `Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`;
  const action = given[0]!;
  if (!o.has('bootstrap-server')) return 'Please specify --bootstrap-server';
  const required: Record<Action, string[]> = {
    generate: ['topics-to-move-json-file', 'broker-list'],
    execute: ['reassignment-json-file'],
    verify: ['reassignment-json-file'],
    cancel: ['reassignment-json-file'],
    list: [],
  };
  for (const r of required[action]) if (!o.has(r)) return `Missing required argument "[${r}]"`;
  for (const t of ['throttle', 'replica-alter-log-dirs-throttle']) {
    if (o.has(t)) return `--${t} is not supported by Stream Workbench: its brokers replicate without throttles.`;
  }
  return action;
}

export async function main(argv: string[], io: ToolIO): Promise<number> {
  let o: ParsedOptions;
  let action: Action;
  try {
    o = parseOptions(argv, SPECS);
    if (o.has('help')) {
      io.stdout.write(`${DESCRIPTION}\n${usage(SPECS)}`);
      return 0;
    }
    if (o.has('version')) {
      io.stdout.write('3.7.0 (Stream Workbench)\n');
      return 0;
    }
    if (argv.length === 0) return usageError(io, SPECS, DESCRIPTION);
    const a = actionOf(o);
    if (!(ACTIONS as readonly string[]).includes(a)) return usageError(io, SPECS, a);
    action = a as Action;
  } catch (err) {
    if (err instanceof OptionsError) return usageError(io, SPECS, err.message);
    throw err;
  }
  let admin: Admin | null = null;
  try {
    admin = await connectAdmin(o.value('bootstrap-server')!);
    const out = (line: string) => io.stdout.write(`${line}\n`);
    switch (action) {
      case 'generate':
        await generate(admin, parseTopicsJson(await readFile(o.value('topics-to-move-json-file')!, 'utf8')), o.value('broker-list')!, out);
        break;
      case 'execute':
        await execute(admin, parseReassignmentJson(await readFile(o.value('reassignment-json-file')!, 'utf8')), o.has('additional'), out);
        break;
      case 'verify':
        await verify(admin, parseReassignmentJson(await readFile(o.value('reassignment-json-file')!, 'utf8')), out);
        break;
      case 'cancel':
        await cancel(admin, parseReassignmentJson(await readFile(o.value('reassignment-json-file')!, 'utf8')), io);
        break;
      case 'list':
        await list(admin, out);
        break;
    }
    return 0;
  } catch (err) {
    if (err instanceof TerseError) io.stdout.write(`${err.message}\n`);
    else if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') io.stdout.write(`Error: ${(err as Error).message}\n`);
    else io.stdout.write(`Error: ${kafkaMessage(err)}\n${javaStyle(err)}\n`);
    return 1;
  } finally {
    await admin?.close();
  }
}

/** The current replica lists of `topics`' partitions; an unknown topic is an error. */
async function currentAssignment(admin: Admin, topics: readonly string[]): Promise<PartitionTarget[]> {
  const described = await admin.describeTopics([...new Set(topics)]);
  const out: PartitionTarget[] = [];
  for (const t of described) {
    if (t.error !== null) throw new TerseError(`Error: Topic ${t.name} not found.`);
    for (const p of t.partitions) out.push({ topic: t.name, partition: p.partition, replicas: [...p.replicas] });
  }
  return out.sort(byTopicPartition);
}

async function generate(admin: Admin, topics: string[], brokerList: string, out: (line: string) => void): Promise<void> {
  const brokers = brokerList.split(',').map((s) => s.trim());
  if (!brokers.every((b) => /^-?\d+$/.test(b))) throw new TerseError(`Error: --broker-list must be broker ids separated by commas, not "${brokerList}".`);
  const ids = brokers.map(Number);
  const dups = ids.filter((b, i) => ids.indexOf(b) !== i);
  if (dups.length > 0) throw new TerseError(`Broker list contains duplicate entries: ${[...new Set(dups)].join(',')}`);
  const live = new Set((await admin.describeCluster()).brokers.map((b) => b.nodeId));
  const unknown = ids.find((b) => !live.has(b));
  if (unknown !== undefined) throw new TerseError(`Error: Unknown broker id ${unknown}`);
  const current = await currentAssignment(admin, topics);
  const random = new SystemRandom();
  const proposed: PartitionTarget[] = [];
  for (const topic of [...new Set(topics)]) {
    const parts = current.filter((p) => p.topic === topic);
    const rf = parts[0]?.replicas.length ?? 1;
    if (rf > ids.length) throw new TerseError(`Error: Replication factor: ${rf} larger than available brokers: ${ids.length}.`);
    const assignment = assignReplicas(ids, parts.length, rf, random);
    parts.forEach((p, i) => proposed.push({ topic, partition: p.partition, replicas: assignment[i]! }));
  }
  out(`Current partition replica assignment\n${formatReassignmentJson(current)}\n`);
  out(`Proposed partition reassignment configuration\n${formatReassignmentJson(proposed)}`);
}

async function execute(admin: Admin, targets: PartitionTarget[], additional: boolean, out: (line: string) => void): Promise<void> {
  if (!additional && (await admin.listPartitionReassignments()).length > 0) throw new TerseError(CANNOT_EXECUTE_BECAUSE_OF_EXISTING);
  const live = new Set((await admin.describeCluster()).brokers.map((b) => b.nodeId));
  const unknown = targets.flatMap((t) => t.replicas).find((b) => !live.has(b));
  if (unknown !== undefined) throw new TerseError(`Error: Unknown broker id ${unknown}`);
  const current = (await currentAssignment(admin, targets.map((t) => t.topic))).filter((c) => targets.some((t) => t.topic === c.topic && t.partition === c.partition));
  out(`Current partition replica assignment\n\n${formatReassignmentJson(current)}\n\nSave this to use as the --reassignment-json-file option during rollback`);
  const results = await admin.alterPartitionReassignments(targets);
  const errors = results.filter((r) => r.error !== null).sort(byTopicPartition);
  if (errors.length > 0) throw new TerseError(`Error reassigning partition(s):\n${errors.map((e) => `${tpName(e)}: ${kafkaMessage(e.error)}`).join('\n')}`);
  const names = [...targets].sort(byTopicPartition).map(tpName);
  out(`Successfully started partition reassignment${names.length === 1 ? '' : 's'} for ${names.join(',')}`);
}

async function verify(admin: Admin, targets: PartitionTarget[], out: (line: string) => void): Promise<void> {
  const ongoing = new Set((await admin.listPartitionReassignments(targets)).map(tpName));
  const current = await currentAssignment(admin, targets.map((t) => t.topic));
  const lines = ['Status of partition reassignment:'];
  for (const t of [...targets].sort(byTopicPartition)) {
    if (ongoing.has(tpName(t))) {
      lines.push(`Reassignment of partition ${tpName(t)} is still in progress.`);
      continue;
    }
    const now = current.find((c) => c.topic === t.topic && c.partition === t.partition)?.replicas ?? [];
    if (now.join(',') === t.replicas.join(',')) lines.push(`Reassignment of partition ${tpName(t)} is completed.`);
    else lines.push(`There is no active reassignment of partition ${tpName(t)}, but replica set is ${now.join(',')} rather than ${t.replicas.join(',')}.`);
  }
  out(lines.join('\n'));
}

async function cancel(admin: Admin, targets: PartitionTarget[], io: ToolIO): Promise<void> {
  const active = (await admin.listPartitionReassignments(targets)).sort(byTopicPartition);
  if (active.length === 0) io.stdout.write('None of the specified partition reassignments are active.\n');
  else {
    const results = await admin.alterPartitionReassignments(active.map((a) => ({ topic: a.topic, partition: a.partition, replicas: null })));
    const errors = results.filter((r) => r.error !== null);
    if (errors.length > 0) {
      throw new TerseError(`Error cancelling partition reassignment${errors.length === 1 ? '' : 's'} for:\n${errors.map((e) => `${tpName(e)}: ${kafkaMessage(e.error)}`).join('\n')}`);
    }
    io.stdout.write(`Successfully cancelled partition reassignment${active.length === 1 ? '' : 's'} for: ${active.map(tpName).join(',')}\n`);
  }
  // Kafka's tool prints this last line without a newline (no log directory moves here).
  io.stdout.write('None of the specified partition moves are active.');
}

async function list(admin: Admin, out: (line: string) => void): Promise<void> {
  const ongoing = (await admin.listPartitionReassignments()).sort(byTopicPartition);
  if (ongoing.length === 0) {
    out('No partition reassignments found.');
    return;
  }
  const lines = ongoing.map((r) => `${tpName(r)}: replicas: ${r.replicas.join(',')}.${r.addingReplicas.length > 0 ? ` adding: ${r.addingReplicas.join(',')}.` : ''}${r.removingReplicas.length > 0 ? ` removing: ${r.removingReplicas.join(',')}.` : ''}`);
  out(`Current partition reassignments:\n${lines.join('\n')}`);
}
