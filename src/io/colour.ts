/**
 * Colour, only where a person reads it: a terminal, no NO_COLOR, no TERM=dumb, no --no-color.
 * chalk 5 ignores NO_COLOR by design, so the level is set here.
 */
import type { ChalkInstance } from 'chalk';
import type { Context, TerminalStream } from './context.js';

export function colourEnabled(ctx: Context, stream: TerminalStream): boolean {
  if (ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== '') return false;
  if (ctx.env.INC_NO_COLOR === '1' || ctx.env.TERM === 'dumb') return false;
  if (ctx.env.FORCE_COLOR !== undefined && ctx.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/**
 * Styles that change nothing, for plain output: any chain (`chalk.red.bold`) is the identity,
 * and chalk itself (~7 ms to load) is not loaded when no colour will be shown, as when piped.
 */
const PLAIN: ChalkInstance = new Proxy(function plain() {} as unknown as ChalkInstance, {
  // Not a thenable (it is returned from an async function), level 0 as chalk reports it.
  get: (_target, property) => (property === 'then' ? undefined : property === 'level' ? 0 : PLAIN),
  apply: (_target, _this, args: unknown[]) => args.join(' '),
});

export async function chalkFor(ctx: Context, stream: TerminalStream): Promise<ChalkInstance> {
  if (!colourEnabled(ctx, stream)) return PLAIN;
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}

/** Colours a severity by its rank in the matrix: the most severe red, then yellow, then plain. */
export function severityColour(chalk: ChalkInstance, rank: number): (text: string) => string {
  if (rank === 0) return (t) => chalk.red.bold(t);
  if (rank === 1) return (t) => chalk.yellow(t);
  if (rank === 2) return (t) => chalk.cyan(t);
  return (t) => t;
}
