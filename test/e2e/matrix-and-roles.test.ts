/**
 * The severity matrix as teams edit it, and role names as people type them, end to end:
 * renamed levels keep history valid through aliases; one bad value stops only what needs it;
 * `bob` after `Bob` is no handoff. In-process, in a real temporary git repository.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { inProcess } from '../helpers/in-process.js';
import { makeRepo, PAYMENT_OUTAGE, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const { inc, ok } = inProcess(() => repo);

/** The P1-P5 matrix the README invites, with the old names as aliases or not. */
function renamedMatrix(aliases: boolean): string {
  const level = (n: number, every: number | null) =>
    `  P${n}:\n    description: Level ${n}\n${aliases && n <= 4 ? `    aliases: [SEV${n}]\n` : ''}` +
    (every ? `    update_every_minutes: ${every}\n    escalate_after_minutes: ${every * 2}\n` : '') +
    (n <= 2 ? '    postmortem_required: true\n' : '');
  return `severities:\n${level(1, 15)}${level(2, 30)}${level(3, 60)}${level(4, null)}${level(5, null)}`;
}

describe('renamed severity levels', () => {
  it('without aliases inc check explains the old name; with them history stays valid and a live SEV1 keeps its cadence', async () => {
    repo = await makeRepo({ init: true });
    await ok(['open', 'Payment outage', '--sev', '1', '--at', '15:00']);
    repo.write('incident-severity.yaml', renamedMatrix(false));
    repo.git(['commit', '-qam', 'P1-P5']);
    const check = await inc(['check']);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain('severity "SEV1" matches no level or alias of incident-severity.yaml (levels: P1, P2, P3, P4, P5)');
    expect(check.stdout + check.stderr).toContain('keep the old name as an alias: `aliases: [SEV1]` under P1');

    repo.write('incident-severity.yaml', renamedMatrix(true));
    repo.git(['commit', '-qam', 'aliases']);
    expect((await inc(['check'])).code).toBe(0);
    const status = JSON.parse((await ok(['status', '--json'])).stdout);
    expect(status.severity).toBe('SEV1'); // the file keeps what was written
    expect(status.next_update).toMatchObject({ every_minutes: 15, due_at: '2026-03-15T15:15:00Z', overdue: true });
    expect(status.escalation).toMatchObject({ after_minutes: 30, due: true });
    expect((await ok(['status'])).stdout).toContain('SEV1 (Level 1)');
    // New incidents take the level's own name, whichever name was typed.
    await ok(['open', 'Search stale', '--sev', 'SEV2', '--at', '15:10']);
    expect(JSON.parse((await ok(['show', '--json'])).stdout).severity).toBe('P2');
  });
});

describe('one bad value in the matrix', () => {
  it('stops only what needs it, with file and line; every other command works and warns once', async () => {
    repo = await makeRepo({ init: true });
    await ok(['open', 'Search stale', '--sev', '2', '--at', '15:00']);
    const matrix = repo.read('incident-severity.yaml');
    const bad = matrix.replace('update_every_minutes: 15', 'update_every_minutes: fifteen');
    expect(bad).not.toBe(matrix);
    repo.write('incident-severity.yaml', bad);
    repo.git(['commit', '-qam', 'a typo in the matrix']);
    const line = bad.split('\n').findIndex((l) => l.includes('fifteen')) + 1;
    const problem = `incident-severity.yaml:${line}: update_every_minutes of SEV1 must be a positive number of minutes, found "fifteen"`;

    // A new SEV1 can be declared, listed, shown, logged to and counted in stats.
    const opened = await ok(['open', 'Payment outage', '--sev', '1', '--at', '15:10']);
    expect(opened.stdout).toBe(`${PAYMENT_OUTAGE} opened 2026-03-15T15:10:00Z\n`);
    expect(opened.stderr.split(problem).length - 1, 'warned once').toBe(1);
    for (const args of [['list'], ['show'], ['stats'], ['status', '--incident', 'search']]) {
      const result = await ok(args);
      expect(result.stderr, args.join(' ')).toContain(`warning: ${problem}`);
    }
    await ok(['log', 'rollback started']);
    await ok(['ack', '--at', '15:12']);

    // The status of the SEV1 needs its update cadence: it stops and says where.
    const status = await inc(['status']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(`inc: ${problem}`);
    expect(status.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const check = await inc(['check']);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain(`incident-severity.yaml:${line}`);
  });
});

describe('role names as people type them', () => {
  it('bob after Bob is no handoff, and the spelling first given is kept', async () => {
    repo = await makeRepo({ init: true });
    await ok(['open', 'Payment outage', '--sev', '1', '--at', '15:00', '--commander', 'Bob']);
    const same = await ok(['assign', '--commander', 'bob']);
    expect(same.stdout).toBe('');
    expect(same.stderr).toContain('Nothing changed');
    await ok(['assign', '--sme', 'Carol']);
    const handoff = await ok(['assign', '--commander', 'CAROL', '--sme', 'carol']);
    expect(handoff.stdout).toBe(`${PAYMENT_OUTAGE} commander Carol\n`);
    expect(handoff.stderr).toContain('Incident commander: Carol (handed over from Bob).');
    const shown = JSON.parse((await ok(['show', '--json'])).stdout);
    expect(shown.commander).toBe('Carol');
    expect(shown.smes).toEqual(['Carol']);
    expect(shown.timeline.filter((e: { kind: string }) => e.kind === 'role').map((e: { text: string }) => e.text)).toEqual([
      'Incident commander: Bob',
      'Subject-matter expert: Carol',
      'Incident commander: Carol (handed over from Bob)',
    ]);
  });
});
