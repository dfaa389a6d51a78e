/**
 * Java-style .properties text (server.properties, the tools' --command-config):
 * one `key=value`, `key:value` or `key value` per line; blank lines and lines starting
 * with # or ! are comments; surrounding whitespace is dropped. A later line with the
 * same key wins. Line continuations and escapes are not supported (Kafka's own files
 * do not use them).
 */

/** The pairs of a .properties text, in file order, each with its 1-based line number. */
export function parsePropertiesLines(text: string): { key: string; value: string; line: number }[] {
  const out: { key: string; value: string; line: number }[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) out.push({ key: m[1]!, value: m[2]!, line: i + 1 });
    else out.push({ key: line, value: '', line: i + 1 });
  }
  return out;
}

/** The pairs of a .properties text as a map (a later key wins). */
export function parseProperties(text: string): Map<string, string> {
  return new Map(parsePropertiesLines(text).map((p) => [p.key, p.value]));
}
