/**
 * What a command-line tool sees of the world, so that every tool's `main(argv, io)` can
 * run in a test as well as in a terminal: output streams, standard input, a signal for
 * Ctrl-C, and the exit code as main's result. Also the helpers the tools share:
 * Kafka's Java exception names and messages for errors, key=value property lists and
 * .properties files, usage errors, and the runner the bin entries use (connect.ts opens
 * the admin client).
 *
 * Invariant: tools never call process.exit themselves; the runner does, after stdout
 * has drained.
 */
import type { Readable } from 'node:stream';
import { KafkaClientError, KafkaProtocolError } from '../../client/errors';
import { OptionsError, usage, type OptionSpec } from './options';
import { parseProperties } from '../../util/properties';

export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
}

export interface ToolIO {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: Readable | AsyncIterable<Buffer | string>;
  /** Whether stdin is a terminal (the console producer shows its ">" prompt then). */
  stdinIsTTY?: boolean;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
}

export type ToolMain = (argv: string[], io: ToolIO) => Promise<number>;

/** Kafka's exception class for an error code, as its tools print it. */
const EXCEPTION_NAMES: Record<number, string> = {
  3: 'UnknownTopicOrPartitionException',
  5: 'LeaderNotAvailableException',
  6: 'NotLeaderOrFollowerException',
  7: 'TimeoutException',
  10: 'RecordTooLargeException',
  15: 'CoordinatorNotAvailableException',
  16: 'NotCoordinatorException',
  17: 'InvalidTopicException',
  19: 'NotEnoughReplicasException',
  24: 'InvalidGroupIdException',
  25: 'UnknownMemberIdException',
  27: 'RebalanceInProgressException',
  35: 'UnsupportedVersionException',
  36: 'TopicExistsException',
  37: 'InvalidPartitionsException',
  38: 'InvalidReplicationFactorException',
  39: 'InvalidReplicaAssignmentException',
  40: 'InvalidConfigurationException',
  41: 'NotControllerException',
  42: 'InvalidRequestException',
  44: 'PolicyViolationException',
  68: 'GroupNotEmptyException',
  69: 'GroupIdNotFoundException',
  73: 'TopicDeletionDisabledException',
  80: 'PreferredLeaderNotAvailableException',
  83: 'EligibleLeadersNotAvailableException',
  84: 'ElectionNotNeededException',
  85: 'NoReassignmentInProgressException',
  87: 'InvalidRecordException',
};

/** The message a Java exception for `err` would carry (broker text first). */
export function kafkaMessage(err: unknown): string {
  if (err instanceof KafkaProtocolError) return err.text;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** "org.apache.kafka.common.errors.TopicExistsException: Topic 'x' already exists." */
export function javaStyle(err: unknown): string {
  if (err instanceof KafkaProtocolError) {
    const cls = EXCEPTION_NAMES[err.code] ?? 'KafkaException';
    return `org.apache.kafka.common.errors.${cls}: ${kafkaMessage(err)}`;
  }
  if (err instanceof KafkaClientError) return `org.apache.kafka.common.KafkaException: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** Kafka's CommandLineUtils.parseKeyValueArgs: "k=v" words into a map. */
export function parseKeyValues(words: readonly string[], what = 'property'): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of words) {
    const i = w.indexOf('=');
    if (i < 0) {
      if (w.trim() === '') continue;
      throw new OptionsError(`Invalid command line properties: '${w}' (expected ${what}=value)`);
    }
    out.set(w.slice(0, i), w.slice(i + 1));
  }
  return out;
}

/** Prints `message` and the usage table to stderr; returns exit code 1 (Kafka's printUsageAndExit). */
export function usageError(io: ToolIO, specs: readonly OptionSpec[], message: string): number {
  io.stderr.write(`${message}\n`);
  io.stderr.write(usage(specs));
  return 1;
}

/** Reads a Java-style .properties file (key=value or key:value, # and ! comments). */
export async function readPropertiesFile(path: string): Promise<Map<string, string>> {
  const { readFile } = await import('node:fs/promises');
  return parseProperties(await readFile(path, 'utf8'));
}

/** Runs a tool as a process: real streams, Ctrl-C → abort, exit with main's code. */
export function runAsProcess(main: ToolMain): void {
  const controller = new AbortController();
  let interrupted = 0;
  const onSignal = (): void => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // A closed pipe (| head) ends the tool quietly, as Kafka's tools stop on checkError().
    if (err.code === 'EPIPE') controller.abort();
  });
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    signal: controller.signal,
  })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      return 1;
    })
    .then((code) => {
      const exit = (): void => process.exit(code);
      if (process.stdout.writableNeedDrain) process.stdout.once('drain', exit);
      else process.stdout.write('', exit);
    });
}
