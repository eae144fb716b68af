/** run() in-process with fake streams: once as on a terminal, once piped (gh's pattern). */
import { describe, expect, it } from 'vitest';
import { run } from '../src/main.js';
import { fakeContext } from './helpers/context.js';

describe('run()', () => {
  it('prints the version and the help with examples, exit 0', async () => {
    const a = fakeContext({ tty: false });
    expect(await run(['--version'], a)).toBe(0);
    expect(a.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
    const b = fakeContext({ tty: false });
    expect(await run(['--help'], b)).toBe(0);
    expect(b.out()).toContain('Usage: inc <command>');
    expect(b.out()).toContain('$ inc open "Checkout returns 500s" --sev 1');
  });

  it('shows a command\'s help with its examples', async () => {
    const a = fakeContext({ tty: false });
    expect(await run(['log', '--help'], a)).toBe(0);
    expect(a.out()).toContain('Usage: inc log [options] [text...]');
    expect(a.out()).toContain('$ inc log "rollback initiated"');
    const b = fakeContext({ tty: false });
    expect(await run(['help', 'open'], b)).toBe(0);
    expect(b.out()).toContain('--started-at <time>');
  });

  it('maps usage errors to exit 2 with a message on stderr and nothing on stdout', async () => {
    const a = fakeContext({ tty: false });
    expect(await run(['lgo', 'x'], a)).toBe(2);
    expect(a.err()).toContain('unknown command "lgo" (did you mean "log"?)');
    expect(a.out()).toBe('');
    const b = fakeContext({ tty: false });
    expect(await run(['list', '--frobnicate'], b)).toBe(2);
    expect(b.err()).toContain("unknown option '--frobnicate'");
  });

  it('suggests only real near misses, and says so plainly otherwise', async () => {
    const cases: [string, string][] = [
      ['edit', 'inc: unknown command "edit": inc has no command by that name\n'],
      ['delete', 'inc: unknown command "delete": inc has no command by that name\n'],
      ['-v', 'inc: unknown option "-v" (did you mean "--version"?)\n'],
      ['--colour', 'inc: unknown option "--colour": inc has no option by that name before a command\n'],
      ['mitgate', 'inc: unknown command "mitgate" (did you mean "mitigate"?)\n'],
      ['stat', 'inc: unknown command "stat" (did you mean "status" or "stats"?)\n'],
    ];
    for (const [typed, message] of cases) {
      const ctx = fakeContext({ tty: false });
      expect(await run([typed], ctx)).toBe(2);
      expect(ctx.err()).toBe(`${message}Run \`inc --help\` for the list of commands.\n`);
      expect(ctx.out()).toBe('');
    }
  });

  it('says commander\'s usage errors in inc\'s voice: inc: <command>: what was typed, then what to do', async () => {
    const cases: [string[], string][] = [
      [['stats', '--format', 'yaml'], 'inc: stats: --format yaml: not one of table, json, csv, markdown, prometheus\nRun `inc stats --help` for usage.\n'],
      [['list', '--frobnicate'], "inc: list: unknown option '--frobnicate'\nRun `inc list --help` for usage.\n"],
      [['log', '--at'], 'inc: log: --at needs a value\nRun `inc log --help` for usage.\n'],
      [
        ['log', '-5% logins'],
        "inc: log: unknown option '-5% logins'\nA text that starts with \"-\" goes after --, as in git: inc log -- \"-5% logins\"\nRun `inc log --help` for usage.\n",
      ],
    ];
    for (const [argv, expected] of cases) {
      const ctx = fakeContext({ tty: false });
      expect(await run(argv, ctx), argv.join(' ')).toBe(2);
      expect(ctx.err()).toBe(expected);
      expect(ctx.out()).toBe('');
    }
  });

  it('colours the worked example\'s severity on a terminal only, and never with NO_COLOR', async () => {
    const tty = fakeContext({ tty: true });
    expect(await run(['list', '--all'], tty)).toBe(0);
    expect(tty.out()).toContain('\u001b[');
    const piped = fakeContext({ tty: false });
    expect(await run(['list', '--all'], piped)).toBe(0);
    expect(piped.out()).not.toContain('\u001b[');
    expect(piped.out()).toContain('2026-03-15-payment-processing-outage');
    const noColor = fakeContext({ tty: true, env: { NO_COLOR: '1' } });
    expect(await run(['list', '--all'], noColor)).toBe(0);
    expect(noColor.out()).not.toContain('\u001b[');
  });
});
