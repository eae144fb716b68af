/**
 * inc init: set up the repository. Idempotent: it writes only what is missing and never
 * overwrites a file the team already has (an existing .gitattributes gains our line).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../domain/errors.js';
import { canonicalZone, isValidZone, zoneLabel } from '../domain/time.js';
import { configuredZoneProblem, etcGmtNote } from '../domain/zones.js';
import type { Context } from '../io/context.js';
import { canPrompt, writeErr } from '../io/context.js';
import { writeAndCommit, type FileChange } from '../store/write.js';
import { CONFIG_FILE, INCIDENTS_DIR, MATRIX_FILE, openProject } from '../store/project.js';
import { ensureMergeDriver, MERGE_DRIVER_ATTRIBUTE } from '../store/merge-driver.js';
import { loadTemplate, shippedTemplate } from '../store/templates.js';
import { CI_PROVIDERS, githubWorkflows, SCHEDULES } from '../ci/workflows.js';
import { renderTemplate } from '../domain/template.js';
import { version } from '../store/version.js';
import { newCommand, noCommitOption } from './shared.js';

/** Timelines are append-only rows under a fixed header: a union merge keeps both sides' rows. */
export const GITATTRIBUTES_LINE = 'incidents/*/timeline.md merge=union';

/** The lines inc needs in .gitattributes, each with the comment that says why. */
const GITATTRIBUTES: { line: string; why: string }[] = [
  { line: GITATTRIBUTES_LINE, why: 'concurrent timeline appends from two clones merge without a conflict' },
  { line: MERGE_DRIVER_ATTRIBUTE, why: "incident.md merges field by field (inc's merge driver; inc sets it up in each clone's git config)" },
];

function configText(timezone: string): string {
  return [
    '# inc configuration. Typed times (--at 14:05) are read, and times are shown, in this zone;',
    '# files always store UTC. Any IANA zone name works: UTC, Europe/Berlin, America/New_York.',
    `timezone: ${JSON.stringify(timezone)}`,
    '# Commit every write. false: inc writes the files and you commit them yourself.',
    'commit: true',
    '# Seconds a command waits while another inc process in this clone is writing.',
    'lock_timeout_seconds: 15',
    '# auto: push after each write, in the background (a failed push is reported by the next',
    '# command); off: share with `inc sync`.',
    'push: off',
    '',
  ].join('\n');
}

const INCIDENTS_README = `# Incidents

One folder per incident, named \`YYYY-MM-DD-<slug>\` after its detection date and title:

- \`incident.md\`: front matter (severity, status, roles, milestone times in UTC) and a summary.
- \`timeline.md\`: the timeline, one entry per table row, append-only.
- \`postmortem.md\`: the blameless postmortem, once written (\`inc postmortem\`).

These files are written by \`inc\` and are meant to be edited by hand as well.
`;

export interface InitOptions {
  timezone?: string;
  commit: boolean;
  /** `github`: also a workflow that runs `inc check` on pull requests touching incidents/. */
  ci?: string;
  /** With `ci`: also a workflow that publishes the public site to GitHub Pages. */
  pages?: boolean;
  /** With `ci`: also a scheduled workflow that fails while action items are overdue (a key of SCHEDULES). */
  schedule?: string;
}

export function planInit(root: string, options: InitOptions): FileChange[] {
  const files: FileChange[] = [];
  const missing = (path: string) => !existsSync(join(root, ...path.split('/')));
  if (missing(MATRIX_FILE)) files.push({ path: MATRIX_FILE, content: shippedTemplate('incident-severity.yaml') });
  if (missing(CONFIG_FILE)) files.push({ path: CONFIG_FILE, content: configText(options.timezone ?? 'UTC') });
  if (missing(`${INCIDENTS_DIR}/README.md`) && !existsSync(join(root, INCIDENTS_DIR))) {
    files.push({ path: `${INCIDENTS_DIR}/README.md`, content: INCIDENTS_README });
  }
  const attributes = join(root, '.gitattributes');
  const current = existsSync(attributes) ? readFileSync(attributes, 'utf8') : '';
  const present = new Set(current.split(/\r?\n/).map((line) => line.trim().replace(/\s+/g, ' ')));
  const missingLines = GITATTRIBUTES.filter(({ line }) => !present.has(line));
  if (missingLines.length > 0) {
    const base = current === '' || current.endsWith('\n') ? current : `${current}\n`;
    files.push({ path: '.gitattributes', content: base + missingLines.map(({ line, why }) => `# inc: ${why}\n${line}\n`).join('') });
  }
  if (options.ci === 'github') {
    for (const workflow of githubWorkflows({ version: version(), schedule: options.schedule, pages: options.pages })) {
      if (missing(workflow.path)) files.push({ path: workflow.path, content: renderTemplate(loadTemplate(root, workflow.template).text, workflow.values) });
    }
  }
  return files;
}

/** Where the proposed zone came from, as the message names it. */
interface MachineZone {
  zone: string;
  source: string;
}

/**
 * The machine's zone: $TZ when it names an IANA zone, else what the runtime (Intl) was given
 * by the system, else UTC. An abbreviation ($TZ=PST) is never taken: it would be shown for
 * both halves of the year.
 */
export function machineZone(env: Record<string, string | undefined>): MachineZone {
  const usable = (zone: string | undefined) => (zone && !configuredZoneProblem(zone, isValidZone) ? canonicalZone(zone) : undefined);
  const fromEnv = usable(env.TZ?.replace(/^:/, ''));
  if (fromEnv) return { zone: fromEnv, source: 'this machine\'s zone, from $TZ' };
  const fromSystem = usable(new Intl.DateTimeFormat().resolvedOptions().timeZone);
  if (fromSystem) return { zone: fromSystem, source: 'this machine\'s zone' };
  return { zone: 'UTC', source: 'the machine names no usable zone' };
}

/** A zone given on the command line: an IANA name in the runtime's spelling, or a usage error. */
function zoneArgument(ctx: Context, given: string): string {
  const problem = configuredZoneProblem(given, isValidZone);
  if (problem) throw new UsageError(`--timezone ${problem.problem}`, problem.hint);
  const zone = canonicalZone(given) ?? given;
  const note = etcGmtNote(zone);
  if (note) writeErr(ctx, `note: ${note}`);
  return zone;
}

/** The config's text with the zone set: the `timezone:` line replaced, so comments and the rest stay. */
function withZone(text: string, zone: string): string {
  const line = `timezone: ${JSON.stringify(zone)}`;
  const lines = text.split('\n');
  const index = lines.findIndex((l) => /^timezone\s*:/.test(l));
  if (index === -1) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
  lines[index] = line;
  return lines.join('\n');
}

export function build(ctx: Context) {
  return newCommand('init', 'Set up this git repository for inc: severity matrix, incidents/, .gitattributes, config; or change its time zone', [
    'inc init                              # proposes this machine\'s time zone',
    'inc init --timezone Europe/Berlin',
    'inc init --timezone America/Los_Angeles   # in a repository set up already: changes the zone, one commit',
    'inc init --print-matrix > incident-severity.yaml',
    'inc init --ci github        # .github/workflows/inc-check.yml: inc check on pull requests',
    'inc init --ci github --pages   # and inc-pages.yml: the public status site on GitHub Pages',
    'inc init --ci github --schedule weekly   # and a weekly job that fails while action items are overdue',
  ])
    .option('--timezone <zone>', 'IANA time zone for typed and displayed times (default: this machine\'s); on a repository set up already, changes it')
    .option('--print-matrix', 'print the default severity matrix and exit')
    .option('--ci <provider>', `also write a CI workflow that runs \`inc check\` on pull requests (${CI_PROVIDERS.join(', ')})`)
    .option('--pages', 'with --ci github: also a workflow that publishes the public status site (inc publish --public) to GitHub Pages on every push to the default branch')
    .option('--schedule <when>', `with --ci: also a scheduled workflow that fails while action items are overdue (${Object.keys(SCHEDULES).join(', ')})`)
    .addOption(noCommitOption())
    .action(async (opts: { timezone?: string; printMatrix?: boolean; commit: boolean; ci?: string; pages?: boolean; schedule?: string }) => {
      if (opts.printMatrix) {
        ctx.stdout.write(shippedTemplate('incident-severity.yaml'));
        return;
      }
      const given = opts.timezone === undefined ? undefined : zoneArgument(ctx, opts.timezone);
      if (opts.ci !== undefined && !(CI_PROVIDERS as readonly string[]).includes(opts.ci)) {
        throw new UsageError(`--ci ${opts.ci}: inc writes a workflow for ${CI_PROVIDERS.join(', ')} only`);
      }
      if (opts.pages && opts.ci !== 'github') {
        throw new UsageError('--pages writes a GitHub Actions workflow: give it with --ci github', 'For example: inc init --ci github --pages');
      }
      if (opts.schedule !== undefined && !Object.hasOwn(SCHEDULES, opts.schedule)) {
        throw new UsageError(`--schedule ${opts.schedule}: expected ${Object.keys(SCHEDULES).join(' or ')}`);
      }
      if (opts.schedule !== undefined && opts.ci === undefined) {
        throw new UsageError('--schedule writes a CI workflow: give it with --ci github', `For example: inc init --ci github --schedule ${opts.schedule}`);
      }
      const project = await openProject(ctx, { zoneLenient: given !== undefined });
      if (!project.dryRun) await ensureMergeDriver(project);
      const configPath = join(project.root, ...CONFIG_FILE.split('/'));
      const configText = existsSync(configPath) ? readFileSync(configPath, 'utf8') : undefined;

      let zone = given;
      let proposed: MachineZone | undefined;
      if (configText === undefined && zone === undefined) {
        proposed = machineZone(ctx.env);
        zone = proposed.zone;
        if (canPrompt(ctx)) {
          const { askText } = await import('../io/prompts.js');
          const answer = await askText(ctx, {
            flag: '--timezone',
            example: 'inc init --timezone Europe/Berlin',
            message: `Time zone for typed and shown times (${proposed.source})`,
            default: proposed.zone,
            problem: (text) => configuredZoneProblem(text, isValidZone)?.problem,
          });
          if (answer !== proposed.zone) proposed = undefined;
          zone = zoneArgument(ctx, answer);
        }
      }
      const files = planInit(project.root, { timezone: zone, commit: opts.commit, ci: opts.ci, pages: opts.pages, schedule: opts.schedule });
      // A repository set up already: --timezone changes the configured zone, in the same commit.
      const previous = configText === undefined ? undefined : /^timezone\s*:\s*"?([^"\n]*)"?/m.exec(configText)?.[1]?.trim() || 'UTC';
      const zoneChange = configText !== undefined && given !== undefined && previous !== given;
      if (zoneChange) files.push({ path: CONFIG_FILE, content: withZone(configText, given) });
      if (files.length === 0) {
        writeErr(ctx, `Already set up: ${project.root}${given ? ` (time zone ${zoneLabel(given)})` : ''}`);
        return;
      }
      // What this run adds, each said on its own: the first set-up, workflows, a zone change.
      const purposes = new Map(opts.ci === undefined ? [] : githubWorkflows({ version: version(), schedule: opts.schedule, pages: opts.pages }).map((w) => [w.path, w.purpose]));
      const workflows = files.filter((f) => purposes.has(f.path)).map((f) => purposes.get(f.path)!);
      const setUp = files.some((f) => !purposes.has(f.path) && (f.path !== CONFIG_FILE || configText === undefined));
      const zoneMessage = zoneChange ? `time zone ${given} (was ${previous})` : '';
      const workflowMessage = workflows.length === 0 ? '' : `the GitHub workflow${workflows.length === 1 ? '' : 's'} for ${workflows.join(' and ')}`;
      const message = setUp
        ? ['set up incident response (severity matrix, incidents/, .gitattributes, config)', workflowMessage && `with ${workflowMessage}`, zoneMessage].filter(Boolean).join('; ')
        : [workflowMessage && `add ${workflowMessage}`, zoneMessage].filter(Boolean).join('; ');
      const result = await writeAndCommit(project, { noCommit: !opts.commit }, () => ({ files, message: `inc: ${message}` }));
      for (const path of result.paths) ctx.stdout.write(`${path}\n`);
      const committed = result.committed ? 'committed' : 'not committed';
      if (setUp) writeErr(ctx, `Set up inc in ${project.root} (${committed}).`);
      if (workflows.length > 0) {
        const paths = files.filter((f) => purposes.has(f.path)).map((f) => f.path);
        writeErr(ctx, `Added ${workflowMessage} (${paths.join(', ')}, ${committed}).`);
      }
      if (zoneChange) {
        writeErr(ctx, `Time zone changed from ${previous} to ${zoneLabel(given!)} (${committed}): typed times are read, and times shown, in it; stored times stay UTC.`);
      } else if (configText === undefined) {
        const why = proposed ? `${proposed.source}; ` : '';
        writeErr(ctx, `Times are typed and shown in ${zoneLabel(zone!)} (${why}change it with \`inc init --timezone ZONE\`).`);
      }
      // The first-run hint only on the first run: a repository set up already knows its next step.
      if (configText === undefined) writeErr(ctx, 'Next: review incident-severity.yaml, then declare an incident with `inc open "<title>" --sev 2`.');
    });
}
