/**
 * kafka-log-dirs: what each broker's log directories hold, with Kafka's flags and output
 * (LogDirsCommand):
 *
 *   --describe --bootstrap-server H:P [--topic-list a,b] [--broker-list 1,2]
 * Output: "Querying brokers for log directories information", then "Received log
 * directory information from brokers 1,2,3", then one line of JSON:
 *   {"brokers":[{"broker":1,"logDirs":[{"partitions":[{"partition":"t-0","size":N,
 *    "offsetLag":N,"isFuture":false}],"error":null,"logDir":"/…"}]}],"version":1}
 * A --broker-list naming brokers the cluster does not have is refused on stderr (exit 1),
 * listing the ones it has; so are missing required options and a broker id that is not
 * a number. Brokers are listed in ascending id order, partitions by topic then number.
 */
import { ErrorCode } from '../protocol';
import type { Admin, BrokerLogDirs } from '../client/admin';
import { connectAdmin } from './cli/connect';
import { OptionsError, parseOptions, usage, type OptionSpec, type ParsedOptions } from './cli/options';
import { javaStyle, type ToolIO } from './cli/tool-io';

const SPECS: OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', argName: 'The server(s) to use for bootstrapping', description: 'REQUIRED: the server(s) to use for bootstrapping' },
  { name: 'command-config', arg: 'required', argName: 'Admin client property file', description: 'Property file containing configs to be passed to Admin Client.' },
  { name: 'describe', description: 'Describe the specified log directories on the specified brokers.' },
  { name: 'topic-list', arg: 'required', argName: 'Topic list', description: 'The list of topics to be queried in the form "topic1,topic2,topic3". All topics will be queried if no topic list is specified' },
  { name: 'broker-list', arg: 'required', argName: 'Broker list', description: 'The list of brokers to be queried in the form "0,1,2". All brokers in the cluster will be queried if no broker list is specified' },
  { name: 'help', description: 'Print usage information.' },
  { name: 'version', description: 'Display Kafka version.' },
];

const DESCRIPTION = 'This tool helps to query log directory usage on the specified brokers.';

class ArgError extends Error {}

/** Comma-separated words without the empty ones. */
function listOf(o: ParsedOptions, name: string): string[] {
  return (o.value(name) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function brokerIds(o: ParsedOptions): number[] {
  return [...new Set(listOf(o, 'broker-list').map((s) => {
    if (!/^-?\d+$/.test(s)) throw new ArgError(`Broker list must be broker ids separated by commas, such as 1,2,3: "${s}" is not one.`);
    return Number(s);
  }))];
}

/** The JSON line Kafka's tool prints, keys in the order it prints them. */
export function formatLogDirsJson(answers: readonly BrokerLogDirs[]): string {
  const brokers = [...answers].sort((a, b) => a.brokerId - b.brokerId).map((a) => ({
    broker: a.brokerId,
    logDirs: a.logDirs.map((d) => ({
      partitions: [...d.replicas]
        .sort((x, y) => (x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : x.partition - y.partition))
        .map((r) => ({ partition: `${r.topic}-${r.partition}`, size: r.sizeBytes, offsetLag: r.offsetLag, isFuture: r.isFuture })),
      error: d.errorCode === ErrorCode.NONE ? null : 'org.apache.kafka.common.errors.KafkaStorageException',
      logDir: d.logDir,
    })),
  }));
  return JSON.stringify({ brokers, version: 1 });
}

export async function main(argv: string[], io: ToolIO): Promise<number> {
  let o: ParsedOptions;
  let asked: number[];
  let topics: string[];
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
    const missing = ['bootstrap-server', 'describe'].filter((n) => !o.has(n));
    if (missing.length > 0) throw new ArgError(`Missing required argument "[${missing.join(', ')}]"`);
    asked = brokerIds(o);
    topics = listOf(o, 'topic-list');
  } catch (err) {
    if (err instanceof OptionsError || err instanceof ArgError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  let admin: Admin | null = null;
  try {
    admin = await connectAdmin(o.value('bootstrap-server')!);
    const cluster = (await admin.describeCluster()).brokers.map((b) => b.nodeId).sort((a, b) => a - b);
    const unknown = asked.filter((id) => !cluster.includes(id)).sort((a, b) => a - b);
    if (unknown.length > 0) {
      io.stderr.write(`ERROR: The given brokers do not exist from --broker-list: ${unknown.join(',')}. Current existent brokers: ${cluster.join(',')}\n`);
      return 1;
    }
    const ids = asked.length > 0 ? [...asked].sort((a, b) => a - b) : cluster;
    io.stdout.write('Querying brokers for log directories information\n');
    const answers = await admin.describeLogDirs(ids, topics.length > 0 ? topics : null);
    const failed = answers.find((a) => a.error !== null);
    if (failed) throw failed.error;
    io.stdout.write(`Received log directory information from brokers ${ids.join(',')}\n`);
    io.stdout.write(`${formatLogDirsJson(answers)}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`${javaStyle(err)}\n`);
    return 1;
  } finally {
    await admin?.close();
  }
}
