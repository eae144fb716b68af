/**
 * Runs inc in-process through run(argv, context) in a test repository: the repository's
 * environment (fixed identity, HOME in the temp folder), no terminal, the clock pinned.
 */
import { run } from '../../src/main.js';
import { fakeContext } from './context.js';
import { DEFAULT_NOW, type RunResult, type TempRepo } from './repo.js';

export interface InProcessOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** ISO time for the clock; DEFAULT_NOW otherwise. */
  now?: string;
}

export async function incIn(repo: Pick<TempRepo, 'dir' | 'env'>, args: string[], options: InProcessOptions = {}): Promise<RunResult> {
  const ctx = fakeContext({ tty: false, cwd: options.cwd ?? repo.dir, env: { ...repo.env, ...options.env } });
  const now = new Date(options.now ?? DEFAULT_NOW);
  ctx.now = () => new Date(now.getTime());
  const code = await run(args, ctx);
  return { code, signal: null, stdout: ctx.out(), stderr: ctx.err() };
}
