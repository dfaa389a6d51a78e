// Type-checks the four folders, each with its own tsconfig (engine without DOM types,
// renderer without Node's). electron/ is checked against electron.d.ts, which exists
// when the electron package is installed (CI installs it with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1); where npm dropped the package because its binary
// download failed, that check is reported as skipped, with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = ['engine', 'renderer', 'test', 'electron'];
let failed = false;
for (const p of projects) {
  if (p === 'electron' && !existsSync('node_modules/electron/electron.d.ts')) {
    console.log('typecheck electron/: SKIPPED — the electron package is not installed (its binary download failed, so npm dropped it). Install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install to check it.');
    if (process.env.CI) failed = true;
    continue;
  }
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', `${p}/tsconfig.json`], { stdio: 'inherit' });
  console.log(`typecheck ${p}/: ${r.status === 0 ? 'ok' : 'FAILED'}`);
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
