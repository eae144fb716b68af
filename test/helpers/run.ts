/**
 * Runs inc in-process through run(argv, context) in a test repository: the repository's
 * environment (fixed identity, HOME in the temp folder), no terminal, the clock pinned.
 */
import { DEFAULT_NOW, type RunResult, runInProcess, type TempRepo } from './repo.js';

export interface InProcessOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** ISO time for the clock; DEFAULT_NOW otherwise. */
  now?: string;
}

export function incIn(repo: Pick<TempRepo, 'dir' | 'env'>, args: string[], options: InProcessOptions = {}): Promise<RunResult> {
  return runInProcess(args, options.cwd ?? repo.dir, { ...repo.env, ...options.env, INC_NOW: options.now ?? DEFAULT_NOW });
}
