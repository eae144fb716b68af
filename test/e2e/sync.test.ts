/**
 * Two responders on two clones of one remote (a bare repository on the local disk: no
 * network). Their timeline appends merge without a conflict, by rebase or by merge, and no
 * entry is lost; a real conflict stops with plain instructions and a clearly stated state.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cloneForBob } from '../helpers/clones.js';
import { makeRepo, openRepo, type TempRepo } from '../helpers/repo.js';

const ID = '2026-03-15-payment-outage';
const TIMELINE = `incidents/${ID}/timeline.md`;
const INCIDENT = `incidents/${ID}/incident.md`;
const POSTMORTEM = `incidents/${ID}/postmortem.md`;

let alice: TempRepo;
afterEach(() => alice?.cleanup());

/** Alice's repository with an open incident, pushed to a bare remote, and Bob's clone of it. */
async function twoClones(): Promise<{ a: TempRepo; b: TempRepo; remote: string }> {
  alice = await makeRepo({ init: true });
  const opened = await alice.inc(['open', 'Payment outage', '--sev', '1', '--at', '14:05']);
  expect(opened.stdout).toBe(`${ID} opened 2026-03-15T14:05:00Z\n`);
  const { bob, remote } = cloneForBob(alice);
  return { a: alice, b: bob, remote };
}

async function shownTimeline(c: TempRepo): Promise<{ at: string; text: string; author: string }[]> {
  const shown = await c.ok(['show', ID, '--json']);
  return (JSON.parse(shown.stdout) as { timeline: { at: string; text: string; author: string }[] }).timeline;
}

const K = 10;
/** Alice logs at :00 seconds and Bob at :30 of the same minutes: time order interleaves them. */
const at = (i: number, second: number) => `2026-03-15T14:${String(10 + i).padStart(2, '0')}:${String(second).padStart(2, '0')}Z`;

async function logEntries(c: TempRepo, who: string, second: number, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 1) await c.ok(['log', `${who} entry ${i}`, '--incident', ID, '--at', at(i, second)]);
}

async function expectAllEntries(c: TempRepo, count: number): Promise<void> {
  const entries = (await shownTimeline(c)).filter((e) => / entry \d+$/.test(e.text));
  expect(entries).toHaveLength(count);
  const times = entries.map((e) => Date.parse(e.at));
  expect(times).toEqual([...times].sort((x, y) => x - y));
  for (let i = 0; i < count / 2; i += 1) {
    expect(entries).toContainEqual(expect.objectContaining({ text: `alice entry ${i}`, author: 'Alice Example' }));
    expect(entries).toContainEqual(expect.objectContaining({ text: `bob entry ${i}`, author: 'Bob Example' }));
  }
  expect(c.read(TIMELINE)).not.toMatch(/^(<{7}|={7}|>{7})/m);
  expect(c.git(['status', '--porcelain'])).toBe('');
}

describe('inc sync', () => {
  it(`rebase: ${K} entries from each clone, logged concurrently, all present in both after sync, in time order`, async () => {
    const { a, b } = await twoClones();
    await Promise.all([logEntries(a, 'alice', 0, 0, K / 2), logEntries(b, 'bob', 30, 0, K / 2)]);
    const first = await a.ok(['sync']);
    expect(first.stderr).toContain(`Pushed ${K / 2} commits to origin/main.`);
    await Promise.all([logEntries(a, 'alice', 0, K / 2, K), logEntries(b, 'bob', 30, K / 2, K)]);
    const second = await b.ok(['sync']);
    expect(second.stderr).toContain(`Pulled ${K / 2} commits from origin/main; rebased ${K} local commits on top.`);
    expect(second.stderr).toContain(`Pushed ${K} commits to origin/main.`);
    await a.ok(['sync']);
    await b.ok(['sync']);

    await expectAllEntries(a, 2 * K);
    await expectAllEntries(b, 2 * K);
    expect(a.read(TIMELINE)).toBe(b.read(TIMELINE));
    // A rebase keeps history linear: every entry is its own commit, no merge commits.
    expect(a.git(['log', '--merges', '--oneline'])).toBe('');
    expect(a.git(['log', '--format=%s']).split('\n').filter((s) => s.includes(' entry '))).toHaveLength(2 * K);
    expect(a.git(['rev-parse', 'HEAD'])).toBe(b.git(['rev-parse', 'HEAD']));
  });

  it(`--merge: ${K} entries from each clone all present in both, with a merge commit`, async () => {
    const { a, b } = await twoClones();
    await Promise.all([logEntries(a, 'alice', 0, 0, K), logEntries(b, 'bob', 30, 0, K)]);
    await a.ok(['sync', '--merge']);
    const merged = await b.ok(['sync', '--merge', '--json']);
    expect(JSON.parse(merged.stdout)).toEqual({ branch: 'main', upstream: 'origin/main', mode: 'merge', pulled: K, pushed: K + 1 });
    await a.ok(['sync', '--merge']);
    await expectAllEntries(a, 2 * K);
    await expectAllEntries(b, 2 * K);
    expect(a.git(['log', '--merges', '--oneline']).trim().split('\n')).toHaveLength(1);
  });

  it('says so when up to date, and --no-push only pulls', async () => {
    const { a, b } = await twoClones();
    expect((await a.ok(['sync'])).stderr).toContain('Up to date with origin/main.');
    await logEntries(a, 'alice', 0, 0, 1);
    await logEntries(b, 'bob', 30, 0, 1);
    await a.ok(['sync']);
    const pulled = await b.ok(['sync', '--no-push']);
    expect(pulled.stderr).toContain('Pulled 1 commit from origin/main; rebased 1 local commit on top.');
    expect(pulled.stderr).toContain('Not pushed (--no-push).');
    expect(b.git(['rev-list', '--count', '@{upstream}..HEAD']).trim()).toBe('1');
  });

  it('pulls again and retries when someone pushes between its pull and its push', async () => {
    const { a, b } = await twoClones();
    await logEntries(a, 'alice', 0, 0, 1);
    await logEntries(b, 'bob', 30, 0, 1);
    // Bob's pre-push hook lets Alice push first, once: Bob's first push is then rejected.
    const marker = join(b.dir, '..', 'alice-pushed');
    const hook = join(b.dir, '.git', 'hooks', 'pre-push');
    writeFileSync(hook, `#!/bin/sh\nif [ ! -f "${marker}" ]; then touch "${marker}"; env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE git -C "${a.dir}" push -q origin main; fi\nexit 0\n`);
    chmodSync(hook, 0o755);
    const synced = await b.ok(['sync']);
    expect(existsSync(marker)).toBe(true);
    expect(synced.stderr).toContain('origin/main moved while syncing (someone else pushed); pulling again.');
    expect(synced.stderr).toContain('Pushed 1 commit to origin/main.');
    await a.ok(['sync']);
    await expectAllEntries(a, 2);
    await expectAllEntries(b, 2);
  });

  it('refuses plainly without a remote, and without an upstream branch', async () => {
    alice = await makeRepo({ init: true });
    const noRemote = await alice.inc(['sync']);
    expect(noRemote.code).toBe(1);
    expect(noRemote.stderr).toBe(
      'inc: this repository has no remote, so there is nowhere to sync with\n' +
        "Add the team's ops repository as a remote and push once: git remote add origin <url> && git push -u origin main\n",
    );
    alice.git(['init', '--quiet', '--bare', '-b', 'main', join(alice.dir, '..', 'remote.git')]);
    alice.git(['remote', 'add', 'origin', join(alice.dir, '..', 'remote.git')]);
    const noUpstream = await alice.inc(['sync']);
    expect(noUpstream.code).toBe(1);
    expect(noUpstream.stderr).toContain('branch main has no upstream branch');
    expect(noUpstream.stderr).toContain('git push -u origin main');
  });

  it('creates the upstream branch on a first push to an empty remote', async () => {
    alice = await makeRepo();
    const remote = join(alice.dir, '..', 'remote.git');
    alice.git(['init', '--quiet', '--bare', '-b', 'main', remote]);
    const fresh = join(alice.dir, '..', 'fresh');
    alice.git(['clone', '--quiet', remote, fresh]);
    const c = openRepo(fresh, alice.env);
    await c.ok(['init']);
    const synced = await c.ok(['sync']);
    expect(synced.stderr).toContain('origin/main does not exist yet; pushing creates it.');
    expect(synced.stderr).toContain('Pushed 1 commit to origin/main.');
    expect(c.git(['ls-remote', 'origin', 'main'])).toContain('refs/heads/main');
  });

  /**
   * A real conflict: both clones changed the same line of a postmortem's front matter (its
   * status), which no merge driver decides. Alice's version is pushed first.
   */
  async function conflictingPostmortems(a: TempRepo, b: TempRepo): Promise<void> {
    a.write(POSTMORTEM, '---\nincident: "2026-03-15-payment-outage"\nstatus: "draft"\n---\n\n# Postmortem\n');
    a.git(['add', POSTMORTEM]);
    a.git(['commit', '-qm', 'postmortem']);
    await a.ok(['sync']);
    await b.ok(['sync']);
    for (const [c, status] of [[a, 'in-review'], [b, 'published']] as const) {
      c.write(POSTMORTEM, c.read(POSTMORTEM).replace('status: "draft"', `status: "${status}"`));
      c.git(['commit', '-qam', `postmortem ${status}`]);
    }
    await a.ok(['sync']);
  }

  it('a real conflict (both clones changed the same line of a postmortem) stops, says what to do, and blocks writes until finished', async () => {
    const { a, b } = await twoClones();
    await conflictingPostmortems(a, b);
    const before = b.git(['rev-parse', 'HEAD']);

    const stopped = await b.inc(['sync']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('inc: sync stopped: these files were changed both here and on origin/main');
    expect(stopped.stderr).toContain(`  ${POSTMORTEM}\n`);
    expect(stopped.stderr).toContain('A rebase is in progress');
    expect(stopped.stderr).toContain('Nothing was pushed.');
    expect(stopped.stderr).toContain('git rebase --continue');
    expect(stopped.stderr).toContain('git rebase --abort');
    expect(existsSync(join(b.dir, '.git', 'rebase-merge')) || existsSync(join(b.dir, '.git', 'rebase-apply'))).toBe(true);

    // While the rebase is in progress nothing writes, and reading says what is wrong, where.
    const log = await b.inc(['log', '--incident', ID, 'during the rebase']);
    expect(log.code).toBe(1);
    expect(log.stderr).toContain('a rebase is in progress in this repository; inc writes nothing until it is finished');
    const again = await b.inc(['sync']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('a rebase is in progress in this repository');
    const check = await b.inc(['check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`${POSTMORTEM}:\\d+: error: unresolved conflict marker from a merge or rebase`));

    // Giving up puts Bob back exactly where he was.
    b.git(['rebase', '--abort']);
    expect(b.git(['rev-parse', 'HEAD'])).toBe(before);
    expect(b.git(['status', '--porcelain'])).toBe('');

    // Following the instructions instead: resolve (keep Alice's version), add, continue, sync.
    expect((await b.inc(['sync'])).code).toBe(1);
    b.git(['checkout', '--ours', POSTMORTEM]); // during a rebase, "ours" is origin/main
    b.git(['add', POSTMORTEM]);
    execFileSync('git', ['rebase', '--continue'], { cwd: b.dir, env: { ...b.env, GIT_EDITOR: 'true' }, stdio: 'pipe' });
    // Keeping Alice's version left Bob's only change empty: git dropped the commit, nothing to push.
    expect((await b.ok(['sync'])).stderr).toBe('Up to date with origin/main.\n');
    await a.ok(['sync']);
    expect(a.read(POSTMORTEM)).toBe(b.read(POSTMORTEM));
    expect(a.read(POSTMORTEM)).toContain('status: "in-review"');
  });

  it('--merge conflict: says a merge is in progress and how to commit or abort it', async () => {
    const { a, b } = await twoClones();
    await conflictingPostmortems(a, b);
    const stopped = await b.inc(['sync', '--merge']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('A merge is in progress');
    expect(stopped.stderr).toContain('git commit --no-edit');
    expect(stopped.stderr).toContain('git merge --abort');
    expect(existsSync(join(b.dir, '.git', 'MERGE_HEAD'))).toBe(true);
    const log = await b.inc(['log', '--incident', ID, 'during the merge']);
    expect(log.code).toBe(1);
    expect(log.stderr).toContain('a merge is in progress');
  });

  it('uncommitted changes in the way: stops before changing anything and says what to do', async () => {
    const { a, b } = await twoClones();
    await a.ok(['ack', '--at', '14:06']);
    await a.ok(['sync']);
    const handEdited = `${b.read(INCIDENT)}\nA note typed by hand, not committed yet.\n`;
    writeFileSync(join(b.dir, INCIDENT), handEdited);
    const head = b.git(['rev-parse', 'HEAD']);
    const stopped = await b.inc(['sync']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('sync stopped before changing anything: this clone has uncommitted changes');
    expect(stopped.stderr).toContain(INCIDENT);
    expect(stopped.stderr).toContain('inc sync --autostash');
    expect(b.git(['rev-parse', 'HEAD'])).toBe(head);
    expect(b.read(INCIDENT)).toBe(handEdited);
    expect(existsSync(join(b.dir, '.git', 'rebase-merge'))).toBe(false);
  });
});
