/**
 * Bad input and unusual places: clear errors (what and where), exit 1 or 2, no stack trace,
 * and nothing written or committed by a refused command.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, commitSubjects, makeRepo, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const ok: TempRepo['ok'] = (args, options) => repo.ok(args, options);

/** Runs a command that must be refused and checks that it changed nothing. */
async function refused(args: string[], code: number, message: RegExp) {
  const before = repo.git(['rev-parse', 'HEAD']);
  const status = repo.git(['status', '--porcelain', '--untracked-files=all']);
  const result = await repo.inc(args);
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(result.stdout).toBe('');
  expect(repo.git(['rev-parse', 'HEAD'])).toBe(before);
  expect(repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe(status);
  return result;
}

describe('refused commands leave no commit and no file', () => {
  it('unknown severity: exit 2 listing the valid ones', async () => {
    repo = await makeRepo({ init: true });
    const result = await refused(['open', 'x', '--sev', '7'], 2, /--sev 7: no such severity in incident-severity.yaml/);
    expect(result.stderr).toContain('Valid severities: SEV1, SEV2, SEV3, SEV4');
  });

  it('times that cannot be read or lie in the future: exit 2', async () => {
    repo = await makeRepo({ init: true });
    await refused(['open', 'x', '--sev', '2', '--at', 'tomorrow-ish'], 2, /--at "tomorrow-ish" is not a time inc can read/);
    await refused(['open', 'x', '--sev', '2', '--at', '2026-03-15T16:00:00Z'], 2, /is in the future/);
    await refused(['open', 'x', '--sev', '2', '--at', '14:05', '--started-at', '14:10'], 2, /started_at 2026-03-15T14:10:00Z is after detected_at 2026-03-15T14:05:00Z/);
  });

  it('milestones out of order name both timestamps', async () => {
    repo = await makeRepo({ init: true });
    await ok(['open', 'x', '--sev', '2', '--at', '14:05']);
    await ok(['mitigate', '--at', '14:20']);
    await refused(['resolve', '--at', '14:10'], 1, /mitigated_at 2026-03-15T14:20:00Z is after resolved_at 2026-03-15T14:10:00Z/);
    await refused(['ack', '--at', '14:00'], 1, /detected_at 2026-03-15T14:05:00Z is after acknowledged_at 2026-03-15T14:00:00Z/);
    await refused(['mitigate', '--at', '14:25'], 1, /already mitigated.*\n.*inc milestone mitigated --at/);
    // inc milestone corrects, and the timeline says so.
    await ok(['milestone', 'mitigated', '--at', '14:18']);
    const show = JSON.parse((await ok(['show', '--json'])).stdout);
    expect(show.mitigated_at).toBe('2026-03-15T14:18:00Z');
    expect(show.timeline.map((e: { at: string; text: string }) => `${e.at} ${e.text}`)).toContain(
      '2026-03-15T14:18:00Z Mitigated (corrected from 2026-03-15T14:20:00Z)',
    );
  });

  it('usage errors: unknown flag, missing argument, unknown command', async () => {
    repo = await makeRepo({ init: true });
    await refused(['open', 'x', '--sev', '2', '--bogus'], 2, /unknown option '--bogus'/);
    await refused(['log'], 2, /missing <text> \(no terminal to ask on\)/);
    await refused(['frobnicate'], 2, /unknown command "frobnicate"/);
    await refused(['open', 'x'], 2, /missing --sev/);
    await refused(['milestone', 'started'], 2, /^inc: milestone: missing --at\n/);
    await refused(['milestone', 'fixed', '--at', 'now'], 2, /unknown milestone "fixed"/);
  });

  it('a repository that was never set up says to run inc init', async () => {
    repo = await makeRepo();
    repo.write('README.md', 'x');
    repo.git(['add', 'README.md']);
    repo.git(['commit', '-qm', 'first']);
    await refused(['open', 'x', '--sev', '1'], 1, /no incident-severity.yaml.*\nRun `inc init` first/);
  });

  it('a malformed matrix is reported with its line', async () => {
    repo = await makeRepo({ init: true });
    repo.write('incident-severity.yaml', 'severities:\n  SEV1:\n    description: x\n    escalate_after_minutes: -5\n');
    repo.git(['commit', '-qam', 'broken matrix']);
    // Only what needs the bad value stops: the escalation of `inc status`, not the declaration.
    const opened = await ok(['open', 'x', '--sev', '1']);
    expect(opened.stderr).toMatch(/warning: incident-severity.yaml:4: escalate_after_minutes of SEV1 must be a positive number/);
    await refused(['status'], 1, /incident-severity.yaml:4: escalate_after_minutes of SEV1 must be a positive number/);
  });
});

describe('where inc runs and what it commits', () => {
  it('works from any subfolder and never commits or unstages the user\'s other work', async () => {
    repo = await makeRepo({ init: true });
    repo.write('notes/todo.txt', 'first');
    repo.git(['add', 'notes/todo.txt']);
    repo.git(['commit', '-qm', 'notes']);
    repo.write('notes/todo.txt', 'staged change');
    repo.git(['add', 'notes/todo.txt']);
    repo.write('notes/todo.txt', 'staged change, then an unstaged one');
    repo.write('scratch.txt', 'untracked');
    const sub = join(repo.dir, 'notes');
    await ok(['open', 'Queue backlog', '--sev', '3'], { cwd: sub });
    expect(commitFiles(repo)).toEqual(['incidents/2026-03-15-queue-backlog/incident.md', 'incidents/2026-03-15-queue-backlog/timeline.md']);
    await ok(['log', 'consumers scaled to 12'], { cwd: sub });
    expect(commitFiles(repo)).toEqual(['incidents/2026-03-15-queue-backlog/timeline.md']);
    expect(repo.git(['status', '--porcelain']).split('\n').filter(Boolean).sort()).toEqual(['?? scratch.txt', 'MM notes/todo.txt']);
    expect(repo.git(['diff', '--cached', 'notes/todo.txt'])).toContain('+staged change');
  });

  it('--no-commit writes the files and commits nothing', async () => {
    repo = await makeRepo({ init: true });
    const before = commitSubjects(repo).length;
    const result = await ok(['open', 'Disk full', '--sev', '3', '--no-commit']);
    expect(result.stdout).toBe('2026-03-15-disk-full opened 2026-03-15T15:30:00Z\n');
    expect(existsSync(join(repo.dir, 'incidents', '2026-03-15-disk-full', 'incident.md'))).toBe(true);
    expect(existsSync(join(repo.dir, 'incidents', '2026-03-15-disk-full', 'timeline.md'))).toBe(true);
    expect(commitSubjects(repo)).toHaveLength(before);
    // Neither committed nor staged: both files are the user's to add.
    expect(repo.git(['status', '--porcelain', '--untracked-files=all']).split('\n').filter(Boolean).sort()).toEqual([
      '?? incidents/2026-03-15-disk-full/incident.md',
      '?? incidents/2026-03-15-disk-full/timeline.md',
    ]);
  });

  it('with several incidents open and no current one, says which ids exist', async () => {
    repo = await makeRepo({ init: true });
    await ok(['open', 'First', '--sev', '3']);
    await ok(['open', 'Second', '--sev', '3']);
    // A fresh clone has no current incident.
    const clone = join(repo.home, 'clone');
    repo.git(['clone', '-q', repo.dir, clone]);
    const result = await repo.inc(['log', 'hello'], { cwd: clone });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('2 incidents are open and this clone has no current one');
    expect(result.stderr).toContain('2026-03-15-first, 2026-03-15-second');
    await ok(['log', 'hello', '--incident', '2026-03-15-first'], { cwd: clone });
  });

  it('gives ids a suffix when the same title is declared twice on a day', async () => {
    repo = await makeRepo({ init: true });
    expect((await ok(['open', 'DB down', '--sev', '2'])).stdout.split(' ')[0]).toBe('2026-03-15-db-down');
    expect((await ok(['open', 'DB down', '--sev', '2'])).stdout.split(' ')[0]).toBe('2026-03-15-db-down-2');
  });
});

describe('hand edits are first-class', () => {
  it('reads back an edited timeline row and an edited front matter with comments, and keeps the comments on write', async () => {
    repo = await makeRepo({ init: true });
    const id = (await ok(['open', 'Login failures', '--sev', '2', '--at', '14:00'])).stdout.split(' ')[0]!;
    const incidentFile = `incidents/${id}/incident.md`;
    const timelineFile = `incidents/${id}/timeline.md`;
    repo.write(incidentFile, repo.read(incidentFile).replace('title: "Login failures"', '# renamed after triage\ntitle: Login failures for SSO users'));
    repo.write(timelineFile, `${repo.read(timelineFile)}|2026-03-15 14:03|Support tickets spike \\| 40 in 5 min|carol|\n`);
    repo.git(['commit', '-qam', 'hand edits']);
    await ok(['ack', '--at', '14:10']);
    const show = JSON.parse((await ok(['show', '--json'])).stdout);
    expect(show.title).toBe('Login failures for SSO users');
    expect(show.timeline.find((e: { author: string }) => e.author === 'carol')).toEqual({
      at: '2026-03-15T14:03:00Z',
      text: 'Support tickets spike | 40 in 5 min',
      author: 'carol',
      kind: null,
      // sha256 of ["2026-03-15T14:03:00Z","Support tickets spike | 40 in 5 min","carol",""]: the time as inc writes it
      ref: '~18a1fb8',
      amended: false,
      superseded: false,
    });
    expect(repo.read(incidentFile)).toContain('# renamed after triage\ntitle: Login failures for SSO users');
  });

  it('reports what it cannot parse with file and line, never a stack trace', async () => {
    repo = await makeRepo({ init: true });
    const id = (await ok(['open', 'Broken by hand', '--sev', '2'])).stdout.split(' ')[0]!;
    const incidentFile = `incidents/${id}/incident.md`;
    repo.write(incidentFile, repo.read(incidentFile).replace(/detected_at: .*/, 'detected_at: "yesterday afternoon"'));
    const show = await repo.inc(['show', id]);
    expect(show.code).toBe(1);
    expect(show.stderr).toMatch(new RegExp(`^inc: ${incidentFile}:12: detected_at: "yesterday afternoon" is not an ISO 8601 time`));
    repo.write(incidentFile, repo.read(incidentFile).replace('title: ', 'title: [unclosed'));
    const list = await repo.inc(['list', '--all']);
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(new RegExp(`inc: warning: ${incidentFile}:[34]: invalid YAML`));
    expect(list.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a folder where a file belongs instead of failing', async () => {
    repo = await makeRepo({ init: true });
    const id = (await ok(['open', 'Odd folder', '--sev', '2'])).stdout.split(' ')[0]!;
    mkdirSync(join(repo.dir, 'incidents', id, 'postmortem.md'));
    const list = await repo.inc(['list', '--all', '--json']);
    expect(list.code).toBe(0);
    expect(list.stderr).toContain(`incidents/${id}/postmortem.md:1: is a folder where inc expects a file`);
    expect(JSON.parse(list.stdout)[0].postmortem).toBeNull();
    const check = await repo.inc(['check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`incidents/${id}/postmortem.md:1: error: is a folder where inc expects a file`);
    expect((await repo.inc(['stats', '--json'])).code).toBe(0);
  });
});
