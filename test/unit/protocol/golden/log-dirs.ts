/**
 * Golden case for DescribeLogDirs (v0-1 plain, v2+ flexible, v3 a top-level error code,
 * v4 the directory's total and usable bytes): a request naming partitions (v0 and v2) or
 * every topic (null, the others), and a response with a leader and a lagging follower.
 */
import { ApiKey } from '../../../../engine/protocol/registry';
import { ByteWriter } from '../byte-writer';
import type { GoldenCase } from './case';

export const describeLogDirs: GoldenCase = {
  apiKey: ApiKey.DescribeLogDirs,
  name: 'DescribeLogDirs',
  versions: [0, 4],
  request(v) {
    const all = v % 2 === 1 || v === 4;
    const message = { topics: all ? null : [{ topic: 'orders', partitions: [0, 1] }] };
    const w = new ByteWriter(v >= 2);
    if (all) w.array(null);
    else w.array(1).string('orders').int32s([0, 1]).tags();
    w.tags();
    return { message, bytes: w.buf() };
  },
  response(v) {
    const message = {
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          errorCode: 0,
          logDir: '/data/broker-1',
          topics: [
            {
              name: 'orders',
              partitions: [
                { partitionIndex: 0, partitionSize: 4096, offsetLag: 0, isFutureKey: false },
                { partitionIndex: 1, partitionSize: 1234, offsetLag: 17, isFutureKey: false },
              ],
            },
          ],
          totalBytes: v >= 4 ? 500_000_000_000 : -1,
          usableBytes: v >= 4 ? 123_456_789_012 : -1,
        },
      ],
    };
    const w = new ByteWriter(v >= 2);
    w.int32(0);
    if (v >= 3) w.int16(0);
    w.array(1).int16(0).string('/data/broker-1').array(1).string('orders').array(2);
    w.int32(0).int64(4096).int64(0).bool(false).tags();
    w.int32(1).int64(1234).int64(17).bool(false).tags();
    w.tags();
    if (v >= 4) w.int64(500_000_000_000).int64(123_456_789_012);
    w.tags().tags();
    return { message, bytes: w.buf() };
  },
};

export const LOG_DIRS_CASES: GoldenCase[] = [describeLogDirs];
