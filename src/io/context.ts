/**
 * Everything a command needs from the outside world, injected (gh's factory pattern): the
 * working directory, environment, clock and streams. Tests pass their own; only src/entry.ts
 * builds the real one.
 */
import { isCiEnvironment } from '../domain/ci.js';
import type { Readable, Writable } from 'node:stream';
import { forWorkflowLog, visible } from '../domain/sanitise.js';

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
  return isCiEnvironment(ctx.env);
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

/** Under GitHub Actions the runner reads a step's output for workflow commands. */
export function underGithubActions(ctx: Pick<Context, 'env'>): boolean {
  return ctx.env.GITHUB_ACTIONS === 'true';
}

/**
 * Writes a message to stderr. Messages quote values from files, so each passes the sanitiser
 * (domain/sanitise.ts); under GitHub Actions it is also escaped as an annotation's message is,
 * so no value can start a workflow command.
 */
export function writeErr(ctx: Context, text: string): void {
  let safe = visible(text, { multiLine: true });
  if (underGithubActions(ctx)) safe = forWorkflowLog(safe);
  ctx.stderr.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

/**
 * Writes human-readable text to stdout. Values in it were shown visibly where the text was
 * made (colour codes are ours); under GitHub Actions no line may start a workflow command.
 */
export function writeOut(ctx: Context, text: string): void {
  ctx.stdout.write(underGithubActions(ctx) ? forWorkflowLog(text, { percent: false }) : text);
}
