/**
 * The foundation end to end: the built binary in temporary git repositories, with a fixed
 * identity and a pinned clock (INC_NOW=2026-03-15T15:30:00Z).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, commitSubjects, makeRepo, type TempRepo } from '../helpers/repo.js';

const ID = '2026-03-15-payment-processing-outage';
let repo: TempRepo;
afterEach(() => repo?.cleanup());

const ok: TempRepo['ok'] = (args, options) => repo.ok(args, options);

function expectNoStack(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('inc init', () => {
  it('writes the matrix, incidents/, .gitattributes and config in one commit, and is idempotent', async () => {
    repo = await makeRepo();
    const first = await ok(['init']);
    expect(first.stdout.trim().split('\n').sort()).toEqual(['.gitattributes', '.inc/config.yaml', 'incident-severity.yaml', 'incidents/README.md']);
    expect(commitSubjects(repo)).toHaveLength(1);
    expect(commitFiles(repo)).toEqual(['.gitattributes', '.inc/config.yaml', 'incident-severity.yaml', 'incidents/README.md']);
    expect(repo.read('.gitattributes')).toContain('incidents/*/timeline.md merge=union');

    repo.write('incident-severity.yaml', 'severities:\n  P1:\n    description: edited by the team\n');
    repo.git(['commit', '-qam', 'team edits the matrix']);
    const again = await ok(['init']);
    expect(again.stderr).toMatch(/Already set up/);
    expect(repo.read('incident-severity.yaml')).toContain('edited by the team');
    expect(commitSubjects(repo)).toHaveLength(2);
  });

  it('adds its line to an existing .gitattributes without losing the team\'s lines', async () => {
    repo = await makeRepo();
    repo.write('.gitattributes', '*.png binary');
    await ok(['init']);
    expect(repo.read('.gitattributes')).toMatch(/^\*\.png binary\n# inc: .*\nincidents\/\*\/timeline\.md merge=union\n# inc: .*\nincidents\/\*\/incident\.md merge=inc\n$/);
  });

  it('refuses plainly outside a git repository and writes nothing', async () => {
    repo = await makeRepo();
    const outside = join(repo.home, 'not-a-repo');
    mkdirSync(outside);
    const result = await repo.inc(['init'], { cwd: outside });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^inc: not inside a git repository/);
    expectNoStack(result.stderr);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses without a git identity and writes nothing', async () => {
    repo = await makeRepo({ identity: false });
    const result = await repo.inc(['init']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/git does not know who you are.*nothing was written/);
    expect(result.stderr).toContain('git config --global user.name');
    expect(existsSync(join(repo.dir, 'incident-severity.yaml'))).toBe(false);
    expect(repo.git(['status', '--porcelain'])).toBe('');
  });
});

describe('an incident from open to resolve', () => {
  it('replays the SPEC example: one commit per write with exactly its files, and the metrics', async () => {
    repo = await makeRepo({ init: true });
    const opened = await ok(['open', 'Payment processing outage', '--sev', '1', '--service', 'payment-service', '--at', '14:05', '--started-at', '14:02']);
    expect(opened.stdout).toBe(`${ID} opened 2026-03-15T14:05:00Z\n`);
    expect(commitFiles(repo)).toEqual([`incidents/${ID}/incident.md`, `incidents/${ID}/timeline.md`]);

    const texts = [
      'Deploy v2.14.0 of payment-service completed',
      'HighErrorRate alert fires',
      'IC role assumed by Alice, #incident-20260315 channel created',
      'Error logs show NPE in new payment validation code path',
      'Decision: rollback to v2.13.9',
      'Rollback initiated: `kubectl rollout undo` | watching pods',
      'New pods healthy, error rate dropping',
      'Status page updated: "Mitigated"',
      'Root cause confirmed: null check missing for new field',
      'Customer support briefed; macro for failed payments shared',
      'Finance asked for a list of failed transactions',
      'Incident resolved, status page updated',
    ];
    const times = ['14:02', '14:05', '14:08', '14:10', '14:12', '14:14', '14:17', '14:25', '14:45', '14:50', '14:55', '15:00'];
    for (const [i, text] of texts.entries()) await ok(['log', '--at', times[i]!, text]);
    await ok(['ack', '--at', '14:06']);
    await ok(['mitigate', '--at', '14:22', 'error rate back to baseline']);
    await ok(['resolve', '--at', '15:00']);

    const subjects = commitSubjects(repo);
    expect(subjects).toHaveLength(1 + 1 + texts.length + 3);
    expect(subjects[0]).toBe(`inc(${ID}): resolved`);
    for (let i = 0; i < texts.length; i += 1) {
      expect(commitFiles(repo, `HEAD~${3 + i}`)).toEqual([`incidents/${ID}/timeline.md`]);
    }
    expect(commitFiles(repo, 'HEAD~1')).toEqual([`incidents/${ID}/incident.md`, `incidents/${ID}/timeline.md`]);
    // Every commit, newest first: its subject and exactly the files its write touched.
    const incident = `incidents/${ID}/incident.md`;
    const timeline = `incidents/${ID}/timeline.md`;
    const expected: [string, string[]][] = [
      [`inc(${ID}): resolved`, [incident, timeline]],
      [`inc(${ID}): mitigated "error rate back to baseline"`, [incident, timeline]],
      [`inc(${ID}): acknowledged`, [incident, timeline]],
      ...[...texts].reverse().map((text): [string, string[]] => [`inc(${ID}): log "${text}"`, [timeline]]),
      [`inc(${ID}): open SEV1 "Payment processing outage"`, [incident, timeline]],
      ['inc: set up incident response (severity matrix, incidents/, .gitattributes, config)', ['.gitattributes', '.inc/config.yaml', 'incident-severity.yaml', 'incidents/README.md']],
    ];
    expect(subjects.map((subject, n) => [subject, commitFiles(repo, `HEAD~${n}`)])).toEqual(expected);
    expect(repo.git(['status', '--porcelain'])).toBe('');

    const show = JSON.parse((await ok(['show', '--json'])).stdout);
    expect(show.metrics).toEqual({ ttd: 3, tta: 1, ttm: 17, ttr: 55, impact: 20 });
    expect(show).toMatchObject({ id: ID, severity: 'SEV1', status: 'resolved', drill: false, services: ['payment-service'], postmortem: null });
    expect(show.timeline.map((e: { text: string }) => e.text)).toContain('Rollback initiated: `kubectl rollout undo` | watching pods');
    const ats = show.timeline.map((e: { at: string }) => e.at);
    expect([...ats].sort()).toEqual(ats);
    // ref: sha256 of ["2026-03-15T14:02:00Z","User impact started","Alice Example","milestone"]
    expect(show.timeline[0]).toEqual({ at: '2026-03-15T14:02:00Z', text: 'User impact started', author: 'Alice Example', kind: 'milestone', ref: '~330e444', amended: false, superseded: false });
    // The 12 logged texts come back exactly, in time order, and with them the rows inc wrote itself.
    const rows = show.timeline as { at: string; text: string; author: string; kind: string | null }[];
    expect(rows.filter((e) => e.kind === null).map((e) => e.text)).toEqual(texts);
    expect(rows.every((e) => e.author === 'Alice Example')).toBe(true);
    expect(rows.map((e) => [e.at.slice(11, 16), e.text, e.kind])).toEqual([
      ['14:02', 'User impact started', 'milestone'],
      ['14:02', 'Deploy v2.14.0 of payment-service completed', null],
      ['14:05', 'Incident declared: SEV1 Payment processing outage', 'declared'],
      ['14:05', 'HighErrorRate alert fires', null],
      ['14:06', 'Acknowledged', 'milestone'],
      ['14:08', 'IC role assumed by Alice, #incident-20260315 channel created', null],
      ['14:10', 'Error logs show NPE in new payment validation code path', null],
      ['14:12', 'Decision: rollback to v2.13.9', null],
      ['14:14', 'Rollback initiated: `kubectl rollout undo` | watching pods', null],
      ['14:17', 'New pods healthy, error rate dropping', null],
      ['14:22', 'Mitigated: error rate back to baseline', 'milestone'],
      ['14:25', 'Status page updated: "Mitigated"', null],
      ['14:45', 'Root cause confirmed: null check missing for new field', null],
      ['14:50', 'Customer support briefed; macro for failed payments shared', null],
      ['14:55', 'Finance asked for a list of failed transactions', null],
      ['15:00', 'Incident resolved, status page updated', null],
      ['15:00', 'Resolved', 'milestone'],
    ]);
    expect(rows.every((e) => e.at.startsWith('2026-03-15T') && e.at.endsWith(':00Z'))).toBe(true);

    const text = (await ok(['show'])).stdout;
    expect(text).toContain('Payment processing outage');
    expect(text).toMatch(/TTM 17m/);
  });

  it('computes across midnight and several days, whatever zone the times were typed in', async () => {
    repo = await makeRepo({ init: true });
    const env = { INC_NOW: '2026-03-20T12:00:00Z' };
    await ok(['open', 'Replication lag', '--sev', 'sev2', '--at', '2026-03-15T23:50:00-08:00', '--started-at', '2026-03-15T23:30:00-08:00'], { env });
    const id = '2026-03-16-replication-lag'; // detected 07:50 UTC on the 16th: the id uses the configured zone (UTC)
    await ok(['ack', '--incident', id, '--at', '2026-03-16T10:00:00+02:00'], { env });
    await ok(['mitigate', '--incident', id, '--at', '2026-03-17 01:20'], { env });
    await ok(['resolve', '--incident', id, '--at', '2026-03-18T10:50:30Z'], { env });
    const show = JSON.parse((await ok(['show', id, '--json'], { env })).stdout);
    expect(show.started_at).toBe('2026-03-16T07:30:00Z');
    expect(show.acknowledged_at).toBe('2026-03-16T08:00:00Z');
    expect(show.metrics).toEqual({ ttd: 20, tta: 10, ttm: 1050, ttr: 3060.5, impact: 1070 });
  });

  it('reads HH:mm in the configured zone and stores UTC', async () => {
    repo = await makeRepo({ init: true });
    repo.write('.inc/config.yaml', 'timezone: America/Los_Angeles\n');
    await ok(['open', 'Search stale', '--sev', '2', '--at', '07:05'], { env: { INC_NOW: '2026-03-15T15:30:00Z' } });
    const show = JSON.parse((await ok(['show', '--json'])).stdout);
    expect(show.detected_at).toBe('2026-03-15T14:05:00Z');
    expect((await ok(['show'])).stdout).toContain('Milestones (America/Los_Angeles)');
  });
});
