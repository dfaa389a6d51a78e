/**
 * kafka-configs: describe and alter the dynamic configs of topics and brokers, with
 * Kafka 3.7's flags, messages and output format (ConfigCommand):
 *
 *   --describe  "Dynamic configs for topic T are:" (or "All configs for …" with --all,
 *               "Default configs for brokers in the cluster are:" for the broker default),
 *               then one line per config, sorted by name:
 *               "  name=value sensitive=false synonyms={SOURCE:name=value, …}".
 *               Without --all only configs set on the entity itself are listed
 *               (source DYNAMIC_TOPIC_CONFIG for topics, DYNAMIC_BROKER_CONFIG or
 *               DYNAMIC_DEFAULT_BROKER_CONFIG for brokers).
 *   --alter     --add-config 'k1=v1,k2=[a,b]' (square brackets group values holding
 *               commas) and/or --delete-config k1,k2 through IncrementalAlterConfigs;
 *               prints "Completed updating config for topic T." Deleting a config that
 *               is not set fails with "Invalid config(s): k".
 * Entities: --entity-type topics|brokers with --entity-name or --entity-default (brokers),
 * or the shortcuts --topic, --broker, --broker-defaults. Users, clients, IPs and client
 * metrics (quotas, SCRAM) are not part of the workbench and are refused with that reason.
 * Argument errors go to stderr (exit 1); broker errors print "Error while executing config
 * command with args '…'" and the exception on stderr (exit 1).
 */
import type { Admin, ConfigEntry, ConfigResourceType } from '../client/admin';
import { connectAdmin } from './cli/connect';
import { OptionsError, parseOptions, usage, type OptionSpec, type ParsedOptions } from './cli/options';
import { javaStyle, usageError, type ToolIO } from './cli/tool-io';

const SPECS: OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'required', argName: 'String: server to connect to', description: 'The Kafka server to connect to.' },
  { name: 'bootstrap-controller', arg: 'required', argName: 'String: controller to connect to', description: 'The Kafka controller to connect to.' },
  { name: 'command-config', arg: 'required', argName: 'String: command config property file', description: 'Property file containing configs to be passed to Admin Client.' },
  { name: 'alter', description: 'Alter the configuration for the entity.' },
  { name: 'describe', description: 'List configs for the given entity.' },
  { name: 'all', description: 'List all configs for the given topic, broker, or broker-logger entity (includes static configuration when the entity type is brokers)' },
  { name: 'entity-type', arg: 'required', argName: 'String', description: 'Type of entity (topics/clients/users/brokers/broker-loggers/ips/client-metrics)' },
  { name: 'entity-name', arg: 'required', argName: 'String', description: 'Name of entity (topic name/client id/user principal name/broker id/ip/client metrics)' },
  { name: 'entity-default', description: 'Default entity name for clients/users/brokers/ips (applies to corresponding entity type in command line)' },
  { name: 'add-config', arg: 'required', argName: 'String', description: "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'." },
  { name: 'add-config-file', arg: 'required', argName: 'String', description: 'Path to a properties file with configs to add. See add-config for a list of valid configurations.' },
  { name: 'delete-config', arg: 'required', argName: 'String', separator: ',', description: "config keys to remove 'k1,k2'" },
  { name: 'force', description: 'Suppress console prompts' },
  { name: 'topic', arg: 'required', argName: 'String', description: "The topic's name." },
  { name: 'broker', arg: 'required', argName: 'String', description: "The broker's ID." },
  { name: 'broker-defaults', description: 'The config defaults for all brokers.' },
  { name: 'broker-logger', arg: 'required', argName: 'String', description: "The broker's ID for its logger config." },
  { name: 'client', arg: 'required', argName: 'String', description: "The client's ID." },
  { name: 'user', arg: 'required', argName: 'String', description: "The user's principal name." },
  { name: 'ip', arg: 'required', argName: 'String', description: 'The IP address.' },
  { name: 'help', description: 'Print usage information.' },
  { name: 'version', description: 'Display Kafka version.' },
];

const ALL_TYPES = ['topics', 'clients', 'users', 'brokers', 'ips', 'broker-loggers', 'client-metrics'];
const SUPPORTED_TYPES = new Set(['topics', 'brokers', 'broker-loggers']);

class ArgError extends Error {}

/**
 * ConfigCommand.parseConfigsToBeAdded: splits on commas outside [...], then each pair on
 * the first '=' outside [...]; brackets are removed from values.
 */
export function parseAddConfig(text: string): Map<string, string> {
  const outsideBrackets = '(?=[^\\]]*(?:\\[|$))';
  const pairs = text.split(new RegExp(`,${outsideBrackets}`)).map((p) => p.split(new RegExp(`\\s*=\\s*${outsideBrackets}`)));
  if (!pairs.every((p) => p.length === 2)) {
    throw new ArgError('Invalid entity config: all configs to be added must be in the format "key=val" or  "key=[val1,val2]" to group values which contain commas.');
  }
  const out = new Map<string, string>();
  for (const [k, v] of pairs as [string, string][]) out.set(k.trim(), v.replace(/\[|\]/g, '').trim());
  for (const k of out.keys()) if (!/^[a-zA-Z0-9._-]*$/.test(k)) throw new ArgError(`Invalid character found for config key: ${k}`);
  return out;
}

interface Entity {
  type: string;
  /** '' for the default entity. */
  name: string | null;
}

function entityOf(o: ParsedOptions): Entity {
  const shortcuts: [string, string][] = [
    ['topic', 'topics'],
    ['broker', 'brokers'],
    ['broker-logger', 'broker-loggers'],
    ['client', 'clients'],
    ['user', 'users'],
    ['ip', 'ips'],
  ];
  const types = o.values('entity-type');
  for (const [flag, type] of shortcuts) if (o.has(flag)) types.push(type);
  if (o.has('broker-defaults')) types.push('brokers');
  if (types.length !== new Set(types).size) throw new ArgError(`Duplicate entity type(s) specified: ${types.filter((t, i) => types.indexOf(t) !== i).join(',')}`);
  if ((o.has('entity-name') || o.has('entity-type') || o.has('entity-default')) && [...shortcuts.map((s) => s[0]), 'broker-defaults'].some((f) => o.has(f))) {
    throw new ArgError('--entity-{type,name,default} should not be used in conjunction with specific entity flags');
  }
  for (const t of types) {
    if (!ALL_TYPES.includes(t)) {
      throw new ArgError(`Invalid entity type ${t}, the entity type must be one of ${ALL_TYPES.join(', ')} with a --bootstrap-server or --bootstrap-controller argument`);
    }
  }
  if (types.length === 0) throw new ArgError('At least one entity type must be specified');
  if (types.length > 1) throw new ArgError("Only 'users' and 'clients' entity types may be specified together");
  const type = types[0]!;
  if (!SUPPORTED_TYPES.has(type)) {
    throw new ArgError(`--entity-type ${type} is not supported by Stream Workbench (it has no quotas, SCRAM credentials or client metrics); use topics or brokers.`);
  }
  let name: string | null = o.value('entity-name') ?? null;
  for (const [flag] of shortcuts) if (o.has(flag)) name = o.value(flag)!;
  if (o.has('entity-default') || o.has('broker-defaults')) name = '';
  if ((type === 'brokers' || type === 'broker-loggers') && name !== null && name !== '' && !/^-?\d+$/.test(name)) {
    throw new ArgError(`The entity name for ${type} must be a valid integer broker id, but it is: ${name}`);
  }
  return { type, name };
}

function checkArgs(o: ParsedOptions): string | null {
  const actions = ['alter', 'describe'].filter((a) => o.has(a));
  if (actions.length !== 1) return 'Command must include exactly one action: --describe, --alter';
  if (o.has('describe') && (o.has('add-config') || o.has('delete-config'))) {
    return `Option "[describe]" can't be used with option "[${o.has('add-config') ? 'add-config' : 'delete-config'}]"`;
  }
  if (!o.has('bootstrap-server') && !o.has('bootstrap-controller')) return 'Either --bootstrap-server or --bootstrap-controller must be specified.';
  if (o.has('bootstrap-server') && o.has('bootstrap-controller')) return 'Only one of --bootstrap-server or --bootstrap-controller can be specified';
  return null;
}

const DYNAMIC_SOURCE: Record<string, (name: string) => string | null> = {
  topics: () => 'DYNAMIC_TOPIC_CONFIG',
  brokers: (name) => (name === '' ? 'DYNAMIC_DEFAULT_BROKER_CONFIG' : 'DYNAMIC_BROKER_CONFIG'),
  'broker-loggers': () => null,
};

const RESOURCE_TYPE: Record<string, ConfigResourceType> = { topics: 'topic', brokers: 'broker', 'broker-loggers': 'broker-logger' };

export function formatConfigEntry(e: ConfigEntry): string {
  const synonyms = e.synonyms.map((s) => `${s.source}:${s.name}=${s.value}`).join(', ');
  return `  ${e.name}=${e.value} sensitive=${e.isSensitive} synonyms={${synonyms}}\n`;
}

export async function main(argv: string[], io: ToolIO): Promise<number> {
  let o: ParsedOptions;
  let entity: Entity;
  try {
    o = parseOptions(argv, SPECS);
    if (o.has('help')) {
      io.stdout.write('This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip or client-metrics\n' + usage(SPECS));
      return 0;
    }
    if (o.has('version')) {
      io.stdout.write('3.7.0 (Stream Workbench)\n');
      return 0;
    }
    if (argv.length === 0) return usageError(io, SPECS, 'This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip or client-metrics');
    const problem = checkArgs(o);
    if (problem !== null) return usageError(io, SPECS, problem);
    entity = entityOf(o);
    if (o.has('alter')) {
      if (entity.name === null) {
        throw new ArgError(entity.type === 'brokers' ? 'An entity-name or default entity must be specified with --alter of users, clients, brokers or ips' : `An entity name must be specified with --alter of ${entity.type}`);
      }
      if (!o.has('add-config') && !o.has('add-config-file') && !o.has('delete-config')) {
        throw new ArgError('At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
      }
      if (o.has('add-config') && o.has('add-config-file')) throw new ArgError('Only one of --add-config or --add-config-file must be specified');
    } else if (o.has('entity-default') && entity.type === 'topics') {
      throw new ArgError(`--entity-default must not be specified with --describe of ${entity.type}`);
    }
    if (entity.type === 'broker-loggers' && entity.name === null) throw new ArgError(`An entity name must be specified with --describe of ${entity.type}`);
  } catch (err) {
    if (err instanceof OptionsError) return usageError(io, SPECS, err.message);
    if (err instanceof ArgError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }

  let admin: Admin | null = null;
  try {
    admin = await connectAdmin((o.value('bootstrap-server') ?? o.value('bootstrap-controller'))!);
    if (o.has('alter')) {
      await alter(admin, o, entity, io);
    } else {
      await describe(admin, entity, o.has('all'), io);
    }
    return 0;
  } catch (err) {
    if (err instanceof ArgError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    io.stderr.write(`Error while executing config command with args '${argv.join(' ')}'\n${javaStyle(err)}\n`);
    return 1;
  } finally {
    await admin?.close();
  }
}

async function entriesOf(admin: Admin, type: string, name: string, all: boolean, includeSynonyms: boolean): Promise<ConfigEntry[]> {
  const [result] = await admin.describeConfigs([{ type: RESOURCE_TYPE[type]!, name }], { includeSynonyms });
  if (result!.error !== null) throw result!.error;
  const wanted = all ? null : DYNAMIC_SOURCE[type]!(name);
  return result!.entries.filter((e) => wanted === null || e.source === wanted).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function describe(admin: Admin, entity: Entity, all: boolean, io: ToolIO): Promise<void> {
  let names: string[];
  if (entity.name !== null) names = [entity.name];
  else if (entity.type === 'topics') names = await admin.listTopics({ includeInternal: true });
  else names = [...(await admin.describeCluster()).brokers.map((b) => String(b.nodeId)), ''];
  for (const name of names) {
    if (name === '') io.stdout.write(`Default configs for ${entity.type} in the cluster are:\n`);
    else io.stdout.write(`${all ? 'All' : 'Dynamic'} configs for ${entity.type.slice(0, -1)} ${name} are:\n`);
    for (const e of await entriesOf(admin, entity.type, name, all, true)) io.stdout.write(formatConfigEntry(e));
  }
}

async function alter(admin: Admin, o: ParsedOptions, entity: Entity, io: ToolIO): Promise<void> {
  const name = entity.name!;
  let toAdd = new Map<string, string>();
  if (o.has('add-config-file')) {
    const { readPropertiesFile } = await import('./cli/tool-io');
    toAdd = await readPropertiesFile(o.value('add-config-file')!);
  }
  if (o.has('add-config')) toAdd = parseAddConfig(o.value('add-config')!);
  const toDelete = o.values('delete-config').map((k) => k.trim());
  const current = new Set((await entriesOf(admin, entity.type, name, false, false)).map((e) => e.name));
  const invalid = toDelete.filter((k) => !current.has(k));
  if (invalid.length > 0) throw new ArgError(`Invalid config(s): ${invalid.join(',')}`);
  const [result] = await admin.incrementalAlterConfigs([
    {
      type: RESOURCE_TYPE[entity.type]!,
      name,
      ops: [...toDelete.map((k) => ({ name: k, op: 'delete' as const })), ...[...toAdd].map(([k, v]) => ({ name: k, op: 'set' as const, value: v }))],
    },
  ]);
  if (result!.error !== null) throw result!.error;
  if (name !== '') io.stdout.write(`Completed updating config for ${entity.type.slice(0, -1)} ${name}.\n`);
  else io.stdout.write(`Completed updating default config for ${entity.type} in the cluster.\n`);
}
