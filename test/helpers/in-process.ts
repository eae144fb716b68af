/**
 * Runs inc in-process through run(argv, context) in a temporary repository, without a
 * terminal, at a pinned time: what most end-to-end tests need from the binary, faster.
 */
import { expect } from 'vitest';
import { run } from '../../src/main.js';
import { fakeContext } from './context.js';
import { DEFAULT_NOW, type TempRepo } from './repo.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  /** Now, as UTC ISO 8601 (default DEFAULT_NOW). */
  now?: string;
  env?: Record<string, string>;
  cwd?: string;
}

export interface InProcess {
  inc(args: string[], options?: InProcessOptions): Promise<InProcessResult>;
  /** Like inc(), but a non-zero exit fails the test with inc's stderr. */
  ok(args: string[], options?: InProcessOptions): Promise<InProcessResult>;
  /** A refused command: `code` (default 2), the message, a hint line, nothing on stdout, no commit, no file. */
  refused(args: string[], message: RegExp, options?: InProcessOptions & { code?: number }): Promise<InProcessResult>;
}

export function inProcess(repo: () => TempRepo): InProcess {
  const inc = async (args: string[], options: InProcessOptions = {}): Promise<InProcessResult> => {
    const ctx = fakeContext({ tty: false, cwd: options.cwd ?? repo().dir, env: { ...repo().env, ...options.env } });
    const now = new Date(options.now ?? DEFAULT_NOW);
    const code = await run(args, { ...ctx, now: () => new Date(now) });
    await new Promise((resolve) => setImmediate(resolve)); // the streams' last chunks
    return { code, stdout: ctx.out(), stderr: ctx.err() };
  };
  return {
    inc,
    ok: async (args, options) => {
      const result = await inc(args, options);
      if (result.code !== 0) throw new Error(`inc ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return result;
    },
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
