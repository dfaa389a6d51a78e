/**
 * kafka-leader-election: elect partition leaders with Kafka's flags, messages and output
 * (LeaderElectionCommand):
 *
 *   --election-type PREFERRED|UNCLEAN (either case), and exactly one of
 *   --all-topic-partitions, --topic T --partition N, --path-to-json-file F
 *   ({"partitions": [{"topic": "t", "partition": 0}, …]}).
 * Output: "Successfully completed leader election (PREFERRED) for partitions t-0, t-1",
 * "Valid replica already elected for partitions t-2" (ELECTION_NOT_NEEDED), and per
 * failure "Error completing leader election (PREFERRED) for partition: t-3: <exception>";
 * with any failure it ends with "N replica(s) could not be elected" on stderr, exit 1.
 * Argument errors are printed on stderr with exit 1, as Kafka's tool does.
 */
import { readFile } from 'node:fs/promises';
import type { Admin, PartitionResult } from '../client/admin';
import { ErrorCode } from '../protocol';
import { connectAdmin } from './cli/connect';
import { OptionsError, parseOptions, usage, type OptionSpec, type ParsedOptions } from './cli/options';
import { javaStyle, type ToolIO } from './cli/tool-io';

const SPECS: OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', argName: 'host:port', description: 'A hostname and port for the broker to connect to, in the form host:port. Multiple comma separated URLs can be given. REQUIRED.' },
  { name: 'admin.config', arg: 'required', argName: 'config file', description: 'Configuration properties files to pass to the admin client' },
  { name: 'path-to-json-file', arg: 'required', argName: 'Path to JSON file', description: 'The JSON file with the list of partitions for which leader elections should be performed, as {"partitions": [{"topic": "foo", "partition": 1}]}. Not allowed if --all-topic-partitions or --topic flags are specified.' },
  { name: 'topic', arg: 'required', argName: 'topic name', description: 'Name of topic for which to perform an election. Not allowed if --path-to-json-file or --all-topic-partitions is specified.' },
  { name: 'partition', arg: 'required', argName: 'partition id', description: 'Partition id for which to perform an election. REQUIRED if --topic is specified.' },
  { name: 'all-topic-partitions', description: 'Perform election on all of the eligible topic partitions based on the type of election (see the --election-type flag). Not allowed if --topic or --path-to-json-file is specified.' },
  { name: 'election-type', arg: 'required', argName: 'election type', description: 'Type of election to attempt. Possible values are "preferred" for preferred leader election or "unclean" for unclean leader election. REQUIRED.' },
  { name: 'help', description: 'Print usage information.' },
  { name: 'version', description: 'Display Kafka version.' },
];

const DESCRIPTION = 'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.';

class ArgError extends Error {}

type Target = { topic: string; partition: number }[] | null;

function validate(o: ParsedOptions): void {
  const missing = ['bootstrap-server', 'election-type'].filter((n) => !o.has(n));
  if (missing.length > 0) throw new ArgError(`Missing required option(s): ${missing.join(', ')}`);
  const exclusive = ['topic', 'all-topic-partitions', 'path-to-json-file'];
  if (exclusive.filter((n) => o.has(n)).length !== 1) throw new ArgError(`One and only one of the following options is required: ${exclusive.join(', ')}`);
  if (o.has('topic') && !o.has('partition')) throw new ArgError('Missing required option(s): partition');
  if (!o.has('topic') && o.has('partition')) throw new ArgError('Option partition is only allowed if topic is used');
}

function electionType(o: ParsedOptions): 'preferred' | 'unclean' {
  const v = (o.value('election-type') ?? '').toLowerCase();
  if (v !== 'preferred' && v !== 'unclean') throw new ArgError(`Value for argument [election-type] must be one of [PREFERRED, UNCLEAN], was: ${o.value('election-type')}`);
  return v;
}

/** The partitions of a --path-to-json-file, refusing duplicates as Kafka does. */
export function parseElectionJson(text: string): { topic: string; partition: number }[] {
  let js: unknown;
  try {
    js = JSON.parse(text);
  } catch {
    throw new ArgError('Replica election data is empty');
  }
  const parts = (js as { partitions?: unknown } | null)?.partitions;
  if (!Array.isArray(parts)) throw new ArgError('Replica election data is missing "partitions" field');
  const out = parts.map((p: { topic?: unknown; partition?: unknown }) => {
    if (typeof p?.topic !== 'string' || !Number.isInteger(p.partition)) throw new ArgError('Each election entry needs a string "topic" and an integer "partition".');
    return { topic: p.topic, partition: p.partition as number };
  });
  const keys = out.map((p) => `${p.topic}-${p.partition}`);
  const dups = [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
  if (dups.length > 0) throw new ArgError(`Replica election data contains duplicate partitions: ${dups.join(',')}`);
  return out;
}

export async function main(argv: string[], io: ToolIO): Promise<number> {
  let o: ParsedOptions;
  let type: 'preferred' | 'unclean';
  let target: Target;
  try {
    o = parseOptions(argv, SPECS);
    if (o.has('help') || argv.length === 0) {
      io.stdout.write(`${DESCRIPTION}\n${usage(SPECS)}`);
      return argv.length === 0 ? 1 : 0;
    }
    if (o.has('version')) {
      io.stdout.write('3.7.0 (Stream Workbench)\n');
      return 0;
    }
    validate(o);
    type = electionType(o);
    if (o.has('all-topic-partitions')) target = null;
    else if (o.has('topic')) target = [{ topic: o.value('topic')!, partition: o.int('partition')! }];
    else target = parseElectionJson(await readFile(o.value('path-to-json-file')!, 'utf8'));
  } catch (err) {
    if (err instanceof OptionsError || err instanceof ArgError || (err as NodeJS.ErrnoException)?.code === 'ENOENT') {
      io.stderr.write(`${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
  let admin: Admin | null = null;
  try {
    admin = await connectAdmin(o.value('bootstrap-server')!);
    const results = await admin.electLeaders(type, target, { timeoutMs: 30_000 });
    return report(io, type.toUpperCase(), results);
  } catch (err) {
    io.stdout.write('Error while making request\n');
    io.stderr.write(`${javaStyle(err)}\n`);
    return 1;
  } finally {
    await admin?.close();
  }
}

function report(io: ToolIO, type: string, results: PartitionResult[]): number {
  const name = (r: PartitionResult) => `${r.topic}-${r.partition}`;
  const succeeded = results.filter((r) => r.error === null);
  const noop = results.filter((r) => r.error?.code === ErrorCode.ELECTION_NOT_NEEDED);
  const failed = results.filter((r) => r.error !== null && r.error.code !== ErrorCode.ELECTION_NOT_NEEDED);
  if (succeeded.length > 0) io.stdout.write(`Successfully completed leader election (${type}) for partitions ${succeeded.map(name).join(', ')}\n`);
  if (noop.length > 0) io.stdout.write(`Valid replica already elected for partitions ${noop.map(name).join(', ')}\n`);
  for (const f of failed) io.stdout.write(`Error completing leader election (${type}) for partition: ${name(f)}: ${javaStyle(f.error)}\n`);
  if (failed.length === 0) return 0;
  io.stderr.write(`${failed.length} replica(s) could not be elected\n`);
  return 1;
}
