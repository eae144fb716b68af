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
import { type Incident, incidentFields, MILESTONES, milestoneKey, statusOf } from '../domain/incident.js';
import { computeMetrics } from '../domain/metrics.js';
import { findSeverity, type SeverityLevel, type SeverityMatrix, severityNames } from '../domain/severity.js';
import { dateInZone, formatInZone, toIsoUtc, zoneLabel } from '../domain/time.js';
import { appendTimelineRows, renderTimelineHeader, type TimelineEntry } from '../domain/timeline.js';
import { plural } from '../domain/words.js';
import { renderFrontMatter } from '../domain/yaml-document.js';
import type { ImportBatch, ImportedIncident } from '../import/types.js';
import { type Context, writeErr } from '../io/context.js';
import { incidentExists, incidentPath, INCIDENT_FILE, TIMELINE_FILE } from '../store/incidents.js';
import { loadMatrix } from '../store/matrix.js';
import { openProject, type Project, requireInitialised } from '../store/project.js';
import { loadAllIncidents } from '../store/read-all.js';
import { type FileChange, writeAndCommit } from '../store/write.js';
import { collect, excerpt, jsonOption, newCommand, noCommitOption, printJson } from './shared.js';

export interface CommonImportOptions {
  dryRun?: boolean;
  json?: boolean;
  commit: boolean;
  sevMap: string[];
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

/**
 * The severity a source word maps to: `--sev-map word=SEV` first, then the default that
 * follows the matrix's order (`defaults[word]` is a position, 0 = most severe, kept inside
 * the matrix). A word with neither is refused, naming the flag.
 */
export function severityMapper(matrix: SeverityMatrix, sevMap: string[], defaults: Record<string, number>, what: string): (word: string | null) => SeverityLevel {
  const explicit = new Map<string, SeverityLevel>();
  for (const pair of sevMap.flatMap((value) => value.split(','))) {
    const m = /^\s*([^=]+?)\s*=\s*(.+?)\s*$/.exec(pair);
    if (!m) throw new UsageError(`--sev-map ${pair}: expected WORD=SEVERITY, such as major=SEV2`);
    const level = findSeverity(matrix, m[2]!);
    if (!level) throw new UsageError(`--sev-map ${pair}: ${m[2]} is not in ${matrix.file}`, `Valid severities: ${severityNames(matrix)}.`);
    explicit.set(m[1]!.toLowerCase(), level);
  }
  return (word) => {
    const key = (word ?? '').toLowerCase();
    const level = explicit.get(key) ?? (Object.hasOwn(defaults, key) ? matrix.levels[Math.min(defaults[key]!, matrix.levels.length - 1)] : undefined);
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
      metrics: computeMetrics(incident.milestones),
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
  if (!opts.json) for (const p of planned) ctx.stdout.write(`${p.id}\n`);
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

function withCommon<T extends ReturnType<typeof newCommand>>(command: T): T {
  command
    .option('--dry-run', 'show what would be created; write nothing')
    .option('--sev-map <word=severity>', 'map a source word to a severity of the matrix (repeatable, or comma-separated)', collect, [])
    .addOption(jsonOption())
    .addOption(noCommitOption());
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
  ).action(async (file: string, opts: CommonImportOptions) => {
    const { parseStatuspage } = await import('../import/statuspage.js');
    const project = await openProject(ctx);
    requireInitialised(project);
    const matrix = loadMatrix(project);
    const { text, name } = readImportFile(ctx, file);
    const batch = parseStatuspage(text, name);
    const mapper = severityMapper(matrix, opts.sevMap, IMPACT_DEFAULTS, 'impact');
    const report = await importBatch(ctx, project, batch, name, (i) => mapper(i.severityWord), opts);
    printImportReport(ctx, report, opts);
  });
}

export function build(ctx: Context) {
  return newCommand('import', 'Bring your history: import incidents from a status page, a report, or a CSV export', [
    'inc import statuspage incidents.json --dry-run',
    'inc import report docs/incidents/2018-02-20-outage.md --sev 2 --yes',
    'inc import csv incidents.csv --preset pagerduty',
  ]).addCommand(statuspageCommand(ctx));
}
