/**
 * PartitionReader on stored bytes that are damaged after their CRC was checked (the
 * reader trusts stored batches and does not re-check CRCs): it reports CORRUPT_MESSAGE
 * naming the partition, for a damaged record and for damaged headers asked for later.
 */
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../engine/api/errors';
import { compileFilter } from '../../../engine/records/filter';
import type { LeaderIo } from '../../../engine/ports/leader-io';
import { PartitionReader } from '../../../engine/records/partition-reader';
import { RECORDS_AT, buildBatchSync } from '../../../engine/storage/record-batch';

/** One batch of one record: key "k", value "v", header h = "x". */
function batch(): Buffer {
  return buildBatchSync({ records: [{ key: Buffer.from('k'), value: Buffer.from('v'), headers: [{ key: 'h', value: Buffer.from('x') }], timestampMs: 1000 }] });
}

function readerOver(data: Buffer): PartitionReader {
  const io = { read: async (_t: string, _p: number, from: number) => (from >= 1 ? null : data) } as unknown as LeaderIo;
  return new PartitionReader(io, 'orders', 2, 0, 1, { skipControl: true });
}

async function corruptError(run: () => Promise<unknown> | unknown): Promise<WorkbenchError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof WorkbenchError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('PartitionReader on damaged stored bytes', () => {
  it('reads the undamaged batch', async () => {
    const r = readerOver(batch());
    await r.advance();
    expect(r.headOffset).toBe(0);
    expect(r.keyBytes()?.toString()).toBe('k');
    expect(r.headers()).toEqual([{ key: 'h', value: Buffer.from('x') }]);
  });

  it('raises CORRUPT_MESSAGE for a record whose length runs past its batch', async () => {
    const data = batch();
    data[RECORDS_AT] = 0x7e; // record length 63: past the batch's end
    const err = await corruptError(() => readerOver(data).advance());
    expect(err.code).toBe('CORRUPT_MESSAGE');
    expect(err.message).toMatch(/Partition 2 of "orders" holds unreadable data: .*runs past the end of the records/);
  });

  it('raises CORRUPT_MESSAGE for damaged headers only when they are asked for', async () => {
    const data = batch();
    // length, attributes, ts, offset, key length, "k", value length, "v", header count: then the header key length.
    data[RECORDS_AT + 9] = 0x7e; // a header key of 63 bytes: past the record
    const r = readerOver(data);
    await r.advance();
    expect(r.valueBytes()?.toString()).toBe('v');
    expect((await corruptError(() => r.headers())).code).toBe('CORRUPT_MESSAGE');
    const byHeader = compileFilter({ headerKey: 'h' });
    expect((await corruptError(() => byHeader.matches(r))).code).toBe('CORRUPT_MESSAGE');
    expect(compileFilter({ valueContains: 'v' }).matches(r)).toBe(true);
  });
});
