/**
 * The current incident end to end: current only while open, `inc use`, ids by prefix or title
 * word, the incident folder as the default, and which incident list, show and status say is
 * current. In-process, in a real temporary git repository.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcess } from '../helpers/in-process.js';
import { commitSubjects, makeRepo, makeRepoFrom, type TempRepo } from '../helpers/repo.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const { inc, ok, refused } = inProcess(() => repo);
const CHECKOUT = '2026-03-15-checkout-5xx';
const SEARCH = '2026-03-15-search-latency';

async function twoIncidents(): Promise<void> {
  // Made once for the file and copied for each test.
  repo = await makeRepoFrom('two-incidents', async (made) => {
    await made.ok(['open', 'Checkout 5xx', '--sev', '2', '--at', '14:00']);
    await made.ok(['open', 'Search latency', '--sev', '3', '--at', '14:10']);
  });
}

function timelineTexts(id: string): string[] {
  return repo.read(`incidents/${id}/timeline.md`).split('\n').filter((l) => l.startsWith('| 2026')).map((l) => l.split('|')[2]!.trim());
}

describe('the current incident', () => {
  it('a resolved current incident takes no write without its id: refused, listing the open ones', async () => {
    await twoIncidents();
    await ok(['resolve', '--at', '15:00']); // resolves search, the current one
    const refusal = await refused(['log', 'checkout 5xx now 0.1%'], new RegExp(`${SEARCH} is resolved, so it is no longer the current incident`));
    expect(refusal.stderr).toContain(`Open: ${CHECKOUT}`);
    expect(timelineTexts(SEARCH)).not.toContain('checkout 5xx now 0.1%');
    // Named, it goes where it was meant to; and a note to the resolved one still can be written by id.
    await ok(['log', '--incident', 'checkout', 'checkout 5xx now 0.1%']);
    expect(timelineTexts(CHECKOUT)).toContain('checkout 5xx now 0.1%');
    await ok(['log', '--incident', SEARCH, 'cache warmed']);
    expect(timelineTexts(SEARCH)).toContain('cache warmed');
  });

  it('inc use makes an open incident current; a closed one cannot be', async () => {
    await twoIncidents();
    expect((await ok(['use'])).stdout).toBe(`${SEARCH}\n`);
    expect((await ok(['use', 'checkout'])).stdout).toBe(`${CHECKOUT} current\n`);
    await ok(['log', 'retrying payments']);
    expect(timelineTexts(CHECKOUT)).toContain('retrying payments');
    await ok(['resolve', '--at', '15:00']);
    await refused(['use', CHECKOUT], new RegExp(`${CHECKOUT} is resolved: only an open incident can be current`));
    const none = await ok(['use']);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain(`No current incident (${CHECKOUT} is resolved). Open: ${SEARCH}.`);
    await ok(['use', '--clear']);
    // With the only other one open and none current, a write goes to the only open one.
    await ok(['log', 'search p99 normal']);
    expect(timelineTexts(SEARCH)).toContain('search p99 normal');
  });

  it('ids by unique prefix or title word, for --incident and positional ids; ambiguity lists the matches', async () => {
    await twoIncidents();
    await ok(['open', 'Search index stale', '--sev', '3', '--at', '14:20']);
    expect(JSON.parse((await ok(['show', 'latency', '--json'])).stdout).id).toBe(SEARCH);
    expect(JSON.parse((await ok(['show', '2026-03-15-ch', '--json'])).stdout).id).toBe(CHECKOUT);
    expect(JSON.parse((await ok(['show', 'index-stale', '--json'])).stdout).id).toBe('2026-03-15-search-index-stale');
    const ambiguous = await refused(['log', '--incident', 'search', 'x'], /--incident search matches 2 incidents/);
    expect(ambiguous.stderr).toContain(`Give more of the id: ${SEARCH}, 2026-03-15-search-index-stale.`);
    const unknown = await refused(['show', 'login-failures-spike'], /^inc: ID login-failures-spike: no incident id begins with it or has it in its name\n/);
    // The id was typed as an argument: the message names it so, not as a --incident the user did not pass.
    expect(unknown.stderr).not.toContain('--incident');
    // A word of the date is no title word.
    await refused(['show', '15'], /no incident id begins with it/);
    await ok(['ack', '--incident', 'checkout', '--at', '14:30']);
    expect(JSON.parse((await ok(['show', CHECKOUT, '--json'])).stdout).acknowledged_at).toBe('2026-03-15T14:30:00Z');
    expect(commitSubjects(repo)[0]).toBe(`inc(${CHECKOUT}): acknowledged`);
  });

  it('inside incidents/<id>/ that incident is the default', async () => {
    await twoIncidents();
    const folder = join(repo.dir, 'incidents', CHECKOUT);
    await ok(['log', 'from the folder'], { cwd: folder });
    expect(timelineTexts(CHECKOUT)).toContain('from the folder');
    expect(JSON.parse((await ok(['status', '--json'], { cwd: folder })).stdout).id).toBe(CHECKOUT);
  });

  it('list, show and status say which incident is current and in which zone times are shown', async () => {
    repo = await makeRepo();
    await ok(['init', '--timezone', 'Europe/Berlin']);
    await ok(['open', 'Checkout 5xx', '--sev', '2', '--at', '15:00']);
    await ok(['open', 'Search latency', '--sev', '3', '--at', '15:10']);
    const list = await ok(['list']);
    expect(list.stdout).toMatch(new RegExp(`^\\* ${SEARCH} `, 'm'));
    expect(list.stdout).toMatch(new RegExp(`^  ${CHECKOUT} `, 'm'));
    expect(list.stdout).toContain('DETECTED (Europe/Berlin)');
    expect(list.stderr).toContain(`* ${SEARCH} is the current incident of this clone. Times in Europe/Berlin.`);
    const json = JSON.parse((await ok(['list', '--json'])).stdout) as { id: string; current: boolean }[];
    expect(json.map((i) => [i.id, i.current])).toEqual([[SEARCH, true], [CHECKOUT, false]]);

    const show = await ok(['show', 'checkout']);
    expect(show.stdout).toContain(`${CHECKOUT}  not the current incident (that is ${SEARCH})`);
    expect(show.stdout).toContain('Times in Europe/Berlin');
    expect(show.stdout).toContain('detected_at     2026-03-15 15:00:00');
    const status = await ok(['status']);
    expect(status.stdout).toContain(`${SEARCH}  the current incident of this clone`);
    expect(status.stdout).toContain('Times in Europe/Berlin');
    expect(JSON.parse((await ok(['status', '--json'])).stdout)).toMatchObject({ id: SEARCH, current: true, timezone: 'Europe/Berlin' });

    // Resolved, it is no longer current: show says so, status shows it only while nothing else is open.
    await ok(['resolve', '--at', '15:20']);
    expect((await ok(['show', SEARCH])).stdout).toContain(`${SEARCH}  resolved: no longer the current incident`);
    expect(JSON.parse((await ok(['status', '--json'])).stdout).id).toBe(CHECKOUT);
    expect((await ok(['list'])).stderr).toContain('No current incident (`inc use ID` sets one). Times in Europe/Berlin.');
  });

  it('with several open and none current, a command without an id lists them and how to pick one', async () => {
    await twoIncidents();
    await ok(['use', '--clear']);
    const result = await inc(['log', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('2 incidents are open and this clone has no current one');
    expect(result.stderr).toContain(`inc use ID\`: ${CHECKOUT}, ${SEARCH}`);
  });
});
