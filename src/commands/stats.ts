/**
 * inc stats: MTTD, MTTA, MTTM, MTTR, impact, frequency by severity and month, postmortem
 * coverage, action-item completion and the seed's pitfalls (recurring causes, hero culture,
 * late stakeholder updates), from the files alone.
 *
 * Built for 10,000 incidents: a file unchanged since an earlier run is not read again (its
 * facts come from this clone's caches), a file read goes through the fast front-matter
 * reader and only a timeline's update rows are split, the output format's module (and
 * chalk, for the table) is loaded only when chosen, and git is never called.
 */
import type { Stats } from 'node:fs';
import { sep } from 'node:path';
import { Option } from 'commander';
import { IncError, UsageError } from '../domain/errors.js';
import { parseActionItems, postmortemStatus } from '../domain/postmortem.js';
import { severityRank, type SeverityMatrix } from '../domain/severity.js';
import {
  computeStats,
  postmortemFacts,
  type PostmortemFacts,
  selectIncidents,
  type StatsEntry,
  statsDefinitions,
  type StatsReport,
  updateTimes,
} from '../domain/stats.js';
import { dateInZone } from '../domain/time.js';
import { type Context, writeOut } from '../io/context.js';
import { incidentFile, incidentPath, parseFrontMatterFile, POSTMORTEM_FILE, TIMELINE_FILE } from '../store/incidents.js';
import { FileCache, packageFile, statOf } from '../store/file-cache.js';
import { ifPresent, openProject, type Project, readRepoFileAndStat, requireInitialised } from '../store/project.js';
import { loadAllIncidents, warnProblems } from '../store/read-all.js';
import { matrixFor } from './matrix.js';
import { newCommand, warnReplacedSurrogates } from './shared.js';
import { chosenFormat, filterFromFlags, type StatsFlags, STATS_FORMATS, type StatsFormat } from './stats-flags.js';
import { visibleDeep } from '../domain/sanitise.js';

const FACTS_CACHE_FILE = 'stats-cache.json';

const FORMAT_NOTES = `Formats:
  table       for people: aligned, severities coloured on a terminal, a monthly trend
  json        for scripts (inc describe stats); durations in minutes, ratios 0..1, null where no data
  csv         section,group,severity,measure,value (RFC 4180; names starting with = + - @
              get a leading ' so spreadsheets keep them as text; numbers are never negative)
  markdown    tables to paste into a report
  prometheus  text exposition for node_exporter's textfile collector, in seconds
`;


export function build(ctx: Context) {
  return newCommand('stats', 'Response figures (MTTD, MTTA, MTTM, MTTR, impact), frequency, postmortem coverage, action items', [
    'inc stats',
    'inc stats --since 2026-01-01 --until 2026-03-31 --sev 1',
    'inc stats --service payment-service --format markdown > report.md',
    'inc stats --json | jq .metrics.ttm',
    'inc stats --format csv > stats.csv',
    'inc stats --format prometheus > /var/lib/node_exporter/inc.prom.$$ && mv /var/lib/node_exporter/inc.prom.$$ /var/lib/node_exporter/inc.prom',
    'inc stats --compare 2026-Q1 2026-Q2             # is the change real, or noise?',
    'inc stats --compare 2026-03 2026-04 --sev 1 --json',
    'inc stats --compare --since 2026-01-01 --until 2026-02-15 --since 2026-02-16 --until 2026-03-31',
    'inc stats --explain',
  ])
    .option('--since <date>', 'first detection date to include (YYYY-MM-DD in the configured zone)', collect)
    .option('--until <date>', 'last detection date to include (YYYY-MM-DD, inclusive)', collect)
    .option('--compare [periods...]', 'compare two periods (2026-Q1 2026-Q2, 2026-03 2026-04, 2025 2026, 2026-01-01..2026-02-15 ...), or two --since/--until pairs')
    .option('--sev <severity>', 'only this severity (2, SEV2 and sev2 are the same)')
    .option('--service <name>', 'only incidents that affected this service')
    .option('--include-drills', 'count drills like real incidents (left out by default)')
    .addOption(new Option('--format <format>', 'output format').choices(STATS_FORMATS))
    .option('--json', 'print JSON for scripts (same as --format json)')
    .option('--explain', 'print how every figure is defined, and nothing else')
    .addHelpText('after', FORMAT_NOTES)
    .action(async (flags: StatsFlags) => {
      await runStats(ctx, flags);
    });
}

/** Collects a repeatable option's values in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export async function runStats(ctx: Context, flags: StatsFlags): Promise<void> {
  if (flags.explain) {
    const { renderExplain } = await import('../io/stats/explain.js');
    ctx.stdout.write(renderExplain(statsDefinitions()));
    return;
  }
  const format = chosenFormat(flags);
  if (flags.compare !== undefined) {
    await (await import('./stats-compare.js')).runCompare(ctx, flags, format);
    return;
  }
  const project = await openProject(ctx);
  requireInitialised(project);
  const matrix = matrixFor(ctx, project);
  const zone = project.config.timezone;
  for (const flag of ['since', 'until'] as const) {
    if ((flags[flag]?.length ?? 0) > 1) throw new UsageError(`--${flag} is given more than once`, 'Give it once, or add --compare to compare two periods (one --since/--until pair each).');
  }
  const filter = filterFromFlags({ ...flags, since: flags.since?.[0], until: flags.until?.[0] }, matrix, zone);
  const options = { matrix, zone, filter, today: dateInZone(ctx.now().getTime(), zone) };

  const { records, problems } = await loadAllIncidents(project);
  warnProblems(ctx.stderr, problems);
  if (filter.service !== null) requireKnownService(filter.service, records);
  const selection = selectIncidents(records, options);
  const cache = openFactsCache(project);
  const entries: StatsEntry[] = [];
  for (const record of selection.selected) entries.push(await readEntry(ctx, project, cache, record.incident));
  // Entries of incidents this run did not select (--sev, --since...) are kept while they exist.
  const listed = new Set(records.map((record) => record.incident.id));
  if (project.saveCaches) cache.save((path) => listed.has(path.split('/')[1]!));
  const { report, warnings } = computeStats({ ...selection, selected: entries }, options);
  for (const warning of warnings) ctx.stderr.write(`inc: warning: ${warning.incident}: ${warning.message}\n`);
  // JSON escapes on its own (jsonText); every other format gets the values shown visibly first.
  writeOut(ctx, await render(ctx, format, format === 'json' ? report : visibleDeep(report), matrix));
}

/**
 * A --service that no incident names is a typo far more often than a quiet service: say so,
 * with the names that exist, instead of a report of 0 incidents.
 */
function requireKnownService(service: string, records: { incident: { services: string[] } }[]): void {
  const known = new Set<string>();
  for (const record of records) for (const name of record.incident.services) known.add(name);
  if (known.has(service)) return;
  const names = [...known].sort();
  const sameBut = names.find((name) => name.toLowerCase() === service.toLowerCase());
  throw new UsageError(
    `--service "${service}": no incident names that service`,
    sameBut !== undefined
      ? `Did you mean --service "${sameBut}"?`
      : names.length > 0
        ? `Services in the incidents: ${names.slice(0, 20).join(', ')}${names.length > 20 ? `, and ${names.length - 20} more` : ''}.`
        : 'No incident names a service yet.',
  );
}

/**
 * A file of the incident, or undefined where there is none. Where it may well be missing
 * (`sparse`), asking first is cheaper than the exception a failed open throws.
 */
function readIfPresent(ctx: Context, absolute: string, path: string, sparse: boolean, withStat: boolean): { text: string; stat: Stats | undefined } | undefined {
  if (sparse && statOf(absolute) === null) return undefined;
  try {
    return ifPresent(() => readRepoFileAndStat(absolute, path, withStat));
  } catch (error) {
    if (!(error instanceof IncError)) throw error;
    warnProblems(ctx.stderr, [error]);
    return undefined;
  }
}

/** What stats makes of a timeline (its update times) or a postmortem (its facts), per file. */
type FileFacts = number[] | PostmortemFacts;

/**
 * Timelines and postmortems are cached like incidents (store/file-cache.ts): an unchanged
 * file gives back what was made of it without being read, which over 10,000 incidents is
 * most of the time `inc stats` took. The modules below decide what an entry holds.
 */
function openFactsCache(project: Project): FileCache<FileFacts> {
  const modules = ['../domain/stats.js', '../domain/postmortem.js', '../domain/timeline.js', '../domain/corrections.js', '../domain/frontmatter.js', '../domain/simple-yaml.js', '../domain/yaml-document.js', '../domain/time.js', '../domain/text.js', '../domain/years.js', '../store/incidents.js', '../store/project.js'];
  return new FileCache<FileFacts>(project.stateDir, FACTS_CACHE_FILE, [
    ...modules.map((module) => new URL(module, import.meta.url)),
    new URL(import.meta.url),
    packageFile('yaml/package.json'),
  ], project.fileClock());
}

async function readEntry(ctx: Context, project: Project, cache: FileCache<FileFacts>, incident: StatsEntry['incident']): Promise<StatsEntry> {
  // No path join per file: over 10,000 incidents, join() itself shows in profiles.
  const folder = incidentFile(project, incident.id);
  const file = (name: string) => ({ absolute: `${folder}${sep}${name}`, path: incidentPath(incident.id, name) });
  return {
    incident,
    postmortem: await readPostmortem(ctx, cache, file(POSTMORTEM_FILE), project.saveCaches),
    updates: readUpdateTimes(ctx, cache, file(TIMELINE_FILE), project.saveCaches),
  };
}

interface IncidentFile {
  absolute: string;
  path: string;
}

/** `withStat`: take the file's identity, for the cache (not when no cache is kept). */
async function readPostmortem(ctx: Context, cache: FileCache<FileFacts>, { absolute, path }: IncidentFile, withStat: boolean): Promise<PostmortemFacts | null> {
  if (cache.has(path)) {
    const stat = statOf(absolute);
    if (stat === null) return null;
    const cached = stat && cache.get(path, stat);
    if (cached) return cached as PostmortemFacts;
  }
  // Most incidents have none: asking first is cheaper then than the exception of a failed open.
  const read = readIfPresent(ctx, absolute, path, true, withStat);
  if (read === undefined) return null;
  try {
    const fm = await parseFrontMatterFile(read.text, path);
    const facts = postmortemFacts(fm.data, postmortemStatus(fm), parseActionItems(fm.body, fm.bodyStartLine));
    if (read.stat) cache.set(path, read.stat, facts);
    return facts;
  } catch (error) {
    if (!(error instanceof IncError)) throw error;
    warnProblems(ctx.stderr, [error]);
    // It exists, so it counts as written; what it says cannot be counted.
    return { status: 'unreadable', due: null, publishedOn: null, rootCauses: [], actionItems: [] };
  }
}

/** Times of the timeline's stakeholder updates (kind "update"); most timelines hold none. */
function readUpdateTimes(ctx: Context, cache: FileCache<FileFacts>, { absolute, path }: IncidentFile, withStat: boolean): number[] {
  if (cache.has(path)) {
    const stat = statOf(absolute);
    if (stat === null) return [];
    const cached = stat && cache.get(path, stat);
    if (cached) return cached as number[];
  }
  const read = readIfPresent(ctx, absolute, path, false, withStat);
  if (read === undefined) return [];
  const times = updateTimes(read.text);
  if (read.stat) cache.set(path, read.stat, times);
  return times;
}

async function render(ctx: Context, format: StatsFormat, report: StatsReport, matrix: SeverityMatrix): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('../io/stats/json.js')).renderJson(report, (count) => warnReplacedSurrogates(ctx, count));
    case 'csv':
      return (await import('../io/stats/csv.js')).renderCsv(report);
    case 'markdown':
      return (await import('../io/stats/markdown.js')).renderMarkdown(report);
    case 'prometheus':
      return (await import('../io/stats/prometheus.js')).renderPrometheus(report);
    case 'table': {
      const [{ renderStatsTable }, { chalkFor }] = await Promise.all([import('../io/stats/table.js'), import('../io/colour.js')]);
      return renderStatsTable(report, { chalk: await chalkFor(ctx, ctx.stdout), rankOf: (name) => severityRank(matrix, name) });
    }
  }
}
