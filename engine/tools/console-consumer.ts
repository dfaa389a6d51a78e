/**
 * kafka-console-consumer: prints records to standard output, with Kafka 3.7's flags
 * (ConsoleConsumer) and the DefaultMessageFormatter's output:
 *
 *   [CreateTime:ts<sep>][Partition:p<sep>][Offset:o<sep>][h1:v1,h2:v2<sep>][key<sep>]value\n
 *   where <sep> is key.separator (default "\t"); print.timestamp / print.partition /
 *   print.offset / print.headers / print.key / print.value choose the columns;
 *   null keys and values print null.literal ("null").
 *
 * Modes: --topic with a consumer group (--group, else "console-consumer-NNNNN" with
 * auto-commit off), --from-beginning meaning auto.offset.reset=earliest; or --partition
 * (no group) with --offset earliest|latest|N (default latest). --max-messages N stops
 * after N records, --timeout-ms T when no record arrived for T ms; Ctrl-C stops too. On
 * exit it prints "Processed a total of N messages" on stderr; records fetched but not
 * printed are not committed (the consumer seeks back to them before closing, as Kafka's
 * does). A timeout is reported as Kafka's tool logs it, and the exit code stays 0.
 */
import { Consumer, type ConsumerConfig, type ConsumerRecord } from '../client/consumer';
import { KafkaClientError, KafkaProtocolError } from '../client/errors';
import { OptionsError, parseOptions, usage, type OptionSpec, type ParsedOptions } from './cli/options';
import { javaStyle, parseKeyValues, readPropertiesFile, usageError, type ToolIO } from './cli/tool-io';

const SPECS: OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', argName: 'String: server to connect to', description: 'REQUIRED: The server(s) to connect to.' },
  { name: 'topic', arg: 'required', argName: 'String: topic', description: 'The topic to consume on.' },
  { name: 'include', arg: 'required', argName: 'String: Java regex (String)', description: 'Regular expression specifying list of topics to include for consumption.' },
  { name: 'whitelist', arg: 'required', argName: 'String: Java regex (String)', description: 'DEPRECATED, use --include instead; ignored if --include specified.' },
  { name: 'partition', arg: 'required', argName: 'Integer: partition', description: 'The partition to consume from. Consumption starts from the end of the partition unless \'--offset\' is specified.' },
  { name: 'offset', arg: 'required', argName: 'String: consume offset', description: "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end", defaultValue: 'latest' },
  { name: 'consumer-property', arg: 'required', argName: 'String: consumer_prop', description: 'A mechanism to pass user-defined properties in the form key=value to the consumer.' },
  { name: 'consumer.config', arg: 'required', argName: 'String: config file', description: 'Consumer config properties file. Note that [consumer-property] takes precedence over this config.' },
  { name: 'formatter', arg: 'required', argName: 'String: class', description: 'The name of a class to use for formatting kafka messages for display.', defaultValue: 'kafka.tools.DefaultMessageFormatter' },
  { name: 'property', arg: 'required', argName: 'String: prop', description: 'The properties to initialize the message formatter. Default properties include: print.timestamp, print.key, print.offset, print.partition, print.headers, print.value, key.separator, line.separator, headers.separator, null.literal.' },
  { name: 'from-beginning', description: 'If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.' },
  { name: 'max-messages', arg: 'required', argName: 'Integer: num_messages', description: 'The maximum number of messages to consume before exiting. If not set, consumption is continual.' },
  { name: 'timeout-ms', arg: 'required', argName: 'Integer: timeout_ms', description: 'If specified, exit if no message is available for consumption for the specified interval.' },
  { name: 'skip-message-on-error', description: 'If there is an error when processing a message, skip it instead of halt.' },
  { name: 'key-deserializer', arg: 'required', argName: 'String: deserializer for key', description: 'Accepted for compatibility; keys are printed as UTF-8 text.' },
  { name: 'value-deserializer', arg: 'required', argName: 'String: deserializer for values', description: 'Accepted for compatibility; values are printed as UTF-8 text.' },
  { name: 'enable-systest-events', description: 'Log lifecycle events of the consumer in addition to logging consumed messages. (This is specific for system tests.)' },
  { name: 'isolation-level', arg: 'required', argName: 'String', description: 'Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.', defaultValue: 'read_uncommitted' },
  { name: 'group', arg: 'required', argName: 'String: consumer group id', description: 'The consumer group id of the consumer.' },
  { name: 'help', description: 'Print usage information.' },
  { name: 'version', description: 'Display Kafka version.' },
];

const FORMATTERS = new Set(['kafka.tools.DefaultMessageFormatter', 'org.apache.kafka.tools.consumer.DefaultMessageFormatter']);

export interface FormatterConfig {
  printTimestamp: boolean;
  printKey: boolean;
  printValue: boolean;
  printPartition: boolean;
  printOffset: boolean;
  printHeaders: boolean;
  keySeparator: string;
  lineSeparator: string;
  headersSeparator: string;
  nullLiteral: string;
}

export function formatterConfig(props: ReadonlyMap<string, string>): FormatterConfig {
  const bool = (k: string, d: boolean): boolean => (props.has(k) ? props.get(k)!.trim().toLowerCase() === 'true' : d);
  return {
    printTimestamp: bool('print.timestamp', false),
    printKey: bool('print.key', false),
    printValue: bool('print.value', true),
    printPartition: bool('print.partition', false),
    printOffset: bool('print.offset', false),
    printHeaders: bool('print.headers', false),
    keySeparator: props.get('key.separator') ?? '\t',
    lineSeparator: props.get('line.separator') ?? '\n',
    headersSeparator: props.get('headers.separator') ?? ',',
    nullLiteral: props.get('null.literal') ?? 'null',
  };
}

/** One record as Kafka's DefaultMessageFormatter writes it. */
export function formatRecord(r: ConsumerRecord, f: FormatterConfig): Buffer {
  const parts: (string | Buffer)[] = [];
  const sep = (more: boolean): void => void parts.push(more ? f.keySeparator : f.lineSeparator);
  if (f.printTimestamp) {
    parts.push(r.timestampMs >= 0 ? `${r.timestampType}:${r.timestampMs}` : 'NO_TIMESTAMP');
    sep(f.printPartition || f.printOffset || f.printHeaders || f.printKey || f.printValue);
  }
  if (f.printPartition) {
    parts.push(`Partition:${r.partition}`);
    sep(f.printOffset || f.printHeaders || f.printKey || f.printValue);
  }
  if (f.printOffset) {
    parts.push(`Offset:${r.offset}`);
    sep(f.printHeaders || f.printKey || f.printValue);
  }
  if (f.printHeaders) {
    if (r.headers.length === 0) parts.push('NO_HEADERS');
    r.headers.forEach((h, i) => {
      parts.push(`${h.key}:`, h.value ?? f.nullLiteral);
      if (i < r.headers.length - 1) parts.push(f.headersSeparator);
    });
    sep(f.printKey || f.printValue);
  }
  if (f.printKey) {
    parts.push(r.key ?? f.nullLiteral);
    sep(f.printValue);
  }
  if (f.printValue) {
    parts.push(r.value ?? f.nullLiteral, f.lineSeparator);
  }
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

class ArgError extends Error {}

interface Plan {
  consumerConfig: ConsumerConfig;
  topic: string | undefined;
  include: string | undefined;
  partition: number | undefined;
  offset: 'earliest' | 'latest' | number;
  maxMessages: number;
  timeoutMs: number;
  formatter: FormatterConfig;
  skipOnError: boolean;
  systest: boolean;
}

async function plan(o: ParsedOptions): Promise<Plan> {
  const topic = o.value('topic');
  const include = o.value('include') ?? o.value('whitelist');
  if ((topic === undefined) === (include === undefined)) throw new OptionsError('Exactly one of whitelist/include/topic is required.');
  const partition = o.has('partition') ? o.int('partition') : undefined;
  if (partition !== undefined) {
    if (topic === undefined) throw new OptionsError('The topic is required when partition is specified.');
    if (o.has('from-beginning') && o.has('offset')) throw new OptionsError('Options from-beginning and offset cannot be specified together.');
  } else if (o.has('offset')) {
    throw new OptionsError('The partition is required when offset is specified.');
  }
  if (!o.has('bootstrap-server')) throw new OptionsError('Missing required argument "[bootstrap-server]"');
  const fileProps = o.has('consumer.config') ? await readPropertiesFile(o.value('consumer.config')!) : new Map<string, string>();
  const props = new Map([...fileProps, ...parseKeyValues(o.values('consumer-property'))]);
  const groups = new Set<string>();
  if (o.has('group')) groups.add(o.value('group')!);
  if (props.has('group.id')) groups.add(props.get('group.id')!);
  if (groups.size > 1) {
    throw new OptionsError(
      `The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: ${[...groups].map((g) => `'${g}'`).join(', ')}`,
    );
  }
  if (groups.size > 0 && partition !== undefined) throw new OptionsError('Options group and partition cannot be specified together.');
  let reset = props.get('auto.offset.reset');
  if (reset !== undefined) {
    if (o.has('from-beginning') && reset !== 'earliest') {
      throw new ArgError(`Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}', please remove one option`);
    }
  } else reset = o.has('from-beginning') ? 'earliest' : 'latest';
  if (!['earliest', 'latest', 'none'].includes(reset)) throw new ArgError(`Invalid value ${reset} for configuration auto.offset.reset: String must be one of: latest, earliest, none`);
  let offset: Plan['offset'] = o.has('from-beginning') ? 'earliest' : 'latest';
  if (o.has('offset')) {
    const text = o.value('offset')!.toLowerCase();
    if (text === 'earliest' || text === 'latest') offset = text;
    else if (/^\d+$/.test(text)) offset = Number(text);
    else throw new OptionsError(`The provided offset value '${o.value('offset')}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`);
  }
  const formatterClass = o.value('formatter')!;
  if (!FORMATTERS.has(formatterClass)) throw new ArgError(`The formatter ${formatterClass} is not available here; Stream Workbench offers kafka.tools.DefaultMessageFormatter.`);
  const generated = groups.size === 0 && partition === undefined;
  const groupId = partition !== undefined ? undefined : generated ? `console-consumer-${Math.floor(Math.random() * 100000)}` : [...groups][0];
  const num = (k: string): number | undefined => (props.has(k) ? Number(props.get(k)) : undefined);
  const autoCommit = props.has('enable.auto.commit') ? props.get('enable.auto.commit') === 'true' : !generated;
  const maxMessages = o.has('max-messages') ? o.int('max-messages')! : -1;
  const timeoutMs = o.has('timeout-ms') ? o.int('timeout-ms')! : -1;
  return {
    consumerConfig: {
      bootstrapServers: o.value('bootstrap-server')!,
      clientId: props.get('client.id') ?? 'console-consumer',
      groupId,
      autoOffsetReset: reset as 'earliest' | 'latest' | 'none',
      enableAutoCommit: autoCommit,
      autoCommitIntervalMs: num('auto.commit.interval.ms'),
      sessionTimeoutMs: num('session.timeout.ms'),
      heartbeatIntervalMs: num('heartbeat.interval.ms'),
      fetchMinBytes: num('fetch.min.bytes'),
      fetchMaxWaitMs: num('fetch.max.wait.ms'),
      maxPartitionFetchBytes: num('max.partition.fetch.bytes'),
      maxPollRecords: num('max.poll.records'),
      isolationLevel: (props.get('isolation.level') ?? o.value('isolation-level')) === 'read_committed' ? 'read_committed' : 'read_uncommitted',
      partitionAssignmentStrategy: props.get('partition.assignment.strategy')?.includes('RoundRobin') ? ['roundrobin'] : undefined,
    },
    topic,
    include,
    partition,
    offset,
    maxMessages,
    timeoutMs: timeoutMs >= 0 ? timeoutMs : Number.POSITIVE_INFINITY,
    formatter: formatterConfig(parseKeyValues(o.values('property'))),
    skipOnError: o.has('skip-message-on-error'),
    systest: o.has('enable-systest-events'),
  };
}

export async function main(argv: string[], io: ToolIO): Promise<number> {
  let p: Plan;
  try {
    const o = parseOptions(argv, SPECS);
    if (o.has('help')) {
      io.stdout.write('This tool helps to read data from Kafka topics and outputs it to standard output.\n' + usage(SPECS));
      return 0;
    }
    if (o.has('version')) {
      io.stdout.write('3.7.0 (Stream Workbench)\n');
      return 0;
    }
    if (argv.length === 0) return usageError(io, SPECS, 'This tool helps to read data from Kafka topics and outputs it to standard output.');
    p = await plan(o);
  } catch (err) {
    if (err instanceof OptionsError) return usageError(io, SPECS, err.message);
    io.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  const consumer = new Consumer(p.consumerConfig);
  let count = 0;
  let exitCode = 0;
  let leftovers: ConsumerRecord[] = [];
  try {
    await consumer.cluster.anyConnection();
    if (p.partition !== undefined) {
      const tp = { topic: p.topic!, partition: p.partition };
      consumer.assign([tp]);
      if (p.offset === 'earliest') consumer.seekToBeginning([tp]);
      else if (p.offset === 'latest') consumer.seekToEnd([tp]);
      else consumer.seek(tp, p.offset);
    } else {
      let topics = [p.topic!];
      if (p.include !== undefined) {
        const re = new RegExp(`^(?:${p.include.trim().replace(/,/g, '|')})$`);
        await consumer.cluster.refreshMetadata({ topics: null });
        topics = [...consumer.cluster.topics.keys()].filter((t) => re.test(t) && !t.startsWith('__'));
      }
      consumer.subscribe(topics);
    }
    if (p.systest) io.stdout.write('{"name":"startup_complete"}\n');
    let waitStart = performance.now();
    while (count < p.maxMessages || p.maxMessages === -1) {
      if (io.signal?.aborted) break;
      const left = p.timeoutMs - (performance.now() - waitStart);
      if (left <= 0) {
        io.stderr.write('ERROR Error processing message, terminating consumer process:  (kafka.tools.ConsoleConsumer$)\norg.apache.kafka.common.errors.TimeoutException\n');
        break;
      }
      const records = await pollOrAbort(consumer, Math.min(left, 1000), io.signal);
      if (records.length === 0) continue;
      waitStart = performance.now();
      let i = 0;
      for (; i < records.length && (count < p.maxMessages || p.maxMessages === -1); i++) {
        try {
          io.stdout.write(formatRecord(records[i]!, p.formatter));
        } catch (err) {
          if (!p.skipOnError) throw err;
          io.stderr.write(`ERROR Error processing message, skipping this message: ${(err as Error).message}\n`);
        }
        count++;
      }
      leftovers = records.slice(i);
    }
  } catch (err) {
    if (err instanceof KafkaClientError && !(err instanceof KafkaProtocolError)) io.stderr.write(`${err.message}\n`);
    else io.stderr.write(`ERROR Error processing message, terminating consumer process:  (kafka.tools.ConsoleConsumer$)\n${javaStyle(err)}\n`);
    exitCode = 1;
  } finally {
    // Do not commit records that were fetched but not printed.
    const firstUnprinted = new Map<string, ConsumerRecord>();
    for (const r of leftovers) if (!firstUnprinted.has(`${r.topic}\u0000${r.partition}`)) firstUnprinted.set(`${r.topic}\u0000${r.partition}`, r);
    for (const r of firstUnprinted.values()) {
      try {
        consumer.seek({ topic: r.topic, partition: r.partition }, r.offset);
      } catch {
        // the partition was revoked meanwhile
      }
    }
    await consumer.close().catch(() => undefined);
    io.stderr.write(`Processed a total of ${count} messages\n`);
    if (p.systest) io.stdout.write('{"name":"shutdown_complete"}\n');
  }
  return exitCode;
}

async function pollOrAbort(consumer: Consumer, timeoutMs: number, signal: AbortSignal | undefined): Promise<ConsumerRecord[]> {
  if (signal === undefined) return consumer.poll(timeoutMs);
  if (signal.aborted) return [];
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<ConsumerRecord[]>((resolve) => {
    onAbort = () => resolve([]);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([consumer.poll(timeoutMs), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}
