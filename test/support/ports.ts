/**
 * Free ports on 127.0.0.1 for the clusters tests and benches start: each cluster needs
 * three consecutive ports (brokers 1, 2, 3 listen on base, base+1, base+2). A port is
 * free if a listener can bind it right now; another process may still take it before
 * the cluster does, which the random base makes unlikely.
 */
import * as net from 'node:net';

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * A base port whose three consecutive ports are free. With `prefer9092`, 9092 when
 * 9092-9094 are free (so code written for the default bootstrap runs unchanged).
 */
export async function threeFreePorts(opts: { prefer9092?: boolean } = {}): Promise<number> {
  const allFree = async (base: number) => (await Promise.all([0, 1, 2].map((d) => portFree(base + d)))).every(Boolean);
  if (opts.prefer9092 && (await allFree(9092))) return 9092;
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    if (await allFree(base)) return base;
  }
  throw new Error('no three consecutive free ports found on 127.0.0.1');
}
