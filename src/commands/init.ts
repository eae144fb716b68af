/**
 * inc init: set up the repository. Idempotent: it writes only what is missing and never
 * overwrites a file the team already has (an existing .gitattributes gains our line).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../domain/errors.js';
import { isValidZone } from '../domain/time.js';
import type { Context } from '../io/context.js';
import { writeErr } from '../io/context.js';
import { writeAndCommit, type FileChange } from '../store/write.js';
import { CONFIG_FILE, INCIDENTS_DIR, MATRIX_FILE, openProject } from '../store/project.js';
import { ensureMergeDriver, MERGE_DRIVER_ATTRIBUTE } from '../store/merge-driver.js';
import { shippedTemplate } from '../store/templates.js';
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
}

export const GITHUB_WORKFLOW = '.github/workflows/inc-check.yml';
export const PAGES_WORKFLOW = '.github/workflows/inc-pages.yml';
export const CI_PROVIDERS = ['github'] as const;

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
  if (options.ci === 'github' && missing(GITHUB_WORKFLOW)) files.push({ path: GITHUB_WORKFLOW, content: shippedTemplate('github-workflow.yml') });
  if (options.ci === 'github' && options.pages && missing(PAGES_WORKFLOW)) files.push({ path: PAGES_WORKFLOW, content: shippedTemplate('github-pages.yml') });
  return files;
}

export function build(ctx: Context) {
  return newCommand('init', 'Set up this git repository for inc: severity matrix, incidents/, .gitattributes, config', [
    'inc init',
    'inc init --timezone Europe/Berlin',
    'inc init --print-matrix > incident-severity.yaml',
    'inc init --ci github        # .github/workflows/inc-check.yml: inc check on pull requests',
    'inc init --ci github --pages   # and inc-pages.yml: the public status site on GitHub Pages',
  ])
    .option('--timezone <zone>', 'IANA time zone for typed and displayed times (written to the config)')
    .option('--print-matrix', 'print the default severity matrix and exit')
    .option('--ci <provider>', `also write a CI workflow that runs \`inc check\` on pull requests (${CI_PROVIDERS.join(', ')})`)
    .option('--pages', 'with --ci github: also a workflow that publishes the public status site (inc publish --public) to GitHub Pages on every push to the default branch')
    .addOption(noCommitOption())
    .action(async (opts: { timezone?: string; printMatrix?: boolean; commit: boolean; ci?: string; pages?: boolean }) => {
      if (opts.printMatrix) {
        ctx.stdout.write(shippedTemplate('incident-severity.yaml'));
        return;
      }
      if (opts.timezone !== undefined && !isValidZone(opts.timezone)) {
        throw new UsageError(`--timezone ${opts.timezone}: not a time zone name`, 'Use an IANA name such as UTC or America/Los_Angeles.');
      }
      if (opts.ci !== undefined && !(CI_PROVIDERS as readonly string[]).includes(opts.ci)) {
        throw new UsageError(`--ci ${opts.ci}: inc writes a workflow for ${CI_PROVIDERS.join(', ')} only`);
      }
      if (opts.pages && opts.ci !== 'github') {
        throw new UsageError('--pages writes a GitHub Actions workflow: give it with --ci github', 'For example: inc init --ci github --pages');
      }
      const project = await openProject(ctx);
      await ensureMergeDriver(project);
      const files = planInit(project.root, { timezone: opts.timezone, commit: opts.commit, ci: opts.ci, pages: opts.pages });
      if (files.length === 0) {
        writeErr(ctx, `Already set up: ${project.root}`);
        return;
      }
      const result = await writeAndCommit(project, { noCommit: !opts.commit }, () => ({
        files,
        message: 'inc: set up incident response (severity matrix, incidents/, .gitattributes, config)',
      }));
      for (const path of result.paths) ctx.stdout.write(`${path}\n`);
      writeErr(ctx, result.committed ? `Set up inc in ${project.root} (committed).` : `Set up inc in ${project.root} (not committed).`);
      writeErr(ctx, 'Next: review incident-severity.yaml, then declare an incident with `inc open "<title>" --sev 2`.');
    });
}
