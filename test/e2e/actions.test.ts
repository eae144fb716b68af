/** inc actions: action items across postmortems, from hand-edited tables, through the built binary. */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/repo.js';
import { incIn } from '../helpers/run.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

function postmortem(incident: string, table: string): string {
  return `---\nincident: ${incident}\nstatus: published\n---\n\n# Postmortem\n\n## Action items\n\n<!-- one row per action; write \\| for a\n| inside a cell -->\n\n${table}\n\n## Lessons learned\n\nSome.\n`;
}

const A = '2026-03-15-payment-processing-outage';
const B = '2026-04-02-search-stale';

async function twoPostmortems(): Promise<void> {
  repo = await makeRepo({ init: true });
  // Hand-edited: messy spacing, columns in another order, a missing cell, an extra column, an escaped pipe.
  repo.write(
    `incidents/${A}/postmortem.md`,
    postmortem(
      A,
      [
        '| Action | Owner | Priority | Due | Ticket | Status |',
        '|--------|-------|----------|-----|--------|--------|',
        '| Add null-safety tests |Bob| P1 |2026-03-20| ENG-4521 |  DONE |',
        '|   Alert on 5xx \\| timeouts   | @carol | P1 | 2026-03-27 | ENG-4522 | In Progress |',
        '| Canary stage | Dave | P2 | 2026-06-30 | ENG-4525 | todo |',
        "| Friday deploy freeze | Alice | P3 | 2026-03-01 | ENG-4523 | Won't do |",
      ].join('\n'),
    ),
  );
  repo.write(
    `incidents/${B}/postmortem.md`,
    postmortem(B, ['| Status | Action | Owner | Due | Priority | Ticket | Notes |', '|---|---|---|---|---|---|---|', '| wip | Rebuild the index nightly | Bob, Erin | 2026-04-10 | P2 | ENG-5001 | x |', '| | Document reindexing | Erin |'].join('\n')),
  );
}

describe('inc actions', () => {
  it('lists every action item as JSON, with lenient status words and overdue computed for today', async () => {
    await twoPostmortems();
    const result = await repo.inc(['actions', '--json'], { env: { INC_NOW: '2026-04-15T09:00:00Z' } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { incident: A, action: 'Add null-safety tests', owner: 'Bob', priority: 'P1', due: '2026-03-20', ticket: 'ENG-4521', status: 'done', overdue: false },
      { incident: A, action: 'Alert on 5xx | timeouts', owner: '@carol', priority: 'P1', due: '2026-03-27', ticket: 'ENG-4522', status: 'in progress', overdue: true },
      { incident: A, action: 'Canary stage', owner: 'Dave', priority: 'P2', due: '2026-06-30', ticket: 'ENG-4525', status: 'todo', overdue: false },
      { incident: A, action: 'Friday deploy freeze', owner: 'Alice', priority: 'P3', due: '2026-03-01', ticket: 'ENG-4523', status: "won't do", overdue: false },
      { incident: B, action: 'Rebuild the index nightly', owner: 'Bob, Erin', priority: 'P2', due: '2026-04-10', ticket: 'ENG-5001', status: 'in progress', overdue: true },
      { incident: B, action: 'Document reindexing', owner: 'Erin', priority: null, due: null, ticket: null, status: 'todo', overdue: false },
    ]);
  });

  it('filters: --open, --overdue, --owner (case and @ aside, one of several owners)', async () => {
    await twoPostmortems();
    const env = { INC_NOW: '2026-04-15T09:00:00Z' };
    const actions = async (...args: string[]) => (JSON.parse((await repo.inc(['actions', '--json', ...args], { env })).stdout) as { action: string }[]).map((a) => a.action);
    expect(await actions('--open')).toEqual(['Alert on 5xx | timeouts', 'Canary stage', 'Rebuild the index nightly', 'Document reindexing']);
    expect(await actions('--overdue')).toEqual(['Alert on 5xx | timeouts', 'Rebuild the index nightly']);
    expect(await actions('--owner', 'Carol')).toEqual(['Alert on 5xx | timeouts']);
    expect(await actions('--owner', 'erin', '--open')).toEqual(['Rebuild the index nightly', 'Document reindexing']);
    expect(await actions('--owner', 'bob', '--overdue')).toEqual(['Rebuild the index nightly']);
    // Overdue follows the pinned clock: before the due dates nothing is.
    const early = await repo.inc(['actions', '--overdue', '--json'], { env: { INC_NOW: '2026-03-16T09:00:00Z' } });
    expect(JSON.parse(early.stdout)).toEqual([]);
  });

  it('prints a table for people, with a count on stderr', async () => {
    await twoPostmortems();
    const result = await repo.inc(['actions', '--open'], { env: { INC_NOW: '2026-04-15T09:00:00Z' } });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^INCIDENT\s+ACTION\s+OWNER\s+PRI\s+DUE\s+TICKET\s+STATUS$/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(new RegExp(`^${A}\\s+Alert on 5xx \\| timeouts\\s+@carol\\s+P1\\s+2026-03-27 overdue\\s+ENG-4522\\s+in progress$`));
    expect(result.stdout).not.toMatch(/\u001b\[/);
    expect(result.stderr).toBe('4 action items, 4 open, 2 overdue (today is 2026-04-15 UTC).\n');
  });

  it('reads the counts inc show reports', async () => {
    await twoPostmortems();
    repo.write(`incidents/${A}/incident.md`, `---\nid: ${A}\ntitle: Payments down\nseverity: SEV1\ndetected_at: "2026-03-15T14:05:00Z"\n---\n`);
    const show = JSON.parse((await repo.inc(['show', A, '--json'])).stdout) as { postmortem: unknown };
    expect(show.postmortem).toEqual({ status: 'published', action_items: { total: 4, done: 1 } });
  });

  it('says so when there is nothing, exits 0, and skips a postmortem it cannot read with a warning', async () => {
    repo = await makeRepo({ init: true });
    const none = await repo.inc(['actions']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('No postmortems yet.');
    expect(JSON.parse((await repo.inc(['actions', '--json'])).stdout)).toEqual([]);
    repo.cleanup();

    await twoPostmortems();
    repo.write(`incidents/${B}/postmortem.md`, '---\nstatus: [unclosed\n---\n');
    const partial = await repo.inc(['actions', '--json']);
    expect(partial.code).toBe(0);
    expect(JSON.parse(partial.stdout)).toHaveLength(4);
    expect(partial.stderr).toMatch(new RegExp(`warning: incidents/${B}/postmortem.md:2: invalid YAML`));
  });

  it('--exit-code exits 1 while the list is not empty (still printing it), 0 once it is', async () => {
    await twoPostmortems();
    const overdue = await incIn(repo, ['actions', '--overdue', '--exit-code', '--json'], { now: '2026-04-15T09:00:00Z' });
    expect(overdue.code).toBe(1);
    expect((JSON.parse(overdue.stdout) as { action: string }[]).map((row) => row.action)).toEqual(['Alert on 5xx | timeouts', 'Rebuild the index nightly']);
    const table = await incIn(repo, ['actions', '--overdue', '--exit-code'], { now: '2026-04-15T09:00:00Z' });
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('Rebuild the index nightly');
    expect(table.stderr).toBe('2 action items, 2 open, 2 overdue (today is 2026-04-15 UTC).\n');
    const early = await incIn(repo, ['actions', '--overdue', '--exit-code'], { now: '2026-03-16T09:00:00Z' });
    expect(early.code).toBe(0);
    expect(early.stderr).toBe('No action items match.\n');
    // Without the flag, a list is success as before.
    expect((await incIn(repo, ['actions', '--overdue'], { now: '2026-04-15T09:00:00Z' })).code).toBe(0);
  });
});
