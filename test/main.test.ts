/** run() in-process with fake streams: once as on a terminal, once piped (gh's pattern). */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Context, TerminalStream } from '../src/io/context.js';
import { run } from '../src/main.js';

function fakeContext(options: { tty: boolean; env?: Record<string, string> }) {
  const stdout = new PassThrough() as PassThrough & TerminalStream;
  const stderr = new PassThrough() as PassThrough & TerminalStream;
  stdout.isTTY = options.tty;
  stderr.isTTY = options.tty;
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = options.tty;
  const ctx: Context = { cwd: process.cwd(), env: options.env ?? {}, now: () => new Date('2026-03-15T15:30:00Z'), stdin, stdout, stderr };
  return { ctx, out: () => out, err: () => err };
}

describe('run()', () => {
  it('prints the version and the help with examples, exit 0', async () => {
    const a = fakeContext({ tty: false });
    expect(await run(['--version'], a.ctx)).toBe(0);
    expect(a.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
    const b = fakeContext({ tty: false });
    expect(await run(['--help'], b.ctx)).toBe(0);
    expect(b.out()).toContain('Usage: inc <command>');
    expect(b.out()).toContain('$ inc open "Checkout returns 500s" --sev 1');
  });

  it('shows a command\'s help with its examples', async () => {
    const a = fakeContext({ tty: false });
    expect(await run(['log', '--help'], a.ctx)).toBe(0);
    expect(a.out()).toContain('Usage: inc log [options] <text...>');
    expect(a.out()).toContain('$ inc log "rollback initiated"');
    const b = fakeContext({ tty: false });
    expect(await run(['help', 'open'], b.ctx)).toBe(0);
    expect(b.out()).toContain('--started-at <time>');
  });

  it('maps usage errors to exit 2 with a message on stderr and nothing on stdout', async () => {
    const a = fakeContext({ tty: false });
    expect(await run(['lgo', 'x'], a.ctx)).toBe(2);
    expect(a.err()).toContain('unknown command "lgo" (did you mean "log"?)');
    expect(a.out()).toBe('');
    const b = fakeContext({ tty: false });
    expect(await run(['list', '--frobnicate'], b.ctx)).toBe(2);
    expect(b.err()).toContain("unknown option '--frobnicate'");
  });

  it('colours the worked example\'s severity on a terminal only, and never with NO_COLOR', async () => {
    const tty = fakeContext({ tty: true });
    expect(await run(['list', '--all'], tty.ctx)).toBe(0);
    expect(tty.out()).toContain('\u001b[');
    const piped = fakeContext({ tty: false });
    expect(await run(['list', '--all'], piped.ctx)).toBe(0);
    expect(piped.out()).not.toContain('\u001b[');
    expect(piped.out()).toContain('2026-03-15-payment-processing-outage');
    const noColor = fakeContext({ tty: true, env: { NO_COLOR: '1' } });
    expect(await run(['list', '--all'], noColor.ctx)).toBe(0);
    expect(noColor.out()).not.toContain('\u001b[');
  });
});
