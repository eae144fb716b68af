/**
 * inc import statuspage|report|csv <file>: bring a team's history in. The readers in
 * src/import/ turn a foreign format into incidents; this file maps severities onto the
 * matrix, leaves out what an earlier import already brought (each incident carries its
 * source's key as import_key), and writes everything in one commit, or with --dry-run shows
 * what it would create. What could not be read is listed, never silently dropped.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { IncError, UsageError } from '../domain/errors.js';
import { makeIncidentId } from '../domain/ids.js';
import { type Incident, incidentFields, NO_HISTORY, RESPONSE_MILESTONES, type Milestone, milestoneConflicts, MILESTONES, milestoneKey, type Milestones, statusOf } from '../domain/incident.js';
import { incidentMetrics } from '../domain/metrics.js';
import { findSeverity, resolveSeverity, type SeverityLevel, type SeverityMatrix, severityNames } from '../domain/severity.js';
import { dateInZone, formatInZone, isValidZone, parseStoredTimestamp, toIsoUtc, zoneLabel } from '../domain/time.js';
import { appendTimelineRows, renderTimelineHeader, type TimelineEntry } from '../domain/timeline.js';
import { plural } from '../domain/words.js';
import { renderFrontMatter } from '../domain/yaml-document.js';
import type { ParsedReport } from '../import/report.js';
import type { ImportBatch, ImportedIncident } from '../import/types.js';
import { wallToEpoch } from '../import/zones.js';
import { canPrompt, type Context, writeErr, writeOut } from '../io/context.js';
import { visible } from '../domain/sanitise.js';
import { incidentExists, incidentPath, INCIDENT_FILE, TIMELINE_FILE } from '../store/incidents.js';
import { loadMatrix } from '../store/matrix.js';
import { openProject, type Project, repoPath, requireInitialised } from '../store/project.js';
import { loadAllIncidents } from '../store/read-all.js';
import { type FileChange, writeAndCommit } from '../store/write.js';
import { cleanText, collect, excerpt, jsonOption, newCommand, noCommitOption, printJson } from './shared.js';

export interface CommonImportOptions {
  dryRun?: boolean;
  json?: boolean;
  commit: boolean;
  sevMap?: string[];
}

/** Largest file an import reads: a status page's full history is a few megabytes at most. */
const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

export function readImportFile(ctx: Context, file: string): { text: string; name: string } {
  const absolute = resolve(ctx.cwd, file);
  let buffer: Buffer;
  try {
    buffer = readFileSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new IncError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(code ?? error)}`);
  }
  if (buffer.length > MAX_IMPORT_BYTES) throw new IncError(`${file} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB; split it first`);
  const text = buffer.toString('utf8');
  if (text.includes('\uFFFD') && !buffer.includes(Buffer.from('\uFFFD'))) {
    throw new IncError(`${file} is not UTF-8 text`, 1, 'Convert it first (iconv -f LATIN1 -t UTF-8 ...).');
  }
  return { text: text.replace(/^\uFEFF/, ''), name: basename(file) };
}

/** What every import starts from: the initialised repository, its matrix, the file's text. */
async function openImport(ctx: Context, file: string): Promise<{ project: Project; matrix: SeverityMatrix; text: string; name: string }> {
  const project = await openProject(ctx);
  requireInitialised(project);
  return { project, matrix: loadMatrix(project), ...readImportFile(ctx, file) };
}

/**
 * The severity a source word maps to: `--sev-map word=SEV` first, then (with `direct`) a level
 * of that name, then the default that
 * follows the matrix's order (`defaults[word]` is a position, 0 = most severe, kept inside
 * the matrix). A word with neither is refused, naming the flag.
 */
export function severityMapper(
  matrix: SeverityMatrix,
  sevMap: string[] | undefined,
  defaults: Record<string, number>,
  what: string,
  /** A word that already names a level of the matrix (SEV2, P1) is that level. */
  direct = false,
): (word: string | null) => SeverityLevel {
  const explicit = new Map<string, SeverityLevel>();
  for (const pair of (sevMap ?? []).flatMap((value) => value.split(','))) {
    const m = /^\s*([^=]+?)\s*=\s*(.+?)\s*$/.exec(pair);
    if (!m) throw new UsageError(`--sev-map ${pair}: expected WORD=SEVERITY, such as major=SEV2`);
    const level = findSeverity(matrix, m[2]!);
    if (!level) throw new UsageError(`--sev-map ${pair}: ${m[2]} is not in ${matrix.file}`, `Valid severities: ${severityNames(matrix)}.`);
    explicit.set(m[1]!.toLowerCase(), level);
  }
  return (word) => {
    const key = (word ?? '').toLowerCase();
    const level =
      explicit.get(key) ??
      (direct && word !== null ? findSeverity(matrix, word) : undefined) ??
      (Object.hasOwn(defaults, key) ? matrix.levels[Math.min(defaults[key]!, matrix.levels.length - 1)] : undefined);
    if (level) return level;
    throw new UsageError(
      `${what} "${word ?? '(none)'}" has no severity`,
      `Map it with --sev-map ${word ?? 'WORD'}=SEV (severities: ${severityNames(matrix)}).`,
    );
  };
}

interface Planned {
  id: string;
  imported: ImportedIncident;
  level: SeverityLevel;
  incident: Incident;
}

interface ImportReport {
  source: string;
  file: string;
  dry_run: boolean;
  committed: boolean;
  created: { id: string; title: string; severity: string; import_key: string; milestones: Record<string, string | null>; metrics: Record<string, number | null>; timeline_entries: number }[];
  already_imported: { import_key: string; id: string }[];
  unread: { where: string; why: string }[];
}

function incidentOf(id: string, imported: ImportedIncident, level: SeverityLevel): Incident {
  return {
    id,
    title: imported.title,
    severity: level.name,
    status: statusOf(imported.milestones),
    drill: false,
    services: imported.services,
    commander: null,
    ...NO_HISTORY,
    communications: null,
    smes: [],
    milestones: imported.milestones,
    tags: [],
    extra: {},
  };
}

function filesOf(planned: Planned, source: string, by: string): FileChange[] {
  const { id, imported, incident } = planned;
  const fields = { ...incidentFields(incident), imported: source, import_key: imported.key, ...imported.fields };
  const entries: TimelineEntry[] = imported.entries.map((e) => ({ at: e.at, text: e.text, author: by, kind: e.kind }));
  return [
    { path: incidentPath(id, INCIDENT_FILE), content: renderFrontMatter(fields, imported.body) },
    { path: incidentPath(id, TIMELINE_FILE), content: appendTimelineRows(renderTimelineHeader(id), entries) },
  ];
}

function milestoneTexts(incident: Incident): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const m of MILESTONES) out[milestoneKey(m)] = incident.milestones[m] === undefined ? null : toIsoUtc(incident.milestones[m]!);
  return out;
}

/** What `inc import` shows for one incident it creates (or would): the id, then its milestones in the zone. */
function describePlanned(planned: Planned, zone: string, withTimeline: boolean): string {
  const { incident, imported } = planned;
  const lines = [`${planned.id}  ${incident.severity}  ${incident.title}`];
  const set = MILESTONES.filter((m) => incident.milestones[m] !== undefined);
  if (set.length > 0) lines.push(`  ${set.map((m) => `${m} ${formatInZone(incident.milestones[m]!, zone)}`).join(', ')} (${zoneLabel(zone)})`);
  if (incident.services.length > 0) lines.push(`  services: ${incident.services.join(', ')}`);
  if (withTimeline) {
    for (const entry of imported.entries) lines.push(`  | ${formatInZone(entry.at, zone)} | ${excerpt(entry.text, 100)}`);
  } else {
    lines.push(`  ${plural(imported.entries.length, 'timeline entry', 'timeline entries')}`);
  }
  return lines.join('\n');
}

/**
 * Plans and writes one import: incidents whose import_key is already in the repository are
 * left out, the rest get ids and files, and all of them go in one commit.
 */
export async function importBatch(
  ctx: Context,
  project: Project,
  batch: ImportBatch,
  file: string,
  severityOf: (incident: ImportedIncident) => SeverityLevel,
  opts: CommonImportOptions,
): Promise<ImportReport> {
  const zone = project.config.timezone;
  const existing = new Map<string, string>();
  for (const { incident } of (await loadAllIncidents(project)).records) {
    const key = incident.extra.import_key;
    if (typeof key === 'string') existing.set(key, incident.id);
  }
  const report: ImportReport = {
    source: batch.source,
    file,
    dry_run: Boolean(opts.dryRun),
    committed: false,
    created: [],
    already_imported: [],
    // What concerns an incident imported before was said then.
    unread: batch.unread.filter((u) => u.key === undefined || !existing.has(u.key)).map(({ where, why }) => ({ where, why })),
  };
  const fresh: ImportedIncident[] = [];
  const seen = new Set<string>();
  for (const imported of batch.incidents) {
    const id = existing.get(imported.key);
    if (id !== undefined) report.already_imported.push({ import_key: imported.key, id });
    else if (seen.has(imported.key)) report.unread.push({ where: imported.where, why: `a second incident with the key ${imported.key}; only the first is imported` });
    else fresh.push(imported);
    seen.add(imported.key);
  }
  // Every severity is resolved before anything is written: one unmapped word refuses the whole import.
  const levels = fresh.map((imported) => severityOf(imported));

  const plan = (taken: (id: string) => boolean): Planned[] => {
    const chosen = new Set<string>();
    return fresh.map((imported, index) => {
      const detected = imported.milestones.detected!;
      const id = makeIncidentId(dateInZone(detected, zone), imported.title, (candidate) => chosen.has(candidate) || taken(candidate));
      chosen.add(id);
      return { id, imported, level: levels[index]!, incident: incidentOf(id, imported, levels[index]!) };
    });
  };
  const record = (planned: Planned[]) => {
    report.created = planned.map(({ id, incident, imported }) => ({
      id,
      title: incident.title,
      severity: incident.severity,
      import_key: imported.key,
      milestones: milestoneTexts(incident),
      metrics: incidentMetrics(incident),
      timeline_entries: imported.entries.length,
    }));
  };

  if (opts.dryRun || fresh.length === 0) {
    const planned = plan((id) => incidentExists(project, id));
    record(planned);
    if (!opts.json) for (const p of planned) ctx.stdout.write(`${describePlanned(p, zone, fresh.length === 1)}\n`);
    return report;
  }
  let planned: Planned[] = [];
  const result = await writeAndCommit(project, { noCommit: !opts.commit }, ({ author }) => {
    planned = plan((id) => incidentExists(project, id));
    return {
      files: planned.flatMap((p) => filesOf(p, batch.source, batch.by || author.name)),
      message:
        planned.length === 1
          ? `inc(${planned[0]!.id}): import from ${batch.source} ${file}`
          : `inc: import ${planned.length} incidents from ${batch.source} ${file}`,
    };
  });
  report.committed = result.committed;
  record(planned);
  if (!opts.json) for (const p of planned) writeOut(ctx, `${p.id} imported ${visible(p.imported.key)}\n`);
  return report;
}

/** The summary on stderr (or the report as JSON on stdout). */
export function printImportReport(ctx: Context, report: ImportReport, opts: CommonImportOptions): void {
  if (opts.json) {
    printJson(ctx, report);
    return;
  }
  const n = report.created.length;
  const verb = report.dry_run ? 'Would import' : 'Imported';
  const parts = [`${verb} ${plural(n, 'incident')} from ${report.source} ${report.file}`];
  if (report.already_imported.length > 0) parts.push(`${report.already_imported.length} already imported`);
  if (report.unread.length > 0) parts.push(`${plural(report.unread.length, 'thing')} left out`);
  const tail = report.dry_run ? ' (dry run: nothing written)' : n === 0 ? ': nothing new, nothing written' : report.committed ? ' in one commit' : ' (not committed)';
  writeErr(ctx, `${parts.join('; ')}${tail}.`);
  if (report.unread.length > 0) {
    writeErr(ctx, 'Left out (what could not be read or used, and why):');
    for (const u of report.unread) writeErr(ctx, `  ${u.where}: ${u.why}`);
  }
}

// ---------------------------------------------------------------------------------------
// The sources

function withCommon<T extends ReturnType<typeof newCommand>>(command: T, severityWords: boolean): T {
  command.option('--dry-run', 'show what would be created; write nothing');
  if (severityWords) command.option('--sev-map <word=severity>', 'map a source word to a severity of the matrix (repeatable, or comma-separated)', collect, []);
  command.addOption(jsonOption()).addOption(noCommitOption());
  return command;
}

/** Statuspage impact words in the matrix's order: critical the most severe level, none the fourth. */
const IMPACT_DEFAULTS: Record<string, number> = { critical: 0, major: 1, minor: 2, none: 3 };

function statuspageCommand(ctx: Context) {
  return withCommon(
    newCommand('statuspage', "Import a Statuspage page's incidents (its /api/v2/incidents.json or summary.json, saved to a file)", [
      'curl -s https://status.example.com/api/v2/incidents.json > incidents.json',
      'inc import statuspage incidents.json --dry-run',
      'inc import statuspage incidents.json',
      'inc import statuspage incidents.json --sev-map none=SEV4,minor=SEV4',
    ]).argument('<file>', 'the saved incidents.json or summary.json'),
    true,
  ).action(async (file: string, opts: CommonImportOptions) => {
    const { parseStatuspage } = await import('../import/statuspage.js');
    const { project, matrix, text, name } = await openImport(ctx, file);
    const batch = parseStatuspage(text, name);
    const mapper = severityMapper(matrix, opts.sevMap, IMPACT_DEFAULTS, 'impact');
    const report = await importBatch(ctx, project, batch, name, (i) => mapper(i.severityWord), opts);
    printImportReport(ctx, report, opts);
  });
}

// ---------------------------------------------------------------------------------------
// A markdown report

interface ReportOptions extends CommonImportOptions {
  zone?: string;
  date?: string;
  sev?: string;
  title?: string;
  service: string[];
  yes?: boolean;
  postmortemUrl?: string;
  started?: string;
  detected?: string;
  acknowledged?: string;
  identified?: string;
  mitigated?: string;
  resolved?: string;
}

const REPORT_EXAMPLE = 'inc import report 2018-02-22-nginx-down.md --sev 2 --yes';

/**
 * A milestone flag, read as the report's times are: `HH:MM` is the entry at that time (or, with
 * none, that time on the first entry's date), `YYYY-MM-DD HH:MM` a date and time in the report's
 * zone, ISO 8601 with an offset as written, `none` leaves the milestone empty.
 */
function readMilestoneFlag(value: string, flag: string, report: ParsedReport): number | null {
  const text = value.trim();
  if (text.toLowerCase() === 'none') return null;
  const withOffset = parseStoredTimestamp(text);
  if (withOffset !== undefined) return Math.floor(withOffset / 1000) * 1000;
  const dated = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})$/.exec(text);
  const clock = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!dated && !clock) {
    throw new UsageError(`${flag} ${value}: not a time inc can read`, 'Use HH:MM (the report\'s entry at that time), "YYYY-MM-DD HH:MM" in the report\'s zone, ISO 8601 with an offset, or none.');
  }
  const [hour, minute] = (dated ? [dated[2], dated[3]] : [clock![1], clock![2]]).map(Number) as [number, number];
  if (hour > 23 || minute > 59) throw new UsageError(`${flag} ${value}: not a time of day`);
  const wallTime = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  let date = dated?.[1];
  if (!date) {
    const days = [...new Set(report.entries.filter((e) => e.wall.endsWith(` ${wallTime}`)).map((e) => e.wall.slice(0, 10)))];
    if (days.length > 1) throw new UsageError(`${flag} ${value}: the report has entries at ${wallTime} on ${days.join(' and ')}`, `Give the date: ${flag} "${days[0]} ${wallTime}".`);
    date = days[0] ?? report.entries[0]!.wall.slice(0, 10);
  }
  if (!report.zoneValue) throw new UsageError(`${flag} ${value}: the report names a zone beside each time; give this one with its offset (ISO 8601)`);
  const at = wallToEpoch(report.zoneValue, date, hour, minute);
  if (at === undefined) throw new UsageError(`${flag} ${value}: ${date} ${wallTime} does not exist in ${report.zone}`);
  return at;
}

function describeProposals(report: ParsedReport, zone: string): string[] {
  return MILESTONES.filter((m) => report.proposals[m]).map((m) => {
    const p = report.proposals[m]!;
    return `  ${m.padEnd(12)} ${formatInZone(p.at, zone)} ${zoneLabel(zone)}  (line ${p.line}, ${p.wall} in the report: ${p.why})`;
  });
}

/** The milestones to store: flags first; then, with --yes or a confirmation on a terminal, the proposals. */
async function reportMilestones(ctx: Context, report: ParsedReport, opts: ReportOptions, zone: string, file: string): Promise<Milestones> {
  const fromFlags: Partial<Record<Milestone, number | null>> = {};
  for (const m of RESPONSE_MILESTONES) {
    const value = opts[m];
    if (value !== undefined) fromFlags[m] = readMilestoneFlag(value, `--${m}`, report);
  }
  const flagged = Object.keys(fromFlags).length > 0;
  let takeProposals = Boolean(opts.yes);
  const open = MILESTONES.filter((m) => report.proposals[m] && fromFlags[m] === undefined);
  if (!takeProposals && !flagged && open.length > 0 && !opts.dryRun) {
    const lines = ['Milestones proposed from the entries:', ...describeProposals(report, zone)];
    if (canPrompt(ctx)) {
      writeErr(ctx, lines.join('\n'));
      const prompts = await import('../io/prompts.js');
      takeProposals = await prompts.askConfirm(ctx, { flag: '--yes', example: REPORT_EXAMPLE, message: 'Take these milestones?', default: true });
      if (!takeProposals) {
        throw new UsageError('no milestones taken', `Set them with flags (--detected HH:MM --mitigated HH:MM ..., none to leave one empty), then run: inc import report ${file} ...`);
      }
    } else {
      throw new UsageError(
        'milestones are proposed from the report, never taken unconfirmed',
        `${lines.join('\n')}\nTake them with --yes, or set them with --detected HH:MM --mitigated HH:MM ... (none leaves one empty).`,
      );
    }
  }
  const milestones: Milestones = {};
  for (const m of MILESTONES) {
    const flag = fromFlags[m];
    if (flag === null) continue;
    if (flag !== undefined) milestones[m] = flag;
    else if ((takeProposals || opts.dryRun) && report.proposals[m]) milestones[m] = report.proposals[m]!.at;
  }
  if (milestones.detected === undefined) {
    throw new UsageError('no detected_at: every incident needs one', 'Give it with --detected HH:MM (the time of the entry when someone noticed).');
  }
  const conflicts = milestoneConflicts(milestones);
  if (conflicts.length > 0) throw new UsageError(`the milestones break the order rules: ${conflicts[0]!.message}`, 'Correct one of them with its flag.');
  return milestones;
}

function reportCommand(ctx: Context) {
  return withCommon(
    newCommand('report', 'Import a markdown incident report: its timeline entries, the milestones you confirm, the report kept as written', [
      'inc import report docs/incident-reports/2018-02-22-nginx-down.md --sev 2 --dry-run',
      'inc import report docs/incident-reports/2018-02-22-nginx-down.md --sev 2 --yes',
      'inc import report outage.md --sev 1 --zone Europe/Berlin --date 2026-03-15 --detected 14:05 --mitigated 14:40 --resolved 15:10',
      'inc import report 2017-09-27-hub-403.md --sev 2 --zone America/Los_Angeles --yes   # "All times in PST" in September',
    ])
      .argument('<file>', 'the report (markdown with a "## Timeline" section)')
      .option('--sev <severity>', 'the severity from incident-severity.yaml (reports rarely state one)')
      .option('--zone <zone>', 'the zone of times that name none: IANA (Europe/Berlin), an offset (UTC+1) or an abbreviation (CET); default: what the report states')
      .option('--date <YYYY-MM-DD>', 'the date of times before any date in the report; default: the date in its title')
      .option('--title <title>', "the incident's title (default: the report's # heading without its date)")
      .option('--service <name>', 'an affected service (repeatable)', collect, [])
      .option('--yes', 'take the proposed milestones (shown by --dry-run) for those not given by a flag')
      .option('--started <time>', "when impact began: HH:MM (the report's entry), \"YYYY-MM-DD HH:MM\" in its zone, ISO 8601, or none")
      .option('--detected <time>', 'when it was noticed (same forms)')
      .option('--acknowledged <time>', 'when a responder took it (same forms)')
      .option('--identified <time>', 'when the cause was found (same forms)')
      .option('--mitigated <time>', 'when the impact ended (same forms)')
      .option('--resolved <time>', 'when it was resolved (same forms)')
      .option('--postmortem-url <url>', 'where the postmortem is (default: the report itself, when it is in this repository and reads as one)'),
    false,
  ).action(async (file: string, opts: ReportOptions) => {
    const { parseReport } = await import('../import/report.js');
    const { project, matrix, text, name } = await openImport(ctx, file);
    const report = parseReport(text, name, { zone: opts.zone, date: opts.date });
    const zone = project.config.timezone;
    let sev = opts.sev;
    if (sev === undefined && !opts.dryRun) {
      const prompts = await import('../io/prompts.js');
      sev = await prompts.askSeverity(ctx, matrix, { flag: '--sev', example: REPORT_EXAMPLE });
    }
    const level = sev === undefined ? matrix.levels[0]! : resolveSeverity(matrix, sev);
    const title = cleanText(opts.title ?? report.title ?? '', 'title');
    const milestones = await reportMilestones(ctx, report, opts, zone, file);
    const fields: Record<string, string> = {};
    const inRepository = repoPath(project, resolve(ctx.cwd, file));
    const postmortemUrl = opts.postmortemUrl ?? (report.postmortemShaped && !inRepository.startsWith('..') ? inRepository : undefined);
    if (postmortemUrl !== undefined) fields.postmortem_url = cleanText(postmortemUrl, '--postmortem-url');
    writeErr(ctx, `Times read in ${report.zone}${report.zoneFrom ? `, from ${report.zoneFrom}` : ''}.`);
    if (opts.dryRun && !opts.json) writeErr(ctx, ['Milestones proposed from the entries (take them with --yes; a flag overrides one):', ...describeProposals(report, zone)].join('\n'));
    const body = ['', `<!-- Imported from ${name} by inc import report: the report as written. -->`, '', text.trimEnd(), ''].join('\n');
    const incident: ImportedIncident = {
      key: report.key,
      title,
      severityWord: level.name,
      services: opts.service.map((s) => cleanText(s, 'service name')),
      milestones,
      entries: report.entries.map((e) => ({ at: e.at, text: e.text, kind: null })),
      body,
      fields,
      where: name,
    };
    const batch: ImportBatch = { source: 'report', by: name, incidents: [incident], unread: report.unread };
    const result = await importBatch(ctx, project, batch, name, () => level, opts);
    if (opts.dryRun && !opts.json && sev === undefined) writeErr(ctx, `No --sev given: shown as ${level.name}; the import asks for it.`);
    printImportReport(ctx, result, opts);
  });
}

// ---------------------------------------------------------------------------------------
// A CSV export

interface CsvCommandOptions extends CommonImportOptions {
  preset?: string;
  map: string[];
  zone?: string;
  sev?: string;
}

/** PagerDuty urgency in the matrix's order: high the second level, low the third. */
const URGENCY_DEFAULTS: Record<string, number> = { high: 1, low: 2 };

function csvCommand(ctx: Context) {
  return withCommon(
    newCommand('csv', 'Import a CSV export with a header row, one incident per row (--preset pagerduty, or --map field=column)', [
      'inc import csv incidents.csv --preset pagerduty --dry-run',
      'inc import csv incidents.csv --preset pagerduty --sev-map high=SEV1,low=SEV3',
      'inc import csv outages.csv --map title=Summary --map detected=Opened --map resolved=Closed --map key=Ticket --zone Europe/Berlin --sev 3',
    ])
      .argument('<file>', 'the CSV file (RFC 4180, UTF-8, a header row)')
      .option('--preset <name>', 'column names of a known export: pagerduty')
      .option('--map <field=column>', `read a field from a column (repeatable): ${CSV_FIELD_LIST}`, collect, [])
      .option('--zone <zone>', 'the zone of times written without an offset (IANA name, or UTC)')
      .option('--sev <severity>', 'the severity of rows that have no severity column or word'),
    true,
  ).action(async (file: string, opts: CsvCommandOptions) => {
    const { parseCsvIncidents } = await import('../import/csv.js');
    const { project, matrix, text, name } = await openImport(ctx, file);
    if (opts.zone !== undefined && !isValidZone(opts.zone)) throw new UsageError(`--zone ${opts.zone}: not a time zone name`, 'Use an IANA name such as Europe/Berlin, or UTC.');
    const batch = parseCsvIncidents(text, name, { preset: opts.preset, map: opts.map, zone: opts.zone, source: opts.preset ?? 'csv' });
    const fallback = opts.sev === undefined ? undefined : resolveSeverity(matrix, opts.sev);
    const mapper = severityMapper(matrix, opts.sevMap, opts.preset === 'pagerduty' ? URGENCY_DEFAULTS : {}, 'severity word', true);
    const report = await importBatch(ctx, project, batch, name, (i) => (i.severityWord === null && fallback ? fallback : mapper(i.severityWord)), opts);
    printImportReport(ctx, report, opts);
  });
}

const CSV_FIELD_LIST = 'key, title, severity, service, url, started, detected, acknowledged, identified, mitigated, resolved, ack_seconds';

export function build(ctx: Context) {
  return newCommand('import', 'Bring your history: import incidents from a status page, a report, or a CSV export', [
    'inc import statuspage incidents.json --dry-run',
    'inc import report docs/incidents/2018-02-20-outage.md --sev 2 --yes',
    'inc import csv incidents.csv --preset pagerduty',
  ])
    .addCommand(statuspageCommand(ctx))
    .addCommand(reportCommand(ctx))
    .addCommand(csvCommand(ctx));
}
