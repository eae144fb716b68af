/**
 * Real incidents do not follow the textbook: recovery before anyone noticed, a cause found
 * the morning after the resolution, impact that came back, a recurrence after the
 * resolution, false alarms and duplicate pages, milestones typed in any order. Every figure
 * below was computed by hand. The clock is pinned (INC_NOW) and the identity fixed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cloneForBob } from '../helpers/clones.js';
import { commitSubjects, makeRepo, makeRepoWithIncident, PAYMENT_OUTAGE, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const NOW = { INC_NOW: '2026-03-27T12:00:00Z' };
const ok = (args: string[]) => repo.ok(args, { env: NOW });
const inc = (args: string[]) => repo.inc(args, { env: NOW });
const json = async (id: string) => JSON.parse((await ok(['show', id, '--json'])).stdout);

describe('recovered before detection (mybinder.org, 2018-03-26: down 10:34-10:55, noticed at 15:00)', () => {
  it('records the mitigation before detection: impact exact, TTM null, counted apart in stats', async () => {
    repo = await makeRepo({ init: true });
    const id = (await ok(['open', 'Cluster unreachable', '--sev', '2', '--at', '2026-03-26T15:00:00Z', '--started-at', '2026-03-26T10:34:00Z'])).stdout.split(' ')[0]!;
    const mitigated = await ok(['mitigate', '--at', '2026-03-26T10:55:00Z', 'nodes came back on their own']);
    expect(mitigated.stdout).toBe(`${id} mitigated 2026-03-26T10:55:00Z\n`);
    expect(mitigated.stderr).toMatch(/before detection: recovered before anyone noticed/);
    await ok(['resolve', '--at', '2026-03-26T15:20:00Z']);

    const shown = await json(id);
    expect(shown.metrics).toEqual({ ttd: 266, tta: null, ttm: null, ttr: 20, impact: 21 });
    expect(shown.recovered_before_detection).toBe(true);
    expect(shown.status).toBe('resolved');
    expect((await ok(['show', id])).stdout).toMatch(/Status +resolved \(recovered before detection: no TTM\)/);

    const stats = JSON.parse((await ok(['stats', '--json'])).stdout);
    expect(stats.recovered_before_detection).toBe(1);
    expect(stats.metrics.ttm.n).toBe(0);
    expect(stats.metrics.impact.sum_seconds).toBe(21 * 60);
    expect((await ok(['stats'])).stdout).toMatch(/1 recovered before detection \(no TTM\)/);
    // No warning: nothing is out of order.
    expect((await ok(['stats', '--json'])).stderr).toBe('');
    const check = await inc(['check']);
    expect(check.stdout + check.stderr).not.toMatch(/out of order/);

    // The postmortem says so too, in its generated impact and metrics blocks.
    await ok(['postmortem', id, '--no-branch']);
    const postmortem = repo.read(`incidents/${id}/postmortem.md`);
    expect(postmortem).toContain('- **Impact window**: 2026-03-26 10:34 – 10:55 UTC (21m; recovered before detection, which came at 2026-03-26 15:00)');
    expect(postmortem).toMatch(/\| TTM, time to mitigate \| none \(mitigated before detection\) \|/);
  });

  it('still refuses what cannot be, naming both timestamps: mitigated before the impact started', async () => {
    repo = await makeRepoWithIncident();
    await ok(['milestone', 'started', '--at', '2026-03-15T14:02:00Z']);
    const refused = await inc(['mitigate', '--at', '2026-03-15T14:00:00Z']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('started_at 2026-03-15T14:02:00Z is after mitigated_at 2026-03-15T14:00:00Z');
    expect(commitSubjects(repo)).toHaveLength(3);
  });
});

describe('a cause identified after the resolution', () => {
  /** Resolve then identify, or identify then resolve: the same facts. */
  async function record(order: 'resolve-first' | 'identify-first'): Promise<{ file: string; json: Record<string, unknown> }> {
    repo = await makeRepoWithIncident();
    await ok(['ack', '--at', '2026-03-15T14:06:00Z']);
    await ok(['mitigate', '--at', '2026-03-15T14:22:00Z']);
    const resolve = ['resolve', '--at', '2026-03-15T15:00:00Z', '--incident', PAYMENT_OUTAGE];
    const identify = ['identify', '--at', '2026-03-16T09:30:00Z', '--incident', PAYMENT_OUTAGE, 'a race in the retry path'];
    for (const args of order === 'resolve-first' ? [resolve, identify] : [identify, resolve]) await ok(args);
    const file = repo.read(`incidents/${PAYMENT_OUTAGE}/incident.md`);
    const shown = await json(PAYMENT_OUTAGE);
    repo.cleanup();
    return { file, json: shown };
  }

  it('is accepted in either order and gives the same incident.md and the same figures', async () => {
    const a = await record('resolve-first');
    const b = await record('identify-first');
    expect(a.file).toBe(b.file);
    expect(a.json).toEqual(b.json);
    expect(a.file).toContain('status: "resolved"');
    expect(a.file).toContain('identified_at: "2026-03-16T09:30:00Z"');
    expect(a.json.metrics).toEqual({ ttd: null, tta: 1, ttm: 17, ttr: 55, impact: null });
  });
});

describe('inc relapse', () => {
  it('two relapses: not mitigated in between, impact sums the three windows, JSON counts them', async () => {
    repo = await makeRepoWithIncident(); // detected 14:05 (SEV1: escalate if not mitigated in 30 min)
    await ok(['milestone', 'started', '--at', '2026-03-15T14:02:00Z']);
    await ok(['mitigate', '--at', '2026-03-15T14:22:00Z']);
    const first = await ok(['relapse', '--at', '2026-03-15T14:40:00Z', 'errors are back']);
    expect(first.stdout).toBe(`${PAYMENT_OUTAGE} relapsed 2026-03-15T14:40:00Z\n`);
    expect(first.stderr).toMatch(/relapse 1.*not mitigated until the next `inc mitigate`/);
    let shown = await json(PAYMENT_OUTAGE);
    expect([shown.status, shown.mitigated_at, shown.relapses]).toEqual(['investigating', null, 1]);

    // inc status at 15:20 (40 min after the relapse): impacting again, and the SEV1 escalation runs again from the relapse.
    const status = await repo.ok(['status'], { env: { INC_NOW: '2026-03-15T15:20:00Z' } });
    expect(status.stdout).toMatch(/IMPACTING AGAIN since 2026-03-15 14:40, relapse 1/);
    expect(status.stdout).toMatch(/ESCALATE NOW: not mitigated 40m after the relapse/);

    await ok(['mitigate', '--at', '2026-03-15T15:05:00Z']);
    await ok(['relapse', '--at', '2026-03-15T15:30:00Z']);
    await ok(['mitigate', '--at', '2026-03-15T15:40:00Z']);
    await ok(['resolve', '--at', '2026-03-15T16:00:00Z']);
    shown = await json(PAYMENT_OUTAGE);
    expect(shown.relapses).toBe(2);
    expect(shown.relapse_history).toEqual(['2026-03-15T14:22:00Z/2026-03-15T14:40:00Z', '2026-03-15T15:05:00Z/2026-03-15T15:30:00Z']);
    // Impact: 14:02-14:22 (20) + 14:40-15:05 (25) + 15:30-15:40 (10) = 55. TTM to the mitigation that held: 14:05-15:40 = 95.
    expect(shown.metrics).toEqual({ ttd: 3, tta: null, ttm: 95, ttr: 115, impact: 55 });
    const stats = JSON.parse((await ok(['stats', '--json'])).stdout);
    expect(stats.metrics.impact.sum_seconds).toBe(55 * 60);
    expect((await inc(['check'])).stdout).not.toMatch(/relapse_history/);
  });

  it('refuses a relapse of an incident not mitigated, one before its mitigation, and one after the resolution', async () => {
    repo = await makeRepoWithIncident();
    const notMitigated = await inc(['relapse']);
    expect([notMitigated.code, notMitigated.stderr]).toEqual([1, expect.stringMatching(/is not mitigated: impact has not ended/)]);
    await ok(['mitigate', '--at', '2026-03-15T14:22:00Z']);
    const early = await inc(['relapse', '--at', '2026-03-15T14:20:00Z']);
    expect(early.stderr).toContain('would come before the mitigation it ends (mitigated_at 2026-03-15T14:22:00Z)');
    await ok(['resolve', '--at', '2026-03-15T15:00:00Z']);
    const resolved = await inc(['relapse', '--incident', PAYMENT_OUTAGE]);
    expect(resolved.stderr).toMatch(/is resolved.*\n.*inc reopen --incident/);
    expect(commitSubjects(repo)[0]).toMatch(/resolved/);
  });
});

describe('inc reopen', () => {
  it('a recurrence days after the resolution: reopened, resolved again, the last resolution counts', async () => {
    repo = await makeRepoWithIncident();
    await ok(['mitigate', '--at', '2026-03-15T14:22:00Z']);
    await ok(['resolve', '--at', '2026-03-15T15:00:00Z']);
    const reopened = await ok(['reopen', '--incident', PAYMENT_OUTAGE, '--at', '2026-03-18T09:00:00Z', 'same errors again']);
    expect(reopened.stdout).toBe(`${PAYMENT_OUTAGE} reopened 2026-03-18T09:00:00Z\n`);
    let shown = await json(PAYMENT_OUTAGE);
    expect([shown.status, shown.resolved_at, shown.reopens]).toEqual(['mitigated', null, 1]);
    await ok(['resolve', '--incident', PAYMENT_OUTAGE, '--at', '2026-03-18T10:05:00Z']);
    shown = await json(PAYMENT_OUTAGE);
    expect(shown.reopen_history).toEqual(['2026-03-15T15:00:00Z/2026-03-18T09:00:00Z']);
    // Detected 14:05 on the 15th, last resolved 10:05 on the 18th: 68 hours.
    expect(shown.metrics.ttr).toBe(68 * 60);
  });

  it('refuses an incident that is not closed', async () => {
    repo = await makeRepoWithIncident();
    const refused = await inc(['reopen']);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/is investigating, not closed: there is nothing to reopen/)]);
  });
});

describe('closing without a response: inc decline, inc duplicate', () => {
  it('leaves a declined and a duplicate incident out of every figure and of the postmortem requirement', async () => {
    repo = await makeRepo({ init: true });
    const real = (await ok(['open', 'Checkout errors', '--sev', '1', '--at', '2026-03-20T10:00:00Z', '--started-at', '2026-03-20T09:58:00Z'])).stdout.split(' ')[0]!;
    await ok(['mitigate', '--incident', real, '--at', '2026-03-20T10:20:00Z']);
    await ok(['resolve', '--incident', real, '--at', '2026-03-20T11:00:00Z']);

    const alarm = (await ok(['open', 'Synthetic check failing', '--sev', '1', '--at', '2026-03-21T08:00:00Z'])).stdout.split(' ')[0]!;
    await ok(['ack', '--at', '2026-03-21T08:30:00Z']);
    const declined = await ok(['decline', '--at', '2026-03-21T08:40:00Z', 'the probe itself was broken']);
    expect(declined.stdout).toBe(`${alarm} declined 2026-03-21T08:40:00Z\n`);

    const dup = (await ok(['open', 'Payments failing', '--sev', '1', '--at', '2026-03-20T10:03:00Z'])).stdout.split(' ')[0]!;
    await ok(['mitigate', '--at', '2026-03-20T13:00:00Z']);
    const duplicate = await ok(['duplicate', 'checkout', '--at', '2026-03-20T13:05:00Z']);
    expect(duplicate.stdout).toBe(`${dup} duplicate ${real}\n`);

    const shownDup = await json(dup);
    expect([shownDup.status, shownDup.duplicate_of, shownDup.closed_at]).toEqual(['duplicate', real, '2026-03-20T13:05:00Z']);
    expect((await json(alarm)).status).toBe('declined');

    const stats = JSON.parse((await ok(['stats', '--json'])).stdout);
    expect(stats.incidents).toBe(1);
    expect(stats.closed_without_response).toEqual({ declined: 1, duplicate: 1 });
    expect(stats.metrics.ttm).toMatchObject({ n: 1, mean: 20 });
    expect(stats.metrics.tta.n).toBe(0);
    expect(stats.by_month['2026-03'].SEV1).toBe(1);
    expect(stats.postmortems.required).toBe(1);

    const list = JSON.parse((await ok(['list', '--all', '--json'])).stdout);
    expect(list.map((i: { id: string; status: string }) => [i.id, i.status]).sort()).toEqual([[alarm, 'declined'], [dup, 'duplicate'], [real, 'resolved']].sort());
    expect((await ok(['list'])).stdout).toBe('');
    // Neither owes a postmortem; only the real incident is reported.
    const check = await inc(['check']);
    expect(check.stdout + check.stderr).not.toContain(alarm);
    expect(check.stdout + check.stderr).not.toContain(dup);
    expect(check.stdout + check.stderr).toContain(real);

    // A false alarm that was real after all: reopened, it counts again.
    await ok(['reopen', '--incident', alarm, '--at', '2026-03-21T09:00:00Z']);
    expect((await json(alarm)).status).toBe('investigating');
    expect(JSON.parse((await ok(['stats', '--json'])).stdout).closed_without_response).toEqual({ declined: 0, duplicate: 1 });
  });

  it('refuses a duplicate of itself (exit 2) and closing an incident twice', async () => {
    repo = await makeRepoWithIncident();
    const itself = await inc(['duplicate', PAYMENT_OUTAGE]);
    expect([itself.code, itself.stderr]).toEqual([2, expect.stringMatching(/cannot duplicate itself/)]);
    await ok(['decline']);
    const twice = await inc(['decline', '--incident', PAYMENT_OUTAGE]);
    expect([twice.code, twice.stderr]).toEqual([1, expect.stringMatching(/is declined; it cannot be declined\n.*inc reopen/)]);
  });
});

describe('the trigger', () => {
  it('records what set it off, shown in show and with the time to impact in JSON', async () => {
    repo = await makeRepoWithIncident();
    await ok(['milestone', 'started', '--at', '2026-03-15T14:02:00Z']);
    const url = 'https://github.com/acme/shop/pull/4242';
    await ok(['milestone', 'triggered', '--at', '2026-03-15T13:50:00Z', '--ref', url]);
    const shown = await json(PAYMENT_OUTAGE);
    expect([shown.triggered_at, shown.trigger_ref, shown.trigger_to_impact]).toEqual(['2026-03-15T13:50:00Z', url, 12]);
    expect(repo.read(`incidents/${PAYMENT_OUTAGE}/incident.md`)).toContain(`trigger_ref: "${url}"`);
    expect((await ok(['show'])).stdout).toContain(`triggered_at    2026-03-15 13:50:00  ${url}`);
    await ok(['postmortem', '--no-branch', '--force']);
    expect(repo.read(`incidents/${PAYMENT_OUTAGE}/postmortem.md`)).toContain(`- **Trigger**: 2026-03-15 13:50 UTC, ${url}\n`);
    const refused = await inc(['milestone', 'triggered', '--at', '2026-03-15T14:03:00Z']);
    expect(refused.stderr).toContain('triggered_at 2026-03-15T14:03:00Z is after started_at 2026-03-15T14:02:00Z');
    const wrongFlag = await inc(['milestone', 'started', '--at', '14:01', '--ref', 'abc123']);
    expect([wrongFlag.code, wrongFlag.stderr]).toEqual([2, expect.stringMatching(/--ref goes with the triggered milestone/)]);
  });
});

describe('a milestone set to the value it already has', () => {
  it('writes nothing, commits nothing, and says so in one line', async () => {
    repo = await makeRepoWithIncident();
    await ok(['milestone', 'started', '--at', '2026-03-15T14:02:00Z']);
    const before = commitSubjects(repo);
    const timeline = repo.read(`incidents/${PAYMENT_OUTAGE}/timeline.md`);
    // The helper's default clock, 2026-03-15 15:30, where a bare 14:02 is today's.
    const again = await repo.ok(['milestone', 'started', '--at', '14:02']);
    expect(again.stderr).toBe(`${PAYMENT_OUTAGE} is already started at 2026-03-15 14:02 UTC: nothing to change.\n`);
    expect(commitSubjects(repo)).toEqual(before);
    expect(repo.read(`incidents/${PAYMENT_OUTAGE}/timeline.md`)).toBe(timeline);
    expect(repo.git(['status', '--porcelain'])).toBe('');
  });
});

describe('the worked example', () => {
  it('still gives TTD 3, TTA 1, TTM 17, TTR 55, impact 20', async () => {
    repo = await makeRepoWithIncident();
    await ok(['milestone', 'started', '--at', '2026-03-15T14:02:00Z']);
    // The helper's default clock, 2026-03-15 15:30: bare times are that day's.
    await repo.ok(['ack', '--at', '14:06']);
    await repo.ok(['mitigate', '--at', '14:22']);
    await repo.ok(['resolve', '--at', '15:00']);
    expect((await json(PAYMENT_OUTAGE)).metrics).toEqual({ ttd: 3, tta: 1, ttm: 17, ttr: 55, impact: 20 });
  });
});

describe('two clones at once', () => {
  it('a relapse on one clone and a cause identified on the other merge field by field, nothing lost', async () => {
    repo = await makeRepoWithIncident();
    await repo.ok(['mitigate', '--at', '2026-03-15T14:22:00Z']);
    const { bob } = cloneForBob(repo);
    // Alice: impact is back. Bob, at the same time: the cause is found.
    await repo.ok(['relapse', '--at', '2026-03-15T14:40:00Z']);
    await bob.ok(['identify', '--incident', PAYMENT_OUTAGE, '--at', '2026-03-15T14:45:00Z', 'cache key collision']);
    await bob.ok(['sync']);
    await repo.ok(['sync']);
    await bob.ok(['sync']);
    const alice = JSON.parse((await repo.ok(['show', PAYMENT_OUTAGE, '--json'])).stdout);
    const bobs = JSON.parse((await bob.ok(['show', PAYMENT_OUTAGE, '--json'])).stdout);
    expect(alice).toEqual(bobs);
    expect([alice.status, alice.mitigated_at, alice.identified_at, alice.relapses]).toEqual(['identified', null, '2026-03-15T14:45:00Z', 1]);
    expect(repo.read(`incidents/${PAYMENT_OUTAGE}/incident.md`)).not.toContain('<<<<<<<');
  });
});
