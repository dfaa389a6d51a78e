/**
 * Numbers in the sentences the engine writes for people (errors, logs). Sizes use
 * binary units with the same rounding as the renderer's format module, so a figure
 * reads the same in a log line, an error and the UI.
 */

/** "312.4 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
