import { describe, expect, it } from 'vitest';
import { ArgsError, clusterConfigFrom, parseHostArgs } from '../../../engine/host/args';

describe('command-line flags', () => {
  it('takes the defaults and known flags', () => {
    const a = parseHostArgs(['--brokers', '3', '--port=19092', '--no-ui']);
    expect(a).toMatchObject({ brokers: 3, port: 19092, noUi: true, minFreeBytes: null });
    expect(clusterConfigFrom(a)).toEqual({ storageMinFreeBytes: null });
  });

  it('reads --min-free-bytes as a size with decimal or binary units, 0 turning the guard off', () => {
    expect(parseHostArgs(['--min-free-bytes', '0']).minFreeBytes).toBe(0);
    expect(parseHostArgs(['--min-free-bytes', '500MB']).minFreeBytes).toBe(500_000_000);
    expect(parseHostArgs(['--min-free-bytes=2GiB']).minFreeBytes).toBe(2 * 1024 ** 3);
    expect(parseHostArgs(['--min-free-bytes', '64k']).minFreeBytes).toBe(64_000);
    expect(clusterConfigFrom(parseHostArgs(['--min-free-bytes', '1mib']))).toEqual({ storageMinFreeBytes: 1024 * 1024 });
  });

  it('refuses nonsense with what to type instead', () => {
    for (const bad of ['lots', '-5', '12 parsecs', '1e99GB']) {
      expect(() => parseHostArgs(['--min-free-bytes', bad])).toThrow(ArgsError);
    }
    expect(() => parseHostArgs(['--min-free-bytes', 'lots'])).toThrow(/such as 0 \(off\), 500MB or 2GiB/);
    expect(() => parseHostArgs(['--frobnicate'])).toThrow(/--min-free-bytes SIZE/);
  });
});
