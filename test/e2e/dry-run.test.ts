/**
 * --dry-run on the commands that write: the diff of the files, the commit message and any
 * branch are printed, and nothing changes: not a file of the working tree, not `git status`,
 * not HEAD, any ref or the clone's git config. A refused write gives the refusal the real run would give.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo, makeRepoWithIncident, PAYMENT_OUTAGE as ID, type TempRepo, workingTreeFiles } from '../helpers/repo.js';
import { cloneForBob } from '../helpers/clones.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const TIMELINE = `incidents/${ID}/timeline.md`;

/** What a dry run must leave as it was. */
function state(r: TempRepo) {
  return {
    status: r.git(['status', '--porcelain', '--untracked-files=all', '--ignored']),
    head: r.git(['rev-parse', 'HEAD']),
    branch: r.git(['symbolic-ref', '--quiet', 'HEAD']),
    refs: r.git(['for-each-ref', '--format=%(refname) %(objectname)']),
    config: readFileSync(join(r.dir, '.git', 'config'), 'utf8'),
    files: workingTreeFiles(r.dir),
  };
}

/** Runs `args` with --dry-run: exit 0, and nothing changed. */
async function dryRun(r: TempRepo, args: string[]): Promise<string> {
  const before = state(r);
  const result = await r.inc([...args, '--dry-run']);
  expect(result.code, result.stderr).toBe(0);
  expect(state(r)).toEqual(before);
  return result.stdout;
}

/** The printed diff applies to the working tree as it is (git's own reader of it). */
function applies(r: TempRepo, diff: string): void {
  execFileSync('git', ['apply', '--check', '-'], { cwd: r.dir, env: r.env, input: diff, stdio: ['pipe', 'pipe', 'pipe'] });
}

describe('--dry-run', () => {
  it('inc open: the new incident.md and timeline.md as a diff, the commit message; no folder, no current incident', async () => {
    repo = await makeRepo({ init: true });
    const out = await dryRun(repo, ['open', 'Checkout returns 500s', '--sev', '1', '--at', '14:05']);
    const id = '2026-03-15-checkout-returns-500s';
    expect(out).toContain('# inc --dry-run: nothing was written.');
    expect(out).toContain(`# Would commit: inc(${id}): open SEV1 "Checkout returns 500s"`);
    expect(out).toContain(`diff --git a/incidents/${id}/incident.md b/incidents/${id}/incident.md\nnew file mode 100644\n--- /dev/null\n+++ b/incidents/${id}/incident.md\n`);
    expect(out).toContain('+title: "Checkout returns 500s"');
    expect(out).toContain(`+++ b/incidents/${id}/timeline.md`);
    applies(repo, out);
    // No current incident was set: `inc log` still finds none.
    expect((await repo.inc(['log', 'x'])).code).not.toBe(0);
    // The real run then writes what the dry run showed.
    await repo.ok(['open', 'Checkout returns 500s', '--sev', '1', '--at', '14:05']);
    expect(`+${repo.read(`incidents/${id}/incident.md`).trimEnd().split('\n').join('\n+')}`).toBe(
      out.split(`+++ b/incidents/${id}/incident.md\n`)[1]!.split('\n').slice(1).join('\n').split('\ndiff --git')[0]!.trimEnd(),
    );
  });

  it('inc log and inc mitigate: the lines they would add, the commit message', async () => {
    repo = await makeRepoWithIncident();
    const log = await dryRun(repo, ['log', 'rollback initiated', '--at', '14:10']);
    expect(log).toContain(`# Would commit: inc(${ID}): log "rollback initiated"`);
    expect(log).toContain(`--- a/${TIMELINE}\n+++ b/${TIMELINE}\n@@ `);
    expect(log).toMatch(/^\+\| 2026-03-15T14:10:00Z \| rollback initiated \| Alice Example \|/m);
    expect(log.split('\n').filter((line) => line.startsWith('+') && !line.startsWith('+++'))).toHaveLength(1);
    applies(repo, log);

    const mitigate = await dryRun(repo, ['mitigate', 'error rate back to baseline', '--at', '14:22']);
    expect(mitigate).toContain(`# Would commit: inc(${ID}): mitigate`);
    expect(mitigate).toContain(`+++ b/incidents/${ID}/incident.md`);
    expect(mitigate).toMatch(/^\+mitigated_at: "?2026-03-15T14:22:00Z"?$/m);
    expect(mitigate).toMatch(/^-status: "?investigating"?$/m);
    applies(repo, mitigate);
  });

  it('with --no-commit: says it would write without committing', async () => {
    repo = await makeRepoWithIncident();
    const out = await dryRun(repo, ['log', 'noted', '--no-commit']);
    expect(out).toContain('# Would write the files without committing them (--no-commit).');
    expect(out).not.toContain('# Would commit');
  });

  it('inc postmortem: the branch it would create, the scaffold, the commit message', async () => {
    repo = await makeRepoWithIncident();
    await repo.ok(['resolve', '--at', '15:00']);
    const out = await dryRun(repo, ['postmortem']);
    expect(out).toContain(`# Would create branch postmortem/${ID} from HEAD and commit to it`);
    expect(out).toContain(`# Would commit: inc(${ID}): start the postmortem`);
    expect(out).toContain(`--- /dev/null\n+++ b/incidents/${ID}/postmortem.md\n`);
    expect(out).toContain('+## Action items');
    expect(repo.git(['branch', '--list', 'postmortem/*'])).toBe('');
  });

  it('gives the error the real run would give, and writes nothing', async () => {
    repo = await makeRepoWithIncident();
    const before = state(repo);
    const bad = await repo.inc(['log', 'x', '--incident', '2026-01-01-nothing-here', '--dry-run']);
    const real = await repo.inc(['log', 'x', '--incident', '2026-01-01-nothing-here']);
    expect(bad.code).not.toBe(0);
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([real.code, real.stdout, real.stderr]);
    const sev = await repo.inc(['open', 'x', '--sev', '7', '--dry-run']);
    expect(sev.code).toBe(2);
    expect(state(repo)).toEqual(before);
  });

  it('inc publish: the files it would write, and no site folder', async () => {
    repo = await makeRepoWithIncident();
    const out = await dryRun(repo, ['publish']);
    expect(out).toContain('# inc publish --dry-run: nothing was written.');
    expect(out.split('\n')).toContain('index.html');
  });

  it('is offered by every command that can write without committing, and by sync', async () => {
    const { run } = await import('../../src/main.js');
    const { COMMANDS } = await import('../../src/main.js');
    const { fakeContext } = await import('../helpers/context.js');
    for (const name of Object.keys(COMMANDS)) {
      const ctx = fakeContext({ tty: false });
      expect(await run([name, '--help'], ctx)).toBe(0);
      const help = ctx.out();
      if (help.includes('--no-commit') || name === 'sync') expect(help, name).toContain('--dry-run');
    }
  });
});

describe('inc sync --dry-run', () => {
  it('says what it would pull and push, fetches nothing and changes nothing', async () => {
    repo = await makeRepoWithIncident();
    const { bob } = cloneForBob(repo);

    expect(await dryRun(bob, ['sync'])).toContain('Up to date with origin/main: nothing to pull.\nNothing to push.\n');

    await repo.ok(['log', 'alice one', '--at', '14:10']);
    await repo.ok(['log', 'alice two', '--at', '14:11']);
    repo.git(['push', '--quiet']);
    await bob.ok(['log', 'bob one', '--incident', ID, '--at', '14:12']);

    const unfetched = await dryRun(bob, ['sync']);
    expect(unfetched).toContain('# inc sync --dry-run: nothing was fetched, changed or pushed.');
    expect(unfetched).toContain('Would pull new commits (not fetched yet, so not counted) from origin/main and rebase 1 local commit on top.');
    expect(unfetched).toContain('Would push 1 commit to origin/main.');

    bob.git(['fetch', '--quiet']);
    const fetched = await dryRun(bob, ['sync', '--merge', '--no-push']);
    expect(fetched).toContain('Would pull 2 commits from origin/main and merge 1 local commit with them.\nWould not push (--no-push).\n');

    const json = await bob.inc(['sync', '--dry-run', '--json']);
    expect(json.code).toBe(2);
  });
});
