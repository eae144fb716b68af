import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built binary and git: give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A green run is quiet: what a test prints (figures from property tests, timings) is shown
    // only for a test that failed.
    silent: 'passed-only',
  },
});
