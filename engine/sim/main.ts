/**
 * `npm run sim -- --seed S --steps K [--brokers N] [--seeds M] [--fault-rate P] [--reassign-rate P] [--verbose]`
 *
 * Runs the deterministic simulator for one seed (or M seeds from S), prints for each
 * the seed, the steps, the faults injected, what the workload did and the final state
 * hash, and lists any invariant violation. Exits 1 if any seed violated an invariant;
 * a failing seed is reproduced by running it alone with the same options.
 */
import { runSimulation, type SimResult } from './simulator';

interface Args {
  seed: number;
  steps: number;
  brokers: number;
  seeds: number;
  faultRate: number | undefined;
  reassignRate: number | undefined;
  verbose: boolean;
  json: boolean;
}

function parse(argv: string[]): Args {
  const a: Args = { seed: 1, steps: 3000, brokers: 3, seeds: 1, faultRate: undefined, reassignRate: undefined, verbose: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v)) throw new Error(`${flag} needs a number`);
      return v;
    };
    switch (flag) {
      case '--seed': a.seed = num(); break;
      case '--steps': a.steps = num(); break;
      case '--brokers': a.brokers = num(); break;
      case '--seeds': a.seeds = num(); break;
      case '--fault-rate': a.faultRate = num(); break;
      case '--reassign-rate': a.reassignRate = num(); break;
      case '--verbose': a.verbose = true; break;
      case '--json': a.json = true; break;
      default: throw new Error(`Unknown option ${flag}. Options: --seed S --steps K --brokers N --seeds M --fault-rate P --reassign-rate P --verbose --json`);
    }
  }
  return a;
}

function describe(r: SimResult, ms: number): string {
  const kinds = new Map<string, number>();
  for (const f of r.faults) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  const faults = [...kinds].map(([k, n]) => `${k}×${n}`).join(' ') || 'none';
  const s = r.stats;
  return [
    `seed ${r.seed}: ${r.steps} steps, ${(r.virtualMs / 1000).toFixed(1)} s virtual, ${ms} ms real`,
    `  faults: ${faults}`,
    `  produced ${s.produced} (acks=all acknowledged ${s.ackedAll}, acks=1 ${s.ackedOne}), consumed ${s.consumed}, commits ${s.commits}, rebalances ${s.rebalances}, leader elections ${s.leaderElections}`,
    `  reassignments: ${s.reassignments} started, ${s.reassignCancels} cancelled`,
    `  built-in consumers: ${s.builtinStarted} started, ${s.builtinProcessed} records processed; ${s.wireRequests} requests answered over the wire, ${s.wireCommits} offset commits acknowledged there`,
    `  state hash ${r.hash}  ${r.violations.length === 0 ? 'invariants hold' : `${r.violations.length} VIOLATIONS`}`,
    ...r.violations.slice(0, 20).map((v) => `    ${v}`),
  ].join('\n');
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  let failed = 0;
  let totalSteps = 0;
  const started = performance.now();
  const results: SimResult[] = [];
  for (let i = 0; i < args.seeds; i++) {
    const seed = args.seed + i;
    const t0 = performance.now();
    const r = await runSimulation({ seed, steps: args.steps, brokers: args.brokers, faultRate: args.faultRate, reassignRate: args.reassignRate, log: args.verbose ? (l) => process.stdout.write(`    ${l}\n`) : undefined });
    totalSteps += r.steps;
    if (r.violations.length > 0) failed++;
    results.push(r);
    if (!args.json) process.stdout.write(`${describe(r, Math.round(performance.now() - t0))}\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  if (args.json) process.stdout.write(`${JSON.stringify({ seeds: results.map((r) => ({ seed: r.seed, hash: r.hash, violations: r.violations, faults: r.faults.length })), stepsPerS: Math.round(totalSteps / seconds) })}\n`);
  else process.stdout.write(`${args.seeds} seed(s), ${failed} failed, ${Math.round(totalSteps / seconds)} steps/s\n`);
  process.exit(failed > 0 ? 1 : 0);
}

void main();
