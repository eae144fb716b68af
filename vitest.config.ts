import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    // End-to-end tests spawn git (and a few the built binary): give them room on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of an end-to-end test is waiting for git: one worker more than there are cores
    // keeps both cores busy (vitest's default on a 2-core machine is a single worker). Measured
    // on 2 cores: 2 workers 87 s, 3 workers 72 s, 4 workers 73 s.
    maxWorkers: availableParallelism() + 1,
    // A green run is quiet: what a test prints (figures from property tests, timings) is shown
    // only for a test that failed.
    silent: 'passed-only',
    // A dot per test, not a line per file and slow test: a green run is a few lines; a failure
    // still prints its name, the assertion's diff and the stack (--reporter=verbose lists every test).
    reporters: ['dot'],
    projects: [
      {
        // Tests of functions in memory: no repository, no process, no state left behind. They
        // share their workers (a new process and module graph for each of these files cost
        // more than most of their tests: 22 s of CPU isolated, 13.5 s shared).
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], isolate: false },
      },
      {
        // Each end-to-end file in a fresh process: they spawn git and inc, and a worker that had
        // run other files is larger, which makes every spawn (a fork) cost more.
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] },
      },
    ],
  },
});
