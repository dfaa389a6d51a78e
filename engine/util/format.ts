/**
 * Numbers in the sentences the engine writes for people (errors, logs): sizes in
 * decimal units, as file managers and `df -H` show them.
 */

/** "312 MB" — decimal units, as file managers show free space. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${Math.round(v)} ${units[0]}` : `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
