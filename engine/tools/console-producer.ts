/**
 * kafka-console-producer: reads lines from standard input and sends each as a record,
 * with Kafka 3.7's flags (ConsoleProducer) and line format (LineMessageReader):
 *
 *   line           → value (key null)
 *   parse.key=true → "key<key.separator>value", key.separator default "\t"; a line without
 *                    the separator fails with "No key separator found on line number N: 'line'"
 *                    (or, with ignore.error=true, is sent whole as the value with a null key)
 *   parse.headers  → "h1:v1,h2:v2<headers.delimiter>…" before the key/value
 *   null.marker    → a key or value equal to it is sent as null
 *
 * Producer settings: --producer-property k=v (repeatable) and --producer.config FILE,
 * then the dedicated flags (--request-required-acks, --compression-codec [codec], which
 * defaults to gzip when given without a value, --batch-size, --timeout = linger.ms 1000,
 * --sync, …). Defaults as Kafka 3.x: acks=all with idempotence, linger 1000 ms.
 * A ">" prompt is printed before each line only when standard input is a terminal (Kafka
 * prints it even into pipes). EOF or Ctrl-C flushes and exits; a send failure is logged as
 * Kafka's ErrorLoggingCallback does and the tool goes on with the next line.
 */
import { Producer, type Acks, type CompressionName } from '../client/producer';
import type { HeaderEntry } from '../client/batch-builder';
import { KafkaClientError, KafkaProtocolError } from '../client/errors';
import { CODEC_NAMES, isCodecName } from '../storage/codec-table';
import { OptionsError, parseOptions, usage, type OptionSpec, type ParsedOptions } from './cli/options';
import { javaStyle, parseKeyValues, readPropertiesFile, usageError, type ToolIO } from './cli/tool-io';

const SPECS: OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', argName: 'String: server to connect to', description: 'REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to.' },
  { name: 'broker-list', arg: 'required', argName: 'String: broker-list', description: 'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.' },
  { name: 'topic', arg: 'required', argName: 'String: topic', description: 'REQUIRED: The topic id to produce messages to.' },
  { name: 'property', arg: 'required', argName: 'String: prop', description: 'A mechanism to pass user-defined properties in the form key=value to the message reader (parse.key, key.separator, ignore.error, parse.headers, headers.delimiter, headers.separator, headers.key.separator, null.marker).' },
  { name: 'producer-property', arg: 'required', argName: 'String: producer_prop', description: 'A mechanism to pass user-defined properties in the form key=value to the producer.' },
  { name: 'producer.config', arg: 'required', argName: 'String: config file', description: 'Producer config properties file. Note that [producer-property] takes precedence over this config.' },
  { name: 'compression-codec', arg: 'optional', argName: 'String: compression-codec', description: "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'. If specified without value, then it defaults to 'gzip'" },
  { name: 'sync', description: 'If set message send requests to the brokers are synchronously, one at a time as they arrive.' },
  { name: 'request-required-acks', arg: 'required', argName: 'String: request required acks', description: 'The required `acks` of the producer requests', defaultValue: '-1' },
  { name: 'request-timeout-ms', arg: 'required', argName: 'Integer: request timeout ms', description: 'The ack timeout of the producer requests. Value must be non-negative and non-zero.', defaultValue: '1500' },
  { name: 'batch-size', arg: 'required', argName: 'Integer: size', description: 'Number of messages to send in a single batch if they are not being sent synchronously.', defaultValue: '16384' },
  { name: 'timeout', arg: 'required', argName: 'Long: timeout_ms', description: 'If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size. The value is given in ms. This is the option to control `linger.ms` in producer configs.', defaultValue: '1000' },
  { name: 'max-block-ms', arg: 'required', argName: 'Long: max block on send', description: 'The max time that the producer will block for during a send request.', defaultValue: '60000' },
  { name: 'max-memory-bytes', arg: 'required', argName: 'Long: total memory in bytes', description: 'The total memory used by the producer to buffer records waiting to be sent to the server.', defaultValue: '33554432' },
  { name: 'max-partition-memory-bytes', arg: 'required', argName: 'Integer: memory in bytes per partition', description: 'The buffer size allocated for a partition. When records are received which are smaller than this size the producer will attempt to optimistically group them together until this size is reached. This is the option to control `batch.size` in producer configs.', defaultValue: '16384' },
  { name: 'message-send-max-retries', arg: 'required', argName: 'Integer', description: 'Brokers can fail receiving the message for multiple reasons. This is the option to control `retries` in producer configs.', defaultValue: '3' },
  { name: 'retry-backoff-ms', arg: 'required', argName: 'Long', description: 'Before each retry, the producer refreshes the metadata of relevant topics. This is the option to control `retry.backoff.ms` in producer configs.', defaultValue: '100' },
  { name: 'help', description: 'Print usage information.' },
  { name: 'version', description: 'Display Kafka version.' },
];

export interface LineReaderConfig {
  parseKey: boolean;
  keySeparator: string;
  ignoreError: boolean;
  parseHeaders: boolean;
  headersDelimiter: string;
  headersSeparator: string;
  headersKeySeparator: string;
  nullMarker: string | null;
}

export function lineReaderConfig(props: ReadonlyMap<string, string>): LineReaderConfig {
  const bool = (k: string): boolean => (props.get(k) ?? '').trim().toLowerCase() === 'true';
  const cfg: LineReaderConfig = {
    parseKey: bool('parse.key'),
    keySeparator: props.get('key.separator') ?? '\t',
    ignoreError: bool('ignore.error'),
    parseHeaders: bool('parse.headers'),
    headersDelimiter: props.get('headers.delimiter') ?? '\t',
    headersSeparator: props.get('headers.separator') ?? ',',
    headersKeySeparator: props.get('headers.key.separator') ?? ':',
    nullMarker: props.get('null.marker') ?? null,
  };
  if (cfg.headersDelimiter === cfg.headersSeparator) throw new Error('headers.delimiter and headers.separator may not be equal');
  if (cfg.headersDelimiter === cfg.headersKeySeparator) throw new Error('headers.delimiter and headers.key.separator may not be equal');
  if (cfg.headersSeparator === cfg.headersKeySeparator) throw new Error('headers.separator and headers.key.separator may not be equal');
  return cfg;
}

/** A line the reader cannot parse (Kafka throws KafkaException). */
export class LineFormatError extends Error {
  override name = 'LineFormatError';
}

export interface ParsedLine {
  key: string | null;
  value: string | null;
  headers: HeaderEntry[] | undefined;
}

/** One line of input as Kafka's LineMessageReader reads it; throws Kafka's message on a bad line. */
export function parseLine(line: string, lineNumber: number, cfg: LineReaderConfig): ParsedLine {
  let rest = line;
  let headers: HeaderEntry[] | undefined;
  const nullable = (s: string): string | null => (cfg.nullMarker !== null && s === cfg.nullMarker ? null : s);
  if (cfg.parseHeaders) {
    const i = rest.indexOf(cfg.headersDelimiter);
    if (i < 0) {
      if (!cfg.ignoreError) throw new LineFormatError(`No headers delimiter found on line number ${lineNumber}: '${line}'`);
    } else {
      const text = rest.slice(0, i);
      rest = rest.slice(i + cfg.headersDelimiter.length);
      headers = text.split(cfg.headersSeparator).map((pair) => {
        const j = pair.indexOf(cfg.headersKeySeparator);
        if (j < 0) {
          if (cfg.ignoreError) return { key: pair, value: null };
          throw new LineFormatError(`No header key separator found in pair '${pair}' on line number ${lineNumber}`);
        }
        return { key: pair.slice(0, j), value: nullable(pair.slice(j + cfg.headersKeySeparator.length)) };
      });
    }
  }
  if (!cfg.parseKey) return { key: null, value: nullable(rest), headers };
  const k = rest.indexOf(cfg.keySeparator);
  if (k < 0) {
    if (cfg.ignoreError) return { key: null, value: nullable(rest), headers };
    throw new LineFormatError(`No key separator found on line number ${lineNumber}: '${line}'`);
  }
  return { key: nullable(rest.slice(0, k)), value: nullable(rest.slice(k + cfg.keySeparator.length)), headers };
}

/** Splits a byte stream into lines as Java's BufferedReader.readLine does (\n, \r\n or \r). */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let pending = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < pending.length; i++) {
      const c = pending.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 13 && i + 1 === pending.length) break; // a \r\n may be split across chunks
        yield pending.slice(start, i);
        if (c === 13 && pending.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending.endsWith('\r')) pending = pending.slice(0, -1);
  if (pending !== '') yield pending;
}

function producerConfig(o: ParsedOptions, fileProps: ReadonlyMap<string, string>) {
  const props = new Map([...fileProps, ...parseKeyValues(o.values('producer-property'))]);
  const num = (k: string): number | undefined => (props.has(k) ? Number(props.get(k)) : undefined);
  const optNum = (name: string): number | undefined => (o.has(name) ? o.int(name) : undefined);
  let acks: Acks = 'all';
  const acksText = o.has('request-required-acks') ? o.value('request-required-acks')! : props.get('acks');
  if (acksText !== undefined) {
    const a = acksText.trim();
    if (a === 'all' || a === '-1') acks = 'all';
    else if (a === '0' || a === '1') acks = Number(a) as 0 | 1;
    else throw new OptionsError(`Invalid value ${a} for configuration acks: String must be one of: all, -1, 0, 1`);
  }
  let compressionText = props.get('compression.type') ?? 'none';
  if (o.has('compression-codec')) compressionText = o.value('compression-codec') ?? 'gzip';
  if (!isCodecName(compressionText)) {
    throw new OptionsError(`Invalid value ${compressionText} for configuration compression.type: String must be one of: ${CODEC_NAMES.join(', ')}`);
  }
  const compression: CompressionName = compressionText;
  const idempotenceText = props.get('enable.idempotence');
  const explicitAcks = acksText !== undefined;
  const idempotent = idempotenceText !== undefined ? idempotenceText.trim() === 'true' : acks === 'all' || !explicitAcks;
  return {
    bootstrapServers: o.value('bootstrap-server') ?? o.value('broker-list')!,
    clientId: props.get('client.id') ?? 'console-producer',
    acks,
    idempotent: idempotent && acks === 'all',
    compression,
    lingerMs: optNum('timeout') ?? num('linger.ms') ?? 1000,
    batchSize: optNum('max-partition-memory-bytes') ?? optNum('batch-size') ?? num('batch.size') ?? 16384,
    bufferMemory: optNum('max-memory-bytes') ?? num('buffer.memory') ?? 33554432,
    maxBlockMs: optNum('max-block-ms') ?? num('max.block.ms') ?? 60000,
    requestTimeoutMs: optNum('request-timeout-ms') ?? num('request.timeout.ms') ?? 30000,
    retryBackoffMs: optNum('retry-backoff-ms') ?? num('retry.backoff.ms') ?? 100,
    deliveryTimeoutMs: num('delivery.timeout.ms') ?? 120000,
    maxRequestSize: num('max.request.size') ?? 1048576,
  };
}

export async function main(argv: string[], io: ToolIO): Promise<number> {
  let o: ParsedOptions;
  let cfg: LineReaderConfig;
  let config: ReturnType<typeof producerConfig>;
  try {
    o = parseOptions(argv, SPECS);
    if (o.has('help')) {
      io.stdout.write('This tool helps to read data from standard input and publish it to Kafka.\n' + usage(SPECS));
      return 0;
    }
    if (o.has('version')) {
      io.stdout.write('3.7.0 (Stream Workbench)\n');
      return 0;
    }
    if (argv.length === 0) return usageError(io, SPECS, 'This tool helps to read data from standard input and publish it to Kafka.');
    if (!o.has('topic')) return usageError(io, SPECS, 'Missing required argument "[topic]"');
    if (!o.has('bootstrap-server') && !o.has('broker-list')) return usageError(io, SPECS, 'Missing required argument "[bootstrap-server]"');
    cfg = lineReaderConfig(parseKeyValues(o.values('property')));
    const fileProps = o.has('producer.config') ? await readPropertiesFile(o.value('producer.config')!) : new Map<string, string>();
    config = producerConfig(o, fileProps);
  } catch (err) {
    if (err instanceof OptionsError) return usageError(io, SPECS, err.message);
    io.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  const topic = o.value('topic')!;
  const sync = o.has('sync');
  const producer = new Producer(config);
  let exitCode = 0;
  let lineNumber = 0;
  const onError = (key: string | null, value: string | null) => (err: Error | null) => {
    if (err === null) return;
    const keyText = key === null ? 'null' : `${Buffer.byteLength(key)} bytes`;
    const valueText = value === null ? 'null' : `${Buffer.byteLength(value)} bytes`;
    io.stderr.write(`ERROR Error when sending message to topic ${topic} with key: ${keyText}, value: ${valueText} with error: (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)\n${javaStyle(err)}\n`);
  };
  try {
    await producer.cluster.anyConnection();
    const prompt = (): void => {
      if (io.stdinIsTTY === true) io.stdout.write('>');
    };
    prompt();
    const lines = readLines(io.stdin as AsyncIterable<Buffer | string>);
    const aborted = new Promise<'aborted'>((resolve) => {
      if (io.signal?.aborted) resolve('aborted');
      io.signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    for (;;) {
      const next = await Promise.race([lines.next(), aborted]);
      if (next === 'aborted' || next.done === true) break;
      lineNumber++;
      const parsed = parseLine(next.value, lineNumber, cfg);
      const record = { topic, key: parsed.key, value: parsed.value, headers: parsed.headers };
      if (sync) {
        await producer.send(record).then(
          () => undefined,
          (err: Error) => onError(parsed.key, parsed.value)(err),
        );
      } else {
        const accepted = producer.produce(record, onError(parsed.key, parsed.value));
        if (accepted !== undefined) await accepted;
      }
      prompt();
    }
  } catch (err) {
    if (err instanceof LineFormatError) io.stderr.write(`org.apache.kafka.common.KafkaException: ${err.message}\n`);
    else if (err instanceof KafkaClientError && !(err instanceof KafkaProtocolError)) io.stderr.write(`${err.message}\n`);
    else io.stderr.write(`${javaStyle(err)}\n`);
    exitCode = 1;
  } finally {
    await producer.close({ timeoutMs: config.deliveryTimeoutMs });
  }
  return exitCode;
}
