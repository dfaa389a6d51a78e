/**
 * One engine per data dir. Two processes appending to the same partition files would
 * corrupt them, so a host takes `<dataDir>/.workbench.lock` (holding its pid) before
 * starting the engine. A lock left by a process that no longer runs is taken over.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class DataDirLock {
  private constructor(private readonly file: string) {}

  static acquire(dataDir: string): DataDirLock {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, '.workbench.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
        return new DataDirLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number(fs.readFileSync(file, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
          throw new Error(
            `The data folder ${dataDir} is in use by another Stream Workbench (process ${pid}). Close that one, or start with --data-dir pointing elsewhere.`,
          );
        }
        fs.rmSync(file, { force: true }); // stale: its owner is gone
      }
    }
    throw new Error(`Could not lock the data folder ${dataDir}.`);
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
