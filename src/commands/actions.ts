/**
 * inc actions: the action items of every postmortem, read from their hand-edited tables, so
 * that follow-through is visible: what is open, what is overdue, who owns what.
 */
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, ExitError, IncError } from '../domain/errors.js';
import { type ActionItem, isOpen, isOverdue } from '../domain/postmortem.js';
import { dateInZone, zoneLabel } from '../domain/time.js';
import { plural } from '../domain/words.js';
import { chalkFor } from '../io/colour.js';
import { type Context, writeErr, writeOut } from '../io/context.js';
import { renderTable } from '../io/table.js';
import { loadAllActionItems } from '../store/postmortems.js';
import { openProject, requireInitialised } from '../store/project.js';
import { warnProblems } from '../store/read-all.js';
import { jsonOption, newCommand, printJson } from './shared.js';
import { visibleDeep } from '../domain/sanitise.js';

export interface ActionsOptions {
  open?: boolean;
  overdue?: boolean;
  owner?: string;
  json?: boolean;
  /** Exit 1 when any item is listed (a scheduled CI job fails while items are overdue). */
  exitCode?: boolean;
  /** A file to append a markdown job summary to (GitHub Actions: $GITHUB_STEP_SUMMARY). */
  summary?: string;
}

export interface ActionRow {
  incident: string;
  action: string;
  owner: string | null;
  priority: string | null;
  /** YYYY-MM-DD, or the cell as written when it is not a date; null when empty. */
  due: string | null;
  ticket: string | null;
  /** todo, in progress, done, won't do; the word as written when inc does not know it. */
  status: string;
  overdue: boolean;
}

export function build(ctx: Context) {
  return newCommand('actions', 'List the action items of every postmortem: open, overdue, by owner', [
    'inc actions --open',
    'inc actions --overdue',
    'inc actions --owner Bob --open',
    "inc actions --json | jq -r '.[] | select(.overdue) | .ticket'",
    'inc actions --overdue --exit-code     # exit 1 while anything is overdue (a weekly CI job)',
  ])
    .option('--open', 'only items not done (todo, in progress)')
    .option('--overdue', 'only items past their due date and not done')
    .option('--owner <name>', 'only items this person owns (case and a leading @ aside)')
    .option('--exit-code', 'exit 1 when the list is not empty, as `git diff --exit-code` does')
    .option('--summary <file>', 'also append the list as a markdown table to FILE (in CI: "$GITHUB_STEP_SUMMARY")')
    .addOption(jsonOption())
    .action(async (opts: ActionsOptions) => {
      const rows = await runActions(ctx, opts);
      if (opts.exitCode && rows.length > 0) throw new ExitError(ExitCode.failure);
    });
}

/** Whether `owner` is among the owners of a cell such as "Bob", "@bob" or "Bob, Carol". */
export function ownedBy(cell: string, owner: string): boolean {
  const normal = (name: string) => name.trim().replace(/^@/, '').toLowerCase();
  const wanted = normal(owner);
  // No `\s*` around the separators: on a cell of spaces that split backtracked quadratically; normal() trims.
  return cell.split(/,|&|\/|\band\b/i).some((name) => normal(name) === wanted);
}

function toRow(incident: string, item: ActionItem, today: string): ActionRow {
  const orNull = (text: string) => (text === '' ? null : text);
  return {
    incident,
    action: item.action,
    owner: orNull(item.owner),
    priority: orNull(item.priority),
    due: item.dueDate ?? orNull(item.due),
    ticket: orNull(item.ticket),
    status: item.status ?? item.statusText,
    overdue: isOverdue(item, today),
  };
}

/** "Overdue action items", "Open action items owned by Bob": what the filters chose. */
function heading(opts: ActionsOptions): string {
  const which = opts.overdue ? 'Overdue action items' : opts.open ? 'Open action items' : 'Action items';
  return opts.owner === undefined ? which : `${which} owned by ${opts.owner}`;
}

async function appendSummary(path: string, rows: ActionRow[], opts: ActionsOptions, today: string, zone: string): Promise<void> {
  const { actionsSummary } = await import('../ci/summary.js');
  try {
    appendFileSync(path, actionsSummary(rows, heading(opts), today, zone));
  } catch (error) {
    throw new IncError(`could not write the summary to ${path}: ${(error as Error).message}`);
  }
}

export async function runActions(ctx: Context, opts: ActionsOptions): Promise<ActionRow[]> {
  const project = await openProject(ctx);
  requireInitialised(project);
  const today = dateInZone(ctx.now().getTime(), project.config.timezone);
  const { postmortems, problems } = await loadAllActionItems(project);
  warnProblems(ctx.stderr, problems);
  const matches = postmortems.flatMap(({ incident, items }) =>
    items
      .filter((item) => !opts.open || isOpen(item))
      .filter((item) => !opts.overdue || isOverdue(item, today))
      .filter((item) => opts.owner === undefined || ownedBy(item.owner, opts.owner))
      .map((item) => ({ item, row: toRow(incident, item, today) })),
  );
  const rows = matches.map((match) => match.row);
  if (opts.summary !== undefined) await appendSummary(resolve(ctx.cwd, opts.summary), rows, opts, today, project.config.timezone);

  if (opts.json) {
    printJson(ctx, rows);
    return rows;
  }
  if (rows.length === 0) {
    writeErr(ctx, postmortems.length === 0 ? 'No postmortems yet.' : 'No action items match.');
    return rows;
  }
  const chalk = await chalkFor(ctx, ctx.stdout);
  // Every value from the postmortems shown visibly (domain/sanitise.ts) before colour is added.
  const table = visibleDeep(rows).map((row) => [
    row.incident,
    row.action,
    row.owner ?? chalk.yellow('-'),
    row.priority ?? '-',
    row.due === null ? chalk.yellow('-') : row.overdue ? chalk.red(`${row.due} overdue`) : row.due,
    row.ticket ?? '-',
    row.status === 'done' ? chalk.green(row.status) : row.status,
  ]);
  writeOut(
    ctx,
    renderTable(
      [{ header: 'INCIDENT' }, { header: 'ACTION', max: 50 }, { header: 'OWNER' }, { header: 'PRI' }, { header: 'DUE' }, { header: 'TICKET' }, { header: 'STATUS' }],
      table,
      (h) => chalk.bold(h),
    ),
  );
  const overdue = rows.filter((r) => r.overdue).length;
  const open = matches.filter((match) => isOpen(match.item)).length;
  writeErr(ctx, `${plural(rows.length, 'action item')}, ${open} open, ${overdue} overdue (today is ${today} ${zoneLabel(project.config.timezone)}).`);
  return rows;
}
