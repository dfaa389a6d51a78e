/**
 * A deliberately simple partition log, the first one: one file per partition,
 * `records.jsonl`, one JSON object per record:
 *   {"o":offset,"t":timestampMs,"k":base64|null,"v":base64|null,"h":[[key,base64|null],…]}
 * Every append is written and fsynced before it is acknowledged. On open the file is
 * read back; a torn last line (a crash mid-write) is cut off.
 *
 * This stands in until the Kafka-format log (segments, indexes, RecordBatch v2)
 * replaces it behind the same calls.
 *
 * Invariants: offsets are dense from 0; a record is in memory iff it is in the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert } from '../util/assert';

export interface ThinRecord {
  offset: number;
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer | null][];
}

export class ThinLog {
  private readonly records: ThinRecord[] = [];
  private fd: number;
  private bytes = 0;

  private constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'records.jsonl');
    this.load(file);
    this.fd = fs.openSync(file, 'a');
  }

  static open(dir: string): ThinLog {
    return new ThinLog(dir);
  }

  private load(file: string): void {
    if (!fs.existsSync(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    let good = 0;
    for (const line of text.split('\n')) {
      if (line.length === 0) break;
      let rec: ThinRecord;
      try {
        const j = JSON.parse(line) as { o: number; t: number; k: string | null; v: string | null; h: [string, string | null][] };
        rec = {
          offset: j.o, timestampMs: j.t,
          key: j.k === null ? null : Buffer.from(j.k, 'base64'),
          value: j.v === null ? null : Buffer.from(j.v, 'base64'),
          headers: j.h.map(([k, v]) => [k, v === null ? null : Buffer.from(v, 'base64')]),
        };
      } catch {
        break; // a torn tail: everything from here on did not survive
      }
      if (rec.offset !== this.records.length) break;
      this.records.push(rec);
      good += Buffer.byteLength(line) + 1;
    }
    if (good < Buffer.byteLength(text)) fs.truncateSync(file, good);
    this.bytes = good;
  }

  get logEndOffset(): number {
    return this.records.length;
  }
  get logStartOffset(): number {
    return 0;
  }
  get sizeBytes(): number {
    return this.bytes;
  }

  append(rec: Omit<ThinRecord, 'offset'>): number {
    const offset = this.records.length;
    const line = JSON.stringify({
      o: offset, t: rec.timestampMs,
      k: rec.key === null ? null : rec.key.toString('base64'),
      v: rec.value === null ? null : rec.value.toString('base64'),
      h: rec.headers.map(([k, v]) => [k, v === null ? null : v.toString('base64')]),
    }) + '\n';
    fs.writeSync(this.fd, line);
    fs.fsyncSync(this.fd);
    this.bytes += Buffer.byteLength(line);
    this.records.push({ ...rec, offset });
    assert(this.records[offset].offset === offset, 'offsets are dense');
    return offset;
  }

  read(fromOffset: number, maxRecords: number): ThinRecord[] {
    return this.records.slice(fromOffset, fromOffset + maxRecords);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
