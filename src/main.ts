/**
 * run(argv, context) -> exit code. The only place errors become exit codes and messages.
 *
 * Commands are loaded lazily: `inc --help` loads nothing but this file (bin/inc.js answers
 * `inc --version` before even this), and `inc log` loads commander and the log command, not
 * inquirer, tables or stats code.
 */
import { ExitCode, IncError, WritePreview } from './domain/errors.js';
import { nearMisses } from './domain/suggest.js';
import { type CommandModule, type CommandRegistry, GROUP_ORDER } from './commands/command.js';
import { version } from './store/version.js';
import { type Context, writeErr } from './io/context.js';

export type { CommandModule };

export const COMMANDS: CommandRegistry = {
  init: { group: 'Setup and reports', summary: 'Set up this git repository for inc (matrix, folders, .gitattributes, config)', load: () => import('./commands/init.js') },
  open: { group: 'During an incident', summary: 'Declare an incident; prints its id and makes it current', load: () => import('./commands/open.js') },
  use: { group: 'During an incident', summary: 'Make an incident the current one (id, unique prefix or title word); alone, print it', load: () => import('./commands/use.js') },
  log: { group: 'During an incident', summary: 'Append a timestamped entry to the timeline', load: () => import('./commands/log.js') },
  amend: { group: 'During an incident', summary: 'Correct the text of a timeline entry (a row appended that names it)', load: () => import('./commands/correct.js').then((m) => m.amend) },
  retract: { group: 'During an incident', summary: 'Withdraw a timeline entry logged in error (a row appended that names it)', load: () => import('./commands/correct.js').then((m) => m.retract) },
  ack: { group: 'During an incident', summary: 'Mark the incident acknowledged', load: () => import('./commands/milestones.js').then((m) => m.ack) },
  identify: { group: 'During an incident', summary: 'Mark the cause identified', load: () => import('./commands/milestones.js').then((m) => m.identify) },
  mitigate: { group: 'During an incident', summary: 'Mark the impact mitigated', load: () => import('./commands/milestones.js').then((m) => m.mitigate) },
  resolve: { group: 'During an incident', summary: 'Mark the incident resolved', load: () => import('./commands/milestones.js').then((m) => m.resolve) },
  relapse: { group: 'During an incident', summary: 'Impact is back after a mitigation (summed impact windows)', load: () => import('./commands/lifecycle.js').then((m) => m.relapse) },
  reopen: { group: 'During an incident', summary: 'Reopen a resolved, declined or duplicate incident', load: () => import('./commands/lifecycle.js').then((m) => m.reopen) },
  decline: { group: 'During an incident', summary: 'Close as a false alarm: not an incident, left out of every figure', load: () => import('./commands/lifecycle.js').then((m) => m.decline) },
  duplicate: { group: 'During an incident', summary: 'Close as a duplicate of another incident, left out of every figure', load: () => import('./commands/lifecycle.js').then((m) => m.duplicate) },
  milestone: { group: 'During an incident', summary: 'Set or correct any milestone after the fact', load: () => import('./commands/milestone.js') },
  assign: { group: 'During an incident', summary: 'Assign the incident commander, communications lead and SMEs', load: () => import('./commands/assign.js') },
  sev: { group: 'During an incident', summary: 'Change the severity (validated against the matrix); logged', load: () => import('./commands/sev.js') },
  status: { group: 'During an incident', summary: 'The current incident at a glance: next update due, escalation', load: () => import('./commands/status.js') },
  comms: { group: 'During an incident', summary: 'Status-page text for investigating|identified|mitigated|resolved; logged', load: () => import('./commands/comms.js') },
  runbook: { group: 'During an incident', summary: 'Runbooks per service: new, show, list', load: () => import('./commands/runbook.js') },
  tail: { group: 'During an incident', summary: "Follow an incident's timeline as colleagues push (Ctrl-C to stop)", load: () => import('./commands/tail.js') },
  sync: { group: 'During an incident', summary: 'Pull (rebase or --merge) and push: share incident commits with other clones', load: () => import('./commands/sync.js') },
  postmortem: { group: 'After an incident', summary: 'Scaffold the blameless postmortem, pre-filled, on a branch for review; --refresh after a correction', load: () => import('./commands/postmortem.js') },
  actions: { group: 'After an incident', summary: 'Action items across postmortems: --open, --overdue, --owner', load: () => import('./commands/actions.js') },
  check: { group: 'After an incident', summary: 'Lint incident files for CI; exit 1 on any error', load: () => import('./commands/check.js') },
  'merge-driver': { group: 'Setup and reports', summary: 'git merge driver for incident.md, field by field (registered by inc init; run by git)', load: () => import('./commands/merge-driver.js') },
  import: { group: 'Setup and reports', summary: 'Bring your history: incidents from a status page, a report, or a CSV export', load: () => import('./commands/import.js') },
  list: { group: 'Setup and reports', summary: 'List open incidents (--all for every one)', load: () => import('./commands/list.js') },
  show: { group: 'Setup and reports', summary: 'Show one incident in full: fields, milestones, metrics, timeline', load: () => import('./commands/show.js') },
  publish: { group: 'Setup and reports', summary: 'Build a static status site: status, history, incident pages, reports, Atom, Statuspage JSON', load: () => import('./commands/publish.js') },
  stats: { group: 'Setup and reports', summary: 'MTTD/MTTA/MTTM/MTTR, incidents by severity and month, postmortem and action-item follow-through', load: () => import('./commands/stats.js') },
  describe: {
    group: 'Setup and reports',
    summary: 'Every command, argument, flag, exit code and JSON output, for scripts and agents (--json)',
    load: () => import('./commands/describe.js').then((m) => m.describeCommand(COMMANDS)),
  },
  completion: {
    group: 'Setup and reports',
    summary: 'Shell completion for bash, zsh or fish: commands, flags, severities, services, incident ids',
    load: () => import('./commands/completion.js').then((m) => m.completionCommand()),
  },
  __complete: { group: 'Setup and reports', summary: 'Completion candidates for the shell', hidden: true, load: () => import('./commands/completion.js').then((m) => m.completeCommand(COMMANDS)) },
};

/** The commands a person sees: help, suggestions and describe leave out the shell's plumbing. */
const visible = () => Object.entries(COMMANDS).filter(([, entry]) => !entry.hidden);

const EXAMPLES = `Examples:
  $ inc init
  $ inc open "Checkout returns 500s" --sev 1 --service payment-service
  $ inc log "rollback initiated"
  $ inc mitigate "error rate back to baseline"
  $ inc resolve
  $ inc show --json`;

export { version };

function topLevelHelp(): string {
  const width = Math.max(...visible().map(([name]) => name.length)) + 2;
  const groups = new Map<string, string[]>(GROUP_ORDER.map((group) => [group, []]));
  for (const [name, entry] of visible()) {
    const lines = groups.get(entry.group) ?? [];
    lines.push(`  ${name.padEnd(width)}${entry.summary}`);
    groups.set(entry.group, lines);
  }
  const sections = [...groups.entries()].filter(([, lines]) => lines.length > 0).map(([group, lines]) => `${group}:\n${lines.join('\n')}`);
  return [
    'Usage: inc <command> [options]',
    '',
    'Incident response and blameless postmortems as markdown files in git.',
    '',
    ...sections.flatMap((s) => [s, '']),
    'Options:',
    '  -V, --version  print the version',
    '  -h, --help     show help; `inc <command> --help` for a command',
    '  --no-color     plain output (also NO_COLOR=1)',
    '',
    EXAMPLES,
    '',
    'More: `inc describe` (every flag and JSON field, for scripts), `inc completion --help` (shell completion),',
    'and docs/ in the package: metrics.md, file-formats.md, time-formats.md, decisions/.',
    '',
  ].join('\n');
}

/** An unknown command, or an option before any command: a near miss is named, nothing else is guessed. */
function unknownCommand(ctx: Context, name: string): number {
  const or = (names: string[]) => names.map((n) => `"${n}"`).join(' or ');
  if (name.startsWith('-')) {
    const options = ['--version', '--help', '--no-color'];
    const meant = /^-v$/i.test(name) ? ['--version'] : nearMisses(name.replace(/^-+/, ''), options.map((o) => o.slice(2))).map((o) => `--${o}`);
    ctx.stderr.write(`inc: unknown option "${name}"${meant.length > 0 ? ` (did you mean ${or(meant)}?)` : ': inc has no option by that name before a command'}\n`);
  } else {
    const meant = nearMisses(name, visible().map(([command]) => command));
    ctx.stderr.write(`inc: unknown command "${name}"${meant.length > 0 ? ` (did you mean ${or(meant)}?)` : ': inc has no command by that name'}\n`);
  }
  ctx.stderr.write('Run `inc --help` for the list of commands.\n');
  return ExitCode.usage;
}

function report(ctx: Context, error: IncError): number {
  // Messages quote values from files: writeErr shows their control characters visibly.
  if (error.message) writeErr(ctx, `inc: ${error.message}`);
  if (error.hint) writeErr(ctx, error.hint);
  return error.exitCode;
}

/** Commander errors: help and version are success; every other one is bad usage (exit 2). */
function commanderExit(error: { code?: string; exitCode?: number }): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
    return ExitCode.ok;
  }
  return ExitCode.usage;
}

export async function run(argv: string[], ctx: Context): Promise<number> {
  // --no-color is accepted anywhere before `--`, as with git; after it, it is text (`inc log -- --no-color`).
  const end = argv.indexOf('--');
  const args = argv.filter((arg, index) => arg !== '--no-color' || (end !== -1 && index > end));
  if (args.length !== argv.length) ctx = { ...ctx, env: { ...ctx.env, NO_COLOR: '1' } };
  const [name, ...rest] = args;

  if (name === undefined || name === '--help' || name === '-h') {
    ctx.stdout.write(topLevelHelp());
    return ExitCode.ok;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    ctx.stdout.write(`${version()}\n`);
    return ExitCode.ok;
  }
  const helpFor = name === 'help' ? rest[0] : undefined;
  if (name === 'help' && helpFor === undefined) {
    ctx.stdout.write(topLevelHelp());
    return ExitCode.ok;
  }
  const commandName = helpFor ?? name;
  const entry = Object.hasOwn(COMMANDS, commandName) ? COMMANDS[commandName] : undefined;
  if (!entry) return unknownCommand(ctx, commandName);

  try {
    const { configureCommand } = await import('./commands/shared.js');
    // `push: auto` pushes in the background after a write: a failure is told by the next command.
    const { failedBackgroundPushReport } = await import('./store/background-push.js');
    const failedPush = failedBackgroundPushReport(ctx);
    if (failedPush !== undefined) ctx.stderr.write(failedPush);
    const module = await entry.load();
    const command = configureCommand(module.build(ctx), ctx);
    await command.parseAsync(helpFor ? ['--help'] : rest, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof WritePreview) {
      const { renderPlan } = await import('./io/preview.js');
      ctx.stdout.write(renderPlan(error.plan));
      return ExitCode.ok;
    }
    if (error instanceof IncError) return report(ctx, error);
    if (error && typeof error === 'object' && 'code' in error && String((error as { code: unknown }).code).startsWith('commander.')) {
      return commanderExit(error as { code: string });
    }
    // A bug, not bad input: say so plainly, with the stack only when asked for.
    const message = error instanceof Error ? error.message : String(error);
    writeErr(ctx, `inc: unexpected error: ${message}`);
    if (ctx.env.INC_DEBUG && error instanceof Error) ctx.stderr.write(`${error.stack}\n`);
    else ctx.stderr.write('This is a bug in inc; run again with INC_DEBUG=1 for details.\n');
    return ExitCode.failure;
  }
}
