/**
 * Command-line options the way Kafka's tools read them (jopt-simple):
 *   --name value | --name=value; an option given twice keeps every value (the tools read
 *   the first or all of them); a unique prefix of a name is accepted (--bootstrap for
 *   --bootstrap-server); options with an optional argument take the next word only when it
 *   does not start with "--"; words that are not options are collected as non-options.
 *
 * Errors are OptionsError with jopt-simple's wording ("'x' is not a recognized option",
 * "Option ['topic'] requires an argument"); the tools print them followed by the usage
 * table and exit 1, as Kafka's CommandLineUtils.printUsageAndExit does.
 *
 * Invariant: every value returned belongs to a declared option; `has` is true exactly
 * for the options given on the command line.
 */

export interface OptionSpec {
  name: string;
  description: string;
  /** none: a flag; required: needs a value; optional: may take one. */
  arg?: 'none' | 'required' | 'optional';
  /** Shown in the usage table, e.g. "topic". */
  argName?: string;
  /** Values of this option split on this separator (jopt withValuesSeparatedBy). */
  separator?: string;
  defaultValue?: string;
}

export class OptionsError extends Error {
  override name = 'OptionsError';
}

export class ParsedOptions {
  constructor(
    private readonly specs: ReadonlyMap<string, OptionSpec>,
    private readonly given: ReadonlyMap<string, string[]>,
    readonly nonOptions: readonly string[],
    /** Names in the order they appeared. */
    readonly order: readonly string[],
  ) {}

  has(name: string): boolean {
    return this.given.has(name);
  }

  /** The first value, else the declared default, else undefined. */
  value(name: string): string | undefined {
    const v = this.given.get(name);
    if (v !== undefined && v.length > 0) return v[0];
    return this.specs.get(name)?.defaultValue;
  }

  values(name: string): string[] {
    return [...(this.given.get(name) ?? [])];
  }

  /** An integer value; throws OptionsError naming the option when it is not one. */
  int(name: string): number | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (!/^[-+]?\d+$/.test(v.trim())) throw new OptionsError(`Cannot parse argument '${v}' of option ${name}`);
    return Number(v.trim());
  }
}

export function parseOptions(argv: readonly string[], specList: readonly OptionSpec[]): ParsedOptions {
  const specs = new Map(specList.map((s) => [s.name, s]));
  const given = new Map<string, string[]>();
  const order: string[] = [];
  const nonOptions: string[] = [];
  const add = (name: string, value: string | null): void => {
    let list = given.get(name);
    if (list === undefined) {
      given.set(name, (list = []));
      order.push(name);
    }
    if (value === null) return;
    const sep = specs.get(name)!.separator;
    if (sep !== undefined) list.push(...value.split(sep));
    else list.push(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      nonOptions.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('--') || word === '--') {
      nonOptions.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const rawName = eq >= 0 ? word.slice(2, eq) : word.slice(2);
    const inline = eq >= 0 ? word.slice(eq + 1) : null;
    const name = resolveName(rawName, specs);
    const spec = specs.get(name)!;
    const arg = spec.arg ?? 'none';
    if (arg === 'none') {
      if (inline !== null) throw new OptionsError(`Option ['${name}'] does not take an argument`);
      add(name, null);
    } else if (inline !== null) {
      add(name, inline);
    } else {
      const next = argv[i + 1];
      if (next !== undefined && !(next.startsWith('--') && next.length > 2 && arg === 'optional') && !(arg === 'required' && isOptionWord(next, specs))) {
        add(name, next);
        i++;
      } else if (arg === 'optional') {
        add(name, null);
      } else {
        throw new OptionsError(`Option ['${name}'] requires an argument`);
      }
    }
  }
  return new ParsedOptions(specs, given, nonOptions, order);
}

function isOptionWord(word: string, specs: ReadonlyMap<string, OptionSpec>): boolean {
  if (!word.startsWith('--') || word.length <= 2) return false;
  try {
    resolveName(word.slice(2).split('=')[0]!, specs);
    return true;
  } catch {
    return false;
  }
}

function resolveName(raw: string, specs: ReadonlyMap<string, OptionSpec>): string {
  if (specs.has(raw)) return raw;
  const matches = [...specs.keys()].filter((n) => n.startsWith(raw));
  if (matches.length === 1 && raw.length > 0) return matches[0]!;
  if (matches.length > 1) throw new OptionsError(`Option '${raw}' is ambiguous; possibilities: ${matches.map((m) => `'${m}'`).join(', ')}`);
  throw new OptionsError(`'${raw}' is not a recognized option`);
}

/** The usage table jopt-simple prints (Option / Description columns). */
export function usage(specList: readonly OptionSpec[]): string {
  const rows = [...specList]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((s) => {
      const arg = s.arg === 'required' ? ` <${s.argName ?? 'String'}>` : s.arg === 'optional' ? ` [${s.argName ?? 'String'}]` : '';
      const def = s.defaultValue !== undefined ? ` (default: ${s.defaultValue})` : '';
      return [`--${s.name}${arg}`, `${s.description}${def}`] as const;
    });
  const width = Math.min(48, Math.max(6, ...rows.map((r) => r[0].length)) + 2);
  const lines = [`${'Option'.padEnd(width)}Description`, `${'------'.padEnd(width)}-----------`];
  for (const [opt, desc] of rows) lines.push(opt.length >= width ? `${opt}\n${''.padEnd(width)}${desc}` : `${opt.padEnd(width)}${desc}`);
  return lines.join('\n') + '\n';
}
