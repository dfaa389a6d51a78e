/**
 * The layer rules from DESIGN.md and DEVELOPERS.md, enforced on the import statements:
 *
 * - engine/ never imports electron, react, the renderer or the desktop host; the
 *   renderer reaches the engine through contract types only; the Electron host uses
 *   the engine's api and host modules, not its internals.
 * - Inside engine/: storage knows nothing above it; cluster knows neither wire nor the
 *   contract; the services (one folder per domain) reach the cluster through the ports
 *   and each other only through a service's public index; only the hosts import the
 *   composition root.
 * - Inside the renderer: only the store calls the contract.
 * - No runtime import cycles in engine/ or the renderer (an `import type` is erased by
 *   the compiler and does not count).
 * - Beside imports, the globals engine code may not touch: DOM globals anywhere; real
 *   time, real randomness and real timers anywhere but the edges that are real by
 *   definition (the system Clock and Random, the hosts, the command-line tools, the
 *   simulator's command line), so that the simulator can replay any run, including the
 *   Kafka client the engine runs inside itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The services, one folder per domain of the contract. */
const SERVICES = ['topics', 'records', 'groups', 'brokers', 'metrics', 'lessons'];
/**
 * Modules of cluster/ a service or port may load at run time: constants and pure
 * functions. Everything else of cluster/ (brokers, replica managers, logs, the
 * controller's machinery) is reached through the ports.
 */
const PURE_CLUSTER_MODULES = ['metadata-image', 'partitioner', 'topic-names', 'controller', 'group', 'broker-configs', 'group/offsets-topic-format', 'group/consumer-protocol', 'log-dirs'].map((m) => path.join('engine', 'cluster', m));

/**
 * Reading real time or randomness, or arming a real timer: engine code asks its Clock
 * and Random instead (engine/util/clock.ts, random.ts).
 */
const REAL_TIME_OR_RANDOMNESS =
  /\b(Date\.now|performance\.now|process\.hrtime|Math\.random|setTimeout|setInterval|setImmediate|randomBytes|randomUUID|randomInt)\s*\(|\bnew\s+Date\s*\(\s*\)/;
/** Where engine code is real by definition. */
const REAL_WORLD_EDGES = [
  path.join('engine', 'util', 'clock.ts'), // the system Clock
  path.join('engine', 'util', 'random.ts'), // the system Random
  path.join('engine', 'host'), // worker threads, servers, process lifetime
  path.join('engine', 'tools'), // command-line tools: real people, real time
  path.join('engine', 'sim', 'main.ts'), // the simulator's command line times its runs
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|mts)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

interface ImportStmt {
  file: string;
  spec: string;
  /** `import type …`, `export type …`, or only `type` names in braces: erased at compile time. */
  typeOnly: boolean;
}

function imports(file: string): ImportStmt[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out: ImportStmt[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^'"]*?)\s*from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[4] ?? m[5] ?? m[6] ?? m[7];
    const braces = /^\{([^}]*)\}$/.exec((m[3] ?? '').trim());
    const names = braces ? braces[1].split(',').map((s) => s.trim()).filter(Boolean) : [];
    const typeOnly = Boolean(m[2]) || (names.length > 0 && names.every((n) => n.startsWith('type ')));
    out.push({ file, spec, typeOnly });
  }
  return out;
}

/** The file (or folder) a relative import points at, relative to ROOT; null for packages. */
function target(stmt: ImportStmt): string | null {
  if (!stmt.spec.startsWith('.')) return null;
  return path.relative(ROOT, path.resolve(ROOT, path.dirname(stmt.file), stmt.spec));
}

/** The source file a relative import loads, relative to ROOT; null for packages and non-code files. */
function resolveFile(stmt: ImportStmt): string | null {
  const t = target(stmt);
  if (t === null) return null;
  for (const candidate of [t, `${t}.ts`, `${t}.tsx`, path.join(t, 'index.ts'), path.join(t, 'index.tsx')]) {
    const full = path.join(ROOT, candidate);
    if (/\.(ts|tsx)$/.test(candidate) && fs.existsSync(full) && fs.statSync(full).isFile()) return candidate;
  }
  return null;
}

function resolvesInto(stmt: ImportStmt, folder: string): boolean {
  const t = target(stmt);
  return t !== null && (t === folder || t.startsWith(folder + path.sep));
}

function inFolder(file: string, folder: string): boolean {
  return file.startsWith(folder + path.sep);
}

const engineImports = (): ImportStmt[] => sourceFiles('engine').flatMap(imports);

/** Source without comments (line numbers kept: a block comment keeps its line breaks). */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');
}
const codeOf = (file: string): string => stripComments(fs.readFileSync(path.join(ROOT, file), 'utf8'));
const show = (s: ImportStmt) => `${s.file} imports ${s.spec}`;

/** Every runtime import cycle among `files`, each as the chain of files that closes it. */
function runtimeCycles(files: string[]): string[] {
  const graph = new Map<string, string[]>();
  for (const f of files) graph.set(f, imports(f).filter((s) => !s.typeOnly).map(resolveFile).filter((t): t is string => t !== null));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return cycles;
}

describe('layers', () => {
  it('engine/ imports no electron, react, DOM-only package, renderer or desktop host code', () => {
    const bad = engineImports().filter((s) => /^(electron|react|react-dom|zustand)(\/|$)/.test(s.spec) || resolvesInto(s, 'renderer') || resolvesInto(s, 'electron'));
    expect(bad.map(show)).toEqual([]);
  });

  it('engine/ does not touch DOM globals', () => {
    const bad = sourceFiles('engine').filter((f) => /\b(window|document)\.\w/.test(codeOf(f)));
    expect(bad).toEqual([]);
  });

  it('engine/ reads time and randomness only through its Clock and Random, outside the real-world edges', () => {
    const engine = sourceFiles('engine');
    // The client is the engine's part most tempted by real time; make sure the scan covers it.
    expect(engine.filter((f) => inFolder(f, path.join('engine', 'client'))).length).toBeGreaterThan(5);
    const bad = engine
      .filter((f) => !REAL_WORLD_EDGES.some((edge) => f === edge || inFolder(f, edge)))
      .flatMap((f) => codeOf(f).split('\n').map((line, i) => ({ f, line, i })))
      .filter(({ line }) => REAL_TIME_OR_RANDOMNESS.test(line))
      .map(({ f, line, i }) => `${f}:${i + 1}: ${line.trim()}`);
    expect(bad).toEqual([]);
  });

  it('the real-time scan sees a real timer or clock read and ignores comments and look-alikes', () => {
    const hits = (code: string) => REAL_TIME_OR_RANDOMNESS.test(stripComments(code));
    expect(hits('const t = performance.now();')).toBe(true);
    expect(hits('setTimeout(fn, 5);')).toBe(true);
    expect(hits('const d = new Date();')).toBe(true);
    expect(hits('const id = crypto.randomUUID();')).toBe(true);
    expect(hits('// never setTimeout(fn)\n/* Date.now() */')).toBe(false);
    expect(hits('clock.setTimer(5, fn); clock.nowMs(); new Date(ms); random.int(3);')).toBe(false);
  });

  it('engine/cluster imports nothing from wire/, api/ or client/: the broker never depends on its transports, contract or clients', () => {
    const bad = sourceFiles(path.join('engine', 'cluster'))
      .flatMap(imports)
      .filter((s) => ['wire', 'api', 'client'].some((folder) => resolvesInto(s, path.join('engine', folder))));
    expect(bad).toEqual([]);
  });

  it('the renderer imports only types from the engine, and only from engine/api', () => {
    const fromEngine = sourceFiles('renderer').flatMap(imports).filter((s) => resolvesInto(s, 'engine'));
    expect(fromEngine.length).toBeGreaterThan(0);
    expect(fromEngine.filter((s) => !s.typeOnly).map(show)).toEqual([]);
    expect(fromEngine.filter((s) => !resolvesInto(s, path.join('engine', 'api'))).map(show)).toEqual([]);
  });

  it('the Electron host uses the engine through engine/api and engine/host only', () => {
    const bad = sourceFiles('electron')
      .flatMap(imports)
      .filter((s) => resolvesInto(s, 'engine') && !resolvesInto(s, path.join('engine', 'api')) && !resolvesInto(s, path.join('engine', 'host')));
    expect(bad.map(show)).toEqual([]);
  });
});

describe('layers inside engine/', () => {
  it('storage knows nothing above it (only util/)', () => {
    const bad = engineImports().filter((s) => inFolder(s.file, path.join('engine', 'storage')) && target(s) !== null && !resolvesInto(s, path.join('engine', 'storage')) && !resolvesInto(s, path.join('engine', 'util')));
    expect(bad.map(show)).toEqual([]);
  });

  it('cluster knows neither wire nor the contract, nor anything built on it', () => {
    const above = ['wire', 'api', 'host', 'ports', 'client', 'tools', 'sim', ...SERVICES].map((d) => path.join('engine', d));
    const bad = engineImports().filter((s) => inFolder(s.file, path.join('engine', 'cluster')) && (above.some((d) => resolvesInto(s, d)) || resolvesInto(s, path.join('engine', 'engine')) || resolvesInto(s, path.join('engine', 'cluster-ports'))));
    expect(bad.map(show)).toEqual([]);
  });

  it('a service uses another service only through its public index, and never the composition root', () => {
    const bad = engineImports().filter((s) => {
      const own = SERVICES.find((d) => inFolder(s.file, path.join('engine', d)));
      if (own === undefined) return false;
      if (resolvesInto(s, path.join('engine', 'engine')) || resolvesInto(s, path.join('engine', 'cluster-ports'))) return true;
      if (['host', 'wire', 'sim', 'tools'].some((d) => resolvesInto(s, path.join('engine', d)))) return true;
      return SERVICES.some((d) => d !== own && resolvesInto(s, path.join('engine', d)) && target(s) !== path.join('engine', d));
    });
    expect(bad.map(show)).toEqual([]);
  });

  it('services and ports reach the running cluster through the ports: only types and pure helpers of cluster/ at run time', () => {
    const layers = [...SERVICES, 'ports'].map((d) => path.join('engine', d));
    const bad = engineImports().filter(
      (s) => layers.some((d) => inFolder(s.file, d)) && !s.typeOnly && resolvesInto(s, path.join('engine', 'cluster')) && !PURE_CLUSTER_MODULES.some((m) => target(s) === m),
    );
    expect(bad.map(show)).toEqual([]);
  });

  it('the ports know no service and not the composition root', () => {
    const bad = engineImports().filter(
      (s) => inFolder(s.file, path.join('engine', 'ports')) && ([...SERVICES].some((d) => resolvesInto(s, path.join('engine', d))) || resolvesInto(s, path.join('engine', 'engine')) || resolvesInto(s, path.join('engine', 'cluster-ports'))),
    );
    expect(bad.map(show)).toEqual([]);
  });

  it('only the hosts import the composition root (engine.ts), and only it imports the cluster ports', () => {
    const root = engineImports().filter((s) => target(s) === path.join('engine', 'engine'));
    expect(root.length).toBeGreaterThan(0);
    expect(root.filter((s) => !inFolder(s.file, path.join('engine', 'host'))).map(show)).toEqual([]);
    const adapters = engineImports().filter((s) => target(s) === path.join('engine', 'cluster-ports'));
    expect(adapters.filter((s) => s.file !== path.join('engine', 'engine.ts')).map(show)).toEqual([]);
  });
});

describe('layers inside the renderer', () => {
  it('only the store calls the contract: views and components use store actions', () => {
    const store = path.join('renderer', 'src', 'store');
    const bound = sourceFiles('renderer').flatMap(imports).filter((s) => target(s) === path.join(store, 'api'));
    expect(bound.filter((s) => !inFolder(s.file, store) && s.file !== path.join('renderer', 'src', 'main.tsx')).map(show)).toEqual([]);
    const views = sourceFiles(path.join('renderer', 'src', 'views')).concat(sourceFiles(path.join('renderer', 'src', 'components')));
    const transport = views.flatMap(imports).filter((s) => target(s) === path.join('renderer', 'src', 'api'));
    expect(transport.map(show)).toEqual([]);
  });
});

describe('no runtime import cycles', () => {
  it('in engine/', () => {
    expect(runtimeCycles(sourceFiles('engine'))).toEqual([]);
  });

  it('in the renderer', () => {
    expect(runtimeCycles(sourceFiles(path.join('renderer', 'src')))).toEqual([]);
  });

  it('the check sees a cycle when there is one, and ignores type-only imports', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.cycle-'));
    try {
      const rel = path.relative(ROOT, dir);
      fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      fs.writeFileSync(path.join(dir, 'b.ts'), "import { c } from './c';\nexport const b = () => c;\n");
      fs.writeFileSync(path.join(dir, 'c.ts'), "import { a } from './a';\nexport const c = () => a;\n");
      fs.writeFileSync(path.join(dir, 'd.ts'), "import type { E } from './e';\nexport type D = E;\n");
      fs.writeFileSync(path.join(dir, 'e.ts'), "import { type D } from './d';\nexport type E = D | 1;\n");
      const cycles = runtimeCycles(sourceFiles(rel));
      expect(cycles).toHaveLength(1);
      expect(cycles[0]).toContain(path.join(rel, 'a.ts'));
      expect(cycles[0]).toContain(path.join(rel, 'c.ts'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
