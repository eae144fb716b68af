/**
 * inc check --config-from REF: the rules (matrix, templates, config) come from a commit read
 * through git, so a pull request that edits them cannot weaken its own check. In-process
 * through run(), in a real temporary repository.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import { fakeContext } from '../helpers/context.js';
import { makeRepo, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const ID = '2026-03-15-checkout-errors';
const INCIDENT = `incidents/${ID}/incident.md`;
/** Eight days after the resolution: the SEV1 postmortem (due 2026-03-20) is overdue. */
const LATER = '2026-03-23T09:00:00Z';

async function check(args: string[]) {
  const ctx = { ...fakeContext({ tty: false, cwd: repo.dir, env: repo.env }), now: () => new Date(LATER) };
  const code = await run(['check', ...args], ctx);
  return { code, stdout: ctx.out(), stderr: ctx.err() };
}

/** main: a resolved SEV1 without postmortem. Branch `pr`: the same, with a matrix that no longer requires one. */
async function pullRequestThatWeakensTheMatrix(): Promise<void> {
  repo = await makeRepo({ init: true });
  await repo.ok(['open', 'Checkout errors', '--sev', '1', '--at', '14:05']);
  await repo.ok(['resolve', '--at', '15:00']);
  repo.git(['switch', '--quiet', '-c', 'pr']);
  const matrix = repo.read('incident-severity.yaml');
  const weakened = matrix.replace('postmortem_required: true', 'postmortem_required: false');
  expect(weakened).not.toBe(matrix);
  repo.write('incident-severity.yaml', weakened);
  repo.git(['commit', '--quiet', '-am', 'SEV1 needs no postmortem']);
}

const overdue = `${INCIDENT}:`;
const overdueMessage = `error: SEV1 needs a postmortem, due 2026-03-20, and there is none; start it with \`inc postmortem ${ID}\``;

describe('inc check --config-from', () => {
  it("uses the base branch's matrix, not the pull request's", async () => {
    await pullRequestThatWeakensTheMatrix();
    const own = await check([]);
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).not.toContain(overdueMessage);

    const trusted = await check(['--config-from', 'main']);
    expect(trusted.code).toBe(1);
    const errors = trusted.stdout.split('\n').filter((line) => line.includes(': error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${overdue}\\d+: `));
    expect(errors[0]!.endsWith(overdueMessage)).toBe(true);
    const commit = repo.git(['rev-parse', 'main']).trim();
    expect(trusted.stderr).toContain(`inc check: rules from main (${commit.slice(0, 12)}): incident-severity.yaml, .inc/config.yaml, templates/postmortem.md\n`);
  });

  it('reads the committed files of the ref, never the working tree', async () => {
    await pullRequestThatWeakensTheMatrix();
    repo.git(['switch', '--quiet', 'main']);
    // An uncommitted edit of the matrix in the working tree: HEAD's committed matrix still rules.
    repo.write('incident-severity.yaml', repo.read('incident-severity.yaml').replace('postmortem_required: true', 'postmortem_required: false'));
    const fromHead = await check(['--config-from', 'HEAD']);
    expect(fromHead.code).toBe(1);
    expect(fromHead.stdout).toContain(overdueMessage);
    // The weakening commit as the ref: then its rules apply, as asked.
    const fromPr = await check(['--config-from', 'pr']);
    expect(fromPr.code, fromPr.stdout).toBe(0);
  });

  it("takes the time zone from the ref's .inc/config.yaml", async () => {
    repo = await makeRepo({ init: true });
    repo.write('.inc/config.yaml', 'timezone: Mars/Base\n');
    repo.git(['add', '.inc/config.yaml']);
    repo.git(['commit', '--quiet', '-m', 'a broken config on main']);
    repo.write('.inc/config.yaml', 'timezone: UTC\n');
    const result = await check(['--config-from', 'main']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('inc: main:.inc/config.yaml:1: timezone: Mars/Base is not a time zone name\n');
  });

  it("still lints the pull request's own matrix as a changed file", async () => {
    await pullRequestThatWeakensTheMatrix();
    repo.write('incident-severity.yaml', 'severities:\n  SEV1:\n    description: Outage\n    update_every_minutes: soon\n');
    const result = await check(['--config-from', 'main']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('incident-severity.yaml:4: error: update_every_minutes of SEV1 must be a positive number of minutes, found "soon"\n');
    expect(result.stdout).toContain(overdueMessage);
  });

  it('refuses a ref that names no commit, or looks like an option, with exit 2', async () => {
    repo = await makeRepo({ init: true });
    repo.git(['commit', '--quiet', '--allow-empty', '-m', 'first']);
    const missing = await check(['--config-from', 'origin/main']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('inc: --config-from origin/main: no such commit in this clone\n');
    expect(missing.stderr).toContain('fetch the base branch first');
    const option = await check(['--config-from=--output=/tmp/x']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('expected a branch, tag or commit');
  });

  it('refuses a ref without a matrix, and a matrix that is a symbolic link there', async () => {
    repo = await makeRepo();
    repo.git(['commit', '--quiet', '--allow-empty', '-m', 'before inc init']);
    await repo.ok(['init']);
    const none = await check(['--config-from', 'HEAD~1']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('inc: --config-from HEAD~1: HEAD~1 has no incident-severity.yaml\n');

    repo.git(['switch', '--quiet', '-c', 'linked']);
    repo.git(['rm', '--quiet', 'incident-severity.yaml']);
    repo.git(['commit', '--quiet', '-m', 'drop matrix']);
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/etc/passwd', `${repo.dir}/incident-severity.yaml`);
    repo.git(['add', 'incident-severity.yaml']);
    repo.git(['commit', '--quiet', '-m', 'matrix is a link']);
    const linked = await check(['--config-from', 'linked']);
    expect(linked.code).toBe(1);
    expect(linked.stderr).toContain('inc: --config-from linked: incident-severity.yaml is not a regular file; inc does not read it\n');
  });
});
