/**
 * Everything a command needs from the outside world, injected (gh's factory pattern): the
 * working directory, environment, clock and streams. Tests pass their own; only src/entry.ts
 * builds the real one.
 */
import type { Readable, Writable } from 'node:stream';

export interface TerminalStream extends Writable {
  isTTY?: boolean;
  columns?: number;
}

export interface Context {
  cwd: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  stdin: Readable & { isTTY?: boolean };
  stdout: TerminalStream;
  stderr: TerminalStream;
  /**
   * The file system's clock in milliseconds, which the caches compare file times with (a file
   * changed within the last few seconds is not cached yet); the real clock when not given.
   * Tests move it ahead instead of waiting for the files they wrote to settle.
   */
  fileClock?: () => number;
  /** --dry-run was given: writes show what they would do and write nothing (set when the flags are parsed). */
  dryRun?: boolean;
}

/** Prompts only where a person can answer: stdin and stderr are terminals and not under CI. */
export function canPrompt(ctx: Context): boolean {
  return Boolean(ctx.stdin.isTTY && ctx.stderr.isTTY) && !isCI(ctx);
}

export function isCI(ctx: Context): boolean {
  const ci = ctx.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * The clock: INC_NOW pins it (like adr-tools' ADR_DATE) so that transcripts and end-to-end
 * tests are reproducible; otherwise the real time.
 */
export function clockFromEnv(env: Record<string, string | undefined>): () => Date {
  const pinned = env.INC_NOW;
  if (pinned) {
    const at = new Date(pinned);
    if (!Number.isNaN(at.getTime())) return () => new Date(at.getTime());
  }
  return () => new Date();
}

export function writeErr(ctx: Context, text: string): void {
  ctx.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
