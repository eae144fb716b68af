/**
 * git states a responder's clone can be in: no identity, a detached HEAD, no commits yet, a
 * merge or cherry-pick in progress, conflicted files, a linked worktree, and the user's own
 * unrelated work (staged, unstaged, untracked), which inc never commits and never unstages.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, commitSubjects, makeRepo, makeRepoWithIncident, PAYMENT_OUTAGE as ID, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const TIMELINE = `incidents/${ID}/timeline.md`;
const INCIDENT = `incidents/${ID}/incident.md`;

async function withIncident(): Promise<void> {
  repo = await makeRepoWithIncident();
}

/** Every tracked and untracked file's bytes, to show that a refused command changed none. */
function snapshot(): Map<string, string> {
  const files = repo.git(['ls-files', '--cached', '--others', '--exclude-standard']).trim().split('\n').filter(Boolean);
  return new Map(files.map((f) => [f, existsSync(join(repo.dir, f)) ? readFileSync(join(repo.dir, f), 'latin1') : '<none>']));
}

describe('no git identity', () => {
  it('inc init and inc open write nothing and say how to set one', async () => {
    repo = await makeRepo({ identity: false });
    const init = await repo.inc(['init']);
    expect(init.code).toBe(1);
    expect(init.stderr).toBe(
      'inc: git does not know who you are, so inc cannot commit; nothing was written\n' +
        'Run: git config --global user.name "Your Name" && git config --global user.email you@example.com\n',
    );
    expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');

    // Set up without committing, then try to declare an incident: still nothing written.
    await repo.ok(['init', '--no-commit']);
    const before = snapshot();
    const open = await repo.inc(['open', 'Payment outage', '--sev', '1']);
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('git does not know who you are');
    expect(existsSync(join(repo.dir, 'incidents', ID))).toBe(false);
    expect(snapshot()).toEqual(before);
    expect(() => repo.git(['rev-parse', '--verify', '--quiet', 'HEAD'])).toThrow(); // still no commit
  }, 60_000);

  it('--no-commit still works, naming the author from the environment', async () => {
    repo = await makeRepo({ identity: false });
    await repo.ok(['init', '--no-commit']);
    await repo.ok(['open', 'Payment outage', '--sev', '1', '--no-commit'], { env: { USER: 'carol' } });
    expect(repo.read(TIMELINE)).toContain('| carol | declared |');
  });
});

describe('HEAD and history', () => {
  it('a detached HEAD: writes are refused (the commit would belong to no branch), --no-commit works, sync refuses', async () => {
    await withIncident();
    repo.git(['checkout', '--quiet', '--detach']);
    const before = snapshot();
    const log = await repo.inc(['log', 'on a detached HEAD']);
    expect(log.code).toBe(1);
    expect(log.stderr).toContain('HEAD is detached');
    expect(log.stderr).toContain('nothing was written');
    expect(log.stderr).toContain('git switch main');
    expect(snapshot()).toEqual(before);

    await repo.ok(['log', 'not committed', '--no-commit']);
    expect(repo.read(TIMELINE)).toContain('not committed');

    const sync = await repo.inc(['sync']);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain('HEAD is detached');
  });

  it('no commits yet: init makes the first commit; after init --no-commit, open commits only its own two files', async () => {
    repo = await makeRepo();
    await repo.ok(['init']);
    expect(commitSubjects(repo)).toHaveLength(1);
    repo.cleanup();

    repo = await makeRepo();
    await repo.ok(['init', '--no-commit']);
    await repo.ok(['open', 'Payment outage', '--sev', '1', '--at', '14:05']);
    expect(commitSubjects(repo)).toEqual([`inc(${ID}): open SEV1 "Payment outage"`]);
    expect(commitFiles(repo)).toEqual([INCIDENT, TIMELINE]);
    // init's files are still the user's to commit: not committed, not staged by inc.
    expect(repo.git(['status', '--porcelain']).split('\n').filter(Boolean).sort()).toEqual(
      ['?? .gitattributes', '?? .inc/', '?? incident-severity.yaml', '?? incidents/README.md'].sort(),
    );
  });

  it('works from a linked worktree (where .git is a file)', async () => {
    await withIncident();
    const worktree = join(repo.dir, '..', 'worktree');
    repo.git(['worktree', 'add', '--quiet', '-b', 'review', worktree]);
    await repo.ok(['log', '--incident', ID, 'from the worktree'], { cwd: worktree });
    expect(execFileSync('git', ['log', '-1', '--format=%s'], { cwd: worktree, env: repo.env, encoding: 'utf8' }).trim()).toBe(
      `inc(${ID}): log "from the worktree"`,
    );
    expect(commitSubjects(repo)[0]).not.toContain('from the worktree'); // main is untouched
  });
});

describe('a merge, a cherry-pick or conflicted files', () => {
  async function conflictOnReadme(): Promise<void> {
    await withIncident();
    repo.write('README.md', 'base\n');
    repo.git(['add', 'README.md']);
    repo.git(['commit', '--quiet', '-m', 'readme']);
    repo.git(['switch', '--quiet', '-c', 'other']);
    repo.write('README.md', 'theirs\n');
    repo.git(['commit', '--quiet', '-am', 'theirs']);
    repo.git(['switch', '--quiet', 'main']);
    repo.write('README.md', 'ours\n');
    repo.git(['commit', '--quiet', '-am', 'ours']);
  }

  it('a merge in progress: every write is refused, nothing changes, the message says how to finish', async () => {
    await conflictOnReadme();
    expect(() => repo.git(['merge', '--quiet', 'other'])).toThrow();
    expect(existsSync(join(repo.dir, '.git', 'MERGE_HEAD'))).toBe(true);
    const before = snapshot();
    for (const args of [['log', 'during a merge'], ['ack'], ['open', 'Another one', '--sev', '2']]) {
      const result = await repo.inc(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain('a merge is in progress in this repository; inc writes nothing until it is finished');
      expect(result.stderr).toContain('git commit');
    }
    expect(snapshot()).toEqual(before);
    // Reading still works.
    await repo.ok(['show', ID]);
  });

  it('a cherry-pick in progress is refused the same way', async () => {
    await conflictOnReadme();
    expect(() => repo.git(['cherry-pick', 'other'])).toThrow();
    const result = await repo.inc(['log', 'during a cherry-pick']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('a cherry-pick is in progress');
  });

  it("a conflicted file of the user's with no merge under way (a stash that did not apply) is left alone", async () => {
    await conflictOnReadme();
    repo.write('README.md', 'stashed\n');
    repo.git(['stash', '--quiet']);
    repo.write('README.md', 'changed meanwhile\n');
    repo.git(['commit', '--quiet', '-am', 'meanwhile']);
    expect(() => repo.git(['stash', 'pop', '--quiet'])).toThrow();
    const readme = repo.read('README.md');
    await repo.ok(['log', 'with a conflicted file around']);
    expect(commitFiles(repo)).toEqual([TIMELINE]);
    expect(repo.git(['status', '--porcelain', '--', 'README.md'])).toBe('UU README.md\n');
    expect(repo.read('README.md')).toBe(readme);
  });

  it('a timeline left with conflict markers is not written to (the markers would be committed)', async () => {
    await withIncident();
    const conflicted = `${repo.read(TIMELINE)}<<<<<<< HEAD\n| 2026-03-15T14:10:00Z | ours | Alice | |\n=======\n| 2026-03-15T14:11:00Z | theirs | Bob | |\n>>>>>>> 1234567\n`;
    repo.write(TIMELINE, conflicted);
    const markerLine = conflicted.split('\n').indexOf('<<<<<<< HEAD') + 1;
    const result = await repo.inc(['log', 'on top of markers']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`inc: ${TIMELINE}:${markerLine}: unresolved conflict marker from a merge or rebase; nothing was written`);
    expect(repo.read(TIMELINE)).toBe(conflicted);
  });
});

describe("the user's own work", () => {
  it('staged, unstaged and untracked changes elsewhere are never committed, unstaged or touched', async () => {
    await withIncident();
    repo.write('README.md', 'committed\n');
    repo.write('runbooks/db.md', 'committed\n');
    repo.git(['add', 'README.md', 'runbooks/db.md']);
    repo.git(['commit', '--quiet', '-m', 'user files']);
    // Staged: a new file and a change; unstaged: a change on top of the staged one and another file; untracked.
    repo.write('notes.txt', 'staged new file\n');
    repo.write('README.md', 'staged change\n');
    repo.git(['add', 'notes.txt', 'README.md']);
    repo.write('README.md', 'staged change\nplus an unstaged line\n');
    repo.write('runbooks/db.md', 'unstaged change\n');
    repo.write('scratch.txt', 'untracked\n');
    const cachedBefore = repo.git(['diff', '--cached']);
    const unstagedBefore = repo.git(['diff']);

    const SEARCH = 'incidents/2026-03-15-search-is-slow';
    const writes: [string[], string[]][] = [
      [['log', 'rollback initiated'], [TIMELINE]],
      [['ack', '--at', '14:06'], [INCIDENT, TIMELINE]],
      [['open', 'Search is slow', '--sev', '3', '--at', '14:30'], [`${SEARCH}/incident.md`, `${SEARCH}/timeline.md`]],
    ];
    for (const [args, files] of writes) {
      await repo.ok(args);
      expect(commitFiles(repo), args.join(' ')).toEqual(files);
      expect(commitFiles(repo).every((f) => f.startsWith('incidents/'))).toBe(true);
    }
    expect(repo.git(['diff', '--cached'])).toBe(cachedBefore);
    expect(repo.git(['diff'])).toBe(unstagedBefore);
    expect(repo.git(['show', ':README.md'])).toBe('staged change\n');
    expect(repo.read('README.md')).toBe('staged change\nplus an unstaged line\n');
    expect(repo.git(['status', '--porcelain', '--', 'scratch.txt'])).toBe('?? scratch.txt\n');
    expect(repo.git(['log', '--format=', '--name-only', '-3']).split('\n').filter(Boolean).every((f) => f.startsWith('incidents/'))).toBe(true);
    expect(repo.git(['log', '--format=', '--name-only', '-3']).split('\n').filter(Boolean)).toEqual([
      `${SEARCH}/incident.md`,
      `${SEARCH}/timeline.md`,
      INCIDENT,
      TIMELINE,
      TIMELINE,
    ]);
  });

  it('a refused write leaves the staged work exactly as it was', async () => {
    await withIncident();
    repo.write('notes.txt', 'staged\n');
    repo.git(['add', 'notes.txt']);
    writeFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\necho "pre-commit: refusing for the test" >&2\nexit 1\n', { mode: 0o755 });
    const cached = repo.git(['diff', '--cached']);
    const result = await repo.inc(['log', 'refused by a hook']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pre-commit: refusing for the test');
    expect(repo.git(['diff', '--cached'])).toBe(cached);
    expect(repo.read(TIMELINE)).not.toContain('refused by a hook');
  });
});
