/**
 * The layer rule from DESIGN.md, enforced: engine/ never imports electron, react,
 * the renderer or the desktop host; the renderer reaches the engine through contract
 * types only; the Electron host uses the engine's api and host modules, not its internals.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..', '..');

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
  typeOnly: boolean;
}

function imports(file: string): ImportStmt[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out: ImportStmt[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4] ?? m[5];
    out.push({ file, spec, typeOnly: Boolean(m[2]) });
  }
  return out;
}

function resolvesInto(stmt: ImportStmt, folder: string): boolean {
  if (!stmt.spec.startsWith('.')) return false;
  const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(stmt.file), stmt.spec));
  return target === folder || target.startsWith(folder + path.sep);
}

describe('layers', () => {
  it('engine/ imports no electron, react, DOM-only package, renderer or desktop host code', () => {
    const bad = sourceFiles('engine')
      .flatMap(imports)
      .filter((s) => /^(electron|react|react-dom|zustand)(\/|$)/.test(s.spec) || resolvesInto(s, 'renderer') || resolvesInto(s, 'electron'));
    expect(bad).toEqual([]);
  });

  it('engine/ does not touch DOM globals', () => {
    const bad = sourceFiles('engine').filter((f) => /\b(window|document)\.\w/.test(fs.readFileSync(path.join(ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    expect(bad).toEqual([]);
  });

  it('engine/cluster imports nothing from wire/, api/ or client/: the broker never depends on its transports, contract or clients', () => {
    const bad = sourceFiles(path.join('engine', 'cluster'))
      .flatMap(imports)
      .filter((s) => ['wire', 'api', 'client'].some((folder) => resolvesInto(s, path.join('engine', folder))));
    expect(bad).toEqual([]);
  });

  it('the renderer imports only types from the engine, and only from engine/api', () => {
    const engineImports = sourceFiles('renderer').flatMap(imports).filter((s) => resolvesInto(s, 'engine'));
    expect(engineImports.length).toBeGreaterThan(0);
    expect(engineImports.filter((s) => !s.typeOnly)).toEqual([]);
    expect(engineImports.filter((s) => !resolvesInto(s, path.join('engine', 'api')))).toEqual([]);
  });

  it('the Electron host uses the engine through engine/api and engine/host only', () => {
    const bad = sourceFiles('electron')
      .flatMap(imports)
      .filter((s) => resolvesInto(s, 'engine') && !resolvesInto(s, path.join('engine', 'api')) && !resolvesInto(s, path.join('engine', 'host')));
    expect(bad).toEqual([]);
  });
});
