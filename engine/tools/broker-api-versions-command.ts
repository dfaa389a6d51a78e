/**
 * kafka-broker-api-versions: each broker's supported API versions, in the format of Kafka's
 * BrokerApiVersionsCommand (3.x):
 *
 *   localhost:9092 (id: 1 rack: null) -> (
 *   \tProduce(0): 0 to 11 [usable: 11],
 *   \t…
 *   \tApiVersions(18): 0 to 4 [usable: 4]
 *   )
 *
 * One block per broker, in node id order. Each API is "Name(key): min to max" ("Name(key): v"
 * when min = max) and the version this client would use ("[usable: v]", or "[unusable: node
 * too new]" / "[unusable: node too old]" when the ranges do not meet); an API this client
 * knows and the broker lacks is "Name(key): UNSUPPORTED"; one only the broker knows is
 * "UNKNOWN(key): min to max". The ranges are the brokers' ApiVersions answers.
 */
import type { Admin } from '../client/admin';
import { connectAdmin } from './cli/connect';
import { OptionsError, parseOptions, usage, type OptionSpec, type ParsedOptions } from './cli/options';
import { kafkaMessage, usageError, type ToolIO } from './cli/tool-io';

const SPECS: OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', argName: 'server(s) to use for bootstrapping', description: 'REQUIRED: The server to connect to.' },
  { name: 'command-config', arg: 'required', argName: 'command config property file', description: 'A property file containing configs to be passed to Admin Client.' },
  { name: 'help', description: 'Print usage information.' },
  { name: 'version', description: 'Display Kafka version.' },
];

const DESCRIPTION = 'This tool helps to retrieve broker version information.';

type BrokerApis = Awaited<ReturnType<Admin['brokerApiVersions']>>[number];

/** One API's line, as Kafka's NodeApiVersions prints it. */
function apiText(a: BrokerApis['apis'][number]): string {
  const head = `${a.name}(${a.apiKey}): `;
  if (a.broker === null) return `${head}UNSUPPORTED`;
  const range = a.broker[0] === a.broker[1] ? `${a.broker[0]}` : `${a.broker[0]} to ${a.broker[1]}`;
  if (a.ours === null) return head + range;
  if (a.ours[1] < a.broker[0]) return `${head}${range} [unusable: node too new]`;
  if (a.broker[1] < a.ours[0]) return `${head}${range} [unusable: node too old]`;
  return `${head}${range} [usable: ${a.usable ?? Math.min(a.ours[1], a.broker[1])}]`;
}

export function formatBrokerApiVersions(b: BrokerApis): string {
  const node = `${b.broker.host}:${b.broker.port} (id: ${b.broker.nodeId} rack: ${b.broker.rack ?? 'null'})`;
  return `${node} -> (\n\t${b.apis.map(apiText).join(',\n\t')}\n)\n`;
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
    io.stdout.write(`${DESCRIPTION}\n${usage(SPECS)}`);
    return 0;
  }
  if (o.has('version')) {
    io.stdout.write('3.7.0 (Stream Workbench)\n');
    return 0;
  }
  if (!o.has('bootstrap-server')) return usageError(io, SPECS, 'Missing required argument "[bootstrap-server]"');
  let admin: Admin | null = null;
  try {
    admin = await connectAdmin(o.value('bootstrap-server')!, 'stream-workbench-broker-api-versions');
    for (const b of await admin.brokerApiVersions()) io.stdout.write(formatBrokerApiVersions(b));
    return 0;
  } catch (err) {
    io.stderr.write(`Error: ${kafkaMessage(err)}\n`);
    return 1;
  } finally {
    await admin?.close();
  }
}
