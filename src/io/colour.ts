/**
 * Colour, only where a person reads it: a terminal, no NO_COLOR, no TERM=dumb, no --no-color.
 * chalk 5 ignores NO_COLOR by design (NOTES.md), so the level is set here.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Context, TerminalStream } from './context.js';

export function colourEnabled(ctx: Context, stream: TerminalStream): boolean {
  if (ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== '') return false;
  if (ctx.env.INC_NO_COLOR === '1' || ctx.env.TERM === 'dumb') return false;
  if (ctx.env.FORCE_COLOR !== undefined && ctx.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function chalkFor(ctx: Context, stream: TerminalStream): ChalkInstance {
  return new Chalk({ level: colourEnabled(ctx, stream) ? 1 : 0 });
}

/** Colours a severity by its rank in the matrix: the most severe red, then yellow, then plain. */
export function severityColour(chalk: ChalkInstance, rank: number): (text: string) => string {
  if (rank === 0) return (t) => chalk.red.bold(t);
  if (rank === 1) return (t) => chalk.yellow(t);
  if (rank === 2) return (t) => chalk.cyan(t);
  return (t) => t;
}
