/**
 * Shared steps of the lesson scenarios: a web host on free ports (one per spec file),
 * opening a lesson from the Learn view, waiting for a step to become current, making
 * a prediction, and running a step's own code sample (the guide's Python with
 * /usr/bin/python3, the npx tools from the project folder) exactly as the pane shows it:
 * to completion, or left running in the background (a producer loop, a consumer) and
 * stopped as Ctrl-C stops it.
 */
import { expect, type Page } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../support/web-host';

export const PYTHON = '/usr/bin/python3';

/** Opens the lesson from the Learn view and waits until it has set up. */
export async function openLesson(page: Page, lessonId: string): Promise<void> {
  await page.getByTestId('nav-learn').click();
  await page.getByTestId(`lesson-${lessonId}-start`).click();
  await expect(page.getByTestId('lesson-pane')).toBeVisible();
  await expect(page.getByTestId('lesson-current')).toBeVisible({ timeout: 30_000 });
}

/** Waits until `stepId` is the current step. */
export async function atStep(page: Page, stepId: string, timeoutMs = 30_000): Promise<void> {
  await expect(page.getByTestId(`lesson-step-${stepId}`)).toHaveClass(/current/, { timeout: timeoutMs });
}

/** The step is still current after a while: its check did not pass before its action. */
export async function stillAtStep(page: Page, stepId: string, ms = 1200): Promise<void> {
  await page.waitForTimeout(ms);
  await expect(page.getByTestId(`lesson-step-${stepId}`)).toHaveClass(/current/);
}

export async function predict(page: Page, choice: number): Promise<void> {
  await expect(page.getByTestId('lesson-prediction')).toBeVisible();
  await page.getByTestId(`lesson-option-${choice}`).check();
  await page.getByTestId('lesson-predict').click();
  await expect(page.getByTestId('lesson-watching')).toBeVisible();
}

export async function finished(page: Page, timeoutMs = 30_000): Promise<void> {
  await expect(page.getByTestId('lesson-finished')).toBeVisible({ timeout: timeoutMs });
}

/** The text of the current step's code sample `index`, as the pane shows it. */
export async function codeSample(page: Page, index = 0): Promise<string> {
  return (await page.getByTestId(`lesson-code-${index}`).locator('pre').textContent()) ?? '';
}

/** Runs a shell command from the project folder (where `npx kafka-*` resolve); throws with its output on failure. */
export function runShell(command: string, timeoutMs = 60_000): string {
  const r = spawnSync('sh', ['-c', command], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`"${command}" failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Runs Python code (the guide's, from the pane) with Debian's python3 and kafka-python. */
export function runPython(code: string, timeoutMs = 60_000): string {
  const file = path.join(os.tmpdir(), `sw-lesson-${Math.random().toString(36).slice(2)}.py`);
  fs.writeFileSync(file, code);
  try {
    const r = spawnSync(PYTHON, [file], { encoding: 'utf8', timeout: timeoutMs });
    if (r.status !== 0 && r.signal === null) throw new Error(`python failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Saves the README picture <name>.png (into docs/ with SW_UPDATE_DOCS=1, else test-results/docs/). The view is scrolled to its top,
 * or so that the element with test id `scrollTo` starts at the top (the pane stays put).
 */
export async function docsScreenshot(page: Page, name: string, scrollTo?: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.evaluate((id) => {
    const main = document.querySelector('.main');
    const el = id ? document.querySelector(`[data-testid="${id}"]`) : null;
    if (main && el) main.scrollTo(0, main.scrollTop + el.getBoundingClientRect().top - main.getBoundingClientRect().top - 12);
    else main?.scrollTo(0, 0);
  }, scrollTo ?? null);
  await page.waitForTimeout(400);
  // docs/ only when asked (SW_UPDATE_DOCS=1): a test run leaves the checkout as it was.
  const dir = process.env.SW_UPDATE_DOCS === '1' ? path.join(ROOT, 'docs') : path.join(ROOT, 'test-results', 'docs');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), animations: 'disabled' });
  if (size) await page.setViewportSize(size);
}

/** A client left running in the background (a producer loop, a consumer), as a learner leaves it in a terminal. */
export interface Background {
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Stops it as Ctrl-C does and waits for it to exit. */
  stop(): Promise<void>;
}

function background(command: string, args: string[], opts: { cwd?: string; cleanup?: () => void } = {}): Background {
  const child = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // The whole process group: npx starts the tool as a child of its own.
        const signal = (name: NodeJS.Signals) => {
          try {
            process.kill(-child.pid!, name);
          } catch {
            // It exited meanwhile.
          }
        };
        signal('SIGINT');
        const killer = setTimeout(() => signal('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      opts.cleanup?.();
    },
  };
}

/** Starts Python code (from the pane) with Debian's python3 and leaves it running. */
export function startPython(code: string): Background {
  const file = path.join(os.tmpdir(), `sw-lesson-${Math.random().toString(36).slice(2)}.py`);
  fs.writeFileSync(file, code);
  return background(PYTHON, [file], { cleanup: () => fs.rmSync(file, { force: true }) });
}

/** Starts a shell command from the project folder (a console consumer) and leaves it running. */
export function startShell(command: string): Background {
  return background('sh', ['-c', command], { cwd: ROOT });
}
