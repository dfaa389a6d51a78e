/**
 * Command-line flags shared by `npm start`, `npm run serve` and the Electron main
 * process. Unknown flags and bad values are reported with what to type instead.
 *
 * Static broker configs, as Kafka's `kafka-server-start server.properties --override
 * KEY=VALUE` takes them: `--config-file FILE` (a .properties file) first, then each
 * `--config KEY=VALUE` in order (a later one wins). Names, ranges and what each sets are
 * in cluster/broker-configs.ts; an unknown name or a bad value is refused here, before
 * anything starts, with the valid range.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ClusterConfig } from '../cluster/config';
import { BrokerConfigError, parseStaticBrokerConfigs } from '../cluster/broker-configs';
import { parsePropertiesLines } from '../util/properties';

export interface HostArgs {
  web: boolean;
  uiPort: number;
  dataDir: string | null;
  brokers: number;
  port: number;
  noUi: boolean;
  /** --min-free-bytes: the brokers' free-space guard (null: max(1 GiB, 5% of the disk); 0: off). */
  minFreeBytes: number | null;
  /** --config-file, then --config: the static broker configs, parsed (ClusterConfig overrides). */
  brokerConfigs: Partial<ClusterConfig>;
}

export class ArgsError extends Error {}

export const DEFAULT_DATA_DIR = path.join(os.homedir(), '.stream-workbench');

export function parseHostArgs(argv: readonly string[]): HostArgs {
  const out: HostArgs = { web: false, uiPort: 0, dataDir: null, brokers: 3, port: 9092, noUi: false, minFreeBytes: null, brokerConfigs: {} };
  let configFile: string | null = null;
  const configs: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ArgsError(`${flag} needs a value.`);
      return v;
    };
    const int = (min: number, max: number): number => {
      const v = value();
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < min || n > max) throw new ArgsError(`${flag} must be a whole number from ${min} to ${max}, got "${v}".`);
      return n;
    };
    switch (flag) {
      case '--web': out.web = true; break;
      case '--no-ui': out.noUi = true; break;
      case '--ui-port': out.uiPort = int(0, 65535); break;
      case '--data-dir': out.dataDir = path.resolve(value()); break;
      case '--brokers': out.brokers = int(1, 9); break;
      case '--port': out.port = int(1, 65535 - 8); break;
      case '--min-free-bytes': out.minFreeBytes = byteCount(flag, value()); break;
      case '--config': configs.push(configPair(value())); break;
      case '--config-file': configFile = path.resolve(value()); break;
      default:
        // Electron and Chromium add their own switches; only our own must be known.
        if (arg.startsWith('--') && !arg.startsWith('--inspect') && !arg.startsWith('--remote-debugging')) {
          throw new ArgsError(`Unknown option ${flag}. Options: --web, --ui-port N, --data-dir DIR, --brokers N, --port P, --no-ui, --min-free-bytes SIZE, --config KEY=VALUE, --config-file FILE.`);
        }
    }
  }
  out.brokerConfigs = brokerConfigsOf(configFile, configs, out.brokers);
  return out;
}

/** "num.partitions=3" → ["num.partitions", "3"]; anything without a name and an = is refused. */
function configPair(v: string): [string, string] {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new ArgsError(`--config takes KEY=VALUE, such as --config num.partitions=3; got "${v}".`);
  return [v.slice(0, eq).trim(), v.slice(eq + 1).trim()];
}

function brokerConfigsOf(file: string | null, flags: [string, string][], brokerCount: number): Partial<ClusterConfig> {
  if (file === null && flags.length === 0) return {};
  const entries: [string, string][] = [];
  if (file !== null) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ArgsError(`--config-file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}). Give the path of a server.properties file.`);
    }
    for (const p of parsePropertiesLines(text)) {
      try {
        parseStaticBrokerConfigs([[p.key, p.value]], brokerCount);
      } catch (err) {
        if (err instanceof BrokerConfigError) throw new ArgsError(`${file}, line ${p.line}: ${err.message}`);
        throw err;
      }
      entries.push([p.key, p.value]);
    }
  }
  entries.push(...flags);
  try {
    return parseStaticBrokerConfigs(entries, brokerCount);
  } catch (err) {
    if (err instanceof BrokerConfigError) throw new ArgsError(`${err.message} The cluster did not start.`);
    throw err;
  }
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** "0", "500000000", "512MiB", "2GB", "1.5g": a byte count; anything else is refused with an example. */
function byteCount(flag: string, v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(v.trim());
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  const n = m && unit !== undefined ? Math.round(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new ArgsError(`${flag} must be a size such as 0 (off), 500MB or 2GiB, got "${v}".`);
  return n;
}

/** The engine's cluster settings that come from the command line. */
export function clusterConfigFrom(args: HostArgs): Partial<ClusterConfig> {
  return { ...args.brokerConfigs, storageMinFreeBytes: args.minFreeBytes };
}
