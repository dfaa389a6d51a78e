/**
 * Kafka's text checkpoint files, written crash-safely.
 *
 * Format (UTF-8 text, '\n' line ends):
 *   <version>            "0" for every checkpoint this engine writes
 *   <entry count>
 *   <entry>              one line each, fields separated by single spaces
 * Used for `leader-epoch-checkpoint` (entries "epoch startOffset") and the
 * broker-level offset checkpoints (entries "topic partition offset").
 *
 * Writes go to `<file>.tmp`, are fsynced, then renamed over the file, so a crash
 * leaves the old or the new checkpoint whole. Reading a missing file yields
 * undefined; a malformed one yields a sentence (the caller rebuilds the facts
 * from the log or starts from safe defaults instead of trusting it).
 */
import { readWholeFile, writeFileAtomic, type Storage } from './storage';

export const CHECKPOINT_VERSION = 0;

export function writeCheckpointFile(storage: Storage, path: string, entries: readonly string[]): void {
  const text = `${CHECKPOINT_VERSION}\n${entries.length}\n${entries.map((e) => `${e}\n`).join('')}`;
  writeFileAtomic(storage, path, Buffer.from(text, 'utf8'));
}

/**
 * Returns the entry lines, undefined when the file does not exist, or
 * `{ problem }` when it is malformed (wrong version, count mismatch, bad field count).
 */
export function readCheckpointFile(storage: Storage, path: string, fieldsPerEntry: number): string[][] | undefined | { problem: string } {
  if (!storage.exists(path)) return undefined;
  const text = readWholeFile(storage, path).toString('utf8');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 2) return { problem: `${path} is too short to be a checkpoint` };
  if (lines[0].trim() !== String(CHECKPOINT_VERSION)) return { problem: `${path} has unknown version ${JSON.stringify(lines[0])}` };
  const count = Number(lines[1].trim());
  if (!Number.isInteger(count) || count < 0) return { problem: `${path} has a bad entry count ${JSON.stringify(lines[1])}` };
  if (lines.length - 2 !== count) return { problem: `${path} declares ${count} entries but holds ${lines.length - 2}` };
  const out: string[][] = [];
  for (let i = 2; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/);
    if (fields.length !== fieldsPerEntry) return { problem: `${path} line ${i + 1} has ${fields.length} fields, expected ${fieldsPerEntry}` };
    out.push(fields);
  }
  return out;
}

/** Parses a non-negative (or >= min) safe integer field, or undefined. */
export function parseIntField(s: string, min = 0): number | undefined {
  if (!/^-?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= min ? n : undefined;
}
