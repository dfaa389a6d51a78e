/**
 * A small JSON path for filters: pick one value inside a record's JSON value.
 *
 * Syntax (whitespace not allowed):
 *   path     := "$" step*
 *   step     := "." name | "[" index "]" | "[" quoted "]"
 *   name     := one or more characters other than . [ ] ' " and whitespace
 *   index    := a whole number ≥ 0 (array position)
 *   quoted   := '…' or "…" with \\ \' \" escapes (any property name, e.g. ["full name"])
 * Examples: $.user.id   $.items[0].sku   $["order id"]   $   (the whole value)
 * Not supported (refused with a clear error): wildcards [*], recursive descent (..),
 * slices, filters ?( ), negative indexes.
 *
 * Evaluation walks the parsed JSON: a name step needs an object with that own
 * property, an index step an array long enough; otherwise the path does not exist.
 * Equality is JSON equality: numbers by value, objects regardless of key order.
 */
import { WorkbenchError } from '../api/errors';

export type JsonPathStep = { kind: 'name'; name: string } | { kind: 'index'; index: number };

/** Longest path accepted (steps). */
const MAX_STEPS = 64;

export function parseJsonPath(text: string, field = 'jsonPath'): JsonPathStep[] {
  const fail = (at: number, what: string): never => {
    throw new WorkbenchError(
      'INVALID_REQUEST',
      `JSON path "${text}" does not parse at character ${at + 1}: ${what}. Write paths like $.user.id, $.items[0] or $["full name"].`,
      field,
    );
  };
  if (text.length === 0) fail(0, 'it is empty');
  if (text[0] !== '$') fail(0, 'a path starts with $');
  const steps: JsonPathStep[] = [];
  let i = 1;
  while (i < text.length) {
    if (steps.length >= MAX_STEPS) fail(i, `a path has at most ${MAX_STEPS} steps`);
    const c = text[i];
    if (c === '.') {
      if (text[i + 1] === '.') fail(i, 'recursive descent (..) is not supported');
      let j = i + 1;
      while (j < text.length && !/[.[\]'"\s]/.test(text[j])) j++;
      if (j === i + 1) fail(i + 1, "expected a property name after '.'");
      const name = text.slice(i + 1, j);
      if (name === '*') fail(i + 1, 'wildcards (*) are not supported');
      steps.push({ kind: 'name', name });
      i = j;
    } else if (c === '[') {
      const q = text[i + 1];
      if (q === "'" || q === '"') {
        let j = i + 2;
        let name = '';
        for (;;) {
          if (j >= text.length) fail(i, `the quoted name is not closed with ${q}`);
          const d = text[j];
          if (d === '\\') {
            const e = text[j + 1];
            if (e !== '\\' && e !== "'" && e !== '"') fail(j, 'only \\\\, \\\' and \\" escapes are allowed in a quoted name');
            name += e;
            j += 2;
          } else if (d === q) {
            j++;
            break;
          } else {
            name += d;
            j++;
          }
        }
        if (text[j] !== ']') fail(j, "expected ']' after the quoted name");
        steps.push({ kind: 'name', name });
        i = j + 1;
      } else {
        const close = text.indexOf(']', i);
        if (close < 0) fail(i, "'[' is not closed with ']'");
        const inside = text.slice(i + 1, close);
        if (inside === '*') fail(i + 1, 'wildcards ([*]) are not supported');
        if (inside.startsWith('-')) fail(i + 1, 'negative indexes are not supported');
        if (inside.startsWith('?') || inside.includes(':')) fail(i + 1, 'filters and slices are not supported');
        if (!/^\d+$/.test(inside)) fail(i + 1, `"${inside}" is not an array index (a whole number) or a quoted name`);
        const index = Number(inside);
        if (!Number.isSafeInteger(index)) fail(i + 1, 'the index is too large');
        steps.push({ kind: 'index', index });
        i = close + 1;
      }
    } else {
      fail(i, `expected '.' or '[' but found '${c}'`);
    }
  }
  return steps;
}

const MISSING = Symbol('missing');

/** The value at `steps` inside `root`, or MISSING. */
export function evaluateJsonPath(root: unknown, steps: readonly JsonPathStep[]): unknown {
  let v: unknown = root;
  for (const s of steps) {
    if (s.kind === 'name') {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, s.name)) return MISSING;
      v = (v as Record<string, unknown>)[s.name];
    } else {
      if (!Array.isArray(v) || s.index >= v.length) return MISSING;
      v = v[s.index];
    }
  }
  return v;
}

export function isMissing(v: unknown): boolean {
  return v === MISSING;
}

/** JSON equality (numbers by value, objects regardless of key order). Depth-bounded by the parsed input. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!jsonEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
