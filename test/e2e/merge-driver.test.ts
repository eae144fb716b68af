/**
 * incident.md merged field by field by inc's merge driver: two clones of one remote (a bare
 * repository on the local disk) change roles, severity and the timeline at once, then sync
 * in either order, or use plain `git pull --rebase` / `git merge`. Both end with identical
 * files, no conflict, and every change present; a value a merge could not keep is recorded
 * in the timeline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cloneForBob } from '../helpers/clones.js';
import { makeRepo, makeRepoFrom, type TempRepo } from '../helpers/repo.js';
import { incIn } from '../helpers/run.js';

const ID = '2026-03-15-payment-outage';
const INCIDENT = `incidents/${ID}/incident.md`;
const TIMELINE = `incidents/${ID}/timeline.md`;

let alice: TempRepo;
afterEach(() => alice?.cleanup());

async function ok(repo: TempRepo, args: string[]): Promise<string> {
  const result = await incIn(repo, args);
  if (result.code !== 0) throw new Error(`inc ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stderr;
}

/** Alice's repository with an open SEV2 incident, pushed to a bare remote, and Bob's clone of it. */
async function twoClones(): Promise<{ a: TempRepo; b: TempRepo }> {
  // Made once for the file and copied for each test, before it has a remote.
  alice = await makeRepoFrom('merge-driver-alice', (made) => ok(made, ['open', 'Payment outage', '--sev', '2', '--at', '14:05', '--commander', 'Alice']));
  return { a: alice, b: cloneForBob(alice).bob };
}

/** What both responders do at once: SMEs, severity (Bob's change is the later one), a note each. */
async function respondAtOnce(a: TempRepo, b: TempRepo): Promise<void> {
  await Promise.all([
    (async () => {
      await ok(a, ['assign', '--sme', 'Carol', '--at', '14:10']);
      await ok(a, ['sev', '1', '--at', '14:12', 'every region']);
      await ok(a, ['log', '--at', '14:13', 'alice: rollback started']);
    })(),
    (async () => {
      await ok(b, ['assign', '--incident', ID, '--sme', 'Dave', '--at', '14:11']);
      await ok(b, ['sev', '3', '--incident', ID, '--at', '14:14', 'only EU']);
      await ok(b, ['log', '--incident', ID, '--at', '14:15', 'bob: EU traffic drained']);
    })(),
  ]);
}

async function shown(c: TempRepo): Promise<{ severity: string; smes: string[]; commander: string; timeline: { at: string; text: string; kind: string | null }[] }> {
  const result = await incIn(c, ['show', ID, '--json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

const MERGE_ROW = 'Two clones changed severity at once: kept SEV3 (2026-03-15T14:14:00Z), the later change; not SEV1 (2026-03-15T14:12:00Z)';

async function expectEverythingIn(c: TempRepo): Promise<void> {
  const incident = await shown(c);
  expect(incident.severity).toBe('SEV3');
  expect([...incident.smes].sort()).toEqual(['Carol', 'Dave']);
  expect(incident.commander).toBe('Alice');
  const texts = incident.timeline.map((e) => e.text);
  for (const text of ['alice: rollback started', 'bob: EU traffic drained', MERGE_ROW]) expect(texts).toContain(text);
  expect(texts.filter((t) => /^Severity changed/.test(t))).toHaveLength(2);
  expect(incident.timeline.find((e) => e.text === MERGE_ROW)?.kind).toBe('merge');
  for (const file of [INCIDENT, TIMELINE]) expect(c.read(file)).not.toMatch(/^(<{7}|={7}|>{7})/m);
  expect(c.git(['status', '--porcelain'])).toBe('');
}

describe('incident.md merges field by field', () => {
  it.each([
    ['Alice', 'Bob'],
    ['Bob', 'Alice'],
  ])('two clones change SMEs, severity and the timeline at once; %s syncs first: identical files, no conflict, every change present', async (first) => {
    const { a, b } = await twoClones();
    await respondAtOnce(a, b);
    const [x, y] = first === 'Alice' ? [a, b] : [b, a];
    await ok(x, ['sync']);
    const second = await ok(y, ['sync']);
    expect(second).toContain(`${ID}: ${MERGE_ROW}`);
    await ok(x, ['sync']);
    await expectEverythingIn(a);
    await expectEverythingIn(b);
    expect(a.read(INCIDENT)).toBe(b.read(INCIDENT));
    expect(a.read(TIMELINE)).toBe(b.read(TIMELINE));
    expect(a.git(['rev-parse', 'HEAD'])).toBe(b.git(['rev-parse', 'HEAD']));
  });

  it('inc sync --merge: the same, through a merge commit', async () => {
    const { a, b } = await twoClones();
    await respondAtOnce(a, b);
    await ok(a, ['sync', '--merge']);
    await ok(b, ['sync', '--merge']);
    await ok(a, ['sync', '--merge']);
    await expectEverythingIn(a);
    expect(a.read(INCIDENT)).toBe(b.read(INCIDENT));
    expect(a.git(['log', '--merges', '--oneline']).trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['git pull --rebase', ['pull', '--quiet', '--rebase']],
    ['git merge', ['-c', 'pull.rebase=false', 'pull', '--quiet', '--no-edit']],
  ])('plain %s merges incident.md without a conflict; the next inc sync records the value it did not keep', async (_, pull) => {
    const { a, b } = await twoClones();
    await respondAtOnce(a, b);
    a.git(['push', '--quiet']);
    b.git(pull);
    expect(b.git(['status', '--porcelain'])).toBe('');
    const merged = b.read(INCIDENT);
    expect(merged).toContain('severity: "SEV3"');
    expect(merged).toMatch(/smes:\n {2}- "(Carol|Dave)"\n {2}- "(Carol|Dave)"\n/);
    expect(merged).not.toMatch(/^(<{7}|={7}|>{7})/m);
    expect(existsSync(join(b.dir, '.git', 'inc', 'merge-notes.jsonl'))).toBe(true);
    const synced = await ok(b, ['sync']);
    expect(synced).toContain(MERGE_ROW);
    expect(existsSync(join(b.dir, '.git', 'inc', 'merge-notes.jsonl'))).toBe(false);
    await ok(a, ['sync']);
    await expectEverythingIn(a);
    await expectEverythingIn(b);
    expect(a.read(INCIDENT)).toBe(b.read(INCIDENT));
  });

  it('both clones acknowledge at different times: the later one is kept, the other recorded', async () => {
    const { a, b } = await twoClones();
    await ok(a, ['ack', '--at', '14:06', 'alice acks']);
    await ok(b, ['ack', '--incident', ID, '--at', '14:08', 'bob acks']);
    await ok(a, ['sync']);
    await ok(b, ['sync']);
    await ok(a, ['sync']);
    expect(a.read(INCIDENT)).toBe(b.read(INCIDENT));
    expect(a.read(INCIDENT)).toContain('acknowledged_at: "2026-03-15T14:08:00Z"');
    const texts = (await shown(a)).timeline.map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(['Acknowledged: alice acks', 'Acknowledged: bob acks']));
    expect(texts).toContain('Two clones changed acknowledged_at at once: kept 2026-03-15T14:08:00Z (2026-03-15T14:08:00Z), the later change; not 2026-03-15T14:06:00Z (2026-03-15T14:06:00Z)');
  });

  it('hand edits of the body merge as text; the same line edited on both sides keeps both, never markers', async () => {
    const { a, b } = await twoClones();
    await ok(b, ['log', '--incident', ID, '--at', '14:20', 'bob joins']); // any write sets up the driver in Bob's clone
    const edit = (c: TempRepo, change: (text: string) => string, message: string) => {
      c.write(INCIDENT, change(c.read(INCIDENT)));
      c.git(['commit', '-qam', message]);
    };
    edit(a, (t) => `${t}\n## Summary\n\nCheckout failed for card payments.\n`, 'alice: summary');
    edit(b, (t) => `${t}\n## Summary\n\nCheckout failed in the EU.\n`, 'bob: summary');
    a.git(['push', '--quiet']);
    b.git(['pull', '--quiet', '--rebase']);
    const text = b.read(INCIDENT);
    expect(text).toContain('Checkout failed for card payments.');
    expect(text).toContain('Checkout failed in the EU.');
    expect(text).not.toMatch(/^(<{7}|={7}|>{7})/m);
    expect(b.git(['status', '--porcelain'])).toBe('');
  });
});

describe('registering the merge driver', () => {
  it('inc init writes the .gitattributes line and the config; a fresh clone gets the config at its first write or sync', async () => {
    const { a, b } = await twoClones();
    expect(a.read('.gitattributes')).toContain('incidents/*/incident.md merge=inc\n');
    expect(a.git(['config', '--get', 'merge.inc.driver'])).toMatch(/'bin\/inc\.js' merge-driver %O %A %B %P\n$|\/bin\/inc\.js' merge-driver %O %A %B %P\n$/);
    expect(a.git(['check-attr', 'merge', '--', INCIDENT])).toBe(`${INCIDENT}: merge: inc\n`);
    // git clone copies no config: Bob's clone has no driver until inc runs there.
    expect(() => b.git(['config', '--get', 'merge.inc.driver'])).toThrow();
    await ok(b, ['sync']);
    expect(b.git(['config', '--get', 'merge.inc.driver'])).toBe(a.git(['config', '--get', 'merge.inc.driver']));
    b.git(['config', '--unset', 'merge.inc.driver']);
    await ok(b, ['log', '--incident', ID, 'a note']);
    expect(b.git(['config', '--get', 'merge.inc.driver'])).toBe(a.git(['config', '--get', 'merge.inc.driver']));
  });

  it('an existing repository set up before the driver gains the .gitattributes line from inc init', async () => {
    alice = await makeRepo();
    alice.write('.gitattributes', '*.png binary\nincidents/*/timeline.md merge=union\n');
    alice.git(['add', '.gitattributes']);
    alice.git(['commit', '-qm', 'attributes']);
    await ok(alice, ['init']);
    expect(readFileSync(join(alice.dir, '.gitattributes'), 'utf8')).toBe(
      '*.png binary\nincidents/*/timeline.md merge=union\n# inc: incident.md merges field by field (inc\'s merge driver; inc sets it up in each clone\'s git config)\nincidents/*/incident.md merge=inc\n',
    );
  });
});
