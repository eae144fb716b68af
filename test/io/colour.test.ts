import { describe, expect, it } from 'vitest';
import { chalkFor, severityColour } from '../../src/io/colour.js';
import type { Context, TerminalStream } from '../../src/io/context.js';

const ctx = (env: Record<string, string> = {}) => ({ env }) as unknown as Context;
const tty = { isTTY: true } as TerminalStream;
const pipe = { isTTY: false } as TerminalStream;

describe('colour', () => {
  it('is plain when piped: any chain of styles is the identity, and it can be awaited', async () => {
    const chalk = await chalkFor(ctx(), pipe);
    expect(chalk.red.bold('SEV1')).toBe('SEV1');
    expect(chalk.dim('a', 'b')).toBe('a b');
    expect(chalk.level).toBe(0);
    expect(severityColour(chalk, 0)('SEV1')).toBe('SEV1');
  });

  it('colours a terminal, never with NO_COLOR or TERM=dumb, and FORCE_COLOR forces it', async () => {
    expect((await chalkFor(ctx(), tty)).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect((await chalkFor(ctx({ NO_COLOR: '1' }), tty)).red('x')).toBe('x');
    expect((await chalkFor(ctx({ TERM: 'dumb' }), tty)).red('x')).toBe('x');
    expect((await chalkFor(ctx({ FORCE_COLOR: '1' }), pipe)).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});
