/**
 * kafka-topics: create, list, describe, alter (partition count) and delete topics, with
 * Kafka 3.7's flags, messages and output format (TopicCommand):
 *
 *   --create   "Created topic NAME." (after a WARNING line when the name holds '.' or '_')
 *   --list     topic names, sorted, one per line (internal topics included unless
 *              --exclude-internal)
 *   --describe per topic: "Topic: T\tTopicId: ID\tPartitionCount: N\tReplicationFactor: R\tConfigs: k=v,…"
 *              then per partition "\tTopic: T\tPartition: P\tLeader: L\tReplicas: a,b\tIsr: a,b".
 *              Kafka 3.8 added "\tElr: …\tLastKnownElr: …" (KIP-966, DescribeTopicPartitions);
 *              3.7, whose protocol the workbench speaks, does not print them.
 *   --alter    raises the partition count (--partitions, optionally --replica-assignment)
 *   --delete   deletes matching topics
 * --topic is a regular expression (whole-name match, ',' means '|') except for --create.
 * Failures print "Error while executing topic command : MESSAGE" on stdout and exit 1;
 * usage errors print the message and the option table on stderr and exit 1.
 */
import type { Admin, TopicDescription } from '../client/admin';
import { ErrorCode } from '../protocol';
import { connectAdmin } from './cli/connect';
import { OptionsError, parseOptions, usage, type OptionSpec, type ParsedOptions } from './cli/options';
import { kafkaMessage, usageError, type ToolIO } from './cli/tool-io';

const SPECS: OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', argName: 'String: server to connect to', description: 'REQUIRED: The Kafka server to connect to.' },
  { name: 'command-config', arg: 'required', argName: 'String: command config property file', description: 'Property file containing configs to be passed to Admin Client.' },
  { name: 'list', description: 'List all available topics.' },
  { name: 'create', description: 'Create a new topic.' },
  { name: 'delete', description: 'Delete a topic' },
  { name: 'alter', description: 'Alter the number of partitions and replica assignment. (To alter topic configurations, the kafka-configs tool can be used.)' },
  { name: 'describe', description: 'List details for the given topics.' },
  { name: 'topic', arg: 'required', argName: 'String: topic', description: 'The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option.' },
  { name: 'topic-id', arg: 'required', argName: 'String: topic-id', description: 'The topic-id to describe.' },
  { name: 'config', arg: 'required', argName: 'String: name=value', description: 'A topic configuration override for the topic being created. It is supported only in combination with --create.' },
  { name: 'partitions', arg: 'required', argName: 'Integer: # of partitions', description: 'The number of partitions for the topic being created or altered. If not supplied with --create, the topic uses the cluster default.' },
  { name: 'replication-factor', arg: 'required', argName: 'Integer: replication factor', description: 'The replication factor for each partition in the topic being created. If not supplied, the topic uses the cluster default.' },
  { name: 'replica-assignment', arg: 'required', argName: 'String: broker_id_for_part1_replica1 : broker_id_for_part1_replica2, ...', description: 'A list of manual partition-to-broker assignments for the topic being created or altered.' },
  { name: 'under-replicated-partitions', description: 'If set when describing topics, only show under-replicated partitions.' },
  { name: 'unavailable-partitions', description: 'If set when describing topics, only show partitions whose leader is not available.' },
  { name: 'under-min-isr-partitions', description: 'If set when describing topics, only show partitions whose isr count is less than the configured minimum.' },
  { name: 'at-min-isr-partitions', description: 'If set when describing topics, only show partitions whose isr count is equal to the configured minimum.' },
  { name: 'topics-with-overrides', description: 'If set when describing topics, only show topics that have overridden configs.' },
  { name: 'if-exists', description: 'If set when altering or deleting or describing topics, the action will only execute if the topic exists.' },
  { name: 'if-not-exists', description: 'If set when creating topics, the action will only execute if the topic does not already exist.' },
  { name: 'exclude-internal', description: 'Exclude internal topics when running list or describe command. The internal topics will be listed by default.' },
  { name: 'help', description: 'Print usage information.' },
  { name: 'version', description: 'Display Kafka version.' },
];

const ACTIONS = ['create', 'list', 'alter', 'describe', 'delete'] as const;

class CommandError extends Error {}

/** Kafka's TopicCommand.parseReplicaAssignment: "1:2,2:3" → [[1,2],[2,3]]. */
export function parseReplicaAssignment(text: string): number[][] {
  const out: number[][] = [];
  const parts = text.split(',');
  for (let i = 0; i < parts.length; i++) {
    const ids = parts[i]!.split(':').map((s) => {
      const t = s.trim();
      if (!/^-?\d+$/.test(t)) throw new CommandError(`For input string: "${t}"`);
      return Number(t);
    });
    const dups = ids.filter((id, j) => ids.indexOf(id) !== j);
    if (dups.length > 0) throw new CommandError(`Partition replica lists may not contain duplicate entries: ${[...new Set(dups)].join(',')}`);
    if (out.length > 0 && ids.length !== out[0]!.length) throw new CommandError(`Partition ${i} has different replication factor: [${ids.join(', ')}]`);
    out.push(ids);
  }
  return out;
}

/** --config k=v pairs (TopicCommand.parseTopicConfigsToBeAdded). */
export function parseTopicConfigs(words: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words) {
    const kv = w.split(/\s*=\s*/);
    if (kv.length !== 2) throw new CommandError('requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".');
    out[kv[0]!.trim()] = kv[1]!.trim();
  }
  return out;
}

/** Kafka's IncludeList filter: the --topic regex matched against whole names. */
export function topicFilter(pattern: string | undefined): (topic: string) => boolean {
  if (pattern === undefined) return () => true;
  const regex = pattern.trim().replace(/,/g, '|').replace(/ /g, '').replace(/^["']+/, '').replace(/["']+$/, '');
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${regex})$`);
  } catch {
    throw new CommandError(`${regex} is an invalid regex.`);
  }
  return (t) => re.test(t);
}

function checkArgs(o: ParsedOptions): string | null {
  const actions = ACTIONS.filter((a) => o.has(a));
  if (actions.length !== 1) return 'Command must include exactly one action: --list, --describe, --create, --alter or --delete';
  if (!o.has('bootstrap-server')) return '--bootstrap-server must be specified';
  if (!o.has('list') && !o.has('describe') && !o.has('topic')) return 'Missing required argument "[topic]"';
  if (o.has('alter') && !o.has('partitions')) return 'Missing required argument "[partitions]"';
  if (o.has('alter') && o.has('config')) return 'Option "[alter]" can\'t be used with option "[config]" (To alter topic configurations, the kafka-configs tool can be used.)';
  const onlyWith = (opt: string, allowed: readonly string[]): string | null => {
    if (!o.has(opt)) return null;
    const bad = ACTIONS.filter((a) => o.has(a) && !allowed.includes(a));
    return bad.length > 0 ? `Option "[${opt}]" can't be used with option "[${bad[0]}]"` : null;
  };
  return (
    onlyWith('config', ['create']) ??
    onlyWith('partitions', ['alter', 'create']) ??
    onlyWith('replication-factor', ['create']) ??
    onlyWith('replica-assignment', ['alter', 'create']) ??
    onlyWith('if-exists', ['alter', 'delete', 'describe']) ??
    onlyWith('if-not-exists', ['create']) ??
    onlyWith('exclude-internal', ['list', 'describe']) ??
    (o.has('create') && o.has('replica-assignment') && o.has('partitions') ? 'Option "[replica-assignment]" can\'t be used with option "[partitions]"' : null) ??
    (o.has('create') && o.has('replica-assignment') && o.has('replication-factor') ? 'Option "[replica-assignment]" can\'t be used with option "[replication-factor]"' : null)
  );
}

export async function main(argv: string[], io: ToolIO): Promise<number> {
  let o: ParsedOptions;
  try {
    o = parseOptions(argv, SPECS);
  } catch (err) {
    if (err instanceof OptionsError) return usageError(io, SPECS, err.message);
    throw err;
  }
  if (argv.length === 0) return usageError(io, SPECS, 'Create, delete, describe, or change a topic.');
  if (o.has('help')) {
    io.stdout.write('This tool helps to create, delete, describe, or change a topic.\n' + usage(SPECS));
    return 0;
  }
  if (o.has('version')) {
    io.stdout.write('3.7.0 (Stream Workbench)\n');
    return 0;
  }
  const problem = checkArgs(o);
  if (problem !== null) return usageError(io, SPECS, problem);

  let admin: Admin | null = null;
  try {
    admin = await connectAdmin(o.value('bootstrap-server')!);
    if (o.has('create')) await createTopic(admin, o, io);
    else if (o.has('list')) await listTopics(admin, o, io);
    else if (o.has('describe')) await describeTopics(admin, o, io);
    else if (o.has('alter')) await alterTopic(admin, o);
    else if (o.has('delete')) await deleteTopics(admin, o);
    return 0;
  } catch (err) {
    io.stdout.write(`Error while executing topic command : ${kafkaMessage(err)}\n`);
    return 1;
  } finally {
    await admin?.close();
  }
}

function intOption(o: ParsedOptions, name: string): number | undefined {
  try {
    return o.int(name);
  } catch (err) {
    throw new CommandError((err as Error).message);
  }
}

async function createTopic(admin: Admin, o: ParsedOptions, io: ToolIO): Promise<void> {
  const name = o.value('topic')!;
  const partitions = intOption(o, 'partitions');
  const replicationFactor = intOption(o, 'replication-factor');
  const configs = parseTopicConfigs(o.values('config'));
  const assignmentText = o.value('replica-assignment');
  const assignment = assignmentText !== undefined && assignmentText !== '' ? parseReplicaAssignment(assignmentText) : undefined;
  if (/[._]/.test(name)) {
    io.stdout.write("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n");
  }
  if (replicationFactor !== undefined && (replicationFactor > 32767 || replicationFactor < 1)) {
    throw new CommandError('The replication factor must be between 1 and 32767 inclusive');
  }
  if (partitions !== undefined && partitions < 1) throw new CommandError('The partitions must be greater than 0');
  const [result] = await admin.createTopics([
    assignment !== undefined ? { name, replicaAssignment: assignment, configs } : { name, numPartitions: partitions ?? -1, replicationFactor: replicationFactor ?? -1, configs },
  ]);
  if (result!.error !== null) {
    if (result!.error.code === ErrorCode.TOPIC_ALREADY_EXISTS && o.has('if-not-exists')) return;
    throw result!.error;
  }
  io.stdout.write(`Created topic ${name}.\n`);
}

async function matchingTopics(admin: Admin, o: ParsedOptions): Promise<string[]> {
  const all = await admin.listTopics({ includeInternal: !o.has('exclude-internal') });
  const allowed = topicFilter(o.value('topic'));
  return all.filter(allowed);
}

function ensureTopicExists(found: readonly string[], o: ParsedOptions): void {
  const requested = o.value('topic');
  if (requested !== undefined && requested !== '' && !o.has('if-exists') && found.length === 0) {
    throw new CommandError(`Topic '${requested}' does not exist as expected`);
  }
}

async function listTopics(admin: Admin, o: ParsedOptions, io: ToolIO): Promise<void> {
  const topics = await matchingTopics(admin, o);
  io.stdout.write(`${topics.join('\n')}\n`);
}

export function formatTopicLine(t: TopicDescription, configs: readonly { name: string; value: string | null; isDefault: boolean }[]): string {
  const first = t.partitions[0];
  const configText = configs
    .filter((c) => !c.isDefault)
    .map((c) => `${c.name}=${c.value}`)
    .join(',');
  const id = t.topicId !== '00000000-0000-0000-0000-000000000000' ? `\tTopicId: ${uuidToKafkaBase64(t.topicId)}` : '';
  return `Topic: ${t.name}${id}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: ${first?.replicas.length ?? 0}\tConfigs: ${configText}\n`;
}

export function formatPartitionLine(topic: string, p: TopicDescription['partitions'][number]): string {
  return `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${p.leader >= 0 ? p.leader : 'none'}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}\n`;
}

/** Kafka prints topic ids as URL-safe base64 without padding (Uuid.toString). */
export function uuidToKafkaBase64(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}

async function describeTopics(admin: Admin, o: ParsedOptions, io: ToolIO): Promise<void> {
  const names = await matchingTopics(admin, o);
  ensureTopicExists(names, o);
  if (names.length === 0) return;
  const descriptions = await admin.describeTopics(names);
  for (const d of descriptions) if (d.error !== null) throw d.error;
  const configs = await admin.describeConfigs(names.map((name) => ({ type: 'topic' as const, name })));
  const cluster = await admin.describeCluster();
  const live = new Set(cluster.brokers.map((b) => b.nodeId));
  const reportUnder = o.has('under-replicated-partitions');
  const reportUnavailable = o.has('unavailable-partitions');
  const reportUnderMin = o.has('under-min-isr-partitions');
  const reportAtMin = o.has('at-min-isr-partitions');
  const describeConfigs = !reportUnder && !reportUnavailable && !reportUnderMin && !reportAtMin;
  const describePartitions = !o.has('topics-with-overrides');
  for (let i = 0; i < descriptions.length; i++) {
    const d = descriptions[i]!;
    const cfg = configs[i]!;
    if (cfg.error !== null) throw cfg.error;
    const partitions = [...d.partitions].sort((a, b) => a.partition - b.partition);
    if (describeConfigs && partitions.length > 0) {
      const hasNonDefault = cfg.entries.some((e) => !e.isDefault);
      if (!o.has('topics-with-overrides') || hasNonDefault) io.stdout.write(formatTopicLine({ ...d, partitions }, cfg.entries));
    }
    if (!describePartitions) continue;
    const minIsr = Number(cfg.entries.find((e) => e.name === 'min.insync.replicas')?.value ?? '1');
    for (const p of partitions) {
      const hasLeader = p.leader >= 0;
      const show =
        describeConfigs ||
        (reportUnder && p.replicas.length - p.isr.length > 0) ||
        (reportUnavailable && (!hasLeader || !live.has(p.leader))) ||
        (reportUnderMin && (!hasLeader || p.isr.length < minIsr)) ||
        (reportAtMin && p.isr.length === minIsr);
      if (show) io.stdout.write(formatPartitionLine(d.name, p));
    }
  }
}

async function alterTopic(admin: Admin, o: ParsedOptions): Promise<void> {
  const topics = await matchingTopics(admin, o);
  ensureTopicExists(topics, o);
  if (topics.length === 0) return;
  const count = intOption(o, 'partitions')!;
  const assignmentText = o.value('replica-assignment');
  const assignment = assignmentText !== undefined && assignmentText !== '' ? parseReplicaAssignment(assignmentText) : undefined;
  const described = await admin.describeTopics(topics);
  const results = await admin.createPartitions(
    described.map((d) => ({ topic: d.name, count, assignments: assignment === undefined ? undefined : assignment.slice(d.partitions.length) })),
  );
  for (const r of results) if (r.error !== null) throw r.error;
}

async function deleteTopics(admin: Admin, o: ParsedOptions): Promise<void> {
  const topics = await matchingTopics(admin, o);
  ensureTopicExists(topics, o);
  if (topics.length === 0) return;
  const results = await admin.deleteTopics(topics);
  for (const r of results) if (r.error !== null) throw r.error;
}

