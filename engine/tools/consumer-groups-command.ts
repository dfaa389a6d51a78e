/**
 * kafka-consumer-groups: list, describe, delete consumer groups and reset their offsets,
 * with the flags, messages and table formats of Kafka 3.x's ConsumerGroupCommand:
 *
 *   --list                 group ids, one per line (--state adds a GROUP/STATE table)
 *   --describe --group g   (default --offsets) a blank line, then
 *                          GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
 *                          columns padded as Kafka pads them ("%-Ns", GROUP/TOPIC/CONSUMER-ID/HOST
 *                          at least 15 wide, PARTITION 10, offsets 15); "-" where a value is
 *                          unknown; --members and --state print Kafka's other two tables.
 *                          A group without members is announced on stderr ("Consumer group 'g'
 *                          has no active members."), an unknown one with "Error: Consumer group
 *                          'g' does not exist."
 *   --reset-offsets        --to-earliest | --to-latest | --to-offset N | --shift-by N |
 *                          --to-datetime YYYY-MM-DDTHH:mm:SS.sss | --by-duration PnDTnHnMnS |
 *                          --to-current, over --topic t[:p,…] or --all-topics; prints
 *                          GROUP TOPIC PARTITION NEW-OFFSET; commits only with --execute
 *                          (dry run otherwise, with Kafka's warning when neither is given).
 *                          Offsets are clamped to the log's [start, end] as Kafka does. The
 *                          group must be inactive (Empty or Dead).
 *   --delete --group g     "Deletion of requested consumer groups ('g') was successful."
 *   --delete-offsets --group g --topic t[:p,…]
 *                          OffsetDelete for one group: "Request succeed for deleting offsets with
 *                          topic t group g" (or Kafka's "Error: …" line for the group-level
 *                          or first partition-level error), then a TOPIC PARTITION STATUS table
 *                          ("%n%-30s %-15s %-15s" rows, sorted by topic and partition text),
 *                          STATUS "Successful" or "Error: <message>"; an unknown topic's row
 *                          says "Not Provided" for its partition.
 */
import type { Admin, GroupDescription } from '../client/admin';
import { KafkaProtocolError } from '../client/errors';
import { ErrorCode } from '../protocol';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, tpKey, type TopicPartition } from '../client/offsets';
import { connectAdmin } from './cli/connect';
import { OptionsError, parseOptions, usage, type OptionSpec, type ParsedOptions } from './cli/options';
import { javaStyle, kafkaMessage, usageError, type ToolIO } from './cli/tool-io';

const SPECS: OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', argName: 'String: server to connect to', description: 'REQUIRED: The server(s) to connect to.' },
  { name: 'command-config', arg: 'required', argName: 'String: command config property file', description: 'Property file containing configs to be passed to Admin Client and Consumer.' },
  { name: 'group', arg: 'required', argName: 'String: consumer group', description: 'The consumer group we wish to act on.' },
  { name: 'topic', arg: 'required', argName: 'String: topic', description: 'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process.' },
  { name: 'all-topics', description: 'Consider all topics assigned to a group in the `reset-offsets` process.' },
  { name: 'all-groups', description: 'Apply to all consumer groups.' },
  { name: 'list', description: 'List all consumer groups.' },
  { name: 'describe', description: 'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.' },
  { name: 'delete', description: 'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group.' },
  { name: 'reset-offsets', description: 'Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive.' },
  { name: 'delete-offsets', description: 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.' },
  { name: 'timeout', arg: 'required', argName: 'Long: timeout (ms)', description: 'The timeout that can be set for some use cases.', defaultValue: '5000' },
  { name: 'dry-run', description: 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.' },
  { name: 'execute', description: 'Execute operation. Supported operations: reset-offsets.' },
  { name: 'export', description: 'Export operation execution to a CSV file. Supported operations: reset-offsets.' },
  { name: 'to-offset', arg: 'required', argName: 'Long: offset', description: 'Reset offsets to a specific offset.' },
  { name: 'from-file', arg: 'required', argName: 'String: path to CSV file', description: 'Reset offsets to values defined in CSV file.' },
  { name: 'to-datetime', arg: 'required', argName: "String: datetime", description: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'" },
  { name: 'by-duration', arg: 'required', argName: 'String: duration', description: "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'" },
  { name: 'to-earliest', description: 'Reset offsets to earliest offset.' },
  { name: 'to-latest', description: 'Reset offsets to latest offset.' },
  { name: 'to-current', description: 'Reset offsets to current offset.' },
  { name: 'shift-by', arg: 'required', argName: 'Long: number-of-offsets', description: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative." },
  { name: 'members', description: 'Describe members of the group. This option may be used with \'--describe\' and \'--bootstrap-server\' options only.' },
  { name: 'verbose', description: 'Provide additional information, if any, when describing the group.' },
  { name: 'offsets', description: "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only." },
  { name: 'state', arg: 'optional', argName: 'String', description: "When specified with '--describe', includes the state of the group. When specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states." },
  { name: 'help', description: 'Print usage information.' },
  { name: 'version', description: 'Display Kafka version.' },
];

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets'];
const SCENARIOS = ['to-offset', 'to-datetime', 'by-duration', 'to-earliest', 'to-latest', 'shift-by', 'from-file', 'to-current'];

class ArgError extends Error {}

/** Java's String.format("%-Ns", s). */
const pad = (s: string, n: number): string => s.padEnd(n);

export interface OffsetRow {
  group: string;
  topic: string | null;
  partition: number | null;
  offset: number | null;
  logEndOffset: number | null;
  consumerId: string;
  host: string;
  clientId: string;
}

/** The --describe --offsets table, exactly as ConsumerGroupCommand.printOffsets lays it out. */
export function formatOffsetsTable(rows: readonly OffsetRow[]): string {
  const dash = (v: string | number | null): string => (v === null ? '-' : String(v));
  let g = 15;
  let t = 15;
  let c = 15;
  let h = 15;
  for (const r of rows) {
    g = Math.max(g, r.group.length);
    t = Math.max(t, dash(r.topic).length);
    c = Math.max(c, r.consumerId.length);
    h = Math.max(h, r.host.length);
  }
  const line = (cols: string[]): string =>
    `\n${pad(cols[0]!, g)} ${pad(cols[1]!, t)} ${pad(cols[2]!, 10)} ${pad(cols[3]!, 15)} ${pad(cols[4]!, 15)} ${pad(cols[5]!, 15)} ${pad(cols[6]!, c)} ${pad(cols[7]!, h)} ${cols[8]}`;
  let out = line(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
  for (const r of rows) {
    const lag = r.offset !== null && r.offset !== -1 && r.logEndOffset !== null ? r.logEndOffset - r.offset : null;
    out += line([r.group, dash(r.topic), dash(r.partition), dash(r.offset), dash(r.logEndOffset), dash(lag), r.consumerId, r.host, r.clientId]);
  }
  return `${out}\n`;
}

/** The reset-offsets result table (GroupOffsetsResetter.printOffsetsToReset). */
export function formatResetTable(plan: ReadonlyMap<string, readonly (TopicPartition & { offset: number })[]>): string {
  let g = 15;
  let t = 15;
  for (const [group, list] of plan) {
    g = Math.max(g, group.length);
    for (const x of list) t = Math.max(t, x.topic.length);
  }
  const line = (a: string, b: string, c: string, d: string): string => `\n${pad(a, g)} ${pad(b, t)} ${pad(c, 10)} ${d}`;
  let out = plan.size > 0 ? line('GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET') : '';
  for (const [group, list] of plan) for (const x of list) out += line(group, x.topic, String(x.partition), String(x.offset));
  return `${out}\n`;
}

/** Kafka's ISO-8601 duration for --by-duration: PnDTnHnMnS (also PTnHnM, PnD, fractional seconds). */
export function parseDurationMs(text: string): number {
  const m = /^([-+]?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim())) throw new ArgError(`Error parsing duration "${text}": use the format PnDTnHnMnS, e.g. PT1H or P1DT2H30M.`);
  const ms = (Number(m[2] ?? 0) * 86400 + Number(m[3] ?? 0) * 3600 + Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0)) * 1000;
  return m[1] === '-' ? -ms : ms;
}

/** --to-datetime: 'YYYY-MM-DDTHH:mm:SS.sss' in local time, or with a Z / ±HH:mm offset. */
export function parseDateTimeMs(text: string): number {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})?$/.test(t)) {
    throw new ArgError(`Error parsing timestamp. It does not match the expected format YYYY-MM-DDTHH:mm:SS.sss: ${text}`);
  }
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new ArgError(`Error parsing timestamp ${text}`);
  return ms;
}

function checkArgs(o: ParsedOptions): string | null {
  const actions = ACTIONS.filter((a) => o.has(a));
  if (actions.length !== 1) return `Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`;
  if (!o.has('bootstrap-server')) return 'Missing required argument "[bootstrap-server]"';
  if ((o.has('describe') || o.has('delete') || o.has('reset-offsets')) && !o.has('group') && !o.has('all-groups')) {
    return `Option [${actions[0]}] takes one of these options: [all-groups], [group]`;
  }
  if (o.has('reset-offsets')) {
    const scenarios = SCENARIOS.filter((s) => o.has(s));
    if (scenarios.length === 0) return `Option [reset-offsets] takes one of these options: ${SCENARIOS.map((s) => `[${s}]`).join(', ')}`;
    if (scenarios.length > 1) return `Option "[${scenarios[0]}]" can't be used with option "[${scenarios[1]}]"`;
    if (o.has('dry-run') && o.has('execute')) return 'Option "[dry-run]" can\'t be used with option "[execute]"';
    if (!o.has('topic') && !o.has('all-topics') && !o.has('from-file')) return 'One of the reset scopes should be defined: --all-topics, --topic.';
    if (o.has('from-file')) return 'Option [from-file] is not supported by Stream Workbench; use --to-offset, --shift-by or another scenario.';
  }
  if (o.has('delete-offsets')) {
    if (!o.has('group')) return 'Option [delete-offsets] takes the following options: [group], [topic]';
    if (o.values('group').length > 1) return 'Option [delete-offsets] supports only one [group] at a time, but found: ' + o.values('group').join(', ');
    if (!o.has('topic')) return 'Option [delete-offsets] takes the following options: [group], [topic]';
  }
  return null;
}

export async function main(argv: string[], io: ToolIO): Promise<number> {
  let o: ParsedOptions;
  try {
    o = parseOptions(argv, SPECS);
  } catch (err) {
    if (err instanceof OptionsError) return usageError(io, SPECS, err.message);
    throw err;
  }
  if (o.has('help')) {
    io.stdout.write('This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.\n' + usage(SPECS));
    return 0;
  }
  if (o.has('version')) {
    io.stdout.write('3.7.0 (Stream Workbench)\n');
    return 0;
  }
  if (argv.length === 0) return usageError(io, SPECS, 'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.');
  const problem = checkArgs(o);
  if (problem !== null) return usageError(io, SPECS, problem);
  if (o.has('reset-offsets') && !o.has('dry-run') && !o.has('execute')) {
    io.stdout.write(
      'WARN: No action will be performed as the --execute option is missing. In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n',
    );
  }
  let admin: Admin | null = null;
  try {
    admin = await connectAdmin(o.value('bootstrap-server')!, 'stream-workbench-consumer-groups');
    const groups = o.has('all-groups') ? (await consumerGroups(admin)).map((g) => g.groupId) : o.values('group');
    if (o.has('list')) await list(admin, o, io);
    else if (o.has('describe')) await describe(admin, o, groups, io);
    else if (o.has('delete')) return await deleteGroups(admin, groups, io);
    else if (o.has('reset-offsets')) await resetOffsets(admin, o, groups, io);
    else if (o.has('delete-offsets')) return await deleteOffsets(admin, o, groups[0]!, io);
    return 0;
  } catch (err) {
    if (err instanceof ArgError) return usageError(io, SPECS, err.message);
    io.stdout.write(`\nError: Executing consumer group command failed due to ${kafkaMessage(err)}\n`);
    return 1;
  } finally {
    await admin?.close();
  }
}

async function consumerGroups(admin: Admin) {
  return (await admin.listGroups()).filter((g) => g.protocolType === 'consumer' || g.protocolType === '');
}

async function list(admin: Admin, o: ParsedOptions, io: ToolIO): Promise<void> {
  const groups = await consumerGroups(admin);
  if (!o.has('state')) {
    for (const g of groups) io.stdout.write(`${g.groupId}\n`);
    return;
  }
  const filter = (o.value('state') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  let states = groups.map((g) => ({ id: g.groupId, state: g.state }));
  if (states.some((s) => s.state === null)) {
    const described = await admin.describeGroups(states.map((s) => s.id));
    states = described.map((d) => ({ id: d.groupId, state: d.state }));
  }
  const shown = states.filter((s) => filter.length === 0 || filter.includes((s.state ?? '').toLowerCase()));
  const width = Math.max(15, ...shown.map((s) => s.id.length)) + 10;
  io.stdout.write(`${pad('GROUP', width)} ${pad('STATE', 20)}\n`);
  for (const s of shown) io.stdout.write(`${pad(s.id, width)} ${pad(s.state ?? 'Unknown', 20)}\n`);
}

/** Returns false (after printing why) when the group's table should not be printed. */
function announceState(d: GroupDescription, rows: number, io: ToolIO): boolean {
  if (d.state === 'Dead') {
    io.stdout.write(`\nError: Consumer group '${d.groupId}' does not exist.\n`);
    return false;
  }
  if (d.state === 'Empty') io.stderr.write(`\nConsumer group '${d.groupId}' has no active members.\n`);
  else if (d.state === 'PreparingRebalance' || d.state === 'CompletingRebalance') io.stderr.write(`\nWarning: Consumer group '${d.groupId}' is rebalancing.\n`);
  return rows > 0;
}

async function describe(admin: Admin, o: ParsedOptions, groupIds: readonly string[], io: ToolIO): Promise<void> {
  const descriptions = (await admin.describeGroups(groupIds)).sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
  for (const d of descriptions) {
    if (d.error !== null) throw d.error;
    if (o.has('members')) describeMembers(d, o.has('verbose'), io);
    else if (o.has('state') && !o.has('offsets')) describeState(d, io);
    else await describeOffsets(admin, d, io);
  }
}

async function describeOffsets(admin: Admin, d: GroupDescription, io: ToolIO): Promise<void> {
  const committed = d.state === 'Dead' ? [] : await admin.fetchOffsets(d.groupId, null);
  const committedBy = new Map(committed.filter((c) => c.offset >= 0).map((c) => [tpKey(c.topic, c.partition), c.offset]));
  const rows: OffsetRow[] = [];
  const assigned = new Set<string>();
  const members = [...d.members].filter((m) => m.assignment.length > 0).sort((a, b) => b.assignment.length - a.assignment.length);
  const allTps: TopicPartition[] = [];
  for (const m of members) for (const tp of m.assignment) allTps.push(tp);
  for (const c of committed) if (c.offset >= 0 && !members.some((m) => m.assignment.some((tp) => tp.topic === c.topic && tp.partition === c.partition))) allTps.push(c);
  const ends = allTps.length === 0 ? new Map() : await admin.listOffsets(allTps.map((tp) => ({ topic: tp.topic, partition: tp.partition, timestamp: LATEST_TIMESTAMP }))).catch(() => new Map());
  const row = (tp: TopicPartition, consumerId: string, host: string, clientId: string): OffsetRow => ({
    group: d.groupId,
    topic: tp.topic,
    partition: tp.partition,
    offset: committedBy.get(tpKey(tp.topic, tp.partition)) ?? null,
    logEndOffset: ends.get(tpKey(tp.topic, tp.partition))?.offset ?? null,
    consumerId,
    host,
    clientId,
  });
  const byTopicPartition = (a: OffsetRow, b: OffsetRow): number => (a.topic! < b.topic! ? -1 : a.topic! > b.topic! ? 1 : a.partition! - b.partition!);
  for (const m of members) {
    const list = m.assignment.map((tp) => row(tp, m.memberId, m.clientHost, m.clientId)).sort(byTopicPartition);
    for (const tp of m.assignment) assigned.add(tpKey(tp.topic, tp.partition));
    rows.push(...list);
  }
  const unassigned = committed.filter((c) => c.offset >= 0 && !assigned.has(tpKey(c.topic, c.partition)));
  rows.push(...unassigned.map((c) => row(c, '-', '-', '-')).sort(byTopicPartition));
  if (announceState(d, rows.length, io)) io.stdout.write(formatOffsetsTable(rows));
}

function describeMembers(d: GroupDescription, verbose: boolean, io: ToolIO): void {
  if (!announceState(d, d.members.length, io)) return;
  let g = 15;
  let c = 15;
  let gi = 17;
  let h = 15;
  let cl = 15;
  let withInstance = false;
  const assignmentText = (tps: readonly TopicPartition[]): string => {
    if (tps.length === 0) return '-';
    const byTopic = new Map<string, number[]>();
    for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    return [...byTopic].map(([t, ps]) => `${t}:${ps.sort((a, b) => a - b).join(',')}`).sort().join(';');
  };
  let ca = 20;
  for (const m of d.members) {
    g = Math.max(g, d.groupId.length);
    c = Math.max(c, m.memberId.length);
    gi = Math.max(gi, (m.groupInstanceId ?? '').length);
    h = Math.max(h, m.clientHost.length);
    cl = Math.max(cl, m.clientId.length);
    ca = Math.max(ca, assignmentText(m.assignment).length);
    withInstance ||= (m.groupInstanceId ?? '') !== '';
  }
  const head = (cols: string[]): string =>
    withInstance ? `${pad(cols[0]!, g)} ${pad(cols[1]!, c)} ${pad(cols[2]!, gi)} ${pad(cols[3]!, h)} ${pad(cols[4]!, cl)} ${pad(cols[5]!, 15)} ` : `${pad(cols[0]!, g)} ${pad(cols[1]!, c)} ${pad(cols[3]!, h)} ${pad(cols[4]!, cl)} ${pad(cols[5]!, 15)} `;
  let out = `\n${head(['GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS'])}`;
  if (verbose) out += `${pad('CURRENT-EPOCH', 15)} ${pad('CURRENT-ASSIGNMENT', ca)} ${pad('TARGET-EPOCH', 15)} ${pad('TARGET-ASSIGNMENT', 20)}`;
  out += '\n';
  for (const m of d.members) {
    out += head([d.groupId, m.memberId, m.groupInstanceId ?? '', m.clientHost, m.clientId, String(m.assignment.length)]);
    if (verbose) out += `${pad('-', 15)} ${pad(assignmentText(m.assignment), ca)} ${pad('-', 15)} ${pad('-', 20)}`;
    out += '\n';
  }
  io.stdout.write(out);
}

function describeState(d: GroupDescription, io: ToolIO): void {
  if (!announceState(d, 1, io)) return;
  const coordinator = d.coordinator === null ? '-' : `${d.coordinator.host}:${d.coordinator.port}  (${d.coordinator.nodeId})`;
  const cw = Math.max(25, coordinator.length);
  const gw = Math.max(15, d.groupId.length);
  const line = (a: string, b: string, c: string, s: string, n: string): string => `\n${pad(a, gw)} ${pad(b, cw)} ${pad(c, 20)} ${pad(s, 20)} ${n}`;
  io.stdout.write(line('GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS') + line(d.groupId, coordinator, d.protocol === '' ? '-' : d.protocol, d.state, String(d.members.length)) + '\n');
}

async function deleteGroups(admin: Admin, groupIds: readonly string[], io: ToolIO): Promise<number> {
  const results = await admin.deleteGroups(groupIds);
  const ok = results.filter((r) => r.error === null).map((r) => r.groupId);
  const failed = results.filter((r) => r.error !== null);
  const quoted = (ids: readonly string[]): string => ids.map((g) => `'${g}'`).join(', ');
  if (failed.length === 0) {
    io.stdout.write(`Deletion of requested consumer groups (${quoted(ok)}) was successful.\n`);
    return 0;
  }
  io.stdout.write('\nError: Deletion of some consumer groups failed:\n');
  for (const f of failed) io.stdout.write(`* Group '${f.groupId}' could not be deleted due to: ${javaStyle(f.error)}\n`);
  if (ok.length > 0) io.stdout.write(`\nThese consumer groups were deleted successfully: ${quoted(ok)}\n`);
  return 1;
}

async function deleteOffsets(admin: Admin, o: ParsedOptions, groupId: string, io: ToolIO): Promise<number> {
  const topicArgs = o.values('topic');
  const asked: TopicPartition[] = [];
  const whole: string[] = [];
  for (const arg of topicArgs) {
    if (arg.includes(':')) asked.push(...parseTopicPartitions(arg));
    else whole.push(arg);
  }
  // Whole topics: every partition the cluster has; an unknown one is reported without a partition.
  const rows: { topic: string; partition: string; error: unknown }[] = [];
  if (whole.length > 0) {
    for (const d of await admin.describeTopics(whole)) {
      if (d.error !== null) rows.push({ topic: d.name, partition: 'Not Provided', error: d.error });
      else for (const p of d.partitions) asked.push({ topic: d.name, partition: p.partition });
    }
  }
  const result = asked.length > 0 ? await admin.deleteOffsets(groupId, asked) : { error: null, partitions: [] };
  for (const p of result.partitions) rows.push({ topic: p.topic, partition: String(p.partition), error: p.error });
  const firstError = result.error ?? rows.find((r) => r.error !== null)?.error ?? null;
  const code = firstError instanceof KafkaProtocolError ? firstError.code : null;
  if (firstError === null) io.stdout.write(`Request succeed for deleting offsets with topic ${topicArgs.join(', ')} group ${groupId}\n`);
  else if (code === ErrorCode.INVALID_GROUP_ID) io.stdout.write(`\nError: '${groupId}' is not valid.\n`);
  else if (code === ErrorCode.GROUP_ID_NOT_FOUND) io.stdout.write(`\nError: '${groupId}' does not exist.\n`);
  else if (code === ErrorCode.GROUP_AUTHORIZATION_FAILED) io.stdout.write(`\nError: Access to '${groupId}' is not authorized.\n`);
  else if (code === ErrorCode.NON_EMPTY_GROUP) io.stdout.write(`\nError: Deleting offsets of a consumer group '${groupId}' is forbidden if the group is not empty.\n`);
  else if (code === ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC || code === ErrorCode.TOPIC_AUTHORIZATION_FAILED || code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
    io.stdout.write('\nError: Encounter some partition level error, see the follow-up details:\n');
  } else io.stdout.write(`\nError: Encounter some unknown error: ${kafkaMessage(firstError)}\n`);
  const row = (a: string, b: string, c: string): string => `\n${pad(a, 30)} ${pad(b, 15)} ${pad(c, 15)}\n`;
  io.stdout.write(row('TOPIC', 'PARTITION', 'STATUS'));
  const sorted = [...rows].sort((a, b) => (a.topic + a.partition < b.topic + b.partition ? -1 : a.topic + a.partition > b.topic + b.partition ? 1 : 0));
  for (const r of sorted) io.stdout.write(row(r.topic, r.partition, r.error === null ? 'Successful' : `Error: ${kafkaMessage(r.error)}`));
  // Kafka's tool reports these on stdout and still exits 0.
  return 0;
}

/** "topic:0,1,2" as Kafka's tool reads it. */
function parseTopicPartitions(arg: string): TopicPartition[] {
  const parts = arg.split(':');
  if (parts.length !== 2) throw new ArgError(`Invalid topic arg '${arg}', expected topic name and partitions`);
  return parts[1]!.split(',').map((p) => {
    if (!/^\d+$/.test(p.trim())) throw new ArgError(`Invalid partition '${p}' specified in topic arg '${arg}''`);
    return { topic: parts[0]!, partition: Number(p.trim()) };
  });
}

async function partitionsToReset(admin: Admin, o: ParsedOptions, groupId: string): Promise<TopicPartition[]> {
  if (o.has('all-topics')) return (await admin.fetchOffsets(groupId, null)).filter((c) => c.offset >= 0).map((c) => ({ topic: c.topic, partition: c.partition }));
  const out: TopicPartition[] = [];
  const whole: string[] = [];
  for (const arg of o.values('topic')) {
    if (!arg.includes(':')) {
      whole.push(arg);
      continue;
    }
    out.push(...parseTopicPartitions(arg));
  }
  if (whole.length > 0) {
    for (const d of await admin.describeTopics(whole)) {
      if (d.error !== null) throw d.error;
      for (const p of d.partitions) out.push({ topic: d.name, partition: p.partition });
    }
  }
  return out;
}

async function resetOffsets(admin: Admin, o: ParsedOptions, groupIds: readonly string[], io: ToolIO): Promise<void> {
  const plan = new Map<string, (TopicPartition & { offset: number })[]>();
  const dryRun = o.has('dry-run') || !o.has('execute');
  for (const d of await admin.describeGroups(groupIds)) {
    if (d.state !== 'Empty' && d.state !== 'Dead') {
      io.stdout.write(`\nError: Assignments can only be reset if the group '${d.groupId}' is inactive, but the current state is ${d.state}.\n`);
      plan.set(d.groupId, []);
      continue;
    }
    const tps = await partitionsToReset(admin, o, d.groupId);
    const offsets = await prepareOffsets(admin, o, d.groupId, tps, io);
    if (!dryRun) await admin.commitOffsets(d.groupId, offsets);
    plan.set(d.groupId, offsets);
  }
  io.stdout.write(formatResetTable(plan));
}

async function prepareOffsets(admin: Admin, o: ParsedOptions, groupId: string, tps: readonly TopicPartition[], io: ToolIO): Promise<(TopicPartition & { offset: number })[]> {
  const listAt = async (timestamp: number) => admin.listOffsets(tps.map((tp) => ({ ...tp, timestamp })));
  const sorted = (list: (TopicPartition & { offset: number })[]) => list.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  const clamp = async (requested: Map<string, number>): Promise<(TopicPartition & { offset: number })[]> => {
    const [starts, ends] = await Promise.all([listAt(EARLIEST_TIMESTAMP), listAt(LATEST_TIMESTAMP)]);
    return sorted(
      tps.map((tp) => {
        const k = tpKey(tp.topic, tp.partition);
        const want = requested.get(k)!;
        const end = ends.get(k)?.offset;
        const start = starts.get(k)?.offset;
        if (end !== undefined && want > end) {
          io.stderr.write(`WARN New offset (${want}) is higher than latest offset for topic partition ${tp.topic}-${tp.partition}. Value will be set to ${end}\n`);
          return { ...tp, offset: end };
        }
        if (start !== undefined && want < start) {
          io.stderr.write(`WARN New offset (${want}) is lower than earliest offset for topic partition ${tp.topic}-${tp.partition}. Value will be set to ${start}\n`);
          return { ...tp, offset: start };
        }
        return { ...tp, offset: want };
      }),
    );
  };
  const committed = async (): Promise<Map<string, number>> => new Map((await admin.fetchOffsets(groupId, tps)).filter((c) => c.offset >= 0).map((c) => [tpKey(c.topic, c.partition), c.offset]));
  const fromListing = async (timestamp: number): Promise<(TopicPartition & { offset: number })[]> => {
    const listed = await listAt(timestamp);
    const missing = tps.filter((tp) => (listed.get(tpKey(tp.topic, tp.partition))?.offset ?? -1) < 0);
    const latest = missing.length > 0 ? await admin.listOffsets(missing.map((tp) => ({ ...tp, timestamp: LATEST_TIMESTAMP }))) : new Map();
    return sorted(tps.map((tp) => ({ ...tp, offset: listed.get(tpKey(tp.topic, tp.partition))?.offset ?? -1 })).map((x) => (x.offset >= 0 ? x : { ...x, offset: latest.get(tpKey(x.topic, x.partition))?.offset ?? 0 })));
  };
  if (o.has('to-offset')) {
    const n = o.int('to-offset')!;
    return clamp(new Map(tps.map((tp) => [tpKey(tp.topic, tp.partition), n])));
  }
  if (o.has('to-earliest')) return sorted([...(await listAt(EARLIEST_TIMESTAMP)).values()].map((x) => ({ topic: x.topic, partition: x.partition, offset: x.offset })));
  if (o.has('to-latest')) return sorted([...(await listAt(LATEST_TIMESTAMP)).values()].map((x) => ({ topic: x.topic, partition: x.partition, offset: x.offset })));
  if (o.has('shift-by')) {
    const n = o.int('shift-by')!;
    const current = await committed();
    const ends = current.size < tps.length ? await listAt(LATEST_TIMESTAMP) : new Map();
    return clamp(new Map(tps.map((tp) => {
      const k = tpKey(tp.topic, tp.partition);
      return [k, (current.get(k) ?? ends.get(k)?.offset ?? 0) + n];
    })));
  }
  if (o.has('to-current')) {
    const current = await committed();
    const ends = await listAt(LATEST_TIMESTAMP);
    return sorted(tps.map((tp) => ({ ...tp, offset: current.get(tpKey(tp.topic, tp.partition)) ?? ends.get(tpKey(tp.topic, tp.partition))?.offset ?? 0 })));
  }
  if (o.has('to-datetime')) return fromListing(parseDateTimeMs(o.value('to-datetime')!));
  if (o.has('by-duration')) return fromListing(Date.now() - parseDurationMs(o.value('by-duration')!));
  throw new ArgError(`Option '[reset-offsets]' requires one of the following scenarios: ${SCENARIOS.map((s) => `[${s}]`).join(', ')}`);
}
