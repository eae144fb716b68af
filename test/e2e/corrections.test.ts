/**
 * Correcting a timeline that stays append-only: `inc amend` and `inc retract` append a row that
 * names the entry (by number, time or ref, as `inc show` prints it), every reader shows the
 * corrected timeline, a corrected milestone's old row is superseded, and two clones correcting
 * at once merge with no conflict. And `inc log --by`, on behalf of someone else.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelineEntryJson } from '../../src/domain/incident-json.js';
import { cloneForBob } from '../helpers/clones.js';
import { commitFiles, commitSubjects, makeRepo, makeRepoFrom, makeRepoWithIncident, PAYMENT_OUTAGE as ID, type TempRepo } from '../helpers/repo.js';

const TIMELINE = `incidents/${ID}/timeline.md`;
const POSTMORTEM = `incidents/${ID}/postmortem.md`;

let repo: TempRepo;
afterEach(() => repo?.cleanup());

type Entry = TimelineEntryJson;

async function timeline(c: TempRepo = repo): Promise<Entry[]> {
  return (JSON.parse((await c.ok(['show', ID, '--json'])).stdout) as { timeline: Entry[] }).timeline;
}

const rows = (c: TempRepo = repo) => c.read(TIMELINE).split('\n').filter((line) => line.startsWith('| 2026'));

/** The incident of makeRepoWithIncident (declared 14:05 by Alice Example) and three entries. */
async function withEntries(): Promise<void> {
  // Made once for the file and copied for each test.
  repo = await makeRepoFrom(
    'three-entries',
    async (made) => {
      await made.ok(['log', '--at', '14:12', '--kind', 'decision', 'Decison: roll back to v2.13.9']);
      await made.ok(['log', '--at', '14:12:30', 'Paged the DBA team']);
      await made.ok(['log', '--at', '14:14', 'Rollback started']);
    },
    makeRepoWithIncident,
  );
}

// printf '%s' '["2026-03-15T14:12:00Z","Decison: roll back to v2.13.9","Alice Example","decision"]' | sha256sum
const DECISION_REF = '~02771d8';
// printf '%s' '["2026-03-15T14:12:30Z","Paged the DBA team","Alice Example",""]' | sha256sum
const PAGED_REF = '~454f9ce';
// printf '%s' '["2026-03-15T14:14:00Z","Rollback started","Alice Example",""]' | sha256sum
const ROLLBACK_REF = '~e782519';

describe('inc amend and inc retract', () => {
  it('name an entry by its number, time or ref, append one row each and commit it alone', async () => {
    await withEntries();
    const shown = (await repo.ok(['show'])).stdout;
    expect(shown).toContain(`  #2  14:12  [decision] Decison: roll back to v2.13.9 (Alice Example)  ${DECISION_REF}\n`);
    expect(shown).toContain(`  #3  14:12  Paged the DBA team (Alice Example)  ${PAGED_REF}\n`);
    expect(shown).toContain(`  #4  14:14  Rollback started (Alice Example)  ${ROLLBACK_REF}\n`);
    const before = rows();

    const byNumber = await repo.ok(['amend', '2', 'Decision: roll back to v2.13.9']);
    expect(byNumber.stdout).toBe(`${ID} amended ${DECISION_REF}\n`);
    expect(byNumber.stderr).toBe(`2026-03-15 14:12 UTC ${DECISION_REF} "Decison: roll back to v2.13.9": now reads "Decision: roll back to v2.13.9".\n`);
    expect(commitSubjects(repo)[0]).toBe(`inc(${ID}): amend 2026-03-15T14:12:00Z ${DECISION_REF} "Decision: roll back to v2.13.9"`);
    expect(commitFiles(repo)).toEqual([TIMELINE]);

    await repo.ok(['amend', ROLLBACK_REF, '--at', '15:00', 'Rollback started by Bob']);
    await repo.ok(['amend', '14:14', '--at', '15:10', 'Rollback started by Bob (kubectl rollout undo)']);
    const retracted = await repo.ok(['retract', '#3', 'paged for another incident']);
    expect(retracted.stdout).toBe(`${ID} retracted ${PAGED_REF}\n`);
    expect(commitSubjects(repo)[0]).toBe(`inc(${ID}): retract 2026-03-15T14:12:30Z ${PAGED_REF} "paged for another incident"`);

    // Nothing was rewritten: the rows logged are all still there, and four rows were appended.
    expect(rows().slice(0, before.length)).toEqual(before);
    expect(rows().slice(before.length)).toEqual([
      `| 2026-03-15T15:30:00Z | amends 2026-03-15T14:12:00Z ${DECISION_REF}: Decision: roll back to v2.13.9 | Alice Example | amend |`,
      `| 2026-03-15T15:00:00Z | amends 2026-03-15T14:14:00Z ${ROLLBACK_REF}: Rollback started by Bob | Alice Example | amend |`,
      `| 2026-03-15T15:10:00Z | amends 2026-03-15T14:14:00Z ${ROLLBACK_REF}: Rollback started by Bob (kubectl rollout undo) | Alice Example | amend |`,
      `| 2026-03-15T15:30:00Z | retracts 2026-03-15T14:12:30Z ${PAGED_REF}: paged for another incident | Alice Example | retract |`,
    ]);
    expect(commitSubjects(repo).filter((s) => / (amend|retract) /.test(s))).toHaveLength(4);

    // The latest amendment counts; the retracted entry is gone; correction rows are no events.
    expect((await timeline()).map((e) => [e.at.slice(11, 19), e.text, e.amended, e.ref])).toEqual([
      ['14:05:00', 'Incident declared: SEV1 Payment outage', false, expect.stringMatching(/^~[0-9a-f]{7}$/)],
      ['14:12:00', 'Decision: roll back to v2.13.9', true, DECISION_REF],
      ['14:14:00', 'Rollback started by Bob (kubectl rollout undo)', true, ROLLBACK_REF],
    ]);
    const text = (await repo.ok(['show'])).stdout;
    expect(text).toContain(`  #2  14:12  [decision] Decision: roll back to v2.13.9 (Alice Example)  (amended)  ${DECISION_REF}\n`);
    expect(text).toContain(`  #3  14:14  Rollback started by Bob (kubectl rollout undo) (Alice Example)  (amended)  ${ROLLBACK_REF}\n`);
    expect(text).not.toContain('Paged the DBA team');
    expect(text).toContain('  (1 entry retracted, not shown)\n');
  });

  it('refuses a time that names two entries (exit 2, the choices with their refs), and writes nothing', async () => {
    await withEntries();
    const head = repo.git(['rev-parse', 'HEAD']);
    const ambiguous = await repo.inc(['amend', '14:12', 'x']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stdout).toBe('');
    expect(ambiguous.stderr).toBe(
      `inc: <entry> 14:12 names 2 entries of ${ID}; inc will not guess which\n` +
        'Name one by its ref:\n' +
        `  #2  ${DECISION_REF}  2026-03-15 14:12:00  Decison: roll back to v2.13.9 (Alice Example)\n` +
        `  #3  ${PAGED_REF}  2026-03-15 14:12:30  Paged the DBA team (Alice Example)\n` +
        `as in: inc amend ${DECISION_REF} "<text>"\n`,
    );
    // Seconds name one of them.
    await repo.ok(['retract', '14:12:30']);
    expect((await timeline()).map((e) => e.text)).not.toContain('Paged the DBA team');
    expect(repo.git(['rev-list', '--count', `${head.trim()}..HEAD`]).trim()).toBe('1');
  });

  it('refuses what names nothing (exit 2, with a hint), a correction row, and a second retraction', async () => {
    await withEntries();
    const none = await repo.inc(['amend', '14:13', 'x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`inc: <entry> 14:13: no entry at 14:13 in ${ID}\n\`inc show\` prints each entry with its number and ref; name one as printed (3, 14:12 or ~a1b2c3d).\n`);
    expect((await repo.inc(['retract', '9'])).stderr).toContain('there is no entry #9: the timeline has 4 entries');
    expect((await repo.inc(['retract', '~ffff'])).code).toBe(2);
    expect((await repo.inc(['retract', 'soon'])).stderr).toContain("inc: <entry> soon is not an entry's number, time or ref");

    await repo.ok(['retract', PAGED_REF, 'wrong incident']);
    const again = await repo.inc(['retract', PAGED_REF]);
    expect([again.code, again.stderr]).toEqual([1, `inc: ${PAGED_REF} "Paged the DBA team" is already retracted (by Alice Example at 2026-03-15 15:30 UTC: wrong incident)\n`]);
    const amendRetracted = await repo.inc(['amend', '14:12:30', 'x']);
    expect(amendRetracted.code).toBe(1);
    expect(amendRetracted.stderr).toContain('A retracted entry is left out of the timeline; log what is right as a new entry');

    await repo.ok(['amend', DECISION_REF, 'Decision: roll back']);
    // Correction rows are not entries of the timeline shown: named by their ref, they are refused.
    expect((await repo.ok(['show', '--json'])).stdout).not.toContain('"kind": "amend"');
    const byRef = await repo.inc(['retract', `~${sha(rows().at(-1)!)}`]);
    expect(byRef.code).toBe(1);
    expect(byRef.stderr).toBe(
      `inc: that row is itself a correction (amend of ${DECISION_REF}): a correction is never corrected\nTo change the text again, amend the entry it names: inc amend ${DECISION_REF} "<text>"\n`,
    );
    // Four entries, the retraction and the amendment: the refusals wrote nothing.
    expect(rows()).toHaveLength(6);
  });

  it('refuses an amendment that would not count: at the time of the latest one, or before the entry', async () => {
    await withEntries();
    await repo.ok(['amend', '#2', 'Decision: roll back']);
    const sameSecond = await repo.inc(['amend', '#2', 'Decision: roll back now']);
    expect(sameSecond.code).toBe(2);
    expect(sameSecond.stderr).toContain('is not after the entry\'s latest amendment (2026-03-15 15:30:00), which would still count');
    const early = await repo.inc(['retract', '#2', '--at', '14:00']);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('is before the entry it corrects');
    const same = await repo.inc(['amend', '#2', 'Decision: roll back', '--at', '15:31'], { env: { INC_NOW: '2026-03-15T15:40:00Z' } });
    expect([same.code, same.stderr]).toEqual([1, `inc: ${DECISION_REF} already reads "Decision: roll back"; nothing to amend\n`]);
  });

  it('--dry-run shows the row, --no-commit writes it without a commit', async () => {
    await withEntries();
    const preview = await repo.ok(['retract', '#4', '--dry-run']);
    expect(preview.stdout).toContain(`+| 2026-03-15T15:30:00Z | retracts 2026-03-15T14:14:00Z ${ROLLBACK_REF} | Alice Example | retract |`);
    expect(rows()).toHaveLength(4);
    const head = repo.git(['rev-parse', 'HEAD']);
    const written = await repo.ok(['retract', '#4', '--no-commit']);
    expect(written.stderr).toContain('(not committed)');
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(head);
    expect(rows()).toHaveLength(5);
  });

  it('a retracted entry is absent from show, JSON, status and the postmortem; a corrected milestone\'s old row is superseded in each', async () => {
    repo = await makeRepoWithIncident();
    await repo.ok(['log', '--at', '14:10', 'Paged the wrong team']);
    await repo.ok(['comms', 'investigating', '--at', '14:11', '--symptom', 'failed payments']);
    await repo.ok(['mitigate', '--at', '14:20']);
    await repo.ok(['milestone', 'mitigated', '--at', '14:22']);
    await repo.ok(['retract', '14:10', 'wrong incident']);
    const status = JSON.parse((await repo.ok(['status', '--json', '--last', '3'])).stdout) as { recent_timeline: Entry[] };
    expect(status.recent_timeline.map((e) => [e.text.slice(0, 9), e.superseded])).toEqual([['Status up', false], ['Mitigated', true], ['Mitigated', false]]);
    await repo.ok(['resolve', '--at', '15:00']);

    const entries = await timeline();
    expect(entries.map((e) => [e.at.slice(11, 16), e.text.slice(0, 22), e.superseded])).toEqual([
      ['14:05', 'Incident declared: SEV', false],
      ['14:11', 'Status update sent (in', false],
      ['14:20', 'Mitigated', true],
      ['14:22', 'Mitigated (corrected f', false],
      ['15:00', 'Resolved', false],
    ]);
    const shown = (await repo.ok(['show'])).stdout;
    expect(shown).toMatch(/ {2}#3 {2}14:20 {2}\[milestone\] Mitigated \(Alice Example\) {2}\(superseded\) {2}~[0-9a-f]{7}\n/);
    expect(shown).not.toContain('Paged the wrong team');

    await repo.ok(['postmortem', '--no-branch']);
    const postmortem = repo.read(POSTMORTEM);
    expect(postmortem).toContain('| 14:20 | ~~Mitigated~~ (superseded) | Alice Example |\n| 14:22 | Mitigated (corrected from 2026-03-15T14:20:00Z) | Alice Example |\n');
    expect(postmortem).not.toContain('Paged the wrong team');
    expect(postmortem).not.toContain('retracts');
  });

  it('an earlier mitigation of a relapsed incident, and an earlier resolution of a reopened one, are not superseded', async () => {
    repo = await makeRepoWithIncident();
    await repo.ok(['mitigate', '--at', '14:20']);
    await repo.ok(['relapse', '--at', '14:30']);
    await repo.ok(['mitigate', '--at', '14:40']);
    await repo.ok(['milestone', 'mitigated', '--at', '14:45']);
    await repo.ok(['resolve', '--at', '15:00']);
    await repo.ok(['reopen', '--at', '15:10']);
    await repo.ok(['resolve', '--at', '15:20']);
    const milestones = (await timeline()).filter((e) => e.kind === 'milestone').map((e) => [e.at.slice(11, 16), e.text.split(/[ :(]/)[0], e.superseded]);
    expect(milestones).toEqual([
      ['14:20', 'Mitigated', false], // held until the relapse
      ['14:30', 'Relapsed', false],
      ['14:40', 'Mitigated', true], // corrected to 14:45
      ['14:45', 'Mitigated', false],
      ['15:00', 'Resolved', false], // held until the reopen
      ['15:10', 'Reopened', false],
      ['15:20', 'Resolved', false],
    ]);
  });

  it('a retracted stakeholder update no longer resets the update clock', async () => {
    repo = await makeRepoWithIncident();
    await repo.ok(['comms', 'investigating', '--at', '14:20', '--symptom', 'failed payments']);
    const clock = async () => JSON.parse((await repo.ok(['status', '--json'], { env: { INC_NOW: '2026-03-15T14:30:00Z' } })).stdout).next_update;
    // SEV1: every 15 minutes, from the update at 14:20.
    expect(await clock()).toMatchObject({ counted_from: 'update', due_at: '2026-03-15T14:35:00Z' });
    await repo.ok(['retract', '14:20', 'sent to the wrong page'], { env: { INC_NOW: '2026-03-15T14:25:00Z' } });
    // From detection at 14:05 instead.
    expect(await clock()).toMatchObject({ counted_from: 'detection', due_at: '2026-03-15T14:20:00Z', last_update_at: null });
  });

  it('inc check reports a correction that names no entry with its file and line', async () => {
    await withEntries();
    repo.write(TIMELINE, `${repo.read(TIMELINE)}| 2026-03-15T15:00:00Z | retracts 2026-03-15T14:13:00Z ~1234567: typo | Alice | retract |\n`);
    const line = repo.read(TIMELINE).split('\n').length - 1;
    const check = await repo.inc(['check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${TIMELINE}:${line}: error: retract of 2026-03-15T14:13:00Z ~1234567 names no entry of this timeline (the entry was edited or removed by hand?)\n`);
    // Readers skip it, with a warning.
    const show = await repo.ok(['show']);
    expect(show.stderr).toContain(`inc: warning: ${TIMELINE}:${line}: retract of 2026-03-15T14:13:00Z ~1234567 names no entry`);
  });
});

describe('two clones correcting at once', () => {
  it('one retracts and logs, the other amends and logs; after both sync they read back the same, with nothing lost', async () => {
    await withEntries();
    const { bob } = cloneForBob(repo);
    await repo.ok(['retract', PAGED_REF, 'wrong incident', '--at', '15:00']);
    await repo.ok(['log', '--at', '15:01', 'Alice: error rate falling']);
    await bob.ok(['amend', '14:12:00', 'Decision: roll back to v2.13.9', '--incident', ID, '--at', '15:02']);
    await bob.ok(['log', '--at', '15:03', 'Bob: canary clean', '--incident', ID]);
    await repo.ok(['sync']);
    const synced = await bob.ok(['sync']);
    expect(synced.stderr).toContain('rebased 2 local commits on top');
    await repo.ok(['sync']);

    const alice = await timeline(repo);
    expect(await timeline(bob)).toEqual(alice);
    expect(alice.map((e) => [e.at.slice(11, 16), e.text, e.author, e.amended])).toEqual([
      ['14:05', 'Incident declared: SEV1 Payment outage', 'Alice Example', false],
      ['14:12', 'Decision: roll back to v2.13.9', 'Alice Example', true],
      ['14:14', 'Rollback started', 'Alice Example', false],
      ['15:01', 'Alice: error rate falling', 'Alice Example', false],
      ['15:03', 'Bob: canary clean', 'Bob Example', false],
    ]);
    // Every row of both sides is in the file, once, with no conflict marker, and both clones hold the same.
    expect(rows(repo)).toHaveLength(8);
    expect(repo.read(TIMELINE)).toBe(bob.read(TIMELINE));
    expect(repo.read(TIMELINE)).not.toMatch(/^(<{7}|={7}|>{7})/m);
    expect(bob.git(['status', '--porcelain'])).toBe('');
  });

  it('the same, merging instead of rebasing', async () => {
    await withEntries();
    const { bob } = cloneForBob(repo);
    await repo.ok(['retract', '#4', '--at', '15:00']);
    await bob.ok(['amend', '#3', 'Paged the DBA team (Carol answered)', '--incident', ID, '--at', '15:02']);
    await repo.ok(['sync', '--merge']);
    await bob.ok(['sync', '--merge']);
    await repo.ok(['sync', '--merge']);
    expect(await timeline(bob)).toEqual(await timeline(repo));
    expect((await timeline(repo)).map((e) => e.text)).toEqual([
      'Incident declared: SEV1 Payment outage',
      'Decison: roll back to v2.13.9',
      'Paged the DBA team (Carol answered)',
    ]);
  });
});

describe('inc log --by', () => {
  it('records the entry on behalf of someone, in the spelling already on record; the commit stays git\'s identity', async () => {
    repo = await makeRepo({ init: true });
    await repo.ok(['open', 'Payment outage', '--sev', '1', '--at', '14:05', '--commander', 'Carol Jones']);
    await repo.ok(['assign', '--sme', 'Dana']);
    await repo.ok(['log', '--at', '14:10', '--by', 'carol  JONES', 'Customer reports started 13:58']);
    await repo.ok(['log', '--at', '14:11', '--by', 'DANA', 'Checked the DB']);
    await repo.ok(['log', '--at', '14:12', '--by', 'Old Report', 'From the old report']);
    await repo.ok(['log', '--at', '14:13', '--by', 'old report', 'Again']);
    expect(rows().slice(-4)).toEqual([
      '| 2026-03-15T14:10:00Z | Customer reports started 13:58 | Carol Jones |  |',
      '| 2026-03-15T14:11:00Z | Checked the DB | Dana |  |',
      '| 2026-03-15T14:12:00Z | From the old report | Old Report |  |',
      '| 2026-03-15T14:13:00Z | Again | Old Report |  |',
    ]);
    expect(repo.git(['log', '-1', '--format=%an <%ae> / %cn']).trim()).toBe('Alice Example <alice@example.com> / Alice Example');
    const help = (await repo.ok(['log', '--help'])).stdout;
    expect(help).toContain('--by <name>');
    expect(help).toContain('$ inc log --by "Carol" "Customer reports started 13:58"');
    const empty = await repo.inc(['log', '--by', '  ', 'x']);
    expect(empty.code).toBe(2);
  });
});

/** The ref of a timeline row as the file holds it: the 7 hex digits. */
function sha(line: string): string {
  const cells = line.split(' | ').map((c) => c.replace(/^\| /, '').replace(/ \|$/, ''));
  const [time, text, author, kind] = cells;
  return createHash('sha256').update(JSON.stringify([time, text, author, kind ?? ''])).digest('hex').slice(0, 7);
}
