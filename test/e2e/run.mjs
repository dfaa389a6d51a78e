// Runs the browser scenarios with Playwright in the system Chromium. Where no Chromium
// is installed (a fresh machine before `apt-get install chromium`), says so and skips
// them; under CI a missing Chromium is an error (.ci/run installs it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const msg = `Browser scenarios skipped: no Chromium at ${chromium} (install it with apt-get install chromium, or set CHROMIUM_PATH).`;
  if (process.env.CI) {
    console.error(`${msg} CI must run them.`);
    process.exit(1);
  }
  console.log(msg);
  process.exit(0);
}
const r = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--config', 'test/playwright.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
