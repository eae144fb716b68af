/**
 * A new team's first pull request, as GitHub would run it: `inc init --ci github` writes the
 * workflows, and the workflow's steps and inc's composite action (action.yml at the root of
 * this checkout, installed from a copy of it with npm's cache and no network) run in a fresh
 * clone with the runner's variables, inputs and summary file (test/helpers/actions-runner.ts).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_REPOSITORY } from '../../src/ci/workflows.js';
import { version } from '../../src/main.js';
import { readWorkflow, runJob, type RunnerOptions } from '../helpers/actions-runner.js';
import { baseEnv, makeRepo, ROOT, type TempRepo } from '../helpers/repo.js';

const USES = `${ACTION_REPOSITORY}@v${version()}`;
const ID = '2026-03-15-checkout-errors';

let scratch: string;
let actionPath: string;
let ops: TempRepo;
let remote: string;

/** The action's checkout: this repository's files as they are now (tracked and new, not ignored). */
function copyThisCheckout(to: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(to, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted, not yet committed
    }
  }
}

/** The runner machine: no network (npm installs from this machine's cache only), a pinned clock. */
let npmCache: string | undefined;
function runnerEnv(): Record<string, string> {
  // Asked once: each `npm config` is a Node process (0.15 s of CPU), and every job needs it.
  npmCache ??= execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  const cache = npmCache;
  return { ...baseEnv(ops.home), npm_config_offline: 'true', npm_config_cache: cache, npm_config_update_notifier: 'false' };
}

/** A fresh clone of the remote at `branch`, as actions/checkout leaves it (full history, detached). */
function checkout(branch: string): string {
  const workspace = mkdtempSync(join(scratch, 'workspace-'));
  execFileSync('git', ['clone', '--quiet', remote, workspace], { env: ops.env, stdio: 'pipe' });
  execFileSync('git', ['checkout', '--quiet', '--detach', `origin/${branch}`], { cwd: workspace, env: ops.env, stdio: 'pipe' });
  return workspace;
}

function options(workspace: string, github: Record<string, string>): RunnerOptions {
  return { workspace, actionPath, actionReference: USES, temp: mkdtempSync(join(scratch, 'runner-')), env: runnerEnv(), github };
}

const pullRequest = (branch: string) => ({ event_name: 'pull_request', base_ref: 'main', head_ref: branch, ref: 'refs/pull/1/merge' });

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'inc-action-'));
  actionPath = join(scratch, 'inc-action');
  copyThisCheckout(actionPath);
  // The build `npm test` just made, with tsc's incremental record: the action's install still
  // runs npm ci and its build (prepare), which then checks the sources against that record
  // instead of compiling all of them again (~6 s of CPU a run).
  cpSync(join(ROOT, 'dist'), join(actionPath, 'dist'), { recursive: true });
  ops = await makeRepo();
  await ops.ok(['init', '--ci', 'github', '--schedule', 'weekly', '--pages']);
  remote = join(ops.dir, '..', 'remote.git');
  ops.git(['init', '--quiet', '--bare', '-b', 'main', remote]);
  ops.git(['remote', 'add', 'origin', remote]);
  ops.git(['push', '--quiet', '-u', 'origin', 'main']);
});

afterAll(() => {
  ops?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('inc init --ci github: the workflows it writes', () => {
  it('name the action at the running version, say how to pin it, and fetch nothing from a package registry', () => {
    const text = ops.read('.github/workflows/inc-check.yml');
    expect(text).toContain(`      - uses: ${USES}\n`);
    expect(text).toContain(`git ls-remote https://github.com/${ACTION_REPOSITORY} refs/tags/v${version()}`);
    expect(text).not.toMatch(/npx|npm (ci|install)|inc-cli@/);
    const workflow = readWorkflow(join(ops.dir, '.github/workflows/inc-check.yml'));
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.check!.steps.map((s) => s.uses)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', USES]);
    const overdue = readWorkflow(join(ops.dir, '.github/workflows/inc-overdue-actions.yml'));
    expect(overdue.on).toEqual({ schedule: [{ cron: '0 9 * * 1' }], workflow_dispatch: null });
    expect(overdue.jobs.overdue!.steps.at(-1)).toEqual({ uses: USES, with: { command: 'overdue-actions' } });
  });
});

describe("the team's first pull request, run as GitHub runs it", () => {
  it('declaring an incident: the check is green, and the job summary shows the incident', async () => {
    ops.git(['switch', '--quiet', '-c', 'declare-outage']);
    await ops.ok(['open', 'Checkout errors', '--sev', '2', '--at', '14:05', '--service', 'checkout', '--started-at', '14:01']);
    await ops.ok(['ack', '--at', '14:07']);
    await ops.ok(['log', '--at', '14:10', 'Rollback: step one; the #payments channel notified']);
    await ops.ok(['mitigate', '--at', '14:20', 'error rate: back to baseline']);
    ops.git(['push', '--quiet', '-u', 'origin', 'declare-outage']);
    ops.git(['switch', '--quiet', 'main']);

    const job = runJob(readWorkflow(join(ops.dir, '.github/workflows/inc-check.yml')), 'check', options(checkout('declare-outage'), pullRequest('declare-outage')));
    expect(job.steps.map((s) => [s.step, s.code])).toEqual([
      ['actions/checkout@v4', 0],
      ['actions/setup-node@v4', 0],
      ['Install inc from the action\'s checkout', 0],
      ['inc check', 0],
    ]);
    expect(job.code).toBe(0);
    expect(job.log).toContain(`inc ${version()} from ${actionPath}`);
    const check = job.steps.at(-1)!;
    // The rules came from the base branch (--config-from), not from the pull request's files.
    expect(check.stderr).toMatch(/^inc check: rules from origin\/main \([0-9a-f]{12}\)/m);
    expect(check.stderr).toContain('inc check: 3 files checked, no problems.');
    expect(check.stdout).toBe('');

    const summary = job.summary;
    expect(summary).toContain('## inc check\n');
    expect(summary).toContain('## 1 incident in this change\n');
    expect(summary).toContain(`### ${ID}: Checkout errors\n`);
    expect(summary).toContain('SEV2 · mitigated · checkout');
    expect(summary).toContain('| TTD | TTA | TTM | TTR | Impact |\n|---|---|---|---|---|\n| 4m | 2m | 15m | - | 19m |');
    expect(summary).toContain('```mermaid\ntimeline\n    title Checkout errors, UTC\n');
    expect(summary).toContain('    14∶07 : Acknowledged\n');
    expect(summary).toContain('    14∶10 : Rollback - step one the payments channel notified\n');
  }, 600_000);

  it('a broken incident file: the check fails, with error annotations and the findings per file in the summary', async () => {
    ops.git(['switch', '--quiet', '-c', 'broken-edit', 'declare-outage']);
    const file = `incidents/${ID}/incident.md`;
    ops.write(file, ops.read(file).replace('severity: "SEV2"', 'severity: "SEV9"'));
    ops.git(['commit', '--quiet', '-am', 'severity by hand']);
    ops.git(['push', '--quiet', '-u', 'origin', 'broken-edit']);
    ops.git(['switch', '--quiet', 'main']);

    const job = runJob(readWorkflow(join(ops.dir, '.github/workflows/inc-check.yml')), 'check', options(checkout('broken-edit'), pullRequest('broken-edit')));
    expect(job.code).toBe(1);
    const line = ops.git(['show', `broken-edit:${file}`]).split('\n').indexOf('severity: "SEV9"') + 1;
    expect(job.log).toContain(`::error file=${file},line=${line},title=inc check%3A Severity not in the matrix::severity "SEV9" matches no level or alias of origin/main:incident-severity.yaml`);
    expect(job.summary).toContain('### Findings by file\n');
    expect(job.summary).toMatch(new RegExp(`#### \`${file}\`: 1 error, \\d+ warnings?\\n\\n\\| Line \\| Level \\| Rule \\| Message \\|\\n\\|---\\|---\\|---\\|---\\|\\n`));
    expect(job.summary).toContain(`| ${line} | error | Severity not in the matrix | severity "SEV9" matches no level or alias of origin/main:incident-severity.yaml`);
  }, 300_000);

  it('a pull request that touches no incident file passes at once and says so', async () => {
    ops.git(['switch', '--quiet', '-c', 'docs', 'main']);
    ops.write('README.md', '# ops\n');
    ops.git(['add', 'README.md']);
    ops.git(['commit', '--quiet', '-m', 'readme']);
    ops.git(['push', '--quiet', '-u', 'origin', 'docs']);
    ops.git(['switch', '--quiet', 'main']);
    const job = runJob(readWorkflow(join(ops.dir, '.github/workflows/inc-check.yml')), 'check', options(checkout('docs'), pullRequest('docs')));
    expect(job.code).toBe(0);
    expect(job.summary).toBe('## inc check\n\nThis change touches no incident files.\n');
  }, 300_000);
});

describe('the scheduled workflow (--schedule weekly)', () => {
  it('fails and lists the overdue action items while there are any, and passes once they are done', async () => {
    const postmortem = `incidents/${ID}/postmortem.md`;
    const table = (status: string) =>
      `---\nincident: "${ID}"\nstatus: "published"\n---\n\n# Postmortem\n\n## Action items\n\n| Action | Owner | Priority | Due | Ticket | Status |\n|---|---|---|---|---|---|\n| Alert on checkout 5xx | Carol | P1 | 2026-03-10 | ENG-1 | ${status} |\n| Canary stage | Dave | P2 | 2026-06-30 | ENG-2 | todo |\n`;
    ops.git(['switch', '--quiet', 'main']);
    ops.write(postmortem, table('todo'));
    ops.git(['add', postmortem]);
    ops.git(['commit', '--quiet', '-m', 'postmortem']);
    ops.git(['push', '--quiet']);
    const workflow = readWorkflow(join(ops.dir, '.github/workflows/inc-overdue-actions.yml'));
    const scheduled = { event_name: 'schedule', ref: 'refs/heads/main' };

    const failing = runJob(workflow, 'overdue', options(checkout('main'), scheduled));
    expect(failing.code).toBe(1);
    expect(failing.steps.at(-1)!.stdout).toContain('Alert on checkout 5xx');
    expect(failing.summary).toBe(
      '## Overdue action items\n\n**1 action item**, 1 overdue (today is 2026-03-15 UTC).\n\n' +
        `| Incident | Action | Owner | Due | Ticket | Status |\n|---|---|---|---|---|---|\n| ${ID} | Alert on checkout 5xx | Carol | 2026-03-10 (overdue) | ENG-1 | todo |\n`,
    );

    ops.write(postmortem, table('done'));
    ops.git(['commit', '--quiet', '-am', 'done']);
    ops.git(['push', '--quiet']);
    const passing = runJob(workflow, 'overdue', options(checkout('main'), scheduled));
    expect(passing.code).toBe(0);
    expect(passing.summary).toBe('## Overdue action items\n\nNone (today is 2026-03-15 UTC).\n');
  }, 300_000);
});

describe('the Pages workflow (--pages)', () => {
  it('installs inc through the action (command: install) and builds the public site with `inc` from the PATH', () => {
    const workflow = readWorkflow(join(ops.dir, '.github/workflows/inc-pages.yml'));
    const job = runJob(workflow, 'build', options(checkout('main'), { event_name: 'push', ref: 'refs/heads/main' }));
    expect(job.steps.map((s) => [s.step, s.code])).toEqual([
      ['actions/checkout@v4', 0],
      ['actions/setup-node@v4', 0],
      ["Install inc from the action's checkout", 0],
      ['inc install', 0],
      ['inc publish --public --out _site', 0],
      ['actions/upload-pages-artifact@v3', 0],
    ]);
  }, 300_000);
});
