/**
 * What every command shares: commander settings (usage errors to stderr, exit 2 mapped in
 * main.ts), the common options, and the small steps most write commands take.
 */
import { Command, Help, Option } from 'commander';
import { UsageError } from '../domain/errors.js';
import { parseTimeArgument } from '../domain/time.js';
import { timelineTextProblem } from '../domain/timeline.js';
import type { Context } from '../io/context.js';
import type { Project } from '../store/project.js';

/** "inc runbook new": the command as typed, for messages. */
function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let current: Command | null = cmd; current; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}

export function configureCommand(command: Command, ctx: Context): Command {
  // A parent named inc makes help read "Usage: inc open ..."; parsing still starts at the command.
  new Command('inc').addCommand(command);
  const apply = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      outputError: (text, write) => write(`${fullName(cmd)}: ${text.replace(/^error: /, '')}`),
    });
    cmd.showHelpAfterError(`(run \`${fullName(cmd)} --help\` for usage)`);
    cmd.helpOption('-h, --help', 'show this help');
    // Repeatable options start from []: "(default: [])" in help says nothing useful.
    cmd.configureHelp({ optionDescription: (option) => new Help().optionDescription(option).replace(' (default: [])', '') });
    for (const sub of cmd.commands) apply(sub);
  };
  apply(command);
  return command;
}

/** `inc <name>` with its examples below the options, as gh and kubectl print them. */
export function newCommand(name: string, description: string, examples: string[]): Command {
  return new Command(name)
    .description(description)
    .addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

export const incidentOption = () => new Option('-i, --incident <id>', 'the incident (default: this clone\'s current one)');
/** The time forms every time flag takes, for help texts. */
export const TIME_FLAG_FORMS = 'ISO 8601, "YYYY-MM-DD HH:mm", "HH:mm", -5m, now';
/** A time flag with the forms it takes; `fallback` says what leaving it out means. */
export const timeOption = (flags: string, what: string, fallback?: string) =>
  new Option(flags, `${what} (${TIME_FLAG_FORMS}${fallback ? `; ${fallback}` : ''})`);
export const atOption = (what: string) => timeOption('--at <time>', `when ${what}`, 'default now');
/** Commander's collector for a repeatable option (`--service a --service b`). */
export const collect = (value: string, previous: string[]) => [...previous, value];
export const noCommitOption = () => new Option('--no-commit', 'write the files but do not commit them');
export const jsonOption = () => new Option('--json', 'print JSON for scripts');

/** Reads a time flag in the project's zone; a missing flag means now. */
export function timeFromFlag(ctx: Context, project: Project, value: string | undefined, flag = '--at'): number {
  return parseTimeArgument(value ?? 'now', ctx.now(), project.config.timezone, flag);
}

/**
 * A text typed for the timeline or a title: surrounding whitespace is dropped (it cannot
 * survive a markdown table cell); what a markdown file cannot hold is refused with why.
 */
export function cleanText(raw: string, what: string): string {
  const text = raw.trim();
  const problem = timelineTextProblem(text);
  if (problem) throw new UsageError(`the ${what} cannot be used: ${problem}`);
  return text;
}

export function printJson(ctx: Context, data: unknown): void {
  ctx.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
}

/** A short form of a text for commit messages. */
export function excerpt(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
