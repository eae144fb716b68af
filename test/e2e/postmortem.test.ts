// @inquirer/testing/vitest must come first: the confirmation test answers the prompt through it.
import { screen } from '@inquirer/testing/vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPostmortem } from '../../src/commands/postmortem.js';
import { InterruptedError } from '../../src/domain/errors.js';
import { fakeContext } from '../helpers/context.js';
import { commitFiles, commitSubjects, makeRepoFrom, type TempRepo } from '../helpers/repo.js';
import { hasCmark } from '../helpers/tools.js';
import { finishPostmortem } from '../helpers/postmortem.js';

const ID = '2026-03-15-payment-processing-outage';
const PM = `incidents/${ID}/postmortem.md`;
const BRANCH = `postmortem/${ID}`;
let repo: TempRepo;
afterEach(() => repo?.cleanup());

const ok: TempRepo['ok'] = (args, options) => repo.ok(args, options);

/** The worked example, responded to with inc: SEV1, started 14:02 ... resolved 15:00 UTC. */
async function payment(options: { resolve?: boolean } = {}): Promise<void> {
  const resolve = options.resolve !== false;
  // Made once for the file (resolved or not) and copied for each test.
  repo = await makeRepoFrom(resolve ? 'payment-resolved' : 'payment-mitigated', async (made) => {
    await made.ok(['open', 'Payment processing outage', '--sev', '1', '--at', '14:05', '--started-at', '14:02', '--commander', 'Alice', '--service', 'payment-service']);
    await made.ok(['ack', '--at', '14:06']);
    await made.ok(['log', '--at', '14:14', 'Rollback: `kubectl rollout undo` | watching the pods']);
    await made.ok(['mitigate', '--at', '14:22', 'error rate back to baseline']);
    if (resolve) await made.ok(['resolve', '--at', '15:00']);
  });
}

const branch = () => repo.git(['branch', '--show-current']).trim();
const branches = () => repo.git(['branch', '--format=%(refname:short)']).trim().split('\n').sort();

const FILLED: Record<string, string> = {
  Summary: 'Release v2.14.0 made every payment fail for twenty minutes; rolling back to v2.13.9 restored service.',
  Impact: 'About 1,200 failed payments between 14:02 and 14:22 UTC; no data lost.',
  'Root cause': 'The new validation read an optional field without checking that it was present.',
  'What went well': 'The alert fired three minutes after the deploy; the rollback took effect in five.',
  'What went poorly': 'No test sent a request without the new field; the release went to every pod at once.',
  'Lessons learned': 'Optional fields need tests without them, and the payment path needs a canary stage.',
};

/** What a reviewer does: write every section and the action items. */
const fillIn = (text: string, actions: string[]) => finishPostmortem(text, { sections: FILLED, actions });

const ACTIONS = [
  '| Add null-safety tests for optional payment fields | Bob | P1 | 2026-03-20 | ENG-4521 | Done |',
  '| Canary stage for payment-service deploys | Dave | P2 | 2026-04-30 | ENG-4525 | in progress |',
];

describe('inc postmortem on a resolved SEV1', () => {
  it('commits a pre-filled scaffold on its own branch, leaves the responder where they were, and says what to do next', async () => {
    await payment();
    const mainHead = repo.git(['rev-parse', 'main']).trim();
    const result = await ok(['postmortem', ID]);
    expect(result.stdout).toBe(`${ID} postmortem ${PM}\n`);
    expect(result.stderr).toContain(`on branch ${BRANCH} (committed); due 2026-03-20.`);
    expect(result.stderr).toContain('You are still on branch main');
    expect(result.stderr).toContain(`git switch ${BRANCH}`);
    expect(result.stderr).toContain(`git push -u origin ${BRANCH}`);
    expect(result.stderr).toMatch(/pull request/);

    // Still on main, nothing in the working tree or the index: the postmortem is on its branch only.
    expect(branch()).toBe('main');
    expect(repo.git(['rev-parse', 'HEAD']).trim()).toBe(mainHead);
    expect(repo.git(['status', '--porcelain', '--untracked-files=all']).trim()).toBe('');
    expect(existsSync(join(repo.dir, PM))).toBe(false);
    expect(repo.git(['rev-parse', `${BRANCH}~1`]).trim()).toBe(mainHead);
    expect(repo.git(['log', '-1', '--format=%s%n%an <%ae>', BRANCH]).trim()).toBe(`inc(${ID}): start the postmortem\nAlice Example <alice@example.com>`);
    expect(commitFiles(repo, BRANCH)).toEqual([PM]);
    // The branch's tree is main's plus the postmortem, nothing else.
    expect(repo.git(['diff', '--name-status', 'main', BRANCH]).trim()).toBe(`A\t${PM}`);

    const text = repo.git(['show', `${BRANCH}:${PM}`]);
    expect(text).toMatch(/^---\nincident: "2026-03-15-payment-processing-outage"\nstatus: "draft"\nauthors:\n {2}- "Alice Example"\nreviewers: \[\]\ndue_date: "2026-03-20"\nroot_causes: \[\]\n---\n/);
    expect(text).toContain('# Postmortem: Payment processing outage');
    expect(text).toContain('- **Severity**: SEV1');
    expect(text).toContain('- **Incident commander**: Alice');
    expect(text).toContain('- **Impact window**: 2026-03-15 14:02 – 14:22 UTC (20m)');
    expect(text).toContain('| 14:06 | Acknowledged | Alice Example |');
    expect(text).toContain('| 14:14 | Rollback: `kubectl rollout undo` \\| watching the pods | Alice Example |');
    expect(text).toContain('| 15:00 | Resolved | Alice Example |');
    for (const figure of ['TTD, time to detect | 3m', 'TTA, time to acknowledge | 1m', 'TTM, time to mitigate | 17m', 'TTR, time to resolve | 55m', 'how long users were affected | 20m']) {
      expect(text).toContain(figure);
    }
  });

  it('fails inc check with file:line findings until the sections and action items are written, then passes', async () => {
    await payment();
    await ok(['postmortem', ID, '--switch']);
    expect(branch()).toBe(BRANCH);
    const failing = await repo.inc(['check']);
    expect(failing.code).toBe(1);
    const lines = failing.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${PM}:\\d+: (error|warning): `));
    const text = repo.read(PM);
    const summaryPrompt = text.split('\n').findIndex((l) => l.startsWith('## Summary')) + 3;
    expect(failing.stdout).toContain(`${PM}:${summaryPrompt}: error: "Summary" still holds the template's prompt`);
    expect(failing.stdout).toMatch(/warning: no action items/);
    expect(failing.stderr).toMatch(/inc check: \d+ errors, 1 warning/);

    repo.write(PM, fillIn(text, ['| Add null-safety tests |  | P1 |  | ENG-4521 | todo |']));
    const half = await repo.inc(['check']);
    expect(half.code).toBe(1);
    expect(half.stdout.trim()).toBe(`${PM}:${repo.read(PM).split('\n').findIndex((l) => l.includes('Add null-safety tests')) + 1}: error: action item without owner, due: "Add null-safety tests"`);

    repo.write(PM, fillIn(text, ACTIONS));
    const passing = await repo.inc(['check']);
    expect(passing.stdout).toBe('');
    expect(passing.stderr).toMatch(/no problems/);
    expect(passing.code).toBe(0);

    const show = JSON.parse((await ok(['show', ID, '--json'])).stdout) as { postmortem: unknown };
    expect(show.postmortem).toEqual({ status: 'draft', action_items: { total: 2, done: 1 } });
  });

  it('never overwrites an existing postmortem', async () => {
    await payment();
    await ok(['postmortem', ID, '--no-branch']);
    repo.write(PM, `${repo.read(PM)}\nA reviewer's note.\n`);
    repo.git(['commit', '-qam', 'review']);
    const before = repo.read(PM);
    const again = await repo.inc(['postmortem', ID]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; inc never overwrites a postmortem/);
    expect(repo.read(PM)).toBe(before);
    expect(branches()).toEqual(['main']);
  });

  it('--no-branch commits on the current branch; --no-commit writes only the file', async () => {
    await payment();
    await ok(['postmortem', ID, '--no-branch']);
    expect(branch()).toBe('main');
    expect(commitFiles(repo)).toEqual([PM]);

    repo.git(['rm', '-q', PM]);
    repo.git(['commit', '-qm', 'start over']);
    const head = repo.git(['rev-parse', 'HEAD']).trim();
    const result = await ok(['postmortem', ID, '--no-commit']);
    expect(result.stderr).toContain('not committed');
    expect(repo.git(['rev-parse', 'HEAD']).trim()).toBe(head);
    expect(branches()).toEqual(['main']);
    expect(repo.git(['status', '--porcelain']).trim()).toBe(`?? ${PM}`);
  });

  it("uses the repository's own templates/postmortem.md", async () => {
    await payment();
    repo.write('templates/postmortem.md', '# {{title}} ({{severity}})\n\nCommander: {{commander}}\n\n{{timeline}}\n');
    repo.git(['add', 'templates']);
    repo.git(['commit', '-qm', 'our template']);
    await ok(['postmortem', ID]);
    const text = repo.git(['show', `${BRANCH}:${PM}`]);
    expect(text).toContain('# Payment processing outage (SEV1 (Full outage or data loss that reaches every user))');
    expect(text).toContain('Commander: Alice');
    expect(text).not.toContain('## Summary');
  });
});

describe('inc postmortem refuses, and leaves nothing behind', () => {
  it('needs --force for an unresolved incident without a terminal (exit 2), and works with it', async () => {
    await payment({ resolve: false });
    const head = repo.git(['rev-parse', 'HEAD']).trim();
    const refused = await repo.inc(['postmortem', ID]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not resolved yet \(status: mitigated\); nothing was written/);
    expect(refused.stderr).toContain('--force');
    expect(existsSync(join(repo.dir, PM))).toBe(false);
    expect(repo.git(['rev-parse', 'HEAD']).trim()).toBe(head);
    expect(branches()).toEqual(['main']);

    await ok(['postmortem', ID, '--force', '--switch']);
    expect(branch()).toBe(BRANCH);
    expect(repo.read(PM)).toContain('- **Duration**: not known yet (the incident is not resolved)');
  });

  it("refuses while the incident's files have uncommitted changes, and says what to do", async () => {
    await payment();
    repo.write(`incidents/${ID}/incident.md`, `${repo.read(`incidents/${ID}/incident.md`)}\nA note.\n`);
    const refused = await repo.inc(['postmortem', ID]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/has changes that are not committed; nothing was written/);
    expect(refused.stderr).toContain(`git add incidents/${ID}`);
    expect(refused.stderr).toContain(`M incidents/${ID}/incident.md`);
    expect(branches()).toEqual(['main']);
    expect(existsSync(join(repo.dir, PM))).toBe(false);
  });

  it('refuses when the branch already exists, and commits on it when already there', async () => {
    await payment();
    repo.git(['branch', BRANCH]);
    const refused = await repo.inc(['postmortem', ID]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`branch ${BRANCH} already exists`);
    expect(refused.stderr).toContain(`git switch ${BRANCH}`);
    expect(branch()).toBe('main');

    repo.git(['switch', '-q', BRANCH]);
    await ok(['postmortem', ID]);
    expect(branch()).toBe(BRANCH);
    expect(commitFiles(repo)).toEqual([PM]);
  });

  it("never touches the working tree or the index: staged and unstaged changes stay as they were, and no hook runs", async () => {
    await payment();
    repo.write('.git/hooks/pre-commit', '#!/bin/sh\necho "hook ran" >&2\nexit 1\n');
    execFileSync('chmod', ['+x', join(repo.dir, '.git/hooks/pre-commit')]);
    repo.write('notes.md', 'staged\n');
    repo.git(['add', 'notes.md']);
    repo.write('notes.md', 'staged, then edited\n');
    repo.write('scratch.txt', 'untracked\n');
    const status = repo.git(['status', '--porcelain', '--untracked-files=all']);
    const staged = repo.git(['diff', '--cached']);
    const result = await ok(['postmortem', ID]);
    expect(result.stderr).not.toContain('hook ran');
    expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe(status);
    expect(repo.git(['diff', '--cached'])).toBe(staged);
    expect(repo.read('notes.md')).toBe('staged, then edited\n');
    expect(commitFiles(repo, BRANCH)).toEqual([PM]);
    expect(repo.git(['ls-tree', '-r', '--name-only', BRANCH])).not.toContain('notes.md');
    // No temporary index left behind in the clone's state folder.
    expect(repo.git(['status', '--porcelain', '--ignored']).includes('index-')).toBe(false);
    expect(readdirSync(join(repo.dir, '.git', 'inc')).filter((name) => name.startsWith('index-'))).toEqual([]);
  });

});

describe('a clone on a postmortem branch', () => {
  it('refuses writes for another incident with the way back, and takes writes for the reviewed one', async () => {
    await payment();
    await ok(['postmortem', ID, '--switch']);
    const head = repo.git(['rev-parse', 'HEAD']).trim();
    const other = await repo.inc(['open', 'Search is slow', '--sev', '3', '--at', '15:10']);
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(
      `inc: this clone is on branch ${BRANCH}, the review of ${ID}'s postmortem: a write for 2026-03-15-search-is-slow would be committed there, where the team does not see it; nothing was written\n` +
        'Switch back first (git switch main), then run the command again. Edit the postmortem on its branch when the incident is over.\n',
    );
    expect(repo.git(['rev-parse', 'HEAD']).trim()).toBe(head);
    expect(existsSync(join(repo.dir, 'incidents', '2026-03-15-search-is-slow'))).toBe(false);

    // The reviewed incident itself may still be written to (a late note for the review).
    await ok(['log', '--incident', ID, '--at', '15:20', 'found the deploy log for the review']);
    expect(commitFiles(repo)).toEqual([`incidents/${ID}/timeline.md`]);

    repo.git(['switch', '-q', 'main']);
    expect((await ok(['open', 'Search is slow', '--sev', '3', '--at', '15:10'])).stdout).toBe('2026-03-15-search-is-slow opened 2026-03-15T15:10:00Z\n');
  });
});

describe('inc postmortem on a terminal, for an unresolved incident', () => {
  const terminal = (cwd: string, env: Record<string, string>) => fakeContext({ tty: true, cwd, env, columns: 80 });

  it('asks first: yes scaffolds it, Ctrl-C writes nothing (exit 130)', async () => {
    await payment({ resolve: false });
    const interrupted = runPostmortem(terminal(repo.dir, repo.env), ID, { branch: true, commit: true });
    await screen.next();
    expect(screen.getScreen()).toContain(`${ID} is not resolved (status: mitigated). Scaffold its postmortem anyway?`);
    screen.keypress({ name: 'c', ctrl: true });
    const error = await interrupted.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
    expect(existsSync(join(repo.dir, PM))).toBe(false);
    expect(branches()).toEqual(['main']);

    const accepted = runPostmortem(terminal(repo.dir, repo.env), ID, { branch: true, commit: true });
    await screen.next();
    screen.type('y');
    screen.keypress('enter');
    await expect(accepted).resolves.toBe(PM);
    expect(branch()).toBe('main');
    expect(commitFiles(repo, BRANCH)).toEqual([PM]);
  });
});


/** The cells of every table row cmark-gfm renders, as text. */
function tableCells(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1]!));
}

describe('tables as GitHub renders them', () => {
  it.skipIf(!hasCmark)('cmark-gfm reads the timeline and the postmortem as tables, a | in a cell included', async () => {
    await payment();
    await ok(['log', '--incident', ID, '--at', '14:30', 'error rate | latency both normal']); // resolved: named
    await ok(['postmortem', ID, '--switch']);
    repo.write(PM, fillIn(repo.read(PM), ['| Alert on 5xx \\| timeouts | Carol | P1 | 2026-03-27 | ENG-4522 | todo |']));
    const render = (path: string) => execFileSync('cmark-gfm', ['-e', 'table', join(repo.dir, path)], { encoding: 'utf8' });

    const timeline = render(`incidents/${ID}/timeline.md`);
    expect(timeline.match(/<table>/g)).toHaveLength(1);
    const timelineRows = tableCells(timeline);
    expect(timelineRows[0]).toEqual(['Time (UTC)', 'Event', 'By', 'Kind']);
    expect(timelineRows).toContainEqual(['2026-03-15T14:30:00Z', 'error rate | latency both normal', 'Alice Example', '']);

    const postmortem = render(PM);
    expect(postmortem.match(/<table>/g)).toHaveLength(3); // timeline, metrics, action items
    const rows = tableCells(postmortem);
    expect(rows).toContainEqual(['14:14', 'Rollback: <code>kubectl rollout undo</code> | watching the pods', 'Alice Example']);
    expect(rows).toContainEqual(['TTM, time to mitigate', '17m', 'detected_at → mitigated_at']);
    expect(rows).toContainEqual(['Action', 'Owner', 'Priority', 'Due', 'Ticket', 'Status']);
    expect(rows).toContainEqual(['Alert on 5xx | timeouts', 'Carol', 'P1', '2026-03-27', 'ENG-4522', 'todo']);
  });
});
