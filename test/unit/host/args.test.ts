import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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

describe('static broker configs on the command line', () => {
  it('takes --config KEY=VALUE, repeatable, and --config-file, the flags winning over the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-args-'));
    try {
      const file = path.join(dir, 'server.properties');
      fs.writeFileSync(file, '# a broker\nnum.partitions=2\nlog.retention.hours = 24\nauto.create.topics.enable: true\n');
      const a = parseHostArgs(['--config-file', file, '--config', 'num.partitions=3', '--config=min.insync.replicas=2']);
      expect(clusterConfigFrom(a)).toMatchObject({
        numPartitions: 3, autoCreateTopicsEnable: true, storageMinFreeBytes: null,
        topicDefaults: { 'retention.ms': '86400000', 'min.insync.replicas': '2' },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown key, a bad value or a file line with the valid range, before anything starts', () => {
    expect(() => parseHostArgs(['--config', 'num.partitions=0'])).toThrow(/num.partitions: value must be between 1 and 10000\. The cluster did not start\./);
    expect(() => parseHostArgs(['--config', 'nope.nope=1'])).toThrow(/Unknown broker config "nope.nope"/);
    expect(() => parseHostArgs(['--config', 'num.partitions'])).toThrow(/--config takes KEY=VALUE/);
    expect(() => parseHostArgs(['--config-file', '/no/such/server.properties'])).toThrow(/cannot be read \(ENOENT\)/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-args-'));
    try {
      const file = path.join(dir, 'server.properties');
      fs.writeFileSync(file, 'num.partitions=2\n\nmessage.max.bytes=-1\n');
      expect(() => parseHostArgs(['--config-file', file])).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 3: Invalid value "-1" for broker config message.max.bytes: value must be at least 0`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
