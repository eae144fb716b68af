/**
 * A Context for running commands in-process: streams that collect what is written, stdin
 * ended at once, the clock pinned like the e2e tests (DEFAULT_NOW), and a terminal or not.
 */
import { PassThrough, Readable } from 'node:stream';
import type { Context, TerminalStream } from '../../src/io/context.js';
import { DEFAULT_NOW } from './repo.js';

export interface FakeContext extends Context {
  /** What was written to stdout so far. */
  out: () => string;
  /** What was written to stderr so far. */
  err: () => string;
}

export interface FakeContextOptions {
  /** stdin, stdout and stderr all terminals (true) or all piped (false). */
  tty: boolean;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** The terminal width stdout and stderr report; unset by default, as on a pipe. */
  columns?: number;
}

export function fakeContext(options: FakeContextOptions): FakeContext {
  const collect = () => {
    const stream = new PassThrough() as PassThrough & TerminalStream;
    stream.isTTY = options.tty;
    if (options.columns !== undefined) stream.columns = options.columns;
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return { stream, text: () => text };
  };
  const stdout = collect();
  const stderr = collect();
  const stdin = Readable.from([]) as Readable & { isTTY?: boolean };
  stdin.isTTY = options.tty;
  return {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    now: () => new Date(DEFAULT_NOW),
    stdin,
    stdout: stdout.stream,
    stderr: stderr.stream,
    out: stdout.text,
    err: stderr.text,
  };
}
