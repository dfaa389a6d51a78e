/**
 * Command-line flags shared by `npm start`, `npm run serve` and the Electron main
 * process. Unknown flags and bad values are reported with what to type instead.
 */
import * as os from 'node:os';
import * as path from 'node:path';

export interface HostArgs {
  web: boolean;
  uiPort: number;
  dataDir: string | null;
  brokers: number;
  port: number;
  noUi: boolean;
  /** --min-free-bytes: the brokers' free-space guard (null: max(1 GiB, 5% of the disk); 0: off). */
  minFreeBytes: number | null;
}

export class ArgsError extends Error {}

export const DEFAULT_DATA_DIR = path.join(os.homedir(), '.stream-workbench');

export function parseHostArgs(argv: readonly string[]): HostArgs {
  const out: HostArgs = { web: false, uiPort: 0, dataDir: null, brokers: 3, port: 9092, noUi: false, minFreeBytes: null };
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
      default:
        // Electron and Chromium add their own switches; only our own must be known.
        if (arg.startsWith('--') && !arg.startsWith('--inspect') && !arg.startsWith('--remote-debugging')) {
          throw new ArgsError(`Unknown option ${flag}. Options: --web, --ui-port N, --data-dir DIR, --brokers N, --port P, --no-ui, --min-free-bytes SIZE.`);
        }
    }
  }
  return out;
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
export function clusterConfigFrom(args: HostArgs): { storageMinFreeBytes: number | null } {
  return { storageMinFreeBytes: args.minFreeBytes };
}
