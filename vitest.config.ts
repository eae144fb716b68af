import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // End-to-end tests spawn git (and a few the built binary): give them room on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of an end-to-end test is waiting for git: one worker more than there are cores
    // keeps both cores busy (vitest's default on a 2-core machine is a single worker).
    maxWorkers: availableParallelism() + 1,
    // A green run is quiet: what a test prints (figures from property tests, timings) is shown
    // only for a test that failed.
    silent: 'passed-only',
    // A dot per test, not a line per file and slow test: a green run is a few lines; a failure
    // still prints its name, the assertion's diff and the stack (--reporter=verbose lists every test).
    reporters: ['dot'],
  },
});
