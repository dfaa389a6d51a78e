/**
 * The boundary: turns an untrusted `{method, args}` into a call on the engine.
 *
 * Every call is checked here, once, whichever transport it came over: the method must
 * be a contract command and the arguments must match its zod schema. A failure
 * becomes a WorkbenchError naming the field and the Kafka error that Kafka would give
 * for it (an invalid topic name is INVALID_TOPIC_EXCEPTION, and so on), and the engine
 * is not called at all, so bad input changes nothing.
 */
import type { z } from 'zod';
import { commandSchemas, type CommandName, type CommandResults, type ParsedArgs } from './contract';
import { WorkbenchError, type WorkbenchErrorName } from './errors';

/** What an engine implements: every command but the host-level ones. */
export type HostCommand = 'restartEngine';
export type EngineCommandName = Exclude<CommandName, HostCommand>;
export type EngineCommands = {
  [K in EngineCommandName]: (args: ParsedArgs<K>) => Promise<CommandResults[K]> | CommandResults[K];
};

/** The Kafka error a bad value of this argument gets. */
const FIELD_ERROR_CODES: Record<string, WorkbenchErrorName> = {
  name: 'INVALID_TOPIC_EXCEPTION',
  topic: 'INVALID_TOPIC_EXCEPTION',
  partitions: 'INVALID_PARTITIONS',
  replicationFactor: 'INVALID_REPLICATION_FACTOR',
  configs: 'INVALID_CONFIG',
  partition: 'UNKNOWN_TOPIC_OR_PARTITION',
  brokerId: 'BROKER_NOT_AVAILABLE',
};

export function isCommandName(method: unknown): method is CommandName {
  return typeof method === 'string' && Object.prototype.hasOwnProperty.call(commandSchemas, method);
}

/** Validates arguments against the command's schema; throws a WorkbenchError naming the field. */
export function parseArgs<K extends CommandName>(method: K, args: unknown): ParsedArgs<K> {
  const schema = commandSchemas[method] as z.ZodType;
  const result = schema.safeParse(args ?? {});
  if (result.success) return result.data as ParsedArgs<K>;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    message = `Unknown argument${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} for ${method}.`;
  } else if (message.startsWith('Invalid input') || message.startsWith('Too ')) {
    message = `${field ?? 'Arguments'}: ${message}.`;
  }
  const code: WorkbenchErrorName = (field && FIELD_ERROR_CODES[field]) || 'INVALID_REQUEST';
  throw new WorkbenchError(code, message, field);
}

/** Validates and runs one call against an engine. Host-level commands are refused here. */
export async function dispatch(engine: EngineCommands, method: unknown, args: unknown): Promise<unknown> {
  if (!isCommandName(method) || method === 'restartEngine') {
    throw new WorkbenchError('UNKNOWN_COMMAND', `"${String(method)}" is not a command this engine knows.`);
  }
  const parsed = parseArgs(method, args);
  const fn = engine[method] as (a: unknown) => unknown;
  return await fn.call(engine, parsed);
}
