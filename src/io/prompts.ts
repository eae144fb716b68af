/**
 * Every interactive question inc asks, in one place (np's habit). @inquirer/prompts is
 * loaded only when a question is really asked, so commands that never prompt (inc log above
 * all) never pay for it. Prompts render on stderr so that stdout stays data.
 *
 * Without a terminal (or under CI) nothing is asked: the command fails with exit 2 and names
 * the flag that supplies the value, since inquirer would otherwise read a pipe and die on EOF.
 * Ctrl-C at a prompt becomes InterruptedError (exit 130) before anything is written.
 */
import { InterruptedError, UsageError } from '../domain/errors.js';
import type { SeverityMatrix } from '../domain/severity.js';
import { canPrompt, type Context } from './context.js';
import { visibleDeep } from '../domain/sanitise.js';

/** How to supply a value without a terminal: named in the exit-2 message. */
export interface Missing {
  /** The flag or argument, as the user would type it: `--sev`, `<level>`. */
  flag: string;
  /** A full example command line. */
  example: string;
}

export interface Choice<Value> {
  value: Value;
  name: string;
  description?: string;
  /** What the answered prompt shows (default: name). */
  short?: string;
}

type Inquirer = typeof import('@inquirer/prompts');

async function inquirer(): Promise<Inquirer> {
  return import('@inquirer/prompts');
}

/** Throws the exit-2 error that names the flag when no one can answer a prompt. */
export function requireTerminal(ctx: Context, missing: Missing): void {
  if (!canPrompt(ctx)) {
    throw new UsageError(`missing ${missing.flag} (no terminal to ask on)`, `Give it on the command line: ${missing.example}`);
  }
}

function isInterrupt(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

async function ask<T>(ctx: Context, missing: Missing, prompt: (prompts: Inquirer, context: object) => Promise<T>): Promise<T> {
  requireTerminal(ctx, missing);
  const prompts = await inquirer();
  try {
    return await prompt(prompts, { input: ctx.stdin, output: ctx.stderr, clearPromptOnDone: false });
  } catch (error) {
    if (isInterrupt(error)) throw new InterruptedError();
    throw error;
  }
}

export interface TextQuestion extends Missing {
  message: string;
  default?: string;
  /** True when an empty answer is acceptable (an optional value). */
  optional?: boolean;
  /** Returns why an answer is refused, or undefined to accept it. */
  problem?: (answer: string) => string | undefined;
}

export async function askText(ctx: Context, question: TextQuestion): Promise<string> {
  const answer = await ask(ctx, question, (p, context) =>
    p.input(
      {
        message: question.message,
        default: question.default,
        validate: (value: string) => {
          const text = value.trim();
          if (text === '') return question.optional ? true : 'Please type a value (Ctrl-C to stop).';
          return question.problem?.(text) ?? true;
        },
      },
      context,
    ),
  );
  return answer.trim();
}

export interface ConfirmQuestion extends Missing {
  message: string;
  default?: boolean;
}

export async function askConfirm(ctx: Context, question: ConfirmQuestion): Promise<boolean> {
  return ask(ctx, question, (p, context) => p.confirm({ message: question.message, default: question.default ?? false }, context));
}

export interface SelectQuestion<Value> extends Missing {
  message: string;
  choices: Choice<Value>[];
  default?: Value;
}

export async function askSelect<Value>(ctx: Context, question: SelectQuestion<Value>): Promise<Value> {
  return ask(ctx, question, (p, context) =>
    p.select<Value>(
      {
        message: question.message,
        choices: question.choices,
        default: question.default,
        pageSize: Math.max(7, question.choices.length),
      },
      context,
    ),
  );
}

/** The matrix's levels, most severe first, each with its description. */
export async function askSeverity(ctx: Context, matrix: SeverityMatrix, missing: Missing, current?: string): Promise<string> {
  return askSelect(ctx, {
    ...missing,
    message: current ? `Severity (now ${current})` : 'Severity',
    // The matrix may come from a pull request: its texts are shown visibly (domain/sanitise.ts).
    choices: visibleDeep(matrix.levels).map((level) => ({
      value: level.name,
      name: `${level.name}  ${level.description}`,
      short: level.name,
      description: [level.responseTime && `response: ${level.responseTime}`, level.whoIsPaged && `paged: ${level.whoIsPaged}`]
        .filter(Boolean)
        .join('; '),
    })),
    default: current,
  });
}

const OTHER = '\u0000other';

/**
 * Affected services: a checkbox of the services already seen (incidents and runbooks) plus
 * "another one", then a line for names not in the list. Empty is a valid answer.
 */
export async function askServices(ctx: Context, known: string[], missing: Missing): Promise<string[]> {
  const typed = (message: string) =>
    askText(ctx, { ...missing, message, optional: true }).then((answer) =>
      answer
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    );
  if (known.length === 0) return typed('Affected services (comma-separated; Enter if not known yet)');
  const picked = await ask(ctx, missing, (p, context) =>
    p.checkbox<string>(
      {
        message: 'Affected services (space to pick, Enter when done)',
        choices: [...known.map((name) => ({ value: name, name })), { value: OTHER, name: 'another service (type it next)' }],
        pageSize: Math.min(12, known.length + 1),
      },
      context,
    ),
  );
  const chosen = picked.filter((name) => name !== OTHER);
  if (!picked.includes(OTHER)) return chosen;
  const more = await typed('Other services (comma-separated)');
  return [...new Set([...chosen, ...more])];
}
