/**
 * Typed errors. Commands and modules throw these; only src/main.ts turns them into
 * exit codes and messages, so that no user ever sees a stack trace for bad input.
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the user can act on: printed as `inc: <message>` plus an optional hint line. */
export class IncError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.failure,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'IncError';
  }
}

/** Bad usage: an unknown flag, a missing argument, a value that is not valid (exit 2). */
export class UsageError extends IncError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
    this.name = 'UsageError';
  }
}

/** Something in a file could not be read: always says which file and which line. */
export class FileError extends IncError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
    hint?: string,
  ) {
    super(`${file}:${line}: ${detail}`, ExitCode.failure, hint);
    this.name = 'FileError';
  }
}

/** Ctrl-C at a prompt: end quietly, write nothing. */
export class InterruptedError extends IncError {
  constructor() {
    super('interrupted', ExitCode.interrupted);
    this.name = 'InterruptedError';
  }
}

/** Ends the command with a code and no further message (e.g. `inc check` after printing findings). */
export class ExitError extends IncError {
  constructor(exitCode: ExitCodeValue) {
    super('', exitCode);
    this.name = 'ExitError';
  }
}

/** One file a write would change: its text before (none for a new file) and after. */
export interface PlannedFile {
  path: string;
  before: string | undefined;
  after: string;
}

/** What a write would do: the files, the commit (none with --no-commit), the branch it would create. */
export interface PlannedWrite {
  files: PlannedFile[];
  /** The commit message, or undefined where the files would be written without a commit. */
  message: string | undefined;
  /** A branch the write would create and commit to, leaving the current one as it is. */
  branch?: string;
}

/**
 * --dry-run: thrown where a write would begin, so the command ends there, before anything that
 * follows the write (setting the current incident, saying what was written). main.ts prints
 * the plan and exits 0: the code the real run would give once it got this far.
 */
export class WritePreview extends Error {
  constructor(readonly plan: PlannedWrite) {
    super('dry run: nothing was written');
    this.name = 'WritePreview';
  }
}
