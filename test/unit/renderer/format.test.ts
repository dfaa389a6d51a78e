import { describe, expect, it } from 'vitest';
import { readableConfigValue } from '../../../renderer/src/components/format';

describe('config values in words', () => {
  it('says durations and sizes where the name gives the unit', () => {
    expect(readableConfigValue('retention.ms', '604800000')).toBe('7 days');
    expect(readableConfigValue('segment.ms', '3600000')).toBe('1 h');
    expect(readableConfigValue('retention.ms', '-1')).toBe('never');
    expect(readableConfigValue('segment.bytes', '1073741824')).toBe('1.00 GiB');
    expect(readableConfigValue('retention.bytes', '-1')).toBe('unlimited');
    expect(readableConfigValue('max.message.bytes', '1048588')).toBe('1.0 MiB');
  });

  it('adds nothing where there is nothing to add', () => {
    expect(readableConfigValue('min.insync.replicas', '2')).toBeNull();
    expect(readableConfigValue('cleanup.policy', 'compact')).toBeNull();
    expect(readableConfigValue('retention.ms', 'seven days')).toBeNull();
    expect(readableConfigValue('segment.bytes', '512')).toBeNull();
    expect(readableConfigValue('retention.ms', null)).toBeNull();
  });
});
