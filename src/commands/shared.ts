/**
 * What every command shares: commander settings (usage errors to stderr, exit 2 mapped in
 * main.ts), the common options, and the small steps most write commands take.
 */
import { Command, Help, Option } from 'commander';
import { UsageError } from '../domain/errors.js';
import { readTimeInput } from '../domain/time.js';
import { timelineTextProblem } from '../domain/timeline.js';
import { jsonText } from '../domain/sanitise.js';
import { plural } from '../domain/words.js';
import { type Context, writeErr } from '../io/context.js';
import { getCurrentIncident, isClosedStatus } from '../store/current-incident.js';
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
      outputError: (text, write) => write(usageMessage(cmd, text)),
    });
    cmd.showHelpAfterError(`Run \`${fullName(cmd)} --help\` for usage.`);
    cmd.helpOption('-h, --help', 'show this help');
    // Repeatable options start from []: "(default: [])" in help says nothing useful.
    cmd.configureHelp({ optionDescription: (option) => new Help().optionDescription(option).replace(' (default: [])', '') });
    addOnOption(cmd, ctx);
    // Every command that can write without committing can also show what it would write.
    if (cmd.options.some((option) => option.long === '--no-commit') && !cmd.options.some((option) => option.long === '--dry-run')) cmd.addOption(dryRunOption());
    for (const sub of cmd.commands) apply(sub);
  };
  apply(command);
  // The flag reaches the store through the context: store/write.ts previews instead of writing.
  command.hook('preAction', (_command, action) => {
    if (action.opts().dryRun === true) ctx.dryRun = true;
  });
  return command;
}

/**
 * Commander's own usage errors, said in inc's voice: `inc: <command>: <what was typed and what
 * is wrong>`, like every other error. A lone unknown "option" that reads like text (`-5%
 * logins`) most likely is text: the hint says to put it after `--`.
 */
export function usageMessage(cmd: Command, raw: string): string {
  const name = fullName(cmd).replace(/^inc /, '');
  const message = raw.replace(/^error: /, '').trimEnd();
  const lines = [`inc: ${name}: ${commanderMessage(message)}`];
  const unknown = /^unknown option '(.*)'/.exec(message);
  if (unknown && !/^--?[a-z][a-z-]*$/i.test(unknown[1]!) && cmd.registeredArguments.length > 0) {
    lines.push(`A text that starts with "-" goes after --, as in git: inc ${name} -- "${unknown[1]}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** Commander's wording rewritten to name the flag as typed and what to give instead. */
function commanderMessage(message: string): string {
  const invalid = /^option '(-[^' ]*)[^']*' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/.exec(message);
  if (invalid) return `${invalid[1]} ${invalid[2]}: not one of ${invalid[3]}`;
  const needsValue = /^option '(-[^' ]*)[^']*' argument missing$/.exec(message);
  if (needsValue) return `${needsValue[1]} needs a value`;
  const missingOption = /^required option '(?:-\w, )?(-[^' ]*)[^']*' not specified$/.exec(message);
  if (missingOption) return `missing ${missingOption[1]}`;
  const missingArgument = /^missing required argument '(.*)'$/.exec(message);
  if (missingArgument) return `missing <${missingArgument[1]}>`;
  return message;
}

/** `inc <name>` with its examples below the options, as gh and kubectl print them. */
export function newCommand(name: string, description: string, examples: string[]): Command {
  return new Command(name)
    .description(description)
    .addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

export const incidentOption = () => new Option('-i, --incident <id>', 'the incident: its id, a unique prefix or a word of its title (default: this clone\'s current one, while open)');
/** The time forms every time flag takes, for help texts (the README has the full table). */
export const TIME_FLAG_FORMS = '14:05, 2:05pm, "2026-03-15 14:05", "14:05 UTC", ISO 8601, -5m, -1h30m, now';
/** A time flag with the forms it takes; `fallback` says what leaving it out means. */
export const timeOption = (flags: string, what: string, fallback?: string) =>
  new Option(flags, `${what} (${TIME_FLAG_FORMS}${fallback ? `; ${fallback}` : ''})`);
export const atOption = (what: string) => timeOption('--at <time>', `when ${what}`, 'default now');
/** Commander's collector for a repeatable option (`--service a --service b`). */
export const collect = (value: string, previous: string[]) => [...previous, value];
export const noCommitOption = () => new Option('--no-commit', 'write the files but do not commit them');
export const dryRunOption = () =>
  new Option('--dry-run', 'print what would be written (a diff), the commit message and any branch; write nothing');
export const jsonOption = () => new Option('--json', 'print JSON for scripts');

/** The `--on DATE` of the command being run with this context, set before its action runs. */
const onDates = new WeakMap<Context, string>();

/**
 * Every command with a time flag also takes `--on DATE`, the date of its times of day (to enter
 * an old incident: `--on 2018-02-20 --at 17:05`). Added here, so that no command can forget it.
 */
function addOnOption(cmd: Command, ctx: Context): void {
  if (!cmd.options.some((option) => option.long === '--at' || option.long === '--started-at')) return;
  cmd.addOption(new Option('--on <date>', 'the date (YYYY-MM-DD) of every time of day given without one, in the configured zone'));
  cmd.hook('preAction', (_command, action) => {
    const on = action.opts<{ on?: string }>().on;
    if (on === undefined) onDates.delete(ctx);
    else onDates.set(ctx, on);
  });
}

/**
 * Reads a time flag in the project's zone (notes, such as an overlap resolved, go to stderr);
 * a missing flag means now, except under --on, which is for times in the past.
 */
export function timeFromFlag(ctx: Context, project: Project, value: string | undefined, flag = '--at'): number {
  const on = onDates.get(ctx);
  if (value === undefined && on !== undefined) {
    throw new UsageError(`--on ${on} gives the date of times of day, but ${flag} was not given (it would be now)`, `Give the time: ${flag} 14:05 --on ${on}.`);
  }
  const reading = readTimeInput(value ?? 'now', { now: ctx.now().getTime(), zone: project.config.timezone, on, flag });
  for (const note of reading.notes) ctx.stderr.write(`note: ${note}\n`);
  return reading.at;
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

/** JSON on stdout, valid for strict parsers (see jsonText); a lone surrogate replaced is reported. */
export function printJson(ctx: Context, data: unknown): void {
  const { text, replaced } = jsonText(data);
  ctx.stdout.write(`${text}\n`);
  if (replaced > 0) warnReplacedSurrogates(ctx, replaced);
}

/** The warning for lone UTF-16 surrogates from files that JSON output carries as U+FFFD. */
export function warnReplacedSurrogates(ctx: Context, count: number): void {
  writeErr(ctx, `inc: warning: ${plural(count, 'lone UTF-16 surrogate')} in the files' text (no character; strict JSON parsers reject it) written as U+FFFD`);
}

/** A short form of a text for commit messages. */
export function excerpt(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Whether an incident is this clone's current one, as show and status say it. */
export function currentMark(project: Project, id: string, status: string): string {
  const current = getCurrentIncident(project);
  if (current === id) return isClosedStatus(status) ? `${status}: no longer the current incident` : 'the current incident of this clone';
  return current ? `not the current incident (that is ${current})` : 'not the current incident (this clone has none: `inc use ID`)';
}
