/** The real world for run(): process streams, environment, clock (INC_NOW pins it). */
import { run } from './main.js';
import { clockFromEnv } from './io/context.js';

export function main(argv: string[]): Promise<number> {
  // `inc list | head -1`: the reader left; stop quietly as git does on SIGPIPE, no stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      // Any other output failure (a full disk behind a redirect): say so, no stack trace.
      try {
        process.stderr.write(`inc: cannot write output: ${error.message}\n`);
      } catch {
        // stderr itself is gone: the exit code still tells
      }
      process.exit(1);
    });
  }
  return run(argv, {
    cwd: process.cwd(),
    env: process.env,
    now: clockFromEnv(process.env),
    // A getter: touching process.stdin opens a handle, which only prompting commands need.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
