import { defineConfig } from 'vitest/config';

// Unit, simulation and interop tests. Browser scenarios run under Playwright instead
// (test/playwright.config.ts).
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/unit/**/*.test.ts', 'test/sim/**/*.test.ts', 'test/interop/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
