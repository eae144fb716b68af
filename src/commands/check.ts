/**
 * inc check: lint the repository's incident files for CI. Prints one line per finding
 * (`path:line: error|warning: message`, or GitHub annotations) and exits 1 on any error.
 * The rules live in domain/check.ts; this file reads the files and chooses what to print.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { SummaryIncident } from '../ci/summary.js';
import { checkIncident, checkIncidentEntries, checkMatrixError, type Finding, type IncidentFiles, sortFindings } from '../domain/check.js';
import { incidentFromFrontMatter } from '../domain/incident.js';
import { incidentMetrics } from '../domain/metrics.js';
import { parseTimeline } from '../domain/timeline.js';
import { incidentTimeline } from '../domain/corrections.js';
import { ExitError, FileError, IncError, UsageError } from '../domain/errors.js';
import { templatePrompts } from '../domain/postmortem.js';
import type { SeverityMatrix } from '../domain/severity.js';
import { dateInZone } from '../domain/time.js';
import { plural } from '../domain/words.js';
import { type CheckFormat, defaultFormat, formatGithub, formatText } from '../io/annotations.js';
import { type Context, writeErr, writeOut } from '../io/context.js';
import { INCIDENT_FILE, incidentPath, listIncidentEntries, listIncidentIds, parseFrontMatterFile, POSTMORTEM_FILE, readOptionalFile, readSparseFile, TIMELINE_FILE } from '../store/incidents.js';
import { readFilesAtCommit, resolveCommit } from '../store/git.js';
import { loadMatrix, matrixFromText } from '../store/matrix.js';
import { CONFIG_FILE, configFromText, INCIDENTS_DIR, MATRIX_FILE, MAX_FILE_BYTES, openProject, type Project, repoPath, withinLineLimit } from '../store/project.js';
import { loadTemplate, shippedTemplate } from '../store/templates.js';
import { newCommand, printJson } from './shared.js';

export interface CheckCommandOptions {
  format?: string;
  /** A file to append a markdown job summary to (GitHub Actions: $GITHUB_STEP_SUMMARY). */
  summary?: string;
  configFrom?: string;
}

/** `inc check --format json`: what scripts rely on. Paths are repository-relative. */
export interface CheckJson {
  files: number;
  errors: number;
  warnings: number;
  findings: Finding[];
}

export function build(ctx: Context) {
  return newCommand('check', 'Lint incident files for CI: parse errors, milestones, severities, postmortems, action items', [
    'inc check',
    'inc check incidents/2026-03-15-payment-processing-outage',
    'inc check --format github       # GitHub Actions annotations (the default when GITHUB_ACTIONS=true)',
    "inc check --format json | jq -r '.findings[] | select(.level == \"error\") | .file'",
    'inc check --config-from origin/main   # in CI: the matrix, templates and config of the base branch',
  ])
    .argument('[paths...]', 'files or folders to check (default: the whole repository)')
    .option('--format <format>', 'text (path:line: level: message), github (workflow annotations) or json')
    .option('--summary <file>', 'also append a markdown summary to FILE: findings per file; metrics and a Mermaid timeline of each incident named (in CI: "$GITHUB_STEP_SUMMARY")')
    .option(
      '--config-from <ref>',
      "lint with the severity matrix, templates/ and .inc/config.yaml of a git ref (the base branch), read from git, not from the working tree: a pull request cannot weaken its own checks",
    )
    .action(async (paths: string[], opts: CheckCommandOptions) => {
      await runCheck(ctx, paths, opts);
    });
}

/** What to check: every incident, or the folders and files given (repository-relative). */
interface Scope {
  all: boolean;
  prefixes: string[];
  ids: Set<string>;
}

function scopeOf(ctx: Context, project: Project, paths: string[]): Scope {
  const scope: Scope = { all: paths.length === 0, prefixes: [], ids: new Set() };
  for (const given of paths) {
    const absolute = resolve(ctx.cwd, given);
    if (!existsSync(absolute)) throw new UsageError(`${given}: no such file or folder`);
    const path = repoPath(project, absolute);
    if (path.startsWith('..')) throw new UsageError(`${given} is outside this repository (${project.root})`);
    if (path === '' || path === INCIDENTS_DIR) {
      scope.all = true;
      continue;
    }
    const id = new RegExp(`^${INCIDENTS_DIR}/([^/]+)`).exec(path)?.[1];
    if (id !== undefined) {
      scope.ids.add(id);
      scope.prefixes.push(path);
    } else if (path === MATRIX_FILE) {
      scope.prefixes.push(path);
    } else {
      writeErr(ctx, `inc check: skipped ${given}: not an incident file`);
    }
  }
  return scope;
}

function inScope(scope: Scope, finding: Finding): boolean {
  if (scope.all || finding.file === MATRIX_FILE || finding.file.endsWith(`:${MATRIX_FILE}`)) return true;
  return scope.prefixes.some((prefix) => finding.file === prefix || finding.file.startsWith(`${prefix}/`));
}

function readMatrix(read: () => SeverityMatrix, file: string): { matrix: SeverityMatrix | null; findings: Finding[] } {
  try {
    const matrix = read();
    // A bad value stops only what needs it; here it is a finding like any other.
    return { matrix, findings: matrix.problems.map((problem) => checkMatrixError(problem, file)) };
  } catch (error) {
    if (!(error instanceof IncError)) throw error;
    return { matrix: null, findings: [checkMatrixError(error, file)] };
  }
}

/** What the rules of a check are made of: the matrix, the postmortem template and the zone. */
interface Rules {
  matrix: SeverityMatrix | null;
  findings: Finding[];
  postmortemTemplate: string;
  zone: string;
}

function workingTreeRules(project: Project): Rules {
  return { ...readMatrix(() => loadMatrix(project), MATRIX_FILE), postmortemTemplate: loadTemplate(project.root, 'postmortem.md').text, zone: project.config.timezone };
}

/**
 * The rules as `ref` (the base branch of a pull request) has them, read from git's objects.
 * The working tree's matrix is still linted as a file of the change, but never used as a rule.
 */
async function rulesFrom(ctx: Context, project: Project, ref: string): Promise<Rules> {
  if (ref === '' || ref.startsWith('-')) throw new UsageError(`--config-from ${JSON.stringify(ref)}: expected a branch, tag or commit, such as origin/main`);
  const commit = await resolveCommit(project, ref);
  if (commit === undefined) {
    throw new UsageError(
      `--config-from ${ref}: no such commit in this clone`,
      'In CI, fetch the base branch first (actions/checkout with fetch-depth: 0, or `git fetch origin main`), then pass origin/main.',
    );
  }
  const template = 'templates/postmortem.md';
  const files = await readFilesAtCommit(project, commit, [MATRIX_FILE, CONFIG_FILE, template], MAX_FILE_BYTES);
  const textOf = (path: string): string | undefined => {
    const file = files.get(path);
    if (file?.kind === 'refused') throw new IncError(`--config-from ${ref}: ${path} ${file.why}; inc does not read it`);
    return file?.kind === 'file' ? withinLineLimit(file.text, `${ref}:${path}`) : undefined;
  };
  const matrixText = textOf(MATRIX_FILE);
  if (matrixText === undefined) {
    throw new IncError(`--config-from ${ref}: ${ref} has no ${MATRIX_FILE}`, 1, 'Check without --config-from until the change that sets up inc is merged.');
  }
  const config = await configFromText(textOf(CONFIG_FILE), `${ref}:${CONFIG_FILE}`);
  const own = readMatrix(() => loadMatrix(project), MATRIX_FILE);
  const trusted = readMatrix(() => matrixFromText(matrixText, `${ref}:${MATRIX_FILE}`), `${ref}:${MATRIX_FILE}`);
  writeErr(ctx, `inc check: rules from ${ref} (${commit.slice(0, 12)}): ${MATRIX_FILE}, ${CONFIG_FILE}, ${template}`);
  return {
    matrix: trusted.matrix,
    findings: [...trusted.findings, ...own.findings],
    postmortemTemplate: textOf(template) ?? shippedTemplate('postmortem.md'),
    zone: ctx.env.INC_TZ ?? config.timezone,
  };
}

function readIncidentFile(project: Project, path: string, findings: Finding[], sparse = false): string | undefined {
  try {
    return sparse ? readSparseFile(project, path) : readOptionalFile(project, path);
  } catch (error) {
    if (!(error instanceof IncError)) throw error;
    findings.push(
      error instanceof FileError
        ? { file: error.file, line: error.line, level: 'error', rule: 'unreadable-file', message: error.detail }
        : { file: path, line: 1, level: 'error', rule: 'unreadable-file', message: error.message.replace(`${path}: `, '') },
    );
    return undefined;
  }
}

export async function runCheck(ctx: Context, paths: string[], opts: CheckCommandOptions): Promise<Finding[]> {
  const format = (opts.format ?? defaultFormat(ctx.env)) as CheckFormat | 'json';
  if (format !== 'text' && format !== 'github' && format !== 'json') throw new UsageError(`--format ${opts.format}: expected text, github or json`);
  const project = await openProject(ctx);
  const scope = scopeOf(ctx, project, paths);
  const now = ctx.now().getTime();
  const { matrix, findings, postmortemTemplate, zone } = opts.configFrom === undefined ? workingTreeRules(project) : await rulesFrom(ctx, project, opts.configFrom);
  // The prompts of the template in effect and of inc's own: either left in a section means unfinished.
  const prompts = new Set([...templatePrompts(postmortemTemplate), ...templatePrompts(shippedTemplate('postmortem.md'))]);

  const ids = scope.all ? listIncidentIds(project) : [...scope.ids].filter((id) => existsSync(join(project.root, incidentPath(id))));
  findings.push(...checkIncidentEntries(listIncidentEntries(project), INCIDENTS_DIR));
  let files = matrix ? 1 : 0;
  const named: IncidentFiles[] = [];
  for (const id of ids) {
    const read = (name: string, sparse = false) => readIncidentFile(project, incidentPath(id, name), findings, sparse);
    const incidentFiles = { id, folder: incidentPath(id), incident: read(INCIDENT_FILE), timeline: read(TIMELINE_FILE), postmortem: read(POSTMORTEM_FILE, true) };
    files += [incidentFiles.incident, incidentFiles.timeline, incidentFiles.postmortem].filter((t) => t !== undefined).length;
    findings.push(...checkIncident(incidentFiles, { matrix, today: dateInZone(now, zone), now, zone, prompts, blame: project.config.blame }));
    if (!scope.all) named.push(incidentFiles);
  }

  const shown = sortFindings(findings.filter((f) => inScope(scope, f)));
  const displayPath = (file: string) => relative(ctx.cwd, join(project.root, file)) || file;
  const errors = shown.filter((f) => f.level === 'error').length;
  const warnings = shown.length - errors;
  if (format === 'json') printJson(ctx, { files, errors, warnings, findings: shown } satisfies CheckJson);
  if (format === 'github') {
    for (const finding of shown) {
      ctx.stdout.write(`${formatGithub(finding)}\n`);
      // Workflow commands vanish from the log and GitHub shows only 10 of each kind: keep a readable copy.
      writeErr(ctx, formatText(finding));
    }
  } else if (format === 'text' && shown.length > 0) {
    // One write: a finding a write was thousands of system calls on a repository of 10,000 incidents.
    writeOut(ctx, shown.map((finding) => `${formatText(finding, displayPath(finding.file))}\n`).join(''));
  }
  writeErr(
    ctx,
    shown.length === 0
      ? `inc check: ${plural(files, 'file')} checked, no problems.`
      : `inc check: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')} checked.`,
  );
  if (opts.summary !== undefined) await appendSummary(resolve(ctx.cwd, opts.summary), { files, findings: shown, named, zone });
  if (errors > 0) throw new ExitError(1);
  return shown;
}

/**
 * The job summary: findings per file, and for each incident named on the command line (the
 * ones a pull request changes), its metrics and timeline. Appended, as GitHub expects of
 * $GITHUB_STEP_SUMMARY (other steps write to it too).
 */
async function appendSummary(path: string, input: { files: number; findings: Finding[]; named: IncidentFiles[]; zone: string }): Promise<void> {
  const { checkSummary } = await import('../ci/summary.js');
  const incidents: SummaryIncident[] = [];
  const unreadable: string[] = [];
  for (const files of input.named) {
    try {
      if (files.incident === undefined) throw new IncError('no incident.md');
      const incident = incidentFromFrontMatter(await parseFrontMatterFile(files.incident, incidentPath(files.id, INCIDENT_FILE)), incidentPath(files.id, INCIDENT_FILE));
      // The corrected timeline; a chart has no room for a milestone row a correction replaced.
      const rows = parseTimeline(files.timeline ?? '', incidentPath(files.id, TIMELINE_FILE)).entries;
      const entries = incidentTimeline(incident, rows).entries.filter((e) => !e.superseded);
      incidents.push({ incident, entries, metrics: incidentMetrics(incident) });
    } catch (error) {
      if (!(error instanceof IncError)) throw error;
      unreadable.push(files.id);
    }
  }
  try {
    appendFileSync(path, checkSummary({ files: input.files, findings: input.findings, incidents, unreadable, zone: input.zone }));
  } catch (error) {
    throw new IncError(`could not write the summary to ${path}: ${(error as Error).message}`);
  }
}
