/**
 * The repository's in-process runner at a pinned time, with `refused`: a command that must
 * be refused (exit 2 by default) with a message and a hint line, writing and committing nothing.
 */
import { expect } from 'vitest';
import type { InProcessOptions } from './run.js';
import { DEFAULT_NOW, type RunResult, type TempRepo } from './repo.js';

export interface InProcess {
  inc(args: string[], options?: InProcessOptions): Promise<RunResult>;
  /** Like inc(), but a non-zero exit fails the test with inc's stderr. */
  ok(args: string[], options?: InProcessOptions): Promise<RunResult>;
  refused(args: string[], message: RegExp, options?: InProcessOptions & { code?: number }): Promise<RunResult>;
}

export function inProcess(repo: () => TempRepo): InProcess {
  const settings = (options: InProcessOptions) => ({ cwd: options.cwd, env: { ...options.env, INC_NOW: options.now ?? DEFAULT_NOW } });
  const inc = (args: string[], options: InProcessOptions = {}) => repo().inc(args, settings(options));
  return {
    inc,
    ok: (args, options = {}) => repo().ok(args, settings(options)),
    refused: async (args, message, options = {}) => {
      const before = repo().git(['rev-parse', 'HEAD']);
      const result = await inc(args, options);
      expect(result.code, result.stderr).toBe(options.code ?? 2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n').length, 'a second line says what to type instead').toBeGreaterThan(1);
      expect(result.stdout).toBe('');
      expect(repo().git(['rev-parse', 'HEAD'])).toBe(before);
      expect(repo().git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
      return result;
    },
  };
}
