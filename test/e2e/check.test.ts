/** inc check and inc init --ci github, through the built binary in temporary repositories. */
import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, commitSubjects, makeRepo, ROOT, type TempRepo } from '../helpers/repo.js';
import { incIn } from '../helpers/run.js';
import { version } from '../../src/main.js';

const ID = '2026-03-15-payment-processing-outage';
let repo: TempRepo;
afterEach(() => repo?.cleanup());

const ok: TempRepo['ok'] = (args, options) => repo.ok(args, options);

/** A repository holding inc's own worked example (incident, timeline, finished postmortem). */
async function withWorkedExample(): Promise<void> {
  repo = await makeRepo({ init: true });
  mkdirSync(join(repo.dir, 'incidents', ID), { recursive: true });
  cpSync(join(ROOT, 'incidents', ID), join(repo.dir, 'incidents', ID), { recursive: true });
}

describe('inc check', () => {
  it('passes a freshly set-up repository and the worked example, today included', async () => {
    repo = await makeRepo({ init: true });
    const empty = await ok(['check']);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/no problems/);
    repo.cleanup();

    await withWorkedExample();
    const example = await repo.inc(['check'], { env: { INC_NOW: '2026-11-27T12:00:00Z' } });
    expect(example.stdout).toBe('');
    expect(example.code).toBe(0);
    expect(example.stderr).toBe('inc check: 4 files checked, no problems.\n');
  });

  it('reports hand-edit mistakes with file:line and exits 1; warnings alone exit 0', async () => {
    await withWorkedExample();
    const incident = `incidents/${ID}/incident.md`;
    const timeline = `incidents/${ID}/timeline.md`;
    repo.write(incident, repo.read(incident).replace('severity: "SEV1"', 'severity: "SEV9"').replace('mitigated_at: "2026-03-15T14:22:00Z"', 'mitigated_at: "2026-03-15T15:22:00Z"'));
    repo.write(timeline, `${repo.read(timeline)}| 2026-03-15T15:10:00Z | cache | queue both drained | Alice | note |\n| soon | later | Bob | |\n`);
    const result = await repo.inc(['check']);
    expect(result.code).toBe(1);
    const lines = repo.read(incident).split('\n');
    const timelineLines = repo.read(timeline).split('\n').length;
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        `${incident}:${lines.indexOf('severity: "SEV9"') + 1}: error: severity "SEV9" matches no level or alias of incident-severity.yaml (levels: SEV1, SEV2, SEV3, SEV4). Set the incident's severity to one of the levels, or add "SEV9" to the aliases of the level it now is (\`aliases: [SEV9]\`).`,
        expect.stringMatching(new RegExp(`^${incident}:${lines.findIndex((l) => l.startsWith('mitigated_at')) + 1}: error: milestones out of order: mitigated_at 2026-03-15T15:22:00Z is after resolved_at`)),
        expect.stringMatching(new RegExp(`^${timeline}:${timelineLines - 2}: error: row has 5 cells but the header has 4`)),
        expect.stringMatching(new RegExp(`^${timeline}:${timelineLines - 1}: error: timeline row has no readable time: "soon"`)),
      ]),
    );
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    repo.cleanup();

    await withWorkedExample();
    const pm = `incidents/${ID}/postmortem.md`;
    repo.write(pm, repo.read(pm).replace('The code was fixed', 'It was human error; the code was fixed'));
    const warned = await repo.inc(['check']);
    expect(warned.code).toBe(0);
    const blameLine = repo.read(pm).split('\n').findIndex((l) => l.includes('human error')) + 1;
    expect(warned.stdout).toBe(`${pm}:${blameLine}: warning: "human error": "human error" ends the analysis where it should start; describe what in the system allowed it (blameless postmortem)\n`);
    expect(warned.stderr).toMatch(/0 errors, 1 warning/);
  });

  // Both levels require a postmortem within 5 business days: resolved Sunday 15 March, due Friday 20 March.
  it.each(['SEV1', 'SEV2'])('fails a resolved %s whose postmortem is missing past its due date', async (sev) => {
    repo = await makeRepo({ init: true });
    await ok(['open', 'Checkout errors', '--sev', sev, '--at', '14:05']);
    await ok(['resolve', '--at', '15:00']);
    const before = await repo.inc(['check']);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(new RegExp(`incident\\.md:\\d+: warning: ${sev} needs a postmortem by 2026-03-20`));
    const after = await repo.inc(['check'], { env: { INC_NOW: '2026-03-23T09:00:00Z' } });
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(new RegExp(`incident\\.md:\\d+: error: ${sev} needs a postmortem, due 2026-03-20, and there is none; start it with \`inc postmortem 2026-03-15-checkout-errors\``));
    // The one error, on the resolved_at line: the other findings are warnings about missing milestones.
    const file = 'incidents/2026-03-15-checkout-errors/incident.md';
    const resolvedLine = repo.read(file).split('\n').findIndex((l) => l.startsWith('resolved_at:')) + 1;
    expect(after.stdout.split('\n').filter((l) => l.includes(': error: '))).toEqual([
      `${file}:${resolvedLine}: error: ${sev} needs a postmortem, due 2026-03-20, and there is none; start it with \`inc postmortem 2026-03-15-checkout-errors\``,
    ]);
  });

  it('reads a postmortem.md that is a link as a file, never as an absent postmortem', async () => {
    // Most incidents have no postmortem, so check asks whether one is there before opening it:
    // a link to nothing is still there, and must be reported rather than taken for none.
    await withWorkedExample();
    const postmortem = join(repo.dir, 'incidents', ID, 'postmortem.md');
    rmSync(postmortem);
    symlinkSync(join(repo.dir, '..', 'nothing-here.md'), postmortem);
    const result = await repo.inc(['check'], { env: { INC_NOW: '2026-11-27T12:00:00Z' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`incidents/${ID}/postmortem.md:1: error: is a symbolic link to nothing`);
  });

  it('reports a malformed severity matrix with its line', async () => {
    repo = await makeRepo({ init: true });
    repo.write('incident-severity.yaml', 'severities:\n  SEV1:\n    description: Outage\n    update_every_minutes: soon\n');
    const result = await repo.inc(['check']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('incident-severity.yaml:4: error: update_every_minutes of SEV1 must be a positive number of minutes, found "soon"\n');
  });

  it('checks only the given paths, relative to the working directory', async () => {
    await withWorkedExample();
    repo.write('incidents/2026-03-16-other/incident.md', '---\nid: broken\n');
    const whole = await repo.inc(['check']);
    expect(whole.code).toBe(1);
    expect(whole.stdout).toContain('incidents/2026-03-16-other/incident.md:1: error');

    const one = await repo.inc(['check', 'postmortem.md', 'timeline.md'], { cwd: join(repo.dir, 'incidents', ID) });
    expect(one.code).toBe(0);
    expect(one.stdout).toBe('');

    const other = await repo.inc(['check', '2026-03-16-other'], { cwd: join(repo.dir, 'incidents') });
    expect(other.code).toBe(1);
    expect(other.stdout).toBe(
      '2026-03-16-other/incident.md:1: error: the front matter that starts here has no closing "---"\n' +
        '2026-03-16-other/incident.md:1: warning: incidents/2026-03-16-other has no timeline.md\n',
    );

    const missing = await repo.inc(['check', 'incidents/nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('incidents/nope: no such file or folder');
  });

  it('prints GitHub annotations with --format github, and by itself under GitHub Actions', async () => {
    await withWorkedExample();
    const pm = `incidents/${ID}/postmortem.md`;
    repo.write(pm, repo.read(pm).replace('| Bob | high | 2026-03-20 |', '|  | high | 2026-03-20 |'));
    const line = repo.read(pm).split('\n').findIndex((l) => l.includes('|  | high | 2026-03-20 |')) + 1;
    const expected = `::error file=${pm},line=${line},title=inc check%3A Action item::action item without owner: "Handle a missing \`billing_region\` in payment validation and add null-safety tests for every optional payment field"\n`;

    const explicit = await repo.inc(['check', '--format', 'github']);
    expect(explicit.code).toBe(1);
    expect(explicit.stdout).toBe(expected);
    expect(explicit.stderr).toContain(`${pm}:${line}: error: action item without owner`);

    const actions = await repo.inc(['check'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(actions.stdout).toBe(expected);
    const forcedText = await repo.inc(['check', '--format', 'text'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(forcedText.stdout).toMatch(/^incidents\/.+:\d+: error: /);

    const bad = await repo.inc(['check', '--format', 'junit']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format junit: expected text, github or json');
  });
});

describe('inc check --format json', () => {
  it('prints every finding as JSON with the counts, exit 1 on an error and 0 on warnings alone', async () => {
    await withWorkedExample();
    const pm = `incidents/${ID}/postmortem.md`;
    const clean = await incIn(repo, ['check', '--format', 'json'], { now: '2026-11-27T12:00:00Z' });
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ files: 4, errors: 0, warnings: 0, findings: [] });

    repo.write(pm, repo.read(pm).replace('| Bob | high | 2026-03-20 |', '|  | high | 2026-03-20 |').replace('The code was fixed', 'It was human error; the code was fixed'));
    const lines = repo.read(pm).split('\n');
    const failed = await incIn(repo, ['check', '--format', 'json'], { now: '2026-11-27T12:00:00Z' });
    expect(failed.code).toBe(1);
    const json = JSON.parse(failed.stdout) as { files: number; errors: number; warnings: number; findings: unknown[] };
    expect(json).toEqual({
      files: 4,
      errors: 1,
      warnings: 1,
      findings: [
        expect.objectContaining({ file: pm, line: lines.findIndex((l) => l.includes('human error')) + 1, level: 'warning', rule: 'blaming-language' }),
        expect.objectContaining({ file: pm, line: lines.findIndex((l) => l.includes('|  | high | 2026-03-20 |')) + 1, level: 'error', rule: 'action-item', message: expect.stringMatching(/^action item without owner/) }),
      ],
    });
    expect(failed.stderr).toBe('inc check: 1 error, 1 warning in 4 files checked.\n');
  });
});

describe('inc init --ci github', () => {
  it('writes a workflow that runs the inc action on pull requests touching incidents/, once', async () => {
    repo = await makeRepo({ init: true });
    const first = await ok(['init', '--ci', 'github']);
    expect(first.stdout).toBe('.github/workflows/inc-check.yml\n');
    expect(commitFiles(repo)).toEqual(['.github/workflows/inc-check.yml']);
    // A repository set up already: the commit and the message name only what was added, no first-run hint.
    expect(commitSubjects(repo)[0]).toBe('inc: add the GitHub workflow for inc check');
    expect(first.stderr).toBe('Added the GitHub workflow for inc check (.github/workflows/inc-check.yml, committed).\n');
    const workflow = repo.read('.github/workflows/inc-check.yml');
    expect(workflow).toContain('pull_request:');
    expect(workflow).toContain('- "incidents/**"');
    expect(workflow).toContain(`      - uses: inc-cli/inc@v${version()}\n`);
    expect(workflow).toMatch(/CODEOWNERS/);
    // No workflow fetches inc from a package registry under a name nobody published.
    expect(workflow).not.toMatch(/npx|npm ci|inc-cli@/);

    repo.write('.github/workflows/inc-check.yml', `${workflow}# the team's edit\n`);
    repo.git(['commit', '-qam', 'edit workflow']);
    const again = await ok(['init', '--ci', 'github']);
    expect(again.stderr).toMatch(/Already set up/);
    expect(repo.read('.github/workflows/inc-check.yml')).toContain("# the team's edit");

    // --schedule adds the scheduled workflow next to the team's edited one.
    const scheduled = await ok(['init', '--ci', 'github', '--schedule', 'weekly']);
    expect(scheduled.stdout).toBe('.github/workflows/inc-overdue-actions.yml\n');
    expect(commitSubjects(repo)[0]).toBe('inc: add the GitHub workflow for overdue action items');
    expect(scheduled.stderr).not.toContain('Next:');
    expect(repo.read('.github/workflows/inc-overdue-actions.yml')).toContain('    - cron: "0 9 * * 1"');

    const unknown = await repo.inc(['init', '--ci', 'gitlab']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--ci gitlab');
    const monthly = await repo.inc(['init', '--ci', 'github', '--schedule', 'monthly']);
    expect(monthly.code).toBe(2);
    expect(monthly.stderr).toContain('--schedule monthly: expected weekly or daily');
    const alone = await repo.inc(['init', '--schedule', 'weekly']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('inc init --ci github --schedule weekly');
  });

  it('on a first run, sets up and adds the workflow in one commit, with the first-run hint', async () => {
    repo = await makeRepo();
    const first = await ok(['init', '--ci', 'github', '--timezone', 'UTC']);
    expect(commitSubjects(repo)).toEqual(['inc: set up incident response (severity matrix, incidents/, .gitattributes, config); with the GitHub workflow for inc check']);
    expect(first.stdout).toContain('.github/workflows/inc-check.yml\n');
    expect(first.stderr).toContain('Added the GitHub workflow for inc check (.github/workflows/inc-check.yml, committed).');
    expect(first.stderr).toContain('Next: review incident-severity.yaml');
  });

  it('with --pages, adds a workflow that publishes the public site to GitHub Pages from the default branch', async () => {
    repo = await makeRepo({ init: true });
    const refused = await repo.inc(['init', '--pages']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--pages writes a GitHub Actions workflow: give it with --ci github');
    const first = await ok(['init', '--ci', 'github', '--pages']);
    expect(first.stdout).toBe('.github/workflows/inc-check.yml\n.github/workflows/inc-pages.yml\n');
    expect(commitFiles(repo).sort()).toEqual(['.github/workflows/inc-check.yml', '.github/workflows/inc-pages.yml']);

    const { parse } = await import('yaml');
    const workflow = parse(repo.read('.github/workflows/inc-pages.yml')) as {
      on: Record<string, unknown>;
      permissions: Record<string, string>;
      jobs: Record<string, { if?: string; needs?: string; environment?: { name: string }; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
    };
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(workflow.permissions).toEqual({ contents: 'read', pages: 'write', 'id-token': 'write' });
    const { build, deploy } = workflow.jobs;
    expect(build!.if).toBe('github.ref_name == github.event.repository.default_branch');
    expect(build!.steps.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      `inc-cli/inc@v${version()}`,
      'inc publish --public --out _site',
      'actions/upload-pages-artifact@v3',
    ]);
    expect(build!.steps.at(-1)!.with).toEqual({ path: '_site' });
    expect(deploy).toMatchObject({ needs: 'build', environment: { name: 'github-pages' } });
    expect(deploy!.steps.map((s) => s.uses)).toEqual(['actions/deploy-pages@v4']);
  });
});
