/** inc postmortem without an id, and the review step: approve and publish, each one commit. */
import { afterEach, describe, expect, it } from 'vitest';
import { commitFiles, commitSubjects, makeRepoFrom, type TempRepo } from '../helpers/repo.js';
import { finishPostmortem as finish } from '../helpers/postmortem.js';

const ID = '2026-03-15-payment-processing-outage';
const PM = `incidents/${ID}/postmortem.md`;
const BRANCH = `postmortem/${ID}`;
let repo: TempRepo;
afterEach(() => repo?.cleanup());

async function resolvedPayment(): Promise<void> {
  // Made once for the file and copied for each test.
  repo = await makeRepoFrom('payment-resolved', async (made) => {
    await made.ok(['open', 'Payment processing outage', '--sev', '1', '--at', '14:05', '--started-at', '14:02', '--commander', 'Alice']);
    await made.ok(['mitigate', '--at', '14:22']);
    await made.ok(['resolve', '--at', '15:00']);
  });
}

describe('inc postmortem with no id', () => {
  it('takes the resolved incident that still needs one, not the open current one', async () => {
    await resolvedPayment();
    await repo.ok(['open', 'Search is stale', '--sev', '3', '--at', '15:10']); // open, current, needs none
    const result = await repo.ok(['postmortem']);
    expect(result.stdout).toBe(`${ID} postmortem ${PM}\n`);
    expect(repo.git(['branch', '--format=%(refname:short)'])).toContain(BRANCH);
  });

  it('lists several owed postmortems without a terminal, naming each, and writes nothing', async () => {
    await resolvedPayment();
    await repo.ok(['open', 'Checkout errors', '--sev', '2', '--at', '15:05']);
    await repo.ok(['resolve', '--at', '15:20']);
    const before = repo.git(['rev-parse', 'HEAD']);
    const result = await repo.inc(['postmortem']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`2 resolved incidents still need a postmortem: 2026-03-15-checkout-errors, ${ID}`);
    expect(result.stderr).toContain('Name one: inc postmortem 2026-03-15-checkout-errors');
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(before);
  });
});

describe('inc postmortem approve and publish', () => {
  it('records the approval, refuses to publish an unfinished review, then publishes: one commit each', async () => {
    await resolvedPayment();
    await repo.ok(['postmortem', '--switch']);

    const approved = await repo.ok(['postmortem', 'approve', '--reviewer', 'Dana Lee'], { env: { INC_NOW: '2026-03-16T09:00:00Z' } });
    expect(approved.stdout).toBe(`${ID} approved Dana Lee\n`);
    expect(approved.stderr).toContain('Approved by Dana Lee; reviewers: Dana Lee.');
    expect(commitSubjects(repo)[0]).toBe(`inc(${ID}): postmortem approved by Dana Lee`);
    expect(commitFiles(repo)).toEqual([PM]);
    expect(repo.read(PM)).toMatch(/^status: "in-review"$/m);
    // The same person again, spelt otherwise: not listed twice.
    await repo.ok(['postmortem', 'approve', '--reviewer', 'dana lee']);
    expect(repo.read(PM)).toMatch(/reviewers:\n {2}- "Dana Lee"\n(?! {2}-)/);

    const head = repo.git(['rev-parse', 'HEAD']);
    const early = await repo.inc(['postmortem', 'publish']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/is not ready to publish: inc check finds \d+ errors/);
    expect(early.stderr).toContain(`${PM}:`);
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(head);
    expect(repo.git(['status', '--porcelain'])).toBe('');

    repo.write(PM, finish(repo.read(PM)));
    repo.git(['commit', '-qam', 'write the postmortem']);
    const published = await repo.ok(['postmortem', 'publish'], { env: { INC_NOW: '2026-03-18T10:00:00Z' } });
    expect(published.stdout).toBe(`${ID} published 2026-03-18\n`);
    expect(commitSubjects(repo)[0]).toBe(`inc(${ID}): publish the postmortem`);
    expect(commitFiles(repo)).toEqual([PM]);
    const text = repo.read(PM);
    expect(text).toMatch(/^status: "published"$/m);
    expect(text).toMatch(/^published_at: "2026-03-18"$/m);
    expect((await repo.ok(['check'])).code).toBe(0);
    const stats = JSON.parse((await repo.ok(['stats', '--json'], { env: { INC_NOW: '2026-03-18T10:00:00Z' } })).stdout);
    expect(stats.postmortems).toMatchObject({ required: 1, written: 1 });
  });

  it('needs a reviewer to publish, and an id off the review branch', async () => {
    await resolvedPayment();
    await repo.ok(['postmortem', '--no-branch']);
    const noId = await repo.inc(['postmortem', 'approve']);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('which postmortem? You are not on a postmortem/<id> branch');
    repo.write(PM, finish(repo.read(PM)));
    const noReviewer = await repo.inc(['postmortem', 'publish', ID]);
    expect(noReviewer.code).toBe(2);
    expect(noReviewer.stderr).toContain('has no reviewer');
    const withReviewer = await repo.ok(['postmortem', 'publish', ID, '--reviewer', 'Dana Lee', '--no-commit']);
    expect(withReviewer.stderr).toContain('(not committed)');
    expect(repo.read(PM)).toMatch(/^status: "published"$/m);
  });
});
