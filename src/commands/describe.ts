/**
 * inc describe: every command, its arguments and flags (type, default, choices), the exit
 * codes, and the JSON each read command prints, for scripts and coding agents. Read from the
 * same commander definitions the CLI parses with (each command module's build()), so it
 * cannot say anything `--help` does not; only the JSON fields are written down here, and a
 * test runs each read command to hold them to what it prints.
 */
import type { Argument, Command, Option } from 'commander';
import { UsageError } from '../domain/errors.js';
import type { Context } from '../io/context.js';
import type { CommandModule, CommandRegistry } from './command.js';
import { configureCommand, jsonOption, newCommand, printJson } from './shared.js';

export interface ArgumentDescription {
  name: string;
  description: string;
  required: boolean;
  variadic: boolean;
  choices?: string[];
  default?: unknown;
}

export interface OptionDescription {
  flags: string;
  long?: string;
  short?: string;
  description: string;
  /** boolean (a switch), string (takes a value), string[] (repeatable or several values). */
  type: 'boolean' | 'string' | 'string[]';
  /** The value's name in help, such as <time>. */
  value?: string;
  default?: unknown;
  choices?: string[];
}

export interface CommandDescription {
  name: string;
  usage: string;
  summary: string;
  arguments: ArgumentDescription[];
  options: OptionDescription[];
  subcommands: CommandDescription[];
  /** The fields of the JSON it prints (with --json, or --format json), where it has any. */
  json?: JsonOutput;
  /** For a command that writes: what it prints on stdout when it does (see WRITE_OUTPUTS). */
  stdout?: string;
}

export interface JsonOutput {
  /** What the JSON is: one object, an array of them, or null where there is nothing. */
  shape: 'object' | 'array of objects' | 'object or null' | 'one object per line';
  fields: Record<string, string>;
}

/** Exit codes, the same for every command. */
export const EXIT_CODES: Record<string, string> = {
  '0': 'success, an empty list included',
  '1': 'failure, or findings (inc check; inc actions --exit-code while the list is not empty)',
  '2': 'bad usage: an unknown flag, a missing argument, a value that is not valid',
  '130': 'interrupted (Ctrl-C at a prompt); nothing was written',
};

const INCIDENT_FIELDS: Record<string, string> = {
  id: 'YYYY-MM-DD-slug',
  title: 'string',
  severity: 'a level of the severity matrix, such as SEV1',
  status: 'investigating | identified | mitigated | resolved | declined | duplicate',
  drill: 'boolean: a game day or tabletop exercise',
  services: 'string[]',
  commander: 'string or null',
  communications: 'string or null',
  smes: 'string[]: subject-matter experts',
  started_at: 'ISO 8601 UTC or null: user impact began',
  detected_at: 'ISO 8601 UTC: alert fired or incident declared',
  acknowledged_at: 'ISO 8601 UTC or null',
  identified_at: 'ISO 8601 UTC or null',
  mitigated_at: 'ISO 8601 UTC or null',
  resolved_at: 'ISO 8601 UTC or null',
  tags: 'string[]',
  triggered_at: 'ISO 8601 UTC or null: the change or event that set it off',
  trigger_ref: 'string or null: what triggered it (a commit, a pull request URL, text)',
  trigger_to_impact: 'minutes from triggered_at to started_at, or null',
  recovered_before_detection: 'boolean: impact ended before detected_at (TTM is null)',
  relapses: 'number: times impact came back after a mitigation',
  relapse_history: 'string[]: each <mitigated>/<impact back>, oldest first',
  reopens: 'number: times it was reopened after a resolution',
  reopen_history: 'string[]: each <resolved>/<reopened>, oldest first',
  duplicate_of: 'string or null: with status duplicate, the incident it duplicates',
  closed_at: 'ISO 8601 UTC or null: when it was declined or closed as a duplicate',
  metrics: '{ttd, tta, ttm, ttr, impact}: minutes, null where unknown; impact sums the windows between relapses (docs/metrics.md)',
};

const IMPORT_REPORT: JsonOutput = {
  shape: 'object',
  fields: {
    source: 'the format read: statuspage, csv, report',
    file: 'the file read',
    dry_run: 'boolean',
    committed: 'boolean',
    created: '[{id, title, severity, import_key, milestones, metrics, timeline_entries}]',
    already_imported: '[{import_key, id}]: imported before, left as they are',
    unread: '[{where, why}]: what could not be imported',
  },
};

/** The JSON of each read command, by its name as typed (`runbook list`). */
export const JSON_OUTPUTS: Record<string, JsonOutput> = {
  show: {
    shape: 'object',
    fields: {
      ...INCIDENT_FIELDS,
      timeline:
        '[{at, text, author, kind, ref, amended, superseded}]: the corrected timeline in time order: amended entries carry the latest text (amended: true), retracted ones are left out, correction rows are no entries; ref names an entry for inc amend/retract; superseded: a milestone row whose time a correction replaced',
      postmortem: '{status, action_items: {total, done}} or null',
    },
  },
  list: {
    shape: 'array of objects',
    fields: { ...INCIDENT_FIELDS, postmortem: '{status, action_items: {total, done}} or null', current: "boolean: this clone's current incident" },
  },
  status: {
    shape: 'object or null',
    fields: {
      ...INCIDENT_FIELDS,
      now: 'ISO 8601 UTC: the time the figures are for',
      timezone: 'the zone times are shown in',
      elapsed_minutes: 'number: since detection',
      next_update: '{due_at, every_minutes, counted_from, last_update_at, minutes_left, overdue} or null',
      escalation: '{after_minutes, due_at, due, minutes_past, escalate_to, who_is_paged, escalated_at} or null',
      recent_timeline: '[{at, text, author, kind, ref, amended, superseded}]: the latest entries of the corrected timeline',
      current: "boolean: this clone's current incident",
    },
  },
  actions: {
    shape: 'array of objects',
    fields: {
      incident: 'the incident id',
      action: 'string',
      owner: 'string or null',
      priority: 'string or null',
      due: 'YYYY-MM-DD or null',
      ticket: 'string or null',
      status: 'string, as written in the table',
      overdue: 'boolean',
    },
  },
  stats: {
    shape: 'object',
    fields: {
      incidents: 'number of incidents counted',
      drills_excluded: 'number',
      metrics: '{ttd|tta|ttm|ttr|impact: {n, mean, median, p90, ...intervals}}: minutes (docs/metrics.md)',
      by_severity: '{<severity>: {incidents, metrics}}',
      by_month: '{"YYYY-MM": {<severity>: count}}',
      action_items: '{total, done, completion_rate, open, wont_do, overdue}',
      postmortems: '{required, written, coverage, published, on_time, overdue}',
      closed_without_response: '{declined, duplicate}: matched the filters, left out of every figure',
      recovered_before_detection: 'number of counted incidents whose impact ended before detection (no TTM)',
      period: '{since, until, zone, severity, service, include_drills}: what was counted',
      by_service: '{<service>: {incidents, metrics}}',
      monthly: '{"YYYY-MM": {incidents, metrics}}',
      first_update: '{n, mean, median, p90, late, without_update}: minutes from detection to the first status update',
      commanders: '{unassigned, by_commander}',
      recurring: '{root_causes, services}: what came back',
      uncertainty: '{method, level, resamples, seed, generator, min_n}: how the intervals of the medians and means were computed',
      distribution: '{edges_minutes, ttd|tta|ttm|ttr|impact: counts per bin}: incidents per log-scaled duration bin',
    },
  },
  check: {
    shape: 'object',
    fields: { files: 'number of files checked', errors: 'number', warnings: 'number', findings: '[{file, line, level, message}]' },
  },
  comms: {
    shape: 'object',
    fields: {
      incident: 'the incident id',
      phase: 'investigating | identified | mitigated | resolved',
      drill: 'boolean',
      severity: 'string',
      text: 'the status-page text',
      sent_at: 'ISO 8601 UTC',
      next_update_at: 'ISO 8601 UTC or null',
      logged: 'boolean: written to the timeline',
      template: 'the template it was filled from',
    },
  },
  'runbook list': { shape: 'array of objects', fields: { service: 'string', path: 'runbooks/<service>.md' } },
  tail: {
    shape: 'one object per line',
    fields: {
      at: 'ISO 8601 UTC',
      text: 'string: as corrected (the rows from before); a correction that arrives is printed as its own row (kind amend or retract)',
      author: 'string',
      kind: 'string or null',
      ref: 'the entry\'s ref (~ and 7 hex digits), for inc amend/retract',
      amended: 'boolean',
      superseded: 'boolean (always false: tail reads no milestones)',
    },
  },
  'import statuspage': IMPORT_REPORT,
  'import csv': IMPORT_REPORT,
  'import report': IMPORT_REPORT,
  describe: {
    shape: 'object',
    fields: { commands: '[{name, usage, summary, arguments, options, subcommands, json, stdout}]', exit_codes: '{<code>: meaning}' },
  },
  sync: {
    shape: 'object',
    fields: { branch: 'string', upstream: 'such as origin/main', mode: 'rebase | merge', pulled: 'number of commits', pushed: 'number of commits' },
  },
};

export interface WriteOutput {
  /** The line printed, with <placeholders>; empty when nothing is printed. */
  line: string;
  note?: string;
}

/**
 * What each command that writes prints on stdout, by its name as typed. A write about an
 * incident prints one line per change, `<id> <event> <value>`: the id first, so that
 * `read -r id event value` or `cut -d' ' -f1` takes it; the sentence for people goes to
 * stderr. The few writes that are not about one incident print what they wrote (paths), and
 * comms prints the text to paste. A test runs every command that writes (one that takes
 * --no-commit or --dry-run, or is listed here) and holds it to this table.
 */
export const WRITE_OUTPUTS: Record<string, WriteOutput> = {
  init: { line: '<path>', note: 'one line per file written' },
  open: { line: '<id> opened <detected_at>' },
  use: { line: '<id> current', note: 'alone, `inc use` prints the current id; --clear prints nothing' },
  log: { line: '<id> logged <at>' },
  amend: { line: '<id> amended <ref of the entry>' },
  retract: { line: '<id> retracted <ref of the entry>' },
  ack: { line: '<id> acknowledged <acknowledged_at>' },
  identify: { line: '<id> identified <identified_at>' },
  mitigate: { line: '<id> mitigated <mitigated_at>' },
  resolve: { line: '<id> resolved <resolved_at>' },
  milestone: { line: '<id> <milestone> <at>' },
  relapse: { line: '<id> relapsed <at>' },
  reopen: { line: '<id> reopened <at>' },
  decline: { line: '<id> declined <at>' },
  duplicate: { line: '<id> duplicate <other id>' },
  assign: { line: '<id> commander|comms|sme|sme-removed <name>', note: 'one line per role changed' },
  sev: { line: '<id> severity <level>' },
  comms: { line: '<status-page text>', note: 'the text to paste; the JSON object with --json' },
  'runbook new': { line: 'runbooks/<service>.md', note: 'the path alone: `$EDITOR "$(inc runbook new S)"`' },
  sync: { line: '', note: 'nothing; the JSON object with --json' },
  postmortem: { line: '<id> postmortem incidents/<id>/postmortem.md', note: 'with --refresh, `<id> refreshed <block>`: one line per block rewritten, none when all match' },
  'postmortem approve': { line: '<id> approved <reviewer>' },
  'postmortem publish': { line: '<id> published <YYYY-MM-DD>' },
  'import statuspage': { line: '<id> imported <import_key>', note: 'one line per incident; the report as JSON with --json' },
  'import csv': { line: '<id> imported <import_key>', note: 'one line per incident; the report as JSON with --json' },
  'import report': { line: '<id> imported <import_key>', note: 'the report as JSON with --json' },
  publish: { line: '<folder>', note: 'where the site was written' },
};

/** A WRITE_OUTPUTS entry in one line, as describe and the README show it. */
export function writeOutputText({ line, note }: WriteOutput): string {
  if (line === '') return note ?? 'nothing';
  return note ? `${line} (${note})` : line;
}

function describeArgument(argument: Argument): ArgumentDescription {
  return {
    name: argument.name(),
    description: argument.description,
    required: argument.required,
    variadic: argument.variadic,
    ...(argument.argChoices ? { choices: [...argument.argChoices] } : {}),
    ...(argument.defaultValue !== undefined ? { default: argument.defaultValue } : {}),
  };
}

function describeOption(option: Option): OptionDescription {
  const takesValue = option.required || option.optional;
  const repeatable = option.variadic || Array.isArray(option.defaultValue);
  const value = /[<[][^>\]]+[>\]]/.exec(option.flags)?.[0];
  return {
    flags: option.flags,
    ...(option.long ? { long: option.long } : {}),
    ...(option.short ? { short: option.short } : {}),
    description: option.description,
    type: !takesValue ? 'boolean' : repeatable ? 'string[]' : 'string',
    ...(value ? { value } : {}),
    ...(option.defaultValue !== undefined && !(Array.isArray(option.defaultValue) && option.defaultValue.length === 0) ? { default: option.defaultValue } : {}),
    ...(option.argChoices ? { choices: [...option.argChoices] } : {}),
  };
}

/** One command (and its subcommands) as commander defines it. */
export function describeDefinition(command: Command, path: string, summary: string): CommandDescription {
  const options = command.options.map(describeOption);
  const help = command.createHelp();
  const helpOption = help.visibleOptions(command).find((option) => option.long === '--help');
  if (helpOption && !options.some((option) => option.long === '--help')) options.push(describeOption(helpOption));
  const json = JSON_OUTPUTS[path];
  const written = WRITE_OUTPUTS[path];
  const stdout = written ? writeOutputText(written) : undefined;
  return {
    name: path,
    usage: `inc ${path} ${command.usage()}`.trim(),
    summary: summary || command.description(),
    arguments: command.registeredArguments.map(describeArgument),
    options,
    subcommands: command.commands.map((sub) => describeDefinition(sub, `${path} ${sub.name()}`, sub.description())),
    ...(json ? { json } : {}),
    ...(stdout ? { stdout } : {}),
  };
}

/** Builds a command's definition exactly as run() does before parsing. */
export async function definitionOf(ctx: Context, module: CommandModule): Promise<Command> {
  return configureCommand(module.build(ctx), ctx);
}

export async function describeAll(ctx: Context, registry: CommandRegistry, only?: string): Promise<CommandDescription[]> {
  const names = Object.entries(registry).filter(([name, entry]) => !entry.hidden && (only === undefined || name === only));
  return Promise.all(names.map(async ([name, entry]) => describeDefinition(await definitionOf(ctx, await entry.load()), name, entry.summary)));
}

function renderText(descriptions: CommandDescription[]): string {
  const out: string[] = [];
  const render = (d: CommandDescription) => {
    out.push(d.usage, `  ${d.summary}`);
    for (const argument of d.arguments) {
      const traits = [argument.required ? 'required' : 'optional', argument.variadic ? 'one or more words' : '', argument.choices ? `one of ${argument.choices.join(', ')}` : ''].filter(Boolean);
      out.push(`  argument ${argument.name} (${traits.join('; ')}): ${argument.description}`);
    }
    for (const option of d.options) {
      const traits = [option.type, option.default !== undefined ? `default ${JSON.stringify(option.default)}` : '', option.choices ? `one of ${option.choices.join(', ')}` : ''].filter(Boolean);
      out.push(`  ${option.flags} (${traits.join('; ')}): ${option.description}`);
    }
    if (d.json) out.push(`  JSON (${d.json.shape}): ${Object.keys(d.json.fields).join(', ')}`);
    if (d.stdout) out.push(`  stdout when it writes: ${d.stdout}`);
    out.push('');
    d.subcommands.forEach(render);
  };
  descriptions.forEach(render);
  out.push('Exit codes:', ...Object.entries(EXIT_CODES).map(([code, meaning]) => `  ${code.padEnd(4)}${meaning}`), '');
  return out.join('\n');
}

export function describeCommand(registry: CommandRegistry): CommandModule {
  return {
    build: (ctx: Context) =>
      newCommand('describe', 'Every command, argument, flag (type, default, choices), exit code and JSON output field, for scripts and agents', [
        'inc describe',
        'inc describe log',
        'inc describe --json | jq \'.commands[] | select(.name == "stats") | .json.fields\'',
      ])
        .argument('[command]', 'one command (all when left out)')
        .addOption(jsonOption())
        .action(async (name: string | undefined, opts: { json?: boolean }) => {
          if (name !== undefined && (!Object.hasOwn(registry, name) || registry[name]!.hidden)) {
            throw new UsageError(`inc has no command "${name}"`, 'Run `inc describe` for all of them.');
          }
          const commands = await describeAll(ctx, registry, name);
          if (opts.json) printJson(ctx, { commands, exit_codes: EXIT_CODES });
          else ctx.stdout.write(renderText(commands));
        }),
  };
}
