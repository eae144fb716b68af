/**
 * inc stats --compare: the figures of two periods side by side, with the change of each
 * median and mean, its 95% bootstrap interval and a plain verdict. Reads only incident.md
 * files (through the same cache as list and stats): timelines and postmortems hold nothing
 * the comparison uses.
 */
import { comparePeriods, PERIOD_FORMS, type Period, parsePeriod, periodOf, periodsOverlap } from '../domain/compare.js';
import { UsageError } from '../domain/errors.js';
import { selectIncidents } from '../domain/stats.js';
import type { Context } from '../io/context.js';
import { loadMatrix } from '../store/matrix.js';
import { openProject, requireInitialised } from '../store/project.js';
import { loadAllIncidents, warnProblems } from '../store/read-all.js';
import { dateFlag, filterFromFlags, type StatsFlags, type StatsFormat } from './stats-flags.js';

const EXAMPLE = 'inc stats --compare 2026-Q1 2026-Q2';

/** The two periods, from `--compare A B` or from two --since/--until pairs; never both. */
function periodsFromFlags(flags: StatsFlags, zone: string): [Period, Period] {
  const named = Array.isArray(flags.compare) ? flags.compare : [];
  const since = flags.since ?? [];
  const until = flags.until ?? [];
  if (named.length > 0 && (since.length > 0 || until.length > 0)) {
    throw new UsageError('--compare takes its periods either after it or as --since/--until pairs, not both', `Such as ${EXAMPLE}, or inc stats --compare --since 2026-01-01 --until 2026-03-31 --since 2026-04-01 --until 2026-06-30.`);
  }
  let periods: Period[];
  if (named.length > 0) {
    if (named.length !== 2) throw new UsageError(`--compare needs two periods, got ${named.length}`, `Such as ${EXAMPLE}.`);
    periods = named.map((text) => {
      const period = parsePeriod(text);
      if (!period) throw new UsageError(`--compare "${text}" is not a period`, `Use ${PERIOD_FORMS}, such as ${EXAMPLE}.`);
      return period;
    });
  } else {
    if (since.length !== 2 || until.length !== 2) {
      throw new UsageError('--compare needs two periods', `Name them (${EXAMPLE}) or give --since and --until twice each, one pair per period.`);
    }
    periods = [0, 1].map((i) => {
      const first = dateFlag(since[i], '--since', zone)!;
      const last = dateFlag(until[i], '--until', zone)!;
      if (first > last) throw new UsageError(`--since ${first} is after --until ${last}`, 'Each pair is one period, both dates included.');
      return periodOf(first, last);
    });
  }
  const [before, after] = periods as [Period, Period];
  if (periodsOverlap(before, after)) {
    throw new UsageError(`the periods ${before.label} and ${after.label} overlap`, 'An incident in both would be counted on both sides: compare periods that do not share a day.');
  }
  return [before, after];
}

export async function runCompare(ctx: Context, flags: StatsFlags, format: StatsFormat): Promise<void> {
  if (format === 'csv' || format === 'prometheus') {
    throw new UsageError(`--compare prints a table, json or markdown, not ${format}`, 'Use --format json for scripts.');
  }
  const project = await openProject(ctx);
  requireInitialised(project);
  const matrix = loadMatrix(project);
  const zone = project.config.timezone;
  const [before, after] = periodsFromFlags(flags, zone);
  const filter = filterFromFlags({ ...flags, since: undefined, until: undefined }, matrix, zone);

  const { records, problems } = await loadAllIncidents(project);
  warnProblems(ctx.stderr, problems);
  const select = (period: Period) => selectIncidents(records, { matrix, zone, filter: { ...filter, since: period.since, until: period.until } });
  const first = select(before);
  const second = select(after);
  // An incident without detected_at is left out of both selections: say so once.
  const seen = new Set<string>();
  for (const warning of [...first.warnings, ...second.warnings]) {
    const line = `inc: warning: ${warning.incident}: ${warning.message}\n`;
    if (!seen.has(line)) ctx.stderr.write(line);
    seen.add(line);
  }
  const report = comparePeriods(
    { period: before, incidents: first.selected.map((r) => r.incident) },
    { period: after, incidents: second.selected.map((r) => r.incident) },
  );
  const scopeParts = [`dates in ${zone}`];
  if (filter.severity) scopeParts.push(filter.severity);
  if (filter.service) scopeParts.push(`service ${filter.service}`);
  scopeParts.push(filter.includeDrills ? 'drills included' : 'drills left out');
  const scope = scopeParts.join(', ');
  if (format === 'json') {
    ctx.stdout.write(`${JSON.stringify({ ...report, period: { zone, severity: filter.severity, service: filter.service, include_drills: filter.includeDrills } }, null, 2)}\n`);
    return;
  }
  const { renderCompareMarkdown, renderCompareTable } = await import('../io/stats/compare.js');
  if (format === 'markdown') {
    ctx.stdout.write(renderCompareMarkdown(report, scope));
    return;
  }
  const { chalkFor } = await import('../io/colour.js');
  ctx.stdout.write(renderCompareTable(report, await chalkFor(ctx, ctx.stdout), scope));
}
